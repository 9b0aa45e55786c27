// Benchmarks of `hubmap export` (issue 5). Targets on the 2-core reference machine:
// the whole export (load the database, run the query with a 10 km radius and the
// geometry products, write the GeoPackage) under 3 s on the embedded data, and under
// 10 s with 100,000 synthetic hubs.
//
//   build/bench/bench_export [--benchmark_filter=...]
// Builds its databases once in $TMPDIR (default /tmp): the embedded data with `hubmap init`'s
// library call, then a copy with 100,000 synthetic hubs made by gen_hubs (seed 1). Set
// HUBMAP_BENCH_DB / HUBMAP_BENCH_DB_100K to use existing ones.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "analysis/catchment.hpp"
#include "analysis/coverage.hpp"
#include "analysis/disk_union.hpp"
#include "bench_db.hpp"
#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/paths.hpp"
#include "io/init.hpp"
#include "io/store.hpp"
#include "report/export.hpp"

namespace fs = std::filesystem;
using namespace hubmap;

namespace {

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

std::string outPath(const std::string& name) { return (fs::temp_directory_path() / name).string(); }

/// Load + query + write, as `hubmap export --radius-km 10` does in-process.
void wholeExport(benchmark::State& state, const std::string& db, const std::string& out) {
    Progress progress;
    double load = 0, query = 0, write = 0;
    for (auto _ : state) {
        auto t = std::chrono::steady_clock::now();
        const Dataset data = loadDataset(db);
        load += seconds(t);
        t = std::chrono::steady_clock::now();
        CoverageOptions options;
        options.radiusKm = 10;
        options.keepGeometry = true;
        const CoverageResult result = computeCoverage(data, options, progress);
        query += seconds(t);
        t = std::chrono::steady_clock::now();
        ExportOptions target;
        target.outPath = out;
        target.overwrite = true;
        const ExportReport report = exportCoverage(data, result, target, progress);
        write += seconds(t);
        state.counters["hubs"] = static_cast<double>(result.hubsUsed.size());
        state.counters["MB"] = static_cast<double>(fs::file_size(out)) / 1e6;
    }
    const double n = static_cast<double>(state.iterations());
    state.counters["load_s"] = load / n;
    state.counters["query_s"] = query / n;
    state.counters["write_s"] = write / n;
}

void BM_WholeExportEmbedded(benchmark::State& state) {
    wholeExport(state, bench::sharedEmbeddedDb(), outPath("hubmap-bench-export.gpkg"));
}
BENCHMARK(BM_WholeExportEmbedded)->Unit(benchmark::kMillisecond)->Iterations(5)->UseRealTime();

void BM_WholeExport100kHubs(benchmark::State& state) {
    wholeExport(state, bench::sharedSyntheticDb(), outPath("hubmap-bench-export-100k.gpkg"));
}
BENCHMARK(BM_WholeExport100kHubs)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

/// The catchments layer alone: the 100,000 synthetic hubs' 10 km disks dissolved (one
/// kind), with how many disks the covered-cell grid left out of the GEOS union.
void BM_UnionOfDisks100kHubs(benchmark::State& state) {
    static const Dataset data = loadDataset(bench::sharedSyntheticDb());
    std::vector<std::pair<double, double>> centres;
    for (const Hub& h : data.hubs) {
        if (h.kind == "synthetic" && h.lon && h.lat) centres.emplace_back(*h.lon, *h.lat);
    }
    const Geodesic geodesic;
    Progress progress;
    detail::DiskUnionStats stats;
    for (auto _ : state) {
        const detail::DiskShapeTable shapes(geodesic, 10000.0, detail::kDisplayDiskVertices, centres);
        benchmark::DoNotOptimize(detail::unionOfDisks(*data.ctx, shapes, 10000.0, centres, 0, progress, &stats));
    }
    state.counters["disks"] = static_cast<double>(stats.disks);
    state.counters["unioned"] = static_cast<double>(stats.unioned);
    state.counters["cell_rects"] = static_cast<double>(stats.cellRectangles);
}
BENCHMARK(BM_UnionOfDisks100kHubs)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

/// Writing alone, per format, on the embedded data's result.
void BM_WriteOnly(benchmark::State& state) {
    static const Dataset data = loadDataset(bench::sharedEmbeddedDb());
    static const CoverageResult result = [] {
        Progress progress;
        CoverageOptions options;
        options.radiusKm = 10;
        options.keepGeometry = true;
        return computeCoverage(data, options, progress);
    }();
    const std::string format = exportFormats().at(static_cast<size_t>(state.range(0)));
    state.SetLabel(format);
    Progress progress;
    ExportOptions target;
    target.format = format;
    target.outPath =
        outPath(format == "GPKG" ? "hubmap-bench-write.gpkg" : "hubmap-bench-write-" + std::to_string(state.range(0)));
    target.overwrite = true;
    for (auto _ : state) benchmark::DoNotOptimize(exportCoverage(data, result, target, progress).layers);
}
BENCHMARK(BM_WriteOnly)->DenseRange(0, 3)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
