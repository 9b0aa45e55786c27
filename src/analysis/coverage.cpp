// The coverage query: option checks, hub selection, presence (point in polygon),
// catchment areas and settlements per municipality on worker threads, roll-ups.

#include "analysis/coverage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <unordered_map>

#include "analysis/catchment.hpp"
#include "analysis/coverage_reach.hpp"
#include "analysis/disk_union.hpp"
#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/municipality_index.hpp"
#include "core/names.hpp"
#include "core/parallel.hpp"
#include "core/proj.hpp"
#include "io/geocode.hpp"

namespace hubmap {

std::string_view partialMeasureKey(PartialMeasure p) { return p == PartialMeasure::Whole ? "whole" : "part"; }

std::optional<PartialMeasure> parsePartialMeasure(std::string_view s) {
    if (s == "part") return PartialMeasure::DesignatedPart;
    if (s == "whole") return PartialMeasure::Whole;
    return std::nullopt;
}

std::optional<double> CoverageOptions::radiusFor(const std::string& kind) const {
    if (auto it = radiusKmByKind.find(kind); it != radiusKmByKind.end()) return it->second;
    return radiusKm;
}

namespace {

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return std::string(s);
}

double parseKm(const std::string& text, std::string_view spec) {
    double value = 0;
    const char* end = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) {
        throw UsageError(fmt::format("--radius-km '{}': '{}' is not a number of kilometres", spec, text));
    }
    return value;
}

void checkRadius(double km, const std::string& what) {
    if (!std::isfinite(km) || km <= 0) {
        throw UsageError(fmt::format("{}: the radius must be a positive number of kilometres, not {}", what, km));
    }
    if (km > kMaxRadiusKm) {
        throw UsageError(
            fmt::format("{}: a radius of {} km is beyond the {} km hubmap accepts", what, km, kMaxRadiusKm));
    }
}

bool isMonth(const std::string& s) {
    if (s.size() != 7 || s[4] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6}) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    const int month = (s[5] - '0') * 10 + (s[6] - '0');
    return month >= 1 && month <= 12;
}

/// A hub's opening month as "YYYY-MM", "" when it has none. "YYYY-MM-DD" keeps its month;
/// a bare year counts as its last month (opened by the end of that year).
std::string openingMonth(const std::string& opened) {
    if (opened.size() >= 7 && isMonth(opened.substr(0, 7))) return opened.substr(0, 7);
    if (opened.size() == 4 && std::all_of(opened.begin(), opened.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return opened + "-12";
    }
    return "";
}

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

}  // namespace

void checkCoverageValues(const CoverageOptions& asked) {
    if (asked.radiusKm) checkRadius(*asked.radiusKm, "--radius-km");
    for (const auto& [kind, km] : asked.radiusKmByKind) checkRadius(km, "--radius-km " + kind);
    if (asked.openedBefore && !isMonth(*asked.openedBefore)) {
        throw UsageError(
            fmt::format("--opened-before '{}': expected a month as YYYY-MM (e.g. 2020-04)", *asked.openedBefore));
    }
    if (asked.threads < 0) {
        throw UsageError(fmt::format("threads: expected 0 (all cores) or more, not {}", asked.threads));
    }
}

CoverageOptions normaliseCoverageOptions(const Dataset& data, const CoverageOptions& asked) {
    if (data.municipalities.empty()) {
        throw Error("the database holds no municipalities (build it with: hubmap init)");
    }
    if (data.designations.empty()) {
        throw Error("the database holds no designated municipalities (build it with: hubmap init)");
    }
    CoverageOptions o = asked;
    if (o.designations.empty() || o.designations.count(DesignationType::None) > 0) {
        throw UsageError("choose designation types among full, partial, deemed");
    }
    std::vector<std::pair<int, std::string>> prefectures;
    for (const std::string& p : asked.prefectures) {
        const std::string name = trim(p);
        int index = data.prefectureIndex(name);
        // 高知 for 高知県: try the suffixes a prefecture name can take.
        for (const char* suffix : {"県", "府", "都", "道"}) {
            if (index < 0) index = data.prefectureIndex(name + suffix);
        }
        if (index < 0) {
            std::vector<std::string> valid;
            for (const auto& pref : data.prefectures) valid.push_back(pref.name);
            throw UsageError(
                fmt::format("unknown prefecture '{}'; give a name or a code 1-47: {}", name, joined(valid)));
        }
        const Prefecture& pref = data.prefectures[static_cast<size_t>(index)];
        prefectures.emplace_back(pref.code, pref.name);
    }
    std::sort(prefectures.begin(), prefectures.end());
    prefectures.erase(std::unique(prefectures.begin(), prefectures.end()), prefectures.end());
    o.prefectures.clear();
    for (auto& p : prefectures) o.prefectures.push_back(p.second);

    const std::vector<std::string> kinds = hubKinds(data);
    auto checkKind = [&](const std::string& kind, const char* option) {
        if (std::binary_search(kinds.begin(), kinds.end(), kind)) return;
        if (kinds.empty()) {
            throw UsageError(fmt::format("{}: unknown hub kind '{}': the database holds no hubs", option, kind));
        }
        throw UsageError(
            fmt::format("{}: unknown hub kind '{}'; kinds in the database: {}", option, kind, joined(kinds)));
    };
    o.kinds.clear();
    for (const std::string& k : asked.kinds) {
        const std::string kind = trim(k);
        checkKind(kind, "--kinds");
        o.kinds.push_back(kind);
    }
    std::sort(o.kinds.begin(), o.kinds.end());
    o.kinds.erase(std::unique(o.kinds.begin(), o.kinds.end()), o.kinds.end());

    if (o.radiusKm) checkRadius(*o.radiusKm, "--radius-km");
    for (const auto& [kind, km] : o.radiusKmByKind) {
        checkKind(kind, "--radius-km");
        checkRadius(km, "--radius-km " + kind);
    }
    if (o.openedBefore && !isMonth(*o.openedBefore)) {
        throw UsageError(
            fmt::format("--opened-before '{}': expected a month as YYYY-MM (e.g. 2020-04)", *o.openedBefore));
    }
    if (o.threads < 0) throw UsageError(fmt::format("threads: expected 0 (all cores) or more, not {}", o.threads));
    return o;
}

