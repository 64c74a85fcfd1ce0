"""Change one value in a profile's YAML text, keeping every comment and the layout.

The panel's profile tree lets a planner change a sector's weight or a rule's severity
directly; the change is written into the YAML text (the one source of the profile), which
is validated when it is saved. Only the value's characters are replaced, so comments,
order and quoting elsewhere stay as the author wrote them.
"""

from __future__ import annotations

# numpy, shapely and PyYAML are imported in the functions that use them, and so are the analysis
# modules that import them at their top: QGIS loads this module when it starts the plugin, and the
# plugin must start, and name what is missing, without them (dependencies.py, tests/test_plugin.py).


def _child(node, part):
    """The node under a mapping key or a sequence index; None when absent."""
    import yaml  # not at the top: the plugin loads without PyYAML (see dependencies.py)

    if isinstance(part, int) and isinstance(node, yaml.SequenceNode):
        return node.value[part] if 0 <= part < len(node.value) else None
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return value
    return None


def set_value(text: str, path: tuple, value: str) -> str:
    """The text with the scalar at path (e.g. ("sectors", 0, "weight")) set to value.

    A missing last key is added to its mapping, on the line after the mapping's first key,
    with the same indentation. Raises ValueError when the path does not lead to a mapping.
    """
    import yaml  # not at the top: the plugin loads without PyYAML (see dependencies.py)

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    parent = root
    for part in path[:-1]:
        parent = _child(parent, part)
        if parent is None:
            raise ValueError(f"no {part!r} in the profile")
    if not isinstance(parent, yaml.MappingNode) or not parent.value:
        raise ValueError("the value's parent is not a mapping")
    lines = text.splitlines(keepends=True)
    target = _child(parent, path[-1])
    if target is not None:
        if not isinstance(target, yaml.ScalarNode):
            raise ValueError("only single values can be changed here")
        start, end = target.start_mark, target.end_mark
        if start.line != end.line:
            raise ValueError("only single-line values can be changed here")
        line = lines[start.line]
        lines[start.line] = line[: start.column] + value + line[end.column :]
        return "".join(lines)
    first_key = parent.value[0][0]
    indent = " " * first_key.start_mark.column
    insert_at = first_key.start_mark.line + 1
    newline = "\n" if not lines or lines[0].endswith("\n") else "\r\n"
    lines.insert(insert_at, f"{indent}{path[-1]}: {value}{newline}")
    return "".join(lines)
