"""Every output of an algorithm written safely: never over an input, never half, always checked.

One ``OutputGuard`` per run (``RusAlgorithm.processAlgorithm`` makes it):

- Before anything is written, an output that is one of the run's inputs is refused: the same
  file (through symbolic and hard links, ``path|layername=x`` or ``ogr:dbname='x' table="t"``),
  or two outputs that are one file. A *new* table added to an input GeoPackage with
  ``ogr:dbname='in.gpkg' table="new"`` is allowed — QGIS then adds one table and leaves the
  others alone (that is how ``make demo`` adds its summary beside the overlay it reads) —
  but a plain path to that GeoPackage is not: Processing would replace the whole file.
- Sinks are made where the target is not: in a hidden staging folder beside the target, under
  the target's own name (so a GeoPackage's table is named as before; a table meant for a
  GeoPackage goes into a GeoPackage of that name there). Only when the algorithm has finished,
  and the run was not cancelled, are they put in place: a file is renamed over the old file;
  a table is copied into its GeoPackage under a temporary name, then the old table dropped and
  the new one renamed in one transaction. A failed or cancelled run removes what it staged: an
  earlier output stays byte for byte.
- Every feature added is checked (``CheckedSink``), and once the sink is closed the file is
  opened again and its features counted: a write that failed anywhere (also when GDAL
  commits, which QGIS does not report) is an error, not a silent empty table.
- Field names that differ only in case (a GeoPackage or shapefile cannot hold both) are made
  unique before the sink is created, with a warning naming each renamed field.

Temporary and memory outputs are left to Processing as they are.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from osgeo import gdal
from qgis.core import (
    QgsDataSourceUri,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsMapLayer,
    QgsProcessing,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingUtils,
    QgsProperty,
    QgsProviderRegistry,
)
from qgis.PyQt import sip

from ..i18n import tr
from ..qgis_io.export import release_connections
from ..qgis_io.feature_writing import WriteError
from ..qgis_io.staging import (
    OutputError,
    count_features,
    move_into_place,
    remove_staging,
    same_file,
    staging_folder,
)

# Parameter types whose values are read by the run.
_INPUT_TYPES = {
    "source",
    "vector",
    "multilayer",
    "layer",
    "raster",
    "mesh",
    "file",
    "pointcloud",
    "vectortile",
}
# How Processing tells a provider-prefixed destination ("ogr:dbname=...") from a plain path.
_PROVIDER_PREFIX = re.compile(r"^(.{3,}?):(.*)$", re.DOTALL)
_TEMPORARY_TABLE = "{table}_rus_tmp_{token}"


@dataclass(frozen=True)
class InputFile:
    """A file the run reads; ``table`` None means the file as a whole (every table in it)."""

    parameter: str
    path: str
    table: str | None = None


@dataclass
class Destination:
    """An output as given: where it goes and in which form."""

    parameter: str
    label: str
    kind: str  # "memory", "file" (a plain path), "table" (ogr:dbname=... table=...), "other"
    path: str = ""
    table: str | None = None
    text: str = ""


@dataclass
class _Staged:
    """One output being written somewhere else until the run is complete."""

    destination: Destination
    folder: Path | None = None  # the staging folder (file outputs, new GeoPackages)
    sinks: list = field(default_factory=list)
    staged_id: str = ""
    in_place: bool = False  # moved (or renamed) into place: no longer "unchanged"


class OutputGuard:
    """What one run writes: refused when it would overwrite an input, staged, checked, moved."""

    def __init__(self, algorithm, parameters: dict, context, feedback=None):
        self.algorithm = algorithm
        self.parameters = parameters
        self.context = context
        self.feedback = feedback
        self.staged: list[_Staged] = []
        self.created_folders: list[Path] = []
        self.committed = False
        self.checked = False  # True once check() found nothing to refuse

    # ------------------------------------------------------------------ before anything is written
    def check(self) -> None:
        """Refuse, before anything is written, an output that is an input or another output."""
        inputs = self.inputs()
        destinations = [d for d in self.destinations() if d.kind in ("file", "table", "other") and d.path]
        for destination in destinations:
            self._check_writable(destination)
        # A folder output holds new files of its own names: what matters there is that it is a folder.
        destinations = [d for d in destinations if not self._is_folder(d)]
        for destination in destinations:
            for source in inputs:
                if not same_file(destination.path, source.path):
                    continue
                input_label = self._label(source.parameter)
                if destination.kind == "table":
                    if (
                        source.table is not None
                        and source.table.casefold() != (destination.table or "").casefold()
                    ):
                        continue  # a new table beside the input's: the input's table is untouched
                    if source.table is None:
                        raise OutputError(
                            tr(
                                "{output}: the table “{table}” would be written into “{path}”, which this run "
                                "reads as a whole ({input}). Nothing was written; name the input's table "
                                "(“{path}|layername=...”) or write to another file."
                            ).format(
                                output=destination.label,
                                table=destination.table,
                                path=destination.path,
                                input=input_label,
                            )
                        )
                    raise OutputError(
                        tr(
                            "{output}: the table “{table}” of “{path}” is read by this run ({input}) and would "
                            "be replaced. Nothing was written; choose another table name or another file."
                        ).format(
                            output=destination.label,
                            table=destination.table,
                            path=destination.path,
                            input=input_label,
                        )
                    )
                raise OutputError(
                    tr(
                        "{output}: “{path}” is read by this run ({input}); writing it would replace the whole "
                        "file and every table in it. Nothing was written; choose another file, or add a new "
                        "table to it with ogr:dbname='{path}' table=\"name\"."
                    ).format(output=destination.label, path=destination.path, input=input_label)
                )
        for index, first in enumerate(destinations):
            for second in destinations[index + 1 :]:
                if not same_file(first.path, second.path):
                    continue
                if (
                    first.kind == second.kind == "table"
                    and (first.table or "").casefold() != (second.table or "").casefold()
                ):
                    continue
                raise OutputError(
                    tr(
                        "{first} and {second} are the same output (“{path}”): the second would replace the "
                        "first. Nothing was written; choose two different files or tables."
                    ).format(first=first.label, second=second.label, path=first.path)
                )
        self.checked = True

    def _is_folder(self, destination: Destination) -> bool:
        definition = self.algorithm.parameterDefinition(destination.parameter)
        return definition is not None and definition.type() == "folderDestination"

    def _check_writable(self, destination: Destination) -> None:
        """Say now, not after the analysis, when the output's folder is missing, a file or read-only
        (by making and removing a staging folder there: nothing else is touched)."""
        if destination.kind != "file":
            return
        definition = self.algorithm.parameterDefinition(destination.parameter)
        target = Path(destination.path)
        if definition is not None and definition.type() == "folderDestination":
            if target.exists() and not target.is_dir():
                staging_folder(target, destination.label)  # raises: a file, not a folder
            while not target.exists() and target != target.parent:
                target = target.parent  # a folder that does not exist yet is made where it can be
            remove_staging(staging_folder(target, destination.label))
            return
        if target.is_dir():
            raise OutputError(
                tr(
                    "{output} could not be written: “{path}” is a folder. Nothing was written; choose a file name."
                ).format(output=destination.label, path=target)
            )
        remove_staging(staging_folder(target.parent, destination.label))

    def inputs(self) -> list[InputFile]:
        """Every file the run reads: layers (by path and table), files such as the profile, the project."""
        found: list[InputFile] = []
        for definition in self.algorithm.parameterDefinitions():
            if definition.isDestination() or definition.type() not in _INPUT_TYPES:
                continue
            value = self.parameters.get(definition.name())
            values = value if isinstance(value, (list, tuple)) else [value]
            if definition.type() == "multilayer" and isinstance(value, str):
                values = [v for v in value.split(";") if v]
            for item in values:
                found += self._input_files(definition.name(), item)
        project = self.context.project() if self.context is not None else None
        if project is not None and project.fileName() and os.path.isfile(project.fileName()):
            found.append(InputFile("PROJECT_PATH", project.fileName()))
        return found

    def _input_files(self, parameter: str, value) -> list[InputFile]:
        if isinstance(value, QgsProcessingFeatureSourceDefinition):
            value = value.source
        if isinstance(value, QgsProperty):
            value = value.staticValue()
        if value is None or value == "":
            return []
        if isinstance(value, QgsMapLayer):
            return _layer_files(parameter, value.providerType(), value.source())
        text = str(value)
        project = self.context.project() if self.context is not None else None
        layer = None
        for store in (project, self.context.temporaryLayerStore() if self.context is not None else None):
            if store is None:
                continue
            layer = store.mapLayer(text) or next(iter(store.mapLayersByName(text)), None)
            if layer is not None:
                break
        if layer is not None:
            return _layer_files(parameter, layer.providerType(), layer.source())
        if "://" in text:
            ok, provider, uri = QgsProcessingUtils.decodeProviderKeyAndUri(text)
            if ok:
                return _layer_files(parameter, provider, uri)
        return _layer_files(parameter, "ogr", text)

    def destinations(self) -> list[Destination]:
        """Every destination parameter with the value given (or its default)."""
        return [
            self.destination(d.name()) for d in self.algorithm.parameterDefinitions() if d.isDestination()
        ]

    def destination(self, name: str) -> Destination:
        definition = self.algorithm.parameterDefinition(name)
        value = self.parameters.get(name)
        if isinstance(value, QgsProcessingOutputLayerDefinition):
            value = value.sink
        if isinstance(value, QgsProperty):
            value = value.valueAsString(self.context.expressionContext(), "")[0] if self.context else ""
        text = "" if value is None else str(value)
        if not text and definition is not None and definition.defaultValue() is not None:
            text = str(definition.defaultValue())
        label = self._label(name)
        if not text or text == QgsProcessing.TEMPORARY_OUTPUT or text.startswith("memory:"):
            return Destination(name, label, "memory", text=text)
        if definition is not None and definition.type() in ("fileDestination", "folderDestination"):
            return Destination(name, label, "file", path=text, text=text)
        match = _PROVIDER_PREFIX.match(text)
        if match and not os.path.isabs(text):
            provider, uri = match.group(1), match.group(2)
            database = QgsDataSourceUri(uri).database()
            if provider == "ogr" and database:
                return Destination(
                    name, label, "table", database, QgsDataSourceUri(uri).table() or None, text
                )
            path = database or QgsProviderRegistry.instance().decodeUri(provider, uri).get("path") or ""
            return Destination(name, label, "other", path=str(path), text=text)
        return Destination(name, label, "file", path=text.split("|")[0], text=text)

    def _label(self, name: str) -> str:
        definition = self.algorithm.parameterDefinition(name)
        return definition.description() if definition is not None else name

    # ------------------------------------------------------------------ staging
    def staged_parameters(self, parameters: dict, name: str) -> tuple[dict, _Staged | None]:
        """The parameters with ``name``'s destination moved to where it is written until complete."""
        destination = self.destination(name)
        if destination.kind == "file":
            target = Path(destination.path)
            staged = _Staged(destination, folder=staging_folder(target.parent, destination.label))
            new_text = str(staged.folder / target.name)
        elif destination.kind == "table":
            # Into a GeoPackage of its own name in the staging folder; at the end the table is
            # copied into the target (or, for a new GeoPackage, the file is moved). Several tables
            # of one GeoPackage share one staged file.
            target = Path(destination.path)
            shared = next(
                (
                    other.folder
                    for other in self.staged
                    if other.destination.kind == "table"
                    and other.folder is not None
                    and os.path.abspath(other.destination.path) == os.path.abspath(destination.path)
                ),
                None,
            )
            staged = _Staged(destination, folder=shared or staging_folder(target.parent, destination.label))
            uri = QgsDataSourceUri(destination.text.split(":", 1)[1])
            uri.setDatabase(str(staged.folder / target.name))
            new_text = f"ogr:{uri.uri(False)}"
        else:
            return parameters, None
        self.staged.append(staged)
        changed = dict(parameters)
        value = parameters.get(name)
        if isinstance(value, QgsProcessingOutputLayerDefinition):
            copy = QgsProcessingOutputLayerDefinition(value)
            copy.sink = QgsProperty.fromValue(new_text)
            changed[name] = copy
        else:
            changed[name] = new_text
        return changed, staged

    def sink(self, parameters, name: str, fields, create):
        """``create(parameters, fields)`` → (sink, id) with the destination staged and the fields'
        names unique; returns a CheckedSink (or None) and the id Processing gave."""
        fields, renamed = unique_field_names(fields)
        if renamed and self.feedback is not None:
            self.feedback.pushWarning(
                tr(
                    "{output}: fields renamed because another field has the same name apart from upper "
                    "and lower case, which a GeoPackage or shapefile cannot hold: {names}"
                ).format(output=self._label(name), names=", ".join(renamed))
            )
        changed, staged = self.staged_parameters(parameters, name)
        sink, identifier = create(changed, fields)
        if sink is None:
            return None, identifier
        checked = CheckedSink(sink, self._label(name))
        if staged is None:
            self.staged.append(_Staged(self.destination(name), sinks=[checked], staged_id=identifier))
            return checked, identifier
        staged.sinks.append(checked)
        staged.staged_id = identifier
        final = _replaced(identifier, self._replacements(staged))
        self._load_final_instead(identifier, final)
        return checked, final

    def _replacements(self, staged: _Staged) -> list[tuple[str, str]]:
        """How a staged identifier or path reads once the output is in place."""
        destination = staged.destination
        if staged.folder is None:
            return []
        definition = self.algorithm.parameterDefinition(destination.parameter)
        is_folder = definition is not None and definition.type() == "folderDestination"
        final_folder = Path(destination.path) if is_folder else Path(destination.path).parent
        return [(str(staged.folder), str(final_folder))]

    def _load_final_instead(self, staged_id: str, final_id: str) -> None:
        """Processing registered the staged output to be loaded when the run ends: register the
        final one instead, before any post-processor is attached (QGIS deletes the post-processor
        of an entry that is dropped, so the swap must happen while there is none)."""
        if (
            self.context is None
            or staged_id == final_id
            or not self.context.willLoadLayerOnCompletion(staged_id)
        ):
            return
        layers = self.context.layersToLoadOnCompletion()
        layers[final_id] = layers.pop(staged_id)
        self.context.setLayersToLoadOnCompletion(layers)

    def file_output(self, name: str) -> tuple[str, str]:
        """(where to write, the final path) for a file destination parameter."""
        final = self.algorithm.parameterAsFileOutput(self.parameters, name, self.context)
        destination = Destination(name, self._label(name), "file", path=final, text=final)
        if not final:
            raise OutputError(
                tr("{output} could not be written: no file was given.").format(output=destination.label)
            )
        target = Path(final)
        if target.is_dir():
            raise OutputError(
                tr(
                    "{output} could not be written: “{path}” is a folder. Nothing was written; choose a file name."
                ).format(output=destination.label, path=target)
            )
        staged = _Staged(destination, folder=staging_folder(target.parent, destination.label))
        self.staged.append(staged)
        return str(staged.folder / target.name), final

    def folder_output(self, name: str) -> tuple[str, str]:
        """(where to write, the final folder) for a folder destination; the folder is made when missing
        (and removed again if the run writes nothing into it)."""
        final = self.algorithm.parameterAsFileOutput(self.parameters, name, self.context)
        label = self._label(name)
        if not final:
            raise OutputError(tr("{output} could not be written: no folder was given.").format(output=label))
        folder = Path(final)
        if folder.exists() and not folder.is_dir():
            staging_folder(folder, label)  # raises the message for "a file, not a folder"
        if not folder.exists():
            missing = []
            probe = folder
            while not probe.exists():
                missing.append(probe)
                probe = probe.parent
            try:
                folder.mkdir(parents=True)
            except OSError as error:
                raise OutputError(
                    tr(
                        "{output} could not be written: the folder “{path}” cannot be made ({reason}). "
                        "Nothing was written."
                    ).format(output=label, path=folder, reason=error.strerror or error)
                ) from None
            self.created_folders += missing
        staged = _Staged(
            Destination(name, label, "file", path=final, text=final), folder=staging_folder(folder, label)
        )
        self.staged.append(staged)
        return str(staged.folder), final

    # ------------------------------------------------------------------ the end of the run
    def commit(self, results: dict) -> dict:
        """Close and verify every sink, move the outputs into place; the results with final paths."""
        self._close_sinks()
        for staged in self.staged:
            for sink in staged.sinks:
                self._verify(staged, sink)
        replacements: list[tuple[str, str]] = []
        for staged in self.staged:
            destination = staged.destination
            if destination.kind == "table" and os.path.exists(destination.path) and staged.folder is not None:
                staged_file = staged.folder / Path(destination.path).name
                release_connections(staged_file)
                _copy_table(staged_file, destination.path, destination.table or Path(destination.path).stem)
        for staged in self.staged:
            destination = staged.destination
            if staged.folder is not None and staged.folder.exists():  # (a shared one once)
                (_, final_folder), *_ = self._replacements(staged)
                if destination.kind == "table" and os.path.exists(destination.path):
                    remove_staging(staged.folder)  # its tables are in the target now
                else:
                    for path in staged.folder.iterdir():
                        release_connections(path)
                    move_into_place(staged.folder, final_folder)
            staged.in_place = True
            replacements += self._replacements(staged)
        self.committed = True
        return {key: _replaced(value, replacements) for key, value in results.items()}

    def discard(self) -> None:
        """After a failure or a cancel: close the sinks and remove everything staged."""
        if self.committed:
            return
        self._close_sinks()
        for staged in self.staged:
            if staged.folder is not None:
                remove_staging(staged.folder)
        for folder in self.created_folders:
            try:
                folder.rmdir()  # only if still empty: made by this run, nothing of anyone's in it
            except OSError:
                pass

    def unchanged_outputs(self) -> list[str]:
        """The outputs that existed before the run and were not replaced (after a cancel or a
        failure: every one of them, as it was)."""
        replaced = {staged.destination.parameter for staged in self.staged if staged.in_place}
        found = []
        for destination in self.destinations():
            if destination.parameter in replaced or destination.kind not in ("file", "table"):
                continue
            if self._is_folder(destination):
                continue  # a folder holds other files too: the report says what it wrote
            if destination.kind == "table":
                table = destination.table or Path(destination.path).stem
                if _has_table(destination.path, table):
                    found.append(f"{destination.path}|layername={table}")
            elif os.path.isfile(destination.path):
                found.append(destination.path)
        return found

    def _close_sinks(self) -> None:
        for staged in self.staged:
            for sink in staged.sinks:
                sink.close()

    def _verify(self, staged: _Staged, sink: CheckedSink) -> None:
        """Count what reached the file: a write GDAL could not commit is found here."""
        destination = staged.destination
        if destination.kind == "memory" or staged.destination.kind == "other":
            return
        path, _, table = staged.staged_id.partition("|layername=")
        table = table or None
        count = count_features(path, table)
        if count != sink.count:
            raise WriteError(
                tr(
                    "{output} could not be written: only {written} of {total} features reached the file."
                ).format(output=sink.label, written=count if count is not None else 0, total=sink.count)
            )


