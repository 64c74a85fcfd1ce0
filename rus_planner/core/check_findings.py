"""Findings of the element check put together as rows, layer by layer, and ordered into the result and summary."""

from __future__ import annotations

from itertools import repeat

from .check_measure import _rules_in_order
from .check_model import (
    COMMON_ID_FIELDS,
    COMMON_NAME_FIELDS,
    FINDING_FIELDS,
    SEVERITY_ORDER,
    CheckResult,
    ElementSet,
    text_or_none,
)
from .finding_nature import NATURES, NEAR_RELATION, NEAR_SEVERITY, advice_for, nature_of, near_note
from .geometry import LayerData
from .profile import AgencyRule
from .texts import tr

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).


class _Findings:
    """Collects findings as rows, block by block (one block per rule and layer)."""

    _NAMES = tuple(name for name, _ in FINDING_FIELDS)

    def __init__(self, elements: ElementSet):
        self._elements = elements
        self._ids = elements.ids
        self.rows: list[list] = []
        self.geometry_blocks: list = []  # numpy object arrays, one per block
        self.element_index: list[int] = []
        self.severity: list[str] = []
        self.unchecked: dict[str, None] = {}  # "layer: reason" of each class D block, in order

    def not_checked_text(self) -> str:
        return "; ".join(self.unchecked)

    def add(self, element_index: list[int], geometries, **columns) -> None:
        """Add a block of findings. Lists are per finding, the rest constant."""

        import numpy as np

        count = len(element_index)
        if not count:
            return
        elements = self._elements
        columns.update(
            element_id=[self._ids[i] for i in element_index],
            element_layer=[elements.layer_names[i] for i in element_index],
            element_fid=[elements.fids[i] for i in element_index],
            element_name=[elements.names[i] for i in element_index],
            element_type=[elements.types[i] for i in element_index],
            element_status=[elements.statuses[i] for i in element_index],
        )
        sources = [
            columns.get(name) if isinstance(columns.get(name), list) else repeat(columns.get(name))
            for name in self._NAMES
        ]
        rows = list(map(list, zip(*sources)))
        # Kept as numpy arrays: making one from a list inspects every geometry (slow).
        geometries = geometries if isinstance(geometries, np.ndarray) else _object_array(geometries)
        self.rows += rows
        self.geometry_blocks.append(geometries)
        self.element_index += element_index
        severity = columns["severity"]
        self.severity += severity if isinstance(severity, list) else [severity] * count


def _layer_findings(elements, layer, blocks, found, warnings, all_elements, language, mode="rus"):
    """Put one layer's findings together, rule by rule."""
    common = {
        "agency_layer": layer.name,
        "data_source": layer.source_text,
        "data_date": layer.date,
    }
    if layer.error:
        warnings.append(
            tr(
                "The agency layer “{layer}” could not be checked: {reason} Every element gets a "
                "class D finding for it; this is not “no conflict”."
            ).format(layer=layer.name, reason=_sentence(layer.error))
        )
    for rule in _rules_in_order(layer):
        rule_columns = {
            **common,
            "rule_id": rule.id,
            "rule_name": rule.name(language),
            "relation": rule.relation,
            "agency": rule.agency,
            "legal_basis": rule.legal_basis,
            "advice": rule.advice(language),
        }
        reason = layer.error or layer.filter_errors.get(rule.filter)
        if reason or rule.withheld:
            note = (
                tr("Not checked: {reason}").format(reason=reason)
                if reason
                else tr("Not checked: the data is withheld (classified or not published).")
            )
            if rule.withheld and not reason:
                warnings.append(
                    tr("The rule “{rule}” is declared withheld: class D for every element.").format(
                        rule=rule.name(language)
                    )
                )
            elif not layer.error:
                warnings.append(
                    tr(
                        "The rule “{rule}” for the agency layer “{layer}” could not be checked: {reason} "
                        "Every element gets a class D finding for it; this is not “no conflict”."
                    ).format(rule=rule.name(language), layer=layer.name, reason=_sentence(reason))
                )
            if all_elements:
                found.unchecked[f"{layer.name}: {reason or tr('the data is withheld')}"] = None
            found.add(all_elements, elements.geometries, **rule_columns, severity="D", note=note)
            continue
        data = layer.data[rule.filter]
        block = blocks[id(rule)]
        features = block["feature"]
        element_index = block["element"].tolist()
        agency_ids = _feature_ids(data, rule, features)
        meaning = _meaning(elements, rule, element_index, block.get("near"), mode, language)
        if layer.caveat:
            meaning["note"] = [f"{note} {layer.caveat}" if note else layer.caveat for note in meaning["note"]]
        found.add(
            element_index,
            block["geometry"],
            **{**rule_columns, "agency": _feature_agencies(data, rule, features), **meaning},
            feature_fid=data.fids[features].tolist(),
            feature_name=_feature_names(data, rule, features),
            agency_id=agency_ids,
            feature_ref=_feature_refs(data, features, agency_ids),
            distance_m=_floats(block["distance"]),
            overlap_m2=_floats(block["area"]),
            overlap_length_m=_floats(block["length"]),
            element_share=_floats(block["element_share"]),
            feature_share=_floats(block["feature_share"]),
        )


