#include "report/export.hpp"

#include <cpl_conv.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>

#include "core/credits.hpp"
#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/geos.hpp"
#include "core/names.hpp"
#include "core/version.hpp"
#include "io/gdal.hpp"
#include "io/staged_output.hpp"
#include "report/coverage_json.hpp"
#include "report/feature_writer.hpp"
#include "report/fields.hpp"
#include "report/styles.hpp"

namespace fs = std::filesystem;

namespace hubmap {

namespace {

// ---------------------------------------------------------------------------------------
// Formats

struct FormatInfo {
    const char* driver;
    const char* extension;  ///< of the GPKG file, or of each layer file in a folder
    bool folder;            ///< one file per layer in a folder
};

constexpr FormatInfo kFormats[] = {
    {"GPKG", "gpkg", false},
    {"GeoJSON", "geojson", true},
    {"FlatGeobuf", "fgb", true},
    {"ESRI Shapefile", "shp", true},
};

/// The metadata file a folder export carries; also marks the folder as ours for --overwrite.
constexpr const char* kFolderMetadataFile = "hubmap_export.json";
constexpr const char* kFolderCreditsFile = "CREDITS.txt";
constexpr const char* kMetadataSchema = "hubmap.export/1";
/// md_standard_uri of hubmap's own gpkg_metadata rows (the GeoPackage spec asks for a URI
/// naming the metadata's schema; this one names hubmap's JSON schema, version 1).
constexpr const char* kMetadataStandardUri = "urn:hubmap:metadata:export:1";

const FormatInfo& formatInfo(const std::string& name) {
    for (const auto& f : kFormats) {
        if (name == f.driver) return f;
    }
    std::string valid;
    for (const auto& f : kFormats) valid += (valid.empty() ? "" : ", ") + std::string(f.driver);
    throw UsageError(fmt::format("unknown export format '{}' (valid: {})", name, valid));
}

bool isShapefile(const FormatInfo& f) { return std::string_view(f.driver) == "ESRI Shapefile"; }
bool isGpkg(const FormatInfo& f) { return std::string_view(f.driver) == "GPKG"; }

// ---------------------------------------------------------------------------------------
// Layers. Their fields are the export fields of the registry's row types (report/fields.cpp):
// the name every format uses, the Shapefile name and the Japanese/English alias that QGIS
// shows through the styles.

struct LayerSpec {
    const char* name;
    OGRwkbGeometryType geometry;
    const char* title;
    const char* description;
    bool boundaryDerived;  ///< carries MLIT's N03 geometry: the credit goes in its description
    std::vector<FieldInfo> fields;
};

const std::vector<LayerSpec>& layerSpecs() {
    static const std::vector<LayerSpec> specs = {
        {"municipalities", wkbMultiPolygon, "市区町村 municipalities",
         "Every municipality (N03 2021-01-01; designated cities dissolved from their wards) with its "
         "depopulation designation and the coverage figures of the query (null where not designated or "
         "not in the query).",
         true, fieldInfos(municipalityFields(), kOutExport)},
        {"designated_areas", wkbMultiPolygon, "過疎区域 designated areas",
         "The designated area of each designated municipality in the query: for a 一部過疎 municipality its "
         "designated former municipalities within today's boundary (measured_on former_municipalities), else "
         "the whole municipality (whole; whole_fallback when a former municipality matched no boundary). The "
         "municipalities layer keeps the whole polygons.",
         true, fieldInfos(designatedAreaFields(), kOutExport)},
        {"hubs", wkbPoint, "拠点 hubs",
         "The hubs the query used (after the kind and date filters), with every attribute of the "
         "hubmap database; hubs of prefecture precision have no point.",
         false, fieldInfos(hubFields(), kOutExport)},
        {"catchments", wkbMultiPolygon, "圏域 catchments",
         "Dissolved catchments: the area within the radius (geodesic) of any hub, one feature per hub kind "
         "with a radius.",
         false, fieldInfos(catchmentFields(), kOutExport)},
        {"uncovered", wkbMultiPolygon, "圏域外 uncovered",
         "The parts of the designated municipalities in the query outside every catchment, one feature per "
         "municipality with such a part.",
         true, fieldInfos(uncoveredFields(), kOutExport)},
        {"uncovered_population", wkbPoint, "圏域外人口 uncovered population",
         "The population points with residents of the designated areas in the query outside every catchment "
         "(2015 census small areas; in Hokkaido and Aichi the 2022 resident register spread over settlements, "
         "population_method register_2022_spread).",
         false, fieldInfos(populationPointFields(), kOutExport)},
        {"prefecture_summary", wkbMultiPolygon, "都道府県別集計 prefecture summary",
         "The 47 prefectures (dissolved from the municipalities) with the query's per-prefecture figures "
         "over their designated municipalities (null for prefectures not in the query).",
         true, fieldInfos(totalsFields(), kOutExport)},
    };
    return specs;
}

const LayerSpec& layerSpec(std::string_view name) {
    for (const auto& l : layerSpecs()) {
        if (name == l.name) return l;
    }
    throw Error(fmt::format("internal: no export layer named '{}'", name));
}

// ---------------------------------------------------------------------------------------
// Styles: QML templates from assets/styles (embedded at build time; report/styles.hpp).

struct StyleSpec {
    const char* layer;
    const char* templateFile;
    const char* name;  ///< layer_styles.styleName (QGIS allows 30 characters)
    const char* description;
    bool isDefault;
    bool needsRadius;
};

constexpr StyleSpec kStyles[] = {
    {"municipalities", "municipalities_designation.qml", "過疎区分 designation", "categorized by designation type",
     true, false},
    {"municipalities", "municipalities_presence.qml", "拠点の有無 hub presence",
     "categorized: designated municipalities with and without a hub inside", false, false},
    {"municipalities", "covered_share.qml", "カバー率 covered share",
     "graduated by the share of the area within the radius of a hub", false, true},
    {"designated_areas", "designated_areas.qml", "過疎区域 designated areas",
     "categorized by what is measured: whole or the 一部過疎 part", true, false},
    {"hubs", "hubs_kind.qml", "種別 kind", "categorized by hub kind", true, false},
    {"catchments", "catchments.qml", "圏域 catchments", "translucent fill", true, true},
    {"uncovered", "uncovered.qml", "圏域外 uncovered", "translucent red fill", true, true},
    {"uncovered_population", "uncovered_population.qml", "人口 population", "red circles sized by population", true,
     true},
    {"prefecture_summary", "prefecture_borders.qml", "境界 borders", "outline only", true, false},
    {"prefecture_summary", "covered_share.qml", "カバー率 covered share",
     "graduated by the share of the designated area within the radius of a hub", false, true},
};

/// The name a field has in a format.
std::string fieldName(const FieldInfo& f, const FormatInfo& format) {
    return isShapefile(format) ? f.shapefileName : f.key;
}

/// A style's QML for a layer of this format (report/styles.hpp).
std::string renderStyle(const StyleSpec& style, const LayerSpec& layer, const FormatInfo& format,
                        const std::map<std::string, std::string>& blocks) {
    return renderQgisStyle(style.templateFile, layer.name, layer.fields, isShapefile(format), blocks);
}

// ---------------------------------------------------------------------------------------
// Writing features

std::string joinStrings(const std::vector<std::string>& parts, std::string_view separator) {
    std::string out;
    for (const auto& p : parts) {
        if (!out.empty()) out += separator;
        out += p;
    }
    return out;
}

/// A GEOS polygonal geometry as an OGR MultiPolygon.
std::unique_ptr<OGRGeometry> toOgrMultiPolygon(const GeosContext& ctx, const GEOSGeometry* g) {
    return std::unique_ptr<OGRGeometry>(OGRGeometryFactory::forceToMultiPolygon(ogrFromGeos(ctx, g).release()));
}

/// Writes one output dataset (the GPKG, or one file per layer), layer by layer.
class LayerSink {
public:
    LayerSink(const FormatInfo& format, const std::string& target, const fs::path& stagingPath,
              const OGRSpatialReference& srs)
        : format_(format), target_(target), staging_(stagingPath), srs_(srs) {
        driver_ = GetGDALDriverManager()->GetDriverByName(format.driver);
        if (!driver_) throw Error(fmt::format("GDAL has no {} driver", format.driver));
        if (!format.folder) dataset_ = create(staging_);
    }

