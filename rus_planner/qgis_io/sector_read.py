"""Reading the sectors' layers for the overlays: each sector's layers read in the target CRS
with its filter, pooled, and buffered where the profile says so (``core.sectors`` decides
which layer is which sector)."""

from __future__ import annotations

import numpy as np
import shapely

from ..core.geometry import LayerData
from ..core.naming import display_name
from ..core.profile import Profile
from ..core.sectors import PreparedSector, SectorLayerRef, resolve_sectors
from .layers import read_layer


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