namespace {

/// The gazetteer points of a municipality (Dataset::settlements is sorted by code).
std::pair<std::vector<Settlement>::const_iterator, std::vector<Settlement>::const_iterator> settlementsOf(
    const Dataset& data, const std::string& code) {
    return std::equal_range(data.settlements.begin(), data.settlements.end(), Settlement{code, 0, 0, {}},
                            [](const Settlement& a, const Settlement& b) { return a.code < b.code; });
}

/// The population points of a municipality (Dataset::population is sorted by code).
std::pair<std::vector<PopulationPoint>::const_iterator, std::vector<PopulationPoint>::const_iterator> populationOf(
    const Dataset& data, const std::string& code) {
    PopulationPoint key;
    key.code = code;
    return std::equal_range(data.population.begin(), data.population.end(), key,
                            [](const PopulationPoint& a, const PopulationPoint& b) { return a.code < b.code; });
}

/// The municipality holding each hub point (MunicipalityIndex's rule, the hub's code as the
/// stated code). Runs on `threads` threads, each with its own context and index.
std::vector<MunicipalityHit> placeHubs(const Dataset& data, const std::vector<int>& hubs,
                                       const MunicipalityShapes& shapes, int threads, Progress& progress) {
    std::vector<MunicipalityHit> placed(hubs.size());
    constexpr size_t kChunk = 2048;
    WorkQueue queue((hubs.size() + kChunk - 1) / kChunk);
    const int workers = workerCount(threads, queue.size());
    runWorkers(workers, queue, [&](int worker) {
        GeosContext ctx;
        MunicipalityIndex index(ctx, shapes);
        size_t chunk = 0;
        while (queue.next(chunk)) {
            progress.checkCancelled();
            const size_t end = std::min(hubs.size(), (chunk + 1) * kChunk);
            for (size_t i = chunk * kChunk; i < end; ++i) {
                const Hub& hub = data.hubs[static_cast<size_t>(hubs[i])];
                placed[i] = index.locate(*hub.lon, *hub.lat, hub.code);
            }
            if (worker == 0) progress.fraction(static_cast<double>(queue.started()) / queue.size());
        }
    });
    return placed;
}

/// The catchment hubs' points in a grid of lon/lat cells, built once per query and read by
/// every worker (a GEOS STRtree, built on first query, cannot be shared between threads:
/// one per worker cost some 15 MB each at 100,000 hubs, and 8 % of a query to build).
class HubGrid {
public:
    explicit HubGrid(const std::vector<detail::CatchmentHub>& hubs) : hubs_(hubs) {
        Bounds all;
        for (const detail::CatchmentHub& h : hubs) {
            if (std::isfinite(h.lon) && std::isfinite(h.lat)) all.expand(h.lon, h.lat);
        }
        if (all.empty) return;
        minx_ = all.minx;
        miny_ = all.miny;
        // Cells of 0.1° (about a municipality's radius), coarser if the hubs spread so far
        // that the cells would outnumber them many times over.
        const double maxCells = 4.0 * static_cast<double>(hubs.size()) + 1024.0;
        cell_ = 0.1;
        while (((all.maxx - all.minx) / cell_ + 1) * ((all.maxy - all.miny) / cell_ + 1) > maxCells) cell_ *= 2;
        nx_ = static_cast<long>((all.maxx - all.minx) / cell_) + 1;
        ny_ = static_cast<long>((all.maxy - all.miny) / cell_) + 1;
        std::vector<size_t> cellOf(hubs.size(), kNowhere);
        start_.assign(static_cast<size_t>(nx_ * ny_) + 1, 0);
        for (size_t i = 0; i < hubs.size(); ++i) {
            if (!std::isfinite(hubs[i].lon) || !std::isfinite(hubs[i].lat)) continue;
            cellOf[i] = static_cast<size_t>(row(hubs[i].lat) * nx_ + column(hubs[i].lon));
            ++start_[cellOf[i] + 1];
        }
        for (size_t c = 1; c < start_.size(); ++c) start_[c] += start_[c - 1];
        items_.resize(start_.back());
        std::vector<size_t> fill(start_.begin(), start_.end() - 1);
        for (size_t i = 0; i < hubs.size(); ++i) {
            if (cellOf[i] != kNowhere) items_[fill[cellOf[i]]++] = static_cast<std::uint32_t>(i);
        }
    }

    /// The hubs whose point lies in `box`, its edges included (what an STRtree of the points
    /// finds), sorted; `out` is cleared first.
    void query(const Bounds& box, std::vector<size_t>& out) const {
        out.clear();
        if (box.empty || items_.empty()) return;
        if (!std::isfinite(box.minx) || !std::isfinite(box.miny) || !std::isfinite(box.maxx) ||
            !std::isfinite(box.maxy)) {
            return;  // holds no point the grid could name
        }
        const long x0 = std::max(0L, column(box.minx)), x1 = std::min(nx_ - 1, column(box.maxx));
        const long y0 = std::max(0L, row(box.miny)), y1 = std::min(ny_ - 1, row(box.maxy));
        for (long y = y0; y <= y1; ++y) {
            for (long x = x0; x <= x1; ++x) {
                const size_t c = static_cast<size_t>(y * nx_ + x);
                for (size_t k = start_[c]; k < start_[c + 1]; ++k) {
                    const detail::CatchmentHub& h = hubs_[items_[k]];
                    if (h.lon >= box.minx && h.lon <= box.maxx && h.lat >= box.miny && h.lat <= box.maxy) {
                        out.push_back(items_[k]);
                    }
                }
            }
        }
        std::sort(out.begin(), out.end());
    }

private:
    static constexpr size_t kNowhere = static_cast<size_t>(-1);
    // Clamped to the grid: a box reaching beyond the hubs' extent starts or ends at its edge.
    long column(double lon) const {
        return static_cast<long>(std::floor(std::clamp((lon - minx_) / cell_, -1.0, static_cast<double>(nx_))));
    }
    long row(double lat) const {
        return static_cast<long>(std::floor(std::clamp((lat - miny_) / cell_, -1.0, static_cast<double>(ny_))));
    }