    /// Creates a layer with the spec's fields (in folder formats, its own file) and a
    /// writer for its features.
    FeatureWriter createLayer(const LayerSpec& spec, std::vector<std::string>& notes) {
        GDALDataset* ds = dataset_.get();
        if (format_.folder) {
            const fs::path file = staging_ / fmt::format("{}.{}", spec.name, format_.extension);
            folderDatasets_.push_back(create(file));
            ds = folderDatasets_.back().get();
        }
        const std::string description =
            fmt::format("{}{}", spec.description, spec.boundaryDerived ? std::string(" ") + kMlitBoundaryCredit : "");
        CPLStringList options;
        if (isGpkg(format_)) {
            options.SetNameValue("GEOMETRY_NAME", "geom");
            options.SetNameValue("FID", "fid");
            options.SetNameValue("SPATIAL_INDEX", "YES");
            options.SetNameValue("IDENTIFIER", spec.title);
            options.SetNameValue("DESCRIPTION", description.c_str());
        } else if (isShapefile(format_)) {
            options.SetNameValue("ENCODING", "UTF-8");
            options.SetNameValue("RESIZE", "YES");
        } else if (std::string_view(format_.driver) == "GeoJSON") {
            options.SetNameValue("DESCRIPTION", description.c_str());
            options.SetNameValue("WRITE_NAME", "YES");
        } else {
            options.SetNameValue("SPATIAL_INDEX", "YES");
        }
        OGRLayer& layer = hubmap::createLayer(*ds, target_, spec.name, &srs_, spec.geometry, options);
        FeatureWriter::Options writer;
        writer.shapefile = isShapefile(format_);
        // Empty source values and figures that do not apply are left unset (null).
        writer.emptyTextIsNull = true;
        writer.explicitNulls = false;
        // GDAL 3.6's FlatGeobuf driver silently drops features without geometry.
        writer.skipWithoutGeometry = std::string_view(format_.driver) == "FlatGeobuf";
        writer.skippedNote = fmt::format(
            "(hubs known only by prefecture) are not in the FlatGeobuf file, which cannot hold them; {} lists "
            "their ids under hubs.unlocated",
            kFolderMetadataFile);
        writer.target = target_;
        return FeatureWriter(layer, spec.fields, writer, &notes);
    }

