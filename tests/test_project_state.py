"""Every piece of plugin state survives save → reopen of a .qgz, with å ä ö everywhere."""

from __future__ import annotations

import shutil

import pytest
from qgis.core import QgsProject, QgsVectorLayer

from rus_planner.rus_planner.core.profile import DEFAULT_PROFILE_PATH, ProfileError
from rus_planner.rus_planner.core.profile_load import load_default_profile
from rus_planner.rus_planner.core.reviews import Review, ReviewBook, ReviewKey
from rus_planner.rus_planner.qgis_io.project_state import (
    SCOPE,
    DataSource,
    ProjectState,
    project_profile,
)

PROFILE_TEXT = DEFAULT_PROFILE_PATH.read_text(encoding="utf-8").replace(
    "name: Standardprofil Sverige", "name: Örebro läns profil – ändrad"
)


def _memory_layer(name: str, kind: str = "Point") -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{kind}?crs=EPSG:3006&field=namn:string", name, "memory")
    assert layer.isValid()
    return layer


def _full_state(folder, layers) -> ProjectState:
    profile_file = folder / "profiler ä" / "min profil ö.yaml"
    profile_file.parent.mkdir(parents=True)
    profile_file.write_text(PROFILE_TEXT, encoding="utf-8")
    reviews = ReviewBook()
    reviews.record(
        ReviewKey.of(layers[0].id(), 3, "riksintressen_kulturmiljö", 17, "ri_kulturmiljo"),
        "in_dialogue",
        "Samråd med länsstyrelsen i Örebro; stråket flyttas söder om ån.\nAndra raden: ”citat”.",
        "2026-11-20T09:15:00+00:00",
    )
    reviews.record(
        ReviewKey.of(layers[0].id(), 4, "nationalparker", None, "nationalpark"),
        "accepted",
        "Underlaget saknades – godtas.",
        "2026-11-21T10:00:00+00:00",
    )
    return ProjectState(
        element_layer_ids=[layers[0].id()],
        agency_layer_ids=[layers[1].id(), layers[2].id()],
        profile_mode="file",
        profile_path=str(profile_file),
        profile_yaml=PROFILE_TEXT,
        target_crs="EPSG:3010",
        live_mode=True,
        decimal_comma=False,
        results_path=str(folder / "resultat åäö.gpkg"),
        results_layer_ids=["rus_fynd_åäö_1234", "rus_fynd_punkter_ö"],
        last_run="2026-11-22T06:30:00+00:00",
        data_sources=[
            DataSource("element", layers[0].id(), "Noder å", "memory?x=å", ""),
            DataSource(
                "agency",
                layers[1].id(),
                "Riksintressen kulturmiljö",
                "/data/ö.gpkg|layername=ri",
                "2024-05-01",
            ),
        ],
        reviews=reviews,
    )


@pytest.fixture
def project_folder(tmp_path):
    folder = tmp_path / "Regionen Örebro län – RUS"
    folder.mkdir()
    return folder


def _save_project_with_state(folder):
    project = QgsProject()
    layers = [
        _memory_layer("Noder å"),
        _memory_layer("Riksintressen kulturmiljö", "Polygon"),
        _memory_layer("Nationalparker ä", "Polygon"),
    ]
    project.addMapLayers(layers)
    state = _full_state(folder, layers)
    path = folder / "strategi ö.qgz"
    project.setFileName(str(path))  # as in the plugin's writeProject handler: paths relative to it
    state.write_to_project(project)
    assert project.write(str(path)), project.error()
    return state, path, {layer.id(): layer.name() for layer in layers}


def test_every_piece_of_state_is_equal_after_save_and_reopen(project_folder):
    state, path, names = _save_project_with_state(project_folder)

    reopened = QgsProject()
    assert reopened.read(str(path)), reopened.error()
    restored = ProjectState.read_from_project(reopened)

    assert restored == state
    # Field by field too, so a failure names the piece that was lost.
    for name in state.__dataclass_fields__:
        assert getattr(restored, name) == getattr(state, name), name
    # Layer roles still point at the same (non-ASCII) layers in the reopened project.
    assert [reopened.mapLayer(i).name() for i in restored.element_layer_ids] == ["Noder å"]
    assert [reopened.mapLayer(i).name() for i in restored.agency_layer_ids] == [
        "Riksintressen kulturmiljö",
        "Nationalparker ä",
    ]
    assert restored.profile().name == "Örebro läns profil – ändrad"
    review = restored.reviews.get(
        ReviewKey.of(state.element_layer_ids[0], 3, "riksintressen_kulturmiljö", 17, "ri_kulturmiljo")
    )
    assert review == Review(
        "in_dialogue",
        "Samråd med länsstyrelsen i Örebro; stråket flyttas söder om ån.\nAndra raden: ”citat”.",
        "2026-11-20T09:15:00+00:00",
    )
    assert names == {layer_id: reopened.mapLayer(layer_id).name() for layer_id in names}


