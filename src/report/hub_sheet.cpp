#include "report/hub_sheet.hpp"

#include <unordered_map>

#include "io/geocode.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"
#include "report/feature_writer.hpp"
#include "report/fields.hpp"

namespace hubmap {

long long writeHubsSheet(TableFile& file, const Database& db, const std::vector<Hub>& hubs) {
    const std::vector<Municipality> municipalities = readMunicipalities(db, nullptr);
    std::unordered_map<std::string, const Municipality*> byCode;
    for (const Municipality& m : municipalities) byCode.emplace(m.code, &m);
    Geocoder geocoder(db);

    const FeatureWriter::Options options = file.writerOptions();
    OGRLayer& layer = createLayer(file.dataset(), options.target, "hubs", nullptr, wkbNone, CPLStringList());
    const std::vector<FieldInfo> fields = fieldInfos(hubFields(), kOutExport);
    long long n = 0;
    {
        FeatureWriter writer(layer, fields, options);
        for (const Hub& h : hubs) {
            // As coverage: a hub without a point is located nowhere and contradicts nothing; one
            // outside every polygon contradicts the code it states.
            const Municipality* locatedIn = nullptr;
            bool mismatch = false;
            if (h.lon && h.lat) {
                const PointLocation at = geocoder.locate(*h.lon, *h.lat, h.code);
                if (const auto it = byCode.find(at.code); it != byCode.end()) locatedIn = it->second;
                mismatch = !h.code.empty() && h.code != at.code;
            }
            writer.write(fieldValues(hubFields(), kOutExport, HubRow{h, mismatch, locatedIn}));
        }
        n = writer.written();
    }
    file.describeSheet("hubs", fields);
    file.finish();
    return n;
}

}  // namespace hubmap
