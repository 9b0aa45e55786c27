#include "io/gdal.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>

#include <algorithm>
#include <filesystem>
#include <mutex>

#include "core/error.hpp"
#include "core/names.hpp"
#include "core/spreadsheet.hpp"

namespace hubmap {

void gdalInit() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        // /vsigzip/ leaves a .properties file beside a .gz it seeks in (the TopoJSON driver does):
        // that would change geodata/, and with it the fingerprint that triggers rebuilds.
        CPLSetConfigOption("CPL_VSIL_GZIP_WRITE_PROPERTIES", "NO");
    });
}

namespace {
/// The innermost GdalErrorScope of this thread (GDAL's handler stack is per thread too).
thread_local GdalErrorScope* innermostScope = nullptr;
}  // namespace

GdalErrorScope::GdalErrorScope() : outer_(innermostScope) {
    CPLPushErrorHandler(&GdalErrorScope::handle);
    innermostScope = this;
    CPLErrorReset();
}

GdalErrorScope::~GdalErrorScope() {
    innermostScope = outer_;
    CPLPopErrorHandler();
}

void CPL_STDCALL GdalErrorScope::handle(CPLErr level, CPLErrorNum, const char* message) {
    if (level < CE_Failure) return;
    for (GdalErrorScope* scope = innermostScope; scope; scope = scope->outer_) {
        if (scope->firstFailure_.empty()) scope->firstFailure_ = message && *message ? message : "GDAL error";
    }
}

std::string GdalErrorScope::message(const std::string& fallback) const { return gdalLastError(fallback); }

CPLStringList gdalOptions(const std::vector<std::string>& options) {
    CPLStringList list;
    for (const auto& o : options) list.AddString(o.c_str());
    return list;
}

std::string gdalPath(const std::string& file) {
    if (endsWith(file, ".gz") && !startsWith(file, "/vsi")) return "/vsigzip/" + file;
    return file;
}

std::string gdalLastError(const std::string& fallback) {
    const char* msg = CPLGetLastErrorMsg();
    return (msg && *msg) ? std::string(msg) : fallback;
}

GdalDatasetPtr openVector(const std::string& file, const std::vector<std::string>& openOptions,
                          const std::vector<std::string>& drivers) {
    gdalInit();
    const GdalErrorScope errors;
    const CPLStringList opts = gdalOptions(openOptions), drv = gdalOptions(drivers);
    GDALDataset* ds = GDALDataset::Open(gdalPath(file).c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                        drivers.empty() ? nullptr : drv.List(), opts.List(), nullptr);
    if (!ds) {
        throw Error(ErrorContext{file, {}, -1, -1},
                    "cannot open as a vector file: " +
                        errors.message(std::filesystem::exists(file)
                                           ? "no GDAL driver recognises it (not a vector format, or damaged)"
                                           : "it does not exist"));
    }
    return GdalDatasetPtr(ds);
}

std::unique_ptr<OGRGeometry> ogrFromGeos(const GeosContext& ctx, const GEOSGeometry* g) {
    const std::vector<unsigned char> wkb = geomToWKB(ctx, g);
    OGRGeometry* out = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &out, wkb.size()) != OGRERR_NONE || !out) {
        throw Error("GDAL cannot read a geometry from GEOS WKB");
    }
    return std::unique_ptr<OGRGeometry>(out);
}

GeomPtr geosFromOgr(const GeosContext& ctx, const OGRGeometry& g) {
    std::vector<unsigned char> wkb(static_cast<size_t>(g.WkbSize()));
    g.exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
    return geomFromWKB(ctx, wkb.data(), wkb.size());
}

void writeTextCsv(const std::string& path, const std::vector<std::string>& columns,
                  const std::vector<std::vector<std::string>>& rows, const std::vector<std::string>& numericColumns) {
    gdalInit();
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("CSV");
    if (!driver) throw Error(ErrorContext{path, {}, -1, -1}, "GDAL has no CSV driver");
    // GDAL's message for a missing folder ("against a non-directory datasource") says nothing useful.
    const std::string folder = CPLGetPath(path.c_str());
    if (!startsWith(path, "/vsi") && !folder.empty() && !std::filesystem::is_directory(folder)) {
        throw Error(ErrorContext{path, {}, -1, -1}, "cannot create: the folder " + folder + " does not exist");
    }
    const GdalErrorScope errors;
    GdalDatasetPtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) throw Error(ErrorContext{path, {}, -1, -1}, "cannot create: " + gdalLastError());
    CPLStringList layerOptions = gdalOptions({"STRING_QUOTING=IF_NEEDED"});  // GDAL 3.6 takes char**
    const std::string name = CPLGetBasename(path.c_str());
    OGRLayer* layer = ds->CreateLayer(name.empty() ? "data" : name.c_str(), nullptr, wkbNone, layerOptions.List());
    if (!layer) throw Error(ErrorContext{path, {}, -1, -1}, "cannot create the CSV layer: " + gdalLastError());
    for (const auto& column : columns) {
        OGRFieldDefn field(column.c_str(), OFTString);
        if (layer->CreateField(&field) != OGRERR_NONE) {
            throw Error(ErrorContext{path, {}, -1, -1}, "cannot create column " + column + ": " + gdalLastError());
        }
    }
    std::vector<bool> numeric(columns.size());
    for (size_t i = 0; i < columns.size(); ++i) {
        numeric[i] = std::find(numericColumns.begin(), numericColumns.end(), columns[i]) != numericColumns.end();
    }
    long long row = 0;
    for (const auto& cells : rows) {
        ++row;
        OgrFeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (size_t i = 0; i < cells.size() && i < columns.size(); ++i) {
            // Formula-like text gets a leading ' (core/spreadsheet.hpp): these files open in Excel.
            if (!cells[i].empty()) f->SetField(static_cast<int>(i), spreadsheetSafe(cells[i], numeric[i]).c_str());
        }
        if (layer->CreateFeature(f.get()) != OGRERR_NONE) {
            throw Error(ErrorContext{path, {}, -1, row}, "cannot write: " + gdalLastError());
        }
    }
    errors.reset();
    ds.reset();  // closing flushes; GDAL 3.6 reports a failed flush only through its error state
    if (errors.failed()) throw Error(ErrorContext{path, {}, -1, -1}, "cannot write: " + gdalLastError());
}

std::string fieldText(const OGRFeature& f, const char* name) {
    const int i = f.GetFieldIndex(name);
    if (i < 0 || !f.IsFieldSetAndNotNull(i)) return {};
    return f.GetFieldAsString(i);
}

}  // namespace hubmap
