"""The planning profile: sectors, agency rules and RUS element types, read from YAML.

The YAML is composed once with a safe loader that refuses alias bombs (the node tree
gives the line numbers), constructed with the safe constructor, then validated into
frozen dataclasses. Every problem is collected with its file, line and key, so a wrong
profile is explained at once, never with a traceback: the only exception this module
raises is ``ProfileError``.

A profile path may be anything a hostile or careless user gives: only an ordinary file
of at most 1 MB is read (never a device or a pipe, which may never end), and a message
quotes at most a short part of the offending line, so pointing at a system file shows
nothing of it.
"""

from __future__ import annotations

import difflib
import fnmatch
import functools
import math
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import RusPlannerError
from .naming import candidate_names
from .texts import tr

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).

MAX_PROFILE_BYTES = 1_000_000
# An alias (*name) repeats what its anchor (&name) holds; nested, a few of them make a
# "billion laughs". Profiles use a few (a shared list of patterns, ``<<: *rule``).
MAX_ALIASES = 100
MAX_ALIAS_EXPANSION = 10_000  # YAML values all aliases together may repeat
EXCERPT_CHARS = 80  # the most of a file's line a message quotes
SEVERITIES = ("A", "B", "C", "D")
RELATIONS = ("overlap", "within_distance")
ELEMENT_GEOMETRIES = ("point", "line", "polygon")
DEFAULT_TARGET_CRS = "EPSG:3006"
DEFAULT_PROFILE_PATH = Path(__file__).resolve().parents[2] / "resources" / "profiles" / "default_sv.yaml"


# --------------------------------------------------------------------------- model


@functools.lru_cache(maxsize=256)
def _folded_names(layer_name: str, layer_source: str) -> tuple[str, ...]:
    """The names a layer may be matched by, case-folded (asked once per rule: kept)."""
    return tuple(n.casefold() for n in candidate_names(layer_name, layer_source))


def _matches(patterns: tuple[str, ...], source: str | None, layer_name: str, layer_source: str) -> bool:
    """True when the layer's name (or the sub-layer its source names) fits a pattern,
    or its data source is the one given."""
    names = _folded_names(layer_name or "", layer_source or "")
    if any(fnmatch.fnmatchcase(n, pattern.casefold()) for n in names for pattern in patterns):
        return True
    if source and layer_source:
        wanted = source.strip().casefold()
        have = layer_source.strip().casefold()
        if have == wanted:
            return True
        # a bare file path matches that file however the layer was opened
        return "|" not in wanted and have.split("|")[0] == wanted
    return False


@dataclass(frozen=True)
class Sector:
    """One sector's analysis layer (transport, kultur, ...) and its weight in the score."""

    id: str
    name_sv: str
    name_en: str
    weight: float = 1.0
    layers: tuple[str, ...] = ()
    source: str | None = None
    filter: str | None = None
    buffer_m: float | None = None

    def name(self, language: str = "sv") -> str:
        return self.name_sv if language == "sv" else self.name_en

    def matches_layer(self, layer_name: str, layer_source: str = "") -> bool:
        return _matches(self.layers, self.source, layer_name, layer_source)


@dataclass(frozen=True)
class AgencyRule:
    """How one kind of agency layer is weighed: relation, distance, severity, advice."""

    id: str
    name_sv: str
    name_en: str
    agency: str
    legal_basis: str
    severity: str
    relation: str = "overlap"
    distance_m: float = 0.0
    layers: tuple[str, ...] = ()
    source: str | None = None
    filter: str | None = None
    name_field: str | None = None
    advice_sv: str = ""
    advice_en: str = ""
    withheld: bool = False
    # A field naming the deciding authority (NVR's BESLMYND): where a feature has it, the
    # finding names that authority instead of ``agency``.
    agency_field: str | None = None

    def name(self, language: str = "sv") -> str:
        return self.name_sv if language == "sv" else self.name_en

    def advice(self, language: str = "sv") -> str:
        return self.advice_sv if language == "sv" else (self.advice_en or self.advice_sv)

    def matches_layer(self, layer_name: str, layer_source: str = "") -> bool:
        return _matches(self.layers, self.source, layer_name, layer_source)


