"""Translation for every user-visible string (English source, Swedish translation)."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

# pylupdate5 files bare tr("...") calls under this context; keep them together.
CONTEXT = "@default"
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"

_installed: list[QTranslator] = []


def tr(text: str) -> str:
    """Translate a source string; format the result, never the template."""
    return QCoreApplication.translate(CONTEXT, text)


def qgis_language() -> str:
    """The two-letter language QGIS runs in (its override setting, else the system's)."""
    settings = QSettings()
    locale = ""
    if settings.value("locale/overrideFlag", False, type=bool):
        locale = settings.value("locale/userLocale", "")
    return (locale or QLocale().name() or "en")[:2].lower()


def install_translator(language: str | None = None) -> QTranslator | None:
    """Load the .qm for the language into the application; None when there is none."""
    language = language or qgis_language()
    qm = I18N_DIR / f"rus_planner_{language}.qm"
    if not qm.exists():
        return None
    translator = QTranslator()
    if not translator.load(str(qm)):
        return None
    QCoreApplication.installTranslator(translator)
    _installed.append(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    """Undo install_translator (on plugin unload)."""
    if translator is None:
        return
    QCoreApplication.removeTranslator(translator)
    if translator in _installed:
        _installed.remove(translator)
