#include "io/former_municipalities.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/names.hpp"
#include "core/parallel.hpp"
#include "io/gdal.hpp"

namespace fs = std::filesystem;

namespace hubmap {

namespace {

// One polygon of the former-municipality data.
struct FormerPolygon {
    int year = 2000;
    int prefectureCode = 0;
    std::string prefecture;  // as in the file (沖繩県)
    std::string name, normalised;
    GeomPtr geom;  // null when far from every 一部過疎 municipality (not needed)
    Bounds box;    // empty then
    double areaKm2 = 0;
};

bool overlaps(const Bounds& a, const Bounds& b) {
    return !a.empty && !b.empty && a.minx <= b.maxx && b.minx <= a.maxx && a.miny <= b.maxy && b.miny <= a.maxy;
}

// Reads the polygons of one file. Only those whose envelope meets one of `wanted` (the 一部過疎
// municipalities) get their geometry and area: the rest are kept by name, for the reason an
// unmatched name gives.
std::vector<FormerPolygon> readFormer(const GeosContext& ctx, const std::string& geodataDir, const char* rel, int year,
                                      const std::vector<Bounds>& wanted, int threads) {
    const std::string file = (fs::path(geodataDir) / rel).string();
    GdalDatasetPtr ds = openVector(file, {}, {"TopoJSON", "GeoJSON"});
    OGRLayer* layer = ds->GetLayerByName("city");
    if (!layer) throw Error(ErrorContext{file, {}, -1, -1}, "has no layer 'city'");
    std::vector<FormerPolygon> out;
    std::vector<std::pair<size_t, std::unique_ptr<OGRGeometry>>> pending;  // wanted polygons to convert
    layer->ResetReading();
    long long index = 0;
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature()), ++index) {
        const ErrorContext where{file, "city", index, -1};
        FormerPolygon p;
        p.year = year;
        p.prefecture = fieldText(*f, "N03_001");
        p.name = fieldText(*f, "N03_004");
        p.prefectureCode = prefectureCode(normaliseName(p.prefecture));
        if (p.prefectureCode == 0) throw Error(where, fmt::format("unknown prefecture N03_001 '{}'", p.prefecture));
        // Wards and the like have no N03_004 of their own: nothing a designation can name.
        if (p.name.empty()) continue;
        p.normalised = normaliseName(p.name);
        const OGRGeometry* g = f->GetGeometryRef();
        if (!g || g->IsEmpty()) continue;
        const OGRwkbGeometryType type = wkbFlatten(g->getGeometryType());
        if (type != wkbPolygon && type != wkbMultiPolygon) {
            throw Error(where, fmt::format("geometry is {}, expected Polygon or MultiPolygon", g->getGeometryName()));
        }
        OGREnvelope env;
        g->getEnvelope(&env);
        Bounds box;
        box.expand(env.MinX, env.MinY);
        box.expand(env.MaxX, env.MaxY);
        if (std::any_of(wanted.begin(), wanted.end(), [&](const Bounds& w) { return overlaps(box, w); })) {
            pending.emplace_back(out.size(), std::unique_ptr<OGRGeometry>(f->StealGeometry()));
        }
        out.push_back(std::move(p));
    }
    if (out.empty()) throw Error(ErrorContext{file, "city", -1, -1}, "contains no named polygons");
    // MakeValid and the geodesic area on every worker: the costly part of reading.
    WorkQueue queue(pending.size());
    runWorkers(workerCount(threads, pending.size()), queue, [&](int) {
        const GeosContext local;
        const Geodesic geodesic;
        size_t i = 0;
        while (queue.next(i)) {
            FormerPolygon& p = out[pending[i].first];
            GeomPtr g = makeValidMultiPolygon(local, geosFromOgr(local, *pending[i].second).get());
            if (GEOSisEmpty_r(local, g.get()) == 1) continue;  // left without geometry: never inside
            p.box = bounds(local, g.get());
            p.areaKm2 = geodesic.areaKm2(local, g.get());
            p.geom = adopt(ctx, std::move(g));
        }
    });
    return out;
}

// A local metric frame around a municipality: metres east and north of its centre, from the
// GRS80 radii of curvature there. Over a municipality (< 1.5° of latitude) distances are right
// to about 1%: enough for a buffer tolerance. Areas are never taken in it.
struct LocalFrame {
    double lon0 = 0, lat0 = 0, kx = 1, ky = 1;  // metres per degree

