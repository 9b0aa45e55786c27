#include "viewer/import_controller.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "io/geocode.hpp"
#include "io/spatialite.hpp"

namespace hubmap::viewer {

bool isImportableFile(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* e : {".csv", ".xlsx", ".ods", ".geojson", ".json", ".gpkg", ".shp"}) {
        if (ext == e) return true;
    }
    return false;
}

std::string kindFromFileName(const std::string& path) {
    std::string kind;
    for (unsigned char c : std::filesystem::path(path).stem().string()) {
        const bool ok = std::isalnum(c) && c < 0x80;
        const char out = ok ? static_cast<char>(std::tolower(c)) : '_';
        if (out == '_' && (kind.empty() || kind.back() == '_')) continue;  // no leading or doubled '_'
        kind += out;
    }
    while (!kind.empty() && kind.back() == '_') kind.pop_back();
    if (kind.empty() || !std::isalpha(static_cast<unsigned char>(kind[0])))
        kind = "imported" + (kind.empty() ? "" : "_" + kind);
    return kind;
}

void ImportController::open(const std::string& file) {
    if (busy()) return;
    options_ = ImportOptions{};
    options_.file = file;
    options_.kind = kindFromFileName(file);
    // Beside the dropped file, not in whatever folder the viewer was started from.
    const std::filesystem::path p(file);
    options_.rejectsFile = (p.parent_path() / (p.stem().string() + ".rejects.csv")).string();
    preview_.reset();
    report_.reset();
    message_ = fmt::format("Reading {}…", p.filename().string());
    stage_ = Stage::Reading;
    reading_.start([db = dbPath_, options = options_](TaskProgress& progress) {
        const Database database(db, Database::Mode::ReadOnly);
        Geocoder geocoder(database);
        ImportOptions readOptions = options;
        readOptions.skipInvalid = true;  // the preview lists the bad rows rather than stopping at the first
        HubBatch batch = readHubSource(database, geocoder, readOptions, progress);
        DropPreview preview;
        preview.columns = std::move(batch.fieldNames);
        preview.report = std::move(batch.report);
        preview.placed = batch.hubs.size();
        preview.rejectedCount = batch.rejected.size();
        for (std::size_t i = 0; i < batch.rejected.size() && i < 10; ++i)
            preview.firstRejected.push_back(batch.rejected[i]);
        return preview;
    });
}

void ImportController::startImport() {
    if (stage_ != Stage::Preview) return;
    message_ = fmt::format("Importing {} as kind {}…", std::filesystem::path(options_.file).filename().string(),
                           options_.kind);
    stage_ = Stage::Importing;
    ImportOptions options = options_;
    if (!options.skipInvalid) options.rejectsFile.clear();  // a rejects file goes with skipping only
    importing_.start([db = dbPath_, options](TaskProgress& progress) { return importHubs(db, options, progress); });
}

void ImportController::finishImport(ImportReport report) {
    report_ = std::move(report);
    imported_ = report_->imported > 0;
    stage_ = Stage::Done;
    message_ = fmt::format("Imported {} of {} rows as import source '{}' in {:.1f} s.", report_->imported,
                           report_->rowsRead, report_->sourceName, report_->seconds);
}

void ImportController::poll() {
    try {
        if (auto p = reading_.take()) {
            preview_ = std::move(*p);
            stage_ = Stage::Preview;
            message_.clear();
        }
    } catch (const std::exception& e) {
        stage_ = Stage::Failed;
        message_ = e.what();
    }
    try {
        if (auto r = importing_.take()) finishImport(std::move(*r));
    } catch (const std::exception& e) {
        stage_ = Stage::Failed;
        message_ = e.what();
    }
}

void ImportController::wait() {
    try {
        if (reading_.active()) {
            preview_ = reading_.wait();
            stage_ = Stage::Preview;
            message_.clear();
        }
        if (importing_.active()) finishImport(importing_.wait());
    } catch (const std::exception& e) {
        stage_ = Stage::Failed;
        message_ = e.what();
    }
}

void ImportController::close() {
    if (busy()) return;
    stage_ = Stage::Idle;
    preview_.reset();
    report_.reset();
    message_.clear();
}

bool ImportController::takeImported() { return std::exchange(imported_, false); }

}  // namespace hubmap::viewer
