// Spreadsheet safety (docs/formats.md): hub names and ids that would start a formula come out
// of every CSV hubmap writes behind a ', and unchanged in JSON, GeoJSON and GeoPackage.

#include <fmt/format.h>
#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using hubmap::test::runHubmapInProcess;
using hubmap::test::ScratchDir;

namespace {

const std::string kHyperlink = R"(=HYPERLINK("http://x","y"))";

/// Every cell of a CSV file as GDAL's CSV reader sees it (all columns as text).
std::vector<std::string> csvCells(const std::string& path) {
    GDALAllRegister();
    const char* const openOptions[] = {"AUTODETECT_TYPE=NO", "HEADERS=YES", nullptr};
    const char* const drivers[] = {"CSV", nullptr};
    std::unique_ptr<GDALDataset> ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR, drivers, openOptions, nullptr));
    if (!ds) throw std::runtime_error("GDAL cannot open " + path);
    std::vector<std::string> cells;
    OGRLayer* layer = ds->GetLayer(0);
    for (auto& f : *layer) {
        for (int i = 0; i < f->GetFieldCount(); ++i) cells.emplace_back(f->GetFieldAsString(i));
    }
    return cells;
}

bool contains(const std::vector<std::string>& cells, const std::string& s) {
    return std::find(cells.begin(), cells.end(), s) != cells.end();
}

/// No cell starts a formula: = + - @ TAB CR only behind a ', or as a plain number.
void expectNoFormula(const std::vector<std::string>& cells, const std::string& what) {
    for (const auto& c : cells) {
        if (c.empty()) continue;
        const bool number = c.find_first_not_of("+-.0123456789eE") == std::string::npos;
        EXPECT_TRUE(std::string("=+-@\t\r").find(c.front()) == std::string::npos || number)
            << what << ": the cell [" << c << "] would run as a formula";
    }
}

class SpreadsheetSafety : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(fs::exists(hubmap::test::kImportBaseDb)) << "made by the CTest fixture build_import_base_db";
        fs::copy_file(hubmap::test::kImportBaseDb, db_);
        // One hub in 大川村 (its id, @src:=1+2, is 大川村's hub_ids), three in 高知市 (one named
        // like a negative number), and a rejected row (bad coordinates) for the rejects file.
        // The import source @src starts every hub id with a formula character.
        std::ofstream(csv_) << "id,name,lon,lat\n"
                            << "\"=1+2\",\""
                            << "=HYPERLINK(\"\"http://x\"\",\"\"y\"\")"
                            << "\",133.4728,33.7834\n"
                            << "h2,@SUM(1),133.5311,33.5597\n"
                            << "h3,+1,133.5311,33.5597\n"
                            << "h4,-3.5,133.5311,33.5597\n"
                            << "bad,=cmd|' /C calc'!A0,abc,1\n";
        const auto r = runHubmapInProcess(fmt::format(
            "import {} --kind sstest --source @src --skip-invalid --rejects {} --db {} -q", csv_, rejects_, db_));
        ASSERT_EQ(r.status, 0) << r.err;
    }
    std::string save(const std::string& name, const std::string& text) {
        const std::string path = scratch_.file(name);
        std::ofstream(path) << text;
        return path;
    }

    ScratchDir scratch_;
    std::string db_ = scratch_.file("hubs.sqlite");
    std::string csv_ = scratch_.file("formulas.csv");
    std::string rejects_ = scratch_.file("formulas.rejects.csv");
};

}  // namespace

