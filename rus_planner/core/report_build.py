"""Building the consultation report model: findings per element, overall, for every receiving
agency and for every kommun, with the interests each could not check."""

from __future__ import annotations

from datetime import datetime

from . import vocabulary
from .finding_nature import nature_labels
from .report import LANGUAGES, REVIEW_FIELDS, ElementEntry, ReportModel, ReportSection, Source, slug
from .report_scope import for_elements, for_recipient, not_checked, recipients
from .report_texts import report_texts, translator_for
from .vocabulary import severity_rank


def build_report(
    findings: list[dict],
    elements: list[ElementEntry],
    sources: list[Source],
    *,
    profile_name: str,
    plugin_version: str,
    created: datetime,
    colours: dict[str, str],
    language: str = "sv",
    region: str = "",
    rus_version: str = "",
    contact: str = "",
    unmatched_rules: list[tuple[str, str]] = (),
    kommuner: list[str] = (),
) -> ReportModel:
    """Group the findings per element, overall, per receiving agency and per kommun.

    ``elements`` are every element of the element layers (in their order), each with the
    kommuner it touches; a finding's ``kommuner`` (where the affected part lies) picks the
    kommun reports it belongs to, else its element's kommuner do. Findings of an element
    that is not among ``elements`` (deleted since the check) get an entry of their own, so
    no finding is dropped. ``unmatched_rules`` are (interest, agency) of the profile's rules
    that no agency layer of the run matched; ``kommuner`` the kommuner to report on, in order.
    """
    if language not in LANGUAGES:
        language = "sv"
    texts = report_texts(language)
    by_id: dict[str, ElementEntry] = {}
    ordered: list[ElementEntry] = []
    for element in elements:
        entry = element.copy([])
        by_id[entry.element_id] = entry
        ordered.append(entry)
    for finding in findings:
        finding = dict(finding)
        if not finding.get("agency"):
            finding["agency"] = texts["agency_unknown"]
        key = str(finding.get("element_id") or "")
        entry = by_id.get(key)
        if entry is None:
            entry = ElementEntry(
                key,
                finding.get("element_name") or "",
                finding.get("element_type") or "",
                finding.get("element_layer") or "",
                kommuner=tuple(finding.get("kommuner") or ()),
            )
            by_id[key] = entry
            ordered.append(entry)
        if finding.get("element_type"):  # the profile's name for it (Nod, Stråk...), as the check wrote it
            entry.element_type = finding["element_type"]
        entry.findings.append(finding)
    for entry in ordered:
        entry.findings.sort(
            key=lambda f: (severity_rank(f.get("severity")), f["agency"], f.get("rule_name") or "")
        )
    all_findings = [f for e in ordered for f in e.findings]
    unchecked = not_checked(all_findings, list(unmatched_rules), texts["no_layer_in_run"])

    overall = ReportSection(None, "overall", ordered, "overall", None, unchecked)
    # A report goes to each agency with a finding (of any class); the interests of agencies
    # without one are named in the overall report's list of interests not checked.
    names = {r for e in ordered for f in e.findings for r in recipients(f["agency"])}
    agencies: list[ReportSection] = []
    for agency in sorted(names, key=str.casefold):
        entries = []
        for entry in ordered:
            own = [f for f in entry.findings if agency in recipients(f["agency"])]
            if own:
                entries.append(entry.copy(own))
        name = vocabulary.unique(slug(agency), {s.slug for s in agencies}, ("overall",))
        agencies.append(
            ReportSection(agency, name, entries, "agency", None, for_recipient(unchecked, agency))
        )
    sections: list[ReportSection] = []
    for kommun in kommuner:
        entries = []
        for entry in ordered:
            if kommun not in entry.kommuner:
                continue
            own = [f for f in entry.findings if kommun in (f.get("kommuner") or entry.kommuner)]
            entries.append(entry.copy(own))
        if entries:
            taken = {s.slug for s in agencies} | {s.slug for s in sections}
            name = vocabulary.unique("kommun_" + slug(kommun), taken, ("overall",))
            ids = {e.element_id for e in entries}
            sections.append(
                ReportSection(None, name, entries, "kommun", kommun, for_elements(unchecked, ids))
            )
    return ReportModel(
        language=language,
        profile_name=profile_name or texts["profile_unknown"],
        plugin_version=plugin_version,
        created=created,
        sources=list(sources),
        overall=overall,
        agencies=agencies,
        has_reviews=any(any(f.get(k) for k in REVIEW_FIELDS) for f in findings),
        colours=dict(colours),
        texts=texts,
        severities=vocabulary.severity_labels(translator_for(language)),
        reviews=vocabulary.review_labels(translator_for(language)),
        kommuner=sections,
        region=region,
        rus_version=rus_version,
        contact=contact,
        natures=nature_labels(translator_for(language)),
    )
