"""QGIS 4 / Qt6 readiness, kept by a scanner over every Python source of the repository.

Qt6 (PyQt6) drops the unscoped enum members (``Qt.AlignLeft``), ``exec_()`` and ``QVariant``
as a field type; QGIS 4 drops ``QgsField(name, QVariant.X)``. Each of those still works on
QGIS 3.22 / PyQt5, so nothing would notice a new one until the plugin fails on QGIS 4. The
scanner parses each file with ``ast`` and names every such use by file and line:

(a) an enum *member* reached through its class instead of through its enum type —
    ``Qt.AlignLeft`` instead of ``Qt.AlignmentFlag.AlignLeft``. What is a member is not a list
    kept here: the attribute chain is resolved against the Qt and QGIS classes the file imports
    (``qgis.PyQt.*``, ``qgis.core``, ``qgis.gui`` ...) and PyQt is asked whether the value is a
    member of an enum type (sip's ``enumtype`` on PyQt5, ``enum.Enum`` on PyQt6 and for QGIS's
    own scoped enums) while what holds it is not that enum type;
(b) ``.exec_`` (PyQt5's old spelling; PyQt6 has only ``exec``);
(c) ``QVariant`` types (``QVariant.Int``, ``QVariant.Type.Int``: gone from Qt6) and a
    ``QgsField`` made with a type anywhere but in the compat helper
    ``rus_planner.qgis_io.compat.qgs_field``, the one place that knows which type QGIS wants.
"""

from __future__ import annotations

import ast
import enum
import importlib
import types
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("rus_planner", "scripts", "tests", "bench")
# The only module allowed to hand QgsField a type: it picks QMetaType or QVariant per version.
FIELD_HELPER_MODULE = Path("rus_planner") / "qgis_io" / "compat.py"
# Modules whose names a chain may be resolved through (imported at scan time, never run as code).
RESOLVABLE_PREFIXES = ("qgis", "PyQt5", "PyQt6")


def source_files() -> list[Path]:
    """Every .py file of the repository that is ours: the package, scripts, tests, benchmarks."""
    files = [REPO / "__init__.py"]
    for folder in SOURCE_DIRS:
        files.extend(
            path for path in sorted((REPO / folder).rglob("*.py")) if "__pycache__" not in path.parts
        )
    return files


def _enum_metatypes() -> tuple[type, ...]:
    """The metatypes of enum types: sip's enumtype on PyQt5, enum's on PyQt6 (and Python enums)."""
    from qgis.PyQt.QtCore import Qt

    return tuple({type(Qt.AlignmentFlag), enum.EnumMeta})


ENUM_METATYPES = _enum_metatypes()


def is_enum_type(value) -> bool:
    return isinstance(value, ENUM_METATYPES)


def is_enum_member(value) -> bool:
    return not isinstance(value, type) and is_enum_type(type(value))


def _import(module_name: str):
    if not module_name.startswith(RESOLVABLE_PREFIXES):
        return None
    try:
        return importlib.import_module(module_name)
    except Exception:  # noqa: BLE001 — an optional binding (e.g. QtWebKit) absent here is just unknown
        return None


def imported_names(tree: ast.AST) -> dict[str, object]:
    """Local name → the Qt/QGIS module or class it is bound to by any import in the file."""
    names: dict[str, object] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            module = _import(node.module)
            if module is None:
                continue
            for alias in node.names:
                value = getattr(module, alias.name, None)
                if value is None:
                    value = _import(f"{node.module}.{alias.name}")
                if value is not None:
                    names[alias.asname or alias.name] = value
        elif isinstance(node, ast.Import):
            for alias in node.names:
                module = _import(alias.name)
                if module is None:
                    continue
                if alias.asname:
                    names[alias.asname] = module
                else:
                    top = alias.name.split(".")[0]
                    names[top] = _import(top)
    return names


_UNKNOWN = object()


def resolve(node: ast.AST, names: dict[str, object]):
    """The object a Name/Attribute chain stands for, or _UNKNOWN (locals, calls, instances...)."""
    if isinstance(node, ast.Name):
        return names.get(node.id, _UNKNOWN)
    if isinstance(node, ast.Attribute):
        owner = resolve(node.value, names)
        if owner is _UNKNOWN or not isinstance(owner, (type, types.ModuleType)):
            return _UNKNOWN
        return getattr(owner, node.attr, _UNKNOWN)
    return _UNKNOWN


