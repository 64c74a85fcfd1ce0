"""A profile file read safely into the model: the bytes, the YAML, the validation, and a memory of loads.

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
import os
import stat
from pathlib import Path
from typing import Any

from .profile import DEFAULT_PROFILE_PATH, DEFAULT_TARGET_CRS, Profile, ProfileError, ProfileProblem, _excerpt
from .profile_schema import _ELEMENT_KEYS, _NOTICE_KEYS, _RULE_KEYS, _SECTOR_KEYS, _TOP_KEYS
from .profile_validate import _Validator
from .profile_yaml import _compose_and_construct, _decode, _Refused
from .texts import tr

# PyYAML is imported in the functions that use it: QGIS loads this module when it starts the
# plugin, and the plugin must start, and name what is missing, without it (dependencies.py,
# tests/test_plugin.py).

MAX_PROFILE_BYTES = 1_000_000


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
        mode=top.get("mode", "rus"),
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
