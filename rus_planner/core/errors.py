"""The plugin's own error types: every expected failure is one of these, with a clear message."""

from __future__ import annotations

from .texts import tr


class RusPlannerError(Exception):
    """A failure the user can act on; str() is the translated message."""


class LayerError(RusPlannerError):
    """A layer cannot be used as it is (no CRS, wrong CRS, not loaded...)."""


class Cancelled(RusPlannerError):
    """The user cancelled the run."""

    def __init__(self):
        super().__init__(tr("The run was cancelled; nothing was written."))
