"""Plugin start-up: the QGIS desktop started with RUS Planner enabled and without it, and the
plugin's own share (importing it, classFactory and initGui), timed inside QGIS.

Each start is a fresh ``qgis`` under Xvfb in a profile of its own. The desktop's start is
measured from the process's start (/proc) to the moment ``--code`` runs, after plugins loaded.
The plugin's own share is QGIS's own figure (``qgis.utils.plugin_times``: the processor time
of the plugin's classFactory(), which imports it, and initGui()). Median of RUNS starts each. Usage outside make bench (to compare commits):
``python bench/bench_startup.py /path/to/checkout``.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("RUS_STARTUP_RUNS", "5"))

CODE_PY = r"""
import json, os
import qgis.utils
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QTimer

def _since_process_start() -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    started = int(open("/proc/self/stat").read().rsplit(")", 1)[1].split()[19]) / ticks
    uptime = float(open("/proc/uptime").read().split()[0])
    return uptime - started

result = {"desktop": _since_process_start(), "loaded": "rus_planner" in qgis.utils.active_plugins}
if result["loaded"]:  # QGIS's own figure: CPU seconds of classFactory() and initGui()
    result["plugin"] = float(qgis.utils.plugin_times["rus_planner"].rstrip("s"))
with open(os.environ["RUS_STARTUP_RESULT"], "w") as handle:
    json.dump(result, handle)
QTimer.singleShot(0, QgsApplication.instance().quit)
"""


def one_start(checkout: Path, with_plugin: bool, work: Path) -> dict:
    """One desktop start in a fresh profile; the times it recorded."""
    profiles = work / "profiles"
    shutil.rmtree(profiles, ignore_errors=True)
    default = profiles / "profiles" / "default"
    (default / "QGIS").mkdir(parents=True)
    (default / "python").mkdir(parents=True)
    (default / "QGIS" / "QGIS3.ini").write_text(
        "[PythonPlugins]\nrus_planner={}\n\n[qgis]\ncheckVersion=false\nshowTips=false\n\n"
        "[app]\nqgis_first_run=false\n".format("true" if with_plugin else "false"),
        encoding="utf-8",
    )
    plugins = work / "plugins"
    plugins.mkdir(exist_ok=True)
    link = plugins / "rus_planner"
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(checkout)
    code, result = work / "code.py", work / "result.json"
    code.write_text(CODE_PY, encoding="utf-8")
    result.unlink(missing_ok=True)
    environment = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    site = sorted(checkout.glob(".venv/lib/python3*/site-packages")) or sorted(
        REPO.glob(".venv/lib/python3*/site-packages")
    )
    environment.update(
        QGIS_PLUGINPATH=str(plugins),
        RUS_STARTUP_RESULT=str(result),
        PYTHONPATH=":".join([str(p) for p in site[:1]] + [environment.get("PYTHONPATH", "")]).strip(":"),
        XDG_RUNTIME_DIR=environment.get("XDG_RUNTIME_DIR", f"/tmp/runtime-{os.getuid()}"),
    )
    Path(environment["XDG_RUNTIME_DIR"]).mkdir(mode=0o700, exist_ok=True)
    command = [
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1400x900x24",
        "qgis",
        "--noversioncheck",
        "--nologo",
        "--profiles-path",
        str(profiles),
        "--code",
        str(code),
    ]
    subprocess.run(command, env=environment, capture_output=True, timeout=300, check=False)
    if not result.exists():
        raise RuntimeError("QGIS did not reach the --code script")
    times = json.loads(result.read_text())
    if times["loaded"] != with_plugin:
        raise RuntimeError(f"the plugin was {'not ' if with_plugin else ''}loaded: {times}")
    return times


def measure(checkout: Path, runs: int = RUNS) -> dict:
    """Median seconds: desktop with and without the plugin, the plugin's import and start."""
    with tempfile.TemporaryDirectory(prefix="rus-startup-") as folder:
        work = Path(folder)
        one_start(checkout, True, work)  # warm the disk cache: every measured start is a warm one
        with_plugin, without = [], []
        for _ in range(runs):  # interleaved, so a busy moment hits both alike
            with_plugin.append(one_start(checkout, True, work))
            without.append(one_start(checkout, False, work))
    median = statistics.median
    return {
        "with": median(t["desktop"] for t in with_plugin),
        "without": median(t["desktop"] for t in without),
        "plugin": median(t["plugin"] for t in with_plugin),
    }


def report(label: str, times: dict, say=print) -> None:
    say(
        f"startup {label}: QGIS desktop with the plugin {times['with']:.2f} s, without "
        f"{times['without']:.2f} s (difference {times['with'] - times['without']:+.2f} s); "
        f"plugin's own share (classFactory + initGui, CPU) {times['plugin']:.3f} s; median of {RUNS}"
    )


def main() -> None:
    from common import line

    report("this tree", measure(REPO), say=line)


if __name__ == "__main__":
    report(
        sys.argv[1] if len(sys.argv) > 1 else "this tree",
        measure(Path(sys.argv[1] if len(sys.argv) > 1 else REPO).resolve()),
    )
