// hubmap export on the national data: layers, counts, CRS and every figure read back
// through GDAL against the coverage JSON of the same query; GDAL's GeoPackage validator
// and ogrinfo; styles and metadata; atomicity and the --overwrite rules.
// The national query's GeoPackage is written once per test run by `hubmap export` (the CTest
// fixture export_national_gpkg, tests/io/CMakeLists.txt); the tests read it, and compute the
// same query here only when they compare with it or export it again themselves.

#include "report/export.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analysis/coverage.hpp"
#include "cli_runner.hpp"
#include "core/credits.hpp"
#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/version.hpp"
#include "io/gdal.hpp"
#include "io/store.hpp"
#include "report/coverage_json.hpp"
#include "report/fields.hpp"
#include "report/styles.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hubmap;
using hubmap::test::kNationalDb;
using hubmap::test::readFile;
using hubmap::test::runCommand;
using hubmap::test::runHubmapInProcess;
using hubmap::test::ScratchDir;

namespace {

std::string quoted(const std::string& s) { return "'" + s + "'"; }

/// Every row of a layer, keyed by one field's text.
std::map<std::string, OgrFeaturePtr> featuresBy(OGRLayer* layer, const char* key) {
    std::map<std::string, OgrFeaturePtr> out;
    layer->ResetReading();
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        const std::string k = fieldText(*f, key);
        out.emplace(k, std::move(f));
    }
    return out;
}

/// The field's value as JSON (null when unset), for comparing with the coverage JSON.
nlohmann::json fieldJson(const OGRFeature& f, const char* name) {
    const int i = f.GetFieldIndex(name);
    EXPECT_GE(i, 0) << "no field " << name;
    if (i < 0 || !f.IsFieldSetAndNotNull(i)) return nullptr;
    const OGRFieldDefn* d = f.GetFieldDefnRef(i);
    switch (d->GetType()) {
        case OFTInteger:
            if (d->GetSubType() == OFSTBoolean) return f.GetFieldAsInteger(i) != 0;
            return f.GetFieldAsInteger(i);
        case OFTInteger64:
            return static_cast<long long>(f.GetFieldAsInteger64(i));
        case OFTReal:
            return f.GetFieldAsDouble(i);
        default:
            return f.GetFieldAsString(i);
    }
}

/// A JSON value as the export stores it: lists of strings become '|'-joined text, an
/// empty string or list is null (the export writes no empty text).
nlohmann::json asField(const nlohmann::json& v) {
    if (v.is_array()) {
        std::string joined;
        for (const auto& item : v) joined += (joined.empty() ? "" : "|") + item.get<std::string>();
        return joined.empty() ? nlohmann::json(nullptr) : nlohmann::json(joined);
    }
    if (v.is_string() && v.get<std::string>().empty()) return nullptr;
    return v;
}

class NoProgress : public Progress {};

/// Cancels when a named step begins, as a user pressing "cancel" mid-export would.
class CancelAtStep : public Progress {
public:
    explicit CancelAtStep(std::string step) : step_(std::move(step)) {}
    void step(const std::string& name) override {
        if (name == step_) cancel();
    }

private:
    std::string step_;
};

class ExportNational : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(fs::exists(gpkgPath())) << gpkgPath() << " is written by the CTest fixture export_national_gpkg";
    }
    static void TearDownTestSuite() {
        delete withRadius_;
        delete kochi_;
        delete data_;
        withRadius_ = nullptr;
        kochi_ = nullptr;
        data_ = nullptr;
    }
    /// `hubmap export --radius-km 10` of the national database, written by the fixture.
    static std::string gpkgPath() { return HUBMAP_EXPORT_FIXTURE; }
    /// The same query computed here, on first use, from the dataset as `hubmap export` loads it
    /// (the points of designated municipalities only: a query counts no others).
    static const Dataset& data() {
        if (!data_) {
            LoadOptions load;
            load.pointsOfDesignatedOnly = true;
            data_ = new Dataset(loadDataset(kNationalDb, load));
        }
        return *data_;
    }
    static const CoverageResult& result() {
        if (!withRadius_) withRadius_ = radius10Query({});
        return *withRadius_;
    }
    /// The same query for 高知県 alone (34 municipalities): for the tests of how files and
    /// folders are written, which a national export only makes slower (a second or more each).
    static const CoverageResult& kochiResult() {
        if (!kochi_) kochi_ = radius10Query({"高知県"});
        return *kochi_;
    }
    /// The fixture's query (R = 10 km, with geometry) over `prefectures` (empty: all 47).
    static CoverageResult* radius10Query(std::vector<std::string> prefectures) {
        CoverageOptions options;
        options.radiusKm = 10;
        options.keepGeometry = true;
        options.prefectures = std::move(prefectures);
        NoProgress progress;
        return new CoverageResult(computeCoverage(data(), options, progress));
    }
    /// The layers and feature counts `hubmap export` reported (its output, kept beside the file).
    static std::vector<std::pair<std::string, long long>> reportedLayers() {
        std::vector<std::pair<std::string, long long>> layers;
        std::istringstream out(readFile(gpkgPath() + ".txt"));
        for (std::string line; std::getline(out, line);) {
            std::istringstream fields(line);
            std::string layer, unit;
            long long count = 0;
            if (line.rfind("  ", 0) == 0 && fields >> layer >> count >> unit && unit == "features")
                layers.emplace_back(layer, count);
        }
        return layers;
    }

private:
    static Dataset* data_;
    static CoverageResult* withRadius_;
    static CoverageResult* kochi_;
};
Dataset* ExportNational::data_ = nullptr;
CoverageResult* ExportNational::withRadius_ = nullptr;
CoverageResult* ExportNational::kochi_ = nullptr;

size_t nonEmptyUncovered(const Dataset& data, const CoverageResult& r) {
    size_t n = 0;
    for (const auto& m : r.municipalities) {
        if (m.uncoveredGeom && GEOSisEmpty_r(*data.ctx, m.uncoveredGeom.get()) == 0) ++n;
    }
    return n;
}

}  // namespace

