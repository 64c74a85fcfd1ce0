"""Real servers on localhost for tests: PostgreSQL + PostGIS, QGIS Server as a WFS, and an
agency WFS / OGC API Features server that fails the way real agency servers do.

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
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


# --------------------------------------------------------------------------- pygeoapi (OGC API Features)

_PYGEOAPI_CONFIG = """\
server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: 10, max_items: 10000}}
  map: {{url: "https://example.invalid/tiles.png", attribution: none}}
logging: {{level: ERROR}}
metadata:
  identification: {{title: RUS Planner test, description: test, keywords: [test], keywords_type: theme,
                    terms_of_service: "https://example.invalid", url: "https://example.invalid"}}
  license: {{name: CC0, url: "https://example.invalid"}}
  provider: {{name: RUS Planner tests, url: "https://example.invalid"}}
  contact: {{name: RUS Planner tests}}
resources:
  {table}:
    type: collection
    title: {table}
    description: test
    keywords: [test]
    extents:
      spatial: {{bbox: [10.0, 55.0, 25.0, 70.0], crs: "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}}
    providers:
      - type: feature
        name: SQLiteGPKG
        data: {path}
        id_field: fid
        table: {table}
"""


@dataclass
class PygeoapiServer:
    url: str


@contextmanager
def pygeoapi_server(gpkg_path: Path, table: str):
    """pygeoapi (requirements-dev.txt) serving one GeoPackage table as an OGC API Features collection
    on a free localhost port, in a process of its own; always stopped. Its SQLiteGPKG provider
    sends the table's coordinates as they are stored: store the table in EPSG:4326 (GeoJSON's CRS84)."""
    import sys

    folder = Path(tempfile.mkdtemp(prefix="rus_pygeoapi_"))
    port = free_port()
    config = folder / "config.yml"
    config.write_text(_PYGEOAPI_CONFIG.format(port=port, table=table, path=gpkg_path), encoding="utf-8")
    environment = dict(os.environ, PYGEOAPI_CONFIG=str(config), PYGEOAPI_OPENAPI=str(folder / "openapi.yml"))
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from pygeoapi import cli; sys.exit(cli())",
            "openapi",
            "generate",
            str(config),
            "--output-file",
            str(folder / "openapi.yml"),
        ],
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(
        [sys.executable, "-c", f"from pygeoapi.flask_app import APP; APP.run(host='127.0.0.1', port={port})"],
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
                raise RuntimeError(f"pygeoapi exited: {log.read().decode(errors='replace')[-2000:]}")
            with urllib.request.urlopen(url + "collections?f=json", timeout=5) as response:
                return response.status == 200

        _wait(ready, "pygeoapi", timeout=60)
        yield PygeoapiServer(url)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=15)
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- failing agency services

# How an agency service answers feature requests (GetFeature, items). "ok" answers soundly;
# the others fail as real agency servers have been seen to fail.
AGENCY_MODES = (
    "ok",  # every feature, numberMatched right
    "exception200",  # HTTP 200 with an exception report ("Service WFS is disabled")
    "http500",  # HTTP 500 with an exception report
    "truncated",  # HTTP 200, the body cut off two thirds in (the connection drops)
    "empty",  # HTTP 200, an empty body
    "short",  # half the features while numberMatched says all of them, and no next page
    "nofeatures",  # a sound answer with no feature at all
    "emptygeom",  # every feature, none with a geometry (no geometry or an empty one)
    "pages500",  # OGC API only: small pages (QGIS's first look) answer, larger ones get HTTP 500
    "slow",  # sound, but each feature answer waits slow_seconds first (a client's time-out)
    "nostart",  # WFS: COUNT honoured, STARTINDEX ignored (every page is the first); OGC API: next links to itself
)
# The largest page "pages500" serves: QGIS asks for the API's default limit, 10, as it loads a layer.
SMALL_PAGE = 10
_RUS_NS = "http://rusplanner.test/agency"
_OPENAPI = "application/vnd.oai.openapi+json;version=3.0"


@dataclass
class AgencyService:
    """A WFS 2.0.0 and OGC API Features server on localhost whose feature requests fail on demand.

    The first part of the path is the mode (AGENCY_MODES): ``/wfs/<mode>`` and
    ``/oapif/<mode>``. Capabilities, DescribeFeatureType, the landing page, conformance and
    the collections always answer well, as a real agency server does while its feature
    requests fail. ``requests`` records every path asked for.
    """

    base: str
    typename: str
    requests: list

    def wfs_uri(self, mode: str, only_the_box: bool = False) -> str:
        """A QGIS WFS data source of the feature type, WFS 2.0.0 (no paging: the server offers none);
        ``only_the_box``: QGIS asks for the features in the box it reads only (restrictToRequestBBOX)."""
        restrict = "restrictToRequestBBOX='1' " if only_the_box else ""
        return (
            f"pagingEnabled='false' {restrict}srsname='EPSG:3006' typename='rus:{self.typename}' "
            f"url='{self.base}wfs/{mode}' version='2.0.0'"
        )

    def oapif_uri(self, mode: str) -> str:
        """A QGIS OAPIF (OGC API Features) data source of the collection."""
        return f"typename='{self.typename}' url='{self.base}oapif/{mode}'"

    def feature_requests(self, kind: str, mode: str) -> list[str]:
        """The feature requests (GetFeature or items) made so far to one kind and mode."""
        marker = "getfeature" if kind == "wfs" else "/items"
        return [r for r in self.requests if r.startswith(f"/{kind}/{mode}") and marker in r.lower()]


@contextmanager
def agency_service(
    features: list, typename: str = "natura2000", honour_bbox: bool = False, slow_seconds: float = 3.0
):
    """The server of AgencyService on a free localhost port, in a thread; always stopped.

    ``features`` are (shapely geometry in EPSG:3006 or None, {field: text}) pairs. WFS STARTINDEX
    pages through them; ``honour_bbox`` makes WFS BBOX (EPSG:3006, urn axis order) and OGC API
    bbox (CRS84) select the features whose bounds meet the box, as an agency's server does.
    """
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), _AgencyHandler)
    server.daemon_threads = True
    server.honour_bbox = honour_bbox
    server.slow_seconds = slow_seconds
    server.typename = typename
    server.features = list(features)
    server.fields = list(features[0][1]) if features else []
    server.requests = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield AgencyService(f"http://127.0.0.1:{server.server_address[1]}/", typename, server.requests)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class _AgencyHandler(BaseHTTPRequestHandler):
    """Answers as AgencyService says."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # the test output stays clean
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        from urllib.parse import parse_qs, urlsplit

        self.server.requests.append(self.path)
        parts = urlsplit(self.path)
        path = [p for p in parts.path.split("/") if p]
        query = {k.upper(): v[-1] for k, v in parse_qs(parts.query).items()}
        if len(path) >= 2 and path[1] in AGENCY_MODES and path[0] == "wfs":
            return self._wfs(path[1], query)
        if len(path) >= 2 and path[1] in AGENCY_MODES and path[0] == "oapif":
            return self._oapif(path[1], path[2:], query)
        return self._send(404, "text/plain", b"not found")

    def _send(self, status: int, content_type: str, body: bytes, cut: bool = False) -> None:
        """Send a body; ``cut`` sends its first two thirds under the full length, then hangs up."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if cut:
            self.send_header("Connection", "close")
            self.close_connection = True
            body = body[: len(body) * 2 // 3]
        self.end_headers()
        try:
            self.wfile.write(body)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a time-out): as a real server
            self.close_connection = True

    def _base(self, kind: str, mode: str) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/{kind}/{mode}"

    def _features(self, mode: str) -> list:
        import shapely

        features = self.server.features
        if mode == "nofeatures":
            return []
        if mode == "emptygeom":  # alternately no geometry and an empty one
            empty = shapely.from_wkt("MULTIPOLYGON EMPTY")
            return [(None if i % 2 else empty, values) for i, (_, values) in enumerate(features)]
        return features

    # ------------------------------------------------------------------ WFS 2.0.0
    def _wfs(self, mode: str, query: dict) -> None:
        request = query.get("REQUEST", "").lower()
        server = self.server
        xml = "text/xml; charset=utf-8"
        gml = "application/gml+xml; version=3.2"
        if request == "getcapabilities":
            body = _wfs_capabilities(self._base("wfs", mode), server.typename, server.features)
            return self._send(200, xml, body.encode())
        if request == "describefeaturetype":
            return self._send(200, xml, _wfs_schema(server.typename, server.fields).encode())
        if request != "getfeature":
            return self._send(400, xml, _ows_exception("OperationNotSupported", request).encode())
        if mode == "exception200":
            return self._send(
                200, xml, _ows_exception("NoApplicableCode", "Service WFS is disabled").encode()
            )
        if mode == "http500":
            report = _ows_exception("NoApplicableCode", "java.lang.OutOfMemoryError: Java heap space")
            return self._send(500, xml, report.encode())
        if mode == "empty":
            return self._send(200, gml, b"")
        if mode == "slow":
            time.sleep(server.slow_seconds)
        features = (
            _in_box(self._features(mode), query.get("BBOX"), "wfs")
            if server.honour_bbox
            else self._features(mode)
        )
        hits = query.get("RESULTTYPE", "").lower() == "hits"
        returned = features[: len(features) // 2] if mode == "short" else features
        start = 0 if mode == "nostart" else int(query.get("STARTINDEX") or 0)
        returned = returned[start:]
        count = query.get("COUNT") or query.get("MAXFEATURES")
        returned = [] if hits else returned[: int(count)] if count else returned
        body = _wfs_feature_collection(server.typename, returned, len(features), hits, start)
        return self._send(200, gml, body.encode(), cut=mode == "truncated" and not hits)

    # ------------------------------------------------------------------ OGC API Features
    def _oapif(self, mode: str, rest: list, query: dict) -> None:
        import json

        base = self._base("oapif", mode)
        typename = self.server.typename

        def send_json(document, status=200, content_type="application/json", cut=False):
            return self._send(status, content_type, json.dumps(document).encode(), cut=cut)

        if not rest:
            return send_json(
                {
                    "title": "RUS Planner test agency",
                    "links": [
                        {"href": f"{base}/", "rel": "self", "type": "application/json"},
                        {"href": f"{base}/api", "rel": "service-desc", "type": _OPENAPI},
                        {"href": f"{base}/conformance", "rel": "conformance", "type": "application/json"},
                        {"href": f"{base}/collections", "rel": "data", "type": "application/json"},
                    ],
                }
            )
        if rest == ["api"]:  # what QGIS reads of the API: the limit's default and maximum
            limit = {
                "name": "limit",
                "in": "query",
                "schema": {"type": "integer", "default": SMALL_PAGE, "maximum": 1000},
            }
            api = {"openapi": "3.0.0", "info": {"title": "test", "version": "1"}, "paths": {}}
            return send_json({**api, "components": {"parameters": {"limit": limit}}}, content_type=_OPENAPI)
        if rest == ["conformance"]:
            conformance = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
            return send_json({"conformsTo": [conformance + "core", conformance + "geojson"]})
        collection = _oapif_collection(base, typename, self.server.features)
        if rest == ["collections"]:
            return send_json({"collections": [collection], "links": []})
        if rest == ["collections", typename]:
            return send_json(collection)
        if rest != ["collections", typename, "items"]:
            return send_json({"code": "NotFound", "description": "no such resource"}, 404)
        if mode == "exception200":
            return send_json(
                {"code": "ServiceUnavailable", "description": "Service OGC API Features is disabled"}
            )
        limit = int(query.get("LIMIT") or 0)
        if mode == "http500" or (mode == "pages500" and limit > SMALL_PAGE):
            error = {
                "code": "InternalServerError",
                "description": "java.lang.OutOfMemoryError: Java heap space",
            }
            return send_json(error, 500)
        if mode == "empty":
            return self._send(200, "application/geo+json", b"")
        if mode == "slow":
            time.sleep(self.server.slow_seconds)
        features = self._features(mode)
        if self.server.honour_bbox:
            features = _in_box(features, query.get("BBOX"), "oapif")
        limit = limit or len(features)
        offset = int(query.get("OFFSET") or 0)
        page = features[offset : offset + limit]
        if mode == "short":  # the first page holds half of the collection, and no next link
            page = features[: len(features) // 2] if offset == 0 else []
        document = _oapif_items(page, offset, len(features))
        if mode == "nostart":  # a next link that leads back to this very page
            document["links"].append(
                {
                    "href": f"{base}/collections/{typename}/items?limit={limit}&offset={offset}",
                    "rel": "next",
                    "type": "application/geo+json",
                }
            )
        elif mode != "short" and offset + len(page) < len(features):
            document["links"].append(
                {
                    "href": f"{base}/collections/{typename}/items?limit={limit}&offset={offset + limit}",
                    "rel": "next",
                    "type": "application/geo+json",
                }
            )
        return send_json(document, content_type="application/geo+json", cut=mode == "truncated")


def _in_box(features, bbox: str | None, kind: str) -> list:
    """The features whose bounds meet a WFS 2.0 BBOX (urn:ogc:def:crs:EPSG::3006: northing first)
    or an OGC API bbox (CRS84 lon/lat), as a server's bounding-box filter selects them."""
    import shapely
    from pyproj import Transformer

    if not bbox:
        return features
    values = [float(v) for v in bbox.split(",")[:4]]
    if kind == "wfs":
        ymin, xmin, ymax, xmax = values
    else:
        to_3006 = Transformer.from_crs("OGC:CRS84", "EPSG:3006", always_xy=True)
        xs, ys = to_3006.transform(
            [values[0], values[0], values[2], values[2]], [values[1], values[3], values[1], values[3]]
        )
        xmin, ymin, xmax, ymax = min(xs), min(ys), max(xs), max(ys)
    box = shapely.box(xmin, ymin, xmax, ymax)
    return [
        (g, v)
        for g, v in features
        if g is not None and not g.is_empty and box.intersects(shapely.envelope(g))
    ]


def _xml(value) -> str:
    from xml.sax.saxutils import escape

    return escape(str(value))


def _wgs84_bounds(features) -> tuple[float, float, float, float]:
    """lon/lat bounds of the features (EPSG:3006), for capabilities and collections."""
    import shapely
    from pyproj import Transformer

    geometries = [g for g, _ in features if g is not None and not g.is_empty]
    xmin, ymin, xmax, ymax = (
        shapely.total_bounds(geometries) if geometries else (500e3, 6.5e6, 501e3, 6.501e6)
    )
    to_wgs84 = Transformer.from_crs("EPSG:3006", "OGC:CRS84", always_xy=True)
    lons, lats = to_wgs84.transform([xmin, xmin, xmax, xmax], [ymin, ymax, ymin, ymax])
    return min(lons), min(lats), max(lons), max(lats)


def _ows_exception(code: str, text: str) -> str:
    """An OWS 1.1 exception report, as WFS 2.0 servers send them."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="2.0.0" '
        'xsi:schemaLocation="http://www.opengis.net/ows/1.1 http://schemas.opengis.net/ows/1.1.0/owsAll.xsd">\n'
        f'  <ows:Exception exceptionCode="{_xml(code)}">\n'
        f"    <ows:ExceptionText>{_xml(text)}</ows:ExceptionText>\n"
        "  </ows:Exception>\n"
        "</ows:ExceptionReport>\n"
    )


def _wfs_capabilities(url: str, typename: str, features) -> str:
    """A WFS 2.0.0 capabilities document of one feature type, shaped like GeoServer's."""
    west, south, east, north = _wgs84_bounds(features)
    get = f'<ows:DCP><ows:HTTP><ows:Get xlink:href="{_xml(url)}?"/></ows:HTTP></ows:DCP>'
    constraints = "".join(
        f'<ows:Constraint name="{name}"><ows:NoValues/><ows:DefaultValue>{value}</ows:DefaultValue></ows:Constraint>'
        for name, value in (
            ("ImplementsBasicWFS", "TRUE"),
            ("ImplementsTransactionalWFS", "FALSE"),
            ("ImplementsLockingWFS", "FALSE"),
            ("KVPEncoding", "TRUE"),
            ("XMLEncoding", "FALSE"),
            ("SOAPEncoding", "FALSE"),
            ("ImplementsInheritance", "FALSE"),
            ("ImplementsRemoteResolve", "FALSE"),
            ("ImplementsResultPaging", "FALSE"),
            ("ImplementsStandardJoins", "FALSE"),
            ("ImplementsSpatialJoins", "FALSE"),
            ("ImplementsTemporalJoins", "FALSE"),
            ("ImplementsFeatureVersioning", "FALSE"),
            ("ManageStoredQueries", "FALSE"),
        )
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<wfs:WFS_Capabilities version="2.0.0" xmlns:wfs="http://www.opengis.net/wfs/2.0"
  xmlns:ows="http://www.opengis.net/ows/1.1" xmlns:gml="http://www.opengis.net/gml/3.2"
  xmlns:fes="http://www.opengis.net/fes/2.0" xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:rus="{_RUS_NS}"
  xsi:schemaLocation="http://www.opengis.net/wfs/2.0 http://schemas.opengis.net/wfs/2.0/wfs.xsd">
  <ows:ServiceIdentification>
    <ows:Title>RUS Planner test agency</ows:Title>
    <ows:ServiceType>WFS</ows:ServiceType>
    <ows:ServiceTypeVersion>2.0.0</ows:ServiceTypeVersion>
    <ows:Fees>NONE</ows:Fees>
    <ows:AccessConstraints>NONE</ows:AccessConstraints>
  </ows:ServiceIdentification>
  <ows:ServiceProvider><ows:ProviderName>RUS Planner tests</ows:ProviderName></ows:ServiceProvider>
  <ows:OperationsMetadata>
    <ows:Operation name="GetCapabilities">{get}
      <ows:Parameter name="AcceptVersions"><ows:AllowedValues><ows:Value>2.0.0</ows:Value></ows:AllowedValues></ows:Parameter>
    </ows:Operation>
    <ows:Operation name="DescribeFeatureType">{get}</ows:Operation>
    <ows:Operation name="GetFeature">{get}
      <ows:Parameter name="resultType"><ows:AllowedValues><ows:Value>results</ows:Value><ows:Value>hits</ows:Value></ows:AllowedValues></ows:Parameter>
      <ows:Parameter name="outputFormat"><ows:AllowedValues><ows:Value>application/gml+xml; version=3.2</ows:Value></ows:AllowedValues></ows:Parameter>
    </ows:Operation>
    {constraints}
  </ows:OperationsMetadata>
  <wfs:FeatureTypeList>
    <wfs:FeatureType>
      <wfs:Name>rus:{_xml(typename)}</wfs:Name>
      <wfs:Title>{_xml(typename)}</wfs:Title>
      <wfs:DefaultCRS>urn:ogc:def:crs:EPSG::3006</wfs:DefaultCRS>
      <ows:WGS84BoundingBox>
        <ows:LowerCorner>{west!r} {south!r}</ows:LowerCorner>
        <ows:UpperCorner>{east!r} {north!r}</ows:UpperCorner>
      </ows:WGS84BoundingBox>
    </wfs:FeatureType>
  </wfs:FeatureTypeList>
  <fes:Filter_Capabilities>
    <fes:Conformance>
      <fes:Constraint name="ImplementsQuery"><ows:NoValues/><ows:DefaultValue>TRUE</ows:DefaultValue></fes:Constraint>
      <fes:Constraint name="ImplementsMinSpatialFilter"><ows:NoValues/><ows:DefaultValue>TRUE</ows:DefaultValue></fes:Constraint>
    </fes:Conformance>
    <fes:Spatial_Capabilities>
      <fes:GeometryOperands><fes:GeometryOperand name="gml:Envelope"/></fes:GeometryOperands>
      <fes:SpatialOperators><fes:SpatialOperator name="BBOX"/></fes:SpatialOperators>
    </fes:Spatial_Capabilities>
  </fes:Filter_Capabilities>
</wfs:WFS_Capabilities>
"""


def _wfs_schema(typename: str, fields: list) -> str:
    """DescribeFeatureType: a GML 3.2 application schema with text fields and a multi-surface."""
    elements = "".join(
        f'<xsd:element name="{_xml(name)}" type="xsd:string" nillable="true" minOccurs="0" maxOccurs="1"/>'
        for name in fields
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:gml="http://www.opengis.net/gml/3.2"
  xmlns:rus="{_RUS_NS}" targetNamespace="{_RUS_NS}" elementFormDefault="qualified" version="1.0">
  <xsd:import namespace="http://www.opengis.net/gml/3.2" schemaLocation="http://schemas.opengis.net/gml/3.2.1/gml.xsd"/>
  <xsd:complexType name="{_xml(typename)}Type">
    <xsd:complexContent>
      <xsd:extension base="gml:AbstractFeatureType">
        <xsd:sequence>
          {elements}
          <xsd:element name="geom" type="gml:MultiSurfacePropertyType" nillable="true" minOccurs="0" maxOccurs="1"/>
        </xsd:sequence>
      </xsd:extension>
    </xsd:complexContent>
  </xsd:complexType>
  <xsd:element name="{_xml(typename)}" type="rus:{_xml(typename)}Type" substitutionGroup="gml:AbstractFeature"/>
</xsd:schema>
"""


def _gml_multisurface(geometry, gml_id: str) -> str:
    """A (multi)polygon as GML 3.2 in urn:ogc:def:crs:EPSG::3006, northing before easting."""
    import shapely

    srs = "urn:ogc:def:crs:EPSG::3006"
    if geometry.is_empty:
        return f'<gml:MultiSurface gml:id="{gml_id}" srsName="{srs}" srsDimension="2"/>'

    def ring(coordinates) -> str:
        return " ".join(f"{y!r} {x!r}" for x, y in coordinates)

    members = []
    for index, polygon in enumerate(shapely.get_parts(geometry)):
        interiors = "".join(
            f"<gml:interior><gml:LinearRing><gml:posList>{ring(r.coords)}</gml:posList></gml:LinearRing></gml:interior>"
            for r in polygon.interiors
        )
        members.append(
            f'<gml:surfaceMember><gml:Polygon gml:id="{gml_id}.{index}"><gml:exterior><gml:LinearRing>'
            f"<gml:posList>{ring(polygon.exterior.coords)}</gml:posList></gml:LinearRing></gml:exterior>"
            f"{interiors}</gml:Polygon></gml:surfaceMember>"
        )
    return f'<gml:MultiSurface gml:id="{gml_id}" srsName="{srs}" srsDimension="2">{"".join(members)}</gml:MultiSurface>'


def _wfs_feature_collection(typename: str, features, matched: int, hits: bool, start: int = 0) -> str:
    """A WFS 2.0 GetFeature answer in GML 3.2 (hits: the count only); ``start``: the page's first index."""
    members = []
    for index, (geometry, values) in enumerate(features, start=start + 1):
        gml_id = f"{typename}.{index}"
        properties = "".join(f"<rus:{name}>{_xml(value)}</rus:{name}>" for name, value in values.items())
        shape = (
            ""
            if geometry is None
            else f"<rus:geom>{_gml_multisurface(geometry, gml_id + '.geom')}</rus:geom>"
        )
        members.append(
            f'<wfs:member><rus:{typename} gml:id="{gml_id}">{properties}{shape}</rus:{typename}></wfs:member>'
        )
    returned = 0 if hits else len(features)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" xmlns:gml="http://www.opengis.net/gml/3.2" '
        f'xmlns:rus="{_RUS_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'numberMatched="{matched}" numberReturned="{returned}" timeStamp="2025-01-01T00:00:00Z">\n'
        + "\n".join(members)
        + "\n</wfs:FeatureCollection>\n"
    )


def _oapif_collection(base: str, typename: str, features) -> dict:
    west, south, east, north = _wgs84_bounds(features)
    return {
        "id": typename,
        "title": typename,
        "extent": {
            "spatial": {
                "bbox": [[west, south, east, north]],
                "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            }
        },
        "itemType": "feature",
        "links": [
            {"href": f"{base}/collections/{typename}", "rel": "self", "type": "application/json"},
            {"href": f"{base}/collections/{typename}/items", "rel": "items", "type": "application/geo+json"},
        ],
    }


def _oapif_items(page, offset: int, matched: int) -> dict:
    """A GeoJSON page of items in CRS84 (lon/lat), with numberMatched and numberReturned."""
    import numpy as np
    import shapely
    import shapely.geometry
    from pyproj import Transformer

    to_wgs84 = Transformer.from_crs("EPSG:3006", "OGC:CRS84", always_xy=True)
    features = []
    for index, (geometry, values) in enumerate(page, start=offset + 1):
        if geometry is None:
            shape = None
        elif geometry.is_empty:
            shape = {"type": "MultiPolygon", "coordinates": []}
        else:
            lonlat = shapely.transform(
                geometry, lambda xy: np.column_stack(to_wgs84.transform(xy[:, 0], xy[:, 1]))
            )
            shape = shapely.geometry.mapping(lonlat)
        features.append({"type": "Feature", "id": index, "geometry": shape, "properties": dict(values)})
    return {
        "type": "FeatureCollection",
        "features": features,
        "numberMatched": matched,
        "numberReturned": len(features),
        "links": [],
    }
