"""Numbers and moments as a reader writes them: Swedish 1 234,5 (space before thousands,
decimal comma), English 1,234.5; areas in ha or km², lengths in m or km; "i dag 14:54". One place for the tables, the panel, the logs
and the reports."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

# A no-break space: "1 200 m" never splits over two lines.
THOUSANDS_SPACE = "\u00a0"


def grouped(value: float, decimals: int = 0, language: str = "sv") -> str:
    """``value`` rounded to ``decimals`` with thousands grouped in the language's way."""
    text = f"{float(value):,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0"
    if language != "sv":
        return text
    return text.replace(",", THOUSANDS_SPACE).replace(".", ",")


def area_text(m2: float, language: str = "sv") -> str:
    """An area as planners write it: ha below 1 km² ("0,75 ha", "25,3 ha"), else km² ("12,4 km²")."""
    m2 = float(m2)
    if m2 >= 1_000_000:
        km2 = m2 / 1_000_000
        return grouped(km2, 2 if km2 < 10 else 1, language) + THOUSANDS_SPACE + "km²"
    hectares = m2 / 10_000
    if 0 < hectares < 0.005:
        return "< " + grouped(0.01, 2, language) + THOUSANDS_SPACE + "ha"  # not "0,00 ha": there is overlap
    return grouped(hectares, 2 if hectares < 1 else 1, language) + THOUSANDS_SPACE + "ha"


def length_text(m: float, language: str = "sv") -> str:
    """A length or distance as planners write it: whole metres below 1 km ("350 m"), else km ("1,25 km")."""
    m = float(m)
    if m >= 999.5:  # what would round to "1 000 m" is "1,00 km"
        km = m / 1000
        return grouped(km, 2 if km < 10 else 1, language) + THOUSANDS_SPACE + "km"
    return grouped(m, 0, language) + THOUSANDS_SPACE + "m"


def friendly_time(iso: str, tr, now: datetime | None = None) -> str:
    """A moment as a planner says it, in local time: "i dag 14:54", "i går 09:12", "3 dec 2026
    09:12" ("today 14:54"... in English, through ``tr``); the text itself when it is no time."""
    try:
        moment = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    now = now or datetime.now().astimezone()  # this machine's local time; a test passes its own
    moment, today = moment.astimezone(now.tzinfo), now.date()
    clock = moment.strftime("%H:%M")
    if moment.date() == today:
        return tr("today {time}").format(time=clock)
    if moment.date() == today - timedelta(days=1):
        return tr("yesterday {time}").format(time=clock)
    months = tr("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec").split()
    month = months[moment.month - 1] if len(months) == 12 else str(moment.month)
    return f"{moment.day} {month} {moment.year} {clock}"