TEST_F(ExportNational, WritesTheLayersWithTheExpectedCountsAndCrs) {
    GdalDatasetPtr ds = openVector(gpkgPath(), {}, {"GPKG"});
    std::set<std::string> names;
    for (int i = 0; i < ds->GetLayerCount(); ++i) names.insert(ds->GetLayer(i)->GetName());
    EXPECT_EQ(names, (std::set<std::string>{"municipalities", "designated_areas", "hubs", "catchments", "uncovered",
                                            "uncovered_population", "prefecture_summary", "layer_styles"}));
    EXPECT_EQ(ds->GetLayerByName("municipalities")->GetFeatureCount(), 1747);
    EXPECT_EQ(ds->GetLayerByName("hubs")->GetFeatureCount(), static_cast<GIntBig>(result().hubsUsed.size()));
    EXPECT_EQ(ds->GetLayerByName("catchments")->GetFeatureCount(), static_cast<GIntBig>(result().catchments.size()));
    EXPECT_EQ(ds->GetLayerByName("uncovered")->GetFeatureCount(),
              static_cast<GIntBig>(nonEmptyUncovered(data(), result())));
    EXPECT_EQ(ds->GetLayerByName("prefecture_summary")->GetFeatureCount(), 47);
    // The residents outside every catchment: one point per population point left out, whose
    // residents add up to what the coverage figures leave uncovered.
    long long uncoveredPoints = 0;
    for (const auto& m : result().municipalities)
        uncoveredPoints += static_cast<long long>(m.uncoveredPopulation.size());
    EXPECT_GT(uncoveredPoints, 10000);
    EXPECT_EQ(ds->GetLayerByName("uncovered_population")->GetFeatureCount(), uncoveredPoints);
    {
        OGRLayer* sum = ds->ExecuteSQL("SELECT SUM(population) FROM uncovered_population", nullptr, nullptr);
        ASSERT_NE(sum, nullptr);
        OgrFeaturePtr f(sum->GetNextFeature());
        EXPECT_EQ(f->GetFieldAsInteger64(0), *result().nation.population - *result().nation.populationCovered);
        ds->ReleaseResultSet(sum);
    }
    EXPECT_EQ(ds->GetLayerByName("designated_areas")->GetFeatureCount(),
              static_cast<GIntBig>(result().municipalities.size()));
    for (const char* name : {"municipalities", "designated_areas", "hubs", "catchments", "uncovered",
                             "uncovered_population", "prefecture_summary"}) {
        OGRLayer* layer = ds->GetLayerByName(name);
        const OGRSpatialReference* srs = layer->GetSpatialRef();
        ASSERT_NE(srs, nullptr) << name;
        EXPECT_STREQ(srs->GetAuthorityName(nullptr), "EPSG") << name;
        EXPECT_STREQ(srs->GetAuthorityCode(nullptr), "6668") << name;
        EXPECT_STREQ(layer->GetGeometryColumn(), "geom") << name;
        const bool points = std::string(name) == "hubs" || std::string(name) == "uncovered_population";
        const OGRwkbGeometryType expected = points ? wkbPoint : wkbMultiPolygon;
        EXPECT_EQ(wkbFlatten(layer->GetGeomType()), expected) << name;
    }
    // The report says the same.
    const auto layers = reportedLayers();
    ASSERT_EQ(layers.size(), 7u);
    EXPECT_EQ(layers[0], (std::pair<std::string, long long>("municipalities", 1747)));
    for (const auto& [layer, count] : layers) EXPECT_EQ(ds->GetLayerByName(layer.c_str())->GetFeatureCount(), count);
}

TEST_F(ExportNational, MunicipalityFiguresEqualTheCoverageJsonToTheLastDigit) {
    const nlohmann::json json = coverageToJson(data(), result(), "municipality");
    GdalDatasetPtr ds = openVector(gpkgPath(), {}, {"GPKG"});
    auto rows = featuresBy(ds->GetLayerByName("municipalities"), "code");
    ASSERT_EQ(rows.size(), 1747u);
    const auto& list = json.at("municipalities");
    ASSERT_EQ(list.size(), result().municipalities.size());
    ASSERT_GT(list.size(), 800u);
    std::set<std::string> inQuery;
    for (const auto& m : list) {
        const std::string code = m.at("code");
        inQuery.insert(code);
        ASSERT_TRUE(rows.count(code)) << code;
        const OGRFeature& f = *rows.at(code);
        // Every member of the JSON object is a field with the same value (lists '|'-joined).
        for (const auto& [key, value] : m.items()) {
            EXPECT_EQ(fieldJson(f, key.c_str()), asField(value)) << code << " " << key;
        }
        EXPECT_EQ(fieldJson(f, "in_query"), nlohmann::json(true)) << code;
    }
    // Outside the query: no coverage figures at all (null, not zero).
    for (const auto& [code, f] : rows) {
        if (inQuery.count(code)) continue;
        EXPECT_EQ(fieldJson(*f, "in_query"), nlohmann::json(false)) << code;
        for (const char* key :
             {"hubs", "hub_ids", "covered", "covered_km2", "covered_share", "settlements", "settlements_covered"}) {
            EXPECT_TRUE(fieldJson(*f, key).is_null()) << code << " " << key;
        }
    }
    // A known 一部過疎 row keeps its designated former municipalities.
    bool sawPartial = false;
    for (const auto& [code, f] : rows) {
        if (fieldText(*f, "designation") != "partial") continue;
        sawPartial = true;
        EXPECT_FALSE(fieldText(*f, "former_municipalities").empty()) << code;
        EXPECT_EQ(fieldText(*f, "designation_ja"), "一部過疎");
    }
    EXPECT_TRUE(sawPartial);
}

TEST_F(ExportNational, DesignatedAreasAreThePartsWithTheirFormerMunicipalities) {
    GdalDatasetPtr ds = openVector(gpkgPath(), {}, {"GPKG"});
    auto areas = featuresBy(ds->GetLayerByName("designated_areas"), "code");
    auto whole = featuresBy(ds->GetLayerByName("municipalities"), "code");
    ASSERT_EQ(areas.size(), result().municipalities.size());
    GeosContext ctx;
    Geodesic geodesic;
    auto areaOf = [&](const OGRFeature& f) {
        const OGRGeometry* g = f.GetGeometryRef();
        std::vector<unsigned char> wkb(static_cast<size_t>(g->WkbSize()));
        g->exportToWkb(wkbNDR, wkb.data());
        return geodesic.areaKm2(ctx, geomFromWKB(ctx, wkb.data(), wkb.size()).get());
    };
    int parts = 0;
    for (const MunicipalityCoverage& m : result().municipalities) {
        ASSERT_TRUE(areas.count(m.code)) << m.code;
        const OGRFeature& f = *areas.at(m.code);
        EXPECT_EQ(fieldText(f, "measured_on"), measuredOnKey(m.measuredOn)) << m.code;
        EXPECT_EQ(f.GetFieldAsDouble("designated_area_km2"), m.designatedAreaKm2) << m.code;
        if (m.measuredOn != MeasuredOn::FormerMunicipalities) continue;
        ++parts;
        // The part itself (its geodesic area), while the municipalities layer keeps the whole.
        EXPECT_NEAR(areaOf(f), m.designatedAreaKm2, 1e-6 * m.areaKm2) << m.code;
        EXPECT_NEAR(areaOf(*whole.at(m.code)), m.areaKm2, 1e-6 * m.areaKm2) << m.code;
        EXPECT_FALSE(fieldText(f, "former_municipalities").empty()) << m.code;
    }
    EXPECT_GT(parts, 100);
    const OGRFeature& kochi = *areas.at("39201");
    EXPECT_NE(fieldText(kochi, "former_municipalities").find("鏡"), std::string::npos);
    EXPECT_NE(fieldText(kochi, "former_matched").find("高知県鏡村"), std::string::npos)
        << fieldText(kochi, "former_matched");
    EXPECT_NE(fieldText(kochi, "former_matched").find("高知県土佐山村"), std::string::npos);
    EXPECT_LT(kochi.GetFieldAsDouble("designated_area_km2"), kochi.GetFieldAsDouble("area_km2"));
}

