#include "io/store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <string_view>

#include "core/error.hpp"
#include "core/paths.hpp"
#include "core/version.hpp"
#include "io/hubs.hpp"
#include "io/import_sources.hpp"
#include "io/init.hpp"
#include "io/paths.hpp"
#include "io/schema.hpp"
#include "io/spatialite.hpp"

namespace fs = std::filesystem;

namespace hubmap {

namespace {

std::string_view codeOf(const Designation& d) { return d.code; }
std::string_view codeOf(std::string_view code) { return code; }

GeomPtr readGeom(const GeosContext& ctx, const Statement& st, int col) {
    auto [data, size] = st.blob(col);
    if (!data || size == 0) throw Error("empty geometry in the database");
    return geomFromWKB(ctx, data, size);
}

std::map<std::string, std::string> readMetadata(const Database& db) {
    std::map<std::string, std::string> meta;
    Statement st = db.prepare("SELECT key, value FROM metadata");
    while (st.step()) meta[st.text(0)] = st.text(1);
    return meta;
}

void checkHubmapDatabase(const Database& db) {
    if (!db.tableExists("metadata") || !db.tableExists("municipalities")) {
        throw Error(ErrorContext{db.path(), {}, -1, -1}, "not a hubmap database (build one with: hubmap init)");
    }
    // Schema 3 reads as it is (no hubs.extra) until an import upgrades it in place.
    const int schema = schemaVersion(db);
    if (schema < kOldestUpgradableSchema || schema > kSchemaVersion) {
        throw Error(ErrorContext{db.path(), {}, -1, -1},
                    fmt::format("built with database schema {} but this hubmap reads schema {}; rebuild it with: "
                                "hubmap init --force --db {}",
                                schema == 0 ? "?" : std::to_string(schema), kSchemaVersion, db.path()));
    }
}

}  // namespace

std::vector<Municipality> readMunicipalities(const Database& db, const GeosContext* ctx) {
    std::vector<Municipality> out;
    Statement st = db.prepare(fmt::format(
        "SELECT code, prefecture_code, prefecture, county, name, designated_city, northern_territories, area_km2, {}"
        " FROM municipalities ORDER BY code",
        ctx ? "AsBinary(geom)" : "NULL"));
    while (st.step()) {
        Municipality m;
        m.code = st.text(0);
        m.prefectureCode = static_cast<int>(st.int64(1));
        m.prefecture = st.text(2);
        m.county = st.text(3);
        m.name = st.text(4);
        m.designatedCity = st.int64(5) != 0;
        m.northernTerritories = st.int64(6) != 0;
        m.areaKm2 = st.real(7);
        if (ctx) m.geom = readGeom(*ctx, st, 8);
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<Hub> readHubs(const Database& db) {
    std::vector<Hub> hubs;
    {
        // A Hub is some 360 bytes: growing the vector by doubling would copy (and fault in)
        // twice the memory for 100,000 hubs.
        Statement count = db.prepare("SELECT COUNT(*) FROM hubs");
        if (count.step()) hubs.reserve(static_cast<std::size_t>(count.int64(0)));
    }
    Statement st = db.prepare(fmt::format(
        "SELECT id, kind, name, prefecture, municipality, code, district, lon, lat, precision, opened, programme,"
        " fiscal_year, operator, source_ref, source, note, import_source, {} FROM hubs ORDER BY id",
        hubsHaveExtra(db) ? "extra" : "NULL"));
    constexpr int kDetailColumns[] = {6, 10, 11, 13, 14, 18};  // HubDetails' text
    while (st.step()) {
        Hub& h = hubs.emplace_back();  // filled in place: a Hub is too big to move cheaply
        h.id = st.text(0);
        h.kind = st.text(1);
        h.name = st.text(2);
        h.prefecture = st.text(3);
        h.municipality = st.text(4);
        h.code = st.text(5);
        h.lon = st.optReal(7);
        h.lat = st.optReal(8);
        h.precision = st.text(9);
        h.source = st.text(15);
        h.note = st.text(16);
        h.importSource = st.text(17);
        // The rarely filled fields are held only when one is given (a Hub without them is smaller).
        if (!st.isNull(12) || std::any_of(std::begin(kDetailColumns), std::end(kDetailColumns),
                                          [&st](int c) { return !st.text(c).empty(); })) {
            HubDetails& d = h.editDetails();
            d.district = st.text(6);
            d.opened = st.text(10);
            d.programme = st.text(11);
            if (!st.isNull(12)) d.fiscalYear = static_cast<int>(st.int64(12));
            d.operatorName = st.text(13);
            d.sourceRef = st.text(14);
            d.extra = st.text(18);
        }
    }
    return hubs;
}

Dataset loadDataset(const std::string& dbPath, const LoadOptions& options) {
    requireDatabaseFile(dbPath);
    Database db(dbPath, Database::Mode::ReadOnly);
    checkHubmapDatabase(db);
    Dataset ds;
    const GeosContext& ctx = *ds.ctx;
    ds.metadata = readMetadata(db);
    ds.municipalities = readMunicipalities(db, &ctx);
    {
        Statement st = db.prepare(fmt::format("SELECT code, name, area_km2, {} FROM prefectures ORDER BY code",
                                              options.prefectureGeometry ? "AsBinary(geom)" : "NULL"));
        while (st.step()) {
            Prefecture p;
            p.code = static_cast<int>(st.int64(0));
            p.name = st.text(1);
            p.areaKm2 = st.real(2);
            if (options.prefectureGeometry) p.geom = readGeom(ctx, st, 3);
            ds.prefectures.push_back(std::move(p));
        }
    }
    {
        Statement st = db.prepare(
            "SELECT code, prefecture, name, type, former_municipalities, previous_type, incomplete, source_row"
            " FROM designations ORDER BY code");
        while (st.step()) {
            Designation d;
            d.code = st.text(0);
            d.prefecture = st.text(1);
            d.name = st.text(2);
            d.type = parseDesignation(st.text(3)).value_or(DesignationType::None);
            const std::string former = st.text(4);
            for (size_t start = 0; start < former.size();) {
                size_t end = former.find('|', start);
                if (end == std::string::npos) end = former.size();
                d.formerMunicipalities.push_back(former.substr(start, end - start));
                start = end + 1;
            }
            d.previousType = st.text(5);
            d.incomplete = st.int64(6) != 0;
            d.sourceRow = static_cast<int>(st.int64(7));
            ds.designations.push_back(std::move(d));
        }
    }
    {
        // 一部過疎 parts (measured on their former municipalities) and the names they matched.
        Statement st = db.prepare(
            "SELECT code, area_km2, former_area_km2, measured_on, AsBinary(geom) FROM designated_parts ORDER BY code");
        while (st.step()) {
            DesignatedPart p;
            p.code = st.text(0);
            p.areaKm2 = st.real(1);
            p.formerAreaKm2 = st.real(2);
            p.measuredOn = st.text(3) == measuredOnKey(MeasuredOn::WholeFallback) ? MeasuredOn::WholeFallback
                                                                                  : MeasuredOn::FormerMunicipalities;
            p.geom = readGeom(ctx, st, 4);
            ds.designatedParts.push_back(std::move(p));
        }
        Statement names = db.prepare(
            "SELECT code, name, matched_name, matched_prefecture, how, former_area_km2, reason"
            " FROM designated_part_names ORDER BY code, position");
        auto part = ds.designatedParts.begin();
        while (names.step()) {
            const std::string code = names.text(0);
            while (part != ds.designatedParts.end() && part->code < code) ++part;
            if (part == ds.designatedParts.end() || part->code != code) {
                throw Error(ErrorContext{db.path(), "designated_part_names", -1, -1},
                            fmt::format("names a part {} that designated_parts does not have", code));
            }
            FormerNameMatch n;
            n.name = names.text(1);
            n.matchedName = names.text(2);
            n.matchedPrefecture = names.text(3);
            const std::string how = names.text(4);
            for (FormerMatch m : {FormerMatch::Exact, FormerMatch::Normalised, FormerMatch::Prefix,
                                  FormerMatch::OtherPrefecture, FormerMatch::OtherYear, FormerMatch::Unmatched}) {
                if (how == formerMatchKey(m)) n.how = m;
            }
            n.formerAreaKm2 = names.optReal(5).value_or(0);
            n.reason = names.text(6);
            part->names.push_back(std::move(n));
        }
    }
    if (options.settlements) {
        // Read through the index on code: only the designated municipalities' rows are read.
        Statement st = db.prepare(
            fmt::format("SELECT code, lon, lat, town FROM settlements WHERE code IS NOT NULL{} ORDER BY code, id",
                        options.pointsOfDesignatedOnly ? " AND code IN (SELECT code FROM designations)" : ""));
        ds.settlements.reserve(options.pointsOfDesignatedOnly ? 100000 : 280000);
        while (st.step()) ds.settlements.push_back(Settlement{st.text(0), st.real(1), st.real(2), st.text(3)});
    }
    // Population has no index on code (it is read whole, in id order): skipped rows are
    // filtered here, where they cost no allocation (IN (SELECT ...) made the scan slower).
    auto wanted = [&](std::string_view code) {
        if (!options.pointsOfDesignatedOnly) return true;
        return std::binary_search(ds.designations.begin(), ds.designations.end(), code,
                                  [](const auto& a, const auto& b) { return codeOf(a) < codeOf(b); });
    };
    if (options.population) {
        // Written sorted by code, then name: read in id order, no sort.
        if (!options.pointsOfDesignatedOnly) {
            Statement count = db.prepare("SELECT COUNT(*) FROM population");
            if (count.step()) ds.population.reserve(static_cast<std::size_t>(count.int64(0)));
        }
        Statement st = db.prepare("SELECT code, name, population, method, lon, lat FROM population ORDER BY id");
        while (st.step()) {
            if (!wanted(st.textView(0))) continue;
            PopulationPoint& p = ds.population.emplace_back();
            p.code = st.text(0);
            p.name = st.text(1);
            p.population = st.int64(2);
            const auto method = parsePopulationMethod(st.text(3));
            if (!method) {
                throw Error(ErrorContext{db.path(), "population", -1, -1},
                            fmt::format("unknown method '{}'", st.text(3)));
            }
            p.method = *method;
            p.lon = st.real(4);
            p.lat = st.real(5);
        }
    }
    if (options.hubs) ds.hubs = readHubs(db);
    {
        Statement st = db.prepare("SELECT name, vintage, file, rows, credit FROM sources");
        while (st.step()) ds.sources.push_back(SourceInfo{st.text(0), st.text(1), st.text(2), st.text(4), st.int64(3)});
        ds.importSources = readImportSources(db);
        ds.kindLabels = readKindLabels(db);
    }
    return ds;
}

std::string resolveDatabase(const std::optional<std::string>& explicitPath, Progress& progress) {
    if (explicitPath) {
        requireDatabaseFile(*explicitPath);
        return *explicitPath;
    }
    const std::string path = defaultDatabasePath();
    const std::string geodata = defaultGeodataDir();
    bool build = !fs::exists(path);
    if (!build) {
        // Rebuild the default database when hubmap or its embedded data changed since it was built.
        Database db(path, Database::Mode::ReadOnly);
        if (!db.tableExists("metadata")) {
            build = true;
        } else {
            auto meta = readMetadata(db);
            build = meta["hubmap_version"] != kVersion || meta["schema_version"] != std::to_string(kSchemaVersion) ||
                    (fs::is_directory(geodata) && meta["geodata_fingerprint"] != geodataFingerprint(geodata));
        }
    }
    if (build) {
        progress.info(fmt::format("building the default database {} from {}", path, geodata));
        InitOptions opts;
        opts.dbPath = path;
        opts.geodataDir = geodata;
        opts.force = true;
        if (fs::exists(path)) opts.carryImportsFrom = path;  // a rebuild must not lose the user's imports
        initDatabase(opts, progress);
    }
    return path;
}

}  // namespace hubmap
