"""The geometry work of the element check: overlap and proximity pairs with their areas, lengths and shares."""

from __future__ import annotations

from .check_model import AgencyLayer
from .geometry import LayerData
from .profile import AgencyRule

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).


def _rules_in_order(layer: AgencyLayer) -> list[AgencyRule]:
    """Overlap rules first, so proximity findings can be suppressed on the same pairs."""
    return sorted(layer.rules, key=lambda r: r.relation != "overlap")


def _measure_layer(element_geometries, layer: AgencyLayer, tolerances=None) -> dict:
    """The geometry work of one readable layer: rule id → block (shapely and numpy only).

    ``tolerances`` (metres per element, or None) are the elements' scale tolerances: an
    overlap rule's pairs closer than that, or overlapping less deeply, are marked "near".
    """

    def measure(rule: AgencyRule, data: LayerData) -> dict:
        if rule.relation == "overlap":
            block = _overlap(element_geometries, data.geometries)
            if tolerances is not None and tolerances.any():
                block = _within_tolerance(element_geometries, data.geometries, block, tolerances)
            return block
        return _proximity(element_geometries, data.geometries, rule.distance_m)

    return layer_blocks(layer, measure)


def layer_blocks(layer: AgencyLayer, measure) -> dict:
    """rule id → block of one readable layer, each rule's pairs from ``measure(rule, data)``.

    Shared by the check here (shapely) and the check in the database (qgis_io.check_postgis),
    so both drop the same proximity pairs and give the pairs in the same order: by element,
    then by the feature's id.
    """
    import numpy as np

    blocks = {}
    overlapping: set[tuple[int, int]] = set()
    # Features are told apart by their fid, unless the layer repeats fids (see _feature_keys).
    by_geometry = any(d.stats.duplicate_ids or d.stats.null_ids for d in layer.data.values())
    for rule in _rules_in_order(layer):
        if rule.withheld or rule.filter not in layer.data:  # withheld, or its filter failed
            continue
        data = layer.data[rule.filter]
        block = _in_order(measure(rule, data), data.fids)
        if rule.relation == "overlap":
            overlapping.update(
                zip(block["element"].tolist(), _feature_keys(data, block["feature"], by_geometry))
            )
        elif overlapping and len(block["element"]):
            keep = np.array(
                [
                    (e, f) not in overlapping
                    for e, f in zip(
                        block["element"].tolist(), _feature_keys(data, block["feature"], by_geometry)
                    )
                ],
                dtype=bool,
            )
            block = {key: value[keep] for key, value in block.items()}
        blocks[id(rule)] = block
    return blocks


def _in_order(block: dict, fids) -> dict:
    """The block's pairs by element, then by feature id (then by read order): a spatial index
    returns them in its own order, which another way of finding them cannot repeat."""
    import numpy as np

    if len(block["element"]) < 2:
        return block
    features = block["feature"]
    order = np.lexsort((features, np.asarray(fids)[features], block["element"]))
    return {key: value[order] for key, value in block.items()}


def _feature_keys(data: LayerData, features, by_geometry: bool) -> list:
    """What identifies each feature across the reads of one layer (one per rule filter): its fid,
    or, where the layer's fids repeat or are missing, its fid and its geometry, so that an
    overlap with one feature never hides the proximity of another feature of the same id."""
    import shapely

    fids = data.fids[features].tolist()
    if not by_geometry:
        return fids
    return list(zip(fids, shapely.to_wkb(data.geometries[features]).tolist()))