    explicit LocalFrame(const Bounds& b) {
        constexpr double kA = 6378137.0, kE2 = 0.00669438002290;  // GRS80
        lon0 = (b.minx + b.maxx) / 2;
        lat0 = (b.miny + b.maxy) / 2;
        const double phi = lat0 * M_PI / 180, s = std::sin(phi), w = 1 - kE2 * s * s;
        kx = M_PI / 180 * kA / std::sqrt(w) * std::cos(phi);
        ky = M_PI / 180 * kA * (1 - kE2) / (w * std::sqrt(w));
    }
    GeomPtr toLocal(const GeosContext& ctx, const GEOSGeometry* g) const { return apply(ctx, g, &forward); }
    GeomPtr toLonLat(const GeosContext& ctx, const GEOSGeometry* g) const { return apply(ctx, g, &inverse); }

private:
    GeomPtr apply(const GeosContext& ctx, const GEOSGeometry* g, GEOSTransformXYCallback f) const {
        return takeGeom(ctx, GEOSGeom_transformXY_r(ctx, g, f, const_cast<LocalFrame*>(this)), "coordinate transform");
    }
    static int forward(double* x, double* y, void* self) {
        const auto* fr = static_cast<const LocalFrame*>(self);
        *x = (*x - fr->lon0) * fr->kx;
        *y = (*y - fr->lat0) * fr->ky;
        return 1;
    }
    static int inverse(double* x, double* y, void* self) {
        const auto* fr = static_cast<const LocalFrame*>(self);
        *x = *x / fr->kx + fr->lon0;
        *y = *y / fr->ky + fr->lat0;
        return 1;
    }
};

GeomPtr buffer(const GeosContext& ctx, const GEOSGeometry* g, double distance) {
    return takeGeom(ctx, GEOSBuffer_r(ctx, g, distance, 8), "buffer");
}

// Mitred joins: an opening (erode, then dilate) built from them gives back the polygon's own
// corners where nothing thin was removed, instead of rounding each into an arc of vertices.
GeomPtr mitreBuffer(const GeosContext& ctx, const GEOSGeometry* g, double distance) {
    return takeGeom(ctx, GEOSBufferWithStyle_r(ctx, g, distance, 8, GEOSBUF_CAP_FLAT, GEOSBUF_JOIN_MITRE, 5.0),
                    "buffer");
}

GeomPtr intersection(const GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b) {
    return takeGeom(ctx, GEOSIntersection_r(ctx, a, b), "intersection");
}

GeomPtr difference(const GeosContext& ctx, const GEOSGeometry* a, const GEOSGeometry* b) {
    return takeGeom(ctx, GEOSDifference_r(ctx, a, b), "difference");
}

// `g` (polygonal, local metres) without the holes smaller than minAreaM2: an opening removes
// thin pieces of the part but not thin gaps inside it. Holes of the municipality itself come
// back with the final intersection.
GeomPtr withoutSmallHoles(const GeosContext& ctx, const GEOSGeometry* g, double minAreaM2) {
    const GeomPtr multi = toMultiPolygon(ctx, clone(ctx, g));
    std::vector<GEOSGeometry*> polygons;
    auto ringCopy = [&](const GEOSGeometry* ring) {
        return GEOSGeom_createLinearRing_r(ctx, GEOSCoordSeq_clone_r(ctx, GEOSGeom_getCoordSeq_r(ctx, ring)));
    };
    for (int i = 0; i < GEOSGetNumGeometries_r(ctx, multi.get()); ++i) {
        const GEOSGeometry* poly = GEOSGetGeometryN_r(ctx, multi.get(), i);
        std::vector<GEOSGeometry*> holes;
        for (int h = 0; h < GEOSGetNumInteriorRings_r(ctx, poly); ++h) {
            const GEOSGeometry* ring = GEOSGetInteriorRingN_r(ctx, poly, h);
            GeomPtr asPolygon = takeGeom(ctx, GEOSGeom_createPolygon_r(ctx, ringCopy(ring), nullptr, 0), "polygon");
            double area = 0;
            GEOSArea_r(ctx, asPolygon.get(), &area);
            if (area >= minAreaM2) holes.push_back(ringCopy(ring));
        }
        polygons.push_back(GEOSGeom_createPolygon_r(ctx, ringCopy(GEOSGetExteriorRing_r(ctx, poly)), holes.data(),
                                                    static_cast<unsigned>(holes.size())));
    }
    return takeGeom(
        ctx,
        GEOSGeom_createCollection_r(ctx, GEOS_MULTIPOLYGON, polygons.data(), static_cast<unsigned>(polygons.size())),
        "MultiPolygon creation");
}

