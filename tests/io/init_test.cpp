// hubmap init on the real national data: counts, dissolves, designations, areas; and, on a
// small copy of geodata/, what a failed build leaves behind (nothing) and the default database.

#include "io/init.hpp"

#include <cpl_vsi.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "cli_runner.hpp"
#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "io/gdal.hpp"
#include "io/hubs.hpp"
#include "io/schema.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hubmap;
using hubmap::test::kGeodataDir;
using hubmap::test::kNationalDb;

namespace {

long long count(const Database& db, const std::string& sql) { return db.scalarInt(sql); }

class NationalDb : public ::testing::Test {
protected:
    static void TearDownTestSuite() {
        delete data_;
        data_ = nullptr;
    }
    /// Loaded on first use: CTest runs each test as its own process, and most only query SQL.
    static const Dataset& data() {
        if (!data_) {
            LoadOptions load;  // the tests read polygons and designations, no points
            load.settlements = false;
            load.population = false;
            data_ = new Dataset(loadDataset(kNationalDb, load));
        }
        return *data_;
    }
    Database db_{kNationalDb, Database::Mode::ReadOnly};

private:
    static Dataset* data_;
};
Dataset* NationalDb::data_ = nullptr;

}  // namespace

TEST_F(NationalDb, HasEveryN03FeatureAndThePublishedMunicipalityCount) {
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM admin_units"), 1906);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM admin_units WHERE is_ward = 1"), 175);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM admin_units WHERE code IS NULL AND name = '所属未定地'"), 4);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM municipalities"), 1747);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM municipalities WHERE northern_territories = 0"), 1741);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM municipalities WHERE northern_territories = 1"), 6);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM municipalities WHERE designated_city = 1"), 20);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM municipalities WHERE prefecture = '東京都' AND name LIKE '%区'"), 23);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM prefectures"), 47);
}

TEST_F(NationalDb, EveryMunicipalityIsValidAndNonEmpty) {
    const auto& ctx = *data().ctx;
    ASSERT_EQ(data().municipalities.size(), 1747u);
    for (const auto& m : data().municipalities) {
        EXPECT_EQ(GEOSisValid_r(ctx, m.geom.get()), 1) << m.code << " " << m.name;
        EXPECT_EQ(GEOSisEmpty_r(ctx, m.geom.get()), 0) << m.code;
        EXPECT_EQ(GEOSGeomTypeId_r(ctx, m.geom.get()), GEOS_MULTIPOLYGON) << m.code;
        EXPECT_GT(m.areaKm2, 0.0) << m.code;
    }
}

TEST_F(NationalDb, SapporoIsDissolvedFromItsTenWards) {
    const int i = data().municipalityIndex("01100");
    ASSERT_GE(i, 0);
    const Municipality& sapporo = data().municipalities[static_cast<size_t>(i)];
    EXPECT_EQ(sapporo.name, "札幌市");
    EXPECT_TRUE(sapporo.designatedCity);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM admin_units WHERE municipality_code = '01100' AND is_ward = 1"), 10);
    Statement sum = db_.prepare("SELECT SUM(area_km2) FROM admin_units WHERE municipality_code = '01100'");
    ASSERT_TRUE(sum.step());
    const double wardSum = sum.real(0);
    EXPECT_NEAR(sapporo.areaKm2, wardSum, wardSum * 1e-4);
    // Each ward lies inside the city.
    const auto& ctx = *data().ctx;
    Statement st =
        db_.prepare("SELECT name, AsBinary(PointOnSurface(geom)) FROM admin_units WHERE municipality_code = '01100'");
    int wards = 0;
    while (st.step()) {
        auto [wkb, size] = st.blob(1);
        GeomPtr p = geomFromWKB(ctx, wkb, size);
        EXPECT_EQ(GEOSContains_r(ctx, sapporo.geom.get(), p.get()), 1) << st.text(0);
        ++wards;
    }
    EXPECT_EQ(wards, 10);
    // Other designated cities get the smallest ward code with last digit 0: 横浜市 has 18 wards (14101–14118).
    EXPECT_GE(data().municipalityIndex("14100"), 0);
    EXPECT_GE(data().municipalityIndex("22130"), 0);  // 浜松市 from 22131
    EXPECT_EQ(data().municipalityIndex("14110"), -1);
}

