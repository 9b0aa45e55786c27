#include "io/hubs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/error.hpp"
#include "io/gdal.hpp"
#include "io/geocode.hpp"
#include "io/import_sources.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"

namespace hubmap {

namespace {

/// The curated layout's columns, in order (geodata/hubs/*.csv), plus where the row came from.
constexpr std::array<const char*, 19> kCsvColumns = {
    "id",         "kind",   "name",      "prefecture",    "municipality", "code",        "district",
    "lat",        "lon",    "precision", "opened",        "programme",    "fiscal_year", "operator",
    "source_ref", "source", "note",      "import_source", "extra"};  // the imported row's other columns as JSON: import
                                                                     // reads them back into extra

std::string coordinate(const std::optional<double>& v) { return v ? fmt::format("{:.7f}", *v) : std::string(); }

std::array<std::string, kCsvColumns.size()> csvValues(const Hub& h) {
    return {h.id,
            h.kind,
            h.name,
            h.prefecture,
            h.municipality,
            h.code,
            h.details().district,
            coordinate(h.lat),
            coordinate(h.lon),
            h.precision,
            h.details().opened,
            h.details().programme,
            h.details().fiscalYear ? std::to_string(*h.details().fiscalYear) : std::string(),
            h.details().operatorName,
            h.details().sourceRef,
            h.source,
            h.note,
            h.importSource,
            h.details().extra};
}

}  // namespace

void insertHubs(Database& db, const std::vector<Hub>& hubs, Progress* progress) {
    // SpatiaLite guards hubs.geom with per-row triggers: a geometry check (ggi_), a timestamp in
    // geometry_columns_time (tmi_) and the spatial index (gii_). Run per row they cost SQLite a
    // statement journal and trigger set-up each (a 100,000-row import took 5 s instead of 1). So
    // they are set aside for the batch and their work done once: the geometry check is moot (every
    // value is MakePoint(lon, lat, 6668) or NULL), the index is filled in one statement, the
    // timestamp set once, and the triggers re-created from their own SQL. All of it happens in
    // the caller's transaction: a failure or cancellation rolls the triggers back too.
    // OR ROLLBACK: a failed row aborts the whole transaction, which is the all-or-nothing rule.
    std::vector<std::pair<std::string, std::string>> setAside;  // (name, sql)
    {
        Statement st = db.prepare(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'hubs'"
            " AND name IN ('ggi_hubs_geom', 'tmi_hubs_geom', 'gii_hubs_geom')");
        while (st.step()) setAside.emplace_back(st.text(0), st.text(1));
    }
    auto wasSetAside = [&](const char* name) {
        return std::any_of(setAside.begin(), setAside.end(), [&](const auto& t) { return t.first == name; });
    };
    const long long firstRowid = db.scalarInt("SELECT COALESCE(MAX(ROWID), 0) + 1 FROM hubs");
    for (const auto& [name, sql] : setAside) db.exec("DROP TRIGGER \"" + name + "\"");

    // Rows go in groups of kGroup per statement: SQLite's per-statement cost (set-up, halt,
    // reset) then falls on a group, not on each row.
    constexpr size_t kGroup = 32;
    constexpr int kParams = 19;
    auto insertSql = [](size_t rows) {
        std::string sql =
            "INSERT OR ROLLBACK INTO hubs(id, kind, name, prefecture, municipality, code, district, lon, lat,"
            " precision, opened, programme, fiscal_year, operator, source_ref, source, note, import_source, extra, "
            "geom)"
            " VALUES ";
        for (size_t r = 0; r < rows; ++r) {
            const size_t b = r * kParams;
            sql += r ? ",(" : "(";
            for (int p = 1; p <= kParams; ++p) sql += fmt::format("?{},", b + static_cast<size_t>(p));
            sql += fmt::format("MakePoint(?{}, ?{}, 6668))", b + 8, b + 9);  // NULL lon/lat: NULL geometry
        }
        return sql;
    };
    Statement group = db.prepare(insertSql(kGroup));
    // The text is bound where it lies in `hubs` (no copy per value): `hubs` outlives both statements.
    auto bindHub = [](Statement& st, int base, const Hub& h) {
        st.bindUnowned(base + 1, h.id).bindUnowned(base + 2, h.kind).bindUnowned(base + 3, h.name);
        st.bindUnownedOptional(base + 4, h.prefecture).bindUnownedOptional(base + 5, h.municipality);
        st.bindUnownedOptional(base + 6, h.code).bindUnownedOptional(base + 7, h.details().district);
        if (h.lon && h.lat) {
            st.bind(base + 8, *h.lon).bind(base + 9, *h.lat);
        } else {
            st.bindNull(base + 8).bindNull(base + 9);
        }
        st.bindUnowned(base + 10, h.precision).bindUnownedOptional(base + 11, h.details().opened);
        st.bindUnownedOptional(base + 12, h.details().programme);
        if (h.details().fiscalYear) {
            st.bind(base + 13, *h.details().fiscalYear);
        } else {
            st.bindNull(base + 13);
        }
        st.bindUnownedOptional(base + 14, h.details().operatorName)
            .bindUnownedOptional(base + 15, h.details().sourceRef);
        st.bindUnowned(base + 16, h.source)
            .bindUnownedOptional(base + 17, h.note)
            .bindUnowned(base + 18, h.importSource)
            .bindUnownedOptional(base + 19, h.details().extra);
    };
    size_t i = 0;
    for (; i + kGroup <= hubs.size(); i += kGroup) {
        if (progress && i % 1024 < kGroup) {
            progress->checkCancelled();
            progress->fraction(static_cast<double>(i) / static_cast<double>(hubs.size()));
        }
        for (size_t r = 0; r < kGroup; ++r) bindHub(group, static_cast<int>(r) * kParams, hubs[i + r]);
        group.run();
    }
    if (i < hubs.size()) {
        Statement rest = db.prepare(insertSql(hubs.size() - i));
        for (size_t r = 0; i + r < hubs.size(); ++r) bindHub(rest, static_cast<int>(r) * kParams, hubs[i + r]);
        rest.run();
    }
    if (progress) progress->checkCancelled();
    if (wasSetAside("gii_hubs_geom")) {
        Statement fill = db.prepare(
            "INSERT INTO idx_hubs_geom(pkid, xmin, xmax, ymin, ymax) SELECT ROWID, lon, lon, lat, lat FROM hubs"
            " WHERE ROWID >= ? AND geom IS NOT NULL");  // geom is MakePoint(lon, lat): its box is the point
        fill.bind(1, firstRowid);
        fill.run();
    }
    if (wasSetAside("tmi_hubs_geom") && !hubs.empty()) {
        db.exec(
            "UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
            " WHERE Lower(f_table_name) = Lower('hubs') AND Lower(f_geometry_column) = Lower('geom')");
    }
    for (const auto& [name, sql] : setAside) db.exec(sql);
}

std::vector<Hub> selectHubs(const Database& db, const HubFilter& filter) {
    int pref = 0;
    if (!filter.prefecture.empty()) {
        pref = Geocoder::resolvePrefecture(filter.prefecture);
        if (pref == 0) throw UsageError(fmt::format("unknown prefecture '{}'", filter.prefecture));
    }
    const std::string prefix = fmt::format("{:02d}", pref);
    std::vector<Hub> out;
    for (Hub& h : readHubs(db)) {
        if (!filter.kind.empty() && h.kind != filter.kind) continue;
        if (!filter.importSource.empty() && h.importSource != filter.importSource) continue;
        if (pref != 0) {
            const bool inPref =
                h.code.empty() ? Geocoder::resolvePrefecture(h.prefecture) == pref : h.code.compare(0, 2, prefix) == 0;
            if (!inPref) continue;
        }
        out.push_back(std::move(h));
    }
    return out;
}

std::vector<std::pair<std::string, long long>> importSources(const Database& db) {
    std::vector<std::pair<std::string, long long>> out;
    Statement st = db.prepare("SELECT import_source, COUNT(*) FROM hubs GROUP BY import_source ORDER BY import_source");
    while (st.step()) out.emplace_back(st.text(0), st.int64(1));
    return out;
}

long long removeImportSource(const std::string& dbPath, const std::string& name) {
    Database db(dbPath, Database::Mode::ReadWrite);
    if (!db.tableExists("hubs")) throw Error(ErrorContext{dbPath, {}, -1, -1}, "not a hubmap database (no hubs table)");
    const auto sources = importSources(db);
    long long rows = 0;
    for (const auto& [source, n] : sources) {
        if (source == name) rows = n;
    }
    if (rows == 0) {
        std::string list;
        for (const auto& [source, n] : sources) list += fmt::format("\n  {} ({} rows)", source, n);
        throw UsageError(fmt::format("no import source named '{}' in {}; the sources are:{}", name, dbPath,
                                     list.empty() ? std::string(" none") : list));
    }
    Transaction tx(db, Transaction::Kind::Write);
    Statement del = db.prepare("DELETE FROM hubs WHERE import_source = ?");
    del.bind(1, name);
    del.run();
    forgetImportSource(db, name);
    tx.commit();
    return rows;
}

std::map<std::string, std::string> readKindLabels(const Database& db) {
    std::map<std::string, std::string> labels;
    if (!db.tableExists("kind_labels")) return labels;
    Statement st = db.prepare("SELECT kind, label FROM kind_labels");
    while (st.step()) labels.emplace(st.text(0), st.text(1));
    return labels;
}

void setKindLabel(Database& db, const std::string& kind, const std::string& label) {
    Statement st = db.prepare("INSERT OR REPLACE INTO kind_labels(kind, label) VALUES (?, ?)");
    st.bind(1, kind).bind(2, label);
    st.run();
}

std::string kindDisplayName(const std::string& kind, const std::map<std::string, std::string>& labels) {
    if (auto it = labels.find(kind); it != labels.end()) return it->second;
    if (kind == "small_hub") return "小さな拠点";
    if (kind == "rmo") return "地域運営組織";
    if (kind == "activity_centre") return "集落活動センター";
    if (kind == "model_project") return "関係人口モデル事業";
    return kind;
}

nlohmann::json hubsToJson(const std::vector<Hub>& hubs) {
    nlohmann::json out = nlohmann::json::array();
    auto textOrNull = [](const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); };
    for (const Hub& h : hubs) {
        nlohmann::json j;
        j["id"] = h.id;
        j["kind"] = h.kind;
        j["name"] = h.name;
        j["prefecture"] = textOrNull(h.prefecture);
        j["municipality"] = textOrNull(h.municipality);
        j["code"] = textOrNull(h.code);
        j["district"] = textOrNull(h.details().district);
        j["lon"] = h.lon ? nlohmann::json(*h.lon) : nlohmann::json();
        j["lat"] = h.lat ? nlohmann::json(*h.lat) : nlohmann::json();
        j["precision"] = h.precision;
        j["opened"] = textOrNull(h.details().opened);
        j["programme"] = textOrNull(h.details().programme);
        j["fiscal_year"] = h.details().fiscalYear ? nlohmann::json(*h.details().fiscalYear) : nlohmann::json();
        j["operator"] = textOrNull(h.details().operatorName);
        j["source_ref"] = textOrNull(h.details().sourceRef);
        j["source"] = h.source;
        j["note"] = textOrNull(h.note);
        j["import_source"] = h.importSource;
        // Written by import from a JSON object; text that is not one (a hand-edited database) stays text.
        j["extra"] =
            h.details().extra.empty() ? nlohmann::json() : nlohmann::json::parse(h.details().extra, nullptr, false);
        if (j["extra"].is_discarded()) j["extra"] = h.details().extra;
        out.push_back(std::move(j));
    }
    return out;
}

void writeHubsCsv(const std::vector<Hub>& hubs, const std::string& path) {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(hubs.size());
    for (const Hub& h : hubs) {
        const auto values = csvValues(h);
        rows.emplace_back(values.begin(), values.end());
    }
    writeTextCsv(path, std::vector<std::string>(kCsvColumns.begin(), kCsvColumns.end()), rows,
                 {"lat", "lon", "fiscal_year"});
}

}  // namespace hubmap
