#pragma once
// RAII over GDAL/OGR handles, and opening vector sources with errors that name the file.

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <memory>
#include <string>
#include <vector>

#include "core/geos.hpp"

namespace hubmap {

struct GdalDatasetCloser {
    void operator()(GDALDataset* ds) const {
        if (ds) GDALClose(ds);
    }
};
struct OgrFeatureDeleter {
    void operator()(OGRFeature* f) const { OGRFeature::DestroyFeature(f); }
};
using GdalDatasetPtr = std::unique_ptr<GDALDataset, GdalDatasetCloser>;
using OgrFeaturePtr = std::unique_ptr<OGRFeature, OgrFeatureDeleter>;

/// Registers GDAL drivers once; safe to call from anywhere. Sets no error handler: each
/// caller keeps GDAL quiet where it works with a GdalErrorScope.
void gdalInit();

/// For its lifetime, GDAL errors and warnings raised on this thread go to no handler (they
/// are read back and reported with context instead of printed); the error state is reset
/// on entry. GDAL's handler stack is per thread, so worker threads (the viewer's export)
/// need their own scope. Nests: a failure raised inside an inner scope is recorded by every
/// enclosing scope too, so a caller sees what a helper it calls trapped (GDAL may open a
/// file yet report a failure, e.g. a GeoJSON CRS PROJ does not know).
class GdalErrorScope {
public:
    GdalErrorScope();
    ~GdalErrorScope();
    GdalErrorScope(const GdalErrorScope&) = delete;
    GdalErrorScope& operator=(const GdalErrorScope&) = delete;

    /// The last error's message, or `fallback` when there is none.
    std::string message(const std::string& fallback = "unknown GDAL error") const;
    /// Whether a failure (CE_Failure or CE_Fatal) was raised since the scope began or the last reset.
    bool failed() const { return CPLGetLastErrorType() >= CE_Failure; }
    void reset() const { CPLErrorReset(); }
    /// The first failure's message raised in this scope (or one nested in it) since it began or
    /// the last clearFailure(); "" when none.
    const std::string& firstFailure() const { return firstFailure_; }
    void clearFailure() { firstFailure_.clear(); }

private:
    static void CPL_STDCALL handle(CPLErr level, CPLErrorNum number, const char* message);
    GdalErrorScope* outer_;
    std::string firstFailure_;
};

/// The sheet hubmap adds to every workbook it writes (report/table_output): one row per column
/// of the other sheets, headed first by kLegendSheetColumn. Import skips it when it chooses the
/// sheet to read, so a workbook hubmap wrote imports back without --sheet.
inline constexpr const char* kLegendSheet = "legend";
inline constexpr const char* kLegendSheetColumn = "シート (sheet)";

/// A list of KEY=VALUE options as GDAL takes them.
CPLStringList gdalOptions(const std::vector<std::string>& options);

/// The GDAL path for a file: "/vsigzip/" prefixed for .gz files.
std::string gdalPath(const std::string& file);

/// Opens a vector dataset read-only; throws Error naming the file and GDAL's reason.
/// `openOptions` are KEY=VALUE strings; `drivers` restricts the drivers tried (empty: all).
GdalDatasetPtr openVector(const std::string& file, const std::vector<std::string>& openOptions = {},
                          const std::vector<std::string>& drivers = {});

/// GDAL's last error message, or `fallback` when there is none.
std::string gdalLastError(const std::string& fallback = "unknown GDAL error");

/// A field of a feature as UTF-8 text ("" when unset or null).
std::string fieldText(const OGRFeature& f, const char* name);

/// A GEOS geometry as an OGR geometry (through ISO WKB); throws Error if GDAL cannot read it.
std::unique_ptr<OGRGeometry> ogrFromGeos(const GeosContext& ctx, const GEOSGeometry* g);

/// An OGR geometry as a GEOS geometry on `ctx` (through ISO WKB).
GeomPtr geosFromOgr(const GeosContext& ctx, const OGRGeometry& g);

/// Writes a table of text as a UTF-8 CSV file with GDAL's CSV driver (`path` may be
/// /vsistdout/). Empty cells are left empty; quoting only where needed. Throws Error naming
/// the path (and the row) on failure. Cells that would start a spreadsheet formula are
/// written with a leading ' (core/spreadsheet.hpp spreadsheetSafe), except plain numbers in
/// the columns named in `numericColumns`.
void writeTextCsv(const std::string& path, const std::vector<std::string>& columns,
                  const std::vector<std::vector<std::string>>& rows,
                  const std::vector<std::string>& numericColumns = {});

}  // namespace hubmap
