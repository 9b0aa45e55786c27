// hubmap import on a scratch copy of the import base database (the national one with only
// 高知県's gazetteer and population points, built once per run by the build_import_base_db fixture): every
// format, encoding and CRS path, the all-or-nothing rule (checked on a checksum of every
// table's rows), --skip-invalid, and the CLI.

#include "io/import.hpp"

#include <cpl_string.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <iconv.h>
#include <ogr_spatialref.h>

#include <clocale>
#include <cstdlib>
#include <cwchar>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_runner.hpp"
#include "core/error.hpp"
#include "core/version.hpp"
#include "io/gdal.hpp"
#include "io/geocode.hpp"
#include "io/hub_layers.hpp"
#include "io/hubs.hpp"
#include "io/import_sources.hpp"
#include "io/schema.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"
#include "io/text_encoding.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hubmap;
using hubmap::test::databaseChecksum;
using hubmap::test::kImportBaseDb;
using hubmap::test::kTestDataDir;
using hubmap::test::readFile;
using hubmap::test::runHubmap;
using hubmap::test::runHubmapInProcess;
using hubmap::test::ScratchDir;

namespace {

// Three real places in Kochi: (name, lon, lat, municipality code).
struct Place {
    const char* name;
    double lon, lat;
    const char* code;
};
constexpr Place kPlaces[] = {
    {"大川村役場", 133.4728, 33.7834, "39364"},
    {"本山町役場", 133.5908, 33.7575, "39341"},
    {"高知県庁", 133.5311, 33.5597, "39201"},
};

/// A list long enough that insertHubs checks for cancellation after the first rows are written.
std::string manyRowsCsv() {
    std::string csv = "id,name,lon,lat\n";
    for (int i = 0; i < 3000; ++i) csv += fmt::format("{},hub {},133.5311,33.5597\n", i, i);
    return csv;
}

/// Cancels an import a third of the way through writing its rows.
struct CancelWhileWriting : Progress {
    bool writing = false;
    void step(const std::string& name) override { writing = name.rfind("writing", 0) == 0; }
    void fraction(double done) override {
        if (writing && done > 0.3) cancel();
    }
};

class ImportTest : public ::testing::Test {
protected:
    void SetUp() override {
        gdalInit();
        db_ = scratch_.file("hubmap.sqlite");
        ASSERT_TRUE(fs::exists(kImportBaseDb)) << kImportBaseDb << " is made by the CTest fixture build_import_base_db";
        fs::copy_file(kImportBaseDb, db_);
    }

    std::string write(const std::string& name, const std::string& content) {
        const std::string path = scratch_.file(name);
        std::ofstream(path, std::ios::binary) << content;
        return path;
    }

    ImportOptions options(const std::string& file, const std::string& kind = "test") {
        ImportOptions o;
        o.file = file;
        o.kind = kind;
        return o;
    }

    ImportReport import(const ImportOptions& o) {
        Progress progress;
        return importHubs(db_, o, progress);
    }

    std::vector<Hub> hubsOf(const std::string& source) {
        Database db(db_, Database::Mode::ReadOnly);
        HubFilter filter;
        filter.importSource = source;
        return selectHubs(db, filter);
    }

    /// Runs an import that must fail; returns the message and checks the database did not change
    /// (from `before`, its checksum, when the caller has it already: 35 ms a checksum).
    std::string failingImport(const ImportOptions& o, std::string before = {}) {
        if (before.empty()) before = databaseChecksum(db_);
        std::string message;
        try {
            import(o);
            ADD_FAILURE() << "import of " << o.file << " succeeded";
        } catch (const std::exception& e) {
            message = e.what();
        }
        EXPECT_EQ(databaseChecksum(db_), before) << "the database changed on a failed import";
        return message;
    }

    /// A point layer in any GDAL vector format: the three places, in `epsg` coordinates.
    std::string writePoints(const std::string& driverName, const std::string& file, int epsg,
                            const std::string& layerName = "places") {
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driverName.c_str());
        EXPECT_NE(driver, nullptr) << driverName;
        const std::string path = scratch_.file(file);
        GDALDataset* existing = static_cast<GDALDataset*>(
            GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr, nullptr, nullptr));
        GdalDatasetPtr ds(existing ? existing : driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs, lonlat;
        srs.importFromEPSG(epsg);
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        lonlat.importFromEPSG(6668);
        lonlat.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&lonlat, &srs));
        // Shapefiles default to ISO-8859-1 text: ask for UTF-8 (GDAL writes the .cpg).
        CPLStringList shapeOptions;
        if (driverName == "ESRI Shapefile") shapeOptions.SetNameValue("ENCODING", "UTF-8");
        OGRLayer* layer = ds->CreateLayer(layerName.c_str(), &srs, wkbPoint, shapeOptions.List());
        OGRFieldDefn id("id", OFTString), name("name", OFTString);
        layer->CreateField(&id);
        layer->CreateField(&name);
        int n = 0;
        for (const Place& p : kPlaces) {
            OgrFeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
            f->SetField("id", fmt::format("p{}", ++n).c_str());
            f->SetField("name", p.name);
            double x = p.lon, y = p.lat;
            ct->Transform(1, &x, &y);
            OGRPoint pt(x, y);
            f->SetGeometry(&pt);
            EXPECT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
        }
        return path;
    }

    void expectThePlaces(const std::string& source, double tolerance = 1e-7) {
        const auto hubs = hubsOf(source);
        ASSERT_EQ(hubs.size(), 3u);
        for (size_t i = 0; i < 3; ++i) {
            const Hub& h = hubs[i];
            EXPECT_EQ(h.name, kPlaces[i].name);
            EXPECT_EQ(h.precision, "exact");
            EXPECT_EQ(h.code, kPlaces[i].code) << h.name;
            ASSERT_TRUE(h.lon && h.lat);
            EXPECT_NEAR(*h.lon, kPlaces[i].lon, tolerance) << h.name;
            EXPECT_NEAR(*h.lat, kPlaces[i].lat, tolerance) << h.name;
            EXPECT_EQ(h.importSource, source);
        }
    }

    ScratchDir scratch_;
    std::string db_;
};

}  // namespace

TEST_F(ImportTest, CsvWithLonLatColumnsRoundTrips) {
    const std::string csv = write("places.csv",
                                  "id,name,lng,lat,operator\n"
                                  "p1,大川村役場,133.4728,33.7834,大川村\n"
                                  "p2,本山町役場,133.5908,33.7575,\n"
                                  "p3,高知県庁,133.5311,33.5597,高知県\n");
    const ImportReport r = import(options(csv));
    EXPECT_EQ(r.imported, 3);
    EXPECT_EQ(r.location, "coordinate columns lng/lat");
    EXPECT_EQ(r.sourceName, "places.csv");
    expectThePlaces("places.csv");
    const auto hubs = hubsOf("places.csv");
    EXPECT_EQ(hubs[0].id, "places.csv:p1");
    EXPECT_EQ(hubs[0].details().operatorName, "大川村");
    EXPECT_EQ(hubs[0].kind, "test");
    EXPECT_EQ(hubs[0].municipality, "大川村");  // from the polygon it lies in

    // The listing's CSV imports again as the same points (its lat/lon columns, exact).
    const std::string again = scratch_.file("again.csv");
    writeHubsCsv(hubs, again);
    ImportOptions o = options(again);
    o.sourceName = "again";
    EXPECT_EQ(import(o).imported, 3);
    const auto back = hubsOf("again");
    ASSERT_EQ(back.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
        EXPECT_EQ(back[i].name, hubs[i].name);
        EXPECT_NEAR(*back[i].lon, *hubs[i].lon, 1e-7);
        EXPECT_NEAR(*back[i].lat, *hubs[i].lat, 1e-7);
        EXPECT_EQ(back[i].code, hubs[i].code);
    }
}

