// `hubmap suggest` run in the test process (tests/cli_runner.hpp; a few runs by the binary too):
// bad input exits 2 with a clear message, population asked of a database without it is a data
// error, the outputs, and --save-as (coverage then sees the planned hubs; removing the import
// removes them).
//
// On the import base (build_import_base_db: the national database with only 高知県's gazetteer
// and population points): every query here is of 高知県 (or names another prefecture to be
// refused), whose rows are the national ones, so the outputs are the national database's
// (compared: the same JSON but for timings), and each run loads a sixth of the points.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "test_util.hpp"

using hubmap::test::CommandResult;
using hubmap::test::runHubmapBothWays;
using hubmap::test::runHubmapInProcess;

namespace {

std::string db() { return hubmap::test::kImportBaseDb; }

CommandResult suggest(const std::string& args) { return runHubmapInProcess("suggest -q --db " + db() + " " + args); }

/// `binaryToo`: the binary runs it as well and must say the same.
void expectUsageError(const std::string& args, const std::string& message, bool binaryToo = false) {
    const CommandResult r = binaryToo ? runHubmapBothWays("suggest -q --db " + db() + " " + args) : suggest(args);
    EXPECT_EQ(r.status, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << args << "\n" << r.err;
    EXPECT_TRUE(r.out.empty()) << args;
}

TEST(SuggestCli, BadInputExitsTwoWithAClearMessage) {
    expectUsageError("--k 0 --radius-km 5 --prefecture 高知", "at least 1, not 0", true);
    expectUsageError("--k -2 --radius-km 5 --prefecture 高知", "at least 1, not -2");
    expectUsageError("--k 100000 --radius-km 5 --prefecture 高知", "more sites than the");
    expectUsageError("--k 3 --radius-km 0 --prefecture 高知", "positive number of kilometres");
    expectUsageError("--k 3 --radius-km 500 --prefecture 高知", "beyond the 200 km");
    expectUsageError("--k 3 --prefecture 高知", "--radius-km");
    expectUsageError("--k 3 --radius-km 5 --prefecture 東京 --designation deemed", "no designated municipality", true);
    expectUsageError("--k 3 --radius-km 5 --prefecture 高知 --exact=-1", "positive number of seconds");
    expectUsageError("--k 3 --radius-km 5 --prefecture どこでも県", "unknown prefecture");
    expectUsageError("--radius-km 5", "--k is required", true);
}

TEST(SuggestCli, CandidatesFileWithoutCoordinates) {
    hubmap::test::ScratchDir dir;
    const std::string file = dir.file("names.csv");
    std::ofstream(file) << "name,note\n候補1,a\n候補2,b\n";
    expectUsageError("--k 1 --radius-km 5 --prefecture 高知 --candidates " + file, "no coordinates");
}

TEST(SuggestCli, CandidatesFileWithCoordinates) {
    hubmap::test::ScratchDir dir;
    const std::string file = dir.file("sites.csv");
    // Two in 高知県's designated areas (大豊町, 梼原町), one in Tokyo.
    std::ofstream(file) << "name,lon,lat\nA,133.66,33.76\nB,132.93,33.39\nC,139.76,35.68\n";
    const CommandResult r = suggest("--k 2 --radius-km 5 --prefecture 高知 --format json --candidates " + file);
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["header"]["candidates"]["source"], "file");
    EXPECT_EQ(j["header"]["candidates"]["in_query"], 2);
    EXPECT_EQ(j["header"]["candidates"]["outside_query"], 1);
    ASSERT_EQ(j["sites"].size(), 2u);
}

// The demand is what coverage counts in the same query: its residents, or its settlements.
TEST(SuggestCli, DemandIsTheQuerysPopulationOrSettlements) {
    const CommandResult cov =
        runHubmapInProcess("coverage -q --db " + db() + " --prefecture 高知 --radius-km 5 --format json");
    ASSERT_EQ(cov.status, 0) << cov.err;
    const auto c = nlohmann::json::parse(cov.out)["nation"];
    const CommandResult people = suggest("--k 3 --radius-km 5 --prefecture 高知 --weight population --format json");
    ASSERT_EQ(people.status, 0) << people.err;
    const auto p = nlohmann::json::parse(people.out);
    EXPECT_EQ(p["demand"].get<long long>(), c["population"].get<long long>());
    EXPECT_EQ(p["before"]["covered"].get<long long>(), c["population_covered"].get<long long>());
    EXPECT_EQ(p["header"]["weight"]["population_methods"], nlohmann::json::array({"census_2015_small_areas"}));
    const CommandResult places = suggest("--k 3 --radius-km 5 --prefecture 高知 --weight settlements --format json");
    ASSERT_EQ(places.status, 0) << places.err;
    const auto s = nlohmann::json::parse(places.out);
    EXPECT_EQ(s["demand"].get<long long>(), c["settlements"].get<long long>());
    EXPECT_EQ(s["before"]["covered"].get<long long>(), c["settlements_covered"].get<long long>());
}

TEST(SuggestCli, JsonDocument) {
    const CommandResult r = suggest("--k 5 --radius-km 5 --prefecture 高知 --format json");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["schema"], "hubmap.suggest/1");
    EXPECT_EQ(j["header"]["weight"]["key"], "population") << "the default weight when the database has population";
    EXPECT_EQ(j["header"]["radius_km"], 5.0);
    const long long demand = j["demand"], before = j["before"]["covered"], after = j["after"]["covered"];
    const long long upper = j["bound"]["upper"];
    EXPECT_GT(demand, 0);
    EXPECT_LE(before, after);
    EXPECT_LE(after, upper);
    EXPECT_LE(upper, demand);
    ASSERT_EQ(j["sites"].size(), 5u);
    long long running = before;
    for (size_t i = 0; i < 5; ++i) {
        const auto& s = j["sites"][i];
        for (const char* key : {"rank", "lon", "lat", "code", "municipality", "district", "gain", "covered", "share"}) {
            EXPECT_TRUE(s.contains(key)) << key;
        }
        EXPECT_EQ(s["rank"], i + 1);
        running += s["gain"].get<long long>();
        EXPECT_EQ(s["covered"], running);
        EXPECT_EQ(s["code"].get<std::string>().substr(0, 2), "39");
    }
    EXPECT_EQ(running, after);
    // The same sites in CSV.
    const CommandResult csv = suggest("--k 5 --radius-km 5 --prefecture 高知 --format csv");
    ASSERT_EQ(csv.status, 0) << csv.err;
    EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
              "rank,lon,lat,code,prefecture,municipality,district,gain,covered,share");
    EXPECT_EQ(std::count(csv.out.begin(), csv.out.end(), '\n'), 6);
}

