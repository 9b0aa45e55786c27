#pragma once
// Checks on the paths a command is given, before it opens or writes anything: an input must
// be a file (a FIFO would block forever), and no output may land on the database or an input
// (through a symlink or `..` too) — `export --out` onto its own `--db` once destroyed it.

#include <string>
#include <vector>

namespace hubmap {

/// Throws UsageError (exit 2) when `path` exists but is neither a regular file nor (with
/// `folderAllowed`) a folder — a FIFO, socket or device; Error when it is missing or cannot be
/// read. `what` names it in the message ("the file to import").
void requireInputFile(const std::string& path, const std::string& what, bool folderAllowed = false);

/// Throws Error when `path` is not a database file hubmap could open: missing, a folder, a
/// FIFO or device, or unreadable. The messages say what to do.
void requireDatabaseFile(const std::string& path);

/// Throws UsageError when the output `path` (given with `option`) exists and is not a regular
/// file: a folder or a FIFO cannot be replaced by a file, and finding out after the work is done
/// would waste it.
void requireFileOutput(const std::string& path, const std::string& option);

/// A path that an output must not replace, and what it is ("the database").
struct ProtectedPath {
    std::string path;
    std::string what;
};

/// Throws UsageError (exit 2) when the output `path` given with `option` is one of `keep`
/// (the same file by device and inode when both exist, else the same canonical path), one of
/// the database's SQLite side files, or a folder that holds one of them (a folder output is
/// replaced whole).
void refuseOutputOver(const std::string& path, const std::string& option, const std::vector<ProtectedPath>& keep);

}  // namespace hubmap
