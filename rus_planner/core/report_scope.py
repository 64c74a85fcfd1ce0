"""Who a report goes to and what it must own up to: receiving agencies, kommuner, the interests
not checked, and the data sources named without a local path or a secret.

A profile names the responsible agency of a rule as one or more agencies ("Länsstyrelsen /
Riksantikvarieämbetet", "Naturvårdsverket / länsstyrelsen"); each of them receives the
finding. "kommunen" is left out of the receiving agencies: every kommun gets its own report
of all interests touching its part of the elements.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from .redact import safe_source

_KOMMUN_WORDS = {"kommun", "kommunen", "kommunerna"}
# Kommuner whose name in "X kommun" is not the plain genitive of the place name.
_KOMMUN_FORMS = {"Falun": "Falu"}
_DRIVE = re.compile(r"(?<![A-Za-z])[A-Za-z]:[\\/]")
_URL_IN_SOURCE = re.compile(r"""(?:^|[\s'"])url=['"]?(?P<url>[^\s'"]+)""")


def recipients(agency: str | None) -> list[str]:
    """The receiving agencies of a finding's agency text, each once, in the text's order."""
    found: list[str] = []
    for part in re.split(r"\s*/\s*", agency or ""):
        part = part.strip()
        if not part or part.casefold() in _KOMMUN_WORDS:
            continue
        if part.casefold() in ("länsstyrelse", "länsstyrelsen", "länsstyrelserna"):
            part = "Länsstyrelsen"
        part = part[0].upper() + part[1:]
        if part not in found:
            found.append(part)
    return found


def recipient_name(recipient: str, region: str = "", several: bool = False) -> str:
    """How a report addresses its agency: the länsstyrelse of the report's region by name, or
    the länsstyrelser of several regions ("Länsstyrelserna i Örebro län och Uppsala län")."""
    if recipient == "Länsstyrelsen" and region:
        return f"{'Länsstyrelserna' if several else 'Länsstyrelsen'} i {region}"
    return recipient


def listed(names, language: str = "sv") -> str:
    """ "Örebro län, Uppsala län och Jönköpings län": names in running text, as a cover says them."""
    names = [n for n in names if n]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {'och' if language == 'sv' else 'and'} {names[-1]}"


def kommun_name(name: str, language: str = "sv") -> str:
    """ "Örebro kommun", "Lindesbergs kommun", "Falu kommun"; "Örebro Municipality" in English."""
    if "kommun" in name.casefold() or name.endswith(" stad"):
        return name
    if language != "sv":
        return f"{name} Municipality"
    stem = _KOMMUN_FORMS.get(name)
    if stem is None:
        stem = name if name[-1:].casefold() in "aeiouyåäös" else name + "s"
    return f"{stem} kommun"


def public_location(source: str | None, file_word: str = "file {name}") -> str:
    """Where a layer came from, fit for a report: a service's URL without secrets, a file by its
    name only (a local path says nothing to the reader and may say too much), a database table."""
    text = safe_source(source or "").strip()
    if not text:
        return ""
    match = _URL_IN_SOURCE.search(text)
    if match:
        return match.group("url")
    if re.match(r"^[a-z][a-z0-9+.-]*://", text, re.IGNORECASE) and not text.lower().startswith("file:"):
        return text
    if "dbname=" in text or "table=" in text:  # a database: its table, not its connection
        table = re.search(r"table=(\S+)", text)
        return table.group(1).replace('"', "") if table else ""
    path = text.split("|")[0]
    if path.lower().startswith("file://"):
        path = path[7:]
    return file_word.format(name=os.path.basename(path.replace("\\", "/")))


def has_local_path(text: str) -> bool:
    """True when the text names a local folder ("/tmp/", "/home/", "C:\\")."""
    return bool(re.search(r"(?<![\w:/.])/(?:tmp|work|home|root|Users|var|mnt|media)/", text)) or bool(
        _DRIVE.search(text)
    )


@dataclass(frozen=True)
class NotChecked:
    """An interest (or several of one agency, with one reason) the run could not check."""

    interests: tuple[str, ...]
    agency: str
    reason: str
    element_ids: tuple[str, ...] | None  # None: no element was checked against it (no layer)

    @property
    def interest(self) -> str:
        return ", ".join(self.interests)


def not_checked(findings: list[dict], unmatched_rules: list[tuple[str, str]], no_layer: str) -> list:
    """Class D findings grouped by interest, agency and reason, then the profile's rules no layer
    of the run matched (one row per agency). ``no_layer`` is the reason text for those."""
    groups: dict[tuple, list[str]] = {}
    for finding in findings:
        if finding.get("severity") != "D":
            continue
        key = (
            finding.get("rule_name") or finding.get("rule_id") or "",
            finding.get("agency") or "",
            safe_source(finding.get("note") or ""),
        )
        element = str(finding.get("element_id") or "")
        if element not in groups.setdefault(key, []):
            groups[key].append(element)
    rows = [NotChecked((name,), agency, reason, tuple(ids)) for (name, agency, reason), ids in groups.items()]
    by_agency: dict[str, list[str]] = {}
    for name, agency in unmatched_rules:
        if name not in by_agency.setdefault(agency, []):
            by_agency[agency].append(name)
    rows += [NotChecked(tuple(names), agency, no_layer, None) for agency, names in by_agency.items()]
    return rows


def for_recipient(rows: list, recipient: str) -> list:
    return [row for row in rows if recipient in recipients(row.agency)]


def for_elements(rows: list, element_ids: set) -> list:
    """The rows concerning these elements (run-wide rows always)."""
    kept = []
    for row in rows:
        if row.element_ids is None:
            kept.append(row)
            continue
        ids = tuple(e for e in row.element_ids if e in element_ids)
        if ids:
            kept.append(NotChecked(row.interests, row.agency, row.reason, ids))
    return kept
