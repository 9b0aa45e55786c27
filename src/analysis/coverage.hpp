#pragma once
// Coverage queries: which designated (過疎) municipalities and prefectures have
// hubs, and how much of their area and settlements lies within R km of one.
// One library call serves the CLI (`hubmap coverage`, `hubmap gaps`), the
// GeoPackage export and the viewer; report/ turns its result into output.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/geos.hpp"
#include "core/model.hpp"
#include "core/municipality_index.hpp"
#include "core/progress.hpp"

namespace hubmap {

/// Largest catchment radius accepted, km (beyond it the question is no longer local).
inline constexpr double kMaxRadiusKm = 200.0;

/// What a 一部過疎 municipality is measured on.
enum class PartialMeasure {
    DesignatedPart,  ///< its designated part (Dataset::designatedParts): the area, presence, catchments, settlements
    Whole,           ///< the whole municipality (hubmap.coverage/1's answers)
};

/// "part" / "whole".
std::string_view partialMeasureKey(PartialMeasure p);
/// Parses "part" or "whole"; nullopt otherwise.
std::optional<PartialMeasure> parsePartialMeasure(std::string_view s);

/// What to ask. Defaults: every designation type, all prefectures, all hub kinds, no radius.
struct CoverageOptions {
    /// Designation types included (full, partial, deemed). Empty is a usage error.
    std::set<DesignationType> designations = {DesignationType::Full, DesignationType::Partial, DesignationType::Deemed};
    /// Prefecture names (高知県) or codes ("39"); empty = all 47.
    std::vector<std::string> prefectures;
    /// Hub kinds (small_hub, rmo, activity_centre, model_project, or imported kinds); empty = all.
    std::vector<std::string> kinds;
    /// "YYYY-MM": only hubs opened before this month (hubs without a date are kept and reported as undated).
    std::optional<std::string> openedBefore;
    /// Catchment radius in km for every kind, if any.
    std::optional<double> radiusKm;
    /// Per-kind radius overriding radiusKm (kind -> km). A kind with no radius has no catchment.
    std::map<std::string, double> radiusKmByKind;
    /// Count gazetteer settlements (needs settlements loaded: when Dataset::settlements is
    /// empty the settlement figures stay unset). Without a radius only `settlements` is filled.
    bool settlements = true;
    /// Count residents (needs Dataset::population loaded: when it is empty the population
    /// figures stay unset). Without a radius only `population` is filled.
    bool population = true;
    /// Build geometry products (dissolved catchments, uncovered parts) for export and the viewer.
    bool keepGeometry = false;
    /// Worker threads; 0 = all cores.
    int threads = 0;
    /// 一部過疎 municipalities: measured on their designated part (default) or whole.
    PartialMeasure partial = PartialMeasure::DesignatedPart;

