#include "io/import.hpp"

#include <cpl_error.h>
#include <fmt/format.h>
#include <ogr_spatialref.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <unordered_map>

#include "core/error.hpp"
#include "core/geos.hpp"
#include "core/names.hpp"
#include "core/spreadsheet.hpp"
#include "io/gdal.hpp"
#include "io/geocode.hpp"
#include "io/hubs.hpp"
#include "io/import_sources.hpp"
#include "io/name_index.hpp"
#include "io/paths.hpp"
#include "io/schema.hpp"
#include "io/spatialite.hpp"
#include "io/staged_output.hpp"
#include "io/text_encoding.hpp"

namespace fs = std::filesystem;

namespace hubmap {

namespace {

// Column names recognised in imported files (compared case-insensitively, trimmed).
const std::vector<std::string> kLonNames = {"lon", "lng", "long", "longitude", "経度"};
const std::vector<std::string> kLatNames = {"lat", "latitude", "緯度"};
const std::vector<std::string> kIdNames = {"id", "番号", "整理番号", "no", "no."};
const std::vector<std::string> kNameNames = {"name", "名称", "施設名", "拠点名", "名前", "団体名", "組織名"};
const std::vector<std::string> kPrefectureNames = {"prefecture", "pref", "都道府県", "都道府県名"};
const std::vector<std::string> kMunicipalityNames = {"municipality", "city",   "市区町村",
                                                     "市区町村名",   "市町村", "市町村名"};
const std::vector<std::string> kDistrictNames = {"district", "town",   "大字",         "町字",
                                                 "地区",     "地区名", "大字・町丁目", "町丁目"};
// A whole address in one column (parsed into prefecture, municipality, district and lot).
const std::vector<std::string> kAddressNames = {"address", "住所", "所在地", "所在地住所", "設置場所", "住所地"};
const std::vector<std::string> kCodeNames = {"municipality_code", "市区町村コード", "団体コード",
                                             "全国地方公共団体コード"};

// The columns every curated geodata/hubs file has.
constexpr const char* kCuratedColumns[] = {
    "id",        "kind",   "name",      "prefecture",  "municipality", "code",       "district", "lat", "lon",
    "precision", "opened", "programme", "fiscal_year", "operator",     "source_ref", "source",   "note"};

// Japan's extent with a margin (南鳥島 153.99°E, 沖ノ鳥島 20.42°N, 与那国島 122.93°E, 択捉島 45.5°N).
constexpr double kMinLon = 122.0, kMaxLon = 154.5, kMinLat = 20.0, kMaxLat = 46.0;

std::string lowerAscii(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

int findColumn(const OGRFeatureDefn& defn, const std::vector<std::string>& names) {
    for (const auto& wanted : names) {
        for (int i = 0; i < defn.GetFieldCount(); ++i) {
            if (lowerAscii(trimSpaces(defn.GetFieldDefn(i)->GetNameRef())) == lowerAscii(wanted)) return i;
        }
    }
    return -1;
}

/// Folds full-width digits, letters, point and signs (common in Japanese spreadsheets) to ASCII:
/// NFKC (ICU), and the minus sign NFKC leaves alone.
std::string asciiNumber(const std::string& text) {
    std::string s = nfkc(text);
    replaceAll(s, "−", "-");
    return s;
}

/// Japanese eras by their name and letter: the Western year of their first year (元年).
struct Era {
    std::string_view name, letter;
    int firstYear;
};
constexpr Era kEras[] = {
    {"令和", "r", 2019}, {"平成", "h", 1989}, {"昭和", "s", 1926}, {"大正", "t", 1912}, {"明治", "m", 1868}};

/// Reads the digits at `pos` (advancing it); -1 when there are none.
int readInt(const std::string& s, size_t& pos) {
    int v = 0;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9' && pos - start < 6) v = v * 10 + (s[pos++] - '0');
    return pos == start ? -1 : v;
}

}  // namespace

std::optional<double> parseNumber(const std::string& text) {
    std::string s = asciiNumber(trimSpaces(text));
    if (!s.empty() && s[0] == '+') s.erase(0, 1);
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<int> parseFiscalYear(const std::string& text) {
    std::string s = asciiNumber(trimSpaces(text));
    s = lowerAscii(trimSpaces(s));
    for (const char* suffix : {"年度", "年"}) {
        if (endsWith(s, suffix)) s.erase(s.size() - std::string_view(suffix).size());
    }
    int base = 0;
    for (const auto& [era, start] : std::initializer_list<std::pair<std::string_view, int>>{
             {"令和", 2018}, {"平成", 1988}, {"昭和", 1925}, {"r", 2018}, {"h", 1988}, {"s", 1925}}) {
        if (startsWith(s, era)) {
            base = start;
            s.erase(0, era.size());
            break;
        }
    }
    if (base) s = trimSpaces(s);
    if (base && s == "元") return base + 1;
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    if (base) return (v >= 1 && v <= 64) ? std::optional<int>(base + v) : std::nullopt;
    return (v >= 1900 && v <= 2100) ? std::optional<int>(v) : std::nullopt;
}

std::optional<std::string> parseOpened(const std::string& text) {
    std::string s = lowerAscii(trimSpaces(asciiNumber(trimSpaces(text))));
    if (s.empty()) return std::nullopt;
    if ((s.size() == 6 || s.size() == 8) &&
        std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        // 202104, 20210401
        const std::string dashed = s.substr(0, 4) + "-" + s.substr(4, 2) + (s.size() == 8 ? "-" + s.substr(6) : "");
        if (validOpened(dashed) && std::stoi(s.substr(0, 4)) >= 1868) return dashed;
        return std::nullopt;
    }
    int year = -1, month = -1, day = -1;  // -1: not given
    size_t pos = 0;
    // An Excel date cell read as its serial number (days since 1899-12-30): 5 digits, 1954-2173.
    if (s.size() == 5 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const long serial = std::stol(s);
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        long z = serial - 25569 + 719468;
        const long era = (z >= 0 ? z : z - 146096) / 146097;
        const long doe = z - era * 146097;
        const long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        const long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        const long mp = (5 * doy + 2) / 153;
        day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
        month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
        year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
        pos = s.size();
    } else {
        int base = 0;
        for (const Era& e : kEras) {
            if (startsWith(s, e.name) || startsWith(s, e.letter)) {
                base = e.firstYear - 1;
                pos = startsWith(s, e.name) ? e.name.size() : e.letter.size();
                break;
            }
        }
        if (base && s.compare(pos, 3, "元") == 0) {
            year = base + 1;
            pos += 3;
        } else {
            year = readInt(s, pos);
            if (year < 0) return std::nullopt;
            if (base) {
                if (year < 1 || year > 64) return std::nullopt;
                year += base;
            }
        }
        // Then 年4月1日, /4/1, -4-1 or .4.1; a trailing 頃 or 度 is not accepted (not a date).
        auto separator = [&](std::string_view kanji) {
            if (pos >= s.size()) return false;
            if (s[pos] == '/' || s[pos] == '-' || s[pos] == '.') {
                ++pos;
                if (pos == s.size()) pos = std::string::npos;  // "2020-": nothing after the separator
                return true;
            }
            if (s.compare(pos, kanji.size(), kanji) == 0) {
                pos += kanji.size();
                return true;
            }
            return false;
        };
        if (separator("年") && pos < s.size()) {
            month = readInt(s, pos);
            if (month < 0) return std::nullopt;
            if (separator("月") && pos < s.size()) {
                day = readInt(s, pos);
                if (day < 0) return std::nullopt;
                if (s.compare(pos, 3, "日") == 0) pos += 3;
            }
        }
    }
    if (pos != s.size() || year < 1868 || year > 2100) return std::nullopt;  // npos: a dangling separator
    if (month == -1) return fmt::format("{:04d}", year);
    if (month < 1 || month > 12) return std::nullopt;
    if (day == -1) return fmt::format("{:04d}-{:02d}", year, month);
    constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (day < 1 || day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) return std::nullopt;
    return fmt::format("{:04d}-{:02d}-{:02d}", year, month, day);
}

namespace {

bool validKind(const std::string& kind) {
    if (kind.empty() || !(kind[0] >= 'a' && kind[0] <= 'z')) return false;
    return std::all_of(kind.begin(), kind.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

/// The Japanese names (and common abbreviations) of the curated kinds in a 種別 column.
const std::pair<std::string_view, std::string_view> kKindNames[] = {
    {"小さな拠点", "small_hub"},
    {"地域運営組織", "rmo"},
    {"rmo", "rmo"},
    {"集落活動センター", "activity_centre"},
    {"activity_center", "activity_centre"},
    {"関係人口モデル事業", "model_project"},
    {"関係人口創出・拡大事業", "model_project"},
};

}  // namespace

std::optional<std::string> hubKindFromCell(const std::string& text) {
    const std::string folded = trimSpaces(nfkc(trimSpaces(text)));
    if (folded.empty()) return std::nullopt;
    const std::string lower = lowerAscii(folded);
    for (const auto& [name, kind] : kKindNames) {
        if (lower == name) return std::string(kind);
    }
    if (validKind(lower)) return lower;
    for (unsigned char c : folded) {
        if (c < 0x20 || c == 0x7f || c == ',' || c == '=' || c == '|') return std::nullopt;
    }
    return folded;
}

bool validOpened(const std::string& s) {
    auto digits = [&](size_t from, size_t n) {
        for (size_t i = from; i < from + n; ++i) {
            if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
        }
        return true;
    };
    if (s.size() != 4 && s.size() != 7 && s.size() != 10) return false;
    if (!digits(0, 4)) return false;
    if (s.size() == 4) return true;
    if (s[4] != '-' || !digits(5, 2)) return false;
    const int month = (s[5] - '0') * 10 + (s[6] - '0');
    if (month < 1 || month > 12) return false;
    if (s.size() == 7) return true;
    if (s[7] != '-' || !digits(8, 2)) return false;
    const int day = (s[8] - '0') * 10 + (s[9] - '0');
    return day >= 1 && day <= 31;
}

namespace {

/// The line where a quoted CSV field opens and never closes (GDAL would read the rest of the
/// file into that one field and report the next row as having no coordinates).
std::optional<long long> unclosedQuoteLine(const std::string& text) {
    long long line = 1, openedAt = 0;
    bool quoted = false, fieldStart = true;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"') {
                if (i + 1 < text.size() && text[i + 1] == '"') {
                    ++i;  // an escaped quote
                } else {
                    quoted = false;
                }
            } else if (c == '\n') {
                ++line;
            }
            continue;
        }
        if (c == '"' && fieldStart) {
            quoted = true;
            openedAt = line;
        } else if (c == '\n') {
            ++line;
        }
        fieldStart = c == ',' || c == '\n' || c == '\r';
    }
    return quoted ? std::optional<long long>(openedAt) : std::nullopt;
}

/// The CRS name a GeoJSON file declares near its start ("crs": {"type": "name", "properties":
/// {"name": …}}), "" when none. GDAL reads a name it does not understand as WGS 84 in silence.
std::string declaredGeoJsonCrs(const std::string& file) {
    VSILFILE* fp = VSIFOpenL(gdalPath(file).c_str(), "rb");
    if (!fp) return {};
    std::string head(65536, '\0');
    head.resize(VSIFReadL(head.data(), 1, head.size(), fp));
    VSIFCloseL(fp);
    static const std::regex crs(R"re("crs"\s*:\s*\{[^{}]*"properties"\s*:\s*\{[^{}]*"name"\s*:\s*"([^"]*)")re");
    std::smatch m;
    return std::regex_search(head, m, crs) ? m[1].str() : std::string();
}

bool insideJapanBox(double lon, double lat) {
    return lon >= kMinLon && lon <= kMaxLon && lat >= kMinLat && lat <= kMaxLat;
}

/// An in-memory GDAL file (/vsimem/), unlinked on destruction.
class VsiMemFile {
public:
    VsiMemFile() = default;
    VsiMemFile(const VsiMemFile&) = delete;
    VsiMemFile& operator=(const VsiMemFile&) = delete;
    ~VsiMemFile() {
        if (!path_.empty()) VSIUnlink(path_.c_str());
    }
    void create(const std::string& name, std::string content) {
        static std::atomic<int> counter{0};
        path_ = fmt::format("/vsimem/hubmap-import-{}-{}/{}", ::getpid(), counter++, name);
        auto* data = static_cast<GByte*>(CPLMalloc(content.size() + 1));
        std::copy(content.begin(), content.end(), data);
        data[content.size()] = 0;
        VSILFILE* fp = VSIFileFromMemBuffer(path_.c_str(), data, content.size(), TRUE);
        if (!fp) throw Error("cannot create the in-memory file " + path_);
        VSIFCloseL(fp);
    }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

struct TransformDeleter {
    void operator()(OGRCoordinateTransformation* ct) const { OGRCoordinateTransformation::DestroyCT(ct); }
};
using TransformPtr = std::unique_ptr<OGRCoordinateTransformation, TransformDeleter>;

/// Sets a GDAL configuration option for this thread while it lives (the XLSX and ODS drivers
/// take their header and field-type choices only as configuration options).
class ThreadConfig {
public:
    ThreadConfig(std::string key, const std::string& value) : key_(std::move(key)) {
        if (const char* old = CPLGetThreadLocalConfigOption(key_.c_str(), nullptr)) old_ = old;
        CPLSetThreadLocalConfigOption(key_.c_str(), value.c_str());
    }
    ~ThreadConfig() { CPLSetThreadLocalConfigOption(key_.c_str(), old_ ? old_->c_str() : nullptr); }
    ThreadConfig(const ThreadConfig&) = delete;
    ThreadConfig& operator=(const ThreadConfig&) = delete;

private:
    std::string key_;
    std::optional<std::string> old_;
};

/// A source opened for reading, its text decoded to UTF-8.
struct OpenedSource {
    /// GDAL options the reader needs while the dataset is read, not only when it is opened (the
    /// XLSX and ODS drivers read a sheet on first use). Declared first: outlive the dataset.
    std::vector<std::unique_ptr<ThreadConfig>> config;
    VsiMemFile recoded;  // declared first: outlives the dataset reading it
    GdalDatasetPtr ds;
    OGRLayer* layer = nullptr;
    std::string driver;
    std::string encoding;  // what the text was read as ("" when the format fixes it)
    bool csv = false;
    bool bom = false;     // a CSV that starts with the UTF-8 byte order mark
    bool header = false;  // a spreadsheet whose row 1 names its columns
    /// Rows are numbered (CSV: data row 1 is the first after the header; a spreadsheet: the row as
    /// Excel shows it), with this number for the first feature; 0 for other formats (features).
    long long firstRow = 0;
};

/// Is this first row of a sheet a header? When one of its cells is a column name import knows.
bool looksLikeHeader(const OGRFeature& first, const ImportOptions& options) {
    std::vector<std::string> known = {options.idColumn, options.nameColumn, options.lonColumn, options.latColumn,
                                      options.addressColumn};
    for (const auto* names : {&kLonNames, &kLatNames, &kIdNames, &kNameNames, &kPrefectureNames, &kMunicipalityNames,
                              &kDistrictNames, &kCodeNames, &kAddressNames}) {
        known.insert(known.end(), names->begin(), names->end());
    }
    for (int i = 0; i < first.GetFieldCount(); ++i) {
        if (!first.IsFieldSetAndNotNull(i)) continue;
        const std::string cell = lowerAscii(trimSpaces(first.GetFieldAsString(i)));
        for (const auto& k : known) {
            if (!k.empty() && cell == lowerAscii(k)) return true;
        }
    }
    return false;
}

/// Opens an .xlsx or .ods with every cell as text, and with a header row when its first row
/// names columns import knows (GDAL's own detection needs a row of numbers below the header).
void openSpreadsheet(OpenedSource& src, const ImportOptions& options) {
    const std::string prefix = src.driver == "XLSX" ? "OGR_XLSX_" : "OGR_ODS_";
    src.config.push_back(std::make_unique<ThreadConfig>(prefix + "FIELD_TYPES", "STRING"));
    bool header = false;
    {
        const ThreadConfig raw(prefix + "HEADERS", "DISABLE");
        GdalDatasetPtr probe = openVector(options.file, {}, {src.driver});
        OGRLayer* layer = options.layer.empty() ? (probe->GetLayerCount() > 0 ? probe->GetLayer(0) : nullptr)
                                                : probe->GetLayerByName(options.layer.c_str());
        if (layer) {
            layer->ResetReading();
            if (OgrFeaturePtr first(layer->GetNextFeature()); first) header = looksLikeHeader(*first, options);
            // A title above the header row (a heading in cells merged across the columns, as lists
            // kept in Excel often have): GDAL reads column names from row 1 only, so say where they are.
            std::string title;
            for (long long row = 1; !header && row <= 10; ++row) {
                layer->SetNextByIndex(row - 1);
                OgrFeaturePtr f(layer->GetNextFeature());
                if (!f) break;
                if (row > 1 && looksLikeHeader(*f, options)) {
                    throw Error(ErrorContext{options.file, layer->GetName(), -1, row},
                                fmt::format("the column names are in row {}, below {}: hubmap reads them from row 1 "
                                            "— delete row{} 1{} (a title in merged cells?) and import again",
                                            row, title.empty() ? "empty rows" : "the title 「" + title + "」",
                                            row > 2 ? "s" : "", row > 2 ? fmt::format("–{}", row - 1) : ""));
                }
                for (int i = 0; i < f->GetFieldCount() && title.empty(); ++i) {
                    if (f->IsFieldSetAndNotNull(i)) title = trimSpaces(f->GetFieldAsString(i));
                }
            }
        }
    }
    src.config.push_back(std::make_unique<ThreadConfig>(prefix + "HEADERS", header ? "FORCE" : "DISABLE"));
    src.ds = openVector(options.file, {}, {src.driver});
    src.firstRow = header ? 2 : 1;
    src.header = header;
}

/// Excel's name of a column: A, B, …, Z, AA, …
std::string columnLetters(int index) {
    std::string out;
    for (int n = index + 1; n > 0; n = (n - 1) / 26) out.insert(out.begin(), static_cast<char>('A' + (n - 1) % 26));
    return out;
}

/// In a workbook of two sheets of which one is the legend hubmap writes (kLegendSheet, headed
/// kLegendSheetColumn), the other sheet; nullptr otherwise.
OGRLayer* sheetBesideLegend(GDALDataset& ds) {
    if (ds.GetLayerCount() != 2) return nullptr;
    for (int i = 0; i < 2; ++i) {
        OGRLayer* layer = ds.GetLayer(i);
        const OGRFeatureDefn* defn = layer->GetLayerDefn();
        if (std::string_view(layer->GetName()) == kLegendSheet && defn->GetFieldCount() > 0 &&
            std::string_view(defn->GetFieldDefn(0)->GetNameRef()) == kLegendSheetColumn) {
            return ds.GetLayer(1 - i);
        }
    }
    return nullptr;
}

/// A spreadsheet's sheet must hold cells, and with a header row every column holding data must
/// have a name: GDAL calls a column under an empty header cell FieldN (N: its 1-based place),
/// which is how a header cell merged over two columns looks.
void checkSheet(const OpenedSource& src, const ImportOptions& options) {
    OGRLayer& layer = *src.layer;
    const OGRFeatureDefn& defn = *layer.GetLayerDefn();
    if (layer.GetFeatureCount(TRUE) == 0) {
        throw Error(ErrorContext{options.file, layer.GetName(), -1, -1},
                    defn.GetFieldCount() == 0 ? "the sheet is empty: no cell to import (choose the sheet with --sheet)"
                                              : "the sheet has a header row but no rows below it: nothing to import");
    }
    if (!src.header) return;
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        if (std::string(defn.GetFieldDefn(i)->GetNameRef()) != fmt::format("Field{}", i + 1)) continue;
        const std::string left = i > 0 ? fmt::format(", right of {},", defn.GetFieldDefn(i - 1)->GetNameRef()) : "";
        throw Error(ErrorContext{options.file, layer.GetName(), -1, 1},
                    fmt::format("column {}{} holds data but has no name in the header row (a header cell merged "
                                "over several columns?): give each column its own name, then import again",
                                columnLetters(i), left));
    }
}

std::string readWholeFile(const std::string& file) {
    VSILFILE* fp = VSIFOpenL(gdalPath(file).c_str(), "rb");
    if (!fp) throw Error(ErrorContext{file, {}, -1, -1}, "cannot read: " + gdalLastError("no such file"));
    GByte* data = nullptr;
    vsi_l_offset size = 0;
    const int ok = VSIIngestFile(fp, nullptr, &data, &size, -1);
    VSIFCloseL(fp);
    if (!ok) throw Error(ErrorContext{file, {}, -1, -1}, "cannot read: " + gdalLastError());
    std::string out(reinterpret_cast<const char*>(data), static_cast<size_t>(size));
    VSIFree(data);
    return out;
}

/// Opens a CSV as UTF-8: as it is when it is UTF-8, else converted into /vsimem/.
void openCsv(OpenedSource& src, const ImportOptions& options, const std::string& encoding) {
    const std::string bytes = readWholeFile(options.file);
    std::string chosen = encoding;
    src.bom = startsWith(bytes, "\xEF\xBB\xBF");
    const auto badUtf8 = firstInvalidUtf8(bytes);
    auto errorAt = [&](size_t offset, const std::string& what) {
        // Line 1 is the header; data row N is line N + 1 (unless a quoted field spans lines).
        const long long line = lineOfOffset(bytes, offset);
        return Error(ErrorContext{options.file, {}, -1, line > 1 ? line - 1 : -1},
                     fmt::format("{} (line {}{}, byte 0x{:02X}); give the encoding with --encoding", what, line,
                                 line == 1 ? ", the header" : "", static_cast<unsigned char>(bytes[offset])));
    };
    if (chosen == "auto") chosen = badUtf8 ? "CP932" : "UTF-8";
    std::string openPath = gdalPath(options.file);
    if (const size_t nul = bytes.find('\0'); nul != std::string::npos) {
        const long long line = lineOfOffset(bytes, nul);
        throw Error(ErrorContext{options.file, {}, -1, line > 1 ? line - 1 : -1},
                    fmt::format("contains a NUL byte (line {}): not a text CSV; export it again as CSV text", line));
    }
    auto checkQuotes = [&](const std::string& text) {
        if (const auto line = unclosedQuoteLine(text)) {
            throw Error(ErrorContext{options.file, {}, -1, *line > 1 ? *line - 1 : -1},
                        fmt::format("a quoted field opens on line {} and is never closed: add the closing \" "
                                    "(or remove the stray one)",
                                    *line));
        }
    };
    if (chosen == "UTF-8") {
        if (badUtf8) throw errorAt(*badUtf8, "not valid UTF-8");
        checkQuotes(bytes);
    } else {
        size_t bad = 0;
        auto text = toUtf8(bytes, chosen, bad);
        if (!text) {
            throw errorAt(
                bad, encoding == "auto" ? "neither UTF-8 nor CP932 (Shift_JIS)" : fmt::format("not valid {}", chosen));
        }
        checkQuotes(*text);
        // Keep the file name: the CSV driver recognises the file by its extension.
        std::string name = fs::path(options.file).filename().string();
        if (endsWith(name, ".gz")) name.erase(name.size() - 3);
        src.recoded.create(name, std::move(*text));
        openPath = src.recoded.path();
    }
    src.encoding = chosen;
    src.ds = openVector(openPath, {"HEADERS=YES", "AUTODETECT_TYPE=NO", "KEEP_GEOM_COLUMNS=YES"}, {"CSV"});
}

/// Every string field of every feature valid UTF-8? (a Shapefile opened with ENCODING="", raw bytes)
bool shapefileTextIsUtf8(const std::string& file) {
    GdalDatasetPtr raw = openVector(file, {"ENCODING="}, {"ESRI Shapefile"});
    for (int l = 0; l < raw->GetLayerCount(); ++l) {
        OGRLayer* layer = raw->GetLayer(l);
        layer->ResetReading();
        for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
            for (int i = 0; i < f->GetFieldCount(); ++i) {
                if (f->GetFieldDefnRef(i)->GetType() != OFTString || !f->IsFieldSetAndNotNull(i)) continue;
                if (firstInvalidUtf8(f->GetFieldAsString(i))) return false;
            }
        }
    }
    return true;
}

void openSource(OpenedSource& src, const ImportOptions& options, std::vector<std::string>& notes) {
    const std::string encoding = canonicalEncoding(options.encoding);
    {
        GdalDatasetPtr probe = openVector(options.file);
        src.driver = probe->GetDriverName();
    }
    if (src.driver == "XLSX" || src.driver == "ODS") {
        if (encoding != "auto" && encoding != "UTF-8") {
            throw UsageError(fmt::format("--encoding applies to CSV and Shapefile sources; {} ({}) text is UTF-8",
                                         options.file, src.driver));
        }
        openSpreadsheet(src, options);
    } else if (src.driver == "CSV") {
        src.csv = true;
        src.firstRow = 1;
        openCsv(src, options, encoding);
        if (encoding == "auto" && src.encoding != "UTF-8")
            notes.push_back("text is not UTF-8: read as CP932 (Shift_JIS)");
    } else if (src.driver == "ESRI Shapefile") {
        std::string chosen = encoding;
        const bool hasCpg = fs::exists(fs::path(options.file).replace_extension(".cpg")) ||
                            fs::exists(fs::path(options.file).replace_extension(".CPG"));
        if (chosen == "auto" && !hasCpg) {
            // No .cpg: GDAL would assume ISO-8859-1. Japanese files without one are UTF-8 or CP932.
            chosen = shapefileTextIsUtf8(options.file) ? "UTF-8" : "CP932";
            notes.push_back(
                fmt::format("no .cpg file: text read as {}", chosen == "UTF-8" ? "UTF-8" : "CP932 (Shift_JIS)"));
        }
        src.encoding = chosen == "auto" ? "from .cpg" : chosen;
        src.ds = chosen == "auto" ? openVector(options.file, {}, {"ESRI Shapefile"})
                                  : openVector(options.file, {"ENCODING=" + chosen}, {"ESRI Shapefile"});
    } else {
        if (encoding != "auto" && encoding != "UTF-8") {
            throw UsageError(fmt::format("--encoding applies to CSV and Shapefile sources; {} ({}) text is UTF-8",
                                         options.file, src.driver));
        }
        src.ds = openVector(options.file);
    }
    const bool spreadsheet = src.driver == "XLSX" || src.driver == "ODS";
    if (!options.layer.empty()) {
        src.layer = src.ds->GetLayerByName(options.layer.c_str());
        if (!src.layer) {
            std::string names;
            for (int i = 0; i < src.ds->GetLayerCount(); ++i) {
                names += (names.empty() ? "" : ", ") + std::string(src.ds->GetLayer(i)->GetName());
            }
            // GDAL lists no sheet without a cell (unless it is the only one).
            throw UsageError(
                spreadsheet ? fmt::format("{} has no sheet '{}' with data (sheets with data: {}); an "
                                          "empty sheet has nothing to import",
                                          options.file, options.layer, names)
                            : fmt::format("{} has no layer '{}' (layers: {})", options.file, options.layer, names));
        }
    } else if (src.ds->GetLayerCount() == 1) {
        src.layer = src.ds->GetLayer(0);
    } else if (OGRLayer* data = spreadsheet ? sheetBesideLegend(*src.ds) : nullptr) {
        src.layer = data;
    } else {
        std::string names;
        for (int i = 0; i < src.ds->GetLayerCount(); ++i) {
            names += (names.empty() ? "" : ", ") + std::string(src.ds->GetLayer(i)->GetName());
        }
        throw UsageError(src.ds->GetLayerCount() == 0 ? fmt::format("{} has no layer", options.file)
                         : spreadsheet ? fmt::format("{} has {} sheets ({}): choose one with --sheet", options.file,
                                                     src.ds->GetLayerCount(), names)
                                       : fmt::format("{} has {} layers ({}): choose one with --layer", options.file,
                                                     src.ds->GetLayerCount(), names));
    }
    if (spreadsheet) checkSheet(src, options);
}

std::string describeCrs(const OGRSpatialReference& srs) {
    const char* auth = srs.GetAuthorityName(nullptr);
    const char* code = srs.GetAuthorityCode(nullptr);
    const char* name = srs.GetName();
    if (auth && code) return fmt::format("{}:{}{}", auth, code, name ? fmt::format(" ({})", name) : "");
    return name ? name : "unnamed CRS";
}

/// PROJ reads "EPSG:6672xyz" as EPSG:6672: an authority code must be the whole option.
bool wellFormedCrsOption(const std::string& crs) {
    const auto colon = crs.find(':');
    if (colon == std::string::npos || crs.find_first_of("[ +") != std::string::npos) return true;  // WKT, PROJ string
    const std::string code = crs.substr(colon + 1);
    return !code.empty() && std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isdigit(c); });
}

/// Which column holds what, by name.
struct Columns {
    int id = -1, name = -1, kind = -1, prefecture = -1, municipality = -1, district = -1, code = -1;
    int lon = -1, lat = -1, precision = -1, opened = -1, programme = -1, fiscalYear = -1, operatorName = -1;
    int sourceRef = -1, source = -1, note = -1, address = -1;
    /// Columns hubmap does not use, kept in hubs.extra by name; `extraJson`: a column named extra
    /// (hubmap's own CSV) whose JSON object is read back into it.
    std::vector<std::pair<int, std::string>> extra;
    int extraJson = -1;
    bool hasAddress() const { return prefecture >= 0 || municipality >= 0 || code >= 0 || address >= 0; }
};

Columns findColumns(const OGRFeatureDefn& defn, const ImportOptions& options) {
    const std::string& file = options.file;
    auto required = [&](const std::string& column, const char* option) {
        const int i = findColumn(defn, {column});
        if (i < 0) {
            throw Error(ErrorContext{file, options.layer, -1, -1},
                        fmt::format("missing required column '{}'{}", column,
                                    option ? fmt::format(" (named by {})", option) : std::string()));
        }
        return i;
    };
    Columns c;
    if (options.curatedLayout) {
        for (const char* column : kCuratedColumns) required(column, nullptr);
        c.id = required("id", nullptr);
        c.kind = required("kind", nullptr);
        c.name = required("name", nullptr);
        c.prefecture = required("prefecture", nullptr);
        c.municipality = required("municipality", nullptr);
        c.code = required("code", nullptr);
        c.district = required("district", nullptr);
        c.lat = required("lat", nullptr);
        c.lon = required("lon", nullptr);
        c.precision = required("precision", nullptr);
    } else {
        c.id = options.idColumn.empty() ? findColumn(defn, kIdNames) : required(options.idColumn, "--id-col");
        c.name = options.nameColumn.empty() ? findColumn(defn, kNameNames) : required(options.nameColumn, "--name-col");
        if (c.name < 0) {
            throw Error(ErrorContext{file, options.layer, -1, -1},
                        "missing required column 'name' (or 名称, 施設名, 拠点名; or name it with --name-col)");
        }
        c.prefecture = findColumn(defn, kPrefectureNames);
        c.municipality = findColumn(defn, kMunicipalityNames);
        c.district = findColumn(defn, kDistrictNames);
        c.code = findColumn(defn, kCodeNames);
        c.address = options.addressColumn.empty() ? findColumn(defn, kAddressNames)
                                                  : required(options.addressColumn, "--address-col");
        if (options.lonColumn.empty() != options.latColumn.empty()) {
            throw UsageError("--lon-col and --lat-col go together");
        }
        if (!options.lonColumn.empty()) {
            c.lon = required(options.lonColumn, "--lon-col");
            c.lat = required(options.latColumn, "--lat-col");
        } else {
            c.lon = findColumn(defn, kLonNames);
            c.lat = findColumn(defn, kLatNames);
            if ((c.lon < 0) != (c.lat < 0)) {
                const int have = c.lon >= 0 ? c.lon : c.lat;
                throw Error(ErrorContext{file, options.layer, -1, -1},
                            fmt::format("missing required column: has '{}' but no {} column (or name both with "
                                        "--lon-col and --lat-col)",
                                        defn.GetFieldDefn(have)->GetNameRef(),
                                        c.lon >= 0 ? "latitude (lat, latitude, 緯度)" : "longitude (lon, lng, 経度)"));
            }
        }
    }
    c.opened = findColumn(defn, {"opened", "開設年月", "開設日", "開設年月日", "設置年月", "設置年月日", "開設年"});
    c.programme = findColumn(defn, {"programme", "事業"});
    c.fiscalYear = findColumn(defn, {"fiscal_year", "設立年度", "事業年度"});
    c.operatorName = findColumn(defn, {"operator", "運営主体", "運営団体"});
    c.sourceRef = findColumn(defn, {"source_ref", "出典内の番号"});
    c.source = options.curatedLayout ? required("source", nullptr) : findColumn(defn, {"source", "出典"});
    c.note = findColumn(defn, {"note", "備考"});
    if (!options.curatedLayout) c.kind = findColumn(defn, {"kind", "種別"});
    return c;
}

/// The columns no other field took, for hubs.extra. Left out: the geometry text of a CSV with
/// WKT, and in a CSV hubmap wrote (it has import_source) what hubmap derives itself: precision,
/// code, import_source.
void findExtraColumns(const OGRFeatureDefn& defn, Columns& c) {
    const bool hubmapCsv = findColumn(defn, {"import_source"}) >= 0;
    const int used[] = {c.id,         c.name,         c.kind,      c.prefecture, c.municipality, c.district,
                        c.code,       c.lon,          c.lat,       c.precision,  c.opened,       c.programme,
                        c.fiscalYear, c.operatorName, c.sourceRef, c.source,     c.note,         c.address};
    for (int i = 0; i < defn.GetFieldCount(); ++i) {
        if (std::find(std::begin(used), std::end(used), i) != std::end(used)) continue;
        const std::string name = defn.GetFieldDefn(i)->GetNameRef();
        const std::string key = lowerAscii(trimSpaces(name));
        if (key == "extra") {
            c.extraJson = i;
        } else if (!(key == "wkt" && defn.GetGeomFieldCount() > 0) &&
                   !(hubmapCsv && (key == "precision" || key == "code" || key == "import_source"))) {
            c.extra.emplace_back(i, name);
        }
    }
}

/// Reads one source row by row; the state shared by the row checks.
class SourceReader {
public:
    SourceReader(const Database& db, Geocoder& geocoder, const ImportOptions& options, Progress& progress)
        : geocoder_(geocoder), options_(options), progress_(progress) {
        // The ids already stored, with their import source (a few hundred normally; one query).
        Statement st = db.prepare("SELECT id, import_source FROM hubs");
        while (st.step()) {
            // The rows a replacement removes do not clash with their own new version.
            if (options.replace && st.text(1) == options.sourceName) continue;
            storedIds_.emplace(st.text(0), st.text(1));
        }
    }

