"""Sweden's 21 län and where they lie: a new RUS project opens on the chosen one.

Extents in SWEREF 99 TM (EPSG:3006), whole metres around each län's land and water, from SCB's
Digitala gränser 2024 (CC0; tests/test_counties.py checks them against that data). Pure data:
the plugin ships no boundary file for this.
"""

from __future__ import annotations

COUNTY_CRS = "EPSG:3006"

# (län code, name, (xmin, ymin, xmax, ymax))
COUNTIES = (
    ("01", "Stockholms län", (627791, 6521396, 729170, 6680931)),
    ("03", "Uppsala län", (594108, 6595379, 699332, 6726589)),
    ("04", "Södermanlands län", (534783, 6499530, 650856, 6597395)),
    ("05", "Östergötlands län", (472751, 6395488, 610879, 6544639)),
    ("06", "Jönköpings län", (384135, 6304526, 539034, 6445939)),
    ("07", "Kronobergs län", (396085, 6246521, 551147, 6343865)),
    ("08", "Kalmar län", (520675, 6229486, 628248, 6446984)),
    ("09", "Gotlands län", (685081, 6312220, 754629, 6436753)),
    ("10", "Blekinge län", (462268, 6206071, 565063, 6263547)),
    ("12", "Skåne län", (342785, 6133891, 474791, 6265744)),
    ("13", "Hallands län", (315566, 6244096, 420529, 6387893)),
    ("14", "Västra Götalands län", (277247, 6335533, 483860, 6573986)),
    ("17", "Värmlands län", (313490, 6530043, 470025, 6771483)),
    ("18", "Örebro län", (457942, 6506395, 544182, 6665078)),
    ("19", "Västmanlands län", (522505, 6572084, 607621, 6674918)),
    ("20", "Dalarnas län", (349990, 6636015, 595376, 6906238)),
    ("21", "Gävleborgs län", (473532, 6674917, 632501, 6914246)),
    ("22", "Västernorrlands län", (488671, 6893073, 713020, 7102331)),
    ("23", "Jämtlands län", (347582, 6828222, 602054, 7223226)),
    ("24", "Västerbottens län", (468567, 7043437, 815778, 7359501)),
    ("25", "Norrbottens län", (517296, 7232409, 917272, 7669870)),
)


def county_extent(code: str, margin: float = 0.05) -> tuple[float, float, float, float] | None:
    """The län's extent grown by ``margin`` of its size on every side; None for an unknown code."""
    for county_code, _name, (xmin, ymin, xmax, ymax) in COUNTIES:
        if county_code == code:
            dx, dy = (xmax - xmin) * margin, (ymax - ymin) * margin
            return xmin - dx, ymin - dy, xmax + dx, ymax + dy
    return None
