#include "report/styles.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "core/names.hpp"
#include "embedded/qgis_styles.hpp"

namespace hubmap {

namespace {

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

}  // namespace

std::string renderQgisStyle(std::string_view templateFile, std::string_view layer, const std::vector<FieldInfo>& fields,
                            bool shapefileNames) {
    auto fieldName = [&](const FieldInfo& f) -> std::string { return shapefileNames ? f.shapefileName : f.key; };
    const auto text = embedded::qgis_styles(templateFile);
    if (!text) throw Error(fmt::format("internal: style template {} is not embedded", templateFile));
    std::string out;
    out.reserve(text->size() + 4096);
    size_t pos = 0;
    while (true) {
        const size_t open = text->find("{{", pos);
        if (open == std::string_view::npos) break;
        const size_t close = text->find("}}", open);
        if (close == std::string_view::npos) {
            throw Error(fmt::format("style template {}: unterminated placeholder", templateFile));
        }
        out.append(*text, pos, open - pos);
        const std::string_view key = text->substr(open + 2, close - open - 2);
        const FieldInfo* field = nullptr;
        if (startsWith(key, "field:")) {
            for (const auto& f : fields) {
                if (key.substr(6) == f.key) field = &f;
            }
        }
        if (!field) {
            throw Error(fmt::format("style template {}: unknown placeholder {{{{{}}}}} for layer {}", templateFile, key,
                                    layer));
        }
        out += xmlEscape(fieldName(*field));
        pos = close + 2;
    }
    out.append(*text, pos, std::string_view::npos);
    std::string aliases = "  <aliases>\n";
    for (size_t i = 0; i < fields.size(); ++i) {
        aliases += fmt::format("    <alias field=\"{}\" index=\"{}\" name=\"{}\"/>\n", xmlEscape(fieldName(fields[i])),
                               i + 1, xmlEscape(fieldAlias(fields[i])));
    }
    aliases += "  </aliases>\n";
    const size_t end = out.rfind("</qgis>");
    if (end == std::string::npos) throw Error(fmt::format("style template {} has no </qgis>", templateFile));
    out.insert(end, aliases);
    return out;
}

}  // namespace hubmap
