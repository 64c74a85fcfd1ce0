"""Reviews (ställningstaganden) keyed so that they last: by the agency's own feature id where
the finding carries one, across a refresh of the agency's data that renumbers its features."""

from __future__ import annotations

from rus_planner.rus_planner.core.reviews import Review, ReviewBook, ReviewKey

FINDING = {
    "element_layer": "Områden",
    "element_layer_id": "omraden_4f2a",
    "element_fid": 3,
    "agency_layer": "naturreservat",
    "feature_fid": 118,
    "agency_id": "2001234",
    "rule_id": "naturreservat",
}


def test_a_review_survives_the_agency_renumbering_its_features():
    book = ReviewBook()
    book.record(ReviewKey.of_finding(FINDING), "in_dialogue", "Samråd med länsstyrelsen 12 mars")
    refreshed = dict(FINDING, feature_fid=7)  # the same reserve after the agency's new download
    assert book.of_finding(refreshed).position == "Samråd med länsstyrelsen 12 mars"
    another_reserve = dict(FINDING, feature_fid=118, agency_id="2009999")
    assert book.of_finding(another_reserve) == Review()


def test_without_an_agency_id_the_feature_id_keys_the_review():
    book = ReviewBook()
    plain = dict(FINDING, agency_id=None)
    book.record(ReviewKey.of_finding(plain), "accepted", "ok")
    assert book.of_finding(dict(plain, note="another run")).status == "accepted"
    assert book.of_finding(dict(plain, feature_fid=7)) == Review()
    assert ReviewKey.of_finding(plain).feature_fid == "118"


def test_a_review_saved_by_an_earlier_version_is_still_found():
    """Projects saved before findings carried agency ids keyed reviews by the feature id."""
    book = ReviewBook()
    book.record(ReviewKey.by_feature_id(FINDING), "accepted", "Godtas")
    assert book.of_finding(FINDING).position == "Godtas"
    assert book.columns(FINDING)["review_status"] == "accepted"
    # Recorded anew, it is keyed by the agency's id and survives the next refresh too.
    book.record(ReviewKey.of_finding(FINDING), "element_adjusted", "Området minskat")
    assert book.of_finding(dict(FINDING, feature_fid=7)).position == "Området minskat"
    assert ReviewBook.from_records(book.to_records()) == book


DIALOGUE = {
    "agency_view": "Länsstyrelsen: reservatets syfte påverkas inte om infarten flyttas.",
    "response_date": "2026-10-14",
    "diarienummer": "511-2345-2026",
    "action": "Infarten flyttas 300 m norrut",
    "decided_by": "Regionala utvecklingsnämnden",
}


def test_a_review_records_the_dialogue_with_the_agency_and_keeps_it_through_storage():
    book = ReviewBook()
    book.record(
        ReviewKey.of_finding(FINDING),
        "accepted",
        "Godtas med ändring",
        when="2026-10-20T09:00:00+00:00",
        **DIALOGUE,
    )
    stored = ReviewBook.from_records(book.to_records())
    review = stored.of_finding(FINDING)
    assert {name: getattr(review, name) for name in DIALOGUE} == DIALOGUE
    assert (review.status, review.position, review.reviewed_at) == (
        "accepted",
        "Godtas med ändring",
        "2026-10-20T09:00:00+00:00",
    )
    columns = stored.columns(FINDING)
    assert (
        columns["review_diarienummer"] == "511-2345-2026"
        and columns["review_decided_by"] == "Regionala utvecklingsnämnden"
    )
    # records of an earlier version (no dialogue) still load, with the dialogue empty
    legacy = [
        {"key": ReviewKey.of_finding(FINDING).as_list(), "status": "new", "position": "x", "reviewed_at": ""}
    ]
    assert ReviewBook.from_records(legacy).of_finding(FINDING).agency_view == ""


def test_a_dialogue_alone_is_a_review_worth_keeping():
    assert not Review(agency_view="Synpunkt").is_default and Review().is_default


def test_a_review_whose_finding_is_gone_is_kept_and_shown_as_resolved_by_change():
    book = ReviewBook()
    book.record(ReviewKey.of_finding(FINDING), "element_adjusted", "Området minskat", **DIALOGUE)
    other = dict(FINDING, element_fid=4, agency_id="2007777")
    book.record(ReviewKey.of_finding(other), "in_dialogue", "Pågår")
    book.record(ReviewKey.of_finding(dict(FINDING, element_fid=9)), "new", "")  # nothing said: not listed
    # The re-run after the element was made smaller: FINDING is gone, other is still there.
    resolved = book.resolved_by_change([other])
    assert [(key, review.position) for key, review in resolved] == [
        (ReviewKey.of_finding(FINDING), "Området minskat")
    ]
    assert len(book) == 3  # kept: an edit undone brings the finding and its position back
    assert book.of_finding(FINDING).diarienummer == "511-2345-2026"


def test_a_new_drafts_findings_take_the_old_drafts_reviews():
    book = ReviewBook()
    book.record(ReviewKey.of_finding(FINDING), "in_dialogue", "Samråd pågår", **DIALOGUE)
    new = dict(FINDING, element_layer_id="omraden_utstallning_77", element_fid=12)
    untouched = dict(FINDING, element_fid=5, agency_id="2005555")
    carried = book.carried([(FINDING, new), (untouched, dict(untouched, element_fid=6))])
    assert carried.of_finding(new) == book.of_finding(FINDING)
    assert carried.of_finding(FINDING) == book.of_finding(FINDING)  # the old draft keeps its own
    assert len(carried) == 2  # nothing is carried for a finding without a review
    # a saved findings row carries its review in its columns when the book has none
    saved = dict(untouched, review_status="accepted", review_position="Godtas", review_diarienummer="1-2")
    from_columns = ReviewBook().carried([(saved, new)]).of_finding(new)
    assert (from_columns.status, from_columns.position, from_columns.diarienummer) == (
        "accepted",
        "Godtas",
        "1-2",
    )
