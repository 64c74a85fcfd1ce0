"""Grid cells written straight into a new GeoPackage, a tile at a time, in large transactions.

Millions of cells through a QGIS feature sink cost a QgsFeature and a QVariant per value,
and the sink's memory grew with the country. Here GDAL's own bindings (Debian's, the GDAL
QGIS runs on) make the file and its table, so the GeoPackage is exactly what GDAL writes;
the rows then go in through SQLite (the same libsqlite3 GDAL uses) with each cell's
geometry blob built by numpy for a whole tile at once; GDAL builds the R-tree when all
rows are in. The file is a new one in the output's staging folder (processing/outputs.py):
nothing is written where the user's file is until the run is complete.
"""

from __future__ import annotations

import sqlite3

from osgeo import gdal, ogr, osr

from ..core.errors import RusPlannerError
from ..i18n import tr

# numpy is imported in the functions that use it: QGIS loads this module's importers when it
# starts the plugin (dependencies.py).

#: Rows between two commits: large transactions, a bounded journal.
COMMIT_ROWS = 1_000_000

_OGR_TYPES = {"text": ogr.OFTString, "real": ogr.OFTReal, "integer": ogr.OFTInteger}


class GpkgWriteError(RusPlannerError):
    """The GeoPackage of cells could not be written."""


def _box_blobs(x0, y0, x1, y1, srs_id: int) -> list[bytes]:
    """GeoPackage geometry blobs (header, envelope, little-endian WKB) of axis-parallel boxes,
    with the ring as shapely.box makes it (counter-clockwise from the lower-right corner)."""
    import numpy as np

    n = len(x0)
    dtype = np.dtype(
        [
            ("magic", "S2"),
            ("version", "u1"),
            ("flags", "u1"),
            ("srs", "<i4"),
            ("envelope", "<f8", (4,)),
            ("order", "u1"),
            ("type", "<u4"),
            ("rings", "<u4"),
            ("points", "<u4"),
            ("xy", "<f8", (10,)),
        ]
    )
    blobs = np.zeros(n, dtype=dtype)
    blobs["magic"] = b"GP"
    blobs["flags"] = 0b011  # little-endian, envelope [minx, maxx, miny, maxy]
    blobs["srs"] = srs_id
    blobs["envelope"] = np.c_[x0, x1, y0, y1]
    blobs["order"] = 1
    blobs["type"] = 3
    blobs["rings"] = 1
    blobs["points"] = 5
    blobs["xy"] = np.c_[x1, y0, x1, y1, x0, y1, x0, y0, x1, y0]
    size = dtype.itemsize
    data = blobs.tobytes()
    return [data[i : i + size] for i in range(0, len(data), size)]


