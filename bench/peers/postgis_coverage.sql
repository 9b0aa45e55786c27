-- hubmap's national coverage query, in PostGIS with the geography type (peer benchmark).
--
-- Expects the tables loaded and prepared by postgis_coverage.sh:
--   dm(code, geom geometry(MultiPolygon), geog geography)  designated municipalities, GiST-indexed
--   hubs(id, kind, geom geometry(Point))                   every hub of the hubmap database
-- psql variables: disk_radius_m (buffer distance in metres, see below), kinds (comma-separated
-- hub kinds), quad_segs (segments per quarter circle of each disk).
--
-- Per designated municipality:
--   area_km2    its area on the spheroid;
--   hubs        hubs whose point lies inside the polygon. Tested on the geometry type (lon/lat
--               plane), because the boundary edges are straight lines in lon/lat — as in GEOS and
--               hubmap; the geography type would read them as great-circle arcs.
--   covered_km2 area(municipality ∩ union of the R-km disks of every hub within R km of it,
--               across the border too), measured on the spheroid (ST_Area(geography)).
-- ST_Buffer(geography) draws each disk in a best-fit planar projection (UTM for a point), whose
-- scale error is under 0.1%, as a 4·quad_segs-gon. postgis_coverage.sh scales the radius R by
-- sqrt(2π / (n sin(2π/n))) (n = 4·quad_segs: 1.0008 for n = 64) so that the polygon has the
-- disk's area rather than 0.16% less — as hubmap draws its disks.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP TABLE IF EXISTS selected_hub;
DROP TABLE IF EXISTS coverage_result;

-- Every selected hub once: its point, and its geodesic-radius disk as lon/lat geometry.
CREATE TABLE selected_hub AS
SELECT h.geom,
       h.geom::geography AS geog,
       -- (the buffer comes back in EPSG:4326: label it with the data's SRID, as WGS84 and JGD2011 agree)
       ST_SetSRID(ST_Buffer(h.geom::geography, :disk_radius_m, 'quad_segs=' || :quad_segs)::geometry,
                  ST_SRID(h.geom)) AS disk
FROM hubs h
WHERE h.geom IS NOT NULL AND h.kind = ANY (string_to_array(:'kinds', ','));
CREATE INDEX selected_hub_geom ON selected_hub USING gist (geom);
CREATE INDEX selected_hub_geog ON selected_hub USING gist (geog);
ANALYZE selected_hub;

CREATE TABLE coverage_result AS
SELECT m.code,
       ST_Area(m.geog) / 1e6 AS area_km2,
       (SELECT count(*) FROM selected_hub h WHERE ST_Contains(m.geom, h.geom)) AS hubs,
       coalesce(ST_Area(ST_Intersection(m.geom,
                                        (SELECT ST_Union(h.disk) FROM selected_hub h
                                         WHERE ST_DWithin(m.geog, h.geog, :disk_radius_m)))::geography) / 1e6,
                0) AS covered_km2
FROM dm m;
