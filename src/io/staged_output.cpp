#include "io/staged_output.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>  // renameat2
#include <unistd.h>

#include <cerrno>
#include <system_error>

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

}  // namespace

StagedOutput::StagedOutput(fs::path target, bool folder, std::optional<std::string> extension)
    : target_(std::move(target)), folder_(folder) {
    const std::string stem = "." + target_.filename().string() + fmt::format(".tmp-{}", ::getpid());
    if (!extension) {
        const std::string own = target_.extension().string();
        extension = own.empty() ? own : own.substr(1);
    }
    path_ = target_.parent_path() / (folder_ || extension->empty() ? stem : stem + "." + *extension);
    removeStaging();
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
