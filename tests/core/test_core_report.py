"""The consultation report's texts without QGIS: the interest names the agency's own id."""

from __future__ import annotations

from rus_planner.rus_planner.core import report


def test_the_report_names_the_feature_by_the_agencys_own_id_too():
    model = report.ReportModel.__new__(report.ReportModel)  # interest_text needs no other state
    finding = {"rule_name": "Naturreservat", "feature_name": "Kilsbergen", "agency_id": "2001234"}
    assert model.interest_text(finding) == "Naturreservat: Kilsbergen (2001234)"
    assert model.interest_text(dict(finding, feature_name=None)) == "Naturreservat: 2001234"
    lamning = {"rule_name": "Fornlämning", "feature_name": "L1880:1001", "agency_id": "L1880:1001"}
    assert model.interest_text(lamning) == "Fornlämning: L1880:1001"
    assert (
        model.interest_text({"rule_name": "Nationalpark", "feature_name": "Tiveden"})
        == "Nationalpark: Tiveden"
    )


def test_each_agency_a_finding_names_receives_it_and_the_kommun_gets_its_own_report():
    from rus_planner.rus_planner.core.report_scope import listed, recipient_name, recipients

    assert recipients("Riksantikvarieämbetet / länsstyrelsen") == ["Riksantikvarieämbetet", "Länsstyrelsen"]
    assert recipients("Länsstyrelsen / kommunen") == ["Länsstyrelsen"]
    assert recipients("Länsstyrelse") == ["Länsstyrelsen"]  # NVR's BESLMYND writes it so
    assert recipients("SGI / SGU / Myndigheten för civilt försvar (MCF)") == [
        "SGI",
        "SGU",
        "Myndigheten för civilt försvar (MCF)",
    ]
    assert recipients("kommunen") == [] and recipients(None) == []
    assert recipient_name("Länsstyrelsen", "Örebro län") == "Länsstyrelsen i Örebro län"
    assert recipient_name("Länsstyrelsen") == "Länsstyrelsen"
    assert recipient_name("Naturvårdsverket", "Örebro län") == "Naturvårdsverket"
    # An agency view's report over several regions: their länsstyrelser together.
    both = listed(["Örebro län", "Uppsala län"])
    assert (
        recipient_name("Länsstyrelsen", both, several=True) == "Länsstyrelserna i Örebro län och Uppsala län"
    )
    assert (
        listed(["Örebro län", "Uppsala län", "Jönköpings län"])
        == "Örebro län, Uppsala län och Jönköpings län"
    )
    assert listed(["Örebro län", "Uppsala län"], "en") == "Örebro län and Uppsala län"
    assert listed(["Örebro län"]) == "Örebro län" and listed([]) == ""


def test_a_kommun_is_named_as_it_names_itself():
    from rus_planner.rus_planner.core.report_scope import kommun_name

    expected = {
        "Örebro": "Örebro kommun",
        "Lindesberg": "Lindesbergs kommun",
        "Askersund": "Askersunds kommun",
        "Laxå": "Laxå kommun",
        "Degerfors": "Degerfors kommun",
        "Karlskoga": "Karlskoga kommun",
        "Falun": "Falu kommun",
        "Gotland": "Gotlands kommun",
        "Region Gotland kommun": "Region Gotland kommun",
    }
    assert {name: kommun_name(name) for name in expected} == expected
    assert kommun_name("Lindesberg", "en") == "Lindesberg Municipality"


def test_a_source_is_named_without_its_folder_or_its_secrets():
    from rus_planner.rus_planner.core.report_scope import has_local_path, public_location

    assert public_location("/tmp/x/data/orebro_lan.gpkg|layername=nationalparker") == "file orebro_lan.gpkg"
    assert public_location("C:\\Data\\RI\\kultur.shp", "fil {name}") == "fil kultur.shp"
    wfs = "pagingEnabled='true' typename='app:np' url='https://geo.example.se/wfs?apikey=s3cr3t&x=1' version='2.0.0'"
    assert public_location(wfs) == "https://geo.example.se/wfs?apikey=***&x=1"
    assert public_location("https://user:pw@geo.example.se/ogc") == "https://user:***@geo.example.se/ogc"
    postgis = "dbname='gis' host=db.region.se user='u' password='p' table=\"agency\".\"np\" (geom)"
    assert public_location(postgis) == "agency.np"
    assert has_local_path("fil /home/anna/x.gpkg") and has_local_path("D:\\x") and has_local_path("/tmp/a/")
    assert not has_local_path("https://geo.example.se/wfs/np") and not has_local_path("MB 3 kap 6 §")


def test_interests_not_checked_are_grouped_with_the_elements_they_concern():
    from rus_planner.rus_planner.core.report_scope import for_elements, for_recipient, not_checked

    def d(element, rule, agency, note):
        return {"element_id": element, "severity": "D", "rule_name": rule, "agency": agency, "note": note}

    findings = [
        d("a:1", "Hemliga", "Försvarsmakten", "sekretess"),
        d("a:2", "Hemliga", "Försvarsmakten", "sekretess"),
        d("a:1", "Natura 2000", "Naturvårdsverket / länsstyrelsen", "HTTP 500"),
        {"element_id": "a:1", "severity": "A", "rule_name": "Nationalpark", "agency": "Naturvårdsverket"},
    ]
    rows = not_checked(
        findings, [("Strandskydd", "Länsstyrelsen"), ("Biotopskydd", "Länsstyrelsen")], "inget lager"
    )
    assert [(r.interest, r.agency, r.reason, r.element_ids) for r in rows] == [
        ("Hemliga", "Försvarsmakten", "sekretess", ("a:1", "a:2")),
        ("Natura 2000", "Naturvårdsverket / länsstyrelsen", "HTTP 500", ("a:1",)),
        ("Strandskydd, Biotopskydd", "Länsstyrelsen", "inget lager", None),
    ]
    assert [r.interest for r in for_recipient(rows, "Länsstyrelsen")] == [
        "Natura 2000",
        "Strandskydd, Biotopskydd",
    ]
    kept = for_elements(rows, {"a:2"})
    assert [(r.interest, r.element_ids) for r in kept] == [
        ("Hemliga", ("a:2",)),
        ("Strandskydd, Biotopskydd", None),
    ]
