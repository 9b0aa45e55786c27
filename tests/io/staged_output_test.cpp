// io/staged_output: outputs built beside their target and renamed onto it when complete.

#include "io/staged_output.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "test_util.hpp"

namespace hubmap {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

std::string read(const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// Every name in `dir`: nothing staged may be left behind.
std::set<std::string> names(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

// A SIGTERM inside DeferSignals waits for the block's end: the output placed there is placed,
// then the signal ends the process as it would have (the staged copy of a later output removed).
TEST(StagedOutput, ASignalInsideDeferSignalsWaitsForItsEnd) {
    test::ScratchDir dir;
    const fs::path placed = dir.path() / "rejects.csv", later = dir.path() / "later.csv";
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        StagedOutput::removeOnSignals();
        StagedOutput first(placed), second(later);
        write(first.path(), "rows\n");
        write(second.path(), "never placed\n");
        {
            const DeferSignals together;
            ::raise(SIGTERM);  // held: the rename below still happens
            first.commit(Replace::Always);
        }
        ::_exit(0);  // not reached: the held SIGTERM ends the process at the block's end
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the held signal is handled after the block";
    EXPECT_EQ(WTERMSIG(status), SIGTERM);
    EXPECT_EQ(read(placed), "rows\n");
    EXPECT_EQ(names(dir.path()), std::set<std::string>{"rejects.csv"}) << "the other staged file removed";
}

TEST(StagedOutput, WithoutCommitTheTargetStaysAndNothingIsLeft) {
    test::ScratchDir dir;
    const fs::path target = dir.path() / "hubs.csv";
    write(target, "old");
    {
        StagedOutput staged(target);
        EXPECT_EQ(staged.path().parent_path(), dir.path());
        EXPECT_EQ(staged.path().extension(), ".csv");  // GDAL drivers look at it
        write(staged.path(), "new");
        write(staged.path().string() + "-journal", "sqlite's side file");
    }
    EXPECT_EQ(read(target), "old");
    EXPECT_EQ(names(dir.path()), std::set<std::string>{"hubs.csv"});
}

// Temporaries of dead processes go; those of live ones, other names and digits that are no PID
// (std::stol threw std::out_of_range on these) stay.
TEST(StagedOutput, RemovesStaleTemporariesOfDeadProcessesOnly) {
    test::ScratchDir dir;
    const pid_t dead = ::fork();
    ASSERT_GE(dead, 0);
    if (dead == 0) ::_exit(0);
    ASSERT_EQ(::waitpid(dead, nullptr, 0), dead);
    const std::string gone = std::to_string(dead), alive = std::to_string(::getppid());
    for (const std::string& name : std::vector<std::string>{
             ".hubs.csv.tmp-" + gone + ".csv", ".hubs.csv.tmp-" + alive + ".csv",
             ".hubs.csv.tmp-99999999999999999999.csv", ".hubs.csv.tmp-x.csv", ".other.csv.tmp-" + gone + ".csv",
             "hubmap-stdin-" + gone, "hubmap-stdin-" + alive, "hubmap-stdin-" + gone + "x"}) {
        write(dir.path() / name, "left");
    }
    { const StagedOutput staged(dir.path() / "hubs.csv"); }
    removeStaleTemporaries(dir.path(), "hubmap-stdin-");
    EXPECT_EQ(names(dir.path()),
              (std::set<std::string>{".hubs.csv.tmp-" + alive + ".csv", ".hubs.csv.tmp-99999999999999999999.csv",
                                     ".hubs.csv.tmp-x.csv", ".other.csv.tmp-" + gone + ".csv", "hubmap-stdin-" + alive,
                                     "hubmap-stdin-" + gone + "x"}));
}

TEST(StagedOutput, CommitReplacesOrRefusesAsAsked) {
    test::ScratchDir dir;
    const fs::path target = dir.path() / "out.gpkg";
    {
        StagedOutput staged(target);
        write(staged.path(), "first");
        staged.commit(Replace::Never);  // no target yet
    }
    EXPECT_EQ(read(target), "first");
    {
        StagedOutput staged(target);
        write(staged.path(), "second");
        try {
            staged.commit(Replace::Never, "--force");
            FAIL() << "replaced an existing file";
        } catch (const UsageError& e) {
            EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos) << e.what();
        }
    }
    EXPECT_EQ(read(target), "first");
    {
        StagedOutput staged(target);
        write(staged.path(), "third");
        staged.commit(Replace::Always);
    }
    EXPECT_EQ(read(target), "third");
    EXPECT_EQ(names(dir.path()), std::set<std::string>{"out.gpkg"});
}

TEST(StagedOutput, AFolderIsReplacedWhole) {
    test::ScratchDir dir;
    const fs::path target = dir.path() / "shapes";
    fs::create_directory(target);
    write(target / "old.shp", "old");
    {
        StagedOutput staged(target, true);
        EXPECT_TRUE(fs::is_directory(staged.path()));
        write(staged.path() / "new.shp", "new");
        staged.commit(Replace::Always);
    }
    EXPECT_EQ(names(target), std::set<std::string>{"new.shp"});
    EXPECT_EQ(names(dir.path()), std::set<std::string>{"shapes"});
}

}  // namespace
}  // namespace hubmap
