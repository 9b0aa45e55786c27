#include "core/geos.hpp"

#include <cstdarg>

#include "core/error.hpp"

namespace hubmap {

GeosContext::GeosContext() : handle_(GEOS_init_r()) {
    if (!handle_) throw Error("GEOS: cannot create a context");
    GEOSContext_setErrorMessageHandler_r(handle_, &GeosContext::onError, this);
}

GeosContext::~GeosContext() { GEOS_finish_r(handle_); }

void GeosContext::onError(const char* message, void* userdata) {
    static_cast<GeosContext*>(userdata)->lastError_ = message ? message : "unknown GEOS error";
}

GeomPtr takeGeom(const GeosContext& ctx, GEOSGeometry* g, std::string_view what) {
    if (!g) {
        throw Error("GEOS " + std::string(what) +
                    " failed: " + (ctx.lastError().empty() ? std::string("no detail") : ctx.lastError()));
    }
    return GeomPtr(g, GeomDeleter{ctx.handle()});
}

PreparedPtr prepare(const GeosContext& ctx, const GEOSGeometry* g) {
    const GEOSPreparedGeometry* p = GEOSPrepare_r(ctx, g);
    if (!p) throw Error("GEOS prepare failed: " + ctx.lastError());
    return PreparedPtr(p, PreparedDeleter{ctx.handle()});
}

STRtreePtr makeSTRtree(const GeosContext& ctx, size_t nodeCapacity) {
    GEOSSTRtree* t = GEOSSTRtree_create_r(ctx, nodeCapacity);
    if (!t) throw Error("GEOS STRtree creation failed: " + ctx.lastError());
    return STRtreePtr(t, STRtreeDeleter{ctx.handle()});
}

GeomPtr geomFromWKB(const GeosContext& ctx, const unsigned char* wkb, size_t size) {
    return takeGeom(ctx, GEOSGeomFromWKB_buf_r(ctx, wkb, size), "WKB read");
}

std::vector<unsigned char> geomToWKB(const GeosContext& ctx, const GEOSGeometry* g) {
    size_t size = 0;
    unsigned char* buf = GEOSGeomToWKB_buf_r(ctx, g, &size);
    if (!buf) throw Error("GEOS WKB write failed: " + ctx.lastError());
    std::vector<unsigned char> out(buf, buf + size);
    GEOSFree_r(ctx, buf);
    return out;
}

GeomPtr geomFromWKT(const GeosContext& ctx, std::string_view wkt) {
    std::string s(wkt);
    return takeGeom(ctx, GEOSGeomFromWKT_r(ctx, s.c_str()), "WKT read");
}

std::string geomToWKT(const GeosContext& ctx, const GEOSGeometry* g, int precision) {
    GEOSWKTWriter* w = GEOSWKTWriter_create_r(ctx);
    GEOSWKTWriter_setRoundingPrecision_r(ctx, w, precision);
    GEOSWKTWriter_setTrim_r(ctx, w, 1);
    char* text = GEOSWKTWriter_write_r(ctx, w, g);
    GEOSWKTWriter_destroy_r(ctx, w);
    if (!text) throw Error("GEOS WKT write failed: " + ctx.lastError());
    std::string out(text);
    GEOSFree_r(ctx, text);
    return out;
}

GeomPtr clone(const GeosContext& ctx, const GEOSGeometry* g) {
    return takeGeom(ctx, GEOSGeom_clone_r(ctx, g), "clone");
}

GeomPtr adopt(const GeosContext& owner, GeomPtr g) { return GeomPtr(g.release(), GeomDeleter{owner.handle()}); }

GeomPtr makePoint(const GeosContext& ctx, double x, double y) {
    return takeGeom(ctx, GEOSGeom_createPointFromXY_r(ctx, x, y), "point creation");
}

GeomPtr toMultiPolygon(const GeosContext& ctx, GeomPtr g) {
    const int type = GEOSGeomTypeId_r(ctx, g.get());
    if (type == GEOS_MULTIPOLYGON) return g;
    std::vector<GEOSGeometry*> polys;
    if (type == GEOS_POLYGON) {
        polys.push_back(g.release());
    } else if (type == GEOS_GEOMETRYCOLLECTION) {
        // Keep only the polygonal members (MakeValid can emit lines/points at slivers).
        const int n = GEOSGetNumGeometries_r(ctx, g.get());
        for (int i = 0; i < n; ++i) {
            const GEOSGeometry* part = GEOSGetGeometryN_r(ctx, g.get(), i);
            const int pt = GEOSGeomTypeId_r(ctx, part);
            if (pt == GEOS_POLYGON) {
                polys.push_back(GEOSGeom_clone_r(ctx, part));
            } else if (pt == GEOS_MULTIPOLYGON) {
                const int m = GEOSGetNumGeometries_r(ctx, part);
                for (int j = 0; j < m; ++j) polys.push_back(GEOSGeom_clone_r(ctx, GEOSGetGeometryN_r(ctx, part, j)));
            }
        }
    } else {
        throw Error("expected a polygonal geometry, got " + std::string(GEOSGeomType_r(ctx, g.get())));
    }
    return takeGeom(
        ctx, GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, polys.data(), static_cast<unsigned>(polys.size())),
        "MultiPolygon creation");
}

