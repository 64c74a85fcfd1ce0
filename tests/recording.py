"""A Processing feedback that keeps what an algorithm tells the user, for tests to read."""

from __future__ import annotations


def recording_feedback():
    """A QgsProcessingFeedback that keeps the warnings an algorithm pushes (in ``.warnings``)."""
    from qgis.core import QgsProcessingFeedback

    class RecordingFeedback(QgsProcessingFeedback):
        def __init__(self):
            super().__init__()
            self.warnings: list[str] = []

        def pushWarning(self, text):  # noqa: N802 - QGIS's name
            self.warnings.append(text)
            super().pushWarning(text)

    return RecordingFeedback()
