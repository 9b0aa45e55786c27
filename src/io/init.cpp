#include "io/init.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>

#include "core/credits.hpp"
#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/geos.hpp"
#include "core/model.hpp"
#include "core/names.hpp"
#include "core/parallel.hpp"
#include "core/version.hpp"
#include "io/former_municipalities.hpp"
#include "io/gdal.hpp"
#include "io/hub_layers.hpp"
#include "io/hubs.hpp"
#include "io/import_sources.hpp"
#include "io/name_index.hpp"
#include "io/population.hpp"
#include "io/rtree_load.hpp"
#include "io/schema.hpp"
#include "io/spatialite.hpp"
#include "io/staged_output.hpp"
#include "io/store.hpp"

namespace fs = std::filesystem;

namespace hubmap {

namespace {

constexpr const char* kBoundaryPattern = "boundaries/N03-21_{:02d}_210101.json.gz";
constexpr const char* kDesignationFile = "designations/kaso_r4_2022-04-01.csv";
constexpr const char* kGazetteerFile = "gazetteer/machiaza_points.csv.gz";
constexpr const char* kMlitCredit = kMlitBoundaryCredit;

// One N03 feature.
struct AdminUnit {
    std::string code;  // "" for 所属未定地
    int prefectureCode = 0;
    std::string prefecture, subprefecture, county, name;
    bool isWard = false;
    std::string municipalityCode;  // its own code, or its designated city's
    std::string sourceFile;
    long long sourceFeature = 0;
    double areaKm2 = 0;
    GeomPtr geom;
};

bool isNorthernTerritories(const std::string& code) { return code >= "01695" && code <= "01700"; }

// Reads the per-prefecture files [first, last] on `ctx` (the calling thread's).
std::vector<AdminUnit> readBoundaryFiles(const GeosContext& ctx, const std::string& geodataDir, int first, int last) {
    Geodesic geodesic;
    std::vector<AdminUnit> units;
    for (int pref = first; pref <= last; ++pref) {
        const std::string rel = fmt::format(kBoundaryPattern, pref);
        const std::string file = (fs::path(geodataDir) / rel).string();
        GdalDatasetPtr ds = openVector(file, {}, {"GeoJSON"});
        OGRLayer* layer = ds->GetLayer(0);
        if (!layer) throw Error(ErrorContext{file, {}, -1, -1}, "has no layer");
        layer->ResetReading();
        long long index = 0;
        for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature()), ++index) {
            ErrorContext where{file, {}, index, -1};
            AdminUnit u;
            u.prefecture = fieldText(*f, "N03_001");
            u.subprefecture = fieldText(*f, "N03_002");
            u.county = fieldText(*f, "N03_003");
            u.name = fieldText(*f, "N03_004");
            u.code = fieldText(*f, "N03_007");
            u.prefectureCode = prefectureCode(u.prefecture);
            u.sourceFile = rel;
            u.sourceFeature = index;
            if (u.prefectureCode != pref) {
                throw Error(where, fmt::format("N03_001 is '{}', expected {}", u.prefecture, prefectureName(pref)));
            }
            if (u.name.empty()) throw Error(where, "N03_004 (municipality name) is empty");
            if (!u.code.empty() && (u.code.size() != 5 || u.code.substr(0, 2) != fmt::format("{:02d}", pref))) {
                throw Error(where,
                            fmt::format("N03_007 '{}' is not a 5-digit code of prefecture {:02d}", u.code, pref));
            }
            // Wards of designated cities: the county column holds the city (札幌市 / 中央区).
            u.isWard = !u.code.empty() && endsWith(u.county, "市") && endsWith(u.name, "区");
            const OGRGeometry* g = f->GetGeometryRef();
            if (!g || g->IsEmpty()) throw Error(where, "has no geometry");
            const OGRwkbGeometryType type = wkbFlatten(g->getGeometryType());
            if (type != wkbPolygon && type != wkbMultiPolygon) {
                throw Error(where,
                            fmt::format("geometry is {}, expected Polygon or MultiPolygon", g->getGeometryName()));
            }
            GeomPtr raw = geosFromOgr(ctx, *g);
            u.geom = makeValidMultiPolygon(ctx, raw.get());
            if (GEOSisEmpty_r(ctx, u.geom.get()) == 1) throw Error(where, "geometry is empty after MakeValid");
            u.areaKm2 = geodesic.areaKm2(ctx, u.geom.get());
            units.push_back(std::move(u));
        }
        if (index == 0) throw Error(ErrorContext{file, {}, -1, -1}, "contains no features");
    }
    return units;
}

