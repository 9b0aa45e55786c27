#include "io/population.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <set>

#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/names.hpp"
#include "core/parallel.hpp"
#include "io/gdal.hpp"

namespace fs = std::filesystem;

namespace hubmap {

namespace {

/// Census codes of 2015 that changed since (the small areas keep their 2015 code).
constexpr std::pair<const char*, const char*> kRenamedCodes[] = {
    {"04423", "04216"},  // 宮城県富谷町 -> 富谷市 (2016-10-10)
    {"40305", "40231"},  // 福岡県那珂川町 -> 那珂川市 (2018-10-01)
};

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// A count: a non-negative integer, nothing else.
bool parseCount(const char* text, long long& value) {
    const char* end = text + std::char_traits<char>::length(text);
    auto [ptr, ec] = std::from_chars(text, end, value);
    return text != end && ec == std::errc() && ptr == end && value >= 0;
}

bool parseCoordinate(const char* text, double& value) {
    char* end = nullptr;
    value = std::strtod(text, &end);
    return end != text && *end == '\0' && std::isfinite(value);
}

/// The column indices of `names` in a CSV layer; throws naming the first one missing.
std::vector<int> requireColumns(OGRLayer& layer, const std::string& file, const std::vector<const char*>& names) {
    std::vector<int> out;
    for (const char* name : names) {
        const int i = layer.GetLayerDefn()->GetFieldIndex(name);
        if (i < 0) throw Error(ErrorContext{file, {}, -1, -1}, fmt::format("missing required column '{}'", name));
        out.push_back(i);
    }
    return out;
}

std::vector<SmallAreaRow> readSmallAreas(const std::string& file) {
    GdalDatasetPtr ds = openVector(file, {"HEADERS=YES", "AUTODETECT_TYPE=NO"}, {"CSV"});
    OGRLayer* layer = ds->GetLayer(0);
    if (!layer) throw Error(ErrorContext{file, {}, -1, -1}, "has no layer");
    const std::vector<int> col =
        requireColumns(*layer, file, {"key_code", "municipality_code_2015", "name", "population", "lon", "lat"});
    std::vector<SmallAreaRow> out;
    out.reserve(200000);
    long long row = 0;
    layer->ResetReading();
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        ++row;
        const ErrorContext where{file, {}, -1, row};
        SmallAreaRow r;
        r.row = row;
        r.keyCode = f->GetFieldAsString(col[0]);
        r.code2015 = f->GetFieldAsString(col[1]);
        r.name = f->GetFieldAsString(col[2]);
        const char* population = f->GetFieldAsString(col[3]);
        if (!parseCount(population, r.population)) {
            throw Error(where, fmt::format("population '{}' is not a count (a whole number, 0 or more)", population));
        }
        const char* lon = f->GetFieldAsString(col[4]);
        const char* lat = f->GetFieldAsString(col[5]);
        if (!parseCoordinate(lon, r.lon) || !parseCoordinate(lat, r.lat) || r.lat < 20 || r.lat > 46 || r.lon < 122 ||
            r.lon > 154) {
            throw Error(where, fmt::format("point lon='{}' lat='{}' is not in Japan", lon, lat));
        }
        if (r.code2015.size() != 5 || !std::all_of(r.code2015.begin(), r.code2015.end(), isDigit)) {
            throw Error(where, fmt::format("municipality_code_2015 '{}' is not a 5-digit code", r.code2015));
        }
        out.push_back(std::move(r));
    }
    if (out.empty()) throw Error(ErrorContext{file, {}, -1, -1}, "contains no small areas");
    return out;
}

std::vector<RegisterRow> readRegister(const std::string& file) {
    GdalDatasetPtr ds = openVector(file, {"HEADERS=YES", "AUTODETECT_TYPE=NO"}, {"CSV"});
    OGRLayer* layer = ds->GetLayer(0);
    if (!layer) throw Error(ErrorContext{file, {}, -1, -1}, "has no layer");
    const std::vector<int> col =
        requireColumns(*layer, file, {"dantai_code", "prefecture", "municipality", "population"});
    std::vector<RegisterRow> out;
    long long row = 0;
    layer->ResetReading();
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        ++row;
        const ErrorContext where{file, {}, -1, row};
        RegisterRow r;
        r.row = row;
        const std::string dantai = f->GetFieldAsString(col[0]);
        if (dantai.size() != 6 || !std::all_of(dantai.begin(), dantai.end(), isDigit)) {
            throw Error(where, fmt::format("dantai_code '{}' is not a 6-digit code", dantai));
        }
        r.code = dantai.substr(0, 5);
        r.prefecture = f->GetFieldAsString(col[1]);
        r.municipality = f->GetFieldAsString(col[2]);
        const char* population = f->GetFieldAsString(col[3]);
        if (!parseCount(population, r.population)) {
            throw Error(where, fmt::format("population '{}' is not a count (a whole number, 0 or more)", population));
        }
        out.push_back(std::move(r));
    }
    if (out.empty()) throw Error(ErrorContext{file, {}, -1, -1}, "contains no rows");
    return out;
}