// Everything one worker needs about the municipality it fits.
struct Job {
    const Municipality* municipality = nullptr;
    const Designation* designation = nullptr;
    std::vector<size_t> near2000, near1995;  // polygons whose envelope meets the municipality's
};

// A former polygon and how much of it lies inside the municipality.
struct Inside {
    const FormerPolygon* polygon = nullptr;
    double share = 0;  // of its geodesic area
};

class Fitter {
public:
    Fitter(const std::vector<FormerPolygon>& f2000, const std::vector<FormerPolygon>& f1995,
           const FormerFitOptions& options)
        : f2000_(f2000), f1995_(f1995), options_(options) {}

    DesignatedPart fit(const Job& job) const;

private:
    std::vector<Inside> insideOf(const GEOSGeometry* m, const GEOSPreparedGeometry* prepared,
                                 const std::vector<FormerPolygon>& all, const std::vector<size_t>& near) const;
    double shareInside(const GEOSGeometry* m, const GEOSPreparedGeometry* prepared, const FormerPolygon& f) const;
    std::string unmatchedReason(const Job& job, const GEOSGeometry* m, const GEOSPreparedGeometry* prepared, int pref,
                                const std::string& name) const;
    GeomPtr fitPart(const GEOSGeometry* m, const std::vector<const FormerPolygon*>& designated,
                    const std::vector<Inside>& inside2000) const;

    GeosContext ctx_;
    Geodesic geodesic_;
    const std::vector<FormerPolygon>& f2000_;
    const std::vector<FormerPolygon>& f1995_;
    FormerFitOptions options_;
};

double Fitter::shareInside(const GEOSGeometry* m, const GEOSPreparedGeometry* prepared, const FormerPolygon& f) const {
    if (!f.geom) return 0;
    const GeomPtr g = clone(ctx_, f.geom.get());  // the shared polygon is only read through a clone
    if (GEOSPreparedIntersects_r(ctx_, prepared, g.get()) != 1) return 0;
    if (GEOSPreparedContains_r(ctx_, prepared, g.get()) == 1) return 1;
    const GeomPtr common = intersection(ctx_, m, g.get());
    return f.areaKm2 > 0 ? geodesic_.areaKm2(ctx_, common.get()) / f.areaKm2 : 0;
}

std::vector<Inside> Fitter::insideOf(const GEOSGeometry* m, const GEOSPreparedGeometry* prepared,
                                     const std::vector<FormerPolygon>& all, const std::vector<size_t>& near) const {
    std::vector<Inside> out;
    for (size_t i : near) {
        const double share = shareInside(m, prepared, all[i]);
        if (share > 0.5) out.push_back(Inside{&all[i], share});
    }
    return out;
}

std::string Fitter::unmatchedReason(const Job& job, const GEOSGeometry* m, const GEOSPreparedGeometry* prepared,
                                    int pref, const std::string& name) const {
    const std::string key = normaliseName(name);
    const Municipality& mu = *job.municipality;
    for (const auto* all : {&f2000_, &f1995_}) {
        for (const FormerPolygon& f : *all) {
            if (f.prefectureCode != pref || f.normalised != key) continue;
            return fmt::format("{}{} ({}-10-01) lies outside {} ({:.0f}% of it inside)", f.prefecture, f.name, f.year,
                               mu.name, 100 * shareInside(m, prepared, f));
        }
    }
    return fmt::format(
        "no former municipality {} in {} in the 2000-10-01 data (nor among those merged by 2000 in "
        "the 1995-10-01 data), and none inside {} starting with it",
        name, prefectureName(pref), mu.name);
}