// Reads the 47 prefecture files on core/parallel's workers (0 = every core), each with its
// own GEOS context; the geometries are adopted into `owner`, which outlives the workers.
std::vector<AdminUnit> readBoundaries(const GeosContext& owner, const std::string& geodataDir, int threads,
                                      Progress& progress) {
    constexpr int kPrefectures = 47;
    std::vector<std::vector<AdminUnit>> byPrefecture(kPrefectures);
    WorkQueue queue(kPrefectures);  // in code order: Hokkaido, about 1/6 of the data, starts first
    runWorkers(workerCount(threads, kPrefectures), queue, [&](int) {
        GeosContext ctx;
        for (std::size_t i = 0; queue.next(i);) {
            progress.checkCancelled();
            const int pref = static_cast<int>(i) + 1;
            byPrefecture[i] = readBoundaryFiles(ctx, geodataDir, pref, pref);
            for (AdminUnit& u : byPrefecture[i]) u.geom = adopt(owner, std::move(u.geom));
        }
    });
    std::vector<AdminUnit> units;
    for (auto& part : byPrefecture) {
        for (auto& u : part) units.push_back(std::move(u));
    }
    return units;
}

// Dissolves wards into designated cities; returns municipalities sorted by code.
std::vector<Municipality> buildMunicipalities(const GeosContext& ctx, const Geodesic& geodesic,
                                              std::vector<AdminUnit>& units) {
    // City code = the smallest ward code with its last digit set to 0.
    std::map<std::pair<int, std::string>, std::string> cityCode;
    for (const auto& u : units) {
        if (!u.isWard) continue;
        std::string c = u.code.substr(0, 4) + "0";
        auto [it, inserted] = cityCode.emplace(std::make_pair(u.prefectureCode, u.county), c);
        if (!inserted && c < it->second) it->second = c;
    }
    std::map<std::string, std::vector<AdminUnit*>> byCode;
    for (auto& u : units) {
        if (u.code.empty()) continue;
        u.municipalityCode = u.isWard ? cityCode.at({u.prefectureCode, u.county}) : u.code;
        byCode[u.municipalityCode].push_back(&u);
    }
    std::vector<Municipality> out;
    out.reserve(byCode.size());
    for (auto& [code, parts] : byCode) {
        const AdminUnit& first = *parts.front();
        Municipality m;
        m.code = code;
        m.prefectureCode = first.prefectureCode;
        m.prefecture = first.prefecture;
        m.designatedCity = first.isWard;
        m.county = first.isWard ? std::string() : first.county;
        m.name = first.isWard ? first.county : first.name;
        m.northernTerritories = isNorthernTerritories(code);
        if (parts.size() == 1 && !first.isWard) {
            m.geom = clone(ctx, first.geom.get());
        } else {
            if (!first.isWard) {
                throw Error(ErrorContext{first.sourceFile, {}, parts[1]->sourceFeature, -1},
                            fmt::format("code {} appears in more than one feature", code));
            }
            std::vector<const GEOSGeometry*> geoms;
            for (const AdminUnit* p : parts) geoms.push_back(p->geom.get());
            m.geom = dissolve(ctx, geoms);
        }
        m.areaKm2 = geodesic.areaKm2(ctx, m.geom.get());
        out.push_back(std::move(m));
    }
    return out;
}

// The 47 dissolves run on core/parallel's workers, each with its own GEOS context; the
// results are adopted into `owner`. The municipalities' geometries are only read meanwhile.
std::vector<Prefecture> buildPrefectures(const GeosContext& owner, const Geodesic& geodesic,
                                         const std::vector<Municipality>& municipalities) {
    std::map<int, std::vector<const GEOSGeometry*>> parts;
    for (const auto& m : municipalities) parts[m.prefectureCode].push_back(m.geom.get());
    std::vector<Prefecture> out;
    std::vector<const std::vector<const GEOSGeometry*>*> geomsOf;
    for (const auto& [code, geoms] : parts) {
        Prefecture p;
        p.code = code;
        p.name = std::string(prefectureName(code));
        out.push_back(std::move(p));
        geomsOf.push_back(&geoms);
    }
    WorkQueue queue(out.size());
    runWorkers(workerCount(0, out.size()), queue, [&](int) {
        GeosContext ctx;
        for (std::size_t i = 0; queue.next(i);) {
            out[i].geom = adopt(owner, dissolve(ctx, *geomsOf[i]));
            out[i].areaKm2 = geodesic.areaKm2(ctx, out[i].geom.get());
        }
    });
    return out;
}

