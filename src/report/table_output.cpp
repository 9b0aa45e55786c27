#include "report/table_output.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "io/paths.hpp"
#include "io/staged_output.hpp"
#include "io/text_encoding.hpp"

namespace hubmap {

namespace fs = std::filesystem;

namespace {

struct FormatName {
    TableFormat format;
    const char* name;
    const char* extension;
};
constexpr FormatName kFormats[] = {
    {TableFormat::Text, "table", ".txt"}, {TableFormat::Json, "json", ".json"},
    {TableFormat::Csv, "csv", ".csv"},    {TableFormat::GeoJson, "geojson", ".geojson"},
    {TableFormat::Xlsx, "xlsx", ".xlsx"},
};

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

/// Bytes to standard output, or staged to `path` and renamed onto it.
void deliver(const TableOutput& out, const std::string& bytes) {
    if (out.path.empty()) {
        std::fflush(stdout);
        if (std::fwrite(bytes.data(), 1, bytes.size(), stdout) != bytes.size() || std::fflush(stdout) != 0) {
            throw Error("cannot write to standard output");
        }
        return;
    }
    StagedOutput staged(out.path);
    {
        std::ofstream file(staged.path(), std::ios::binary);
        file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        file.close();
        if (!file) throw Error(ErrorContext{out.path, {}, -1, -1}, "cannot write the file (is the disk full?)");
    }
    staged.commit(out.overwrite ? Replace::Always : Replace::Never);
}

std::string memPath(const char* extension) {
    static std::atomic<int> counter{0};
    return fmt::format("/vsimem/hubmap_table_{}_{}{}", ::getpid(), counter++, extension);
}

/// Takes the bytes GDAL wrote to a /vsimem/ file and removes it.
std::string takeMemFile(const std::string& path) {
    vsi_l_offset size = 0;
    GByte* data = VSIGetMemFileBuffer(path.c_str(), &size, TRUE);
    if (!data) throw Error(fmt::format("internal: GDAL wrote no {}", path));
    std::string bytes(reinterpret_cast<const char*>(data), static_cast<size_t>(size));
    CPLFree(data);
    return bytes;
}

}  // namespace

const char* tableFormatName(TableFormat f) {
    for (const auto& n : kFormats) {
        if (n.format == f) return n.name;
    }
    return "?";
}

TableFormat parseTableFormat(const std::string& name, const std::vector<std::string>& allowed) {
    const std::string l = lower(name);
    if (std::find(allowed.begin(), allowed.end(), l) != allowed.end()) {
        for (const auto& n : kFormats) {
            if (l == n.name) return n.format;
        }
    }
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
    throw UsageError(fmt::format("--format {}: expected one of {}", name, list));
}

TableFormat tableFormatOfPath(const std::string& path) {
    const std::string ext = lower(fs::path(path).extension().string());
    for (const auto& n : kFormats) {
        if (ext == n.extension) return n.format;
    }
    throw UsageError(
        fmt::format("--out {}: cannot tell the format from the extension '{}' (use .csv, .xlsx, .json, "
                    ".geojson or .txt, or add --format)",
                    path, ext));
}

void TableOutput::check() const {
    if (format == TableFormat::Xlsx && path.empty()) {
        throw UsageError("--format xlsx writes a workbook, not text: add --out FILE.xlsx");
    }
    if (format != TableFormat::Csv && (bom || encoding != "UTF-8")) {
        throw UsageError(fmt::format("--bom and --encoding apply to CSV, not to --format {}", tableFormatName(format)));
    }
    if (bom && encoding != "UTF-8") {
        throw UsageError(
            fmt::format("--bom marks UTF-8; --encoding {} has no byte order mark: give one of them", encoding));
    }
    if (path.empty()) return;
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        throw UsageError(
            fmt::format("--out {}: the folder {} does not exist (create it first)", path, folder.string()));
    }
    requireFileOutput(path, "--out");
    if (fs::exists(target, ec) && !overwrite) {
        throw UsageError(fmt::format("--out {} exists: add --overwrite to replace it", path));
    }
}

void writeTextOutput(const TableOutput& out, const std::string& text) { deliver(out, text); }

TableFile::TableFile(const TableOutput& out) : out_(out) {
    out_.check();
    const char* driver = nullptr;
    switch (out_.format) {
        case TableFormat::Csv:
            driver = "CSV";
            gdalPath_ = memPath(".csv");
            break;
        case TableFormat::GeoJson:
            driver = "GeoJSON";
            gdalPath_ = memPath(".geojson");
            break;
        case TableFormat::Xlsx:
            // In memory too: the XLSX driver writes through /vsizip/, which takes the staged
            // name ".x.xlsx.tmp-1.xlsx" for a path inside the archive ".x.xlsx".
            driver = "XLSX";
            gdalPath_ = memPath(".xlsx");
            break;
        default:
            throw Error(fmt::format("internal: --format {} is not written through GDAL", tableFormatName(out_.format)));
    }
    gdalInit();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver);
    const std::string target = out_.path.empty() ? "standard output" : out_.path;
    if (!drv) throw Error(ErrorContext{target, {}, -1, -1}, fmt::format("GDAL has no {} driver", driver));
    const GdalErrorScope errors;
    ds_.reset(drv->Create(gdalPath_.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds_) throw Error(ErrorContext{target, {}, -1, -1}, "cannot create the file: " + errors.message());
}

