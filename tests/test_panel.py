"""The RUS check dock driven through its widgets on real Örebro data: run, table, filters,
zoom, reviews, export, and the whole state after save → clear → reopen."""

from __future__ import annotations

import pytest
from panel_helpers import load_plugin, native_pairs, orebro_layers, run_and_wait, wait_until
from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt

from rus_planner.rus_planner.core.reviews import ReviewKey
from rus_planner.rus_planner.qgis_io.project_state import ProjectState
from rus_planner.rus_planner.ui.panel import DOCK_OBJECT_NAME, RusCheckDock
from rus_planner.rus_planner.ui.results import RESULTS_GROUP

POSITION = "Samråd med länsstyrelsen i Örebro län; stråket läggs öster om ån – åäö."


@pytest.fixture
def plugin(qgis_iface, qgis_processing, rus_provider):
    project = QgsProject.instance()
    project.clear()
    plugin = load_plugin(qgis_iface)
    yield plugin
    if plugin.provider is not None:
        plugin.unload()
    project.clear()


@pytest.fixture
def layers(shared_data, tmp_path):
    folder = tmp_path / "data åäö"
    folder.mkdir()
    areas, kultur, parks = orebro_layers(shared_data, folder)
    QgsProject.instance().addMapLayers([areas, kultur, parks])
    return areas, kultur, parks


def _select_status(dock, status: str) -> None:
    combo = dock.form.statusCombo
    combo.setCurrentIndex(combo.findData(status))


def test_the_dock_is_created_hidden_with_a_unique_name_and_shown_by_its_action(plugin, qgis_iface):
    dock = plugin.dock
    assert isinstance(dock, RusCheckDock)
    assert dock.objectName() == DOCK_OBJECT_NAME
    assert dock.isHidden()
    assert len(qgis_iface.mainWindow().findChildren(RusCheckDock)) == 1
    action = next(a for a in plugin.actions if a.objectName() == "RusPlannerCheckPanel")
    action.trigger()
    assert not dock.isHidden()
    assert dock.windowTitle() == "RUS check"


