"""Per-zone figures for the sector overlay atlas: how much of a municipality the sectors cover.

Pure shapely/numpy: the atlas algorithm reads the overlay and the zones through
``layers.read_layer`` and prints these figures on each zone's page, so a reader sees the
numbers behind the colours (areas in km², shares of the zone's area).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely


@dataclass(frozen=True)
class ZoneFigures:
    """The overlay inside one zone."""

    area_m2: float
    # share of the zone's area covered by at least k sectors, k = 1..max
    at_least: tuple[float, ...]
    # share of the zone's area per sector id
    per_sector: dict
    max_count: int


def zone_figures(zones, pieces, counts, flags: dict) -> list[ZoneFigures]:
    """For each zone polygon: the shares covered by ≥ k sectors and by each sector.

    ``pieces`` are the overlay polygons (none overlapping), ``counts`` their sector
    counts, ``flags`` sector id → 0/1 array over the pieces.
    """

    counts = np.asarray(counts, dtype=np.int64)
    top = int(counts.max()) if len(counts) else 0
    tree = shapely.STRtree(pieces)
    zone_index, piece_index = tree.query(zones, predicate="intersects") if len(pieces) else ([], [])
    zone_index = np.asarray(zone_index, dtype=np.intp)
    piece_index = np.asarray(piece_index, dtype=np.intp)
    common = (
        shapely.area(shapely.intersection(zones[zone_index], pieces[piece_index]))
        if len(zone_index)
        else np.empty(0)
    )
    result = []
    for z, zone in enumerate(zones):
        area = float(shapely.area(zone))
        mine = zone_index == z
        shares = common[mine] / area if area > 0 else np.zeros(int(mine.sum()))
        piece_counts = counts[piece_index[mine]]
        at_least = tuple(float(shares[piece_counts >= k].sum()) for k in range(1, top + 1))
        per_sector = {
            sector: float(shares[np.asarray(values)[piece_index[mine]] == 1].sum())
            for sector, values in flags.items()
        }
        result.append(ZoneFigures(area, at_least, per_sector, top))
    return result
