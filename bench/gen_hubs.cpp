// gen_hubs: N synthetic hubs on land, for the scale benchmarks of the coverage query.
//
//   gen_hubs --db SRC.sqlite --out DST.sqlite --n 100000 --seed 1 [--kind synthetic] [--csv FILE]
//
// Copies the hubmap database SRC to DST and inserts N hubs uniformly distributed per km² of
// Japan's land (the municipality polygons, northern territories excluded). The same seed gives
// the same hubs on any platform. --csv writes the same hubs as CSV through GDAL (the curated
// layout of `hubmap hubs --format csv`: id, kind, name, …, lat, lon, …), for `hubmap import`
// benchmarks and other tools.
//
// Sampling: a polygon part of a municipality is chosen with probability proportional to its
// geodesic area, then a point is rejection-sampled uniform on the ellipsoid inside the part's
// bounding box and kept when the prepared polygon contains it.

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <clocale>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "app/front_end.hpp"
#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/geos.hpp"
#include "core/model.hpp"
#include "io/hubs.hpp"
#include "io/paths.hpp"
#include "io/spatialite.hpp"
#include "io/staged_output.hpp"
#include "io/store.hpp"

namespace fs = std::filesystem;
using namespace hubmap;

namespace {

struct GenOptions {
    std::string sourceDb;
    std::string outDb;  ///< "" = no database output
    std::string csv;    ///< "" = no CSV output
    std::string kind = "synthetic";
    long long count = 100000;
    std::uint64_t seed = 1;
};

/// Uniform doubles in [0, 1) from mt19937_64. The engine's output is fixed by the C++ standard
/// (std::uniform_real_distribution is not), so a seed gives the same hubs with any library.
class UniformSource {
public:
    explicit UniformSource(std::uint64_t seed) : engine_(seed) {}
    double operator()() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }

private:
    std::mt19937_64 engine_;
};

/// One polygon of a municipality's MultiPolygon, with what sampling inside it needs.
struct LandPart {
    const Municipality* municipality = nullptr;
    const GEOSGeometry* polygon = nullptr;  ///< owned by the municipality's geometry
    Bounds box;
    double sinLatMin = 0, sinLatMax = 0;
    double maxAreaWeight = 1;  ///< areaWeight() at the box latitude farthest from the equator
    PreparedPtr prepared;      ///< built on first use
};

struct SyntheticHub {
    const Municipality* municipality = nullptr;
    double lon = 0, lat = 0;
};

// GRS80 first eccentricity squared (JGD2011, as hubmap::Geodesic).
constexpr double kGrs80F = 1.0 / 298.257222101;
constexpr double kGrs80E2 = kGrs80F * (2 - kGrs80F);
constexpr double kPi = 3.14159265358979323846;
constexpr double kDegree = kPi / 180;

/// Relative ellipsoid area per unit of sin(lat) and lon: dA ∝ cos(lat)·(1 − e² sin²lat)⁻² dlat dlon.
/// With sin(lat) drawn uniformly (the spherical part), accepting with probability
/// areaWeight/maxAreaWeight makes the points exactly uniform per km² on the ellipsoid.
double areaWeight(double sinLat) {
    const double d = 1 - kGrs80E2 * sinLat * sinLat;
    return 1 / (d * d);
}

/// Coordinates are rounded to 1e-7° (about 1 cm) so that the database and the CSV (whose
/// coordinates writeHubsCsv writes with 7 decimals) hold exactly the same points.
double quantise(double degrees) { return std::round(degrees * 1e7) / 1e7; }

std::vector<LandPart> landParts(const Dataset& data) {
    const GeosContext& ctx = *data.ctx;
    std::vector<LandPart> parts;
    for (const Municipality& m : data.municipalities) {
        if (m.northernTerritories) continue;  // not administered: no hubs there
        const int n = GEOSGetNumGeometries_r(ctx, m.geom.get());
        for (int i = 0; i < n; ++i) {
            LandPart p;
            p.municipality = &m;
            p.polygon = GEOSGetGeometryN_r(ctx, m.geom.get(), i);
            p.box = bounds(ctx, p.polygon);
            if (p.box.empty) continue;
            p.sinLatMin = std::sin(p.box.miny * kDegree);
            p.sinLatMax = std::sin(p.box.maxy * kDegree);
            p.maxAreaWeight = std::max(areaWeight(p.sinLatMin), areaWeight(p.sinLatMax));
            parts.push_back(std::move(p));
        }
    }
    return parts;
}

