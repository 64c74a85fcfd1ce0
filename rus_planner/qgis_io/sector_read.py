"""Reading the sectors' layers for the overlays: each sector's layers read in the target CRS
with its filter, pooled, and buffered where the profile says so (``core.sectors`` decides
which layer is which sector)."""

from __future__ import annotations

import numpy as np
import shapely

from ..core.errors import Cancelled
from ..core.geometry import LayerData
from ..core.naming import display_name
from ..core.parallel import run_each
from ..core.profile import Profile
from ..core.sectors import PreparedSector, SectorLayerRef, resolve_sectors
from .layers import LayerRead, read_in_bulk


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
    # Every layer's read is set up here (QGIS, this thread); GDAL's bulk reads then run side by
    # side in threads, the others go through QGIS on this thread.
    reads = [
        [
            LayerRead(
                layers[index].feature_source,
                display_name(layers[index].name, layers[index].source_text),
                target_crs,
                transform_context,
                filter_expression=sector.filter,
                layer_source=layers[index].source_text,
                near=near,
                near_distance=float(sector.buffer_m or 0.0),
            )
            for index in indices
        ]
        for sector, indices in resolved
    ]
    bulk = [read for sector_reads in reads for read in sector_reads if read.bulk is not None]
    fetched = dict(zip(map(id, bulk), run_each(read_in_bulk, bulk)))
    prepared: list[PreparedSector] = []
    for (sector, _indices), sector_reads in zip(resolved, reads):
        parts: list[LayerData] = []
        for read in sector_reads:
            if feedback is not None and feedback.isCanceled():
                raise Cancelled()
            future = fetched.get(id(read))
            data = future.result() if future is not None else None
            if data is None:
                data = read.finish(read.fetch_with_qgis(feedback), feedback)
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
