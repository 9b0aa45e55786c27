#include "io/schema.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <set>

#include "core/error.hpp"
#include "core/version.hpp"
#include "io/spatialite.hpp"

namespace fs = std::filesystem;

namespace hubmap {

namespace {

struct GeometryColumn {
    const char* table;
    const char* type;
    /// An R-tree (not for population: hubmap reads it whole, and 260k entries cost init time).
    bool index = true;
    /// Declared as a plain BLOB and registered after the rows are in (RecoverGeometryColumn):
    /// SpatiaLite's insert trigger checks every row against geometry_columns (measured: 260k
    /// population rows took 15 s of init's wall time at load 12, 0.7 s without); the
    /// recovery checks them in one pass.
    bool registerAfterInsert = false;
    /// Registered and indexed while the table is empty; its writer sets SpatiaLite's per-row
    /// triggers aside and fills the index in one pass (loadSpatialIndex): CreateSpatialIndex
    /// over the filled table spent a third of init's CPU inserting 277k R*Tree entries one by one.
    bool loadIndex = false;
};

constexpr GeometryColumn kGeometryColumns[] = {
    {"admin_units", "MULTIPOLYGON"},
    {"municipalities", "MULTIPOLYGON"},
    {"prefectures", "MULTIPOLYGON"},
    {"settlements", "POINT", true, true, true},
    {"hubs", "POINT"},
    {"designated_parts", "MULTIPOLYGON"},
    {"population", "POINT", false, true},
};

void recoverGeometryColumn(Database& db, const GeometryColumn& c) {
    if (db.scalarInt(fmt::format("SELECT RecoverGeometryColumn('{}', 'geom', 6668, '{}', 'XY')", c.table, c.type)) !=
        1) {
        throw Error(fmt::format("SpatiaLite could not register {}.geom as a {} column", c.table, c.type));
    }
}

}  // namespace

void createSchema(Database& db) {
    db.exec("SELECT InitSpatialMetadata(0, 'NONE')");
    db.exec("SELECT InsertEpsgSrid(6668)");
    db.exec(R"SQL(
CREATE TABLE metadata (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (name TEXT NOT NULL, vintage TEXT, file TEXT, rows INTEGER, credit TEXT);
CREATE TABLE admin_units (
  id INTEGER PRIMARY KEY,
  code TEXT,                      -- N03_007; NULL for 所属未定地
  municipality_code TEXT,         -- its own code, or its designated city's for wards
  prefecture_code INTEGER NOT NULL,
  prefecture TEXT NOT NULL,
  subprefecture TEXT,
  county TEXT,                    -- 郡, or the designated city for wards
  name TEXT NOT NULL,
  is_ward INTEGER NOT NULL,
  area_km2 REAL NOT NULL,
  source_file TEXT NOT NULL,
  source_feature INTEGER NOT NULL);
CREATE TABLE municipalities (
  code TEXT PRIMARY KEY,
  prefecture_code INTEGER NOT NULL,
  prefecture TEXT NOT NULL,
  county TEXT,
  name TEXT NOT NULL,
  designated_city INTEGER NOT NULL,
  northern_territories INTEGER NOT NULL,
  area_km2 REAL NOT NULL);
CREATE TABLE prefectures (
  code INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  municipality_count INTEGER NOT NULL,
  area_km2 REAL NOT NULL);
CREATE TABLE designations (
  code TEXT PRIMARY KEY REFERENCES municipalities(code),
  prefecture TEXT NOT NULL,
  name TEXT NOT NULL,             -- as written in the source
  type TEXT NOT NULL CHECK (type IN ('full','partial','deemed')),
  type_ja TEXT NOT NULL,
  former_municipalities TEXT,     -- 一部過疎: designated former municipalities, '|'-separated
  previous_type TEXT,
  incomplete INTEGER NOT NULL,    -- 1: the source row was cut short
  source_row INTEGER NOT NULL);
-- 一部過疎: the designated part, fitted from the former municipalities the row names
-- (derived from CODH's 歴史的行政区域データセット: CC BY-SA 4.0).
CREATE TABLE designated_parts (
  code TEXT PRIMARY KEY REFERENCES designations(code),
  area_km2 REAL NOT NULL,         -- geodesic area of the fitted part
  former_area_km2 REAL NOT NULL,  -- geodesic area of the matched former polygons themselves
  measured_on TEXT NOT NULL CHECK (measured_on IN ('former_municipalities','whole_fallback')));
CREATE TABLE designated_part_names (
  code TEXT NOT NULL REFERENCES designated_parts(code),
  position INTEGER NOT NULL,      -- 1-based, in the order of みなされる区域
  name TEXT NOT NULL,             -- as in the designation list
  matched_name TEXT,
  matched_prefecture TEXT,
  how TEXT NOT NULL CHECK (how IN ('exact','normalised','prefix','other_prefecture','other_year','unmatched')),
  former_area_km2 REAL,           -- geodesic area of the matched polygon
  reason TEXT,                    -- why unmatched, or how an inexact match was decided
  PRIMARY KEY (code, position));
CREATE TABLE settlements (
  id INTEGER PRIMARY KEY,
  code TEXT,                      -- municipality code; NULL when the name joined none
  prefecture TEXT NOT NULL,
  municipality TEXT NOT NULL,
  town TEXT NOT NULL,
  koaza TEXT,
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  geom BLOB);                     -- POINT, registered and indexed while empty (loadIndex)
CREATE INDEX settlements_code ON settlements(code);
CREATE TABLE hubs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  prefecture TEXT,
  municipality TEXT,
  code TEXT,
  district TEXT,
  lon REAL,
  lat REAL,
  precision TEXT NOT NULL CHECK (precision IN ('exact','settlement','municipality','prefecture')),
  opened TEXT,
  programme TEXT,
  fiscal_year INTEGER,
  operator TEXT,
  source_ref TEXT,
  source TEXT NOT NULL,
  note TEXT,
  import_source TEXT NOT NULL,
  extra TEXT);                    -- JSON object: the imported row's other columns (schema 4)
-- Residents as weighted points: 2015 census small areas, or (Hokkaido, Aichi) the 2022 register
-- population of a municipality spread over its gazetteer settlements. Sorted by code, name.
CREATE TABLE population (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL,             -- municipality code (current; wards folded into their city)
  key_code TEXT,                  -- the census KEY_CODE; NULL for a spread figure
  name TEXT NOT NULL,             -- the small area (町丁・字), or the settlement for a spread figure
  population INTEGER NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('census_2015_small_areas','register_2022_spread')),
  lon REAL NOT NULL,
  lat REAL NOT NULL,
  snapped INTEGER NOT NULL,       -- 1: moved onto its municipality's polygon
  geom BLOB);                     -- POINT, registered once filled (createSpatialIndexes)
-- Display names of custom hub kinds (`import --kind-label`), for legends, tables and styles (schema 4).
CREATE TABLE kind_labels (kind TEXT PRIMARY KEY, label TEXT NOT NULL);
CREATE INDEX hubs_kind ON hubs(kind);
CREATE INDEX hubs_import_source ON hubs(import_source);
)SQL");
    for (const auto& c : kGeometryColumns) {
        if (c.registerAfterInsert) continue;
        db.exec(fmt::format("SELECT AddGeometryColumn('{}', 'geom', 6668, '{}', 'XY', {})", c.table, c.type,
                            std::string_view(c.table) == "hubs" ? 0 : 1));
    }
    // After the others, so that geometry_columns lists the columns in the same order as ever.
    for (const auto& c : kGeometryColumns) {
        if (!c.loadIndex) continue;
        recoverGeometryColumn(db, c);
        db.exec(fmt::format("SELECT CreateSpatialIndex('{}', 'geom')", c.table));
    }
}

int schemaVersion(const Database& db) {
    if (!db.tableExists("metadata")) return 0;
    const std::string v = db.scalarText("SELECT value FROM metadata WHERE key = 'schema_version'");
    try {
        return v.empty() ? 0 : std::stoi(v);
    } catch (const std::exception&) {
        return 0;
    }
}

bool hubsHaveExtra(const Database& db) {
    return db.scalarInt("SELECT COUNT(*) FROM pragma_table_info('hubs') WHERE name = 'extra'") > 0;
}

void upgradeSchema(Database& db) {
    const int version = schemaVersion(db);
    if (version == kSchemaVersion) return;
    if (version < kOldestUpgradableSchema || version > kSchemaVersion) {
        throw Error(ErrorContext{db.path(), {}, -1, -1},
                    fmt::format("database schema {} cannot be upgraded to {}; rebuild it with: hubmap init --force "
                                "--db {} (export your imported hubs first with `hubmap hubs --format csv`)",
                                version, kSchemaVersion, db.path()));
    }
    // 3 → 4: an added nullable column; every row and index stays as it is.
    if (!hubsHaveExtra(db)) db.exec("ALTER TABLE hubs ADD COLUMN extra TEXT");
    db.exec("CREATE TABLE IF NOT EXISTS kind_labels (kind TEXT PRIMARY KEY, label TEXT NOT NULL)");
    Statement st = db.prepare("UPDATE metadata SET value = ? WHERE key = 'schema_version'");
    st.bind(1, std::to_string(kSchemaVersion));
    st.run();
}

void createSpatialIndexes(Database& db) {
    for (const auto& c : kGeometryColumns) {
        if (c.loadIndex) continue;  // registered and indexed by createSchema, filled by its writer
        if (c.registerAfterInsert) recoverGeometryColumn(db, c);
        if (c.index) db.exec(fmt::format("SELECT CreateSpatialIndex('{}', 'geom')", c.table));
    }
}

std::string geodataFingerprint(const std::string& geodataDir) {
    // FNV-1a over sorted (relative path, size) pairs: cheap, and changes with any edit that changes a size.
    std::set<std::pair<std::string, std::uintmax_t>> files;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(geodataDir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->is_regular_file()) files.emplace(fs::relative(it->path(), geodataDir).string(), it->file_size());
    }
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const std::string& s) {
        for (unsigned char c : s) {
            h ^= c;
            h *= 1099511628211ull;
        }
    };
    for (const auto& [name, size] : files) mix(name + ":" + std::to_string(size) + ";");
    return fmt::format("{:016x}", h);
}

}  // namespace hubmap
