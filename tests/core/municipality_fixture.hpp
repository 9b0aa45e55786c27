#pragma once
// A hand-made set of municipalities for the "which municipality holds this point" rule
// (core/municipality_index.hpp), with the points whose answers are known. Shared by the
// index's own tests and the test that coverage, the geocoder and the viewer agree.

#include <optional>
#include <string>
#include <vector>

#include "core/geos.hpp"
#include "core/model.hpp"

namespace hubmap::test {

/// 90001 and 90002 share the meridian 141°E; 90003 touches nothing; 90005 and 90006
/// overlap in a 0.01° sliver (as neighbouring prefectures' simplified boundaries do).
/// Rectangles with a vertex every 0.1°, so the shared edges are exactly the same lines.
inline std::string rectangleWkt(double lon0, double lat0, double lon1, double lat1) {
    std::string wkt = "MULTIPOLYGON(((";
    auto add = [&](double x, double y) { wkt += std::to_string(x) + " " + std::to_string(y) + ","; };
    for (int i = 0; i < 10; ++i) add(lon0 + (lon1 - lon0) * i / 10, lat0);
    for (int i = 0; i < 10; ++i) add(lon1, lat0 + (lat1 - lat0) * i / 10);
    for (int i = 0; i < 10; ++i) add(lon1 - (lon1 - lon0) * i / 10, lat1);
    for (int i = 0; i < 10; ++i) add(lon0, lat1 - (lat1 - lat0) * i / 10);
    wkt += std::to_string(lon0) + " " + std::to_string(lat0) + ")))";
    return wkt;
}

struct BoundaryCase {
    std::string name;
    double lon, lat;
    std::string stated;    ///< the point's own code ("" for none)
    std::string expected;  ///< the municipality the rule gives ("" for none)
    bool ambiguous;
    bool onBoundary;
};

/// Municipalities in code order (as Dataset requires), each designated 全部過疎 so that
/// coverage reports them.
inline Dataset boundaryDataset() {
    Dataset data;
    auto add = [&](const std::string& code, const std::string& name, const std::string& wkt) {
        Municipality m;
        m.code = code;
        m.prefectureCode = 2;
        m.prefecture = "青森県";
        m.name = name;
        m.geom = geomFromWKT(*data.ctx, wkt);
        m.areaKm2 = 1;
        data.municipalities.push_back(std::move(m));
        Designation d;
        d.code = code;
        d.prefecture = "青森県";
        d.name = name;
        d.type = DesignationType::Full;
        data.designations.push_back(std::move(d));
    };
    add("90001", "東村", rectangleWkt(140.0, 40.0, 141.0, 40.8));
    add("90002", "西町", rectangleWkt(141.0, 40.0, 142.0, 40.8));
    add("90003", "離島村", rectangleWkt(139.0, 38.0, 139.2, 38.2));
    add("90005", "左村", rectangleWkt(126.0, 26.0, 126.2, 26.2));
    add("90006", "右村", rectangleWkt(126.19, 26.0, 126.4, 26.2));
    Prefecture p;
    p.code = 2;
    p.name = "青森県";
    data.prefectures.push_back(std::move(p));
    return data;
}

/// The points and what the rule says of each.
inline std::vector<BoundaryCase> boundaryCases() {
    return {
        {"inside", 140.5, 40.4, "", "90001", false, false},
        {"inside, another code stated", 140.5, 40.4, "90002", "90001", false, false},
        {"shared boundary, no code", 141.0, 40.4, "", "90001", true, true},
        {"shared boundary, the higher code stated", 141.0, 40.4, "90002", "90002", true, true},
        {"shared boundary, a third code stated", 141.0, 40.4, "90003", "90001", true, true},
        {"shared boundary at a shared vertex", 141.0, 40.0, "", "90001", true, true},
        {"outer boundary of one", 140.5, 40.8, "", "90001", false, true},
        {"overlap, no code", 126.195, 26.1, "", "90005", true, false},
        {"overlap, the higher code stated", 126.195, 26.1, "90006", "90006", true, false},
        {"next to the overlap", 126.3, 26.1, "90005", "90006", false, false},
        {"at sea", 150.0, 40.0, "", "", false, false},
        {"at sea, a code stated", 150.0, 40.0, "90001", "", false, false},
    };
}

}  // namespace hubmap::test
