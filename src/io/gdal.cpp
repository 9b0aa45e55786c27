#include "io/gdal.hpp"

#include <cpl_error.h>

#include <mutex>

#include "core/error.hpp"
#include "core/names.hpp"

namespace hubmap {

void gdalInit() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        // Quiet: errors are read back with CPLGetLastErrorMsg and reported with context.
        CPLSetErrorHandler(CPLQuietErrorHandler);
    });
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
    CPLErrorReset();
    std::vector<const char*> opts, drv;
    for (const auto& o : openOptions) opts.push_back(o.c_str());
    opts.push_back(nullptr);
    for (const auto& d : drivers) drv.push_back(d.c_str());
    drv.push_back(nullptr);
    GDALDataset* ds = GDALDataset::Open(gdalPath(file).c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                        drivers.empty() ? nullptr : drv.data(), opts.data(), nullptr);
    if (!ds) {
        throw Error(ErrorContext{file, {}, -1, -1},
                    "cannot open as a vector file: " + gdalLastError("no driver recognises it or it does not exist"));
    }
    return GdalDatasetPtr(ds);
}

std::string fieldText(const OGRFeature& f, const char* name) {
    const int i = f.GetFieldIndex(name);
    if (i < 0 || !f.IsFieldSetAndNotNull(i)) return {};
    return f.GetFieldAsString(i);
}

}  // namespace hubmap
