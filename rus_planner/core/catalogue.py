"""The catalogue of the agencies' services: which public service feeds which profile rule, read like a profile.

The catalogue (resources/catalogue/agency_services.yaml) is data, not code: per service the agency,
theme, the profile rules it feeds, protocol, address, typename, CRS, the agency's id and name
fields, licence, attribution, the documentation page it was taken from and when, and whether that
page confirmed it. It is read with the profile's safe YAML reader and validated the same way: every
problem with its file, line and key, and only ``CatalogueError`` raised.

Each service's ``layer`` is the table the fetch writes; it is matched by the profile's own rules,
so ``rule_coverage`` says which rules a fetch feeds and ``rules_without_source`` which rules no
public source feeds (reports list them as not checked).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import RusPlannerError
from .profile import Profile, ProfileProblem, _excerpt
from .texts import tr

DEFAULT_CATALOGUE_PATH = (
    Path(__file__).resolve().parents[2] / "resources" / "catalogue" / "agency_services.yaml"
)
LAN_BOXES_PATH = DEFAULT_CATALOGUE_PATH.with_name("lan_bbox.csv")
PROTOCOLS = ("wfs2", "oapif", "arcgis_rest", "zip")
# Protocols the fetch reads page by page (qgis_io/agency_fetch.py); the others are described only.
FETCHABLE = ("wfs2", "oapif")
MAX_CATALOGUE_BYTES = 1_000_000
_LAYER_NAME = re.compile(r"^[a-z][a-z0-9_]{0,62}$")

# key: (kind, required); kinds: str, text, url, optional str (str?), url?, bool, date, rules
_SERVICE_KEYS = {
    "id": ("str", True),
    "agency": ("str", True),
    "theme": ("str", True),
    "rules": ("rules", True),
    "protocol": ("protocol", True),
    "url": ("url?", True),
    "typename": ("str?", True),
    "crs": ("str", True),
    "id_field": ("str?", True),
    "name_field": ("str?", True),
    "licence": ("str", True),
    "attribution": ("str", True),
    "documentation": ("url", True),
    "checked": ("date", True),
    "verified": ("bool", True),
    "verification": ("text", False),
    "layer": ("str", False),
}
_TOP_KEYS = {"version": ("int", False), "checked": ("date", False), "services": ("list", True)}


class CatalogueError(RusPlannerError):
    """The catalogue could not be used; carries every problem found."""

    def __init__(self, problems: list[ProfileProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Service:
    """One agency service of the catalogue (see the module docstring)."""

    id: str
    agency: str
    theme: str
    rules: tuple[str, ...]
    protocol: str
    url: str | None
    typename: str | None
    crs: str
    id_field: str | None
    name_field: str | None
    licence: str
    attribution: str
    documentation: str
    checked: str
    verified: bool
    verification: str = ""
    layer: str = ""

    @property
    def fetchable(self) -> bool:
        """Whether the fetch can read it: a protocol it pages, and an address to ask."""
        return self.protocol in FETCHABLE and bool(self.url) and bool(self.typename)

    def not_fetchable_reason(self) -> str:
        """Why the fetch does not read this service (for a class D note); "" when it does."""
        if not self.url:
            return tr(
                "the catalogue has no verified address for this service ({page}); download the data "
                "from the agency and add it as a layer"
            ).format(page=self.documentation)
        if self.protocol not in FETCHABLE:
            return tr(
                "the fetch reads WFS 2.0 and OGC API Features only; this service ({protocol}) is "
                "downloaded by hand from {page}"
            ).format(protocol=self.protocol, page=self.documentation)
        if not self.typename:
            return tr("the catalogue names no feature type for this service")
        return ""


@dataclass(frozen=True)
class Catalogue:
    services: tuple[Service, ...]
    checked: str = ""
    source_path: str | None = None

    def service(self, service_id: str) -> Service | None:
        return next((s for s in self.services if s.id == service_id), None)

    def themes(self) -> list[str]:
        return [s.theme for s in self.services]


@dataclass(frozen=True)
class UncoveredRule:
    """A profile rule that no public service in the catalogue feeds."""

    rule_id: str
    name_sv: str
    name_en: str
    agency: str

    @property
    def reason(self) -> str:
        return tr("not checked: no public source")


# --------------------------------------------------------------------------- reading


def parse_catalogue(
    data: bytes | str, file_label: str = "<catalogue>", source_path: str | None = None
) -> Catalogue:
    """Validate catalogue text into a Catalogue, or raise CatalogueError listing every problem."""
    import yaml

    from .profile_yaml import _compose_and_construct, _decode, _Refused

    def fail(message: str, line: int | None = None) -> CatalogueError:
        return CatalogueError([ProfileProblem(file_label, line, None, message)])

    if isinstance(data, bytes):
        if len(data) > MAX_CATALOGUE_BYTES:
            raise fail(tr("the file is larger than 1 MB; a catalogue is a short YAML file"))
        data = _decode(data, fail)
    try:
        raw, lines, duplicates = _compose_and_construct(data, file_label)
    except _Refused as refusal:
        raise fail(refusal.message, refusal.line) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise fail(
            tr("this is not valid YAML ({detail})").format(detail=_excerpt(getattr(exc, "problem", exc))),
            mark.line + 1 if mark else None,
        ) from None
    validator = _CatalogueValidator(file_label, lines)
    validator.problems += [ProfileProblem(file_label, p.line, p.key, p.message) for p in duplicates]
    catalogue = validator.catalogue(raw, source_path)
    if validator.problems:
        raise CatalogueError(validator.problems)
    return catalogue


def load_catalogue(path: str | Path = DEFAULT_CATALOGUE_PATH) -> Catalogue:
    """Read and validate a catalogue file; raises CatalogueError naming the file."""
    from .profile import ProfileError
    from .profile_load import read_profile_bytes

    try:
        data = read_profile_bytes(path)
    except ProfileError as error:  # the same reading rules: an ordinary file of at most 1 MB
        raise CatalogueError(error.problems) from None
    return parse_catalogue(data, str(path), source_path=str(path))


class _CatalogueValidator:
    def __init__(self, file_label: str, lines: dict):
        self.file_label = file_label
        self.lines = lines
        self.problems: list[ProfileProblem] = []

    def problem(self, path: tuple, message: str) -> None:
        line = None
        for cut in range(len(path), -1, -1):
            line = self.lines.get(path[:cut])
            if line is not None:
                break
        key = ".".join(str(p) if not isinstance(p, int) else f"[{p}]" for p in path) or None
        self.problems.append(ProfileProblem(self.file_label, line, key, message))

    def catalogue(self, raw: Any, source_path: str | None) -> Catalogue:
        if not isinstance(raw, dict):
            self.problem((), tr("a catalogue is a mapping with “services”"))
            return Catalogue(())
        self.unknown_keys((), raw, _TOP_KEYS)
        items = raw.get("services")
        if not isinstance(items, list) or not items:
            self.problem(("services",), tr("“services” must be a non-empty list"))
            return Catalogue(())
        services = [self.service(("services", i), item) for i, item in enumerate(items)]
        services = [s for s in services if s is not None]
        for field in ("id", "layer"):
            seen: dict[str, int] = {}
            for index, service in enumerate(services):
                value = getattr(service, field)
                if value in seen:
                    self.problem(
                        ("services", index, field),
                        tr("“{value}” is used by two services; each must be unique").format(value=value),
                    )
                seen.setdefault(value, index)
        return Catalogue(tuple(services), _date_text(raw.get("checked")), source_path)

    def unknown_keys(self, path: tuple, mapping: dict, keys: dict) -> None:
        for key in mapping:
            if key not in keys:
                self.problem(
                    path + (key,),
                    tr("unknown key; expected one of: {keys}").format(keys=", ".join(keys)),
                )

    def service(self, path: tuple, item: Any) -> Service | None:
        if not isinstance(item, dict):
            self.problem(path, tr("each service must be a mapping"))
            return None
        self.unknown_keys(path, item, _SERVICE_KEYS)
        before = len(self.problems)
        values = {}
        for key, (kind, required) in _SERVICE_KEYS.items():
            if key not in item:
                if required:
                    self.problem(path + (key,), tr("required key is missing"))
                continue
            values[key] = self.value(path + (key,), kind, item[key])
        if len(self.problems) > before:
            return None
        if not values.get("verified") and not values.get("verification"):
            self.problem(path + ("verification",), tr("an unverified service must say why (“verification”)"))
        if values["protocol"] in FETCHABLE and values.get("url") and not values.get("typename"):
            self.problem(
                path + ("typename",), tr("a WFS or OGC API service needs its typename or collection")
            )
        layer = values.get("layer") or values["id"]
        if not _LAYER_NAME.match(layer):
            self.problem(
                path + ("layer" if "layer" in item else "id",),
                tr("“{value}” cannot be a table name: lower-case letters, digits and _ only").format(
                    value=_excerpt(layer, 40)
                ),
            )
        values["layer"] = layer
        values["rules"] = tuple(values["rules"])
        return Service(**values)

    def value(self, path: tuple, kind: str, value: Any):
        optional = kind.endswith("?")
        kind = kind.rstrip("?")
        if value is None and optional:
            return None
        if kind in ("str", "text", "url"):
            if not isinstance(value, str) or not value.strip():
                self.problem(path, tr("expected a text"))
                return ""
            if kind == "str" and "\n" in value.strip():
                self.problem(path, tr("expected a text on one line"))
            if kind == "url" and not value.startswith(("https://", "http://")):
                self.problem(path, tr("expected an address starting with https:// or http://"))
            return value.strip()
        if kind == "bool":
            if not isinstance(value, bool):
                self.problem(path, tr("expected true or false"))
            return bool(value)
        if kind == "date":
            text = _date_text(value)
            if not text:
                self.problem(path, tr("expected a date (YYYY-MM-DD)"))
            return text
        if kind == "protocol":
            if value not in PROTOCOLS:
                self.problem(path, tr("expected one of: {values}").format(values=", ".join(PROTOCOLS)))
            return value
        if kind == "rules":
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                self.problem(path, tr("expected a list of profile rule ids"))
                return []
            return value
        return value


def _date_text(value: Any) -> str:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return ""
    return ""


def lan_boxes() -> list[tuple[str, str, tuple[float, float, float, float]]]:
    """The 21 län: (code, name, bounding box in EPSG:3006), from resources/catalogue/lan_bbox.csv."""
    boxes = []
    for line in LAN_BOXES_PATH.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith(("#", "code;")):
            continue
        code, name, *numbers = line.split(";")
        boxes.append((code, name, tuple(float(n) for n in numbers)))
    return boxes


# --------------------------------------------------------------------------- against a profile


def rule_coverage(catalogue: Catalogue, profile: Profile) -> dict[str, list[Service]]:
    """For every agency rule of the profile, the services whose fetched layer it picks up."""
    coverage: dict[str, list[Service]] = {rule.id: [] for rule in profile.agency_rules}
    for service in catalogue.services:
        for rule in profile.agency_rules:
            if rule.matches_layer(service.layer):
                coverage[rule.id].append(service)
    return coverage


def rules_without_source(profile: Profile, catalogue: Catalogue) -> list[UncoveredRule]:
    """The profile's agency rules no catalogue service feeds: "not checked: no public source".

    A withheld rule is left out (it says so itself, as class D); so are rules given by data source.
    """
    coverage = rule_coverage(catalogue, profile)
    return [
        UncoveredRule(rule.id, rule.name_sv, rule.name_en, rule.agency)
        for rule in profile.agency_rules
        if not coverage[rule.id] and not rule.withheld
    ]


def mismatches(catalogue: Catalogue, profile: Profile) -> list[str]:
    """Where the catalogue and the profile disagree: a rule id the profile lacks, or a service
    whose layer the profile's rules would pick up differently from what the catalogue says."""
    known = {rule.id for rule in profile.agency_rules}
    problems = []
    for service in catalogue.services:
        for rule_id in service.rules:
            if rule_id not in known:
                problems.append(
                    tr("service {service}: the profile has no rule “{rule}”").format(
                        service=service.id, rule=rule_id
                    )
                )
        picked = {rule.id for rule in profile.agency_rules if rule.matches_layer(service.layer)}
        if picked != set(service.rules):
            problems.append(
                tr("service {service}: its layer “{layer}” is picked up by {picked}, not by {listed}").format(
                    service=service.id,
                    layer=service.layer,
                    picked=", ".join(sorted(picked)) or "–",
                    listed=", ".join(service.rules) or "–",
                )
            )
    return problems