TEST_F(ExportNational, PrefectureFiguresEqualTheCoverageJson) {
    const nlohmann::json json = coverageToJson(data(), result(), "prefecture");
    GdalDatasetPtr ds = openVector(gpkgPath(), {}, {"GPKG"});
    auto rows = featuresBy(ds->GetLayerByName("prefecture_summary"), "name");
    ASSERT_EQ(rows.size(), 47u);
    const auto& list = json.at("prefectures");
    ASSERT_FALSE(list.empty());
    for (const auto& p : list) {
        const std::string name = p.at("name");
        ASSERT_TRUE(rows.count(name)) << name;
        const OGRFeature& f = *rows.at(name);
        for (const auto& [key, value] : p.items()) {
            if (key == "uncovered") continue;  // a list of {code, name}: checked below
            EXPECT_EQ(fieldJson(f, key.c_str()), asField(value)) << name << " " << key;
        }
        std::string codes, names;
        for (const auto& c : p.at("uncovered")) {
            codes += (codes.empty() ? "" : "|") + c.at("code").get<std::string>();
            names += (names.empty() ? "" : "|") + c.at("name").get<std::string>();
        }
        EXPECT_EQ(fieldText(f, "uncovered"), codes) << name;
        EXPECT_EQ(fieldText(f, "uncovered_names"), names) << name;
        EXPECT_EQ(fieldJson(f, "in_query"), nlohmann::json(true)) << name;
    }
}

TEST_F(ExportNational, HubsCarryEveryAttributeAndTheirPoints) {
    GdalDatasetPtr ds = openVector(gpkgPath(), {}, {"GPKG"});
    auto rows = featuresBy(ds->GetLayerByName("hubs"), "id");
    ASSERT_EQ(rows.size(), result().hubsUsed.size());
    ASSERT_FALSE(rows.empty());
    for (size_t k = 0; k < result().hubsUsed.size(); ++k) {
        const Hub& h = data().hubs[static_cast<size_t>(result().hubsUsed[k])];
        ASSERT_TRUE(rows.count(h.id)) << h.id;
        const OGRFeature& f = *rows.at(h.id);
        EXPECT_EQ(fieldText(f, "kind"), h.kind);
        EXPECT_EQ(fieldText(f, "name"), h.name);
        EXPECT_EQ(fieldText(f, "location_precision"), h.precision);
        EXPECT_EQ(fieldText(f, "source"), h.source);
        EXPECT_EQ(fieldText(f, "opened"), h.details().opened);
        const OGRGeometry* g = f.GetGeometryRef();
        if (h.lon && h.lat) {
            ASSERT_NE(g, nullptr) << h.id;
            EXPECT_EQ(g->toPoint()->getX(), *h.lon) << h.id;
            EXPECT_EQ(g->toPoint()->getY(), *h.lat) << h.id;
        } else {
            EXPECT_TRUE(g == nullptr || g->IsEmpty()) << h.id;
        }
    }
}

TEST_F(ExportNational, PassesGdalsGeoPackageValidator) {
    const std::string python = HUBMAP_GDAL_PYTHON;
    ASSERT_FALSE(python.empty()) << "no Python with osgeo_utils.samples.validate_gpkg (Debian package python3-gdal)";
    const auto r = runCommand(python + " -m osgeo_utils.samples.validate_gpkg " + quoted(gpkgPath()));
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_EQ(r.out + r.err, "");
}

TEST_F(ExportNational, OpensStyledInQgis) {
    // Headless QGIS (Debian's python3-qgis) adds each layer as a planner would and must get
    // hubmap's default style: see tests/io/qgis_open_styled.py for what is checked.
    const std::string python = HUBMAP_GDAL_PYTHON;
    ASSERT_FALSE(python.empty());
    const auto r =
        runCommand("QT_QPA_PLATFORM=offscreen " + python + " " + quoted(HUBMAP_QGIS_CHECK) + " " + quoted(gpkgPath()));
    EXPECT_EQ(r.status, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("municipalities: categorizedSymbol designation"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("hubs: categorizedSymbol kind"), std::string::npos) << r.out;
}

TEST_F(ExportNational, OgrinfoReadsItWithoutErrors) {
    const auto r = runCommand("ogrinfo -al -so " + quoted(gpkgPath()));
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("Layer name: municipalities"), std::string::npos);
    EXPECT_NE(r.out.find("Feature Count: 1747"), std::string::npos);
    EXPECT_NE(r.out.find(kMlitBoundaryCredit), std::string::npos) << "the credit is in the dataset metadata";
}

