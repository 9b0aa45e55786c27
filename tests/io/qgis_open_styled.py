"""Opens every layer of a hubmap GeoPackage export in headless QGIS (Debian's python3-qgis)
and checks that each gets hubmap's style by default, as it does when a planner adds the
layer in QGIS: loadDefaultStyle reads the layer_styles row with useAsDefault.

    QT_QPA_PLATFORM=offscreen python3 qgis_open_styled.py FILE.gpkg

Prints one line per layer; exits 1 with the reason on the first mismatch. Run by
tests/io/export_test.cpp (ExportNational.OpensStyledInQgis).
"""
import os
import sys

from qgis.core import QgsApplication, QgsVectorLayer
from qgis.PyQt.QtXml import QDomDocument

EXPECTED = {
    # layer: (renderer type, classification attribute or None, a category/range label it must have)
    "municipalities": ("categorizedSymbol", "designation", "全部過疎 (fully depopulated)"),
    "designated_areas": ("categorizedSymbol", "measured_on", "一部過疎の区域 (designated former municipalities)"),
    "hubs": ("categorizedSymbol", "kind", "集落活動センター (community activity centre)"),
    "catchments": ("singleSymbol", None, None),
    "uncovered": ("singleSymbol", None, None),
    "prefecture_summary": ("singleSymbol", None, None),
}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def labels(renderer):
    if renderer.type() == "categorizedSymbol":
        return [c.label() for c in renderer.categories()]
    if renderer.type() == "graduatedSymbol":
        return [r.label() for r in renderer.ranges()]
    return []


def main(path):
    app = QgsApplication([], False)
    app.initQgis()
    for name, (kind, attribute, label) in EXPECTED.items():
        layer = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
        if not layer.isValid():
            fail(f"{name}: QGIS cannot open the layer")
        message, ok = layer.loadDefaultStyle()
        if not ok:
            fail(f"{name}: no default style loaded ({message})")
        renderer = layer.renderer()
        if renderer.type() != kind:
            fail(f"{name}: renderer {renderer.type()}, expected {kind}")
        if attribute and renderer.classAttribute() != attribute:
            fail(f"{name}: classified on {renderer.classAttribute()!r}, expected {attribute!r}")
        if label and label not in labels(renderer):
            fail(f"{name}: no legend entry {label!r} in {labels(renderer)}")
        if kind == "singleSymbol" and name != "prefecture_summary" and renderer.symbol().color().alpha() == 255:
            fail(f"{name}: fill is opaque, expected translucent")
        if layer.crs().authid() != "EPSG:6668":
            fail(f"{name}: CRS {layer.crs().authid()}")
        missing = [f.name() for f in layer.fields() if not f.alias() and f.name() != "fid"]
        if missing:
            fail(f"{name}: fields without an alias: {missing}")
        aliases = sum(1 for f in layer.fields() if f.alias())
        print(f"{name}: {renderer.type()} {renderer.classAttribute() if attribute else ''} "
              f"{len(labels(renderer))} legend entries, {aliases} aliases, {layer.featureCount()} features")
    # Every other stored style of the municipalities imports cleanly as well.
    layer = QgsVectorLayer(f"{path}|layername=municipalities", "municipalities", "ogr")
    count, ids, names, _, _ = layer.listStylesInDatabase()
    for style_id, style_name in list(zip(ids, names))[:count]:
        xml = layer.getStyleFromDatabase(style_id)
        xml = xml[0] if isinstance(xml, tuple) else xml
        document = QDomDocument()
        document.setContent(xml)
        ok, error = layer.importNamedStyle(document)
        if not ok:
            fail(f"municipalities style {style_name!r}: {error}")
        print(f"municipalities style {style_name!r}: {layer.renderer().type()}")
    # Leave without tearing QGIS down: PyQGIS can crash in exitQgis while Python still holds layers.
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1])
