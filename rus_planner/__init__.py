"""RUS Planner: spatial analysis for Swedish regional development strategies."""

try:  # inside QGIS: the core's texts translated through Qt's catalogues like the rest
    from . import i18n  # noqa: F401
except ImportError:  # plain Python without QGIS: the pure core alone, in English
    pass
