// Site suggestions: demand and candidates of the query area, coverage sets, lazy greedy with
// swaps and the submodular bound, CBC for --exact, the nearest settlement of each site.

#include "analysis/suggest.hpp"

#include <Cbc_C_Interface.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <numeric>
#include <queue>
#include <set>

#include "analysis/catchment.hpp"
#include "core/box_tree.hpp"
#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/municipality_index.hpp"
#include "core/parallel.hpp"

namespace hubmap {

std::string_view suggestWeightKey(SuggestWeight w) {
    return w == SuggestWeight::Population ? "population" : "settlements";
}

std::optional<SuggestWeight> parseSuggestWeight(std::string_view s) {
    if (s == "population") return SuggestWeight::Population;
    if (s == "settlements") return SuggestWeight::Settlements;
    return std::nullopt;
}

std::vector<WeightedPoint> weightedPoints(const Dataset& data, SuggestWeight weight) {
    std::vector<WeightedPoint> out;
    if (weight == SuggestWeight::Settlements) {
        out.reserve(data.settlements.size());
        for (const Settlement& s : data.settlements) out.push_back({s.lon, s.lat, 1, s.code});
        return out;
    }
    if (data.population.empty()) throw Error("this database has no population data; run hubmap init");
    out.reserve(data.population.size());
    for (const PopulationPoint& p : data.population) out.push_back({p.lon, p.lat, p.population, p.code});
    return out;
}

long long coveredWeight(const CoverInstance& instance, const std::vector<int>& sites) {
    std::vector<char> seen(instance.weights.size(), 0);
    long long total = 0;
    for (int j : sites) {
        for (std::uint32_t d : instance.covers.at(static_cast<size_t>(j))) {
            if (!seen[d]) {
                seen[d] = 1;
                total += instance.weights[d];
            }
        }
    }
    return total;
}

namespace {

// ---------------------------------------------------------------------------------------
// The set problem

/// A candidate's gain as known at some step: exact at `step`, an upper bound later.
struct Entry {
    long long gain;
    int candidate;
    int step;
};
/// Largest gain first, then the lowest candidate index: the one deterministic order.
struct EntryLess {
    bool operator()(const Entry& a, const Entry& b) const {
        if (a.gain != b.gain) return a.gain < b.gain;
        return a.candidate > b.candidate;
    }
};

long long gainOf(const CoverInstance& in, int j, const std::vector<char>& covered) {
    long long g = 0;
    for (std::uint32_t d : in.covers[static_cast<size_t>(j)]) {
        if (!covered[d]) g += in.weights[d];
    }
    return g;
}

/// Sum of the k largest marginal gains over the set whose coverage is `covered`, skipping
/// the chosen candidates: every gain exact (a full pass).
long long topGains(const CoverInstance& in, int k, const std::vector<char>& covered, const std::vector<char>& chosen) {
    std::vector<long long> gains;
    gains.reserve(in.covers.size());
    for (size_t j = 0; j < in.covers.size(); ++j) {
        if (!chosen[j]) gains.push_back(gainOf(in, static_cast<int>(j), covered));
    }
    const size_t n = std::min(gains.size(), static_cast<size_t>(k));
    std::partial_sort(gains.begin(), gains.begin() + static_cast<long>(n), gains.end(), std::greater<>());
    return std::accumulate(gains.begin(), gains.begin() + static_cast<long>(n), 0LL);
}

/// The sites in greedy order over themselves (largest gain first, ties to the lower index),
/// with their gains.
void orderByGain(const CoverInstance& in, CoverSolution& s) {
    std::vector<int> left = s.sites;
    std::sort(left.begin(), left.end());
    std::vector<char> covered(in.weights.size(), 0);
    s.sites.clear();
    s.gains.clear();
    while (!left.empty()) {
        size_t best = 0;
        long long bestGain = -1;
        for (size_t i = 0; i < left.size(); ++i) {
            const long long g = gainOf(in, left[i], covered);
            if (g > bestGain) {
                bestGain = g;
                best = i;
            }
        }
        const int j = left[best];
        left.erase(left.begin() + static_cast<long>(best));
        for (std::uint32_t d : in.covers[static_cast<size_t>(j)]) covered[d] = 1;
        s.sites.push_back(j);
        s.gains.push_back(bestGain);
    }
}

/// 1-swaps: for each unchosen candidate in index order, the chosen site whose exchange gains
/// most (ties to the lowest position) is exchanged when that gains; passes repeat until one
/// changes nothing. cnt[d] counts the chosen sites covering d, owner[d] sums their positions
/// (the owner when cnt[d] == 1), loss[p] is what dropping position p loses.
int improveBySwaps(const CoverInstance& in, std::vector<int>& sites) {
    const size_t k = sites.size();
    const size_t n = in.covers.size();
    std::vector<int> cnt(in.weights.size(), 0);
    std::vector<long long> owner(in.weights.size(), 0);
    std::vector<char> chosen(n, 0);
    for (size_t p = 0; p < k; ++p) {
        chosen[static_cast<size_t>(sites[p])] = 1;
        for (std::uint32_t d : in.covers[static_cast<size_t>(sites[p])]) {
            ++cnt[d];
            owner[d] += static_cast<long long>(p);
        }
    }
    std::vector<long long> loss(k, 0);
    auto computeLoss = [&] {
        std::fill(loss.begin(), loss.end(), 0);
        for (size_t p = 0; p < k; ++p) {
            for (std::uint32_t d : in.covers[static_cast<size_t>(sites[p])]) {
                if (cnt[d] == 1) loss[p] += in.weights[d];
            }
        }
    };
    computeLoss();
    std::vector<long long> extra(k, 0);
    std::vector<char> mark(k, 0);
    std::vector<size_t> touched;
    int swaps = 0;
    for (bool changed = true; changed;) {
        changed = false;
        for (size_t c = 0; c < n; ++c) {
            if (chosen[c]) continue;
            long long gain0 = 0;
            touched.clear();
            for (std::uint32_t d : in.covers[c]) {
                if (cnt[d] == 0) {
                    gain0 += in.weights[d];
                } else if (cnt[d] == 1) {
                    const size_t p = static_cast<size_t>(owner[d]);
                    if (!mark[p]) {
                        mark[p] = 1;
                        touched.push_back(p);
                    }
                    extra[p] += in.weights[d];
                }
            }
            // Exchanging position p for c changes f by gain0 + extra[p] - loss[p].
            long long bestValue = 0;
            size_t bestP = k;
            for (size_t p = 0; p < k; ++p) {
                const long long v = gain0 + extra[p] - loss[p];
                if (v > bestValue) {
                    bestValue = v;
                    bestP = p;
                }
            }
            for (size_t p : touched) {
                extra[p] = 0;
                mark[p] = 0;
            }
            if (bestP == k) continue;
            const int old = sites[bestP];
            for (std::uint32_t d : in.covers[static_cast<size_t>(old)]) {
                --cnt[d];
                owner[d] -= static_cast<long long>(bestP);
            }
            for (std::uint32_t d : in.covers[c]) {
                ++cnt[d];
                owner[d] += static_cast<long long>(bestP);
            }
            chosen[static_cast<size_t>(old)] = 0;
            chosen[c] = 1;
            sites[bestP] = static_cast<int>(c);
            computeLoss();
            ++swaps;
            changed = true;
        }
    }
    return swaps;
}

}  // namespace

CoverSolution solveGreedy(const CoverInstance& in, int k) {
    const int n = static_cast<int>(in.covers.size());
    if (k <= 0) throw UsageError(fmt::format("k must be at least 1, not {}", k));
    if (k > n) throw UsageError(fmt::format("k = {} is more than the {} candidates", k, n));
    CoverSolution s;
    long long coverable = 0;
    {
        std::vector<char> any(in.weights.size(), 0);
        for (const auto& c : in.covers) {
            for (std::uint32_t d : c) any[d] = 1;
        }
        for (size_t d = 0; d < any.size(); ++d) coverable += any[d] ? in.weights[d] : 0;
    }
    std::vector<char> covered(in.weights.size(), 0), chosen(static_cast<size_t>(n), 0);
    std::priority_queue<Entry, std::vector<Entry>, EntryLess> heap;
    for (int j = 0; j < n; ++j) heap.push({gainOf(in, j, covered), j, 0});
    long long bound = coverable;
    std::string method = "coverable";
    std::vector<Entry> fresh;
    for (int step = 0; step <= k; ++step) {
        // The k largest gains, exact: an entry popped fresh is the true maximum of what is left.
        fresh.clear();
        long long top = 0;
        while (static_cast<int>(fresh.size()) < k && !heap.empty()) {
            Entry e = heap.top();
            heap.pop();
            if (e.step != step) {
                e.gain = gainOf(in, e.candidate, covered);
                e.step = step;
                heap.push(e);
                continue;
            }
            fresh.push_back(e);
            top += e.gain;
            if (e.gain == 0) break;  // the rest gain nothing either
        }
        if (s.covered + top < bound) {
            bound = s.covered + top;
            method = "submodular";
        }
        if (step == k) break;
        const Entry pick = fresh.front();
        for (size_t i = 1; i < fresh.size(); ++i) heap.push(fresh[i]);
        chosen[static_cast<size_t>(pick.candidate)] = 1;
        for (std::uint32_t d : in.covers[static_cast<size_t>(pick.candidate)]) covered[d] = 1;
        s.covered += pick.gain;
        s.sites.push_back(pick.candidate);
    }
    s.greedyCovered = s.covered;
    s.swaps = improveBySwaps(in, s.sites);
    orderByGain(in, s);
    s.covered = std::accumulate(s.gains.begin(), s.gains.end(), 0LL);
    // The bound at the final set too.
    std::fill(covered.begin(), covered.end(), 0);
    std::fill(chosen.begin(), chosen.end(), 0);
    for (int j : s.sites) {
        chosen[static_cast<size_t>(j)] = 1;
        for (std::uint32_t d : in.covers[static_cast<size_t>(j)]) covered[d] = 1;
    }
    if (s.swaps > 0) {
        const long long b = s.covered + topGains(in, k, covered, chosen);
        if (b < bound) {
            bound = b;
            method = "submodular";
        }
    }
    s.upper = bound;
    s.boundMethod = method;
    s.optimal = s.upper == s.covered;
    return s;
}

namespace {

struct CbcDeleter {
    void operator()(Cbc_Model* m) const { Cbc_deleteModel(m); }
};
using CbcPtr = std::unique_ptr<Cbc_Model, CbcDeleter>;

}  // namespace

CoverSolution solveExact(const CoverInstance& in, int k, const CoverSolution& start, double seconds) {
    const auto t0 = std::chrono::steady_clock::now();
    const size_t n = in.covers.size();
    // Demand elements with the same candidates are one row: group them by that list.
    std::vector<std::vector<int>> coveredBy(in.weights.size());
    for (size_t j = 0; j < n; ++j) {
        for (std::uint32_t d : in.covers[j]) coveredBy[d].push_back(static_cast<int>(j));
    }
    std::map<std::vector<int>, long long> groups;
    for (size_t d = 0; d < coveredBy.size(); ++d) {
        if (!coveredBy[d].empty() && in.weights[d] > 0) groups[coveredBy[d]] += in.weights[d];
    }
    // Columns: x_j for candidates that cover anything, then y_g.
    std::vector<int> column(n, -1), candidateOf;
    for (const auto& [list, w] : groups) {
        for (int j : list) {
            if (column[static_cast<size_t>(j)] < 0) column[static_cast<size_t>(j)] = 0;
        }
    }
    for (size_t j = 0; j < n; ++j) {
        if (column[j] >= 0) {
            column[j] = static_cast<int>(candidateOf.size());
            candidateOf.push_back(static_cast<int>(j));
        }
    }
    const int nx = static_cast<int>(candidateOf.size());
    const int ny = static_cast<int>(groups.size());
    // The matrix by columns, loaded at once (adding rows one by one is quadratic in CBC 2.10):
    // rows 0..ny-1 are y_g - Σ x_j ≤ 0, row ny is Σ x_j ≤ k.
    std::vector<std::vector<int>> rowsOfX(static_cast<size_t>(nx));
    {
        int g = 0;
        for (const auto& [list, w] : groups) {
            for (int j : list) rowsOfX[static_cast<size_t>(column[static_cast<size_t>(j)])].push_back(g);
            ++g;
        }
    }
    std::vector<CoinBigIndex> starts{0};
    std::vector<int> rows;
    std::vector<double> values, objective, upper(static_cast<size_t>(nx + ny), 1.0);
    for (int c = 0; c < nx; ++c) {
        for (int row : rowsOfX[static_cast<size_t>(c)]) {
            rows.push_back(row);
            values.push_back(-1.0);
        }
        rows.push_back(ny);
        values.push_back(1.0);
        starts.push_back(static_cast<CoinBigIndex>(rows.size()));
        objective.push_back(0.0);
    }
    {
        int g = 0;
        for (const auto& [list, w] : groups) {
            rows.push_back(g++);
            values.push_back(1.0);
            starts.push_back(static_cast<CoinBigIndex>(rows.size()));
            objective.push_back(static_cast<double>(w));
        }
    }
    const std::vector<double> lower(static_cast<size_t>(nx + ny), 0.0);
    std::vector<double> rowLower(static_cast<size_t>(ny + 1), -std::numeric_limits<double>::max()),
        rowUpper(static_cast<size_t>(ny + 1), 0.0);
    rowUpper[static_cast<size_t>(ny)] = static_cast<double>(k);
    CbcPtr model(Cbc_newModel());
    if (!model) throw Error("CBC: cannot create a model");
    Cbc_loadProblem(model.get(), nx + ny, ny + 1, starts.data(), rows.data(), values.data(), lower.data(), upper.data(),
                    objective.data(), rowLower.data(), rowUpper.data());
    Cbc_setObjSense(model.get(), -1);  // maximise
    for (int c = 0; c < nx; ++c) {
        Cbc_setInteger(model.get(), c);
        Cbc_setColName(model.get(), c, fmt::format("x{}", c).c_str());  // a MIP start names its columns
    }

    // Warm start: the greedy answer (its chosen columns at 1; CBC works out the rest).
    std::vector<std::string> startNames;
    for (int j : start.sites) {
        if (column[static_cast<size_t>(j)] >= 0)
            startNames.push_back(fmt::format("x{}", column[static_cast<size_t>(j)]));
    }
    std::vector<const char*> startNamePointers;
    for (const std::string& name : startNames) startNamePointers.push_back(name.c_str());
    const std::vector<double> ones(startNames.size(), 1.0);
    if (!startNames.empty()) {
        Cbc_setMIPStart(model.get(), static_cast<int>(startNames.size()), startNamePointers.data(), ones.data());
    }
    Cbc_setLogLevel(model.get(), 0);
    // CBC 2.10's preprocessing breaks a MIP start ("Illegal index in ClpModel::getColumnName"):
    // off. The rows are few already (demand with the same candidates is one row).
    Cbc_setParameter(model.get(), "preprocess", "off");
    Cbc_setMaximumSeconds(model.get(), std::max(0.01, seconds));
    Cbc_setParameter(model.get(), "threads", "1");  // one thread: the same answer every run
    Cbc_setAllowableGap(model.get(), 0.5);          // weights are integers: within 0.5 is optimal
    Cbc_solve(model.get());

    CoverSolution out = start;
    out.exactRan = true;
    const bool proven = Cbc_isProvenOptimal(model.get()) != 0;
    const double best = Cbc_getBestPossibleObjValue(model.get());
    out.exactStatus = proven ? "optimal" : Cbc_isSecondsLimitReached(model.get()) ? "time_limit" : "stopped";
    out.exactBestBound = best;
    const double* x = Cbc_bestSolution(model.get());  // null when CBC found no integer solution
    if (x) {
        std::vector<int> sites;
        for (int c = 0; c < nx; ++c) {
            if (x[c] > 0.5) sites.push_back(candidateOf[static_cast<size_t>(c)]);
        }
        if (static_cast<int>(sites.size()) <= k) {
            // Fewer than k: fill with the greedy's sites (they gain nothing more, or CBC would use them).
            std::vector<char> in_(n, 0);
            for (int j : sites) in_[static_cast<size_t>(j)] = 1;
            for (int j : start.sites) {
                if (static_cast<int>(sites.size()) < k && !in_[static_cast<size_t>(j)]) {
                    sites.push_back(j);
                    in_[static_cast<size_t>(j)] = 1;
                }
            }
            const long long value = coveredWeight(in, sites);
            if (value > start.covered) {
                out.sites = sites;
                orderByGain(in, out);
                out.covered = value;
            }
        }
    }
    if (proven) {
        // Integer weights: CBC's optimum, rounded, is what the best set covers.
        out.upper = std::min(out.upper, std::max(out.covered, static_cast<long long>(std::llround(best))));
        out.boundMethod = out.upper == out.covered ? "cbc_optimal" : out.boundMethod;
    } else if (std::isfinite(best)) {
        const long long b = static_cast<long long>(std::floor(best + 1e-6));
        if (b < out.upper) {
            out.upper = std::max(b, out.covered);
            out.boundMethod = "cbc_bound";
        }
    }
    out.optimal = out.upper == out.covered;
    out.exactSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

// ---------------------------------------------------------------------------------------
// The query

namespace {

/// Point-in-part tests on the calling thread (a part is cloned and prepared on first use).
class PartTest {
public:
    bool covers(const GEOSGeometry* part, double lon, double lat) {
        auto it = prepared_.find(part);
        if (it == prepared_.end()) {
            clones_.push_back(clone(ctx_, part));
            it = prepared_.emplace(part, prepare(ctx_, clones_.back().get())).first;
        }
        const GeomPtr point = makePoint(ctx_, lon, lat);
        const char r = GEOSPreparedIntersects_r(ctx_, it->second.get(), point.get());
        if (r == 2) throw Error("GEOS point-in-part test failed: " + ctx_.lastError());
        return r == 1;
    }

private:
    GeosContext ctx_;
    std::vector<GeomPtr> clones_;  // declared before prepared_: outlives it
    std::map<const GEOSGeometry*, PreparedPtr> prepared_;
};

/// A designated municipality of the query and what is measured of it.
struct QueryArea {
    std::string code;
    const GEOSGeometry* part = nullptr;  ///< the 一部過疎 designated part, or null: the whole municipality
};

/// The points (sorted by code) that lie in the query's designated areas, as coverage counts
/// settlements: every point of a municipality designated whole, the points in the part of a
/// 一部過疎 municipality measured on its part.
std::vector<WeightedPoint> inArea(const std::vector<WeightedPoint>& points, const std::vector<QueryArea>& areas,
                                  PartTest& parts) {
    std::vector<WeightedPoint> out;
    for (const QueryArea& a : areas) {
        auto range = std::equal_range(points.begin(), points.end(), a.code, [](const auto& x, const auto& y) {
            if constexpr (std::is_same_v<std::decay_t<decltype(x)>, WeightedPoint>) {
                return x.code < y;
            } else {
                return x < y.code;
            }
        });
        for (auto p = range.first; p != range.second; ++p) {
            if (!a.part || parts.covers(a.part, p->lon, p->lat)) out.push_back(*p);
        }
    }
    return out;
}

/// For each candidate, the demand points within `radiusM` (sorted), on worker threads.
std::vector<std::vector<std::uint32_t>> coverSets(const std::vector<WeightedPoint>& demand,
                                                  const std::vector<WeightedPoint>& candidates, double radiusKm,
                                                  int threads, Progress& progress) {
    std::vector<std::vector<std::uint32_t>> covers(candidates.size());
    constexpr size_t kChunk = 256;
    WorkQueue queue((candidates.size() + kChunk - 1) / kChunk);
    const int workers = workerCount(threads, queue.size());
    const double dLat = detail::kmToLatDegrees(radiusKm);
    const double radiusM = radiusKm * 1000.0;
    runWorkers(workers, queue, [&](int worker) {
        GeosContext ctx;
        const Geodesic geodesic;
        BoxTree index(ctx);
        for (size_t i = 0; i < demand.size(); ++i) index.insertPoint(demand[i].lon, demand[i].lat, i);
        std::vector<size_t> found;
        size_t chunk = 0;
        while (queue.next(chunk)) {
            progress.checkCancelled();
            const size_t end = std::min(candidates.size(), (chunk + 1) * kChunk);
            for (size_t c = chunk * kChunk; c < end; ++c) {
                const WeightedPoint& s = candidates[c];
                const double dLon = detail::kmToLonDegrees(radiusKm, std::fabs(s.lat) + dLat);
                index.query(Bounds{s.lon - dLon, s.lat - dLat, s.lon + dLon, s.lat + dLat, false}, found);
                for (size_t d : found) {
                    if (detail::withinRadius(geodesic, demand[d].lon, demand[d].lat, s.lon, s.lat, radiusM)) {
                        covers[c].push_back(static_cast<std::uint32_t>(d));
                    }
                }
            }
            if (worker == 0) progress.fraction(static_cast<double>(queue.started()) / queue.size());
        }
    });
    return covers;
}

constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

/// The settlement nearest to each site (geodesic distance; ties to the lower index), -1 when
/// there are none.
std::vector<int> nearestSettlements(const Dataset& data, const std::vector<std::pair<double, double>>& sites,
                                    int threads) {
    std::vector<int> out(sites.size(), -1);
    WorkQueue queue(sites.size());
    runWorkers(workerCount(threads, sites.size()), queue, [&](int) {
        const Geodesic geodesic;
        size_t i = 0;
        while (queue.next(i)) {
            const auto [lon, lat] = sites[i];
            const double c = std::cos(lat * kDegToRad);
            // A flat metric finds the few nearest; the geodesic decides among them.
            double bestFlat = INFINITY;
            std::vector<std::pair<double, int>> near;
            for (size_t s = 0; s < data.settlements.size(); ++s) {
                const double dx = (data.settlements[s].lon - lon) * c, dy = data.settlements[s].lat - lat;
                const double d2 = dx * dx + dy * dy;
                if (d2 <= bestFlat * 1.0001 + 1e-14) {
                    bestFlat = std::min(bestFlat, d2);
                    near.emplace_back(d2, static_cast<int>(s));
                }
            }
            double best = INFINITY;
            for (const auto& [d2, s] : near) {
                if (d2 > bestFlat * 1.0001 + 1e-14) continue;
                const Settlement& st = data.settlements[static_cast<size_t>(s)];
                const double d = geodesic.distanceKm(lon, lat, st.lon, st.lat);
                if (d < best) {
                    best = d;
                    out[i] = s;
                }
            }
        }
    });
    return out;
}

double since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

SuggestResult suggestSites(const Dataset& data, const SuggestOptions& asked, Progress& progress) {
    const auto start = std::chrono::steady_clock::now();
    SuggestResult r;
    r.options = asked;
    SuggestOptions& o = r.options;
    if (o.k <= 0) throw UsageError(fmt::format("--k: the number of sites must be at least 1, not {}", o.k));
    if (!o.query.radiusKm) {
        throw UsageError("--radius-km: give the new sites' radius R (kilometres), e.g. --radius-km 5");
    }
    if (o.exactSeconds && !(std::isfinite(*o.exactSeconds) && *o.exactSeconds > 0)) {
        throw UsageError(
            fmt::format("--exact: the time limit must be a positive number of seconds, not {}", *o.exactSeconds));
    }
    o.query = normaliseCoverageOptions(data, o.query);
    r.weight = o.weight.value_or(data.population.empty() ? SuggestWeight::Settlements : SuggestWeight::Population);
    r.candidates = o.candidates.value_or(r.weight == SuggestWeight::Population ? CandidateSource::Population
                                                                               : CandidateSource::Settlements);

    // The query's designated areas, and the existing hubs (kind and date filters), as coverage selects them.
    progress.step("selecting the query's designated areas");
    CoverageOptions presence = o.query;
    presence.radiusKm.reset();
    presence.radiusKmByKind.clear();
    presence.settlements = false;
    const CoverageResult query = computeCoverage(data, presence, progress);
    if (query.municipalities.empty()) {
        throw UsageError("the query holds no designated municipality: widen --designation or --prefecture");
    }
    r.municipalities = static_cast<int>(query.municipalities.size());
    std::vector<QueryArea> areas;
    for (const MunicipalityCoverage& m : query.municipalities) {
        const DesignatedPart* part =
            m.measuredOn == MeasuredOn::FormerMunicipalities ? data.designatedPartOf(m.code) : nullptr;
        areas.push_back({m.code, part ? part->geom.get() : nullptr});
    }
    PartTest parts;
    const std::vector<WeightedPoint> demandAll = inArea(weightedPoints(data, r.weight), areas, parts);
    if (r.weight == SuggestWeight::Population) {
        // The methods of the figures in the query's areas (coverage rolls them up), not of the whole table.
        for (PopulationMethod m : query.nation.populationMethods) {
            r.populationMethods.emplace_back(populationMethodKey(m));
        }
    }
    r.demandPoints = static_cast<long long>(demandAll.size());
    for (const WeightedPoint& p : demandAll) r.demand += p.weight;
    if (demandAll.empty() || r.demand == 0) {
        throw UsageError(fmt::format("the query's designated areas hold no {} to cover", suggestWeightKey(r.weight)));
    }

    // Candidates in the query area.
    std::vector<WeightedPoint> candidates;
    if (r.candidates == CandidateSource::Points) {
        const MunicipalityShapes shapes = MunicipalityShapes::of(data);
        const GeosContext ctx;
        MunicipalityIndex index(ctx, shapes);
        std::vector<WeightedPoint> located;
        for (WeightedPoint p : o.points) {
            const MunicipalityHit hit = index.locate(p.lon, p.lat);
            if (!hit.found()) {
                ++r.candidatesOutside;
                continue;
            }
            p.code = data.municipalities[static_cast<size_t>(hit.municipality)].code;
            located.push_back(std::move(p));
        }
        std::stable_sort(located.begin(), located.end(),
                         [](const WeightedPoint& a, const WeightedPoint& b) { return a.code < b.code; });
        candidates = inArea(located, areas, parts);
        r.candidatesOutside = static_cast<long long>(o.points.size() - candidates.size());
    } else {
        const SuggestWeight kind =
            r.candidates == CandidateSource::Population ? SuggestWeight::Population : SuggestWeight::Settlements;
        candidates = kind == r.weight ? demandAll : inArea(weightedPoints(data, kind), areas, parts);
    }
    r.candidateCount = static_cast<long long>(candidates.size());
    if (candidates.empty()) {
        throw UsageError("no candidate site lies in the query's designated areas");
    }
    if (o.k > r.candidateCount) {
        throw UsageError(fmt::format("--k {}: more sites than the {} candidates in the query's designated areas", o.k,
                                     r.candidateCount));
    }

    // Demand the existing hubs already reach is covered before any site.
    std::vector<detail::CatchmentHub> hubs;
    double maxKm = 0;
    for (int i : query.hubsUsed) {
        const Hub& h = data.hubs[static_cast<size_t>(i)];
        const std::optional<double> km = o.query.radiusFor(h.kind);
        if (!km || !h.lon || !h.lat) continue;
        hubs.push_back({*h.lon, *h.lat, *km * 1000.0, i});
        maxKm = std::max(maxKm, *km);
    }
    for (const auto& [lon, lat] : o.plannedSites) {
        hubs.push_back({lon, lat, *o.query.radiusKm * 1000.0, -1});
        maxKm = std::max(maxKm, *o.query.radiusKm);
    }
    r.hubsUsed = static_cast<int>(hubs.size());
    std::vector<WeightedPoint> demand;
    {
        const GeosContext ctx;
        const Geodesic geodesic;
        BoxTree index(ctx);
        for (size_t i = 0; i < hubs.size(); ++i) index.insertPoint(hubs[i].lon, hubs[i].lat, i);
        std::vector<size_t> found;
        std::vector<const detail::CatchmentHub*> near;
        const double dLat = detail::kmToLatDegrees(maxKm);
        for (const WeightedPoint& p : demandAll) {
            bool reached = false;
            if (!hubs.empty()) {
                const double dLon = detail::kmToLonDegrees(maxKm, std::fabs(p.lat) + dLat);
                index.query(Bounds{p.lon - dLon, p.lat - dLat, p.lon + dLon, p.lat + dLat, false}, found);
                near.clear();
                for (size_t i : found) near.push_back(&hubs[i]);
                reached = detail::withinAnyRadius(geodesic, p.lon, p.lat, near);
            }
            if (reached) {
                r.before += p.weight;
            } else {
                demand.push_back(p);
            }
        }
    }
    r.secondsSelect = since(start);

    const auto tSets = std::chrono::steady_clock::now();
    progress.step(
        fmt::format("coverage sets of {} candidates over {} demand points", candidates.size(), demand.size()));
    CoverInstance instance;
    for (const WeightedPoint& p : demand) instance.weights.push_back(p.weight);
    instance.covers = coverSets(demand, candidates, *o.query.radiusKm, o.query.threads, progress);
    r.secondsSets = since(tSets);

    const auto tGreedy = std::chrono::steady_clock::now();
    progress.step(fmt::format("choosing {} sites (lazy greedy, swaps)", o.k));
    CoverSolution solution = solveGreedy(instance, o.k);
    r.secondsGreedy = since(tGreedy);
    if (o.exactSeconds) {
        progress.step(fmt::format("solving the integer program with CBC (search limited to {} s)", *o.exactSeconds));
        solution = solveExact(instance, o.k, solution, *o.exactSeconds);
        r.secondsExact = solution.exactSeconds;
        r.exactRan = true;
        r.exactStatus = solution.exactStatus;
        r.exactBestBound = r.before + solution.exactBestBound;
    }
    r.greedyAfter = r.before + solution.greedyCovered;
    r.swaps = solution.swaps;
    r.after = r.before + solution.covered;
    r.upper = r.before + solution.upper;
    r.boundMethod = solution.boundMethod;
    r.optimal = solution.optimal;

    // The sites, named after their nearest settlement.
    std::vector<std::pair<double, double>> points;
    for (int j : solution.sites)
        points.emplace_back(candidates[static_cast<size_t>(j)].lon, candidates[static_cast<size_t>(j)].lat);
    const std::vector<int> nearest = nearestSettlements(data, points, o.query.threads);
    long long running = r.before;
    for (size_t i = 0; i < solution.sites.size(); ++i) {
        SuggestedSite s;
        s.rank = static_cast<int>(i) + 1;
        s.lon = points[i].first;
        s.lat = points[i].second;
        if (nearest[i] >= 0) {
            const Settlement& st = data.settlements[static_cast<size_t>(nearest[i])];
            s.code = st.code;
            s.district = st.town;
            const int m = data.municipalityIndex(st.code);
            if (m >= 0) {
                s.prefecture = data.municipalities[static_cast<size_t>(m)].prefecture;
                s.municipality = data.municipalities[static_cast<size_t>(m)].name;
            }
        } else {
            s.code = candidates[static_cast<size_t>(solution.sites[i])].code;
            const int m = data.municipalityIndex(s.code);
            if (m >= 0) {
                s.prefecture = data.municipalities[static_cast<size_t>(m)].prefecture;
                s.municipality = data.municipalities[static_cast<size_t>(m)].name;
            }
        }
        s.gain = solution.gains[i];
        running += s.gain;
        s.covered = running;
        s.share = static_cast<double>(running) / static_cast<double>(r.demand);
        r.sites.push_back(std::move(s));
    }
    r.seconds = since(start);
    return r;
}

}  // namespace hubmap