    HubBatch read();

private:
    void setupCrs(bool coordinatesGiven);
    std::string field(const OGRFeature& f, int i) const {
        if (i < 0 || !f.IsFieldSetAndNotNull(i)) return {};
        std::string value = trimSpaces(f.GetFieldAsString(i));
        // A CSV hubmap wrote (hubs --format csv, a rejects file) has formula-like text behind
        // a ' (core/spreadsheet.hpp): read it back as the name it was.
        return src_.csv ? std::string(undoSpreadsheetSafe(value)) : value;
    }
    /// Transforms a source x/y to lon/lat; false when PROJ cannot.
    bool toLonLat(double x, double y, double& lon, double& lat) const;
    /// Places an exact point given in the source CRS; returns the problem ("" when it is fine).
    std::string placeExact(double x, double y, Hub& hub);
    /// The same for a point already in lon/lat; `raw` is the source x/y when there is one (for hints).
    std::string placeLonLat(double lon, double lat, std::optional<std::pair<double, double>> raw, Hub& hub);
    /// Places a row by its address columns; returns the problem ("" when it is fine).
    std::string placeByAddress(const OGRFeature& f, Hub& hub, bool prefectureOnly, long long row);
    void readRow(const OGRFeature& f, long long index);
    /// The row's unused columns as a JSON object ("" when all are empty).
    std::string extraOf(const OGRFeature& f) const;

