<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>
<qgis version="3.28.0-Firenze" styleCategories="Symbology">
  <!-- Residents outside every catchment: red circles whose area grows with the population
       (diameter 1 mm for one person to 8 mm for 5,000 or more; exponent 0.57 ~ area-true). -->
  <renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="1" forceraster="0">
    <symbols>
      <symbol type="marker" name="0" alpha="0.8" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="circle"/>
          <prop k="color" v="203,24,29,170"/>
          <prop k="outline_color" v="255,255,255,200"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.15"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="2"/>
          <prop k="size_unit" v="MM"/>
          <prop k="scale_method" v="diameter"/>
          <data_defined_properties>
            <Option type="Map">
              <Option type="QString" name="name" value=""/>
              <Option type="Map" name="properties">
                <Option type="Map" name="size">
                  <Option type="bool" name="active" value="true"/>
                  <Option type="QString" name="expression" value="coalesce(scale_exp(&quot;{{field:population}}&quot;, 1, 5000, 1, 8, 0.57), 1)"/>
                  <Option type="int" name="type" value="3"/>
                </Option>
              </Option>
              <Option type="QString" name="type" value="collection"/>
            </Option>
          </data_defined_properties>
        </layer>
      </symbol>
    </symbols>
    <!-- Large circles under small ones. -->
    <orderby>
      <orderByClause asc="0" nullsFirst="0">"{{field:population}}"</orderByClause>
    </orderby>
  </renderer-v2>
  <layerGeometryType>0</layerGeometryType>
</qgis>
