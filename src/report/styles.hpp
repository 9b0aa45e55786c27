#pragma once
// QGIS styles for the export's layers: QML templates from assets/styles, embedded at build
// time (cmake/EmbedFiles.cmake), filled with the layer's field names and aliases from the
// field registry.

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "report/fields.hpp"

namespace hubmap {

/// Fills the embedded QML template `templateFile`: {{field:KEY}} becomes the field's name
/// (its Shapefile name with `shapefileNames`), {{NAME}} the text `blocks` holds for NAME, and
/// the fields' aliases (fieldAlias) are inserted before </qgis> so QGIS shows readable
/// Japanese/English column names. Throws Error for a template that is not embedded, an
/// unknown placeholder or no </qgis>.
std::string renderQgisStyle(std::string_view templateFile, std::string_view layer, const std::vector<FieldInfo>& fields,
                            bool shapefileNames, const std::map<std::string, std::string>& blocks = {});

/// The marker of one hub kind in the exported styles.
struct KindSymbol {
    std::string kind;
    std::string label;  ///< the legend text: "小さな拠点 (small hub)", a --kind-label, or the kind
    std::string shape;  ///< a QGIS SimpleMarker name: circle, square, triangle, diamond, pentagon, …
    int red = 0, green = 0, blue = 0;
};

/// One symbol per kind, each distinct from the others of the list: the curated four keep
/// their fixed symbols; any other kind takes a colour and shape picked from its name (FNV-1a,
/// so the same kind looks the same in every export), the next free pair when an earlier kind
/// of the sorted list holds it. Labels from `labels` (kind → display name) where given.
std::vector<KindSymbol> hubKindSymbols(std::vector<std::string> kinds,
                                       const std::map<std::string, std::string>& labels);

/// The {{kind_categories}} and {{kind_symbols}} blocks of hubs_kind.qml for these symbols
/// (with a last catch-all category for any other value).
std::map<std::string, std::string> hubKindStyleBlocks(const std::vector<KindSymbol>& symbols);

}  // namespace hubmap