TEST_F(NationalDb, DesignationsReproduceThePublishedTotals) {
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM designations"), 885);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM designations WHERE type = 'full'"), 713);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM designations WHERE type = 'partial'"), 158);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM designations WHERE type = 'deemed'"), 14);
    EXPECT_EQ(count(db_, "SELECT COUNT(DISTINCT code) FROM designations"), 885);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM designations d JOIN municipalities m USING (code)"), 885);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM designations WHERE incomplete = 1"), 4);
}

TEST_F(NationalDb, KnownDesignations) {
    auto find = [&](const std::string& pref, const std::string& name) -> const Designation* {
        for (const auto& m : data().municipalities) {
            if (m.prefecture == pref && m.name == name) return data().designationOf(m.code);
        }
        return nullptr;
    };
    const Designation* okawa = find("高知県", "大川村");
    ASSERT_NE(okawa, nullptr);
    EXPECT_EQ(okawa->type, DesignationType::Full);
    const Designation* hakodate = find("北海道", "函館市");
    ASSERT_NE(hakodate, nullptr);
    EXPECT_EQ(hakodate->type, DesignationType::Partial);
    EXPECT_EQ(hakodate->formerMunicipalities, (std::vector<std::string>{"戸井町", "恵山町", "椴法華村", "南茅部町"}));
    const Designation* ichinoseki = find("岩手県", "一関市");
    ASSERT_NE(ichinoseki, nullptr);
    EXPECT_EQ(ichinoseki->type, DesignationType::Deemed);
    // 檮原町 in the list is 梼原町 in N03.
    const Designation* yusuhara = find("高知県", "梼原町");
    ASSERT_NE(yusuhara, nullptr);
    EXPECT_EQ(yusuhara->name, "檮原町");
    const Designation* joetsu = find("新潟県", "上越市");
    ASSERT_NE(joetsu, nullptr);
    EXPECT_TRUE(joetsu->incomplete);
    EXPECT_EQ(find("東京都", "新宿区"), nullptr);
}

TEST_F(NationalDb, MunicipalAreasAgreeWithSpatiaLitesIndependentGeodesicArea) {
    // SpatiaLite's ST_Area(geom, 1) measures on the ellipsoid with its own code.
    Statement st = db_.prepare("SELECT code, area_km2, ST_Area(geom, 1) / 1e6 FROM municipalities");
    int n = 0;
    while (st.step()) {
        EXPECT_NEAR(st.real(1), st.real(2), st.real(2) * 1e-3) << st.text(0);
        ++n;
    }
    EXPECT_EQ(n, 1747);
}

TEST_F(NationalDb, PrefectureAreaEqualsItsMunicipalitiesAndTheIndependentPrefectureFile) {
    // Independent reference: the separately published prefecture polygons (prefectures.json).
    GdalDatasetPtr ref = openVector(std::string(kGeodataDir) + "/boundaries/prefectures.json.gz");
    OGRLayer* layer = ref->GetLayer(0);
    const auto& ctx = *data().ctx;
    Geodesic geod;
    std::map<std::string, double> refArea;
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        OGRGeometry* g = f->GetGeometryRef();
        std::vector<unsigned char> wkb(static_cast<size_t>(g->WkbSize()));
        g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
        GeomPtr geom = geomFromWKB(ctx, wkb.data(), wkb.size());
        refArea[fieldText(*f, "N03_001")] += geod.areaKm2(ctx, geom.get());
    }
    ASSERT_EQ(refArea.size(), 47u);
    for (const auto& p : data().prefectures) {
        Statement st = db_.prepare("SELECT SUM(area_km2) FROM admin_units WHERE prefecture_code = ?");
        st.bind(1, p.code);
        ASSERT_TRUE(st.step());
        const double unitsSum = st.real(0);  // municipalities + 所属未定地
        Statement sm = db_.prepare("SELECT SUM(area_km2) FROM municipalities WHERE prefecture_code = ?");
        sm.bind(1, p.code);
        ASSERT_TRUE(sm.step());
        EXPECT_NEAR(p.areaKm2, sm.real(0), sm.real(0) * 1e-3) << p.name;  // dissolved from them
        // prefectures.json was simplified separately (1% of vertices), so its outline differs
        // slightly from the union of the municipal polygons: up to 0.26% (沖縄県) is seen.
        EXPECT_NEAR(unitsSum, refArea[p.name], refArea[p.name] * 5e-3) << p.name;
    }
}

