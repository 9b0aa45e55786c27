#pragma once
// Runs the hubmap CLI inside the test process: hubmap::cli::run (cli/run.hpp) with stdout and
// stderr captured, for the CLI tests that need no process of their own. Starting the binary
// costs about 65 ms of CPU, 50 of them in the dynamic loader (GDAL's ~110 shared libraries);
// a run here costs what the command itself does. docs/testing.md says when to use which.

#include <set>
#include <string>
#include <vector>

#include "test_util.hpp"

namespace hubmap::test {

/// Splits a command line into its words as sh does for the quoting tests use: blanks between
/// words, '…' and "…" (in "…", \ escapes " \ $ and `), \ before any other character. Throws
/// std::invalid_argument on what only a shell could run: an unquoted < > | ; & $ ` ( ) * ? [,
/// a ~ or # starting a word, an unclosed quote.
std::vector<std::string> shellWords(const std::string& line);

/// Runs `hubmap ARGS` in this process, as runHubmap runs the binary with `</dev/null`: standard
/// input reads /dev/null, stdout and stderr are captured (file descriptors 1 and 2 point to
/// temporary files for the call), the status is the one the process would exit with. Then it
/// checks that the run left nothing behind that the next run or test would see (ProcessState)
/// and fails the test when it did.
CommandResult runHubmapInProcess(const std::vector<std::string>& args);
/// The same with the arguments as one string, split by shellWords (runHubmap's argument, less
/// the redirections and pipes a shell would run: a test that needs those runs the process).
CommandResult runHubmapInProcess(const std::string& args);

/// Runs `hubmap ARGS` both ways: in this process, then as the binary (runHubmap, with
/// `</dev/null`); fails the test when they differ in status, stdout or stderr (durations masked:
/// withoutTimings), and returns the in-process result. For the runs that keep the real binary
/// tested; only for commands whose second run meets what the first met (no --save-as, no
/// output that must not exist yet).
CommandResult runHubmapBothWays(const std::string& args);

/// `text` with what differs from run to run of the same command masked: durations ("in 0.12 s",
/// "[  1.2 s]"), JSON "seconds" and "generated" values. For comparing two runs' output.
std::string withoutTimings(const std::string& text);

/// What a run of the CLI could leave behind in the process that a later run, or a test, would
/// see and a real run never does (it ends with its process).
struct ProcessState {
    std::string cwd;
    std::string locale;                ///< setlocale(LC_ALL, nullptr)
    std::vector<std::string> signals;  ///< disposition of every signal, and the signal mask
    std::vector<std::string> environment;
    unsigned umask = 0;
    std::vector<std::string> gdalConfig;  ///< CPLGetConfigOptions and the thread-local ones
    std::set<int> fds;                    ///< open file descriptors
    std::string streams;                  ///< flags, precision, fill and state of std::cin/cout/cerr

    static ProcessState capture();
    /// What differs from `before`, one line each ("" when nothing does).
    std::string differencesFrom(const ProcessState& before) const;
};

}  // namespace hubmap::test
