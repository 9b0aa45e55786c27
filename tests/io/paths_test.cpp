// io/paths (outputs that would land on the database or an input; inputs that are not files)
// and the clean-up side of io/staged_output (signals, temporaries of dead processes).

#include "io/paths.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "core/error.hpp"
#include "io/staged_output.hpp"
#include "test_util.hpp"

namespace hubmap {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

std::set<std::string> names(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

/// The message of the UsageError `f` throws ("" and a test failure when it throws none).
template <typename F>
std::string usageError(F&& f) {
    try {
        f();
    } catch (const UsageError& e) {
        return e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "not a UsageError: " << e.what();
        return {};
    }
    ADD_FAILURE() << "no UsageError";
    return {};
}

TEST(OutputPaths, AnOutputOnTheDatabaseIsRefusedByAnyName) {
    test::ScratchDir dir;
    const fs::path db = dir.path() / "hubmap.gpkg";
    write(db, "database");
    fs::create_directory(dir.path() / "sub");
    fs::create_symlink(db, dir.path() / "link.gpkg");
    fs::create_hard_link(db, dir.path() / "hard.gpkg");
    const std::vector<ProtectedPath> keep{{db.string(), "the database"}};
    for (const std::string& out : std::vector<std::string>{
             db.string(), (dir.path() / "sub" / ".." / "hubmap.gpkg").string(), (dir.path() / "link.gpkg").string(),
             (dir.path() / "hard.gpkg").string(), db.string() + "-wal", db.string() + "-journal"}) {
        const std::string message = usageError([&] { refuseOutputOver(out, "--out", keep); });
        EXPECT_NE(message.find("--out " + out + " is "), std::string::npos) << message;
        EXPECT_NE(message.find("the database (" + db.string() + ")"), std::string::npos) << message;
    }
    // A folder output is replaced whole: one that holds the database is refused too.
    EXPECT_NE(usageError([&] { refuseOutputOver(dir.path().string(), "--out", keep); }).find("folder that holds"),
              std::string::npos);
    // Elsewhere is fine, existing or not.
    EXPECT_NO_THROW(refuseOutputOver((dir.path() / "other.gpkg").string(), "--out", keep));
    EXPECT_NO_THROW(refuseOutputOver((dir.path() / "sub" / "x.gpkg").string(), "--out", keep));
    EXPECT_NO_THROW(refuseOutputOver((dir.path() / "hubmap.gpkg.csv").string(), "--out", keep));
}

TEST(OutputPaths, AnOutputThroughASymlinkedFolderIsResolved) {
    test::ScratchDir dir;
    fs::create_directory(dir.path() / "real");
    const fs::path db = dir.path() / "real" / "db.sqlite";
    write(db, "x");
    fs::create_directory_symlink(dir.path() / "real", dir.path() / "alias");
    EXPECT_FALSE(usageError([&] {
                     refuseOutputOver((dir.path() / "alias" / "db.sqlite-shm").string(), "--rejects",
                                      {{db.string(), "the database"}});
                 }).empty());
}

TEST(InputPaths, AFifoIsRefusedNotReadForever) {
    test::ScratchDir dir;
    const fs::path fifo = dir.path() / "hubs.csv";
    ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
    EXPECT_NE(usageError([&] { requireInputFile(fifo.string(), "the file to import"); }).find("named pipe"),
              std::string::npos);
    EXPECT_THROW(requireDatabaseFile(fifo.string()), Error);
    EXPECT_NE(usageError([&] { requireFileOutput(fifo.string(), "--rejects"); }).find("named pipe"), std::string::npos);
}

TEST(InputPaths, AFolderIsADatabaseOnlyByMistake) {
    test::ScratchDir dir;
    try {
        requireDatabaseFile(dir.path().string());
        ADD_FAILURE() << "a folder passed as a database";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("is a folder, not a hubmap database"), std::string::npos) << e.what();
    }
    EXPECT_NO_THROW(requireInputFile(dir.path().string(), "the file to import", true));  // a Shapefile folder
    EXPECT_THROW(requireInputFile(dir.path().string(), "the file to import", false), UsageError);
    EXPECT_THROW(requireInputFile((dir.path() / "missing.csv").string(), "the file to import"), Error);
}

TEST(InputPaths, AnUnreadableFileSaysSo) {
    test::ScratchDir dir;
    const fs::path file = dir.path() / "locked.csv";
    write(file, "id,name\n");
    fs::permissions(file, fs::perms::none);
    // Root reads a file of mode 000: check in a child that has dropped to user nobody.
    const pid_t child = ::fork();
    if (child == 0) {
        if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
        try {
            requireInputFile(file.string(), "the file to import");
        } catch (const Error& e) {
            ::_exit(std::string(e.what()).find("cannot read the file to import: Permission denied (check its "
                                               "permissions)") != std::string::npos
                        ? 0
                        : 1);
        } catch (...) {
            ::_exit(2);
        }
        ::_exit(4);  // read a file of mode 000
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "1: another message, 2: another exception, 3: cannot drop root, 4: no error";
}

/// A pid that is certainly not running: a child that has exited and been reaped.
pid_t deadPid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
}

TEST(StagedOutputCleanup, TemporariesOfDeadProcessesAreRemovedOthersKept) {
    test::ScratchDir dir;
    const fs::path target = dir.path() / "hubmap.sqlite";
    const std::string dead = std::to_string(deadPid()), alive = std::to_string(::getppid());
    for (const std::string& name :
         {".hubmap.sqlite.tmp-" + dead + ".sqlite", ".hubmap.sqlite.tmp-" + dead + ".sqlite-journal",
          ".hubmap.sqlite.tmp-" + alive + ".sqlite", ".other.sqlite.tmp-" + dead + ".sqlite",
          std::string(".hubmap.sqlite.tmp-x.sqlite")}) {
        write(dir.path() / name, "partial");
    }
    {
        StagedOutput staged(target);
        write(staged.path(), "new");
        staged.commit(Replace::Always);
    }
    EXPECT_EQ(names(dir.path()),
              (std::set<std::string>{"hubmap.sqlite", ".hubmap.sqlite.tmp-" + alive + ".sqlite",
                                     ".other.sqlite.tmp-" + dead + ".sqlite", ".hubmap.sqlite.tmp-x.sqlite"}));
}

TEST(StagedOutputCleanup, SigtermRemovesTheStagedFileAndStillEndsTheProcess) {
    test::ScratchDir dir;
    const fs::path target = dir.path() / "rejects.csv";
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    if (child == 0) {
        StagedOutput::removeOnSignals();
        StagedOutput staged(target);
        write(staged.path(), "half");
        write(staged.path().string() + "-journal", "side");
        (void)!::write(ready[1], "r", 1);
        for (;;) ::pause();
    }
    char c = 0;
    ASSERT_EQ(::read(ready[0], &c, 1), 1);
    EXPECT_EQ(names(dir.path()).size(), 2u);
    ::kill(child, SIGTERM);
    int status = 0;
    ::waitpid(child, &status, 0);
    ::close(ready[0]);
    ::close(ready[1]);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << "the signal must still end the process";
    EXPECT_TRUE(names(dir.path()).empty()) << *names(dir.path()).begin();
}

}  // namespace
}  // namespace hubmap
