// Fuzz target: the query options of `coverage`, `gaps` and `export` (src/cli/query_options.*:
// --designation, --prefecture, --kinds, --opened-before, --radius-km with parseRadiusSpec,
// --threads, --min-share) parsed by CLI11 from newline-separated arguments, turned into
// CoverageOptions and run by computeCoverage on a small hand-made dataset, so the checks that
// need data (unknown kind or prefecture, radius range, month) run too.
//
// Expected: CLI11's parse errors and UsageError. Anything else is a finding.

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "analysis/coverage_fixture.hpp"  // tests/: DatasetBuilder, boxWkt
#include "cli/query_options.hpp"
#include "core/error.hpp"

using namespace hubmap;

namespace {

const Dataset& dataset() {
    static const Dataset data = [] {
        test::DatasetBuilder b;
        b.prefecture(2, "青森県").prefecture(39, "高知県");
        b.municipality("90001", 2, "青森県", "東村", test::boxWkt(140.0, 40.0, 140.2, 40.2), DesignationType::Full)
            .municipality("90002", 2, "青森県", "西町", test::boxWkt(140.2, 40.0, 140.4, 40.2),
                          DesignationType::Partial, {"旧甲村"})
            .municipality("90003", 39, "高知県", "南村", test::boxWkt(133.0, 33.0, 133.2, 33.2),
                          DesignationType::Deemed)
            .municipality("90004", 39, "高知県", "北市", test::boxWkt(133.2, 33.0, 133.4, 33.2));
        b.hub("a", "small_hub", 140.1, 40.1, "90001", "2015-04")
            .hub("b", "rmo", 140.3, 40.1, "90002")
            .hub("c", "small_hub", std::nullopt, std::nullopt, "", "2019-01", "高知県")
            .hub("d", "activity_centre", 133.1, 33.1, "90003", "2021-03");
        b.settlement("90001", 140.05, 40.05).settlement("90002", 140.35, 40.15).settlement("90003", 133.15, 33.05);
        return b.build();
    }();
    return data;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    dataset();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::vector<std::string> args;
    std::string current;
    for (size_t i = 0; i < size && args.size() < 32; ++i) {
        if (data[i] == '\n') {
            args.push_back(current);
            current.clear();
        } else {
            current += static_cast<char>(data[i]);
        }
    }
    if (!current.empty() && args.size() < 32) args.push_back(current);

    CLI::App app("fuzz");
    cli::QueryOptionGroup group;
    std::optional<double> minShare;
    cli::addQueryOptions(&app, group);
    cli::addMinShareOption(&app, minShare);
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
    Progress progress;
    try {
        app.parse(reversed);
        CoverageOptions options = group.toOptions();
        if (options.threads > 1) options.threads = 1;  // the pool is the coverage tests' business
        const CoverageResult result = computeCoverage(dataset(), options, progress);
        for (const auto& m : result.municipalities) (void)lacksCoverage(m, minShare);
    } catch (const CLI::ParseError&) {
    } catch (const UsageError&) {
    }
    return 0;
}
