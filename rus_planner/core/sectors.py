"""Sector preparation shared by the exact and the grid overlay (and the panel).

Which input layer is which sector (by the profile, else one sector per layer), read in
the target CRS with the sector's filter (qgis_io.sector_read), buffered where the profile says so. Several
layers of one sector are pooled; overlaps inside a sector are left for the caller to
dissolve, because the exact overlay and the grid need that in different ways.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .geometry import ReadStats
from .naming import display_name
from .profile import Profile, Sector
from .texts import tr
from .vocabulary import slug, unique

RESERVED_FIELDS = {"fid", "sector_count", "score", "sectors", "cell_id", "cell_area"}


@dataclass(frozen=True)
class SectorLayerRef:
    """One input layer as the core sees it: a name, a source text and a QGIS feature source."""

    name: str
    source_text: str
    feature_source: object  # QgsFeatureSource / QgsVectorLayer


@dataclass
class PreparedSector:
    """A sector ready for overlay: its geometries in the target CRS and where each came from."""

    id: str
    name: str
    weight: float
    kind: str  # the input geometry kind: point / line / polygon (mixed layers → "mixed")
    buffer_m: float | None
    geometries: object  # numpy array of shapely geometries (polygons when buffered)
    feature_refs: list[str]  # "layer name:fid" per geometry, for traceability
    layer_names: list[str] = field(default_factory=list)
    stats: list[tuple[str, ReadStats]] = field(default_factory=list)

    @property
    def is_areal(self) -> bool:
        """True when the sector contributes area (polygons, or points/lines with a buffer)."""
        return self.kind == "polygon" or bool(self.buffer_m)


def field_safe_id(text: str, taken: set[str] | None = None) -> str:
    """A sector id usable as a field name: ASCII, lower case, [a-z0-9_], unique, not reserved."""
    base = slug(text, fallback="sector", length=40, digit_prefix="s_")
    return unique(base, taken if taken is not None else set(), RESERVED_FIELDS)


def resolve_sectors(
    layers: list[SectorLayerRef], profile: Profile | None
) -> tuple[list[tuple[Sector, list[int]]], list[str]]:
    """Assign each layer to a sector; returns (sector, layer indices) pairs and warnings.

    With a profile, a layer is matched by name pattern or source; an unmatched layer
    becomes a sector of its own (weight 1) with a warning, so nothing silently drops out.
    """
    assigned: dict[str, tuple[Sector, list[int]]] = {}
    warnings: list[str] = []
    taken: set[str] = set()
    if profile is not None:
        taken.update(s.id for s in profile.sectors)
    for index, layer in enumerate(layers):
        sector = profile.sector_for_layer(layer.name, layer.source_text) if profile else None
        if sector is None:
            name = display_name(layer.name, layer.source_text)
            sector_id = field_safe_id(name, taken)
            taken.add(sector_id)
            sector = Sector(id=sector_id, name_sv=name, name_en=name, weight=1.0)
            if profile is not None:
                warnings.append(
                    tr(
                        "The layer “{layer}” matches no sector in the profile; it is used as a sector "
                        "of its own (“{id}”, weight 1)."
                    ).format(layer=name, id=sector_id)
                )
        elif sector.id != field_safe_id(sector.id):
            safe = field_safe_id(sector.id, taken)
            taken.add(safe)
            sector = Sector(**{**sector.__dict__, "id": safe})
        assigned.setdefault(sector.id, (sector, []))[1].append(index)
    return list(assigned.values()), warnings
