"""The element check in a QgsTask: the same pipeline as rusplanner:checkelements, off the main thread.

Map layers belong to the main thread. What the worker reads is a ``LayerSnapshot`` made in
the main thread: a ``QgsVectorLayerFeatureSource`` (QGIS's thread-safe copy of a layer,
edit buffer included) with the layer's CRS, extent, type and fields, i.e. the part of
``QgsFeatureSource`` that ``qgis_io.layers.read_layer`` uses. The layer references are built by
the Processing algorithm's own resolver, so names, aliases and data dates are the same as
in Processing and the core gives the same answer.
"""

from __future__ import annotations

import traceback
from dataclasses import replace

from qgis.core import QgsFeatureRequest, QgsProcessingContext, QgsTask, QgsVectorLayerFeatureSource

from ..core.errors import Cancelled, RusPlannerError
from ..i18n import tr
from ..qgis_io.check_run import layer_ref as resolve
from ..qgis_io.check_run import run_check
from ..qgis_io.crs_checks import with_provider_crs


class LayerSnapshot:
    """A thread-safe, read-only view of a vector layer (optionally of some features only)."""

    def __init__(self, layer, fids=None):
        layer = with_provider_crs(layer)  # a table of geometry collections: its file's CRS
        self._source = QgsVectorLayerFeatureSource(layer)
        self._crs = layer.crs()
        self._extent = layer.extent()
        self._wkb_type = layer.wkbType()
        self._fields = layer.fields()
        self._fids = None if fids is None else sorted(int(f) for f in fids)
        # What the checks after reading need to know of the source (qgis_io.completeness).
        self.provider_key = layer.providerType()
        self.source_uri = layer.source()
        self.editing = layer.isEditable()  # with pending edits, QGIS 3.22 calls every iterator invalid
        self._subset = layer.subsetString()
        self._count = len(self._fids) if self._fids is not None else layer.featureCount()

    # What qgis_io.bulk_read asks before it reads a whole file with GDAL (the bulk read), as the
    # Processing algorithm's layers answer it: a layer with unsaved edits, a subset string or a
    # choice of features is always read through the snapshot, edits included.
    def providerType(self) -> str:  # noqa: N802
        return self.provider_key if self._fids is None else "snapshot"

    def source(self) -> str:
        return self.source_uri

    def subsetString(self) -> str:  # noqa: N802
        return self._subset

    def isEditable(self) -> bool:  # noqa: N802
        return self.editing

    def featureCount(self) -> int:  # noqa: N802 - as QgsFeatureSource names it
        return self._count

    def sourceCrs(self):
        return self._crs

    def sourceExtent(self):
        return self._extent

    def wkbType(self):
        return self._wkb_type

    def fields(self):
        return self._fields

    def getFeatures(self, request=None):
        request = QgsFeatureRequest(request) if request is not None else QgsFeatureRequest()
        if self._fids is not None:
            request.setFilterFids(self._fids)
        return self._source.getFeatures(request)


def layer_ref(layer, fids=None):
    """The pipeline's LayerRef for a project layer, as Processing resolves it, reading a snapshot."""
    ref = resolve(layer, QgsProcessingContext())
    if ref.feature_source is None:
        return ref
    return replace(ref, feature_source=LayerSnapshot(layer, fids))


class TaskFeedback:
    """The little of QgsProcessingFeedback the core calls, wired to the task."""

    def __init__(self, task: QgsTask):
        self._task = task

    def isCanceled(self) -> bool:  # noqa: N802
        return self._task.isCanceled()

    def setProgress(self, value: float) -> None:  # noqa: N802
        self._task.setProgress(value)

    def pushInfo(self, message: str) -> None:  # noqa: N802
        self._task.messages.append(message)

    def pushWarning(self, message: str) -> None:  # noqa: N802
        self._task.messages.append(message)


class CheckTask(QgsTask):
    """Runs the check in the background; ``on_done(task)`` is called in the main thread."""

    def __init__(self, element_refs, agency_refs, profile, target_crs, transform_context, options, on_done):
        super().__init__(tr("RUS check"), QgsTask.Flag.CanCancel)
        self.element_refs = element_refs
        self.agency_refs = agency_refs
        self.profile = profile
        self.target_crs = target_crs
        self.transform_context = transform_context
        self.options = options
        self.on_done = on_done
        self.result = None
        self.agency_layers = None
        self.agency_layers_near_only = True
        self.messages: list[str] = []
        self.error: str | None = None
        self.details = ""
        self.cancelled = False

    def run(self) -> bool:
        try:
            run = run_check(
                self.element_refs,
                self.agency_refs,
                self.profile,
                self.target_crs,
                self.transform_context,
                self.options,
                feedback=TaskFeedback(self),  # its messages go to self.messages
            )
            self.result, self.agency_layers = run.result, run.agency_layers
            self.agency_layers_near_only = run.agency_layers_near_only
            self.messages.append(run.result.not_checked_line())
        except Cancelled:
            self.cancelled = True
            return False
        except RusPlannerError as error:
            self.error = str(error)
            return False
        except Exception as error:  # noqa: BLE001 - shown to the user instead of a lost traceback
            self.error = tr("The check failed unexpectedly: {reason}").format(
                reason=str(error) or type(error).__name__
            )
            self.details = traceback.format_exc()  # for the message log: what to report as a bug
            return False
        if self.isCanceled():
            self.cancelled = True
            return False
        return True

    def finished(self, result: bool) -> None:  # noqa: D401 - QgsTask's hook, main thread
        if self.isCanceled():
            self.cancelled = True
        callback, self.on_done = self.on_done, None
        if callback is not None:
            callback(self)