TableFile::~TableFile() {
    ds_.reset();
    if (!gdalPath_.empty()) VSIUnlink(gdalPath_.c_str());
}

FeatureWriter::Options TableFile::writerOptions() const {
    FeatureWriter::Options o;
    o.target = out_.path.empty() ? "standard output" : out_.path;
    o.spreadsheet = out_.format == TableFormat::Csv || out_.format == TableFormat::Xlsx;
    o.japaneseHeaders = out_.japaneseHeaders && o.spreadsheet;
    o.roundForReading = out_.format == TableFormat::Xlsx;
    return o;
}

std::vector<std::string> TableFile::layerOptions() const {
    // RFC 7946: WGS 84 lon/lat, no crs member; 6 decimals are 0.1 m, finer than the boundaries.
    if (out_.format == TableFormat::GeoJson) return {"RFC7946=YES", "COORDINATE_PRECISION=6"};
    return {};
}

void TableFile::describeSheet(const std::string& sheet, const std::vector<FieldInfo>& fields) {
    sheets_.emplace_back(sheet, fields);
}

void TableFile::writeLegend() {
    // One row per column of every sheet: its heading there, the key the other formats use,
    // what it means and its unit.
    const std::string target = out_.path;
    OGRLayer& layer = createLayer(*ds_, target, kLegendSheet, nullptr, wkbNone, CPLStringList());
    // The column number, a figure, also lets a reader tell the heading row from the rows.
    const std::vector<const char*> columns = {kLegendSheetColumn, "列 (column)",    "見出し (heading)",
                                              "キー (key)",       "説明 (meaning)", "単位 (unit)"};
    for (const char* c : columns) {
        OGRFieldDefn defn(c, std::string_view(c) == "列 (column)" ? OFTInteger : OFTString);
        if (layer.CreateField(&defn) != OGRERR_NONE) {
            throw Error(ErrorContext{target, kLegendSheet, -1, -1}, fmt::format("cannot create field {}", c));
        }
    }
    FeatureWriter::Options options = writerOptions();
    for (const auto& [sheet, fields] : sheets_) {
        int column = 0;
        for (const FieldInfo& f : fields) {
            OgrFeaturePtr feature(OGRFeature::CreateFeature(layer.GetLayerDefn()));
            const std::string unit = options.roundForReading && isShare(f) ? "%" : f.unit;
            feature->SetField(0, sheet.c_str());
            feature->SetField(1, ++column);
            const std::string values[] = {FeatureWriter::columnName(f, options), f.key,
                                          *f.labelEn ? f.labelEn : f.labelJa, unit};
            for (int i = 0; i < 4; ++i) feature->SetField(i + 2, values[i].c_str());
            if (layer.CreateFeature(feature.get()) != OGRERR_NONE) {
                throw Error(ErrorContext{target, kLegendSheet, -1, -1}, "cannot write the legend");
            }
        }
    }
}

void TableFile::finish() {
    const std::string target = out_.path.empty() ? "standard output" : out_.path;
    if (out_.format == TableFormat::Xlsx) writeLegend();
    {
        const GdalErrorScope errors;
        ds_.reset();  // closing writes (XLSX) or flushes: a failure shows as a GDAL error
        if (errors.failed()) {
            throw Error(ErrorContext{target, {}, -1, -1}, "cannot finish the file: " + errors.message());
        }
    }
    std::string bytes = takeMemFile(gdalPath_);
    gdalPath_.clear();
    if (out_.format == TableFormat::Csv) {
        writeCsvOutput(out_, std::move(bytes));
    } else {
        deliver(out_, bytes);
    }
}

void writeCsvOutput(const TableOutput& out, std::string csv) {
    const std::string target = out.path.empty() ? "standard output" : out.path;
    if (out.encoding != "UTF-8") {
        size_t bad = 0;
        std::optional<std::string> recoded = convertEncoding(csv, "UTF-8", out.encoding, bad);
        if (!recoded) {
            size_t end = bad + 1;
            while (end < csv.size() && (static_cast<unsigned char>(csv[end]) & 0xC0) == 0x80) ++end;
            throw Error(ErrorContext{target, {}, -1, -1},
                        fmt::format("line {}: '{}' cannot be written in {}: use UTF-8 (--bom for Excel) or XLSX",
                                    lineOfOffset(csv, bad), csv.substr(bad, end - bad), out.encoding));
        }
        csv = std::move(*recoded);
    }
    if (out.bom) csv.insert(0, "\xEF\xBB\xBF");
    deliver(out, csv);
}

std::string temporaryCsvPath() { return memPath(".csv"); }

std::string takeTemporaryFile(const std::string& path) { return takeMemFile(path); }

}  // namespace hubmap
