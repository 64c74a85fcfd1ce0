"""Territorial summary: per zone (kommun, län, labour-market region, DeSO...), how much of it
each sector covers, the score it carries and how many findings of each class fall in it.

These are the tables regions need for their "regional pictures" and for reporting back
(villkorsbeslut). Zones are measured against the overlay's planar partition, so sector
areas here add up exactly to the overlay's; a finding is counted in every zone its
geometry meets (a corridor crossing two municipalities concerns both).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

from .errors import Cancelled
from .vocabulary import SEVERITIES

OVERLAY_RESERVED = {"fid", "sector_count", "score", "sectors"}


def overlay_sector_ids(field_names: list[str]) -> list[str]:
    """The sector flag fields of a sector-overlay output: each has a companion "<id>_src"."""
    names = set(field_names)
    return [name for name in field_names if f"{name}_src" in names and name not in OVERLAY_RESERVED]


# A shapefile keeps 10 characters of a field name: "sector_count" is read back as "sector_cou".
SHAPEFILE_NAME_LENGTH = 10
COUNT_FIELDS = ("sector_count", "sector_count"[:SHAPEFILE_NAME_LENGTH])


def overlay_count_field(field_names: list[str]) -> str | None:
    """The overlay's sector_count field, under its full or its shapefile name."""
    return next((name for name in COUNT_FIELDS if name in field_names), None)


def overlay_flag_fields(field_names: list[str], numeric_names=None) -> list[str]:
    """The sector 0/1 fields of a sector overlay, also where a shapefile shortened their names.

    Each has a companion "<id>_src", unless the names were shortened (then "transport_src"
    is "transport_"): the overlay writes the 0/1 fields first, before sector_count, so the
    numeric fields there (``numeric_names``, when given) are its sectors whatever their
    names became.
    """
    names = list(field_names)
    flags = set(overlay_sector_ids(names))
    count = overlay_count_field(names)
    if count is not None:
        flags.update(
            n
            for n in names[: names.index(count)]
            if n not in OVERLAY_RESERVED
            and not (n.endswith("_src") and n[: -len("_src")] in flags)
            and (numeric_names is None or n in numeric_names)
        )
    return [name for name in names if name in flags]


@dataclass
class SectorNames:
    """Which sector each 0/1 field of an overlay stands for (see name_sectors)."""

    ids: dict[str, str]  # field → sector id
    shortened: dict[str, str]  # field → sector id, for fields matched by their shortened name
    unknown: list[str]  # fields no sector id matches: summarised under the field's own name
    missing: list[str]  # sector ids the overlay names that no field holds


def shortened_forms(sector_id: str) -> tuple[str, ...]:
    """The names a shapefile may give a field named after the sector id (GDAL's laundering):
    its first 10 characters, or, where those were taken, 8 characters and "_1" … "_9"."""
    limit = SHAPEFILE_NAME_LENGTH
    if len(sector_id) <= limit:
        return (sector_id,)
    return (sector_id[:limit], *(f"{sector_id[: limit - 2]}_{n}" for n in range(1, 10)))


def name_sectors(flags: list[str], field_names: list[str], named_ids) -> SectorNames:
    """Match the overlay's 0/1 fields to the sector ids it names in its "sectors" field.

    A field with its full id's name (or a "<field>_src" companion) is that sector. Otherwise
    the field is the sector whose shortened name it is, when exactly one sector id has that
    shortened form; anything left over on either side is listed, never dropped silently.
    """
    names = set(field_names)
    named = list(dict.fromkeys(named_ids))
    result = SectorNames(ids={}, shortened={}, unknown=[], missing=[])
    for field_name in flags:
        if field_name in named or f"{field_name}_src" in names:
            result.ids[field_name] = field_name
    taken = set(result.ids.values())
    for field_name in flags:
        if field_name in result.ids:
            continue
        candidates = [i for i in named if i not in taken and field_name in shortened_forms(i)]
        if len(candidates) == 1:
            result.ids[field_name] = result.shortened[field_name] = candidates[0]
            taken.add(candidates[0])
        else:
            result.ids[field_name] = field_name
            result.unknown.append(field_name)
    result.missing = [i for i in named if i not in taken and i not in result.ids]
    return result


