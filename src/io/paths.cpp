#include "io/paths.hpp"

#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"

namespace fs = std::filesystem;

namespace hubmap {

namespace {

const char* fileType(mode_t mode) {
    if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
    if (S_ISSOCK(mode)) return "a socket";
    if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
    if (S_ISDIR(mode)) return "a folder";
    return "not a regular file";
}

/// The canonical form of a path that may not exist yet (symlinks and `..` resolved as far as it exists).
fs::path canonicalForm(const std::string& path) {
    std::error_code ec;
    fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
    return ec ? fs::absolute(path).lexically_normal() : p;
}

bool sameFile(const std::string& a, const std::string& b) {
    struct stat sa {
    }, sb{};
    if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) {
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    }
    return canonicalForm(a) == canonicalForm(b);
}

/// Is `inner` strictly inside the folder `outer`?
bool isInside(const fs::path& inner, const fs::path& outer) {
    auto o = outer.begin(), i = inner.begin();
    for (; o != outer.end(); ++o, ++i) {
        if (o->empty()) continue;  // a trailing separator
        if (i == inner.end() || *i != *o) return false;
    }
    return i != inner.end();
}

}  // namespace

void requireInputFile(const std::string& path, const std::string& what, bool folderAllowed) {
    if (path.rfind("/vsi", 0) == 0) return;  // a GDAL virtual path: GDAL checks it
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        const int err = errno;
        throw Error(ErrorContext{path, {}, -1, -1}, err == ENOENT
                                                        ? fmt::format("{} does not exist (check the path)", what)
                                                        : fmt::format("cannot reach {}: {}", what, std::strerror(err)));
    }
    if (S_ISREG(st.st_mode) || (folderAllowed && S_ISDIR(st.st_mode))) {
        if (::access(path.c_str(), R_OK) != 0) {
            throw Error(ErrorContext{path, {}, -1, -1},
                        fmt::format("cannot read {}: {} (check its permissions)", what, std::strerror(errno)));
        }
        return;
    }
    throw UsageError(fmt::format("{}: {} is {}, not a file; give a regular file", path, what, fileType(st.st_mode)));
}

void requireDatabaseFile(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno == ENOENT) {
            throw Error(ErrorContext{path, {}, -1, -1},
                        fmt::format("no database here (build one with: hubmap init --db {})", path));
        }
        throw Error(ErrorContext{path, {}, -1, -1}, fmt::format("cannot reach the database: {}", std::strerror(errno)));
    }
    if (S_ISDIR(st.st_mode)) {
        throw Error(ErrorContext{path, {}, -1, -1},
                    "is a folder, not a hubmap database: give the database file itself (e.g. hubmap.sqlite), or "
                    "build one with: hubmap init --db FILE");
    }
    if (!S_ISREG(st.st_mode)) {
        throw Error(ErrorContext{path, {}, -1, -1},
                    fmt::format("is {}, not a hubmap database file: give the database file", fileType(st.st_mode)));
    }
    if (::access(path.c_str(), R_OK) != 0) {
        throw Error(ErrorContext{path, {}, -1, -1},
                    fmt::format("cannot read the database: {} (check its permissions)", std::strerror(errno)));
    }
}

void requireFileOutput(const std::string& path, const std::string& option) {
    struct stat st {};
    if (path.empty() || ::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return;
    throw UsageError(fmt::format("{} {} is {}: give the name of a file to write", option, path, fileType(st.st_mode)));
}

void refuseOutputOver(const std::string& path, const std::string& option, const std::vector<ProtectedPath>& keep) {
    if (path.empty() || path.rfind("/vsi", 0) == 0) return;
    const fs::path out = canonicalForm(path);
    for (const ProtectedPath& k : keep) {
        if (k.path.empty()) continue;
        const fs::path kept = canonicalForm(k.path);
        if (sameFile(path, k.path)) {
            throw UsageError(fmt::format("{} {} is {} ({}): writing there would destroy it; choose another path",
                                         option, path, k.what, k.path));
        }
        for (const char* side : {"-wal", "-shm", "-journal"}) {
            if (out == fs::path(kept.string() + side)) {
                throw UsageError(
                    fmt::format("{} {} is a side file of {} ({}): writing there would damage it; "
                                "choose another path",
                                option, path, k.what, k.path));
            }
        }
        if (isInside(kept, out)) {
            throw UsageError(
                fmt::format("{} {} is a folder that holds {} ({}): writing there could replace it; "
                            "choose another path",
                            option, path, k.what, k.path));
        }
    }
}

}  // namespace hubmap
