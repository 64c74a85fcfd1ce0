"""The consultation report as one self-contained HTML file (inline CSS, maps as data URIs).

One file an agency can open in any browser, e-mail on, or archive: no external style
sheet, script, font or image. It holds the overall report's content (the PDFs per agency and
per kommun are its parts), written to WCAG 2.1 AA: one h1 and headings in order, landmarks,
tables with captions and header cells with their scope, a text alternative for every map,
text colours of at least 4.5:1 against their background.
"""

from __future__ import annotations

import base64
from html import escape

from .redact import safe_source
from .report import ElementEntry, ReportModel, ReportSection
from .vocabulary import SEVERITY_BACKGROUND

CSS = """
:root { --accent: #1f3a5f; --muted: #4d4d4d; --grid: #8c96a3; --head: #e4e9f0; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #000000;
       background: #ffffff; margin: 0; line-height: 1.5; font-size: 1rem; }
a { color: #1a4d8c; } a:focus { outline: 3px solid #1a4d8c; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px; }
header.top { background: var(--accent); color: #ffffff; padding: 18px 32px 14px; }
header.top h1 { margin: 0 0 4px; font-size: 1.6rem; }
header.top p { margin: 0; }
main { padding: 8px 32px 32px; max-width: 1400px; }
h2 { color: var(--accent); border-bottom: 2px solid var(--accent); padding-bottom: 3px; margin-top: 32px; }
h3 { color: var(--accent); margin-bottom: 6px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.9rem; }
caption { text-align: left; font-weight: bold; padding: 4px 0; color: var(--accent); }
th, td { border: 1px solid var(--grid); padding: 4px 6px; text-align: left; vertical-align: top; }
thead th { background: var(--head); }
table.meta { width: auto; } table.meta th { background: none; padding-right: 16px; }
table.counts { width: auto; min-width: 320px; }
td.num { text-align: right; }
td.sev { font-weight: bold; text-align: center; width: 3em; }
td.src { overflow-wrap: anywhere; }
figure { margin: 8px 0; } figure img { width: 100%; max-width: 1100px; border: 1px solid var(--grid); }
figure.overview img { max-width: 640px; }
figcaption { color: var(--muted); font-size: 0.85rem; }
article.element { page-break-inside: avoid; }
footer { color: var(--muted); font-size: 0.85rem; padding: 16px 32px; border-top: 1px solid var(--grid); }
@media print { header.top { background: none; color: var(--accent); } }
"""


def _e(value) -> str:
    return escape("" if value is None else str(value))


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def element_anchor(element_id: str) -> str:
    return "element-" + "".join(c if c.isalnum() else "-" for c in element_id)


def _severity_cell(model: ReportModel, finding_or_class) -> str:
    """The class (and nature) on the class's light colour: dark text stays above 4.5:1 on it."""
    finding = finding_or_class if isinstance(finding_or_class, dict) else {"severity": finding_or_class}
    severity = finding.get("severity")
    colour = SEVERITY_BACKGROUND.get(severity, "#ffffff")
    text = _e(model.class_text(finding)).replace("\n", "<br>")
    return f'<td class="sev" style="background:{colour}">{text}</td>'


