"""The plugin's state in the QGIS project, so that a .qgz carries the whole RUS check.

What travels with the project: which layers are RUS elements and which are agency
layers (by layer id), the planning profile itself (its YAML text, so a colleague without
the file gets the same rules), the run settings, every review, the time of the last run
with the data sources it read, and where the findings were written.

Stored with ``QgsProject.writeEntry`` under the scope ``RUSPlanner``: these entries are
part of the project file and are read by ``qgis_process --PROJECT_PATH`` too, which is how
algorithms default to the project's profile. Paths are written through the project's
path resolver (relative when the project says so), so a project folder can be moved.
Only the project object passed in is used: no widgets, no iface.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..core.profile import DEFAULT_TARGET_CRS, Profile, ProfileError
from ..core.profile_load import load_default_profile, load_profile, parse_profile
from ..core.redact import safe_source
from ..core.reviews import ReviewBook
from ..i18n import tr

SCOPE = "RUSPlanner"
STATE_VERSION = 1
PROFILE_MODES = ("default", "file", "project")


@dataclass(frozen=True)
class DataSource:
    """One layer the last run read: what a report must name to be traceable."""

    role: str  # "element" or "agency"
    layer_id: str
    name: str
    source: str
    date: str = ""

    def as_dict(self) -> dict:
        """What the project stores: the source without credentials (a .qgz is passed around)."""
        return {
            "role": self.role,
            "layer_id": self.layer_id,
            "name": safe_source(self.name),
            "source": safe_source(self.source),
            "date": self.date,
        }


@dataclass
class ProjectState:
    """Everything of RUS Planner that belongs to one project."""

    element_layer_ids: list[str] = field(default_factory=list)
    agency_layer_ids: list[str] = field(default_factory=list)
    profile_mode: str = "default"  # default | file | project
    profile_path: str = ""  # the file, when profile_mode is "file"
    profile_yaml: str = ""  # the profile in effect (empty: the shipped default)
    target_crs: str = DEFAULT_TARGET_CRS
    live_mode: bool = False
    decimal_comma: bool = True  # CSV export for Swedish Excel
    results_path: str = ""  # the GeoPackage with the findings, beside the project
    results_layer_ids: list[str] = field(default_factory=list)  # one findings layer per element kind
    last_run: str = ""  # ISO 8601
    data_sources: list[DataSource] = field(default_factory=list)
    reviews: ReviewBook = field(default_factory=ReviewBook)
    #: Entries of the project that were damaged, so their defaults are used ("reviews",
    #: "last_run/sources"): what to warn about when the project opens. Never stored.
    unreadable: tuple[str, ...] = field(default=(), compare=False, repr=False)

    # ------------------------------------------------------------------ profile
    def profile(self) -> Profile:
        """The profile in effect: the stored text, else the shipped default.

        For a file profile the stored text is the snapshot taken when it was chosen, so the
        project gives the same answer on a machine without the file. Raises ProfileError.
        """
        if self.profile_yaml.strip():
            return parse_profile(self.profile_yaml, self.profile_label())
        if self.profile_mode == "file" and self.profile_path:
            return load_profile(self.profile_path)
        return load_default_profile()

    def profile_label(self) -> str:
        """How profile messages name the profile (file path, or 'the project's profile')."""
        if self.profile_mode == "file" and self.profile_path:
            return self.profile_path
        if self.profile_mode == "project":
            return tr("the project's profile")
        return tr("the default profile")

    def set_profile_text(self, text: str, mode: str = "project", path: str = "") -> Profile:
        """Validate and adopt a profile text; on error nothing changes (ProfileError raised)."""
        if mode not in PROFILE_MODES:
            raise ValueError(f"unknown profile mode {mode!r}")
        label = path if mode == "file" and path else tr("the project's profile")
        profile = parse_profile(text, label)
        self.profile_mode, self.profile_yaml = mode, text
        self.profile_path = path if mode == "file" else ""
        return profile

    def use_default_profile(self) -> None:
        self.profile_mode, self.profile_yaml, self.profile_path = "default", "", ""

    def has_project_profile(self) -> bool:
        """True when the project carries a profile of its own (algorithms then use it)."""
        return bool(self.profile_yaml.strip())

    # ------------------------------------------------------------------ storage
    def write_to_project(self, project) -> None:
        """Write every piece of state as entries of the project (call before it is saved)."""
        put = project.writeEntry
        put(SCOPE, "version", STATE_VERSION)
        put(SCOPE, "layers/elements", list(self.element_layer_ids))
        put(SCOPE, "layers/agency", list(self.agency_layer_ids))
        put(SCOPE, "profile/mode", self.profile_mode)
        put(SCOPE, "profile/path", _write_path(project, self.profile_path))
        put(SCOPE, "profile/yaml", self.profile_yaml)
        put(SCOPE, "run/target_crs", self.target_crs)
        put(SCOPE, "run/live_mode", bool(self.live_mode))
        put(SCOPE, "run/decimal_comma", bool(self.decimal_comma))
        put(SCOPE, "results/path", _write_path(project, self.results_path))
        put(SCOPE, "results/layer_ids", list(self.results_layer_ids))
        put(SCOPE, "last_run/time", self.last_run)
        put(
            SCOPE,
            "last_run/sources",
            json.dumps([s.as_dict() for s in self.data_sources], ensure_ascii=False),
        )
        put(SCOPE, "reviews", json.dumps(self.reviews.to_records(), ensure_ascii=False))

    @classmethod
    def read_from_project(cls, project) -> ProjectState:
        """The state stored in a project; a project without RUS Planner entries gives the defaults."""

        def text(key: str, default: str = "") -> str:
            value, ok = project.readEntry(SCOPE, key, default)
            return value if ok and value is not None else default

        def flag(key: str, default: bool) -> bool:
            value, ok = project.readBoolEntry(SCOPE, key, default)
            return bool(value) if ok else default

        def strings(key: str) -> list[str]:
            value, ok = project.readListEntry(SCOPE, key, [])
            return [v for v in value if v] if ok else []

        mode = text("profile/mode", "default")
        # A damaged entry (hand-edited, cut short, another tool's) gives its default, and is
        # named in `unreadable` so that the desktop can say so: opening a project never fails.
        sources, sources_ok = _json_list(text("last_run/sources"))
        reviews, reviews_ok = _json_list(text("reviews"))
        try:
            review_book = ReviewBook.from_records(reviews)
        except Exception:  # noqa: BLE001 - records of an unexpected shape: no reviews, with a warning
            review_book, reviews_ok = ReviewBook(), False
        state = cls(
            element_layer_ids=strings("layers/elements"),
            agency_layer_ids=strings("layers/agency"),
            profile_mode=mode if mode in PROFILE_MODES else "default",
            profile_path=_read_path(project, text("profile/path")),
            profile_yaml=text("profile/yaml"),
            target_crs=text("run/target_crs", DEFAULT_TARGET_CRS) or DEFAULT_TARGET_CRS,
            live_mode=flag("run/live_mode", False),
            decimal_comma=flag("run/decimal_comma", True),
            results_path=_read_path(project, text("results/path")),
            results_layer_ids=strings("results/layer_ids"),
            last_run=text("last_run/time"),
            data_sources=_sources(sources),
            reviews=review_book,
            unreadable=tuple(
                key for key, ok in (("reviews", reviews_ok), ("last_run/sources", sources_ok)) if not ok
            ),
        )
        return state

    @staticmethod
    def stored_in(project) -> bool:
        """True when the project has RUS Planner state at all."""
        _, ok = project.readNumEntry(SCOPE, "version", 0)
        return bool(ok)


def _write_path(project, path: str) -> str:
    return project.writePath(path) if path else ""


def _read_path(project, path: str) -> str:
    return project.readPath(path) if path else ""


def _json_list(text: str) -> tuple[list, bool]:
    """A stored JSON list and whether it could be read; an absent entry is an empty list.

    Anything else (broken JSON, another type, nesting too deep for Python) is not readable.
    """
    if not text:
        return [], True
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return [], False
    return (value, True) if isinstance(value, list) else ([], False)


def _sources(records) -> list[DataSource]:
    sources = []
    for record in records:
        if isinstance(record, dict):
            sources.append(
                DataSource(
                    str(record.get("role") or ""),
                    str(record.get("layer_id") or ""),
                    str(record.get("name") or ""),
                    str(record.get("source") or ""),
                    str(record.get("date") or ""),
                )
            )
    return sources


def unreadable_messages(state: ProjectState, project_file: str) -> list[str]:
    """What to tell the user about the state's damaged entries (see ``unreadable``).

    They name the project file and the entry, never its content: a damaged entry may hold anything.
    """
    texts = {
        "reviews": tr(
            "The reviews stored in the project “{file}” are damaged and could not be read; the "
            "project opens without them. Saving the project replaces them with the reviews made "
            "from now on: keep a copy of the project file if you need the old ones."
        ),
        "last_run/sources": tr(
            "The data sources of the last run stored in the project “{file}” are damaged and could "
            "not be read; they are left out until the check is run again."
        ),
    }
    return [texts[key].format(file=project_file) for key in state.unreadable if key in texts]


class ProjectProfileError(ProfileError):
    """The profile a project stores cannot be used: every problem, the project file, what to do."""

    def __init__(self, problems, project_file: str):
        super().__init__(problems)
        self.project_file = project_file
        self.args = (
            tr(
                "The planning profile stored in the project “{file}” cannot be used:\n{problems}\n"
                "Give a profile file with PROFILE, or open the project in QGIS, correct the profile "
                "on the Profile tab of the RUS check panel and save the project."
            ).format(file=project_file, problems="\n".join(str(p) for p in self.problems)),
        )


def project_profile(project) -> Profile | None:
    """The profile a project carries, or None (then callers use the default).

    A damaged one raises ProjectProfileError (a ProfileError) naming the project file: a run
    never falls back to the default in its place, as findings weighed by other rules than the
    project's would look like an answer.
    """
    if project is None or not ProjectState.stored_in(project):
        return None
    state = ProjectState.read_from_project(project)
    if not state.has_project_profile():
        return None
    try:
        return state.profile()
    except ProfileError as error:
        raise ProjectProfileError(error.problems, project.fileName()) from None