    GDALDataset* gpkg() const { return dataset_.get(); }

    /// Closes every dataset; throws when GDAL reports a failure while flushing.
    void close() {
        auto closeOne = [this](GdalDatasetPtr& ds) {
            const GdalErrorScope errors;
            ds.reset();
            if (errors.failed()) throw Error(ErrorContext{target_, {}, -1, -1}, "writing failed: " + errors.message());
        };
        if (dataset_) closeOne(dataset_);
        for (auto& ds : folderDatasets_) closeOne(ds);
        folderDatasets_.clear();
    }

private:
    GdalDatasetPtr create(const fs::path& path) {
        const GdalErrorScope errors;
        GDALDataset* ds = driver_->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
        if (!ds) {
            throw Error(ErrorContext{target_, {}, -1, -1},
                        fmt::format("cannot create the temporary file {}: {}", path.string(), errors.message()));
        }
        return GdalDatasetPtr(ds);
    }

    const FormatInfo& format_;
    std::string target_;
    fs::path staging_;
    OGRSpatialReference srs_;  // a copy: GDAL 3.6's CreateLayer takes a non-const pointer
    GDALDriver* driver_ = nullptr;
    GdalDatasetPtr dataset_;
    std::vector<GdalDatasetPtr> folderDatasets_;
};

// ---------------------------------------------------------------------------------------
// Scope: a query of some prefectures exports only them (municipalities, summary rows), the
// hubs that reach them and the catchments clipped to them.

struct ExportScope {
    std::set<int> codes;  ///< the prefectures; empty: the nation
    GeomPtr area;         ///< the union of their polygons (null for the nation)
    bool national() const { return codes.empty(); }
};

ExportScope exportScope(const GeosContext& ctx, const Dataset& data, const CoverageResult& result) {
    ExportScope scope;
    std::vector<const GEOSGeometry*> parts;
    for (const std::string& name : result.options.prefectures) {
        const int i = data.prefectureIndex(name);
        if (i < 0) throw Error(fmt::format("internal: no prefecture {}", name));
        const Prefecture& p = data.prefectures[static_cast<size_t>(i)];
        if (!p.geom) throw Error(fmt::format("prefecture {} was loaded without its geometry", p.name));
        scope.codes.insert(p.code);
        parts.push_back(p.geom.get());
    }
    if (!parts.empty()) scope.area = dissolve(ctx, parts);
    return scope;
}

/// Kilometres from (lon, lat) to `area` within `reachKm`, or a larger number when it is farther.
/// The part of `area` near the point is drawn in a local equirectangular plane (km): within
/// 100 km its distances differ from geodesic ones by under 0.5 %, so the test adds 1 %.
double kmTo(const GeosContext& ctx, const GEOSGeometry* area, double lon, double lat, double reachKm) {
    constexpr double kKmPerDegLat = 110.95;  // at 35° N; 110.57 (equator) to 111.69 (pole)
    const double kmPerDegLon = kKmPerDegLat * std::cos(lat * M_PI / 180.0);
    const double dLat = reachKm * 1.1 / 110.57, dLon = reachKm * 1.1 / (110.57 * std::cos((lat + dLat) * M_PI / 180.0));
    GeomPtr near = takeGeom(ctx, GEOSClipByRect_r(ctx, area, lon - dLon, lat - dLat, lon + dLon, lat + dLat), "clip");
    if (GEOSisEmpty_r(ctx, near.get()) == 1) return reachKm * 2.0 + 1.0;
    struct Frame {
        double lon, lat, kx, ky;
    } frame{lon, lat, kmPerDegLon, kKmPerDegLat};
    auto toKm = [](double* x, double* y, void* data) -> int {
        const Frame& f = *static_cast<const Frame*>(data);
        *x = (*x - f.lon) * f.kx;
        *y = (*y - f.lat) * f.ky;
        return 1;
    };
    GeomPtr local = takeGeom(ctx, GEOSGeom_transformXY_r(ctx, near.get(), toKm, &frame), "local plane");
    GeomPtr origin = makePoint(ctx, 0, 0);
    double km = 0;
    if (GEOSDistance_r(ctx, local.get(), origin.get(), &km) != 1) throw Error("GEOS could not measure a distance");
    return km;
}

/// Is hub `k` of the query's hubs in the export? Every hub of a national export; in a scoped
/// one the hubs inside its prefectures (by the polygon holding the point, or by prefecture for
/// a hub without a point) and those whose catchment reaches into them.
bool hubInScope(const ExportScope& scope, const GeosContext& ctx, const Dataset& data, const CoverageResult& result,
                size_t k, double reachKm) {
    if (scope.national()) return true;
    const Hub& h = data.hubs.at(static_cast<size_t>(result.hubsUsed[k]));
    const int located = k < result.locatedIn.size() ? result.locatedIn[k] : -1;
    if (located >= 0 && scope.codes.count(data.municipalities.at(static_cast<size_t>(located)).prefectureCode)) {
        return true;
    }
    if (!h.lon || !h.lat) {
        const int i = data.prefectureIndex(h.prefecture);
        return i >= 0 && scope.codes.count(data.prefectures[static_cast<size_t>(i)].code) > 0;
    }
    const std::optional<double> radius = result.options.radiusFor(h.kind);
    if (!radius) return false;
    return kmTo(ctx, scope.area.get(), *h.lon, *h.lat, reachKm) <= *radius * 1.01;
}

// ---------------------------------------------------------------------------------------
// The layers: each writes the export fields of its row type (report/fields.cpp).

struct WriteContext {
    const std::string& target;  ///< the path errors name (not the staging path)
    const Dataset& data;
    const CoverageResult& result;
    const FormatInfo& format;
    LayerSink& sink;
    GeosContext& ctx;
    Progress& progress;
    ExportReport& report;
    const ExportScope& scope;

