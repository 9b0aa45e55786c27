#pragma once
// Errors raised inside the hubmap core. Front ends (CLI, viewer) turn them
// into messages and exit codes; the core never prints or exits.

#include <stdexcept>
#include <string>

namespace hubmap {

/// Where a problem was found: a file, and optionally a layer, feature or row.
struct ErrorContext {
    std::string file;        ///< path of the input or output file
    std::string layer;       ///< layer or table name
    long long feature = -1;  ///< 0-based feature index (-1: not applicable)
    long long row = -1;      ///< 1-based data row number (-1: not applicable)

    /// "file.csv, row 12" / "x.json, layer foo, feature 3" / "" when empty.
    std::string describe() const;
};

/// A runtime failure caused by data, files or libraries (exit status 1).
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& what) : std::runtime_error(what) {}
    Error(const ErrorContext& where, const std::string& what);
    const ErrorContext& where() const noexcept { return where_; }

private:
    ErrorContext where_;
};

/// The caller asked for something invalid (bad option value, unknown name); exit status 2.
class UsageError : public std::runtime_error {
public:
    explicit UsageError(const std::string& what) : std::runtime_error(what) {}
};

/// The operation was cancelled through its Progress object.
class Cancelled : public std::runtime_error {
public:
    Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace hubmap
