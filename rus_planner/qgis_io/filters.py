"""Profile filters (QGIS expressions) checked before they can silently choose nothing.

A sector's or agency rule's ``filter`` is a QGIS expression. A syntax error, a misspelled
field or a constant (``'typ' = 'x'``: two texts, no field) makes the rule choose no feature,
and "no feature" reads as "no conflict". :func:`filter_problems` says what is wrong with one
filter; validateprofile asks it for every filter, and the element check may ask it against
the layer it actually reads. QGIS is imported only when a filter is checked: the profile
itself is read without it.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Iterable

from osgeo import gdal
from qgis.core import (
    QgsExpression,
    QgsExpressionContext,
    QgsFeatureRequest,
    QgsProviderRegistry,
)

from ..core.redact import safe_source
from ..i18n import tr

_SHOWN_FIELDS = 30  # the most field names a message lists
_SHOWN_CHARS = 80  # the most of an expression or a QGIS message a message quotes


def _short(text: str, limit: int = _SHOWN_CHARS) -> str:
    """One line of at most ``limit`` characters."""
    line = " ".join(str(text).split())
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _field_list(field_names: list[str]) -> str:
    shown = [_short(name, 40) for name in field_names[:_SHOWN_FIELDS]]
    if len(field_names) > _SHOWN_FIELDS:
        shown.append(tr("and {n} more").format(n=len(field_names) - _SHOWN_FIELDS))
    return ", ".join(shown) if shown else tr("no fields")


def filter_problems(expression_text: str, field_names: Iterable[str] | None = None) -> list[str]:
    """What is wrong with one filter expression, as translated messages (empty when nothing).

    Always: a syntax error or unknown function, and a filter that names no field and so
    keeps every feature or none. With ``field_names`` (the layer's fields): every field the
    filter names must be one of them; case does not matter, as in QGIS.
    """

    expression = QgsExpression(expression_text)
    if expression.hasParserError():
        return [_parser_problem(expression, expression_text)]

    problems: list[str] = []
    columns = sorted(expression.referencedColumns())
    named = [c for c in columns if c != QgsFeatureRequest.ALL_ATTRIBUTES]
    if field_names is not None:
        fields = list(field_names)
        by_folded = {name.casefold(): name for name in fields}
        for column in named:
            if column.casefold() in by_folded:
                continue
            close = difflib.get_close_matches(column.casefold(), list(by_folded), n=1)
            hint = tr(" (did you mean “{field}”?)").format(field=by_folded[close[0]]) if close else ""
            problems.append(
                tr("the filter refers to unknown field “{field}”{hint}; the layer has: {fields}").format(
                    field=_short(column, 40), hint=hint, fields=_field_list(fields)
                )
            )

    if not columns:
        context = QgsExpressionContext()
        expression.prepare(context)
        root = expression.rootNode()
        if root is not None and root.isStatic(expression, context):
            value = expression.evaluate(context)
            if expression.hasEvalError():
                problems.append(
                    tr("the filter cannot be evaluated ({error})").format(
                        error=_short(expression.evalErrorString())
                    )
                )
            else:
                problems.append(_constant_problem(value))
    return problems


# A filter's text in tokens: a quoted text ('...', '' or \' inside), a quoted field ("...") or a
# bare word; anything else stands between them.
_TOKENS = re.compile(r"""'(?:[^'\\]|\\.|'')*'|"((?:[^"\\]|\\.|"")*)"|(@?[^\W\d]\w*)""")


def in_layer_case(expression_text: str, field_names: Iterable[str]) -> str:
    """The filter with each field it names spelled as the layer spells it.

    Downloads and web services of the same data differ in case (SKYDDSTYP, skyddstyp). QGIS
    itself finds a field in any case, but a filter a provider translates for its server (a
    WFS request) may keep the profile's spelling, which the server does not know. The text
    is changed only where a field's case differs, and only when QGIS reads the result as the
    same filter on the layer's own names; otherwise it is returned as it was.
    """

    fields = list(field_names)
    by_folded: dict[str, str] = {}
    for name in fields:
        by_folded.setdefault(name.casefold(), name)
    expression = QgsExpression(expression_text)
    if expression.hasParserError():
        return expression_text
    columns = set(expression.referencedColumns())
    wanted = {c: by_folded[c.casefold()] for c in columns if c.casefold() in by_folded and c not in fields}
    if not wanted:
        return expression_text

    def respell(match: re.Match) -> str:
        quoted, bare = match.group(1), match.group(2)
        if quoted is not None:
            name = quoted.replace('""', '"').replace('\\"', '"')
        elif bare is not None and not bare.startswith("@"):
            after = expression_text[match.end() :].lstrip()
            if after.startswith("("):  # a function's name
                return match.group(0)
            name = bare
        else:
            return match.group(0)
        return QgsExpression.quotedColumnRef(wanted[name]) if name in wanted else match.group(0)

    rewritten = _TOKENS.sub(respell, expression_text)
    check = QgsExpression(rewritten)
    expected = {wanted.get(c, c) for c in columns}
    if check.hasParserError() or set(check.referencedColumns()) != expected:
        return expression_text
    return rewritten