    FeatureWriter layer(const char* name) { return sink.createLayer(layerSpec(name), report.notes); }
};

/// Reports the fraction done and checks for cancellation every 256 features.
void tick(Progress& progress, size_t done, size_t total) {
    if ((done & 255) != 0) return;
    progress.checkCancelled();
    progress.fraction(total ? static_cast<double>(done) / static_cast<double>(total) : 1.0);
}

long long writeMunicipalities(WriteContext& w) {
    FeatureWriter out = w.layer("municipalities");
    std::map<std::string_view, const MunicipalityCoverage*> coverage;
    for (const auto& m : w.result.municipalities) coverage.emplace(m.code, &m);
    for (size_t i = 0; i < w.data.municipalities.size(); ++i) {
        tick(w.progress, i, w.data.municipalities.size());
        const Municipality& m = w.data.municipalities[i];
        if (!w.scope.national() && w.scope.codes.count(m.prefectureCode) == 0) continue;
        // Every municipality shows its designation, whether or not the query covers it.
        auto it = coverage.find(m.code);
        const MunicipalityRow row{w.data, m, w.data.designationOf(m.code), it == coverage.end() ? nullptr : it->second};
        out.write(fieldValues(municipalityFields(), kOutExport, row), toOgrMultiPolygon(w.ctx, m.geom.get()));
    }
    return out.written();
}

long long writeDesignatedAreas(WriteContext& w) {
    FeatureWriter out = w.layer("designated_areas");
    const auto& list = w.result.municipalities;
    for (size_t i = 0; i < list.size(); ++i) {
        tick(w.progress, i, list.size());
        const MunicipalityCoverage& c = list[i];
        const DesignatedPart* part = w.data.designatedPartOf(c.code);
        const GEOSGeometry* geom = nullptr;
        if (c.measuredOn == MeasuredOn::FormerMunicipalities && part) {
            geom = part->geom.get();
        } else {
            const int m = w.data.municipalityIndex(c.code);
            if (m < 0) throw Error(fmt::format("internal: no municipality {}", c.code));
            geom = w.data.municipalities[static_cast<size_t>(m)].geom.get();
        }
        out.write(fieldValues(designatedAreaFields(), kOutExport, DesignatedAreaRow{c, part}),
                  toOgrMultiPolygon(w.ctx, geom));
    }
    return out.written();
}

long long writeHubs(WriteContext& w) {
    FeatureWriter out = w.layer("hubs");
    std::set<int> mismatches;
    for (const auto& m : w.result.codeMismatches) mismatches.insert(m.hubIndex);
    const auto& used = w.result.hubsUsed;
    double reachKm = 0;  // the largest radius: no hub farther from the scope reaches into it
    if (w.result.options.radiusKm) reachKm = *w.result.options.radiusKm;
    for (const auto& [kind, km] : w.result.options.radiusKmByKind) reachKm = std::max(reachKm, km);
    for (size_t k = 0; k < used.size(); ++k) {
        tick(w.progress, k, used.size());
        if (!hubInScope(w.scope, w.ctx, w.data, w.result, k, reachKm)) continue;
        const Hub& h = w.data.hubs.at(static_cast<size_t>(used[k]));
        const int located = k < w.result.locatedIn.size() ? w.result.locatedIn[k] : -1;
        const HubRow row{h, mismatches.count(used[k]) > 0,
                         located >= 0 ? &w.data.municipalities.at(static_cast<size_t>(located)) : nullptr};
        std::unique_ptr<OGRGeometry> point;
        if (h.lon && h.lat) point = std::make_unique<OGRPoint>(*h.lon, *h.lat);
        out.write(fieldValues(hubFields(), kOutExport, row), std::move(point));
        ++w.report.hubsByImportSource[h.importSource];
    }
    return out.written();
}

long long writeCatchments(WriteContext& w) {
    FeatureWriter out = w.layer("catchments");
    std::map<std::string, int> hubsWithPoint;
    double reachKm = 0;
    if (w.result.options.radiusKm) reachKm = *w.result.options.radiusKm;
    for (const auto& [kind, km] : w.result.options.radiusKmByKind) reachKm = std::max(reachKm, km);
    for (size_t k = 0; k < w.result.hubsUsed.size(); ++k) {
        const Hub& h = w.data.hubs.at(static_cast<size_t>(w.result.hubsUsed[k]));
        if (h.lon && h.lat && hubInScope(w.scope, w.ctx, w.data, w.result, k, reachKm)) ++hubsWithPoint[h.kind];
    }
    Geodesic geodesic;
    for (const auto& [kind, geom] : w.result.catchments) {
        w.progress.checkCancelled();
        if (!geom || GEOSisEmpty_r(w.ctx, geom.get()) == 1) continue;
        // A scoped export: the catchments end at its prefectures' boundary.
        GeomPtr clipped;
        const GEOSGeometry* shown = geom.get();
        if (!w.scope.national()) {
            clipped =
                takeGeom(w.ctx, GEOSIntersection_r(w.ctx, geom.get(), w.scope.area.get()), "clipping a catchment");
            if (GEOSisEmpty_r(w.ctx, clipped.get()) == 1) continue;
            shown = clipped.get();
        }
        const CatchmentRow row{kind, w.result.options.radiusFor(kind), hubsWithPoint[kind],
                               geodesic.areaKm2(w.ctx, shown)};
        out.write(fieldValues(catchmentFields(), kOutExport, row), toOgrMultiPolygon(w.ctx, shown));
    }
    return out.written();
}

long long writeUncovered(WriteContext& w) {
    FeatureWriter out = w.layer("uncovered");
    const auto& list = w.result.municipalities;
    for (size_t i = 0; i < list.size(); ++i) {
        tick(w.progress, i, list.size());
        const MunicipalityCoverage& c = list[i];
        if (!c.uncoveredGeom || GEOSisEmpty_r(w.ctx, c.uncoveredGeom.get()) == 1) continue;
        out.write(fieldValues(uncoveredFields(), kOutExport, UncoveredRow{c}),
                  toOgrMultiPolygon(w.ctx, c.uncoveredGeom.get()));
    }
    return out.written();
}

long long writeUncoveredPopulation(WriteContext& w) {
    FeatureWriter out = w.layer("uncovered_population");
    const auto& list = w.result.municipalities;
    for (size_t i = 0; i < list.size(); ++i) {
        tick(w.progress, i, list.size());
        const MunicipalityCoverage& c = list[i];
        for (size_t p : c.uncoveredPopulation) {
            const PopulationPoint& point = w.data.population.at(p);
            out.write(fieldValues(populationPointFields(), kOutExport, PopulationPointRow{point, c}),
                      std::make_unique<OGRPoint>(point.lon, point.lat));
        }
    }
    return out.written();
}

long long writePrefectureSummary(WriteContext& w) {
    FeatureWriter out = w.layer("prefecture_summary");
    std::map<int, const PrefectureCoverage*> coverage;
    for (const auto& p : w.result.prefectures) coverage.emplace(p.code, &p);
    for (const Prefecture& p : w.data.prefectures) {
        w.progress.checkCancelled();
        if (!w.scope.national() && w.scope.codes.count(p.code) == 0) continue;
        if (!p.geom) throw Error(fmt::format("prefecture {} was loaded without its geometry", p.name));
        auto it = coverage.find(p.code);
        const TotalsRow row{w.data, p.code, p.name, it == coverage.end() ? nullptr : &it->second->totals, p.areaKm2};
        out.write(fieldValues(totalsFields(), kOutExport, row), toOgrMultiPolygon(w.ctx, p.geom.get()));
    }
    return out.written();
}

// ---------------------------------------------------------------------------------------
// Metadata

std::vector<std::string> creditLines(const Dataset& data) {
    // MLIT's credit first and always: its licence requires it wherever the boundaries go.
    std::vector<std::string> lines = {kMlitBoundaryCredit};
    for (const auto& s : data.sources) {
        if (!s.credit.empty() && std::find(lines.begin(), lines.end(), s.credit) == lines.end()) {
            lines.push_back(s.credit);
        }
    }
    return lines;
}

/// The import sources of the hubs in the file: name, file, rows in the database and in the
/// file, date imported (null where the database has no record).
nlohmann::json importSourcesJson(const Dataset& data, const ExportReport& report) {
    nlohmann::json out = nlohmann::json::array();
    for (const ImportSourceInfo& s : data.importSources) {
        const auto it = report.hubsByImportSource.find(s.name);
        if (it == report.hubsByImportSource.end()) continue;
        auto orNull = [](const std::string& v) { return v.empty() ? nlohmann::json(nullptr) : nlohmann::json(v); };
        out.push_back({{"name", s.name},
                       {"file", orNull(s.file)},
                       {"rows", s.rows},
                       {"rows_in_export", it->second},
                       {"imported_at", orNull(s.importedAt)}});
    }
    return out;
}

/// One credit line per import source of the hubs in the file.
std::vector<std::string> importCreditLines(const Dataset& data, const ExportReport& report) {
    std::vector<std::string> lines;
    for (const ImportSourceInfo& s : data.importSources) {
        const auto it = report.hubsByImportSource.find(s.name);
        if (it == report.hubsByImportSource.end()) continue;
        lines.push_back(fmt::format("{}: {}, {} rows{}", s.name, s.file.empty() ? "file not recorded" : s.file, s.rows,
                                    s.importedAt.empty() ? "" : ", imported " + s.importedAt));
    }
    return lines;
}

nlohmann::json exportMetadata(const Dataset& data, const CoverageResult& result, const ExportOptions& options,
                              const FormatInfo& format, const ExportReport& report) {
    // The query, the database, the sources with their vintages and credits, the hubs used
    // and the notes, exactly as the coverage JSON's header gives them.
    const nlohmann::json header = coverageHeaderJson(data, result, "nation");
    nlohmann::json j;
    j["schema"] = kMetadataSchema;
    j["hubmap_version"] = kVersion;
    j["exported_at"] = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
    j["requested_by"] = options.requestedBy;
    j["format"] = format.driver;
    j["crs"] = "EPSG:6668 (JGD2011 geographic, lon/lat)";
    // What the file covers: the nation, or the prefectures of the query (their municipalities
    // and summary rows, the hubs that reach them, the catchments clipped to them).
    j["scope"] =
        result.options.prefectures.empty() ? nlohmann::json("全国") : nlohmann::json(result.options.prefectures);
    j["credits"] = creditLines(data);
    for (const char* key : {"query", "database", "sources", "hubs", "notes"}) j[key] = header.at(key);
    j["import_sources"] = importSourcesJson(data, report);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& [name, count] : report.layers) {
        const LayerSpec& spec = layerSpec(name);
        nlohmann::json layer = {{"name", name}, {"features", count}, {"description", spec.description}};
        // A folder has no other place for the field meanings (and the Shapefile names);
        // a GeoPackage carries them as aliases in its styles.
        if (format.folder) {
            nlohmann::json fields = nlohmann::json::array();
            for (const auto& f : spec.fields) {
                nlohmann::json field = {{"name", fieldName(f, format)}, {"alias", fieldAlias(f)}};
                if (isShapefile(format)) field["hubmap_name"] = f.key;
                fields.push_back(field);
            }
            layer["fields"] = fields;
        }
        layers.push_back(layer);
    }
    j["layers"] = layers;
    return j;
}

std::string sqlQuote(std::string_view s) {
    std::string out = "'";
    for (char c : s) {
        out += c;
        if (c == '\'') out += '\'';
    }
    return out + "'";
}

void executeSql(GDALDataset& ds, const std::string& sql, const std::string& path) {
    const GdalErrorScope errors;
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result) ds.ReleaseResultSet(result);
    if (errors.failed()) throw Error(ErrorContext{path, {}, -1, -1}, "SQL failed: " + errors.message());
}

