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
