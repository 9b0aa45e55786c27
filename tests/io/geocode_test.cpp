// The offline geocoder and the curated hub layers, on the real national database.

#include "io/geocode.hpp"

#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <set>

#include "cli_runner.hpp"
#include "core/geodesic.hpp"
#include "core/geos.hpp"
#include "io/gdal.hpp"
#include "io/name_index.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"
#include "test_util.hpp"

using namespace hubmap;
using hubmap::test::kGeodataDir;
using hubmap::test::kNationalDb;
using hubmap::test::runHubmapInProcess;

namespace {

class GeocoderTest : public ::testing::Test {
protected:
    GeocodeResult at(const std::string& prefecture, const std::string& municipality, const std::string& district = {},
                     const std::string& code = {}) {
        return geocoder_.geocode(Address{prefecture, municipality, district, code, {}});
    }
    Database db_{kNationalDb, Database::Mode::ReadOnly};
    Geocoder geocoder_{db_};
};

}  // namespace

TEST(DistrictKey, FoldsVariantsAndAffixes) {
    EXPECT_EQ(districtKey("大字姫ノ井"), "姫ノ井");
    EXPECT_EQ(districtKey("姫の井"), "姫ノ井");
    EXPECT_EQ(districtKey("字市之原"), "市ノ原");
    EXPECT_EQ(districtKey("汗見川地区"), "汗見川");
    EXPECT_EQ(districtKey(" 金ヶ崎　"), "金ケ崎");
    EXPECT_EQ(districtKey("地区"), "地区");  // an affix alone is left alone
}

TEST(DistrictKey, ChomeInThreeSpellingsAndOazaInsideAMergedMunicipality) {
    EXPECT_EQ(districtKey("中央ヶ丘3丁目"), districtKey("中央ケ丘三丁目"));
    EXPECT_EQ(districtKey("中央ヶ丘３丁目"), "中央ケ丘3丁目");
    EXPECT_EQ(districtKey("北一条西十二丁目"), "北1条西12丁目");
    EXPECT_EQ(districtKey("北１条西１２丁目"), "北1条西12丁目");
    EXPECT_EQ(districtKey("掛合町大字多根"), "掛合町多根");
    EXPECT_EQ(districtKey("旭が丘"), districtKey("旭ヶ丘"));
    EXPECT_EQ(districtKey("三原"), "三原");  // a kanji number in a name stays
}

TEST(NameKeys, NfkcFoldsWidthsAndKeepsTheVariantTable) {
    EXPECT_EQ(matchKey("ｶﾞｲﾉ町"), "ガイノ町");  // half-width katakana, its voiced mark composed
    EXPECT_EQ(matchKey("１２３"), "123");
    EXPECT_EQ(matchKey("梼原町"), matchKey("檮原町"));  // the variant table, which NFKC does not cover
    EXPECT_EQ(matchKey("上の国町"), matchKey("上ノ国町"));
    EXPECT_EQ(matchKey("本山町　"), "本山町");
    EXPECT_EQ(editDistance("美里町", "美郷町"), 1u);
    EXPECT_EQ(editDistance("", "多根"), 2u);
}

TEST(Precision, KeysRoundTrip) {
    for (Precision p : {Precision::Exact, Precision::Settlement, Precision::Municipality, Precision::Prefecture}) {
        EXPECT_EQ(parsePrecision(precisionKey(p)), p);
    }
    EXPECT_FALSE(parsePrecision("street").has_value());
}

TEST_F(GeocoderTest, MunicipalityNamesInTheirUsualSpellings) {
    for (const auto& name : {"本山町", "長岡郡本山町", "高知県本山町", "高知県長岡郡本山町"}) {
        const auto r = at("高知県", name);
        ASSERT_TRUE(r.ok()) << name << ": " << r.problem;
        EXPECT_EQ(r.code, "39341") << name;
        EXPECT_EQ(r.precision, Precision::Municipality);
        EXPECT_TRUE(r.fallback.empty());
    }
    EXPECT_EQ(at("高知県", "檮原町").code, "39405");  // 檮/梼
    EXPECT_EQ(at("高知", "梼原町").code, "39405");
    EXPECT_EQ(at("39", "梼原町").code, "39405");
    EXPECT_EQ(at("", "梼原町").code, "39405");  // unique in Japan: no prefecture needed
    EXPECT_EQ(at("", "", "", "39405").municipality, "梼原町");
}

