// Fault tests (CTest label `fault`): the real CLI killed with SIGKILL or SIGTERM at several
// points of import, export and init, and run side by side with itself. After every kill the
// database passes PRAGMA integrity_check and holds exactly its old or its new contents, no
// partial file sits at the target, and after SIGTERM no temporary file is left.

#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "io/spatialite.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hubmap;
using hubmap::test::ScratchDir;
using Clock = std::chrono::steady_clock;

namespace {

/// A running hubmap: stdout and stderr go to files beside the scratch data.
struct Child {
    pid_t pid = -1;
    std::string errFile;
    int reaped = -1;  // the raw wait status once reaped
};

Child spawn(const std::vector<std::string>& args, const std::string& errFile, const std::vector<std::string>& env = {},
            int in = -1) {  // in: its standard input, if any
    Child c{-1, errFile, -1};
    c.pid = ::fork();
    if (c.pid == 0) {
        const int out = ::open("/dev/null", O_WRONLY);
        const int err = ::open(errFile.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(out, 1);
        ::dup2(err, 2);
        if (in >= 0) ::dup2(in, 0);
        for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
        std::vector<char*> argv{const_cast<char*>(test::kHubmapCli)};
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execv(test::kHubmapCli, argv.data());
        ::_exit(127);
    }
    return c;
}

/// Waits for the child; its exit status, or 128 + the signal that ended it.
int wait(Child& c) {
    int status = c.reaped;
    if (status < 0) ::waitpid(c.pid, &status, 0);
    c.reaped = status;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/// Is there a file in `dir` whose name starts with `prefix`?
bool hasFileStartingWith(const fs::path& dir, const std::string& prefix) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        if (e.path().filename().string().rfind(prefix, 0) == 0) return true;
    }
    return false;
}

/// Polls `due()` every half millisecond until it holds (true) or the child ends (false; the
/// child is reaped, its status kept).
bool waitFor(Child& c, const std::function<bool()>& due) {
    const auto start = Clock::now();
    for (;;) {
        int status = 0;
        if (::waitpid(c.pid, &status, WNOHANG) == c.pid) {
            c.reaped = status;
            return false;
        }
        if (due()) return true;
        if (Clock::now() - start > std::chrono::seconds(60)) return false;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
}

/// Sends `sig` as soon as `due()` holds, unless the child ends first. Returns whether it was sent.
bool killWhen(Child& c, int sig, const std::function<bool()>& due) {
    if (!waitFor(c, due)) return false;
    ::kill(c.pid, sig);
    return true;
}

/// Whether the child's stderr shows `text` yet.
std::function<bool()> said(const Child& c, const std::string& text) {
    return [&c, text] { return test::readFile(c.errFile).find(text) != std::string::npos; };
}

/// Sends `sig` as soon as a file starting with `tempPrefix` shows in `dir` (a staged temporary).
bool killWhenStaged(Child& c, int sig, const fs::path& dir, const std::string& tempPrefix) {
    return killWhen(c, sig, [&] { return hasFileStartingWith(dir, tempPrefix); });
}

/// Sends `sig` as soon as the child's stderr shows `text` (a progress step: a phase of the run,
/// whatever the machine's speed).
bool killWhenSaid(Child& c, int sig, const std::string& text) { return killWhen(c, sig, said(c, text)); }

/// Where an import is killed: each a step of its own, found by an event rather than a time, so
/// the points are the same on any machine. The import's 256 MB page cache holds the whole
/// insert until COMMIT, so the database's WAL (absent in the copies the tests make) gets its
/// first frame only when COMMIT writes.
enum class ImportPoint {
    Reading,  ///< "reading FILE": its read transaction, geocoding
    Staged,   ///< the rejects file staged, the write lock not yet asked for
    Writing,  ///< "writing N hubs": the insert (and a replacement's delete) in the write transaction
    Commit,   ///< the WAL has frames: COMMIT is being written (or the checkpoint after it)
};

const char* name(ImportPoint p) {
    switch (p) {
        case ImportPoint::Reading:
            return "reading";
        case ImportPoint::Staged:
            return "staging";
        case ImportPoint::Writing:
            return "writing";
        case ImportPoint::Commit:
            return "commit";
    }
    return "?";
}

/// Kills the import of `db` (run without -q: its progress lines mark the steps) at `point`.
bool killImportAt(Child& c, int sig, ImportPoint point, const fs::path& dir, const std::string& db,
                  const std::string& rejectsName) {
    switch (point) {
        case ImportPoint::Reading:
            return killWhenSaid(c, sig, "] reading ");
        case ImportPoint::Staged:
            return killWhenStaged(c, sig, dir, "." + rejectsName + ".tmp-");
        case ImportPoint::Writing:
            return killWhenSaid(c, sig, "] writing ");
        case ImportPoint::Commit:
            return killWhen(c, sig, [wal = db + "-wal"] {
                std::error_code ec;
                const auto size = fs::file_size(wal, ec);
                return !ec && size > 32;  // more than the WAL header: a frame
            });
    }
    return false;
}

std::string integrity(const std::string& db) {
    Database d(db, Database::Mode::ReadWrite);  // read-write: a killed writer's WAL is recovered
    return d.scalarText("PRAGMA integrity_check");
}

/// A GeoPackage's layers and their row counts, as one string (compared whole).
std::string gpkgLayers(const std::string& gpkg) {
    Database d(gpkg, Database::Mode::ReadOnly);
    Statement st = d.prepare("SELECT table_name FROM gpkg_contents ORDER BY table_name");
    std::vector<std::string> names;
    while (st.step()) names.push_back(st.text(0));
    std::string out;
    for (const auto& name : names)
        out += fmt::format("{} {}\n", name, d.scalarText(fmt::format("SELECT count(*) FROM \"{}\"", name)));
    return out;
}

/// The hubs table, row by row, as one string (compared whole: exactly the old or the new rows).
std::string hubsContent(const std::string& db) {
    Database d(db, Database::Mode::ReadOnly);
    Statement st = d.prepare("SELECT * FROM hubs ORDER BY id");
    std::string out;
    while (st.step()) {
        for (int c = 0; c < st.columnCount(); ++c) out += st.text(c) + '\x1f';
        out += '\n';
    }
    return out;
}

/// Names in `dir` that look like a staged temporary of hubmap.
std::vector<std::string> leftovers(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) {
        const std::string name = e.path().filename().string();
        if (name[0] == '.' && (name.find(".tmp-") != std::string::npos || name.find(".old-") != std::string::npos)) {
            out.push_back(name);
        }
    }
    return out;
}

/// Rows of the CSV the import tests write, and the rows of it that are rejected. The kill points
/// are steps of the import (ImportPoint), not times, so the import need not last long: 5,000
/// rows, a quarter of what fixed delays needed.
constexpr int kRows = 5000;
constexpr int kRejected = (kRows + 5000 - 8) / 5000;  // rows 7, 5007, …: see writeBigCsv

void writeBigCsv(const std::string& path, int rows, unsigned seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> lon(133.3, 133.9), lat(33.5, 33.8);
    std::ofstream out(path);
    out << "id,name,lon,lat\n";
    for (int i = 0; i < rows; ++i) {
        if (i % 5000 == 7) {
            out << i << ",bad" << i << ",x,33.6\n";  // rejected: a rejects file is staged
        } else {
            out << i << ",hub" << i << ',' << fmt::format("{:.5f},{:.5f}", lon(rng), lat(rng)) << '\n';
        }
    }
}

class Fault : public ::testing::Test {
protected:
    void SetUp() override {
        // The import base (every municipality, 高知県's points: import reads no points, and the
        // file is a tenth of the national one), copied once per test and once per kill.
        base_ = scratch_.file("base.sqlite");
        fs::copy_file(test::kImportBaseDb, base_);
        csv_ = scratch_.file("big.csv");
        writeBigCsv(csv_, kRows, 7);
        oldHubs_ = hubsContent(base_);
    }