    const std::vector<detail::CatchmentHub>& hubs_;
    double minx_ = 0, miny_ = 0, cell_ = 0.1;
    long nx_ = 0, ny_ = 0;
    std::vector<size_t> start_;  // by cell: where its hubs begin in items_; one more at the end
    std::vector<std::uint32_t> items_;
};

/// What a hub placement depends on (CoverageCache): every hub's point and code, every
/// municipality's code, polygon and area, mixed a word at a time (a few ms for 100,000 hubs).
class Fingerprint {
public:
    void add(std::uint64_t word) {
        h_ ^= word + 0x9e3779b97f4a7c15ull + (h_ << 6) + (h_ >> 2);
        h_ *= 0xff51afd7ed558ccdull;
    }
    void add(double x) {
        std::uint64_t bits = 0;
        std::memcpy(&bits, &x, sizeof bits);
        add(bits);
    }
    void add(const std::string& s) { add(static_cast<std::uint64_t>(std::hash<std::string>{}(s))); }
    std::uint64_t value() const { return h_; }

private:
    std::uint64_t h_ = 14695981039346656037ull;
};

void addMunicipalities(Fingerprint& f, const Dataset& data) {
    f.add(static_cast<std::uint64_t>(data.municipalities.size()));
    for (const Municipality& m : data.municipalities) {
        f.add(m.code);
        f.add(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(m.geom.get())));
        f.add(m.areaKm2);
    }
}

std::uint64_t placementFingerprint(const Dataset& data) {
    Fingerprint f;
    f.add(static_cast<std::uint64_t>(data.hubs.size()));
    for (const Hub& h : data.hubs) {
        f.add(static_cast<std::uint64_t>(h.lon.has_value()) | static_cast<std::uint64_t>(h.lat.has_value()) << 1);
        f.add(h.lon.value_or(0.0));
        f.add(h.lat.value_or(0.0));
        f.add(h.code);
    }
    addMunicipalities(f, data);
    return f.value();
}

/// What a kept projection or prepared part depends on: the municipalities and designated
/// parts (code, polygon, area), and the settlements and population points a part covers.
std::uint64_t shapesFingerprint(const Dataset& data) {
    Fingerprint f;
    addMunicipalities(f, data);
    f.add(static_cast<std::uint64_t>(data.designatedParts.size()));
    for (const DesignatedPart& p : data.designatedParts) {
        f.add(p.code);
        f.add(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(p.geom.get())));
        f.add(p.areaKm2);
        f.add(static_cast<std::uint64_t>(p.measuredOn));
    }
    // What the parts were found to cover is kept by position among the points.
    f.add(static_cast<std::uint64_t>(data.settlements.size()));
    f.add(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(data.settlements.data())));
    f.add(static_cast<std::uint64_t>(data.population.size()));
    f.add(static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(data.population.data())));
    return f.value();
}

/// Designated parts prepared for point-in-part tests, each cloned into a context of its own
/// and prepared on first use, and what each was found to cover; on the calling thread only.
class PreparedParts {
public:
    /// What a part covers, as found so far: its municipality's settlements and population
    /// points (by position among those of its code; empty until counted) and hubs (by index).
    struct Covered {
        std::optional<std::vector<char>> settlements, population;
        std::unordered_map<int, char> hubs;
    };
    Covered& covered(const GEOSGeometry* part) { return kept_[part].covered; }
    /// Forgets which hubs the parts cover, when the hubs are no longer those of `hubsFingerprint`.
    void keepHubsOf(std::uint64_t hubsFingerprint) {
        if (hubsFingerprint == hubsFingerprint_) return;
        for (auto& [part, e] : kept_) e.covered.hubs.clear();
        hubsFingerprint_ = hubsFingerprint;
    }

    const GEOSPreparedGeometry* of(const GEOSGeometry* part) {
        Entry& e = kept_[part];
        if (!e.prepared) {
            e.copy = clone(ctx_, part);
            e.prepared = prepare(ctx_, e.copy.get());
        }
        return e.prepared.get();
    }
    /// Whether `part` covers the point (its interior or boundary).
    bool covers(const GEOSPreparedGeometry* part, double lon, double lat) {
        const GeomPtr point = makePoint(ctx_, lon, lat);
        const char r = GEOSPreparedIntersects_r(ctx_, part, point.get());
        if (r == 2) throw Error("GEOS point-in-part test failed: " + ctx_.lastError());
        return r == 1;
    }

private:
    struct Entry {
        GeomPtr copy;  // declared before prepared: outlives it
        PreparedPtr prepared;
        Covered covered;
    };
    GeosContext ctx_;
    std::map<const GEOSGeometry*, Entry> kept_;
    std::uint64_t hubsFingerprint_ = 0;
};

/// Point-in-part tests for the rows measured on a designated part, on the calling thread.
class PartTester {
public:
    PartTester(PreparedParts& store, const std::vector<const GEOSGeometry*>& parts)
        : store_(store), parts_(parts), prepared_(parts.size(), nullptr) {}

    /// Whether the part of `row` covers the point (its interior or boundary).
    bool covers(size_t row, double lon, double lat) {
        if (!prepared_[row]) prepared_[row] = store_.of(parts_[row]);
        return store_.covers(prepared_[row], lon, lat);
    }
    /// covers() for hub `hub` at (lon, lat), found once.
    bool coversHub(size_t row, int hub, double lon, double lat) {
        auto [it, added] = store_.covered(parts_[row]).hubs.try_emplace(hub, 0);
        if (added) it->second = covers(row, lon, lat) ? 1 : 0;
        return it->second != 0;
    }
    /// covers() for each of the points [first, last) (the settlements or the population
    /// points of the row's code), found once.
    template <class It>
    const std::vector<char>& coversPoints(size_t row, It first, It last, bool population) {
        PreparedParts::Covered& c = store_.covered(parts_[row]);
        std::optional<std::vector<char>>& known = population ? c.population : c.settlements;
        if (!known) {
            std::vector<char> in;
            for (It p = first; p != last; ++p) in.push_back(covers(row, p->lon, p->lat) ? 1 : 0);
            known = std::move(in);
        }
        return *known;
    }

private:
    PreparedParts& store_;
    const std::vector<const GEOSGeometry*>& parts_;
    std::vector<const GEOSPreparedGeometry*> prepared_;
};

