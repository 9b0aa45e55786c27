#pragma once
// hubmap-viewer's startup data, off the UI thread: the database loads while the window
// opens; the geometry of the first frame (the coarsest level of detail, hubs, bounds and
// labels, hit-testing, search) is built while the fonts are; the finer levels of detail
// follow one at a time after the first frame. No GL: the renderer uploads what this builds.

#include <array>
#include <cstddef>
#include <future>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/model.hpp"
#include "viewer/background_task.hpp"
#include "viewer/hit_test.hpp"
#include "viewer/map_geometry.hpp"
#include "viewer/map_projection.hpp"
#include "viewer/place_names.hpp"
#include "viewer/search.hpp"

namespace hubmap::viewer {

/// What the first frame needs besides the data.
struct MapData {
    std::unique_ptr<MapProjection> projection;
    MapIndex index;
    std::unique_ptr<MapLevel> coarsest;  ///< kLevelTolerancesDeg[0]; taken by takeLevels()
    HubPoints hubs;
    std::vector<HubLevel> hubLevels;  ///< taken by takeHubLevels()
    std::unique_ptr<MunicipalityLocator> locator;
    std::unique_ptr<MunicipalitySearch> search;
    double geometryMs = 0;
};

class LevelLoader {
public:
    /// Levels of detail in all (kLevelTolerancesDeg).
    static constexpr std::size_t kLevels = std::size(kLevelTolerancesDeg);

    /// Starts loading the database (`db`, else the default one, built on first use) on
    /// a background thread.
    explicit LevelLoader(const std::optional<std::string>& db);
    LevelLoader(const LevelLoader&) = delete;
    LevelLoader& operator=(const LevelLoader&) = delete;

    /// Blocks until the data is loaded (rethrowing the load's error); the background
    /// thread goes on to build the first frame's geometry. Call once.
    const Dataset& waitForData();
    /// Blocks until the first frame's geometry is built (rethrowing its error). After waitForData.
    void waitForMap();
    /// Starts building the finer levels not started yet, one after another on one thread:
    /// the UI thread and the coverage query need the other core. One job per level, the
    /// next started when the frame loop takes the last (a frame at most later), so no queue
    /// is shared with the thread. After waitForMap.
    void startFinerLevels();

    /// Levels built and not taken yet, coarse to fine (the coarsest, built with the map,
    /// first). Does not block; rethrows a level's build error. Taking a level starts the next.
    std::vector<std::unique_ptr<MapLevel>> takeLevels();
    /// Blocks until every level is built; returns those not taken yet, coarse to fine.
    std::vector<std::unique_ptr<MapLevel>> waitForAllLevels();
    /// Blocks until level `index` (of kLevelTolerancesDeg) is built, building it next and
    /// none of the others not started yet; returns the levels not taken yet. For scripted
    /// runs: a view draws the level levelIndexFor names whether or not the others are there
    /// (the renderer picks the coarsest that fits), so its picture is the one all levels
    /// give, for a fraction of the CPU (the finest levels cost the most).
    std::vector<std::unique_ptr<MapLevel>> waitForLevel(std::size_t index);
    std::size_t levelsTaken() const { return levelsTaken_; }
    bool allLevelsTaken() const { return levelsTaken_ == kLevels; }

    /// The 大字 names' index, built on a thread of its own when first asked for (a few hundred
    /// ms of CPU: only views zoomed in past kPlaceNameMinZoom and prints need it). Null until
    /// it is ready; does not block. After waitForData.
    const PlaceNameIndex* placeNames();
    /// Blocks until the 大字 names' index is built (scripted runs that show or print them).
    const PlaceNameIndex& waitForPlaceNames();

    /// Reads the hubs table again (after an import wrote to the database) into the data, and
    /// rebuilds the hub points and their levels (taken again by takeHubLevels). Nothing
    /// else may read the data meanwhile: the caller stops the query and export first.
    void reloadHubs();

    /// The hub levels, moved out once for the renderer's upload.
    std::vector<HubLevel> takeHubLevels() { return std::move(map_->hubLevels); }

    // After waitForData:
    const std::string& dbPath() const { return dbPath_; }
    const Dataset& data() const { return *data_; }
    const std::string& databasePath() const { return dbPath_; }
    double loadMs() const { return loadMs_; }
    // After waitForMap:
    const MapProjection& projection() const { return *map_->projection; }
    const MapIndex& index() const { return map_->index; }
    const HubPoints& hubs() const { return map_->hubs; }
    const MunicipalityLocator& locator() const { return *map_->locator; }
    const MunicipalitySearch& search() const { return *map_->search; }
    double geometryMs() const { return map_->geometryMs; }

private:
    void startNextLevel();
    void startLevel(std::size_t index);
    void startPlaceNames();

    // Written by the loading job before it fulfils dataLoaded_; read after.
    std::string dbPath_;
    std::unique_ptr<Dataset> data_;
    double loadMs_ = 0;
    std::future<void> dataLoaded_;
    std::unique_ptr<MapData> map_;
    std::array<bool, kLevels> started_{{true}};  // the coarsest is built with the map
    std::size_t levelsTaken_ = 0;
    std::unique_ptr<PlaceNameIndex> placeNames_;
    // Last: destroyed (cancelled and joined) before the data their jobs read and write.
    BackgroundTask<std::unique_ptr<MapData>> loading_;
    BackgroundTask<std::unique_ptr<MapLevel>> level_;
    BackgroundTask<std::unique_ptr<PlaceNameIndex>> placeNamesTask_;
};

}  // namespace hubmap::viewer
