// A plan's incremental coverage: the rows a planned hub can reach are re-measured with
// computeCoverage's own steps; everything else is kept from the last run.

#include "analysis/plan_coverage.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "analysis/catchment.hpp"
#include "analysis/coverage_reach.hpp"
#include "core/box_tree.hpp"
#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/municipality_index.hpp"
#include "core/proj.hpp"

namespace hubmap {

namespace {

void checkPoint(double lon, double lat) {
    if (!std::isfinite(lon) || !std::isfinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) {
        throw UsageError(fmt::format("a planned hub needs a longitude and latitude in range, not {}, {}", lon, lat));
    }
}

}  // namespace

struct PlanCoverage::Impl {
    const Dataset& data;
    CoverageResult result;
    CoverageTotals nationBefore;
    std::vector<PrefectureCoverage> prefecturesBefore;
    std::vector<PlanRowBefore> rowsBefore;
    std::vector<PlannedHub> hubs;
    int nextId = 1;
    PlanUpdate last;

    // Per row (result.municipalities): what is measured, the designated part (or null), the
    // points counted there, the box they all lie in, and the existing hubs present.
    std::vector<const GEOSGeometry*> measured;
    std::vector<const GEOSGeometry*> partOf;
    std::vector<std::vector<const Settlement*>> settlementsIn;
    std::vector<std::vector<const PopulationPoint*>> populationIn;
    std::vector<Bounds> reachBox;
    std::vector<std::vector<int>> baseHubIndices;
    std::vector<int> rowOfMunicipality;  // by Dataset::municipalities index, -1 when not in the query
    bool countSettlements = false, countPopulation = false;

    // Existing hubs with a catchment, in computeCoverage's order, and their index.
    std::vector<detail::CatchmentHub> existing;
    double existingMaxKm = 0;
    std::set<std::string> existingKinds;

    // Working state, on the thread that calls the plan (one at a time).
    GeosContext ctx;
    ProjContextPtr proj = makeProjContext();
    Geodesic geodesic;
    MunicipalityShapes shapes;
    std::unique_ptr<MunicipalityIndex> locator;
    std::unique_ptr<BoxTree> existingIndex;
    std::vector<GeomPtr> partClones;
    std::vector<PreparedPtr> partPrepared;
    std::vector<GeomPtr> shapeClones;
    // By row: its projection and projected shape, made once (re-measuring a row after each
    // change of the plan then only places the disks).
    std::vector<detail::KeptShape> keptShapes;
    std::vector<int> plannedRow;           // parallel to hubs: the row each is present in, -1 for none
    std::vector<int> plannedMunicipality;  // parallel to hubs: Dataset::municipalities index, -1 for none

    Impl(const Dataset& d, const CoverageOptions& asked, Progress& progress) : data(d) {
        CoverageOptions o = asked;
        o.keepGeometry = false;
        result = computeCoverage(data, o, progress);
        nationBefore = result.nation;
        prefecturesBefore = result.prefectures;
        const CoverageOptions& opt = result.options;

        const size_t rows = result.municipalities.size();
        rowOfMunicipality.assign(data.municipalities.size(), -1);
        measured.resize(rows);
        partOf.resize(rows);
        settlementsIn.resize(rows);
        populationIn.resize(rows);
        reachBox.resize(rows);
        baseHubIndices.resize(rows);
        partClones.resize(rows);
        partPrepared.resize(rows);
        shapeClones.resize(rows);
        keptShapes.resize(rows);
        countSettlements = opt.settlements && !data.settlements.empty();
        countPopulation = opt.population && !data.population.empty();
        progress.step("preparing the plan");
        for (size_t row = 0; row < rows; ++row) {
            progress.checkCancelled();
            const MunicipalityCoverage& mc = result.municipalities[row];
            const int index = data.municipalityIndex(mc.code);
            rowOfMunicipality[static_cast<size_t>(index)] = static_cast<int>(row);
            const GEOSGeometry* shape = data.municipalities[static_cast<size_t>(index)].geom.get();
            if (mc.measuredOn == MeasuredOn::FormerMunicipalities) {
                shape = partOf[row] = data.designatedPartOf(mc.code)->geom.get();
            }
            measured[row] = shape;
            reachBox[row] = bounds(ctx, shape);
            baseHubIndices[row] = mc.hubIndices;
            rowsBefore.push_back({mc.hubs, mc.coveredKm2, mc.settlementsCovered, mc.populationCovered});
            // The points counted in the row, as computeCoverage selects them (by code, in the part).
            if (countSettlements) {
                Settlement key{mc.code, 0, 0, {}};
                auto range = std::equal_range(data.settlements.begin(), data.settlements.end(), key,
                                              [](const Settlement& a, const Settlement& b) { return a.code < b.code; });
                for (auto s = range.first; s != range.second; ++s) {
                    if (partOf[row] && !partCovers(row, s->lon, s->lat)) continue;
                    settlementsIn[row].push_back(&*s);
                    reachBox[row].expand(s->lon, s->lat);
                }
            }
            if (countPopulation) {
                PopulationPoint key;
                key.code = mc.code;
                auto range = std::equal_range(
                    data.population.begin(), data.population.end(), key,
                    [](const PopulationPoint& a, const PopulationPoint& b) { return a.code < b.code; });
                for (auto p = range.first; p != range.second; ++p) {
                    if (partOf[row] && !partCovers(row, p->lon, p->lat)) continue;
                    populationIn[row].push_back(&*p);
                    reachBox[row].expand(p->lon, p->lat);
                }
            }
        }
        for (int hubIndex : result.hubsUsed) {
            const Hub& h = data.hubs[static_cast<size_t>(hubIndex)];
            const std::optional<double> km = opt.radiusFor(h.kind);
            if (!km || !h.lon || !h.lat) continue;
            existing.push_back({*h.lon, *h.lat, *km * 1000.0, hubIndex});
            existingMaxKm = std::max(existingMaxKm, *km);
        }
        for (const Hub& h : data.hubs) existingKinds.insert(h.kind);
        existingIndex = std::make_unique<BoxTree>(ctx);
        for (size_t i = 0; i < existing.size(); ++i) existingIndex->insertPoint(existing[i].lon, existing[i].lat, i);
        shapes = MunicipalityShapes::of(data);
        locator = std::make_unique<MunicipalityIndex>(ctx, shapes);
    }