/// Draws the hubs; `draws` counts the candidate points tried (for the summary).
std::vector<SyntheticHub> generateHubs(const Dataset& data, const GenOptions& options, long long& draws) {
    const GeosContext& ctx = *data.ctx;
    const Geodesic geodesic;
    std::vector<LandPart> parts = landParts(data);
    if (parts.empty()) throw Error(ErrorContext{options.sourceDb, "municipalities", -1, -1}, "no land polygons");
    std::vector<double> cumulativeKm2;
    cumulativeKm2.reserve(parts.size());
    double total = 0;
    for (const LandPart& p : parts) {
        total += geodesic.areaKm2(ctx, p.polygon);
        cumulativeKm2.push_back(total);
    }

    UniformSource uniform(options.seed);
    std::vector<SyntheticHub> hubs;
    hubs.reserve(static_cast<size_t>(options.count));
    draws = 0;
    while (static_cast<long long>(hubs.size()) < options.count) {
        // The part whose slice of the cumulative area the uniform draw falls in.
        const auto slice = std::upper_bound(cumulativeKm2.begin(), cumulativeKm2.end(), uniform() * total);
        LandPart& part = parts[std::min(parts.size() - 1, static_cast<size_t>(slice - cumulativeKm2.begin()))];
        if (!part.prepared) part.prepared = prepare(ctx, part.polygon);
        for (;;) {
            ++draws;
            const double lon = part.box.minx + uniform() * (part.box.maxx - part.box.minx);
            const double sinLat = part.sinLatMin + uniform() * (part.sinLatMax - part.sinLatMin);
            if (uniform() * part.maxAreaWeight > areaWeight(sinLat)) continue;
            SyntheticHub h{part.municipality, quantise(lon), quantise(std::asin(sinLat) / kDegree)};
            GeomPtr point = makePoint(ctx, h.lon, h.lat);
            const char inside = GEOSPreparedContains_r(ctx, part.prepared.get(), point.get());
            if (inside == 2) throw Error("GEOS point-in-polygon failed: " + ctx.lastError());
            if (inside == 1) {
                hubs.push_back(h);
                break;
            }
        }
    }
    return hubs;
}

/// The synthetic hubs as hub records: exact points, each with the municipality it was drawn in.
std::vector<Hub> toHubs(const GenOptions& o, const std::vector<SyntheticHub>& drawn) {
    std::vector<Hub> hubs;
    hubs.reserve(drawn.size());
    const std::string importSource = fmt::format("synthetic:seed={}", o.seed);
    for (size_t i = 0; i < drawn.size(); ++i) {
        Hub h;
        h.id = fmt::format("{}-{}-{:07}", o.kind, o.seed, i + 1);
        h.kind = o.kind;
        h.name = fmt::format("{} hub {} (seed {})", o.kind, i + 1, o.seed);
        h.prefecture = drawn[i].municipality->prefecture;
        h.municipality = drawn[i].municipality->name;
        h.code = drawn[i].municipality->code;
        h.lon = drawn[i].lon;
        h.lat = drawn[i].lat;
        h.precision = "exact";
        h.source = "bench/gen_hubs";
        h.note = "synthetic: uniform per km² of land, not a real hub";
        h.importSource = importSource;
        hubs.push_back(std::move(h));
    }
    return hubs;
}

