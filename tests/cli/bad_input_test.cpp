// The bad-input corpus (tests/data/bad): every case of cases.tsv runs the CLI against a copy of
// the small test database (kSmallDb: the real schema, 高知県 and a municipality of every other
// prefecture) and must exit with its status, say what its fragments say (the file, the row or
// feature, the reason), show no SQL, and leave the database unchanged. The cases run inside the
// test process (hubmap::cli::run, tests/cli_runner.hpp); the first few of each command and every
// 13th also run the real binary, which must exit and say exactly the same.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "io/spatialite.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hubmap;
using hubmap::test::runCommand;
using hubmap::test::runHubmapBothWays;
using hubmap::test::runHubmapInProcess;
using hubmap::test::ScratchDir;

namespace {

constexpr int kProcessPerCommand = 3;
constexpr size_t kProcessEvery = 13;  // prime to kShards: each shard gets its share

struct Case {
    int line = 0;
    std::string id, cls;
    int exit = 0;
    std::vector<std::string> fragments;
    std::string args;
    bool process = false;  ///< also run by the real binary
};

std::vector<std::string> split(const std::string& s, const std::string& sep) {
    std::vector<std::string> out;
    size_t start = 0;
    for (size_t at; (at = s.find(sep, start)) != std::string::npos; start = at + sep.size()) {
        out.push_back(s.substr(start, at - start));
    }
    out.push_back(s.substr(start));
    return out;
}

std::vector<Case> readCases(const std::string& path) {
    std::ifstream in(path);
    std::vector<Case> cases;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line[0] == '#') continue;
        const auto cols = split(line, "\t");
        if (cols.size() != 5) {
            ADD_FAILURE() << path << " line " << n << ": expected 5 tab-separated columns";
            continue;
        }
        cases.push_back(Case{n, cols[0], cols[1], std::stoi(cols[2]), split(cols[3], ";;"), cols[4]});
    }
    // The binary too: the first kProcessPerCommand cases of each command, and every
    // kProcessEvery-th case.
    std::map<std::string, int> perCommand;
    for (size_t i = 0; i < cases.size(); ++i) {
        const std::string command = cases[i].args.substr(0, cases[i].args.find(' '));
        cases[i].process = perCommand[command]++ < kProcessPerCommand || i % kProcessEvery == 0;
    }
    return cases;
}

std::string substitute(std::string s, const std::vector<std::pair<std::string, std::string>>& vars) {
    for (const auto& [key, value] : vars) {
        for (size_t at; (at = s.find(key)) != std::string::npos;) s.replace(at, key.size(), value);
    }
    return s;
}

/// A checksum of the database's contents as SQLite sees them (committed WAL frames included):
/// every row of the small tables, counts and geometry sizes of the large ones.
std::string tableChecksum(const std::string& db) {
    Database d(db, Database::Mode::ReadOnly);
    std::hash<std::string> hash;
    std::string all;
    for (const char* table : {"hubs", "metadata", "sources", "designations"}) {
        Statement st = d.prepare(fmt::format("SELECT * FROM {} ORDER BY ROWID", table));
        std::string rows;
        while (st.step()) {
            for (int c = 0; c < st.columnCount(); ++c) rows += st.text(c) + '\x1f';
            rows += '\n';
        }
        all += fmt::format("{}:{};", table, hash(rows));
    }
    for (const char* table : {"municipalities", "prefectures", "admin_units", "settlements"}) {
        all += fmt::format("{}:{};", table,
                           d.scalarText(fmt::format("SELECT COUNT(*) || '/' || TOTAL(LENGTH(geom)) FROM {}", table)));
    }
    return all;
}

