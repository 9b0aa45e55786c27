#pragma once
// Site suggestions (`hubmap suggest`): where k new hubs would bring the most people (or
// settlements) of the designated areas within R km of a hub — the maximal covering location
// problem (MCLP). Existing hubs of the query's kinds are fixed and cover what they cover.
//
// The maths. Demand is a set of weighted points D; candidate j covers N(j) ⊆ D (the points
// within R km of it, by geodesic distance). f(S) = w(∪_{j∈S} N(j)) is monotone and
// submodular, so for any set S and the best set S* of k sites
//     f(S*) ≤ f(S) + (sum of the k largest marginal gains f(S ∪ {j}) − f(S)),
// the bound reported with every answer: taken at every step of the greedy and after the
// swaps, the smallest wins (Nemhauser, Wolsey & Fisher 1978; Minoux's lazy evaluation keeps
// the greedy fast, since a gain only falls as S grows). `--exact` solves the integer program
//     max Σ_d w_d y_d  s.t.  y_d ≤ Σ_{j: d∈N(j)} x_j,  Σ_j x_j ≤ k,  x ∈ {0,1}, 0 ≤ y ≤ 1
// with COIN-OR CBC, warm-started from the greedy answer, and reports the proven optimum or
// CBC's best bound. Every step is deterministic: ties go to the lowest candidate index, and
// the worker threads only fill per-candidate lists.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "analysis/coverage.hpp"
#include "core/model.hpp"
#include "core/progress.hpp"

