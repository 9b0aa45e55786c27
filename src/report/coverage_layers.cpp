#include "report/coverage_layers.hpp"

#include <fmt/format.h>
#include <ogr_spatialref.h>

#include <memory>

#include "core/error.hpp"
#include "io/gdal.hpp"
#include "report/feature_writer.hpp"
#include "report/fields.hpp"
#include "report/table_output.hpp"

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
    writerOptions.japaneseHeaders = options.japaneseHeaders;
    writerOptions.roundForReading = options.roundForReading;
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
        writer.write(fieldValues(totalsFields(), kOutRows, nationRow(data, result)));
    }
    return writer.written();
}

long long writeCoverageTable(TableFile& file, const Dataset& data, const CoverageResult& result,
                             const std::vector<std::string>& levels, const CoverageLayerOptions& options) {
    const bool sheets = file.output().format == TableFormat::Xlsx;
    if (levels.empty() || (!sheets && levels.size() > 1)) {
        throw UsageError("one --by level per file, except --format xlsx (a sheet per level)");
    }
    long long n = 0;
    for (const std::string& level : levels) {
        CoverageLayerOptions o = options;
        o.by = level;
        const FeatureWriter::Options w = file.writerOptions();
        o.japaneseHeaders = w.japaneseHeaders;
        o.roundForReading = w.roundForReading;
        o.layerCreationOptions = file.layerOptions();
        const std::string name = sheets ? level : "coverage";
        n += writeCoverageLayer(file.dataset(), name, data, result, o);
        file.describeSheet(name, fieldsFor(level));
    }
    file.finish();
    return n;
}

namespace {

/// Writes one ranked gaps list as the layer `name`: `makeRow` turns a gap into its registry row.
template <class Row, class Gap, class MakeRow>
long long writeGapRows(GDALDataset& out, const std::string& name, const FeatureWriter::Options& writerOptions,
                       const FieldList<Row>& fields, const std::vector<Gap>& gaps, MakeRow makeRow) {
    OGRLayer& layer = createLayer(out, writerOptions.target, name, nullptr, wkbNone, CPLStringList());
    FeatureWriter writer(layer, fieldInfos(fields, kOutRows), writerOptions);
    for (const Gap& g : gaps) writer.write(fieldValues(fields, kOutRows, makeRow(g)));
    return writer.written();
}

}  // namespace

long long writeGapsTable(TableFile& file, const Dataset& data, const CoverageResult& result, const GapsResult& gaps,
                         bool municipalities, bool prefectures) {
    const bool sheets = file.output().format == TableFormat::Xlsx;
    if (municipalities == prefectures && (!sheets || !municipalities)) {
        throw UsageError(
            "one gaps list per file, except --format xlsx (a sheet per list): add --rank municipalities "
            "or --rank prefectures");
    }
    const FeatureWriter::Options writerOptions = file.writerOptions();
    long long n = 0;
    if (municipalities) {
        const std::string name = sheets ? "municipalities" : "gaps";
        n += writeGapRows(file.dataset(), name, writerOptions, municipalityGapFields(), gaps.municipalities,
                          [&](const MunicipalityGap& g) {
                              return MunicipalityGapRow{g, municipalityRow(data, result.municipalities.at(g.index))};
                          });
        file.describeSheet(name, fieldInfos(municipalityGapFields(), kOutRows));
    }
    if (prefectures) {
        const std::string name = sheets ? "prefectures" : "gaps";
        n += writeGapRows(file.dataset(), name, writerOptions, prefectureGapFields(), gaps.prefectures,
                          [&](const PrefectureGap& g) {
                              return PrefectureGapRow{g, prefectureRow(data, result.prefectures.at(g.index))};
                          });
        file.describeSheet(name, fieldInfos(prefectureGapFields(), kOutRows));
    }
    file.finish();
    return n;
}

}  // namespace hubmap
