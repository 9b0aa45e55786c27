#include "analysis/coverage_layers.hpp"

#include <fmt/format.h>
#include <ogr_spatialref.h>

#include <memory>
#include <type_traits>

#include "core/error.hpp"
#include "io/gdal.hpp"

namespace hubmap {

namespace {

struct FieldSpec {
    const char* name;
    OGRFieldType type;
    OGRFieldSubType subtype = OFSTNone;
};

// The same names and order as the JSON objects (coverage_json.cpp); lists become '|'-joined text.
const std::vector<FieldSpec> kMunicipalityFields = {
    {"code", OFTString},
    {"prefecture_code", OFTInteger},
    {"prefecture", OFTString},
    {"name", OFTString},
    {"designation", OFTString},
    {"designation_ja", OFTString},
    {"partial", OFTInteger, OFSTBoolean},
    {"former_municipalities", OFTString},
    {"designation_incomplete", OFTInteger, OFSTBoolean},
    {"area_km2", OFTReal},
    {"hubs", OFTInteger},
    {"hub_ids", OFTString},
    {"covered", OFTInteger, OFSTBoolean},
    {"covered_km2", OFTReal},
    {"covered_share", OFTReal},
    {"settlements", OFTInteger64},
    {"settlements_covered", OFTInteger64},
};

const std::vector<FieldSpec> kTotalsFields = {
    {"code", OFTInteger},
    {"name", OFTString},
    {"designated", OFTInteger},
    {"covered", OFTInteger},
    {"covered_municipality_share", OFTReal},
    {"hubs", OFTInteger},
    {"prefecture_only_hubs", OFTInteger},
    {"designated_km2", OFTReal},
    {"covered_km2", OFTReal},
    {"covered_share", OFTReal},
    {"settlements", OFTInteger64},
    {"settlements_covered", OFTInteger64},
    {"settlement_share", OFTReal},
    {"uncovered", OFTString},
    {"uncovered_names", OFTString},
};

const std::vector<FieldSpec>& fieldsFor(const std::string& by) {
    if (by == "municipality") return kMunicipalityFields;
    if (by == "prefecture" || by == "nation") return kTotalsFields;
    throw UsageError(fmt::format("unknown grouping '{}' (expected municipality, prefecture or nation)", by));
}

/// Sets a feature's fields in the order of its layer's definition.
class FieldWriter {
public:
    explicit FieldWriter(OGRFeature& f) : f_(f) {}
    FieldWriter& text(const std::string& v) {
        f_.SetField(i_++, v.c_str());
        return *this;
    }
    FieldWriter& integer(long long v) {
        f_.SetField(i_++, static_cast<GIntBig>(v));
        return *this;
    }
    FieldWriter& boolean(bool v) { return integer(v ? 1 : 0); }
    FieldWriter& real(double v) {
        f_.SetField(i_++, v);
        return *this;
    }
    template <class T>
    FieldWriter& optional(const std::optional<T>& v) {
        if (!v) {
            f_.SetFieldNull(i_++);
            return *this;
        }
        if constexpr (std::is_floating_point_v<T>) {
            return real(*v);
        } else {
            return integer(*v);
        }
    }

private:
    OGRFeature& f_;
    int i_ = 0;
};

std::string joinBar(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : "|") + s;
    return out;
}

void writeTotals(FieldWriter& w, const Dataset& data, std::optional<int> code, const std::string& name,
                 const CoverageTotals& t) {
    std::vector<std::string> names;
    for (const auto& c : t.uncoveredCodes) {
        const int i = data.municipalityIndex(c);
        names.push_back(i >= 0 ? data.municipalities[static_cast<size_t>(i)].name : std::string());
    }
    w.optional(code).text(name).integer(t.designated).integer(t.covered);
    w.optional(t.designated > 0 ? std::optional<double>(static_cast<double>(t.covered) / t.designated) : std::nullopt);
    w.integer(t.hubs).integer(t.prefectureOnlyHubs).real(t.designatedKm2);
    w.optional(t.coveredKm2).optional(t.coveredShare).optional(t.settlements).optional(t.settlementsCovered);
    w.optional(t.settlementShare).text(joinBar(t.uncoveredCodes)).text(joinBar(names));
}

}  // namespace

std::vector<std::string> coverageLayerFields(const std::string& by) {
    std::vector<std::string> names;
    for (const auto& f : fieldsFor(by)) names.emplace_back(f.name);
    return names;
}

