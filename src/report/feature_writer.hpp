#pragma once
// Writing rows of the field registry into a GDAL vector layer: the fields are created from
// their FieldInfo (type, Shapefile name) and each feature is filled from its values. The
// coverage/gaps rows and every layer of the export go through it.

#include <memory>
#include <string>
#include <vector>

#include "io/gdal.hpp"
#include "report/fields.hpp"

namespace hubmap {

class FeatureWriter {
public:
    struct Options {
        /// Shapefile: fields under their short names, DBF widths (text 254 bytes, cut on a
        /// UTF-8 boundary and noted; reals 24.15).
        bool shapefile = false;
        /// A spreadsheet format (CSV, XLSX): text that would start a formula is written with a
        /// leading ' (core/spreadsheet.hpp); numeric fields are written as numbers regardless.
        bool spreadsheet = false;
        /// Column names: the Japanese headings (fieldHeadingJa) instead of the keys.
        bool japaneseHeaders = false;
        /// Figures as a spreadsheet reader wants them (XLSX): shares (isShare) as percentages
        /// to 0.1 (heading "…（%）", key "…_pct"), km² figures to 0.01 km².
        bool roundForReading = false;
        /// Empty text (and empty lists) written as null rather than "".
        bool emptyTextIsNull = false;
        /// Nulls set explicitly (GeoJSON writes "key": null); otherwise left unset (GeoJSON
        /// leaves the key out; the other formats store null either way).
        bool explicitNulls = true;
        /// Drop features without geometry and note how many (GDAL 3.6's FlatGeobuf driver
        /// drops them silently).
        bool skipWithoutGeometry = false;
        /// The note that explains dropped features (after "<layer>: <n> features without geometry").
        std::string skippedNote;
        /// The path errors name (the target, not a staging path).
        std::string target;
    };

    /// Creates the fields on `layer`; throws Error when the driver refuses one or renames it.
    /// Notes (cut values, dropped features) are appended to `notes` when given.
    FeatureWriter(OGRLayer& layer, std::vector<FieldInfo> fields, Options options,
                  std::vector<std::string>* notes = nullptr);

    /// Writes one feature with these values (in field order) and geometry (may be null).
    void write(const std::vector<FieldValue>& values, std::unique_ptr<OGRGeometry> geometry = nullptr);

    /// Features written so far; adds the note on dropped features once.
    long long written();

    /// The name a field has in this layer.
    std::string nameOf(const FieldInfo& f) const { return columnName(f, options_); }
    /// The name a field has in a layer written with `options`.
    static std::string columnName(const FieldInfo& f, const Options& options);

private:
    void set(OGRFeature& feature, int i, const FieldValue& value);
    void setNull(OGRFeature& feature, int i) const {
        if (options_.explicitNulls) feature.SetFieldNull(i);
    }

    OGRLayer& layer_;
    std::vector<FieldInfo> fields_;
    Options options_;
    std::vector<std::string>* notes_;
    long long written_ = 0;
    long long skipped_ = 0;
};

/// True for the GDAL drivers whose files open in a spreadsheet (CSV, XLSX, ODS).
bool isSpreadsheetDriver(const GDALDataset& ds);

/// Creates a layer; throws Error naming target and layer with GDAL's reason on failure.
/// GDAL's messages are read back, not printed (a scoped quiet handler). `srs` and
/// `options` not const: GDAL 3.6 takes a non-const pointer and char**.
OGRLayer& createLayer(GDALDataset& ds, const std::string& target, const std::string& name, OGRSpatialReference* srs,
                      OGRwkbGeometryType geometry, CPLStringList options);

}  // namespace hubmap