TEST_F(NationalDb, SettlementsAllJoinAMunicipality) {
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM settlements"), 277207);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM settlements WHERE code IS NULL"), 0);
    // Ward points fold into their city; 檮原町 and ヶ spellings join.
    EXPECT_GT(count(db_, "SELECT COUNT(*) FROM settlements WHERE code = '01100' AND municipality = '札幌市中央区'"), 0);
    EXPECT_GT(count(db_, "SELECT COUNT(*) FROM settlements WHERE municipality = '高岡郡檮原町' AND code = '39405'"), 0);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM settlements s JOIN municipalities m USING (code)"), 277207);
}

TEST_F(NationalDb, RecordsSourcesVintagesAndTheMlitCredit) {
    EXPECT_EQ(
        count(db_, "SELECT COUNT(*) FROM sources WHERE credit LIKE '%国土数値情報（行政区域データ）（国土交通省）%'"),
        1);
    EXPECT_FALSE(db_.scalarText("SELECT value FROM metadata WHERE key = 'hubmap_version'").empty());
    // admin_units, municipalities, prefectures, settlements, hubs, designated_parts, population
    // (the one without a spatial index: hubmap reads it whole).
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM geometry_columns"), 7);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM geometry_columns WHERE spatial_index_enabled = 1"), 6);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM geometry_columns WHERE f_table_name = 'population'"), 1);
}

// --- failures leave nothing behind ---------------------------------------------------

namespace {

// A geodata folder where every input is a link to the small test copy of geodata/ (高知県 and
// one municipality of each other prefecture: tests/make_small_geodata.py), so one file can be
// replaced. Init takes the same steps on it as on the real data, in a fraction of the time.
fs::path linkedGeodata(const fs::path& dir) {
    const fs::path out = dir / "geodata";
    for (const auto& rel : geodataInputs()) {
        fs::create_directories((out / rel).parent_path());
        fs::create_symlink(fs::path(test::kSmallGeodataDir) / rel, out / rel);
    }
    return out;
}

/// The data rows of a CSV file (its lines but the header).
int csvDataRows(const fs::path& file) {
    const std::string text = test::readFile(file.string());
    return static_cast<int>(std::count(text.begin(), text.end(), '\n')) - 1;
}

void replaceWith(const fs::path& file, const std::string& content) {
    fs::remove(file);
    std::ofstream(file, std::ios::binary) << content;
}

std::string runInitExpectingError(const InitOptions& opts) {
    Progress progress;
    try {
        initDatabase(opts, progress);
    } catch (const Error& e) {
        return e.what();
    }
    ADD_FAILURE() << "init did not fail";
    return {};
}

InitOptions withoutHubs(const std::string& db, const std::string& geodata, bool force) {
    InitOptions o;
    o.dbPath = db;
    o.geodataDir = geodata;
    o.force = force;
    o.loadHubs = false;
    return o;
}

bool anyFileStartingWith(const fs::path& dir, const std::string& prefix) {
    for (const auto& e : fs::directory_iterator(dir)) {
        if (e.path().filename().string().rfind(prefix, 0) == 0) return true;
    }
    return false;
}

}  // namespace

TEST(InitFailure, UnparsableBoundaryFileNamesTheFileAndLeavesNoDatabase) {
    test::ScratchDir scratch;
    const fs::path geodata = linkedGeodata(scratch.path());
    const fs::path bad = geodata / "boundaries/N03-21_39_210101.json.gz";
    fs::remove(bad);
    fs::copy_file(std::string(test::kTestDataDir) + "/init/not_geojson.json.gz", bad);
    InitOptions opts = withoutHubs(scratch.file("out.sqlite"), geodata.string(), false);
    const std::string msg = runInitExpectingError(opts);
    EXPECT_NE(msg.find("N03-21_39_210101.json.gz"), std::string::npos) << msg;
    EXPECT_FALSE(fs::exists(opts.dbPath));
    EXPECT_FALSE(anyFileStartingWith(scratch.path(), "out.sqlite"));
}

TEST(InitFailure, MissingInputIsNamed) {
    test::ScratchDir scratch;
    const fs::path geodata = linkedGeodata(scratch.path());
    fs::remove(geodata / "gazetteer/machiaza_points.csv.gz");
    InitOptions opts = withoutHubs(scratch.file("out.sqlite"), geodata.string(), false);
    const std::string msg = runInitExpectingError(opts);
    EXPECT_NE(msg.find("machiaza_points.csv.gz"), std::string::npos) << msg;
    EXPECT_NE(msg.find("missing"), std::string::npos) << msg;
    EXPECT_FALSE(fs::exists(opts.dbPath));
}