TEST_F(GeocoderTest, WardsResolveToTheirDesignatedCity) {
    const auto r = at("北海道", "札幌市中央区");
    ASSERT_TRUE(r.ok()) << r.problem;
    EXPECT_EQ(r.code, "01100");
    EXPECT_EQ(r.municipality, "札幌市");
    EXPECT_EQ(at("北海道", "札幌市").code, "01100");
    EXPECT_EQ(at("静岡県", "浜松市中区").code, "22130");
    // A ward-level district: searched within the ward the address names.
    const auto d = at("北海道", "札幌市中央区", "大通西一丁目");
    EXPECT_EQ(d.precision, Precision::Settlement) << d.fallback;
    EXPECT_EQ(d.districtMatch, DistrictMatch::Exact);
}

TEST_F(GeocoderTest, UnknownAndAmbiguousNamesAreProblemsNotGuesses) {
    // The nearest names by edit distance come with it (土佐郡大川村 is what was meant).
    EXPECT_EQ(at("高知県", "大川町").problem,
              "no municipality named '大川町' in 高知県 (nearest: 幡多郡大月町, 長岡郡大豊町, 土佐郡大川村)");
    const auto ward = at("大阪府", "北区");
    EXPECT_NE(ward.problem.find("is ambiguous: 27100 大阪府 大阪市, 27140 大阪府 堺市"), std::string::npos)
        << ward.problem;
    const auto fuchu = at("", "府中市");  // 東京都 and 広島県
    EXPECT_NE(fuchu.problem.find("(give the prefecture or the 郡)"), std::string::npos) << fuchu.problem;
    EXPECT_EQ(at("ムー県", "本山町").problem, "unknown prefecture 'ムー県'");
    EXPECT_NE(at("高知県", "本山町", "", "39405").problem.find("contradicts"), std::string::npos);
    EXPECT_NE(at("", "").problem.find("no prefecture, municipality or code"), std::string::npos);
}

namespace {

/// The gazetteer point of one town (大字・町丁目 without 小字) of a municipality.
std::pair<double, double> gazetteerPoint(const Database& db, const std::string& code, const std::string& town) {
    Statement st =
        db.prepare("SELECT lon, lat FROM settlements WHERE code = ? AND town = ? AND IFNULL(koaza, '') = ''");
    st.bind(1, code);
    st.bind(2, town);
    if (!st.step()) throw std::runtime_error("no gazetteer entry " + code + " " + town);
    return {st.real(0), st.real(1)};
}

}  // namespace

