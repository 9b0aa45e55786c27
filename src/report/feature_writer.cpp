#include "report/feature_writer.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"
#include "core/spreadsheet.hpp"

namespace hubmap {

namespace {

/// DBF text fields hold at most 254 bytes.
constexpr size_t kShapefileTextBytes = 254;

std::string joinBar(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& s : items) out += (out.empty() ? "" : "|") + s;
    return out;
}

/// A figure rounded for a reader: a share as a percentage to 0.1, km² to 0.01 (1 ha).
double readableFigure(const FieldInfo& f, double x) {
    if (isShare(f)) return std::round(x * 1000.0) / 10.0;
    if (std::string_view(f.unit) == "km²") return std::round(x * 100.0) / 100.0;
    return x;
}

void describe(OGRFieldDefn& defn, FieldType type, bool shapefile) {
    switch (type) {
        case FieldType::Text:
        case FieldType::TextList:
            if (shapefile) defn.SetWidth(static_cast<int>(kShapefileTextBytes));
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
            if (shapefile) {
                defn.SetWidth(24);
                defn.SetPrecision(15);
            }
            break;
    }
}

}  // namespace

std::string FeatureWriter::columnName(const FieldInfo& f, const Options& options) {
    if (options.shapefile) return f.shapefileName;
    if (options.japaneseHeaders) return fieldHeadingJa(f, options.roundForReading);
    if (options.roundForReading && isShare(f)) return std::string(f.key) + "_pct";
    return f.key;
}

bool isSpreadsheetDriver(const GDALDataset& ds) {
    // GDAL 3.6's GetDriver() is not const.
    GDALDriver* driver = const_cast<GDALDataset&>(ds).GetDriver();
    if (!driver) return false;
    const std::string_view name = driver->GetDescription();
    return name == "CSV" || name == "XLSX" || name == "ODS";
}

OGRLayer& createLayer(GDALDataset& ds, const std::string& target, const std::string& name, OGRSpatialReference* srs,
                      OGRwkbGeometryType geometry, CPLStringList options) {
    const GdalErrorScope errors;
    OGRLayer* layer = ds.CreateLayer(name.c_str(), srs, geometry, options.List());
    if (!layer) throw Error(ErrorContext{target, name, -1, -1}, "cannot create the layer: " + errors.message());
    return *layer;
}

FeatureWriter::FeatureWriter(OGRLayer& layer, std::vector<FieldInfo> fields, Options options,
                             std::vector<std::string>* notes)
    : layer_(layer), fields_(std::move(fields)), options_(std::move(options)), notes_(notes) {
    const ErrorContext where{options_.target, layer_.GetName(), -1, -1};
    for (const FieldInfo& f : fields_) {
        OGRFieldDefn defn(nameOf(f).c_str(), OFTString);
        describe(defn, f.type, options_.shapefile);
        const GdalErrorScope errors;
        if (layer_.CreateField(&defn, FALSE) != OGRERR_NONE) {
            throw Error(where, fmt::format("cannot create field {}: {}", nameOf(f), errors.message()));
        }
    }
    // The driver must keep our names exactly (no laundering): styles and docs refer to them.
    OGRFeatureDefn* defn = layer_.GetLayerDefn();
    for (size_t i = 0; i < fields_.size(); ++i) {
        const std::string expected = nameOf(fields_[i]);
        if (defn->GetFieldCount() <= static_cast<int>(i) ||
            expected != defn->GetFieldDefn(static_cast<int>(i))->GetNameRef()) {
            throw Error(where, fmt::format("the driver renamed field {}", expected));
        }
    }
}

void FeatureWriter::set(OGRFeature& feature, int i, const FieldValue& value) {
    const FieldInfo& f = fields_[static_cast<size_t>(i)];
    if (std::holds_alternative<std::monostate>(value)) {
        setNull(feature, i);
    } else if (const bool* b = std::get_if<bool>(&value)) {
        feature.SetField(i, *b ? 1 : 0);
    } else if (const long long* n = std::get_if<long long>(&value)) {
        feature.SetField(i, static_cast<GIntBig>(*n));
    } else if (const double* x = std::get_if<double>(&value)) {
        feature.SetField(i, options_.roundForReading ? readableFigure(f, *x) : *x);
    } else {
        const auto* list = std::get_if<std::vector<std::string>>(&value);
        std::string text = list ? joinBar(*list) : std::get<std::string>(value);
        if (options_.spreadsheet) text = spreadsheetSafe(text);
        if (text.empty() && options_.emptyTextIsNull) {
            setNull(feature, i);
            return;
        }
        if (options_.shapefile && text.size() > kShapefileTextBytes) {
            // Cut at a UTF-8 character boundary; the full value is in the other formats.
            size_t cut = kShapefileTextBytes;
            while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
            feature.SetField(i, text.substr(0, cut).c_str());
            if (notes_) {
                notes_->push_back(
                    fmt::format("{}: field {} of feature {} cut to {} bytes (DBF limit; {} bytes in full)",
                                layer_.GetName(), f.shapefileName, written_ + 1, cut, text.size()));
            }
            return;
        }
        feature.SetField(i, text.c_str());
    }
}

void FeatureWriter::write(const std::vector<FieldValue>& values, std::unique_ptr<OGRGeometry> geometry) {
    if (values.size() != fields_.size()) {
        throw Error(fmt::format("internal: {} values for the {} fields of layer {}", values.size(), fields_.size(),
                                layer_.GetName()));
    }
    if (options_.skipWithoutGeometry && !geometry) {
        ++skipped_;
        return;
    }
    OgrFeaturePtr feature(OGRFeature::CreateFeature(layer_.GetLayerDefn()));
    for (size_t i = 0; i < values.size(); ++i) set(*feature, static_cast<int>(i), values[i]);
    if (geometry) feature->SetGeometryDirectly(geometry.release());
    const GdalErrorScope errors;
    if (layer_.CreateFeature(feature.get()) != OGRERR_NONE) {
        throw Error(ErrorContext{options_.target, layer_.GetName(), written_, -1},
                    "cannot write the feature: " + errors.message("GDAL refused it"));
    }
    ++written_;
}

long long FeatureWriter::written() {
    if (skipped_ > 0 && notes_) {
        notes_->push_back(
            fmt::format("{}: {} features without geometry {}", layer_.GetName(), skipped_, options_.skippedNote));
    }
    skipped_ = 0;
    return written_;
}

}  // namespace hubmap
