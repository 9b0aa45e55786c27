#pragma once
// A copy of the national database whose hubs table holds exactly the fixture hubs of
// tests/data/coverage/hubs_fixture.csv (read with GDAL, written with insertHubs), so the
// golden numbers do not depend on the curated hub layers.

#include <filesystem>
#include <string>

#include "core/model.hpp"
#include "io/gdal.hpp"
#include "io/hubs.hpp"
#include "io/spatialite.hpp"
#include "test_config.hpp"

namespace hubmap::test {

/// Path of the fixture CSV.
inline std::string fixtureHubsCsv() { return std::string(kTestDataDir) + "/coverage/hubs_fixture.csv"; }

/// Copies the national database to `path` (replacing it) and loads the fixture hubs into it.
inline void makeFixtureHubsDb(const std::string& path) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::filesystem::copy_file(kNationalDb, path, std::filesystem::copy_options::overwrite_existing);
    std::vector<Hub> hubs;
    {
        GdalDatasetPtr csv = openVector(fixtureHubsCsv(), {}, {"CSV"});
        OGRLayer* layer = csv->GetLayer(0);
        for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
            Hub h;
            h.id = fieldText(*f, "id");
            h.kind = fieldText(*f, "kind");
            h.name = fieldText(*f, "name");
            h.prefecture = fieldText(*f, "prefecture");
            h.code = fieldText(*f, "code");
            const std::string lon = fieldText(*f, "lon"), lat = fieldText(*f, "lat");
            if (!lon.empty()) h.lon = std::stod(lon);  // the C locale: test_main never changes it
            if (!lat.empty()) h.lat = std::stod(lat);
            h.precision = fieldText(*f, "precision");
            h.editDetails().opened = fieldText(*f, "opened");
            h.source = "tests/data/coverage/hubs_fixture.csv";
            h.importSource = "fixture";
            hubs.push_back(std::move(h));
        }
    }
    Database db(path, Database::Mode::ReadWrite);
    Transaction tx(db);
    db.exec("DELETE FROM hubs");
    insertHubs(db, hubs);
    tx.commit();
}

}  // namespace hubmap::test
