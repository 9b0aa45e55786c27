// Benchmarks of the foundation (issue 2): building the database from geodata/ and
// loading it back.  Targets on the 2-core reference machine: init < 15 s wall,
// open + load all municipalities < 0.5 s.
//
//   build/bench/bench_init [--benchmark_filter=...]
// Uses a scratch database in $TMPDIR (default /tmp).

#include <benchmark/benchmark.h>

#include <filesystem>

#include "bench_db.hpp"
#include "core/paths.hpp"
#include "io/init.hpp"
#include "io/store.hpp"

namespace fs = std::filesystem;
using namespace hubmap;

namespace {

std::string scratchDb() { return (fs::temp_directory_path() / "hubmap-bench-init.sqlite").string(); }

InitOptions rebuildOptions() {
    InitOptions o;
    o.dbPath = scratchDb();
    o.geodataDir = defaultGeodataDir();
    o.force = true;
    return o;
}

void buildOnce() { bench::nationalDb(fs::path(scratchDb()).filename().string()); }

void BM_InitFromScratch(benchmark::State& state) {
    Progress progress;
    for (auto _ : state) {
        InitReport r = initDatabase(rebuildOptions(), progress);
        benchmark::DoNotOptimize(r.tableRows);
    }
}
BENCHMARK(BM_InitFromScratch)->Unit(benchmark::kSecond)->Iterations(3)->UseRealTime();

void BM_OpenAndLoadMunicipalities(benchmark::State& state) {
    buildOnce();
    LoadOptions options;
    options.settlements = false;
    options.hubs = false;
    options.prefectureGeometry = false;
    for (auto _ : state) {
        Dataset ds = loadDataset(scratchDb(), options);
        benchmark::DoNotOptimize(ds.municipalities.data());
        state.counters["municipalities"] = static_cast<double>(ds.municipalities.size());
    }
}
BENCHMARK(BM_OpenAndLoadMunicipalities)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_OpenAndLoadEverything(benchmark::State& state) {
    buildOnce();
    for (auto _ : state) {
        Dataset ds = loadDataset(scratchDb());
        benchmark::DoNotOptimize(ds.settlements.data());
    }
}
BENCHMARK(BM_OpenAndLoadEverything)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