    /// The hubs after the import completes, from a run on a copy that nothing disturbs.
    const std::string& newHubs() {
        if (newHubs_.empty()) {
            const std::string ref = scratch_.file("ref.sqlite");
            fs::copy_file(base_, ref);
            Child c = spawn(importArgs(ref, scratch_.file("ref-rejects.csv")), scratch_.file("ref.err"));
            EXPECT_EQ(wait(c), 0) << test::readFile(c.errFile);
            newHubs_ = hubsContent(ref);
        }
        return newHubs_;
    }

    /// Not quiet by default: the progress lines on stderr mark the steps (ImportPoint).
    std::vector<std::string> importArgs(const std::string& db, const std::string& rejects, bool quiet = false) const {
        std::vector<std::string> args{"import",         csv_,        "--kind", "fault", "--source", "faults",
                                      "--skip-invalid", "--rejects", rejects,  "--db",  db};
        if (quiet) args.push_back("-q");
        return args;
    }

    /// One import killed with `sig` at `point`; true when the kill landed before the import
    /// committed (the database holds the old hubs).
    bool killImport(int sig, ImportPoint point) {
        SCOPED_TRACE(fmt::format("import, signal {}, at {}", sig, name(point)));
        const fs::path dir = scratch_.path() / fmt::format("import-{}-{}", sig, name(point));
        fs::create_directories(dir);
        const std::string db = (dir / "hubmap.sqlite").string(), rejects = (dir / "rejects.csv").string();
        fs::copy_file(base_, db);
        Child c = spawn(importArgs(db, rejects), (dir / "stderr.txt").string());
        const bool sent = killImportAt(c, sig, point, dir, db, "rejects.csv");
        const int status = wait(c);
        if (sent) {
            EXPECT_TRUE(status == 128 + sig || status == 0) << status << test::readFile(c.errFile);
        }
        EXPECT_EQ(integrity(db), "ok");
        const std::string hubs = hubsContent(db);
        EXPECT_TRUE(hubs == oldHubs_ || hubs == newHubs()) << "neither the old nor the new hubs";
        if (fs::exists(rejects)) {
            newHubs();  // the reference run writes ref-rejects.csv (the check above may have skipped it)
            // The rejects file is placed just before COMMIT. SIGTERM is held until both are done
            // (DeferSignals); SIGKILL cannot be held, so only it may land between the two (the
            // file complete, the import rolled back: docs/hardening.md).
            if (sig != SIGKILL) {
                EXPECT_EQ(hubs, newHubs()) << "rejects placed, import not committed";
            }
            EXPECT_EQ(test::readFile(rejects), test::readFile(scratch_.file("ref-rejects.csv"))) << "partial rejects";
        }
        if (sig == SIGTERM) {
            const auto left = leftovers(dir);
            EXPECT_TRUE(left.empty()) << left.front();
        }
        return hubs == oldHubs_;
    }