// The name index over the N03 features (wards point to their designated city).
MunicipalityNameIndex makeNameIndex(const std::vector<AdminUnit>& units) {
    std::vector<AdminUnitName> names;
    names.reserve(units.size());
    for (const auto& u : units) {
        if (!u.code.empty()) names.push_back({u.prefectureCode, u.county, u.name, u.isWard, u.municipalityCode});
    }
    return MunicipalityNameIndex(names);
}

std::vector<std::string> splitBar(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= s.size()) {
        size_t end = s.find('|', start);
        if (end == std::string::npos) end = s.size();
        if (end > start) out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::vector<Designation> readDesignations(const std::string& geodataDir, const MunicipalityNameIndex& names,
                                          InitReport& report) {
    const std::string file = (fs::path(geodataDir) / kDesignationFile).string();
    GdalDatasetPtr ds = openVector(file, {"HEADERS=YES", "AUTODETECT_TYPE=NO"}, {"CSV"});
    OGRLayer* layer = ds->GetLayer(0);
    for (const char* col : {"都道府県名", "市町村名", "過疎区分", "みなされる区域", "旧法下の区分"}) {
        if (layer->GetLayerDefn()->GetFieldIndex(col) < 0) {
            throw Error(ErrorContext{file, {}, -1, -1}, fmt::format("missing required column '{}'", col));
        }
    }
    std::vector<Designation> out;
    std::map<std::string, int> rowOfCode;
    int row = 0;
    layer->ResetReading();
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        ++row;
        ErrorContext where{file, {}, -1, row};
        Designation d;
        d.sourceRow = row;
        d.prefecture = fieldText(*f, "都道府県名");
        d.name = fieldText(*f, "市町村名");
        const std::string type = fieldText(*f, "過疎区分");
        const int pref = prefectureCode(d.prefecture);
        if (pref == 0) throw Error(where, fmt::format("unknown prefecture '{}'", d.prefecture));
        auto t = parseDesignation(type);
        if (!t || *t == DesignationType::None) {
            throw Error(where, fmt::format("unknown 過疎区分 '{}' (expected 全部過疎, 一部過疎 or みなし過疎)", type));
        }
        d.type = *t;
        d.formerMunicipalities = splitBar(fieldText(*f, "みなされる区域"));
        d.previousType = fieldText(*f, "旧法下の区分");
        // Rows cut short in the source extraction lose their last column.
        d.incomplete = d.previousType.empty();
        if (d.type == DesignationType::Partial && d.formerMunicipalities.empty()) {
            throw Error(where, fmt::format("{} {} is 一部過疎 but lists no みなされる区域", d.prefecture, d.name));
        }
        const auto codes = names.lookup(pref, d.name);
        if (codes.empty()) {
            throw Error(where, fmt::format("{} {} matches no municipality in the boundaries", d.prefecture, d.name));
        }
        if (codes.size() > 1) {
            throw Error(where, fmt::format("{} {} matches {} municipalities", d.prefecture, d.name, codes.size()));
        }
        d.code = *codes.begin();
        if (auto [it, inserted] = rowOfCode.emplace(d.code, row); !inserted) {
            throw Error(where, fmt::format("{} {} (code {}) is already designated in row {}", d.prefecture, d.name,
                                           d.code, it->second));
        }
        if (d.incomplete) {
            report.incompleteDesignations.push_back(
                fmt::format("{} {} (row {}): みなされる区域 cut short in the source", d.prefecture, d.name, row));
        }
        out.push_back(std::move(d));
    }
    if (out.empty()) throw Error(ErrorContext{file, {}, -1, -1}, "contains no designation rows");
    std::sort(out.begin(), out.end(), [](const Designation& a, const Designation& b) { return a.code < b.code; });
    return out;
}

