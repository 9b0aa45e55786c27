<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.28.0-Firenze" styleCategories="Symbology">
  <renderer-v2 type="categorizedSymbol" attr="{{field:kind}}" symbollevels="0" enableorderby="0" forceraster="0">
    <categories>
      <category value="small_hub" symbol="0" label="小さな拠点 (small hub)" render="true"/>
      <category value="rmo" symbol="1" label="地域運営組織 (regional management organisation)" render="true"/>
      <category value="activity_centre" symbol="2" label="集落活動センター (community activity centre)" render="true"/>
      <category value="model_project" symbol="3" label="関係人口モデル事業 (relationship-population model project)" render="true"/>
      <category value="" symbol="4" label="その他の種別 (other kinds)" render="true"/>
    </categories>
    <symbols>
      <symbol type="marker" name="0" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="31,120,180,255"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="2.6"/>
          <prop k="size_unit" v="MM"/>
          <prop k="angle" v="0"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="scale_method" v="diameter"/>
        </layer>
      </symbol>
      <symbol type="marker" name="1" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="square"/>
          <prop k="color" v="51,160,44,255"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="2.6"/>
          <prop k="size_unit" v="MM"/>
          <prop k="angle" v="0"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="scale_method" v="diameter"/>
        </layer>
      </symbol>
      <symbol type="marker" name="2" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="triangle"/>
          <prop k="color" v="227,26,28,255"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="2.6"/>
          <prop k="size_unit" v="MM"/>
          <prop k="angle" v="0"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="scale_method" v="diameter"/>
        </layer>
      </symbol>
      <symbol type="marker" name="3" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="diamond"/>
          <prop k="color" v="106,61,154,255"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="2.6"/>
          <prop k="size_unit" v="MM"/>
          <prop k="angle" v="0"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="scale_method" v="diameter"/>
        </layer>
      </symbol>
      <symbol type="marker" name="4" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="130,130,130,255"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="2"/>
          <prop k="size_unit" v="MM"/>
          <prop k="angle" v="0"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="scale_method" v="diameter"/>
        </layer>
      </symbol>
    </symbols>
  </renderer-v2>
  <layerGeometryType>0</layerGeometryType>
</qgis>