TEST_F(GeocoderTest, AddressesInOneCellSplitIntoTheirParts) {
    const auto names = MunicipalityNameIndex::fromDatabase(db_);
    auto p = parseAddress("島根県邑智郡美郷町粕渕１２３番地", names);
    ASSERT_TRUE(p.ok()) << p.problem;
    EXPECT_EQ(p.prefecture, "島根県");
    EXPECT_EQ(p.municipality, "邑智郡美郷町");
    EXPECT_EQ(p.district, "粕渕");
    EXPECT_EQ(p.lot, "１２３番地");
    p = parseAddress("雲南市掛合町大字多根 ４５６－７（旧掛合町）", names);
    EXPECT_EQ(p.prefecture, "");
    EXPECT_EQ(p.municipality, "雲南市");
    EXPECT_EQ(p.district, "掛合町大字多根");
    EXPECT_EQ(p.lot, "４５６－７");
    EXPECT_EQ(p.notes, std::vector<std::string>{"旧掛合町"});
    p = parseAddress("札幌市中央区北１条西２丁目１－１", names);
    EXPECT_EQ(p.municipality, "札幌市中央区");
    EXPECT_EQ(p.district, "北１条西２丁目");
    EXPECT_EQ(p.lot, "１－１");
    p = parseAddress("山梨県西八代郡市川三郷町市川大門１７９０番地３", names);  // not 市川市
    EXPECT_EQ(p.municipality, "西八代郡市川三郷町");
    EXPECT_EQ(p.district, "市川大門");
    p = parseAddress("高知県四万十市中村大橋通四丁目10番地", names);  // 四 of 四万十 is a name
    EXPECT_EQ(p.municipality, "四万十市");
    EXPECT_EQ(p.district, "中村大橋通四丁目");
    EXPECT_EQ(p.lot, "10番地");
    p = parseAddress("三重県名張市すずらん台東一番町１２", names);  // 一番町 is a name, not 一番
    EXPECT_EQ(p.district, "すずらん台東一番町");
    EXPECT_EQ(p.lot, "１２");
    p = parseAddress("島根県美里町粕渕1", names);
    EXPECT_FALSE(p.ok());
    EXPECT_EQ(p.suggestions, std::vector<std::string>{"邑智郡美郷町"});
    EXPECT_FALSE(parseAddress("どこか1-2", names).ok());
    EXPECT_FALSE(parseAddress("", names).ok());
    EXPECT_EQ(leadingChomeOfLot("３－４－５"), 3);
    EXPECT_EQ(leadingChomeOfLot("12-3"), 0);  // 番地-枝番
}

TEST_F(GeocoderTest, AddressesInOneCellArePlacedAtTheGazetteerPoint) {
    struct Case {
        std::string prefecture, address, code, town;
    };
    const std::vector<Case> cases = {
        {"", "島根県邑智郡美郷町粕渕１２３番地", "32448", "粕渕"},
        {"", "邑智郡美郷町粕渕123", "32448", "粕渕"},   // the 郡 decides: not 秋田県 or 宮崎県 美郷町
        {"島根県", "美郷町粕渕 123", "32448", "粕渕"},  // the prefecture from its own column
        {"", "雲南市掛合町大字多根４５６（旧掛合町）", "32209", "掛合町多根"},
        {"", "北海道札幌市中央区北１条西２丁目１－１", "01100", "北一条西二丁目"},
        {"", "いなべ市大安町中央ヶ丘３丁目1-2", "24214", "大安町中央ヶ丘三丁目"},
        {"", "いなべ市大安町中央ヶ丘三丁目1-2", "24214", "大安町中央ヶ丘三丁目"},
        {"", "三重県いなべ市大安町中央ケ丘3-1-2", "24214", "大安町中央ヶ丘三丁目"},  // 丁目-番-号
        {"", "三重県三重郡川越町大字亀崎新田８９番地の１", "24344", "大字亀崎新田"},
    };
    for (const auto& c : cases) {
        const auto r = geocoder_.geocode(Address{c.prefecture, {}, {}, {}, c.address});
        ASSERT_TRUE(r.ok()) << c.address << ": " << r.problem;
        EXPECT_EQ(r.code, c.code) << c.address;
        EXPECT_EQ(r.precision, Precision::Settlement) << c.address << ": " << r.fallback;
        const auto [lon, lat] = gazetteerPoint(db_, c.code, c.town);
        EXPECT_DOUBLE_EQ(*r.lon, lon) << c.address;
        EXPECT_DOUBLE_EQ(*r.lat, lat) << c.address;
    }
    // Not found: the nearest towns, a former municipality's name first.
    const auto tane = geocoder_.geocode(Address{"", {}, {}, {}, "島根県雲南市多根456"});
    ASSERT_TRUE(tane.ok()) << tane.problem;
    EXPECT_EQ(tane.precision, Precision::Municipality);
    ASSERT_FALSE(tane.suggestions.empty());
    EXPECT_EQ(tane.suggestions.front(), "掛合町多根");
    EXPECT_NE(tane.fallback.find("(nearest: 掛合町多根"), std::string::npos) << tane.fallback;
    // Two municipalities without a 郡 or prefecture; a prefecture that contradicts the column.
    EXPECT_NE(geocoder_.geocode(Address{"", {}, {}, {}, "美郷町粕渕1"}).problem.find("is ambiguous"),
              std::string::npos);
    EXPECT_NE(geocoder_.geocode(Address{"高知県", {}, {}, {}, "島根県雲南市多根"}).problem.find("prefecture column"),
              std::string::npos);
}