struct SettlementRow {
    std::string code, prefecture, municipality, town, koaza;
    double lon = 0, lat = 0;
};

std::vector<SettlementRow> readSettlements(const std::string& geodataDir, const MunicipalityNameIndex& names,
                                           InitReport& report) {
    const std::string file = (fs::path(geodataDir) / kGazetteerFile).string();
    GdalDatasetPtr ds = openVector(file, {"HEADERS=YES", "AUTODETECT_TYPE=NO"}, {"CSV"});
    OGRLayer* layer = ds->GetLayer(0);
    OGRFeatureDefn* defn = layer->GetLayerDefn();
    const int iPref = defn->GetFieldIndex("prefecture"), iMuni = defn->GetFieldIndex("municipality"),
              iTown = defn->GetFieldIndex("town"), iKoaza = defn->GetFieldIndex("koaza"),
              iLat = defn->GetFieldIndex("lat"), iLng = defn->GetFieldIndex("lng");
    if (std::min({iPref, iMuni, iTown, iKoaza, iLat, iLng}) < 0) {
        throw Error(ErrorContext{file, {}, -1, -1},
                    "missing a required column (need prefecture, municipality, town, koaza, lat, lng)");
    }
    std::vector<SettlementRow> out;
    out.reserve(280000);
    std::map<std::pair<std::string, std::string>, std::string> memo;  // (pref, municipality) -> code
    std::map<std::string, long long> unmatched;
    long long row = 0;
    layer->ResetReading();
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        ++row;
        SettlementRow s;
        s.prefecture = f->GetFieldAsString(iPref);
        s.municipality = f->GetFieldAsString(iMuni);
        s.town = f->GetFieldAsString(iTown);
        s.koaza = f->GetFieldAsString(iKoaza);
        char* end = nullptr;
        const char* latText = f->GetFieldAsString(iLat);
        s.lat = std::strtod(latText, &end);
        const bool latOk = end != latText && *end == '\0';
        const char* lonText = f->GetFieldAsString(iLng);
        s.lon = std::strtod(lonText, &end);
        const bool lonOk = end != lonText && *end == '\0';
        if (!latOk || !lonOk || s.lat < 20 || s.lat > 46 || s.lon < 122 || s.lon > 154) {
            throw Error(ErrorContext{file, {}, -1, row},
                        fmt::format("coordinates lat='{}' lng='{}' are not a point in Japan", latText, lonText));
        }
        auto key = std::make_pair(s.prefecture, s.municipality);
        auto it = memo.find(key);
        if (it == memo.end()) {
            const auto codes = names.lookup(prefectureCode(s.prefecture), s.municipality);
            it = memo.emplace(key, codes.size() == 1 ? *codes.begin() : std::string()).first;
        }
        s.code = it->second;
        if (s.code.empty()) ++unmatched[s.prefecture + " " + s.municipality];
        out.push_back(std::move(s));
    }
    if (out.empty()) throw Error(ErrorContext{file, {}, -1, -1}, "contains no settlement rows");
    for (const auto& [name, n] : unmatched) {
        report.unmatchedSettlements.push_back(fmt::format("{}: {} points", name, n));
        report.unmatchedSettlementPoints += n;
    }
    return out;
}