    bool partCovers(size_t row, double lon, double lat) {
        if (!partPrepared[row]) {
            partClones[row] = clone(ctx, partOf[row]);
            partPrepared[row] = prepare(ctx, partClones[row].get());
        }
        const GeomPtr point = makePoint(ctx, lon, lat);
        const char r = GEOSPreparedIntersects_r(ctx, partPrepared[row].get(), point.get());
        if (r == 2) throw Error("GEOS point-in-part test failed: " + ctx.lastError());
        return r == 1;
    }

    std::optional<double> radiusKmOf(const PlannedHub& h) const { return result.options.radiusFor(h.kind); }

    double maxRadiusKm() const {
        double km = existingMaxKm;
        for (const PlannedHub& h : hubs) km = std::max(km, radiusKmOf(h).value_or(0.0));
        return km;
    }

    /// The municipality holding a planned hub and the row it is present in (computeCoverage's
    /// presence rule), -1 for none.
    std::pair<int, int> place(const PlannedHub& h) {
        const MunicipalityHit hit = locator->locate(h.lon, h.lat);
        return {hit.municipality, rowOf(hit, h)};
    }
    int rowOf(const MunicipalityHit& hit, const PlannedHub& h) {
        if (!hit.found()) return -1;
        const int row = rowOfMunicipality[static_cast<size_t>(hit.municipality)];
        if (row < 0) return -1;
        if (partOf[static_cast<size_t>(row)] && !partCovers(static_cast<size_t>(row), h.lon, h.lat)) return -1;
        return row;
    }

    /// Rows whose measured shape or points lie within `km` of (lon, lat) (by boxes: a superset).
    void rowsNear(double lon, double lat, double km, std::vector<size_t>& out) const {
        if (km <= 0) return;
        const double dLat = detail::kmToLatDegrees(km);
        for (size_t row = 0; row < reachBox.size(); ++row) {
            const Bounds& b = reachBox[row];
            if (lat < b.miny - dLat || lat > b.maxy + dLat) continue;
            const double maxAbsLat = std::max(std::fabs(b.miny - dLat), std::fabs(b.maxy + dLat));
            const double dLon = detail::kmToLonDegrees(km, maxAbsLat);
            if (lon < b.minx - dLon || lon > b.maxx + dLon) continue;
            out.push_back(row);
        }
    }

    /// The hubs with a catchment within `box`, in the order computeCoverage would list them
    /// (existing by index, then the planned ones in plan order).
    void candidatesIn(const Bounds& box, const std::vector<detail::CatchmentHub>& planned,
                      std::vector<const detail::CatchmentHub*>& out) const {
        out.clear();
        std::vector<size_t> found;
        existingIndex->query(box, found);
        for (size_t i : found) out.push_back(&existing[i]);
        for (const detail::CatchmentHub& h : planned) {
            if (h.lon >= box.minx && h.lon <= box.maxx && h.lat >= box.miny && h.lat <= box.maxy) out.push_back(&h);
        }
    }

