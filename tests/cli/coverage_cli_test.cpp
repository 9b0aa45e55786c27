// `hubmap coverage` and `hubmap gaps` run as a user runs them: exit codes and messages,
// the JSON / CSV / GeoJSON outputs against the library, a decimal-comma locale, and
// the alignment of Japanese names in tables. The runs are in the test process
// (tests/cli_runner.hpp); the binary runs a few of them too, and under the German locale.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <clocale>
#include <cwchar>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "analysis/coverage.hpp"
#include "cli_runner.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"
#include "report/coverage_json.hpp"
#include "report/coverage_layers.hpp"
#include "test_util.hpp"

using namespace hubmap;
using hubmap::test::CommandResult;
using hubmap::test::runCommand;
using hubmap::test::runHubmapBothWays;
using hubmap::test::runHubmapInProcess;

namespace {

class CoverageCli : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(std::filesystem::exists(db())) << db() << " is made by the CTest fixture build_fixture_hubs_db";
    }
    static CommandResult coverage(const std::string& args) {
        return runHubmapInProcess("coverage -q --db " + db() + " " + args);
    }
    static CommandResult coverageOnBase(const std::string& args) {
        return runHubmapInProcess("coverage -q --db " + base() + " " + args);
    }
    /// The national database with exactly the fixture hubs (fixture_hubs_db.hpp), built once
    /// per run by the build_fixture_hubs_db fixture; read only.
    static std::string db() { return test::kFixtureHubsDb; }
    /// The import base (build_import_base_db): every municipality, prefecture and designation,
    /// the national hubs (of the same four kinds), only 高知県's gazetteer and population points.
    /// For the checks that no figure of the fixture hubs or of other prefectures' points decides
    /// (arguments refused, rows selected, formats, designated areas): each run loads a fraction.
    static std::string base() { return test::kImportBaseDb; }
};

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

/// Display columns of a UTF-8 string by glibc's wcwidth in the C.UTF-8 locale: an
/// independent measure of what the table code computes.
int glibcWidth(const std::string& utf8) {
    locale_t utf = newlocale(LC_CTYPE_MASK, "C.UTF-8", nullptr);
    if (!utf) return -1;
    const locale_t old = uselocale(utf);
    std::mbstate_t state{};
    const char* src = utf8.c_str();
    std::vector<wchar_t> wide(utf8.size() + 1);
    const size_t n = std::mbsrtowcs(wide.data(), &src, wide.size(), &state);
    const int width = n == static_cast<size_t>(-1) ? -1 : wcswidth(wide.data(), n);
    uselocale(old);
    freelocale(utf);
    return width;
}

}  // namespace

TEST_F(CoverageCli, UnknownKindExitsTwoAndListsTheKinds) {
    const CommandResult r = runHubmapBothWays("coverage -q --db " + base() + " --kinds shop");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("unknown hub kind 'shop'; kinds in the database: activity_centre, model_project, rmo, "
                         "small_hub"),
              std::string::npos)
        << r.err;
    EXPECT_TRUE(r.out.empty());
}

TEST_F(CoverageCli, BadArgumentsExitTwoWithAClearMessage) {
    struct Case {
        std::string args, message;
    };
    const std::vector<Case> cases = {
        {"--radius-km -5", "positive number of kilometres"},
        {"--radius-km=-5", "positive number of kilometres"},
        {"--radius-km 0", "positive number of kilometres"},
        {"--radius-km 5000", "beyond the 200 km"},
        {"--radius-km ten", "is not a number"},
        {"--radius-km rmo=5,shop=3", "unknown hub kind 'shop'"},
        {"--prefecture 江戸", "unknown prefecture '江戸'; give a name or a code 1-47: 北海道, 青森県"},
        {"--designation none", "expected full, partial or deemed"},
        {"--opened-before 2020-13", "expected a month as YYYY-MM"},
        {"--by county", "county not in"},
        {"--format xml", "--format xml: expected one of table, csv, json, geojson, xlsx"},
        {"--min-share 1.5", "1.5"},
        {"--format geojson --by nation", "needs --by municipality or prefecture"},
        {"--partial half", "half not in"},
    };
    for (const Case& c : cases) {
        const CommandResult r = coverageOnBase(c.args);
        EXPECT_EQ(r.status, 2) << c.args << ": " << r.err;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
    }
    const CommandResult gaps = runHubmapBothWays("gaps -q --db " + base() + " --top -1");
    EXPECT_EQ(gaps.status, 2) << gaps.err;
}