TEST_F(SpreadsheetSafety, HubsCsvNeutralisesAndReimportsTheRealNames) {
    const auto r = runHubmapInProcess("hubs --source @src --format csv --db " + db_);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string out = save("hubs.csv", r.out);
    const auto cells = csvCells(out);
    expectNoFormula(cells, "hubs --format csv");
    EXPECT_TRUE(contains(cells, "'" + kHyperlink)) << r.out;
    EXPECT_TRUE(contains(cells, "'@SUM(1)")) << r.out;
    EXPECT_TRUE(contains(cells, "'+1")) << r.out;
    EXPECT_TRUE(contains(cells, "'-3.5")) << r.out;  // a name, so text, even if it looks like a number
    EXPECT_TRUE(contains(cells, "'@src:=1+2")) << r.out;
    EXPECT_TRUE(contains(cells, "'@src")) << r.out;        // import_source
    EXPECT_TRUE(contains(cells, "133.4728000")) << r.out;  // numbers stay numbers

    // Imported again, the file gives back the names it was written from.
    const auto again = runHubmapInProcess(fmt::format("import {} --kind sstest --source again --db {} -q", out, db_));
    ASSERT_EQ(again.status, 0) << again.err;
    const auto json = runHubmapInProcess("hubs --source again --format json --db " + db_);
    ASSERT_EQ(json.status, 0) << json.err;
    std::set<std::string> names;
    for (const auto& h : nlohmann::json::parse(json.out)) names.insert(h["name"].get<std::string>());
    EXPECT_EQ(names, (std::set<std::string>{kHyperlink, "@SUM(1)", "+1", "-3.5"}));
}

TEST_F(SpreadsheetSafety, JsonKeepsTheRealNames) {
    const auto r = runHubmapInProcess("hubs --source @src --format json --db " + db_);
    ASSERT_EQ(r.status, 0) << r.err;
    std::set<std::string> names, ids;
    for (const auto& h : nlohmann::json::parse(r.out)) {
        names.insert(h["name"].get<std::string>());
        ids.insert(h["id"].get<std::string>());
    }
    EXPECT_EQ(names, (std::set<std::string>{kHyperlink, "@SUM(1)", "+1", "-3.5"}));
    EXPECT_TRUE(ids.count("@src:=1+2")) << r.out;
}

TEST_F(SpreadsheetSafety, RejectsFileNeutralises) {
    const auto cells = csvCells(rejects_);
    expectNoFormula(cells, "rejects file");
    EXPECT_TRUE(contains(cells, "'=cmd|' /C calc'!A0")) << hubmap::test::readFile(rejects_);
}

TEST_F(SpreadsheetSafety, CoverageAndGapsCsvNeutraliseGeoJsonKeeps) {
    auto r = runHubmapInProcess("coverage --by municipality --kinds sstest --format csv --db " + db_);
    ASSERT_EQ(r.status, 0) << r.err;
    auto cells = csvCells(save("coverage.csv", r.out));
    expectNoFormula(cells, "coverage --format csv");
    EXPECT_TRUE(contains(cells, "'@src:=1+2")) << "大川村's hub_ids\n" << r.out;

    r = runHubmapInProcess("coverage --by municipality --kinds sstest --format geojson --db " + db_);
    ASSERT_EQ(r.status, 0) << r.err;
    bool found = false;
    const auto geojson = nlohmann::json::parse(r.out);
    for (const auto& f : geojson["features"]) {
        const auto& ids = f["properties"]["hub_ids"];
        if (ids.is_string() && ids.get<std::string>() == "@src:=1+2") found = true;
    }
    EXPECT_TRUE(found) << "GeoJSON keeps the id as it is";

    for (const char* rank : {"municipalities", "prefectures"}) {
        r = runHubmapInProcess(fmt::format("gaps --rank {} --kinds sstest --format csv --db {}", rank, db_));
        ASSERT_EQ(r.status, 0) << r.err;
        expectNoFormula(csvCells(save(fmt::format("gaps_{}.csv", rank), r.out)), "gaps --format csv");
    }
}

TEST_F(SpreadsheetSafety, GeoPackageKeepsTheRealNames) {
    const std::string gpkg = scratch_.file("out.gpkg");
    const auto r = runHubmapInProcess(fmt::format("export --kinds sstest --out {} --db {} -q", gpkg, db_));
    ASSERT_EQ(r.status, 0) << r.err;
    GDALAllRegister();
    std::unique_ptr<GDALDataset> ds(GDALDataset::Open(gpkg.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    OGRLayer* hubs = ds->GetLayerByName("hubs");
    ASSERT_TRUE(hubs);
    std::set<std::string> names;
    for (auto& f : *hubs) names.insert(f->GetFieldAsString("name"));
    EXPECT_EQ(names, (std::set<std::string>{kHyperlink, "@SUM(1)", "+1", "-3.5"}));
}
