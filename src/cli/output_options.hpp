#pragma once
// The output options of every command with a tabular answer (coverage, gaps, hubs, suggest):
// --format, --out, --overwrite, --bom, --encoding, --headers. A command binds them with one
// call to add() and turns them into a checked TableOutput with resolve() before any work:
//
//     output_.add(sub, {"table", "csv", "json", "xlsx"});            // in setup()
//     const TableOutput out = output_.resolve(dbOption_);            // first thing in run()
//     writeTextOutput(out, text);  or  TableFile file(out); ... file.finish();
//
// See docs/formats.md#output-options.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/command.hpp"
#include "report/table_output.hpp"

namespace hubmap::cli {

struct OutputOptionGroup {
    std::optional<std::string> format;  ///< as typed; none: from --out's extension, else the first format
    std::optional<std::string> out;
    bool overwrite = false;
    bool bom = false;
    std::string encoding = "utf-8";
    std::optional<std::string> headers;  ///< ja or en; none: en for CSV, ja for XLSX

    /// Adds the options to `sub`; `formats` are the --format names it accepts, the first
    /// being the default for standard output (e.g. {"table", "csv", "json", "xlsx"}).
    void add(CLI::App* sub, std::vector<std::string> formats);

    /// The checked output: format from --format or --out's extension, a known encoding, an
    /// --out that is not the database (`db`), in an existing folder, new or --overwrite.
    /// Throws UsageError (exit 2) with what to change.
    TableOutput resolve(const DatabaseOption& db) const;

private:
    std::vector<std::string> formats_;
};

}  // namespace hubmap::cli