    Geocoder& geocoder_;
    const ImportOptions& options_;
    Progress& progress_;
    std::unordered_map<std::string, std::string> storedIds_;  // id → import source
    GeosContext geos_;
    OpenedSource src_;
    Columns cols_;
    OGRSpatialReference sourceSrs_, targetSrs_;
    TransformPtr transform_;
    bool sourceGiven_ = false;  // the CRS came from --crs or the file, not assumed
    HubBatch batch_;
    std::unordered_map<std::string, long long> firstRowOfId_;
    std::vector<std::string> fallbackNotes_, offPolygonNotes_;
    long long currentNumber_ = 0;  // row or feature number of the row being read
    long long fallbacks_ = 0, surfacePoints_ = 0, offPolygon_ = 0;
    std::vector<std::string> suggestions_;  // nearest names for the row's last geocoding problem
    long long valueWarnings_ = 0;           // values left out (not a date, not a year)
    std::vector<std::string> valueWarningNotes_;
    std::string sourceLabel_;
};

void SourceReader::setupCrs(bool coordinatesGiven) {
    targetSrs_.importFromEPSG(6668);
    targetSrs_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const OGRSpatialReference* layerSrs = coordinatesGiven ? nullptr : src_.layer->GetSpatialRef();
    if (!options_.crs.empty()) {
        CPLErrorReset();
        if (!wellFormedCrsOption(options_.crs) || sourceSrs_.SetFromUserInput(options_.crs.c_str()) != OGRERR_NONE) {
            throw UsageError(fmt::format("--crs '{}' is not a CRS PROJ knows (e.g. EPSG:6672)", options_.crs));
        }
        if (layerSrs && !layerSrs->IsSame(&sourceSrs_)) {
            batch_.report.notes.push_back(
                fmt::format("--crs {} overrides the file's CRS {}", options_.crs, describeCrs(*layerSrs)));
        }
        sourceGiven_ = true;
    } else if (layerSrs) {
        sourceSrs_ = *layerSrs;
        sourceGiven_ = true;
    } else {
        sourceSrs_.importFromEPSG(6668);
        batch_.report.notes.push_back(
            "no CRS in the file and no --crs: coordinates read as JGD2011 lon/lat "
            "(EPSG:6668; WGS84 differs by under a metre)");
    }
    sourceSrs_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    CPLErrorReset();
    transform_.reset(OGRCreateCoordinateTransformation(&sourceSrs_, &targetSrs_));
    if (!transform_) {
        throw Error(ErrorContext{options_.file, options_.layer, -1, -1},
                    fmt::format("cannot transform from {} to EPSG:6668: {}", describeCrs(sourceSrs_), gdalLastError()));
    }
    batch_.report.crs = describeCrs(sourceSrs_);
}

bool SourceReader::toLonLat(double x, double y, double& lon, double& lat) const {
    lon = x;
    lat = y;
    return transform_->Transform(1, &lon, &lat) && std::isfinite(lon) && std::isfinite(lat);
}

std::string SourceReader::placeExact(double x, double y, Hub& hub) {
    double lon = 0, lat = 0;
    if (!toLonLat(x, y, lon, lat)) {
        return fmt::format("coordinates ({}, {}) cannot be transformed from {} to lon/lat", x, y, batch_.report.crs);
    }
    return placeLonLat(lon, lat, std::make_pair(x, y), hub);
}

std::string SourceReader::placeLonLat(double lon, double lat, std::optional<std::pair<double, double>> raw, Hub& hub) {
    PointLocation loc;
    // On a shared boundary the source's own code (hub.code, as read) picks the municipality.
    if (insideJapanBox(lon, lat)) loc = geocoder_.locate(lon, lat, hub.code);
    if (!loc.inJapan) {
        const bool projected = sourceSrs_.IsProjected();
        std::string problem = raw && projected
                                  ? fmt::format("point x={} y={} in {} is lon {:.6f}, lat {:.6f}: outside Japan",
                                                raw->first, raw->second, batch_.report.crs, lon, lat)
                              : raw ? fmt::format("point lon {}, lat {} is outside Japan", raw->first, raw->second)
                                    : fmt::format("point lon {:.6f}, lat {:.6f} is outside Japan", lon, lat);
        if (insideJapanBox(lon, lat)) problem += fmt::format(" ({:.0f} km from {})", loc.nearestKm, loc.nearestName);
        double slon = 0, slat = 0;
        if (raw && toLonLat(raw->second, raw->first, slon, slat) && insideJapanBox(slon, slat) &&
            geocoder_.locate(slon, slat).inJapan) {
            problem += projected ? " — x and y look swapped (in Japanese survey coordinates X is the northing)"
                                 : " — lat and lon look swapped";
        } else if (raw && !sourceGiven_ && (std::abs(raw->first) > 180 || std::abs(raw->second) > 90)) {
            problem +=
                " — the values look projected: give the CRS with --crs (JGD2011 plane rectangular zones "
                "are EPSG:6669–6687)";
        } else if (projected) {
            problem += " — check the CRS (--crs)";
        }
        return problem;
    }
    hub.lon = lon;
    hub.lat = lat;
    hub.precision = std::string(precisionKey(Precision::Exact));
    hub.code = loc.code;
    if (hub.prefecture.empty()) hub.prefecture = loc.prefecture;
    if (hub.municipality.empty()) hub.municipality = loc.municipality;
    if (loc.code.empty()) {
        ++offPolygon_;
        if (offPolygonNotes_.size() < 20) {
            offPolygonNotes_.push_back(fmt::format("{} {}: lon {:.6f}, lat {:.6f} is {:.1f} km off {}", sourceLabel_,
                                                   currentNumber_, lon, lat, loc.nearestKm, loc.nearestName));
        }
    }
    return {};
}

std::string SourceReader::placeByAddress(const OGRFeature& f, Hub& hub, bool prefectureOnly, long long row) {
    Address address{hub.prefecture, prefectureOnly ? std::string() : hub.municipality,
                    prefectureOnly ? std::string() : hub.details().district,
                    prefectureOnly ? std::string() : field(f, cols_.code),
                    prefectureOnly ? std::string() : field(f, cols_.address)};
    const GeocodeResult r = geocoder_.geocode(address);
    suggestions_ = r.suggestions;
    if (!r.ok()) return r.problem;
    if (r.parsed) {
        // The parts of the address cell; the lot stays in the cell (kept with the row).
        if (hub.details().district.empty()) hub.editDetails().district = r.parsed->district;
        if (hub.municipality.empty()) hub.municipality = r.parsed->municipality;
    }
    hub.precision = std::string(precisionKey(r.precision));
    hub.code = r.code;
    hub.lon = r.lon;
    hub.lat = r.lat;
    if (hub.prefecture.empty()) hub.prefecture = r.prefecture;
    if (hub.municipality.empty()) hub.municipality = r.municipality;
    if (!r.fallback.empty()) {
        ++fallbacks_;
        if (fallbackNotes_.size() < 20)
            fallbackNotes_.push_back(fmt::format("{} {}: {}", sourceLabel_, row, r.fallback));
    }
    return {};
}

void SourceReader::readRow(const OGRFeature& f, long long index) {
    const long long row = src_.firstRow ? index + src_.firstRow : -1;
    const long long feature = src_.firstRow ? -1 : index;
    const long long number = src_.firstRow ? row : feature;
    currentNumber_ = number;
    Hub hub;
    std::string problem;
    suggestions_.clear();
    auto reject = [&](const std::string& reason) {
        ImportProblem p{row, feature, reason, {}, {}, suggestions_};
        for (int i = 0; i < f.GetFieldCount(); ++i) {
            p.values.push_back(f.IsFieldSetAndNotNull(i) ? f.GetFieldAsString(i) : "");
        }
        if (const OGRGeometry* g = f.GetGeometryRef()) p.wkt = g->exportToWkt();
        batch_.rejected.push_back(std::move(p));
    };

    // Identity.
    std::string id = cols_.id >= 0 ? field(f, cols_.id) : std::to_string(number);
    if (id.empty()) return reject("empty id");
    if (auto [it, inserted] = firstRowOfId_.emplace(id, number); !inserted) {
        return reject(fmt::format("duplicate id '{}' (also {} {})", id, sourceLabel_, it->second));
    }
    hub.id = options_.curatedLayout ? id : batch_.report.sourceName + ":" + id;
    if (auto it = storedIds_.find(hub.id); it != storedIds_.end()) {
        return reject(fmt::format("duplicate id '{}': already in the database (import source {})", hub.id, it->second));
    }
    hub.name = field(f, cols_.name);
    if (hub.name.empty()) return reject("empty name");
    if (options_.curatedLayout) {
        hub.kind = field(f, cols_.kind);
        if (std::none_of(std::begin(kCuratedHubKinds), std::end(kCuratedHubKinds),
                         [&](const char* k) { return hub.kind == k; })) {
            return reject(
                fmt::format("unknown kind '{}' (expected small_hub, rmo, activity_centre or model_project)", hub.kind));
        }
    } else {
        hub.kind = options_.kind;
        if (const std::string cell = field(f, cols_.kind); !cell.empty()) {
            const auto kind = hubKindFromCell(cell);
            if (!kind) {
                return reject(fmt::format("{} '{}' is not a kind (it may not hold , = or |)",
                                          f.GetFieldDefnRef(cols_.kind)->GetNameRef(), cell));
            }
            hub.kind = *kind;
        }
        if (hub.kind.empty()) {
            return reject(fmt::format("empty {}: give the kind of such rows with --kind",
                                      f.GetFieldDefnRef(cols_.kind)->GetNameRef()));
        }
    }

    // Attributes.
    hub.prefecture = field(f, cols_.prefecture);
    hub.municipality = field(f, cols_.municipality);
    // The rarely filled fields are held only when one is given (a Hub without them is smaller).
    auto setDetail = [&hub](std::string HubDetails::*member, std::string value) {
        if (!value.empty()) hub.editDetails().*member = std::move(value);
    };
    setDetail(&HubDetails::district, field(f, cols_.district));
    hub.code = field(f, cols_.code);  // as stated; placement replaces it with the code it finds
    // A value that cannot be read is a warning and the row is kept without it; with --strict
    // (and in the curated layers) the row is rejected.
    const bool strictValues = options_.strict || options_.curatedLayout;
    auto badValue = [&](int column, const std::string& what) {
        const std::string message = fmt::format("{} {}", f.GetFieldDefnRef(column)->GetNameRef(), what);
        if (strictValues) return message;
        ++valueWarnings_;
        if (valueWarningNotes_.size() < 20) {
            valueWarningNotes_.push_back(fmt::format("{} {}: {} (imported without it)", sourceLabel_, number, message));
        }
        return std::string();
    };
    if (const std::string opened = field(f, cols_.opened); !opened.empty()) {
        if (const auto date = parseOpened(opened)) {
            hub.editDetails().opened = *date;
        } else if (const std::string problem = badValue(
                       cols_.opened, fmt::format("'{}' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2020-04), "
                                                 "令和3年4月, R3.4, 2021/4, or leave it empty",
                                                 opened));
                   !problem.empty()) {
            return reject(problem);
        }
    }
    setDetail(&HubDetails::programme, field(f, cols_.programme));
    setDetail(&HubDetails::operatorName, field(f, cols_.operatorName));
    setDetail(&HubDetails::sourceRef, field(f, cols_.sourceRef));
    hub.note = field(f, cols_.note);
    hub.source = field(f, cols_.source);
    if (hub.source.empty()) {
        if (options_.curatedLayout) return reject("empty source (the seed file and section the row comes from)");
        hub.source = fs::path(options_.file).filename().string();
    }
    hub.importSource = batch_.report.sourceName;
    if (!cols_.extra.empty() || cols_.extraJson >= 0) setDetail(&HubDetails::extra, extraOf(f));
    if (const std::string fy = field(f, cols_.fiscalYear); !fy.empty()) {
        if (const std::optional<int> year = parseFiscalYear(fy)) {
            hub.editDetails().fiscalYear = year;
        } else {
            const std::string problem =
                badValue(cols_.fiscalYear, fmt::format("'{}' is not a year (2020, R2, 令和2年度, H30)", fy));
            if (!problem.empty()) return reject(problem);
        }
    }

    // Location.
    const std::string precision = options_.curatedLayout ? field(f, cols_.precision) : std::string();
    if (!precision.empty() && precision != "prefecture" && precision != "exact") {
        return reject(
            fmt::format("precision '{}': a curated row gives only 'prefecture' (names only a prefecture), "
                        "'exact' (with lat/lon) or nothing (geocoded)",
                        precision));
    }
    if (precision == "prefecture") {
        if (hub.prefecture.empty()) return reject("precision 'prefecture' but no prefecture");
        problem = placeByAddress(f, hub, true, number);
        return problem.empty() ? batch_.hubs.push_back(std::move(hub)) : reject(problem);
    }
    if (options_.curatedLayout && hub.prefecture.empty() && hub.municipality.empty() && field(f, cols_.code).empty() &&
        field(f, cols_.lon).empty() && field(f, cols_.lat).empty()) {
        batch_.unplaceable.push_back(id);
        return;
    }
    bool placed = false;
    if (cols_.lon >= 0) {
        const std::string lonText = field(f, cols_.lon), latText = field(f, cols_.lat);
        if (!lonText.empty() || !latText.empty()) {
            const auto x = parseNumber(lonText), y = parseNumber(latText);
            if (!x || !y) {
                return reject(fmt::format("unparseable coordinates: {}='{}', {}='{}'",
                                          f.GetFieldDefnRef(cols_.lon)->GetNameRef(), lonText,
                                          f.GetFieldDefnRef(cols_.lat)->GetNameRef(), latText));
            }
            problem = placeExact(*x, *y, hub);
            if (!problem.empty()) return reject(problem);
            placed = true;
        }
    } else if (const OGRGeometry* g = f.GetGeometryRef(); g && !g->IsEmpty()) {
        std::unique_ptr<OGRGeometry> geom(g->clone());
        if (geom->transform(transform_.get()) != OGRERR_NONE) {
            return reject(fmt::format("the {} cannot be transformed from {} to lon/lat", g->getGeometryName(),
                                      batch_.report.crs));
        }
        double lon = 0, lat = 0;
        std::optional<std::pair<double, double>> raw;
        if (wkbFlatten(geom->getGeometryType()) == wkbPoint) {
            lon = geom->toPoint()->getX();
            lat = geom->toPoint()->getY();
            raw = std::make_pair(g->toPoint()->getX(), g->toPoint()->getY());
        } else {
            // A line or area: its point on surface lies on the feature itself.
            GeomPtr p;
            try {
                GeomPtr gg = geosFromOgr(geos_, *geom);
                p = takeGeom(geos_, GEOSPointOnSurface_r(geos_, gg.get()), "point on surface");
            } catch (const std::exception& e) {
                // GEOS's own words ("Points of LinearRing do not form a closed linestring") say what is wrong.
                return reject(
                    fmt::format("its {} is not a valid geometry ({}): repair it in a GIS (e.g. close its "
                                "rings) and import again",
                                g->getGeometryName(), e.what()));
            }
            if (GEOSisEmpty_r(geos_, p.get()) == 1) return reject("the geometry has no point on surface");
            GEOSGeomGetX_r(geos_, p.get(), &lon);
            GEOSGeomGetY_r(geos_, p.get(), &lat);
            ++surfacePoints_;
        }
        problem = placeLonLat(lon, lat, raw, hub);
        if (!problem.empty()) return reject(problem);
        placed = true;
    }
    if (!placed) {
        if (precision == "exact") return reject("precision 'exact' but lat/lon are empty");
        if (!cols_.hasAddress()) {
            return reject(cols_.lon >= 0 ? "no coordinates (lon/lat empty) and no address columns"
                                         : "no geometry and no address columns");
        }
        problem = placeByAddress(f, hub, false, number);
        if (!problem.empty()) return reject(problem);
    }
    batch_.hubs.push_back(std::move(hub));
}

std::string SourceReader::extraOf(const OGRFeature& f) const {
    nlohmann::ordered_json extra = nlohmann::ordered_json::object();
    if (const std::string text = field(f, cols_.extraJson); !text.empty()) {
        // hubmap's own CSV: the object it wrote; anything else is kept as the text it is.
        auto parsed = nlohmann::ordered_json::parse(text, nullptr, false);
        if (parsed.is_object()) {
            extra = std::move(parsed);
        } else {
            extra[f.GetFieldDefnRef(cols_.extraJson)->GetNameRef()] = text;
        }
    }
    for (const auto& [i, name] : cols_.extra) {
        if (std::string value = field(f, i); !value.empty()) extra[name] = std::move(value);
    }
    return extra.empty() ? std::string() : extra.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

HubBatch SourceReader::read() {
    ImportReport& report = batch_.report;
    report.file = options_.recordedFile.empty() ? options_.file : options_.recordedFile;
    report.sourceName = options_.sourceName.empty() ? fs::path(options_.file).filename().string() : options_.sourceName;
    {
        // GDAL may open a file yet report a failure: a GeoJSON whose CRS PROJ does not know is
        // then read as WGS84 without a word.
        GdalErrorScope trap;
        openSource(src_, options_, report.notes);
        const std::string failure = trap.firstFailure();
        const bool crsProblem =
            lowerAscii(failure).find("crs") != std::string::npos || failure.find("PROJ") != std::string::npos;
        if (failure.empty() && options_.crs.empty() && src_.driver == "GeoJSON") {
            if (const std::string declared = declaredGeoJsonCrs(options_.file); !declared.empty()) {
                OGRSpatialReference probe;
                CPLErrorReset();
                if (probe.SetFromUserInput(declared.c_str()) != OGRERR_NONE) {
                    throw Error(ErrorContext{options_.file, options_.layer, -1, -1},
                                fmt::format("it declares the CRS '{}', which PROJ does not know: correct the CRS in "
                                            "the file, or give it with --crs (e.g. --crs EPSG:6668)",
                                            declared));
                }
            }
        }
        if (!failure.empty() && !(crsProblem && !options_.crs.empty())) {
            throw Error(ErrorContext{options_.file, options_.layer, -1, -1},
                        crsProblem ? fmt::format("its CRS cannot be read ({}): correct the CRS in the file, or give "
                                                 "it with --crs (e.g. --crs EPSG:6668)",
                                                 failure)
                                   : fmt::format("GDAL reports an error while opening it: {} (the file may be "
                                                 "damaged; repair or re-export it)",
                                                 failure));
        }
    }
    report.driver = src_.driver;
    report.layer = src_.layer->GetName();
    report.encoding = src_.encoding;
    // The rejects file goes back to whoever made the input: in its encoding, so Excel opens it.
    if (src_.driver == "XLSX" || src_.driver == "ODS" || (src_.csv && src_.encoding == "UTF-8" && src_.bom)) {
        report.rejectsEncoding = "UTF-8 with BOM";
    } else if (src_.csv) {
        report.rejectsEncoding = src_.encoding;
    } else {
        report.rejectsEncoding = "UTF-8";
    }
    sourceLabel_ = src_.firstRow ? "row" : "feature";
    const OGRFeatureDefn& defn = *src_.layer->GetLayerDefn();
    cols_ = findColumns(defn, options_);
    if (!options_.curatedLayout) {
        if (options_.kind.empty() && cols_.kind < 0) {
            throw UsageError(fmt::format("{} has no kind column (種別, kind): give the kind of its rows with --kind",
                                         options_.file));
        }
        findExtraColumns(defn, cols_);
        for (const auto& [i, name] : cols_.extra) report.extraColumns.push_back(name);
        if (cols_.extraJson >= 0) report.extraColumns.emplace_back(defn.GetFieldDefn(cols_.extraJson)->GetNameRef());
    }
    const bool hasGeometry = defn.GetGeomFieldCount() > 0;
    if (cols_.lon >= 0) {
        report.location = fmt::format("coordinate columns {}/{}", defn.GetFieldDefn(cols_.lon)->GetNameRef(),
                                      defn.GetFieldDefn(cols_.lat)->GetNameRef());
    } else if (hasGeometry) {
        report.location = "geometry";
    } else if (options_.requireCoordinates) {
        throw UsageError(
            fmt::format("{}: no coordinates: give lon/lat columns (lon, lng, longitude, 経度 and lat, "
                        "latitude, 緯度) or point geometry",
                        options_.file));
    } else if (cols_.hasAddress()) {
        report.location = "address columns";
    } else {
        throw Error(ErrorContext{options_.file, options_.layer, -1, -1},
                    "missing required columns: no coordinates (lon/lat, --lon-col/--lat-col), no geometry and no "
                    "address (prefecture, municipality, district; or 住所/所在地/address, --address-col)");
    }
    if (cols_.lon >= 0 && options_.curatedLayout) {
        // Curated files carry lat/lon only for exact points, always in JGD2011 lon/lat.
        targetSrs_.importFromEPSG(6668);
        targetSrs_.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        sourceSrs_ = targetSrs_;
        sourceGiven_ = true;
        transform_.reset(OGRCreateCoordinateTransformation(&sourceSrs_, &targetSrs_));
        report.crs = describeCrs(sourceSrs_);
    } else if (cols_.lon >= 0 || hasGeometry) {
        setupCrs(cols_.lon >= 0);
    }
    for (int i = 0; i < defn.GetFieldCount(); ++i) batch_.fieldNames.emplace_back(defn.GetFieldDefn(i)->GetNameRef());

    progress_.step(fmt::format("reading {}", options_.file));
    // A count only where the format has one at hand (a CSV would be read twice for it).
    const GIntBig total = src_.layer->TestCapability(OLCFastFeatureCount) ? src_.layer->GetFeatureCount(FALSE) : -1;
    long long index = 0;
    src_.layer->ResetReading();
    // A GDAL error while reading (a truncated or damaged file) fails the import, or with
    // --skip-invalid rejects the feature with GDAL's message: it never passes as a short file.
    GdalErrorScope trap;
    auto damaged = [&](const std::string& reason, const OGRFeature* f) {
        const long long row = src_.firstRow ? index + src_.firstRow : -1, feature = src_.firstRow ? -1 : index;
        if (!options_.skipInvalid) {
            throw Error(ErrorContext{options_.file, options_.layer, feature, row},
                        fmt::format("GDAL cannot read it: {} (the file may be truncated or damaged; repair or "
                                    "re-export it, or import the readable rows with --skip-invalid)",
                                    reason));
        }
        ImportProblem p{row, feature, "GDAL cannot read it: " + reason, {}, {}, {}};
        if (f) {
            for (int i = 0; i < f->GetFieldCount(); ++i) {
                p.values.push_back(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "");
            }
        }
        batch_.rejected.push_back(std::move(p));
    };
    for (OgrFeaturePtr f(src_.layer->GetNextFeature());; f.reset(src_.layer->GetNextFeature()), ++index) {
        if (!f) {
            if (!trap.firstFailure().empty()) {
                damaged(trap.firstFailure() + "; nothing after it can be read", nullptr);
                ++index;
            }
            break;
        }
        if (index % 1000 == 0) {
            progress_.checkCancelled();
            if (total > 0) progress_.fraction(static_cast<double>(index) / static_cast<double>(total));
        }
        if (!trap.firstFailure().empty()) {
            damaged(trap.firstFailure(), f.get());
        } else {
            readRow(*f, index);
        }
        trap.clearFailure();
    }
    if (total > index) {
        // The header promised more features than could be read, without an error to say why.
        damaged(fmt::format("the file declares {} features but only {} could be read", total, index), nullptr);
    }
    report.rowsRead = index;
    for (const Hub& h : batch_.hubs) {
        ++report.byPrecision[h.precision];
        ++report.byKind[h.kind];
    }
    for (auto& w : valueWarningNotes_) report.warnings.push_back(std::move(w));
    if (valueWarnings_ > static_cast<long long>(valueWarningNotes_.size())) {
        report.warnings.push_back(fmt::format("… and {} more values left out (--strict rejects such rows)",
                                              valueWarnings_ - static_cast<long long>(valueWarningNotes_.size())));
    }
    if (surfacePoints_ > 0) {
        report.notes.push_back(
            fmt::format("{} line/polygon features placed at their point on surface", surfacePoints_));
    }
    if (offPolygon_ > 0) {
        report.notes.push_back(
            fmt::format("{} exact points lie in no municipality polygon (on the coast or offshore, "
                        "within {:.0f} km): kept without a municipality code:",
                        offPolygon_, kMaxOffshoreKm));
        for (auto& n : offPolygonNotes_) report.notes.push_back("  " + n);
        if (offPolygon_ > static_cast<long long>(offPolygonNotes_.size())) {
            report.notes.push_back(fmt::format("  … and {} more (hubmap geocode lists them all)",
                                               offPolygon_ - static_cast<long long>(offPolygonNotes_.size())));
        }
    }
    if (fallbacks_ > 0) {
        report.notes.push_back(
            fmt::format("{} rows fell back to the municipality's point (district not placed):", fallbacks_));
        for (auto& n : fallbackNotes_) report.notes.push_back("  " + n);
        if (fallbacks_ > static_cast<long long>(fallbackNotes_.size())) {
            report.notes.push_back(fmt::format("  … and {} more (hubmap geocode lists them all)",
                                               fallbacks_ - static_cast<long long>(fallbackNotes_.size())));
        }
    }
    return std::move(batch_);
}

std::string whereLabel(const ImportProblem& p) {
    return p.row >= 0 ? fmt::format("row {}", p.row) : fmt::format("feature {}", p.feature);
}

/// Rewrites a UTF-8 file hubmap wrote in `encoding` ("UTF-8 with BOM", or an iconv name such as
/// CP932). Returns the encoding written: UTF-8 with BOM when the text has a character the
/// encoding cannot hold (nothing the user typed is replaced by a '?').
std::string recodeWrittenFile(const std::string& path, const std::string& encoding) {
    if (encoding.empty() || encoding == "UTF-8") return "UTF-8";
    std::string text = readWholeFile(path);
    std::string out;
    std::string written = encoding;
    if (encoding != "UTF-8 with BOM") {
        size_t bad = 0;
        if (auto converted = convertEncoding(text, "UTF-8", encoding, bad)) {
            out = std::move(*converted);
        } else {
            written = "UTF-8 with BOM";
        }
    }
    if (written == "UTF-8 with BOM") out = "\xEF\xBB\xBF" + text;
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file.write(out.data(), static_cast<std::streamsize>(out.size()));
    file.close();
    if (!file) throw Error(ErrorContext{path, {}, -1, -1}, "cannot write the rejects file");
    return written;
}

/// Writes the rejects CSV; returns the encoding it was written in (see recodeWrittenFile).
std::string writeRejects(const HubBatch& batch, const std::string& path, const std::string& encoding) {
    // The source's own columns after where and why, so the file can be fixed and imported again.
    const bool withWkt = std::any_of(batch.rejected.begin(), batch.rejected.end(),
                                     [](const ImportProblem& p) { return !p.wkt.empty(); }) &&
                         std::find(batch.fieldNames.begin(), batch.fieldNames.end(), "WKT") == batch.fieldNames.end();
    std::vector<std::string> columns = {"rejected_at", "reject_reason", "nearest"};
    columns.insert(columns.end(), batch.fieldNames.begin(), batch.fieldNames.end());
    if (withWkt) columns.emplace_back("WKT");
    std::vector<std::vector<std::string>> rows;
    for (const ImportProblem& p : batch.rejected) {
        std::string nearest;
        for (const auto& n : p.suggestions) nearest += (nearest.empty() ? "" : "、") + n;
        std::string reason = p.reason;
        // hubmap's own dashes have a CP932 twin; a user's text is never changed.
        if (encoding == "CP932") {
            replaceAll(reason, "—", "―");
            replaceAll(reason, "–", "－");
        }
        std::vector<std::string> row = {whereLabel(p), reason, nearest};
        row.insert(row.end(), p.values.begin(), p.values.end());
        if (withWkt) {
            row.resize(columns.size() - 1);
            row.push_back(p.wkt);
        }
        rows.push_back(std::move(row));
    }
    writeTextCsv(path, columns, rows);
    return recodeWrittenFile(path, encoding);
}

}  // namespace

HubBatch readHubSource(const Database& db, Geocoder& geocoder, const ImportOptions& options, Progress& progress) {
    // GDAL reports a damaged source while its features are read too, not only when it is
    // opened (an XML body behind a .csv name is read by the JML driver), and with no handler
    // it prints "ERROR 1: ..." itself. Found by fuzz/import_fuzz.cpp. Quiet for the whole read:
    // hubmap's own message says what is wrong with the file.
    const GdalErrorScope quiet;
    return SourceReader(db, geocoder, options, progress).read();
}

void throwRejected(const ImportOptions& options, const HubBatch& batch) {
    const auto& rejected = batch.rejected;
    const ImportProblem& first = rejected.front();
    std::string more;
    const size_t shown = std::min<size_t>(rejected.size(), 11);
    for (size_t i = 1; i < shown; ++i) more += fmt::format("\n  {}: {}", whereLabel(rejected[i]), rejected[i].reason);
    if (rejected.size() > shown) more += fmt::format("\n  … and {} more", rejected.size() - shown);
    throw Error(ErrorContext{options.file, options.layer, first.feature, first.row},
                fmt::format("{}{}\n{} of {} rows are invalid; nothing was imported{}", first.reason, more,
                            rejected.size(), batch.report.rowsRead,
                            options.curatedLayout
                                ? ""
                                : " (--skip-invalid imports the valid rows and writes the others to a rejects file)"));
}

namespace {

/// Throws UsageError when an import source of this name is already stored.
void refuseStoredSource(const Database& db, const std::string& name) {
    Statement st = db.prepare("SELECT COUNT(*) FROM hubs WHERE import_source = ?");
    st.bind(1, name);
    st.step();
    if (const long long n = st.int64(0); n > 0) {
        throw UsageError(
            fmt::format("import source '{}' is already in the database ({} rows): remove it with "
                        "`hubmap hubs --remove-source {}`, or name this import with --source",
                        name, n, name));
    }
}

/// Throws UsageError naming the stored sources when none is named `name` (--replace).
void requireStoredSource(const Database& db, const std::string& name) {
    std::string list;
    for (const auto& [source, n] : importSources(db)) {
        if (source == name) return;
        if (!startsWith(source, "builtin:")) list += fmt::format("\n  {} ({} rows)", source, n);
    }
    throw UsageError(fmt::format("--replace {}: no import source of that name in {}; the imported sources are:{}", name,
                                 db.path(), list.empty() ? std::string(" none") : list));
}

/// Rows of the batch identical (kind, name, place) to hubs already stored, by their import source.
std::map<std::string, long long> identicalToStored(const Database& db, const std::vector<Hub>& hubs) {
    auto key = [](const std::string& kind, const std::string& name, const std::string& code,
                  const std::optional<double>& lon, const std::optional<double>& lat) {
        return fmt::format("{}\x1f{}\x1f{}\x1f{}\x1f{}", kind, name, code, lon ? fmt::format("{:.6f}", *lon) : "",
                           lat ? fmt::format("{:.6f}", *lat) : "");
    };
    std::unordered_map<std::string, std::string> stored;  // key → import source
    Statement st = db.prepare("SELECT kind, name, code, lon, lat, import_source FROM hubs");
    while (st.step()) {
        stored.emplace(key(st.text(0), st.text(1), st.text(2), st.optReal(3), st.optReal(4)), st.text(5));
    }
    std::map<std::string, long long> out;
    for (const Hub& h : hubs) {
        if (auto it = stored.find(key(h.kind, h.name, h.code, h.lon, h.lat)); it != stored.end()) ++out[it->second];
    }
    return out;
}

}  // namespace

ImportReport importHubs(const std::string& dbPath, const ImportOptions& optionsIn, Progress& progress) {
    const auto start = std::chrono::steady_clock::now();
    ImportOptions options = optionsIn;
    if (options.file.empty()) throw UsageError("no file to import");
    // No --kind is allowed when the file has a kind column (checked once its columns are known).
    if (!options.kind.empty() && !validKind(options.kind)) {
        throw UsageError(
            fmt::format("--kind '{}' is not a kind: lower-case letters, digits and _ (e.g. small_hub, "
                        "rmo, activity_centre, model_project)",
                        options.kind));
    }
    if (!options.kindLabel.empty()) {
        if (options.kind.empty()) throw UsageError("--kind-label names the kind given with --kind: give --kind too");
        if (std::any_of(std::begin(kCuratedHubKinds), std::end(kCuratedHubKinds),
                        [&](const char* k) { return options.kind == k; })) {
            throw UsageError(fmt::format("--kind-label is for your own kinds; {} is named {} already", options.kind,
                                         kindDisplayName(options.kind, {})));
        }
    }
    if (options.replace && options.sourceName.empty()) throw UsageError("--replace needs the import source to replace");
    if (options.sourceName.empty()) options.sourceName = fs::path(options.file).filename().string();
    if (startsWith(options.sourceName, "builtin:")) {
        throw UsageError("import source names starting with 'builtin:' are reserved for geodata/hubs");
    }
    if (!options.rejectsFile.empty() && !options.skipInvalid) throw UsageError("--rejects goes with --skip-invalid");
    if (options.skipInvalid && options.rejectsFile.empty()) {
        options.rejectsFile = fs::path(options.file).stem().string() + ".rejects.csv";
    }
    // Everything that can be refused is refused before anything is read or written.
    requireInputFile(options.file, "the file to import", true);  // a folder: a Shapefile folder
    requireDatabaseFile(dbPath);
    if (std::error_code ec; fs::is_regular_file(options.file, ec) && fs::file_size(options.file, ec) == 0) {
        throw Error(ErrorContext{options.file, {}, -1, -1}, "is empty (0 bytes): nothing to import");
    }
    if (options.skipInvalid) {
        refuseOutputOver(options.rejectsFile, "--rejects",
                         {{dbPath, "the database"}, {options.file, "the file to import"}});
        requireFileOutput(options.rejectsFile, "--rejects");
    }
    Database db(dbPath, Database::Mode::ReadWrite);
    if (!db.tableExists("hubs") || !db.tableExists("settlements")) {
        throw Error(ErrorContext{dbPath, {}, -1, -1}, "not a hubmap database (build one with: hubmap init)");
    }
    // A cache that holds the whole insert until COMMIT (SQLite's default 2 MB spills pages to the
    // file over and over), and statement journals in memory: each INSERT fires SpatiaLite's
    // triggers, so SQLite keeps a statement journal per row, by default in a temporary file.
    db.exec("PRAGMA cache_size = -262144; PRAGMA temp_store = MEMORY");
    if (options.replace) {
        requireStoredSource(db, options.sourceName);
    } else {
        refuseStoredSource(db, options.sourceName);
    }

    // Reading, checking and geocoding run in a read transaction (one consistent view, no lock
    // round trip per query): other readers and writers carry on meanwhile.
    std::optional<Transaction> readTx(std::in_place, db, Transaction::Kind::Read);
    Geocoder geocoder(db);
    HubBatch batch = readHubSource(db, geocoder, options, progress);
    if (batch.report.rowsRead == 0) throw Error(ErrorContext{options.file, options.layer, -1, -1}, "contains no rows");
    if (!batch.rejected.empty() && !options.skipInvalid) throwRejected(options, batch);
    ImportReport report = std::move(batch.report);
    if (!batch.hubs.empty()) {
        for (const auto& [source, n] : identicalToStored(db, batch.hubs)) {
            if (options.replace && source == options.sourceName) continue;  // its own earlier version
            report.warnings.push_back(fmt::format(
                "{} of {} rows are identical (kind, name, code and point) to hubs of import source '{}': the same "
                "data imported twice? If so, remove one with `hubmap hubs --remove-source NAME`",
                n, batch.hubs.size(), source));
        }
    }
    readTx.reset();

    // The rejects file is written in full first; the write transaction is short and holds the
    // lock only for the insert; the rejects file is placed before COMMIT, so a failure to place
    // it leaves the database as it was.
    std::optional<StagedOutput> rejects;
    if (!batch.rejected.empty()) {
        rejects.emplace(options.rejectsFile);
        report.rejectsEncoding = writeRejects(batch, rejects->path().string(), report.rejectsEncoding);
        report.rejectsFile = options.rejectsFile;
    }
    if (batch.hubs.empty()) {
        // Every row rejected: the rejects file says why, and the database is not touched at all.
        if (rejects) rejects->commit(Replace::Always);
        report.rejected = std::move(batch.rejected);
        report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        return report;
    }
    progress.step(fmt::format("writing {} hubs", batch.hubs.size()));
    // One transaction: a replacement's old rows go only when the new ones are in, and a failure,
    // a cancel or a kill anywhere before COMMIT leaves the database as it was.
    Transaction tx(db, Transaction::Kind::Write);
    upgradeSchema(db);  // a schema 3 database gains hubs.extra (kept rows and all)
    if (options.replace) {
        requireStoredSource(db, options.sourceName);  // another process may have removed it meanwhile
        Statement del = db.prepare("DELETE FROM hubs WHERE import_source = ?");
        del.bind(1, options.sourceName);
        del.run();
        report.replaced = sqlite3_changes(db.handle());
        forgetImportSource(db, options.sourceName);
    } else {
        refuseStoredSource(db, options.sourceName);  // another import may have taken the name meanwhile
    }
    if (!options.kindLabel.empty()) setKindLabel(db, options.kind, options.kindLabel);
    insertHubs(db, batch.hubs, &progress);
    // The file as given, absolute: exports credit it, `hubmap info` lists it.
    recordImportSource(
        db, options.sourceName,
        options.recordedFile.empty() ? fs::absolute(options.file).lexically_normal().string() : options.recordedFile,
        static_cast<long long>(batch.hubs.size()));
    {
        // A signal between placing the rejects file and COMMIT would leave the file reporting an
        // import that never happened: both complete, then the signal is handled.
        const DeferSignals together;
        if (rejects) rejects->commit(Replace::Always);
        tx.commit();
    }
    report.imported = static_cast<long long>(batch.hubs.size());
    report.rejected = std::move(batch.rejected);
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

void storeHubsAsImport(const std::string& dbPath, const std::vector<Hub>& hubs, const std::string& sourceName) {
    if (sourceName.empty()) throw UsageError("the import source needs a name");
    if (startsWith(sourceName, "builtin:")) {
        throw UsageError("import source names starting with 'builtin:' are reserved for geodata/hubs");
    }
    requireDatabaseFile(dbPath);
    Database db(dbPath, Database::Mode::ReadWrite);
    if (!db.tableExists("hubs")) throw Error(ErrorContext{dbPath, {}, -1, -1}, "not a hubmap database (no hubs table)");
    Transaction tx(db, Transaction::Kind::Write);
    upgradeSchema(db);
    refuseStoredSource(db, sourceName);
    std::vector<Hub> rows = hubs;
    for (Hub& h : rows) h.importSource = sourceName;
    insertHubs(db, rows);
    tx.commit();
}

std::vector<std::pair<double, double>> readCandidatePoints(const std::string& dbPath, const std::string& file,
                                                           Progress& progress) {
    requireInputFile(file, "the candidates file", true);
    Database db(dbPath, Database::Mode::ReadOnly);
    Geocoder geocoder(db);
    ImportOptions options;
    options.file = file;
    options.kind = "candidate";
    options.sourceName = "candidates";
    options.requireCoordinates = true;
    HubBatch batch = readHubSource(db, geocoder, options, progress);
    if (!batch.rejected.empty()) throwRejected(options, batch);
    std::vector<std::pair<double, double>> points;
    long long without = 0;
    for (const Hub& h : batch.hubs) {
        if (h.lon && h.lat && h.precision == "exact") {
            points.emplace_back(*h.lon, *h.lat);
        } else {
            ++without;
        }
    }
    if (without > 0) {
        throw UsageError(fmt::format("{}: {} of {} rows have no coordinates (every candidate needs a point)", file,
                                     without, batch.hubs.size()));
    }
    if (points.empty()) throw UsageError(fmt::format("{}: no candidate points", file));
    return points;
}

}  // namespace hubmap