TEST_F(GeocoderTest, DistrictMatchingExactThenNormalisedThenPrefix) {
    auto r = at("高知県", "梼原町", "松原");
    EXPECT_EQ(r.precision, Precision::Settlement);
    EXPECT_EQ(r.districtMatch, DistrictMatch::Exact);
    EXPECT_EQ(r.settlement, "松原");

    r = at("高知県", "大月町", "姫の井地区");  // gazetteer: 大字姫ノ井
    EXPECT_EQ(r.precision, Precision::Settlement);
    EXPECT_EQ(r.districtMatch, DistrictMatch::Normalised);
    EXPECT_EQ(r.settlement, "大字姫ノ井");

    r = at("高知県", "いの町", "越裏門・寺川");  // the district extends the gazetteer name 越裏門
    EXPECT_EQ(r.precision, Precision::Settlement);
    EXPECT_EQ(r.districtMatch, DistrictMatch::Prefix);
    EXPECT_EQ(r.settlement, "越裏門");

    // Several towns share the prefix: no guess, the municipality's point, and why.
    r = at("高知県", "宿毛市", "沖の島");
    EXPECT_EQ(r.precision, Precision::Municipality);
    EXPECT_NE(r.fallback.find("ambiguous"), std::string::npos) << r.fallback;
    EXPECT_NE(r.fallback.find("沖の島町鵜来島"), std::string::npos) << r.fallback;

    r = at("高知県", "本山町", "汗見川");
    EXPECT_EQ(r.precision, Precision::Municipality);
    EXPECT_EQ(r.fallback, "district '汗見川' matches no gazetteer entry of 高知県 本山町");

    r = at("高知県", "奈半利町", "全域");  // whole municipality: not a fallback
    EXPECT_EQ(r.precision, Precision::Municipality);
    EXPECT_TRUE(r.fallback.empty());
}

TEST_F(GeocoderTest, AGazetteerPointOutsideTheSimplifiedPolygonFallsBackToPointOnSurface) {
    // 土佐清水市 養老: its gazetteer point lies just off the simplified coastline.
    const auto r = at("高知県", "土佐清水市", "養老");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.precision, Precision::Municipality);
    EXPECT_EQ(r.settlement, "養老");
    EXPECT_NE(r.fallback.find("lies outside the simplified boundary of 高知県 土佐清水市"), std::string::npos)
        << r.fallback;
    ASSERT_TRUE(r.lon && r.lat);
    EXPECT_TRUE(geocoder_.contains("39209", *r.lon, *r.lat));
}

