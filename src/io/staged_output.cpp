#include "io/staged_output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <stdio.h>  // renameat2
#include <unistd.h>

#include <array>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

#include "core/error.hpp"

namespace hubmap {

namespace fs = std::filesystem;

namespace {

/// Flushes a file's data to disk so a crash after the rename cannot leave a torn file.
void syncPath(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

// The staged files alive in this process, for the signal handler: fixed slots of plain
// characters, because a handler may not allocate or lock.
constexpr size_t kSlots = 32;
constexpr size_t kPathMax = 4096;
struct Slot {
    std::atomic<int> state{0};  // 0 free, 1 being filled, 2 live (the handler reads only these)
    char path[kPathMax] = {};
};
std::array<Slot, kSlots> gSlots;

int registerForSignals(const fs::path& path) {
    const std::string& p = path.native();
    if (p.size() + 16 >= kPathMax) return -1;
    for (size_t i = 0; i < kSlots; ++i) {
        int expected = 0;
        if (!gSlots[i].state.compare_exchange_strong(expected, 1)) continue;
        std::memcpy(gSlots[i].path, p.c_str(), p.size() + 1);
        gSlots[i].state.store(2);
        return static_cast<int>(i);
    }
    return -1;  // more than kSlots outputs at once: the destructor still removes them
}

void unregisterForSignals(int slot) {
    if (slot >= 0) gSlots[static_cast<size_t>(slot)].state.store(0);
}

// DeferSignals: while > 0, a signal is recorded here and handled when the last one ends.
std::atomic<int> gDeferDepth{0};
std::atomic<int> gPendingSignal{0};

// Async-signal-safe: unlink() and plain character copies only.
extern "C" void removeStagedOnSignal(int signal) {
    if (gDeferDepth.load() > 0) {
        gPendingSignal.store(signal);
        return;
    }
    char side[kPathMax];
    for (Slot& slot : gSlots) {
        if (slot.state.load() != 2) continue;
        ::unlink(slot.path);
        const size_t n = std::strlen(slot.path);
        for (const char* suffix : {"-journal", "-wal", "-shm"}) {
            std::memcpy(side, slot.path, n);
            std::memcpy(side + n, suffix, std::strlen(suffix) + 1);
            ::unlink(side);
        }
    }
    ::signal(signal, SIG_DFL);
    ::raise(signal);
}

/// Does process `pid` still run? (EPERM: it runs, as another user.)
bool processAlive(long pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

/// Removes what staged outputs of `target` left behind when their process died (a SIGKILL, a
/// crash, a power cut): ".NAME.tmp-PID…" and ".NAME.old-PID".
void removeStaleStaging(const fs::path& target) {
    const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    const std::string name = target.filename().string();
    for (const char* kind : {".tmp-", ".old-"}) removeStaleTemporaries(folder, "." + name + kind);
}

}  // namespace

void removeStaleTemporaries(const fs::path& folder, const std::string& prefix) {
    std::error_code ec;
    fs::directory_iterator it(folder, ec);
    if (ec) return;
    std::vector<fs::path> stale;
    for (const auto& entry : it) {
        const std::string file = entry.path().filename().string();
        if (file.compare(0, prefix.size(), prefix) != 0) continue;
        size_t end = prefix.size();
        while (end < file.size() && std::isdigit(static_cast<unsigned char>(file[end]))) ++end;
        if (end == prefix.size() || end - prefix.size() > 9) continue;  // no PID, or not one
        if (end < file.size() && file[end] != '.' && file[end] != '-') continue;
        const long pid = std::stol(file.substr(prefix.size(), end - prefix.size()));
        if (pid != ::getpid() && !processAlive(pid)) stale.push_back(entry.path());
    }
    for (const auto& p : stale) fs::remove_all(p, ec);
}

DeferSignals::DeferSignals() { gDeferDepth.fetch_add(1); }

DeferSignals::~DeferSignals() {
    if (gDeferDepth.fetch_sub(1) != 1) return;
    if (const int signal = gPendingSignal.exchange(0)) removeStagedOnSignal(signal);
}

void StagedOutput::removeOnSignals() {
    struct sigaction action {};
    action.sa_handler = removeStagedOnSignal;
    sigemptyset(&action.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &action, nullptr);
}

StagedOutput::StagedOutput(fs::path target, bool folder, std::optional<std::string> extension)
    : target_(std::move(target)), folder_(folder) {
    const std::string stem = "." + target_.filename().string() + fmt::format(".tmp-{}", ::getpid());
    if (!extension) {
        const std::string own = target_.extension().string();
        extension = own.empty() ? own : own.substr(1);
    }
    path_ = target_.parent_path() / (folder_ || extension->empty() ? stem : stem + "." + *extension);
    removeStaleStaging(target_);
    removeStaging();
    if (!folder_) signalSlot_ = registerForSignals(path_);
    if (folder_) {
        std::error_code ec;
        if (!fs::create_directory(path_, ec)) {
            throw Error(ErrorContext{target_.string(), {}, -1, -1},
                        fmt::format("cannot create the staging folder {}: {}", path_.string(), ec.message()));
        }
    }
}

StagedOutput::~StagedOutput() {
    if (!committed_) removeStaging();
    unregisterForSignals(signalSlot_);
}

void StagedOutput::commit(Replace replace, const std::string& replaceOption) {
    if (folder_) {
        for (const auto& e : fs::directory_iterator(path_)) syncPath(e.path());
    } else {
        syncPath(path_);
    }
    std::error_code ec;
    const bool exists = fs::exists(fs::symlink_status(target_, ec));
    if (!exists || replace == Replace::Never) {
        renameNoReplace(replaceOption);
    } else if (!folder_) {
        fs::rename(path_, target_, ec);  // atomic replacement of the old file
        if (ec) fail("cannot rename the finished file into place", ec);
    } else {
        // A folder cannot be replaced in one step: move the old one aside, then drop it.
        const fs::path old =
            target_.parent_path() / ("." + target_.filename().string() + fmt::format(".old-{}", ::getpid()));
        fs::remove_all(old, ec);
        fs::rename(target_, old, ec);
        if (ec) fail("cannot move the existing folder aside", ec);
        fs::rename(path_, target_, ec);
        if (ec) {
            std::error_code restore;
            fs::rename(old, target_, restore);
            fail("cannot rename the finished folder into place", ec);
        }
        fs::remove_all(old, ec);
    }
    committed_ = true;
    unregisterForSignals(signalSlot_);
    signalSlot_ = -1;
    syncPath(target_.parent_path().empty() ? fs::path(".") : target_.parent_path());
}

void StagedOutput::renameNoReplace(const std::string& replaceOption) {
    const std::string exists = fmt::format("{} already exists; use {} to replace it", target_.string(), replaceOption);
    if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target_.c_str(), RENAME_NOREPLACE) == 0) return;
    const int err = errno;
    if (err == EEXIST) throw UsageError(exists);
    if (err == EINVAL || err == ENOSYS) {  // file system without RENAME_NOREPLACE
        std::error_code ec;
        if (fs::exists(target_, ec)) throw UsageError(exists);
        fs::rename(path_, target_, ec);
        if (ec) fail("cannot rename the finished output into place", ec);
        return;
    }
    fail("cannot rename the finished output into place", std::error_code(err, std::generic_category()));
}

void StagedOutput::removeStaging() const {
    std::error_code ec;
    fs::remove_all(path_, ec);
    for (const char* suffix : {"-journal", "-wal", "-shm"}) fs::remove(path_.string() + suffix, ec);
}

void StagedOutput::fail(const std::string& what, const std::error_code& ec) const {
    throw Error(ErrorContext{target_.string(), {}, -1, -1}, fmt::format("{}: {}", what, ec.message()));
}

}  // namespace hubmap
