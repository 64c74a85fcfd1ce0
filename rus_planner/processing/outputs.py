"""Every output of an algorithm written safely: never over an input, never half, always checked.

One ``OutputGuard`` per run (``RusAlgorithm.processAlgorithm`` makes it):

- Before anything is written, an output that is one of the run's inputs is refused
  (output_targets.py): the same file (through symbolic and hard links, ``path|layername=x``
  or ``ogr:dbname='x' table="t"``), or two outputs that are one file. A *new* table added to
  an input GeoPackage with ``ogr:dbname='in.gpkg' table="new"`` is allowed — QGIS then adds
  one table and leaves the others alone (that is how ``make demo`` adds its summary beside
  the overlay it reads) — but a plain path to that GeoPackage is not: Processing would
  replace the whole file.
- Sinks are made where the target is not: in a hidden staging folder beside the target, under
  the target's own name (so a GeoPackage's table is named as before; a table meant for a
  GeoPackage goes into a GeoPackage of that name there). Only when the algorithm has finished,
  and the run was not cancelled, are they put in place: a file is renamed over the old file;
  a table is copied into its GeoPackage under a temporary name, then the old table dropped and
  the new one renamed in one transaction (gpkg_tables.py). A failed or cancelled run removes
  what it staged: an earlier output stays byte for byte.
- Every feature added is checked (``CheckedSink``, checked_sink.py), and once the sink is
  closed the file is opened again and its features counted: a write that failed anywhere
  (also when GDAL commits, which QGIS does not report) is an error, not a silent empty table.
- Field names that differ only in case (a GeoPackage or shapefile cannot hold both) are made
  unique before the sink is created, with a warning naming each renamed field.

Temporary and memory outputs are left to Processing as they are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from qgis.core import (
    QgsDataSourceUri,
    QgsProcessingOutputLayerDefinition,
    QgsProperty,
)

from ..i18n import tr
from ..qgis_io.export import release_connections
from ..qgis_io.feature_writing import WriteError
from ..qgis_io.staging import (
    OutputError,
    count_features,
    move_into_place,
    remove_staging,
    staging_folder,
)
from .checked_sink import CheckedSink, unique_field_names
from .gpkg_tables import copy_table, has_table
from .output_targets import Destination, OutputTargets


@dataclass
class _Staged:
    """One output being written somewhere else until the run is complete."""

    destination: Destination
    folder: Path | None = None  # the staging folder (file outputs, new GeoPackages)
    sinks: list = field(default_factory=list)
    staged_id: str = ""
    in_place: bool = False  # moved (or renamed) into place: no longer "unchanged"


class OutputGuard(OutputTargets):
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

    def direct_gpkg_output(self, name: str) -> tuple[str, str] | None:
        """(where to write, the final path) when a sink destination is a plain GeoPackage path, to
        be written directly (with GDAL) instead of through a sink; else None. Staged and moved
        into place like every file output."""
        destination = self.destination(name)
        if destination.kind != "file" or "|" in destination.text:
            return None
        if not destination.path.lower().endswith(".gpkg"):
            return None
        target = Path(destination.path)
        staged = _Staged(destination, folder=staging_folder(target.parent, destination.label))
        self.staged.append(staged)
        return str(staged.folder / target.name), str(target)

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
                copy_table(staged_file, destination.path, destination.table or Path(destination.path).stem)
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
                if has_table(destination.path, table):
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


def _replaced(value, replacements):
    if not isinstance(value, str):
        return value
    for old, new in replacements:
        value = value.replace(old, new)
    return value