GeomPtr makeValidMultiPolygon(const GeosContext& ctx, const GEOSGeometry* g) {
    if (GEOSisValid_r(ctx, g) == 1) return toMultiPolygon(ctx, clone(ctx, g));
    return toMultiPolygon(ctx, takeGeom(ctx, GEOSMakeValid_r(ctx, g), "MakeValid"));
}

GeomPtr dissolve(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts) {
    std::vector<GEOSGeometry*> clones;
    clones.reserve(parts.size());
    for (const GEOSGeometry* p : parts) clones.push_back(GEOSGeom_clone_r(ctx, p));
    GeomPtr collection = takeGeom(
        ctx,
        GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, clones.data(), static_cast<unsigned>(clones.size())),
        "collection creation");
    // Coverage union is linear-time on edge-matched polygons (N03 shares its
    // boundaries); fall back to the general union where the coverage is not clean.
    GEOSGeometry* u = GEOSCoverageUnion_r(ctx, collection.get());
    if (u && GEOSisValid_r(ctx, u) != 1) {
        GEOSGeom_destroy_r(ctx, u);
        u = nullptr;
    }
    if (!u) u = GEOSUnaryUnion_r(ctx, collection.get());
    return toMultiPolygon(ctx, takeGeom(ctx, u, "union"));
}

GeomPtr unionAll(const GeosContext& ctx, std::vector<GeomPtr>& parts) {
    std::vector<GEOSGeometry*> raw;
    raw.reserve(parts.size());
    for (auto& p : parts) {
        if (p) raw.push_back(p.release());
    }
    parts.clear();
    if (raw.size() == 1) return GeomPtr(raw.front(), GeomDeleter{ctx.handle()});  // nothing to union
    const GeomPtr collection = takeGeom(
        ctx, GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())),
        "collection creation");
    return takeGeom(ctx, GEOSUnaryUnion_r(ctx, collection.get()), "union");
}

void Bounds::expand(const Bounds& o) {
    if (o.empty) return;
    expand(o.minx, o.miny);
    expand(o.maxx, o.maxy);
}

void Bounds::expand(double x, double y) {
    if (empty) {
        minx = maxx = x;
        miny = maxy = y;
        empty = false;
        return;
    }
    if (x < minx) minx = x;
    if (x > maxx) maxx = x;
    if (y < miny) miny = y;
    if (y > maxy) maxy = y;
}

Bounds bounds(const GeosContext& ctx, const GEOSGeometry* g) {
    Bounds b;
    if (GEOSisEmpty_r(ctx, g) == 1) return b;
    double x0, y0, x1, y1;
    if (GEOSGeom_getExtent_r(ctx, g, &x0, &y0, &x1, &y1) != 1) throw Error("GEOS extent failed: " + ctx.lastError());
    b.expand(x0, y0);
    b.expand(x1, y1);
    return b;
}

}  // namespace hubmap