/// GDAL's own metadata (shown by ogrinfo, stored by the driver in gpkg_metadata as GDAL XML)
/// and hubmap's entries: the full JSON and a plain-text credit list, both at dataset scope.
void writeGpkgMetadata(GDALDataset& ds, const nlohmann::json& metadata, const std::vector<std::string>& credits,
                       const std::vector<std::string>& imports, const std::string& path) {
    ds.SetMetadataItem("HUBMAP_VERSION", kVersion);
    ds.SetMetadataItem("CREDIT", joinStrings(credits, " / ").c_str());
    ds.SetMetadataItem("QUERY", metadata.value("requested_by", std::string()).c_str());
    ds.SetMetadataItem("CRS", "EPSG:6668 (JGD2011)");
    // Flushing makes the driver create gpkg_metadata and gpkg_metadata_reference and
    // register the extension properly before hubmap adds its own rows.
    ds.FlushCache(false);
    const std::string plain = fmt::format("hubmap {} export\n\nCredits:\n{}\n\nHub import sources:\n{}\n", kVersion,
                                          joinStrings(credits, "\n"), joinStrings(imports, "\n"));
    const std::pair<const char*, std::string> entries[] = {{"application/json", metadata.dump(2)},
                                                           {"text/plain", plain}};
    for (const auto& [mime, text] : entries) {
        executeSql(ds,
                   fmt::format("INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                               "VALUES ('dataset', {}, {}, {})",
                               sqlQuote(kMetadataStandardUri), sqlQuote(mime), sqlQuote(text)),
                   path);
        executeSql(ds,
                   "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, row_id_value, "
                   "md_file_id) VALUES ('geopackage', NULL, NULL, NULL, last_insert_rowid())",
                   path);
    }
}

