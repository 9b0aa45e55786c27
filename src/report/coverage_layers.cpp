#include "report/coverage_layers.hpp"

#include <fmt/format.h>
#include <ogr_spatialref.h>

#include <memory>

#include "core/error.hpp"
#include "io/gdal.hpp"
#include "report/feature_writer.hpp"
#include "report/fields.hpp"

namespace hubmap {

namespace {

void checkGrouping(const std::string& by) {
    if (by != "municipality" && by != "prefecture" && by != "nation") {
        throw UsageError(fmt::format("unknown grouping '{}' (expected municipality, prefecture or nation)", by));
    }
}

std::vector<FieldInfo> fieldsFor(const std::string& by) {
    checkGrouping(by);
    return by == "municipality" ? fieldInfos(municipalityFields(), kOutRows) : fieldInfos(totalsFields(), kOutRows);
}

/// A GDAL dataset of one layer created with `driver` at `path`, closed (flushed) by finish().
class SingleLayerFile {
public:
    SingleLayerFile(const std::string& path, const std::string& driver) : path_(path) {
        gdalInit();
        GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver.c_str());
        if (!drv) throw Error(ErrorContext{path, {}, -1, -1}, fmt::format("GDAL has no {} driver", driver));
        const GdalErrorScope errors;
        ds_.reset(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds_) throw Error(ErrorContext{path, {}, -1, -1}, "cannot create the file: " + errors.message());
    }
    GDALDataset& dataset() { return *ds_; }
    void finish() {
        const GdalErrorScope errors;
        ds_.reset();  // closing flushes: a failure shows as a GDAL error
        if (errors.failed())
            throw Error(ErrorContext{path_, {}, -1, -1}, "cannot finish the file: " + errors.message());
    }

private:
    std::string path_;
    GdalDatasetPtr ds_;
};

}  // namespace

std::vector<std::string> coverageLayerFields(const std::string& by) {
    std::vector<std::string> names;
    for (const auto& f : fieldsFor(by)) names.emplace_back(f.key);
    return names;
}

long long writeCoverageLayer(GDALDataset& out, const std::string& layerName, const Dataset& data,
                             const CoverageResult& result, const CoverageLayerOptions& options) {
    const std::vector<FieldInfo> fields = fieldsFor(options.by);
    const bool geometry = options.geometry && options.by != "nation";
    if (geometry && options.by == "prefecture") {
        for (const auto& p : result.prefectures) {
            const int i = data.prefectureIndex(std::to_string(p.code));
            if (i < 0 || !data.prefectures[static_cast<size_t>(i)].geom) {
                throw Error("prefecture polygons were not loaded (LoadOptions::prefectureGeometry)");
            }
        }
    }
    const GdalErrorScope quiet;
    OGRSpatialReference srs;
    srs.importFromEPSG(6668);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer& layer = createLayer(out, out.GetDescription(), layerName, geometry ? &srs : nullptr,
                                  geometry ? wkbMultiPolygon : wkbNone, gdalOptions(options.layerCreationOptions));
    FeatureWriter::Options writerOptions;
    writerOptions.target = out.GetDescription();
    writerOptions.spreadsheet = isSpreadsheetDriver(out);
    FeatureWriter writer(layer, fields, writerOptions);

    const GeosContext ctx;
    auto polygon = [&](const GEOSGeometry* g) { return geometry ? ogrFromGeos(ctx, g) : nullptr; };
    if (options.by == "municipality") {
        for (const MunicipalityCoverage& m : result.municipalities) {
            if (options.lackingOnly && !lacksCoverage(m, options.minShare)) continue;
            const MunicipalityRow row = municipalityRow(data, m);
            writer.write(fieldValues(municipalityFields(), kOutRows, row), polygon(row.municipality.geom.get()));
        }
    } else if (options.by == "prefecture") {
        for (const PrefectureCoverage& p : result.prefectures) {
            if (options.lackingOnly && !lacksCoverage(p.totals, options.minShare)) continue;
            std::unique_ptr<OGRGeometry> g;
            if (geometry) {
                const int i = data.prefectureIndex(std::to_string(p.code));
                g = polygon(data.prefectures[static_cast<size_t>(i)].geom.get());
            }
            writer.write(fieldValues(totalsFields(), kOutRows, prefectureRow(data, p)), std::move(g));
        }
    } else if (!options.lackingOnly || lacksCoverage(result.nation, options.minShare)) {
        writer.write(fieldValues(totalsFields(), kOutRows, nationRow(data, result.nation)));
    }
    return writer.written();
}

long long writeCoverageFile(const std::string& path, const std::string& driver, const Dataset& data,
                            const CoverageResult& result, const CoverageLayerOptions& options) {
    SingleLayerFile file(path, driver);
    const long long n = writeCoverageLayer(file.dataset(), "coverage", data, result, options);
    file.finish();
    return n;
}

namespace {

/// Writes one ranked gaps list as the layer "gaps": `makeRow` turns a gap into its registry row.
template <class Row, class Gap, class MakeRow>
long long writeGapRows(GDALDataset& out, const std::string& path, const FeatureWriter::Options& writerOptions,
                       const FieldList<Row>& fields, const std::vector<Gap>& gaps, MakeRow makeRow) {
    OGRLayer& layer = createLayer(out, path, "gaps", nullptr, wkbNone, CPLStringList());
    FeatureWriter writer(layer, fieldInfos(fields, kOutRows), writerOptions);
    for (const Gap& g : gaps) writer.write(fieldValues(fields, kOutRows, makeRow(g)));
    return writer.written();
}

}  // namespace

long long writeGapsFile(const std::string& path, const std::string& driver, const Dataset& data,
                        const CoverageResult& result, const GapsResult& gaps, bool municipalities) {
    SingleLayerFile file(path, driver);
    FeatureWriter::Options writerOptions;
    writerOptions.target = path;
    writerOptions.spreadsheet = isSpreadsheetDriver(file.dataset());
    const long long n =
        municipalities
            ? writeGapRows(file.dataset(), path, writerOptions, municipalityGapFields(), gaps.municipalities,
                           [&](const MunicipalityGap& g) {
                               return MunicipalityGapRow{g, municipalityRow(data, result.municipalities.at(g.index))};
                           })
            : writeGapRows(file.dataset(), path, writerOptions, prefectureGapFields(), gaps.prefectures,
                           [&](const PrefectureGap& g) {
                               return PrefectureGapRow{g, prefectureRow(data, result.prefectures.at(g.index))};
                           });
    file.finish();
    return n;
}

}  // namespace hubmap
