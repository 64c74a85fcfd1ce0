"""Translation for every user-visible string (English source, Swedish translation)."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

# pylupdate5 files bare tr("...") calls under this context; keep them together.
CONTEXT = "@default"
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"

_installed: list[QTranslator] = []


def tr(text: str) -> str:
    """Translate a source string; format the result, never the template.

    Into the language QGIS runs in, or the one set with ``speaking`` on this thread.
    """
    language = getattr(_speaking, "language", None)
    if language is None:
        return QCoreApplication.translate(CONTEXT, text)
    return translate(language, text)


def translate(language: str, text: str) -> str:
    """A source string in a language from the plugin's catalogue, whatever language QGIS runs in
    (English, a language without a catalogue and an untranslated string: the source itself)."""
    if language == "en":
        return text
    translator = catalogue(language)
    if translator is None:
        return text
    # QTranslator takes the source as char*: UTF-8 bytes, or PyQt encodes it as ASCII (and
    # fails on "m²" or quotation marks).
    return translator.translate(CONTEXT.encode("utf-8"), text.encode("utf-8")) or text


_speaking = threading.local()


@contextmanager
def speaking(language: str):
    """``tr()`` in this language on this thread, whatever language QGIS runs in: for texts an
    algorithm's LANGUAGE decides (English is the source text itself)."""
    previous = getattr(_speaking, "language", None)
    _speaking.language = language
    try:
        yield
    finally:
        _speaking.language = previous


def current_language() -> str:
    """The language ``tr()`` translates into on this thread now (for numbers written beside it)."""
    language = getattr(_speaking, "language", None)
    if language is not None:
        return language
    return qgis_language() if _installed else "en"


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
