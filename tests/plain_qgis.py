"""Open a project as a recipient without the plugin: the system Python and QGIS only."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

OPEN_SCRIPT = r"""
import json, sys
from qgis.core import QgsApplication, QgsProject, QgsProviderRegistry
QgsApplication.setPrefixPath("/usr", True)
app = QgsApplication([], False)
app.initQgis()
project = QgsProject.instance()
ok = project.read(sys.argv[1])
layers = []
for layer in project.mapLayers().values():
    renderer = layer.renderer() if hasattr(layer, "renderer") else None
    symbol = None
    if renderer is not None and renderer.type() == "singleSymbol":
        symbol = renderer.symbol().color().name()
    node = project.layerTreeRoot().findLayer(layer.id())
    layers.append({
        "name": layer.name(),
        "valid": layer.isValid(),
        "source": layer.source(),
        "features": layer.featureCount() if hasattr(layer, "featureCount") else None,
        "renderer": renderer.type() if renderer is not None else None,
        "symbol": symbol,
        "labels": layer.labelsEnabled() if hasattr(layer, "labelsEnabled") else None,
        "group": node.parent().name() if node is not None and node.parent() is not None else None,
        "abstract": layer.metadata().abstract(),
        "crs": layer.crs().authid(),
    })
print(json.dumps({
    "ok": ok,
    "title": project.metadata().title(),
    "abstract": project.metadata().abstract(),
    "layers": layers,
    "plugins": sorted(m for m in sys.modules if "rus_planner" in m),
    "crs": project.crs().authid(),
}))
"""


def open_in_plain_qgis(uri: str, home: Path) -> dict:
    """Read a project with the system Python and QGIS only, as a recipient without the plugin."""
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
        "QGIS_CUSTOM_CONFIG_PATH": str(home / "qgis-profile"),
        "XDG_RUNTIME_DIR": str(home),
    }
    done = subprocess.run(
        ["/usr/bin/python3", "-c", OPEN_SCRIPT, uri],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