def named_sector_ids(texts) -> list[str]:
    """The sector ids an overlay's "sectors" texts name ("kultur, transport"), in order met."""
    ids: dict[str, None] = {}
    for text in texts:
        for part in (text or "").split(","):
            if part.strip():
                ids.setdefault(part.strip(), None)
    return list(ids)


@dataclass
class ZoneSummary:
    """Per-zone measures, each an array in zone order."""

    zone_area_m2: object
    sector_area_m2: dict[str, object] = field(default_factory=dict)
    sector_share: dict[str, object] = field(default_factory=dict)
    covered_share: object = None
    score_mean: object = None
    score_max: object = None
    sector_count_max: object = None
    findings: dict[str, object] = field(default_factory=dict)  # severity → counts

    @property
    def findings_total(self):

        total = np.zeros(len(self.zone_area_m2), dtype=np.int64)
        for counts in self.findings.values():
            total = total + counts
        return total


def summarise_zones(
    zones,
    overlay=None,
    flags: dict[str, object] | None = None,
    scores=None,
    counts=None,
    finding_geometries=None,
    finding_severities=None,
    feedback=None,
) -> ZoneSummary:
    """Measure every zone against the overlay pieces and the findings (shapely arrays, metres).

    `flags` maps sector id → 0/1 per overlay piece; `scores` and `counts` are per piece.
    Area outside every overlay piece counts as no sector and score 0.
    """

    zones = np.asarray(zones, dtype=object)
    zone_area = shapely.area(zones)
    result = ZoneSummary(zone_area_m2=zone_area)
    n = len(zones)
    safe_area = np.where(zone_area > 0, zone_area, 1.0)

    if overlay is not None and len(overlay):
        overlay = np.asarray(overlay, dtype=object)
        tree = shapely.STRtree(overlay)
        zone_index, piece_index = tree.query(zones, predicate="intersects")
        pieces_area = np.zeros(len(zone_index))
        chunk = 20000
        for start in range(0, len(zone_index), chunk):
            if feedback is not None and feedback.isCanceled():
                raise Cancelled()
            stop = start + chunk
            common = shapely.intersection(zones[zone_index[start:stop]], overlay[piece_index[start:stop]])
            pieces_area[start:stop] = shapely.area(common)
        for sector_id, values in (flags or {}).items():
            present = np.asarray(values)[piece_index] > 0
            area = np.zeros(n)
            np.add.at(area, zone_index[present], pieces_area[present])
            result.sector_area_m2[sector_id] = area
            result.sector_share[sector_id] = area / safe_area
        if counts is not None:
            piece_counts = np.asarray(counts, dtype=float)[piece_index]
            covered = np.zeros(n)
            np.add.at(covered, zone_index[piece_counts > 0], pieces_area[piece_counts > 0])
            result.covered_share = covered / safe_area
            count_max = np.zeros(n)
            touching = pieces_area > 0
            np.maximum.at(count_max, zone_index[touching], piece_counts[touching])
            result.sector_count_max = count_max
        if scores is not None:
            piece_scores = np.asarray(scores, dtype=float)[piece_index]
            weighted = np.zeros(n)
            np.add.at(weighted, zone_index, pieces_area * piece_scores)
            result.score_mean = weighted / safe_area
            score_max = np.zeros(n)
            touching = pieces_area > 0
            np.maximum.at(score_max, zone_index[touching], piece_scores[touching])
            result.score_max = score_max

    if finding_geometries is not None:
        finding_geometries = np.asarray(finding_geometries, dtype=object)
        severities = np.asarray(finding_severities, dtype=object)
        if len(finding_geometries):
            tree = shapely.STRtree(finding_geometries)
            zone_index, finding_index = tree.query(zones, predicate="intersects")
        else:
            zone_index = finding_index = np.zeros(0, dtype=np.int64)
        for severity in SEVERITIES:
            mask = severities[finding_index] == severity if len(finding_index) else np.zeros(0, bool)
            tally = np.zeros(n, dtype=np.int64)
            np.add.at(tally, zone_index[mask], 1)
            result.findings[severity] = tally
    return result