// 277,000 rows, the bulk of the database. SpatiaLite guards settlements.geom with per-row
// triggers, a geometry check (ggi_), a timestamp in geometry_columns_time (tmi_) and the
// spatial index's insert (gii_), which cost more than the rows themselves; the first two are
// moot here (every value is MakePoint(lon, lat, 6668)), so all three are dropped for the insert
// and re-created from their own SQL, the index filled in one packed pass (loadSpatialIndex).
// The timestamp stays as init has always left it (the column used to be registered after its
// rows): nothing reads it. Rows go in groups of kGroup per statement, so SQLite's
// per-statement cost falls on a group.
void writeSettlements(Database& db, const std::vector<SettlementRow>& settlements) {
    std::vector<std::pair<std::string, std::string>> setAside;  // (name, sql)
    {
        Statement st = db.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'settlements'"
            " AND name IN ('ggi_settlements_geom', 'tmi_settlements_geom', 'gii_settlements_geom')");
        while (st.step()) setAside.emplace_back(st.text(0), st.text(1));
    }
    if (setAside.size() != 3) throw Error("SpatiaLite's triggers on settlements.geom are not as hubmap made them");
    for (const auto& [name, sql] : setAside) db.exec("DROP TRIGGER \"" + name + "\"");
    constexpr size_t kGroup = 64;
    constexpr int kParams = 7;
    auto insertSql = [](size_t rows) {
        std::string sql =
            "INSERT INTO settlements(code, prefecture, municipality, town, koaza, lon, lat, geom) VALUES ";
        for (size_t r = 0; r < rows; ++r) {
            const size_t b = r * kParams;
            sql += fmt::format("{}(?{},?{},?{},?{},?{},?{},?{}, MakePoint(?{}, ?{}, 6668))", r ? "," : "", b + 1, b + 2,
                               b + 3, b + 4, b + 5, b + 6, b + 7, b + 6, b + 7);
        }
        return sql;
    };
    auto bindRow = [](Statement& st, int base, const SettlementRow& s) {
        st.bindOptional(base + 1, s.code).bind(base + 2, s.prefecture).bind(base + 3, s.municipality);
        st.bind(base + 4, s.town).bindOptional(base + 5, s.koaza).bind(base + 6, s.lon).bind(base + 7, s.lat);
    };
    Statement group = db.prepare(insertSql(kGroup));
    size_t i = 0;
    for (; i + kGroup <= settlements.size(); i += kGroup) {
        for (size_t r = 0; r < kGroup; ++r) bindRow(group, static_cast<int>(r) * kParams, settlements[i + r]);
        group.run();
    }
    if (i < settlements.size()) {
        Statement rest = db.prepare(insertSql(settlements.size() - i));
        for (size_t r = 0; i + r < settlements.size(); ++r)
            bindRow(rest, static_cast<int>(r) * kParams, settlements[i + r]);
        rest.run();
    }
    loadSpatialIndex(db, "settlements", "geom");
    for (const auto& [name, sql] : setAside) db.exec(sql);
}

void writeSources(Database& db, const std::vector<SourceInfo>& sources) {
    Statement ins = db.prepare("INSERT INTO sources(name, vintage, file, rows, credit) VALUES (?,?,?,?,?)");
    for (const auto& s : sources) {
        ins.bind(1, s.name).bind(2, s.vintage).bind(3, s.file).bind(4, s.rows).bind(5, s.credit);
        ins.run();
    }
}