/// Writes a copy of the source database with the hubs added to `path`.
void writeDatabase(const GenOptions& o, const std::vector<Hub>& hubs, const std::string& path) {
    fs::copy_file(o.sourceDb, path, fs::copy_options::overwrite_existing);
    Database db(path, Database::Mode::ReadWrite);
    // The file only replaces DST when complete, so the journal buys nothing.
    db.exec("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-200000;");
    Transaction tx(db);
    // Filling the R*Tree row by row through SpatiaLite's triggers costs more than the inserts:
    // detach the index, insert, and let CreateSpatialIndex rebuild it in one pass.
    db.exec("SELECT DisableSpatialIndex('hubs', 'geom'); DROP TABLE IF EXISTS idx_hubs_geom;");
    insertHubs(db, hubs);
    db.exec("SELECT CreateSpatialIndex('hubs', 'geom')");
    db.prepare("INSERT INTO sources (name, vintage, file, rows, credit) VALUES (?, ?, 'bench/gen_hubs', ?, ?)")
        .bind(1, fmt::format("synthetic hubs, kind {}", o.kind))
        .bind(2, hubs.front().importSource)
        .bind(3, static_cast<long long>(hubs.size()))
        .bind(4, "generated by bench/gen_hubs: not real hubs")
        .run();
    tx.commit();
}

void checkOptions(const GenOptions& o) {
    if (o.outDb.empty() && o.csv.empty()) throw UsageError("nothing to write: give --out and/or --csv");
    if (o.count < 1) throw UsageError(fmt::format("--n must be at least 1 (got {})", o.count));
    if (o.kind.empty()) throw UsageError("--kind must not be empty");
    if (!fs::is_regular_file(o.sourceDb)) {
        throw Error(ErrorContext{o.sourceDb, {}, -1, -1}, "no database here (build one with: hubmap init --db PATH)");
    }
    // The source database is copied, not changed; and neither output may land on the other.
    refuseOutputOver(o.outDb, "--out", {{o.sourceDb, "the source database (--db)"}, {o.csv, "the --csv output"}});
    refuseOutputOver(o.csv, "--csv", {{o.sourceDb, "the source database (--db)"}});
    requireFileOutput(o.outDb, "--out");
    requireFileOutput(o.csv, "--csv");
}

}  // namespace

int main(int argc, char** argv) {
    std::setlocale(LC_ALL, "C");
    GenOptions o;
    CLI::App app{"gen_hubs: synthetic hubs uniform per km² of land, for hubmap's scale benchmarks"};
    app.add_option("--db", o.sourceDb, "hubmap database to copy (built by hubmap init)")->required();
    app.add_option("--out", o.outDb, "database to write: a copy of --db with the synthetic hubs added");
    app.add_option("--csv", o.csv, "also write the hubs as CSV (hubmap's hub layout: id, kind, name, …, lat, lon)");
    app.add_option("--n", o.count, "number of hubs")->capture_default_str();
    app.add_option("--seed", o.seed, "random seed (same seed, same hubs)")->capture_default_str();
    app.add_option("--kind", o.kind, "hub kind to give them")->capture_default_str();
    return app::runFrontEnd("gen_hubs", app, argc, argv, [&]() -> int {
        checkOptions(o);
        StagedOutput::removeOnSignals();
        const auto start = std::chrono::steady_clock::now();
        auto seconds = [&start] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        };
        LoadOptions load;
        load.settlements = false;
        load.hubs = false;
        load.population = false;  // only the municipalities are sampled
        load.prefectureGeometry = false;
        const Dataset data = loadDataset(o.sourceDb, load);
        const double loaded = seconds();
        long long draws = 0;
        const std::vector<Hub> hubs = toHubs(o, generateHubs(data, o, draws));
        const double generated = seconds();
        // Both outputs are finished before either replaces its target: a failure leaves both as they were.
        std::optional<StagedOutput> db, csv;
        if (!o.outDb.empty()) writeDatabase(o, hubs, db.emplace(o.outDb).path().string());
        const double written = seconds();
        if (!o.csv.empty()) writeHubsCsv(hubs, csv.emplace(o.csv).path().string());
        if (db) db->commit(Replace::Always);
        if (csv) csv->commit(Replace::Always);
        fmt::print(stderr,
                   "gen_hubs: {} hubs of kind {} (seed {}, {} candidate points) in {:.2f} s "
                   "(load {:.2f}, sample {:.2f}, database {:.2f}, csv {:.2f})\n",
                   hubs.size(), o.kind, o.seed, draws, seconds(), loaded, generated - loaded, written - generated,
                   seconds() - written);
        return 0;
    });
}
