#include "cli/output_options.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.hpp"
#include "core/paths.hpp"
#include "io/paths.hpp"
#include "io/text_encoding.hpp"

namespace hubmap::cli {

void OutputOptionGroup::add(CLI::App* sub, std::vector<std::string> formats) {
    formats_ = std::move(formats);
    std::string list;
    for (const auto& f : formats_) list += (list.empty() ? "" : ", ") + f;
    sub->add_option("--format", format,
                    fmt::format("{} (default: from --out's extension, else {})", list, formats_.front()));
    sub->add_option("--out", out,
                    "write to FILE instead of standard output (staged, renamed when complete); .csv, .xlsx, .json, "
                    ".geojson or .txt give the format");
    sub->add_flag("--overwrite", overwrite, "replace an existing --out file");
    sub->add_flag("--bom", bom, "CSV: UTF-8 with a byte order mark (what Excel needs to read UTF-8)");
    sub->add_option("--encoding", encoding, "CSV: utf-8 (default) or cp932 (Shift_JIS as Windows writes it)");
    sub->add_option("--headers", headers, "CSV/XLSX column headings: en (the keys; CSV default) or ja (XLSX default)")
        ->check(CLI::IsMember({"ja", "en"}));
}

TableOutput OutputOptionGroup::resolve(const DatabaseOption& db) const {
    TableOutput o;
    if (format) {
        o.format = parseTableFormat(*format, formats_);
    } else if (out) {
        o.format = tableFormatOfPath(*out);
        const std::string name = tableFormatName(o.format);
        if (std::find(formats_.begin(), formats_.end(), name) == formats_.end()) {
            std::string list;
            for (const auto& f : formats_) list += (list.empty() ? "" : ", ") + f;
            throw UsageError(fmt::format("--out {}: this command does not write {} (formats: {})", *out, name, list));
        }
    } else {
        o.format = parseTableFormat(formats_.front(), formats_);
    }
    if (out) {
        if (out->empty()) throw UsageError("--out needs a file name");
        o.path = *out;
    }
    o.overwrite = overwrite;
    o.bom = bom;
    const std::string enc = canonicalEncoding(encoding);
    if (enc == "auto") throw UsageError("--encoding auto is for reading: give utf-8 or cp932");
    o.encoding = enc;
    o.japaneseHeaders = headers ? *headers == "ja" : o.format == TableFormat::Xlsx;
    o.check();
    refuseOutputOver(o.path, "--out", {{db.db.value_or(defaultDatabasePath()), "the database"}});
    return o;
}

}  // namespace hubmap::cli
