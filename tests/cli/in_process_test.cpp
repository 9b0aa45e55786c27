// The CLI run inside the test process (tests/cli_runner.hpp): it says what the binary says, each
// run leaves nothing behind that the next would see, and the check of that can fail.

#include <cpl_conv.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <clocale>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "cli/command.hpp"
#include "cli_runner.hpp"

namespace fs = std::filesystem;
using namespace hubmap;
using hubmap::test::CommandResult;
using hubmap::test::ProcessState;
using hubmap::test::runHubmapInProcess;
using hubmap::test::shellWords;

namespace {

using Words = std::vector<std::string>;

TEST(ShellWords, SplitsAsShDoes) {
    EXPECT_EQ(shellWords("coverage  --db x.sqlite\t-q "), (Words{"coverage", "--db", "x.sqlite", "-q"}));
    EXPECT_EQ(shellWords("import '' --kind 'Bad Kind' --crs ' EPSG:6668 x'"),
              (Words{"import", "", "--kind", "Bad Kind", "--crs", " EPSG:6668 x"}));
    EXPECT_EQ(shellWords(R"(a"b c"d "\"\\\$" 'x\y' e\ f \; =5 x=y a{b})"),
              (Words{"ab cd", "\"\\$", "x\\y", "e f", ";", "=5", "x=y", "a{b}"}));
    EXPECT_EQ(shellWords("hubs --prefecture 高知県 a#b"), (Words{"hubs", "--prefecture", "高知県", "a#b"}));
    EXPECT_EQ(shellWords("   "), Words{});
}

TEST(WithoutTimings, MasksDurationsAndTimestampsOnly) {
    EXPECT_EQ(test::withoutTimings("imported 2 of 3 rows in 0.12 s\nhubmap: [  1.5 s] step 2.5 km\n"),
              "imported 2 of 3 rows in #.# s\nhubmap: [  #.# s] step 2.5 km\n");
    EXPECT_EQ(test::withoutTimings(R"({"generated": "2026-12-03T10:00:00Z", "seconds": 1.25e-3, "radius_km": 5.5})"),
              R"({"generated": #, "seconds": #, "radius_km": 5.5})");
}

TEST(ShellWords, RefusesWhatOnlyAShellCouldRun) {
    for (const char* line : {"import - < x.csv", "info >out", "info | head", "info; ls", "info && ls", "info $HOME",
                             "info `ls`", "info $(ls)", "info *.csv", "info ?", "info [ab]", "info ~/x", "info #x",
                             "info 'open", "info \"open", "info \"$HOME\"", "info \\"}) {
        EXPECT_THROW(shellWords(line), std::invalid_argument) << line;
    }
}

// Each kind of leftover the runner checks for is seen: change it, capture, put it back.
TEST(ProcessState, SeesEachKindOfLeftover) {
    const auto seen = [](const char* what, auto change, auto undo) {
        const ProcessState before = ProcessState::capture();
        change();
        const std::string diff = ProcessState::capture().differencesFrom(before);
        undo();
        EXPECT_NE(diff.find(what), std::string::npos) << what << " not seen in:\n" << diff;
        EXPECT_EQ(ProcessState::capture().differencesFrom(before), "") << "after undoing " << what;
    };
    const std::string locale = std::setlocale(LC_ALL, nullptr);
    seen(
        "locale", [] { ASSERT_NE(std::setlocale(LC_ALL, "C.UTF-8"), nullptr); },
        [&] { std::setlocale(LC_ALL, locale.c_str()); });
    struct sigaction old {};
    seen(
        "signal: + 2 (Interrupt)",
        [&] {
            struct sigaction a {};
            a.sa_handler = SIG_IGN;
            ::sigaction(SIGINT, &a, &old);
        },
        [&] { ::sigaction(SIGINT, &old, nullptr); });
    sigset_t pipe;
    sigemptyset(&pipe);
    sigaddset(&pipe, SIGPIPE);
    seen(
        "blocked", [&] { ::sigprocmask(SIG_BLOCK, &pipe, nullptr); },
        [&] { ::sigprocmask(SIG_UNBLOCK, &pipe, nullptr); });
    const fs::path cwd = fs::current_path();
    seen(
        "working directory", [] { fs::current_path("/"); }, [&] { fs::current_path(cwd); });
    seen(
        "environment: + HUBMAP_LEFTOVER=1", [] { ::setenv("HUBMAP_LEFTOVER", "1", 1); },
        [] { ::unsetenv("HUBMAP_LEFTOVER"); });
    mode_t mask = 0;
    seen(
        "umask", [&] { mask = ::umask(077); }, [&] { ::umask(mask); });
    seen(
        "GDAL config option: + HUBMAP_LEFTOVER=YES", [] { CPLSetConfigOption("HUBMAP_LEFTOVER", "YES"); },
        [] { CPLSetConfigOption("HUBMAP_LEFTOVER", nullptr); });
    seen(
        "GDAL config option: + HUBMAP_THREAD=YES", [] { CPLSetThreadLocalConfigOption("HUBMAP_THREAD", "YES"); },
        [] { CPLSetThreadLocalConfigOption("HUBMAP_THREAD", nullptr); });
    int fd = -1;
    seen(
        "open file descriptor: + ", [&] { fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC); }, [&] { ::close(fd); });
    const auto flags = std::cout.flags();
    seen(
        "streams", [] { std::cout << std::hex; }, [&] { std::cout.flags(flags); });
    seen(
        "streams", [] { std::cin.setstate(std::ios::eofbit); }, [] { std::cin.clear(); });
}

/// The binary with `</dev/null` against the run in this process: the same status, stdout and
/// stderr (runHubmapBothWays checks).
void expectTheSame(const std::string& args) { test::runHubmapBothWays(args); }

