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

import json
import sqlite3
from dataclasses import dataclass
from itertools import chain

from osgeo import gdal, ogr, osr

from ..core.errors import RusPlannerError
from ..i18n import tr

# numpy is imported in the functions that use it: QGIS loads this module's importers when it
# starts the plugin (dependencies.py).

#: Rows between two commits: large transactions, a bounded journal.
COMMIT_ROWS = 1_000_000
#: Values bound to one INSERT (SQLite's limit is 32 766 since 3.32; 999 before).
VARIABLES = 32_766 if sqlite3.sqlite_version_info >= (3, 32, 0) else 999

_OGR_TYPES = {"text": ogr.OFTString, "real": ogr.OFTReal, "integer": ogr.OFTInteger}


@dataclass
class Rows:
    """One tile's rows ready to insert: parameters per statement, R-tree boxes, extent."""

    count: int
    blocks: list
    boxes: object
    extent: tuple


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
        node_size = self.db.execute(
            f"SELECT length(data) FROM {_quoted(self.rtree + '_node')} WHERE nodeno = 1"
        ).fetchone()[0]
        self.index = PackedRtree(node_size, self._insert_rows)
        for suffix in ("_node", "_rowid", "_parent"):  # GDAL's empty root: written anew at the end
            self.db.execute(f"DELETE FROM {_quoted(self.rtree + suffix)}")
        # No fid given: SQLite numbers the rows 1, 2, … in the order they are written.
        columns = ", ".join(_quoted(n) for n in ["geom", *names])
        self._row_marks = "(" + ", ".join("?" * (len(names) + 1)) + ")"
        self._insert = f"INSERT INTO {_quoted(table)} ({columns}) VALUES "
        # Many rows per statement: one step (and one release of the GIL) per block of rows, not per
        # row; a row at a time is slowed down many times over by threads that want the GIL.
        self._rows_per_statement = max(1, VARIABLES // (len(names) + 1))
        self.db.execute("BEGIN")

    def _failed(self, reason: str) -> str:
        return tr("{output} could not be written: {reason}").format(
            output=self.label, reason=reason or tr("the data source gave no reason")
        )

    def prepare(self, x0, y0, x1, y1, columns: list) -> Rows:
        """A tile's cells as statement parameters: box corners and one list (or array) per field.

        Touches no database, so the measuring threads can prepare tiles while this writes."""
        blobs = _box_blobs(x0, y0, x1, y1, self.srs_id)
        values = [blobs] + [c.tolist() if hasattr(c, "tolist") else list(c) for c in columns]
        n, width, step = len(blobs), len(values), self._rows_per_statement
        blocks = []
        for start in range(0, n, step):
            stop = min(start + step, n)
            block = [None] * ((stop - start) * width)
            for index, column in enumerate(values):  # row after row, by list slices (no tuples)
                block[index::width] = column[start:stop]
            blocks.append(block)
        return Rows(n, blocks, rtree_boxes(x0, x1, y0, y1), (x0.min(), y0.min(), x1.max(), y1.max()))

    def write(self, rows: Rows) -> int:
        """Add a prepared tile's cells (their fids follow on from the rows before); returns the rows."""
        import numpy as np

        n = rows.count
        if not n:
            return 0
        width = len(rows.blocks[0]) // min(n, self._rows_per_statement)
        try:
            for block in rows.blocks:
                sql = self._insert + ", ".join([self._row_marks] * (len(block) // width))
                self.db.execute(sql, block)
            self._since_commit += n
            if self._since_commit >= COMMIT_ROWS:
                self.db.execute("COMMIT")
                self.db.execute("BEGIN")
                self._since_commit = 0
            self.index.add_leaves(np.arange(self.count + 1, self.count + n + 1), rows.boxes)
        except sqlite3.Error as error:
            raise GpkgWriteError(self._failed(str(error))) from None
        self.count += n
        e, (x0, y0, x1, y1) = self.extent, rows.extent
        self.extent = [min(e[0], float(x0)), min(e[1], float(y0)), max(e[2], float(x1)), max(e[3], float(y1))]
        return n

    def close(self) -> None:
        """The R-tree (packed, bottom-up), the feature count, the extent, GDAL's triggers again."""
        try:
            last = self.db.execute(f"SELECT max(fid) FROM {_quoted(self.table)}").fetchone()[0] or 0
            if last != self.count:  # the R-tree's ids are the fids 1..n in the order written
                raise GpkgWriteError(self._failed(tr("not every feature arrived")))
            self.index.finish()
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

    def _insert_rows(self, suffix: str, columns) -> None:
        """Rows of an R-tree table (``rtree_<table>_geom<suffix>``), many per statement.

        The _rowid table gets (first rowid, leaf of each rowid): its millions of rows go in as one
        JSON array of integers per tile, unpacked by SQLite, not as one bound value each."""
        if suffix == "_rowid":
            first, leaf = columns
            self.db.execute(
                f"INSERT INTO {_quoted(self.rtree + suffix)} (rowid, nodeno) "
                "SELECT key + ?, value FROM json_each(?)",
                (first, json.dumps(leaf.tolist())),
            )
            return
        n = len(columns[0])
        step = max(1, VARIABLES // len(columns))
        head = f"INSERT INTO {_quoted(self.rtree + suffix)} VALUES "
        marks = "(" + ", ".join("?" * len(columns)) + ")"
        for start in range(0, n, step):
            block = [c[start : start + step] for c in columns]
            block = [b.tolist() if hasattr(b, "tolist") else b for b in block]
            self.db.execute(head + ", ".join([marks] * len(block[0])), list(chain.from_iterable(zip(*block))))

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


class PackedRtree:
    """SQLite's R-tree of the cells, packed bottom-up as the tiles come (sort-tile-recursive).

    The format is SQLite's (ext/rtree/rtree.c): node 1 is the root and holds the tree's depth
    in its first two bytes; every node is ``node_size`` bytes: a 2-byte count, then entries of
    an 8-byte id (rowid in a leaf, child node number above) and four 4-byte floats (minx,
    maxx, miny, maxy), all big-endian; the _rowid and _parent tables say where each row and
    node is. A tile's leaves are written with the tile, so only one box per leaf (1/51 of the
    cells) is kept until the end, when the levels above are built. A row-by-row insert would
    cost ~10 µs per cell.
    """

    def __init__(self, node_size: int, insert):
        self.node_size = node_size
        self.per_node = (node_size - 4) // 24
        self.insert = insert  # insert(table suffix, columns)
        self.next_number = 2  # node 1 is the root, written last
        self.numbers: list = []
        self.boxes: list = []

    def _nodes(self, ids, boxes, depth: int | None, numbers=None):
        """Group entries into nodes and write them; returns (node numbers, node boxes)."""
        import numpy as np

        order = _str_order(boxes, self.per_node)
        ids, boxes = ids[order], boxes[order]
        node_of = np.arange(len(ids)) // self.per_node
        count = int(node_of[-1]) + 1 if len(ids) else 1
        if numbers is None:
            numbers = np.arange(self.next_number, self.next_number + count, dtype=np.int64)
            self.next_number += count
        entry = np.dtype([("id", ">i8"), ("box", ">f4", (4,))])
        pad = self.node_size - 4 - 24 * self.per_node
        node = np.dtype(
            [("depth", ">u2"), ("count", ">u2"), ("entries", entry, (self.per_node,))]
            + ([("pad", f"V{pad}")] if pad else [])
        )
        data = np.zeros(count, dtype=node)
        if depth is not None:
            data["depth"][0] = depth
        slot = np.arange(len(ids)) - node_of * self.per_node
        data["count"] = np.bincount(node_of, minlength=count) if len(ids) else 0
        data["entries"]["id"][node_of, slot] = ids
        data["entries"]["box"][node_of, slot] = boxes
        raw = data.tobytes()
        size = self.node_size
        self.insert("_node", [numbers, [raw[i * size : (i + 1) * size] for i in range(count)]])
        starts = np.arange(0, len(ids), self.per_node)
        if len(ids):
            boxes = np.stack(
                [
                    np.minimum.reduceat(boxes[:, 0], starts),
                    np.maximum.reduceat(boxes[:, 1], starts),
                    np.minimum.reduceat(boxes[:, 2], starts),
                    np.maximum.reduceat(boxes[:, 3], starts),
                ],
                axis=1,
            )
        return numbers, node_of, ids, boxes

    def add_leaves(self, rowids, boxes) -> None:
        """One tile's rows: its leaves written now, their boxes kept for the levels above."""
        import numpy as np

        numbers, node_of, ids, node_boxes = self._nodes(rowids, boxes, None)
        leaf = np.empty(len(ids), dtype=np.int64)
        first = int(rowids[0])
        leaf[ids - first] = numbers[node_of]  # rowids are first, first + 1, …: one leaf each
        self.insert("_rowid", (first, leaf))
        self.numbers.append(numbers)
        self.boxes.append(node_boxes)

    def finish(self) -> None:
        """The levels above the leaves, up to the root (node 1)."""
        import numpy as np

        if not self.numbers:  # no rows: an empty root
            self._nodes(np.empty(0, np.int64), np.empty((0, 4), np.float32), 0, np.array([1]))
            return
        numbers, boxes = np.concatenate(self.numbers), np.concatenate(self.boxes)
        self.numbers, self.boxes = [], []
        depth = 0
        while True:
            depth += 1
            root = len(numbers) <= self.per_node
            parents, node_of, children, boxes = self._nodes(
                numbers, boxes, depth if root else None, np.array([1]) if root else None
            )
            self.insert("_parent", [children, parents[node_of]])
            if root:
                return
            numbers = parents


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