class CheckedSink:
    """A sink whose every write is checked and counted; an error names the output and the reason."""

    def __init__(self, sink, label: str):
        self.sink = sink
        self.label = label
        self.count = 0

    def addFeature(self, feature, flags=None) -> bool:  # noqa: N802 - QgsFeatureSink's API
        if not self.sink.addFeature(feature, QgsFeatureSink.Flags() if flags is None else flags):
            self._fail()
        self.count += 1
        return True

    def addFeatures(self, features, flags=None) -> bool:  # noqa: N802
        features = list(features)
        if not self.sink.addFeatures(features, QgsFeatureSink.Flags() if flags is None else flags):
            self._fail()
        self.count += len(features)
        return True

    def lastError(self) -> str:  # noqa: N802
        return self.sink.lastError() if self.sink is not None else ""

    def flushBuffer(self) -> bool:  # noqa: N802
        return self.sink.flushBuffer() if self.sink is not None else True

    def close(self) -> None:
        """Delete the QGIS sink now: that closes the file (and commits what the writer buffered)."""

        if self.sink is not None:
            sink, self.sink = self.sink, None
            sink.flushBuffer()
            if not sip.isdeleted(sink):
                sip.delete(sink)

    def _fail(self) -> None:
        raise WriteError(
            tr("{output} could not be written: {reason}").format(
                output=self.label, reason=self.sink.lastError() or tr("the data source gave no reason")
            )
        )


