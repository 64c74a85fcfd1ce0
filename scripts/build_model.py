#!/usr/bin/env python3
"""Write resources/models/rus_analys.model3: sector overlay → grid overlay → element check →
territorial summary, as one graphical model.

Built from code so that parameter names always match the algorithms; open the result in
the graphical modeller to see or change it. Run with the project venv:
    .venv/bin/python scripts/build_model.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "resources" / "models" / "rus_analys.model3"


def build(path: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (
        QgsApplication,
        QgsProcessing,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildDependency,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
        QgsProcessingModelParameter,
        QgsProcessingParameterCrs,
        QgsProcessingParameterFile,
        QgsProcessingParameterMultipleLayers,
        QgsProcessingParameterNumber,
        QgsProcessingParameterVectorLayer,
    )
    from qgis.PyQt.QtCore import QPointF

    app = QgsApplication([], False)
    app.initQgis()

    model = QgsProcessingModelAlgorithm("RUS-analys", "RUS Planner")
    model.setHelpContent(
        {
            "ALG_DESC": (
                "Sektorsöverlagring, rutnätsöverlagring, kontroll av RUS-element mot myndighetsunderlag "
                "och territoriell sammanställning per zon, i en körning. / Sector overlay, grid overlay, "
                "element check against agency layers and the territorial summary per zone, in one run."
            ),
            "ALG_CREATOR": "RUS Planner",
        }
    )

    def parameter(definition, x: float, y: float) -> None:
        model.addModelParameter(definition, QgsProcessingModelParameter(definition.name()))
        model.parameterComponent(definition.name()).setPosition(QPointF(x, y))

    parameter(
        QgsProcessingParameterMultipleLayers(
            "sektorer", "Sektorslager / Sector layers", QgsProcessing.SourceType.TypeVectorAnyGeometry
        ),
        100,
        80,
    )
    parameter(
        QgsProcessingParameterFile(
            "profil", "Planeringsprofil / Planning profile", extension="yaml", optional=True
        ),
        330,
        30,
    )
    parameter(
        QgsProcessingParameterVectorLayer(
            "utbredning",
            "Studieområde / Study area",
            [QgsProcessing.SourceType.TypeVectorPolygon],
            optional=True,
        ),
        560,
        30,
    )
    parameter(
        QgsProcessingParameterNumber(
            "rutstorlek",
            "Rutstorlek (m) / Cell size (m)",
            QgsProcessingParameterNumber.Type.Double,
            1000,
            False,
            1,
        ),
        790,
        30,
    )
    parameter(
        QgsProcessingParameterMultipleLayers(
            "element", "RUS-element / RUS elements", QgsProcessing.SourceType.TypeVectorAnyGeometry
        ),
        100,
        260,
    )
    parameter(
        QgsProcessingParameterMultipleLayers(
            "myndighetslager",
            "Myndighetsunderlag / Agency layers",
            QgsProcessing.SourceType.TypeVectorAnyGeometry,
        ),
        330,
        300,
    )
    parameter(
        QgsProcessingParameterVectorLayer(
            "zoner", "Zoner (t.ex. kommuner) / Zones", [QgsProcessing.SourceType.TypeVectorPolygon]
        ),
        560,
        340,
    )
    parameter(QgsProcessingParameterCrs("crs", "Mål-CRS / Target CRS", "EPSG:3006"), 790, 100)

    def source(name: str) -> list:
        return [QgsProcessingModelChildParameterSource.fromModelParameter(name)]

    def child(
        child_id: str, algorithm: str, description: str, x: float, y: float, sources: dict, outputs: dict
    ):
        step = QgsProcessingModelChildAlgorithm(algorithm)
        step.setChildId(child_id)
        step.setDescription(description)
        step.setPosition(QPointF(x, y))
        for key, value in sources.items():
            step.addParameterSources(key, value)
        model_outputs = {}
        for output_name, (name, description) in outputs.items():
            # An ASCII name for the command line (child:name), a bilingual description for people.
            output = QgsProcessingModelOutput(name, description)
            output.setChildId(child_id)
            output.setChildOutputName(output_name)
            output.setPosition(QPointF(x + 180, y + 40))
            model_outputs[name] = output
        step.setModelOutputs(model_outputs)
        model.addChildAlgorithm(step)

    child(
        "sektorsoverlagring",
        "rusplanner:sectoroverlay",
        "Sektorsöverlagring",
        330,
        150,
        {
            "SECTORS": source("sektorer"),
            "PROFILE": source("profil"),
            "EXTENT_LAYER": source("utbredning"),
            "TARGET_CRS": source("crs"),
        },
        {"OUTPUT": ("OVERLAY", "Sektorsöverlagring / Sector overlay")},
    )
    child(
        "rutnat",
        "rusplanner:gridoverlay",
        "Rutnätsöverlagring",
        560,
        150,
        {
            "SECTORS": source("sektorer"),
            "PROFILE": source("profil"),
            "EXTENT_LAYER": source("utbredning"),
            "CELL_SIZE": source("rutstorlek"),
            "TARGET_CRS": source("crs"),
        },
        {"OUTPUT": ("GRID", "Rutnät / Grid")},
    )
    child(
        "kontroll",
        "rusplanner:checkelements",
        "Kontroll av RUS-element",
        330,
        420,
        {
            "ELEMENTS": source("element"),
            "AGENCY_LAYERS": source("myndighetslager"),
            "PROFILE": source("profil"),
            "TARGET_CRS": source("crs"),
        },
        {
            "OUTPUT": ("FINDINGS", "Fynd / Findings"),
            "SUMMARY": ("ELEMENT_SUMMARY", "Elementsammanfattning / Element summary"),
        },
    )
    child(
        "sammanstallning",
        "rusplanner:territorialsummary",
        "Territoriell sammanställning",
        790,
        420,
        {
            "ZONES": source("zoner"),
            "OVERLAY": [
                QgsProcessingModelChildParameterSource.fromChildOutput("sektorsoverlagring", "OUTPUT")
            ],
            "FINDINGS": [QgsProcessingModelChildParameterSource.fromChildOutput("kontroll", "OUTPUT")],
            "TARGET_CRS": source("crs"),
        },
        {"OUTPUT": ("ZONE_SUMMARY", "Sammanställning per zon / Summary per zone")},
    )
    # The grid runs after the exact overlay, as the model reads: one sector step at a time.
    model.childAlgorithm("rutnat").setDependencies([QgsProcessingModelChildDependency("sektorsoverlagring")])

    path.parent.mkdir(parents=True, exist_ok=True)
    write_with_stable_output_names(model, path)
    app.exitQgis()


def write_with_stable_output_names(model, path: Path) -> None:
    """Write the model so that its outputs are `<step>:<OUTPUT>` on every QGIS version.

    QGIS 3.3x+ saves new models as internal version 2, whose outputs are then named after their
    descriptions ("Sektorsöverlagring / Sector overlay" → a version-dependent safe name); a model
    file without `internal_version` is read as version 1 everywhere, with the names the README
    documents. The written file is read back and its names checked, so a QGIS that behaves
    otherwise fails here, not in a user's script.
    """
    from qgis.core import QgsProcessingModelAlgorithm, QgsXmlUtils
    from qgis.PyQt.QtXml import QDomDocument

    variant = model.toVariant()
    variant.pop("internal_version", None)
    document = QDomDocument("model")
    document.appendChild(QgsXmlUtils.writeVariant(variant, document))
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(document.toString(2), encoding="utf-8")
    register_provider()  # the outputs exist only where the steps' algorithms are known
    reread = QgsProcessingModelAlgorithm()
    if not reread.fromFile(str(partial)):
        partial.unlink()
        raise SystemExit(f"could not read back {partial}")
    names = sorted(p.name() for p in reread.destinationParameterDefinitions())
    if names != EXPECTED_OUTPUTS:
        partial.unlink()
        raise SystemExit(f"the model's outputs are {names}, expected {EXPECTED_OUTPUTS}")
    partial.replace(path)


def register_provider():
    """The plugin's provider, as QGIS loads it (the work tree linked as .build/plugins/rus_planner)."""
    from qgis.core import QgsApplication

    registry = QgsApplication.processingRegistry()
    if registry.providerById("rusplanner") is None:
        plugins = REPO / ".build" / "plugins"
        if not (plugins / "rus_planner").exists():
            plugins.mkdir(parents=True, exist_ok=True)
            (plugins / "rus_planner").symlink_to(Path("..") / "..")
        sys.path.insert(0, str(plugins))
        from rus_planner.rus_planner.processing.provider import RusPlannerProvider

        register_provider.provider = RusPlannerProvider()  # kept alive: QGIS holds only the C++ half
        registry.addProvider(register_provider.provider)


#: The outputs as the README documents them for qgis_process (`<step>:<OUTPUT>=...`).
EXPECTED_OUTPUTS = sorted(
    [
        "kontroll:ELEMENT_SUMMARY",
        "kontroll:FINDINGS",
        "rutnat:GRID",
        "sammanstallning:ZONE_SUMMARY",
        "sektorsoverlagring:OVERLAY",
    ]
)


def main() -> int:
    output = Path(sys.argv[1]) if len(sys.argv) > 1 else OUTPUT  # another path: for the tests
    build(output)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
