"""The `make package` ZIP installs into a fresh QGIS profile and loads from there."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def plugin_zip(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("dist") / "rus_planner.zip"
    subprocess.run(
        [sys.executable, str(REPO / "scripts" / "package.py"), "--output", str(output)], check=True
    )
    return output


def test_zip_holds_the_plugin_and_nothing_of_development(plugin_zip):
    names = zipfile.ZipFile(plugin_zip).namelist()
    assert all(name.startswith("rus_planner/") for name in names)
    for needed in (
        "rus_planner/metadata.txt",
        "rus_planner/__init__.py",
        "rus_planner/LICENSE",
        "rus_planner/rus_planner/plugin.py",
        "rus_planner/resources/profiles/default_sv.yaml",
        "rus_planner/resources/icons/rus_planner.svg",
        "rus_planner/i18n/rus_planner_sv.qm",
    ):
        assert needed in names, needed
    for name in names:
        assert "__pycache__" not in name
        assert not name.endswith(".pyc")
        assert not name.startswith(("rus_planner/tests/", "rus_planner/bench/", "rus_planner/scripts/"))
        assert not name.startswith(("rus_planner/.", "rus_planner/Makefile", "rus_planner/pyproject"))


def test_zip_installs_into_a_fresh_profile_and_loads(plugin_zip, tmp_path):
    """Unzip with QGIS's own installer code, then load it with qgis_process from that profile only."""
    sys.path.append("/usr/share/qgis/python")
    from pyplugin_installer.unzip import unzip

    config = tmp_path / "qgis-config"
    plugins = config / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    unzip(str(plugin_zip), str(plugins))
    assert (plugins / "rus_planner" / "metadata.txt").exists()

    venv_site = next((REPO / ".venv" / "lib").glob("python3*/site-packages"))
    env = {k: v for k, v in os.environ.items() if k != "QGIS_PLUGINPATH"}
    env.update(
        QGIS_CUSTOM_CONFIG_PATH=str(config),
        PYTHONPATH=str(venv_site),
        QT_QPA_PLATFORM="offscreen",
    )
    binary = shutil.which("qgis_process.bin")

    def run(*args):
        return subprocess.run(
            [binary, *args], env=env, capture_output=True, text=True, timeout=300, check=False
        )

    enabled = run("plugins", "enable", "rus_planner")
    assert enabled.returncode == 0, enabled.stderr
    listing = run("list")
    assert "rusplanner:validateprofile" in listing.stdout, listing.stdout[-2000:] + listing.stderr[-2000:]
    validated = run("run", "rusplanner:validateprofile")
    assert validated.returncode == 0, validated.stderr
    assert "VALID:\ttrue" in validated.stdout
    assert str(plugins / "rus_planner" / "resources" / "profiles" / "default_sv.yaml") in validated.stdout


def test_metadata_has_no_placeholder_and_declares_qgis_4():
    import configparser

    metadata = configparser.RawConfigParser()
    metadata.read(REPO / "metadata.txt", encoding="utf-8")
    general = dict(metadata.items("general"))
    assert not any("example.org" in value for value in general.values())
    assert general["qgisminimumversion"] == "3.22" and general["qgismaximumversion"] == "4.99"
    assert general["supportsqt6"] == "True"
    assert general["changelog"].strip().startswith(general["version"])
    assert general["about"].startswith("RUS Planner is made for the GIS staff of Sweden's regions.")
    assert "geopandas" not in general["about"]


def test_a_release_build_refuses_to_run_without_the_project_addresses(tmp_path):
    package = [sys.executable, str(REPO / "scripts" / "package.py"), "--output", str(tmp_path / "r.zip")]
    refused = subprocess.run([*package, "--release"], capture_output=True, text=True, check=False)
    assert refused.returncode != 0
    assert "a release needs the project's homepage" in refused.stderr
    assert not (tmp_path / "r.zip").exists() and list(tmp_path.iterdir()) == []

    addresses = {
        "homepage": "https://gis.region.se/rus-planner",
        "tracker": "https://gis.region.se/rus-planner/issues",
        "repository": "https://gis.region.se/rus-planner.git",
        "email": "gis@region.se",
    }
    arguments = [item for key, value in addresses.items() for item in (f"--{key}", value)]
    built = subprocess.run([*package, "--release", *arguments], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    text = zipfile.ZipFile(tmp_path / "r.zip").read("rus_planner/metadata.txt").decode("utf-8")
    for key, value in addresses.items():
        assert f"\n{key}={value}\n" in text
