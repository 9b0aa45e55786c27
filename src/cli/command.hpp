#pragma once
// A `hubmap` subcommand: setup() binds options (opens nothing), run() does the work.
// Errors propagate as exceptions; main() turns them into messages and exit codes.

#include <signal.h>

#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/progress.hpp"

namespace hubmap::cli {

class Command {
public:
    virtual ~Command() = default;
    /// Adds the subcommand and its options to the app.
    virtual CLI::App* setup(CLI::App& app) = 0;
    /// Runs the command; returns the exit status (0 on success).
    virtual int run() = 0;
};

/// Options every data command shares.
struct DatabaseOption {
    std::optional<std::string> db;
    bool quiet = false;
    void add(CLI::App* sub);
};

/// Progress as lines on stderr: "hubmap: [ 1.2 s] step".
class StderrProgress : public Progress {
public:
    explicit StderrProgress(bool quiet = false);
    void step(const std::string& name) override;
    void info(const std::string& line) override;

private:
    bool quiet_;
    double start_;
};

/// While alive, SIGINT and SIGTERM cancel `progress` instead of killing the process, so a
/// command that writes through a temporary file (export) can remove it and exit cleanly.
/// A second signal gets the default action (kills at once). When it ends, the handlers that
/// were set before it are put back.
class CancelOnSignal {
public:
    explicit CancelOnSignal(Progress& progress);
    ~CancelOnSignal();
    CancelOnSignal(const CancelOnSignal&) = delete;
    CancelOnSignal& operator=(const CancelOnSignal&) = delete;

private:
    struct sigaction previousInt_ {};
    struct sigaction previousTerm_ {};
};

/// The registry of commands, in the order `hubmap --help` lists them.
std::vector<std::unique_ptr<Command>> makeCommands();

}  // namespace hubmap::cli
