"""The plugin's words and colours, defined once: severity classes, review statuses, slugs.

Pure Python (no QGIS import), so the analysis core, the Processing algorithms, the panel,
the exports and the reports all read the same definitions. Texts a person reads come
from functions that take the translating function (``i18n.tr``, or a report's
``translator_for(language)``): this module cannot import QGIS, and one list of English
sources serves every language.
"""

from __future__ import annotations

import re
import unicodedata

from .numbers import grouped
from .texts import current_language

# --------------------------------------------------------------------------- severity classes

# The classes, worst first: A strong protection overlapped, B riksintresse overlapped,
# C within distance or a zone of influence, D could not be checked (never "no conflict").
SEVERITIES = ("A", "B", "C", "D")

# Map symbols (findings layers, the report's maps and legends).
SEVERITY_COLOURS = {"A": "#d7191c", "B": "#fd8d3c", "C": "#fed976", "D": "#969696"}
# The same colours lightened for text on them: the panel's table cells, the HTML export.
SEVERITY_BACKGROUND = {"A": "#f4a6a7", "B": "#fdd0a2", "C": "#fff2b3", "D": "#dddddd"}


def severity_rank(severity) -> int:
    """A class's place in ``SEVERITIES`` (0 = A); anything else after them all."""
    return SEVERITIES.index(severity) if severity in SEVERITIES else len(SEVERITIES)


def severity_labels(tr) -> dict[str, str]:
    """The classes as the map legend and the report name them (A strong protection ... D unchecked)."""
    return {
        "A": tr("A – strong protection overlapped"),
        "B": tr("B – riksintresse overlapped"),
        "C": tr("C – within distance or zone of influence"),
        "D": tr("D – could not be checked"),
    }


# --------------------------------------------------------------------------- reviews

REVIEW_STATUSES = ("new", "in_dialogue", "accepted", "element_adjusted")
DEFAULT_REVIEW_STATUS = "new"
# Column names (and kinds) of a review in exports and in the consultation report.
REVIEW_FIELDS = (
    ("review_status", "str"),
    ("review_position", "str"),
    ("reviewed_at", "str"),
    ("review_agency_view", "str"),  # the agency's view, from its remissvar
    ("review_response_date", "str"),  # the remissvar's date
    ("review_diarienummer", "str"),
    ("review_action", "str"),  # the action decided
    ("review_decided_by", "str"),
)


def review_labels(tr) -> dict[str, str]:
    """The review statuses as the planner and the agencies read them (Ny, I dialog med myndigheten, ...)."""
    return {
        "new": tr("New"),
        "in_dialogue": tr("In dialogue with the agency"),
        "accepted": tr("Accepted"),
        "element_adjusted": tr("Element adjusted"),
    }


# --------------------------------------------------------------------------- findings as a table


def finding_headers(tr) -> list[str]:
    """The first columns of a findings table (the panel's table, the HTML export)."""
    return [
        tr("Class"),
        tr("Element"),
        tr("Agency layer"),
        tr("Agency feature"),
        tr("Rule"),
        tr("Measure"),
        tr("Agency"),
    ]


def measure_text(row: dict, tr, language: str | None = None) -> str:
    """A finding's overlap area or length, or its distance, in whole metres; "" when it has none.

    The short form of a table cell ("1 200 m² överlapp", "350 m bort"); the consultation
    report writes ha, km and shares (``report.ReportModel.measure_text``). The numbers follow
    ``language``, else the language ``tr`` speaks on this thread.
    """
    language = language or current_language()
    if row.get("overlap_m2") is not None:
        return tr("{value} m² overlap").format(value=grouped(row["overlap_m2"], 0, language))
    if row.get("overlap_length_m") is not None:
        return tr("{value} m overlap").format(value=grouped(row["overlap_length_m"], 0, language))
    if row.get("relation") == "within_distance" and row.get("distance_m") is not None:
        return tr("{value} m away").format(value=grouped(row["distance_m"], 0, language))
    return ""


# --------------------------------------------------------------------------- slugs


def slug(
    text: str, *, fallback: str, length: int, digit_prefix: str = "", keep_underscores: bool = False
) -> str:
    """A lower-case ASCII form of a name: å ä ö → a a o, every other run of characters → "_".

    ``fallback`` when nothing is left; ``digit_prefix`` before a leading digit (field and
    table names may not start with one); at most ``length`` characters. With
    ``keep_underscores`` underscores already in the name stay as they are.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    pattern = r"[^a-z0-9_]+" if keep_underscores else r"[^a-z0-9]+"
    cleaned = re.sub(pattern, "_", ascii_text.lower()).strip("_") or fallback
    if digit_prefix and cleaned[0].isdigit():
        cleaned = digit_prefix + cleaned
    return cleaned[:length]


def unique(base: str, taken, reserved=()) -> str:
    """``base``, or ``base_2``, ``base_3``... : the first not in ``taken`` nor ``reserved``."""
    candidate, n = base, 2
    while candidate in taken or candidate in reserved:
        candidate, n = f"{base}_{n}", n + 1
    return candidate