TEST_F(CoverageCli, AnEmptyOrMissingDatabaseIsAnErrorWithItsReason) {
    test::ScratchDir dir;
    const std::string empty = dir.file("empty.sqlite");
    std::filesystem::copy_file(base(), empty);
    {
        Database d(empty, Database::Mode::ReadWrite);
        d.exec("DELETE FROM designations");
    }
    CommandResult r = runHubmapInProcess("coverage -q --db " + empty);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("holds no designated municipalities"), std::string::npos) << r.err;
    r = runHubmapInProcess("coverage -q --db " + dir.file("missing.sqlite"));
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("missing.sqlite"), std::string::npos) << r.err;
    // A bad value is refused before the database is opened (checkCoverageValues): at once, and
    // whatever the database.
    for (const std::string args : {"--radius-km -5", "--radius-km rmo=500", "--opened-before 2020-13"}) {
        for (const std::string& path : {empty, dir.file("missing.sqlite")}) {
            r = runHubmapInProcess("coverage -q " + args + " --db " + path);
            EXPECT_EQ(r.status, 2) << args << " " << path << ": " << r.err;
            EXPECT_EQ(r.err.find(".sqlite"), std::string::npos) << args << ": " << r.err;
        }
    }
}

TEST_F(CoverageCli, JsonCarriesTheLibrarysNumbers) {
    // The golden numbers measure 一部過疎 municipalities whole.
    const CommandResult r = coverage("--by municipality --format json --radius-km 10 --partial whole");
    ASSERT_EQ(r.status, 0) << r.err;
    const nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["schema"], "hubmap.coverage/2");
    ASSERT_EQ(j["municipalities"].size(), 885u);
    const nlohmann::json golden =
        nlohmann::json::parse(test::readFile(std::string(test::kTestDataDir) + "/coverage/golden_nation.json"));
    EXPECT_EQ(j["nation"]["covered"], golden["covered"]);
    EXPECT_EQ(j["nation"]["settlements_covered"], golden["settlements_covered"]);
    EXPECT_DOUBLE_EQ(j["nation"]["covered_km2"].get<double>(), golden["covered_km2"].get<double>());
    EXPECT_EQ(j["header"]["query"]["radius_km"], 10.0);
    EXPECT_EQ(j["header"]["hubs"]["used"], 273);
    // The same query through the library, field by field for one municipality; loaded as the
    // CLI loads it (the points of designated municipalities, all that a query counts).
    LoadOptions load;
    load.pointsOfDesignatedOnly = true;
    load.prefectureGeometry = false;
    const Dataset data = loadDataset(db(), load);
    CoverageOptions o;
    o.radiusKm = 10.0;
    o.partial = PartialMeasure::Whole;
    Progress progress;
    const CoverageResult result = computeCoverage(data, o, progress);
    EXPECT_EQ(j["header"]["query"]["partial"], "whole");
    for (size_t i = 0; i < result.municipalities.size(); i += 97) {
        nlohmann::json expected = municipalityCoverageJson(data, result.municipalities[i]);
        EXPECT_EQ(j["municipalities"][i], expected) << i;
    }
}

TEST_F(CoverageCli, UncoveredOnlyAndMinShareSelectRows) {
    nlohmann::json j = nlohmann::json::parse(coverageOnBase("--by municipality --format json --uncovered-only").out);
    EXPECT_EQ(j["municipalities"].size(), 885u - j["nation"]["covered"].get<size_t>());
    for (const auto& m : j["municipalities"]) EXPECT_EQ(m["hubs"], 0);
    j = nlohmann::json::parse(
        coverageOnBase("--by municipality --format json --uncovered-only --min-share 0.5 --radius-km 10").out);
    for (const auto& m : j["municipalities"]) EXPECT_LT(m["covered_share"].get<double>(), 0.5);
    EXPECT_EQ(j["header"]["selection"]["min_share"], 0.5);
}

TEST_F(CoverageCli, CsvAndGeoJsonComeFromGdalWithEveryAttribute) {
    CommandResult r = coverageOnBase("--by municipality --format csv --radius-km 10");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto csv = lines(r.out);
    ASSERT_EQ(csv.size(), 886u);
    std::string header;
    for (const auto& f : coverageLayerFields("municipality")) header += (header.empty() ? "" : ",") + f;
    EXPECT_EQ(csv[0], header);
    r = coverageOnBase("--by municipality --format geojson --designation deemed");
    ASSERT_EQ(r.status, 0) << r.err;
    const nlohmann::json g = nlohmann::json::parse(r.out);
    EXPECT_EQ(g["type"], "FeatureCollection");
    ASSERT_EQ(g["features"].size(), 14u);  // みなし過疎
    EXPECT_EQ(g["features"][0]["geometry"]["type"], "MultiPolygon");
    EXPECT_EQ(g["features"][0]["properties"]["designation"], "deemed");
    EXPECT_TRUE(g["features"][0]["properties"].contains("covered_km2"));
    r = coverageOnBase("--by prefecture --format geojson");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["features"].size(), 47u);
    r = coverageOnBase("--by nation --format csv");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(lines(r.out).size(), 2u);
}