/// Everything a catchment worker reads, shared and immutable while the workers run.
struct CatchmentJob {
    const Dataset& data;
    const GeosContext& owner;  ///< the result's context: geometries kept are adopted into it
    const CoverageOptions& options;
    std::vector<detail::CatchmentHub> hubs;  ///< used hubs with a point and a radius
    double maxRadiusKm = 0;
    bool countSettlements = false;
    bool countPopulation = false;
    /// Parallel to the result's municipalities: what is measured (the polygon or the part)
    /// and the settlements and population points counted there.
    const std::vector<const GEOSGeometry*>& measured;
    const std::vector<std::vector<const Settlement*>>& settlements;
    const std::vector<std::vector<const PopulationPoint*>>& population;
    /// With a CoverageCache: parallel to the rows, each one's kept shape (distinct), and the
    /// contexts that own them between queries. Empty without.
    std::vector<detail::KeptShape*> kept = {};
    const GeosContext* keeperGeos = nullptr;
    PJ_CONTEXT* keeperProj = nullptr;
};

/// A kept shape lent to a worker: its projection reports to the worker's PROJ context while
/// the worker measures, and the shape goes back to its keeper's contexts after (a LocalShape
/// made by the worker too), so that none outlives the worker's contexts.
class KeptShapeLoan {
public:
    KeptShapeLoan(const CatchmentJob& job, size_t row, PJ_CONTEXT* proj)
        : job_(job), kept_(job.kept.empty() ? nullptr : job.kept[row]) {
        if (kept_ && kept_->local) kept_->local->moveTo(*job.keeperGeos, proj);
    }
    ~KeptShapeLoan() {
        if (kept_ && kept_->local) kept_->local->moveTo(*job_.keeperGeos, job_.keeperProj);
    }
    KeptShapeLoan(const KeptShapeLoan&) = delete;
    KeptShapeLoan& operator=(const KeptShapeLoan&) = delete;
    detail::KeptShape* get() const { return kept_; }

private:
    const CatchmentJob& job_;
    detail::KeptShape* kept_;
};

void measureMunicipality(const CatchmentJob& job, const GeosContext& ctx, PJ_CONTEXT* proj, const Geodesic& geodesic,
                         const HubGrid& hubIndex, size_t row, MunicipalityCoverage& out) {
    const KeptShapeLoan kept(job, row, proj);
    // Without a kept shape, the worker measures its own copy of the polygon; with one, the
    // polygon is only read once, to project it.
    GeomPtr copy;
    const GEOSGeometry* shape = job.measured[row];
    if (!kept.get()) {
        copy = clone(ctx, shape);
        shape = copy.get();
    }
    std::vector<size_t> found;
    const detail::CandidateLookup candidatesIn = [&](const Bounds& box,
                                                     std::vector<const detail::CatchmentHub*>& hubs) {
        hubIndex.query(box, found);
        hubs.clear();
        for (size_t i : found) hubs.push_back(&job.hubs[i]);
    };
    GeomPtr uncovered = detail::measureReach(ctx, proj, geodesic, shape, kept.get(), job.maxRadiusKm, candidatesIn,
                                             job.countSettlements ? &job.settlements[row] : nullptr,
                                             job.countPopulation ? &job.population[row] : nullptr,
                                             job.options.keepGeometry, job.data.population.data(), out);
    if (uncovered) out.uncoveredGeom = adopt(job.owner, std::move(uncovered));
}

/// Catchment areas and covered settlements of every municipality in `out`, on worker threads.
void measureCatchments(const CatchmentJob& job, std::vector<MunicipalityCoverage>& out, int threads,
                       Progress& progress) {
    // Largest first: with dynamic hand-out, the small ones fill the gaps at the end.
    std::vector<size_t> order(out.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return out[a].areaKm2 > out[b].areaKm2; });
    const HubGrid hubIndex(job.hubs);
    WorkQueue queue(order.size());
    const int workers = workerCount(threads, order.size());
    runWorkers(workers, queue, [&](int worker) {
        GeosContext ctx;
        const ProjContextPtr proj = makeProjContext();
        const Geodesic geodesic;
        size_t item = 0;
        while (queue.next(item)) {
            progress.checkCancelled();
            MunicipalityCoverage& mc = out[order[item]];
            try {
                measureMunicipality(job, ctx, proj.get(), geodesic, hubIndex, order[item], mc);
            } catch (const Error& e) {
                throw Error(fmt::format("measuring the catchments of {} {} ({}): {}", mc.prefecture, mc.name, mc.code,
                                        e.what()));
            }
            if (worker == 0) progress.fraction(static_cast<double>(queue.started()) / queue.size());
        }
    });
}

/// The dissolved catchment of every kind with a radius, in lon/lat (for export and display).
void dissolveCatchments(const Dataset& data, const CatchmentJob& job, int threads, CoverageResult& result,
                        Progress& progress) {
    std::map<std::string, std::vector<const detail::CatchmentHub*>> byKind;  // one radius per kind
    for (const detail::CatchmentHub& h : job.hubs) byKind[data.hubs[static_cast<size_t>(h.hub)].kind].push_back(&h);
    const Geodesic geodesic;
    for (const auto& [kind, hubs] : byKind) {
        std::vector<std::pair<double, double>> centres;
        for (const detail::CatchmentHub* h : hubs) centres.emplace_back(h->lon, h->lat);
        const double radiusM = hubs.front()->radiusM;
        const detail::DiskShapeTable shapes(geodesic, radiusM, detail::kDisplayDiskVertices, centres);
        result.catchments[kind] = detail::unionOfDisks(*result.geos, shapes, radiusM, centres, threads, progress);
    }
}

}  // namespace