TEST(SuggestCli, SaveAsStoresPlannedHubsThatCoverageSeesUntilRemoved) {
    hubmap::test::ScratchDir dir;
    const std::string copy = dir.file("plan.sqlite");
    std::filesystem::copy_file(db(), copy);
    const std::string query = "--k 3 --radius-km 5 --prefecture 高知";
    CommandResult r = runHubmapInProcess("suggest -q --db " + copy + " " + query + " --save-as plan-a --format json");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto sites = nlohmann::json::parse(r.out)["sites"];

    r = runHubmapInProcess("coverage -q --db " + copy + " --kinds planned --prefecture 高知 --by nation --format json");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto coverage = nlohmann::json::parse(r.out);
    EXPECT_EQ(coverage["header"]["hubs"]["used"], 3);
    EXPECT_EQ(coverage["nation"]["hubs"], 3) << "each site lies in a designated area";

    r = runHubmapInProcess("hubs -q --db " + copy + " --source plan-a --format json");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto hubs = nlohmann::json::parse(r.out);
    ASSERT_EQ(hubs.size(), 3u);
    EXPECT_EQ(hubs[0]["kind"], "planned");
    EXPECT_DOUBLE_EQ(hubs[0]["lon"].get<double>(), sites[0]["lon"].get<double>());

    // With the planned sites as existing hubs, the next suggestion starts where they left off.
    r = runHubmapInProcess("suggest -q --db " + copy + " " + query + " --format json");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["before"]["covered"], sites[2]["covered"]);

    // The name is taken now.
    r = runHubmapInProcess("suggest -q --db " + copy + " " + query + " --save-as plan-a");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("already in the database"), std::string::npos) << r.err;

    r = runHubmapInProcess("hubs -q --db " + copy + " --remove-source plan-a");
    ASSERT_EQ(r.status, 0) << r.err;
    r = runHubmapInProcess("coverage -q --db " + copy + " --kinds planned --by nation");
    EXPECT_EQ(r.status, 2) << "no hub of kind planned is left";
    EXPECT_NE(r.err.find("unknown hub kind 'planned'"), std::string::npos) << r.err;
}

}  // namespace
