#!/usr/bin/env bash
# Make sure the Debian packages RUS Planner is developed and tested with are installed.
#
# Supported: Debian 12 (bookworm, QGIS 3.22) and Debian 13 (trixie, QGIS 3.40; QGIS 3.44 when the
# system pins QGIS to trixie-backports, as `make test-matrix` does). The package names that differ
# between the two (PostgreSQL's major version) are read from /etc/os-release, never assumed.
# As root the missing packages are installed with apt-get; otherwise they are listed and we stop.
# Installed packages are detected with dpkg, so a second run does no work.
#   scripts/bootstrap-debian.sh            install what is missing (root) or list it
#   scripts/bootstrap-debian.sh --print    print the package list for this system and stop
set -euo pipefail

os_release=${RUS_OS_RELEASE:-/etc/os-release}
id="" version_id="" pretty=""
if [[ -r "$os_release" ]]; then
  # shellcheck disable=SC1090
  id=$(. "$os_release" && echo "${ID:-}")
  version_id=$(. "$os_release" && echo "${VERSION_ID:-}")
  pretty=$(. "$os_release" && echo "${PRETTY_NAME:-}")
fi

supported_message() {
  cat >&2 <<EOF
RUS Planner's development commands support Debian 12 (bookworm) and Debian 13 (trixie).
This system is: ${pretty:-unknown (no $os_release)}.
On another system install by hand: QGIS ≥ 3.22 with its Python bindings and qgis_process,
QGIS Server, PostgreSQL with PostGIS 3, Xvfb, poppler-utils, the Qt 5 tools pylupdate5 and lrelease,
and Python's venv module; then run: make test
(On Debian 13 these are: qgis python3-qgis qgis-providers qgis-server postgresql-17-postgis-3 xvfb xauth
poppler-utils pyqt5-dev-tools qttools5-dev-tools python3-venv python3-pip git.)
EOF
}

case "$id:$version_id" in
  debian:12) postgres=15 ;;
  debian:13) postgres=17 ;;
  *)
    supported_message
    exit 1
    ;;
esac

packages=(
  qgis python3-qgis qgis-providers            # QGIS and its Python bindings (qgis_process comes with qgis)
  python3-venv python3-pip                    # the project venv on Debian's Python
  xvfb xauth                                  # the real desktop, headless
  pyqt5-dev-tools qttools5-dev-tools          # pylupdate5 / lrelease for the Swedish translation
  "postgresql-$postgres-postgis-3"            # real PostGIS for the tests
  qgis-server                                 # real WFS / OGC API Features for the tests
  poppler-utils                               # pdftotext / pdftoppm for report tests
  git                                         # make package and the matrix clone the work tree
)

if [[ "${1:-}" == "--print" ]]; then
  echo "${packages[*]}"
  exit 0
fi

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "RUS Planner needs these Debian packages, which are not installed:" >&2
  echo "  ${missing[*]}" >&2
  echo "Install them with:  sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages for $pretty: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
