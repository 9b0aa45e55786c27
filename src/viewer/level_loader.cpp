#include "viewer/level_loader.hpp"

#include <chrono>

#include "io/spatialite.hpp"
#include "io/store.hpp"

namespace hubmap::viewer {

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

}  // namespace

LevelLoader::LevelLoader(const std::optional<std::string>& db) {
    // One job: the data, then at once the geometry, whether or not the UI thread is
    // ready for the data yet (it may still be opening the window). The promise hands
    // the data over half way.
    std::promise<void> loaded;
    dataLoaded_ = loaded.get_future();
    loading_.start([this, db, loaded = std::move(loaded)](TaskProgress& progress) mutable {
        try {
            dbPath_ = resolveDatabase(db, progress);
            const auto t0 = Clock::now();
            LoadOptions load;  // settlements too: the query counts them
            data_ = std::make_unique<Dataset>(loadDataset(dbPath_, load));
            loadMs_ = msSince(t0);
        } catch (...) {
            loaded.set_exception(std::current_exception());
            throw;
        }
        loaded.set_value();
        progress.checkCancelled();  // the viewer failed to start: no geometry needed
        const Dataset& data = *data_;
        const auto t0 = Clock::now();
        auto map = std::make_unique<MapData>();
        map->projection = std::make_unique<MapProjection>();
        map->index = buildMapIndex(data);
        // The coarsest level now, for the first frame; the finer ones after it.
        map->coarsest = std::make_unique<MapLevel>(buildMapLevel(data, kLevelTolerancesDeg[0]));
        map->hubs = buildHubPoints(data, *map->projection);
        map->hubLevels = buildHubLevels(map->hubs);
        map->locator = std::make_unique<MunicipalityLocator>(data);
        map->search = std::make_unique<MunicipalitySearch>(data, embeddedReadings());
        map->geometryMs = msSince(t0);
        return map;
    });
}

const Dataset& LevelLoader::waitForData() {
    dataLoaded_.get();
    return *data_;
}

void LevelLoader::waitForMap() { map_ = loading_.wait(); }

void LevelLoader::startFinerLevels() {
    if (!level_.active()) startNextLevel();
}

void LevelLoader::reloadHubs() {
    {
        const Database db(dbPath_, Database::Mode::ReadOnly);
        data_->hubs = readHubs(db);
    }
    map_->hubs = buildHubPoints(*data_, *map_->projection);
    map_->hubLevels = buildHubLevels(map_->hubs);
}

void LevelLoader::startPlaceNames() {
    if (placeNames_ || placeNamesTask_.active()) return;
    const Dataset* data = data_.get();
    placeNamesTask_.start([data](TaskProgress& progress) {
        progress.checkCancelled();
        const MapProjection projection;  // PROJ objects are per thread
        return std::make_unique<PlaceNameIndex>(*data, projection);
    });
}

const PlaceNameIndex* LevelLoader::placeNames() {
    startPlaceNames();
    if (!placeNames_) {
        if (auto built = placeNamesTask_.take()) placeNames_ = std::move(*built);
    }
    return placeNames_.get();
}

const PlaceNameIndex& LevelLoader::waitForPlaceNames() {
    startPlaceNames();
    if (!placeNames_) placeNames_ = placeNamesTask_.wait();
    return *placeNames_;
}

void LevelLoader::startNextLevel() {
    for (std::size_t i = 0; i < kLevels; ++i) {
        if (!started_[i]) return startLevel(i);
    }
}

void LevelLoader::startLevel(std::size_t index) {
    started_[index] = true;
    const double tolerance = kLevelTolerancesDeg[index];
    const Dataset* data = data_.get();
    level_.start([data, tolerance](TaskProgress& progress) {
        progress.checkCancelled();  // the viewer is closing
        return std::make_unique<MapLevel>(buildMapLevel(*data, tolerance, 1));
    });
}

std::vector<std::unique_ptr<MapLevel>> LevelLoader::takeLevels() {
    std::vector<std::unique_ptr<MapLevel>> ready;
    if (map_ && map_->coarsest) ready.push_back(std::move(map_->coarsest));
    if (std::optional<std::unique_ptr<MapLevel>> level = level_.take()) {
        ready.push_back(std::move(*level));
        startNextLevel();
    }
    levelsTaken_ += ready.size();
    return ready;
}

std::vector<std::unique_ptr<MapLevel>> LevelLoader::waitForLevel(std::size_t index) {
    std::vector<std::unique_ptr<MapLevel>> ready;
    if (map_ && map_->coarsest) ready.push_back(std::move(map_->coarsest));
    if (level_.active()) ready.push_back(level_.wait());  // one already under way
    if (!started_[index]) {
        startLevel(index);
        ready.push_back(level_.wait());
    }
    levelsTaken_ += ready.size();
    return ready;
}

std::vector<std::unique_ptr<MapLevel>> LevelLoader::waitForAllLevels() {
    std::vector<std::unique_ptr<MapLevel>> ready = takeLevels();
    startFinerLevels();
    while (level_.active()) {
        ready.push_back(level_.wait());
        ++levelsTaken_;
        startNextLevel();
    }
    return ready;
}

}  // namespace hubmap::viewer