namespace detail {

std::map<int, PrefectureCoverage> sumByPrefecture(const std::vector<MunicipalityCoverage>& rows,
                                                  CoverageTotals& nation) {
    std::map<int, PrefectureCoverage> byPrefecture;
    for (const MunicipalityCoverage& mc : rows) {
        PrefectureCoverage& p = byPrefecture[mc.prefectureCode];
        p.code = mc.prefectureCode;
        p.name = mc.prefecture;
        addToTotals(p.totals, mc);
        addToTotals(nation, mc);
    }
    return byPrefecture;
}

GeomPtr measureReach(const GeosContext& ctx, PJ_CONTEXT* proj, const Geodesic& geodesic, const GEOSGeometry* shape,
                     KeptShape* kept, double maxRadiusKm, const CandidateLookup& candidatesIn,
                     const std::vector<const Settlement*>* settlements,
                     const std::vector<const PopulationPoint*>* population, bool keepGeometry,
                     const PopulationPoint* populationBase, MunicipalityCoverage& out) {
    const Bounds b = kept ? kept->lonLatBox : bounds(ctx, shape);
    const double dLat = kmToLatDegrees(maxRadiusKm);
    const double maxAbsLat = std::max(std::fabs(b.miny - dLat), std::fabs(b.maxy + dLat));
    const double dLon = kmToLonDegrees(maxRadiusKm, maxAbsLat);
    std::vector<const CatchmentHub*> candidates;
    candidatesIn(Bounds{b.minx - dLon, b.miny - dLat, b.maxx + dLon, b.maxy + dLat, false}, candidates);

    AreaCoverage area;
    if (kept && !candidates.empty()) {
        if (!kept->local) kept->local = std::make_unique<LocalShape>(ctx, proj, shape);
        area = coveredArea(ctx, geodesic, *kept->local, candidates, keepGeometry);
    } else {
        area = coveredArea(ctx, proj, geodesic, shape, candidates, keepGeometry);
    }
    const double share = area.areaM2 > 0 ? std::min(1.0, area.coveredM2 / area.areaM2) : 0.0;
    out.coveredShare = share;
    out.coveredKm2 = share * out.designatedAreaKm2;

    // Points are tested against the hubs near the measured shape; a point outside its box
    // (a gazetteer point outside its municipality) finds its own neighbours.
    // Whether a point is within reach does not depend on which hub is found first: the hub
    // that reached the previous point (points come by place, neighbours near each other) is
    // tried before the rest, which spares most of the search when hubs are dense.
    std::vector<const CatchmentHub*> own;
    const CatchmentHub* lastReached = nullptr;
    auto withinReach = [&](double lon, double lat) {
        if (lastReached && withinRadius(geodesic, lon, lat, lastReached->lon, lastReached->lat, lastReached->radiusM)) {
            return true;
        }
        const bool inBox = lon >= b.minx && lon <= b.maxx && lat >= b.miny && lat <= b.maxy;
        const std::vector<const CatchmentHub*>* near = &candidates;
        if (!inBox) {
            const double dLonHere = kmToLonDegrees(maxRadiusKm, std::fabs(lat) + dLat);
            candidatesIn(Bounds{lon - dLonHere, lat - dLat, lon + dLonHere, lat + dLat, false}, own);
            near = &own;
        }
        for (const CatchmentHub* h : *near) {
            if (withinRadius(geodesic, lon, lat, h->lon, h->lat, h->radiusM)) {
                lastReached = h;
                return true;
            }
        }
        return false;
    };
    if (settlements) {
        long long covered = 0;
        for (const Settlement* s : *settlements) {
            if (withinReach(s->lon, s->lat)) ++covered;
        }
        out.settlementsCovered = covered;
    }
    if (population) {
        long long covered = 0;
        for (const PopulationPoint* p : *population) {
            if (p->population == 0) continue;  // nobody to reach
            if (withinReach(p->lon, p->lat)) {
                covered += p->population;
            } else if (keepGeometry) {
                out.uncoveredPopulation.push_back(static_cast<size_t>(p - populationBase));
            }
        }
        out.populationCovered = covered;
        out.populationShare = *out.population > 0 ? static_cast<double>(covered) / *out.population : 0.0;
    }
    return std::move(area.uncovered);
}

void addToTotals(CoverageTotals& t, const MunicipalityCoverage& m) {
    ++t.designated;
    if (m.covered) {
        ++t.covered;
    } else {
        t.uncoveredCodes.push_back(m.code);
    }
    t.hubs += m.hubs;
    t.designatedKm2 += m.designatedAreaKm2;
    if (m.coveredKm2) t.coveredKm2 = t.coveredKm2.value_or(0) + *m.coveredKm2;
    if (m.settlements) t.settlements = t.settlements.value_or(0) + *m.settlements;
    if (m.settlementsCovered) t.settlementsCovered = t.settlementsCovered.value_or(0) + *m.settlementsCovered;
    if (m.population) t.population = t.population.value_or(0) + *m.population;
    if (m.populationCovered) t.populationCovered = t.populationCovered.value_or(0) + *m.populationCovered;
    if (m.populationMethod) t.populationMethods.insert(*m.populationMethod);
}

void finishTotals(CoverageTotals& t) {
    if (t.coveredKm2) t.coveredShare = t.designatedKm2 > 0 ? *t.coveredKm2 / t.designatedKm2 : 0.0;
    if (t.settlements && t.settlementsCovered) {
        t.settlementShare = *t.settlements > 0 ? static_cast<double>(*t.settlementsCovered) / *t.settlements : 0.0;
    }
    if (t.population && t.populationCovered) {
        t.populationShare = *t.population > 0 ? static_cast<double>(*t.populationCovered) / *t.population : 0.0;
    }
}

}  // namespace detail

