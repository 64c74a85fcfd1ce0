"""Which encoding a shapefile's texts are in: the one it states, else QGIS's, else a better guess
where QGIS's would garble them (a Latin-1 file read as UTF-8).
"""

from __future__ import annotations

import codecs
import locale

from osgeo import gdal, ogr
from qgis.core import QgsProviderRegistry, QgsSettings

# numpy is imported in the function that uses it: QGIS loads this module when it starts the
# plugin, and the plugin must start, and name what is missing, without it
# (dependencies.py, tests/test_plugin.py).


def text_encoding(source, wanted) -> tuple[str, str, object]:
    """(the Python codec for the source's texts, the encoding guessed or "", the source to read).

    A GeoPackage is UTF-8. A shapefile states its encoding in a .cpg file or in its .dbf
    header, and QGIS's provider then decodes with it; where it states none, QGIS decodes with
    the layer's own encoding setting (UTF-8 unless the user chose another). If the texts are
    not valid in that encoding (a Latin-1 file from an older Windows program read as UTF-8
    gives “�lg�n” for “Älgön”), QGIS's default encoding setting (Settings › Options ›
    Data Sources) is used, else Windows-1252, the Swedish Windows encoding (which Latin-1's
    letters are part of), and a copy of the layer set to it is read: the user's layer stays
    as it was and the log says which encoding was assumed.
    """
    path = _shapefile_path(source) if wanted else None
    if path is None:
        return "utf-8", "", source
    stated = _python_codec(source.dataProvider().encoding())
    declared, samples = _dbf_encoding_and_texts(path, wanted)
    if declared or stated is None or all(_decodes(text, stated) for text in samples):
        return stated or "utf-8", "", source
    fallback = _qgis_default_encoding() or "windows-1252"
    if stated == _python_codec(fallback) or not all(
        _decodes(text, _python_codec(fallback)) for text in samples
    ):
        return stated, "", source  # nothing better to offer
    copy = source.clone()
    copy.setProviderEncoding(fallback)
    return _python_codec(fallback), fallback, copy


def _shapefile_path(source) -> str | None:
    """The .shp behind an OGR layer (not a panel snapshot: it has no provider), else None."""
    if not hasattr(source, "dataProvider") or source.providerType() != "ogr":
        return None
    if source.dataProvider() is None:
        return None

    path = QgsProviderRegistry.instance().decodeUri("ogr", source.source()).get("path") or ""
    return path if path.lower().endswith((".shp", ".dbf")) else None


def _dbf_encoding_and_texts(path: str, wanted) -> tuple[str, list[bytes]]:
    """The encoding a shapefile states (.cpg or .dbf header; "" for none) and, where it states
    none, the raw bytes of its non-ASCII texts in the wanted fields."""
    import numpy as np

    dataset = gdal.OpenEx(path, gdal.OF_VECTOR | gdal.OF_READONLY, open_options=["ENCODING="])
    layer = dataset.GetLayer(0) if dataset is not None else None
    if layer is None:
        return "", []
    declared = layer.GetMetadataItem("ENCODING_FROM_CPG", "SHAPEFILE") or layer.GetMetadataItem(
        "ENCODING_FROM_LDID", "SHAPEFILE"
    )
    if declared:
        return declared, []
    definition = layer.GetLayerDefn()
    texts = [
        definition.GetFieldDefn(i).GetName()
        for i in range(definition.GetFieldCount())
        if definition.GetFieldDefn(i).GetType() == ogr.OFTString
        and definition.GetFieldDefn(i).GetName() in wanted
    ]
    if not texts or not hasattr(layer, "GetArrowStreamAsNumPy"):
        return "", []
    layer.SetIgnoredFields(
        [
            definition.GetFieldDefn(i).GetName()
            for i in range(definition.GetFieldCount())
            if definition.GetFieldDefn(i).GetName() not in texts
        ]
        + ["OGR_GEOMETRY"]
    )
    samples: set[bytes] = set()
    for batch in layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO"]):
        for name in texts:
            column = np.asarray(batch[name])
            if column.dtype.kind == "S":
                samples.update(v for v in column.tolist() if not v.isascii())
            else:
                samples.update(v for v in column.tolist() if isinstance(v, bytes) and not v.isascii())
    return "", list(samples)


def _decodes(text: bytes, codec: str) -> bool:
    try:
        text.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _python_codec(name: str | None) -> str | None:
    """Python's name for an encoding QGIS names ("System": the system's), or None."""

    if not name:
        return None
    if name.lower() == "system":
        name = locale.getpreferredencoding(False)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _qgis_default_encoding() -> str | None:
    """The encoding set in QGIS's options for files that state none; None when it is the system's."""

    name = QgsSettings().value("UI/encoding", "") or ""
    return name if _python_codec(name) and name.lower() != "system" else None
