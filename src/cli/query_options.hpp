#pragma once
// The query options shared by `hubmap coverage`, `hubmap gaps` and `hubmap export`:
// bound once here, turned into a CoverageOptions by toOptions().

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "cli/command.hpp"

namespace hubmap::cli {

/// Raw option values as the user typed them.
struct QueryOptionGroup {
    std::vector<std::string> designations;  ///< full, partial, deemed (or 全部過疎, …); empty = all
    std::vector<std::string> prefectures;   ///< names or codes; empty = all
    std::vector<std::string> kinds;         ///< empty = all
    std::optional<std::string> openedBefore;
    std::optional<std::string> radiusKm;  ///< "R" or "kind=R,..."
    int threads = 0;
    std::string partial = "part";  ///< 一部過疎 measured on: part or whole

    /// The CoverageOptions these values ask for. Throws UsageError on a malformed value
    /// (unknown designation type, bad radius spec, radius range, date: checkCoverageValues);
    /// data-dependent checks (unknown kind or prefecture) are computeCoverage's.
    CoverageOptions toOptions() const;
    /// Whether a radius was given (settlements are only worth loading then).
    bool hasRadius() const { return radiusKm.has_value(); }
};

/// Adds --min-share S: what "lacks coverage" means for --uncovered-only and `hubmap gaps`
/// (see lacksCoverage).
void addMinShareOption(CLI::App* sub, std::optional<double>& minShare);

/// The dataset and result of one query.
struct QueryRun {
    Dataset data;
    CoverageResult result;
};

/// Loads the database as every query command does — the gazetteer (277k points) only when
/// the query has a radius or `settlements` is asked, prefecture polygons only when asked —
/// and runs the query. Progress on `progress`.
QueryRun runQuery(const DatabaseOption& db, const CoverageOptions& options, Progress& progress,
                  bool settlements = false, bool prefectureGeometry = false);

/// Adds --designation, --prefecture, --kinds, --opened-before, --radius-km, --threads and --partial
/// to a subcommand, bound to `group`. Lists take commas or repeated options.
void addQueryOptions(CLI::App* sub, QueryOptionGroup& group);

}  // namespace hubmap::cli