TEST_F(ExportNational, StylesAreRegisteredForQgisWithOneDefaultPerLayer) {
    GdalDatasetPtr ds = openVector(gpkgPath(), {}, {"GPKG"});
    OGRLayer* styles = ds->GetLayerByName("layer_styles");
    ASSERT_NE(styles, nullptr);
    std::map<std::string, int> defaults;
    std::set<std::string> styled;
    styles->ResetReading();
    for (OgrFeaturePtr f(styles->GetNextFeature()); f; f.reset(styles->GetNextFeature())) {
        const std::string table = fieldText(*f, "f_table_name");
        styled.insert(table);
        // QGIS selects with f_table_schema = '' (empty string, not null).
        EXPECT_TRUE(f->IsFieldSetAndNotNull(f->GetFieldIndex("f_table_schema")));
        EXPECT_EQ(fieldText(*f, "f_table_schema"), "");
        EXPECT_EQ(fieldText(*f, "f_geometry_column"), "geom");
        const std::string qml = fieldText(*f, "styleQML");
        EXPECT_NE(qml.find("<renderer-v2"), std::string::npos);
        EXPECT_EQ(qml.find("{{"), std::string::npos) << "unfilled placeholder in " << table;
        if (f->GetFieldAsInteger("useAsDefault")) ++defaults[table];
    }
    EXPECT_EQ(styled, (std::set<std::string>{"municipalities", "designated_areas", "hubs", "catchments", "uncovered",
                                             "uncovered_population", "prefecture_summary"}));
    for (const auto& table : styled) EXPECT_EQ(defaults[table], 1) << table;

    std::unique_ptr<OGRLayer, std::function<void(OGRLayer*)>> contents(
        ds->ExecuteSQL("SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'", nullptr, nullptr),
        [&](OGRLayer* l) { ds->ReleaseResultSet(l); });
    ASSERT_NE(contents, nullptr);
    OgrFeaturePtr row(contents->GetNextFeature());
    ASSERT_NE(row, nullptr) << "layer_styles is registered in gpkg_contents";
    EXPECT_STREQ(row->GetFieldAsString(0), "attributes");

    // Municipalities: by designation (default), by hub presence, by covered share.
    std::unique_ptr<OGRLayer, std::function<void(OGRLayer*)>> muni(
        ds->ExecuteSQL("SELECT styleName, useAsDefault, styleQML FROM layer_styles WHERE f_table_name = "
                       "'municipalities' ORDER BY id",
                       nullptr, nullptr),
        [&](OGRLayer* l) { ds->ReleaseResultSet(l); });
    std::vector<std::string> qmls;
    for (OgrFeaturePtr f(muni->GetNextFeature()); f; f.reset(muni->GetNextFeature()))
        qmls.push_back(f->GetFieldAsString(2));
    ASSERT_EQ(qmls.size(), 3u);
    EXPECT_NE(qmls[0].find("type=\"categorizedSymbol\" attr=\"designation\""), std::string::npos);
    EXPECT_NE(qmls[0].find("全部過疎"), std::string::npos);
    EXPECT_NE(qmls[2].find("type=\"graduatedSymbol\" attr=\"covered_share\""), std::string::npos);
}

TEST_F(ExportNational, MetadataRecordsTheQuerySourcesCreditAndVersion) {
    GdalDatasetPtr ds = openVector(gpkgPath(), {}, {"GPKG"});
    std::unique_ptr<OGRLayer, std::function<void(OGRLayer*)>> sql(
        ds->ExecuteSQL("SELECT m.md_scope, m.mime_type, m.metadata, r.reference_scope FROM gpkg_metadata m "
                       "JOIN gpkg_metadata_reference r ON r.md_file_id = m.id "
                       "WHERE m.md_standard_uri = 'urn:hubmap:metadata:export:1' ORDER BY m.id",
                       nullptr, nullptr),
        [&](OGRLayer* l) { ds->ReleaseResultSet(l); });
    ASSERT_NE(sql, nullptr);
    OgrFeaturePtr jsonRow(sql->GetNextFeature());
    ASSERT_NE(jsonRow, nullptr);
    EXPECT_STREQ(jsonRow->GetFieldAsString(0), "dataset");
    EXPECT_STREQ(jsonRow->GetFieldAsString(1), "application/json");
    EXPECT_STREQ(jsonRow->GetFieldAsString(3), "geopackage");
    const auto meta = nlohmann::json::parse(jsonRow->GetFieldAsString(2));
    EXPECT_EQ(meta.at("hubmap_version"), kVersion);
    EXPECT_EQ(meta.at("credits").at(0), kMlitBoundaryCredit);
    // The command's description of the query (cli/coverage_output.cpp describeQuery).
    const std::string requestedBy = meta.at("requested_by");
    EXPECT_EQ(requestedBy.rfind("hubmap export: ", 0), 0u) << requestedBy;
    EXPECT_NE(requestedBy.find("; all prefectures; hub kinds: all; radius 10 km; " +
                               std::to_string(result().hubsUsed.size()) + " hubs used"),
              std::string::npos)
        << requestedBy;
    EXPECT_FALSE(meta.at("sources").empty());
    for (const auto& s : meta.at("sources")) EXPECT_FALSE(s.at("vintage").get<std::string>().empty());
    // The query, sources, hubs and notes are the coverage JSON header's own.
    const auto header = coverageToJson(data(), result(), "nation").at("header");
    for (const char* key : {"query", "database", "sources", "hubs", "notes"})
        EXPECT_EQ(meta.at(key), header.at(key)) << key;
    EXPECT_EQ(meta.at("query").at("radius_km"), 10.0);
    ASSERT_EQ(meta.at("layers").size(), 7u);
    EXPECT_EQ(meta.at("layers").at(0).at("features"), 1747);
    OgrFeaturePtr textRow(sql->GetNextFeature());
    ASSERT_NE(textRow, nullptr);
    EXPECT_STREQ(textRow->GetFieldAsString(1), "text/plain");
    EXPECT_NE(std::string(textRow->GetFieldAsString(2)).find(kMlitBoundaryCredit), std::string::npos);
}

