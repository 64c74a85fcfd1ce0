"""Demo projects for the project-file tests: made in a temp folder from the demo data.

The project is scripts/demo.py's own (its build_project: groups, styles, relative paths and
the plugin's state), without the results the demo computes first, so it takes seconds.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO_DATA = REPO / "resources" / "demo" / "orebro_lan.gpkg"

_BUILD = """
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import demo
demo.build_project(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), {}, "2026-01-01T00:00:00+00:00")
"""


def build_demo_project(folder: Path) -> Path:
    """folder/rus_demo.qgz with the demo data copied to folder/data/orebro_lan.gpkg."""
    data = folder / "data" / "orebro_lan.gpkg"
    data.parent.mkdir(parents=True)
    shutil.copy(DEMO_DATA, data)
    done = subprocess.run(
        [sys.executable, "-c", _BUILD, str(REPO / "scripts"), str(folder), str(data), str(folder / "r.gpkg")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    project = folder / "rus_demo.qgz"
    assert done.returncode == 0 and project.is_file(), done.stdout[-2000:] + done.stderr[-2000:]
    return project


def layer(data: Path, name: str) -> str:
    return f"{data}|layername={name}"


def digest(path: Path) -> str:
    """SHA-256 of a file, or of every file under a folder (name and content)."""
    sha = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        sha.update(str(file.relative_to(path) if path.is_dir() else file.name).encode())
        sha.update(file.read_bytes())
    return sha.hexdigest()


def findings_rows(path: Path) -> list[tuple]:
    """Every finding of a findings GeoPackage (all geometry kinds), as sorted comparable rows:
    the attributes except the fid, then the geometry as WKT with 3 decimals."""
    from osgeo import ogr

    dataset = ogr.Open(str(path))
    assert dataset is not None, path
    table = dataset.GetLayer(0)
    definition = table.GetLayerDefn()
    names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    rows = []
    for feature in table:
        geometry = feature.GetGeometryRef()
        wkt = ""
        if geometry is not None:
            from qgis.core import QgsGeometry

            wkt = QgsGeometry.fromWkt(geometry.ExportToWkt()).asWkt(3)
        rows.append((*(feature.GetField(name) for name in names), wkt))
    return sorted(rows, key=repr)


def findings_dicts(path: Path) -> list[dict]:
    """The findings of a GeoPackage as dicts with a QgsGeometry under "geometry"."""
    from osgeo import ogr
    from qgis.core import QgsGeometry

    dataset = ogr.Open(str(path))
    table = dataset.GetLayer(0)
    definition = table.GetLayerDefn()
    names = [definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())]
    found = []
    for feature in table:
        record = {name: feature.GetField(name) for name in names}
        geometry = feature.GetGeometryRef()
        record["geometry"] = QgsGeometry.fromWkt(geometry.ExportToWkt()) if geometry else QgsGeometry()
        found.append(record)
    return found