TEST_F(CoverageCli, NumbersKeepTheirDecimalPointUnderADecimalCommaLocale) {
    // A de_DE.UTF-8 locale compiled into scratch space (Debian's `locales` ships its source),
    // so the test needs no system locale; first prove that it does use a comma. Its numbers,
    // money, dates and the rest are de_DE's; its character classes and collation, the two
    // categories that cost two thirds of localedef's time (0.9 s CPU), are the system's C.UTF-8
    // (libc-bin): the same UTF-8, and no number format in either.
    namespace fs = std::filesystem;
    test::ScratchDir dir;
    const fs::path compiled = dir.path() / "de_DE.UTF-8";
    {
        std::ofstream source(dir.file("de_DE.src"));
        for (const char* category : {"LC_NUMERIC", "LC_MONETARY", "LC_TIME", "LC_MESSAGES", "LC_PAPER", "LC_NAME",
                                     "LC_ADDRESS", "LC_TELEPHONE", "LC_MEASUREMENT", "LC_IDENTIFICATION"}) {
            source << category << "\ncopy \"de_DE\"\nEND " << category << "\n";
        }
    }
    // -c: write the locale although the source leaves LC_CTYPE and LC_COLLATE out (it warns).
    runCommand("localedef -c -f UTF-8 -i " + dir.file("de_DE.src") + " " + compiled.string() + " >/dev/null 2>&1");
    ASSERT_TRUE(fs::exists(compiled / "LC_NUMERIC")) << "localedef could not build de_DE.UTF-8 (package `locales`)";
    const fs::path system = "/usr/lib/locale/C.utf8";
    for (const char* category : {"LC_CTYPE", "LC_COLLATE"}) {
        ASSERT_TRUE(fs::exists(system / category)) << system << " (package libc-bin)";
        fs::copy_file(system / category, compiled / category, fs::copy_options::overwrite_existing);
    }
    const std::string env = "LOCPATH=" + dir.path().string() + " LC_ALL=de_DE.UTF-8 ";
    ASSERT_EQ(runCommand(env + "locale -k decimal_point").out, "decimal_point=\",\"\n");

    const std::string args = "coverage -q --db " + base() + " --by prefecture --radius-km 10 --format ";
    for (const char* format : {"csv", "json"}) {
        const CommandResult plain = runHubmapInProcess(args + format);
        const CommandResult german = runCommand(env + test::kHubmapCli + " " + args + format);
        ASSERT_EQ(german.status, 0) << german.err;
        if (std::string(format) == "csv") {
            EXPECT_EQ(german.out, plain.out);
            EXPECT_NE(german.out.find("."), std::string::npos);
        } else {
            nlohmann::json a = nlohmann::json::parse(plain.out), b = nlohmann::json::parse(german.out);
            for (auto* j : {&a, &b}) {
                (*j)["header"].erase("generated");
                (*j)["header"].erase("seconds");
            }
            EXPECT_EQ(a, b);
            EXPECT_TRUE(b["nation"]["covered_km2"].is_number_float());
        }
    }
}

TEST_F(CoverageCli, TablesAlignJapaneseNamesByDisplayWidth) {
    const CommandResult r = coverage("--by prefecture");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto table = lines(r.out);
    ASSERT_GT(table.size(), 48u);
    // The right edge of the DESIGNATED column (right-aligned) must be at the same display
    // column on every row, whatever the width of the prefecture names before it.
    const std::string& header = table[1];
    const size_t at = header.find("DESIGNATED");
    ASSERT_NE(at, std::string::npos);
    const int edge = glibcWidth(header.substr(0, at + std::string("DESIGNATED").size()));
    ASSERT_GT(edge, 0);
    for (size_t i = 2; i < 2 + 48; ++i) {
        const std::string& line = table[i];
        // Skip code and name, then the number: find the end of the third field (the
        // second on the last row, 全国, which has no code).
        size_t pos = 0;
        for (int field = 0; field < (i < 2 + 47 ? 3 : 2); ++field) {
            pos = line.find_first_not_of(' ', pos);
            pos = line.find("  ", pos);
        }
        EXPECT_EQ(glibcWidth(line.substr(0, pos)), edge) << line;
    }
    EXPECT_NE(r.out.find("高知県"), std::string::npos);
}

