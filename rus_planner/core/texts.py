"""Translation hooks of the pure core: English source strings, translated by the host.

The core runs without QGIS (its own tests, a script). Inside QGIS ``rus_planner.i18n``
registers the Qt catalogue as the backend when the plugin package is imported, so the core's
texts come out in Swedish exactly as the front ends' do; without a backend they stay English.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Protocol


class TranslationBackend(Protocol):
    """What the host provides: its catalogue, its ambient translation and language."""

    def translate(self, language: str, text: str) -> str: ...

    def ambient(self, text: str) -> str: ...

    def language(self) -> str: ...


_backend: TranslationBackend | None = None
_speaking = threading.local()


def register_backend(backend: TranslationBackend | None) -> None:
    """Use this backend for every ``tr()`` from now on (None: English sources)."""
    global _backend
    _backend = backend


def tr(text: str) -> str:
    """Translate a source string; format the result, never the template.

    Into the language set with ``speaking`` on this thread, else the host's language.
    """
    language = getattr(_speaking, "language", None)
    if _backend is None:
        return text
    if language is None:
        return _backend.ambient(text)
    return _backend.translate(language, text)


def translate(language: str, text: str) -> str:
    """A source string in a given language, whatever language the host runs in
    (English, a language without a catalogue and an untranslated string: the source itself)."""
    if language == "en" or _backend is None:
        return text
    return _backend.translate(language, text)


@contextmanager
def speaking(language: str):
    """``tr()`` in this language on this thread: for texts an algorithm's LANGUAGE decides."""
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
    return _backend.language() if _backend is not None else "en"