def test_run_table_filters_zoom_review_and_export(plugin, layers, qgis_iface, tmp_path):
    import processing

    dock = plugin.dock
    areas, kultur, parks = layers
    dock.set_layers([areas], [kultur, parks])
    assert dock.state.element_layer_ids == [areas.id()]
    assert sorted(dock.state.agency_layer_ids) == sorted([kultur.id(), parks.id()])

    run_and_wait(dock)

    # Counts against QGIS's own spatial join (no touching-only pairs in this data).
    expected_b = native_pairs(areas, kultur)
    expected_a = native_pairs(areas, parks)
    assert (expected_a, expected_b) == (2, 34)
    # D: the default profile's standing notice (Försvarsmakten's classified riksintressen), one per element.
    notices = areas.featureCount()
    assert dock.counts() == {"A": expected_a, "B": expected_b, "C": 0, "D": notices}
    assert dock.proxy.rowCount() == expected_a + expected_b + notices
    assert "34" in dock.form.countsLabel.text()

    # The same answer as the Processing algorithm on the same layers.
    output = processing.run(
        "rusplanner:checkelements",
        {"ELEMENTS": [areas], "AGENCY_LAYERS": [kultur, parks], "OUTPUT": "memory:", "SUMMARY": "memory:"},
    )["OUTPUT"]

    def keys(rows):
        def plain(value, none):  # NULL (a notice has no agency layer and no feature) as a sortable value
            return none if value is None or (hasattr(value, "isNull") and value.isNull()) else value

        return sorted(
            (
                r["element_fid"],
                plain(r["agency_layer"], ""),
                plain(r["feature_fid"], -1),
                r["rule_id"],
                r["severity"],
            )
            for r in rows
        )

    assert keys(dock.model.rows) == keys(output.getFeatures())

    # The findings layer: a GeoPackage in the RUS-resultat group, styled by severity.
    (results,) = dock.results_layers()  # the elements are areas: one findings layer
    assert results.providerType() == "ogr"
    assert results.name() == "RUS check findings: areas"
    assert results.source().split("|")[0].endswith(".gpkg")
    group = QgsProject.instance().layerTreeRoot().findGroup(RESULTS_GROUP)
    assert group is not None and group.findLayer(results.id()) is not None
    assert results.renderer().type() == "RuleRenderer"
    assert results.featureCount() == expected_a + expected_b + notices

    # Sorted by class: A first; filters by class, agency and element.
    view = dock.form.findingsView
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    assert dock.visible_rows()[0]["severity"] == "A"
    dock.set_filter(dock.form.severityFilter, "A")
    assert [r["severity"] for r in dock.visible_rows()] == ["A", "A"]
    dock.set_filter(dock.form.severityFilter, None)
    dock.set_filter(dock.form.agencyFilter, "Naturvårdsverket")
    assert {r["rule_id"] for r in dock.visible_rows()} == {"nationalpark"}
    dock.set_filter(dock.form.agencyFilter, None)
    element = dock.model.rows[0]["element_id"]
    dock.set_filter(dock.form.elementFilter, element)
    assert dock.visible_rows() and {r["element_id"] for r in dock.visible_rows()} == {element}
    dock.set_filter(dock.form.elementFilter, None)
    dock.set_filter(dock.form.severityFilter, "A")

    # Selecting a finding zooms to the element and the agency feature.
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3006"))
    canvas.setExtent(QgsRectangle(300000, 7400000, 310000, 7410000))  # far north, nowhere near
    before = canvas.extent()
    dock.select_row(0)
    row = dock.selected_row()[1]
    after = canvas.extent()
    assert after != before
    element_box = areas.getFeature(row["element_fid"]).geometry().boundingBox()
    assert after.contains(element_box)
    assert dock.form.reviewGroup.isEnabled()

    # Record a position.
    _select_status(dock, "in_dialogue")
    dock.form.positionEdit.setPlainText(POSITION)
    # ... and the dialogue with the agency: its view, the remissvar's date and diarienummer, the action.
    dock.review_editor.dialogue["agency_view"].setPlainText("Länsstyrelsen avstyrker.")
    dock.review_editor.dialogue["response_date"].setText("2026-11-02")
    dock.review_editor.dialogue["diarienummer"].setText("403-555-2026")
    dock.review_editor.dialogue["action"].setText("Elementet flyttas")
    dock.review_editor.dialogue["decided_by"].setText("Regionstyrelsen")
    dock.form.saveReviewButton.click()
    review = dock.state.reviews.get(ReviewKey.of_finding(row))
    assert (review.status, review.position) == ("in_dialogue", POSITION)
    assert (review.agency_view, review.response_date, review.diarienummer) == (
        "Länsstyrelsen avstyrker.",
        "2026-11-02",
        "403-555-2026",
    )
    assert (review.action, review.decided_by) == ("Elementet flyttas", "Regionstyrelsen")
    assert review.reviewed_at
    dock.select_row(1)
    dock.select_row(0)  # shown again from the book, not left over in the editors
    assert dock.review_editor.dialogue["diarienummer"].text() == "403-555-2026"
    assert dock.proxy.index(0, 7).data() == "In dialogue with the agency"
    assert dock.proxy.index(0, 8).data() == POSITION

    # Export with the review columns.
    dock.form.decimalCommaCheck.setChecked(True)
    csv_path = tmp_path / "export åäö.csv"
    dock.export_findings(str(csv_path))
    text = csv_path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    assert POSITION.encode("utf-8") in text and b";in_dialogue;" in text
    assert b"403-555-2026;Elementet flyttas;Regionstyrelsen" in text
    gpkg_path = tmp_path / "export åäö.gpkg"
    dock.export_findings(str(gpkg_path))
    exported = QgsVectorLayer(f"{gpkg_path}|layername=rus_findings", "e", "ogr")
    assert exported.featureCount() == expected_a + expected_b + notices
    assert [f["review_position"] for f in exported.getFeatures() if f["review_status"] == "in_dialogue"] == [
        POSITION
    ]
    html_path = tmp_path / "sammanfattning.html"
    dock.export_findings(str(html_path))
    assert POSITION in html_path.read_text(encoding="utf-8")

    # Re-running matches the review by key, not by row.
    run_and_wait(dock)
    same = [r for r in dock.model.rows if ReviewKey.of_finding(r) == ReviewKey.of_finding(row)]
    assert len(same) == 1
    assert dock.state.reviews.get(ReviewKey.of_finding(same[0])).position == POSITION