TEST_F(CoverageCli, GapsRanksTheWorst) {
    // The orderings and formats on the import base (its national municipalities; only 高知県's
    // points); the largest uncovered area below on the fixture hubs.
    CommandResult r = runHubmapInProcess("gaps -q --db " + base() + " --radius-km 10 --top 5 --format json");
    ASSERT_EQ(r.status, 0) << r.err;
    nlohmann::json j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["schema"], "hubmap.gaps/2");
    // With a radius: by the residents left outside every catchment.
    EXPECT_EQ(j["ranking"]["by"], "population");
    ASSERT_EQ(j["municipalities"].size(), 5u);
    for (size_t i = 1; i < 5; ++i) {
        EXPECT_GE(j["municipalities"][i - 1]["uncovered_population"].get<long long>(),
                  j["municipalities"][i]["uncovered_population"].get<long long>());
    }
    // --by-area: by uncovered area.
    r = runHubmapInProcess("gaps -q --db " + db() + " --radius-km 10 --top 5 --by-area --format json");
    ASSERT_EQ(r.status, 0) << r.err;
    j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["ranking"]["by"], "area");
    ASSERT_EQ(j["municipalities"].size(), 5u);
    for (size_t i = 1; i < 5; ++i) {
        EXPECT_GE(j["municipalities"][i - 1]["uncovered_km2"].get<double>(),
                  j["municipalities"][i]["uncovered_km2"].get<double>());
    }
    EXPECT_EQ(j["municipalities"][0]["hubs"], 0);
    EXPECT_EQ(j["municipalities"][0]["name"], "高山市");  // the largest designated municipality has no fixture hub
    EXPECT_EQ(runHubmapInProcess("gaps -q --db " + base() + " --by-area --by-settlements").status, 2);
    EXPECT_EQ(runHubmapInProcess("gaps -q --db " + base() + " --min-share 0.5 --weight people").status, 2);
    r = runHubmapInProcess("gaps -q --db " + base() + " --by-settlements --rank municipalities --format csv --top 3");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto csv = lines(r.out);
    ASSERT_EQ(csv.size(), 4u);
    EXPECT_EQ(csv[0].rfind("rank,code,", 0), 0u) << csv[0];
    r = runHubmapInProcess("gaps -q --db " + base() + " --format csv");
    EXPECT_EQ(r.status, 2);
    r = runHubmapInProcess("gaps -q --db " + base());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("prefectures lacking coverage"), std::string::npos);
}

TEST_F(CoverageCli, ByNationPrintsTheNationalDesignatedArea) {
    const Dataset data = loadDataset(base(), LoadOptions{false, false, false});
    double national = 0;
    for (const Municipality& m : data.municipalities) national += m.areaKm2;
    Progress progress;
    for (const std::string partial : {"part", "whole"}) {
        CoverageOptions o;
        o.partial = *parsePartialMeasure(partial);
        const CoverageResult result = computeCoverage(data, o, progress);
        const CommandResult table = coverageOnBase("--by nation --partial " + partial);
        ASSERT_EQ(table.status, 0) << table.err;
        const std::string km2 = fmt::format("{:.1f}", result.nation.designatedKm2);
        EXPECT_NE(table.out.find(km2), std::string::npos) << partial << ": " << km2 << "\n" << table.out;
        EXPECT_NE(table.out.find("DESIGNATED km²"), std::string::npos) << table.out;
        const CommandResult json = coverageOnBase("--by nation --format json --partial " + partial);
        ASSERT_EQ(json.status, 0) << json.err;
        const nlohmann::json j = nlohmann::json::parse(json.out);
        EXPECT_NEAR(j["nation"]["designated_km2"].get<double>(), result.nation.designatedKm2, 1e-6);
        const double share = result.nation.designatedKm2 / national;
        RecordProperty("designated_" + partial, fmt::format("{:.1f} km² of {:.1f} km² ({:.2f} %)",
                                                            result.nation.designatedKm2, national, 100 * share));
        if (partial == "part") {
            EXPECT_GT(share, 0.62);
            EXPECT_LT(share, 0.645);
            EXPECT_NE(json.out.find("measured on their designated part"), std::string::npos);
        } else {
            EXPECT_NE(json.out.find("--partial whole"), std::string::npos);
        }
    }
}