/// Moves every point outside its municipality's polygon onto the polygon's nearest point.
/// `byMunicipality[i]` lists the records of municipalities[i].
void snapToMunicipalities(std::vector<PopulationRecord>& records, const std::vector<Municipality>& municipalities,
                          const std::vector<std::vector<size_t>>& byMunicipality, int threads,
                          PopulationSummary& summary) {
    WorkQueue queue(municipalities.size());
    const int workers = workerCount(threads, municipalities.size());
    std::vector<double> maxKm(static_cast<size_t>(std::max(workers, 1)), 0.0);
    runWorkers(workers, queue, [&](int worker) {
        GeosContext ctx;
        const Geodesic geodesic;
        size_t i = 0;
        while (queue.next(i)) {
            if (byMunicipality[i].empty()) continue;
            const GeomPtr polygon = clone(ctx, municipalities[i].geom.get());
            const PreparedPtr prepared = prepare(ctx, polygon.get());
            for (size_t r : byMunicipality[i]) {
                PopulationPoint& p = records[r].point;
                const GeomPtr point = makePoint(ctx, p.lon, p.lat);
                const char in = GEOSPreparedIntersects_r(ctx, prepared.get(), point.get());
                if (in == 2) throw Error("GEOS point-in-polygon test failed: " + ctx.lastError());
                if (in == 1) continue;
                GEOSCoordSequence* nearest = GEOSNearestPoints_r(ctx, polygon.get(), point.get());
                if (!nearest) throw Error("GEOS nearest points failed: " + ctx.lastError());
                double x = 0, y = 0;
                GEOSCoordSeq_getXY_r(ctx, nearest, 0, &x, &y);
                GEOSCoordSeq_destroy_r(ctx, nearest);
                maxKm[static_cast<size_t>(worker)] =
                    std::max(maxKm[static_cast<size_t>(worker)], geodesic.distanceKm(p.lon, p.lat, x, y));
                p.lon = x;
                p.lat = y;
                records[r].snapped = true;
            }
        }
    });
    for (const PopulationRecord& r : records) {
        if (!r.snapped) continue;
        if (r.point.method == PopulationMethod::CensusSmallAreas2015) {
            ++summary.snappedCensus;
        } else {
            ++summary.snappedSpread;
        }
    }
    summary.snappedMaxKm = *std::max_element(maxKm.begin(), maxKm.end());
}

}  // namespace

std::vector<long long> largestRemainder(long long total, const std::vector<double>& weights) {
    std::vector<long long> out(weights.size(), 0);
    if (weights.empty()) return out;
    double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    std::vector<double> w = weights;
    if (!(sum > 0)) {
        std::fill(w.begin(), w.end(), 1.0);
        sum = static_cast<double>(w.size());
    }
    std::vector<double> remainder(w.size());
    long long given = 0;
    for (size_t i = 0; i < w.size(); ++i) {
        const double quota = static_cast<double>(total) * w[i] / sum;
        out[i] = static_cast<long long>(std::floor(quota));
        remainder[i] = quota - static_cast<double>(out[i]);
        given += out[i];
    }
    std::vector<size_t> order(w.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return remainder[a] > remainder[b]; });
    // Rounding can leave the floors a unit off either way: hand out (or take back) what is left.
    for (size_t k = 0; given < total; k = (k + 1) % order.size(), ++given) ++out[order[k]];
    for (size_t k = order.size(); given > total; --given) {
        k = k == 0 ? order.size() - 1 : k - 1;
        if (out[order[k]] > 0) {
            --out[order[k]];
        } else {
            ++given;  // nothing to take here: try the next
        }
    }
    return out;
}

PopulationSources readPopulationSources(const std::string& geodataDir) {
    PopulationSources s;
    s.smallAreas = readSmallAreas((fs::path(geodataDir) / kSmallAreasFile).string());
    s.register2022 = readRegister((fs::path(geodataDir) / kRegisterFile).string());
    return s;
}