def _meaning(
    elements: ElementSet, rule: AgencyRule, element_index: list, near, mode: str, language: str
) -> dict:
    """Per finding of a rule: its class, relation, nature, advice and note.

    A "near" pair (a schematic element within its scale tolerance) is class C whatever the
    rule's class; the nature follows the element (finding_nature.nature_of), the advice the nature.
    """
    natures = [
        nature_of(
            rule, elements.type_ids[i], elements.themes[i], elements.categories[i], elements.statuses[i]
        )
        for i in element_index
    ]
    advice_by_nature = {nature: advice_for(rule, nature, mode, language) for nature in set(natures)}
    near = [False] * len(element_index) if near is None else near.tolist()
    return {
        "severity": [NEAR_SEVERITY if n else rule.severity for n in near],
        "relation": [NEAR_RELATION if n else rule.relation for n in near],
        "nature": natures,
        "advice": [advice_by_nature[nature] for nature in natures],
        "note": [
            near_note(float(elements.tolerances[i]), elements.scales[i], language) if n else None
            for i, n in zip(element_index, near)
        ],
    }


def _sentence(text: str) -> str:
    """A reason as a sentence in a longer message: ending with a full stop."""
    text = (text or "").rstrip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."


def _floats(values) -> list:
    """Python floats with None for NaN (NULL in the output, 'not applicable')."""
    import numpy as np

    array = np.asarray(values, dtype=float)
    out = array.tolist()
    for index in np.flatnonzero(np.isnan(array)).tolist():
        out[index] = None
    return out


def _column(data: LayerData, name: str | None):
    """A read attribute column by its name in any case, or None."""
    if not name:
        return None
    if name in data.attributes:
        return data.attributes[name]
    folded = name.casefold()
    return next((column for key, column in data.attributes.items() if key.casefold() == folded), None)


def _feature_names(data: LayerData, rule: AgencyRule, features) -> list[str | None]:
    """Names of the matched features: the rule's name field, else a common one."""
    indices = features.tolist()
    column = next(
        (c for c in (_column(data, n) for n in (rule.name_field, *COMMON_NAME_FIELDS)) if c is not None), None
    )
    if column is None:
        return [None] * len(indices)
    return [text_or_none(column[i]) for i in indices]


def _feature_ids(data: LayerData, rule: AgencyRule, features) -> list[str | None]:
    """The agency's own identifiers of the matched features: the rule's id field, else a
    common one (NVRID, SITECODE...); None where the layer has none."""
    indices = features.tolist()
    column = next(
        (c for c in (_column(data, n) for n in (rule.id_field, *COMMON_ID_FIELDS)) if c is not None), None
    )
    if column is None:
        return [None] * len(indices)
    return [text_or_none(column[i]) for i in indices]