void buildInto(Database& db, const InitOptions& options, Progress& progress, InitReport& report) {
    GeosContext ctx;
    Geodesic geodesic;

    // Read and checked first: a bad row stops init before the slow steps.
    progress.step("reading the population (2015 census small areas, 2022 resident register)");
    const PopulationSources populationSources = readPopulationSources(options.geodataDir);
    progress.checkCancelled();

    progress.step("reading 47 prefecture boundary files (N03, 2021-01-01)");
    std::vector<AdminUnit> units = readBoundaries(ctx, options.geodataDir, 0, progress);
    progress.checkCancelled();

    progress.step("dissolving 175 wards into their designated cities");
    std::vector<Municipality> municipalities = buildMunicipalities(ctx, geodesic, units);
    for (const auto& u : units) {
        if (u.code.empty()) {
            report.unassignedFeatures.push_back(fmt::format("{} {} ({}, feature {}, {:.2f} km²)", u.prefecture, u.name,
                                                            u.sourceFile, u.sourceFeature, u.areaKm2));
        }
    }
    progress.checkCancelled();

    progress.step("dissolving municipalities into 47 prefectures");
    std::vector<Prefecture> prefectures = buildPrefectures(ctx, geodesic, municipalities);
    progress.checkCancelled();

    progress.step("joining the depopulation designations (2022-04-01)");
    const MunicipalityNameIndex names = makeNameIndex(units);
    std::vector<Designation> designations = readDesignations(options.geodataDir, names, report);
    progress.checkCancelled();

    // 一部過疎: the designated part of each municipality, from its former municipalities.
    progress.step("fitting the 一部過疎 designated parts to their former municipalities (2000-10-01)");
    std::vector<DesignatedPart> designatedParts = buildDesignatedParts(
        ctx, options.geodataDir, municipalities, designations, FormerFitOptions{}, report.designatedParts);
    summariseDesignatedParts(designatedParts, municipalities, designations, report.designatedParts);
    progress.checkCancelled();

    progress.step("reading the settlement gazetteer");
    std::vector<SettlementRow> settlements = readSettlements(options.geodataDir, names, report);
    progress.checkCancelled();

    progress.step("placing the population points (snapping, Hokkaido and Aichi spread)");
    std::vector<PopulationRecord> population;
    {
        std::map<std::string, std::string> unitCodes;
        for (const auto& u : units) {
            if (!u.code.empty()) unitCodes.emplace(u.code, u.municipalityCode);
        }
        std::vector<Settlement> gazetteer;
        gazetteer.reserve(settlements.size());
        for (const auto& s : settlements) {
            if (!s.code.empty()) gazetteer.push_back(Settlement{s.code, s.lon, s.lat, s.town + s.koaza});
        }
        std::stable_sort(gazetteer.begin(), gazetteer.end(),
                         [](const Settlement& a, const Settlement& b) { return a.code < b.code; });
        population = buildPopulation(populationSources, unitCodes, municipalities, gazetteer, options.geodataDir, 0,
                                     report.population);
    }
    progress.checkCancelled();

    progress.step("writing the database");
    Transaction tx(db);
    createSchema(db);
    {
        Statement ins = db.prepare(
            "INSERT INTO admin_units(code, municipality_code, prefecture_code, prefecture, subprefecture, county, name,"
            " is_ward, area_km2, source_file, source_feature, geom) VALUES (?,?,?,?,?,?,?,?,?,?,?,"
            " GeomFromWKB(?, 6668))");
        for (const auto& u : units) {
            ins.bindOptional(1, u.code).bindOptional(2, u.municipalityCode).bind(3, u.prefectureCode);
            ins.bind(4, u.prefecture).bindOptional(5, u.subprefecture).bindOptional(6, u.county).bind(7, u.name);
            ins.bind(8, u.isWard ? 1 : 0).bind(9, u.areaKm2).bind(10, u.sourceFile).bind(11, u.sourceFeature);
            ins.bind(12, geomToWKB(ctx, u.geom.get()));
            ins.run();
        }
    }
    {
        Statement ins = db.prepare(
            "INSERT INTO municipalities(code, prefecture_code, prefecture, county, name, designated_city,"
            " northern_territories, area_km2, geom) VALUES (?,?,?,?,?,?,?,?, GeomFromWKB(?, 6668))");
        for (const auto& m : municipalities) {
            ins.bind(1, m.code).bind(2, m.prefectureCode).bind(3, m.prefecture).bindOptional(4, m.county);
            ins.bind(5, m.name).bind(6, m.designatedCity ? 1 : 0).bind(7, m.northernTerritories ? 1 : 0);
            ins.bind(8, m.areaKm2).bind(9, geomToWKB(ctx, m.geom.get()));
            ins.run();
        }
    }
    {
        Statement ins = db.prepare(
            "INSERT INTO prefectures(code, name, municipality_count, area_km2, geom) VALUES (?,?,?,?,"
            " GeomFromWKB(?, 6668))");
        for (const auto& p : prefectures) {
            const auto count = std::count_if(municipalities.begin(), municipalities.end(),
                                             [&](const Municipality& m) { return m.prefectureCode == p.code; });
            ins.bind(1, p.code).bind(2, p.name).bind(3, static_cast<long long>(count)).bind(4, p.areaKm2);
            ins.bind(5, geomToWKB(ctx, p.geom.get()));
            ins.run();
        }
    }
    {
        Statement ins = db.prepare(
            "INSERT INTO designations(code, prefecture, name, type, type_ja, former_municipalities, previous_type,"
            " incomplete, source_row) VALUES (?,?,?,?,?,?,?,?,?)");
        for (const auto& d : designations) {
            std::string former;
            for (const auto& n : d.formerMunicipalities) former += (former.empty() ? "" : "|") + n;
            ins.bind(1, d.code).bind(2, d.prefecture).bind(3, d.name).bind(4, designationKey(d.type));
            ins.bind(5, designationLabelJa(d.type)).bindOptional(6, former).bindOptional(7, d.previousType);
            ins.bind(8, d.incomplete ? 1 : 0).bind(9, d.sourceRow);
            ins.run();
        }
    }
    {
        Statement part = db.prepare(
            "INSERT INTO designated_parts(code, area_km2, former_area_km2, measured_on, geom)"
            " VALUES (?,?,?,?, GeomFromWKB(?, 6668))");
        Statement name = db.prepare(
            "INSERT INTO designated_part_names(code, position, name, matched_name, matched_prefecture, how,"
            " former_area_km2, reason) VALUES (?,?,?,?,?,?,?,?)");
        for (const auto& p : designatedParts) {
            part.bind(1, p.code).bind(2, p.areaKm2).bind(3, p.formerAreaKm2).bind(4, measuredOnKey(p.measuredOn));
            part.bind(5, geomToWKB(ctx, p.geom.get()));
            part.run();
            for (size_t i = 0; i < p.names.size(); ++i) {
                const FormerNameMatch& n = p.names[i];
                name.bind(1, p.code).bind(2, static_cast<long long>(i + 1)).bind(3, n.name);
                name.bindOptional(4, n.matchedName).bindOptional(5, n.matchedPrefecture).bind(6, formerMatchKey(n.how));
                if (n.how == FormerMatch::Unmatched) {
                    name.bindNull(7);
                } else {
                    name.bind(7, n.formerAreaKm2);
                }
                name.bindOptional(8, n.reason);
                name.run();
            }
        }
    }
    progress.step(fmt::format("writing {} settlements", settlements.size()));
    writeSettlements(db, settlements);
    progress.step(fmt::format("writing {} population points", population.size()));
    {
        Statement ins = db.prepare(
            "INSERT INTO population(code, key_code, name, population, method, lon, lat, snapped, geom)"
            " VALUES (?,?,?,?,?,?,?,?, MakePoint(?, ?, 6668))");
        for (const PopulationRecord& r : population) {
            const PopulationPoint& p = r.point;
            ins.bind(1, p.code).bindOptional(2, r.keyCode).bind(3, p.name).bind(4, p.population);
            ins.bind(5, populationMethodKey(p.method)).bind(6, p.lon).bind(7, p.lat).bind(8, r.snapped ? 1 : 0);
            ins.bind(9, p.lon).bind(10, p.lat);
            ins.run();
        }
    }
    progress.checkCancelled();

    long long hubRows = 0;
    if (options.loadHubs) {
        progress.step("loading the hub layers (geodata/hubs)");
        hubRows = loadBuiltinHubLayers(db, options.geodataDir, report.notes);
    }
    if (!options.carryImportsFrom.empty()) {
        progress.step("keeping the imported hubs of " + options.carryImportsFrom);
        std::vector<Hub> imported;
        std::vector<ImportSourceInfo> records;
        std::map<std::string, std::string> kindLabels;
        try {
            Database previous(options.carryImportsFrom, Database::Mode::ReadOnly);
            for (Hub& h : readHubs(previous)) {
                if (!startsWith(h.importSource, "builtin:")) imported.push_back(std::move(h));
            }
            for (ImportSourceInfo& s : readImportSources(previous)) {
                if (!startsWith(s.name, "builtin:") && !s.file.empty()) records.push_back(std::move(s));
            }
            kindLabels = readKindLabels(previous);
        } catch (const Error& e) {
            throw Error(ErrorContext{options.carryImportsFrom, "hubs", -1, -1},
                        std::string("cannot read its imported hubs to keep them, so it was left as it was (") +
                            e.what() + "); export them with `hubmap hubs --format csv` or move the file away");
        }
        insertHubs(db, imported, &progress);
        for (const ImportSourceInfo& s : records) recordImportSource(db, s.name, s.file, s.rows, s.importedAt);
        for (const auto& [kind, label] : kindLabels) setKindLabel(db, kind, label);
        if (!imported.empty()) report.notes.push_back(fmt::format("kept {} imported hubs", imported.size()));
    }

    progress.step("building spatial indexes");
    createSpatialIndexes(db);

    writeSources(
        db, {
                {"行政区域 N03 (国土数値情報, MLIT), simplified by SmartNews Media Research Institute", "2021-01-01",
                 "boundaries/N03-21_PP_210101.json.gz", kMlitCredit, static_cast<long long>(units.size())},
                {"過疎地域市町村等一覧 (総務省)", "2022-04-01", kDesignationFile, "総務省「過疎地域市町村等一覧」",
                 static_cast<long long>(designations.size())},
                {"歴史的行政区域データセットβ版 (CODH), former municipalities; licence CC BY-SA 4.0",
                 "2000-10-01 (1995-10-01)", fmt::format("{} ({})", kFormer2000File, kFormer1995File), kFormerCredit,
                 report.designatedParts.former2000Polygons + report.designatedParts.former1995Polygons},
                {"位置参照情報 大字・町丁目 (MLIT), compiled by Geolonia", "2024-01", kGazetteerFile,
                 "出典：位置参照情報（国土交通省）、Geolonia 住所データ", static_cast<long long>(settlements.size())},
                {"国勢調査 小地域集計 (総務省統計局, e-Stat), small areas (町丁・字) with representative points",
                 "2015-10-01", kSmallAreasFile, kCensusSmallAreaCredit, report.population.smallAreas},
                {"住民基本台帳に基づく人口 (総務省), spread over the settlements of Hokkaido and Aichi", "2022-01-01",
                 kRegisterFile, kResidentRegisterCredit, static_cast<long long>(populationSources.register2022.size())},
                {"hub layers transcribed from government documents", "see geodata/hubs/README.md", "hubs/*.csv",
                 "内閣官房・内閣府, 総務省, 高知県 (as cited per row)", hubRows},
            });
    {
        Statement ins = db.prepare("INSERT INTO metadata(key, value) VALUES (?, ?)");
        const std::vector<std::pair<std::string, std::string>> meta = {
            {"hubmap_version", kVersion},
            {"schema_version", std::to_string(kSchemaVersion)},
            {"geodata_dir", fs::absolute(options.geodataDir).string()},
            {"geodata_fingerprint", geodataFingerprint(options.geodataDir)},
            {"built_at", fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)))},
            {"crs", "EPSG:6668 (JGD2011 geographic)"},
            {"area_method", "geodesic on GRS80 (PROJ geod_polygonarea)"},
        };
        for (const auto& [k, v] : meta) {
            ins.bind(1, k).bind(2, v);
            ins.run();
        }
    }
    tx.commit();

    for (const char* table : {"admin_units", "municipalities", "prefectures", "designations", "designated_parts",
                              "designated_part_names", "settlements", "population", "hubs"}) {
        report.tableRows.emplace_back(table, db.scalarInt(fmt::format("SELECT COUNT(*) FROM {}", table)));
    }
}

}  // namespace