TEST(InitFailure, UnmatchedDesignationNamesTheRowAndKeepsTheOldDatabase) {
    test::ScratchDir scratch;
    const fs::path geodata = linkedGeodata(scratch.path());
    const fs::path csv = geodata / "designations/kaso_r4_2022-04-01.csv";
    const fs::path original = fs::path(test::kSmallGeodataDir) / "designations/kaso_r4_2022-04-01.csv";
    const std::string row = fmt::format("row {}", csvDataRows(original) + 1);
    std::string content = test::readFile(original.string());
    content += "高知県,存在しない村,全部過疎,,全部過疎\n";
    replaceWith(csv, content);
    // An existing database at the target must survive a failed --force rebuild unchanged.
    const std::string target = scratch.file("out.sqlite");
    std::ofstream(target) << "previous database";
    InitOptions opts = withoutHubs(target, geodata.string(), true);
    const std::string msg = runInitExpectingError(opts);
    EXPECT_NE(msg.find(row), std::string::npos) << row << ": " << msg;
    EXPECT_NE(msg.find("存在しない村"), std::string::npos) << msg;
    EXPECT_EQ(test::readFile(target), "previous database");
    EXPECT_FALSE(anyFileStartingWith(scratch.path(), "out.sqlite.building"));
}

TEST(InitFailure, RefusesToReplaceAnExistingDatabaseWithoutForce) {
    test::ScratchDir scratch;
    const std::string target = scratch.file("out.sqlite");
    std::ofstream(target) << "keep me";
    InitOptions opts = withoutHubs(target, kGeodataDir, false);
    Progress progress;
    EXPECT_THROW(initDatabase(opts, progress), UsageError);
    EXPECT_EQ(test::readFile(target), "keep me");
    const auto r = test::runHubmapBothWays("init --quiet --db " + target);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
}

/// Points HUBMAP_DB and HUBMAP_GEODATA somewhere for one test.
class DefaultDatabaseEnv {
public:
    DefaultDatabaseEnv(const std::string& db, const fs::path& geodata) {
        ::setenv("HUBMAP_DB", db.c_str(), 1);
        ::setenv("HUBMAP_GEODATA", geodata.c_str(), 1);
    }
    ~DefaultDatabaseEnv() {
        ::unsetenv("HUBMAP_DB");
        ::unsetenv("HUBMAP_GEODATA");
    }
};

TEST(DefaultDatabase, IsBuiltOnFirstUse) {
    test::ScratchDir scratch;
    const fs::path geodata = linkedGeodata(scratch.path());
    const std::string db = scratch.file("default.sqlite");
    DefaultDatabaseEnv env(db, geodata);
    Progress progress;
    EXPECT_EQ(resolveDatabase(std::nullopt, progress), db);
    ASSERT_TRUE(fs::exists(db));
    Database d(db, Database::Mode::ReadOnly);
    EXPECT_EQ(d.scalarText("SELECT value FROM metadata WHERE key = 'geodata_fingerprint'"),
              geodataFingerprint(geodata.string()));
    // 高知県's, one of every other prefecture and the two 美郷町 (tests/make_small_geodata.py).
    EXPECT_EQ(d.scalarInt("SELECT COUNT(*) FROM municipalities"), 34 + 46 + 2);
}