TEST_F(ImportTest, CsvWithAddressColumnsIsGeocoded) {
    const std::string csv = write("addresses.csv",
                                  "名称,都道府県,市区町村,大字\n"
                                  "松原センター,高知県,梼原町,松原\n"
                                  "姫ノ井センター,高知県,幡多郡大月町,姫ノ井\n"
                                  "村の中心,高知県,大川村,\n"
                                  "県だけ,高知県,,\n"
                                  "札幌,北海道,札幌市中央区,\n");
    const ImportReport r = import(options(csv));
    EXPECT_EQ(r.location, "address columns");
    EXPECT_EQ(r.imported, 5);
    const auto hubs = hubsOf("addresses.csv");
    ASSERT_EQ(hubs.size(), 5u);  // sorted by id: row numbers 1..5
    EXPECT_EQ(hubs[0].precision, "settlement");
    EXPECT_EQ(hubs[0].code, "39405");
    EXPECT_EQ(hubs[1].precision, "settlement");  // 大字姫ノ井 in the gazetteer: normalised match
    EXPECT_EQ(hubs[1].code, "39424");
    EXPECT_EQ(hubs[2].precision, "municipality");
    EXPECT_EQ(hubs[2].code, "39364");
    EXPECT_EQ(hubs[3].precision, "prefecture");
    EXPECT_FALSE(hubs[3].lon.has_value());
    EXPECT_TRUE(hubs[3].code.empty());
    EXPECT_EQ(hubs[4].code, "01100");  // a ward resolves to its designated city
    Database db(db_, Database::Mode::ReadOnly);
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM hubs WHERE import_source = 'addresses.csv' AND geom IS NULL"), 1);
}

TEST_F(ImportTest, GeoJsonRoundTrips) {
    import(options(writePoints("GeoJSON", "places.geojson", 4326)));
    expectThePlaces("places.geojson");
}

TEST_F(ImportTest, GeoPackageLayerIsChosenWithLayer) {
    const std::string gpkg = writePoints("GPKG", "places.gpkg", 6668, "first");
    writePoints("GPKG", "places.gpkg", 6672, "second");  // the same places in plane rectangular IV
    EXPECT_NE(failingImport(options(gpkg)).find("has 2 layers (first, second): choose one with --layer"),
              std::string::npos);
    ImportOptions o = options(gpkg);
    o.layer = "second";
    const ImportReport r = import(o);
    EXPECT_NE(r.crs.find("EPSG:6672"), std::string::npos) << r.crs;
    expectThePlaces("places.gpkg", 1e-6);
}

TEST_F(ImportTest, ShapefileRoundTrips) {
    import(options(writePoints("ESRI Shapefile", "places.shp", 6668)));
    expectThePlaces("places.shp");
}

TEST_F(ImportTest, FlatGeobufRoundTrips) {
    import(options(writePoints("FlatGeobuf", "places.fgb", 6668)));
    expectThePlaces("places.fgb");
}

TEST_F(ImportTest, ShapefileWithoutCpgInCp932IsDetected) {
    // A Shapefile as Japanese desktop GIS writes it: CP932 text and no .cpg.
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
    const std::string path = scratch_.file("sjis.shp");
    {
        GdalDatasetPtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(6668);
        CPLStringList layerOptions;
        layerOptions.SetNameValue("ENCODING", "CP932");
        OGRLayer* layer = ds->CreateLayer("sjis", &srs, wkbPoint, layerOptions.List());
        OGRFieldDefn name("name", OFTString);
        layer->CreateField(&name);
        OgrFeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetField("name", "梼原町の拠点");
        OGRPoint pt(132.97058, 33.31976);
        f->SetGeometry(&pt);
        ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
    }
    fs::remove(scratch_.file("sjis.cpg"));
    const std::string dbf = readFile(scratch_.file("sjis.dbf"));
    ASSERT_EQ(dbf.find("梼原町"), std::string::npos) << "the .dbf should hold CP932 bytes";
    const ImportReport r = import(options(path));
    EXPECT_EQ(r.encoding, "CP932");
    const auto hubs = hubsOf("sjis.shp");
    ASSERT_EQ(hubs.size(), 1u);
    EXPECT_EQ(hubs[0].name, "梼原町の拠点");
    EXPECT_EQ(hubs[0].code, "39405");
}

TEST_F(ImportTest, PolygonsArePlacedAtTheirPointOnSurface) {
    // An L-shaped polygon whose centroid lies outside it.
    const std::string geojson = write("areas.geojson", R"({"type":"FeatureCollection","features":[
      {"type":"Feature","properties":{"name":"L字の区域"},"geometry":{"type":"Polygon","coordinates":
        [[[133.50,33.55],[133.56,33.55],[133.56,33.56],[133.51,33.56],[133.51,33.60],[133.50,33.60],[133.50,33.55]]]}}]})");
    const ImportReport r = import(options(geojson));
    ASSERT_EQ(r.imported, 1);
    EXPECT_TRUE(std::any_of(r.notes.begin(), r.notes.end(),
                            [](const std::string& n) { return n.find("point on surface") != std::string::npos; }));
    const Hub h = hubsOf("areas.geojson").at(0);
    GeosContext ctx;
    GeomPtr polygon = geomFromWKT(ctx,
                                  "POLYGON((133.50 33.55,133.56 33.55,133.56 33.56,133.51 33.56,133.51 33.60,"
                                  "133.50 33.60,133.50 33.55))");
    GeomPtr point = makePoint(ctx, *h.lon, *h.lat);
    EXPECT_EQ(GEOSContains_r(ctx, polygon.get(), point.get()), 1);
    EXPECT_EQ(h.precision, "exact");
    EXPECT_EQ(h.code, "39201");
}

TEST_F(ImportTest, OneAddressColumnFromExcelAsCp932IsSplitAndPlacedAtTheGazetteerPoint) {
    // As Excel saves 「CSV (コンマ区切り)」: CP932, CRLF, no BOM; one 所在地 column with and
    // without the prefecture, with 郡, full-width digits, lots and 号, and a note in brackets.
    const std::string utf8 =
        "番号,拠点名,所在地\r\n"
        "1,はりまや拠点,高知県高知市はりまや町一丁目5番1号\r\n"
        "2,中村拠点,四万十市中村大橋通４丁目１０\r\n"
        "3,姫ノ井拠点,高知県幡多郡大月町大字姫ノ井５６７－１（旧姫ノ井小学校）\r\n"
        "4,三丁目拠点,高知市はりまや町3-4-5\r\n"
        "5,誤記,高知県本山郡本山町 1\r\n";
    std::string sjis(utf8.size() * 2, '\0');
    {
        iconv_t cd = iconv_open("CP932", "UTF-8");
        ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
        char* in = const_cast<char*>(utf8.data());
        char* out = sjis.data();
        size_t inLeft = utf8.size(), outLeft = sjis.size();
        ASSERT_NE(iconv(cd, &in, &inLeft, &out, &outLeft), static_cast<size_t>(-1));
        iconv_close(cd);
        sjis.resize(sjis.size() - outLeft);
    }
    const std::string csv = write("拠点一覧.csv", sjis);
    ImportOptions o = options(csv);
    o.skipInvalid = true;
    o.rejectsFile = scratch_.file("rejects.csv");
    const ImportReport r = import(o);
    EXPECT_EQ(r.encoding, "CP932");
    EXPECT_EQ(r.location, "address columns");
    EXPECT_EQ(r.imported, 4);
    EXPECT_EQ(r.byPrecision.at("settlement"), 4);
    const auto hubs = hubsOf("拠点一覧.csv");
    ASSERT_EQ(hubs.size(), 4u);
    struct Expected {
        const char* code;
        const char* municipality;
        const char* district;
        double lon, lat;  // the gazetteer point (geodata/gazetteer)
    };
    const Expected expected[] = {
        {"39201", "高知市", "はりまや町一丁目", 133.544289, 33.559985},
        {"39210", "四万十市", "中村大橋通４丁目", 132.934387, 32.990554},
        {"39424", "幡多郡大月町", "大字姫ノ井", 132.740729, 32.798805},
        {"39201", "高知市", "はりまや町", 133.544959, 33.562962},  // 3-4-5 is 三丁目4番5号
    };
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(hubs[i].code, expected[i].code) << hubs[i].name;
        EXPECT_EQ(hubs[i].prefecture, "高知県") << hubs[i].name;
        EXPECT_EQ(hubs[i].municipality, expected[i].municipality) << hubs[i].name;
        EXPECT_EQ(hubs[i].details().district, expected[i].district) << hubs[i].name;
        EXPECT_EQ(hubs[i].precision, "settlement") << hubs[i].name;
        ASSERT_TRUE(hubs[i].lon && hubs[i].lat);
        EXPECT_NEAR(*hubs[i].lon, expected[i].lon, 1e-6) << hubs[i].name;
        EXPECT_NEAR(*hubs[i].lat, expected[i].lat, 1e-6) << hubs[i].name;
    }
    // The row naming a wrong 郡 is rejected with the nearest names, in the message and the file.
    ASSERT_EQ(r.rejected.size(), 1u);
    EXPECT_EQ(r.rejected[0].row, 5);
    EXPECT_NE(r.rejected[0].reason.find("nearest: 長岡郡本山町"), std::string::npos) << r.rejected[0].reason;
    // Written in CP932, as the input was (Excel opens it as it opened the list).
    size_t bad = 0;
    const std::string rejects = toUtf8(readFile(o.rejectsFile), "CP932", bad).value_or("(not CP932)");
    EXPECT_NE(rejects.find("長岡郡本山町"), std::string::npos) << rejects;
}