    /// Re-measures one row with computeCoverage's measurement (detail::measureReach).
    void measureRow(size_t row, double maxKm, const std::vector<detail::CatchmentHub>& planned) {
        if (!shapeClones[row]) {
            shapeClones[row] = clone(ctx, measured[row]);
            keptShapes[row].lonLatBox = bounds(ctx, shapeClones[row].get());
        }
        const detail::CandidateLookup lookup = [&](const Bounds& box, std::vector<const detail::CatchmentHub*>& out) {
            candidatesIn(box, planned, out);
        };
        detail::measureReach(ctx, proj.get(), geodesic, shapeClones[row].get(), &keptShapes[row], maxKm, lookup,
                             countSettlements ? &settlementsIn[row] : nullptr,
                             countPopulation ? &populationIn[row] : nullptr, false, nullptr,
                             result.municipalities[row]);
    }

    /// Brings the figures up to date after the hubs changed. `touched`: the positions (old
    /// and new) a change concerned, with the radius of the hub there (km, 0 for none).
    void update(const std::vector<std::pair<double, double>>& touched, double maxKmBefore) {
        const auto start = std::chrono::steady_clock::now();
        // Presence: every row back to its existing hubs, then the planned ones where they lie.
        const int firstPlanned = static_cast<int>(data.hubs.size());
        std::vector<char> presenceChanged(result.municipalities.size(), 0);
        for (size_t row = 0; row < result.municipalities.size(); ++row) {
            if (result.municipalities[row].hubIndices.size() != baseHubIndices[row].size()) presenceChanged[row] = 1;
        }
        for (size_t i = 0; i < hubs.size(); ++i) {
            if (plannedRow[i] >= 0) presenceChanged[static_cast<size_t>(plannedRow[i])] = 1;
        }
        for (size_t row = 0; row < presenceChanged.size(); ++row) {
            if (presenceChanged[row]) result.municipalities[row].hubIndices = baseHubIndices[row];
        }
        for (size_t i = 0; i < hubs.size(); ++i) {
            if (plannedRow[i] < 0) continue;
            result.municipalities[static_cast<size_t>(plannedRow[i])].hubIndices.push_back(firstPlanned +
                                                                                           static_cast<int>(i));
        }
        for (size_t row = 0; row < presenceChanged.size(); ++row) {
            if (!presenceChanged[row]) continue;
            MunicipalityCoverage& mc = result.municipalities[row];
            mc.hubs = static_cast<int>(mc.hubIndices.size());
            mc.covered = mc.hubs > 0;
        }

        // Catchments: the rows within reach of a touched position are measured again (every
        // row when the largest radius changed: it widens or narrows every row's candidates).
        int measuredRows = 0;
        if (result.options.hasRadius()) {
            const double maxKm = maxRadiusKm();
            std::vector<detail::CatchmentHub> planned;
            for (size_t i = 0; i < hubs.size(); ++i) {
                if (const std::optional<double> km = radiusKmOf(hubs[i])) {
                    planned.push_back({hubs[i].lon, hubs[i].lat, *km * 1000.0, firstPlanned + static_cast<int>(i)});
                }
            }
            std::vector<size_t> rows;
            if (maxKm != maxKmBefore) {
                for (size_t row = 0; row < result.municipalities.size(); ++row) rows.push_back(row);
            } else {
                for (const auto& [lon, lat] : touched) rowsNear(lon, lat, maxKm, rows);
                std::sort(rows.begin(), rows.end());
                rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
            }
            for (size_t row : rows) {
                if (maxKm > 0) measureRow(row, maxKm, planned);
            }
            measuredRows = static_cast<int>(rows.size());
        }
        rollUp();
        last.rowsMeasured = measuredRows;
        last.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

    /// computeCoverage's roll-up over every row, in row order.
    void rollUp() {
        CoverageTotals nation;
        std::map<int, PrefectureCoverage> byPrefecture = detail::sumByPrefecture(result.municipalities, nation);
        // Hubs without a point (prefecture-only presence) are existing hubs: the plan keeps them.
        nation.prefectureOnlyHubs = nationBefore.prefectureOnlyHubs;
        std::vector<PrefectureCoverage> prefectures;
        for (auto& [code, p] : byPrefecture) {
            for (const PrefectureCoverage& before : prefecturesBefore) {
                if (before.code == code) p.totals.prefectureOnlyHubs = before.totals.prefectureOnlyHubs;
            }
            detail::finishTotals(p.totals);
            prefectures.push_back(std::move(p));
        }
        detail::finishTotals(nation);
        result.prefectures = std::move(prefectures);
        result.nation = std::move(nation);
    }

    size_t position(int id) const {
        for (size_t i = 0; i < hubs.size(); ++i) {
            if (hubs[i].id == id) return i;
        }
        throw UsageError(fmt::format("no planned hub with id {}", id));
    }
};

PlanCoverage::PlanCoverage(const Dataset& data, const CoverageOptions& options, Progress& progress)
    : impl_(std::make_unique<Impl>(data, options, progress)) {}

PlanCoverage::~PlanCoverage() = default;

int PlanCoverage::add(double lon, double lat, const std::string& kind) {
    checkPoint(lon, lat);
    if (kind.empty()) throw UsageError("a planned hub needs a kind");
    Impl& s = *impl_;
    const std::vector<std::string>& kinds = s.result.options.kinds;
    if (!kinds.empty() && !std::binary_search(kinds.begin(), kinds.end(), kind) && s.existingKinds.count(kind) > 0) {
        // Planned hubs always count; the query leaving out the existing ones of this kind
        // would make the plan's figures mean something else.
        throw UsageError(fmt::format("planned hubs of kind '{}': tick '{}' in the query's kinds first", kind, kind));
    }
    const double maxBefore = s.maxRadiusKm();
    PlannedHub h;
    h.id = s.nextId++;
    h.lon = lon;
    h.lat = lat;
    h.kind = kind;
    const auto [municipality, row] = s.place(h);
    s.plannedMunicipality.push_back(municipality);
    s.plannedRow.push_back(row);
    s.hubs.push_back(h);
    s.update({{lon, lat}}, maxBefore);
    return h.id;
}

void PlanCoverage::move(int id, double lon, double lat) {
    checkPoint(lon, lat);
    Impl& s = *impl_;
    const size_t i = s.position(id);
    PlannedHub& h = s.hubs[i];
    const std::pair<double, double> from{h.lon, h.lat};
    h.lon = lon;
    h.lat = lat;
    std::tie(s.plannedMunicipality[i], s.plannedRow[i]) = s.place(h);
    s.update({from, {lon, lat}}, s.maxRadiusKm());
}

void PlanCoverage::remove(int id) {
    Impl& s = *impl_;
    const size_t i = s.position(id);
    const double maxBefore = s.maxRadiusKm();
    const std::pair<double, double> at{s.hubs[i].lon, s.hubs[i].lat};
    // The hubs after it move up one place in the equivalent dataset: their order relative to
    // each other and to the existing hubs (all a row's candidate order depends on) stays.
    s.hubs.erase(s.hubs.begin() + static_cast<std::ptrdiff_t>(i));
    s.plannedRow.erase(s.plannedRow.begin() + static_cast<std::ptrdiff_t>(i));
    s.plannedMunicipality.erase(s.plannedMunicipality.begin() + static_cast<std::ptrdiff_t>(i));
    s.update({at}, maxBefore);
}

void PlanCoverage::clear() {
    Impl& s = *impl_;
    const double maxBefore = s.maxRadiusKm();
    std::vector<std::pair<double, double>> touched;
    for (const PlannedHub& h : s.hubs) touched.emplace_back(h.lon, h.lat);
    s.hubs.clear();
    s.plannedRow.clear();
    s.plannedMunicipality.clear();
    s.update(touched, maxBefore);
}

const std::vector<PlannedHub>& PlanCoverage::hubs() const { return impl_->hubs; }

const PlannedHub* PlanCoverage::find(int id) const {
    for (const PlannedHub& h : impl_->hubs) {
        if (h.id == id) return &h;
    }
    return nullptr;
}

const CoverageResult& PlanCoverage::result() const { return impl_->result; }
const CoverageTotals& PlanCoverage::nationBefore() const { return impl_->nationBefore; }
const std::vector<PrefectureCoverage>& PlanCoverage::prefecturesBefore() const { return impl_->prefecturesBefore; }
const std::vector<PlanRowBefore>& PlanCoverage::rowsBefore() const { return impl_->rowsBefore; }
const CoverageOptions& PlanCoverage::options() const { return impl_->result.options; }
const PlanUpdate& PlanCoverage::lastUpdate() const { return impl_->last; }

std::vector<Hub> PlanCoverage::asHubs(const std::string& sourceName) const {
    const Impl& s = *impl_;
    std::vector<Hub> out;
    for (size_t i = 0; i < s.hubs.size(); ++i) {
        const PlannedHub& p = s.hubs[i];
        Hub h;
        h.id = fmt::format("{}-{}", sourceName, i + 1);
        h.kind = p.kind;
        h.name = fmt::format("planned hub {}", i + 1);
        h.lon = p.lon;
        h.lat = p.lat;
        h.precision = "exact";
        h.source = "hubmap viewer plan";
        if (s.plannedMunicipality[i] >= 0) {
            const Municipality& m = s.data.municipalities[static_cast<size_t>(s.plannedMunicipality[i])];
            h.code = m.code;
            h.prefecture = m.prefecture;
            h.municipality = m.name;
        }
        out.push_back(std::move(h));
    }
    return out;
}

}  // namespace hubmap
