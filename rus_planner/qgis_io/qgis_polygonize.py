"""Polygonize noded lines with QGIS's GEOS, which lets Python's other threads run meanwhile.

shapely's ``polygonize`` holds Python's lock (the GIL) for as long as GEOS works, 10–30 ms a
tile on dense layers; the overlay's writer, which hands the lock over at every feature,
then waits behind it. QGIS releases the lock in its calls, so the same GEOS polygonizer run
through ``QgsGeometry.polygonize`` costs the other threads nothing. The faces are the same
(compared ring by ring on the bench layouts); should QGIS fail, shapely's answer is used.
"""

from __future__ import annotations

import threading

from qgis.core import QgsGeometry

# One polygonize through QGIS at a time: QGIS before 3.34 shares one GEOS context between
# threads. shapely's polygonize ran one at a time anyway (it held Python's lock).
_ONE_AT_A_TIME = threading.Lock()


def polygonize_outside_gil(noded):
    """The faces the noded lines (one shapely geometry) enclose, as a shapely array."""

    import shapely

    from ..core.overlay_tiles import polygonize_lines

    lines = QgsGeometry()
    lines.fromWkb(shapely.to_wkb(noded, output_dimension=2))
    with _ONE_AT_A_TIME:
        faces = QgsGeometry.polygonize([lines])
    if faces.isNull():  # GEOS refused: shapely's answer, with its error if it fails too
        return polygonize_lines(noded)
    return shapely.get_parts(shapely.from_wkb(bytes(faces.asWkb())))
