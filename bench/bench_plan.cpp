// Benchmarks of the viewer's Plan tab (issue 16): the figures' update as a planned hub is
// dragged (PlanCoverage::move), on the embedded data and with 100,000 synthetic hubs. Targets:
// under 100 ms per update on the embedded data, under 200 ms with 100,000 hubs.
//
//   build/bench/bench_plan [--benchmark_filter=...]
// The query is the viewer's default with a radius: the nation, every kind, R = 10 km, area,
// settlements and people. Each iteration moves one of four planned hubs (高知県 檮原, 北海道
// 富良野, 島根県 邑南, 長野県 松本 area) by about 1 km, as a drag does between frames. Counters:
// p50/p95/max of one update in ms and the rows re-measured. Builds its databases once in
// $TMPDIR as bench_export does (HUBMAP_BENCH_DB / HUBMAP_BENCH_DB_100K to use existing ones).

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "analysis/plan_coverage.hpp"
#include "bench_db.hpp"
#include "core/error.hpp"
#include "io/store.hpp"

using namespace hubmap;

namespace {

double quantile(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

void drag(benchmark::State& state, const std::string& db) {
    const Dataset data = loadDataset(db);
    CoverageOptions query;
    query.radiusKm = 10;
    Progress progress;
    const auto t0 = std::chrono::steady_clock::now();
    PlanCoverage plan(data, query, progress);
    const double buildS = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double starts[4][2] = {{132.93, 33.39}, {142.40, 43.30}, {132.45, 34.90}, {137.90, 36.20}};
    std::vector<int> ids;
    std::vector<double> addMs;
    for (const auto& s : starts) {
        ids.push_back(plan.add(s[0], s[1]));
        addMs.push_back(plan.lastUpdate().seconds * 1000);
    }
    std::vector<double> ms;
    double rows = 0;
    size_t i = 0;
    for (auto _ : state) {
        const PlannedHub& h = *plan.find(ids[i % ids.size()]);
        const double step = (i / ids.size()) % 20 < 10 ? 0.012 : -0.012;  // back and forth, ~1 km
        plan.move(h.id, h.lon + step, h.lat + step / 2);
        ms.push_back(plan.lastUpdate().seconds * 1000);
        rows += plan.lastUpdate().rowsMeasured;
        ++i;
    }
    state.counters["p50_ms"] = quantile(ms, 0.5);
    state.counters["p95_ms"] = quantile(ms, 0.95);
    state.counters["max_ms"] = quantile(ms, 1.0);
    state.counters["rows"] = rows / static_cast<double>(ms.size());
    state.counters["add_ms"] = quantile(addMs, 1.0);
    state.counters["build_s"] = buildS;
    state.counters["hubs"] = static_cast<double>(data.hubs.size());
}

void BM_PlanDragEmbedded(benchmark::State& state) { drag(state, bench::sharedEmbeddedDb()); }
BENCHMARK(BM_PlanDragEmbedded)->Unit(benchmark::kMillisecond)->Iterations(200)->UseRealTime();

void BM_PlanDrag100kHubs(benchmark::State& state) { drag(state, bench::sharedSyntheticDb()); }
BENCHMARK(BM_PlanDrag100kHubs)->Unit(benchmark::kMillisecond)->Iterations(100)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