std::vector<PopulationRecord> buildPopulation(const PopulationSources& sources,
                                              const std::map<std::string, std::string>& unitCodes,
                                              const std::vector<Municipality>& municipalities,
                                              const std::vector<Settlement>& settlements, const std::string& geodataDir,
                                              int threads, PopulationSummary& summary) {
    const std::string smallAreasFile = (fs::path(geodataDir) / kSmallAreasFile).string();
    const std::string registerFile = (fs::path(geodataDir) / kRegisterFile).string();
    std::vector<PopulationRecord> records;
    records.reserve(sources.smallAreas.size() + settlements.size() / 4);

    // Census small areas: their own code, renamed where it changed, wards folded into their city.
    std::map<std::string, long long> renamedRows;
    std::set<int> censusPrefectures;
    for (const SmallAreaRow& r : sources.smallAreas) {
        std::string code = r.code2015;
        for (const auto& [from, to] : kRenamedCodes) {
            if (code == from) {
                code = to;
                ++renamedRows[fmt::format("{} -> {}", from, to)];
            }
        }
        auto it = unitCodes.find(code);
        if (it == unitCodes.end()) {
            throw Error(
                ErrorContext{smallAreasFile, {}, -1, r.row},
                fmt::format("municipality_code_2015 '{}' is no municipality of the 2021 boundaries", r.code2015));
        }
        PopulationRecord rec;
        rec.point =
            PopulationPoint{it->second, r.name, r.population, PopulationMethod::CensusSmallAreas2015, r.lon, r.lat};
        rec.keyCode = r.keyCode;
        records.push_back(std::move(rec));
        censusPrefectures.insert(std::stoi(code.substr(0, 2)));
        ++summary.smallAreas;
        summary.smallAreaPopulation += r.population;
    }
    for (const auto& [what, n] : renamedRows) summary.remapped.push_back(fmt::format("{}: {} rows", what, n));

    // Prefectures without small areas: the register population of each municipality, spread
    // evenly over its gazetteer settlements (integers that sum to the register figure).
    std::map<std::string, const RegisterRow*> registerOf;
    for (const RegisterRow& r : sources.register2022) registerOf.emplace(r.code, &r);
    std::set<int> spreadPrefectures;
    for (const Municipality& m : municipalities) {
        if (censusPrefectures.count(m.prefectureCode) > 0) continue;
        spreadPrefectures.insert(m.prefectureCode);
        auto reg = registerOf.find(m.code);
        if (reg == registerOf.end()) {
            throw Error(ErrorContext{registerFile, {}, -1, -1},
                        fmt::format("has no population for {} {} ({}), whose prefecture has no census small areas",
                                    m.prefecture, m.name, m.code));
        }
        const long long population = reg->second->population;
        if (population == 0) continue;  // the Northern Territories villages
        auto [first, last] = std::equal_range(settlements.begin(), settlements.end(), Settlement{m.code, 0, 0, {}},
                                              [](const Settlement& a, const Settlement& b) { return a.code < b.code; });
        std::vector<const Settlement*> own;
        for (auto s = first; s != last; ++s) own.push_back(&*s);
        // Ties of the even spread go to the settlements first in (name, position) order.
        std::sort(own.begin(), own.end(), [](const Settlement* a, const Settlement* b) {
            return std::tie(a->town, a->lon, a->lat) < std::tie(b->town, b->lon, b->lat);
        });
        ++summary.spreadMunicipalities;
        summary.spreadPopulation += population;
        if (own.empty()) {
            // No settlement to carry it: one point on the polygon.
            GeosContext ctx;
            const GeomPtr onSurface = takeGeom(ctx, GEOSPointOnSurface_r(ctx, m.geom.get()), "point on surface");
            double x = 0, y = 0;
            GEOSGeomGetX_r(ctx, onSurface.get(), &x);
            GEOSGeomGetY_r(ctx, onSurface.get(), &y);
            records.push_back(
                {PopulationPoint{m.code, m.name, population, PopulationMethod::RegisterSpread2022, x, y}, "", false});
            ++summary.spreadPoints;
            summary.spreadWithoutSettlements.push_back(fmt::format("{} {} ({})", m.prefecture, m.name, m.code));
            continue;
        }
        const std::vector<long long> shares = largestRemainder(population, std::vector<double>(own.size(), 1.0));
        for (size_t i = 0; i < own.size(); ++i) {
            records.push_back({PopulationPoint{m.code, own[i]->town, shares[i], PopulationMethod::RegisterSpread2022,
                                               own[i]->lon, own[i]->lat},
                               "", false});
            ++summary.spreadPoints;
        }
    }
    for (int p : spreadPrefectures) summary.spreadPrefectures.push_back(fmt::format("{:02d} {}", p, prefectureName(p)));

    std::stable_sort(records.begin(), records.end(), [](const PopulationRecord& a, const PopulationRecord& b) {
        return std::tie(a.point.code, a.point.name) < std::tie(b.point.code, b.point.name);
    });
    std::vector<std::vector<size_t>> byMunicipality(municipalities.size());
    {
        size_t m = 0;
        for (size_t r = 0; r < records.size(); ++r) {
            while (m < municipalities.size() && municipalities[m].code < records[r].point.code) ++m;
            if (m == municipalities.size() || municipalities[m].code != records[r].point.code) {
                throw Error(
                    fmt::format("internal: population point of unknown municipality {}", records[r].point.code));
            }
            byMunicipality[m].push_back(r);
        }
    }
    snapToMunicipalities(records, municipalities, byMunicipality, threads, summary);
    return records;
}

}  // namespace hubmap