def test_state_survives_save_clear_and_reopen(plugin, layers, tmp_path):
    dock = plugin.dock
    areas, kultur, parks = layers
    dock.set_layers([areas], [kultur, parks])
    dock.form.liveModeCheck.setChecked(True)
    dock.form.decimalCommaCheck.setChecked(False)
    assert dock.save_profile_to_project()  # the default text, now the project's profile
    run_and_wait(dock)
    dock.set_filter(dock.form.severityFilter, "B")
    dock.select_row(0)
    row = dock.selected_row()[1]
    _select_status(dock, "accepted")
    dock.form.positionEdit.setPlainText(POSITION)
    dock.form.saveReviewButton.click()
    temporary_results = dock.state.results_path
    before = ProjectState(**vars(dock.state))
    rows_before = sorted((r["element_id"], r["rule_id"], r["feature_fid"]) for r in dock.model.rows)

    folder = tmp_path / "Projekt Örebro – åäö"
    folder.mkdir()
    path = folder / "rus strategi ö.qgz"
    project = QgsProject.instance()
    assert project.write(str(path)), project.error()
    assert not project.isDirty()  # writing the state while saving leaves nothing unsaved
    beside = folder / "rus strategi ö_rus_resultat.gpkg"
    assert beside.exists(), "the findings must be written beside the project"
    assert dock.state.results_path == str(beside) != temporary_results

    project.clear()
    assert dock.model.rowCount() == 0
    assert dock.state == ProjectState()
    assert dock.form.elementList.count() == 0

    assert project.read(str(path)), project.error()
    wait_until(lambda: dock.model.rowCount() > 0, 10, "the findings were not restored")
    assert not project.isDirty()  # restoring the panel changes nothing in the project
    state = dock.state
    for name in (
        "element_layer_ids",
        "agency_layer_ids",
        "profile_mode",
        "profile_yaml",
        "target_crs",
        "live_mode",
        "decimal_comma",
        "results_layer_ids",
        "last_run",
        "data_sources",
        "reviews",
    ):
        assert getattr(state, name) == getattr(before, name), name
    assert state.results_path == str(beside)
    assert state.profile_mode == "project"
    assert sorted((r["element_id"], r["rule_id"], r["feature_fid"]) for r in dock.model.rows) == rows_before
    checked = [
        dock.form.elementList.item(i).text()
        for i in range(dock.form.elementList.count())
        if dock.form.elementList.item(i).checkState() == Qt.CheckState.Checked
    ]
    assert checked == ["Områden Örebro län"]
    assert dock.form.liveModeCheck.isChecked() and not dock.form.decimalCommaCheck.isChecked()
    assert dock.form.profileCombo.currentData() == "project"
    (results,) = dock.results_layers()
    assert results.source().split("|")[0] == str(beside)
    assert project.layerTreeRoot().findGroup(RESULTS_GROUP).findLayer(results.id()) is not None
    reviewed = [r for r in dock.model.rows if ReviewKey.of_finding(r) == ReviewKey.of_finding(row)]
    assert len(reviewed) == 1
    index = dock.model.rows.index(reviewed[0])
    assert dock.model.index(index, 7).data() == "Accepted"
    assert dock.model.index(index, 8).data() == POSITION


def _listed(widget, ticked_only: bool = False) -> list[str]:
    items = [widget.item(i) for i in range(widget.count())]
    return sorted(i.text() for i in items if not ticked_only or i.checkState() == Qt.CheckState.Checked)


