#include "core/proj.hpp"

#include <fmt/format.h>

#include <cmath>

#include "core/error.hpp"

namespace hubmap {

namespace {
std::string reason(PJ_CONTEXT* ctx, int err) {
    const char* text = proj_context_errno_string(ctx, err);
    return text ? text : fmt::format("PROJ error {}", err);
}
}  // namespace

ProjContextPtr makeProjContext() {
    PJ_CONTEXT* ctx = proj_context_create();
    if (!ctx) throw Error("PROJ: cannot create a context");
    return ProjContextPtr(ctx);
}

ProjPtr makeProj(PJ_CONTEXT* ctx, const std::string& definition) {
    PJ* pj = proj_create(ctx, definition.c_str());
    if (!pj) throw Error(fmt::format("PROJ: cannot create '{}': {}", definition, reason(ctx, proj_context_errno(ctx))));
    return ProjPtr(pj);
}

ProjPtr makeCrsToCrs(PJ_CONTEXT* ctx, const std::string& from, const std::string& to) {
    const ProjPtr raw(proj_create_crs_to_crs(ctx, from.c_str(), to.c_str(), nullptr));
    if (!raw) {
        throw Error(fmt::format("PROJ: cannot transform {} to {}: {}", from, to, reason(ctx, proj_context_errno(ctx))));
    }
    // EPSG:6668 and its kin are lat/lon by definition; hubmap works in lon/lat (x, y) order.
    PJ* normalised = proj_normalize_for_visualization(ctx, raw.get());
    if (!normalised) {
        throw Error(fmt::format("PROJ: cannot put {} to {} in lon/lat order: {}", from, to,
                                reason(ctx, proj_context_errno(ctx))));
    }
    return ProjPtr(normalised);
}

void transformInterleaved(PJ* pj, PJ_DIRECTION direction, double* xy, std::size_t count) {
    if (count == 0) return;
    proj_errno_reset(pj);
    const std::size_t stride = 2 * sizeof(double);
    const std::size_t done =
        proj_trans_generic(pj, direction, xy, stride, count, xy + 1, stride, count, nullptr, 0, 0, nullptr, 0, 0);
    const int err = proj_errno(pj);
    if (err != 0 || done != count) {
        // A null context gives PROJ's default messages, which is all the text there is.
        throw Error(fmt::format("PROJ: transforming {} coordinates failed: {}", count, reason(nullptr, err)));
    }
    for (std::size_t i = 0; i < 2 * count; ++i) {
        if (xy[i] == HUGE_VAL)
            throw Error(fmt::format("PROJ: coordinate {} of {} could not be transformed", i / 2, count));
    }
}

}  // namespace hubmap
