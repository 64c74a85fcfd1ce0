"""One redaction for every data-source string the plugin writes or shows.

A layer's source is what makes a finding traceable, so reports, exports, the shared
GeoPackage and the project name it; but a source may carry credentials: a PostGIS
``password='p\\'w'``, an ``apikey=`` or ``token=`` in a WFS/WMS/XYZ URL (also
percent-encoded inside ``url=...``), ``user:password@`` in any URL. Every writer passes
source strings (and messages that may quote one) through :func:`safe_source`: secret
values become ``***``; names, hosts, tables and ``authcfg=`` ids (a reference into
QGIS's encrypted store, not a secret) stay, so the text still says where data came from.

Plain Python, so the core needs no QGIS for it. Where QGIS is importable its own URI
parser (``QgsDataSourceUri``) is asked for the secrets as a second opinion: any value it
finds that the first pass left in is masked too. QGIS's ``QgsDataSourceUri.removePassword``
is not used for the text itself: in QGIS 3.22 it leaves part of a password with an
escaped quote behind and keeps a password at the end of a source.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qsl, quote, unquote, urlsplit

MASK = "***"

# Names whose value is secret wherever they stand (key=value sources, URL queries, text).
_SECRET_NAME = re.compile(r"(?:pass|[\w.-]*(?:token|secret|password|passwd|pwd|api[_-]?key))", re.IGNORECASE)
# Secret only as a URL parameter: PostGIS's own ``key='fid'`` names the primary key column.
_URL_SECRET_NAME = re.compile(r"(?:key|[\w.-]*[_-]key|sig|signature)", re.IGNORECASE)

# percent-encoding, also encoded twice (%2526 is an encoded %26)
_PCT = r"%(?:25)*"
# name= (or name%3D) where a name may start: not inside a word, or right after an encoded ? & #
_NAME_EQ = re.compile(
    rf"(?:(?<=%26)|(?<=%3[Ff])|(?<=%23)|(?<=%2526)|(?<=%253[Ff])|(?<=%2523)|(?<![\w.%-]))"
    rf"(?P<name>[A-Za-z][\w.-]*)(?P<eq>\s*=\s*|{_PCT}3[Dd])"
)
_ENCODED_SEPARATOR = re.compile(rf"{_PCT}(?:26|23|3[Ff])$")
_ENCODED_END = re.compile(rf"{_PCT}(?:26|23)")
# scheme:// then userinfo up to the last @ of the authority (a password may hold @ or &)
_USERINFO = re.compile(r"(?P<lead>://)(?P<info>[^\s/'\"]*)@")
_ENCODED_USERINFO = re.compile(
    rf"(?P<lead>{_PCT}3[Aa]{_PCT}2[Ff]{_PCT}2[Ff])(?P<info>(?:(?!{_PCT}2[Ff])[^\s/'\"&])*){_PCT}40"
)
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"]+")
# A second opinion's values shorter than this are not hunted through the text (they would
# mask ordinary characters everywhere); the first pass has masked them by their name already.
_MIN_HUNTED = 3


def safe_source(text: str | None) -> str:
    """The text with every credential masked: fit to print, store or share."""
    return _safe(text or "")


@lru_cache(maxsize=4096)
def _safe(text: str) -> str:
    if not any(mark in text for mark in "=@%"):
        return text  # no key=value, no userinfo, nothing encoded: nothing to mask (most texts)
    redacted = _mask_userinfo(_mask_parameters(text))
    return _second_opinion(text, redacted)


def has_credentials(text: str | None) -> bool:
    """True when the text carries something safe_source masks (a password, a key, a token)."""
    return safe_source(text) != (text or "")


def _is_secret(name: str, in_url: bool) -> bool:
    return bool(_SECRET_NAME.fullmatch(name) or (in_url and _URL_SECRET_NAME.fullmatch(name)))


def _mask_parameters(text: str) -> str:
    """key=value pairs with a secret key: quoted (escaped quotes too) or bare, raw or percent-encoded."""
    ampersand_style = not re.search(r"\s", text)  # a WMS/XYZ source: key=value&key=value
    out: list[str] = []
    position = 0
    for match in _NAME_EQ.finditer(text):
        start = match.start()
        if start < position:
            continue  # inside a value masked already
        before = text[:start]
        encoded = bool(_ENCODED_SEPARATOR.search(before)) or "%" in match.group("eq")
        in_url = encoded or before[-1:] in ("?", "&", "#")
        if not _is_secret(match.group("name"), in_url):
            continue
        value_start = match.end()
        value_end = _value_end(text, value_start, before[-1:], in_url, encoded, ampersand_style)
        if value_end == value_start:
            continue
        opening = text[value_start] if text[value_start] in "'\"{" else ""
        closing = "}" if opening == "{" else opening
        out.append(text[position:value_start])
        out.append(f"{opening}{MASK}{closing}")
        position = value_end
    out.append(text[position:])
    return "".join(out)


def _value_end(text: str, start: int, before: str, in_url: bool, encoded: bool, ampersand_style: bool) -> int:
    """Where a value starting at ``start`` ends (a quoted value at its closing quote)."""
    if start < len(text) and text[start] in "'\"":
        closing = text[start]
        i = start + 1
        while i < len(text):
            if text[i] == "\\":
                i += 2
                continue
            if text[i] == closing:
                return i + 1
            i += 1
        return len(text)  # unterminated: everything after is the value
    if start < len(text) and text[start] == "{":  # ODBC: pwd={se;cret}, }} is a literal }
        i = start + 1
        while i < len(text):
            if text.startswith("}}", i):
                i += 2
                continue
            if text[i] == "}":
                return i + 1
            i += 1
        return len(text)
    if in_url:
        stops = "&#'\"|"
    elif before == ";":
        stops = ";'\""
    else:
        stops = "&" if ampersand_style else ""
    i = start
    while i < len(text):
        char = text[i]
        if char == "\\":
            i += 2
            continue
        if char.isspace() or char in stops:
            break
        if encoded and char == "%" and _ENCODED_END.match(text, i):
            break
        i += 1
    return min(i, len(text))


def _mask_userinfo(text: str) -> str:
    """scheme://user:password@host → scheme://user:***@host; a lone user part (a token) → ***@."""

    def raw(match: re.Match) -> str:
        user, colon, _ = match.group("info").partition(":")
        return f"{match.group('lead')}{user}:{MASK}@" if colon else f"{match.group('lead')}{MASK}@"

    def encoded(match: re.Match) -> str:
        info = match.group("info")
        split = re.search(rf"{_PCT}3[Aa]|:", info)
        at = match.group(0)[match.end("info") - match.start() :]
        if split:
            return f"{match.group('lead')}{info[: split.end()]}{MASK}{at}"
        return f"{match.group('lead')}{MASK}{at}"

    return _ENCODED_USERINFO.sub(encoded, _USERINFO.sub(raw, text))