    ScratchDir scratch_;
    std::string base_, csv_, oldHubs_, newHubs_;
};

TEST_F(Fault, ImportKilledAnywhereLeavesOldOrNewAndNoPartialRejects) {
    // A kill point may come too late under load (the import done between two polls), but the
    // first ones cannot: with none interrupted, the test would have proved nothing.
    int interrupted = 0;
    for (int sig : {SIGKILL, SIGTERM}) {
        for (ImportPoint point :
             {ImportPoint::Reading, ImportPoint::Staged, ImportPoint::Writing, ImportPoint::Commit}) {
            interrupted += killImport(sig, point) ? 1 : 0;
        }
    }
    EXPECT_GE(interrupted, 2) << "no kill landed before the import committed";
}

// import --replace killed anywhere: the database holds the old version of the source or the
// new one, never neither nor a mix (the delete and the insert are one transaction).
TEST_F(Fault, ReplaceKilledAnywhereLeavesTheOldVersionOrTheNew) {
    const std::string v1 = scratch_.file("v1.csv");
    writeBigCsv(v1, 3000, 11);
    const std::string withV1 = scratch_.file("with-v1.sqlite");
    fs::copy_file(base_, withV1);
    Child first = spawn({"import", v1, "--kind", "fault", "--source", "faults", "--skip-invalid", "--rejects",
                         scratch_.file("v1-rejects.csv"), "--db", withV1, "-q"},
                        scratch_.file("v1.err"));
    ASSERT_EQ(wait(first), 0) << test::readFile(first.errFile);
    auto replaceArgs = [&](const std::string& db, const std::string& rejects) {
        return std::vector<std::string>{"import",         csv_,        "--kind", "fault", "--replace", "faults",
                                        "--skip-invalid", "--rejects", rejects,  "--db",  db};
    };
    const std::string oldHubs = hubsContent(withV1);
    const std::string ref = scratch_.file("replaced.sqlite");
    fs::copy_file(withV1, ref);
    Child whole = spawn(replaceArgs(ref, scratch_.file("ref-replace-rejects.csv")), scratch_.file("replace.err"));
    ASSERT_EQ(wait(whole), 0) << test::readFile(whole.errFile);
    const std::string newHubs = hubsContent(ref);
    ASSERT_NE(newHubs, oldHubs);
    for (int sig : {SIGKILL, SIGTERM}) {
        // The delete and the insert in memory (writing), and COMMIT writing them.
        for (ImportPoint point : {ImportPoint::Reading, ImportPoint::Writing, ImportPoint::Commit}) {
            SCOPED_TRACE(fmt::format("replace, signal {}, at {}", sig, name(point)));
            const fs::path dir = scratch_.path() / fmt::format("replace-{}-{}", sig, name(point));
            fs::create_directories(dir);
            const std::string db = (dir / "hubmap.sqlite").string();
            fs::copy_file(withV1, db);
            Child c = spawn(replaceArgs(db, (dir / "rejects.csv").string()), (dir / "stderr.txt").string());
            killImportAt(c, sig, point, dir, db, "rejects.csv");
            wait(c);
            EXPECT_EQ(integrity(db), "ok");
            const std::string hubs = hubsContent(db);
            EXPECT_TRUE(hubs == oldHubs || hubs == newHubs) << "neither the old version nor the new";
        }
    }
}

TEST_F(Fault, StaleTemporariesOfAKilledImportAreRemovedByTheNextRun) {
    const fs::path dir = scratch_.path() / "stale";
    fs::create_directories(dir);
    const std::string db = (dir / "hubmap.sqlite").string(), rejects = (dir / "rejects.csv").string();
    fs::copy_file(base_, db);
    Child killed = spawn(importArgs(db, rejects), (dir / "a.err").string());
    ASSERT_TRUE(killImportAt(killed, SIGKILL, ImportPoint::Staged, dir, db, "rejects.csv"));
    wait(killed);
    ASSERT_FALSE(leftovers(dir).empty()) << "SIGKILL cannot clean up: the staged rejects file stays";
    Child next = spawn(importArgs(db, rejects), (dir / "b.err").string());
    EXPECT_EQ(wait(next), 0) << test::readFile(next.errFile);
    const auto left = leftovers(dir);
    EXPECT_TRUE(left.empty()) << left.front();
    EXPECT_EQ(hubsContent(db), newHubs());
}

// Killed at its steps (progress lines) rather than at times, the export need not last long: 高知県
// with a radius, from the import base (every municipality, 高知県's points), has every layer and
// step of a national export, for a fifth of its CPU time.
TEST_F(Fault, ExportKilledAnywhereLeavesNoPartialFile) {
    auto exportArgs = [&](const std::string& out) {  // not -q: the progress lines mark the steps
        return std::vector<std::string>{"export",       "--out",  out,    "--radius-km", "10",
                                        "--prefecture", "高知県", "--db", base_};
    };
    // Before the file (the query), as it is staged, in the middle of its layers, and while GDAL
    // finishes the file (just before it is renamed into place).
    const std::vector<std::string> points = {"measuring catchments", "", "writing designated_areas",
                                             "finishing (spatial indexes)"};
    std::string complete;  // the layers of an export run to its end, made if a kill came too late
    for (int sig : {SIGKILL, SIGTERM}) {
        for (size_t i = 0; i < points.size(); ++i) {
            const std::string& point = points[i];
            SCOPED_TRACE(fmt::format("export, signal {}, at {}", sig, point.empty() ? "staging" : point));
            const fs::path dir = scratch_.path() / fmt::format("export-{}-{}", sig, i);
            fs::create_directories(dir);
            const std::string out = (dir / "coverage.gpkg").string();
            Child c = spawn(exportArgs(out), (dir / "stderr.txt").string());
            if (point.empty()) {
                killWhenStaged(c, sig, dir, ".coverage.gpkg.tmp-");
            } else {
                killWhenSaid(c, sig, point);
            }
            const int status = wait(c);
            if (status == 0) {
                EXPECT_EQ(integrity(out), "ok");  // finished before the signal: complete
            } else if (fs::exists(out)) {
                // The signal came after the finished file was renamed into place: what is there
                // must be the whole export, never a part.
                if (complete.empty()) {
                    const std::string ref = (scratch_.path() / "complete.gpkg").string();
                    Child whole = spawn(exportArgs(ref), (scratch_.path() / "complete.err").string());
                    ASSERT_EQ(wait(whole), 0);
                    complete = gpkgLayers(ref);
                }
                EXPECT_EQ(integrity(out), "ok");
                EXPECT_EQ(gpkgLayers(out), complete) << "a partial export at the target";
            }
            if (sig == SIGTERM) {
                const auto left = leftovers(dir);
                EXPECT_TRUE(left.empty()) << left.front();
            }
        }
    }
    EXPECT_EQ(hubsContent(base_), oldHubs_);
}

// On the small copy of geodata/ (tests/make_small_geodata.py): the same steps, each killed at
// the progress line that starts it rather than after a time (the whole build takes under 1 s).
// The old database is the one init makes from it (kSmallDb), compared whole after each kill.
TEST_F(Fault, InitKilledAnywhereKeepsTheOldDatabaseAndTheNextInitCleansUp) {
    const fs::path dir = scratch_.path() / "init";
    fs::create_directories(dir);
    const std::string db = (dir / "hubmap.sqlite").string();
    fs::copy_file(test::kSmallDb, db);
    const std::string old = test::readFile(db);
    auto init = [&](const std::string& err) {  // not -q: the progress lines mark the steps
        return spawn({"init", "--force", "--db", db, "--geodata", test::kSmallGeodataDir}, (dir / err).string());
    };
    // While the temporary is staged (the first step), and in the longest step.
    const std::string kStaged, kFitting = "fitting the 一部過疎 designated parts";
    for (int sig : {SIGTERM, SIGKILL}) {  // SIGTERM first: a SIGKILLed init's temporary would look like a new one
        for (const std::string& step : {kStaged, kFitting}) {
            SCOPED_TRACE(fmt::format("init, signal {}, at {}", sig, step.empty() ? "staging" : step));
            Child c = init("init.err");
            ASSERT_TRUE(step.empty() ? killWhenStaged(c, sig, dir, ".hubmap.sqlite.tmp-") : killWhenSaid(c, sig, step));
            EXPECT_EQ(wait(c), 128 + sig);
            EXPECT_TRUE(test::readFile(db) == old) << "the old database changed";
            if (sig == SIGTERM) {
                const auto left = leftovers(dir);
                EXPECT_TRUE(left.empty()) << left.front();
            } else {
                EXPECT_FALSE(leftovers(dir).empty()) << "nothing to clean up after SIGKILL?";
            }
        }
    }
    // The SIGKILLed inits left their temporaries; the next init (here cut short too) removes them.
    Child c = init("last.err");
    ASSERT_TRUE(killWhenSaid(c, SIGTERM, "reading 47 prefecture boundary files"));
    wait(c);
    const auto left = leftovers(dir);
    EXPECT_TRUE(left.empty()) << left.front();
    EXPECT_EQ(integrity(db), "ok");
}

TEST_F(Fault, TwoImportsAtOnceBothSucceed) {
    const fs::path dir = scratch_.path() / "two";
    fs::create_directories(dir);
    const std::string db = (dir / "hubmap.sqlite").string();
    fs::copy_file(base_, db);
    const std::string csv2 = (dir / "other.csv").string();
    writeBigCsv(csv2, kRows, 8);
    Child a = spawn({"import", csv_, "--kind", "a", "--source", "A", "--skip-invalid", "--rejects",
                     (dir / "ra.csv").string(), "--db", db, "-q"},
                    (dir / "a.err").string());
    Child b = spawn({"import", csv2, "--kind", "b", "--source", "B", "--skip-invalid", "--rejects",
                     (dir / "rb.csv").string(), "--db", db, "-q"},
                    (dir / "b.err").string());
    EXPECT_EQ(wait(a), 0) << test::readFile(a.errFile);
    EXPECT_EQ(wait(b), 0) << test::readFile(b.errFile);
    EXPECT_EQ(integrity(db), "ok");
    Database d(db, Database::Mode::ReadOnly);
    EXPECT_EQ(d.scalarInt("SELECT COUNT(*) FROM hubs WHERE import_source IN ('A', 'B')"), 2 * (kRows - kRejected));
}

TEST_F(Fault, CoverageAndExportRunDuringAnImport) {
    const fs::path dir = scratch_.path() / "during";
    fs::create_directories(dir);
    const std::string db = (dir / "hubmap.sqlite").string();
    fs::copy_file(base_, db);
    Child import = spawn(importArgs(db, (dir / "r.csv").string()), (dir / "import.err").string());
    // From the import's first step on (its database open, reading), not after a guessed time.
    bool done = !waitFor(import, said(import, "] reading "));
    int status = import.reaped;
    int rounds = 0;
    // Read while the import reads, writes and commits: every reader succeeds.
    while (!done || rounds < 2) {
        done = done || ::waitpid(import.pid, &status, WNOHANG) == import.pid;
        Child coverage = spawn({"coverage", "--by", "nation", "--db", db, "-q"}, (dir / "cov.err").string());
        EXPECT_EQ(wait(coverage), 0) << test::readFile(coverage.errFile);
        const std::string out = (dir / fmt::format("e{}.gpkg", rounds)).string();
        Child exporter = spawn({"export", "--out", out, "--db", db, "-q"}, (dir / "exp.err").string());
        EXPECT_EQ(wait(exporter), 0) << test::readFile(exporter.errFile);
        ++rounds;
        if (rounds > 40) break;
    }
    if (!done) ::waitpid(import.pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << test::readFile(import.errFile);
    EXPECT_EQ(hubsContent(db), newHubs());
    EXPECT_EQ(integrity(db), "ok");
}

TEST_F(Fault, AWriterHoldingTheLockTooLongGivesTheBusyMessage) {
    const fs::path dir = scratch_.path() / "busy";
    fs::create_directories(dir);
    const std::string db = (dir / "hubmap.sqlite").string();
    fs::copy_file(base_, db);
    {
        Database holder(db, Database::Mode::ReadWrite);
        Transaction hold(holder, Transaction::Kind::Write);
        Child c = spawn(importArgs(db, (dir / "r.csv").string(), true), (dir / "stderr.txt").string(),
                        {"HUBMAP_BUSY_TIMEOUT_MS=300"});
        EXPECT_EQ(wait(c), 1);
        const std::string err = test::readFile(c.errFile);
        EXPECT_NE(err.find("the database is busy: another hubmap is writing to it"), std::string::npos) << err;
        EXPECT_EQ(err.find("SQL"), std::string::npos) << err;
        EXPECT_EQ(err.find("DROP"), std::string::npos) << err;
    }
    EXPECT_EQ(hubsContent(db), oldHubs_);
    EXPECT_FALSE(fs::exists(dir / "r.csv")) << "rejects placed by a failed import";
}

}  // namespace

namespace {

TEST_F(Fault, AnImportAndARemovalRunWhileAnExportReads) {
    // The other order: the reader starts first, writers come while it reads.
    const fs::path dir = scratch_.path() / "reader-first";
    fs::create_directories(dir);
    const std::string db = (dir / "hubmap.sqlite").string();
    fs::copy_file(base_, db);
    const std::string out = (dir / "coverage.gpkg").string();
    // 高知県 with a radius: every step of an export (the whole database read, the catchments
    // measured, every layer written), at half the CPU time of the whole country.
    Child exporter = spawn({"export", "--out", out, "--radius-km", "10", "--prefecture", "高知県", "--db", db, "-q"},
                           (dir / "exp.err").string());
    // The writers start once the export has opened the database (its first read makes the WAL
    // index, absent from the copy), not after a guessed time.
    ASSERT_TRUE(waitFor(exporter, [shm = db + "-shm"] { return fs::exists(shm); }))
        << "the export ended before it opened the database? " << test::readFile(exporter.errFile);
    Child import = spawn(importArgs(db, (dir / "r.csv").string()), (dir / "import.err").string());
    EXPECT_EQ(wait(import), 0) << test::readFile(import.errFile);
    Child remove = spawn({"hubs", "--remove-source", "faults", "--db", db, "-q"}, (dir / "rm.err").string());
    EXPECT_EQ(wait(remove), 0) << test::readFile(remove.errFile);
    EXPECT_EQ(wait(exporter), 0) << test::readFile(exporter.errFile);
    EXPECT_EQ(integrity(out), "ok");
    EXPECT_EQ(integrity(db), "ok");
    EXPECT_EQ(hubsContent(db), oldHubs_);
}

// Regression: every connection gave up after SpatiaLite's own 5 s busy timeout, whatever
// HUBMAP_BUSY_TIMEOUT_MS said; a writer holding the lock for 6 s made a second import fail.
// That every connection ends with the default 10 s or the variable's value, after SpatiaLite's
// init, is DatabaseBusyTimeout.* (PRAGMA busy_timeout, no waiting); here the CLI's import,
// given a long timeout, waits for a writer that holds the lock 600 ms past its request (twice
// the 300 ms after which AWriterHoldingTheLockTooLong… gives up), then succeeds (SQLite's own
// default is not to wait at all).
TEST_F(Fault, AnImportWaitsForAWriterThatHoldsTheLockForSeconds) {
    const fs::path dir = scratch_.path() / "long-writer";
    fs::create_directories(dir);
    const std::string db = (dir / "hubmap.sqlite").string();
    fs::copy_file(base_, db);
    Child import;
    {
        Database holder(db, Database::Mode::ReadWrite);
        Transaction hold(holder, Transaction::Kind::Write);
        import = spawn(importArgs(db, (dir / "r.csv").string()), (dir / "import.err").string(),
                       {"HUBMAP_BUSY_TIMEOUT_MS=60000"});
        // The rejects file is staged just before the import asks for the write lock: from then
        // on it waits, and it must still be waiting 600 ms later.
        const auto start = Clock::now();
        while (!hasFileStartingWith(dir, ".r.csv.tmp-") && Clock::now() - start < std::chrono::seconds(60)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
        int status = 0;
        ASSERT_EQ(::waitpid(import.pid, &status, WNOHANG), 0)
            << "the import ended while the lock was held: " << test::readFile(import.errFile);
    }  // the holder rolls back and lets go
    EXPECT_EQ(wait(import), 0) << test::readFile(import.errFile);
    Database d(db, Database::Mode::ReadOnly);
    EXPECT_EQ(d.scalarInt("SELECT COUNT(*) FROM hubs WHERE import_source = 'faults'"), kRows - kRejected);
}

TEST_F(Fault, AReaderReadsWhileTheCliWritesInEitherOrder) {
    const fs::path dir = scratch_.path() / "reader";
    fs::create_directories(dir);
    const std::string db = (dir / "hubmap.sqlite").string();
    fs::copy_file(base_, db);
    const std::string count = "SELECT COUNT(*) FROM hubs";
    const long long before = Database(db, Database::Mode::ReadOnly).scalarInt(count);
    const long long imported = kRows - kRejected;
    {
        // The reader first: its transaction stays open across the import's commit, and it keeps
        // seeing the database as it was when it began.
        Database reader(db, Database::Mode::ReadOnly);
        Transaction view(reader);
        EXPECT_EQ(reader.scalarInt(count), before);
        Child import = spawn(importArgs(db, (dir / "r1.csv").string()), (dir / "import1.err").string());
        EXPECT_EQ(wait(import), 0) << test::readFile(import.errFile);
        EXPECT_EQ(reader.scalarInt(count), before);
    }
    EXPECT_EQ(Database(db, Database::Mode::ReadOnly).scalarInt(count), before + imported);
    // The writer first: readers come and go while the CLI removes the rows, each seeing all of
    // them or none.
    Child remove = spawn({"hubs", "--remove-source", "faults", "--db", db, "-q"}, (dir / "rm.err").string());
    int status = 0;
    for (bool done = false; !done;) {  // at least one read, the last after the CLI ended
        done = ::waitpid(remove.pid, &status, WNOHANG) == remove.pid;
        const long long n = Database(db, Database::Mode::ReadOnly).scalarInt(count);
        EXPECT_TRUE(n == before || n == before + imported) << n;
    }
    remove.reaped = status;
    EXPECT_EQ(wait(remove), 0) << test::readFile(remove.errFile);
    EXPECT_EQ(Database(db, Database::Mode::ReadOnly).scalarInt(count), before);
    EXPECT_EQ(integrity(db), "ok");
}

TEST(FaultStandardInput, ACopyLeftByAKilledImportIsRemovedByTheNextOne) {
    // `import -` copies standard input to $TMPDIR/hubmap-stdin-PID first; SIGKILL cannot remove
    // the copy, so the next `import -` removes those of processes that are gone (and only those).
    ScratchDir scratch;
    const fs::path tmp = scratch.path() / "tmp";
    fs::create_directories(tmp);
    const std::string db = scratch.file("hubmap.sqlite");
    fs::copy_file(test::kImportBaseDb, db);  // every municipality: the one row is placed as on the national one
    const std::vector<std::string> env{"TMPDIR=" + tmp.string()};
    const std::vector<std::string> args{"import", "-", "--kind", "office", "--source", "piped", "--db", db, "-q"};
    const std::string csv = "id,name,lon,lat\n1,a,133.53,33.56\n";

    int pipe[2];
    ASSERT_EQ(::pipe2(pipe, O_CLOEXEC), 0);
    Child killed = spawn(args, scratch.file("killed.err"), env, pipe[0]);
    ::close(pipe[0]);
    ASSERT_EQ(::write(pipe[1], csv.data(), csv.size()), static_cast<ssize_t>(csv.size()));
    // The pipe stays open: the import waits for the rest of its input, its copy begun.
    ASSERT_TRUE(killWhenStaged(killed, SIGKILL, tmp, "hubmap-stdin-"));
    wait(killed);
    ::close(pipe[1]);
    const fs::path stale = tmp / fmt::format("hubmap-stdin-{}", killed.pid);
    ASSERT_TRUE(fs::exists(stale)) << "SIGKILL cannot clean up: the copy stays";
    const fs::path live = tmp / fmt::format("hubmap-stdin-{}", ::getpid());  // this test runs
    fs::create_directories(live);

    const std::string file = scratch.file("in.csv");
    std::ofstream(file) << csv;
    const int in = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(in, 0);
    Child next = spawn(args, scratch.file("next.err"), env, in);
    ::close(in);
    EXPECT_EQ(wait(next), 0) << test::readFile(next.errFile);
    EXPECT_FALSE(fs::exists(stale)) << "the killed import's copy is still there";
    EXPECT_TRUE(fs::exists(live)) << "a running process's copy was removed";
    EXPECT_FALSE(fs::exists(tmp / fmt::format("hubmap-stdin-{}", next.pid))) << "its own copy stays";
}

}  // namespace