/// QGIS's layer_styles table, created through the driver as a non-spatial layer so that
/// it is registered in gpkg_contents as 'attributes'. Same columns as QGIS creates.
void writeGpkgStyles(GDALDataset& ds, const std::vector<std::pair<const StyleSpec*, std::string>>& styles,
                     const std::string& target, ExportReport& report) {
    CPLStringList options;
    options.SetNameValue("FID", "id");
    options.SetNameValue("DESCRIPTION", "QGIS layer styles (QML) written by hubmap export");
    OGRLayer* layer = &createLayer(ds, target, "layer_styles", nullptr, wkbNone, options);
    struct Column {
        const char* name;
        OGRFieldType type;
        int width;
    };
    const Column columns[] = {
        {"f_table_catalog", OFTString, 256},
        {"f_table_schema", OFTString, 256},
        {"f_table_name", OFTString, 256},
        {"f_geometry_column", OFTString, 256},
        {"styleName", OFTString, 30},
        {"styleQML", OFTString, 0},
        {"styleSLD", OFTString, 0},
        {"useAsDefault", OFTInteger, 0},
        {"description", OFTString, 0},
        {"owner", OFTString, 30},
        {"ui", OFTString, 30},
        {"update_time", OFTDateTime, 0},
    };
    for (const auto& c : columns) {
        OGRFieldDefn defn(c.name, c.type);
        defn.SetWidth(c.width);
        if (std::string_view(c.name) == "useAsDefault") defn.SetSubType(OFSTBoolean);
        if (std::string_view(c.name) == "update_time") defn.SetDefault("CURRENT_TIMESTAMP");
        if (layer->CreateField(&defn, FALSE) != OGRERR_NONE) {
            throw Error(ErrorContext{target, "layer_styles", -1, -1}, fmt::format("cannot create field {}", c.name));
        }
    }
    const std::time_t now = std::time(nullptr);
    std::time_t stamp = now - static_cast<std::time_t>(styles.size());
    for (const auto& [style, qml] : styles) {
        // One second apart: QGIS's style list groups rows by update_time to the second and
        // repeats rows that share one.
        const std::tm t = fmt::gmtime(++stamp);
        OgrFeaturePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        // QGIS looks styles up with f_table_schema = '' (empty, not null).
        f->SetField("f_table_catalog", "");
        f->SetField("f_table_schema", "");
        f->SetField("f_table_name", style->layer);
        f->SetField("f_geometry_column", "geom");
        f->SetField("styleName", style->name);
        f->SetField("styleQML", qml.c_str());
        f->SetField("useAsDefault", style->isDefault ? 1 : 0);
        f->SetField("description", style->description);
        f->SetField("owner", "hubmap");
        f->SetField("update_time", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min,
                    static_cast<float>(t.tm_sec), 100);
        if (layer->CreateFeature(f.get()) != OGRERR_NONE) {
            throw Error(ErrorContext{target, "layer_styles", -1, -1}, "cannot write a style: " + gdalLastError());
        }
        report.styles.push_back(
            fmt::format("{}: {}{}", style->layer, style->name, style->isDefault ? " (default)" : ""));
    }
}

void writeTextFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (!out)
        throw Error(ErrorContext{path.string(), {}, -1, -1}, std::string("cannot write: ") + std::strerror(errno));
}

}  // namespace

// ---------------------------------------------------------------------------------------

const std::vector<std::string>& exportFormats() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> v;
        for (const auto& f : kFormats) v.emplace_back(f.driver);
        return v;
    }();
    return names;
}

std::vector<std::pair<std::string, std::string>> shapefileFieldNames(const std::string& layer) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& f : layerSpec(layer).fields) out.emplace_back(f.key, f.shapefileName);
    return out;
}

void checkExportTarget(const ExportOptions& options) {
    const FormatInfo& format = formatInfo(options.format);
    if (options.outPath.empty()) throw UsageError("no output path given (--out)");
    const fs::path target(options.outPath);
    const std::string ext = target.extension().string();
    if (!format.folder && !endsWith(ext, ".gpkg")) {
        throw UsageError(fmt::format("{}: a GeoPackage file name must end in .gpkg", options.outPath));
    }
    if (format.folder && !ext.empty() && endsWith(ext, std::string(".") + format.extension)) {
        throw UsageError(fmt::format("{} writes one file per layer into a folder; give a folder name, not {}",
                                     format.driver, options.outPath));
    }
    if (target.filename().empty() || target.filename() == "." || target.filename() == "..") {
        throw UsageError(fmt::format("{}: not a file or folder name", options.outPath));
    }
    const fs::path parent = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    std::error_code ec;
    if (!fs::is_directory(parent, ec)) {
        throw Error(ErrorContext{options.outPath, {}, -1, -1},
                    fmt::format("folder {} does not exist", parent.string()));
    }
    if (::access(parent.c_str(), W_OK | X_OK) != 0) {
        throw Error(ErrorContext{options.outPath, {}, -1, -1},
                    fmt::format("cannot write in folder {}: {}", parent.string(), std::strerror(errno)));
    }
    const fs::file_status status = fs::symlink_status(target, ec);
    if (!fs::exists(status)) return;
    if (!options.overwrite) {
        throw UsageError(fmt::format("{} already exists; use --overwrite to replace it", options.outPath));
    }
    if (!format.folder && fs::is_directory(status)) {
        throw Error(ErrorContext{options.outPath, {}, -1, -1}, "is a folder; not replacing it with a GeoPackage file");
    }
    if (format.folder) {
        // --overwrite replaces an earlier export's folder, never an arbitrary one.
        const bool ours =
            fs::is_directory(status) && (fs::is_empty(target, ec) || fs::exists(target / kFolderMetadataFile, ec));
        if (!ours) {
            throw Error(ErrorContext{options.outPath, {}, -1, -1},
                        fmt::format("not replacing it: only an empty folder or one written by hubmap export (with "
                                    "{}) is replaced",
                                    kFolderMetadataFile));
        }
    }
}