@dataclass(frozen=True)
class StandingNotice:
    """An interest no layer can show (data withheld by law): class D for every element of every run."""

    id: str
    name_sv: str
    name_en: str
    agency: str
    legal_basis: str
    note_sv: str
    note_en: str = ""
    advice_sv: str = ""
    advice_en: str = ""

    def name(self, language: str = "sv") -> str:
        return self.name_sv if language == "sv" else self.name_en

    def note(self, language: str = "sv") -> str:
        return self.note_sv if language == "sv" else (self.note_en or self.note_sv)

    def advice(self, language: str = "sv") -> str:
        return self.advice_sv if language == "sv" else (self.advice_en or self.advice_sv)


@dataclass(frozen=True)
class ElementType:
    """A RUS element type after Boverket's nod–stråk–område."""

    id: str
    name_sv: str
    name_en: str
    geometry: str
    layers: tuple[str, ...] = ()

    def name(self, language: str = "sv") -> str:
        return self.name_sv if language == "sv" else self.name_en

    def matches_layer(self, layer_name: str, layer_source: str = "") -> bool:
        return _matches(self.layers, None, layer_name, layer_source)


@dataclass(frozen=True)
class Profile:
    """A validated planning profile."""

    name: str
    sectors: tuple[Sector, ...]
    agency_rules: tuple[AgencyRule, ...]
    element_types: tuple[ElementType, ...]
    description: str = ""
    version: int = 1
    target_crs: str = DEFAULT_TARGET_CRS
    source_path: str | None = field(default=None, compare=False)
    standing_notices: tuple[StandingNotice, ...] = ()

    def sector_for_layer(self, layer_name: str, layer_source: str = "") -> Sector | None:
        return next((s for s in self.sectors if s.matches_layer(layer_name, layer_source)), None)

    def rules_for_layer(self, layer_name: str, layer_source: str = "") -> list[AgencyRule]:
        return [r for r in self.agency_rules if r.matches_layer(layer_name, layer_source)]

    def element_type_for_layer(
        self, layer_name: str, geometry: str | None = None, layer_source: str = ""
    ) -> ElementType | None:
        """The type named by the layer (or its source's sub-layer), else the first of its geometry."""
        named = [t for t in self.element_types if t.matches_layer(layer_name, layer_source)]
        if geometry:
            fitting = [t for t in named if t.geometry == geometry]
            if fitting:
                return fitting[0]
            return next((t for t in self.element_types if t.geometry == geometry), None)
        return named[0] if named else None


# --------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class ProfileProblem:
    """One thing wrong with a profile, located by file, line and key."""

    file: str
    line: int | None
    key: str | None
    message: str

    def __str__(self) -> str:
        if self.line is not None and self.key:
            return tr("{file}, line {line}, key “{key}”: {message}").format(
                file=self.file, line=self.line, key=self.key, message=self.message
            )
        if self.line is not None:
            return tr("{file}, line {line}: {message}").format(
                file=self.file, line=self.line, message=self.message
            )
        return tr("{file}: {message}").format(file=self.file, message=self.message)