std::vector<std::string> geodataInputs() {
    std::vector<std::string> files;
    for (int pref = 1; pref <= 47; ++pref) files.push_back(fmt::format(kBoundaryPattern, pref));
    files.emplace_back(kDesignationFile);
    files.emplace_back(kGazetteerFile);
    files.emplace_back(kFormer2000File);
    files.emplace_back(kFormer1995File);
    files.emplace_back(kSmallAreasFile);
    files.emplace_back(kRegisterFile);
    return files;
}

InitReport initDatabase(const InitOptions& options, Progress& progress) {
    const auto start = std::chrono::steady_clock::now();
    const fs::path target(options.dbPath);
    if (fs::exists(target) && !options.force) {
        throw UsageError(fmt::format("{} already exists; use --force to rebuild it", options.dbPath));
    }
    if (!fs::is_directory(options.geodataDir)) {
        throw Error(ErrorContext{options.geodataDir, {}, -1, -1}, "geodata directory not found");
    }
    for (const auto& rel : geodataInputs()) {
        const fs::path p = fs::path(options.geodataDir) / rel;
        if (!fs::is_regular_file(p))
            throw Error(ErrorContext{p.string(), {}, -1, -1}, "required input file is missing");
    }
    if (target.has_parent_path()) fs::create_directories(target.parent_path());

    InitReport report;
    StagedOutput staged(target);
    {
        Database db(staged.path().string(), Database::Mode::Create);
        // The file is renamed into place only when complete, so the journal buys nothing.
        db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;");
        buildInto(db, options, progress, report);
        db.exec("PRAGMA journal_mode=WAL");  // so readers never wait for a later import (one header byte)
    }
    staged.commit(options.force ? Replace::Always : Replace::Never, "--force");
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

}  // namespace hubmap
