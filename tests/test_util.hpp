#pragma once
// Helpers shared by the test suites.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "test_config.hpp"

namespace hubmap::test {

/// A fresh, empty scratch folder named after the running test; removed on destruction.
class ScratchDir {
public:
    ScratchDir();
    ~ScratchDir();
    const std::filesystem::path& path() const { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

/// Result of running a command.
struct CommandResult {
    int status = -1;  ///< exit status
    std::string out;  ///< stdout
    std::string err;  ///< stderr
};

/// Runs a shell command line (quoted by the caller), capturing stdout and stderr.
CommandResult runCommand(const std::string& commandLine);

/// Runs the hubmap CLI with the given argument string (shell-quoted by the caller).
CommandResult runHubmap(const std::string& args);

/// Reads a whole file as bytes.
std::string readFile(const std::string& path);

/// A checksum of an SQLite database's contents, for "unchanged" checks without keeping a copy:
/// every schema entry (tables, indexes, triggers, views) and every row of every stored table
/// (virtual tables through their shadow tables), in name and rowid order, each value with its
/// type. Equal databases give equal checksums whatever their page layout. Throws on an
/// unreadable file.
std::string databaseChecksum(const std::string& path);

}  // namespace hubmap::test
