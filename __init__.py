"""RUS Planner — QGIS plugin entry point (QGIS calls classFactory)."""


def classFactory(iface):  # noqa: N802 (QGIS's name)
    """Create the plugin; heavy imports wait until QGIS needs them."""
    from .rus_planner.plugin import RusPlannerPlugin

    return RusPlannerPlugin(iface)