def test_roles_come_from_the_rus_groups_and_outputs_are_never_inputs(plugin, layers, tmp_path):
    """A project without stored roles opens with its RUS-element layers ticked as elements and
    its Myndighetsunderlag layers as agency layers; the plugin's own outputs are not offered;
    the roles are stored when the project is saved, and stored roles win over the groups."""
    from qgis.core import QgsVectorLayer

    dock = plugin.dock
    areas, kultur, parks = layers
    project = QgsProject.instance()
    root = project.layerTreeRoot()
    summary = QgsVectorLayer("Polygon?crs=EPSG:3006", "Elementsammanfattning – områden", "memory")
    project.addMapLayer(summary, False)
    for group_name, members in (
        ("RUS-element", [areas]),
        ("Myndighetsunderlag", [kultur, parks]),
        ("Resultat", [summary]),
    ):
        group = root.addGroup(group_name)
        for layer in members:
            node = root.findLayer(layer.id())
            group.addLayer(layer)
            if node is not None:
                root.removeChildNode(node)
    path = tmp_path / "grupper.qgz"
    assert project.write(str(path)), project.error()
    project.clear()
    assert project.read(str(path)), project.error()

    form = dock.form
    everything = ["Områden Örebro län", "nationalparker", "riksintressen_kulturmiljo"]
    assert _listed(form.elementList) == everything == _listed(form.agencyList)  # no output listed
    assert _listed(form.elementList, ticked_only=True) == ["Områden Örebro län"]
    assert _listed(form.agencyList, ticked_only=True) == ["nationalparker", "riksintressen_kulturmiljo"]
    assert not project.isDirty()  # taking the roles from the groups changes nothing by itself

    # Chosen in the panel and saved, the roles are the project's own from then on.
    form.agencyList.findItems("nationalparker", Qt.MatchFlag.MatchExactly)[0].setCheckState(
        Qt.CheckState.Unchecked
    )
    assert project.write(str(path)), project.error()
    project.clear()
    assert project.read(str(path)), project.error()
    assert _listed(form.agencyList, ticked_only=True) == ["riksintressen_kulturmiljo"]
    stored = ProjectState.read_from_project(project)
    assert [project.mapLayer(i).name() for i in stored.agency_layer_ids] == ["riksintressen_kulturmiljo"]


def test_profile_editor_validates_and_shows_line_and_key(plugin):
    dock = plugin.dock
    dock.form.profileEdit.setPlainText("name: Fel\nsectors:\n  - id: a\n    name_sv: Ä\n    vikt: 2\n")
    assert not dock.save_profile_to_project()
    problems = dock.form.profileErrors.toPlainText()
    assert "line 5" in problems and "sectors[1].vikt" in problems
    assert dock.state.profile_mode == "default" and dock.state.profile_yaml == ""

    text = dock.form.profileEdit.toPlainText().replace("vikt: 2", "weight: 2.5\n    layer: '*ä*'")
    dock.form.profileEdit.setPlainText(text)
    assert dock.save_profile_to_project()
    assert dock.state.profile().sectors[0].weight == 2.5
    top = dock.form.profileTree.topLevelItem(0)
    assert top.child(0).text(0) == "Ä" and top.child(0).text(1) == "2.5"


def test_weights_and_severities_are_edited_in_the_tree_and_saved(plugin):
    dock = plugin.dock
    tree = dock.form.profileTree
    sectors, rules = tree.topLevelItem(0), tree.topLevelItem(1)
    assert sectors.child(0).text(0) == "Transport" and sectors.child(0).text(1) == "1"
    sectors.child(0).setText(1, "2,5")  # as typed in Swedish
    QgsApplication.processEvents()  # the tree is refilled from the text
    rules = tree.topLevelItem(1)
    natura = next(
        rules.child(i)
        for i in range(rules.childCount())
        if rules.child(i).text(0) == "Natura 2000 site (national interest, MB 4 kap 8 §)"
    )
    natura.setText(1, "b")
    QgsApplication.processEvents()
    text = dock.form.profileEdit.toPlainText()
    assert "weight: 2.5" in text and "# RUS Planner — standardprofil" in text  # comments kept
    assert dock.save_profile_to_project()
    profile = dock.state.profile()
    assert profile.sectors[0].weight == 2.5
    assert next(r for r in profile.agency_rules if r.id == "natura2000").severity == "B"
    assert [s.weight for s in profile.sectors[1:]] == [1.0] * (len(profile.sectors) - 1)

    sectors = dock.form.profileTree.topLevelItem(0)
    sectors.child(1).setText(1, "mycket")
    QgsApplication.processEvents()
    assert dock.form.profileErrors.toPlainText() == "A weight is a number of 0 or more."
    assert dock.form.profileTree.topLevelItem(0).child(1).text(1) == "1"


def test_run_refuses_clearly_without_layers(plugin):
    dock = plugin.dock
    dock.form.runButton.click()
    assert not dock.is_running()
    assert dock.form.statusLabel.text() == "Tick at least one layer of RUS elements."


