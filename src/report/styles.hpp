#pragma once
// QGIS styles for the export's layers: QML templates from assets/styles, embedded at build
// time (cmake/EmbedFiles.cmake), filled with the layer's field names and aliases from the
// field registry.

#include <string>
#include <string_view>
#include <vector>

#include "report/fields.hpp"

namespace hubmap {

/// Fills the embedded QML template `templateFile`: {{field:KEY}} becomes the field's name
/// (its Shapefile name with `shapefileNames`), and the fields' aliases (fieldAlias) are
/// inserted before </qgis> so QGIS shows readable Japanese/English column names. Throws
/// Error for a template that is not embedded, an unknown placeholder or no </qgis>.
std::string renderQgisStyle(std::string_view templateFile, std::string_view layer, const std::vector<FieldInfo>& fields,
                            bool shapefileNames);

}  // namespace hubmap
