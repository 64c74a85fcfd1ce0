"""The element check's inputs and result, its table fields and its generic rule, shared with the QGIS side."""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import LayerError
from .profile import AgencyRule, Profile
from .redact import safe_source
from .texts import speaking, tr

# Fields tried, in order, for the name of an agency feature when the rule names none.
COMMON_NAME_FIELDS = ("NAMN", "namn", "OMRADESNAMN", "name", "Name")
# Fields tried, in order, for the agency's own identifier of a feature when the rule names none
# (Naturvårdsregistret, Natura 2000, riksintressen: domain.md "Agency ids to carry").
COMMON_ID_FIELDS = ("NVRID", "SITECODE", "OMRADESKOD", "ri_id")
# Fields tried for an element's name.
ELEMENT_NAME_FIELDS = ("namn", "NAMN", "name", "Name", "benamning", "BENAMNING")

GENERIC_RULE_ID = "generic_overlap"
GENERIC_SEVERITY = "B"
SEVERITY_ORDER = ("A", "B", "C", "D")

# (field name, type) of the findings and summary tables; types: str, int, float.
FINDING_FIELDS = (
    ("element_id", "str"),
    ("element_layer", "str"),
    ("element_fid", "int"),
    ("element_name", "str"),
    ("element_type", "str"),
    ("element_status", "str"),  # existing / planned / under_study, from the element's own status field
    ("agency_layer", "str"),
    ("feature_fid", "int"),
    ("feature_name", "str"),
    ("agency_id", "str"),  # the agency's own identifier of the feature (NVRID, SITECODE, ri_id)
    # where the agency gives no id: the feature's geometry as a short hash, the same after a
    # download that renumbers the features (reviews and drafts match on it)
    ("feature_ref", "str"),
    ("rule_id", "str"),
    ("rule_name", "str"),
    ("relation", "str"),
    ("severity", "str"),
    ("nature", "str"),  # conflict / agreement / information (finding_nature.py); none for class D
    ("distance_m", "float"),
    ("overlap_m2", "float"),
    ("overlap_length_m", "float"),
    ("element_share", "float"),
    ("feature_share", "float"),
    ("agency", "str"),
    ("legal_basis", "str"),
    ("advice", "str"),
    ("data_source", "str"),
    ("data_date", "str"),
    ("note", "str"),
)
SUMMARY_FIELDS = (
    ("element_id", "str"),
    ("element_layer", "str"),
    ("element_fid", "int"),
    ("element_name", "str"),
    ("element_type", "str"),
    ("element_status", "str"),
    ("worst_class", "str"),
    ("count_a", "int"),
    ("count_b", "int"),
    ("count_c", "int"),
    ("count_d", "int"),
    ("count_conflict", "int"),
    ("count_agreement", "int"),
    ("count_information", "int"),
    ("findings", "int"),
    ("agencies", "str"),
    ("not_checked", "str"),  # the agency layers (or rules) that could not be checked, and why
)


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class LayerRef:
    """One input layer as the core sees it.

    ``feature_source`` is None when the layer could not even be opened; ``error`` then
    says why. ``aliases`` are further names the rules may match (the sub-layer or table
    name of a multi-layer source).
    """

    name: str
    source_text: str
    feature_source: object = None  # QgsFeatureSource / QgsVectorLayer
    error: str | None = None
    date: str | None = None
    aliases: tuple[str, ...] = ()
    # What every finding from the layer must say about its data (a copy kept from an earlier fetch).
    caveat: str | None = None


@dataclass
class ElementSet:
    """Every element of every element layer, in the target CRS, one row per geometry."""

    geometries: object  # numpy array of shapely geometries
    layer_names: list[str]
    fids: list[int]
    names: list[str | None]
    types: list[str]
    # Per element (None where the layer says nothing): the profile's element type id, the
    # element's status, theme and category, its drawing scale's denominator and the scale
    # tolerance in metres (finding_nature.py).
    type_ids: list | None = None
    statuses: list | None = None
    themes: list | None = None
    categories: list | None = None
    scales: list | None = None
    tolerances: object = None  # numpy float array, or None for no tolerance at all

    def __post_init__(self):
        count = len(self.geometries)
        for name in ("type_ids", "statuses", "themes", "categories", "scales"):
            if getattr(self, name) is None:
                setattr(self, name, [None] * count)

    @property
    def ids(self) -> list[str]:
        """ "layer:fid" per element; where a layer's key repeats a fid (a view keyed on a column
        with repeated values), the second and later elements with it get " (2)", " (3)"...,
        so that a finding is never credited to another element of the same id."""
        ids = [f"{layer}:{fid}" for layer, fid in zip(self.layer_names, self.fids)]
        if len(set(ids)) == len(ids):
            return ids
        seen: dict[str, int] = {}
        unique = []
        for element_id in ids:
            seen[element_id] = seen.get(element_id, 0) + 1
            unique.append(element_id if seen[element_id] == 1 else f"{element_id} ({seen[element_id]})")
        return unique

    def __len__(self) -> int:
        return len(self.geometries)