    /// True when any radius is set.
    bool hasRadius() const { return radiusKm.has_value() || !radiusKmByKind.empty(); }
    /// The radius for a kind, if it has one.
    std::optional<double> radiusFor(const std::string& kind) const;
};

/// Reads a radius specification into `options`: "10" (every kind), "activity_centre=5,small_hub=10"
/// (per kind; other kinds have no catchment) or both ("10,rmo=5"). Throws UsageError on a
/// malformed spec; the values themselves are checked by computeCoverage.
void parseRadiusSpec(std::string_view spec, CoverageOptions& options);

/// The hub kinds present in a dataset, sorted.
std::vector<std::string> hubKinds(const Dataset& data);

/// Coverage of one designated municipality.
struct MunicipalityCoverage {
    std::string code;
    int prefectureCode = 0;
    std::string prefecture;
    std::string name;
    DesignationType designation = DesignationType::None;
    /// 一部過疎: the designated former municipalities, as listed.
    std::vector<std::string> formerMunicipalities;
    bool designationIncomplete = false;  ///< the source row was cut short
    double areaKm2 = 0;                  ///< the whole municipality (geodesic)
    /// What the figures below are measured on: Whole (全部過疎, みなし過疎, or --partial whole),
    /// FormerMunicipalities (一部過疎: its designated part) or WholeFallback (一部過疎 whose part
    /// could not be built: the whole municipality).
    MeasuredOn measuredOn = MeasuredOn::Whole;
    /// The area measured: the designated part's geodesic area, or areaKm2 when measured whole.
    double designatedAreaKm2 = 0;
    /// Hubs held by the municipality (MunicipalityIndex) whose point lies in what is measured
    /// (for a designated part: in the part or on its boundary).
    int hubs = 0;
    std::vector<int> hubIndices;  ///< indices into Dataset::hubs, sorted
    bool covered = false;         ///< hubs > 0
    // With a radius:
    /// Area of what is measured within R km (geodesic) of any hub, incl. hubs across the border
    /// and outside a designated part.
    std::optional<double> coveredKm2;
    std::optional<double> coveredShare;  ///< coveredKm2 / designatedAreaKm2
    /// Gazetteer points in the municipality (also without a radius); for a designated part,
    /// those of them whose point lies in the part.
    std::optional<long long> settlements;
    std::optional<long long> settlementsCovered;  ///< of those, within R km of a hub (geodesic distance)
    /// Residents of the population points in the municipality (also without a radius); for a
    /// designated part, of the points that lie in the part.
    std::optional<long long> population;
    std::optional<long long> populationCovered;  ///< of those, within R km of a hub (geodesic distance)
    std::optional<double> populationShare;       ///< populationCovered / population (0 when population is 0)
    /// How the figures were obtained: every point of a municipality has the same method (its
    /// prefecture has census small areas or it has not). Unset without population points.
    std::optional<PopulationMethod> populationMethod;
    /// With keepGeometry and a radius: the points with residents outside every catchment,
    /// indices into Dataset::population.
    std::vector<size_t> uncoveredPopulation;
    /// With keepGeometry and a radius: what is measured outside every catchment (MultiPolygon, may be empty).
    GeomPtr uncoveredGeom;
};

/// Roll-up of designated municipalities for a prefecture or the nation.
struct CoverageTotals {
    int designated = 0;  ///< designated municipalities in the query
    int covered = 0;     ///< with at least one hub inside
    int hubs = 0;        ///< hubs inside designated municipalities
    /// Hubs known only by prefecture (no point, precision=prefecture): prefecture-level
    /// presence only, not placed in any municipality.
    int prefectureOnlyHubs = 0;
    double designatedKm2 = 0;  ///< sum of the municipalities' designatedAreaKm2
    std::optional<double> coveredKm2, coveredShare;
    std::optional<long long> settlements, settlementsCovered;
    std::optional<double> settlementShare;
    std::optional<long long> population, populationCovered;
    std::optional<double> populationShare;
    /// The methods of the municipalities' population figures (see populationMethodKey).
    std::set<PopulationMethod> populationMethods;
    std::vector<std::string> uncoveredCodes;  ///< municipalities with no hub, by code
};

struct PrefectureCoverage {
    int code = 0;
    std::string name;
    CoverageTotals totals;
};

/// A hub whose own code column names another municipality than the polygon it lies in.
struct CodeMismatch {
    int hubIndex = -1;
    std::string statedCode;   ///< the hub's code column
    std::string locatedCode;  ///< municipality containing its point ("" if none: at sea or abroad)
};

struct CoverageResult {
    /// Owns the geometries below (uncoveredGeom, catchments), so a result may outlive the
    /// Dataset it was computed from. Declared first: destroyed after them.
    std::shared_ptr<GeosContext> geos = std::make_shared<GeosContext>();
    CoverageOptions options;                           ///< as asked (normalised: prefectures as names)
    std::vector<MunicipalityCoverage> municipalities;  ///< designated municipalities in the query, by code
    std::vector<PrefectureCoverage> prefectures;       ///< prefectures with designated municipalities in the query
    CoverageTotals nation;
    std::vector<int> hubsUsed;       ///< indices into Dataset::hubs that passed the kind/date filters
    std::vector<int> undatedHubs;    ///< hubs used with no opening date (only reported with openedBefore)
    std::vector<int> unlocatedHubs;  ///< hubs used with no point (prefecture precision): presence not counted
    /// Parallel to hubsUsed: index into Dataset::municipalities of the polygon holding the
    /// hub's point, -1 when it has no point or lies in none.
    std::vector<int> locatedIn;
    /// Hubs used whose point lies in no municipality polygon (at sea, or in a gap between
    /// the simplified boundaries).
    std::vector<int> hubsOutsideMunicipalities;
    /// Hubs whose point lies in two municipality polygons (the simplified boundaries of
    /// neighbouring prefectures overlap in slivers) or exactly on a boundary they share.
    /// Each is counted once: in the municipality its code column names if that is one of
    /// them, else the lowest code.
    std::vector<int> ambiguousHubs;
    /// Hubs held by a 一部過疎 municipality measured on its designated part whose point lies
    /// outside the part: not present there (their catchments still count).
    std::vector<int> hubsOutsideDesignatedParts;
    /// Hubs placed only to a 一部過疎 municipality measured on its designated part (precision
    /// municipality: their point is the municipality's representative point, not the hub's):
    /// counted as present in the part, where their position is unknown.
    std::vector<int> hubsOnlyPlacedInPartialMunicipality;
    std::vector<CodeMismatch> codeMismatches;
    /// With keepGeometry and a radius: dissolved catchments, one MultiPolygon per kind with a radius.
    std::map<std::string, GeomPtr> catchments;
    double seconds = 0;
    /// `geos` again, released last when a result is assigned over another (members are
    /// assigned in order: the old geometries above go before the old context does).
    std::shared_ptr<GeosContext> geosHeldToTheEnd = geos;
};

/// The checks of normaliseCoverageOptions that need no data: every radius a positive number of
/// kilometres up to kMaxRadiusKm, --opened-before a month, threads not negative. Front ends make
/// them before loading the database, so that a mistyped value is refused at once (not after
/// the load, or a first-use build of the default database); same UsageError messages.
void checkCoverageValues(const CoverageOptions& asked);

/// Checks `asked` against the data and returns it normalised (prefectures as names in code
/// order, kinds sorted and unique): computeCoverage's checks, for queries built on it
/// (suggest). Throws UsageError as computeCoverage does.
CoverageOptions normaliseCoverageOptions(const Dataset& data, const CoverageOptions& asked);

/// Runs the query. Throws UsageError for invalid options (unknown kind or prefecture
/// — the message lists the valid ones —, negative radius, bad date, empty designation set)
/// and Error when the dataset is empty.
///
/// Presence: a hub lies in the municipality whose polygon contains its point (GEOS
/// prepared geometries behind an STRtree). A point in two polygons (an overlap sliver, see
/// ambiguousHubs) or exactly on a shared boundary (in none's interior, on both closures)
/// goes to the one its code column names if it is one of them, else to the lowest code. A
/// 一部過疎 municipality measured on its designated part (options.partial) has a hub present
/// only when the part covers the hub's point. With a radius, each municipality (or part) is
/// measured in its own Lambert azimuthal equal-area projection (see analysis/catchment.hpp);
/// coveredShare is the covered fraction of the projected area, coveredKm2 = coveredShare ×
/// designatedAreaKm2 (the geodesic area), so a fully covered municipality reports exactly its area.
/// Geometries in the result (keepGeometry) are owned through result.geos, not data.ctx.
/// Work is spread over options.threads threads, each with its own GEOS and PROJ context.
CoverageResult computeCoverage(const Dataset& data, const CoverageOptions& options, Progress& progress);

/// What a query keeps for the next one, for whatever does not depend on the radius, the kinds
/// or the dates asked for (the viewer keeps one while its slider moves):
/// - where the hubs lie: placing 100,000 hubs in their municipalities is a third of a query.
///   computeCoverage places a hub the first time a query uses it and reuses the placement;
/// - each measured shape's local projection and the shape projected into it (made the first
///   time a hub's catchment reaches the shape), and each designated part prepared for
///   point-in-part tests: creating the projections and projecting the shapes were a tenth of
///   a radius query at 100,000 hubs.
///
/// Validity: a placement depends only on the hub's point and code and on the municipality
/// polygons; a shape's projection on the shape. Each query fingerprints those (every hub's
/// point and code; every municipality's and designated part's code, polygon and area) and
/// drops what was kept under another fingerprint: other hubs, other data. clear() drops it all
/// explicitly. What is kept is what a query without a cache computes, so the figures are the
/// same to the last digit with or without one, whatever it holds.
/// One query at a time: a cache is not shared between threads.
class CoverageCache {
public:
    CoverageCache();
    ~CoverageCache();
    CoverageCache(const CoverageCache&) = delete;
    CoverageCache& operator=(const CoverageCache&) = delete;

