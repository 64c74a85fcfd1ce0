"""Every user-visible string has a Swedish translation, and the plugin follows QGIS's locale."""

from __future__ import annotations

import ast
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
COMMITTED_TS = REPO / "i18n" / "rus_planner_sv.ts"
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def plugin_sources() -> list[Path]:
    files = [REPO / "__init__.py", *sorted((REPO / "rus_planner").rglob("*.py"))]
    return [f for f in files if "__pycache__" not in f.parts]


def ui_sources() -> list[Path]:
    return sorted((REPO / "resources" / "ui").glob("*.ui"))


def messages(ts: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(context, source) → (translation text, type attribute)."""
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            translation = message.find("translation")
            found[(name, message.findtext("source"))] = (translation.text or "", translation.get("type"))
    return found


@pytest.fixture(scope="module")
def fresh_sources(tmp_path_factory) -> set[tuple[str, str]]:
    """What pylupdate5 finds in the code right now (not what the .ts says)."""
    ts = tmp_path_factory.mktemp("i18n") / "fresh.ts"
    files = [str(f) for f in plugin_sources() + ui_sources()]
    subprocess.run(["pylupdate5", "-noobsolete", *files, "-ts", str(ts)], check=True, capture_output=True)
    return set(messages(ts))


def test_every_user_visible_string_has_a_swedish_translation(fresh_sources):
    committed = messages(COMMITTED_TS)
    missing = sorted(
        source
        for key in fresh_sources
        for source in [key[1]]
        if key not in committed or committed[key][1] == "unfinished" or not committed[key][0].strip()
    )
    assert not missing, "untranslated (run make transup, then translate):\n" + "\n".join(missing)
    assert len(fresh_sources) > 50


def test_translations_keep_every_placeholder():
    for (_, source), (translation, _) in messages(COMMITTED_TS).items():
        assert sorted(PLACEHOLDER.findall(source)) == sorted(PLACEHOLDER.findall(translation)), source
        assert source.count("&") == translation.count("&"), source


class _TrCalls(ast.NodeVisitor):
    def __init__(self):
        self.bad: list[str] = []
        self.path = ""

    def visit_FunctionDef(self, node):
        if node.name != "tr":  # a tr() wrapper passes its argument on; that is fine
            self.generic_visit(node)

    def visit_Call(self, node):
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name == "tr" and node.args:
            first = node.args[0]
            if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                self.bad.append(f"{self.path}:{node.lineno}")
        self.generic_visit(node)


def test_tr_is_only_called_with_a_literal_template():
    """pylupdate5 sees literals only: an f-string or variable in tr() is never translated."""
    visitor = _TrCalls()
    for path in plugin_sources():
        if path.name == "i18n.py":
            continue
        visitor.path = str(path.relative_to(REPO))
        visitor.visit(ast.parse(path.read_text(encoding="utf-8")))
    assert visitor.bad == []


def test_the_plugin_speaks_swedish_when_qgis_does(qgis_app):
    from qgis.PyQt.QtCore import QSettings

    from rus_planner.rus_planner import i18n
    from rus_planner.rus_planner.core.profile import ProfileError
    from rus_planner.rus_planner.core.profile_load import parse_profile

    settings = QSettings()
    old = settings.value("locale/overrideFlag"), settings.value("locale/userLocale")
    settings.setValue("locale/overrideFlag", True)
    settings.setValue("locale/userLocale", "sv_SE")
    translator = None
    try:
        assert i18n.qgis_language() == "sv"
        translator = i18n.install_translator()
        assert translator is not None, "the compiled Swedish .qm is missing (make transcompile)"
        assert i18n.tr("Validate planning profile") == "Validera planeringsprofil"
        with pytest.raises(ProfileError) as caught:
            parse_profile(
                "name: x\nsectors:\n  - id: a\n    name_sv: A\n    layer: a\n    vikt: 2\n", "p.yaml"
            )
        assert str(caught.value).startswith("p.yaml, rad 6, nyckel ”sectors[1].vikt”: okänd nyckel")
    finally:
        i18n.remove_translator(translator)
        settings.setValue("locale/overrideFlag", old[0] if old[0] is not None else False)
        settings.setValue("locale/userLocale", old[1] if old[1] is not None else "")
    assert i18n.tr("Validate planning profile") == "Validate planning profile"


def test_measure_texts_in_swedish_follow_the_glossary(qgis_app):
    """domain.md's glossary: "på 350 m avstånd", a decimal comma, ha and km for what planners measure in them."""
    from rus_planner.rus_planner.core import vocabulary
    from rus_planner.rus_planner.i18n import translate

    def swedish(text):
        return translate("sv", text)

    nbsp = "\u00a0"
    distance = {"relation": "within_distance", "distance_m": 1200.0}
    assert vocabulary.measure_text(distance, swedish, "sv") == f"på 1,20{nbsp}km avstånd"
    assert (
        vocabulary.measure_text({**distance, "distance_m": 350.0}, swedish, "sv") == f"på 350{nbsp}m avstånd"
    )
    assert vocabulary.measure_text({"overlap_m2": 25300.2}, swedish, "sv") == f"2,5{nbsp}ha överlapp"
    assert vocabulary.measure_text(distance, lambda text: text, "en") == f"1.20{nbsp}km away"
