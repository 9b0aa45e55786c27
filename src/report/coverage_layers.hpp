#pragma once
// Coverage results as GDAL vector layers: the rows of one grouping with the fields of the
// registry's rows output (report/fields.hpp), and municipality or prefecture polygons.
// Serves `hubmap coverage --format csv|geojson` and `hubmap gaps --format csv`.

#include <optional>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "analysis/gaps.hpp"

class GDALDataset;

namespace hubmap {

struct CoverageLayerOptions {
    /// "municipality", "prefecture" or "nation" (one row, never a geometry).
    std::string by = "prefecture";
    /// Polygons: municipality geometry, or prefecture geometry (needs it loaded).
    bool geometry = true;
    /// Only rows that lack coverage (lacksCoverage with minShare).
    bool lackingOnly = false;
    std::optional<double> minShare;
    /// GDAL layer creation options, KEY=VALUE.
    std::vector<std::string> layerCreationOptions;
};

/// Field names of the layer for a grouping, in order (docs/fields.md).
std::vector<std::string> coverageLayerFields(const std::string& by);

/// Adds one layer named `layerName` to `out` and writes the rows. Lists (former
/// municipalities, hub ids, uncovered municipalities) are '|'-separated text; figures
/// that do not apply to the query are null. Geometry in EPSG:6668 lon/lat.
/// Returns the number of features written. Throws Error naming the layer on failure.
long long writeCoverageLayer(GDALDataset& out, const std::string& layerName, const Dataset& data,
                             const CoverageResult& result, const CoverageLayerOptions& options);

/// Creates `path` with the GDAL vector driver `driver` (e.g. "CSV", "GeoJSON") and writes
/// one layer "coverage" into it. "/vsistdout/" writes to standard output.
long long writeCoverageFile(const std::string& path, const std::string& driver, const Dataset& data,
                            const CoverageResult& result, const CoverageLayerOptions& options);

/// Writes one ranked list of `hubmap gaps` (the municipalities, or else the prefectures) as
/// a table without geometry, layer "gaps", with the driver `driver`.
long long writeGapsFile(const std::string& path, const std::string& driver, const Dataset& data,
                        const CoverageResult& result, const GapsResult& gaps, bool municipalities);

}  // namespace hubmap
