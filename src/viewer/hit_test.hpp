#pragma once
// Which municipality or hub is under the cursor, with no GL: municipalities by the one
// rule of core/municipality_index.hpp on lon/lat, hubs by nearest projected point within
// a pixel radius.

#include <vector>

#include "core/geos.hpp"
#include "core/model.hpp"
#include "core/municipality_index.hpp"
#include "viewer/map_geometry.hpp"
#include "viewer/view_transform.hpp"

namespace hubmap::viewer {

/// Finds the municipality holding a lon/lat point (MunicipalityIndex's rule, no stated
/// code: on a shared boundary or in an overlap, the lowest code). Owns its GEOS context; its
/// index clones each polygon of the dataset it reaches into that context and prepares the
/// copy (as a coverage query's workers do), so it can run on the UI thread while a query
/// reads the dataset's geometries on worker threads. The dataset must outlive it. One
/// thread at a time.
class MunicipalityLocator {
public:
    explicit MunicipalityLocator(const Dataset& data);
    MunicipalityLocator(const MunicipalityLocator&) = delete;
    MunicipalityLocator& operator=(const MunicipalityLocator&) = delete;

    /// Index into Dataset::municipalities, or -1 (sea, abroad).
    int find(double lon, double lat) const { return locate(lon, lat).municipality; }
    /// The same with the ambiguity flag.
    MunicipalityHit locate(double lon, double lat) const;

private:
    GeosContext ctx_;
    MunicipalityShapes shapes_;        // the dataset's polygons, which must outlive the locator
    mutable MunicipalityIndex index_;  // prepares polygons as the cursor reaches them
};

/// The municipality under a screen point: the view's inverse, then the locator.
int municipalityAt(const MunicipalityLocator& locator, const MapProjection& projection, const ViewTransform& view,
                   ScreenPoint p);

/// Index of the nearest drawn hub (into HubPoints, not Dataset::hubs) within `radiusPx`
/// of `p`, among kinds with visible[kind] true; -1 if none.
int hubAt(const HubPoints& hubs, const std::vector<bool>& visible, const ViewTransform& view, ScreenPoint p,
          double radiusPx);

}  // namespace hubmap::viewer