// Starts from a copy of the small fixture database (built by the same init from the small
// geodata, whose hub layer the linked folder lacks) instead of a first-use build of its own: one
// init, the rebuild, instead of two.
TEST(DefaultDatabase, ARebuildKeepsImportedHubs) {
    test::ScratchDir scratch;
    const fs::path geodata = linkedGeodata(scratch.path());
    const std::string db = scratch.file("default.sqlite");
    fs::copy_file(test::kSmallDb, db);
    DefaultDatabaseEnv env(db, geodata);
    {
        Database d(db, Database::Mode::ReadWrite);
        Hub h;
        h.id = "mine.csv:1";
        h.kind = "small_hub";
        h.name = "テスト拠点";
        h.code = "39344";
        h.lon = 133.5;
        h.lat = 33.76;
        h.precision = "exact";
        h.source = "mine.csv";
        h.importSource = "mine.csv";
        Transaction tx(d);
        insertHubs(d, {h});
        tx.commit();
        // Built from another geodata folder: the fingerprint differs, so the next use rebuilds.
        ASSERT_NE(d.scalarText("SELECT value FROM metadata WHERE key = 'geodata_fingerprint'"),
                  geodataFingerprint(geodata.string()));
    }
    Progress progress;
    EXPECT_EQ(resolveDatabase(std::nullopt, progress), db);
    Database d(db, Database::Mode::ReadOnly);
    EXPECT_EQ(d.scalarText("SELECT name FROM hubs WHERE import_source = 'mine.csv'"), "テスト拠点");
    EXPECT_EQ(d.scalarText("SELECT value FROM metadata WHERE key = 'geodata_fingerprint'"),
              geodataFingerprint(geodata.string()));
    // The rebuild read geodata/ afresh: the fixture's built-in hub layer is not in the linked
    // folder, so none is left.
    EXPECT_EQ(d.scalarInt("SELECT COUNT(*) FROM hubs WHERE import_source LIKE 'builtin:%'"), 0);
}

// --- population -----------------------------------------------------------------------

namespace {

/// The register figures of the vendored file, read here without hubmap: code -> population.
std::map<std::string, long long> registerFigures() {
    std::ifstream in(fs::path(kGeodataDir) / "population/municipalities_jumin_2022-01-01.csv");
    std::map<std::string, long long> out;
    std::string line;
    std::getline(in, line);  // header: dantai_code,prefecture,municipality,population
    while (std::getline(in, line)) {
        const size_t last = line.rfind(',');
        out[line.substr(0, 5)] = std::stoll(line.substr(last + 1));
    }
    return out;
}

}  // namespace

TEST_F(NationalDb, PopulationHoldsEverySmallAreaAndTheSpreadOfHokkaidoAndAichi) {
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM population WHERE method = 'census_2015_small_areas'"), 193317);
    EXPECT_EQ(count(db_, "SELECT SUM(population) FROM population WHERE method = 'census_2015_small_areas'"), 114229884);
    EXPECT_EQ(count(db_,
                    "SELECT COUNT(*) FROM population WHERE method = 'census_2015_small_areas' AND"
                    " substr(code, 1, 2) IN ('01', '23')"),
              0);
    // The 2015 codes that changed are read under today's.
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM population WHERE code IN ('04423', '40305')"), 0);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM population WHERE code = '04216'"), 77);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM population WHERE code = '40231'"), 106);
    // Wards are folded into their city: every code is a municipality's.
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM population WHERE code NOT IN (SELECT code FROM municipalities)"), 0);
    EXPECT_GT(count(db_, "SELECT COUNT(*) FROM population WHERE code = '04100'"), 0);  // 仙台市
    // Hokkaido and Aichi: each municipality's register population exactly, in integers.
    const std::map<std::string, long long> reg = registerFigures();
    Statement st = db_.prepare(
        "SELECT m.code, SUM(p.population), COUNT(p.id), MIN(p.method), MAX(p.method) FROM municipalities m"
        " LEFT JOIN population p ON p.code = m.code WHERE m.prefecture_code IN (1, 23) GROUP BY m.code");
    int municipalities = 0;
    while (st.step()) {
        ++municipalities;
        const std::string code = st.text(0);
        ASSERT_EQ(reg.count(code), 1u) << code;
        EXPECT_EQ(st.isNull(1) ? 0 : st.int64(1), reg.at(code)) << code;
        if (reg.at(code) > 0) {
            EXPECT_EQ(st.text(3), "register_2022_spread") << code;
            EXPECT_EQ(st.text(4), "register_2022_spread") << code;
        }
    }
    EXPECT_EQ(municipalities, 239);  // 233 with residents, the 6 Northern Territories villages without
    // Spread evenly: within a municipality the figures differ by at most one person.
    EXPECT_EQ(count(db_,
                    "SELECT COUNT(*) FROM (SELECT code FROM population WHERE method = 'register_2022_spread'"
                    " GROUP BY code HAVING MAX(population) - MIN(population) > 1)"),
              0);
}