class GpkgCellWriter:
    """A new GeoPackage with one polygon table of cells; ``write`` adds a tile's rows."""

    def __init__(self, path: str, table: str, fields: list[tuple[str, str, int]], crs_wkt: str, label: str):
        """fields: (name, "text" | "real" | "integer", width) in column order; label names the output."""
        self.path, self.table, self.label = str(path), table, label
        self.count = 0
        self._since_commit = 0
        self.extent = [float("inf"), float("inf"), float("-inf"), float("-inf")]
        gdal.PushErrorHandler("CPLQuietErrorHandler")
        gdal.ErrorReset()
        try:
            driver = ogr.GetDriverByName("GPKG")
            dataset = driver.CreateDataSource(self.path) if driver is not None else None
            if dataset is None:
                raise GpkgWriteError(self._failed(gdal.GetLastErrorMsg()))
            srs = osr.SpatialReference()
            srs.ImportFromWkt(crs_wkt)
            srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
            layer = dataset.CreateLayer(
                table, srs, ogr.wkbPolygon, ["SPATIAL_INDEX=NO", "FID=fid", "GEOMETRY_NAME=geom"]
            )
            if layer is None:
                raise GpkgWriteError(self._failed(gdal.GetLastErrorMsg()))
            for name, kind, width in fields:
                definition = ogr.FieldDefn(name, _OGR_TYPES[kind])
                if width:
                    definition.SetWidth(width)
                if layer.CreateField(definition) != 0:
                    raise GpkgWriteError(self._failed(gdal.GetLastErrorMsg()))
            names = [layer.GetLayerDefn().GetFieldDefn(i).GetName() for i in range(len(fields))]
            quoted = table.replace("'", "''")
            dataset.ReleaseResultSet(dataset.ExecuteSQL(f"SELECT CreateSpatialIndex('{quoted}', 'geom')"))
            if gdal.GetLastErrorType() >= gdal.CE_Failure:
                raise GpkgWriteError(self._failed(gdal.GetLastErrorMsg()))
            dataset = None  # closed: the table, its empty R-tree and triggers are on disk
        finally:
            gdal.PopErrorHandler()
        self.db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        # A new file in a staging folder: a crash leaves a file that is removed, never a half output.
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("PRAGMA journal_mode = MEMORY")
        row = self.db.execute(
            "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
        ).fetchone()
        self.srs_id = int(row[0]) if row else 0
        self.rtree = f"rtree_{table}_geom"
        # GDAL's triggers keep the R-tree and the feature count up to date row by row (through
        # GDAL's own SQL functions, which this connection does not have); they are set aside
        # while the rows go in, and both are written whole at the end, then the triggers restored.
        self._triggers = self.db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
        ).fetchall()
        for name, _ in self._triggers:
            self.db.execute(f"DROP TRIGGER {_quoted(name)}")
        self._node_size = self.db.execute(
            f"SELECT length(data) FROM {_quoted(self.rtree + '_node')} WHERE nodeno = 1"
        ).fetchone()[0]
        self._bounds: list = []  # per tile: (first fid, float32 [minx, maxx, miny, maxy] rounded outwards)
        columns = ", ".join(_quoted(n) for n in ["fid", "geom", *names])
        marks = ", ".join("?" * (len(names) + 2))
        self._insert = f"INSERT INTO {_quoted(table)} ({columns}) VALUES ({marks})"
        self.db.execute("BEGIN")

    def _failed(self, reason: str) -> str:
        return tr("{output} could not be written: {reason}").format(
            output=self.label, reason=reason or tr("the data source gave no reason")
        )

    def write(self, x0, y0, x1, y1, columns: list) -> int:
        """Add one tile's cells: box corners and one list (or array) per field; returns the rows."""
        n = len(x0)
        if not n:
            return 0
        blobs = _box_blobs(x0, y0, x1, y1, self.srs_id)
        values = [c.tolist() if hasattr(c, "tolist") else list(c) for c in columns]
        fids = range(self.count + 1, self.count + n + 1)
        try:
            self.db.executemany(self._insert, zip(fids, blobs, *values))
            self._since_commit += n
            if self._since_commit >= COMMIT_ROWS:
                self.db.execute("COMMIT")
                self.db.execute("BEGIN")
                self._since_commit = 0
        except sqlite3.Error as error:
            raise GpkgWriteError(self._failed(str(error))) from None
        self._bounds.append(rtree_boxes(x0, x1, y0, y1))
        self.count += n
        e = self.extent
        self.extent = [
            min(e[0], float(x0.min())),
            min(e[1], float(y0.min())),
            max(e[2], float(x1.max())),
            max(e[3], float(y1.max())),
        ]
        return n

    def close(self) -> None:
        """The R-tree (packed, bottom-up), the feature count, the extent, GDAL's triggers again."""
        try:
            boxes = _concatenate(self._bounds)
            self._bounds = []
            nodes, rowids, parents = packed_rtree(boxes, self._node_size)
            name = self.rtree
            for suffix in ("_node", "_rowid", "_parent"):
                self.db.execute(f"DELETE FROM {_quoted(name + suffix)}")
            self.db.executemany(f"INSERT INTO {_quoted(name + '_node')} VALUES (?, ?)", nodes)
            self.db.executemany(f"INSERT INTO {_quoted(name + '_rowid')} VALUES (?, ?)", rowids)
            self.db.executemany(f"INSERT INTO {_quoted(name + '_parent')} VALUES (?, ?)", parents)
            self.db.execute(
                "UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                (self.count, self.table),
            )
            if self.count:
                self.db.execute(
                    "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ? WHERE table_name = ?",
                    (*self.extent, self.table),
                )
            for _, sql in self._triggers:
                self.db.execute(sql)
            self.db.execute("COMMIT")
        except sqlite3.Error as error:
            raise GpkgWriteError(self._failed(str(error))) from None
        finally:
            self.db.close()

    def abort(self) -> None:
        """Stop without completing (cancel, failure): the staged file is removed by the guard."""
        try:
            self.db.close()
        except sqlite3.Error:
            pass


def rtree_boxes(x0, x1, y0, y1):
    """Boxes as SQLite's R-tree stores them: float32, minima rounded down and maxima up."""
    import numpy as np

    out = []
    for values, direction in ((x0, -np.inf), (x1, np.inf), (y0, -np.inf), (y1, np.inf)):
        values = np.asarray(values, dtype=np.float64)
        single = values.astype(np.float32)
        off = (single > values) if direction < 0 else (single < values)
        single[off] = np.nextafter(single[off], np.float32(direction))
        out.append(single)
    return np.stack(out, axis=1)


