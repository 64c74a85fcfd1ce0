"""Writing outputs without losing data: write beside the target, move into place when complete.

Every file the plugin writes is first written in a new private folder inside the target's own
folder (so the final move is a rename on the same file system, which is atomic) and only moved
over the target once it is complete. A run that fails or is cancelled removes what it staged and
leaves an earlier output exactly as it was. The staging folders' names start with
``STAGING_PREFIX`` and are remembered when made (``mkdtemp``: a new folder, for this user alone):
this module removes only what it made itself in this run, never a user's or a project's file (an
old spatial index beside a replaced shapefile included).

Plain Python (no QGIS): the Processing guard (processing/outputs.py), the panel's results and
exports and the reports all use it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from osgeo import gdal

from ..core.errors import RusPlannerError
from ..i18n import tr

#: Hidden names of what is being written; never a name a user gives a file.
STAGING_PREFIX = ".rus-planner-"
#: Shapefile index sidecars: an old one left beside a replaced shapefile would index the old data.
STALE_SIDECARS = (".qix", ".sbn", ".sbx")

# Every staging folder and file made in this run (resolved paths): the only things removed.
_made: set[str] = set()


def _remember(path: Path) -> Path:
    _made.add(str(Path(path).resolve()))
    return Path(path)


class OutputError(RusPlannerError):
    """An output cannot be written where it was asked for (folder missing, read-only, a file...)."""


def staging_folder(folder: str | Path, output: str) -> Path:
    """A new hidden folder inside ``folder`` to write ``output`` into; OutputError when impossible."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(
            tr(
                "{output} could not be written: “{path}” is a file, not a folder. Nothing was written; choose a folder."
            ).format(output=output, path=folder)
        )
    if not folder.is_dir():
        raise OutputError(
            tr(
                "{output} could not be written: the folder “{path}” does not exist. Nothing was written."
            ).format(output=output, path=folder)
        )
    try:
        return _remember(Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder)))
    except OSError as error:
        raise OutputError(
            tr(
                "{output} could not be written: the folder “{path}” cannot be written to ({reason}). Nothing was written."
            ).format(output=output, path=folder, reason=error.strerror or error)
        ) from None


def move_into_place(staging: Path, folder: str | Path) -> list[Path]:
    """Move every file of a staging folder into ``folder`` (replacing files of the same name),
    then remove the staging folder; returns the files' final paths.

    A replaced shapefile also loses its old spatial index files (they index the old data).
    """
    folder = Path(folder)
    moved = []
    open_files = sorted(p.name for p in Path(staging).iterdir() if p.name.endswith(("-wal", "-journal")))
    if open_files:  # a database still open: its last changes are not in the file yet
        raise OutputError(
            tr("{path} is still open for writing; nothing was moved into place.").format(
                path=Path(staging) / open_files[0].rsplit("-", 1)[0]
            )
        )
    for staged in sorted(Path(staging).glob("*.shp")):
        _fresh_sidecars(staged, folder / staged.name)
    for staged in sorted(Path(staging).iterdir()):
        if staged.name.endswith("-shm"):
            continue  # SQLite's shared memory index of a closed database: not data

        target = folder / staged.name
        os.replace(staged, target)
        moved.append(target)
    remove_staging(staging)
    return moved


def _fresh_sidecars(staged: Path, target: Path) -> None:
    """Before a staged shapefile replaces ``target``: every spatial index beside the target is
    replaced too, or nothing is moved. An old index would index the old data, and this module
    deletes no file it did not write: a .qix is written afresh in the staging folder (it then
    replaces the old one), an index of other software (.sbn/.sbx) stops the move with the reason."""
    for suffix in STALE_SIDECARS:
        if not target.with_suffix(suffix).exists() or staged.with_suffix(suffix).exists():
            continue
        if suffix == ".qix" and _write_spatial_index(staged):
            continue
        raise OutputError(
            tr(
                "“{path}” could not be replaced: its spatial index “{index}” would still describe the old "
                "data, and RUS Planner removes no file it did not write. Remove the index or choose "
                "another name. Nothing was written."
            ).format(path=target, index=target.with_suffix(suffix).name)
        )


def _write_spatial_index(shapefile: Path) -> bool:
    """A .qix for a staged shapefile, written by GDAL; False when GDAL could not write one."""
    try:
        dataset = gdal.OpenEx(str(shapefile), gdal.OF_VECTOR | gdal.OF_UPDATE)
        if dataset is None:
            return False
        layer = shapefile.stem.replace('"', '""')
        dataset.ExecuteSQL(f'CREATE SPATIAL INDEX ON "{layer}"')
        dataset = None  # closed: the index is on disk
    except RuntimeError:
        return False
    return shapefile.with_suffix(".qix").exists()


def remove_staging(path: str | Path | None) -> None:
    """Remove a staging folder or file this module made in this run; anything else stays."""
    if not path:
        return
    path = Path(path)
    key = str(path.resolve())
    if key not in _made or not path.name.startswith(STAGING_PREFIX) or not os.path.lexists(path):
        return
    _made.discard(key)
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


@contextmanager
def atomic_file(path: str | Path, output: str = ""):
    """Yield a path to write, in a private hidden folder beside ``path``; the file replaces
    ``path`` only when the block ends without an error. The folder is then removed with what
    the writer left in it (SQLite's side files): made by this run alone and writable by its
    user alone, it holds nothing of anyone else's. On an error ``path`` is left as it was."""
    path = Path(path)
    folder = path.parent
    label = output or path.name
    if path.is_dir():
        raise OutputError(
            tr(
                "{output} could not be written: “{path}” is a folder. Nothing was written; choose a file name."
            ).format(output=label, path=path)
        )
    staging = staging_folder(folder, label)
    staged = staging / path.name  # the same name: drivers that name a layer after its file agree
    try:
        yield staged
        if not staged.exists():
            raise OutputError(tr("{output} could not be written. Nothing was written.").format(output=label))
        os.replace(staged, path)
    finally:
        remove_staging(staging)


def same_file(first: str | Path, second: str | Path) -> bool:
    """True when two paths name one file: through symbolic links, hard links and ``..``."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)


def free_name(path: str | Path) -> Path:
    """``path`` if nothing is there, else the first ``<stem>_2<suffix>``, ``_3`` … that is free."""
    path = Path(path)
    candidate, number = path, 2
    while os.path.lexists(candidate):
        candidate = path.with_name(f"{path.stem}_{number}{path.suffix}")
        number += 1
    return candidate


def count_features(path: str | Path, table: str | None = None) -> int | None:
    """The features a written file holds (its ``table``, else its first layer), read back with
    GDAL; None when it cannot be read. What reached the file, not what was handed over."""

    gdal.PushErrorHandler("CPLQuietErrorHandler")
    try:
        dataset = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_READONLY)
        if dataset is None:
            return None
        if table:
            layer = next(
                (
                    dataset.GetLayer(i)
                    for i in range(dataset.GetLayerCount())
                    if dataset.GetLayer(i).GetName().casefold() == table.casefold()
                ),
                None,
            )
        else:
            layer = dataset.GetLayer(0)
        return None if layer is None else int(layer.GetFeatureCount())
    finally:
        gdal.PopErrorHandler()
