"""The consultation report model: findings grouped per element, for every receiving agency,
every kommun and overall.

A report is what a region sends to the agencies in a consultation (samråd, remiss): every
finding of the element check with its class, legal basis and recommendation, the planner's
position (ställningstagande) and the status of the dialogue where recorded, the interests that
could not be checked and why, and enough provenance (each data source once, with its agency,
its date and licence, the profile, the plugin version, the time of the run) for an agency to
verify it. The model is plain Python so the PDF (print layouts, ``report_pdf.py``) and the
self-contained HTML (``report_html.py``) are two views of the same content.

The report language is chosen per run (Swedish by default), independently of the
language QGIS runs in (``report_texts``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from . import vocabulary
from .numbers import grouped
from .redact import safe_source
from .report_scope import kommun_name, public_location, recipient_name
from .report_texts import report_texts, translator_for
from .vocabulary import DEFAULT_REVIEW_STATUS, SEVERITIES

__all__ = ["report_texts", "translator_for"]  # the report's texts, from their own module

LANGUAGES = ("sv", "en")
# Optional columns written by the review panel.
REVIEW_FIELDS = tuple(name for name, _ in vocabulary.REVIEW_FIELDS)
NATURES = ("conflict", "agreement", "information")


@dataclass(frozen=True)
class Source:
    """A layer the report rests on: the agency behind it, its dataset, date, licence and origin."""

    role: str  # "element" | "agency" | "background"
    name: str  # the layer's name as the findings name it
    source: str  # the data source (credentials masked)
    date: str | None
    dataset: str = ""  # the dataset's title where the data states one, else the layer's name
    licence: str = ""
    agency: str = ""  # the agency responsible for it, where the profile or the findings say

    def row(self, texts: dict) -> tuple[str, str, str, str, str]:
        """(agency, dataset, date, licence, where from) as a report prints it: no path, no secret."""
        roles = {"element": texts["region_agency"], "background": texts["basemap"]}
        agency = roles.get(self.role) or self.agency or texts["not_stated"]
        return (
            agency,
            safe_source(self.dataset or self.name),
            self.date or texts["date_unknown"],
            self.licence or texts["licence_unknown"],
            public_location(self.source, texts["file"]),
        )


@dataclass
class ElementEntry:
    """One RUS element and its findings (ordered by class)."""

    element_id: str
    name: str
    element_type: str
    layer: str
    findings: list[dict] = field(default_factory=list)
    kommuner: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name or self.element_id

    def worst(self) -> str | None:
        return next((s for s in SEVERITIES if any(f["severity"] == s for f in self.findings)), None)

    def listed(self) -> list[dict]:
        """The findings its table lists: every class A–C finding, and a class D one where a review
        was recorded for it (the others are named once, under the interests not checked)."""
        return [f for f in self.findings if f.get("severity") != "D" or reviewed(f)]

    def copy(self, findings: list[dict]) -> ElementEntry:
        return ElementEntry(
            self.element_id, self.name, self.element_type, self.layer, findings, self.kommuner
        )


def reviewed(finding: dict) -> bool:
    """True when the planner recorded something for the finding: a status, a position, the dialogue."""
    status = finding.get("review_status")
    others = (k for k in REVIEW_FIELDS if k not in ("review_status", "reviewed_at"))
    return bool(status and status != DEFAULT_REVIEW_STATUS) or any(finding.get(k) for k in others)


@dataclass
class ReportSection:
    """One document: the overall report, one receiving agency's, or one kommun's."""

    agency: str | None  # the receiving agency (None: overall or a kommun)
    slug: str
    elements: list[ElementEntry]
    kind: str = "overall"  # "overall" | "agency" | "kommun"
    kommun: str | None = None
    not_checked: list = field(default_factory=list)  # report_scope.NotChecked rows

    @property
    def findings(self) -> list[dict]:
        return [f for e in self.elements for f in e.findings]

    def counts(self) -> dict[str, int]:
        found = self.findings
        return {s: sum(1 for f in found if f["severity"] == s) for s in SEVERITIES}

    def nature_counts(self) -> dict[str, int]:
        """Findings per nature (conflict, agreement, information) where the findings carry one."""
        found = [f.get("nature") for f in self.findings if f.get("nature")]
        if not found:
            return {}
        order = [n for n in NATURES if n in found] + sorted(set(found) - set(NATURES))
        return {n: found.count(n) for n in order}

    def with_findings(self) -> list[ElementEntry]:
        return [e for e in self.elements if e.listed()]

    def without_findings(self) -> list[ElementEntry]:
        return [e for e in self.elements if not e.listed()]


@dataclass
class ReportModel:
    """Everything a consultation report shows, in one language."""

    language: str
    profile_name: str
    plugin_version: str
    created: datetime
    sources: list[Source]
    overall: ReportSection
    agencies: list[ReportSection]
    has_reviews: bool
    colours: dict[str, str]
    texts: dict[str, str]
    severities: dict[str, str]
    reviews: dict[str, str]
    kommuner: list[ReportSection] = field(default_factory=list)
    region: str = ""
    # The regions a report over several regions' packages covers (agency view); () for one region.
    regions: tuple[str, ...] = ()
    rus_version: str = ""
    contact: str = ""
    natures: dict[str, str] = field(default_factory=dict)
    # The reviews whose finding this run no longer gives, as rows: finding, status, position,
    # the agency's view, diarienummer and remissvar date (resolved by change; the full report only).
    resolved: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def sections(self) -> list[ReportSection]:
        return [self.overall, *self.agencies, *self.kommuner]

    @property
    def created_text(self) -> str:
        return self.created.strftime("%Y-%m-%d %H:%M %Z").strip()

    def provenance(self) -> str:
        return self.texts["generated_by"].format(
            version=self.plugin_version, profile=self.profile_name, time=self.created_text
        )

    def addressee(self, section: ReportSection) -> str:
        """ "Till Länsstyrelsen i Örebro län", "Till Lindesbergs kommun"; "Alla myndigheter" overall."""
        if section.kind == "agency":
            several = len(self.regions) > 1
            return self.texts["to"].format(recipient=recipient_name(section.agency, self.region, several))
        if section.kind == "kommun":
            return self.texts["to"].format(recipient=kommun_name(section.kommun, self.language))
        return self.texts["overall"]

    def title(self, section: ReportSection) -> str:
        return f"{self.texts['title']} – {self.addressee(section)}"

    def meta(self, section: ReportSection) -> list[tuple[str, str]]:
        """The cover's facts: region, RUS version, date, contact, profile, plugin, counts."""
        t = self.texts
        return [
            (t["region"], self.region or t["not_stated"]),
            (t["rus_version"], self.rus_version or t["not_stated"]),
            (t["created"], self.created_text),
            (t["contact"], self.contact or t["not_stated"]),
            (t["profile"], self.profile_name),
            (t["plugin_version"], self.plugin_version),
            (t["elements"], str(len(section.elements))),
            (t["findings"], str(len(section.findings))),
        ]

    def sources_for(self, section: ReportSection) -> list[Source]:
        """The element layers plus the agency layers this section's findings come from."""
        used = {f.get("agency_layer") for f in section.findings}
        shared = ("element", "background")
        return [s for s in self.sources if s.role in shared or section.kind == "overall" or s.name in used]

    def source_rows(self, section: ReportSection) -> list[tuple[str, str, str, str, str]]:
        """Each source once, by agency (the region's own elements first)."""
        rows: list = []
        for source in self.sources_for(section):
            row = source.row(self.texts)
            if row not in rows:
                rows.append(row)
        region = self.texts["region_agency"]
        return sorted(rows, key=lambda r: (r[0] != region, r[0].casefold(), r[1].casefold()))

    def not_checked_rows(self, section: ReportSection) -> list[tuple[str, str, str, str]]:
        """(interest, agency, reason, applies to) for each interest the section could not check."""
        t = self.texts
        total = len(section.elements)
        names = {e.element_id: e.label for e in section.elements}
        rows = []
        for row in section.not_checked:
            if row.element_ids is None:
                applies = t["run_wide"]
            elif len(row.element_ids) >= total:
                applies = t["all_elements"].format(total=total)
            else:
                listed = ", ".join(names.get(e, e) for e in row.element_ids)
                applies = t["some_elements"].format(count=len(row.element_ids), total=total, names=listed)
            rows.append((row.interest, row.agency, row.reason, applies))
        return rows

    def review_text(self, finding: dict) -> str:
        """The record of the dialogue: "status: position (when)", then the agency's view, its
        remissvar (date, diarienummer) and the action decided and by whom, a line each."""
        t = self.texts
        status = finding.get("review_status")
        status_text = self.reviews.get(status, str(status)) if status else ""
        text = ": ".join(p for p in (status_text, str(finding.get("review_position") or "")) if p)
        if text and finding.get("reviewed_at"):
            text += f" ({str(finding['reviewed_at'])[:10]})"
        lines = [text] if text else []
        for key in ("agency_view", "response_date", "diarienummer", "action", "decided_by"):
            value = finding.get(f"review_{key}")
            if value:
                lines.append(f"{t[key]}: {value}")
        return "\n".join(lines)

    def class_text(self, finding: dict) -> str:
        """The class, and the nature under it where the finding has one ("A\\nkonflikt")."""
        nature = finding.get("nature")
        severity = str(finding.get("severity") or "")
        return f"{severity}\n{self.natures.get(nature, nature)}" if nature else severity

    def measure_text(self, finding: dict) -> str:
        """Overlap, distance and shares in the units a planner reads (ha, km, %)."""
        t = self.texts
        parts = []
        if _number(finding.get("overlap_m2")) is not None:
            parts.append(t["overlap_area"].format(value=format_area(finding["overlap_m2"], self.language)))
        if _number(finding.get("overlap_length_m")) is not None:
            parts.append(
                t["overlap_length"].format(value=format_length(finding["overlap_length_m"], self.language))
            )
        if finding.get("relation") != "overlap" and _number(finding.get("distance_m")) is not None:
            parts.append(t["distance"].format(value=format_length(finding["distance_m"], self.language)))
        share = _number(finding.get("element_share"))
        if share is not None and finding.get("overlap_m2") is not None:
            parts.append(t["share_element"].format(value=format_share(share, self.language)))
        share = _number(finding.get("feature_share"))
        if share is not None and finding.get("overlap_m2") is not None:
            parts.append(t["share_feature"].format(value=format_share(share, self.language)))
        if not parts and finding.get("relation") == "overlap" and finding.get("severity") != "D":
            parts.append(t["inside"])
        return "; ".join(parts)

    def interest_text(self, finding: dict) -> str:
        """What is affected: the rule's interest, the feature's name and the agency's own id of
        it (so the agency finds it in its register: "Naturreservat: Kilsbergen (2001234)")."""
        rule = finding.get("rule_name") or finding.get("rule_id") or ""
        name = finding.get("feature_name")
        agency_id = finding.get("agency_id")
        if agency_id and agency_id != name:
            name = f"{name} ({agency_id})" if name else str(agency_id)
        return safe_source(f"{rule}: {name}" if name else rule)  # a generic rule is named after its layer

    def source_text(self, finding: dict) -> str:
        """The dataset and its date (the layer's name as the sources list names it; no path)."""
        if not finding.get("agency_layer"):  # a standing notice: no layer can hold the interest
            return self.texts["no_layer"]
        date = finding.get("data_date") or self.texts["date_unknown"]
        source = next((s for s in self.sources if s.name == finding.get("agency_layer")), None)
        name = (source.dataset or source.name) if source else finding.get("agency_layer")
        return f"{safe_source(name)} ({date})"


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number else number  # NaN is "not applicable"


def format_area(m2: float, language: str = "sv") -> str:
    return grouped(float(m2) / 10_000, 1, language) + " ha"


def format_length(m: float, language: str = "sv") -> str:
    m = float(m)
    if m >= 1000:
        return grouped(m / 1000, 2, language) + " km"
    return grouped(m, 0, language) + " m"


def format_share(share: float, language: str = "sv") -> str:
    """Whole per cent; a share that is there but rounds to 0 reads "< 1 %", not "0 %"."""
    share = float(share)
    if 0 < share < 0.005:
        return "< 1 %"
    return grouped(100 * share, 0, language) + " %"


def slug(text: str) -> str:
    """A file-name-safe ASCII form of an agency name ("Länsstyrelsen / kommunen" → lansstyrelsen_kommunen)."""
    return vocabulary.slug(text, fallback="agency", length=60)
