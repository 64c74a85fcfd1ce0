"""QGIS runs this as the profile's python/startup.py, before plugins load: record Python errors."""

import json
import os
import sys

from qgis.core import QgsApplication

_ERRORS_FILE = os.environ["RUS_DESKTOP_ERRORS"]


def _record(message, tag, level):
    if tag in ("Python error", "Python warning", "Plugins") and (
        "Traceback" in message or "rror" in message or "couldn't load plugin" in message.lower()
    ):
        with open(_ERRORS_FILE, "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"tag": tag, "message": message}) + "\n")


QgsApplication.messageLog().messageReceived.connect(_record)

_previous_hook = sys.excepthook


def _excepthook(kind, value, traceback):
    with open(_ERRORS_FILE, "a", encoding="utf-8") as handle:
        handle.write(json.dumps({"tag": "excepthook", "message": f"{kind.__name__}: {value}"}) + "\n")
    _previous_hook(kind, value, traceback)


sys.excepthook = _excepthook