TEST_F(ExportNational, FolderFormatsWriteEveryLayerWithTheSameFigures) {
    ScratchDir dir;
    NoProgress progress;
    // 高知県's query: the formats' writers are what is tested; the national figures are the
    // GeoPackage's (MunicipalityFiguresEqualTheCoverageJsonToTheLastDigit).
    const CoverageResult& kochi = kochiResult();
    const nlohmann::json json = coverageToJson(data(), kochi, "municipality");
    std::map<std::string, const nlohmann::json*> byCode;
    for (const auto& m : json.at("municipalities")) byCode[m.at("code")] = &m;
    const GdalDatasetPtr gpkg = openVector(gpkgPath());
    const OGRSpatialReference* jgd2011 = gpkg->GetLayerByName("hubs")->GetSpatialRef();
    for (const auto& [format, ext] : std::vector<std::pair<std::string, std::string>>{
             {"GeoJSON", "geojson"}, {"FlatGeobuf", "fgb"}, {"ESRI Shapefile", "shp"}}) {
        SCOPED_TRACE(format);
        ExportOptions out;
        out.outPath = dir.file("out-" + ext);
        out.format = format;
        const ExportReport rep = exportCoverage(data(), kochi, out, progress);
        const bool shapefile = format == "ESRI Shapefile";
        for (const auto& [layer, count] : rep.layers) {
            const std::string file = out.outPath + "/" + layer + "." + ext;
            ASSERT_TRUE(fs::exists(file)) << file;
            GdalDatasetPtr ds = openVector(file);
            OGRLayer* l = ds->GetLayer(0);
            EXPECT_EQ(l->GetFeatureCount(), count) << layer;
            ASSERT_NE(l->GetSpatialRef(), nullptr) << layer;
            EXPECT_TRUE(l->GetSpatialRef()->IsSame(jgd2011)) << layer << " is in JGD2011";
            if (shapefile) {
                for (int i = 0; i < l->GetLayerDefn()->GetFieldCount(); ++i) {
                    EXPECT_LE(std::string(l->GetLayerDefn()->GetFieldDefn(i)->GetNameRef()).size(), 10u);
                }
            }
        }
        EXPECT_TRUE(fs::exists(out.outPath + "/hubmap_export.json"));
        EXPECT_NE(readFile(out.outPath + "/CREDITS.txt").find(kMlitBoundaryCredit), std::string::npos);
        EXPECT_TRUE(fs::exists(out.outPath + "/municipalities.qml"));
        // Figures: exact in GeoJSON and FlatGeobuf; Shapefile's DBF keeps 15 decimals.
        GdalDatasetPtr ds = openVector(out.outPath + "/municipalities." + ext);
        auto rows = featuresBy(ds->GetLayer(0), "code");
        ASSERT_EQ(rows.size(), 34u);  // 高知県's municipalities, designated or not
        const char* shareField = shapefile ? "cov_share" : "covered_share";
        const char* areaField = shapefile ? "cov_km2" : "covered_km2";
        for (const auto& [code, m] : byCode) {
            const OGRFeature& f = *rows.at(code);
            if (m->at("covered_share").is_null()) continue;
            const double share = m->at("covered_share"), km2 = m->at("covered_km2");
            if (shapefile) {
                EXPECT_NEAR(f.GetFieldAsDouble(shareField), share, 1e-15) << code;
                EXPECT_NEAR(f.GetFieldAsDouble(areaField), km2, 1e-12 * std::max(1.0, km2)) << code;
            } else {
                EXPECT_EQ(f.GetFieldAsDouble(shareField), share) << code;
                EXPECT_EQ(f.GetFieldAsDouble(areaField), km2) << code;
            }
        }
    }
}

TEST_F(ExportNational, WithoutARadiusThereAreNoCatchmentLayersAndNoAreaFigures) {
    ScratchDir dir;
    NoProgress progress;
    const CoverageResult plain = computeCoverage(data(), CoverageOptions{}, progress);
    ExportOptions out;
    out.outPath = dir.file("plain.gpkg");
    const ExportReport rep = exportCoverage(data(), plain, out, progress);
    ASSERT_EQ(rep.layers.size(), 4u);
    GdalDatasetPtr ds = openVector(out.outPath, {}, {"GPKG"});
    EXPECT_EQ(ds->GetLayerByName("catchments"), nullptr);
    EXPECT_EQ(ds->GetLayerByName("uncovered"), nullptr);
    const nlohmann::json json = coverageToJson(data(), plain, "municipality");
    auto rows = featuresBy(ds->GetLayerByName("municipalities"), "code");
    for (const auto& m : json.at("municipalities")) {
        const OGRFeature& f = *rows.at(m.at("code").get<std::string>());
        EXPECT_TRUE(fieldJson(f, "covered_km2").is_null());
        EXPECT_EQ(fieldJson(f, "hubs"), m.at("hubs"));
        EXPECT_EQ(fieldJson(f, "covered"), m.at("covered"));
    }
    // Styles that need a radius (covered share, catchments, uncovered) are left out: designation,
    // presence, designated areas, kind and borders remain.
    std::unique_ptr<OGRLayer, std::function<void(OGRLayer*)>> styles(
        ds->ExecuteSQL("SELECT COUNT(*) FROM layer_styles", nullptr, nullptr),
        [&](OGRLayer* l) { ds->ReleaseResultSet(l); });
    OgrFeaturePtr count(styles->GetNextFeature());
    EXPECT_EQ(count->GetFieldAsInteger(0), 5);
    // A radius without the geometry products is a usage error, not a silently thin file
    // (高知県's query: what is missing is the same at any size).
    CoverageOptions radius;
    radius.radiusKm = 5;
    radius.prefectures = {"高知県"};
    const CoverageResult noGeometry = computeCoverage(data(), radius, progress);
    out.outPath = dir.file("thin.gpkg");
    EXPECT_THROW(exportCoverage(data(), noGeometry, out, progress), UsageError);
    EXPECT_FALSE(fs::exists(out.outPath));
}

TEST(ExportFieldNames, ShapefileNamesAreShortUniqueAndAscii) {
    for (const char* layer :
         {"municipalities", "designated_areas", "hubs", "catchments", "uncovered", "prefecture_summary"}) {
        std::set<std::string> seen;
        for (const auto& [full, shortName] : shapefileFieldNames(layer)) {
            EXPECT_LE(shortName.size(), 10u) << layer << " " << full;
            EXPECT_LE(full.size(), 31u) << layer << " " << full;
            EXPECT_TRUE(seen.insert(shortName).second) << layer << " duplicate " << shortName;
            for (char c : full + shortName)
                EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') << full;
        }
    }
}

// ---- Safety: atomic writes, refusals, failures that leave nothing behind.

TEST_F(ExportNational, AnExistingFileIsRefusedWithoutOverwriteAndLeftByteForByte) {
    ScratchDir dir;
    const std::string target = dir.file("existing.gpkg");
    { std::ofstream(target, std::ios::binary) << "not touched"; }
    NoProgress progress;
    ExportOptions out;
    out.outPath = target;
    try {
        exportCoverage(data(), result(), out, progress);
        FAIL() << "expected a UsageError";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("use --overwrite"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(target), std::string::npos) << e.what();
    }
    EXPECT_EQ(readFile(target), "not touched");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);

    out.overwrite = true;
    const ExportReport rep = exportCoverage(data(), result(), out, progress);
    GdalDatasetPtr ds = openVector(target, {}, {"GPKG"});
    EXPECT_EQ(ds->GetLayerByName("municipalities")->GetFeatureCount(), 1747);
    // The library's report: the layers and counts `hubmap export` reported for the same query.
    ASSERT_EQ(rep.layers.size(), 7u);
    EXPECT_EQ(rep.layers[0], (std::pair<std::string, long long>("municipalities", 1747)));
    EXPECT_EQ(rep.layers, reportedLayers());
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1) << "no staging file left";
    // The library wrote the figures `hubmap export` wrote for the same query.
    auto rows = featuresBy(ds->GetLayerByName("municipalities"), "code");
    auto cli = featuresBy(openVector(gpkgPath(), {}, {"GPKG"})->GetLayerByName("municipalities"), "code");
    ASSERT_EQ(rows.size(), cli.size());
    for (const auto& [code, f] : cli) {
        ASSERT_TRUE(rows.count(code)) << code;
        EXPECT_EQ(fieldJson(*rows.at(code), "covered_km2"), fieldJson(*f, "covered_km2")) << code;
    }
}