TEST_F(GeocoderTest, LocateFindsTheMunicipalityOrMeasuresTheSea) {
    auto loc = geocoder_.locate(133.5311, 33.5597);  // 高知県庁
    EXPECT_TRUE(loc.inJapan);
    EXPECT_EQ(loc.code, "39201");
    EXPECT_EQ(loc.municipality, "高知市");

    // 土佐湾, some 15 km out. The reference: the geodesic distance to the nearest vertex of every
    // 高知県 boundary densified to 0.0002° (≈ 20 m), so within 20 m of the true gap.
    loc = geocoder_.locate(133.6, 33.35);
    EXPECT_TRUE(loc.inJapan);
    EXPECT_TRUE(loc.code.empty());
    GeosContext ctx;
    Geodesic geodesic;
    double bestKm = 1e9;
    std::string bestName;
    Statement st = db_.prepare("SELECT name, AsBinary(geom) FROM municipalities WHERE code LIKE '39%'");
    while (st.step()) {
        auto [data, size] = st.blob(1);
        GeomPtr g = geomFromWKB(ctx, data, size);
        GeomPtr dense = takeGeom(ctx, GEOSDensify_r(ctx, g.get(), 0.0002), "densify");
        GeomPtr points = takeGeom(ctx, GEOSGeom_extractUniquePoints_r(ctx, dense.get()), "points");
        for (int i = 0; i < GEOSGetNumGeometries_r(ctx, points.get()); ++i) {
            double x = 0, y = 0;
            GEOSGeomGetX_r(ctx, GEOSGetGeometryN_r(ctx, points.get(), i), &x);
            GEOSGeomGetY_r(ctx, GEOSGetGeometryN_r(ctx, points.get(), i), &y);
            if (const double d = geodesic.distanceKm(133.6, 33.35, x, y); d < bestKm) {
                bestKm = d;
                bestName = st.text(0);
            }
        }
    }
    EXPECT_NEAR(loc.nearestKm, bestKm, 0.02);
    EXPECT_EQ(loc.nearestName, "高知県 " + bestName);
    EXPECT_GT(loc.nearestKm, 10);

    loc = geocoder_.locate(129.0, 37.0);  // off the Korean east coast
    EXPECT_FALSE(loc.inJapan);
    EXPECT_GT(loc.nearestKm, 100);
}

// ---- the curated layers as init loaded them -------------------------------------------------

namespace {

std::map<std::string, long long> countBy(const Database& db, const std::string& sql) {
    std::map<std::string, long long> out;
    Statement st = db.prepare(sql);
    while (st.step()) out[st.text(0)] = st.int64(1);
    return out;
}

}  // namespace

TEST(CuratedLayers, KochiActivityCentres64In32Municipalities) {
    Database db(kNationalDb, Database::Mode::ReadOnly);
    const std::string where = " FROM hubs WHERE import_source = 'builtin:kochi_activity_centres.csv'";
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*)" + where), 65);  // centre 59 spans 田野町 and 安田町
    EXPECT_EQ(db.scalarInt("SELECT COUNT(DISTINCT source_ref)" + where), 64);
    EXPECT_EQ(db.scalarInt("SELECT COUNT(DISTINCT code)" + where), 32);
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*)" + where + " AND (kind <> 'activity_centre' OR code NOT LIKE '39%')"), 0);
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*)" + where + " AND source_ref = '59'"), 2);
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*)" + where + " AND precision NOT IN ('settlement', 'municipality')"), 0);
}

TEST(CuratedLayers, TwentyCaseStudySmallHubs) {
    Database db(kNationalDb, Database::Mode::ReadOnly);
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM hubs WHERE kind = 'small_hub' AND programme LIKE '%事例集%'"), 20);
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM hubs WHERE id = 'sh2019-01' AND name = '店っこくちない' AND "
                           "code = '03206'"),
              1);  // 店っこくちない（岩手県北上市）
}

TEST(CuratedLayers, ModelProjectRowsPerFiscalYear) {
    // The CSV holds every row of the documents; the nine R2 rows that name no place cannot be hubs.
    GdalDatasetPtr ds = openVector(std::string(kGeodataDir) + "/hubs/model_projects.csv",
                                   {"HEADERS=YES", "AUTODETECT_TYPE=NO"}, {"CSV"});
    std::map<std::string, long long> inCsv;
    OGRLayer* layer = ds->GetLayer(0);
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        ++inCsv[fieldText(*f, "fiscal_year")];
    }
    const std::map<std::string, long long> documents = {{"", 3},      {"2018", 2},  {"2019", 2}, {"2020", 10},
                                                        {"2021", 84}, {"2022", 18}, {"2024", 7}};
    EXPECT_EQ(inCsv, documents);

    Database db(kNationalDb, Database::Mode::ReadOnly);
    const auto loaded = countBy(db,
                                "SELECT COALESCE(fiscal_year, ''), COUNT(*) FROM hubs WHERE kind = 'model_project'"
                                " GROUP BY fiscal_year");
    auto expected = documents;
    expected["2020"] = 1;  // 十勝シティデザイン at 帯広市; the other nine name no area
    EXPECT_EQ(loaded, expected);
    const auto r3 = countBy(db, "SELECT programme, COUNT(*) FROM hubs WHERE fiscal_year = 2021 GROUP BY programme");
    EXPECT_EQ(r3.at("関係人口創出・拡大のための中間支援組織の提案型モデル事業(委託)"), 58);
    EXPECT_EQ(r3.at("関係人口創出・拡大のための中間支援組織の提案型モデル事業(補助タイプ)"), 26);
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM hubs WHERE kind = 'model_project' AND precision = 'prefecture'"), 6);
}