TEST(ImportValues, OpeningDatesAsPeopleWriteThem) {
    const std::pair<const char*, const char*> dates[] = {
        {"令和3年4月", "2021-04"},
        {"R3.4", "2021-04"},
        {"H30.10", "2018-10"},
        {"平成30年10月1日", "2018-10-01"},
        {"昭和60年", "1985"},
        {"2019/4", "2019-04"},
        {"2021年4月", "2021-04"},
        {"2021-04-01", "2021-04-01"},
        {"令和元年5月", "2019-05"},
        {"Ｒ３．４", "2021-04"},
        {"２０２１／４／１", "2021-04-01"},
        {"44287", "2021-04-01"},  // Excel serial
        {"2019/4/1", "2019-04-01"},
        {"202104", "2021-04"},
        {"2020-02-29", "2020-02-29"},
    };
    for (const auto& [text, want] : dates) EXPECT_EQ(parseOpened(text).value_or("(none)"), want) << text;
    for (const char* bad : {"令和99年13月", "2021-02-29", "2019/13", "R3.4.31", "sometime", "20-04", "令和0年", "3020",
                            "2020-00", "2020-01-00", "2020-", "R3."}) {
        EXPECT_FALSE(parseOpened(bad).has_value()) << bad;
    }
    EXPECT_EQ(parseFiscalYear("令和2年度"), 2020);
    EXPECT_EQ(parseFiscalYear("R2"), 2020);
    EXPECT_EQ(parseFiscalYear("Ｒ２"), 2020);
    EXPECT_EQ(parseFiscalYear("H30年度"), 2018);
}

TEST_F(ImportTest, JapaneseColumnNamesAndUnreadableValuesWarnUnlessStrict) {
    const std::string csv = write("一覧.csv",
                                  "番号,拠点名,所在地,開設年月,運営主体,設立年度,備考\n"
                                  "1,a,高知県高知市はりまや町一丁目,令和3年4月,はりまや協議会,令和2年度,駅前\n"
                                  "2,b,高知市はりまや町二丁目,令和99年13月,,R2,\n");
    const ImportReport r = import(options(csv));
    EXPECT_EQ(r.imported, 2);
    const auto hubs = hubsOf("一覧.csv");
    ASSERT_EQ(hubs.size(), 2u);
    EXPECT_EQ(hubs[0].details().opened, "2021-04");
    EXPECT_EQ(hubs[0].details().operatorName, "はりまや協議会");
    EXPECT_EQ(hubs[0].details().fiscalYear, 2020);
    EXPECT_EQ(hubs[0].note, "駅前");
    EXPECT_EQ(hubs[1].details().opened, "");  // imported without it
    EXPECT_EQ(hubs[1].details().fiscalYear, 2020);
    ASSERT_EQ(r.warnings.size(), 1u);
    EXPECT_NE(r.warnings[0].find("row 2: 開設年月 '令和99年13月' is not a date"), std::string::npos) << r.warnings[0];

    ImportOptions strict = options(csv);
    strict.strict = true;
    strict.sourceName = "strict";
    const std::string message = failingImport(strict);
    EXPECT_NE(message.find("開設年月 '令和99年13月' is not a date"), std::string::npos) << message;
}

TEST_F(ImportTest, WorkbookWithAnAllTextHeaderRowNamesRowsAsExcelShowsThem) {
    // A workbook as a planner keeps it: a first sheet of notes, the list on sheet 拠点一覧 with a
    // header row that is all text, every cell text (numbers typed as text too).
    const std::string path = scratch_.file("kyoten.xlsx");
    {
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("XLSX");
        ASSERT_NE(driver, nullptr);
        GdalDatasetPtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        ASSERT_TRUE(ds);
        auto addSheet = [&](const char* name, const std::vector<std::string>& header,
                            const std::vector<std::vector<std::string>>& rows) {
            OGRLayer* layer = ds->CreateLayer(name, nullptr, wkbNone, nullptr);
            ASSERT_NE(layer, nullptr);
            for (const auto& h : header) {
                OGRFieldDefn field(h.c_str(), OFTString);
                ASSERT_EQ(layer->CreateField(&field), OGRERR_NONE);
            }
            for (const auto& row : rows) {
                OgrFeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
                for (size_t c = 0; c < row.size(); ++c) f->SetField(static_cast<int>(c), row[c].c_str());
                ASSERT_EQ(layer->CreateFeature(f.get()), OGRERR_NONE);
            }
        };
        addSheet("説明", {"メモ"}, {{"この一覧について"}});
        // GDAL writes the field names as row 1: the header, all text, as are the data cells.
        addSheet("拠点一覧", {"番号", "拠点名", "所在地", "開設年月"},
                 {{"1", "はりまや拠点", "高知県高知市はりまや町一丁目5番1号", "R3.4"},
                  {"2", "中村拠点", "四万十市中村大橋通４丁目１０", "令和2年10月"},
                  {"3", "誤記", "高知県本山郡本山町 1", ""}});
    }
    ImportOptions o = options(path);
    o.layer = "拠点一覧";
    const std::string message = failingImport(o);
    // The third data row is row 4 in Excel (row 1 is the header).
    EXPECT_NE(message.find("row 4: the address names no municipality of 高知県"), std::string::npos) << message;

    o.skipInvalid = true;
    o.rejectsFile = scratch_.file("rejects.csv");
    const ImportReport r = import(o);
    EXPECT_EQ(r.driver, "XLSX");
    EXPECT_EQ(r.imported, 2);
    // The rejects of a workbook: UTF-8 with a byte order mark, which Excel reads as UTF-8.
    EXPECT_EQ(r.rejectsEncoding, "UTF-8 with BOM");
    EXPECT_EQ(readFile(o.rejectsFile).rfind("\xEF\xBB\xBF", 0), 0u);
    ASSERT_EQ(r.rejected.size(), 1u);
    EXPECT_EQ(r.rejected[0].row, 4);
    const auto hubs = hubsOf("kyoten.xlsx");
    ASSERT_EQ(hubs.size(), 2u);
    EXPECT_EQ(hubs[0].id, "kyoten.xlsx:1");
    EXPECT_EQ(hubs[0].details().opened, "2021-04");
    EXPECT_EQ(hubs[0].precision, "settlement");
    EXPECT_NEAR(*hubs[0].lon, 133.544289, 1e-6);
    EXPECT_EQ(hubs[1].details().opened, "2020-10");
    EXPECT_EQ(hubs[1].code, "39210");

    // The same list as ogr2ogr writes it from a CSV: GDAL reads the sheet on first use, after
    // opening (the header choice must still hold then).
    const std::string csv = write("list.csv", "番号,拠点名,所在地\n1,a,高知県高知市はりまや町一丁目\n");
    const std::string single = scratch_.file("single.xlsx");
    ASSERT_EQ(hubmap::test::runCommand(fmt::format("ogr2ogr -f XLSX {} {} -nln 拠点一覧", single, csv)).status, 0);
    EXPECT_EQ(import(options(single)).imported, 1);
}

