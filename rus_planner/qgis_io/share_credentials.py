"""Credentials kept out of a shared package's project: data sources and layer ids masked,
so a GeoPackage sent to another region carries no password, token or API key."""

from __future__ import annotations

from ..core.redact import has_credentials, safe_source


def keep_credentials_out(project) -> list[str]:
    """Mask credentials in everything the project writes from now on: for a project that is
    passed on (``authcfg=`` ids stay). Returns a list that fills, while the project is written,
    with the names of the layers whose XML carried some.

    Two hooks, because QGIS 3.22 writes the layer tree before ``writeProject`` and each layer
    after it, through ``writeMapLayer``; the layer tree's ``source`` is QGIS's own
    ``publicSource()``, which leaves the end of a password with an escaped quote behind.
    """
    masked: list[str] = []

    def on_project(document) -> None:
        # The layer tree names a layer by QGIS's publicSource(), whose half-removed password has
        # lost its key (nothing left to recognise): such a text is swapped for the masked source.
        swaps = {
            layer.publicSource(): safe_source(layer.source())
            for layer in project.mapLayers().values()
            if has_credentials(layer.source())
        }
        mask_credentials(document.documentElement(), swaps)

    def on_layer(layer, element, _document) -> None:
        if mask_credentials(element):
            masked.append(safe_source(layer.name()))

    project.writeProject.connect(on_project)
    project.writeMapLayer.connect(on_layer)
    return masked


def mask_credentials(root, swaps: dict | None = None) -> bool:
    """Pass every text and attribute below a DOM node through safe_source (a text found in
    ``swaps`` is replaced by its value first); True when any changed."""
    swaps = swaps or {}
    changed = False
    pending = [root]
    while pending:
        node = pending.pop()
        if node.isNull():
            continue
        if node.isText() or node.isCDATASection():
            text = node.toCharacterData()
            safe = safe_source(swaps.get(text.data(), text.data()))
            if safe != text.data():
                text.setData(safe)
                changed = True
            continue
        if node.isElement():
            attributes = node.toElement().attributes()
            for index in range(attributes.count()):
                attribute = attributes.item(index).toAttr()
                safe = safe_source(swaps.get(attribute.value(), attribute.value()))
                if safe != attribute.value():
                    attribute.setValue(safe)
                    changed = True
        child = node.firstChild()
        while not child.isNull():
            pending.append(child)
            child = child.nextSibling()
    return changed