def _overlap(element_geometries, feature_geometries) -> dict:
    """Element × feature pairs that share interior (or a point on/in), with their measures."""
    import numpy as np
    import shapely

    from .parallel import in_chunks

    if not len(element_geometries) or not len(feature_geometries):
        return _empty_block()
    tree = shapely.STRtree(feature_geometries)
    element_index, feature_index = tree.query(element_geometries, predicate="intersects")
    elements = element_geometries[element_index]
    features = feature_geometries[feature_index]
    element_dim = shapely.get_dimensions(elements)
    feature_dim = shapely.get_dimensions(features)
    low = np.minimum(element_dim, feature_dim)
    # Touching only (common boundary, no common interior) is no overlap, unless a point is
    # involved. Two areas touch exactly when their common part has no area, which the overlay
    # below shows anyway; the other pairs are asked here.
    ask = low == 1
    keep = np.ones(len(elements), dtype=bool)
    if ask.any():
        keep[ask] = ~shapely.touches(elements[ask], features[ask])
    element_index, feature_index = element_index[keep], feature_index[keep]
    elements, features = elements[keep], features[keep]
    element_dim, feature_dim, low = element_dim[keep], feature_dim[keep], low[keep]

    # A feature strictly inside an area is its own common part: skip the overlay for it
    # (common for small protected areas in large RUS areas; the prepared test is cheap).
    pieces = np.empty(len(elements), dtype=object)
    inside = np.zeros(len(elements), dtype=bool)
    areal = element_dim == 2
    if areal.any():
        shapely.prepare(element_geometries)
        inside[areal] = shapely.contains_properly(elements[areal], features[areal])
    pieces[inside] = features[inside]
    overlaid = in_chunks(shapely.intersection, elements[~inside], features[~inside])
    pieces[~inside] = _of_dimension(overlaid, low[~inside])
    # Areas whose common part is only an edge or a corner touch: no overlap (see above).
    shared = (low < 2) | ((shapely.get_dimensions(pieces) == 2) & ~shapely.is_empty(pieces))
    if not shared.all():
        element_index, feature_index = element_index[shared], feature_index[shared]
        elements, features, pieces = elements[shared], features[shared], pieces[shared]
        element_dim, feature_dim, low = element_dim[shared], feature_dim[shared], low[shared]
    area = shapely.area(pieces)
    length = shapely.length(pieces)
    # The finding shows the affected part of the element; where the common part has a lower
    # dimension than the element (a road inside an area), the element itself stands for it.
    shown = np.where(shapely.get_dimensions(pieces) == element_dim, pieces, elements)
    return {
        "element": element_index,
        "feature": feature_index,
        "geometry": shown,
        "distance": np.zeros(len(pieces)),
        "area": np.where(low == 2, area, np.nan),
        "length": np.where(low == 1, length, np.nan),
        "element_share": _share(elements, element_dim, low, area, length),
        "feature_share": _share(features, feature_dim, low, area, length),
    }


def _within_tolerance(element_geometries, feature_geometries, block: dict, tolerances) -> dict:
    """Mark an overlap block's pairs "near" where a schematic element's overlap is shallower than
    its tolerance, and add the pairs it misses by less than that (touching included).

    An overlap is "inside" only when part of the element lies deeper in the feature than the
    tolerance (or, for a line or point feature, deeper in the element): a position uncertain
    by the tolerance cannot put it outside.
    """
    import numpy as np
    import shapely

    near = np.zeros(len(block["element"]), dtype=bool)
    schematic = tolerances[block["element"]] > 0
    for index in np.flatnonzero(schematic).tolist():
        element = element_geometries[block["element"][index]]
        feature = feature_geometries[block["feature"][index]]
        tolerance = float(tolerances[block["element"][index]])
        if shapely.get_dimensions(feature) == 2:
            deep = shapely.intersects(element, shapely.buffer(feature, -tolerance))
        elif shapely.get_dimensions(element) == 2:
            deep = shapely.intersects(shapely.buffer(element, -tolerance), feature)
        else:
            deep = True
        near[index] = not deep
    block = {**block, "near": near}

    candidates = np.flatnonzero(tolerances > 0)
    if not len(candidates) or not len(feature_geometries):
        return block
    tree = shapely.STRtree(feature_geometries)
    pair_index, feature_index = tree.query(
        element_geometries[candidates], predicate="dwithin", distance=tolerances[candidates]
    )
    element_index = candidates[pair_index]
    already = set(zip(block["element"].tolist(), block["feature"].tolist()))
    fresh = np.array(
        [(e, f) not in already for e, f in zip(element_index.tolist(), feature_index.tolist())], dtype=bool
    )
    element_index, feature_index = element_index[fresh], feature_index[fresh]
    if not len(element_index):
        return block
    distances = shapely.distance(element_geometries[element_index], feature_geometries[feature_index])
    nothing = np.full(len(element_index), np.nan)
    added = {
        "element": element_index,
        "feature": feature_index,
        "geometry": element_geometries[element_index],
        "distance": distances,
        "area": nothing,
        "length": nothing,
        "element_share": nothing,
        "feature_share": nothing,
        "near": np.ones(len(element_index), dtype=bool),
    }
    return {key: np.concatenate([block[key], added[key]]) for key in block}


def _share(geometries, dims, low, area, length):
    """Share of each geometry covered by the common part, in the geometry's own measure."""
    import shapely

    return shares(shapely.area(geometries), shapely.length(geometries), dims, low, area, length)


