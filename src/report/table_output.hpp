#pragma once
// Where a command's answer goes and in what form: standard output or a file (--out), as a
// terminal table, JSON, CSV (UTF-8, UTF-8 with BOM or CP932; key or Japanese headings),
// GeoJSON (RFC 7946) or an Excel workbook. Files are staged and renamed when complete
// (io/staged_output.hpp): a failed run leaves no partial file and an existing one intact.
// Every command with a tabular answer (coverage, gaps, hubs, suggest) writes through here.

#include <string>
#include <vector>

#include "io/gdal.hpp"
#include "report/feature_writer.hpp"

namespace hubmap {

enum class TableFormat { Text, Json, Csv, GeoJson, Xlsx };

/// The name of a format as --format spells it: table, json, csv, geojson, xlsx.
const char* tableFormatName(TableFormat f);
/// The format --format NAME names; throws UsageError listing `allowed` when it is not one of them.
TableFormat parseTableFormat(const std::string& name, const std::vector<std::string>& allowed);
/// The format of a file by its extension (.txt, .json, .csv, .geojson, .xlsx; any case);
/// throws UsageError when there is none or it is unknown, saying to add --format.
TableFormat tableFormatOfPath(const std::string& path);

struct TableOutput {
    TableFormat format = TableFormat::Text;
    /// The file to write; empty: standard output (not for XLSX).
    std::string path;
    bool overwrite = false;
    /// CSV: UTF-8 with a byte order mark (EF BB BF), so Excel reads it as UTF-8.
    bool bom = false;
    /// CSV: the encoding as iconv names it ("UTF-8", "CP932").
    std::string encoding = "UTF-8";
    /// CSV: Japanese headings instead of the keys. XLSX always has them, keys on the legend sheet.
    bool japaneseHeaders = false;

    /// Checks the output before any work: an XLSX needs a file, the file's folder must exist,
    /// an existing file needs `overwrite` (and must be a file), --bom and --encoding are for
    /// CSV, the encoding is known. Throws UsageError saying which option to change.
    void check() const;
};

/// Writes text (a terminal table, a JSON document) to standard output or, staged, to the file.
void writeTextOutput(const TableOutput& out, const std::string& text);

/// Writes a UTF-8 CSV as `out` asks: recoded (CP932), with a BOM, to standard output or the
/// file. Throws Error naming the line of a value the encoding cannot hold.
void writeCsvOutput(const TableOutput& out, std::string csv);

/// An in-memory path (/vsimem/) for a CSV that GDAL writes elsewhere (io's writers), and
/// its bytes taken back (the file removed): for CSVs not written through TableFile.
std::string temporaryCsvPath();
std::string takeTemporaryFile(const std::string& path);

/// A CSV, GeoJSON or XLSX output being written: one layer (CSV, GeoJSON) or one sheet per
/// layer (XLSX) through FeatureWriter, then finish() delivers it. Destroyed unfinished, it
/// leaves nothing behind.
class TableFile {
public:
    explicit TableFile(const TableOutput& out);
    ~TableFile();
    TableFile(const TableFile&) = delete;
    TableFile& operator=(const TableFile&) = delete;

    GDALDataset& dataset() { return *ds_; }
    const TableOutput& output() const { return out_; }
    /// The FeatureWriter options for this output (spreadsheet safety, headings, rounding).
    FeatureWriter::Options writerOptions() const;
    /// Layer creation options: GeoJSON per RFC 7946 (WGS 84, no crs member) with 6 decimals
    /// (0.1 m), none for the others.
    std::vector<std::string> layerOptions() const;
    /// Notes that a sheet with these fields was written (XLSX: the legend sheet lists them).
    void describeSheet(const std::string& sheet, const std::vector<FieldInfo>& fields);

    /// Closes the dataset, recodes a CSV (BOM, CP932) and writes it to standard output or
    /// renames it onto the target. Throws Error on a value the encoding cannot hold
    /// (naming the line), UsageError when the target appeared meanwhile without --overwrite.
    void finish();

private:
    void writeLegend();

    TableOutput out_;
    std::string gdalPath_;  // where GDAL writes, in memory (/vsimem/): delivered by finish()
    GdalDatasetPtr ds_;
    std::vector<std::pair<std::string, std::vector<FieldInfo>>> sheets_;
};

}  // namespace hubmap