class CliInProcess : public ::testing::Test {
protected:
    test::ScratchDir dir_;
    std::string db_ = dir_.file("hubmap.sqlite");
    std::string good_ = std::string(test::kTestDataDir) + "/bad/files/good.csv";
    void SetUp() override { fs::copy_file(test::kSmallDb, db_); }
};

TEST_F(CliInProcess, SaysWhatTheBinarySays) {
    expectTheSame("--version");
    expectTheSame("--help");
    expectTheSame("");
    expectTheSame("nosuch --db " + db_);
    expectTheSame("coverage --help");
    expectTheSame("coverage --radius-km ten --db " + db_);
    expectTheSame("coverage --no-such-option");
    expectTheSame("info --db " + dir_.file("missing.sqlite"));
    expectTheSame("import - --kind test --source empty --db " + db_ + " -q");  // standard input: /dev/null
    expectTheSame("import " + std::string(test::kTestDataDir) + "/bad/files/binary_garbage.csv --kind test --db " +
                  db_ + " -q");
    expectTheSame("coverage -q --by prefecture --radius-km 5 --format csv --db " + db_);
    expectTheSame("hubs -q --format json --db " + db_);
    expectTheSame("fields --markdown");
}

// import and init catch SIGINT, SIGTERM and SIGHUP to remove their temporary files, export
// cancels on them, and the CLI sets the C locale: all as before once the run returns (the
// runner's own check fails the test otherwise; these say it in so many words).
TEST_F(CliInProcess, SignalsAndTheLocaleAreAsBeforeAfterEachRun) {
    struct sigaction before[3]{};
    const int signals[3] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; ++i) ::sigaction(signals[i], nullptr, &before[i]);
    const std::string locale = std::setlocale(LC_ALL, nullptr);
    ASSERT_NE(std::setlocale(LC_ALL, "C.UTF-8"), nullptr);
    CommandResult r = runHubmapInProcess("import " + good_ + " --kind test --source first --db " + db_ + " -q");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_STREQ(std::setlocale(LC_ALL, nullptr), "C.UTF-8");
    r = runHubmapInProcess("export -q --out " + dir_.file("out.gpkg") + " --prefecture 高知 --db " + db_);
    EXPECT_EQ(r.status, 0) << r.err;
    r = runHubmapInProcess("init -q --force --db " + dir_.file("new.sqlite") + " --geodata " + test::kSmallGeodataDir);
    EXPECT_EQ(r.status, 0) << r.err;
    for (int i = 0; i < 3; ++i) {
        struct sigaction after {};
        ::sigaction(signals[i], nullptr, &after);
        EXPECT_EQ(after.sa_handler, before[i].sa_handler) << strsignal(signals[i]);
    }
    EXPECT_STREQ(std::setlocale(LC_ALL, nullptr), "C.UTF-8");
    std::setlocale(LC_ALL, locale.c_str());
}

// A failed run leaves no GDAL error, open dataset or database behind for the next: the same
// failure twice says the same, and a good run after it is clean.
TEST_F(CliInProcess, AFailedRunDoesNotColourTheNext) {
    const std::string bad =
        "import " + std::string(test::kTestDataDir) + "/bad/files/truncated.fgb --kind test --db " + db_ + " -q";
    const CommandResult first = runHubmapInProcess(bad);
    EXPECT_EQ(first.status, 1);
    const CommandResult second = runHubmapInProcess(bad);
    EXPECT_EQ(second.status, first.status);
    EXPECT_EQ(second.err, first.err);
    const CommandResult good = runHubmapInProcess("import " + good_ + " --kind test --source ok --db " + db_ + " -q");
    EXPECT_EQ(good.status, 0) << good.err;
    EXPECT_EQ(good.err, "");
}

TEST(CliInProcessArguments, AShellOnlyLineFailsTheTestInsteadOfRunning) {
    // The check itself must fail: run it in a nested assertion scope and look at the result.
    ::testing::TestPartResultArray failures;
    {
        ::testing::ScopedFakeTestPartResultReporter reporter(
            ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
        const CommandResult r = runHubmapInProcess("import - --kind test < /etc/passwd");
        EXPECT_EQ(r.status, -1);
    }
    ASSERT_EQ(failures.size(), 1);
    EXPECT_NE(std::string(failures.GetTestPartResult(0).message()).find("needs a shell"), std::string::npos);
}

// Export sets CancelOnSignal while StagedOutput's handler (or a caller's) is in place; when the
// export ends, that handler must be back, not the default action.
extern "C" void markerHandler(int) {}

TEST(CancelOnSignal, PutsBackTheHandlersThatWereThere) {
    struct sigaction marker {
    }, oldInt{}, oldTerm{};
    marker.sa_handler = markerHandler;
    sigemptyset(&marker.sa_mask);
    ASSERT_EQ(::sigaction(SIGINT, &marker, &oldInt), 0);
    ASSERT_EQ(::sigaction(SIGTERM, &marker, &oldTerm), 0);
    {
        hubmap::Progress progress;
        const hubmap::cli::CancelOnSignal cancel(progress);
        struct sigaction during {};
        ::sigaction(SIGINT, nullptr, &during);
        EXPECT_NE(during.sa_handler, &markerHandler);
    }
    struct sigaction afterInt {
    }, afterTerm{};
    ::sigaction(SIGINT, &oldInt, &afterInt);
    ::sigaction(SIGTERM, &oldTerm, &afterTerm);
    EXPECT_EQ(afterInt.sa_handler, &markerHandler);
    EXPECT_EQ(afterTerm.sa_handler, &markerHandler);
}

}  // namespace
