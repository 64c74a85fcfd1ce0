"""The plugin's own error types: every expected failure is one of these, with a clear message."""

from __future__ import annotations


class RusPlannerError(Exception):
    """A failure the user can act on; str() is the translated message."""


class MissingDependencyError(RusPlannerError):
    """A Python package the analysis needs is not importable in this QGIS."""
