// One municipality's catchment measurement, shared by computeCoverage and PlanCoverage so the
// two give bit-identical figures.
#pragma once

#include <proj.h>

#include <functional>
#include <memory>
#include <vector>

#include "analysis/catchment.hpp"
#include "analysis/coverage.hpp"
#include "core/geodesic.hpp"
#include "core/geos.hpp"

namespace hubmap::detail {

/// The hubs whose catchment may reach into `box`, in a fixed order (coveredArea's sums follow
/// it, so every caller must list the same hubs in the same order to get the same figures).
using CandidateLookup = std::function<void(const Bounds& box, std::vector<const CatchmentHub*>& out)>;

/// A measured shape (a municipality or designated part) as a CoverageCache keeps it between
/// queries: its lon/lat bounds, and its LocalShape once a hub has reached it.
struct KeptShape {
    Bounds lonLatBox;
    std::unique_ptr<LocalShape> local;
};

/// Measures one row: the covered share of `shape` (the municipality or its designated part)
/// within `maxRadiusKm` of the hubs `candidatesIn` lists, and the settlements and people within
/// reach (null: not counted). Sets out.coveredShare, coveredKm2, settlementsCovered,
/// populationCovered and populationShare. With `keepGeometry`, returns the uncovered part (in
/// ctx) and lists the uncovered population points as indices from `populationBase`. With
/// `kept` (the shape's, not null), its bounds and LocalShape are used, the LocalShape made in
/// ctx and proj when it has none yet; the figures are the same with or without.
GeomPtr measureReach(const GeosContext& ctx, PJ_CONTEXT* proj, const Geodesic& geodesic, const GEOSGeometry* shape,
                     KeptShape* kept, double maxRadiusKm, const CandidateLookup& candidatesIn,
                     const std::vector<const Settlement*>* settlements,
                     const std::vector<const PopulationPoint*>* population, bool keepGeometry,
                     const PopulationPoint* populationBase, MunicipalityCoverage& out);

}  // namespace hubmap::detail
