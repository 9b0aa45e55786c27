#pragma once
// Outputs written beside their target under a hidden temporary name and renamed onto it
// when complete: a failed or interrupted write leaves the target exactly as it was.

#include <filesystem>
#include <optional>
#include <string>

namespace hubmap {

/// What StagedOutput::commit does when the target exists.
enum class Replace {
    Never,   ///< leave it, and say so (a UsageError naming the option that allows replacing)
    Always,  ///< replace it (a file in one atomic rename; a folder moved aside first)
};

/// While alive, SIGINT, SIGTERM and SIGHUP (once StagedOutput::removeOnSignals was called)
/// are held and handled when it ends: for steps that must complete together, such as placing
/// an output and committing the transaction it reports on. (SIGKILL cannot be held.)
class DeferSignals {
public:
    DeferSignals();
    ~DeferSignals();
    DeferSignals(const DeferSignals&) = delete;
    DeferSignals& operator=(const DeferSignals&) = delete;
};

/// Removes the entries of `folder` named `prefix` + PID (then nothing, or '.' or '-' and more)
/// whose process no longer runs: what a run of hubmap killed with SIGKILL (or a crash, a power
/// cut) left behind. Entries of running processes, this one included, are kept.
void removeStaleTemporaries(const std::filesystem::path& folder, const std::string& prefix);

/// A file (or a folder of files) being built for `target`. Destroyed without commit(), it
/// removes what was written, SQLite's side files included.
class StagedOutput {
public:
    /// A staged file keeps `extension` (no dot; default the target's own): GDAL drivers and
    /// SQLite tools look at it. A staged folder is created empty.
    explicit StagedOutput(std::filesystem::path target, bool folder = false,
                          std::optional<std::string> extension = std::nullopt);
    ~StagedOutput();
    StagedOutput(const StagedOutput&) = delete;
    StagedOutput& operator=(const StagedOutput&) = delete;

    /// From now on SIGINT, SIGTERM and SIGHUP remove the staged files of this process (SQLite's
    /// side files too) before the signal ends it as it would have. A front end calls it once;
    /// a staged folder is not removed this way (export cancels instead: CancelOnSignal).
    /// Independently, every StagedOutput removes what staged outputs of its target left behind
    /// when their process died (a SIGKILL, a crash).
    static void removeOnSignals();

    /// Where to write.
    const std::filesystem::path& path() const { return path_; }

    /// Flushes the output to disk and renames it onto the target. With Replace::Never an
    /// existing target — even one that appeared while writing — is kept, and the error
    /// says to use `replaceOption` (e.g. "--overwrite").
    void commit(Replace replace, const std::string& replaceOption = "--overwrite");

private:
    void renameNoReplace(const std::string& replaceOption);
    void removeStaging() const;
    [[noreturn]] void fail(const std::string& what, const std::error_code& ec) const;

    std::filesystem::path target_;
    bool folder_;
    std::filesystem::path path_;
    bool committed_ = false;
    int signalSlot_ = -1;  // in the signal handler's registry, or -1
};

}  // namespace hubmap