    /// Where each of `hubs` (indices into data.hubs, each with a point) lies, in that order:
    /// kept placements, the others placed now on `threads` threads (0: all cores).
    std::vector<MunicipalityHit> place(const Dataset& data, const std::vector<int>& hubs, int threads,
                                       Progress& progress);
    /// Drops every kept placement, projection and prepared part.
    void clear();
    /// Hubs placed (not reused) since the cache was made: for tests and benchmarks.
    std::size_t placedCount() const { return placedCount_; }
    /// Times kept placements were dropped because the hubs or the data changed.
    std::size_t dropCount() const { return dropCount_; }
    /// Projects ahead the shapes earlier queries measured (also those without a radius) and
    /// not yet projected, so that the next radius query finds them ready; asks `stop` before
    /// each and returns false when it said to stop. For an idle moment of the query's thread.
    bool projectShapes(const Dataset& data, const std::function<bool()>& stop);
    /// Shapes projected now (for tests): those whose projection is kept.
    std::size_t projectedShapes() const;
    /// Times kept projections were dropped because the municipalities or parts changed.
    std::size_t shapeDropCount() const { return shapeDropCount_; }

    struct Shapes;  ///< the kept projections and prepared parts (analysis/coverage.cpp)
    /// For computeCoverage, after place(): the kept shapes, made valid for `data` (dropped if it
    /// changed).
    Shapes& shapes(const Dataset& data);

private:
    std::uint64_t fingerprint_ = 0;
    std::vector<MunicipalityHit> hits_;  // by index into Dataset::hubs
    std::vector<char> known_;            // by index into Dataset::hubs: hits_ holds its placement
    std::size_t placedCount_ = 0;
    std::size_t dropCount_ = 0;
    std::unique_ptr<Shapes> shapes_;
    std::size_t shapeDropCount_ = 0;
};

/// computeCoverage with what `cache` kept from earlier queries (see CoverageCache): the same
/// result as without, faster when the hubs were placed and the shapes projected before (a
/// query that changes only the radius, the kinds or the date).
CoverageResult computeCoverage(const Dataset& data, const CoverageOptions& options, Progress& progress,
                               CoverageCache& cache);

/// "census_2015_small_areas" or "register_2022_spread" when every municipality of the totals
/// has that method, "mixed" when both occur, "" when none has population figures.
std::string populationMethodOf(const CoverageTotals& t);

/// What a covered share weighs (`--weight`): area, settlements or residents.
enum class ShareWeight { Area, Settlements, Population };
/// "area" / "settlements" / "population".
std::string_view shareWeightKey(ShareWeight w);
/// Parses shareWeightKey's text; nullopt otherwise.
std::optional<ShareWeight> parseShareWeight(std::string_view s);

/// Whether a municipality lacks coverage: with `minShare`, when its share is below it
/// (with a radius the covered share of `weight`; without a radius 1 when it has a hub, else 0);
/// without `minShare`, when no hub lies inside.
bool lacksCoverage(const MunicipalityCoverage& m, std::optional<double> minShare,
                   ShareWeight weight = ShareWeight::Area);
/// Whether a prefecture or the nation lacks coverage: with `minShare`, when its share is
/// below it (with a radius the covered share of `weight`, else the share of designated
/// municipalities with a hub); without, when any designated municipality has no hub.
bool lacksCoverage(const CoverageTotals& t, std::optional<double> minShare, ShareWeight weight = ShareWeight::Area);
/// The share lacksCoverage compares with `minShare`. With a radius, a weight whose figures
/// were not computed (no settlements or population loaded) counts as share 0.
double coverageShare(const MunicipalityCoverage& m, ShareWeight weight = ShareWeight::Area);
double coverageShare(const CoverageTotals& t, ShareWeight weight = ShareWeight::Area);

namespace detail {
/// computeCoverage's roll-up, shared with PlanCoverage: adds a municipality's figures to a
/// prefecture's or the nation's totals, then (finishTotals) computes their shares.
void addToTotals(CoverageTotals& t, const MunicipalityCoverage& m);
void finishTotals(CoverageTotals& t);
/// The rows summed per prefecture (by code, in code order) and, into `nation`, for the
/// nation, in row order; the shares are not yet computed (finishTotals).
std::map<int, PrefectureCoverage> sumByPrefecture(const std::vector<MunicipalityCoverage>& rows,
                                                  CoverageTotals& nation);
}  // namespace detail

}  // namespace hubmap