TEST_F(ImportTest, ShiftJisCsvIsDetectedAndReadCorrectly) {
    const std::string file = std::string(kTestDataDir) + "/hubs/sjis_centres.csv";
    const ImportReport r = import(options(file));
    EXPECT_EQ(r.encoding, "CP932");
    EXPECT_EQ(r.location, "coordinate columns 経度/緯度");
    const auto hubs = hubsOf("sjis_centres.csv");
    ASSERT_EQ(hubs.size(), 4u);
    EXPECT_EQ(hubs[0].name, "大川村役場");
    EXPECT_EQ(hubs[0].precision, "exact");
    EXPECT_EQ(hubs[1].name, "髙知の集落センター①");  // CP932-only characters (NEC/IBM extensions)
    EXPECT_EQ(hubs[1].precision, "settlement");
    EXPECT_EQ(hubs[2].name, "本山町　汗見川センター～");
    EXPECT_EQ(hubs[3].municipality, "檮原町");  // kept as written; the code is 梼原町's
    EXPECT_EQ(hubs[3].code, "39405");

    // Explicit --encoding cp932 gives the same; utf-8 is refused with the line of the first bad byte.
    ImportOptions o = options(file);
    o.encoding = "shift_jis";
    o.sourceName = "explicit";
    EXPECT_EQ(import(o).imported, 4);
    o.encoding = "utf-8";
    o.sourceName = "wrong";
    const std::string message = failingImport(o);
    EXPECT_NE(message.find("sjis_centres.csv"), std::string::npos) << message;
    EXPECT_NE(message.find("not valid UTF-8 (line 1, the header"), std::string::npos) << message;
}

TEST_F(ImportTest, PlaneRectangularCoordinatesNeedTheirCrs) {
    const std::string file = std::string(kTestDataDir) + "/hubs/plane_zone4.csv";
    ImportOptions o = options(file);
    o.lonColumn = "easting";
    o.latColumn = "northing";
    // Without --crs the numbers are taken as lon/lat: refused, with the hint.
    const std::string before = databaseChecksum(db_);
    std::string message = failingImport(o, before);
    EXPECT_NE(message.find("plane_zone4.csv, row 1: point lon -2518.9743, lat 86879.6771 is outside Japan"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("give the CRS with --crs"), std::string::npos) << message;
    // Easting and northing swapped: refused, with that hint.
    o.crs = "EPSG:6672";
    std::swap(o.lonColumn, o.latColumn);
    message = failingImport(o, before);
    EXPECT_NE(message.find("x and y look swapped"), std::string::npos) << message;
    // Right: the coordinates cs2cs computed from the lon/lat of kPlaces (0.1 mm precision).
    std::swap(o.lonColumn, o.latColumn);
    const ImportReport r = import(o);
    EXPECT_NE(r.crs.find("Japan Plane Rectangular CS IV"), std::string::npos) << r.crs;
    expectThePlaces("plane_zone4.csv", 1e-8 * 100);
}

TEST_F(ImportTest, FailuresNameFileRowAndReasonAndChangeNothing) {
    struct Case {
        std::string csv, expected;
    };
    const std::vector<Case> cases = {
        {"id,name,lon,lat\n1,a,133.5,33.5\n2,b,abc,33.5\n", "bad.csv, row 2: unparseable coordinates: lon='abc'"},
        {"id,name,lon,lat\n1,a,33.5597,133.5311\n",
         "bad.csv, row 1: point lon 33.5597, lat 133.5311 is outside Japan "
         "— lat and lon look swapped"},
        {"id,name,lon,lat\n1,a,-0.1276,51.5072\n", "bad.csv, row 1: point lon -0.1276, lat 51.5072 is outside Japan"},
        {"id,name,lon,lat\n1,a,129.0,37.0\n", "bad.csv, row 1: point lon 129, lat 37 is outside Japan ("},
        {"id,name,prefecture,municipality\n1,a,高知県,大川町\n",
         "bad.csv, row 1: no municipality named '大川町' in 高知県"},
        {"id,name,prefecture,municipality\n1,a,高知県,本山町\n1,b,高知県,本山町\n",
         "bad.csv, row 2: duplicate id '1' (also row 1)"},
        {"id,name,prefecture,municipality\n1,,高知県,本山町\n", "bad.csv, row 1: empty name"},
        {"id,title,lon,lat\n1,a,133.5,33.5\n", "bad.csv: missing required column 'name'"},
        {"id,name,lon\n1,a,133.5\n", "bad.csv: missing required column: has 'lon' but no latitude"},
        {"id,name,note\n1,a,x\n", "bad.csv: missing required columns: no coordinates"},
        {"id,name,prefecture\n1,a,高知\n2,b,ムー県\n", "bad.csv, row 2: unknown prefecture 'ムー県'"},
        {"id,name,lon,lat,fiscal_year\n1,a,133.5311,33.5597,来年\n",
         "bad.csv, row 1: fiscal_year '来年' is not a year"},
    };
    const std::string before = databaseChecksum(db_);  // and after every case
    for (const auto& c : cases) {
        const std::string file = write("bad.csv", c.csv);
        ImportOptions o = options(file);
        o.strict = true;  // an unreadable fiscal_year is otherwise a warning
        const std::string message = failingImport(o, before);
        EXPECT_NE(message.find(c.expected), std::string::npos) << "got: " << message << "\nwanted: " << c.expected;
        EXPECT_EQ(message.find(scratch_.file("bad.csv")), 0u) << "the message starts with the file: " << message;
    }
}

TEST_F(ImportTest, EveryBadRowIsListedNotOnlyTheFirst) {
    const std::string file = write("bad.csv", "id,name,lon,lat\n1,a,x,33\n2,b,133.5311,33.5597\n3,c,y,33\n");
    const std::string message = failingImport(options(file));
    EXPECT_NE(message.find("row 1: unparseable"), std::string::npos) << message;
    EXPECT_NE(message.find("row 3: unparseable"), std::string::npos) << message;
    EXPECT_NE(message.find("2 of 3 rows are invalid; nothing was imported"), std::string::npos) << message;
}

TEST_F(ImportTest, DuplicateSourceAndIdClashesChangeNothing) {
    const std::string csv = write("places.csv", "id,name,lon,lat\n1,a,133.5311,33.5597\n");
    import(options(csv));
    EXPECT_THROW(
        {
            Progress p;
            importHubs(db_, options(csv), p);
        },
        UsageError);
    const std::string message = failingImport(options(csv));
    EXPECT_NE(message.find("import source 'places.csv' is already in the database"), std::string::npos) << message;
    // The same ids under another source name are other hubs (ids are namespaced by source).
    ImportOptions o = options(csv);
    o.sourceName = "second";
    EXPECT_EQ(import(o).imported, 1);
}

TEST_F(ImportTest, CancellingWhileWritingRollsBackByteForByte) {
    const std::string file = write("many.csv", manyRowsCsv());
    CancelWhileWriting progress;
    const std::string before = databaseChecksum(db_);
    EXPECT_THROW(importHubs(db_, options(file), progress), Cancelled);
    EXPECT_EQ(databaseChecksum(db_), before);
}

TEST_F(ImportTest, BulkWritingLeavesSpatiaLiteConsistent) {
    // insertHubs sets SpatiaLite's triggers aside and fills the spatial index itself: afterwards
    // the index must agree with the table and the triggers must be back and working.
    std::string csv = "id,name,lon,lat\n";
    for (int i = 0; i < 2500; ++i) csv += fmt::format("{},hub {},{:.4f},{:.4f}\n", i, i, 133.40 + i * 1e-4, 33.55);
    csv += "x,県だけ,,\n";
    const std::string file = write("bulk.csv", csv);
    ImportOptions o = options(file);
    o.skipInvalid = true;  // the last row has no coordinates and no address: rejected
    o.rejectsFile = scratch_.file("bulk.rejects.csv");
    EXPECT_EQ(import(o).imported, 2500);
    Database db(db_, Database::Mode::ReadWrite);
    EXPECT_EQ(db.scalarInt("SELECT CheckSpatialIndex('hubs', 'geom')"), 1);
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM idx_hubs_geom"), db.scalarInt("SELECT COUNT(*) FROM hubs WHERE geom "
                                                                               "IS NOT NULL"));
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('ggi_hubs_geom', "
                           "'tmi_hubs_geom', 'gii_hubs_geom')"),
              3);
    // The triggers work again: a plain insert is indexed, a wrong SRID refused.
    db.exec(
        "INSERT INTO hubs(id, kind, name, precision, source, import_source, lon, lat, geom) VALUES ('t', 'k', 'n',"
        " 'exact', 's', 's', 140, 40, MakePoint(140, 40, 6668))");
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM idx_hubs_geom WHERE xmin <= 140 AND xmax >= 140 AND ymin <= 40 AND "
                           "ymax >= 40"),
              1);
    EXPECT_THROW(db.exec("INSERT INTO hubs(id, kind, name, precision, source, import_source, geom) VALUES ('u', 'k',"
                         " 'n', 'exact', 's', 's', MakePoint(140, 40, 4326))"),
                 Error);
}