TEST(CuratedLayers, EveryLocatedHubLiesInsideItsOwnMunicipality) {
    // Checked with GEOS directly against the stored polygons, not through the geocoder.
    Database db(kNationalDb, Database::Mode::ReadOnly);
    GeosContext ctx;
    std::map<std::string, std::pair<GeomPtr, PreparedPtr>> polygons;
    {
        Statement st = db.prepare("SELECT code, AsBinary(geom) FROM municipalities");
        while (st.step()) {
            auto [data, size] = st.blob(1);
            GeomPtr g = geomFromWKB(ctx, data, size);
            PreparedPtr p = prepare(ctx, g.get());
            polygons.emplace(st.text(0), std::make_pair(std::move(g), std::move(p)));
        }
    }
    long long checked = 0;
    Statement st = db.prepare("SELECT id, code, lon, lat, precision, X(geom), Y(geom) FROM hubs");
    while (st.step()) {
        const std::string id = st.text(0), precision = st.text(4);
        if (precision == "prefecture") {
            EXPECT_TRUE(st.isNull(2) && st.isNull(5)) << id << " has a point at prefecture precision";
            continue;
        }
        EXPECT_DOUBLE_EQ(st.real(2), st.real(5)) << id << ": lon column and geometry differ";
        EXPECT_DOUBLE_EQ(st.real(3), st.real(6)) << id << ": lat column and geometry differ";
        if (precision == "exact" && st.isNull(1)) continue;  // an imported point off every polygon
        auto it = polygons.find(st.text(1));
        ASSERT_NE(it, polygons.end()) << id << ": unknown code " << st.text(1);
        GeomPtr point = makePoint(ctx, st.real(2), st.real(3));
        EXPECT_EQ(GEOSPreparedContains_r(ctx, it->second.second.get(), point.get()), 1)
            << id << " (" << precision << ") lies outside municipality " << st.text(1);
        ++checked;
    }
    EXPECT_GE(checked, 200);
}