long long writeCoverageLayer(GDALDataset& out, const std::string& layerName, const Dataset& data,
                             const CoverageResult& result, const CoverageLayerOptions& options) {
    const std::vector<FieldSpec>& fields = fieldsFor(options.by);
    const bool geometry = options.geometry && options.by != "nation";
    if (geometry && options.by == "prefecture") {
        for (const auto& p : result.prefectures) {
            const int i = data.prefectureIndex(std::to_string(p.code));
            if (i < 0 || !data.prefectures[static_cast<size_t>(i)].geom) {
                throw Error("prefecture polygons were not loaded (LoadOptions::prefectureGeometry)");
            }
        }
    }
    const ErrorContext where{out.GetDescription(), layerName, -1, -1};
    OGRSpatialReference srs;
    srs.importFromEPSG(6668);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::vector<const char*> lco;
    for (const auto& o : options.layerCreationOptions) lco.push_back(o.c_str());
    lco.push_back(nullptr);
    CPLErrorReset();
    OGRLayer* layer = out.CreateLayer(layerName.c_str(), geometry ? &srs : nullptr,
                                      geometry ? wkbMultiPolygon : wkbNone, const_cast<char**>(lco.data()));
    if (!layer) throw Error(where, "cannot create the layer: " + gdalLastError());
    std::vector<FieldSpec> allFields;
    if (options.rank) allFields.push_back({"rank", OFTInteger});
    allFields.insert(allFields.end(), fields.begin(), fields.end());
    for (const FieldSpec& f : allFields) {
        OGRFieldDefn defn(f.name, f.type);
        defn.SetSubType(f.subtype);
        if (layer->CreateField(&defn) != OGRERR_NONE) {
            throw Error(where, fmt::format("cannot create field {}: {}", f.name, gdalLastError()));
        }
    }

    long long written = 0;
    auto emit = [&](OGRFeature& feature) {
        if (layer->CreateFeature(&feature) != OGRERR_NONE) {
            throw Error(ErrorContext{where.file, layerName, written, -1}, "cannot write the feature: " + gdalLastError());
        }
        ++written;
    };
    const GeosContext ctx;
    auto order = [&](size_t count) {
        if (options.rows) return *options.rows;
        std::vector<size_t> rows;
        for (size_t i = 0; i < count; ++i) rows.push_back(i);
        return rows;
    };
    auto startRow = [&](OGRFeature& feature) {
        FieldWriter w(feature);
        if (options.rank) w.integer(written + 1);
        return w;
    };
    if (options.by == "municipality") {
        for (size_t row : order(result.municipalities.size())) {
            const MunicipalityCoverage& m = result.municipalities.at(row);
            if (options.lackingOnly && !lacksCoverage(m, options.minShare)) continue;
            OGRFeature feature(layer->GetLayerDefn());
            std::vector<std::string> hubIds;
            for (int h : m.hubIndices) hubIds.push_back(data.hubs[static_cast<size_t>(h)].id);
            FieldWriter w = startRow(feature);
            w.text(m.code).integer(m.prefectureCode).text(m.prefecture).text(m.name);
            w.text(std::string(designationKey(m.designation))).text(std::string(designationLabelJa(m.designation)));
            w.boolean(m.designation == DesignationType::Partial).text(joinBar(m.formerMunicipalities));
            w.boolean(m.designationIncomplete).real(m.areaKm2).integer(m.hubs).text(joinBar(hubIds)).boolean(m.covered);
            w.optional(m.coveredKm2).optional(m.coveredShare).optional(m.settlements).optional(m.settlementsCovered);
            if (geometry) {
                const int i = data.municipalityIndex(m.code);
                feature.SetGeometryDirectly(ogrFromGeos(ctx, data.municipalities[static_cast<size_t>(i)].geom.get()).release());
            }
            emit(feature);
        }
    } else if (options.by == "prefecture") {
        for (size_t row : order(result.prefectures.size())) {
            const PrefectureCoverage& p = result.prefectures.at(row);
            if (options.lackingOnly && !lacksCoverage(p.totals, options.minShare)) continue;
            OGRFeature feature(layer->GetLayerDefn());
            FieldWriter w = startRow(feature);
            writeTotals(w, data, p.code, p.name, p.totals);
            if (geometry) {
                const int i = data.prefectureIndex(std::to_string(p.code));
                feature.SetGeometryDirectly(ogrFromGeos(ctx, data.prefectures[static_cast<size_t>(i)].geom.get()).release());
            }
            emit(feature);
        }
    } else if (!options.lackingOnly || lacksCoverage(result.nation, options.minShare)) {
        OGRFeature feature(layer->GetLayerDefn());
        FieldWriter w = startRow(feature);
        writeTotals(w, data, std::nullopt, "全国", result.nation);
        emit(feature);
    }
    return written;
}

long long writeCoverageFile(const std::string& path, const std::string& driver, const Dataset& data,
                            const CoverageResult& result, const CoverageLayerOptions& options) {
    gdalInit();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
    if (!drv) throw Error(ErrorContext{path, {}, -1, -1}, fmt::format("GDAL has no {} driver", driver));
    CPLErrorReset();
    GdalDatasetPtr out(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!out) throw Error(ErrorContext{path, {}, -1, -1}, "cannot create the file: " + gdalLastError());
    const long long n = writeCoverageLayer(*out, "coverage", data, result, options);
    CPLErrorReset();
    out.reset();  // closing flushes: a failure shows as a GDAL error
    if (CPLGetLastErrorType() >= CE_Failure) {
        throw Error(ErrorContext{path, {}, -1, -1}, "cannot finish the file: " + gdalLastError());
    }
    return n;
}

}  // namespace hubmap