ExportReport exportCoverage(const Dataset& data, const CoverageResult& result, const ExportOptions& options,
                            Progress& progress) {
    const auto start = std::chrono::steady_clock::now();
    checkExportTarget(options);
    gdalInit();
    // GDAL's messages on this thread are read back into errors, not printed.
    const GdalErrorScope quiet;
    const FormatInfo& format = formatInfo(options.format);
    if (data.municipalities.empty()) throw Error("the dataset has no municipalities to export");

    ExportReport report;
    report.outPath = options.outPath;
    report.format = format.driver;
    const bool radius = result.options.hasRadius();
    if (radius && !result.options.keepGeometry) {
        throw UsageError("the catchments and uncovered layers need the coverage computed with keepGeometry");
    }

    OGRSpatialReference srs;
    if (srs.importFromEPSG(6668) != OGRERR_NONE) throw Error("GDAL/PROJ does not know EPSG:6668");
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);  // x = lon, y = lat, as the store keeps them

    GeosContext ctx;  // our own: the export may run on a worker thread (the viewer)
    // GDAL 3.6 fills a GeoPackage's R-trees on a background thread; inside the export's one
    // transaction that is slower (1.7 s against 1.0 s for 100k hubs). Thread-local setting.
    const CPLConfigOptionSetter rtreeInline("OGR_GPKG_ALLOW_THREADED_RTREE", "NO", true);
    StagedOutput staged(options.outPath, format.folder, format.extension);
    {
        LayerSink sink(format, options.outPath, staged.path(), srs);
        if (isGpkg(format) && sink.gpkg()->StartTransaction(FALSE) != OGRERR_NONE) {
            throw Error(ErrorContext{options.outPath, {}, -1, -1}, "cannot start a transaction: " + gdalLastError());
        }
        const ExportScope scope = exportScope(ctx, data, result);
        WriteContext w{options.outPath, data, result, format, sink, ctx, progress, report, scope};
        struct Step {
            const char* layer;
            long long (*write)(WriteContext&);
            bool needsRadius;
        };
        const Step steps[] = {
            {"municipalities", writeMunicipalities, false},
            {"designated_areas", writeDesignatedAreas, false},
            {"hubs", writeHubs, false},
            {"catchments", writeCatchments, true},
            {"uncovered", writeUncovered, true},
            {"uncovered_population", writeUncoveredPopulation, true},
            {"prefecture_summary", writePrefectureSummary, false},
        };
        for (const Step& s : steps) {
            if (s.needsRadius && !radius) continue;
            progress.step(fmt::format("writing {}", s.layer));
            report.layers.emplace_back(s.layer, s.write(w));
        }
        progress.checkCancelled();

        progress.step("writing styles and metadata");
        std::vector<std::pair<const StyleSpec*, std::string>> styles;
        // Every kind of the hubs written gets its own symbol and its display name (--kind-label).
        std::vector<std::string> kinds;
        for (int i : result.hubsUsed) kinds.push_back(data.hubs.at(static_cast<size_t>(i)).kind);
        const auto kindBlocks = hubKindStyleBlocks(hubKindSymbols(kinds, data.kindLabels));
        for (const StyleSpec& style : kStyles) {
            if (style.needsRadius && !radius) continue;
            // Folder formats: QGIS loads <layer>.qml beside a file as its default style.
            if (format.folder && !style.isDefault) continue;
            styles.emplace_back(&style, renderStyle(style, layerSpec(style.layer), format, kindBlocks));
        }
        const nlohmann::json metadata = exportMetadata(data, result, options, format, report);
        const std::vector<std::string> credits = creditLines(data);
        if (isGpkg(format)) {
            writeGpkgStyles(*sink.gpkg(), styles, options.outPath, report);
            writeGpkgMetadata(*sink.gpkg(), metadata, credits, importCreditLines(data, report), options.outPath);
            if (sink.gpkg()->CommitTransaction() != OGRERR_NONE) {
                throw Error(ErrorContext{options.outPath, {}, -1, -1}, "cannot commit: " + gdalLastError());
            }
        } else {
            for (const auto& [style, qml] : styles) {
                writeTextFile(staged.path() / fmt::format("{}.qml", style->layer), qml);
                report.styles.push_back(fmt::format("{}: {} ({}.qml)", style->layer, style->name, style->layer));
            }
            writeTextFile(staged.path() / kFolderMetadataFile, metadata.dump(2) + "\n");
            writeTextFile(staged.path() / kFolderCreditsFile, joinStrings(credits, "\n") + "\n\nHub import sources:\n" +
                                                                  joinStrings(importCreditLines(data, report), "\n") +
                                                                  "\n");
        }
        progress.checkCancelled();
        progress.step("finishing (spatial indexes)");
        sink.close();
    }
    progress.checkCancelled();
    staged.commit(options.overwrite ? Replace::Always : Replace::Never);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

}  // namespace hubmap