def unique_field_names(fields: QgsFields) -> tuple[QgsFields, list[str]]:
    """The fields with names unique regardless of case (later ones get _2, _3 …), and the renamings."""
    taken: set[str] = set()
    unique = QgsFields()
    renamed = []
    for index in range(fields.count()):
        original = fields.at(index)
        name, number = original.name(), 2
        candidate = name
        while candidate.casefold() in taken:
            candidate = f"{name}_{number}"
            number += 1
        taken.add(candidate.casefold())
        copy = QgsField(original)
        if candidate != name:
            copy.setName(candidate)
            renamed.append(f"{name} → {candidate}")
        unique.append(copy)
    return unique, renamed


def _layer_files(parameter: str, provider: str, source: str) -> list[InputFile]:
    """The file (and table) behind a layer source, when it is a file."""
    if provider in (
        "memory",
        "virtual",
        "wms",
        "wfs",
        "WFS",
        "arcgisfeatureserver",
        "postgres",
        "oracle",
        "mssql",
    ):
        return []
    parts = QgsProviderRegistry.instance().decodeUri(provider, source) or {}
    path = parts.get("path")
    table = parts.get("layerName") or parts.get("table")
    if not isinstance(path, str) or not path or "dbname=" in path:
        database = QgsDataSourceUri(source).database()
        path, table = (database, QgsDataSourceUri(source).table()) if database else (path, table)
    if not isinstance(path, str) or not path or not os.path.exists(path):
        return []
    table = table if isinstance(table, str) and table else None
    return [InputFile(parameter, path, table)]


