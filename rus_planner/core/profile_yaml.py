"""A safe YAML reader for profiles: alias bombs refused while composing, lines and duplicate keys kept."""

from __future__ import annotations

import functools

from .profile import ProfileProblem, _excerpt
from .profile_validate import _SPANS_LINES, _Validator
from .texts import tr

# PyYAML is imported in the functions that use it: QGIS loads this module when it starts the
# plugin, and the plugin must start, and name what is missing, without it (dependencies.py,
# tests/test_plugin.py).

# An alias (*name) repeats what its anchor (&name) holds; nested, a few of them make a
# "billion laughs". Profiles use a few (a shared list of patterns, ``<<: *rule``).
MAX_ALIASES = 100
MAX_ALIAS_EXPANSION = 10_000  # YAML values all aliases together may repeat


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