TEST_F(ExportNational, OverwriteReplacesOnlyFoldersWrittenByHubmap) {
    ScratchDir dir;
    const std::string target = dir.file("mine");
    fs::create_directories(target);
    { std::ofstream(target + "/precious.txt") << "keep"; }
    NoProgress progress;
    ExportOptions out;
    out.outPath = target;
    out.format = "GeoJSON";
    out.overwrite = true;
    EXPECT_THROW(exportCoverage(data(), kochiResult(), out, progress), Error);
    EXPECT_EQ(readFile(target + "/precious.txt"), "keep");
    // An earlier export's folder is replaced.
    const std::string earlier = dir.file("earlier");
    out.outPath = earlier;
    out.overwrite = false;
    exportCoverage(data(), kochiResult(), out, progress);
    EXPECT_THROW(exportCoverage(data(), kochiResult(), out, progress), UsageError);
    out.overwrite = true;
    exportCoverage(data(), kochiResult(), out, progress);
    EXPECT_TRUE(fs::exists(earlier + "/municipalities.geojson"));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 2)
        << "no staging folder left";
}

TEST_F(ExportNational, ABadPathIsAnErrorNamingItAndWritesNothing) {
    ScratchDir dir;
    NoProgress progress;
    ExportOptions out;
    out.outPath = dir.file("no/such/folder/out.gpkg");
    try {
        exportCoverage(data(), result(), out, progress);
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(out.outPath), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos) << e.what();
    }
    EXPECT_TRUE(fs::is_empty(dir.path()));
    out.outPath = dir.file("out.geojson");
    EXPECT_THROW(exportCoverage(data(), result(), out, progress), UsageError) << "GPKG needs .gpkg";
    out.format = "KML";
    EXPECT_THROW(exportCoverage(data(), result(), out, progress), UsageError);
    EXPECT_TRUE(fs::is_empty(dir.path()));
}

TEST_F(ExportNational, ACancelledExportLeavesNoFileAndTheOldOneIntact) {
    // 高知県's query: the same layers and steps as the national one, written in a tenth of the time.
    ScratchDir dir;
    const std::string target = dir.file("cancelled.gpkg");
    { std::ofstream(target, std::ios::binary) << "old export"; }
    for (const char* step : {"writing hubs", "writing prefecture_summary", "writing styles and metadata"}) {
        SCOPED_TRACE(step);
        CancelAtStep progress(step);
        ExportOptions out;
        out.outPath = target;
        out.overwrite = true;
        EXPECT_THROW(exportCoverage(data(), kochiResult(), out, progress), Cancelled);
        EXPECT_EQ(readFile(target), "old export");
        EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
    }
}

TEST_F(ExportNational, ADiskFullFailureLeavesNoPartialFile) {
    // RLIMIT_FSIZE makes writes past 256 KB fail with EFBIG, as a full disk fails them;
    // SIGXFSZ is ignored so the process sees the error instead of being killed. 高知県's
    // export (about 620 KB) runs into it, as the national one (18 MB) does, in a third of the time.
    ScratchDir dir;
    const std::string target = dir.file("full.gpkg");
    { std::ofstream(target, std::ios::binary) << "old export"; }
    const auto r = runCommand("trap '' XFSZ; ulimit -f 256; HUBMAP_DB=" + quoted(kNationalDb) + " " +
                              hubmap::test::kHubmapCli + " export -q --db " + quoted(kNationalDb) +
                              " --prefecture 高知 --radius-km 10 --overwrite --out " + quoted(target));
    EXPECT_EQ(r.status, 1) << r.err;
    EXPECT_NE(r.err.find(target), std::string::npos) << r.err;
    EXPECT_EQ(readFile(target), "old export");
    EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1) << r.err;
}

// ---- The CLI front end.

TEST_F(ExportNational, CliExportsTheSameFileAndRefusesAnExistingOne) {
    // The CLI's file is the fixture's (`hubmap export -q --radius-km 10`); that it holds the
    // library's figures is checked by MunicipalityFigures... and AnExistingFile...
    ScratchDir dir;
    const std::string target = dir.file("cli.gpkg");
    fs::copy_file(gpkgPath(), target);
    const std::string db = " --db " + quoted(kNationalDb);
    EXPECT_NE(readFile(gpkgPath() + ".txt").find("municipalities"), std::string::npos);
    // The figures equal those `hubmap coverage --format json` prints for the same query,
    // to the last digit (the export computes with keepGeometry, the JSON without).
    for (const std::string by : {"municipality", "prefecture"}) {
        const auto json = runHubmapInProcess("coverage -q" + db + " --radius-km 10 --format json --by " + by);
        ASSERT_EQ(json.status, 0) << json.err;
        const auto parsed = nlohmann::json::parse(json.out);
        GdalDatasetPtr ds = openVector(target, {}, {"GPKG"});
        const bool municipal = by == "municipality";
        auto rows = featuresBy(ds->GetLayerByName(municipal ? "municipalities" : "prefecture_summary"),
                               municipal ? "code" : "name");
        const auto& list = parsed.at(municipal ? "municipalities" : "prefectures");
        ASSERT_FALSE(list.empty());
        for (const auto& item : list) {
            const std::string key = item.at(municipal ? "code" : "name");
            ASSERT_TRUE(rows.count(key)) << key;
            for (const auto& [field, value] : item.items()) {
                if (field == "uncovered") continue;  // a list of {code, name}, checked in PrefectureFigures...
                EXPECT_EQ(fieldJson(*rows.at(key), field.c_str()), asField(value)) << key << " " << field;
            }
        }
    }
    const std::string before = readFile(target);
    auto r = hubmap::test::runHubmapBothWays("export -q" + db + " --out " + quoted(target));
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("use --overwrite"), std::string::npos) << r.err;
    EXPECT_EQ(readFile(target), before);
    r = runHubmapInProcess("export -q" + db + " --format KML --out " + quoted(dir.file("x")));
    EXPECT_EQ(r.status, 2) << r.err;
}

