"""“Hämta myndighetsunderlag…”: the algorithm dialog filled in from the project, the fetched tables
loaded into the “Myndighetsunderlag” group (once, styled, a failed one named so)."""

from __future__ import annotations

from qgis.core import QgsProject, QgsRectangle
from servers import agency_service
from shapely.geometry import box

from rus_planner.rus_planner.ui import agency_fetch_action
from rus_planner.rus_planner.ui.agency_fetch_action import AGENCY_GROUP, fetch_parameters, load_fetched_layers

X0, Y0 = 480_000, 6_540_000
FEATURES = [
    (box(X0 + i * 300, Y0, X0 + i * 300 + 200, Y0 + 200), {"NVRID": str(2_000_000 + i), "NAMN": f"R {i}"})
    for i in range(25)
]


def _catalogue(folder, base) -> str:
    entry = """  - id: {id}
    agency: Naturvårdsverket
    theme: {theme}
    rules: [{rule}]
    protocol: wfs2
    url: {base}wfs/{mode}
    typename: rus:naturreservat
    crs: EPSG:3006
    id_field: NVRID
    name_field: NAMN
    licence: CC0 1.0
    attribution: Naturvårdsverket
    documentation: https://example.invalid/doc
    checked: 2026-12-05
    verified: true
"""
    text = "services:\n" + entry.format(
        id="naturreservat", theme="Naturreservat", rule="naturreservat", base=base, mode="ok"
    )
    text += entry.format(
        id="nationalparker", theme="Nationalparker", rule="nationalpark", base=base, mode="http500"
    )
    path = folder / "katalog.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_parameters_come_from_the_project(qgis_app, tmp_path):
    project = QgsProject()
    project.setFileName(str(tmp_path / "rus.qgz"))
    from qgis.core import QgsCoordinateReferenceSystem

    project.setCrs(QgsCoordinateReferenceSystem("EPSG:3006"))
    parameters = fetch_parameters(project, QgsRectangle(1, 2, 3, 4))
    assert parameters == {
        "OUTPUT": str(tmp_path / "rus_myndighetsunderlag.gpkg"),
        "EXTENT": "1.0,3.0,2.0,4.0 [EPSG:3006]",
    }


def test_the_action_loads_the_fetched_layers_into_the_group(
    qgis_app, qgis_iface, rus_provider, tmp_path, monkeypatch
):
    import processing

    project = QgsProject.instance()
    project.clear()
    with agency_service(FEATURES, typename="naturreservat") as server:
        catalogue = _catalogue(tmp_path, server.base)
        output = str(tmp_path / "underlag.gpkg")

        def dialog(algorithm_id, parameters):  # the user presses Run in Processing's dialog
            assert algorithm_id == "rusplanner:fetchagencydata"
            return processing.run(
                algorithm_id,
                {
                    **parameters,
                    "CATALOGUE": catalogue,
                    "OUTPUT": output,
                    "RETRIES": 0,
                    "EXTENT": f"{X0},{X0 + 9000},{Y0},{Y0 + 500} [EPSG:3006]",
                },
            )

        monkeypatch.setattr(processing, "execAlgorithmDialog", dialog)
        layers = agency_fetch_action.run_fetch_dialog(qgis_iface)
        group = project.layerTreeRoot().findGroup(AGENCY_GROUP)
        assert group is not None
        names = sorted(node.layer().name() for node in group.findLayers())
        assert names == ["Nationalparker (not fetched)", "Naturreservat"]
        by_name = {layer.name(): layer for layer in layers}
        assert by_name["Naturreservat"].featureCount() == 25
        assert by_name["Nationalparker (not fetched)"].featureCount() == 0
        # a second fetch reloads the same layers, it does not add them again
        agency_fetch_action.run_fetch_dialog(qgis_iface)
        assert len(group.findLayers()) == 2
        assert len(load_fetched_layers(project, output)) == 2
    project.clear()
