#pragma once
// Geodesic measurements on the GRS80 ellipsoid (JGD2011), through PROJ's
// GeographicLib port (geodesic.h). Coordinates are lon/lat degrees.

#include <geodesic.h>

#include "core/geos.hpp"

namespace hubmap {

/// The GRS80 ellipsoid of JGD2011 (EPSG:6668). WGS84 differs by < 0.1 mm in these measures.
class Geodesic {
public:
    Geodesic();
    /// Area of a (Multi)Polygon in km², holes subtracted.
    double areaKm2(const GeosContext& ctx, const GEOSGeometry* polygonal) const;
    /// Geodesic distance between two lon/lat points, in km.
    double distanceKm(double lon1, double lat1, double lon2, double lat2) const;
    /// The point reached from (lon, lat) along azimuth (degrees from north) after distanceKm.
    void direct(double lon, double lat, double azimuthDeg, double distanceKm, double& lonOut, double& latOut) const;
    const geod_geodesic& geod() const { return geod_; }

private:
    double ringAreaM2(const GeosContext& ctx, const GEOSGeometry* ring) const;
    geod_geodesic geod_;
};

}  // namespace hubmap