def _concatenate(boxes):
    import numpy as np

    return np.concatenate(boxes) if boxes else np.empty((0, 4), dtype=np.float32)


def packed_rtree(boxes, node_size: int):
    """SQLite R-tree pages of boxes whose rowids are 1..n, packed bottom-up (sort-tile-recursive).

    The format is SQLite's (ext/rtree/rtree.c): node 1 is the root and holds the tree's depth
    in its first two bytes; every node is ``node_size`` bytes: a 2-byte count, then entries of
    an 8-byte id (rowid in a leaf, child node number above) and four 4-byte floats
    (minx, maxx, miny, maxy), all big-endian. Returns the rows of the _node, _rowid and _parent
    tables. Built at once instead of a row-by-row insert, which costs ~10 µs per cell.
    """
    import numpy as np

    per_node = (node_size - 4) // 24
    entry = np.dtype([("id", ">i8"), ("box", ">f4", (4,))])
    node_dtype = np.dtype(
        [("depth", ">u2"), ("count", ">u2"), ("entries", entry, (per_node,))]
        + ([("pad", f"V{node_size - 4 - 24 * per_node}")] if node_size - 4 - 24 * per_node else [])
    )
    ids = np.arange(1, len(boxes) + 1, dtype=np.int64)
    levels = []  # per level: (ids of entries, boxes, node of each entry), leaves first
    while True:
        order = _str_order(boxes, per_node)
        ids, boxes = ids[order], boxes[order]
        node_of = np.arange(len(ids)) // per_node
        levels.append((ids, boxes, node_of))
        count = int(node_of[-1]) + 1 if len(ids) else 1
        if count == 1:
            break
        starts = np.arange(0, len(ids), per_node)
        boxes = np.stack(
            [
                np.minimum.reduceat(boxes[:, 0], starts),
                np.maximum.reduceat(boxes[:, 1], starts),
                np.minimum.reduceat(boxes[:, 2], starts),
                np.maximum.reduceat(boxes[:, 3], starts),
            ],
            axis=1,
        )
        ids = np.arange(count, dtype=np.int64)  # placeholders: node numbers are given below
    # Node numbers: the root is 1, the others from 2 up, level by level from the top.
    numbers = []
    next_number = 2
    for depth, (_, _, node_of) in enumerate(reversed(levels)):
        count = int(node_of[-1]) + 1 if len(node_of) else 1
        if depth == 0:
            numbers.append(np.array([1], dtype=np.int64))
        else:
            numbers.append(np.arange(next_number, next_number + count, dtype=np.int64))
            next_number += count
    numbers.reverse()  # numbers[level] = node number of each node of that level
    nodes, rowids, parents = [], [], []
    for level, (entry_ids, entry_boxes, node_of) in enumerate(levels):
        count = len(numbers[level])
        data = np.zeros(count, dtype=node_dtype)
        if level == len(levels) - 1:
            data["depth"][0] = level
        if level == 0:
            rowids = list(zip(entry_ids.tolist(), numbers[0][node_of].tolist()))
        else:
            entry_ids = numbers[level - 1][entry_ids]  # the children's node numbers
            parents += list(zip(entry_ids.tolist(), numbers[level][node_of].tolist()))
        slot = np.arange(len(entry_ids)) - node_of * per_node
        data["count"] = np.bincount(node_of, minlength=count) if len(node_of) else 0
        data["entries"]["id"][node_of, slot] = entry_ids
        data["entries"]["box"][node_of, slot] = entry_boxes
        raw = data.tobytes()
        nodes += [
            (number, raw[i * node_size : (i + 1) * node_size])
            for i, number in enumerate(numbers[level].tolist())
        ]
    return nodes, rowids, parents


def _str_order(boxes, per_node: int):
    """Sort-tile-recursive order: vertical slices by x centre, each sorted by y centre."""
    import numpy as np

    n = len(boxes)
    if n <= per_node:
        return np.arange(n)
    leaves = -(-n // per_node)
    slices = int(np.ceil(np.sqrt(leaves)))
    cx = boxes[:, 0].astype(np.float64) + boxes[:, 1]
    cy = boxes[:, 2].astype(np.float64) + boxes[:, 3]
    by_x = np.argsort(cx, kind="stable")
    slice_of = np.empty(n, dtype=np.int64)
    slice_of[by_x] = np.arange(n) // (slices * per_node)
    return np.lexsort((cy, slice_of))


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'
