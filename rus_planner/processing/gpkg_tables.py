"""Putting a finished table into an existing GeoPackage without touching its other tables: copied
under a temporary name, then the old table dropped and the new one renamed in one transaction.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from osgeo import gdal

from ..i18n import tr
from ..qgis_io.feature_writing import WriteError
from ..qgis_io.staging import count_features

_TEMPORARY_TABLE = "{table}_rus_tmp_{token}"


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


def copy_table(source: Path, target: str, table: str) -> None:
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


def has_table(path: str, table: str | None) -> bool:
    if not table or not os.path.exists(path):
        return False
    with _Gdal() as gdal:
        dataset = gdal.open(path)
        return dataset is not None and _layer_index(dataset, table) is not None


def _quoted(identifier: str) -> str:
    return identifier.replace('"', '""')