def shares(own_area, own_length, dims, low, area, length):
    """Share of each geometry (its own area and length given) covered by the common part."""
    import numpy as np

    share = np.ones(len(dims))
    with np.errstate(divide="ignore", invalid="ignore"):
        polygons = dims == 2
        share[polygons] = np.where(low[polygons] == 2, area[polygons] / own_area[polygons], 0.0)
        lines = dims == 1
        share[lines] = np.where(low[lines] == 1, length[lines] / own_length[lines], 0.0)
    return np.clip(np.nan_to_num(share, nan=0.0), 0.0, 1.0)


def _of_dimension(pieces, dims):
    """Drop lower-dimensional debris (a shared edge beside a shared area) from intersections."""
    import numpy as np
    import shapely

    collections = np.flatnonzero(shapely.get_type_id(pieces) == 7)
    if not len(collections):
        return pieces
    pieces = pieces.copy()
    for index in collections.tolist():
        parts = [p for p in shapely.get_parts(pieces[index]) if shapely.get_dimensions(p) == dims[index]]
        if not parts:
            continue
        if dims[index] == 2:
            pieces[index] = shapely.union_all(parts) if len(parts) > 1 else parts[0]
        elif dims[index] == 1:
            pieces[index] = (
                shapely.line_merge(shapely.multilinestrings(parts)) if len(parts) > 1 else parts[0]
            )
        else:
            pieces[index] = shapely.multipoints(parts) if len(parts) > 1 else parts[0]
    return pieces


def _proximity(element_geometries, feature_geometries, distance: float) -> dict:
    """Element × feature pairs no farther apart than the distance, with that distance."""
    import shapely

    if not len(element_geometries) or not len(feature_geometries):
        return _empty_block()
    tree = shapely.STRtree(feature_geometries)
    element_index, feature_index = tree.query(element_geometries, predicate="dwithin", distance=distance)
    distances = shapely.distance(element_geometries[element_index], feature_geometries[feature_index])
    return proximity_block(element_geometries, element_index, feature_index, distances, distance)


def _empty_block() -> dict:
    import numpy as np

    empty_int = np.empty(0, dtype=np.intp)
    empty = np.empty(0)
    return {
        "element": empty_int,
        "feature": empty_int,
        "geometry": np.empty(0, dtype=object),
        "distance": empty,
        "area": empty,
        "length": empty,
        "element_share": empty,
        "feature_share": empty,
    }


def overlap_block(
    element_geometries, element_index, feature_index, feature_dims, feature_sizes, pieces, area, length
):
    """An overlap block from pairs measured elsewhere (in the database), as ``_overlap`` makes it.

    ``feature_sizes`` are each feature's own area (areas) or length (lines); ``pieces`` the common
    part where it has the element's dimension, else None (the element then stands for it).
    """
    import numpy as np
    import shapely

    element_index = np.asarray(element_index, dtype=np.intp)
    if not len(element_index):
        return _empty_block()
    elements = element_geometries[element_index]
    element_dim = shapely.get_dimensions(elements)
    feature_dim = np.asarray(feature_dims, dtype=np.intp)
    low = np.minimum(element_dim, feature_dim)
    area = np.asarray(area, dtype=float)
    length = np.asarray(length, dtype=float)
    sizes = np.asarray(feature_sizes, dtype=float)
    pieces = np.asarray(pieces, dtype=object)
    stand_in = np.array([piece is None for piece in pieces.tolist()], dtype=bool)
    shown = pieces.copy()
    shown[stand_in] = elements[stand_in]
    return {
        "element": element_index,
        "feature": np.asarray(feature_index, dtype=np.intp),
        "geometry": shown,
        "distance": np.zeros(len(element_index)),
        "area": np.where(low == 2, area, np.nan),
        "length": np.where(low == 1, length, np.nan),
        "element_share": shares(
            shapely.area(elements), shapely.length(elements), element_dim, low, area, length
        ),
        "feature_share": shares(sizes, sizes, feature_dim, low, area, length),
    }


def proximity_block(element_geometries, element_index, feature_index, distances, distance: float) -> dict:
    """A proximity block from pairs found elsewhere (in the database), as ``_proximity`` makes it."""
    import numpy as np

    element_index = np.asarray(element_index, dtype=np.intp)
    feature_index = np.asarray(feature_index, dtype=np.intp)
    distances = np.asarray(distances, dtype=float)
    keep = distances <= distance
    element_index, feature_index, distances = element_index[keep], feature_index[keep], distances[keep]
    nothing = np.full(len(element_index), np.nan)
    return {
        "element": element_index,
        "feature": feature_index,
        "geometry": element_geometries[element_index],
        "distance": distances,
        "area": nothing,
        "length": nothing,
        "element_share": nothing,
        "feature_share": nothing,
    }