GeomPtr Fitter::fitPart(const GEOSGeometry* m, const std::vector<const FormerPolygon*>& designated,
                        const std::vector<Inside>& inside2000) const {
    const GeosContext& ctx = ctx_;
    std::vector<GeomPtr> dParts, nParts;
    for (const FormerPolygon* f : designated) dParts.push_back(clone(ctx, f->geom.get()));
    for (const Inside& in : inside2000) {
        if (std::find(designated.begin(), designated.end(), in.polygon) == designated.end()) {
            nParts.push_back(clone(ctx, in.polygon->geom.get()));
        }
    }
    const GeomPtr d = unionAll(ctx, dParts);
    GeomPtr n = nParts.empty() ? nullptr : unionAll(ctx, nParts);
    // A 1995 polygon lies inside a 2000 one (篠山町 in 篠山市): the rest of that one is N.
    if (n) n = difference(ctx, n.get(), d.get());

    const LocalFrame frame(bounds(ctx, m));
    const GeomPtr mLocal = frame.toLocal(ctx, m);
    const GeomPtr dLocal = frame.toLocal(ctx, d.get());
    GeomPtr part = intersection(ctx, mLocal.get(), buffer(ctx, dLocal.get(), options_.gapFillM).get());
    if (n) part = difference(ctx, part.get(), frame.toLocal(ctx, n.get()).get());
    part = mitreBuffer(ctx, mitreBuffer(ctx, part.get(), -options_.sliverM).get(), options_.sliverM);
    part = withoutSmallHoles(ctx, part.get(), 4 * options_.sliverM * options_.sliverM);
    part = intersection(ctx, m, frame.toLonLat(ctx, part.get()).get());
    return makeValidMultiPolygon(ctx, part.get());
}

DesignatedPart Fitter::fit(const Job& job) const {
    const GeosContext& ctx = ctx_;
    const Municipality& mu = *job.municipality;
    const Designation& de = *job.designation;
    const GeomPtr m = clone(ctx, mu.geom.get());
    const PreparedPtr prepared = prepare(ctx, m.get());
    const std::vector<Inside> in2000 = insideOf(m.get(), prepared.get(), f2000_, job.near2000);
    const std::vector<Inside> in1995 = insideOf(m.get(), prepared.get(), f1995_, job.near1995);

    DesignatedPart part;
    part.code = mu.code;
    std::vector<int> prefOf(de.formerMunicipalities.size(), mu.prefectureCode);
    std::vector<std::string> bareName(de.formerMunicipalities.size());
    std::vector<const FormerPolygon*> matched(de.formerMunicipalities.size(), nullptr);

    // Pass 1: whole names, as written or normalised, 2000 then 1995.
    for (size_t i = 0; i < de.formerMunicipalities.size(); ++i) {
        FormerNameMatch& nm = part.names.emplace_back();
        nm.name = de.formerMunicipalities[i];
        std::string name = trimSpaces(nm.name);
        for (int p = 1; p <= 47; ++p) {  // 長野県山口村: a village that changed prefecture in its merger
            const std::string_view pn = prefectureName(p);
            if (startsWith(name, pn) && name.size() > pn.size()) {
                prefOf[i] = p;
                name = name.substr(pn.size());
                break;
            }
        }
        bareName[i] = name;
        const std::string key = normaliseName(name);
        for (const auto* in : {&in2000, &in1995}) {
            const Inside* exact = nullptr;
            const Inside* folded = nullptr;
            for (const Inside& c : *in) {
                if (c.polygon->prefectureCode != prefOf[i]) continue;
                if (c.polygon->name == name && !exact) exact = &c;
                if (c.polygon->normalised == key && !folded) folded = &c;
            }
            const Inside* hit = exact ? exact : folded;
            if (!hit) continue;
            matched[i] = hit->polygon;
            nm.how = exact ? FormerMatch::Exact : FormerMatch::Normalised;
            if (!exact) nm.reason = fmt::format("spelt {} in the former data", hit->polygon->name);
            if (hit->polygon->year != 2000) {
                nm.how = FormerMatch::OtherYear;
                nm.reason = fmt::format("{}-10-01 polygon: merged by 2000-10-01", hit->polygon->year);
            }
            if (prefOf[i] != mu.prefectureCode) {
                nm.how = FormerMatch::OtherPrefecture;
                nm.reason = fmt::format("former {} of {}, now inside {}{}", hit->polygon->name,
                                        hit->polygon->prefecture, mu.prefecture, mu.name);
            }
            break;
        }
    }
    // Pass 2: names cut short in the source, by prefix among the inside polygons the row has
    // not named already; the name plus 市/町/村 wins over longer names (豊 → 豊町, not 豊浜町).
    for (size_t i = 0; i < matched.size(); ++i) {
        if (matched[i]) continue;
        FormerNameMatch& nm = part.names[i];
        const std::string key = normaliseName(bareName[i]);
        std::vector<const FormerPolygon*> found, exactSuffix;
        std::vector<std::string> skipped;
        for (const auto* in : {&in2000, &in1995}) {
            for (const Inside& c : *in) {
                const FormerPolygon* f = c.polygon;
                if (key.empty() || f->prefectureCode != prefOf[i] || !startsWith(f->normalised, key)) continue;
                if (std::find(matched.begin(), matched.end(), f) != matched.end()) {
                    skipped.push_back(f->name);
                    continue;
                }
                found.push_back(f);
                for (const char* suffix : {"市", "町", "村"}) {
                    if (f->normalised == key + suffix) exactSuffix.push_back(f);
                }
            }
            if (!found.empty()) break;  // 2000 before 1995
        }
        if (found.size() > 1 && exactSuffix.size() == 1) found = exactSuffix;
        if (found.size() == 1) {
            matched[i] = found.front();
            nm.how = prefOf[i] != mu.prefectureCode ? FormerMatch::OtherPrefecture : FormerMatch::Prefix;
            std::string others;
            for (const auto& s : skipped) others += (others.empty() ? "" : ", ") + s;
            nm.reason =
                fmt::format("cut short in the source: the only former municipality inside {} starting with {}{}",
                            mu.name, bareName[i], others.empty() ? std::string() : " besides the listed " + others);
            if (found.front()->year != 2000) nm.reason += fmt::format(" ({}-10-01 polygon)", found.front()->year);
        } else if (found.size() > 1) {
            std::string names;
            for (const FormerPolygon* f : found) names += (names.empty() ? "" : ", ") + f->name;
            nm.reason = fmt::format(
                "cut short in the source, and more than one former municipality inside {} "
                "starts with it: {}",
                mu.name, names);
        } else {
            nm.reason = unmatchedReason(job, m.get(), prepared.get(), prefOf[i], bareName[i]);
        }
    }

    std::vector<const FormerPolygon*> designated;
    bool allMatched = true;
    for (size_t i = 0; i < matched.size(); ++i) {
        if (!matched[i]) {
            allMatched = false;
            continue;
        }
        part.names[i].matchedName = matched[i]->name;
        part.names[i].matchedPrefecture = matched[i]->prefecture;
        part.names[i].formerAreaKm2 = matched[i]->areaKm2;
        if (std::find(designated.begin(), designated.end(), matched[i]) == designated.end()) {
            designated.push_back(matched[i]);
            part.formerAreaKm2 += matched[i]->areaKm2;
        }
    }
    if (allMatched && !designated.empty()) {
        part.geom = fitPart(m.get(), designated, in2000);
        part.areaKm2 = geodesic_.areaKm2(ctx, part.geom.get());
    }
    if (!part.geom || part.areaKm2 <= 0) {
        // Measured whole rather than dropped (or under-counted on the names that did match).
        part.measuredOn = MeasuredOn::WholeFallback;
        part.geom = toMultiPolygon(ctx, clone(ctx, m.get()));
        part.areaKm2 = mu.areaKm2;
    }
    return part;
}

}  // namespace

