#pragma once
// Hand-made datasets for the coverage tests: square municipalities far from anything,
// hubs placed where the answer is known, and geodesic references.

#include <geodesic.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/geodesic.hpp"
#include "core/geos.hpp"
#include "core/model.hpp"

namespace hubmap::test {

/// A lon/lat box as a polygon densified every 0.01° so that its edges are short and the
/// edge interpretation (straight in degrees, geodesic or projected) does not matter.
inline std::string boxWkt(double lon0, double lat0, double lon1, double lat1) {
    std::string wkt = "MULTIPOLYGON(((";
    auto add = [&](double x, double y) { wkt += std::to_string(x) + " " + std::to_string(y) + ","; };
    const int nx = static_cast<int>(std::ceil((lon1 - lon0) / 0.01)),
              ny = static_cast<int>(std::ceil((lat1 - lat0) / 0.01));
    for (int i = 0; i < nx; ++i) add(lon0 + (lon1 - lon0) * i / nx, lat0);
    for (int i = 0; i < ny; ++i) add(lon1, lat0 + (lat1 - lat0) * i / ny);
    for (int i = 0; i < nx; ++i) add(lon1 - (lon1 - lon0) * i / nx, lat1);
    for (int i = 0; i < ny; ++i) add(lon0, lat1 - (lat1 - lat0) * i / ny);
    wkt += std::to_string(lon0) + " " + std::to_string(lat0) + ")))";
    return wkt;
}

/// Builds a Dataset in memory. Call the adders in code order.
class DatasetBuilder {
public:
    DatasetBuilder& prefecture(int code, const std::string& name) {
        Prefecture p;
        p.code = code;
        p.name = name;
        data_.prefectures.push_back(std::move(p));
        return *this;
    }

    /// A municipality from WKT; designated when `type` is not None.
    DatasetBuilder& municipality(const std::string& code, int prefectureCode, const std::string& prefecture,
                                 const std::string& name, const std::string& wkt,
                                 DesignationType type = DesignationType::None, std::vector<std::string> former = {},
                                 bool incomplete = false) {
        Municipality m;
        m.code = code;
        m.prefectureCode = prefectureCode;
        m.prefecture = prefecture;
        m.name = name;
        m.geom = geomFromWKT(*data_.ctx, wkt);
        m.areaKm2 = geodesic_.areaKm2(*data_.ctx, m.geom.get());
        data_.municipalities.push_back(std::move(m));
        if (type != DesignationType::None) {
            Designation d;
            d.code = code;
            d.prefecture = prefecture;
            d.name = name;
            d.type = type;
            d.formerMunicipalities = std::move(former);
            d.incomplete = incomplete;
            data_.designations.push_back(std::move(d));
        }
        return *this;
    }

    DatasetBuilder& hub(const std::string& id, const std::string& kind, std::optional<double> lon,
                        std::optional<double> lat, const std::string& code = "", const std::string& opened = "",
                        const std::string& prefecture = "") {
        Hub h;
        h.id = id;
        h.kind = kind;
        h.name = id;
        h.lon = lon;
        h.lat = lat;
        h.code = code;
        h.editDetails().opened = opened;
        h.prefecture = prefecture;
        h.precision = lon ? "exact" : "prefecture";
        data_.hubs.push_back(std::move(h));
        return *this;
    }

    /// The designated part of a 一部過疎 municipality from WKT (add in code order).
    DatasetBuilder& designatedPart(const std::string& code, const std::string& wkt,
                                   MeasuredOn measuredOn = MeasuredOn::FormerMunicipalities) {
        DesignatedPart p;
        p.code = code;
        p.geom = geomFromWKT(*data_.ctx, wkt);
        p.areaKm2 = geodesic_.areaKm2(*data_.ctx, p.geom.get());
        p.formerAreaKm2 = p.areaKm2;
        p.measuredOn = measuredOn;
        data_.designatedParts.push_back(std::move(p));
        return *this;
    }

    /// A gazetteer point of municipality `code` (add in code order).
    DatasetBuilder& settlement(const std::string& code, double lon, double lat) {
        data_.settlements.push_back(Settlement{code, lon, lat, "town"});
        return *this;
    }

    /// A population point of municipality `code` (add in code, then name order).
    DatasetBuilder& population(const std::string& code, double lon, double lat, long long people,
                               const std::string& name = "area",
                               PopulationMethod method = PopulationMethod::CensusSmallAreas2015) {
        data_.population.push_back(PopulationPoint{code, name, people, method, lon, lat});
        return *this;
    }

    Dataset build() { return std::move(data_); }

private:
    Dataset data_;
    Geodesic geodesic_;
};

/// The area of the geodesic disk of radius `radiusKm` around a point, km²: the geodesic
/// polygon through 10,000 `direct` points of its circle (an inscribed polygon falls short by
/// about 2π²/3n², 7e-8 here: far below the tests' tolerances, 1e-5 at the tightest).
inline double geodesicDiskAreaKm2(double lon, double lat, double radiusKm) {
    Geodesic g;
    constexpr int n = 10000;
    std::vector<double> lats(n), lons(n);
    for (int i = 0; i < n; ++i) g.direct(lon, lat, 360.0 * i / n, radiusKm, lons[i], lats[i]);
    double area = 0, perimeter = 0;
    geod_polygonarea(&g.geod(), lats.data(), lons.data(), n, &area, &perimeter);
    return std::fabs(area) / 1e6;
}

}  // namespace hubmap::test
