<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.28.0-Firenze" styleCategories="Symbology">
  <!-- The attribute is an expression so that it works whether the reader sees the field as boolean or 0/1. -->
  <renderer-v2 type="categorizedSymbol" attr="if(&quot;{{field:covered}}&quot; IS NULL, '', if(&quot;{{field:covered}}&quot;, 'yes', 'no'))" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
      <category value="yes" symbol="0" label="拠点あり (a hub inside)" render="true"/>
      <category value="no" symbol="1" label="拠点なし (no hub inside)" render="true"/>
      <category value="" symbol="2" label="対象外 (not designated or not in the query)" render="true"/>
    </categories>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="49,163,84,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="110,110,110,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.1"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="222,45,38,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="110,110,110,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.1"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="242,242,242,255"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="160,160,160,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.1"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <layerGeometryType>2</layerGeometryType>
</qgis>
