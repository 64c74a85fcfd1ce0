"""The agency GeoPackage: fetched layers, each with its source, retrieval time and completeness.

One table per catalogue service (named by its catalogue ``layer``) and one table
``rus_agency_fetch`` saying, per layer: the source (redacted), when it was retrieved, the
service's own date where it gave one, features against numberMatched, licence and attribution,
and its state:

* ``ok`` — this run fetched it completely;
* ``cached`` — this run's fetch failed or came back short, and the earlier complete copy was kept
  (its retrieval date shows its age: the check's findings carry it as the data's date);
* ``failed`` — no complete copy exists: the table is empty and the check makes its rules class D
  with the service's reason (``fetched_layer_problem``).

The file is written as a copy beside the target and moved over it only when complete; a file
that is not one of these (no ``rus_agency_fetch`` table) is never replaced.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import asdict, dataclass
from pathlib import Path

from osgeo import ogr, osr

from ..core.errors import LayerError
from ..i18n import tr
from .agency_fetch import discard_fetched

META_TABLE = "rus_agency_fetch"
_META_FIELDS = (
    "layer",
    "service_id",
    "agency",
    "theme",
    "rules",
    "status",
    "reason",
    "source",
    "retrieved",
    "service_date",
    "features",
    "matched",
    "licence",
    "attribution",
    "documentation",
)


@dataclass
class LayerState:
    layer: str
    service_id: str
    agency: str = ""
    theme: str = ""
    rules: str = ""
    status: str = ""
    reason: str = ""
    source: str = ""
    retrieved: str = ""
    service_date: str = ""
    features: int = 0
    matched: int | None = None
    licence: str = ""
    attribution: str = ""
    documentation: str = ""


def is_agency_package(path: str) -> bool:
    """Whether a file is an agency GeoPackage this plugin wrote (it has the state table)."""
    try:
        with closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as db:
            row = db.execute(
                "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (META_TABLE,)
            ).fetchone()
            return row is not None
    except sqlite3.Error:
        return False


def read_states(path: str) -> dict[str, LayerState]:
    """The state table of an agency GeoPackage, by layer; {} when there is none."""
    if not os.path.isfile(path) or not is_agency_package(path):
        return {}
    with closing(sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)) as db:
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{META_TABLE}")')]
        wanted = [c for c in _META_FIELDS if c in columns]
        rows = db.execute(f'SELECT {", ".join(wanted)} FROM "{META_TABLE}"').fetchall()
    states = {}
    for row in rows:
        values = {k: v for k, v in zip(wanted, row) if v is not None}
        states[values["layer"]] = LayerState(**values)
    return states


def store_results(results: list, output: str, feedback=None, write_to: str | None = None) -> list[LayerState]:
    """Write the fetch results into ``output`` (see the module docstring); returns each layer's state.

    ``write_to``: a staged path that the caller moves over ``output`` itself once its whole run is
    complete (Processing's output guard); without it the file is staged beside ``output`` and moved here.
    """
    output = str(output)
    if os.path.exists(output) and not is_agency_package(output):
        raise LayerError(
            tr(
                "{path} exists and was not written by “Fetch agency data”; it is left as it is. "
                "Choose a new file or one this algorithm wrote."
            ).format(path=output)
        )
    private = None
    if write_to is None:
        # Staged beside the output (os.replace stays on one file system), in a folder made for this
        # run alone (mkdtemp): the only files removed below are the ones this run wrote there.
        private = tempfile.mkdtemp(
            prefix=f".{os.path.basename(output)}.rus-staging-", dir=os.path.dirname(output) or "."
        )
        staged = os.path.join(private, os.path.basename(output))
    else:
        staged = write_to
    try:
        if os.path.exists(output):
            shutil.copyfile(output, staged)
            dataset = ogr.Open(staged, 1)
        else:
            dataset = ogr.GetDriverByName("GPKG").CreateDataSource(staged)
        states = read_states(output)
        for result in results:
            states[result.table] = _store_one(dataset, result, states.get(result.table), feedback)
        _write_states(dataset, states)
        dataset = None
        if private is not None:
            os.replace(staged, output)
    finally:
        if private is not None:
            dataset = None
            for name in (staged, f"{staged}-wal", f"{staged}-shm", f"{staged}-journal"):
                if os.path.isfile(name):
                    os.remove(name)
            try:
                os.rmdir(private)
            except OSError:
                pass  # not empty: something this run did not write stays, and so does its folder
    return [states[r.table] for r in results]


def _store_one(dataset, result, old: LayerState | None, feedback) -> LayerState:
    service = result.service
    state = LayerState(
        layer=result.table,
        service_id=service.id,
        agency=service.agency,
        theme=service.theme,
        rules=", ".join(service.rules),
        source=result.source,
        licence=service.licence,
        attribution=service.attribution,
        documentation=service.documentation,
    )
    have_table = dataset.GetLayerByName(result.table) is not None
    if result.complete:
        _replace_table(dataset, result.table, result.path)
        discard_fetched(result.path)
        _set_last_change(dataset, result.table, result.retrieved)
        state.status, state.retrieved = "ok", result.retrieved
        state.service_date = result.service_date or ""
        state.features, state.matched = result.features, result.matched
        return state
    if old is not None and old.status in ("ok", "cached") and have_table:
        state.status = "cached"
        state.retrieved, state.service_date = old.retrieved, old.service_date
        state.features, state.matched = old.features, old.matched
        state.reason = tr("the fetch failed ({reason}); the copy retrieved {date} was kept").format(
            reason=result.reason, date=old.retrieved[:10]
        )
        if feedback is not None:
            feedback.pushWarning(f"{service.id}: {state.reason}")
        return state
    if not have_table:
        srs = osr.SpatialReference()
        srs.SetFromUserInput(service.crs)
        dataset.CreateLayer(result.table, srs, ogr.wkbUnknown, ["GEOMETRY_NAME=geom", "FID=fid"])
    state.status, state.reason = "failed", result.reason
    state.retrieved = result.retrieved
    state.matched = result.matched
    if feedback is not None:
        feedback.pushWarning(
            tr("{service}: not fetched, its rules are not checked: {reason}").format(
                service=service.id, reason=result.reason
            )
        )
    return state


def _replace_table(dataset, table: str, path: str) -> None:
    """The fetched table in place of the old one (both in the staged copy: nothing is lost on failure)."""
    for index in range(dataset.GetLayerCount()):
        if dataset.GetLayerByIndex(index).GetName() == table:
            dataset.DeleteLayer(index)
            break
    source = ogr.Open(path)
    copied = dataset.CopyLayer(source.GetLayerByName(table), table, ["GEOMETRY_NAME=geom", "FID=fid"])
    if copied is None:
        raise LayerError(
            tr("the fetched layer {table} could not be copied into the GeoPackage").format(table=table)
        )
    source = None


def _set_last_change(dataset, table: str, retrieved: str) -> None:
    stamp = retrieved.replace("+00:00", "Z")
    if not stamp.endswith("Z"):
        stamp += "Z"
    escaped = table.replace("'", "''")
    dataset.ExecuteSQL(f"UPDATE gpkg_contents SET last_change = '{stamp}' WHERE table_name = '{escaped}'")


def _write_states(dataset, states: dict[str, LayerState]) -> None:
    for index in range(dataset.GetLayerCount()):
        if dataset.GetLayerByIndex(index).GetName() == META_TABLE:
            dataset.DeleteLayer(index)
            break
    layer = dataset.CreateLayer(META_TABLE, None, ogr.wkbNone, ["FID=fid"])
    for name in _META_FIELDS:
        kind = ogr.OFTInteger64 if name in ("features", "matched") else ogr.OFTString
        layer.CreateField(ogr.FieldDefn(name, kind))
    layer.StartTransaction()
    for state in states.values():
        feature = ogr.Feature(layer.GetLayerDefn())
        for name, value in asdict(state).items():
            if value is not None and value != "":
                feature.SetField(name, value)
        layer.CreateFeature(feature)
    layer.CommitTransaction()


def fetched_layer_caveat(source: str) -> str | None:
    """For a table of an agency GeoPackage kept from an earlier fetch because the last refresh
    failed: what every finding from it must say ("underlag hämtat 2026-09-01"), so that an old copy
    is never read as today's data."""
    path, *options = (source or "").split("|")
    if not path.lower().endswith(".gpkg") or not os.path.isfile(path):
        return None
    table = next((o.split("=", 1)[1] for o in options if o.lower().startswith("layername=")), None)
    state = read_states(path).get(table) if table else None
    if state is None or state.status != "cached":
        return None
    return tr("Kept copy: data retrieved {date}; the last refresh failed ({reason}).").format(
        date=(state.retrieved or "")[:10] or tr("at an unknown date"),
        reason=state.reason or tr("no reason given"),
    )


def fetched_layer_problem(source: str) -> str | None:
    """For a table of an agency GeoPackage whose fetch failed with no copy to keep: the service's
    reason, so that the check makes its rules class D with it (an empty table is never "no conflict")."""
    path, *options = (source or "").split("|")
    if not path.lower().endswith(".gpkg") or not os.path.isfile(path):
        return None
    table = next((o.split("=", 1)[1] for o in options if o.lower().startswith("layername=")), None)
    if not table:
        return None
    state = read_states(path).get(table)
    if state is None or state.status != "failed":
        return None
    return tr("the agency service could not be fetched: {reason}").format(reason=state.reason)
