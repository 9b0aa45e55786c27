#pragma once
// Coverage results as GDAL vector layers: the rows of one grouping with the fields of the
// registry's rows output (report/fields.hpp), and municipality or prefecture polygons.
// Serves `hubmap coverage --format csv|geojson|xlsx` and `hubmap gaps --format csv|xlsx`.

#include <optional>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "analysis/gaps.hpp"

class GDALDataset;

namespace hubmap {
class TableFile;
}

namespace hubmap {

struct CoverageLayerOptions {
    /// "municipality", "prefecture" or "nation" (one row, never a geometry).
    std::string by = "prefecture";
    /// Polygons: municipality geometry, or prefecture geometry (needs it loaded).
    bool geometry = true;
    /// Only rows that lack coverage (lacksCoverage with minShare).
    bool lackingOnly = false;
    std::optional<double> minShare;
    /// Column names and figures for a spreadsheet reader (FeatureWriter::Options).
    bool japaneseHeaders = false;
    bool roundForReading = false;
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

/// Writes the rows of each level of `levels` (municipality, prefecture, nation) to `file` and
/// finishes it: one layer "coverage" (CSV, GeoJSON: one level only) or one sheet per level,
/// named after it, and the legend sheet (XLSX). Polygons as `options.geometry` says.
long long writeCoverageTable(TableFile& file, const Dataset& data, const CoverageResult& result,
                             const std::vector<std::string>& levels, const CoverageLayerOptions& options);

/// Writes the ranked lists of `hubmap gaps` to `file` and finishes it: one list as the table
/// "gaps" (CSV), or the sheets "municipalities" and "prefectures" and the legend (XLSX).
long long writeGapsTable(TableFile& file, const Dataset& data, const CoverageResult& result, const GapsResult& gaps,
                         bool municipalities, bool prefectures);

}  // namespace hubmap
