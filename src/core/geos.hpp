#pragma once
// RAII over the GEOS reentrant C API. One GeosContext per thread; every
// geometry handle carries the context that frees it.

#include <geos_c.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hubmap {

/// Owns a GEOSContextHandle_t and collects its error messages.
class GeosContext {
public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext&) = delete;
    GeosContext& operator=(const GeosContext&) = delete;

    GEOSContextHandle_t handle() const { return handle_; }
    operator GEOSContextHandle_t() const { return handle_; }

    /// The last error GEOS reported on this context ("" if none).
    const std::string& lastError() const { return lastError_; }

private:
    static void onError(const char* message, void* userdata);
    GEOSContextHandle_t handle_;
    std::string lastError_;
};

struct GeomDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSGeometry* g) const {
        if (g) GEOSGeom_destroy_r(ctx, g);
    }
};
struct PreparedDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(const GEOSPreparedGeometry* g) const {
        if (g) GEOSPreparedGeom_destroy_r(ctx, g);
    }
};
struct STRtreeDeleter {
    GEOSContextHandle_t ctx = nullptr;
    void operator()(GEOSSTRtree* t) const {
        if (t) GEOSSTRtree_destroy_r(ctx, t);
    }
};

using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;
using STRtreePtr = std::unique_ptr<GEOSSTRtree, STRtreeDeleter>;

/// Takes ownership of a geometry returned by GEOS; throws Error naming `what` if it is null.
GeomPtr takeGeom(const GeosContext& ctx, GEOSGeometry* g, std::string_view what);
PreparedPtr prepare(const GeosContext& ctx, const GEOSGeometry* g);
STRtreePtr makeSTRtree(const GeosContext& ctx, size_t nodeCapacity = 10);

GeomPtr geomFromWKB(const GeosContext& ctx, const unsigned char* wkb, size_t size);
std::vector<unsigned char> geomToWKB(const GeosContext& ctx, const GEOSGeometry* g);
GeomPtr geomFromWKT(const GeosContext& ctx, std::string_view wkt);
std::string geomToWKT(const GeosContext& ctx, const GEOSGeometry* g, int precision = 6);
GeomPtr clone(const GeosContext& ctx, const GEOSGeometry* g);
/// Makes a geometry built on another context (a worker's, which dies with the worker)
/// owned through `owner`; GEOS geometries themselves are context-free.
GeomPtr adopt(const GeosContext& owner, GeomPtr g);
GeomPtr makePoint(const GeosContext& ctx, double x, double y);

/// Makes a polygonal geometry valid and returns it as a MultiPolygon
/// (dropping any lower-dimension debris MakeValid may produce).
GeomPtr makeValidMultiPolygon(const GeosContext& ctx, const GEOSGeometry* g);

/// Dissolves polygonal parts: coverage union when they form a clean coverage,
/// else a robust unary union. Result is a MultiPolygon.
GeomPtr dissolve(const GeosContext& ctx, const std::vector<const GEOSGeometry*>& parts);

/// The unary union of `parts` (consumed; null entries skipped); one part is returned as is.
GeomPtr unionAll(const GeosContext& ctx, std::vector<GeomPtr>& parts);

/// Forces a polygonal geometry to MultiPolygon (Polygon -> MultiPolygon of one).
GeomPtr toMultiPolygon(const GeosContext& ctx, GeomPtr g);

/// Envelope as minx, miny, maxx, maxy.
struct Bounds {
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    bool empty = true;
    void expand(const Bounds& other);
    void expand(double x, double y);
};
Bounds bounds(const GeosContext& ctx, const GEOSGeometry* g);

}  // namespace hubmap
