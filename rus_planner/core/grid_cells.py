"""SCB's cell ids, the int64 cell keys and the study-area cell mask, apart from the measuring."""

from __future__ import annotations

import math

import numpy as np

DEFAULT_CELL_SIZE = 1000.0
MAX_MASK_CELLS = 60_000_000  # above this the study-area bitmap is not built
KEY_OFFSET = 2**31


# --------------------------------------------------------------------------- ids and keys


def cell_keys(ix, iy):
    """One int64 per cell from its integer column and row (any sign)."""

    return (np.asarray(iy, dtype=np.int64) << 32) | (np.asarray(ix, dtype=np.int64) + KEY_OFFSET)


def key_columns_rows(keys):
    """Inverse of :func:`cell_keys`: (ix, iy)."""

    keys = np.asarray(keys, dtype=np.int64)
    return (keys & 0xFFFFFFFF) - KEY_OFFSET, keys >> 32


def _coordinate_text(value: float) -> str:
    return str(int(round(value))) if float(value).is_integer() else f"{value:.3f}".rstrip("0").rstrip(".")


def scb_ids(ix, iy, cell_size: float) -> tuple[list[str], list[str]]:
    """SCB's ``rutid_scb`` and ``rutid_inspire`` for cells given by column and row.

    ``rutid_scb`` is the easting (6 digits) followed by the northing (7 digits) of the
    lower-left corner: "3940006133000" is the 1 km cell at E 394000, N 6133000, whose
    ``rutid_inspire`` is "SE_CRS3006RES1000mN6133000E394000".
    """

    size_text = _coordinate_text(cell_size)
    east = (np.asarray(ix) * cell_size).tolist()
    north = (np.asarray(iy) * cell_size).tolist()
    if float(cell_size).is_integer():
        east = [int(round(e)) for e in east]
        north = [int(round(n)) for n in north]
        scb = [f"{e:06d}{n:07d}" for e, n in zip(east, north)]
        inspire = [f"SE_CRS3006RES{size_text}mN{n}E{e}" for e, n in zip(east, north)]
    else:
        east = [_coordinate_text(e) for e in east]
        north = [_coordinate_text(n) for n in north]
        scb = [f"{e}_{n}" for e, n in zip(east, north)]
        inspire = [f"SE_CRS3006RES{size_text}mN{n}E{e}" for e, n in zip(east, north)]
    return scb, inspire


def cell_of_point(x: float, y: float, cell_size: float = DEFAULT_CELL_SIZE) -> str:
    """The ``rutid_scb`` of the cell holding a point (its lower-left corner is inside)."""

    ix = np.array([math.floor(x / cell_size)])
    iy = np.array([math.floor(y / cell_size)])
    return scb_ids(ix, iy, cell_size)[0][0]


# --------------------------------------------------------------------------- study-area mask


class CellMask:
    """Which cells belong to the study area, answerable for whole index ranges at once.

    A summed-area table over the study area's cell bitmap tells in O(1) whether a block
    of cells holds any study-area cell, so the recursion drops blocks outside it early.
    """

    def __init__(self, keys):

        self.keys = np.unique(np.asarray(keys, dtype=np.int64))
        ix, iy = key_columns_rows(self.keys)
        self.table = None
        if len(self.keys) == 0:
            self.x0 = self.y0 = 0
            self.x1 = self.y1 = -1
            return
        self.x0, self.x1 = int(ix.min()), int(ix.max())
        self.y0, self.y1 = int(iy.min()), int(iy.max())
        width, height = self.x1 - self.x0 + 1, self.y1 - self.y0 + 1
        if width * height <= MAX_MASK_CELLS:
            bitmap = np.zeros((height + 1, width + 1), dtype=np.int32)
            bitmap[iy - self.y0 + 1, ix - self.x0 + 1] = 1
            self.table = bitmap.cumsum(axis=0).cumsum(axis=1)

    def coarsen(self, factor: int) -> CellMask:
        """The mask on a grid of factor × factor larger cells aligned with this one."""
        ix, iy = key_columns_rows(self.keys)
        return CellMask(cell_keys(ix // factor, iy // factor))

    def any_in(self, ix0, iy0, ix1, iy1):
        """True for each index range that holds at least one study-area cell."""

        x0, x1 = np.maximum(ix0, self.x0), np.minimum(ix1, self.x1)
        y0, y1 = np.maximum(iy0, self.y0), np.minimum(iy1, self.y1)
        inside = (x0 <= x1) & (y0 <= y1)
        if self.table is None or not inside.any():
            return inside
        t = self.table
        a = np.clip(x0 - self.x0, 0, t.shape[1] - 1)
        b = np.clip(x1 - self.x0 + 1, 0, t.shape[1] - 1)
        c = np.clip(y0 - self.y0, 0, t.shape[0] - 1)
        d = np.clip(y1 - self.y0 + 1, 0, t.shape[0] - 1)
        counts = t[d, b] - t[c, b] - t[d, a] + t[c, a]
        return inside & (counts > 0)
