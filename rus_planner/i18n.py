"""Translation for every user-visible string (English source, Swedish translation).

``tr``, ``speaking`` and friends live in the pure core (core/texts.py); this module plugs Qt's
compiled catalogues (i18n/*.qm) into them when the plugin package is imported.
"""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

from .core.texts import current_language, register_backend, speaking, tr, translate

__all__ = ["current_language", "speaking", "tr", "translate", "catalogue", "qgis_language"]

# pylupdate5 files bare tr("...") calls under this context; keep them together.
CONTEXT = "@default"
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"

_installed: list[QTranslator] = []


_loaded: dict[str, QTranslator | None] = {}


def catalogue(language: str) -> QTranslator | None:
    """The language's .qm, loaded once and not installed: for ``speaking`` and for reports,
    whose language is chosen per run whatever language QGIS runs in."""
    if language not in _loaded:
        _loaded[language] = _load_qm(language)
    return _loaded[language]


def _load_qm(language: str) -> QTranslator | None:
    """A translator with the language's compiled .qm; None when there is none."""
    qm = I18N_DIR / f"rus_planner_{language}.qm"
    translator = QTranslator()
    return translator if qm.exists() and translator.load(str(qm)) else None


def qgis_language() -> str:
    """The two-letter language QGIS runs in (its override setting, else the system's)."""
    settings = QSettings()
    locale = ""
    if settings.value("locale/overrideFlag", False, type=bool):
        locale = settings.value("locale/userLocale", "")
    return (locale or QLocale().name() or "en")[:2].lower()


def install_translator(language: str | None = None) -> QTranslator | None:
    """Load the .qm for the language into the application; None when there is none."""
    translator = _load_qm(language or qgis_language())
    if translator is None:
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


class QtCatalogue:
    """The core's translation backend inside QGIS: the plugin's .qm files through Qt."""

    def translate(self, language: str, text: str) -> str:
        translator = catalogue(language)
        if translator is None:
            return text
        # QTranslator takes the source as char*: UTF-8 bytes, or PyQt encodes it as ASCII (and
        # fails on "m²" or quotation marks).
        return translator.translate(CONTEXT.encode("utf-8"), text.encode("utf-8")) or text

    def ambient(self, text: str) -> str:
        return QCoreApplication.translate(CONTEXT, text)

    def language(self) -> str:
        return qgis_language() if _installed else "en"


register_backend(QtCatalogue())