def _replaced(value, replacements):
    if not isinstance(value, str):
        return value
    for old, new in replacements:
        value = value.replace(old, new)
    return value


class _Gdal:
    """GDAL without exceptions and without printing: each call's failure read from its last error."""

    def __enter__(self):

        self.gdal = gdal
        gdal.PushErrorHandler("CPLQuietErrorHandler")
        gdal.ErrorReset()
        return self

    def __exit__(self, *_exc):
        self.gdal.PopErrorHandler()

    def failed(self) -> bool:
        return self.gdal.GetLastErrorType() >= self.gdal.CE_Failure

    def reason(self) -> str:
        return self.gdal.GetLastErrorMsg() or tr("the data source gave no reason")

    def open(self, path: str, update: bool = False):
        flags = self.gdal.OF_VECTOR | (self.gdal.OF_UPDATE if update else self.gdal.OF_READONLY)
        return self.gdal.OpenEx(path, flags)


def _layer_index(dataset, name: str) -> int | None:
    for index in range(dataset.GetLayerCount()):
        if dataset.GetLayer(index).GetName().casefold() == name.casefold():
            return index
    return None


def _replace_table(path: str, temporary: str, table: str) -> None:
    """In one transaction: drop ``table`` if it is there, rename ``temporary`` to it."""
    with _Gdal() as gdal:
        dataset = gdal.open(path, update=True)
        ok = dataset is not None and dataset.StartTransaction() == 0
        if ok:
            old = _layer_index(dataset, table)
            ok = old is None or dataset.DeleteLayer(old) == 0
            if ok:
                dataset.ExecuteSQL(f'ALTER TABLE "{_quoted(temporary)}" RENAME TO "{_quoted(table)}"')
                ok = not gdal.failed() and _layer_index(dataset, table) is not None
            ok = ok and dataset.CommitTransaction() == 0
            if not ok:
                reason = gdal.reason()
                dataset.RollbackTransaction()
                dataset = None
                _drop_table(path, temporary)
        else:
            reason = gdal.reason()
        dataset = None
    if not ok:
        raise WriteError(
            tr(
                "The table “{table}” could not be put in place in {path} ({reason}); the table as it was "
                "is unchanged."
            ).format(table=table, path=path, reason=reason)
        )