def _parser_problem(expression, expression_text: str) -> str:
    """The first parser error, in words a profile author can act on."""

    errors = expression.parserErrors()
    first = errors[0] if errors else None
    if first is not None and first.errorType == QgsExpression.ParserError.ParserErrorType.FunctionUnknown:
        start = max(first.firstColumn - 1, 0)
        name = expression_text[start:].split("(")[0].strip()
        return tr("the filter uses a function QGIS does not know: “{name}”").format(name=_short(name, 40))
    message = first.errorMsg if first is not None else expression.parserErrorString()
    return tr("the filter is not a valid QGIS expression: {error}").format(error=_short(message))


def _constant_problem(value) -> str:
    """A filter that names no field gives every feature the same answer."""
    hint = tr("a field name is written in double quotes (\"TYP\"), a text in single quotes ('text')")
    if value is None or (hasattr(value, "isNull") and value.isNull()) or not bool(value):
        return tr("the filter names no field and chooses no feature at all; {hint}").format(hint=hint)
    return tr("the filter names no field and keeps every feature; {hint}").format(hint=hint)


# --------------------------------------------------------------------------- the layer a source names


def source_field_names(source: str) -> tuple[list[str] | None, str | None]:
    """(field names, None) of the layer a profile's ``source`` names, or (None, why not).

    Only a local file or folder is opened: a database or web service may be slow or
    unreachable while a profile is merely being validated, and a device or pipe never ends.
    A bare path to a file with several layers stands for any of them (the profile matches
    it so): a field is then known when any of them has it.
    """

    parts = QgsProviderRegistry.instance().decodeUri("ogr", source)
    path = parts.get("path") or ""
    if not path or "://" in path or path.startswith("/vsi") or not os.path.isabs(path):
        return None, tr("only a local file, given by its full path, is opened while validating")
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None, tr("the file does not exist here")
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        return None, tr("it is not an ordinary file or folder")
    # GDAL, read-only: QGIS's OGR provider would open the file for update, and SQLite would
    # then rewrite a GeoPackage's header although nothing is edited (inputs stay byte-identical).
    try:
        dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY)
    except RuntimeError:  # GDAL raising instead of returning None
        dataset = None
    if dataset is None:
        return None, tr("QGIS cannot open it as a vector layer")
    layer_name, layer_id = parts.get("layerName"), parts.get("layerId")
    if layer_name:
        layers = [dataset.GetLayerByName(layer_name)]
    elif layer_id not in (None, ""):
        layers = [dataset.GetLayer(int(layer_id))]
    else:  # a bare path to a file with several layers: a field is known when any of them has it
        layers = [dataset.GetLayer(i) for i in range(dataset.GetLayerCount())]
    if not layers or any(layer is None for layer in layers):
        return None, tr("QGIS cannot open it as a vector layer")
    names: list[str] = []
    for layer in layers:
        definition = layer.GetLayerDefn()
        fid_column = [layer.GetFIDColumn()] if layer.GetFIDColumn() else []  # QGIS shows a GeoPackage's fid
        for name in fid_column + [
            definition.GetFieldDefn(i).GetName() for i in range(definition.GetFieldCount())
        ]:
            if name not in names:
                names.append(name)
    return names, None


class ProfileFilterCheck:
    """The ``check_filter`` validateprofile hands to load_profile: every filter's syntax, and
    its fields against the layer where the item names one by ``source``. Sources that could
    not be opened are kept in ``unchecked`` (redacted) for the log: not checked is not fine."""

    def __init__(self):
        self.unchecked: dict[str, str] = {}
        self._fields: dict[str, tuple[list[str] | None, str | None]] = {}

    def __call__(self, expression_text: str, source: str | None) -> list[str]:
        fields = None
        if source:
            if source not in self._fields:
                self._fields[source] = source_field_names(source)
            fields, reason = self._fields[source]
            if fields is None:
                self.unchecked[safe_source(source)] = reason or ""
        return filter_problems(expression_text, fields)