@dataclass
class AgencyLayer:
    """An agency layer with its rules, read once per distinct rule filter, or its failure."""

    name: str
    source_text: str
    date: str | None
    rules: tuple[AgencyRule, ...]
    data: dict = field(default_factory=dict)  # rule filter (or None) → LayerData
    error: str | None = None
    generic: bool = False
    # rule filter → (LayerRef, LayerRead) of a file GDAL will read during the check (defer_bulk)
    pending: dict = field(default_factory=dict)
    # rule filter → why the rules with it could not be checked (the layer itself could)
    filter_errors: dict = field(default_factory=dict)
    # what the layer is read from, for the checks once it is read (completeness)
    feature_source: object = None
    # what every finding from it must say about its data (LayerRef.caveat)
    caveat: str | None = None
    # rule id → block, when the layer was measured elsewhere (in the database: qgis_io.check_postgis)
    measured: dict | None = None


@dataclass
class CheckResult:
    """Findings (rows + geometries, by element, then severity), per-element summary, and
    messages for the log."""

    rows: list  # one list per finding, in FINDING_FIELDS order
    finding_geometries: object  # numpy array
    summary: dict  # field name → list
    summary_geometries: object
    warnings: list[str] = field(default_factory=list)
    agency_layer_count: int = 0
    # (layer name, True when none of its rules could be checked) for each layer not (fully) checked
    not_checked: list = field(default_factory=list)

    @property
    def finding_count(self) -> int:
        return len(self.finding_geometries)

    def not_checked_line(self) -> str:
        """The run's closing line: how many agency layers could not be checked, and which."""
        if not self.not_checked:
            return tr("Agency layers not checked: none of {total}.").format(total=self.agency_layer_count)
        names = ", ".join(
            name if whole else tr("{layer} (in part)").format(layer=name) for name, whole in self.not_checked
        )
        return tr("Agency layers not checked: {n} of {total} – {layers}; their findings are class D.").format(
            n=len(self.not_checked), total=self.agency_layer_count, layers=names
        )

    @property
    def findings(self) -> dict:
        """The findings column-wise: field name → list."""
        columns = list(zip(*self.rows)) if self.rows else [() for _ in FINDING_FIELDS]
        return {name: list(column) for (name, _), column in zip(FINDING_FIELDS, columns)}

    def finding_rows(self) -> list[list]:
        return self.rows

    def summary_rows(self) -> list[list]:
        return list(map(list, zip(*(self.summary[name] for name, _ in SUMMARY_FIELDS))))


def generic_rule(layer_name: str) -> AgencyRule:
    """The rule for an agency layer the profile does not know: overlap, class B.

    Its name and advice exist in both languages, like a profile rule's, so the findings'
    language follows the check's LANGUAGE, not the language QGIS runs in.
    """
    texts = {}
    for language in ("sv", "en"):
        with speaking(language):
            texts[language] = (
                tr("Overlap with {layer}").format(layer=layer_name),
                tr(
                    "The profile has no rule for this layer. Find out which agency is responsible and "
                    "how the interest is protected."
                ),
            )
    return AgencyRule(
        id=GENERIC_RULE_ID,
        name_sv=texts["sv"][0],
        name_en=texts["en"][0],
        agency=tr("not stated in the profile"),
        legal_basis=tr("not stated in the profile"),
        severity=GENERIC_SEVERITY,
        relation="overlap",
        advice_sv=texts["sv"][1],
        advice_en=texts["en"][1],
    )


def rules_for(ref: LayerRef, profile: Profile) -> tuple[tuple[AgencyRule, ...], bool]:
    """The profile's rules for a layer (by its name, then its aliases), else the generic one."""
    for name in (ref.name, *ref.aliases):
        rules = profile.rules_for_layer(name, ref.source_text)
        if rules:
            return tuple(rules), False
    return (generic_rule(ref.name),), True


# --------------------------------------------------------------------------- reading


def text_or_none(value) -> str | None:
    return None if value is None else str(value)


def reading_failed(error: Exception) -> str:
    """Why a layer could not be read, for a class D note: a provider's message may quote its URL."""
    if isinstance(error, LayerError):
        return safe_source(str(error))
    return tr("reading it failed ({reason})").format(reason=safe_source(str(error)) or type(error).__name__)
