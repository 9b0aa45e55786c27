#include "core/geodesic.hpp"

#include <cmath>
#include <vector>

#include "core/error.hpp"

namespace hubmap {

namespace {
constexpr double kGrs80A = 6378137.0;
constexpr double kGrs80F = 1.0 / 298.257222101;
}  // namespace

Geodesic::Geodesic() { geod_init(&geod_, kGrs80A, kGrs80F); }

double Geodesic::ringAreaM2(const GeosContext& ctx, const GEOSGeometry* ring) const {
    const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(ctx, ring);
    unsigned int n = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(ctx, seq, &n)) throw Error("GEOS: cannot read ring coordinates");
    if (n < 4) return 0.0;
    std::vector<double> xy(2 * static_cast<size_t>(n));
    GEOSCoordSeq_copyToBuffer_r(ctx, seq, xy.data(), 0, 0);
    std::vector<double> lats(n - 1), lons(n - 1);  // geod_polygonarea closes the ring itself
    for (unsigned int i = 0; i + 1 < n; ++i) {
        lons[i] = xy[2 * i];
        lats[i] = xy[2 * i + 1];
    }
    double area = 0, perimeter = 0;
    geod_polygonarea(&geod_, lats.data(), lons.data(), static_cast<int>(n - 1), &area, &perimeter);
    return std::fabs(area);
}

double Geodesic::areaKm2(const GeosContext& ctx, const GEOSGeometry* g) const {
    const int type = GEOSGeomTypeId_r(ctx, g);
    if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        double sum = 0;
        const int n = GEOSGetNumGeometries_r(ctx, g);
        for (int i = 0; i < n; ++i) sum += areaKm2(ctx, GEOSGetGeometryN_r(ctx, g, i));
        return sum;
    }
    if (type != GEOS_POLYGON) return 0.0;
    if (GEOSisEmpty_r(ctx, g) == 1) return 0.0;
    double m2 = ringAreaM2(ctx, GEOSGetExteriorRing_r(ctx, g));
    const int holes = GEOSGetNumInteriorRings_r(ctx, g);
    for (int i = 0; i < holes; ++i) m2 -= ringAreaM2(ctx, GEOSGetInteriorRingN_r(ctx, g, i));
    return m2 / 1e6;
}

double Geodesic::distanceKm(double lon1, double lat1, double lon2, double lat2) const {
    double s12 = 0, azi1 = 0, azi2 = 0;
    geod_inverse(&geod_, lat1, lon1, lat2, lon2, &s12, &azi1, &azi2);
    return s12 / 1000.0;
}

void Geodesic::direct(double lon, double lat, double azimuthDeg, double distanceKm, double& lonOut,
                      double& latOut) const {
    double azi2 = 0;
    geod_direct(&geod_, lat, lon, azimuthDeg, distanceKm * 1000.0, &latOut, &lonOut, &azi2);
}

}  // namespace hubmap
