"""Project files QGIS cannot open, explained: what failed, which file, what to do.

``qgis_process run ... --PROJECT_PATH=x.qgz`` reads the project itself before any algorithm
runs; when it cannot, all it says is "Could not load the QGIS project" (in English, with no
reason) and the plugin's code never runs. So when one of RUS Planner's algorithms is run
with a project, the plugin looks at that file as QGIS will (QGIS's own archive reader, the
XML reader QGIS uses) while it loads, and says why in the user's language. A damaged file
may hold anything: no message quotes its content.
"""

from __future__ import annotations

import os
import stat
import sys

from qgis.core import QgsProjectArchive
from qgis.PyQt.QtCore import QFile, QFileInfo, QIODevice
from qgis.PyQt.QtXml import QDomDocument

from .i18n import tr

PROVIDER_PREFIX = "rusplanner:"


def project_file_problem(path: str) -> str | None:
    """Why QGIS cannot open this project file, as a message for the user; None when it can.

    Checks in the order QGIS meets the problems: the path, the .qgz archive, the XML inside.
    A folder or a device (``/dev/zero``) is refused before anything is read from it.
    """

    info = QFileInfo(path)
    damaged = tr(
        "The file is damaged or not a QGIS project; it may have been cut short while it was copied "
        "or downloaded. Copy it again, or use a copy saved earlier."
    )
    if not info.exists():
        reason, advice = tr("there is no such file"), tr("Check the path given with --PROJECT_PATH.")
    elif info.isDir():
        reason, advice = (
            tr("it is a folder, not a project file"),
            tr("Give the path of the project file itself (.qgz or .qgs)."),
        )
    elif not info.isFile():
        reason, advice = (
            tr("it is not an ordinary file (a device, a pipe or a socket)"),
            tr("Give the path of the project file itself (.qgz or .qgs)."),
        )
    elif not info.isReadable():
        reason, advice = tr("it may not be read (no permission)"), tr("Check who may read the file.")
    elif info.size() == 0:
        reason, advice = tr("the file is empty"), damaged
    elif info.suffix().lower() == "qgz":
        archive = QgsProjectArchive()
        if not archive.unzip(path):
            reason, advice = tr("it is not a complete .qgz archive"), damaged
        elif not archive.projectFile():
            reason, advice = tr("the .qgz archive holds no project (.qgs) file"), damaged
        else:
            reason, advice = _xml_problem(archive.projectFile()), damaged
    else:
        reason, advice = _xml_problem(path), damaged
    if reason is None:
        return None
    return tr("The QGIS project “{path}” could not be opened: {reason}. {advice}").format(
        path=path, reason=reason, advice=advice
    )


def _xml_problem(path: str) -> str | None:
    """Where the project's XML is broken (line and column only), or None when it parses."""

    handle = QFile(path)
    if not handle.open(QIODevice.OpenModeFlag.ReadOnly):
        return tr("its project (.qgs) file could not be read")
    try:
        result = QDomDocument().setContent(handle)
    finally:
        handle.close()
    if isinstance(result, tuple):  # Qt 5: (ok, message, line, column)
        ok, _message, line, column = result
    else:  # Qt 6: a ParseResult
        ok, line, column = bool(result), result.errorLine, result.errorColumn
    if ok:
        return None
    # Qt's own wording is English only and adds nothing a user can act on: line and column do.
    return tr("its XML is broken at line {line}, column {column}").format(line=line, column=column)


def explain_unreadable_project() -> None:
    """In qgis_process, before it reads --PROJECT_PATH for one of our algorithms: say why it
    cannot be opened (on stderr, before QGIS's own one-line refusal). Never raises."""
    try:
        from qgis.core import QgsApplication
        from qgis.PyQt.QtCore import QCoreApplication

        if QgsApplication.platform() != "qgis_process":
            return
        path = _project_path_of_our_run(QCoreApplication.arguments())
        if path is None:
            return
        problem = project_file_problem(path)
    except Exception:  # noqa: BLE001 - a diagnosis must never stop the plugin from loading
        return
    if problem:
        sys.stderr.write(f"RUS Planner: {problem}\n")
        sys.stderr.flush()
        if _never_ends(path):
            # QGIS 3.40+ then reads the device or pipe itself and never returns: end the run
            # here, as QGIS ends one whose project cannot be loaded (exit code 1).
            sys.stdout.flush()
            os._exit(1)


def _never_ends(path: str) -> bool:
    """A device, pipe or socket: reading it may never end (/dev/zero, a FIFO no one writes)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _project_path_of_our_run(arguments: list[str]) -> str | None:
    """The --PROJECT_PATH of ``qgis_process run rusplanner:<algorithm> ...``, else None."""
    options = list(arguments[1:])
    if "--" in options:
        options = options[: options.index("--")]
    if "run" not in options:
        return None
    after_run = options[options.index("run") + 1 :]
    algorithm = next((a for a in after_run if not a.startswith("-")), "")
    if not algorithm.lower().startswith(PROVIDER_PREFIX):
        return None
    for option in after_run:
        if option.lower().startswith("--project_path="):
            return option.split("=", 1)[1]
    return None
