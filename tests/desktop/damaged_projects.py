"""Run by `qgis --code`: open damaged projects in the real desktop; write what the user sees, quit.

Each project is read as QGIS reads one it opens (QgsProject.read, whose readProject signal
reaches the plugin's handler); the message bar's items and the panel's state are recorded.
Python errors raised meanwhile are recorded by the profile's startup hook.
"""

import json
import os
import traceback

import qgis.utils
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QTimer

RESULT = os.environ["RUS_DESKTOP_RESULT"]
PROJECTS = json.loads(os.environ["RUS_DESKTOP_PROJECTS"])


def _finish():
    result = {"projects": {}}
    try:
        bar = qgis.utils.iface.messageBar()
        dock = qgis.utils.plugins["rus_planner"].dock
        for path in PROJECTS:
            bar.clearWidgets()
            opened = QgsProject.instance().read(path)
            QgsApplication.processEvents()
            result["projects"][path] = {
                "opened": opened,
                "messages": [[item.title(), item.text()] for item in bar.items()],
                "reviews": len(dock.state.reviews),
                "sources": len(dock.state.data_sources),
                "elements": len(dock.state.element_layer_ids),
                "profile_text": dock.form.profileEdit.toPlainText(),
                "profile_errors": dock.form.profileErrors.toPlainText(),
            }
    except Exception as error:  # noqa: BLE001 - reported to the test
        result["error"] = "".join(traceback.format_exception(error))
    with open(RESULT, "w", encoding="utf-8") as handle:
        json.dump(result, handle, ensure_ascii=False)
    QgsApplication.exit(0)


QTimer.singleShot(4000, _finish)