void parseRadiusSpec(std::string_view spec, CoverageOptions& options) {
    options.radiusKm.reset();
    options.radiusKmByKind.clear();
    if (trim(spec).empty()) throw UsageError("--radius-km: expected R or kind=R,... (kilometres)");
    size_t start = 0;
    while (start <= spec.size()) {
        size_t end = spec.find(',', start);
        if (end == std::string_view::npos) end = spec.size();
        const std::string item = trim(spec.substr(start, end - start));
        const size_t eq = item.find('=');
        if (item.empty()) {
            throw UsageError(fmt::format("--radius-km '{}': empty item (expected R or kind=R,...)", spec));
        } else if (eq == std::string::npos) {
            if (options.radiusKm)
                throw UsageError(fmt::format("--radius-km '{}': more than one radius for all kinds", spec));
            options.radiusKm = parseKm(item, spec);
        } else {
            const std::string kind = trim(std::string_view(item).substr(0, eq));
            if (kind.empty()) throw UsageError(fmt::format("--radius-km '{}': missing kind before '='", spec));
            if (options.radiusKmByKind.count(kind) > 0) {
                throw UsageError(fmt::format("--radius-km '{}': kind '{}' given twice", spec, kind));
            }
            options.radiusKmByKind[kind] = parseKm(trim(std::string_view(item).substr(eq + 1)), spec);
        }
        start = end + 1;
    }
}

std::vector<std::string> hubKinds(const Dataset& data) {
    // A handful of kinds among up to 100,000s of hubs, mostly in runs: no copy per hub.
    std::vector<std::string> kinds;
    const std::string* last = nullptr;
    for (const Hub& h : data.hubs) {
        if (last && h.kind == *last) continue;
        last = &h.kind;
        const auto it = std::lower_bound(kinds.begin(), kinds.end(), h.kind);
        if (it == kinds.end() || *it != h.kind) kinds.insert(it, h.kind);
    }
    return kinds;
}

std::string populationMethodOf(const CoverageTotals& t) {
    if (t.populationMethods.empty()) return "";
    if (t.populationMethods.size() > 1) return "mixed";
    return std::string(populationMethodKey(*t.populationMethods.begin()));
}

std::string_view shareWeightKey(ShareWeight w) {
    switch (w) {
        case ShareWeight::Area:
            return "area";
        case ShareWeight::Settlements:
            return "settlements";
        case ShareWeight::Population:
            return "population";
    }
    return "area";
}

std::optional<ShareWeight> parseShareWeight(std::string_view s) {
    for (ShareWeight w : {ShareWeight::Area, ShareWeight::Settlements, ShareWeight::Population}) {
        if (s == shareWeightKey(w)) return w;
    }
    return std::nullopt;
}

namespace {

double ratioOr0(const std::optional<long long>& part, const std::optional<long long>& whole) {
    if (!part || !whole || *whole <= 0) return 0.0;
    return static_cast<double>(*part) / static_cast<double>(*whole);
}

}  // namespace

double coverageShare(const MunicipalityCoverage& m, ShareWeight weight) {
    if (!m.coveredShare) return m.covered ? 1.0 : 0.0;  // no radius: presence
    switch (weight) {
        case ShareWeight::Settlements:
            return ratioOr0(m.settlementsCovered, m.settlements);
        case ShareWeight::Population:
            return m.populationShare.value_or(0.0);
        case ShareWeight::Area:
            break;
    }
    return *m.coveredShare;
}

double coverageShare(const CoverageTotals& t, ShareWeight weight) {
    if (!t.coveredShare) return t.designated > 0 ? static_cast<double>(t.covered) / t.designated : 0.0;
    switch (weight) {
        case ShareWeight::Settlements:
            return t.settlementShare.value_or(0.0);
        case ShareWeight::Population:
            return t.populationShare.value_or(0.0);
        case ShareWeight::Area:
            break;
    }
    return *t.coveredShare;
}

bool lacksCoverage(const MunicipalityCoverage& m, std::optional<double> minShare, ShareWeight weight) {
    return minShare ? coverageShare(m, weight) < *minShare : !m.covered;
}

bool lacksCoverage(const CoverageTotals& t, std::optional<double> minShare, ShareWeight weight) {
    return minShare ? coverageShare(t, weight) < *minShare : t.covered < t.designated;
}

struct CoverageCache::Shapes {
    // The contexts first: the kept projections and geometries go before them.
    GeosContext geos;
    ProjContextPtr proj = makeProjContext();
    std::uint64_t fingerprint = 0;
    std::map<const GEOSGeometry*, detail::KeptShape> kept;  // by measured shape
    PreparedParts parts;
};

CoverageCache::CoverageCache() = default;
CoverageCache::~CoverageCache() = default;

CoverageCache::Shapes& CoverageCache::shapes(const Dataset& data) {
    const std::uint64_t fingerprint = shapesFingerprint(data);
    if (shapes_ && shapes_->fingerprint != fingerprint) {
        if (!shapes_->kept.empty()) ++shapeDropCount_;
        shapes_.reset();
    }
    if (!shapes_) {
        shapes_ = std::make_unique<Shapes>();
        shapes_->fingerprint = fingerprint;
    }
    // Which hubs a part covers is kept while the hubs are those placed (place() runs first).
    shapes_->parts.keepHubsOf(fingerprint_);
    return *shapes_;
}

bool CoverageCache::projectShapes(const Dataset& data, const std::function<bool()>& stop) {
    Shapes& s = shapes(data);
    for (auto& [lonLat, k] : s.kept) {
        if (k.local) continue;
        if (stop()) return false;
        k.local = std::make_unique<detail::LocalShape>(s.geos, s.proj.get(), lonLat);
    }
    return true;
}

std::size_t CoverageCache::projectedShapes() const {
    if (!shapes_) return 0;
    return static_cast<std::size_t>(std::count_if(shapes_->kept.begin(), shapes_->kept.end(),
                                                  [](const auto& k) { return k.second.local != nullptr; }));
}

