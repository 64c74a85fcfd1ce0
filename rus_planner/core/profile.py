"""The planning profile: sectors, agency rules and RUS element types, and the errors that locate a problem.

The model is frozen dataclasses that match layers by name pattern or data source. It is read
from YAML by profile_load.py (the file), profile_yaml.py (a safe YAML reader) and
profile_validate.py (the schema), which raise only ``ProfileError``.
"""

from __future__ import annotations

import fnmatch
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import RusPlannerError
from .naming import candidate_names
from .texts import tr

EXCERPT_CHARS = 80  # the most of a file's line a message quotes
DEFAULT_TARGET_CRS = "EPSG:3006"
DEFAULT_PROFILE_PATH = Path(__file__).resolve().parents[2] / "resources" / "profiles" / "default_sv.yaml"


# --------------------------------------------------------------------------- model


@functools.lru_cache(maxsize=256)
def _folded_names(layer_name: str, layer_source: str) -> tuple[str, ...]:
    """The names a layer may be matched by, case-folded (asked once per rule: kept)."""
    return tuple(n.casefold() for n in candidate_names(layer_name, layer_source))


@functools.lru_cache(maxsize=4096)
def _name_fits(patterns: tuple[str, ...], layer_name: str, layer_source: str) -> bool:
    """Whether one of the layer's names fits a pattern (asked for every rule × layer of every
    run, with the same answers: kept)."""
    names = _folded_names(layer_name, layer_source)
    return any(fnmatch.fnmatchcase(n, pattern.casefold()) for n in names for pattern in patterns)


def _matches(patterns: tuple[str, ...], source: str | None, layer_name: str, layer_source: str) -> bool:
    """True when the layer's name (or the sub-layer its source names) fits a pattern,
    or its data source is the one given."""
    if _name_fits(tuple(patterns), layer_name or "", layer_source or ""):
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
    # The agency's own identifier of a feature (NVRID, SITECODE, ri_id): a finding carries it,
    # so it can be found again after the agency's data is refreshed.
    id_field: str | None = None
    # What an overlap means (finding_nature.py): conflict, agreement or information; per element
    # type, theme or category in ``nature_for`` (NatureCase), else ``nature``.
    nature: str = "conflict"
    nature_for: tuple = ()
    advice_agreement_sv: str = ""
    advice_agreement_en: str = ""

    def name(self, language: str = "sv") -> str:
        return self.name_sv if language == "sv" else self.name_en

    def advice(self, language: str = "sv") -> str:
        return self.advice_sv if language == "sv" else (self.advice_en or self.advice_sv)

    def advice_agreement(self, language: str = "sv") -> str:
        if language == "sv":
            return self.advice_agreement_sv
        return self.advice_agreement_en or self.advice_agreement_sv

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
    # The scale tolerance of elements of this type drawn schematically (finding_nature.py).
    tolerance_m: float = 0.0

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
    # "rus" (a non-binding strategy) or "regionplan" (PBL 7 kap): how advice is worded.
    mode: str = "rus"

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


def _excerpt(text: Any, limit: int = EXCERPT_CHARS) -> str:
    """At most ``limit`` characters of the first line of a text, control characters
    shown as "?": a message may quote the offending line of a file, never more of it."""
    lines = str(text).splitlines()
    line = "".join(c if c.isprintable() or c == "\t" else "?" for c in (lines[0] if lines else ""))
    return line if len(line) <= limit else line[: limit - 3] + "..."