# --------------------------------------------------------------------------- second opinion


def _second_opinion(original: str, redacted: str) -> str:
    """Mask any secret another parser finds in the original that the first pass left in."""
    for value in _secret_values(original):
        # A value holding the mask was read from a text masked before (safe_source twice).
        if len(value) < _MIN_HUNTED or MASK in value or not _contains(redacted, value):
            continue
        for form in dict.fromkeys(
            (value, quote(value, safe=""), quote(value), quote(quote(value, safe=""), safe=""))
        ):
            redacted = redacted.replace(form, MASK)
        if _contains(redacted, value):
            return MASK  # cannot cut it out cleanly: show nothing rather than the secret
    return redacted


def _contains(text: str, value: str) -> bool:
    once = unquote(text)
    return value in text or value in once or value in unquote(once)


def _secret_values(text: str) -> list[str]:
    """Secret values as urllib (every URL in the text) and, when importable, QGIS parse them."""
    values: list[str] = []
    urls: list[str] = []
    for variant in dict.fromkeys((text, unquote(text), unquote(unquote(text)))):
        urls += _URL.findall(variant)
    qgis_values, qgis_urls = _qgis_secrets(text)
    values += qgis_values
    for url in urls + qgis_urls:
        values += _url_secret_values(url)
    return [v for v in dict.fromkeys(values) if v]


def _url_secret_values(url: str) -> list[str]:
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return []
    values = [password] if password else []
    if parts.username and password is None:
        values.append(parts.username)  # a token given as the user part
    for section in (parts.query, parts.fragment):
        values += [v for k, v in parse_qsl(section, keep_blank_values=False) if _is_secret(k.strip(), True)]
    return values


def _qgis_secrets(text: str) -> tuple[list[str], list[str]]:
    """(secret values, URLs) as QgsDataSourceUri reads the text: its password and secret
    parameters, escapes and all, and its ``url`` parameters for urllib to look into."""
    try:
        from qgis.core import QgsDataSourceUri
    except ImportError:  # plain Python (the core's own tests): the first pass stands alone
        return [], []
    values, urls = [], []
    readings = [(QgsDataSourceUri(text), False)]
    if not re.search(r"\s", text):  # key=value&key=value (WMS, XYZ): QGIS's "encoded" form
        encoded = QgsDataSourceUri()
        encoded.setEncodedUri(text)
        readings.append((encoded, True))
    for uri, in_url in readings:
        values.append(uri.password())
        # Every parameter with its value (QGIS 3.22 has no parameterKeys()).
        for key, value in parse_qsl(bytes(uri.encodedUri()).decode("utf-8", "replace")):
            if _is_secret(key, in_url):
                values.append(value)
        urls += uri.params("url")
    return values, urls