namespace hubmap {

/// What a demand point weighs.
enum class SuggestWeight {
    Population,   ///< residents (Dataset::population)
    Settlements,  ///< one per gazetteer settlement (Dataset::settlements)
};

/// "population" / "settlements".
std::string_view suggestWeightKey(SuggestWeight w);
/// Parses "population" or "settlements"; nullopt otherwise.
std::optional<SuggestWeight> parseSuggestWeight(std::string_view s);

/// A weighted point: demand, or a candidate site (whose weight is not used).
struct WeightedPoint {
    double lon = 0, lat = 0;  ///< EPSG:6668
    long long weight = 1;
    std::string code;  ///< municipality code
};

/// The weighted points of a dataset, in its order (sorted by code): the settlements, weight 1
/// each, or the population points, weight = population. Throws Error when population is asked
/// and the dataset has none ("this database has no population data; run hubmap init").
std::vector<WeightedPoint> weightedPoints(const Dataset& data, SuggestWeight weight);

/// Where the candidate sites come from.
enum class CandidateSource {
    Settlements,  ///< the settlements of the designated areas of the query
    Population,   ///< the population points of the designated areas of the query
    Points,       ///< SuggestOptions::points (a file), those in the designated areas of the query
};

struct SuggestOptions {
    /// The query: designations, prefectures, kinds (the existing hubs), opened-before,
    /// partial, threads. radiusKm is the new sites' radius (required); existing hubs cover
    /// radiusFor(kind) (radiusKm unless radiusKmByKind gives theirs).
    CoverageOptions query;
    int k = 0;  ///< sites to choose, 1 ≤ k ≤ candidates
    /// None: population when the dataset has it, else settlements.
    std::optional<SuggestWeight> weight;
    /// None: the points of the weight (population points or settlements).
    std::optional<CandidateSource> candidates;
    std::vector<WeightedPoint> points;  ///< for CandidateSource::Points (code is found here)
    std::string pointsName;             ///< where they came from (the file), for the header
    /// Sites already planned (the viewer's plan), lon/lat: fixed like the existing hubs, each
    /// covering radiusKm; counted in SuggestResult::hubsUsed.
    std::vector<std::pair<double, double>> plannedSites;
    /// Solve the integer program with CBC within this many seconds (after the greedy).
    std::optional<double> exactSeconds;
};

// ---------------------------------------------------------------------------------------
// The set problem (exposed for tests)

/// Demand elements with weights and, per candidate, the elements it covers.
struct CoverInstance {
    std::vector<long long> weights;                  ///< per demand element, ≥ 0
    std::vector<std::vector<std::uint32_t>> covers;  ///< per candidate: element indices, sorted, unique
};

/// An answer to the set problem.
struct CoverSolution {
    std::vector<int> sites;        ///< candidate indices, in order of marginal gain (greedy order)
    std::vector<long long> gains;  ///< parallel: each site's gain over the sites before it
    long long covered = 0;         ///< weight covered by the sites
    long long greedyCovered = 0;   ///< by the greedy alone, before the swaps
    int swaps = 0;                 ///< improving swaps made
    long long upper = 0;           ///< upper bound on the best weight k sites can cover
    std::string boundMethod;       ///< how upper was found (see below)
    bool optimal = false;          ///< covered == the proven optimum
    // --exact:
    bool exactRan = false;
    std::string exactStatus;    ///< "optimal", "time_limit", ...
    double exactBestBound = 0;  ///< CBC's bound on the optimum
    double exactSeconds = 0;
};

/// Bound methods: "submodular" (min over the greedy's steps and the final set of covered +
/// the k largest marginal gains), "coverable" (all weight some candidate covers), "cbc_optimal"
/// (CBC proved the optimum), "cbc_bound" (CBC's best bound, with a gap left).

/// Lazy greedy, then 1-swaps (a chosen site for an unchosen candidate) while one gains,
/// with the bound. Throws UsageError unless 1 ≤ k ≤ candidates.
CoverSolution solveGreedy(const CoverInstance& instance, int k);

/// The integer program with CBC within `seconds`, warm-started from `start` (a solveGreedy
/// answer): returns the better of the two, with CBC's bound or proof. The limit bounds CBC's
/// branch and bound; its first LP relaxation always runs to the end (0.1 s for 高知県's 1,348
/// settlements, minutes for the nation's 60,000).
CoverSolution solveExact(const CoverInstance& instance, int k, const CoverSolution& start, double seconds);

/// f(S): the weight the candidates `sites` cover together.
long long coveredWeight(const CoverInstance& instance, const std::vector<int>& sites);

// ---------------------------------------------------------------------------------------
// The query

/// One suggested site.
struct SuggestedSite {
    int rank = 0;  ///< 1 = largest gain
    double lon = 0, lat = 0;
    /// The nearest gazetteer settlement (大字) and its municipality.
    std::string code, prefecture, municipality, district;
    long long gain = 0;     ///< weight it newly covers (over the existing hubs and the sites ranked before)
    long long covered = 0;  ///< running total, the existing hubs' included
    double share = 0;       ///< covered / demand
};

struct SuggestResult {
    SuggestOptions options;  ///< as asked, normalised (query as computeCoverage normalises it)
    SuggestWeight weight = SuggestWeight::Settlements;
    CandidateSource candidates = CandidateSource::Settlements;
    std::vector<std::string> populationMethods;  ///< the population figures' methods used (weight population)
    int municipalities = 0;                      ///< designated municipalities in the query
    int hubsUsed = 0;                            ///< existing hubs with a point and a radius
    long long demandPoints = 0;
    long long demand = 0;             ///< total weight of the demand points
    long long before = 0;             ///< of which within reach of an existing hub
    long long after = 0;              ///< with the sites
    long long upper = 0;              ///< upper bound on `after` with k sites
    std::string boundMethod;          ///< see CoverSolution
    long long candidateCount = 0;     ///< candidates in the query area
    long long candidatesOutside = 0;  ///< Points outside it (left out)
    long long greedyAfter = 0;        ///< after the greedy alone
    int swaps = 0;
    bool optimal = false;
    bool exactRan = false;
    std::string exactStatus;
    double exactBestBound = 0;
    std::vector<SuggestedSite> sites;
    // Timings, seconds.
    double secondsSelect = 0, secondsSets = 0, secondsGreedy = 0, secondsExact = 0, seconds = 0;
};

/// Runs the suggestion. Throws UsageError for bad options (k ≤ 0, k larger than the
/// candidates, no radius or one out of range, an empty query: no designated municipality or
/// no demand in it) and Error when population is asked of a dataset without it.
SuggestResult suggestSites(const Dataset& data, const SuggestOptions& options, Progress& progress);

}  // namespace hubmap
