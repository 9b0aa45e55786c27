#pragma once
// Exporting a coverage query for other GIS: one GeoPackage (styled for QGIS, with
// metadata and credits) or a folder of GeoJSON / FlatGeobuf / Shapefile files.
// `hubmap export` and the viewer's export button call the same function.

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "analysis/coverage.hpp"
#include "core/model.hpp"
#include "core/progress.hpp"

namespace hubmap {

struct ExportOptions {
    /// Target: a .gpkg file for GPKG; a folder (created) for the other formats.
    std::string outPath;
    /// GDAL driver name: "GPKG" (default), "GeoJSON", "FlatGeobuf" or "ESRI Shapefile".
    std::string format = "GPKG";
    /// Replace an existing target (otherwise it is refused with a UsageError).
    bool overwrite = false;
    /// How the query was asked (e.g. the command line), recorded in the metadata; may be empty.
    std::string requestedBy;
};

/// What was written.
struct ExportReport {
    std::string outPath;
    std::string format;
    /// Layers in writing order with their feature counts.
    std::vector<std::pair<std::string, long long>> layers;
    /// Styles stored (GPKG layer_styles rows or .qml files), as "layer: style name".
    std::vector<std::string> styles;
    /// The hubs layer's features by import source (credited in the metadata).
    std::map<std::string, long long> hubsByImportSource;
    /// Anything the user should know (e.g. a Shapefile text value cut at 254 bytes).
    std::vector<std::string> notes;
    double seconds = 0;
};

/// The export formats, by GDAL driver name, in the order the help lists them.
const std::vector<std::string>& exportFormats();

/// Checks the options without writing anything: known format, a target path, an existing
/// parent folder, an existing target only with `overwrite` (and then of the right kind).
/// Throws UsageError (bad format, existing target: "use --overwrite") or Error (bad path).
/// Front ends call it before running a long query; exportCoverage calls it too.
void checkExportTarget(const ExportOptions& options);

/// Writes the layers municipalities, hubs, catchments (with a radius), uncovered (with a
/// radius) and prefecture_summary for `result` (computed from `data`; for the catchments
/// and uncovered layers with CoverageOptions::keepGeometry = true).
///
/// Atomic: everything is written to a temporary file or folder beside the target and
/// renamed over it only when complete, so a failure or cancellation leaves no partial
/// output and an existing target untouched. Errors name the path and the reason.
ExportReport exportCoverage(const Dataset& data, const CoverageResult& result, const ExportOptions& options,
                            Progress& progress);

/// Shapefile field names (≤ 10 characters): the documented mapping from hubmap's field
/// names, per layer, as (field, shapefile name) pairs. Every other format keeps the names.
std::vector<std::pair<std::string, std::string>> shapefileFieldNames(const std::string& layer);

}  // namespace hubmap