TEST_F(ExportNational, APrefectureExportHoldsItsMunicipalitiesAndTheHubsAndCatchmentsThatReachIt) {
    ScratchDir dir;
    const std::string out = dir.file("kochi.gpkg");
    const auto r = runHubmapInProcess("export -q --db " + std::string(kNationalDb) +
                                      " --prefecture 高知 --radius-km 30 --out " + quoted(out));
    ASSERT_EQ(r.status, 0) << r.err;
    GdalDatasetPtr ds = openVector(out);
    ASSERT_TRUE(ds);

    // Exactly 高知県's municipalities, and its one summary row.
    std::set<std::string> expected, written;
    for (const Municipality& m : data().municipalities) {
        if (m.prefectureCode == 39) expected.insert(m.code);
    }
    for (const auto& [code, f] : featuresBy(ds->GetLayerByName("municipalities"), "code")) written.insert(code);
    EXPECT_EQ(written, expected);
    OGRLayer* summary = ds->GetLayerByName("prefecture_summary");
    ASSERT_EQ(summary->GetFeatureCount(), 1);
    OgrFeaturePtr kochi(summary->GetNextFeature());
    EXPECT_EQ(fieldText(*kochi, "code"), "39");
    const OGRGeometry* boundary = kochi->GetGeometryRef();
    ASSERT_TRUE(boundary);

    // The catchments end at the prefecture's boundary: each is the national catchment of its
    // kind cut by 高知県, to the area.
    CoverageOptions options;
    options.radiusKm = 30;
    options.keepGeometry = true;
    NoProgress progress;
    const CoverageResult national = computeCoverage(data(), options, progress);
    const Geodesic geodesic;
    OGRLayer* catchments = ds->GetLayerByName("catchments");
    const auto byKind = featuresBy(catchments, "kind");
    const Prefecture& p = data().prefectures.at(static_cast<size_t>(data().prefectureIndex("高知県")));
    size_t reaching = 0;
    for (const auto& [kind, whole] : national.catchments) {
        GeomPtr cut = takeGeom(*data().ctx, GEOSIntersection_r(*data().ctx, whole.get(), p.geom.get()), "cut");
        if (GEOSisEmpty_r(*data().ctx, cut.get()) == 1) {
            EXPECT_EQ(byKind.count(kind), 0u) << kind << " does not reach 高知県";
            continue;
        }
        ++reaching;
        ASSERT_EQ(byKind.count(kind), 1u) << kind;
        const OGRFeature& f = *byKind.at(kind);
        const OGRGeometry* g = f.GetGeometryRef();
        ASSERT_TRUE(g) << kind;
        std::unique_ptr<OGRGeometry> outside(g->Difference(boundary));
        EXPECT_LT(outside ? OGR_G_Area(OGRGeometry::ToHandle(outside.get())) : 0.0, 1e-9) << kind << " leaves 高知県";
        const double area = f.GetFieldAsDouble("area_km2");
        EXPECT_NEAR(area, geodesic.areaKm2(*data().ctx, cut.get()), 1e-6 * area) << kind;
    }
    EXPECT_GE(reaching, 2u);
    EXPECT_EQ(catchments->GetFeatureCount(), static_cast<GIntBig>(reaching));

    // Hubs: those inside 高知県 (or placed only to it), and the neighbours' whose 30 km reaches
    // into it — checked against the distance to the boundary's vertices (≥ the true distance;
    // the simplified boundary's vertices lie within a few km of each other).
    std::vector<std::pair<double, double>> vertices;
    const OGRMultiPolygon* mp = boundary->toMultiPolygon();
    for (const OGRPolygon* poly : *mp) {
        for (const OGRLinearRing* ring : *poly) {
            for (const OGRPoint& pt : *ring) vertices.emplace_back(pt.getX(), pt.getY());
        }
    }
    auto vertexKm = [&](double lon, double lat) {
        double best = 1e9;
        for (const auto& [x, y] : vertices) best = std::min(best, geodesic.distanceKm(lon, lat, x, y));
        return best;
    };
    const auto hubs = featuresBy(ds->GetLayerByName("hubs"), "id");
    int neighbours = 0;
    for (int i : national.hubsUsed) {
        const Hub& h = data().hubs.at(static_cast<size_t>(i));
        const bool in = hubs.count(h.id) > 0;
        if (h.prefecture == "高知県") {
            EXPECT_TRUE(in) << h.id << " of 高知県 is missing";
        } else if (!h.lon || !h.lat) {
            EXPECT_FALSE(in) << h.id << " has no point and is not in 高知県";
        } else if (in) {
            ++neighbours;
            EXPECT_LE(vertexKm(*h.lon, *h.lat), 33.0) << h.id << " (" << h.prefecture << ") is beyond 30 km";
        } else {
            EXPECT_GT(vertexKm(*h.lon, *h.lat), 30.0) << h.id << " (" << h.prefecture << ") reaches 高知県";
        }
    }
    EXPECT_GE(neighbours, 1) << "no hub of a neighbouring prefecture reaches 高知県 within 30 km";
}

TEST(ExportImportSources, TheExportCreditsEveryImportSourceOfItsHubsAndInfoListsThem) {
    ScratchDir dir;
    const std::string db = dir.file("db.sqlite");
    fs::copy_file(kNationalDb, db);
    const std::string csv = std::string(test::kTestDataDir) + "/hubs/sjis_centres.csv";
    auto r = runHubmapInProcess("import -q --kind activity_centre --db " + quoted(db) + " " + quoted(csv));
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string out = dir.file("kochi.gpkg");
    r = runHubmapInProcess("export -q --prefecture 高知 --radius-km 10 --db " + quoted(db) + " --out " + quoted(out));
    ASSERT_EQ(r.status, 0) << r.err;

    GdalDatasetPtr ds = openVector(out);
    ASSERT_TRUE(ds);
    OGRLayer* rows =
        ds->ExecuteSQL("SELECT metadata FROM gpkg_metadata WHERE mime_type = 'application/json'", nullptr, nullptr);
    ASSERT_TRUE(rows);
    OgrFeaturePtr row(rows->GetNextFeature());
    ASSERT_TRUE(row);
    const nlohmann::json metadata = nlohmann::json::parse(row->GetFieldAsString(0));
    ds->ReleaseResultSet(rows);
    std::map<std::string, nlohmann::json> sources;
    for (const auto& s : metadata.at("import_sources")) sources[s.at("name").get<std::string>()] = s;
    ASSERT_EQ(sources.count("sjis_centres.csv"), 1u) << metadata["import_sources"].dump(2);
    const nlohmann::json& imported = sources["sjis_centres.csv"];
    EXPECT_EQ(imported["file"], fs::absolute(csv).lexically_normal().string());
    EXPECT_EQ(imported["rows"], 4);
    EXPECT_EQ(imported["rows_in_export"], 4);  // all four are in 高知県
    EXPECT_EQ(imported["imported_at"].get<std::string>().size(), 20u) << "YYYY-MM-DDTHH:MM:SSZ";
    ASSERT_EQ(sources.count("builtin:kochi_activity_centres.csv"), 1u);
    EXPECT_EQ(sources["builtin:kochi_activity_centres.csv"]["file"], "geodata/hubs/kochi_activity_centres.csv");
    EXPECT_EQ(sources.count("builtin:rmo.csv"), 0u) << "no rmo hub reaches 高知県: not credited";
    rows = ds->ExecuteSQL("SELECT metadata FROM gpkg_metadata WHERE mime_type = 'text/plain'", nullptr, nullptr);
    ASSERT_TRUE(rows);
    row.reset(rows->GetNextFeature());
    ASSERT_TRUE(row);
    EXPECT_NE(std::string(row->GetFieldAsString(0)).find("sjis_centres.csv: /"), std::string::npos);
    ds->ReleaseResultSet(rows);
    ds.reset();

    r = runHubmapInProcess("info -q --db " + quoted(db));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("  sjis_centres.csv: 4 rows, /"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("  designated_parts "), std::string::npos) << "every table of hubmap's is listed";
    EXPECT_NE(r.out.find("  import_sources "), std::string::npos);
    EXPECT_EQ(r.out.find("idx_hubs_geom"), std::string::npos) << "SpatiaLite's tables are counted, not listed";
    r = runHubmapInProcess("hubs -q --remove-source sjis_centres.csv --db " + quoted(db));
    ASSERT_EQ(r.status, 0) << r.err;
    r = runHubmapInProcess("info -q --db " + quoted(db));
    EXPECT_EQ(r.out.find("sjis_centres.csv"), std::string::npos) << r.out;
}

