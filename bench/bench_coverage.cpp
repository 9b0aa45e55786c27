// Benchmarks of the coverage query (issue "Coverage queries"), through the library.
//
//   build/bench/bench_coverage [benchmark flags] [DB [SYNTHETIC_DB]]
//
// DB (or $HUBMAP_BENCH_DB; default: one built once in the temp folder) is a national database: the
// "embedded" cases use its hubs except kind `synthetic`. SYNTHETIC_DB (or
// $HUBMAP_BENCH_SYNTH_DB, or DB itself when it has them) is a copy with hubs of kind
// `synthetic` written by bench/gen_hubs (e.g. 100,000): the scale cases use those.
// Targets (2-core machine): embedded, every designated municipality, R = 10 km — the whole
// CLI run under 1 s; 100,000 synthetic hubs, R = 5 km — under 3 s with both cores. The
// whole-CLI figures (process start to exit) come from bench/bench_coverage_cli.sh.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "bench_db.hpp"
#include "io/store.hpp"

using namespace hubmap;

namespace {

std::string gDb, gSyntheticDb;

LoadOptions loadOptions(bool settlements) {
    LoadOptions o;
    o.settlements = settlements;
    o.prefectureGeometry = false;
    return o;
}

/// Every kind in the database except `synthetic`.
std::vector<std::string> embeddedKinds(const Dataset& data) {
    std::vector<std::string> kinds;
    for (const auto& k : hubKinds(data)) {
        if (k != "synthetic") kinds.push_back(k);
    }
    return kinds;
}

void report(benchmark::State& state, const CoverageResult& r) {
    state.counters["municipalities"] = static_cast<double>(r.municipalities.size());
    state.counters["hubs"] = static_cast<double>(r.hubsUsed.size());
    state.counters["covered"] = r.nation.covered;
    if (r.nation.coveredShare) state.counters["area_share"] = *r.nation.coveredShare;
    if (r.nation.populationShare) state.counters["population_share"] = *r.nation.populationShare;
}

/// Runs the query once per iteration.
void query(benchmark::State& state, const Dataset& data, const CoverageOptions& o) {
    Progress progress;
    for (auto _ : state) {
        CoverageResult r = computeCoverage(data, o, progress);
        report(state, r);
    }
}

// Loading what a query without a radius needs (no settlements, no prefecture polygons).
void BM_LoadWithoutSettlements(benchmark::State& state) {
    for (auto _ : state) {
        Dataset d = loadDataset(gDb, loadOptions(false));
        benchmark::DoNotOptimize(d.municipalities.data());
    }
}

// What the 260k population points (always loaded by the CLI) add to a load.
void BM_LoadWithoutPopulation(benchmark::State& state) {
    LoadOptions o = loadOptions(false);
    o.population = false;
    for (auto _ : state) {
        Dataset d = loadDataset(gDb, o);
        benchmark::DoNotOptimize(d.municipalities.data());
    }
}

void BM_LoadWithSettlements(benchmark::State& state) {
    for (auto _ : state) {
        Dataset d = loadDataset(gDb, loadOptions(true));
        benchmark::DoNotOptimize(d.settlements.data());
    }
}

// The national query without a radius (presence only).
void BM_NationNoRadius(benchmark::State& state) {
    const Dataset data = loadDataset(gDb, loadOptions(false));
    CoverageOptions o;
    o.kinds = embeddedKinds(data);
    query(state, data, o);
}

// Every designated municipality, the embedded hubs, R = 10 km; threads = state.range(0) (0: all cores).
void BM_NationRadius10(benchmark::State& state) {
    const Dataset data = loadDataset(gDb, loadOptions(true));
    CoverageOptions o;
    o.kinds = embeddedKinds(data);
    o.radiusKm = 10.0;
    o.threads = static_cast<int>(state.range(0));
    query(state, data, o);
}

// The same with the dissolved catchments and uncovered parts (what export and the viewer ask for).
void BM_NationRadius10WithGeometry(benchmark::State& state) {
    const Dataset data = loadDataset(gDb, loadOptions(true));
    CoverageOptions o;
    o.kinds = embeddedKinds(data);
    o.radiusKm = 10.0;
    o.keepGeometry = true;
    query(state, data, o);
}

// Loading the synthetic database (100,000 hub rows and the gazetteer).
void BM_SyntheticLoad(benchmark::State& state) {
    for (auto _ : state) {
        Dataset d = loadDataset(gSyntheticDb, loadOptions(true));
        benchmark::DoNotOptimize(d.hubs.data());
    }
}

// Every designated municipality, the synthetic hubs, R = state.range(1) km; threads = state.range(0).
void BM_SyntheticRadius(benchmark::State& state) {
    static const Dataset* data = new Dataset(loadDataset(gSyntheticDb, loadOptions(true)));
    CoverageOptions o;
    o.kinds = {"synthetic"};
    o.radiusKm = static_cast<double>(state.range(1));
    o.threads = static_cast<int>(state.range(0));
    query(state, *data, o);
}

// A radius change in the viewer: the same query with the hubs already placed and the shapes
// projected (a CoverageCache filled by a query without a radius, then projectShapes, as the
// viewer's query thread does when idle).
void BM_SyntheticRadiusChange(benchmark::State& state) {
    static const Dataset* data = new Dataset(loadDataset(gSyntheticDb, loadOptions(true)));
    CoverageOptions o;
    o.kinds = {"synthetic"};
    o.threads = static_cast<int>(state.range(0));
    CoverageCache placements;
    Progress progress;
    computeCoverage(*data, o, progress, placements);
    placements.projectShapes(*data, [] { return false; });
    o.radiusKm = static_cast<double>(state.range(1));
    for (auto _ : state) {
        CoverageResult r = computeCoverage(*data, o, progress, placements);
        report(state, r);
    }
    state.counters["hubs_placed"] = static_cast<double>(placements.placedCount());
}

// The same with the dissolved catchments and uncovered parts (what `hubmap export` asks for), R = 10 km.
void BM_SyntheticRadius10WithGeometry(benchmark::State& state) {
    static const Dataset* data = new Dataset(loadDataset(gSyntheticDb, loadOptions(true)));
    CoverageOptions o;
    o.kinds = {"synthetic"};
    o.radiusKm = 10.0;
    o.keepGeometry = true;
    query(state, *data, o);
}

// Presence only, the synthetic hubs.
void BM_SyntheticNoRadius(benchmark::State& state) {
    static const Dataset* data = new Dataset(loadDataset(gSyntheticDb, loadOptions(false)));
    CoverageOptions o;
    o.kinds = {"synthetic"};
    query(state, *data, o);
}

bool hasSynthetic(const std::string& db) {
    if (db.empty()) return false;
    LoadOptions o = loadOptions(false);
    const Dataset d = loadDataset(db, o);
    for (const auto& k : hubKinds(d)) {
        if (k == "synthetic") return true;
    }
    return false;
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    const char* envSynth = std::getenv("HUBMAP_BENCH_SYNTH_DB");
    gDb = argc > 1 ? std::string(argv[1]) : bench::nationalDb();
    if (argc > 2) {
        gSyntheticDb = argv[2];
    } else if (envSynth) {
        gSyntheticDb = envSynth;
    } else if (hasSynthetic(gDb)) {
        gSyntheticDb = gDb;
    }

    benchmark::RegisterBenchmark("LoadWithoutSettlements", BM_LoadWithoutSettlements)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("LoadWithoutPopulation", BM_LoadWithoutPopulation)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("LoadWithSettlements", BM_LoadWithSettlements)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("NationNoRadius", BM_NationNoRadius)->Unit(benchmark::kMillisecond);
    benchmark::RegisterBenchmark("NationRadius10", BM_NationRadius10)
        ->ArgName("threads")
        ->Arg(1)
        ->Arg(0)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark("NationRadius10WithGeometry", BM_NationRadius10WithGeometry)
        ->Unit(benchmark::kMillisecond)
        ->UseRealTime();
    if (!gSyntheticDb.empty()) {
        benchmark::RegisterBenchmark("SyntheticLoad", BM_SyntheticLoad)->Unit(benchmark::kMillisecond)->UseRealTime();
        benchmark::RegisterBenchmark("SyntheticNoRadius", BM_SyntheticNoRadius)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
        benchmark::RegisterBenchmark("SyntheticRadius10WithGeometry", BM_SyntheticRadius10WithGeometry)
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime()
            ->Iterations(1);
        benchmark::RegisterBenchmark("SyntheticRadius", BM_SyntheticRadius)
            ->ArgNames({"threads", "km"})
            ->Args({1, 5})
            ->Args({0, 5})
            ->Args({0, 10})
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime()
            ->Iterations(3);
        benchmark::RegisterBenchmark("SyntheticRadiusChange", BM_SyntheticRadiusChange)
            ->ArgNames({"threads", "km"})
            ->Args({1, 5})
            ->Args({0, 5})
            ->Args({0, 10})
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime()
            ->Iterations(3);
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
