"""What to call a layer: its own name, or the sub-layer named in its source.

Headless (qgis_process, the modeller) a layer given as "x.gpkg|layername=rus_noder" is
named after the file ("x"), so every layer of one GeoPackage would share a name. The
sub-layer in the source ("rus_noder") is what the user means; profiles match on both.
"""

from __future__ import annotations

import re
from pathlib import PurePath

from .redact import has_credentials, safe_source

_PATTERNS = (
    re.compile(r"\|layername=([^|]+)", re.IGNORECASE),  # OGR: file.gpkg|layername=x
    re.compile(r"""\btable=(?:"[^"]*"\.)?"([^"]+)\"""", re.IGNORECASE),  # PostGIS: table="s"."x"
    re.compile(r"""\btable=(?:[\w]+\.)?([\w]+)""", re.IGNORECASE),  # PostGIS unquoted
    re.compile(r"""\btypename=['"]?(?:[\w-]+:)?([^'"\s&]+)""", re.IGNORECASE),  # WFS: typename='ns:x'
)


def source_layer_name(source: str) -> str | None:
    """The sub-layer / table / feature type named in a data source, if any."""
    for pattern in _PATTERNS:
        match = pattern.search(source or "")
        if match:
            return match.group(1).strip()
    return None


def display_name(name: str, source: str, *, table: str = "", stem: str = "") -> str:
    """The layer's name, unless it is only the file's name and the source names a sub-layer.

    ``table`` and ``stem`` are the table and the file stem of the source as its provider
    decodes it (``share.display_name`` passes them): a layer named after the stem is then
    named after the table.

    Never a name that carries a credential: QGIS 3.44's Processing names a layer it loads
    from a source string after the whole string, password and API key included, and a
    layer's name reaches findings, reports and messages.
    """
    if table and name == stem:
        return table
    sub = source_layer_name(source)
    if name and (name == source or has_credentials(name)):
        return sub or safe_source(name)
    if not sub:
        return name
    file_part = (source or "").split("|")[0]
    stem = PurePath(file_part).stem if file_part else ""
    if not name or name == stem:
        return sub
    return name


def candidate_names(name: str, source: str) -> list[str]:
    """Every name a profile pattern may match for this layer (its name, then the sub-layer)."""
    names = [name] if name else []
    sub = source_layer_name(source)
    if sub and sub not in names:
        names.append(sub)
    return names


def source_names(name: str, table: str = "", stem: str = "") -> tuple[str, ...]:
    """The names a layer goes by: its own, the sub-layer (table) and the file it comes from.

    qgis_process names a GeoPackage layer after the file, QGIS desktop after the table;
    findings made in one and used in the other name the same layer differently.
    """
    return tuple(dict.fromkeys(n for n in (name, table, stem) if n))


def element_labels(names: list[str]) -> list[str]:
    """Each element layer's name in the element ids ("layer:fid"): two layers of one name (files
    in different folders) get "name (2)" so that every id stays unique."""
    seen: dict[str, int] = {}
    labels = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        labels.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return labels
