"""The core stays QGIS-free, and its translation hook works without Qt."""

from __future__ import annotations

import ast
from pathlib import Path

from rus_planner.rus_planner.core import texts, vocabulary

CORE = Path(__file__).resolve().parents[2] / "rus_planner" / "core"


def _imports(tree):
    """(module, guarded) for every import; guarded when inside ``try: … except ImportError``."""
    guarded_nodes = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
            isinstance(h.type, ast.Name) and h.type.id == "ImportError" for h in node.handlers
        ):
            guarded_nodes.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((alias.name, id(node) in guarded_nodes) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level >= 2:  # out of core/ into the plugin package (ui, qgis_io, i18n…)
                yield f"{'.' * node.level}{node.module}", False
            elif node.level == 0:
                yield node.module, id(node) in guarded_nodes


def test_no_core_module_imports_qgis_qt_or_the_front_ends():
    offending = []
    for path in sorted(CORE.glob("*.py")):
        for module, guarded in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            outside = module.startswith("..")
            qt_or_qgis = module.split(".")[0] in {"qgis", "PyQt5", "PyQt6", "sip"}
            # One optional use is allowed: redact.py asks QgsDataSourceUri for a second
            # reading of a data source when QGIS is there, and stands alone when not.
            if outside or (qt_or_qgis and not (guarded and path.name == "redact.py")):
                offending.append(f"{path.name}: {module}")
    assert offending == []


def test_without_a_backend_texts_are_the_english_sources():
    backend = texts._backend
    texts.register_backend(None)
    try:
        assert (
            texts.tr("Agency layers not checked: none of {total}.")
            == "Agency layers not checked: none of {total}."
        )
        with texts.speaking("sv"):
            assert texts.current_language() == "sv"
            assert texts.translate("sv", "Overlap") == "Overlap"
        assert texts.current_language() == "en"
    finally:
        texts.register_backend(backend)


def test_a_registered_backend_translates_and_speaking_chooses_the_language():
    class Shouting:
        def translate(self, language, text):
            return f"{language}:{text.upper()}"

        def ambient(self, text):
            return f"ambient:{text}"

        def language(self):
            return "fi"

    backend = texts._backend
    texts.register_backend(Shouting())
    try:
        assert texts.tr("class") == "ambient:class"
        assert texts.current_language() == "fi"
        with texts.speaking("sv"):
            assert texts.tr("class") == "sv:CLASS"
            assert texts.current_language() == "sv"
        assert texts.translate("en", "class") == "class"  # English is the source itself
        # The vocabulary's labels go through whatever translating function it is given.
        labels = vocabulary.severity_labels(texts.tr)
        assert set(labels) == set(vocabulary.SEVERITIES)
        assert all(label.startswith("ambient:") for label in labels.values())
    finally:
        texts.register_backend(backend)