def test_paths_follow_a_moved_project_folder(project_folder, tmp_path):
    state, path, _ = _save_project_with_state(project_folder)
    moved = tmp_path / "flyttad mapp å" / project_folder.name
    moved.parent.mkdir()
    shutil.move(str(project_folder), str(moved))

    reopened = QgsProject()
    assert reopened.read(str(moved / path.name))
    restored = ProjectState.read_from_project(reopened)
    assert restored.profile_path == str(moved / "profiler ä" / "min profil ö.yaml")
    assert restored.results_path == str(moved / "resultat åäö.gpkg")
    assert restored.profile_path != state.profile_path


def test_a_project_without_rus_state_gives_the_defaults(tmp_path):
    project = QgsProject()
    path = tmp_path / "tomt.qgz"
    assert project.write(str(path))
    reopened = QgsProject()
    assert reopened.read(str(path))
    assert not ProjectState.stored_in(reopened)
    assert ProjectState.read_from_project(reopened) == ProjectState()
    assert project_profile(reopened) is None
    assert ProjectState().profile() == load_default_profile()


def test_damaged_entries_do_not_break_reading():
    project = QgsProject()
    ProjectState().write_to_project(project)
    project.writeEntry(SCOPE, "reviews", "[{not json")
    project.writeEntry(SCOPE, "last_run/sources", '[1, "x", {"name": "ok"}]')
    project.writeEntry(SCOPE, "profile/mode", "somewhere")
    state = ProjectState.read_from_project(project)
    assert len(state.reviews) == 0
    assert state.data_sources == [DataSource("", "", "ok", "", "")]
    assert state.profile_mode == "default"


def test_project_profile_is_the_stored_text():
    project = QgsProject()
    state = ProjectState()
    state.set_profile_text(PROFILE_TEXT)
    state.write_to_project(project)
    assert project_profile(project).name == "Örebro läns profil – ändrad"


def test_an_invalid_profile_text_is_refused_and_nothing_changes():
    state = ProjectState()
    with pytest.raises(ProfileError) as caught:
        state.set_profile_text("name: x\nsectors:\n  - id: a\n    name_sv: A\n    vikt: 2\n")
    assert "line 5" in str(caught.value) and "sectors[1].vikt" in str(caught.value)
    assert state == ProjectState()


def test_reviews_are_matched_by_key_not_by_row():
    book = ReviewBook()
    finding = {
        "element_layer": "Noder",
        "element_fid": 7,
        "agency_layer": "nationalparker",
        "feature_fid": 2,
        "rule_id": "nationalpark",
    }
    book.record(ReviewKey.of_finding(finding), "accepted", "ok")
    same_conflict = dict(finding, severity="A", element_id="Noder:7", note="another run")
    assert book.get(ReviewKey.of_finding(same_conflict)).status == "accepted"
    other_rule = dict(finding, rule_id="natura2000")
    assert book.get(ReviewKey.of_finding(other_rule)) == Review()
    # The element layer's id wins over its name when the finding carries it.
    with_id = dict(finding, element_layer_id="noder_abc")
    assert book.get(ReviewKey.of_finding(with_id)) == Review()
    with pytest.raises(ValueError, match="unknown review status"):
        book.record(ReviewKey.of_finding(finding), "maybe", "")
    assert ReviewBook.from_records(book.to_records()) == book


def test_algorithms_resolve_the_profile_file_then_the_projects_then_the_default(tmp_path, rus_provider):
    from qgis.core import QgsProcessingContext

    from rus_planner.rus_planner.processing.algorithms.check_elements import CheckElementsAlgorithm

    algorithm = CheckElementsAlgorithm()
    algorithm.initAlgorithm()
    context = QgsProcessingContext()
    project = QgsProject()
    context.setProject(project)
    assert algorithm.resolve_profile({}, context).name == "Standardprofil Sverige"
    assert algorithm.resolve_profile({}, context, default=False) is None

    state = ProjectState()
    state.set_profile_text(PROFILE_TEXT)
    state.write_to_project(project)
    assert algorithm.resolve_profile({}, context).name == "Örebro läns profil – ändrad"
    assert algorithm.resolve_profile({"PROFILE": None}, context).name == "Örebro läns profil – ändrad"
    assert algorithm.resolve_profile({}, context, default=False).name == "Örebro läns profil – ändrad"

    own = tmp_path / "egen å.yaml"
    own.write_text(PROFILE_TEXT.replace("Örebro läns profil – ändrad", "Egen fil"), encoding="utf-8")
    assert algorithm.resolve_profile({"PROFILE": str(own)}, context).name == "Egen fil"

    project.writeEntry("RUSPlanner", "profile/yaml", "name: trasig\nsectors: 3\n")
    with pytest.raises(ProfileError, match="line 2"):
        algorithm.resolve_profile({}, context)