def _table(caption: str, headers: list[str], rows: list[str], css: str = "") -> str:
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    css = f' class="{css}"' if css else ""
    return (
        f"<table{css}><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _counts_tables(model: ReportModel, section: ReportSection) -> str:
    t = model.texts
    rows = [
        f'<tr>{_severity_cell(model, s)}<th scope="row">{_e(model.severities[s])}</th><td class="num">{n}</td></tr>'
        for s, n in section.counts().items()
    ]
    html = _table(t["findings"], [t["severity"], t["interest"], t["count"]], rows, "counts")
    natures = section.nature_counts()
    if natures:
        rows = [
            f'<tr><th scope="row">{_e(model.natures.get(n, n))}</th><td class="num">{c}</td></tr>'
            for n, c in natures.items()
        ]
        html += _table(t["nature"], [t["nature"], t["count"]], rows, "counts")
    return html


def _per_section_table(model: ReportModel, sections: list[ReportSection], caption: str) -> str:
    t = model.texts
    rows = []
    for section in sections:
        counts = section.counts()
        cells = "".join(f'<td class="num">{counts[s]}</td>' for s in counts)
        rows.append(
            f'<tr><th scope="row">{_e(model.addressee(section))}</th>{cells}'
            f'<td class="num">{sum(counts.values())}</td></tr>'
        )
    return _table(caption, [t["agency"], *model.severities, "Σ"], rows, "counts")


def _not_checked_table(model: ReportModel, section: ReportSection) -> str:
    t = model.texts
    rows = model.not_checked_rows(section)
    if not rows:
        return f"<p>{_e(t['none_not_checked'])}</p>"
    cells = [
        f'<tr class="not-checked"><td>{_e(i)}</td><td>{_e(a)}</td><td>{_e(r)}</td><td>{_e(w)}</td></tr>'
        for i, a, r, w in rows
    ]
    return f"<p>{_e(t['not_checked_intro'])}</p>" + _table(
        t["not_checked"], [t["interest"], t["agency"], t["reason"], t["applies_to"]], cells
    )


def _resolved_section(model: ReportModel, section: ReportSection) -> str:
    """The full report's reviews whose finding is gone (resolved by change), or nothing."""
    if section.kind != "overall" or not model.resolved:
        return ""
    t = model.texts
    headers = [t["finding"], t["review_status"], t["position"], t["agency_view"], t["diarienummer"]]
    cells = ["".join(f"<td>{_e(value)}</td>" for value in row) for row in model.resolved]
    return (
        '<section id="resolved" aria-labelledby="h-resolved">'
        f'<h2 id="h-resolved">{_e(t["resolved"])}</h2><p>{_e(t["resolved_intro"])}</p>'
        + _table(t["resolved"], headers, cells)
        + "</section>"
    )


def _sources_table(model: ReportModel, section: ReportSection) -> str:
    t = model.texts
    rows = [
        "<tr>" + "".join(f'<td class="src">{_e(v)}</td>' for v in row) + "</tr>"
        for row in model.source_rows(section)
    ]
    return _table(t["sources"], [t["agency"], t["dataset"], t["date"], t["licence"], t["location"]], rows)


def _findings_table(model: ReportModel, entry: ElementEntry) -> str:
    t = model.texts
    keys = ("severity", "interest", "agency", "legal_basis", "measure", "advice", "position", "dataset")
    rows = []
    for f in entry.listed():
        attributes = " ".join(
            f'data-{name}="{_e(f.get(key))}"'
            for name, key in (
                ("element", "element_id"),
                ("rule", "rule_id"),
                ("agency-layer", "agency_layer"),
                ("feature-fid", "feature_fid"),
                ("severity", "severity"),
            )
        )
        note = f"<br><em>{_e(safe_source(f['note']))}</em>" if f.get("note") and f.get("agency_layer") else ""
        rows.append(
            f'<tr class="finding" {attributes}>{_severity_cell(model, f)}'
            f"<td>{_e(model.interest_text(f))}{note}</td><td>{_e(f.get('agency'))}</td>"
            f"<td>{_e(f.get('legal_basis'))}</td><td>{_e(model.measure_text(f))}</td>"
            f"<td>{_e(f.get('advice'))}</td><td>{_e(model.review_text(f) or t['no_position']).replace(chr(10), '<br>')}</td>"
            f'<td class="src">{_e(model.source_text(f))}</td></tr>'
        )
    return _table(t["findings"] + ": " + entry.label, [t[k] for k in keys], rows, "findings")


def _element(model: ReportModel, entry: ElementEntry, figure: bytes | None) -> str:
    t = model.texts
    facts = [f"{t['element_type']}: {entry.element_type}"]
    if entry.kommuner:
        facts.append(f"{t['kommuner']}: {', '.join(entry.kommuner)}")
    parts = [
        f'<article class="element" id="{element_anchor(entry.element_id)}">',
        f"<h3>{_e(entry.label)}</h3>",
        f"<p>{_e(' · '.join(facts))}</p>",
    ]
    if figure:
        caption = t["map_caption"].format(name=entry.label)
        parts.append(
            f'<figure><img src="{data_uri(figure)}" alt="{_e(caption)}">'
            f"<figcaption>{_e(caption)}</figcaption></figure>"
        )
    parts.append(_findings_table(model, entry))
    parts.append("</article>")
    return "\n".join(parts)


def _without_table(model: ReportModel, section: ReportSection) -> str:
    t = model.texts
    rows = [
        f'<tr class="no-finding" id="{element_anchor(e.element_id)}"><th scope="row">{_e(e.label)}</th>'
        f"<td>{_e(e.element_type)}</td><td>{_e(', '.join(e.kommuner))}</td></tr>"
        for e in section.without_findings()
    ]
    return f"<p>{_e(t['without_findings_note'])}</p>" + _table(
        t["without_findings"], [t["element"], t["element_type"], t["kommuner"]], rows
    )


def render_html(model: ReportModel, figures: dict[str, bytes], overview: bytes | None = None) -> str:
    """The whole overall report: summary, interests not checked, findings per element with maps,
    the elements without findings, the sources; then the counts of each agency's and kommun's part."""
    t = model.texts
    section = model.overall
    meta = "".join(
        f'<tr><th scope="row">{_e(label)}</th><td>{_e(value)}</td></tr>'
        for label, value in model.meta(section)
    )
    overview_html = (
        f'<figure class="overview"><img src="{data_uri(overview)}" alt="{_e(t["overview_caption"])}">'
        f"<figcaption>{_e(t['overview_caption'])}</figcaption></figure>"
        if overview
        else ""
    )
    elements = "\n".join(_element(model, e, figures.get(e.element_id)) for e in section.with_findings())
    parts = _per_section_table(model, model.agencies, t["per_agency"]) if model.agencies else ""
    if model.kommuner:
        parts += _per_section_table(model, model.kommuner, t["kommuner"])
    return f"""<!DOCTYPE html>
<html lang="{model.language}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="RUS Planner {_e(model.plugin_version)}">
<title>{_e(model.title(section))}</title>
<style>{CSS}</style>
</head>
<body>
<a class="skip" href="#main">{_e(t["summary"])}</a>
<header class="top"><h1>{_e(t["title"])}</h1><p>{_e(model.addressee(section))} · {_e(t["subtitle"])}</p></header>
<main id="main">
<section id="summary" aria-labelledby="h-summary">
<h2 id="h-summary">{_e(t["summary"])}</h2>
<table class="meta"><caption>{_e(t["summary"])}</caption><tbody>{meta}</tbody></table>
<h3>{_e(t["reading"])}</h3>
<p>{_e(t["reading_guide"])}</p>
{_counts_tables(model, section)}
{parts}
{overview_html}
</section>
<section id="not-checked" aria-labelledby="h-not-checked">
<h2 id="h-not-checked">{_e(t["not_checked"])}</h2>
{_not_checked_table(model, section)}
</section>
{_resolved_section(model, section)}
<section id="elements" aria-labelledby="h-elements">
<h2 id="h-elements">{_e(t["findings_per_element"])}</h2>
{elements}
</section>
<section id="without" aria-labelledby="h-without">
<h2 id="h-without">{_e(t["without_findings"])}</h2>
{_without_table(model, section)}
</section>
<section id="sources" aria-labelledby="h-sources">
<h2 id="h-sources">{_e(t["sources"])}</h2>
{_sources_table(model, section)}
</section>
</main>
<footer>{_e(model.provenance())}</footer>
</body>
</html>
"""