class ProfileError(RusPlannerError):
    """A profile could not be used; carries every problem found."""

    def __init__(self, problems: list[ProfileProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --------------------------------------------------------------------------- schema

# kind: "str", "text" (multi-line allowed), "number", "bool", "patterns", "severity",
# "relation", "geometry", "int"
_SECTOR_KEYS = {
    "id": ("str", True),
    "name_sv": ("str", True),
    "name_en": ("str", False),
    "weight": ("number", False),
    "layer": ("patterns", False),
    "source": ("str", False),
    "filter": ("str", False),
    "buffer_m": ("number", False),
}
_RULE_KEYS = {
    "id": ("str", True),
    "name_sv": ("str", True),
    "name_en": ("str", False),
    "layer": ("patterns", False),
    "source": ("str", False),
    "filter": ("str", False),
    "agency": ("str", True),
    "legal_basis": ("str", True),
    "relation": ("relation", False),
    "distance_m": ("number", False),
    "severity": ("severity", True),
    "advice_sv": ("text", False),
    "advice_en": ("text", False),
    "name_field": ("str", False),
    "agency_field": ("str", False),
    "withheld": ("bool", False),
}
_NOTICE_KEYS = {
    "id": ("str", True),
    "name_sv": ("str", True),
    "name_en": ("str", False),
    "agency": ("str", True),
    "legal_basis": ("str", True),
    "note_sv": ("text", True),
    "note_en": ("text", False),
    "advice_sv": ("text", False),
    "advice_en": ("text", False),
}
_ELEMENT_KEYS = {
    "id": ("str", True),
    "name_sv": ("str", True),
    "name_en": ("str", False),
    "geometry": ("geometry", True),
    "layer": ("patterns", False),
}
_TOP_KEYS = {
    "version": ("int", False),
    "name": ("str", True),
    "description": ("text", False),
    "target_crs": ("str", False),
    "sectors": ("list", False),
    "agency_rules": ("list", False),
    "element_types": ("list", False),
    "standing_notices": ("list", False),
}


def _excerpt(text: Any, limit: int = EXCERPT_CHARS) -> str:
    """At most ``limit`` characters of the first line of a text, control characters
    shown as "?": a message may quote the offending line of a file, never more of it."""
    lines = str(text).splitlines()
    line = "".join(c if c.isprintable() or c == "\t" else "?" for c in (lines[0] if lines else ""))
    return line if len(line) <= limit else line[: limit - 3] + "..."


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
        )

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
        )


# --------------------------------------------------------------------------- loading


_SPANS_LINES = "__spans_lines__"


