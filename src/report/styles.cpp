#include "report/styles.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>

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

struct Rgb {
    int r, g, b;
};

// The curated kinds' symbols (as the styles always had them).
struct CuratedSymbol {
    const char* kind;
    const char* label;
    const char* shape;
    Rgb colour;
};
constexpr CuratedSymbol kCurated[] = {
    {"small_hub", "小さな拠点 (small hub)", "circle", {31, 120, 180}},
    {"rmo", "地域運営組織 (regional management organisation)", "square", {51, 160, 44}},
    {"activity_centre", "集落活動センター (community activity centre)", "triangle", {227, 26, 28}},
    {"model_project", "関係人口モデル事業 (relationship-population model project)", "diamond", {106, 61, 154}},
};

// Colours (ColorBrewer Dark2 and Set1, none the curated ones) and shapes for other kinds:
// 8 × 8 pairs, walked so that neighbouring indices differ in both.
constexpr Rgb kColours[] = {{255, 127, 0},  {27, 158, 119},  {231, 41, 138}, {166, 118, 29},
                            {102, 166, 30}, {117, 112, 179}, {230, 171, 2},  {23, 190, 207}};
constexpr const char* kShapes[] = {"pentagon", "star",   "hexagon",  "cross_fill",
                                   "circle",   "square", "triangle", "diamond"};
constexpr std::size_t kPairs = std::size(kColours) * std::size(kShapes);

std::uint32_t fnv1a(std::string_view s) {
    std::uint32_t h = 2166136261u;
    for (unsigned char c : s) {
        h ^= c;
        h *= 16777619u;
    }
    return h;
}

std::string markerSymbol(std::size_t index, const KindSymbol& s) {
    return fmt::format(R"(      <symbol type="marker" name="{}" alpha="1" clip_to_extent="1" force_rhr="0">
        <layer class="SimpleMarker" enabled="1" locked="0" pass="0">
          <prop k="name" v="{}"/>
          <prop k="color" v="{},{},{},255"/>
          <prop k="outline_color" v="255,255,255,255"/>
          <prop k="outline_style" v="solid"/>
          <prop k="outline_width" v="0.3"/>
          <prop k="outline_width_unit" v="MM"/>
          <prop k="size" v="{}"/>
          <prop k="size_unit" v="MM"/>
          <prop k="angle" v="0"/>
          <prop k="joinstyle" v="bevel"/>
          <prop k="scale_method" v="diameter"/>
        </layer>
      </symbol>
)",
                       index, s.shape, s.red, s.green, s.blue, s.kind.empty() ? "2" : "2.6");
}

}  // namespace

std::vector<KindSymbol> hubKindSymbols(std::vector<std::string> kinds,
                                       const std::map<std::string, std::string>& labels) {
    std::sort(kinds.begin(), kinds.end());
    kinds.erase(std::unique(kinds.begin(), kinds.end()), kinds.end());
    std::vector<KindSymbol> out;
    std::vector<bool> taken(kPairs, false);
    // The curated kinds first, in their fixed order.
    for (const CuratedSymbol& c : kCurated) {
        if (!std::binary_search(kinds.begin(), kinds.end(), c.kind)) continue;
        auto it = labels.find(c.kind);
        out.push_back({c.kind, it != labels.end() ? it->second : c.label, c.shape, c.colour.r, c.colour.g, c.colour.b});
    }
    for (const std::string& kind : kinds) {
        if (std::any_of(std::begin(kCurated), std::end(kCurated),
                        [&](const CuratedSymbol& c) { return kind == c.kind; }))
            continue;
        // More than 64 custom kinds exhaust the pairs: then they repeat.
        if (std::all_of(taken.begin(), taken.end(), [](bool t) { return t; })) taken.assign(kPairs, false);
        std::size_t pair = fnv1a(kind) % kPairs;
        while (taken[pair]) pair = (pair + 1) % kPairs;
        taken[pair] = true;
        const Rgb colour = kColours[pair % std::size(kColours)];
        const char* shape = kShapes[(pair / std::size(kColours) + pair) % std::size(kShapes)];
        auto it = labels.find(kind);
        out.push_back({kind, it != labels.end() ? it->second : kind, shape, colour.r, colour.g, colour.b});
    }
    return out;
}

std::map<std::string, std::string> hubKindStyleBlocks(const std::vector<KindSymbol>& symbols) {
    std::string categories, markers;
    for (std::size_t i = 0; i < symbols.size(); ++i) {
        categories += fmt::format(R"(      <category value="{}" symbol="{}" label="{}" render="true"/>)",
                                  xmlEscape(symbols[i].kind), i, xmlEscape(symbols[i].label)) +
                      "\n";
        markers += markerSymbol(i, symbols[i]);
    }
    // Any other value (none in the file as written): a small grey circle.
    const KindSymbol other{"", "その他の種別 (other kinds)", "circle", 130, 130, 130};
    categories += fmt::format(R"(      <category value="" symbol="{}" label="{}" render="true"/>)", symbols.size(),
                              xmlEscape(other.label));
    markers += markerSymbol(symbols.size(), other);
    markers.pop_back();  // the template's own line break follows
    return {{"kind_categories", categories}, {"kind_symbols", markers}};
}

std::string renderQgisStyle(std::string_view templateFile, std::string_view layer, const std::vector<FieldInfo>& fields,
                            bool shapefileNames, const std::map<std::string, std::string>& blocks) {
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
        if (auto block = blocks.find(std::string(key)); !field && block != blocks.end()) {
            out += block->second;  // XML made by hubmap (escaped where it holds text)
            pos = close + 2;
            continue;
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
