#!/usr/bin/env bash
# Make sure the Debian packages RUS Planner is developed and tested with are installed.
# As root the missing ones are installed with apt-get; otherwise they are listed and we stop.
# Installed packages are detected with dpkg, so a second run does no work.
set -euo pipefail

packages=(
  qgis python3-qgis qgis-providers            # QGIS 3.22 LTR and its Python bindings
  python3-venv python3-pip                    # the project venv on Debian's Python
  xvfb xauth                                  # the real desktop, headless
  pyqt5-dev-tools qttools5-dev-tools          # pylupdate5 / lrelease for the Swedish translation
  postgresql-15-postgis-3 qgis-server         # real PostGIS and WFS servers for the tests
  poppler-utils                               # pdftotext / pdftoppm for report tests
)

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
  echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi

echo "Installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
