"""What must be spelt differently on QGIS 3.22 … 3.44 (Qt5) and QGIS 4 (Qt6), in one place.

Everything else in the plugin is written once for all of them: fully scoped enums
(``Qt.AlignmentFlag.AlignLeft``, ``QgsWkbTypes.GeometryType.PointGeometry``), which PyQt5 5.15
and QGIS 3.22 accept as well, and ``exec()``. ``tests/test_qt6_ready.py`` keeps it so.

A field's type is the one thing that cannot be spelt once: QGIS 3.38 made ``QgsField`` take a
``QMetaType.Type`` (the ``QVariant.Type`` form became deprecated) and QGIS 4 has only that
form, while QGIS 3.22 … 3.36 accept only ``QVariant.Type``. Make every field with
``qgs_field`` and give it a ``QMetaType.Type``.
"""

from __future__ import annotations

from qgis.core import Qgis, QgsField
from qgis.PyQt.QtCore import QMetaType, QVariant

# QgsField(name, QMetaType.Type) exists from QGIS 3.38 on.
FIELDS_TAKE_QMETATYPE = Qgis.QGIS_VERSION_INT >= 33800


def qgs_field(
    name: str,
    type_: QMetaType.Type,
    *,
    length: int = 0,
    precision: int = 0,
    type_name: str = "",
    comment: str = "",
) -> QgsField:
    """A QgsField of ``type_`` (e.g. ``QMetaType.Type.QString``) on every QGIS version."""
    if FIELDS_TAKE_QMETATYPE:
        return QgsField(name, type_, type_name, length, precision, comment)
    # QGIS < 3.38 (always Qt5): the same number as a QVariant.Type, which shares the values.

    return QgsField(name, QVariant.Type(int(type_)), type_name, length, precision, comment)
