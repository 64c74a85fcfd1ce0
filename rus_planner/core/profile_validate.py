"""The validator that turns loaded YAML into the model, every problem located (the schema is in profile_schema.py)."""

from __future__ import annotations

import difflib
import math
from typing import Any

from .finding_nature import MODES, NATURES, NatureCase
from .profile import AgencyRule, ElementType, ProfileProblem, Sector, StandingNotice, _excerpt
from .profile_schema import _NATURE_CASE_KEYS, ELEMENT_GEOMETRIES, RELATIONS, SEVERITIES
from .texts import tr

_SPANS_LINES = "__spans_lines__"  # marks in the line map the texts that span several lines


def _describe(value: Any, echo: bool = True, spans_lines: bool = False) -> str:
    """Say what a YAML value is, in the user's terms; quoting its text only when ``echo``
    (the value stands on one line of what is, by its keys, a profile)."""
    if value is None:
        return tr("nothing (an empty value)")
    if isinstance(value, bool):
        return tr("a yes/no value ({value})").format(value=str(value).lower())
    if isinstance(value, (int, float)):
        if not echo:
            return tr("a number")
        return tr("the number {value}").format(value=_excerpt(value, 40))
    if isinstance(value, str):
        if not echo:
            return tr("a text over several lines") if spans_lines else tr("a text")
        return tr("the text “{value}”").format(value=_excerpt(value, 40))
    if isinstance(value, list):
        return tr("a list")
    if isinstance(value, dict):
        return tr("a mapping (key: value pairs)")
    return tr("a value of type {kind}").format(kind=type(value).__name__)