TEST(GeocodeCommand, ListsPrecisionsPerLayerAndTheRowsThatFellBack) {
    const auto r = runHubmapInProcess(std::string("geocode -q --db ") + kNationalDb);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("builtin:kochi_activity_centres.csv"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("district '汗見川' matches no gazetteer entry of 高知県 本山町"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("differ from what the geocoder gives now"), std::string::npos) << r.out;

    const auto json = runHubmapInProcess(
        std::string("geocode -q --format json --source builtin:kochi_activity_centres.csv --db ") + kNationalDb);
    ASSERT_EQ(json.status, 0) << json.err;
    const auto parsed = nlohmann::json::parse(json.out);
    ASSERT_EQ(parsed.size(), 1u);
    const auto& byPrecision = parsed[0]["by_precision"];
    EXPECT_EQ(byPrecision.value("settlement", 0) + byPrecision.value("municipality", 0), 65);
    EXPECT_EQ(parsed[0]["fell_back"].size() + 4 + byPrecision.value("settlement", 0), 65u)
        << "every municipality-precision row fell back, except the four 全域 centres";
}

namespace {

void expectSameResult(const GeocodeResult& a, const GeocodeResult& b, const std::string& what) {
    EXPECT_EQ(a.problem, b.problem) << what;
    EXPECT_EQ(a.precision, b.precision) << what;
    EXPECT_EQ(a.prefectureCode, b.prefectureCode) << what;
    EXPECT_EQ(a.prefecture, b.prefecture) << what;
    EXPECT_EQ(a.code, b.code) << what;
    EXPECT_EQ(a.municipality, b.municipality) << what;
    EXPECT_EQ(a.lon, b.lon) << what;
    EXPECT_EQ(a.lat, b.lat) << what;
    EXPECT_EQ(a.districtMatch, b.districtMatch) << what;
    EXPECT_EQ(a.settlement, b.settlement) << what;
    EXPECT_EQ(a.fallback, b.fallback) << what;
    EXPECT_EQ(a.suggestions, b.suggestions) << what;
    ASSERT_EQ(a.parsed.has_value(), b.parsed.has_value()) << what;
    if (a.parsed) {
        EXPECT_EQ(a.parsed->municipality, b.parsed->municipality) << what;
        EXPECT_EQ(a.parsed->district, b.parsed->district) << what;
        EXPECT_EQ(a.parsed->lot, b.parsed->lot) << what;
    }
}

}  // namespace

TEST_F(GeocoderTest, ARepeatedPlaceGetsTheAnswerAFreshGeocoderGives) {
    // The geocoder remembers each distinct set of address parts: a list that repeats places
    // (lots apart, with and without the prefecture) must be placed as if one address at a time.
    const std::vector<Address> list = {
        {"", {}, {}, {}, "島根県邑智郡美郷町粕渕１２３番地"},
        {"", {}, {}, {}, "島根県邑智郡美郷町粕渕４５６"},  // the same town, another lot
        {"", {}, {}, {}, "邑智郡美郷町粕渕1"},
        {"島根県", "美郷町", "粕渕", {}, {}},
        {"島根県", "美郷町", {}, {}, {}},
        {"島根県", "美郷町", "粕渕", "32448", {}},
        {"島根県", "美郷町", "粕渕", "32209", {}},  // a contradicting code: a problem
        {"", {}, {}, {}, "島根県雲南市多根456"},    // not found: nearest towns
        {"", {}, {}, {}, "島根県雲南市多根7"},
        {"", {}, {}, {}, "島根県雲南市掛合町多根7"},
        {"高知県", "宿毛市", "沖の島", {}, {}},  // ambiguous prefix
        {"高知県", "宿毛市", "沖の島町母島", {}, {}},
        {"高知県", "大月町", "姫の井地区", {}, {}},  // normalised
        {"高知県", "大月町", "大字姫ノ井", {}, {}},
        {"北海道", "札幌市中央区", "大通西一丁目", {}, {}},  // a ward's entries
        {"北海道", "札幌市", "大通西一丁目", {}, {}},
        {"", {}, {}, {}, "美郷町粕渕1"},                        // ambiguous municipality
        {"", {}, {}, {}, "三重県いなべ市大安町中央ケ丘3-1-2"},  // 丁目 from the lot
        {"", {}, {}, {}, "三重県いなべ市大安町中央ケ丘5-1-2"},
        {"", {}, {}, {}, "三重県いなべ市大安町中央ケ丘3-9-9"},
    };
    // What a fresh geocoder answers for each (one per address: a fresh one has nothing to remember).
    std::vector<GeocodeResult> fresh;
    for (const Address& a : list) fresh.push_back(Geocoder(db_).geocode(a));
    std::vector<size_t> order(list.size());
    std::iota(order.begin(), order.end(), 0);
    std::vector<size_t> repeated = order;  // the list, backwards, and again
    repeated.insert(repeated.end(), order.rbegin(), order.rend());
    repeated.insert(repeated.end(), order.begin(), order.end());
    for (size_t i : repeated) {
        const Address& a = list[i];
        const std::string what = a.prefecture + "|" + a.municipality + "|" + a.district + "|" + a.code + "|" + a.full;
        expectSameResult(geocoder_.geocode(a), fresh[i], what);
    }
    // Sanity: the list does hold different answers (a cache keyed too coarsely would merge them).
    EXPECT_NE(geocoder_.geocode(list[3]).precision, geocoder_.geocode(list[4]).precision);
    EXPECT_NE(geocoder_.geocode(list[17]).lat, geocoder_.geocode(list[18]).lat);
}
