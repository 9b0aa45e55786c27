#include "io/export.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <cpl_conv.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
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
#include "embedded/qgis_styles.hpp"
#include "io/gdal.hpp"
#include "io/staged_output.hpp"

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
/// DBF text fields hold at most 254 bytes.
constexpr size_t kShapefileTextBytes = 254;

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
// Layer schemas. One table per layer: the name every format uses, the Shapefile name
// (≤ 10 characters, documented in the README), the type, and a Japanese/English alias
// that QGIS shows through the styles.

enum class FieldType { Text, Integer, Integer64, Real, Boolean };

struct FieldSpec {
    const char* name;
    const char* shapefileName;
    FieldType type;
    const char* alias;
    /// Filled from the coverage JSON object of the row, key = name (so the figures are
    /// the JSON's to the last digit; lists become '|'-separated text).
    bool fromJson = false;
};

struct LayerSpec {
    const char* name;
    OGRwkbGeometryType geometry;
    const char* title;
    const char* description;
    bool boundaryDerived;  ///< carries MLIT's N03 geometry: the credit goes in its description
    std::vector<FieldSpec> fields;
};

const std::vector<LayerSpec>& layerSpecs() {
    using T = FieldType;
    static const std::vector<LayerSpec> specs = {
        {"municipalities",
         wkbMultiPolygon,
         "市区町村 municipalities",
         "Every municipality (N03 2021-01-01; designated cities dissolved from their wards) with its "
         "depopulation designation and the coverage figures of the query (null where not designated or "
         "not in the query).",
         true,
         {
             {"code", "code", T::Text, "市区町村コード (code)"},
             {"prefecture_code", "pref_code", T::Integer, "都道府県コード (prefecture code)"},
             {"prefecture", "prefecture", T::Text, "都道府県 (prefecture)"},
             {"county", "county", T::Text, "郡 (county)"},
             {"name", "name", T::Text, "市区町村名 (name)"},
             {"designated_city", "desig_city", T::Boolean, "政令指定都市 (designated city)"},
             {"northern_territories", "north_terr", T::Boolean, "北方領土 (Northern Territories)"},
             {"area_km2", "area_km2", T::Real, "面積 km² (area)"},
             {"designation", "desig_type", T::Text, "過疎区分 (designation: full/partial/deemed/none)"},
             {"designation_ja", "desig_ja", T::Text, "過疎区分 (designation, Japanese)"},
             {"partial", "partial", T::Boolean, "一部過疎 (partly designated)"},
             {"former_municipalities", "former_mun", T::Text,
              "一部過疎の区域 (designated former municipalities, |-separated)"},
             {"designation_incomplete", "desig_inc", T::Boolean, "区域の記載が途中で切れている (source row cut short)"},
             {"in_query", "in_query", T::Boolean, "集計対象 (in the query)"},
             // From here on, the figures of the coverage JSON (municipalityCoverageJson), as they are.
             {"hubs", "hubs", T::Integer, "拠点数 (hubs inside)", true},
             {"hub_ids", "hub_ids", T::Text, "拠点ID (ids of the hubs inside, |-separated)", true},
             {"covered", "covered", T::Boolean, "拠点あり (a hub inside)", true},
             {"covered_km2", "cov_km2", T::Real, "圏域内面積 km² (area within the radius)", true},
             {"covered_share", "cov_share", T::Real, "カバー率 (covered share)", true},
             {"settlements", "settl_all", T::Integer64, "集落数 (settlements)", true},
             {"settlements_covered", "settl_cov", T::Integer64, "圏域内の集落数 (settlements within the radius)", true},
         }},
        {"hubs",
         wkbPoint,
         "拠点 hubs",
         "The hubs the query used (after the kind and date filters), with every attribute of the "
         "hubmap database; hubs of prefecture precision have no point.",
         false,
         {
             {"id", "id", T::Text, "ID"},
             {"kind", "kind", T::Text, "種別 (kind)"},
             {"name", "name", T::Text, "名称 (name)"},
             {"prefecture", "prefecture", T::Text, "都道府県 (prefecture)"},
             {"municipality", "muni_name", T::Text, "市区町村 (municipality)"},
             {"code", "code", T::Text, "市区町村コード (stated code)"},
             {"district", "district", T::Text, "地区 (district)"},
             {"lon", "lon", T::Real, "経度 (longitude)"},
             {"lat", "lat", T::Real, "緯度 (latitude)"},
             {"location_precision", "loc_prec", T::Text,
              "位置の精度 (precision: exact/settlement/municipality/prefecture)"},
             {"opened", "opened", T::Text, "開設 (opened, YYYY-MM)"},
             {"programme", "programme", T::Text, "事業 (programme)"},
             {"fiscal_year", "fiscal_yr", T::Integer, "年度 (fiscal year)"},
             {"operator_name", "oper_name", T::Text, "運営主体 (operator)"},
             {"source_ref", "source_ref", T::Text, "出典内の番号 (source reference)"},
             {"source", "source", T::Text, "出典 (source)"},
             {"note", "note", T::Text, "備考 (note)"},
             {"import_source", "import_src", T::Text, "取込元 (import batch)"},
             {"code_mismatch", "code_diff", T::Boolean, "コードと位置の不一致 (stated code differs from location)"},
             {"located_code", "loc_code", T::Text,
              "位置する市区町村コード (code of the municipality containing the point)"},
         }},
        {"catchments",
         wkbMultiPolygon,
         "圏域 catchments",
         "Dissolved catchments: the area within the radius (geodesic) of any hub, one feature per hub kind "
         "with a radius.",
         false,
         {
             {"kind", "kind", T::Text, "種別 (kind)"},
             {"radius_km", "radius_km", T::Real, "半径 km (radius)"},
             {"hubs", "hubs", T::Integer, "拠点数 (hubs with a point)"},
             {"area_km2", "area_km2", T::Real, "面積 km² (geodesic area of the catchment)"},
         }},
        {"uncovered",
         wkbMultiPolygon,
         "圏域外 uncovered",
         "The parts of the designated municipalities in the query outside every catchment, one feature per "
         "municipality with such a part.",
         true,
         {
             {"code", "code", T::Text, "市区町村コード (code)"},
             {"prefecture", "prefecture", T::Text, "都道府県 (prefecture)"},
             {"name", "name", T::Text, "市区町村名 (name)"},
             {"designation", "desig_type", T::Text, "過疎区分 (designation)"},
             {"area_km2", "area_km2", T::Real, "面積 km² (municipality area)"},
             {"covered_km2", "cov_km2", T::Real, "圏域内面積 km² (covered area)"},
             {"uncovered_km2", "uncov_km2", T::Real, "圏域外面積 km² (area_km2 - covered_km2)"},
             {"uncovered_share", "uncov_shr", T::Real, "圏域外の割合 (1 - covered share)"},
         }},
        {"prefecture_summary",
         wkbMultiPolygon,
         "都道府県別集計 prefecture summary",
         "The 47 prefectures (dissolved from the municipalities) with the query's per-prefecture figures "
         "over their designated municipalities (null for prefectures not in the query).",
         true,
         {
             {"code", "code", T::Integer, "都道府県コード (prefecture code)"},
             {"name", "name", T::Text, "都道府県 (prefecture)"},
             {"area_km2", "area_km2", T::Real, "面積 km² (prefecture area)"},
             {"in_query", "in_query", T::Boolean, "集計対象 (in the query)"},
             // The figures of the coverage JSON (coverageTotalsJson), as they are.
             {"designated", "designated", T::Integer, "過疎市町村数 (designated municipalities)", true},
             {"covered", "covered", T::Integer, "拠点のある過疎市町村数 (with a hub inside)", true},
             {"covered_municipality_share", "cov_m_shr", T::Real, "拠点のある市町村の割合 (share with a hub inside)",
              true},
             {"hubs", "hubs", T::Integer, "過疎市町村内の拠点数 (hubs in designated municipalities)", true},
             {"prefecture_only_hubs", "pref_hubs", T::Integer, "都道府県単位の拠点数 (hubs known only by prefecture)",
              true},
             {"designated_km2", "desig_km2", T::Real, "過疎市町村の面積 km² (designated area)", true},
             {"covered_km2", "cov_km2", T::Real, "圏域内面積 km² (covered area)", true},
             {"covered_share", "cov_share", T::Real, "カバー率 (covered share)", true},
             {"settlements", "settl_all", T::Integer64, "集落数 (settlements)", true},
             {"settlements_covered", "settl_cov", T::Integer64, "圏域内の集落数 (settlements covered)", true},
             {"settlement_share", "settl_shr", T::Real, "集落カバー率 (settlement share)", true},
             {"uncovered", "uncovered", T::Text, "拠点のない過疎市町村コード (codes, |-separated)"},
             {"uncovered_names", "uncov_name", T::Text, "拠点のない過疎市町村 (names, |-separated)"},
         }},
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
// Styles: QML templates from assets/styles (embedded at build time).

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
    {"hubs", "hubs_kind.qml", "種別 kind", "categorized by hub kind", true, false},
    {"catchments", "catchments.qml", "圏域 catchments", "translucent fill", true, true},
    {"uncovered", "uncovered.qml", "圏域外 uncovered", "translucent red fill", true, true},
    {"prefecture_summary", "prefecture_borders.qml", "境界 borders", "outline only", true, false},
    {"prefecture_summary", "covered_share.qml", "カバー率 covered share",
     "graduated by the share of the designated area within the radius of a hub", false, true},
};

std::string xmlEscape(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

/// The name a field has in a format.
std::string fieldName(const FieldSpec& f, const FormatInfo& format) {
    return isShapefile(format) ? f.shapefileName : f.name;
}

/// Fills a QML template: {{field:NAME}} becomes the field's name in this format; the field
/// aliases are inserted before </qgis> so QGIS shows readable Japanese/English column names.
std::string renderStyle(const StyleSpec& style, const LayerSpec& layer, const FormatInfo& format) {
    const auto text = embedded::qgis_styles(style.templateFile);
    if (!text) throw Error(fmt::format("internal: style template {} is not embedded", style.templateFile));
    std::string out;
    out.reserve(text->size() + 4096);
    size_t pos = 0;
    while (true) {
        const size_t open = text->find("{{", pos);
        if (open == std::string_view::npos) break;
        const size_t close = text->find("}}", open);
        if (close == std::string_view::npos) {
            throw Error(fmt::format("style template {}: unterminated placeholder", style.templateFile));
        }
        out.append(*text, pos, open - pos);
        const std::string_view key = text->substr(open + 2, close - open - 2);
        const FieldSpec* field = nullptr;
        if (startsWith(key, "field:")) {
            for (const auto& f : layer.fields) {
                if (key.substr(6) == f.name) field = &f;
            }
        }
        if (!field) {
            throw Error(fmt::format("style template {}: unknown placeholder {{{{{}}}}} for layer {}",
                                    style.templateFile, key, layer.name));
        }
        out += xmlEscape(fieldName(*field, format));
        pos = close + 2;
    }
    out.append(*text, pos, std::string_view::npos);
    std::string aliases = "  <aliases>\n";
    for (size_t i = 0; i < layer.fields.size(); ++i) {
        aliases += fmt::format("    <alias field=\"{}\" index=\"{}\" name=\"{}\"/>\n",
                               xmlEscape(fieldName(layer.fields[i], format)), i + 1, xmlEscape(layer.fields[i].alias));
    }
    aliases += "  </aliases>\n";
    const size_t end = out.rfind("</qgis>");
    if (end == std::string::npos) throw Error(fmt::format("style template {} has no </qgis>", style.templateFile));
    out.insert(end, aliases);
    return out;
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

/// Sets a feature's fields by hubmap field name; unset fields stay null.
class FeatureBuilder {
public:
    FeatureBuilder(OGRLayer* layer, const LayerSpec& spec, const FormatInfo& format, const std::string& target,
                   std::vector<std::string>& notes)
        : layer_(layer),
          spec_(spec),
          shapefile_(isShapefile(format)),
          // GDAL 3.6's FlatGeobuf driver silently drops features without geometry.
          needsGeometry_(std::string_view(format.driver) == "FlatGeobuf"),
          target_(target),
          notes_(notes) {
        for (size_t i = 0; i < spec.fields.size(); ++i) index_.emplace(spec.fields[i].name, static_cast<int>(i));
    }

    void begin() { feature_.reset(OGRFeature::CreateFeature(layer_->GetLayerDefn())); }

    void text(const char* field, const std::string& value) {
        if (value.empty()) return;  // empty source values are written as null
        const int i = at(field);
        if (shapefile_ && value.size() > kShapefileTextBytes) {
            // Cut at a UTF-8 character boundary; the full value is in the other formats.
            size_t cut = kShapefileTextBytes;
            while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
            feature_->SetField(i, value.substr(0, cut).c_str());
            notes_.push_back(fmt::format("{}: field {} of feature {} cut to {} bytes (DBF limit; {} bytes in full)",
                                         spec_.name, spec_.fields[static_cast<size_t>(i)].shapefileName, written_ + 1,
                                         cut, value.size()));
            return;
        }
        feature_->SetField(i, value.c_str());
    }
    void integer(const char* field, long long value) {
        const int i = at(field);
        if (spec_.fields[static_cast<size_t>(i)].type == FieldType::Integer64) {
            feature_->SetField(i, static_cast<GIntBig>(value));
        } else {
            feature_->SetField(i, static_cast<int>(value));
        }
    }
    void boolean(const char* field, bool value) { feature_->SetField(at(field), value ? 1 : 0); }
    void real(const char* field, double value) { feature_->SetField(at(field), value); }
    template <typename T>
    void optionalInteger(const char* field, const std::optional<T>& value) {
        if (value) integer(field, static_cast<long long>(*value));
    }
    void optionalReal(const char* field, const std::optional<double>& value) {
        if (value) real(field, *value);
    }
    void geometry(std::unique_ptr<OGRGeometry> g) { feature_->SetGeometryDirectly(g.release()); }

    /// Sets every field marked fromJson from the member of `row` with its name.
    void fromJson(const nlohmann::json& row) {
        for (const FieldSpec& f : spec_.fields) {
            if (!f.fromJson) continue;
            const nlohmann::json& v = row.at(f.name);
            if (v.is_null()) continue;
            switch (f.type) {
                case FieldType::Boolean:
                    boolean(f.name, v.get<bool>());
                    break;
                case FieldType::Integer:
                case FieldType::Integer64:
                    integer(f.name, v.get<long long>());
                    break;
                case FieldType::Real:
                    real(f.name, v.get<double>());
                    break;
                case FieldType::Text:
                    if (v.is_array()) {
                        text(f.name, joinStrings(v.get<std::vector<std::string>>(), "|"));
                    } else {
                        text(f.name, v.get<std::string>());
                    }
                    break;
            }
        }
    }

    void write() {
        if (needsGeometry_ && !feature_->GetGeometryRef()) {
            ++skipped_;
            return;
        }
        CPLErrorReset();
        if (layer_->CreateFeature(feature_.get()) != OGRERR_NONE) {
            throw Error(ErrorContext{target_, spec_.name, written_, -1},
                        "cannot write the feature: " + gdalLastError("GDAL refused it"));
        }
        ++written_;
    }
    /// Features written; notes the ones the format could not take.
    long long written() {
        if (skipped_ > 0) {
            notes_.push_back(
                fmt::format("{}: {} features without geometry (hubs known only by prefecture) are not in "
                            "the FlatGeobuf file, which cannot hold them; {} lists their ids under hubs.unlocated",
                            spec_.name, skipped_, kFolderMetadataFile));
            skipped_ = 0;
        }
        return written_;
    }

private:
    int at(const char* field) const {
        auto it = index_.find(field);
        if (it == index_.end()) throw Error(fmt::format("internal: layer {} has no field {}", spec_.name, field));
        return it->second;
    }

    OGRLayer* layer_;
    const LayerSpec& spec_;
    bool shapefile_;
    bool needsGeometry_;
    const std::string& target_;
    std::vector<std::string>& notes_;
    std::map<std::string_view, int> index_;
    OgrFeaturePtr feature_;
    long long written_ = 0;
    long long skipped_ = 0;
};

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

    /// Creates a layer with the spec's fields; in folder formats, its own file.
    OGRLayer* createLayer(const LayerSpec& spec) {
        GDALDataset* ds = dataset_.get();
        if (format_.folder) {
            const fs::path file = staging_ / fmt::format("{}.{}", spec.name, format_.extension);
            folderDatasets_.push_back(create(file));
            ds = folderDatasets_.back().get();
        }
        std::vector<std::string> options;
        const std::string description =
            fmt::format("{}{}", spec.description, spec.boundaryDerived ? std::string(" ") + kMlitBoundaryCredit : "");
        if (isGpkg(format_)) {
            options = {"GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES", std::string("IDENTIFIER=") + spec.title,
                       "DESCRIPTION=" + description};
        } else if (isShapefile(format_)) {
            options = {"ENCODING=UTF-8", "RESIZE=YES"};
        } else if (std::string_view(format_.driver) == "GeoJSON") {
            options = {"DESCRIPTION=" + description, "WRITE_NAME=YES"};
        } else {
            options = {"SPATIAL_INDEX=YES"};
        }
        std::vector<const char*> opts;
        for (const auto& o : options) opts.push_back(o.c_str());
        opts.push_back(nullptr);
        CPLErrorReset();
        OGRLayer* layer = ds->CreateLayer(spec.name, &srs_, spec.geometry, const_cast<char**>(opts.data()));
        if (!layer)
            throw Error(ErrorContext{target_, spec.name, -1, -1}, "cannot create the layer: " + gdalLastError());
        for (const auto& f : spec.fields) {
            const std::string name = fieldName(f, format_);
            OGRFieldDefn defn(name.c_str(), OFTString);
            switch (f.type) {
                case FieldType::Text:
                    defn.SetType(OFTString);
                    if (isShapefile(format_)) defn.SetWidth(static_cast<int>(kShapefileTextBytes));
                    break;
                case FieldType::Integer:
                    defn.SetType(OFTInteger);
                    break;
                case FieldType::Integer64:
                    defn.SetType(OFTInteger64);
                    break;
                case FieldType::Boolean:
                    defn.SetType(OFTInteger);
                    defn.SetSubType(OFSTBoolean);
                    break;
                case FieldType::Real:
                    defn.SetType(OFTReal);
                    // DBF stores numbers as text: the widest it allows, 15 decimals.
                    if (isShapefile(format_)) {
                        defn.SetWidth(24);
                        defn.SetPrecision(15);
                    }
                    break;
            }
            if (layer->CreateField(&defn, FALSE) != OGRERR_NONE) {
                throw Error(ErrorContext{target_, spec.name, -1, -1},
                            fmt::format("cannot create field {}: {}", name, gdalLastError()));
            }
        }
        // The driver must keep our names exactly (no laundering): styles and docs refer to them.
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        for (size_t i = 0; i < spec.fields.size(); ++i) {
            const std::string expected = fieldName(spec.fields[i], format_);
            if (defn->GetFieldCount() <= static_cast<int>(i) ||
                expected != defn->GetFieldDefn(static_cast<int>(i))->GetNameRef()) {
                throw Error(ErrorContext{target_, spec.name, -1, -1},
                            fmt::format("the {} driver renamed field {}", format_.driver, expected));
            }
        }
        return layer;
    }

    GDALDataset* gpkg() const { return dataset_.get(); }

    /// Closes every dataset; throws when GDAL reports a failure while flushing.
    void close() {
        auto closeOne = [this](GdalDatasetPtr& ds) {
            CPLErrorReset();
            ds.reset();
            if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal) {
                throw Error(ErrorContext{target_, {}, -1, -1}, "writing failed: " + gdalLastError());
            }
        };
        if (dataset_) closeOne(dataset_);
        for (auto& ds : folderDatasets_) closeOne(ds);
        folderDatasets_.clear();
    }

private:
    GdalDatasetPtr create(const fs::path& path) {
        CPLErrorReset();
        GDALDataset* ds = driver_->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
        if (!ds) {
            throw Error(ErrorContext{target_, {}, -1, -1},
                        fmt::format("cannot create the temporary file {}: {}", path.string(), gdalLastError()));
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
// The layers

struct WriteContext {
    const std::string& target;  ///< the path errors name (not the staging path)
    const Dataset& data;
    const CoverageResult& result;
    const FormatInfo& format;
    LayerSink& sink;
    GeosContext& ctx;
    Progress& progress;
    ExportReport& report;
};

/// Reports the fraction done and checks for cancellation every 256 features.
void tick(Progress& progress, size_t done, size_t total) {
    if ((done & 255) != 0) return;
    progress.checkCancelled();
    progress.fraction(total ? static_cast<double>(done) / static_cast<double>(total) : 1.0);
}

long long writeMunicipalities(WriteContext& w) {
    const LayerSpec& spec = layerSpec("municipalities");
    OGRLayer* layer = w.sink.createLayer(spec);
    FeatureBuilder b(layer, spec, w.format, w.target, w.report.notes);
    std::map<std::string_view, const MunicipalityCoverage*> coverage;
    for (const auto& m : w.result.municipalities) coverage.emplace(m.code, &m);
    for (size_t i = 0; i < w.data.municipalities.size(); ++i) {
        tick(w.progress, i, w.data.municipalities.size());
        const Municipality& m = w.data.municipalities[i];
        b.begin();
        b.text("code", m.code);
        b.integer("prefecture_code", m.prefectureCode);
        b.text("prefecture", m.prefecture);
        b.text("county", m.county);
        b.text("name", m.name);
        b.boolean("designated_city", m.designatedCity);
        b.boolean("northern_territories", m.northernTerritories);
        b.real("area_km2", m.areaKm2);
        // Every municipality shows its designation, whether or not the query covers it.
        const Designation* d = w.data.designationOf(m.code);
        const DesignationType type = d ? d->type : DesignationType::None;
        b.text("designation", std::string(designationKey(type)));
        b.text("designation_ja", std::string(designationLabelJa(type)));
        b.boolean("partial", type == DesignationType::Partial);
        if (d) {
            b.text("former_municipalities", joinStrings(d->formerMunicipalities, "|"));
            b.boolean("designation_incomplete", d->incomplete);
        }
        auto it = coverage.find(m.code);
        b.boolean("in_query", it != coverage.end());
        if (it != coverage.end()) b.fromJson(municipalityCoverageJson(w.data, *it->second));
        b.geometry(toOgrMultiPolygon(w.ctx, m.geom.get()));
        b.write();
    }
    return b.written();
}

long long writeHubs(WriteContext& w) {
    const LayerSpec& spec = layerSpec("hubs");
    OGRLayer* layer = w.sink.createLayer(spec);
    FeatureBuilder b(layer, spec, w.format, w.target, w.report.notes);
    std::set<int> mismatches;
    for (const auto& m : w.result.codeMismatches) mismatches.insert(m.hubIndex);
    const auto& used = w.result.hubsUsed;
    for (size_t k = 0; k < used.size(); ++k) {
        tick(w.progress, k, used.size());
        const Hub& h = w.data.hubs.at(static_cast<size_t>(used[k]));
        b.begin();
        b.text("id", h.id);
        b.text("kind", h.kind);
        b.text("name", h.name);
        b.text("prefecture", h.prefecture);
        b.text("municipality", h.municipality);
        b.text("code", h.code);
        b.text("district", h.district);
        b.optionalReal("lon", h.lon);
        b.optionalReal("lat", h.lat);
        b.text("location_precision", h.precision);
        b.text("opened", h.opened);
        b.text("programme", h.programme);
        b.optionalInteger("fiscal_year", h.fiscalYear);
        b.text("operator_name", h.operatorName);
        b.text("source_ref", h.sourceRef);
        b.text("source", h.source);
        b.text("note", h.note);
        b.text("import_source", h.importSource);
        b.boolean("code_mismatch", mismatches.count(used[k]) > 0);
        const int located = k < w.result.locatedIn.size() ? w.result.locatedIn[k] : -1;
        if (located >= 0) b.text("located_code", w.data.municipalities.at(static_cast<size_t>(located)).code);
        if (h.lon && h.lat) b.geometry(std::make_unique<OGRPoint>(*h.lon, *h.lat));
        b.write();
    }
    return b.written();
}

long long writeCatchments(WriteContext& w) {
    const LayerSpec& spec = layerSpec("catchments");
    OGRLayer* layer = w.sink.createLayer(spec);
    FeatureBuilder b(layer, spec, w.format, w.target, w.report.notes);
    std::map<std::string, int> hubsWithPoint;
    for (int i : w.result.hubsUsed) {
        const Hub& h = w.data.hubs.at(static_cast<size_t>(i));
        if (h.lon && h.lat) ++hubsWithPoint[h.kind];
    }
    Geodesic geodesic;
    for (const auto& [kind, geom] : w.result.catchments) {
        w.progress.checkCancelled();
        if (!geom || GEOSisEmpty_r(w.ctx, geom.get()) == 1) continue;
        b.begin();
        b.text("kind", kind);
        b.optionalReal("radius_km", w.result.options.radiusFor(kind));
        b.integer("hubs", hubsWithPoint[kind]);
        b.real("area_km2", geodesic.areaKm2(w.ctx, geom.get()));
        b.geometry(toOgrMultiPolygon(w.ctx, geom.get()));
        b.write();
    }
    return b.written();
}

long long writeUncovered(WriteContext& w) {
    const LayerSpec& spec = layerSpec("uncovered");
    OGRLayer* layer = w.sink.createLayer(spec);
    FeatureBuilder b(layer, spec, w.format, w.target, w.report.notes);
    const auto& list = w.result.municipalities;
    for (size_t i = 0; i < list.size(); ++i) {
        tick(w.progress, i, list.size());
        const MunicipalityCoverage& c = list[i];
        if (!c.uncoveredGeom || GEOSisEmpty_r(w.ctx, c.uncoveredGeom.get()) == 1) continue;
        b.begin();
        b.text("code", c.code);
        b.text("prefecture", c.prefecture);
        b.text("name", c.name);
        b.text("designation", std::string(designationKey(c.designation)));
        b.real("area_km2", c.areaKm2);
        b.optionalReal("covered_km2", c.coveredKm2);
        if (c.coveredKm2) b.real("uncovered_km2", c.areaKm2 - *c.coveredKm2);
        if (c.coveredShare) b.real("uncovered_share", 1.0 - *c.coveredShare);
        b.geometry(toOgrMultiPolygon(w.ctx, c.uncoveredGeom.get()));
        b.write();
    }
    return b.written();
}

long long writePrefectureSummary(WriteContext& w) {
    const LayerSpec& spec = layerSpec("prefecture_summary");
    OGRLayer* layer = w.sink.createLayer(spec);
    FeatureBuilder b(layer, spec, w.format, w.target, w.report.notes);
    std::map<int, const PrefectureCoverage*> coverage;
    for (const auto& p : w.result.prefectures) coverage.emplace(p.code, &p);
    for (const Prefecture& p : w.data.prefectures) {
        w.progress.checkCancelled();
        if (!p.geom) throw Error(fmt::format("prefecture {} was loaded without its geometry", p.name));
        b.begin();
        b.integer("code", p.code);
        b.text("name", p.name);
        b.real("area_km2", p.areaKm2);
        auto it = coverage.find(p.code);
        b.boolean("in_query", it != coverage.end());
        if (it != coverage.end()) {
            const CoverageTotals& t = it->second->totals;
            b.fromJson(coverageTotalsJson(w.data, t));
            std::vector<std::string> names;
            for (const auto& code : t.uncoveredCodes) {
                const int m = w.data.municipalityIndex(code);
                names.push_back(m >= 0 ? w.data.municipalities[static_cast<size_t>(m)].name : code);
            }
            b.text("uncovered", joinStrings(t.uncoveredCodes, "|"));
            b.text("uncovered_names", joinStrings(names, "|"));
        }
        b.geometry(toOgrMultiPolygon(w.ctx, p.geom.get()));
        b.write();
    }
    return b.written();
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
    j["credits"] = creditLines(data);
    for (const char* key : {"query", "database", "sources", "hubs", "notes"}) j[key] = header.at(key);
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& [name, count] : report.layers) {
        const LayerSpec& spec = layerSpec(name);
        nlohmann::json layer = {{"name", name}, {"features", count}, {"description", spec.description}};
        // A folder has no other place for the field meanings (and the Shapefile names);
        // a GeoPackage carries them as aliases in its styles.
        if (format.folder) {
            nlohmann::json fields = nlohmann::json::array();
            for (const auto& f : spec.fields) {
                nlohmann::json field = {{"name", fieldName(f, format)}, {"alias", f.alias}};
                if (isShapefile(format)) field["hubmap_name"] = f.name;
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
    CPLErrorReset();
    OGRLayer* result = ds.ExecuteSQL(sql.c_str(), nullptr, nullptr);
    if (result) ds.ReleaseResultSet(result);
    if (CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal) {
        throw Error(ErrorContext{path, {}, -1, -1}, "SQL failed: " + gdalLastError());
    }
}

/// GDAL's own metadata (shown by ogrinfo, stored by the driver in gpkg_metadata as GDAL XML)
/// and hubmap's entries: the full JSON and a plain-text credit list, both at dataset scope.
void writeGpkgMetadata(GDALDataset& ds, const nlohmann::json& metadata, const std::vector<std::string>& credits,
                       const std::string& path) {
    ds.SetMetadataItem("HUBMAP_VERSION", kVersion);
    ds.SetMetadataItem("CREDIT", joinStrings(credits, " / ").c_str());
    ds.SetMetadataItem("QUERY", metadata.value("requested_by", std::string()).c_str());
    ds.SetMetadataItem("CRS", "EPSG:6668 (JGD2011)");
    // Flushing makes the driver create gpkg_metadata and gpkg_metadata_reference and
    // register the extension properly before hubmap adds its own rows.
    ds.FlushCache(false);
    const std::string plain = fmt::format("hubmap {} export\n\nCredits:\n{}\n", kVersion, joinStrings(credits, "\n"));
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
    const char* options[] = {"FID=id", "DESCRIPTION=QGIS layer styles (QML) written by hubmap export", nullptr};
    OGRLayer* layer = ds.CreateLayer("layer_styles", nullptr, wkbNone, const_cast<char**>(options));
    if (!layer) throw Error(ErrorContext{target, "layer_styles", -1, -1}, "cannot create: " + gdalLastError());
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
    for (const auto& f : layerSpec(layer).fields) out.emplace_back(f.name, f.shapefileName);
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
        WriteContext w{options.outPath, data, result, format, sink, ctx, progress, report};
        struct Step {
            const char* layer;
            long long (*write)(WriteContext&);
            bool needsRadius;
        };
        const Step steps[] = {
            {"municipalities", writeMunicipalities, false},
            {"hubs", writeHubs, false},
            {"catchments", writeCatchments, true},
            {"uncovered", writeUncovered, true},
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
        for (const StyleSpec& style : kStyles) {
            if (style.needsRadius && !radius) continue;
            // Folder formats: QGIS loads <layer>.qml beside a file as its default style.
            if (format.folder && !style.isDefault) continue;
            styles.emplace_back(&style, renderStyle(style, layerSpec(style.layer), format));
        }
        const nlohmann::json metadata = exportMetadata(data, result, options, format, report);
        const std::vector<std::string> credits = creditLines(data);
        if (isGpkg(format)) {
            writeGpkgStyles(*sink.gpkg(), styles, options.outPath, report);
            writeGpkgMetadata(*sink.gpkg(), metadata, credits, options.outPath);
            if (sink.gpkg()->CommitTransaction() != OGRERR_NONE) {
                throw Error(ErrorContext{options.outPath, {}, -1, -1}, "cannot commit: " + gdalLastError());
            }
        } else {
            for (const auto& [style, qml] : styles) {
                writeTextFile(staged.path() / fmt::format("{}.qml", style->layer), qml);
                report.styles.push_back(fmt::format("{}: {} ({}.qml)", style->layer, style->name, style->layer));
            }
            writeTextFile(staged.path() / kFolderMetadataFile, metadata.dump(2) + "\n");
            writeTextFile(staged.path() / kFolderCreditsFile, joinStrings(credits, "\n") + "\n");
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