def dotted(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except Exception:  # noqa: BLE001 — only for the message
        return "?"


def scoped_spelling(owner, member, attr: str) -> str:
    """How the member reads through its enum type, e.g. Qt.AlignmentFlag.AlignLeft."""
    enum_type = type(member)
    owner_name = owner.__qualname__ if isinstance(owner, type) else owner.__name__
    for name in dir(owner):
        if getattr(owner, name, None) is enum_type:
            return f"{owner_name}.{name}.{attr}"
    name = member.name if isinstance(member, enum.Enum) else attr
    return f"{enum_type.__qualname__}.{name}"


def _variant_type():
    from qgis.PyQt.QtCore import QVariant

    return getattr(QVariant, "Type", None)


def metatype_name(variant_member) -> str:
    """The QMetaType.Type member with a QVariant.Type's number (String → QString, Int → Int)."""
    from qgis.PyQt.QtCore import QMetaType

    number = int(variant_member)
    for name in dir(QMetaType):  # PyQt5 lists the members on the class too
        value = getattr(QMetaType, name, None)
        if isinstance(value, QMetaType.Type) and int(value) == number:
            return name
    return "?"


def _qgs_field_class():
    from qgis.core import QgsField

    return QgsField


def scan_source(source: str, filename: str = "<source>", *, field_helper: bool = False) -> list[str]:
    """Every Qt6 / QGIS 4 problem in one source text, as 'file:line: what → how'."""
    tree = ast.parse(source, filename)
    names = imported_names(tree)
    variant_type = _variant_type()
    qgs_field = _qgs_field_class()
    problems: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            if node.attr == "exec_":
                problems.append((node.lineno, f"{dotted(node)}: use exec() (PyQt6 has no exec_)"))
                continue
            owner = resolve(node.value, names)
            if owner is _UNKNOWN or not isinstance(owner, (type, types.ModuleType)):
                continue
            member = getattr(owner, node.attr, None)
            if variant_type is not None and isinstance(member, variant_type):
                problems.append(
                    (
                        node.lineno,
                        f"{dotted(node)}: a QVariant type (gone in Qt6); use QMetaType.Type.{metatype_name(member)}"
                        " and rus_planner.qgis_io.compat.qgs_field for fields",
                    )
                )
            elif is_enum_member(member) and not is_enum_type(owner):
                problems.append(
                    (
                        node.lineno,
                        f"{dotted(node)}: unscoped enum member; use {scoped_spelling(owner, member, node.attr)}",
                    )
                )
        elif isinstance(node, ast.Call) and not field_helper:
            if resolve(node.func, names) is qgs_field and (
                len(node.args) >= 2 or any(keyword.arg == "type" for keyword in node.keywords)
            ):
                problems.append(
                    (
                        node.lineno,
                        f"{dotted(node)}: QgsField with a type; use rus_planner.qgis_io.compat.qgs_field "
                        "(QMetaType on QGIS ≥ 3.38, QVariant before; QGIS 4 has no QVariant form)",
                    )
                )
    return [f"{filename}:{line}: {message}" for line, message in sorted(problems)]


def scan_file(path: Path) -> list[str]:
    relative = path.relative_to(REPO)
    return scan_source(
        path.read_text(encoding="utf-8"), str(relative), field_helper=relative == FIELD_HELPER_MODULE
    )


# --- the repository --------------------------------------------------------------------------


def test_the_scan_covers_the_whole_repository():
    files = {path.relative_to(REPO).as_posix() for path in source_files()}
    for expected in (
        "__init__.py",
        "rus_planner/plugin.py",
        "rus_planner/ui/panel.py",
        "rus_planner/qgis_io/compat.py",
        "tests/test_qt6_ready.py",
        "scripts/demo.py",
    ):
        assert expected in files
    assert any(name.startswith("bench/") for name in files)
    assert not any(name.startswith((".venv/", ".build/")) for name in files)


def test_every_source_is_ready_for_qt6_and_qgis4():
    problems = [problem for path in source_files() for problem in scan_file(path)]
    assert not problems, "Not ready for QGIS 4 / Qt6:\n" + "\n".join(problems)


def test_qgs_field_makes_each_type_on_this_qgis(qgis_app):
    """The helper's fields are what QGIS would make from the type, and a layer takes them."""
    from qgis.core import QgsFeature, QgsVectorLayer
    from qgis.PyQt.QtCore import QMetaType

    from rus_planner.rus_planner.qgis_io.compat import qgs_field

    types = {
        "text": (QMetaType.Type.QString, "Älgön"),
        "whole": (QMetaType.Type.Int, 7),
        "big": (QMetaType.Type.LongLong, 2**40),
        "real": (QMetaType.Type.Double, 0.25),
    }
    fields = [qgs_field(name, kind) for name, (kind, _) in types.items()]
    for field, (kind, _) in zip(fields, types.values()):
        assert field.type() == kind  # QVariant.Type before QGIS 3.38: the same numbers
    assert qgs_field("code", QMetaType.Type.QString, length=20).length() == 20
    assert qgs_field("ratio", QMetaType.Type.Double, length=10, precision=3).precision() == 3

    layer = QgsVectorLayer("Point?crs=EPSG:3006", "types", "memory")
    assert layer.dataProvider().addAttributes(fields)
    layer.updateFields()
    assert [layer.fields().field(name).type() for name in types] == [kind for kind, _ in types.values()]
    feature = QgsFeature(layer.fields())
    feature.setAttributes([value for _, value in types.values()])
    assert layer.dataProvider().addFeature(feature)
    assert next(layer.getFeatures()).attributes() == [value for _, value in types.values()]


# --- the scanner itself: a planted example must fail, its fixed form must pass ----------------

PLANTED = """
from qgis.core import QgsField
from qgis.PyQt.QtCore import Qt, QVariant
from qgis.PyQt.QtWidgets import QMessageBox, QSizePolicy


def show(dialog, label):
    label.setAlignment(Qt.AlignLeft | Qt.AlignTop)
    label.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
    if QMessageBox.question(None, "t", "q") == QMessageBox.Yes:
        dialog.exec_()
    return QgsField("a", QVariant.Int)
"""

FIXED = """
from qgis.PyQt.QtCore import QMetaType, Qt
from qgis.PyQt.QtWidgets import QMessageBox, QSizePolicy

from rus_planner.qgis_io.compat import qgs_field


def show(dialog, label):
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    if QMessageBox.question(None, "t", "q") == QMessageBox.StandardButton.Yes:
        dialog.exec()
    return qgs_field("a", QMetaType.Type.Int)
"""


def test_scanner_fails_on_a_planted_example():
    problems = scan_source(PLANTED, "planted.py")
    text = "\n".join(problems)
    assert "planted.py:8: Qt.AlignLeft: unscoped enum member; use Qt.AlignmentFlag.AlignLeft" in text
    assert "planted.py:8: Qt.AlignTop: unscoped enum member; use Qt.AlignmentFlag.AlignTop" in text
    assert (
        "planted.py:9: QSizePolicy.Expanding: unscoped enum member; use QSizePolicy.Policy.Expanding" in text
    )
    assert "planted.py:9: QSizePolicy.Preferred" in text
    assert "planted.py:10: QMessageBox.Yes: unscoped enum member; use QMessageBox.StandardButton.Yes" in text
    assert "planted.py:11: dialog.exec_: use exec()" in text
    assert "planted.py:12: QVariant.Int: a QVariant type (gone in Qt6); use QMetaType.Type.Int" in text
    assert "planted.py:12: QgsField('a', QVariant.Int): QgsField with a type" in text
    assert len(problems) == 8, text


def test_scanner_passes_the_scoped_forms():
    assert scan_source(FIXED, "fixed.py") == []


@pytest.mark.parametrize(
    ("line", "flagged"),
    [
        # Found by asking PyQt, not from a list: any class, any enum.
        ("from qgis.PyQt.QtWidgets import QHeaderView\nQHeaderView.Stretch", True),
        ("from qgis.PyQt.QtWidgets import QHeaderView\nQHeaderView.ResizeMode.Stretch", False),
        ("from qgis.PyQt.QtWidgets import QAbstractItemView\nQAbstractItemView.SelectRows", True),
        ("from qgis.PyQt.QtCore import Qt\nQt.DisplayRole", True),
        ("from qgis.PyQt.QtCore import Qt\nQt.ItemDataRole.DisplayRole", False),
        ("from qgis.PyQt import QtCore\nQtCore.Qt.AlignLeft", True),
        ("from qgis.PyQt.QtGui import QFont as F\nF.Bold", True),
        ("from qgis.PyQt.QtGui import QFont\nQFont.Weight.Bold", False),
        ("from qgis.PyQt.QtCore import QMetaType\nQMetaType.Double", True),
        ("from qgis.PyQt.QtCore import QVariant\nQVariant.Type.Double", True),
        ("from qgis.PyQt.QtCore import QEvent\nQEvent.DeferredDelete", True),
        ("from qgis.PyQt.QtCore import QIODevice\nQIODevice.WriteOnly", True),
        # Enum types, methods, nested classes and plain constants are not members.
        ("from qgis.PyQt.QtCore import Qt\nQt.AlignmentFlag", False),
        ("from qgis.PyQt.QtWidgets import QMessageBox\nQMessageBox.question", False),
        ("from qgis.PyQt.QtCore import QVariant\nisinstance(1, QVariant)", False),
        ("from qgis.core import QgsRuleBasedRenderer\nQgsRuleBasedRenderer.Rule", False),
        ("from qgis.core import QgsProcessing\nQgsProcessing.TEMPORARY_OUTPUT", False),
        # QGIS's own enums too.
        ("from qgis.core import QgsWkbTypes\nQgsWkbTypes.PointGeometry", True),
        ("from qgis.core import QgsWkbTypes\nQgsWkbTypes.GeometryType.PointGeometry", False),
        ("from qgis.core import Qgis\nQgis.Warning", True),
        ("from qgis.core import Qgis\nQgis.MessageLevel.Warning", False),
        # Not resolvable (a local, an instance): not guessed at.
        ("Qt = object()\nQt.AlignLeft", False),
        ("from qgis.core import QgsField\nQgsField(other)", False),
        ("from qgis.core import QgsField\nQgsField('a', type=kind)", True),
        ("menu.exec_(point)", True),
        ("menu.exec(point)", False),
    ],
)
def test_scanner_judges_each_form(line, flagged):
    assert bool(scan_source(line)) is flagged, scan_source(line)
