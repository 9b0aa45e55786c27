#pragma once
// RAII over PROJ contexts and transformation objects. PROJ objects are not
// thread-safe: give each thread its own context and create its PJs on it.

#include <proj.h>

#include <cstddef>
#include <memory>
#include <string>

namespace hubmap {

struct ProjContextDeleter {
    void operator()(PJ_CONTEXT* c) const {
        if (c) proj_context_destroy(c);
    }
};
struct ProjDeleter {
    void operator()(PJ* p) const {
        if (p) proj_destroy(p);
    }
};
using ProjContextPtr = std::unique_ptr<PJ_CONTEXT, ProjContextDeleter>;
using ProjPtr = std::unique_ptr<PJ, ProjDeleter>;

/// A new PROJ context; throws Error if PROJ cannot make one.
ProjContextPtr makeProjContext();

/// A PROJ object (operation or CRS) from a definition PROJ understands: a proj-string,
/// a pipeline, WKT or "EPSG:n". Throws Error naming the definition and PROJ's reason.
ProjPtr makeProj(PJ_CONTEXT* ctx, const std::string& definition);

/// The transformation between two CRSs (any definition PROJ understands), taking and giving
/// coordinates in GIS order — longitude before latitude, easting before northing — whatever
/// the CRSs' own axis order. Throws Error naming both and PROJ's reason.
ProjPtr makeCrsToCrs(PJ_CONTEXT* ctx, const std::string& from, const std::string& to);

/// Transforms `count` interleaved x, y pairs in place (the layout of
/// GEOSCoordSeq_copyToBuffer_r). Throws Error with PROJ's reason when any point fails.
void transformInterleaved(PJ* pj, PJ_DIRECTION direction, double* xy, std::size_t count);

}  // namespace hubmap
