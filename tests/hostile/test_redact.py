"""safe_source, the one redaction of data-source strings, against hand-written answers.

Each case is written out by hand: what a hostile or careless user puts in a source, and
exactly what may be printed of it. The table holds with QGIS and without it (the core's
promise: plain Python), and the second opinion (urllib, QgsDataSourceUri) is tested on
its own for what the first pass is shown to miss.
"""

from __future__ import annotations

import sys

import pytest

from rus_planner.rus_planner.core import redact
from rus_planner.rus_planner.core.redact import has_credentials, safe_source

PG = "dbname='rus' host=127.0.0.1 port=5432 user='postgres'"

CASES = [
    # PostGIS / key=value sources (QgsDataSourceUri style)
    (
        f"{PG} password='s3cret' sslmode=disable key='fid' table=\"public\".\"x\" (geom)",
        f"{PG} password='***' sslmode=disable key='fid' table=\"public\".\"x\" (geom)",
    ),
    (r"dbname='rus' password='p\'w' host=h", "dbname='rus' password='***' host=h"),
    (r"dbname='rus' password='p\'w x' host=h", "dbname='rus' password='***' host=h"),
    ("dbname=rus password=p&w@x host=h", "dbname=rus password=*** host=h"),
    ("host=h password=last", "host=h password=***"),
    ("dbname='rus' PASSWORD=\"Y z\" host=h", "dbname='rus' PASSWORD=\"***\" host=h"),
    ("password='abc host=h", "password='***'"),  # unterminated quote: the rest is the value
    ("passwd=a1 pwd=b2 secret=c3 user=u", "passwd=*** pwd=*** secret=*** user=u"),
    ("PG:dbname=rus user=u password=pw", "PG:dbname=rus user=u password=***"),
    ("password = spaced out", "password = *** out"),
    # ODBC / MSSQL connection strings
    ("MSSQL:server=h;database=d;uid=sa;pwd=se;db=x", "MSSQL:server=h;database=d;uid=sa;pwd=***;db=x"),
    ("ODBC:uid=sa;pwd={se;c}}ret};db=x", "ODBC:uid=sa;pwd={***};db=x"),
    # WFS / OAPIF: url='...' inside the key=value source, userinfo and several secrets
    (
        "pagingEnabled='false' typename='ri' url='http://u:PLANTEDpw@127.0.0.1:1/?apikey=PLANTEDkey"
        "&token=PLANTEDtok' version='1.1.0'",
        "pagingEnabled='false' typename='ri' url='http://u:***@127.0.0.1:1/?apikey=***&token=***' "
        "version='1.1.0'",
    ),
    (
        "authcfg=abc123x url='https://h/?API_KEY=ZZZ9&Token=YYY8&access_token=Q1&client_secret=C2'",
        "authcfg=abc123x url='https://h/?API_KEY=***&Token=***&access_token=***&client_secret=***'",
    ),
    # key= is the primary key column in PostGIS, a secret only as a URL parameter
    ("key='fid' url='https://h/wfs?key=K1&x=1'", "key='fid' url='https://h/wfs?key=***&x=1'"),
    # WMS / XYZ: ampersand sources with the URL percent-encoded inside url=
    (
        "crs=EPSG:3006&format=image/png&layers=x&password=pw123&styles&url=https://h/wms?apikey%3DSEC123"
        "%26x%3D1&username=u",
        "crs=EPSG:3006&format=image/png&layers=x&password=***&styles&url=https://h/wms?apikey%3D***"
        "%26x%3D1&username=u",
    ),
    (
        "type=xyz&url=https://t.example.com/%7Bz%7D/%7Bx%7D/%7By%7D.png?key%3DSEC456&zmax=19",
        "type=xyz&url=https://t.example.com/%7Bz%7D/%7Bx%7D/%7By%7D.png?key%3D***&zmax=19",
    ),
    (
        "url=https%3A%2F%2Fu%3Apw99%40h%2Fwms%3Fapikey%3DENC1%26a%3D1",
        "url=https%3A%2F%2Fu%3A***%40h%2Fwms%3Fapikey%3D***%26a%3D1",
    ),
    (  # encoded twice
        "url=https%253A%252F%252Fh%252Fx%253Fapikey%253DDBL2%2526a%253D1",
        "url=https%253A%252F%252Fh%252Fx%253Fapikey%253D***%2526a%253D1",
    ),
    # URLs: fragment, userinfo with @ and &, a token as the user part
    ("https://h/x?access_token=abc123#frag", "https://h/x?access_token=***#frag"),
    ("https://h/x#access_token=abc123", "https://h/x#access_token=***"),
    ("https://u:p@ss&w@h/x?a=1", "https://u:***@h/x?a=1"),
    ("https://tok123@h/x", "https://***@h/x"),
    ("http-header:X-API-Key=K7&url=https://h/wmts", "http-header:X-API-Key=***&url=https://h/wmts"),
    # an encoded name only the second opinion (urllib) decodes
    ("https://h/x?api%5Fkey=HIDDEN9&a=1", "https://h/x?api%5Fkey=***&a=1"),
    # a provider's message quoting the URL it failed on
    (
        "Download of capabilities failed: Error transferring http://u:pw7@h/?SERVICE=WFS&apikey=K9 - "
        "server replied: Not Found",
        "Download of capabilities failed: Error transferring http://u:***@h/?SERVICE=WFS&apikey=*** - "
        "server replied: Not Found",
    ),
    # nothing secret: left exactly as it is
    ("/data/riksintressen.gpkg|layername=natura", "/data/riksintressen.gpkg|layername=natura"),
    (
        "https://h/x?keyword=a&monkey=b&tokens=c&typename=ns:x",
        "https://h/x?keyword=a&monkey=b&tokens=c&typename=ns:x",
    ),
    (f"{PG} authcfg=7hx2k9p sslmode=disable key='id'", f"{PG} authcfg=7hx2k9p sslmode=disable key='id'"),
    ("", ""),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_table_with_qgis(qgis_app, source, expected):
    assert safe_source(source) == expected
    assert has_credentials(source) == (source != expected)
    assert safe_source(expected) == expected  # masking twice changes nothing


@pytest.fixture
def without_qgis(monkeypatch):
    """qgis.core unimportable, as for the core's plain-Python tests."""
    monkeypatch.setitem(sys.modules, "qgis.core", None)
    redact._safe.cache_clear()
    yield
    redact._safe.cache_clear()


def test_table_without_qgis(without_qgis):
    with pytest.raises(ImportError):
        import qgis.core  # noqa: F401
    assert [safe_source(source) for source, _ in CASES] == [expected for _, expected in CASES]


def test_none_is_empty():
    assert safe_source(None) == ""
    assert not has_credentials(None)


def test_second_opinion_masks_what_a_first_pass_left(qgis_app):
    """Given a 'redacted' text that still holds the secrets, the second opinion finds them:
    QgsDataSourceUri for the quoted password (escape and space), urllib for the URL's."""
    original = r"dbname='rus' password='pa\'ss word' url='https://u:upw1@h/?token=tk42'"
    leaked = "dbname='rus' password=pa'ss word url='https://u:upw1@h/?token=tk42'"
    assert (
        redact._second_opinion(original, leaked)
        == "dbname='rus' password=*** url='https://u:***@h/?token=***'"
    )


def test_second_opinion_without_qgis_still_reads_urls(without_qgis):
    original = "url=https://h/x?access%5Ftoken=tk42XY"
    assert redact._second_opinion(original, original) == "url=https://h/x?access%5Ftoken=***"


def test_second_opinion_shows_nothing_when_it_cannot_cut_the_secret_out(qgis_app):
    """A secret that stays readable after every masking (here: split by an escape) hides the whole text."""
    original = "password='abcdef'"
    assert redact._second_opinion(original, "x abc%64ef y") == redact.MASK