std::vector<MunicipalityHit> CoverageCache::place(const Dataset& data, const std::vector<int>& hubs, int threads,
                                                  Progress& progress) {
    const std::uint64_t fingerprint = placementFingerprint(data);
    if (fingerprint != fingerprint_ || known_.size() != data.hubs.size()) {
        if (std::find(known_.begin(), known_.end(), 1) != known_.end()) ++dropCount_;
        hits_.clear();
        known_.clear();
        fingerprint_ = fingerprint;
        hits_.resize(data.hubs.size());
        known_.assign(data.hubs.size(), 0);
    }
    std::vector<int> missing;
    for (int hub : hubs) {
        if (!known_[static_cast<size_t>(hub)]) missing.push_back(hub);
    }
    if (!missing.empty()) {
        const std::vector<MunicipalityHit> placed =
            placeHubs(data, missing, MunicipalityShapes::of(data), threads, progress);
        for (size_t i = 0; i < missing.size(); ++i) {
            hits_[static_cast<size_t>(missing[i])] = placed[i];
            known_[static_cast<size_t>(missing[i])] = 1;
        }
        placedCount_ += missing.size();
    }
    std::vector<MunicipalityHit> out;
    out.reserve(hubs.size());
    for (int hub : hubs) out.push_back(hits_[static_cast<size_t>(hub)]);
    return out;
}

void CoverageCache::clear() {
    fingerprint_ = 0;
    hits_.clear();
    known_.clear();
    shapes_.reset();
}

