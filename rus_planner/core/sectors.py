"""Sector preparation shared by the exact and the grid overlay (and the panel).

Which input layer is which sector (by the profile, else one sector per layer), read in
the target CRS with the sector's filter, buffered where the profile says so. Several
layers of one sector are pooled; overlaps inside a sector are left for the caller to
dissolve, because the exact overlay and the grid need that in different ways.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..i18n import tr
from .layers import LayerData, ReadStats, read_layer
from .naming import display_name
from .profile import Profile, Sector
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


def prepare_sectors(
    layers: list[SectorLayerRef],
    profile: Profile | None,
    target_crs,
    transform_context=None,
    feedback=None,
    *,
    near=None,
) -> tuple[list[PreparedSector], list[str]]:
    """Read, filter and buffer every sector; returns the sectors and log lines for the user.

    near: optional study-area geometries (target CRS); features that cannot reach them,
    even with the sector's buffer, are not read at all (read_layer's ``near``).
    """
    import numpy as np
    import shapely

    resolved, messages = resolve_sectors(layers, profile)
    prepared: list[PreparedSector] = []
    for sector, indices in resolved:
        parts: list[LayerData] = []
        for index in indices:
            ref = layers[index]
            data = read_layer(
                ref.feature_source,
                display_name(ref.name, ref.source_text),
                target_crs,
                transform_context,
                filter_expression=sector.filter,
                feedback=feedback,
                layer_source=ref.source_text,
                near=near,
                near_distance=float(sector.buffer_m or 0.0),
            )
            parts.append(data)
        kinds = {p.kind for p in parts if len(p.geometries)}
        kind = kinds.pop() if len(kinds) == 1 else ("mixed" if kinds else parts[0].kind)
        geometries = np.concatenate([p.geometries for p in parts]) if parts else np.empty(0, dtype=object)
        refs = [f"{p.name}:{fid}" for p in parts for fid in p.fids.tolist()]
        if sector.buffer_m and len(geometries):
            # The buffer turns points and lines into areas; polygons keep their own extent.
            linear = shapely.get_dimensions(geometries) < 2
            geometries = geometries.copy()
            geometries[linear] = shapely.buffer(geometries[linear], sector.buffer_m, quad_segs=16)
        prepared.append(
            PreparedSector(
                id=sector.id,
                name=sector.name_sv,
                weight=sector.weight,
                kind=kind,
                buffer_m=sector.buffer_m,
                geometries=geometries,
                feature_refs=refs,
                layer_names=[p.name for p in parts],
                stats=[(p.name, p.stats) for p in parts],
            )
        )
    return prepared, messages
