"""Reading the element layers of a check: the user's own plan, whole or not at all, with what each element says of itself."""

from __future__ import annotations

from ..core.check_model import ELEMENT_NAME_FIELDS, ElementSet, LayerRef, text_or_none
from ..core.errors import LayerError
from ..core.finding_nature import (
    CATEGORY_FIELDS,
    SCALE_FIELDS,
    STATUS_FIELDS,
    THEME_FIELDS,
    element_status,
    scale_denominator,
    tolerance_m,
)
from ..core.geometry import describe_stats
from ..core.profile import Profile
from ..core.redact import safe_source
from ..i18n import tr
from .layers import read_layer

# numpy is imported in the function that uses it: QGIS loads this module when it starts the
# plugin, and the plugin must start, and name what is missing, without it (dependencies.py).


def prepare_elements(
    refs: list[LayerRef],
    profile: Profile | None,
    target_crs,
    transform_context=None,
    *,
    language: str = "sv",
    feedback=None,
) -> tuple[ElementSet, list[str]]:
    """Read the element layers; an element layer that cannot be read stops the run.

    The elements are the user's own plan: checking a part of it silently would be worse
    than a clear error, so failures here raise LayerError.
    """
    import numpy as np

    messages: list[str] = []
    geometries, layer_names, fids, names, types = [], [], [], [], []
    described: dict[str, list] = {key: [] for key in _DESCRIBING_FIELDS}
    type_ids, type_tolerances = [], []
    seen: dict[str, int] = {}
    for ref in refs:
        # Element ids are "layer:fid": two layers of one name (files in different folders) get
        # "name (2)" so that every id stays unique.
        seen[ref.name] = seen.get(ref.name, 0) + 1
        label = ref.name if seen[ref.name] == 1 else f"{ref.name} ({seen[ref.name]})"
        if ref.feature_source is None:
            raise LayerError(
                tr("The element layer “{layer}” could not be read: {reason}").format(
                    layer=ref.name, reason=safe_source(ref.error) or tr("it could not be loaded")
                )
            )
        describing = _describing_fields(ref.feature_source)
        data = read_layer(
            ref.feature_source,
            ref.name,
            target_crs,
            transform_context,
            attributes=(*ELEMENT_NAME_FIELDS, *describing.values()),
            feedback=feedback,
            layer_source=ref.source_text,
        )
        messages += describe_stats(data.stats, ref.name)
        count = len(data.geometries)
        element_type = (
            profile.element_type_for_layer(ref.name, data.kind, ref.source_text) if profile else None
        )
        type_label = element_type.name(language) if element_type else kind_label(data.kind)
        name_field = next((f for f in ELEMENT_NAME_FIELDS if f in data.attributes), None)
        geometries.append(data.geometries)
        layer_names += [label] * count
        fids += data.fids.tolist()
        names += [text_or_none(v) for v in data.attributes[name_field]] if name_field else [None] * count
        types += [type_label] * count
        type_ids += [element_type.id if element_type else None] * count
        type_tolerances += [element_type.tolerance_m if element_type else 0.0] * count
        for key in _DESCRIBING_FIELDS:
            field_name = describing.get(key)
            column = data.attributes.get(field_name) if field_name else None
            described[key] += [text_or_none(v) for v in column] if column is not None else [None] * count
    stacked = np.concatenate(geometries) if geometries else np.empty(0, dtype=object)
    scales = [scale_denominator(value) for value in described["scale"]]
    tolerances = np.array([tolerance_m(s, t) for s, t in zip(scales, type_tolerances)], dtype=float)
    return (
        ElementSet(
            stacked,
            layer_names,
            fids,
            names,
            types,
            type_ids=type_ids,
            statuses=[element_status(value) for value in described["status"]],
            themes=described["theme"],
            categories=described["category"],
            scales=scales,
            tolerances=tolerances if tolerances.any() else None,
        ),
        messages,
    )


# What an element's own fields may say about it (finding_nature.py), by the names regions use.
_DESCRIBING_FIELDS = {
    "status": STATUS_FIELDS,
    "theme": THEME_FIELDS,
    "category": CATEGORY_FIELDS,
    "scale": SCALE_FIELDS,
}


def _describing_fields(source) -> dict[str, str]:
    """The element layer's own names of its status, theme, category and scale fields (any case)."""
    try:
        names = [field.name() for field in source.fields()]
    except AttributeError:
        return {}
    folded = {name.casefold(): name for name in names}
    found = {}
    for key, candidates in _DESCRIBING_FIELDS.items():
        match = next((folded[c.casefold()] for c in candidates if c.casefold() in folded), None)
        if match:
            found[key] = match
    return found


def kind_label(kind: str) -> str:
    return {"point": tr("node"), "line": tr("corridor"), "polygon": tr("area")}.get(kind, kind)
