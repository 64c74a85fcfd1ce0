"""The consultation report as one self-contained HTML file (inline CSS, maps as data URIs).

One file an agency can open in any browser, e-mail on, or archive: no external style
sheet, script, font or image. It holds the same content as the PDFs: the overall report
with every finding per element, then each responsible agency's findings.
"""

from __future__ import annotations

import base64
from html import escape

from .redact import safe_source
from .report import ElementEntry, ReportModel, ReportSection

CSS = """
:root { --accent: #1f3a5f; --muted: #5a5a5a; --grid: #c9ced6; --head: #e4e9f0; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; color: #1a1a1a;
       margin: 0; line-height: 1.4; font-size: 14px; }
header.top { background: var(--accent); color: #fff; padding: 18px 32px 14px; }
header.top h1 { margin: 0 0 4px; font-size: 26px; }
header.top p { margin: 0; opacity: .9; }
main { padding: 8px 32px 32px; max-width: 1400px; }
h2 { color: var(--accent); border-bottom: 2px solid var(--accent); padding-bottom: 3px; margin-top: 32px; }
h3 { color: var(--accent); margin-bottom: 6px; }
table.meta { width: auto; } table.meta th { background: none; border: none; padding: 2px 16px 2px 0; }
table.meta td { border: none; padding: 2px 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 13px; }
th, td { border: 1px solid var(--grid); padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: var(--head); }
table.counts { width: auto; min-width: 320px; }
td.num { text-align: right; }
td.sev { font-weight: bold; text-align: center; width: 3em; }
td.src { word-break: break-all; font-size: 12px; }
figure { margin: 8px 0; } figure img { width: 100%; max-width: 1100px; border: 1px solid var(--grid); }
figure.overview img { max-width: 640px; }
figcaption { color: var(--muted); font-size: 12px; }
article.element { page-break-inside: avoid; }
p.empty { color: var(--muted); font-style: italic; }
nav ul { columns: 2; } footer { color: var(--muted); font-size: 12px; padding: 16px 32px;
       border-top: 1px solid var(--grid); }
@media print { header.top { background: none; color: var(--accent); } }
"""


def _e(value) -> str:
    return escape("" if value is None else str(value))


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def element_anchor(element_id: str) -> str:
    return "element-" + "".join(c if c.isalnum() else "-" for c in element_id)


def _severity_cell(model: ReportModel, severity) -> str:
    colour = model.colours.get(severity, "#ffffff")
    title = model.severities.get(severity, severity)
    return f'<td class="sev" style="background:{colour}" title="{_e(title)}">{_e(severity)}</td>'