TEST_F(NationalDb, SnappedPopulationPointsLieOnTheirMunicipality) {
    const long long snapped = count(db_, "SELECT COUNT(*) FROM population WHERE snapped = 1");
    EXPECT_GT(snapped, 1000);
    EXPECT_LT(snapped, 10000);
    // Snapped onto the boundary: within a few millimetres (float rounding) of the polygon.
    EXPECT_EQ(count(db_,
                    "SELECT COUNT(*) FROM population p JOIN municipalities m ON m.code = p.code"
                    " WHERE p.snapped = 1 AND ST_Distance(m.geom, p.geom) > 1e-7"),
              0);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM sources WHERE credit LIKE '%国勢調査（平成27年）小地域集計%'"), 1);
    EXPECT_EQ(count(db_, "SELECT COUNT(*) FROM sources WHERE credit LIKE '%住民基本台帳%'"), 1);
}

namespace {

/// Writes `text` gzip-compressed (GDAL's /vsigzip/ writer).
void writeGzip(const fs::path& file, const std::string& text) {
    fs::remove(file);
    VSILFILE* f = VSIFOpenL(("/vsigzip/" + file.string()).c_str(), "wb");
    ASSERT_NE(f, nullptr);
    ASSERT_EQ(VSIFWriteL(text.data(), 1, text.size(), f), text.size());
    VSIFCloseL(f);
}

/// Runs init on the real data with one population file replaced; returns its error.
std::string initWithPopulation(const std::string& file, const std::string& text, bool gzip) {
    test::ScratchDir scratch;
    const fs::path geodata = linkedGeodata(scratch.path());
    const fs::path target = geodata / file;
    if (gzip) {
        writeGzip(target, text);
    } else {
        replaceWith(target, text);
    }
    InitOptions opts = withoutHubs(scratch.file("out.sqlite"), geodata.string(), false);
    const std::string msg = runInitExpectingError(opts);
    EXPECT_FALSE(fs::exists(opts.dbPath));
    EXPECT_FALSE(anyFileStartingWith(scratch.path(), "out.sqlite"));
    return msg;
}

const std::string kSmallAreaHeader = "key_code,municipality_code_2015,name,population,lon,lat\n";
const std::string kGoodSmallArea = "392010010,39201,本町１丁目,120,133.5403,33.5611\n";

}  // namespace

TEST(InitFailure, PopulationFileWithAMissingColumnIsRejected) {
    const std::string msg =
        initWithPopulation("population/small_areas_2015.csv.gz",
                           "key_code,municipality_code_2015,name,lon,lat\n1,39201,a,133.5,33.5\n", true);
    EXPECT_NE(msg.find("small_areas_2015.csv.gz"), std::string::npos) << msg;
    EXPECT_NE(msg.find("missing required column 'population'"), std::string::npos) << msg;
}

TEST(InitFailure, PopulationNegativeOrNotANumberIsRejectedWithItsRow) {
    for (const char* bad : {"-5", "12x", "", "1.5"}) {
        const std::string msg = initWithPopulation(
            "population/small_areas_2015.csv.gz",
            kSmallAreaHeader + kGoodSmallArea + "392010020,39201,本町２丁目," + bad + ",133.54,33.56\n", true);
        EXPECT_NE(msg.find("small_areas_2015.csv.gz, row 2"), std::string::npos) << msg;
        EXPECT_NE(msg.find(std::string("population '") + bad + "' is not a count"), std::string::npos) << msg;
    }
}

// Its own test: GDAL's /vsigzip/ keeps the last file it read under a path, and the loop above
// wrote small files under the same path in this process.
TEST(InitFailure, RegisterPopulationNegativeIsRejectedWithItsRow) {
    const std::string msg = initWithPopulation(
        "population/municipalities_jumin_2022-01-01.csv",
        "dantai_code,prefecture,municipality,population\n011002,北海道,札幌市,1960668\n012025,北海道,函館市,-3\n",
        false);
    EXPECT_NE(msg.find("municipalities_jumin_2022-01-01.csv, row 2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("population '-3' is not a count"), std::string::npos) << msg;
}

TEST(InitFailure, PopulationPointOutsideJapanIsRejectedWithItsRow) {
    const std::string msg =
        initWithPopulation("population/small_areas_2015.csv.gz",
                           kSmallAreaHeader + kGoodSmallArea + kGoodSmallArea + "392010030,39201,海の上,7,0,0\n", true);
    EXPECT_NE(msg.find("small_areas_2015.csv.gz, row 3"), std::string::npos) << msg;
    EXPECT_NE(msg.find("lon='0' lat='0' is not in Japan"), std::string::npos) << msg;
}