TEST_F(ImportTest, SkipInvalidImportsTheRestAndWritesRejects) {
    const std::string file = write("mixed.csv",
                                   "id,name,lon,lat\n1,good,133.5311,33.5597\n2,bad,abc,33\n3,swapped,33.5597,"
                                   "133.5311\n4,good too,133.4728,33.7834\n");
    ImportOptions o = options(file);
    o.skipInvalid = true;
    o.rejectsFile = scratch_.file("rejects.csv");
    const ImportReport r = import(o);
    EXPECT_EQ(r.imported, 2);
    ASSERT_EQ(r.rejected.size(), 2u);
    EXPECT_EQ(r.rejected[0].row, 2);
    EXPECT_EQ(r.rejectsFile, o.rejectsFile);
    // The rejects file, read back with GDAL: where, why, and the row as it was.
    GdalDatasetPtr ds = openVector(o.rejectsFile, {"HEADERS=YES", "AUTODETECT_TYPE=NO"}, {"CSV"});
    OGRLayer* layer = ds->GetLayer(0);
    std::vector<std::vector<std::string>> rows;
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        rows.push_back(
            {fieldText(*f, "rejected_at"), fieldText(*f, "reject_reason"), fieldText(*f, "id"), fieldText(*f, "lon")});
    }
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0][0], "row 2");
    EXPECT_NE(rows[0][1].find("unparseable coordinates"), std::string::npos);
    EXPECT_EQ(rows[0][2], "2");
    EXPECT_EQ(rows[0][3], "abc");
    EXPECT_EQ(rows[1][0], "row 3");
    EXPECT_NE(rows[1][1].find("lat and lon look swapped"), std::string::npos);
}

TEST_F(ImportTest, AListThatRepeatsPlacesIsPlacedAsRowsImportedOneByOne) {
    // The geocoder places each distinct address once per import; every row must still get what
    // it would get imported alone (a fresh geocoder each time).
    const std::vector<std::string> addresses = {
        "高知県高知市はりまや町一丁目5番1号",
        "高知市はりまや町一丁目7",
        "高知県高知市はりまや町一丁目5番1号",
        "高知市はりまや町3-4-5",
        "高知市はりまや町5-4-5",
        "高知県幡多郡大月町大字姫ノ井５６７－１",
        "大月町姫の井地区 1",
        "本山町汗見川1",
        "本山町汗見川2",
        "宿毛市沖の島 3",
        "高知市はりまや町一丁目7",
        "本山町",
    };
    std::string list = "番号,拠点名,所在地\n";
    for (size_t i = 0; i < addresses.size(); ++i) list += fmt::format("{},拠点{},{}\n", i + 1, i + 1, addresses[i]);
    import(options(write("list.csv", list)));
    std::map<std::string, Hub> byId;
    for (const Hub& h : hubsOf("list.csv")) byId[h.id] = h;
    ASSERT_EQ(byId.size(), addresses.size());
    std::vector<Hub> together;
    for (size_t i = 0; i < addresses.size(); ++i) together.push_back(byId.at("list.csv:" + std::to_string(i + 1)));
    std::set<std::string> precisions;
    for (size_t i = 0; i < addresses.size(); ++i) {
        const std::string name = fmt::format("row{}.csv", i + 1);
        import(options(write(name, fmt::format("番号,拠点名,所在地\nr{},拠点{},{}\n", i + 1, i + 1, addresses[i]))));
        const auto alone = hubsOf(name);
        ASSERT_EQ(alone.size(), 1u) << addresses[i];
        const Hub &a = together[i], &b = alone[0];
        EXPECT_EQ(a.precision, b.precision) << addresses[i];
        EXPECT_EQ(a.code, b.code) << addresses[i];
        EXPECT_EQ(a.lon, b.lon) << addresses[i];
        EXPECT_EQ(a.lat, b.lat) << addresses[i];
        EXPECT_EQ(a.prefecture, b.prefecture) << addresses[i];
        EXPECT_EQ(a.municipality, b.municipality) << addresses[i];
        EXPECT_EQ(a.details().district, b.details().district) << addresses[i];
        precisions.insert(a.precision);
    }
    EXPECT_EQ(precisions, (std::set<std::string>{"settlement", "municipality"}));
    EXPECT_NE(together[3].lat, together[4].lat);  // 三丁目 and 五丁目 of the same town
}

TEST_F(ImportTest, RemoveSourceRemovesOneImportOnly) {
    import(options(write("a.csv", "id,name,lon,lat\n1,a,133.5311,33.5597\n")));
    import(options(write("b.csv", "id,name,lon,lat\n1,b,133.4728,33.7834\n")));
    EXPECT_EQ(removeImportSource(db_, "a.csv"), 1);
    EXPECT_TRUE(hubsOf("a.csv").empty());
    EXPECT_EQ(hubsOf("b.csv").size(), 1u);
    EXPECT_THROW(removeImportSource(db_, "a.csv"), UsageError);
}

// `hubmap import -` reads a CSV piped in (CP932 as Excel saves it), under the --source name
// it needs; the source's file is recorded as "-"; nothing piped in is a usage error.
TEST_F(ImportTest, CliImportReadsStandardInput) {
    const std::string csv = std::string(hubmap::test::kTestDataDir) + "/hubs/sjis_centres.csv";
    const std::string db = " --db " + db_ + " -q";
    auto r = runHubmap("import - --kind office --source piped" + db + " < " + csv);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("imported 4 of 4 rows from - as import source 'piped'"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("encoding CP932"), std::string::npos) << r.out;
    // The same rows as the file itself gives.
    ASSERT_EQ(runHubmapInProcess("import " + csv + " --kind office --source file" + db).status, 0);
    const std::vector<Hub> piped = hubsOf("piped"), file = hubsOf("file");
    ASSERT_EQ(piped.size(), 4u);
    ASSERT_EQ(file.size(), 4u);
    for (size_t i = 0; i < piped.size(); ++i) {
        EXPECT_EQ(piped[i].name, file[i].name);
        EXPECT_EQ(piped[i].code, file[i].code);
        EXPECT_EQ(piped[i].lon, file[i].lon);
    }
    r = runHubmapInProcess("info" + db);
    EXPECT_NE(r.out.find("piped"), std::string::npos) << r.out;
    r = runHubmap("import - --kind office" + db + " < " + csv);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("needs --source NAME"), std::string::npos) << r.err;
    r = runHubmap("import - --kind office --source empty" + db + " < /dev/null");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("standard input is empty"), std::string::npos) << r.err;
    EXPECT_TRUE(hubsOf("empty").empty());
}

TEST_F(ImportTest, CliImportListAndRemove) {
    const std::string csv = write("cli.csv", "id,name,lon,lat\n1,大川村役場,133.4728,33.7834\n2,x,abc,1\n");
    const std::string db = " --db " + db_ + " -q";
    auto r = runHubmapInProcess("import " + csv + " --kind office" + db);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("cli.csv, row 2: unparseable coordinates"), std::string::npos) << r.err;
    r = runHubmapInProcess("import " + csv + " --kind Office" + db);
    EXPECT_EQ(r.status, 2) << r.err;
    r = runHubmapInProcess("import " + csv + " --kind office --skip-invalid --rejects " + scratch_.file("rej.csv") +
                           db);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("imported 1 of 2 rows"), std::string::npos) << r.out;
    EXPECT_TRUE(fs::exists(scratch_.file("rej.csv")));

    r = runHubmapInProcess("hubs --source cli.csv --format json" + db);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto json = nlohmann::json::parse(r.out);
    ASSERT_EQ(json.size(), 1u);
    EXPECT_EQ(json[0]["name"], "大川村役場");
    EXPECT_EQ(json[0]["code"], "39364");

    // The table aligns by display width: in every row the precision starts at the terminal column
    // of the PRECISION header (widths measured independently, with the C library's wcswidth).
    r = runHubmapInProcess("hubs --prefecture 高知県 --kind activity_centre" + db);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("本山町汗見川"), std::string::npos);
    ASSERT_NE(std::setlocale(LC_CTYPE, "C.UTF-8"), nullptr);
    auto columnOf = [](const std::string& line, size_t bytes) {
        std::wstring wide(bytes + 1, L'\0');
        const size_t n = std::mbstowcs(wide.data(), line.substr(0, bytes).c_str(), wide.size());
        return ::wcswidth(wide.c_str(), n);
    };
    std::istringstream lines(r.out);
    std::string header, line;
    std::getline(lines, header);
    const int column = columnOf(header, header.find("PRECISION"));
    int checked = 0;
    while (std::getline(lines, line)) {
        for (const char* p : {"  settlement", "  municipality"}) {
            if (const size_t at = line.find(p); at != std::string::npos) {
                EXPECT_EQ(columnOf(line, at + 2), column) << line;
                ++checked;
            }
        }
    }
    EXPECT_GE(checked, 64);

    r = runHubmapInProcess("hubs --remove-source cli.csv" + db);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("removed 1 hubs of import source 'cli.csv'"), std::string::npos) << r.out;
    r = runHubmapInProcess("hubs --remove-source cli.csv" + db);
    EXPECT_EQ(r.status, 2);
}