class _Validator:
    """Walks the loaded YAML beside its node tree, collecting problems."""

    def __init__(self, file_label: str, lines: dict[tuple, int], check_filter=None):
        self.file = file_label
        self.lines = lines
        self.check_filter = check_filter
        self.problems: list[ProfileProblem] = []

    # -- helpers
    def line(self, path: tuple) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)

    @staticmethod
    def key_label(path: tuple) -> str:
        label = ""
        for part in path:
            if isinstance(part, int):
                label += f"[{part + 1}]"
            else:
                label += ("." if label else "") + _excerpt(part, 40)
        return label

    def one_line(self, path: tuple) -> bool:
        """False for a text YAML folded from several lines: quoting it would show more
        of the file than the offending line."""
        return path + (_SPANS_LINES,) not in self.lines

    def problem(self, path: tuple, message: str, line_path: tuple | None = None) -> None:
        line = self.line(line_path if line_path is not None else path)
        self.problems.append(ProfileProblem(self.file, line, self.key_label(path) or None, message))

    # -- values
    def value(self, path: tuple, raw: Any, kind: str) -> Any:
        """Check one value; returns the converted value or None after recording a problem."""
        expected = None
        echo = self.one_line(path)
        if kind in ("str", "text"):
            if isinstance(raw, str) and raw.strip():
                if kind == "str" and "\n" in raw.strip():
                    expected = tr("text on one line")
                else:
                    return raw.strip()
            elif isinstance(raw, (int, float)) and not isinstance(raw, bool) and kind == "str":
                return str(raw)
            else:
                expected = tr("a non-empty text")
        elif kind in ("number", "int"):
            if isinstance(raw, bool) or not isinstance(raw, (int, float)):
                expected = tr("a whole number") if kind == "int" else tr("a number")
            elif isinstance(raw, float) and not math.isfinite(raw):
                expected = tr("a finite number")
            elif kind == "int" and not float(raw).is_integer():
                expected = tr("a whole number")
            elif raw < 0:
                self.problem(path, tr("must not be negative (found {value})").format(value=_excerpt(raw, 40)))
                return None
            else:
                return int(raw) if kind == "int" else float(raw)
        elif kind == "bool":
            if isinstance(raw, bool):
                return raw
            expected = tr("true or false")
        elif kind == "patterns":
            items = raw if isinstance(raw, list) else [raw]
            if items and all(isinstance(i, str) and i.strip() for i in items):
                return tuple(i.strip() for i in items)
            expected = tr("a layer name pattern, or a list of them")
        elif kind == "severity":
            if isinstance(raw, str) and raw.strip().upper() in SEVERITIES:
                return raw.strip().upper()
            self.problem(
                path,
                tr("unknown severity {found}; expected one of A, B, C, D").format(
                    found=_describe(raw, echo, not echo)
                ),
            )
            return None
        elif kind == "relation":
            if isinstance(raw, str) and raw.strip() in RELATIONS:
                return raw.strip()
            self.problem(
                path,
                tr("unknown relation {found}; expected “overlap” or “within_distance”").format(
                    found=_describe(raw, echo, not echo)
                ),
            )
            return None
        elif kind == "geometry":
            if isinstance(raw, str) and raw.strip().lower() in ELEMENT_GEOMETRIES:
                return raw.strip().lower()
            self.problem(
                path,
                tr("unknown geometry {found}; expected “point”, “line” or “polygon”").format(
                    found=_describe(raw, echo, not echo)
                ),
            )
            return None
        elif kind in ("nature", "mode"):
            allowed = NATURES if kind == "nature" else MODES
            if isinstance(raw, str) and raw.strip().lower() in allowed:
                return raw.strip().lower()
            self.problem(
                path,
                tr("unknown value {found}; expected one of: {allowed}").format(
                    found=_describe(raw, echo, not echo), allowed=", ".join(allowed)
                ),
            )
            return None
        elif kind == "list":
            if isinstance(raw, list):
                return raw
            expected = tr("a list of items (lines starting with “- ”)")
        self.problem(
            path,
            tr("expected {expected}, found {found}").format(
                expected=expected, found=_describe(raw, echo, not echo)
            ),
        )
        return None

    def mapping(self, path: tuple, raw: Any, schema: dict[str, tuple[str, bool]]) -> dict | None:
        """Check a mapping's keys against its schema and convert its values."""
        if not isinstance(raw, dict):
            self.problem(
                path,
                tr("expected {expected}, found {found}").format(
                    expected=tr("a mapping (key: value pairs)"),
                    found=_describe(
                        raw, echo=bool(path) and self.one_line(path), spans_lines=not self.one_line(path)
                    ),
                ),
            )
            return None
        result: dict[str, Any] = {}
        for key, value in raw.items():
            if not isinstance(key, str) or key not in schema:
                close = difflib.get_close_matches(str(key), list(schema), n=1)
                hint = tr(" (did you mean “{key}”?)").format(key=close[0]) if close else ""
                self.problem(
                    path + (str(key),),
                    tr("unknown key; expected one of: {keys}{hint}").format(
                        keys=", ".join(schema), hint=hint
                    ),
                    line_path=path + (str(key), "__key__"),
                )
                continue
            converted = self.value(path + (key,), value, schema[key][0])
            if converted is not None:
                result[key] = converted
        for key, (_, required) in schema.items():
            if required and key not in raw:
                self.problem(path + (key,), tr("required key is missing"), line_path=path)
        return result

    def items(self, top: dict, key: str, schema: dict, build) -> tuple:
        """Validate a list of items with unique ids and build them."""
        raw_items = top.get(key) or []
        built = []
        seen: dict[str, int | None] = {}
        for index, raw in enumerate(raw_items):
            path = (key, index)
            data = self.mapping(path, raw, schema)
            if data is None:
                continue
            if self.check_filter is not None and data.get("filter"):
                for message in self.check_filter(data["filter"], data.get("source")):
                    self.problem(path + ("filter",), message)
            item_id = data.get("id")
            if item_id is not None:
                if item_id in seen:
                    first = seen[item_id]
                    self.problem(
                        path + ("id",),
                        tr("duplicate id “{id}” (first used on line {line})").format(
                            id=_excerpt(item_id, 40), line=first if first is not None else "?"
                        ),
                    )
                    continue
                seen[item_id] = self.line(path + ("id",))
            if all(k in data for k, (_, required) in schema.items() if required):
                item = build(path, data)
                if item is not None:
                    built.append(item)
        return tuple(built)

    # -- builders
    def sector(self, path: tuple, d: dict) -> Sector | None:
        if not d.get("layer") and not d.get("source"):
            self.problem(path, tr("a sector needs “layer” (a name pattern) or “source” (a data source)"))
            return None
        return Sector(
            id=d["id"],
            name_sv=d["name_sv"],
            name_en=d.get("name_en", d["name_sv"]),
            weight=d.get("weight", 1.0),
            layers=d.get("layer", ()),
            source=d.get("source"),
            filter=d.get("filter"),
            buffer_m=d.get("buffer_m"),
        )

    def rule(self, path: tuple, d: dict) -> AgencyRule | None:
        relation = d.get("relation", "overlap")
        distance = d.get("distance_m", 0.0)
        if not d.get("layer") and not d.get("source"):
            self.problem(path, tr("a rule needs “layer” (a name pattern) or “source” (a data source)"))
            return None
        if relation == "within_distance" and distance <= 0:
            self.problem(
                path + ("distance_m",),
                tr("a “within_distance” rule needs a distance_m greater than 0"),
            )
            return None
        return AgencyRule(
            id=d["id"],
            name_sv=d["name_sv"],
            name_en=d.get("name_en", d["name_sv"]),
            agency=d["agency"],
            legal_basis=d["legal_basis"],
            severity=d["severity"],
            relation=relation,
            distance_m=distance,
            layers=d.get("layer", ()),
            source=d.get("source"),
            filter=d.get("filter"),
            name_field=d.get("name_field"),
            advice_sv=d.get("advice_sv", ""),
            advice_en=d.get("advice_en", ""),
            withheld=d.get("withheld", False),
            agency_field=d.get("agency_field"),
            id_field=d.get("id_field"),
            nature=d.get("nature", "conflict"),
            nature_for=self.nature_cases(path + ("nature_for",), d.get("nature_for") or []),
            advice_agreement_sv=d.get("advice_agreement_sv", ""),
            advice_agreement_en=d.get("advice_agreement_en", ""),
        )

    def nature_cases(self, path: tuple, raw_cases: list) -> tuple[NatureCase, ...]:
        """A rule's nature_for entries; each names the elements it is for and their nature."""
        cases = []
        for index, raw in enumerate(raw_cases):
            data = self.mapping(path + (index,), raw, _NATURE_CASE_KEYS)
            if data is None or "nature" not in data:
                continue
            if not any(key in data for key in ("element_type", "theme", "category")):
                self.problem(
                    path + (index,),
                    tr("a nature_for entry needs “element_type”, “theme” or “category”"),
                )
                continue
            cases.append(
                NatureCase(
                    data["nature"],
                    data.get("element_type", ()),
                    data.get("theme", ()),
                    data.get("category", ()),
                )
            )
        return tuple(cases)

    def notice(self, path: tuple, d: dict) -> StandingNotice:
        return StandingNotice(
            id=d["id"],
            name_sv=d["name_sv"],
            name_en=d.get("name_en", d["name_sv"]),
            agency=d["agency"],
            legal_basis=d["legal_basis"],
            note_sv=d["note_sv"],
            note_en=d.get("note_en", ""),
            advice_sv=d.get("advice_sv", ""),
            advice_en=d.get("advice_en", ""),
        )

    def element_type(self, path: tuple, d: dict) -> ElementType:
        return ElementType(
            id=d["id"],
            name_sv=d["name_sv"],
            name_en=d.get("name_en", d["name_sv"]),
            geometry=d["geometry"],
            layers=d.get("layer", ()),
            tolerance_m=d.get("tolerance_m", 0.0),
        )
