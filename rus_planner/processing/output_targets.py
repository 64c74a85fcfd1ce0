"""Which files a run reads and where its outputs go, and the refusal, before anything is written,
of an output that is one of the inputs or another output (see outputs.py for the whole guard).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from qgis.core import (
    QgsDataSourceUri,
    QgsMapLayer,
    QgsProcessing,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingUtils,
    QgsProperty,
    QgsProviderRegistry,
)

from ..i18n import tr
from ..qgis_io.staging import OutputError, remove_staging, same_file, staging_folder

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


class OutputTargets:
    """The inputs and destinations of one run, read from its parameters, and their check.

    A base of OutputGuard, which sets ``algorithm``, ``parameters`` and ``context``.
    """

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