namespace {

/// computeCoverage, with what `cache` kept when it is not null.
CoverageResult runCoverage(const Dataset& data, const CoverageOptions& asked, Progress& progress,
                           CoverageCache* cache) {
    const auto start = std::chrono::steady_clock::now();
    CoverageResult result;
    result.options = normaliseCoverageOptions(data, asked);
    const CoverageOptions& o = result.options;

    // The designated municipalities asked for, by code.
    std::set<int> prefectureCodes;
    for (const std::string& p : o.prefectures) prefectureCodes.insert(prefectureCode(p));
    std::vector<int> rowOf(data.municipalities.size(), -1);
    std::vector<const GEOSGeometry*> measured;   // by row: the polygon, or the designated part
    std::vector<const GEOSGeometry*> partOfRow;  // by row: the designated part, or null
    for (const Designation& d : data.designations) {
        if (o.designations.count(d.type) == 0) continue;
        const int index = data.municipalityIndex(d.code);
        if (index < 0)
            throw Error(
                fmt::format("designation of {} {}: no municipality with code {}", d.prefecture, d.name, d.code));
        const Municipality& m = data.municipalities[static_cast<size_t>(index)];
        if (!prefectureCodes.empty() && prefectureCodes.count(m.prefectureCode) == 0) continue;
        MunicipalityCoverage mc;
        mc.code = m.code;
        mc.prefectureCode = m.prefectureCode;
        mc.prefecture = m.prefecture;
        mc.name = m.name;
        mc.designation = d.type;
        mc.formerMunicipalities = d.formerMunicipalities;
        mc.designationIncomplete = d.incomplete;
        mc.areaKm2 = m.areaKm2;
        mc.designatedAreaKm2 = m.areaKm2;
        const GEOSGeometry* measuredGeom = m.geom.get();
        const GEOSGeometry* partGeom = nullptr;
        if (d.type == DesignationType::Partial) {
            if (o.partial == PartialMeasure::Whole) {
                mc.measuredOn = MeasuredOn::Whole;
            } else if (const DesignatedPart* part = data.designatedPartOf(m.code);
                       part && part->measuredOn == MeasuredOn::FormerMunicipalities && part->geom) {
                mc.measuredOn = MeasuredOn::FormerMunicipalities;
                mc.designatedAreaKm2 = part->areaKm2;
                measuredGeom = partGeom = part->geom.get();
            } else {
                // No part could be built (a name matched nothing): measured whole, never dropped.
                mc.measuredOn = MeasuredOn::WholeFallback;
            }
        }
        rowOf[static_cast<size_t>(index)] = static_cast<int>(result.municipalities.size());
        result.municipalities.push_back(std::move(mc));
        measured.push_back(measuredGeom);
        partOfRow.push_back(partGeom);
    }

    // Hubs: kind and date filters.
    const std::set<std::string> kinds(o.kinds.begin(), o.kinds.end());
    std::vector<int> located;  // used hubs with a point
    located.reserve(data.hubs.size());
    result.hubsUsed.reserve(data.hubs.size());
    for (size_t i = 0; i < data.hubs.size(); ++i) {
        const Hub& h = data.hubs[i];
        if (!kinds.empty() && kinds.count(h.kind) == 0) continue;
        if (o.openedBefore) {
            const std::string month = openingMonth(h.details().opened);
            if (!month.empty() && month >= *o.openedBefore) continue;
            if (month.empty()) result.undatedHubs.push_back(static_cast<int>(i));
        }
        result.hubsUsed.push_back(static_cast<int>(i));
        if (h.lon && h.lat) {
            located.push_back(static_cast<int>(i));
        } else {
            result.unlocatedHubs.push_back(static_cast<int>(i));
        }
    }

    // Presence.
    progress.step(fmt::format("locating {} hubs in {} municipalities", located.size(), data.municipalities.size()));
    const std::vector<MunicipalityHit> placed =
        cache ? cache->place(data, located, o.threads, progress)
              : placeHubs(data, located, MunicipalityShapes::of(data), o.threads, progress);
    std::vector<int> placementOf(data.hubs.size(), -1);
    CoverageCache::Shapes* kept = cache ? &cache->shapes(data) : nullptr;
    PreparedParts ownParts;
    PartTester parts(kept ? kept->parts : ownParts, partOfRow);
    for (size_t i = 0; i < located.size(); ++i) {
        const int hubIndex = located[i];
        const Hub& hub = data.hubs[static_cast<size_t>(hubIndex)];
        const MunicipalityHit& p = placed[i];
        placementOf[static_cast<size_t>(hubIndex)] = p.municipality;
        if (p.ambiguous) result.ambiguousHubs.push_back(hubIndex);
        const std::string locatedCode =
            p.municipality >= 0 ? data.municipalities[static_cast<size_t>(p.municipality)].code : "";
        if (p.municipality < 0) result.hubsOutsideMunicipalities.push_back(hubIndex);
        if (!hub.code.empty() && hub.code != locatedCode)
            result.codeMismatches.push_back({hubIndex, hub.code, locatedCode});
        if (p.municipality < 0) continue;
        const int row = rowOf[static_cast<size_t>(p.municipality)];
        if (row < 0) continue;
        if (partOfRow[static_cast<size_t>(row)]) {
            if (parsePrecision(hub.precision) == Precision::Municipality) {
                // Its point is the municipality's own representative point, not where the hub
                // is: whether it lies in the part is unknown. Counted there (hubs serve the
                // designated mountain districts far more often than the town centre) and listed.
                result.hubsOnlyPlacedInPartialMunicipality.push_back(hubIndex);
            } else if (!parts.coversHub(static_cast<size_t>(row), hubIndex, *hub.lon, *hub.lat)) {
                result.hubsOutsideDesignatedParts.push_back(hubIndex);
                continue;
            }
        }
        result.municipalities[static_cast<size_t>(row)].hubIndices.push_back(hubIndex);
    }
    result.locatedIn.reserve(result.hubsUsed.size());
    for (int hubIndex : result.hubsUsed) result.locatedIn.push_back(placementOf[static_cast<size_t>(hubIndex)]);
    for (auto& mc : result.municipalities) {
        std::sort(mc.hubIndices.begin(), mc.hubIndices.end());
        mc.hubs = static_cast<int>(mc.hubIndices.size());
        mc.covered = mc.hubs > 0;
    }

    // Settlements counted by code; covered ones with the catchments.
    const bool countSettlements = o.settlements && !data.settlements.empty();
    std::vector<std::vector<const Settlement*>> settlementsIn(result.municipalities.size());
    if (countSettlements) {
        for (size_t row = 0; row < result.municipalities.size(); ++row) {
            MunicipalityCoverage& mc = result.municipalities[row];
            const auto range = settlementsOf(data, mc.code);
            const std::vector<char>* inPart =
                partOfRow[row] ? &parts.coversPoints(row, range.first, range.second, false) : nullptr;
            for (auto s = range.first; s != range.second; ++s) {
                if (!inPart || (*inPart)[static_cast<size_t>(s - range.first)]) settlementsIn[row].push_back(&*s);
            }
            mc.settlements = static_cast<long long>(settlementsIn[row].size());
        }
    }

    // Residents counted by code, in the part for a 一部過疎 municipality measured on it.
    const bool countPopulation = o.population && !data.population.empty();
    std::vector<std::vector<const PopulationPoint*>> populationIn(result.municipalities.size());
    if (countPopulation) {
        for (size_t row = 0; row < result.municipalities.size(); ++row) {
            MunicipalityCoverage& mc = result.municipalities[row];
            const auto range = populationOf(data, mc.code);
            const std::vector<char>* inPart =
                partOfRow[row] ? &parts.coversPoints(row, range.first, range.second, true) : nullptr;
            long long people = 0;
            for (auto p = range.first; p != range.second; ++p) {
                if (inPart && !(*inPart)[static_cast<size_t>(p - range.first)]) continue;
                populationIn[row].push_back(&*p);
                people += p->population;
            }
            mc.population = people;
            if (range.first != range.second) mc.populationMethod = range.first->method;
        }
    }

    // Each row's kept shape, made here on the calling thread (the bounds read the shared
    // polygon), also without a radius (CoverageCache::projectShapes projects them ahead of a
    // radius query); a shape listed twice is measured without (workers must not share one).
    std::vector<detail::KeptShape*> keptOfRow;
    if (kept) {
        keptOfRow.assign(measured.size(), nullptr);
        std::set<const GEOSGeometry*> seen;
        for (size_t row = 0; row < measured.size(); ++row) {
            if (!seen.insert(measured[row]).second) continue;
            auto [it, added] = kept->kept.try_emplace(measured[row]);
            if (added) it->second.lonLatBox = bounds(kept->geos, measured[row]);
            keptOfRow[row] = &it->second;
        }
    }

    if (o.hasRadius()) {
        CatchmentJob job{data,     *result.geos,  o,           {}, 0, countSettlements, countPopulation,
                         measured, settlementsIn, populationIn};
        if (kept) {
            job.keeperGeos = &kept->geos;
            job.keeperProj = kept->proj.get();
            job.kept = std::move(keptOfRow);
        }
        for (int hubIndex : result.hubsUsed) {
            const Hub& h = data.hubs[static_cast<size_t>(hubIndex)];
            const std::optional<double> km = o.radiusFor(h.kind);
            if (!km || !h.lon || !h.lat) continue;
            job.hubs.push_back({*h.lon, *h.lat, *km * 1000.0, hubIndex});
            job.maxRadiusKm = std::max(job.maxRadiusKm, *km);
        }
        progress.step(fmt::format("measuring catchments of {} hubs in {} municipalities", job.hubs.size(),
                                  result.municipalities.size()));
        measureCatchments(job, result.municipalities, o.threads, progress);
        if (o.keepGeometry) {
            progress.step("dissolving catchments");
            dissolveCatchments(data, job, o.threads, result, progress);
        }
    }

    // Roll-ups.
    std::map<int, PrefectureCoverage> byPrefecture = detail::sumByPrefecture(result.municipalities, result.nation);
    for (int hubIndex : result.unlocatedHubs) {
        const int code = prefectureCode(data.hubs[static_cast<size_t>(hubIndex)].prefecture);
        auto it = byPrefecture.find(code);
        if (it == byPrefecture.end()) continue;
        ++it->second.totals.prefectureOnlyHubs;
        ++result.nation.prefectureOnlyHubs;
    }
    for (auto& [code, p] : byPrefecture) {
        detail::finishTotals(p.totals);
        result.prefectures.push_back(std::move(p));
    }
    detail::finishTotals(result.nation);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

}  // namespace

CoverageResult computeCoverage(const Dataset& data, const CoverageOptions& options, Progress& progress) {
    return runCoverage(data, options, progress, nullptr);
}

CoverageResult computeCoverage(const Dataset& data, const CoverageOptions& options, Progress& progress,
                               CoverageCache& cache) {
    return runCoverage(data, options, progress, &cache);
}

}  // namespace hubmap