// ---- the curated layout, as `hubmap init` loads geodata/hubs ----------------------------------

namespace {

const char* kCuratedHeader =
    "id,kind,name,prefecture,municipality,code,district,lat,lon,precision,opened,programme,fiscal_year,operator,"
    "source_ref,source,note\n";

}  // namespace

TEST_F(ImportTest, CuratedLayersLoadAndSkipRowsThatNameNoPlace) {
    fs::create_directories(scratch_.path() / "geodata" / "hubs");
    write("geodata/hubs/test_layer.csv",
          std::string(kCuratedHeader) +
              "t-1,activity_centre,梼原町松原,高知県,梼原町,39405,松原,,,,2013-01,p,,,4,seed 004 l.311,\n"
              "t-2,model_project,県の事業,山形県,,,,,,prefecture,,p,2024,山形県,1,seed 003,\n"
              "t-3,model_project,どこでもない,,,,,,,,,p,2020,org,1,seed 001,NOT PLACEABLE\n");
    Database db(db_, Database::Mode::ReadWrite);
    std::vector<std::string> notes;
    Transaction tx(db);
    EXPECT_EQ(loadBuiltinHubLayers(db, scratch_.file("geodata"), notes), 2);
    tx.commit();
    const auto hubs = hubsOf("builtin:test_layer.csv");
    ASSERT_EQ(hubs.size(), 2u);
    EXPECT_EQ(hubs[0].id, "t-1");  // curated ids are kept as they are
    EXPECT_EQ(hubs[0].precision, "settlement");
    EXPECT_EQ(hubs[0].details().opened, "2013-01");
    EXPECT_EQ(hubs[1].precision, "prefecture");
    EXPECT_EQ(*hubs[1].details().fiscalYear, 2024);
    std::string all;
    for (const auto& n : notes) all += n + "\n";
    EXPECT_NE(all.find("hubs/test_layer.csv: 2 rows (1 settlement, 1 prefecture)"), std::string::npos) << all;
    EXPECT_NE(all.find("1 rows name no place in their source and are not loaded: t-3"), std::string::npos) << all;
}

TEST_F(ImportTest, CuratedLayerErrorsNameFileAndRow) {
    struct Case {
        std::string body, expected;
    };
    const std::vector<Case> cases = {
        {"a,activity_centre,x,高知県,本山町,,,,,,,,,,,seed,\nb,hub,y,高知県,本山町,,,,,,,,,,,seed,\n",
         "bad.csv, row 2: unknown kind 'hub'"},
        {"a,rmo,x,高知県,大川町,,,,,,,,,,,seed,\n", "bad.csv, row 1: no municipality named '大川町' in 高知県"},
        {"a,rmo,x,高知県,本山町,39405,,,,,,,,,,seed,\n",
         "bad.csv, row 1: code 39405 contradicts municipality '本山町'"},
        {"a,rmo,x,高知県,本山町,,,,,approximate,,,,,,seed,\n", "bad.csv, row 1: precision 'approximate'"},
        {"a,rmo,x,高知県,本山町,,,,,,,,,,,,\n", "bad.csv, row 1: empty source"},
        {"sh2019-01,rmo,x,高知県,本山町,,,,,,,,,,,seed,\n",
         "bad.csv, row 1: duplicate id 'sh2019-01': already in the database (import source builtin:small_hubs.csv)"},
    };
    int n = 0;
    for (const auto& c : cases) {
        const fs::path dir = scratch_.path() / fmt::format("geodata{}", ++n);
        fs::create_directories(dir / "hubs");
        std::ofstream(dir / "hubs" / "bad.csv", std::ios::binary) << kCuratedHeader << c.body;
        Database db(db_, Database::Mode::ReadWrite);
        std::vector<std::string> notes;
        try {
            loadBuiltinHubLayers(db, dir.string(), notes);
            ADD_FAILURE() << "loaded: " << c.body;
        } catch (const Error& e) {
            EXPECT_NE(std::string(e.what()).find(c.expected), std::string::npos) << e.what();
        }
    }
    // A column missing from the curated layout.
    const fs::path dir = scratch_.path() / "geodata-short";
    fs::create_directories(dir / "hubs");
    std::ofstream(dir / "hubs" / "short.csv") << "id,kind,name,prefecture\na,rmo,x,高知県\n";
    Database db(db_, Database::Mode::ReadWrite);
    std::vector<std::string> notes;
    try {
        loadBuiltinHubLayers(db, dir.string(), notes);
        ADD_FAILURE() << "loaded a file without the curated columns";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("short.csv: missing required column 'municipality'"), std::string::npos)
            << e.what();
    }
}

// ---- the checksum that the all-or-nothing checks above rely on ----------------------------

TEST_F(ImportTest, TheDatabaseChecksumSeesEveryChangeAndNotTheLayout) {
    const std::string base = databaseChecksum(db_);
    EXPECT_EQ(base.size(), 16u);
    EXPECT_EQ(databaseChecksum(db_), base);
    // The same contents in another page layout: the same checksum.
    const std::string vacuumed = scratch_.file("vacuumed.sqlite");
    Database(db_, Database::Mode::ReadWrite).exec(fmt::format("VACUUM INTO '{}'", vacuumed));
    EXPECT_NE(readFile(vacuumed), readFile(db_));
    EXPECT_EQ(databaseChecksum(vacuumed), base);

    // Each change, made on a fresh copy, is seen.
    int n = 0;
    auto changed = [&](const std::string& sql) {
        const std::string copy = scratch_.file(fmt::format("changed{}.sqlite", ++n));
        fs::copy_file(db_, copy);
        Database(copy, Database::Mode::ReadWrite).exec(sql);
        return databaseChecksum(copy);
    };
    EXPECT_NE(changed("DELETE FROM settlements WHERE id = (SELECT MAX(id) FROM settlements)"), base);
    EXPECT_NE(changed("UPDATE hubs SET name = name || ' ' WHERE id = 'sh2019-01'"), base);
    EXPECT_NE(changed("UPDATE metadata SET value = CAST(value AS BLOB) WHERE key = 'schema_version'"), base)
        << "text '1' and the blob x'31' are other contents";
    EXPECT_NE(changed("DROP TRIGGER gii_hubs_geom"), base);
    EXPECT_NE(changed("CREATE TABLE extra(x)"), base);
    EXPECT_NE(changed("CREATE INDEX extra ON hubs(name)"), base);
    EXPECT_NE(changed("DELETE FROM idx_hubs_geom WHERE pkid = (SELECT MIN(pkid) FROM idx_hubs_geom)"), base)
        << "a spatial index entry (the R*Tree's shadow tables)";

    // A geometry blob differing in one coordinate by 1e-9 degrees, nothing else.
    auto pointDb = [&](const std::string& name, double lon) {
        const std::string path = scratch_.file(name);
        Database db(path, Database::Mode::Create);
        db.exec(
            fmt::format("CREATE TABLE g(id INTEGER PRIMARY KEY, geom BLOB); "
                        "INSERT INTO g(geom) VALUES (MakePoint({:.10f}, 33.5, 6668))",
                        lon));
        return databaseChecksum(path);
    };
    EXPECT_NE(pointDb("a.sqlite", 133.5), pointDb("b.sqlite", 133.5 + 1e-9));
    EXPECT_EQ(pointDb("c.sqlite", 133.5), pointDb("d.sqlite", 133.5));
}

// ---- keeping a list as the planner keeps it: extra columns, 種別, --replace, --kind-label ------

namespace {

std::string cp932(const std::string& utf8) {
    size_t bad = 0;
    auto out = convertEncoding(utf8, "UTF-8", "CP932", bad);
    EXPECT_TRUE(out.has_value()) << "not CP932-encodable at byte " << bad;
    return out.value_or("");
}

}  // namespace