def _copy_table(source: Path, target: str, table: str) -> None:
    """Copy a finished table into an existing GeoPackage, replacing its table of that name: first
    under a temporary name, then (in one transaction) the old table dropped and the new renamed.
    Nothing of the target changes before the run is complete; if the copy fails, the temporary
    table is dropped and the target's tables are as they were."""
    temporary = _TEMPORARY_TABLE.format(table=table[:40], token=uuid.uuid4().hex[:8])
    with _Gdal() as gdal:
        options = gdal.gdal.VectorTranslateOptions(
            options=["-preserve_fid"], accessMode="update", layers=[table], layerName=temporary
        )
        copied = gdal.gdal.VectorTranslate(str(target), str(source), options=options)
        ok = copied is not None and not gdal.failed()
        reason = "" if ok else gdal.reason()
        copied = None
    if ok and count_features(target, temporary) != count_features(source, table):
        ok, reason = False, tr("not every feature arrived")
    if not ok:
        _drop_table(target, temporary)
        raise WriteError(
            tr(
                "The table “{table}” could not be written into {path} ({reason}); the table as it was "
                "is unchanged."
            ).format(table=table, path=target, reason=reason)
        )
    _replace_table(target, temporary, table)


def _drop_table(path: str, table: str) -> None:
    """Remove a temporary table this run made (a leftover *_rus_tmp_* table is harmless anyway)."""
    with _Gdal() as gdal:
        dataset = gdal.open(path, update=True)
        if dataset is not None:
            index = _layer_index(dataset, table)
            if index is not None:
                dataset.DeleteLayer(index)
        dataset = None


def _has_table(path: str, table: str | None) -> bool:
    if not table or not os.path.exists(path):
        return False
    with _Gdal() as gdal:
        dataset = gdal.open(path)
        return dataset is not None and _layer_index(dataset, table) is not None


def _quoted(identifier: str) -> str:
    return identifier.replace('"', '""')