std::vector<DesignatedPart> buildDesignatedParts(const GeosContext& ctx, const std::string& geodataDir,
                                                 const std::vector<Municipality>& municipalities,
                                                 const std::vector<Designation>& designations,
                                                 const FormerFitOptions& options, FormerMatchSummary& summary) {
    std::vector<const Municipality*> partial;
    std::vector<Bounds> wanted;
    for (const Designation& d : designations) {
        if (d.type != DesignationType::Partial) continue;
        auto it = std::lower_bound(municipalities.begin(), municipalities.end(), d.code,
                                   [](const Municipality& m, const std::string& c) { return m.code < c; });
        if (it == municipalities.end() || it->code != d.code) {
            throw Error(
                fmt::format("designation {} {} has code {}, which is no municipality", d.prefecture, d.name, d.code));
        }
        partial.push_back(&*it);
        wanted.push_back(bounds(ctx, it->geom.get()));
    }
    const std::vector<FormerPolygon> f2000 =
        readFormer(ctx, geodataDir, kFormer2000File, 2000, wanted, options.threads);
    const std::vector<FormerPolygon> f1995 =
        readFormer(ctx, geodataDir, kFormer1995File, 1995, wanted, options.threads);
    summary.former2000Polygons = static_cast<long long>(f2000.size());
    summary.former1995Polygons = static_cast<long long>(f1995.size());

    std::vector<Job> jobs;
    for (const Designation& d : designations) {
        if (d.type != DesignationType::Partial) continue;
        Job job;
        job.municipality = partial[jobs.size()];
        job.designation = &d;
        const Bounds& box = wanted[jobs.size()];
        for (size_t i = 0; i < f2000.size(); ++i) {
            if (overlaps(box, f2000[i].box)) job.near2000.push_back(i);
        }
        for (size_t i = 0; i < f1995.size(); ++i) {
            if (overlaps(box, f1995[i].box)) job.near1995.push_back(i);
        }
        jobs.push_back(std::move(job));
    }

    std::vector<DesignatedPart> parts(jobs.size());
    WorkQueue queue(jobs.size());
    runWorkers(workerCount(options.threads, jobs.size()), queue, [&](int) {
        const Fitter fitter(f2000, f1995, options);
        size_t i = 0;
        while (queue.next(i)) {
            DesignatedPart p;
            try {
                p = fitter.fit(jobs[i]);
            } catch (const Error& e) {
                const Municipality& m = *jobs[i].municipality;
                throw Error(fmt::format("designated part of {} {} ({}): {}", m.prefecture, m.name, m.code, e.what()));
            }
            p.geom = adopt(ctx, std::move(p.geom));
            parts[i] = std::move(p);
        }
    });
    return parts;
}