TEST_F(ImportTest, ColumnsHubmapDoesNotUseAreKeptAsExtraInColumnOrder) {
    const std::string csv = write("extra.csv",
                                  "番号,拠点名,電話番号,所在地,担当課,WKT\n"
                                  "1,a,0887-00-0000,高知県高知市はりまや町一丁目,地域振興課,\n"
                                  "2,b,,高知市はりまや町二丁目,\"企画課, 係\",\n"
                                  "3,c,,高知市はりまや町三丁目,,\n");
    const ImportReport r = import(options(csv));
    EXPECT_EQ(r.imported, 3);
    // GDAL reads a WKT column as the geometry (empty here: placed by address): not kept.
    EXPECT_EQ(r.extraColumns, (std::vector<std::string>{"電話番号", "担当課"}));
    const auto hubs = hubsOf("extra.csv");
    ASSERT_EQ(hubs.size(), 3u);
    EXPECT_EQ(hubs[0].details().extra, R"({"電話番号":"0887-00-0000","担当課":"地域振興課"})");
    EXPECT_EQ(hubs[1].details().extra, R"({"担当課":"企画課, 係"})");
    EXPECT_EQ(hubs[2].details().extra, "");  // nothing typed: NULL, not {}
    // `hubmap hubs --format json` gives it as an object; the CSV as its JSON text, which import
    // reads back into extra (the round trip keeps every column the planner typed).
    const nlohmann::json j = hubsToJson(hubs);
    EXPECT_EQ(j[0]["extra"]["電話番号"], "0887-00-0000");
    EXPECT_TRUE(j[2]["extra"].is_null());
    const std::string again = scratch_.file("again.csv");
    writeHubsCsv(hubs, again);
    ImportOptions o = options(again);
    o.sourceName = "again";
    const ImportReport back = import(o);
    EXPECT_EQ(back.extraColumns, std::vector<std::string>{"extra"});  // precision, code, import_source: hubmap's
    const auto reimported = hubsOf("again");
    ASSERT_EQ(reimported.size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(reimported[i].details().extra, hubs[i].details().extra) << i;

    // The CLI lists them once.
    const auto cli = runHubmapInProcess("import " + csv + " --kind test --source cli --db " + db_ + " -q");
    ASSERT_EQ(cli.status, 0) << cli.err;
    EXPECT_NE(cli.out.find("  kept as extra: 電話番号, 担当課\n"), std::string::npos) << cli.out;
    EXPECT_NE(cli.out.find("  precision: settlement 3\n"), std::string::npos) << cli.out;
}

TEST(ImportValues, KindCellsNameCuratedKindsOrKeepTheirOwn) {
    EXPECT_EQ(hubKindFromCell("小さな拠点"), "small_hub");
    EXPECT_EQ(hubKindFromCell(" 地域運営組織 "), "rmo");
    EXPECT_EQ(hubKindFromCell("ＲＭＯ"), "rmo");
    EXPECT_EQ(hubKindFromCell("集落活動センター"), "activity_centre");
    EXPECT_EQ(hubKindFromCell("関係人口モデル事業"), "model_project");
    EXPECT_EQ(hubKindFromCell("Small_Hub"), "small_hub");
    EXPECT_EQ(hubKindFromCell("my_kind2"), "my_kind2");
    EXPECT_EQ(hubKindFromCell("道の駅"), "道の駅");  // a custom kind, as written
    EXPECT_EQ(hubKindFromCell("ｺﾐｭﾆﾃｨ"), "コミュニティ");
    for (const char* bad : {"", "  ", "a,b", "x=1", "a|b"}) EXPECT_FALSE(hubKindFromCell(bad).has_value()) << bad;
}

TEST_F(ImportTest, AKindColumnGivesEachRowItsKind) {
    const std::string csv = write("kinds.csv",
                                  "番号,拠点名,所在地,種別\n"
                                  "1,a,高知県高知市はりまや町一丁目,小さな拠点\n"
                                  "2,b,高知市はりまや町二丁目,道の駅\n"
                                  "3,c,高知市はりまや町三丁目,\n");
    // Without --kind a row whose 種別 is empty has no kind.
    ImportOptions o = options(csv, "");
    const std::string message = failingImport(o);
    EXPECT_NE(message.find("row 3: empty 種別: give the kind of such rows with --kind"), std::string::npos) << message;
    // With --kind it is the kind of those rows; 種別 is not kept as extra (it is used).
    const ImportReport r = import(options(csv, "office"));
    EXPECT_TRUE(r.extraColumns.empty());
    const auto hubs = hubsOf("kinds.csv");
    ASSERT_EQ(hubs.size(), 3u);
    EXPECT_EQ(hubs[0].kind, "small_hub");
    EXPECT_EQ(hubs[1].kind, "道の駅");
    EXPECT_EQ(hubs[2].kind, "office");
    EXPECT_EQ(r.byKind.at("道の駅"), 1);
    // A file with no kind column needs --kind.
    ImportOptions none = options(write("nokind.csv", "id,name,lon,lat\n1,a,133.5311,33.5597\n"), "");
    EXPECT_THROW(import(none), UsageError);
}

TEST_F(ImportTest, ReplaceSwapsOneImportInOneTransaction) {
    import(options(write("other.csv", "id,name,lon,lat\n1,other,133.4728,33.7834\n")));
    const std::string v1 =
        write("list.csv", "id,name,lon,lat\n1,old one,133.5311,33.5597\n2,old two,133.5908,33.7575\n");
    ImportOptions first = options(v1);
    first.sourceName = "list";
    import(first);

    // A new version with a bad row: refused, the old rows stay byte for byte.
    ImportOptions bad = options(write("list-v2-bad.csv", "id,name,lon,lat\n1,new one,133.5311,33.5597\n2,x,abc,1\n"));
    bad.sourceName = "list";
    bad.replace = true;
    const std::string before = databaseChecksum(db_);
    std::string message = failingImport(bad, before);
    EXPECT_NE(message.find("row 2: unparseable coordinates"), std::string::npos) << message;
    // A file that cannot be read, and a file GDAL reads only in part.
    bad.file = scratch_.file("missing.csv");
    failingImport(bad, before);
    bad.file = write("list-v2-damaged.csv", "id,name,lon,lat\n1,\"new one,133.5311,33.5597\n");
    failingImport(bad, before);
    // Cancelled while writing (after the old rows were deleted in the transaction).
    {
        ImportOptions big = options(write("list-v2-big.csv", manyRowsCsv()));
        big.sourceName = "list";
        big.replace = true;
        CancelWhileWriting progress;
        EXPECT_THROW(importHubs(db_, big, progress), Cancelled);
        EXPECT_EQ(databaseChecksum(db_), before);
    }
    // --replace names a source that exists.
    ImportOptions unknown = options(v1);
    unknown.sourceName = "lists";
    unknown.replace = true;
    try {
        import(unknown);
        ADD_FAILURE() << "replaced a source that does not exist";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("no import source of that name"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("list (2 rows)"), std::string::npos) << e.what();
    }
    ASSERT_EQ(hubsOf("list").size(), 2u);
    EXPECT_EQ(hubsOf("list")[0].name, "old one");

    // The good new version: the same ids are no clash, the old rows go, the other source stays.
    ImportOptions good = options(write("list-v2.csv",
                                       "id,name,lon,lat\n1,new one,133.5311,33.5597\n3,new three,"
                                       "133.4728,33.7834\n4,new four,133.5908,33.7575\n"));
    good.sourceName = "list";
    good.replace = true;
    const ImportReport r = import(good);
    EXPECT_EQ(r.imported, 3);
    EXPECT_EQ(r.replaced, 2);
    EXPECT_TRUE(r.warnings.empty()) << r.warnings.front();  // not "identical to hubs of list"
    const auto hubs = hubsOf("list");
    ASSERT_EQ(hubs.size(), 3u);
    EXPECT_EQ(hubs[0].id, "list:1");
    EXPECT_EQ(hubs[0].name, "new one");
    EXPECT_EQ(hubsOf("other.csv").size(), 1u);
    {
        // Closed before the CLI runs in this process: SQLite keeps the run's descriptor of a file
        // open while another connection of the process holds it (POSIX locks are per process).
        Database db(db_, Database::Mode::ReadOnly);
        for (const auto& s : readImportSources(db)) {
            if (s.name == "list") {
                EXPECT_EQ(s.rows, 3);
            }
        }
    }

    // The CLI: --replace SOURCE FILE.
    const auto cli = runHubmapInProcess("import --replace list " + v1 + " --kind test --db " + db_ + " -q");
    ASSERT_EQ(cli.status, 0) << cli.err;
    EXPECT_NE(cli.out.find("replaced the 3 rows of the previous version"), std::string::npos) << cli.out;
    EXPECT_EQ(hubsOf("list").size(), 2u);
}

TEST_F(ImportTest, KindLabelIsStoredForTheCustomKind) {
    ImportOptions o = options(write("shimane.csv", "id,name,lon,lat\n1,a,133.5311,33.5597\n"), "shimane_small_hub");
    o.kindLabel = "島根県小さな拠点";
    import(o);
    {
        Database db(db_, Database::Mode::ReadOnly);
        EXPECT_EQ(readKindLabels(db).at("shimane_small_hub"), "島根県小さな拠点");
    }
    // The tables show it.
    const auto table = runHubmapInProcess("hubs --kind shimane_small_hub --db " + db_ + " -q");
    ASSERT_EQ(table.status, 0) << table.err;
    EXPECT_NE(table.out.find("島根県小さな拠点"), std::string::npos) << table.out;
    // A curated kind has its name; a label needs the kind it names.
    ImportOptions curated = options(o.file, "small_hub");
    curated.kindLabel = "拠点";
    curated.sourceName = "curated";
    EXPECT_THROW(import(curated), UsageError);
    ImportOptions noKind = options(o.file, "");
    noKind.kindLabel = "拠点";
    noKind.sourceName = "nokind";
    EXPECT_THROW(import(noKind), UsageError);
}

TEST_F(ImportTest, TheRejectsFileIsWrittenInTheInputsEncoding) {
    const std::string rows =
        "番号,拠点名,所在地\r\n1,はりまや拠点,高知県高知市はりまや町一丁目\r\n2,誤記,高知県本山郡本山町 1\r\n";
    ImportOptions o = options(write("sjis.csv", cp932(rows)));
    o.skipInvalid = true;
    o.rejectsFile = scratch_.file("sjis.rejects.csv");
    ImportReport r = import(o);
    EXPECT_EQ(r.imported, 1);
    EXPECT_EQ(r.rejectsEncoding, "CP932");
    std::string bytes = readFile(o.rejectsFile);
    EXPECT_TRUE(firstInvalidUtf8(bytes).has_value()) << "written as UTF-8";
    size_t bad = 0;
    const auto text = toUtf8(bytes, "CP932", bad);
    ASSERT_TRUE(text.has_value());
    EXPECT_NE(text->find("誤記"), std::string::npos) << *text;
    EXPECT_NE(text->find("長岡郡本山町"), std::string::npos) << *text;

    // UTF-8 with a byte order mark stays so; plain UTF-8 stays plain.
    o = options(write("bom.csv", "\xEF\xBB\xBF" + rows));
    o.skipInvalid = true;
    o.rejectsFile = scratch_.file("bom.rejects.csv");
    r = import(o);
    EXPECT_EQ(r.rejectsEncoding, "UTF-8 with BOM");
    bytes = readFile(o.rejectsFile);
    EXPECT_EQ(bytes.rfind("\xEF\xBB\xBF", 0), 0u);
    EXPECT_NE(bytes.find("誤記"), std::string::npos);
    o = options(write("plain.csv", rows));
    o.skipInvalid = true;
    o.rejectsFile = scratch_.file("plain.rejects.csv");
    r = import(o);
    EXPECT_EQ(r.rejectsEncoding, "UTF-8");
    bytes = readFile(o.rejectsFile);
    EXPECT_NE(bytes.rfind("\xEF\xBB\xBF", 0), 0u);
    EXPECT_NE(bytes.find("誤記"), std::string::npos);
}

// A Hub holds its rarely filled fields apart, and only when one is given: each of them alone
// is written and read back, a hub with none reads with none, and a copy holds its own.
TEST_F(ImportTest, EachRarelyFilledHubFieldIsWrittenAndReadAlone) {
    auto hub = [](const std::string& id) {
        Hub h;
        h.id = id;
        h.kind = "test";
        h.name = id;
        h.code = "39201";
        h.lon = 133.5311;
        h.lat = 33.5597;
        h.precision = "exact";
        h.source = "details";
        h.importSource = "details";
        return h;
    };
    std::vector<Hub> hubs;
    hubs.push_back(hub("d0-none"));
    hubs.push_back(hub("d1-district"));
    hubs.back().editDetails().district = "大字姫ノ井";
    hubs.push_back(hub("d2-opened"));
    hubs.back().editDetails().opened = "2021-04";
    hubs.push_back(hub("d3-programme"));
    hubs.back().editDetails().programme = "小さな拠点";
    hubs.push_back(hub("d4-fiscal-year"));
    hubs.back().editDetails().fiscalYear = 2020;
    hubs.push_back(hub("d5-operator"));
    hubs.back().editDetails().operatorName = "大川村";
    hubs.push_back(hub("d6-source-ref"));
    hubs.back().editDetails().sourceRef = "12";
    hubs.push_back(hub("d7-extra"));
    hubs.back().editDetails().extra = R"({"電話":"088"})";
    {
        Database db(db_, Database::Mode::ReadWrite);
        Transaction tx(db);
        insertHubs(db, hubs);
        tx.commit();
    }
    auto fields = [](const Hub& h) {
        const HubDetails& d = h.details();
        return std::vector<std::string>{
            d.district,     d.opened,    d.programme, d.fiscalYear ? std::to_string(*d.fiscalYear) : "-",
            d.operatorName, d.sourceRef, d.extra};
    };
    const std::vector<Hub> read = hubsOf("details");
    ASSERT_EQ(read.size(), hubs.size());
    for (size_t i = 0; i < hubs.size(); ++i) {
        EXPECT_EQ(read[i].id, hubs[i].id);
        EXPECT_EQ(fields(read[i]), fields(hubs[i])) << hubs[i].id;
    }
    Hub copy = read[1];
    EXPECT_EQ(fields(copy), fields(read[1]));
    copy.editDetails().district = "別";
    EXPECT_EQ(read[1].details().district, "大字姫ノ井");  // not shared
    Hub assigned = read[1];
    assigned = read[7];
    EXPECT_EQ(fields(assigned), fields(read[7]));
    assigned.editDetails().extra = "{}";
    EXPECT_EQ(read[7].details().extra, R"({"電話":"088"})");
}

// A database of schema 3 (before hubs.extra): read as it is, upgraded in place by the next
// import, its hubs kept.
TEST_F(ImportTest, ASchemaThreeDatabaseIsReadAndUpgradedInPlaceKeepingItsHubs) {
    import(options(write("kept.csv", "id,name,lon,lat\n1,kept,133.5311,33.5597\n")));
    {
        Database db(db_, Database::Mode::ReadWrite);
        db.exec(
            "ALTER TABLE hubs DROP COLUMN extra; DROP TABLE kind_labels;"
            "UPDATE metadata SET value = '3' WHERE key = 'schema_version'");
    }
    const size_t before = [&] {
        Database db(db_, Database::Mode::ReadOnly);
        return readHubs(db).size();
    }();
    LoadOptions load;
    EXPECT_EQ(loadDataset(db_, load).hubs.size(), before);
    EXPECT_EQ(hubsOf("kept.csv").size(), 1u);
    // A failed import leaves it at schema 3, byte for byte.
    failingImport(options(write("broken.csv", "id,name,lon,lat\n1,x,abc,1\n")));
    import(options(write("new.csv", "id,name,lon,lat,電話\n1,new,133.5311,33.5597,088\n")));
    Database db(db_, Database::Mode::ReadOnly);
    EXPECT_EQ(schemaVersion(db), kSchemaVersion);
    EXPECT_EQ(readHubs(db).size(), before + 1);
    EXPECT_EQ(hubsOf("kept.csv").size(), 1u);
    EXPECT_EQ(hubsOf("new.csv").at(0).details().extra, R"({"電話":"088"})");
    // Older than 3: rebuild, and the message says how.
    {
        Database rw(db_, Database::Mode::ReadWrite);
        rw.exec("UPDATE metadata SET value = '2' WHERE key = 'schema_version'");
    }
    try {
        loadDataset(db_, load);
        ADD_FAILURE() << "read a schema 2 database";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("hubmap init --force"), std::string::npos) << e.what();
    }
}