def _feature_refs(data: LayerData, features, agency_ids: list) -> list[str | None]:
    """For the matched features without an agency id: a hash of the feature's geometry, rounded to
    a decimetre and normalised, so that the same feature in a new download (new feature ids) has
    the same reference. None where the agency gives an id, or the geometry was not read here."""
    import hashlib

    import shapely

    refs: list[str | None] = [None] * len(agency_ids)
    missing = [i for i, agency_id in enumerate(agency_ids) if not agency_id]
    if not missing:
        return refs
    geometries = data.geometries[features[missing]]
    present = [j for j, geometry in enumerate(geometries) if geometry is not None]
    if not present:
        return refs
    rounded = shapely.normalize(shapely.set_precision(geometries[present], 0.1))
    for j, wkb in zip(present, shapely.to_wkb(rounded, output_dimension=2)):
        refs[missing[j]] = "g" + hashlib.sha1(wkb).hexdigest()[:16]
    return refs


def _feature_agencies(data: LayerData, rule: AgencyRule, features) -> str | list[str]:
    """The deciding authority each feature names in the rule's agency field (NVR's BESLMYND),
    or the profile's agency where the feature names none."""
    column = _column(data, rule.agency_field)
    if column is None:
        return rule.agency
    return [(text_or_none(column[i]) or "").strip() or rule.agency for i in features.tolist()]


def _result(elements: ElementSet, found: _Findings, warnings: list[str]) -> CheckResult:
    """Order the findings (element, then severity) and build the per-element summary."""
    import numpy as np

    element_index = np.asarray(found.element_index, dtype=np.intp)
    severity = np.asarray(found.severity, dtype=object)
    severity_rank = np.zeros(len(severity), dtype=np.intp)
    for rank, name in enumerate(SEVERITY_ORDER):
        severity_rank[severity == name] = rank
    order = np.lexsort((severity_rank, element_index)) if len(element_index) else np.empty(0, dtype=np.intp)
    rows = _take(found.rows, order)
    blocks = found.geometry_blocks
    geometries = np.concatenate(blocks)[order] if blocks else np.empty(0, dtype=object)

    count = len(elements)
    counts = {
        name: np.bincount(element_index[severity_rank == rank], minlength=count)
        for rank, name in enumerate(SEVERITY_ORDER)
    }
    agency_column = [name for name, _ in FINDING_FIELDS].index("agency")
    agencies: list[set[str]] = [set() for _ in range(count)]
    for index, agency in set(zip(found.element_index, (row[agency_column] for row in found.rows))):
        if agency:
            agencies[index].add(agency)
    worst = [next((s for s in SEVERITY_ORDER if counts[s][i]), None) for i in range(count)]
    nature_column = [name for name, _ in FINDING_FIELDS].index("nature")
    nature = np.asarray([row[nature_column] for row in found.rows], dtype=object)
    nature_counts = {name: np.bincount(element_index[nature == name], minlength=count) for name in NATURES}
    summary = {
        "element_id": elements.ids,
        "element_layer": list(elements.layer_names),
        "element_fid": list(elements.fids),
        "element_name": list(elements.names),
        "element_type": list(elements.types),
        "element_status": list(elements.statuses),
        "worst_class": worst,
        "count_a": counts["A"].tolist(),
        "count_b": counts["B"].tolist(),
        "count_c": counts["C"].tolist(),
        "count_d": counts["D"].tolist(),
        "count_conflict": nature_counts["conflict"].tolist(),
        "count_agreement": nature_counts["agreement"].tolist(),
        "count_information": nature_counts["information"].tolist(),
        "findings": sum(counts[s] for s in SEVERITY_ORDER).tolist() if count else [],
        "agencies": ["; ".join(sorted(a)) for a in agencies],
        # Class D covers every element, so every element lacks the same layers.
        "not_checked": [found.not_checked_text() or None] * count,
    }
    return CheckResult(rows, geometries, summary, elements.geometries, warnings)


def _object_array(values):
    """A numpy object array of the values, each kept as it is (never unpacked as a sequence)."""
    import numpy as np

    array = np.empty(len(values), dtype=object)
    for index, value in enumerate(values):
        array[index] = value
    return array


def _take(values, indices) -> list:
    """values[i] for each index, as a list."""
    return [values[i] for i in indices.tolist()]
