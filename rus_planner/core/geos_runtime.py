"""Which GEOS shapely's calls really reach, and what that allows.

Pure Python (no QGIS): the reading (qgis_io.layers), the repair (geometry) and the overlay
tiles ask before they use a function that needs a newer GEOS.
"""

from __future__ import annotations

import ctypes
import functools
import re


@functools.lru_cache(maxsize=1)
def runtime_geos_version() -> tuple[int, ...]:
    """The GEOS that shapely's calls really reach.

    Inside QGIS (the desktop, qgis_process) the system GEOS that QGIS links is found first,
    so shapely runs on it, while ``shapely.geos_version`` still names shapely's bundled
    copy (3.14 against 3.11 on Debian 12): a function newer than the system GEOS then
    mixes the two libraries and returns garbage or fails at random.
    """

    import shapely

    try:
        function = ctypes.CDLL(None).GEOSversion
    except (AttributeError, OSError):  # no GEOS in the global scope: shapely uses its own
        return tuple(shapely.geos_version)
    function.restype = ctypes.c_char_p
    match = re.match(rb"(\d+)\.(\d+)\.(\d+)", function() or b"")
    return tuple(int(part) for part in match.groups()) if match else tuple(shapely.geos_version)


@functools.cache
def has_xy_predicates() -> bool:
    """Whether shapely's ``*_xy`` predicates (points given as coordinates) are safe here: they
    need GEOS 3.12 where shapely's calls really go (``runtime_geos_version``)."""

    return runtime_geos_version() >= (3, 12, 0)