void summariseDesignatedParts(const std::vector<DesignatedPart>& parts, const std::vector<Municipality>& municipalities,
                              const std::vector<Designation>& designations, FormerMatchSummary& summary) {
    std::map<std::string, const Municipality*> byCode;
    for (const auto& m : municipalities) {
        byCode[m.code] = &m;
        summary.nationalKm2 += m.areaKm2;
    }
    std::map<std::string, const DesignatedPart*> partOf;
    for (const auto& p : parts) partOf[p.code] = &p;
    for (const auto& d : designations) {
        auto p = partOf.find(d.code);
        summary.designatedKm2 += p != partOf.end() ? p->second->areaKm2 : byCode.at(d.code)->areaKm2;
    }

    std::map<FormerMatch, long long> byHow;
    std::vector<std::pair<double, std::string>> spread;
    for (const auto& p : parts) {
        const Municipality& m = *byCode.at(p.code);
        ++summary.parts;
        if (p.measuredOn == MeasuredOn::WholeFallback) {
            ++summary.wholeFallback;
            const bool named = std::any_of(p.names.begin(), p.names.end(),
                                           [](const FormerNameMatch& n) { return n.how == FormerMatch::Unmatched; });
            if (!named) {
                summary.unmatched.push_back(
                    fmt::format("{} {}: every name matched but the fitted part came out empty", m.prefecture, m.name));
            }
        }
        for (const auto& n : p.names) {
            ++byHow[n.how];
            ++summary.names;
            if (n.how == FormerMatch::Unmatched) {
                summary.unmatched.push_back(fmt::format("{} {}: {} — {}", m.prefecture, m.name, n.name, n.reason));
            } else if (n.how != FormerMatch::Exact) {
                summary.inexact.push_back(fmt::format("{} {}: {} → {}{} ({}; {})", m.prefecture, m.name, n.name,
                                                      n.matchedPrefecture, n.matchedName, formerMatchKey(n.how),
                                                      n.reason));
            }
        }
        if (p.measuredOn != MeasuredOn::FormerMunicipalities || p.formerAreaKm2 <= 0) continue;
        const double rel = p.areaKm2 / p.formerAreaKm2 - 1;
        if (std::fabs(rel) <= 0.02) ++summary.withinTwoPercent;
        spread.emplace_back(std::fabs(rel), fmt::format("{} {}: fitted {:.1f} km² vs former {:.1f} km² ({:+.1f}%)",
                                                        m.prefecture, m.name, p.areaKm2, p.formerAreaKm2, 100 * rel));
    }
    for (FormerMatch how : {FormerMatch::Exact, FormerMatch::Normalised, FormerMatch::Prefix,
                            FormerMatch::OtherPrefecture, FormerMatch::OtherYear, FormerMatch::Unmatched}) {
        summary.namesByHow.emplace_back(std::string(formerMatchKey(how)), byHow[how]);
    }
    std::sort(spread.begin(), spread.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t i = 0; i < spread.size() && i < 8; ++i) summary.worstSpread.push_back(spread[i].second);
}

}  // namespace hubmap
