<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.28.0-Firenze" styleCategories="Symbology">
  <renderer-v2 type="categorizedSymbol" attr="{{field:kind}}" symbollevels="0" enableorderby="0" forceraster="0">
    <!-- One category and symbol per kind of the export (report/styles.cpp hubKindSymbols). -->
    <categories>
{{kind_categories}}
    </categories>
    <symbols>
{{kind_symbols}}
    </symbols>
  </renderer-v2>
  <layerGeometryType>0</layerGeometryType>
</qgis>