std::string fileStamp(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "missing";
    return fmt::format("{}:{}.{}", st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

// SQL that must never reach the user.
const std::regex kSql(
    R"((\bSELECT\b|\bINSERT\b|DROP TRIGGER|CREATE (TABLE|INDEX|TRIGGER)|\bPRAGMA\b|sqlite_master|SQL failed|\bWHERE\b))");
/// A message GDAL's default handler printed ("ERROR 1: ...", "Warning 1: ...").
const std::regex kGdalRaw(R"((^|\n)(ERROR|Warning) \d+: )");

// The corpus runs in shards (each on its own copy of the database) so CTest can run them side by side.
constexpr int kShards = 4;

class BadInput : public ::testing::TestWithParam<int> {};

TEST(BadInputCorpus, HoldsAtLeast150CasesWithDistinctIds) {
    const std::vector<Case> cases = readCases(std::string(test::kTestDataDir) + "/bad/cases.tsv");
    std::set<std::string> classes, ids;
    for (const Case& c : cases) {
        classes.insert(c.cls);
        EXPECT_TRUE(ids.insert(c.id).second) << "case id " << c.id << " twice";
    }
    EXPECT_GE(cases.size(), 150u);
    std::cout << cases.size() << " bad-input cases in " << classes.size() << " classes\n";
}

TEST_P(BadInput, EveryCaseFailsCleanlyAndLeavesTheDatabaseAlone) {
    ScratchDir scratch;
    const fs::path tmp = scratch.path();
    const std::string db = (tmp / "db" / "hubmap.sqlite").string();
    fs::create_directories(tmp / "db");
    fs::copy_file(test::kSmallDb, db);
    // An import source named "mine", for the cases about names already taken.
    const auto mine = runHubmapInProcess(
        fmt::format("import {}/bad/files/good.csv --kind test --source mine --db {} -q", test::kTestDataDir, db));
    ASSERT_EQ(mine.status, 0) << mine.err;
    ASSERT_EQ(::mkfifo((tmp / "fifo.csv").c_str(), 0600), 0);
    fs::create_directory(tmp / "emptydir");
    fs::create_directory(tmp / "out");
    fs::create_symlink(db, tmp / "link.sqlite");
    // The same database under a GeoPackage name, as `export --db X.gpkg --out X.gpkg` met it.
    fs::create_hard_link(db, tmp / "db" / "hubmap.gpkg");
    fs::create_symlink(tmp / "db" / "hubmap.gpkg", tmp / "link.gpkg");
    std::ofstream(tmp / "existing.gpkg") << "not replaced";
    // The input files from a copy: a case that opens a database there (other.sqlite) must not
    // touch its -shm and -wal files in the source tree.
    const fs::path files = tmp / "files";
    fs::copy(fs::path(test::kTestDataDir) / "bad" / "files", files,
             fs::copy_options::recursive | fs::copy_options::copy_symlinks);

    const std::vector<std::pair<std::string, std::string>> vars = {
        {"{db}", db}, {"{files}", files.string()}, {"{tmp}", tmp.string()}, {"{geodata}", test::kGeodataDir}};
    const std::vector<Case> cases = readCases(std::string(test::kTestDataDir) + "/bad/cases.tsv");
    ASSERT_GE(cases.size(), 150u);
    const int shard = GetParam();
    int processes = 0;
    std::string checksum = tableChecksum(db), stamp = fileStamp(db), walStamp = fileStamp(db + "-wal");
    for (size_t i = static_cast<size_t>(shard); i < cases.size(); i += kShards) {
        const Case& c = cases[i];
        SCOPED_TRACE(fmt::format("cases.tsv line {} (case {}, {}): hubmap {}", c.line, c.id, c.cls, c.args));
        const std::string args = substitute(c.args, vars);
        // The binary runs second, on the database as the run left it (unchanged: checked below).
        const auto r = c.process ? runHubmapBothWays(args) : runHubmapInProcess(args);
        processes += c.process;
        const std::string said = r.out + r.err;
        EXPECT_EQ(r.status, c.exit) << said;
        for (const std::string& fragment : c.fragments) {
            const std::string want = substitute(fragment, vars);
            EXPECT_NE(said.find(want), std::string::npos) << "missing '" << want << "' in:\n" << said;
        }
        EXPECT_FALSE(std::regex_search(said, kSql)) << "SQL reached the user:\n" << said;
        // GDAL's own handler prints "ERROR 1: ..." when no scope catches its report.
        EXPECT_FALSE(std::regex_search(said, kGdalRaw)) << "GDAL's raw message reached the user:\n" << said;
        // SQLite changes no row without writing the file or its WAL: while neither was touched
        // the tables are as they were, and the checksum (a read of the whole database) is
        // needed only when one was.
        const std::string stampAfter = fileStamp(db), walStampAfter = fileStamp(db + "-wal");
        const std::string checksumAfter =
            stampAfter == stamp && walStampAfter == walStamp ? checksum : tableChecksum(db);
        EXPECT_EQ(checksumAfter, checksum) << "the database's tables changed";
        EXPECT_EQ(stampAfter, stamp) << "the database file was written";
        checksum = checksumAfter;  // judge the next case on its own
        stamp = stampAfter;
        walStamp = walStampAfter;
        EXPECT_EQ(fs::file_size(tmp / "existing.gpkg"), 12u) << "an existing output was replaced";
    }
    EXPECT_GE(processes, 5) << "cases run by the binary too";
}

INSTANTIATE_TEST_SUITE_P(Shards, BadInput, ::testing::Range(0, kShards));

}  // namespace

namespace {

/// A scratch copy of the small test database for the tests below that change it.
struct ScratchDatabase {
    ScratchDir dir;
    std::string db = dir.file("hubmap.sqlite");
    ScratchDatabase() { fs::copy_file(test::kSmallDb, db); }
};

std::string badFile(const std::string& name) { return std::string(test::kTestDataDir) + "/bad/files/" + name; }

TEST(BadInputImport, TheSameRowsImportedAgainAreCountedAndWarned) {
    ScratchDatabase s;
    const auto first =
        runHubmapInProcess(fmt::format("import {} --kind test --source first --db {} -q", badFile("good.csv"), s.db));
    ASSERT_EQ(first.status, 0) << first.err;
    EXPECT_EQ(first.err.find("warning"), std::string::npos) << first.err;
    const auto again =
        runHubmapInProcess(fmt::format("import {} --kind test --source again --db {} -q", badFile("good.csv"), s.db));
    EXPECT_EQ(again.status, 0) << again.err;
    EXPECT_NE(again.err.find("warning: 2 of 2 rows are identical"), std::string::npos) << again.err;
    EXPECT_NE(again.err.find("import source 'first'"), std::string::npos) << again.err;
}

TEST(BadInputImport, SkipInvalidRejectsWhatGdalCannotReadWithItsMessage) {
    ScratchDatabase s;
    const std::string rejects = s.dir.file("rejects.csv");
    const auto r = runHubmapInProcess(fmt::format("import {} --kind test --skip-invalid --rejects {} --db {} -q",
                                                  badFile("truncated.fgb"), rejects, s.db));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("imported 1 of 2 rows"), std::string::npos) << r.out;
    EXPECT_NE(test::readFile(rejects).find("feature 1,\"GDAL cannot read it: "), std::string::npos)
        << test::readFile(rejects);
}

TEST(BadInputImport, AnOpenedDateThatIsNoDateNeverCountsAsPresent) {
    // Once stored, 'sometime' counted as present under --opened-before; now the row is rejected
    // (--strict; without it the row is imported without the date).
    ScratchDatabase s;
    const auto r =
        runHubmapInProcess(fmt::format("import {} --kind test --strict --skip-invalid --rejects {} --db {} -q",
                                       badFile("opened_text.csv"), s.dir.file("r.csv"), s.db));
    EXPECT_EQ(r.status, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("imported 0 of 1 rows"), std::string::npos) << r.out;
    Database d(s.db, Database::Mode::ReadOnly);
    EXPECT_EQ(d.scalarInt("SELECT COUNT(*) FROM hubs WHERE opened = 'sometime'"), 0);
}

/// Runs hubmap as user nobody (to meet file permissions, which root passes), or "" when it cannot.
std::string asNobody() {
    if (::geteuid() != 0) return "";
    if (runCommand("command -v setpriv >/dev/null").status != 0) return "";
    return "setpriv --reuid=65534 --regid=65534 --clear-groups ";
}

TEST(BadInputPermissions, AReadOnlyDatabaseAndAnUnreadableFileAreNamedWithWhatToDo) {
    ScratchDatabase s;
    std::string prefix = asNobody();
    if (prefix.empty() && ::geteuid() == 0) GTEST_SKIP() << "root without setpriv: permissions do not apply";
    fs::permissions(s.dir.path(), fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                                      fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(s.db, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    const std::string locked = s.dir.file("locked.csv");
    fs::copy_file(badFile("good.csv"), locked);
    fs::permissions(locked, fs::perms::none);
    const auto ro = runCommand(
        prefix + fmt::format("{} import {} --kind test --db {} -q", test::kHubmapCli, badFile("good.csv"), s.db));
    EXPECT_EQ(ro.status, 1);
    EXPECT_NE(ro.err.find(s.db + ": the database is read-only"), std::string::npos) << ro.err;
    EXPECT_NE(ro.err.find("check the permissions"), std::string::npos) << ro.err;
    EXPECT_FALSE(std::regex_search(ro.err, kSql)) << ro.err;
    const auto unreadable =
        runCommand(prefix + fmt::format("{} import {} --kind test --db {} -q", test::kHubmapCli, locked, s.db));
    EXPECT_EQ(unreadable.status, 1);
    EXPECT_NE(unreadable.err.find(locked + ": cannot read the file to import: Permission denied"), std::string::npos)
        << unreadable.err;
    // Reading it still works: a query needs no write access.
    const auto reading = runCommand(prefix + fmt::format("{} coverage --by nation --db {} -q", test::kHubmapCli, s.db));
    EXPECT_EQ(reading.status, 0) << reading.err;
    fs::permissions(s.db, fs::perms::owner_read | fs::perms::owner_write);
}

}  // namespace