def test_new_rus_project_sets_up_groups_crs_and_profile(plugin, qgis_iface, tmp_path):
    project = QgsProject.instance()
    action = next(a for a in plugin.actions if a.objectName() == "RusPlannerNewProject")
    action.trigger()
    root = project.layerTreeRoot()
    assert [g.name() for g in root.children()] == [
        "RUS-element",
        "Sektorer",
        "Myndighetsunderlag",
        "Resultat",
    ]
    assert project.crs().authid() == "EPSG:3006"
    assert plugin.dock.state.profile_mode == "project"
    assert plugin.dock.state.profile().name == "Standardprofil Sverige"
    assert not plugin.dock.isHidden()
    path = tmp_path / "nytt ö.qgz"
    assert project.write(str(path))
    reopened = QgsProject()
    assert reopened.read(str(path))
    assert ProjectState.read_from_project(reopened).profile().name == "Standardprofil Sverige"


def test_cancel_stops_the_run_and_writes_nothing(plugin, layers):
    dock = plugin.dock
    areas, kultur, parks = layers
    dock.set_layers([areas], [kultur, parks])
    dock.form.runButton.click()
    assert dock.form.cancelButton.isEnabled() and not dock.form.runButton.isEnabled()
    dock.form.cancelButton.click()
    wait_until(lambda: not dock.is_running(), message="the cancelled task did not end")
    assert dock.form.statusLabel.text() == "The run was cancelled; nothing was written."
    assert dock.results_layers() == [] and dock.model.rowCount() == 0
    assert dock.form.runButton.isEnabled() and not dock.form.cancelButton.isEnabled()


def test_a_profile_file_is_used_and_kept_in_the_project(plugin, layers, tmp_path):
    from rus_planner.rus_planner.core.profile import DEFAULT_PROFILE_PATH

    dock = plugin.dock
    areas, kultur, parks = layers
    # The same rules, but national parks weighed as class C: the run must follow the file.
    text = DEFAULT_PROFILE_PATH.read_text(encoding="utf-8").replace(
        "name: Standardprofil Sverige", "name: Profil för Örebro län"
    )
    start = text.index("  - id: nationalpark\n")
    end = text.index("  - id: naturreservat\n")
    text = text[:start] + text[start:end].replace("severity: A", "severity: C") + text[end:]
    path = tmp_path / "profiler åäö" / "örebro.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    assert dock.choose_profile_file(str(path))
    assert dock.form.profileCombo.currentData() == "file"
    assert dock.form.profilePathEdit.text() == str(path)
    assert "Profil för Örebro län" in dock.form.profileNameLabel.text()
    dock.set_layers([areas], [parks])
    run_and_wait(dock)
    # D: the profile file keeps the default's standing notice, one per element.
    assert dock.counts() == {"A": 0, "B": 0, "C": native_pairs(areas, parks), "D": areas.featureCount()}

    broken = tmp_path / "trasig.yaml"
    broken.write_text("name: x\nagency_rules:\n  - id: r\n    severity: Q\n", encoding="utf-8")
    assert not dock.choose_profile_file(str(broken))
    assert "line 4" in dock.form.profileErrors.toPlainText()
    assert dock.state.profile_path == str(path)  # the working profile is kept


def test_unload_removes_the_dock_and_its_project_connections(qgis_iface, qgis_processing, rus_provider):
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    project = QgsProject.instance()
    signals = ("readProject", "writeProject", "cleared", "layersAdded", "layersRemoved")
    before = {name: project.receivers(getattr(project, name)) for name in signals}
    plugin = load_plugin(qgis_iface)
    assert all(project.receivers(getattr(project, name)) > before[name] for name in signals)
    plugin.unload()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert qgis_iface.mainWindow().findChildren(RusCheckDock) == []
    assert {name: project.receivers(getattr(project, name)) for name in signals} == before
    project.clear()  # no dock left to answer: nothing may fail


def test_unload_during_a_run_cancels_it_quietly(
    qgis_iface, qgis_processing, rus_provider, shared_data, tmp_path
):
    from qgis.core import QgsApplication as App

    project = QgsProject.instance()
    project.clear()
    plugin = load_plugin(qgis_iface)
    areas, kultur, parks = orebro_layers(shared_data, tmp_path)
    project.addMapLayers([areas, kultur, parks])
    plugin.dock.set_layers([areas], [kultur, parks])
    plugin.dock.form.runButton.click()
    task = plugin.dock.task
    assert task is not None
    plugin.unload()
    wait_until(lambda: task not in App.taskManager().tasks(), message="the task was not ended")
    assert project.mapLayersByName("RUS check findings: areas") == []
    project.clear()