// Every hub kind gets its own symbol in the exported style, picked from the kind itself; a
// custom kind shows its --kind-label in the legend.
TEST(HubKindStyles, EveryKindHasItsOwnSymbolChosenFromItsName) {
    std::vector<std::string> kinds = {"small_hub", "rmo", "activity_centre", "model_project"};
    for (int i = 0; i < 40; ++i) kinds.push_back(fmt::format("custom_{}", i));
    kinds.emplace_back("道の駅");
    const auto symbols = hubKindSymbols(kinds, {{"custom_3", "島根県小さな拠点"}});
    ASSERT_EQ(symbols.size(), kinds.size());
    std::set<std::string> pairs;
    std::map<std::string, std::string> byKind;
    for (const auto& s : symbols) {
        const std::string pair = fmt::format("{} {},{},{}", s.shape, s.red, s.green, s.blue);
        EXPECT_TRUE(pairs.insert(pair).second) << s.kind << " shares " << pair;
        byKind[s.kind] = pair;
    }
    EXPECT_EQ(symbols[0].kind, "small_hub");
    EXPECT_EQ(symbols[0].label, "小さな拠点 (small hub)");
    EXPECT_EQ(byKind["small_hub"], "circle 31,120,180");
    for (const auto& s : symbols) {
        if (s.kind == "custom_3") {
            EXPECT_EQ(s.label, "島根県小さな拠点");
        } else if (s.kind == "道の駅") {
            EXPECT_EQ(s.label, "道の駅");
        }
    }
    // The same kind looks the same in another export with other kinds beside it.
    const auto alone = hubKindSymbols({"道の駅", "small_hub"}, {});
    ASSERT_EQ(alone.size(), 2u);
    EXPECT_EQ(fmt::format("{} {},{},{}", alone[1].shape, alone[1].red, alone[1].green, alone[1].blue),
              byKind["道の駅"]);
    // The QML: one category and one symbol per kind, then the catch-all.
    const auto blocks = hubKindStyleBlocks(alone);
    const std::string qml =
        renderQgisStyle("hubs_kind.qml", "hubs", {fieldInfos(hubFields(), kOutExport)}, false, blocks);
    EXPECT_NE(qml.find(R"(<category value="道の駅" symbol="1" label="道の駅" render="true"/>)"), std::string::npos)
        << qml;
    EXPECT_NE(qml.find(R"x(<category value="" symbol="2" label="その他の種別 (other kinds)")x"), std::string::npos);
    EXPECT_NE(qml.find(R"(<symbol type="marker" name="2")"), std::string::npos);
    EXPECT_EQ(qml.find("{{"), std::string::npos);
}

TEST(HubKindStyles, AnExportedGeoPackageStylesACustomKindWithItsLabel) {
    ScratchDir scratch;
    const std::string db = scratch.file("hubmap.sqlite");
    fs::copy_file(kNationalDb, db);
    const std::string csv = scratch.file("shimane.csv");
    std::ofstream(csv) << "id,name,lon,lat,電話番号\n1,邑南町の拠点,132.4380,34.8938,0855-00-0000\n";
    auto r = runHubmapInProcess("import " + csv + " --kind shimane_small_hub --kind-label 島根県小さな拠点 --db " + db +
                                " -q");
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string gpkg = scratch.file("out.gpkg");
    r = runHubmapInProcess("export --prefecture 32 --db " + db + " --out " + gpkg + " -q");
    ASSERT_EQ(r.status, 0) << r.err;
    GdalDatasetPtr ds = openVector(gpkg, {}, {"GPKG"});
    std::unique_ptr<OGRLayer, std::function<void(OGRLayer*)>> styles(
        ds->ExecuteSQL("SELECT styleQML FROM layer_styles WHERE f_table_name = 'hubs'", nullptr, nullptr),
        [&](OGRLayer* l) { ds->ReleaseResultSet(l); });
    ASSERT_NE(styles, nullptr);
    OgrFeaturePtr f(styles->GetNextFeature());
    ASSERT_NE(f, nullptr);
    const std::string qml = f->GetFieldAsString(0);
    EXPECT_NE(qml.find(R"(value="shimane_small_hub")"), std::string::npos) << qml;
    EXPECT_NE(qml.find(R"(label="島根県小さな拠点")"), std::string::npos) << qml;
    // The hub carries the planner's other column.
    OGRLayer* hubs = ds->GetLayerByName("hubs");
    ASSERT_NE(hubs, nullptr);
    bool found = false;
    for (OgrFeaturePtr h(hubs->GetNextFeature()); h; h.reset(hubs->GetNextFeature())) {
        if (fieldText(*h, "kind") != "shimane_small_hub") continue;
        found = true;
        EXPECT_EQ(fieldText(*h, "extra"), R"({"電話番号":"0855-00-0000"})");
    }
    EXPECT_TRUE(found);
}
