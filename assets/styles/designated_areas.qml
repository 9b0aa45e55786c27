<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.28.0-Firenze" styleCategories="Symbology">
  <!-- The designated areas: 一部過疎 parts in the partial colour of the designation style, with a
       dark outline so the rest of the municipality (municipalities layer below) reads as not
       designated; whole designations in the full colour, translucent; fall-backs hatched. -->
  <renderer-v2 type="categorizedSymbol" attr="{{field:measured_on}}" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
      <category value="former_municipalities" symbol="0" label="一部過疎の区域 (designated former municipalities)" render="true"/>
      <category value="whole" symbol="1" label="全域 (whole municipality)" render="true"/>
      <category value="whole_fallback" symbol="2" label="全域で代用 (part not built: whole municipality)" render="true"/>
    </categories>
    <symbols>
      <symbol type="fill" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="252,141,89,200"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="128,40,0,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.4"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
      <symbol type="fill" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="215,48,39,120"/>
          <prop k="style" v="solid"/>
          <prop k="outline_color" v="110,110,110,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.2"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
      <symbol type="fill" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleFill" enabled="1" locked="0" pass="0">
          <prop k="color" v="120,120,120,255"/>
          <prop k="style" v="b_diagonal"/>
          <prop k="outline_color" v="80,80,80,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="joinstyle" v="bevel"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <layerGeometryType>2</layerGeometryType>
</qgis>
