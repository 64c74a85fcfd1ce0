"""Real servers on localhost for tests: PostgreSQL + PostGIS, and QGIS Server as a WFS.

Each server runs from a temporary folder on a free port, is waited for with a bounded
loop, and is always stopped (and its folder removed) by the context manager, so a test
run leaves no process behind. Debian packages: postgresql-NN-postgis-3 (15 on Debian 12,
17 on Debian 13), qgis-server (scripts/bootstrap-debian.sh installs them).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path



def postgres_bin_dir() -> Path | None:
    """The bin folder of the newest installed PostgreSQL server (Debian keeps one per major version)."""
    candidates = []
    for initdb in Path("/usr/lib/postgresql").glob("*/bin/initdb"):
        major = initdb.parent.parent.name
        if major.isdigit():
            candidates.append((int(major), initdb.parent))
    if candidates:
        return max(candidates)[1]
    found = shutil.which("initdb")
    return Path(found).parent if found else None


PG_BIN = postgres_bin_dir()
QGIS_MAPSERVER = shutil.which("qgis_mapserver") or "/usr/bin/qgis_mapserver"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait(check, what: str, timeout: float = 60.0, interval: float = 0.25) -> None:
    """Poll check() until it returns True, at most timeout seconds."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception as error:  # noqa: BLE001 - keep polling; the last error is reported
            last_error = error
        time.sleep(interval)
    raise RuntimeError(f"{what} did not become ready within {timeout:.0f} s (last error: {last_error})")


# --------------------------------------------------------------------------- PostGIS


@dataclass
class PostGIS:
    host: str
    port: int
    dbname: str
    user: str

    @property
    def dsn(self) -> str:
        return f"host={self.host} port={self.port} dbname={self.dbname} user={self.user}"

    def layer_uri(self, table: str, geometry_column: str = "geom", password: str | None = None) -> str:
        """A QGIS postgres data source for a table (optionally with a password to redact)."""
        secret = f" password='{password}'" if password else ""
        return (
            f"dbname='{self.dbname}' host={self.host} port={self.port} user='{self.user}'{secret} "
            f'sslmode=disable key=\'fid\' table="public"."{table}" ({geometry_column})'
        )

    def load(self, path: Path | str, layer: str, table: str) -> None:
        """Copy a GeoPackage layer into the database with ogr2ogr (GDAL's PostgreSQL driver)."""
        subprocess.run(
            [
                "ogr2ogr",
                "-f",
                "PostgreSQL",
                f"PG:{self.dsn}",
                str(path),
                layer,
                "-nln",
                table,
                "-lco",
                "GEOMETRY_NAME=geom",
                "-lco",
                "FID=fid",
                "-preserve_fid",
                "-overwrite",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run as the postgres user when we are root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


@contextmanager
def postgis_server():
    """A fresh PostgreSQL cluster with PostGIS on a free port, stopped afterwards."""
    if PG_BIN is None:
        raise RuntimeError("PostgreSQL is not installed (scripts/bootstrap-debian.sh installs it)")
    root = Path(tempfile.mkdtemp(prefix="rus_pg_"))
    data = root / "data"
    port = free_port()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    started = False
    try:
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8"]
            ),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(root / "log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            timeout=90,
        )
        started = True
        _wait(
            lambda: (
                subprocess.run(
                    [str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)], capture_output=True
                ).returncode
                == 0
            ),
            "PostgreSQL",
        )
        psql = ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
        subprocess.run([*psql, "-c", "CREATE DATABASE rus"], check=True, capture_output=True, timeout=60)
        subprocess.run(
            [*psql, "-d", "rus", "-c", "CREATE EXTENSION postgis"],
            check=True,
            capture_output=True,
            timeout=60,
        )
        yield PostGIS("127.0.0.1", port, "rus", "postgres")
    finally:
        if started:
            subprocess.run(
                _as_postgres(
                    [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "-t", "60", "stop"]
                ),
                capture_output=True,
                timeout=90,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)


# --------------------------------------------------------------------------- WFS (QGIS Server)


@dataclass
class WfsServer:
    url: str

    def layer_uri(self, typename: str) -> str:
        """A QGIS WFS provider data source for one feature type (WFS 1.1.0, SWEREF 99 TM)."""
        return (
            f"pagingEnabled='false' preferCoordinatesForWfsT11='false' restrictToRequestBBOX='0' "
            f"srsname='EPSG:3006' typename='{typename}' url='{self.url}' version='1.1.0'"
        )


def write_wfs_project(project_path: Path, layers: list) -> None:
    """A .qgs that publishes the given vector layers over WFS (project entry WFSLayers)."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsProject

    project = QgsProject()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:3006"))
    for layer in layers:
        project.addMapLayer(layer)
    ids = [layer.id() for layer in layers]
    project.writeEntry("WFSLayers", "/", ids)
    for layer_id in ids:
        # Full coordinate precision, so geometries come back as they went in.
        project.writeEntry("WFSLayersPrecision", "/" + layer_id, 8)
    project.writeEntry("WMSServiceCapabilities", "/", True)
    project.writeEntry("WMSServiceTitle", "/", "RUS Planner test WFS")
    assert project.write(str(project_path)), f"could not write {project_path}"
    project.clear()


@contextmanager
def wfs_server(project_path: Path):
    """qgis_mapserver on a free localhost port serving the project; always stopped."""
    port = free_port()
    environment = dict(os.environ)
    environment.update(
        {
            "QT_QPA_PLATFORM": "offscreen",
            "QGIS_SERVER_PROJECT": str(project_path),
            "QGIS_PROJECT_FILE": str(project_path),
            "QGIS_SERVER_LOG_LEVEL": "2",
            "XDG_RUNTIME_DIR": environment.get("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}"),
        }
    )
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [QGIS_MAPSERVER, "-p", str(project_path), f"127.0.0.1:{port}"],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:

        def ready() -> bool:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"qgis_mapserver exited: {log.read().decode(errors='replace')[-2000:]}")
            request = url + "?SERVICE=WFS&REQUEST=GetCapabilities&VERSION=1.1.0"
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status == 200 and b"FeatureType" in response.read()

        _wait(ready, "qgis_mapserver", timeout=60)
        yield WfsServer(url)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
        log.close()
