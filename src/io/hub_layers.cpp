#include "io/hub_layers.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/error.hpp"
#include "io/geocode.hpp"
#include "io/hubs.hpp"
#include "io/import.hpp"
#include "io/spatialite.hpp"

namespace fs = std::filesystem;

namespace hubmap {

long long loadBuiltinHubLayers(Database& db, const std::string& geodataDir, std::vector<std::string>& notes) {
    const fs::path dir = fs::path(geodataDir) / "hubs";
    std::vector<fs::path> files;
    if (fs::is_directory(dir)) {
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (entry.is_regular_file() && entry.path().extension() == ".csv") files.push_back(entry.path());
        }
    }
    if (files.empty()) {
        notes.push_back(fmt::format("no hub layers: {} holds no .csv file", dir.string()));
        return 0;
    }
    std::sort(files.begin(), files.end());

    Geocoder geocoder(db);
    Progress quiet;  // init reports the step; the per-file reading needs no lines of its own
    long long total = 0;
    for (const auto& file : files) {
        ImportOptions options;
        options.file = file.string();
        options.curatedLayout = true;
        options.encoding = "utf-8";
        options.sourceName = "builtin:" + file.filename().string();
        HubBatch batch = readHubSource(db, geocoder, options, quiet);
        if (!batch.rejected.empty()) throwRejected(options, batch);
        if (batch.hubs.empty() && batch.unplaceable.empty())
            throw Error(ErrorContext{options.file, {}, -1, -1}, "contains no rows");
        insertHubs(db, batch.hubs);
        total += static_cast<long long>(batch.hubs.size());

        std::string counts;
        for (const char* p : {"exact", "settlement", "municipality", "prefecture"}) {
            if (auto it = batch.report.byPrecision.find(p); it != batch.report.byPrecision.end()) {
                counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", it->second, p);
            }
        }
        notes.push_back(fmt::format("hubs/{}: {} rows ({})", file.filename().string(), batch.hubs.size(), counts));
        for (const auto& n : batch.report.notes) notes.push_back("  " + n);
        if (!batch.unplaceable.empty()) {
            std::string ids;
            for (const auto& id : batch.unplaceable) ids += (ids.empty() ? "" : ", ") + id;
            notes.push_back(fmt::format("  {} rows name no place in their source and are not loaded: {}",
                                        batch.unplaceable.size(), ids));
        }
    }
    return total;
}

}  // namespace hubmap