def _counts_table(model: ReportModel, section: ReportSection) -> str:
    t = model.texts
    rows = "".join(
        f'<tr>{_severity_cell(model, s)}<td>{_e(model.severities[s])}</td><td class="num">{n}</td></tr>'
        for s, n in section.counts().items()
    )
    return (
        f'<table class="counts"><thead><tr><th>{_e(t["severity"])}</th><th></th>'
        f"<th>{_e(t['count'])}</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _agency_table(model: ReportModel) -> str:
    t = model.texts
    head = "".join(f"<th>{s}</th>" for s in model.severities) + f"<th>{_e(t['findings'])}</th>"
    rows = []
    for section in model.agencies:
        counts = section.counts()
        cells = "".join(f'<td class="num">{counts[s]}</td>' for s in model.severities)
        rows.append(
            f'<tr><td><a href="#agency-{section.slug}">{_e(section.agency)}</a></td>{cells}'
            f'<td class="num">{sum(counts.values())}</td></tr>'
        )
    return (
        f"<table class='counts'><thead><tr><th>{_e(t['agency'])}</th>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _sources_table(model: ReportModel) -> str:
    t = model.texts
    roles = {"element": t["role_element"], "agency": t["role_agency"]}
    rows = "".join(
        f"<tr><td>{_e(roles.get(s.role, s.role))}</td><td>{_e(safe_source(s.name))}</td>"
        f'<td class="src">{_e(safe_source(s.source))}</td><td>{_e(s.date or t["date_unknown"])}</td></tr>'
        for s in model.sources
    )
    return (
        f"<table><thead><tr><th></th><th>{_e(t['layer'])}</th><th>{_e(t['source'])}</th>"
        f"<th>{_e(t['date'])}</th></tr></thead><tbody>{rows}</tbody></table>"
    )


def _findings_table(model: ReportModel, entry: ElementEntry) -> str:
    t = model.texts
    head = "".join(
        f"<th>{_e(t[key])}</th>"
        for key in (
            "severity",
            "interest",
            "agency",
            "legal_basis",
            "measure",
            "advice",
            "position",
            "source",
        )
    )
    rows = []
    for f in entry.findings:
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
        note = f"<br><em>{_e(safe_source(f['note']))}</em>" if f.get("note") else ""
        rows.append(
            f'<tr class="finding" {attributes}>{_severity_cell(model, f.get("severity"))}'
            f"<td>{_e(model.interest_text(f))}{note}</td><td>{_e(f.get('agency'))}</td>"
            f"<td>{_e(f.get('legal_basis'))}</td><td>{_e(model.measure_text(f))}</td>"
            f"<td>{_e(f.get('advice'))}</td><td>{_e(model.review_text(f) or t['no_position'])}</td>"
            f'<td class="src">{_e(model.source_text(f))}</td></tr>'
        )
    return f"<table class='findings'><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _element(model: ReportModel, entry: ElementEntry, figure: bytes | None) -> str:
    t = model.texts
    parts = [
        f'<article class="element" id="{element_anchor(entry.element_id)}">',
        f"<h3>{_e(entry.label)}</h3>",
        f"<p>{_e(t['element_type'])}: {_e(entry.element_type)} · {_e(t['layer'])}: {_e(entry.layer)}</p>",
    ]
    if figure:
        caption = t["map_caption"].format(name=entry.label)
        parts.append(
            f'<figure><img src="{data_uri(figure)}" alt="{_e(caption)}">'
            f"<figcaption>{_e(caption)}</figcaption></figure>"
        )
    if entry.findings:
        parts.append(_findings_table(model, entry))
    else:
        parts.append(f'<p class="empty">{_e(t["no_findings"])}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def _agency_section(model: ReportModel, section: ReportSection) -> str:
    t = model.texts
    rows = []
    for entry in section.elements:
        for f in entry.findings:
            rows.append(
                f'<tr class="agency-finding"><td><a href="#{element_anchor(entry.element_id)}">'
                f"{_e(entry.label)}</a></td>{_severity_cell(model, f.get('severity'))}"
                f"<td>{_e(model.interest_text(f))}</td><td>{_e(f.get('legal_basis'))}</td>"
                f"<td>{_e(model.review_text(f) or t['no_position'])}</td></tr>"
            )
    return (
        f'<section class="agency" id="agency-{section.slug}"><h3>{_e(section.agency)}</h3>'
        f"{_counts_table(model, section)}<table><thead><tr><th>{_e(t['element'])}</th>"
        f"<th>{_e(t['severity'])}</th><th>{_e(t['interest'])}</th><th>{_e(t['legal_basis'])}</th>"
        f"<th>{_e(t['position'])}</th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def render_html(model: ReportModel, figures: dict[str, bytes], overview: bytes | None = None) -> str:
    """The whole report: summary, sources, every element with its map and findings, per agency."""
    t = model.texts
    section = model.overall
    meta = "".join(
        f"<tr><th>{_e(label)}</th><td>{_e(value)}</td></tr>"
        for label, value in (
            (t["profile"], model.profile_name),
            (t["plugin_version"], model.plugin_version),
            (t["created"], model.created_text),
            (t["elements"], len(section.elements)),
            (t["findings"], len(section.findings)),
        )
    )
    overview_html = (
        f'<figure class="overview"><img src="{data_uri(overview)}" alt="{_e(t["map"])}"></figure>'
        if overview
        else ""
    )
    elements = "\n".join(_element(model, e, figures.get(e.element_id)) for e in section.elements)
    agencies = "\n".join(_agency_section(model, s) for s in model.agencies)
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
<header class="top"><h1>{_e(model.title(section))}</h1><p>{_e(t["subtitle"])}</p></header>
<main>
<section id="summary">
<h2>{_e(t["summary"])}</h2>
<p>{_e(t["intro"])}</p>
<table class="meta"><tbody>{meta}</tbody></table>
{_counts_table(model, section)}
<h3>{_e(t["per_agency"])}</h3>
{_agency_table(model)}
{overview_html}
</section>
<section id="sources">
<h2>{_e(t["sources"])}</h2>
{_sources_table(model)}
</section>
<section id="elements">
<h2>{_e(t["elements"])}</h2>
{elements}
</section>
<section id="agencies">
<h2>{_e(t["per_agency"])}</h2>
{agencies}
</section>
</main>
<footer>{_e(model.provenance())}</footer>
</body>
</html>
"""