def _line_map(node, path: tuple = (), out: dict | None = None, depth: int = 0) -> dict[tuple, int]:
    """Map key paths to 1-based line numbers from the composed YAML node tree (and mark
    the texts that span several lines, see _Validator.one_line)."""
    import yaml

    out = {} if out is None else out
    if depth > 50:
        return out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.ScalarNode) and node.end_mark.line > node.start_mark.line:
        out.setdefault(path + (_SPANS_LINES,), node.end_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            out.setdefault(path + (key, "__key__"), key_node.start_mark.line + 1)
            out.setdefault(path + (key,), value_node.start_mark.line + 1)
            _line_map(value_node, path + (key,), out, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, path + (index,), out, depth + 1)
    return out


def _duplicate_keys(node, file_label: str, path: tuple = (), depth: int = 0) -> list[ProfileProblem]:
    """YAML silently keeps the last of two equal keys; a profile author wants to know."""
    import yaml

    problems: list[ProfileProblem] = []
    if depth > 50:
        return problems
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                line = key_node.start_mark.line + 1
                if key_node.value in seen:
                    problems.append(
                        ProfileProblem(
                            file_label,
                            line,
                            _Validator.key_label(path + (key_node.value,)),
                            tr("key given twice (first on line {line})").format(line=seen[key_node.value]),
                        )
                    )
                seen.setdefault(key_node.value, line)
                problems += _duplicate_keys(value_node, file_label, path + (key_node.value,), depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _duplicate_keys(item, file_label, path + (index,), depth + 1)
    return problems


class _Refused(Exception):
    """The profile loader stops reading: the message and line for the ProfileProblem."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message = message
        self.line = line


@functools.lru_cache(maxsize=2)
def _profile_loader(fast: bool = True):
    """A safe YAML loader that refuses alias bombs while composing, before anything grows.

    Aliases to collections stay allowed: a shared list of layer patterns (``layer: *n2000``)
    and merge keys (``<<: *first_rule``) are ordinary YAML a profile author may use. What is
    refused is what no profile needs: more than MAX_ALIASES aliases, aliases repeating more
    than MAX_ALIAS_EXPANSION values in all (the expansion is counted, never built), and an
    alias inside the collection it names (an endless profile).

    ``fast``: libyaml's parser (when PyYAML has it) under PyYAML's own composer, which is
    where aliases are counted; pure Python takes some 40 s for a 1 MB profile, this some 5.
    Otherwise yaml.SafeLoader's pure-Python parser.
    """
    import yaml
    from yaml.composer import Composer
    from yaml.constructor import SafeConstructor
    from yaml.resolver import Resolver

    try:
        from yaml.cyaml import CParser
    except ImportError:  # PyYAML built without libyaml
        CParser = None  # noqa: N806 - the class's own name

    if fast and CParser is not None:

        class Base(Composer, CParser, SafeConstructor, Resolver):
            def __init__(self, stream):
                CParser.__init__(self, stream)
                Composer.__init__(self)
                SafeConstructor.__init__(self)
                Resolver.__init__(self)

    else:
        Base = yaml.SafeLoader  # noqa: N806

    class ProfileLoader(Base):
        def __init__(self, stream):
            super().__init__(stream)
            self.alias_count = 0
            self.alias_expansion = 0
            self.open_anchors: list[str] = []
            self.node_sizes: dict[int, int] = {}

        def compose_node(self, parent, index):
            event = self.peek_event()
            if isinstance(event, yaml.AliasEvent):
                self.count_alias(event)
                return super().compose_node(parent, index)
            anchor = getattr(event, "anchor", None)
            if anchor is None:
                return super().compose_node(parent, index)
            self.open_anchors.append(anchor)
            try:
                return super().compose_node(parent, index)
            finally:
                self.open_anchors.pop()

        def count_alias(self, event) -> None:
            line = event.start_mark.line + 1 if event.start_mark else None
            self.alias_count += 1
            if self.alias_count > MAX_ALIASES:
                raise _Refused(
                    tr(
                        "more than {limit} aliases (*name); a profile may repeat a value by an alias "
                        "at most {limit} times"
                    ).format(limit=MAX_ALIASES),
                    line,
                )
            if event.anchor in self.open_anchors:
                raise _Refused(
                    tr("the alias *{anchor} stands inside the value it names, which makes it endless").format(
                        anchor=_excerpt(event.anchor, 40)
                    ),
                    line,
                )
            target = self.anchors.get(event.anchor)
            if target is None:
                return  # an undefined alias: the composer says so
            self.alias_expansion += self.expanded_size(target)
            if self.alias_expansion > MAX_ALIAS_EXPANSION:
                raise _Refused(
                    tr(
                        "the aliases (*name) repeat more than {limit} values; a profile that grows like "
                        "this (an “alias bomb”) is refused"
                    ).format(limit=MAX_ALIAS_EXPANSION),
                    line,
                )

        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep)
            except (ValueError, OverflowError):  # 2024-02-30, an integer of 5 000 digits
                raise _Refused(
                    tr("this value could not be read as a number or a date (out of range or too long)"),
                    node.start_mark.line + 1 if node.start_mark else None,
                ) from None

        def expanded_size(self, root) -> int:
            """How many values the node stands for once its aliases are written out; each
            node counted once (memo), so a bomb costs its length, not its expansion."""
            stack = [(root, False)]
            while stack:
                node, children_done = stack.pop()
                if id(node) in self.node_sizes:
                    continue
                children = _children(node)
                if children_done:
                    self.node_sizes[id(node)] = 1 + sum(self.node_sizes[id(child)] for child in children)
                else:
                    stack.append((node, True))
                    stack.extend((child, False) for child in children if id(child) not in self.node_sizes)
            return self.node_sizes[id(root)]

    return ProfileLoader


def _children(node) -> list:
    """A composed node's child nodes (keys and values for a mapping)."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _compose_and_construct(text: str, file_label: str, fast: bool = True):
    """(values, line map, duplicate-key problems) of one YAML document; (None, {}, []) when
    it is empty. The lines and duplicates are taken before constructing, which merges
    ``<<`` keys into the node tree as written."""
    loader = _profile_loader(fast)(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}, []
        lines = _line_map(node)
        duplicates = _duplicate_keys(node, file_label)
        return loader.construct_document(node), lines, duplicates
    finally:
        loader.dispose()


def _decode(data: bytes, fail) -> str:
    """The text of a profile file, or a ProfileError saying what kind of file it is instead."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise fail(tr("the file is in UTF-16 or UTF-32, not UTF-8; save it as UTF-8"), 1)
    zero = data.find(b"\x00")
    if zero >= 0:
        raise fail(
            tr("this is binary data, not text (it holds zero bytes); a profile is a YAML text file in UTF-8"),
            data[:zero].count(b"\n") + 1,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise fail(
            tr(
                "the file is not UTF-8 text (a byte that is not UTF-8 at position {pos}); save it as UTF-8"
            ).format(pos=exc.start),
            line,
        ) from None


def parse_profile(
    data: bytes | str,
    file_label: str = "<profile>",
    source_path: str | None = None,
    check_filter=None,
    fast: bool = True,
) -> Profile:
    """Validate profile text into a Profile, or raise ProfileError listing every problem.

    ``check_filter(expression, source) -> list[str]``, when given, is asked about every
    sector's and rule's ``filter`` (its messages become problems at the filter's line):
    filters are QGIS expressions, and this module reads a profile without QGIS.
    ``fast=False`` reads with PyYAML's pure-Python parser (as without libyaml).
    """
    import yaml

    def fail(message: str, line: int | None = None) -> ProfileError:
        return ProfileError([ProfileProblem(file_label, line, None, message)])

    if isinstance(data, bytes):
        if len(data) > MAX_PROFILE_BYTES:
            raise fail(
                tr("the file is {size:.1f} MB; a profile may be at most {limit:.0f} MB").format(
                    size=len(data) / 1e6, limit=MAX_PROFILE_BYTES / 1e6
                )
            )
        text = _decode(data, fail)
    else:
        text = data
        if len(text.encode("utf-8", "surrogatepass")) > MAX_PROFILE_BYTES:
            raise fail(
                tr("the file is {size:.1f} MB; a profile may be at most {limit:.0f} MB").format(
                    size=len(text.encode("utf-8", "surrogatepass")) / 1e6, limit=MAX_PROFILE_BYTES / 1e6
                )
            )
    if not text.strip():
        raise fail(tr("the file is empty; a profile needs at least “name” and one sector or rule"))

    try:
        raw, lines, duplicates = _compose_and_construct(text, file_label, fast)
    except _Refused as refusal:
        raise fail(refusal.message, refusal.line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise fail(
            tr("this is not valid YAML ({detail})").format(detail=_excerpt(detail)),
            mark.line + 1 if mark else None,
        ) from None
    except yaml.reader.ReaderError as exc:
        code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        raise fail(
            tr(
                "the file holds a control character ({code}) that YAML text may not contain; "
                "a profile is a plain text file"
            ).format(code=f"U+{code:04X}"),
            text.count("\n", 0, max(exc.position, 0)) + 1,
        ) from None
    except yaml.YAMLError as exc:
        raise fail(tr("this is not valid YAML ({detail})").format(detail=_excerpt(exc))) from None
    except (RecursionError, MemoryError, ValueError, OverflowError, TypeError) as exc:
        raise fail(tr("this YAML could not be read ({detail})").format(detail=type(exc).__name__)) from None

    if raw is None:
        raise fail(tr("the file is empty; a profile needs at least “name” and one sector or rule"))

    try:
        return _validate(raw, lines, duplicates, file_label, source_path, check_filter)
    except RecursionError:
        raise fail(tr("the YAML is nested too deeply to be a profile")) from None


def _looks_like_a_profile(raw: dict) -> bool:
    """True when some top-level key is a profile's (or a misspelling of one): only then are
    its keys and values worth quoting back; a system file's lines are not."""
    keys = [key for key in raw if isinstance(key, str)]
    return any(key in _TOP_KEYS or difflib.get_close_matches(key, list(_TOP_KEYS), n=1) for key in keys)


def _validate(
    raw: Any,
    lines: dict[tuple, int],
    duplicates: list[ProfileProblem],
    file_label: str,
    source_path: str | None,
    check_filter=None,
) -> Profile:
    if isinstance(raw, dict) and not _looks_like_a_profile(raw):
        raise ProfileError(
            [
                ProfileProblem(
                    file_label,
                    None,
                    None,
                    tr(
                        "this is not a planning profile: none of its top-level keys is one a profile has "
                        "({keys}); choose the profile's YAML file"
                    ).format(keys=", ".join(_TOP_KEYS)),
                )
            ]
        )
    validator = _Validator(file_label, lines, check_filter)
    validator.problems += duplicates
    top = validator.mapping((), raw, _TOP_KEYS)
    if top is None:
        raise ProfileError(validator.problems)
    sectors = validator.items(top, "sectors", _SECTOR_KEYS, validator.sector)
    rules = validator.items(top, "agency_rules", _RULE_KEYS, validator.rule)
    elements = validator.items(top, "element_types", _ELEMENT_KEYS, validator.element_type)
    notices = validator.items(top, "standing_notices", _NOTICE_KEYS, validator.notice)
    if not validator.problems and not sectors and not rules:
        validator.problem((), tr("the profile has no sectors and no agency rules"))
    if validator.problems:
        raise ProfileError(validator.problems)
    return Profile(
        name=top["name"],
        description=top.get("description", ""),
        version=top.get("version", 1),
        target_crs=top.get("target_crs", DEFAULT_TARGET_CRS),
        sectors=sectors,
        agency_rules=rules,
        element_types=elements,
        source_path=source_path,
        standing_notices=notices,
    )


_LOADED: dict[tuple, Profile] = {}


def _unreadable_reason(error: OSError) -> str:
    """Why a file could not be opened, in the user's language where the reason is common."""
    if isinstance(error, FileNotFoundError):
        return tr("it does not exist")
    if isinstance(error, PermissionError):
        return tr("no permission to read it")
    return error.strerror or type(error).__name__


def _refuse_unless_ordinary(status: os.stat_result, refuse) -> None:
    """Only an ordinary file of at most MAX_PROFILE_BYTES is read at all."""
    if stat.S_ISDIR(status.st_mode):
        raise refuse(tr("this is a folder, not a file; choose the profile's YAML file"))
    if not stat.S_ISREG(status.st_mode):
        raise refuse(
            tr(
                "this is not an ordinary file but a device, a pipe or a socket, which may never end; "
                "a profile is a YAML file"
            )
        )
    if status.st_size > MAX_PROFILE_BYTES:
        raise refuse(
            tr("the file is {size:.1f} MB; a profile may be at most {limit:.0f} MB").format(
                size=status.st_size / 1e6, limit=MAX_PROFILE_BYTES / 1e6
            )
        )


def read_profile_bytes(path: str | Path) -> bytes:
    """The bytes of a profile file, or ProfileError: only an ordinary file is read, and at most
    MAX_PROFILE_BYTES + 1 bytes of it (/dev/zero, a pipe or a growing file would never end)."""
    label = str(path)

    def refuse(message: str) -> ProfileError:
        return ProfileError([ProfileProblem(label, None, None, message)])

    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    chunks: list[bytes] = []
    total = 0
    try:
        _refuse_unless_ordinary(os.stat(path), refuse)
        descriptor = os.open(path, flags)
        try:
            _refuse_unless_ordinary(os.fstat(descriptor), refuse)  # not swapped since the check
            while total <= MAX_PROFILE_BYTES:
                chunk = os.read(descriptor, MAX_PROFILE_BYTES + 1 - total)
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise refuse(
            tr("the file could not be read ({reason})").format(reason=_unreadable_reason(exc))
        ) from None
    if total > MAX_PROFILE_BYTES:
        raise refuse(
            tr("the file is larger than {limit} MB; a profile may be at most {limit} MB").format(
                limit=MAX_PROFILE_BYTES // 1_000_000
            )
        )
    return b"".join(chunks)


def load_profile(path: str | Path, check_filter=None) -> Profile:
    """Read and validate a profile file; raises ProfileError naming the file.

    A file read before and unchanged since (same size and modification time) is not parsed
    again: profiles are immutable, and live checks and batch runs load the same one often.
    ``check_filter`` is parse_profile's; a run with it is neither taken from nor kept in
    that memory (it asks more than a plain load).
    """
    path = Path(path)
    key = None
    if check_filter is None:
        try:
            status = path.stat()
            if stat.S_ISREG(status.st_mode):
                key = (str(path.resolve()), status.st_mtime_ns, status.st_size)
                if key in _LOADED:
                    return _LOADED[key]
        except (OSError, RuntimeError):
            key = None  # read_profile_bytes says why
    data = read_profile_bytes(path)
    profile = parse_profile(data, str(path), source_path=str(path), check_filter=check_filter)
    if key is not None:
        if len(_LOADED) > 16:
            _LOADED.clear()
        _LOADED[key] = profile
    return profile


def load_default_profile() -> Profile:
    """The Swedish default profile shipped with the plugin."""
    return load_profile(DEFAULT_PROFILE_PATH)
