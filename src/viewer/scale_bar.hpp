#pragma once
// The scale bar: a round ground distance and its length in pixels at the view centre,
// measured geodesically (the map projection's scale varies across Japan).

#include <string>

#include "viewer/map_projection.hpp"
#include "viewer/view_transform.hpp"

namespace hubmap::viewer {

struct ScaleBar {
    double metres = 0;  ///< 1, 2 or 5 × 10^n
    double pixels = 0;
    std::string label;  ///< "50 km", "500 m"
};

/// The longest round distance whose bar fits in `maxPixels`, measured east–west through
/// the centre of the map area.
ScaleBar chooseScaleBar(const ViewTransform& view, const MapProjection& projection, double maxPixels);

}  // namespace hubmap::viewer
