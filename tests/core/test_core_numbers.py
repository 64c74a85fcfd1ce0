"""Numbers as a Swedish and an English reader write them (hand-written expectations)."""

from __future__ import annotations

from rus_planner.rus_planner.core import report, vocabulary
from rus_planner.rus_planner.core.numbers import area_text, grouped, length_text

NBSP = "\u00a0"


def same(text: str) -> str:
    return text


def test_grouped_uses_a_space_before_thousands_and_a_decimal_comma_in_swedish():
    assert grouped(1234567.25, 2, "sv") == f"1{NBSP}234{NBSP}567,25"
    assert grouped(1234567.25, 2, "en") == "1,234,567.25"
    assert grouped(999.6, 0, "sv") == f"1{NBSP}000"
    assert grouped(-0.2, 0, "sv") == "0"
    assert grouped(0.75, 2, "sv") == "0,75"


def test_areas_are_in_hectares_or_square_kilometres_and_lengths_in_metres_or_kilometres():
    assert area_text(7_500, "sv") == f"0,75{NBSP}ha"
    assert area_text(253_002, "sv") == f"25,3{NBSP}ha"
    assert area_text(999_000, "en") == f"99.9{NBSP}ha"
    assert area_text(1_000_000, "sv") == f"1,00{NBSP}km²"
    assert area_text(12_345_678, "sv") == f"12,3{NBSP}km²"
    assert area_text(1_234_567_890, "sv") == f"1{NBSP}234,6{NBSP}km²"
    assert area_text(12, "sv") == f"< 0,01{NBSP}ha"  # an overlap is never shown as nothing
    assert length_text(349.6, "sv") == f"350{NBSP}m"
    assert length_text(999.4, "en") == f"999{NBSP}m"
    assert length_text(999.6, "en") == f"1.00{NBSP}km"
    assert length_text(1_250, "sv") == f"1,25{NBSP}km"
    assert length_text(12_345, "sv") == f"12,3{NBSP}km"


def test_measure_texts_carry_swedish_numbers():
    assert vocabulary.measure_text({"overlap_m2": 1200.4}, same, "sv") == f"0,12{NBSP}ha overlap"
    assert vocabulary.measure_text({"overlap_m2": 25_300.2}, same, "sv") == f"2,5{NBSP}ha overlap"
    assert vocabulary.measure_text({"overlap_length_m": 12345.0}, same, "en") == f"12.3{NBSP}km overlap"
    row = {"relation": "within_distance", "distance_m": 120.0}
    assert vocabulary.measure_text(row, same, "sv") == f"120{NBSP}m away"
    assert vocabulary.measure_text({**row, "distance_m": 1200.0}, same, "sv") == f"1,20{NBSP}km away"
    assert vocabulary.measure_text({"relation": "overlap"}, same, "sv") == ""


def test_report_units():
    assert report.format_area(12_345_678, "sv") == f"1{NBSP}234,6 ha"
    assert report.format_length(1500, "sv") == "1,50 km"
    assert report.format_length(640.4, "en") == "640 m"
    assert report.format_share(0.004, "sv") == "< 1 %"
    assert report.format_share(0.754, "sv") == "75 %"


def test_moments_are_said_as_a_planner_says_them():
    from datetime import datetime, timedelta, timezone

    from rus_planner.rus_planner.core.numbers import friendly_time

    stockholm_winter = timezone(timedelta(hours=1))
    now = datetime(2026, 12, 5, 16, 30, tzinfo=stockholm_winter)
    swedish = {
        "today {time}": "i dag {time}",
        "yesterday {time}": "i går {time}",
        "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec": "jan feb mars apr maj juni juli aug sep okt nov dec",
    }.get

    def sv(text):
        return swedish(text, text)

    # Stored as UTC (ProjectState.last_run); said in the local time of the reader.
    assert friendly_time("2026-12-05T13:54:12+00:00", sv, now) == "i dag 14:54"
    assert friendly_time("2026-12-04T23:30:00+00:00", sv, now) == "i dag 00:30"  # past midnight here
    assert friendly_time("2026-12-04T08:12:00+00:00", sv, now) == "i går 09:12"
    assert friendly_time("2026-03-03T08:12:00+00:00", sv, now) == "3 mars 2026 09:12"
    assert friendly_time("2026-12-03T08:12:00+00:00", same, now) == "3 Dec 2026 09:12"
    assert friendly_time("2026-12-05T13:54:12+00:00", same, now) == "today 14:54"
    assert friendly_time("not a time", sv, now) == "not a time"
