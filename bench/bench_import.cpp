// Benchmarks of issue 3: `hubmap import` of 100,000 points from a CSV with lon/lat columns
// (target < 3 s) and geocoding 10,000 address rows (target < 2 s), on the national database.
//
//   build/bench/bench_import [--benchmark_filter=...]
//
// The database is $HUBMAP_BENCH_DB when set, else one built once in $TMPDIR from geodata/.
// Inputs are real places: gazetteer points (settlements) drawn with a fixed seed. Each import
// iteration starts from a fresh copy of the database (copying is not timed).

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <random>

#include "bench_db.hpp"
#include "core/paths.hpp"
#include "io/geocode.hpp"
#include "io/hubs.hpp"
#include "io/import.hpp"
#include "io/init.hpp"
#include "io/spatialite.hpp"

namespace fs = std::filesystem;
using namespace hubmap;

namespace {

fs::path scratch() {
    const fs::path dir = fs::temp_directory_path() / "hubmap-bench-import";
    fs::create_directories(dir);
    return dir;
}

std::string nationalDb() { return bench::nationalDb(); }

struct Place {
    std::string prefecture, municipality, town;
    double lon = 0, lat = 0;
};

/// `n` gazetteer entries drawn with a fixed seed (with repetition when n exceeds the table).
std::vector<Place> samplePlaces(size_t n) {
    Database db(nationalDb(), Database::Mode::ReadOnly);
    std::vector<Place> all;
    Statement st =
        db.prepare("SELECT prefecture, municipality, town, lon, lat FROM settlements WHERE code IS NOT NULL");
    while (st.step()) all.push_back(Place{st.text(0), st.text(1), st.text(2), st.real(3), st.real(4)});
    std::mt19937_64 engine(20240401);
    std::vector<Place> out;
    out.reserve(n);
    for (size_t i = 0; i < n; ++i) out.push_back(all[engine() % all.size()]);
    return out;
}

/// A CSV of `n` hubs written by GDAL: with lat/lon columns, or with address columns only.
std::string writeCsv(size_t n, bool withCoordinates) {
    const std::string path =
        (scratch() / (withCoordinates ? "points_" : "addresses_")).string() + std::to_string(n) + ".csv";
    if (fs::exists(path)) return path;
    std::vector<Hub> hubs;
    size_t i = 0;
    for (const Place& p : samplePlaces(n)) {
        Hub h;
        h.id = std::to_string(++i);
        h.kind = "bench";
        h.name = p.town;
        h.prefecture = p.prefecture;
        h.municipality = p.municipality;
        h.editDetails().district = p.town;
        if (withCoordinates) {
            h.lon = p.lon;
            h.lat = p.lat;
        }
        h.precision = withCoordinates ? "exact" : "";
        hubs.push_back(std::move(h));
    }
    writeHubsCsv(hubs, path);
    return path;
}

void importBenchmark(benchmark::State& state, bool withCoordinates) {
    const size_t n = static_cast<size_t>(state.range(0));
    const std::string csv = writeCsv(n, withCoordinates);
    const std::string source = nationalDb();
    const std::string db = (scratch() / "import-target.sqlite").string();
    ImportReport report;
    for (auto _ : state) {
        state.PauseTiming();
        fs::copy_file(source, db, fs::copy_options::overwrite_existing);
        state.ResumeTiming();
        Progress progress;
        ImportOptions options;
        options.file = csv;
        options.kind = "bench";
        report = importHubs(db, options, progress);
    }
    state.counters["rows"] = static_cast<double>(report.imported);
    for (const auto& [precision, rows] : report.byPrecision) state.counters[precision] = static_cast<double>(rows);
    fs::remove(db);
}

void BM_ImportCsvLonLat(benchmark::State& state) { importBenchmark(state, true); }
BENCHMARK(BM_ImportCsvLonLat)->Arg(100000)->Unit(benchmark::kSecond)->Iterations(3)->UseRealTime();

void BM_ImportCsvAddresses(benchmark::State& state) { importBenchmark(state, false); }
BENCHMARK(BM_ImportCsvAddresses)->Arg(10000)->Unit(benchmark::kSecond)->Iterations(3)->UseRealTime();

// The geocoder alone on 10,000 addresses, including its lazy loading of polygons and gazetteer.
void BM_Geocode(benchmark::State& state) {
    const std::vector<Place> places = samplePlaces(static_cast<size_t>(state.range(0)));
    Database db(nationalDb(), Database::Mode::ReadOnly);
    std::map<std::string, long long> precision;
    for (auto _ : state) {
        precision.clear();
        Geocoder geocoder(db);
        for (const Place& p : places) {
            const GeocodeResult r = geocoder.geocode(Address{p.prefecture, p.municipality, p.town, {}, {}});
            ++precision[r.ok() ? std::string(precisionKey(r.precision)) : "failed"];
        }
    }
    for (const auto& [key, rows] : precision) state.counters[key] = static_cast<double>(rows);
}
BENCHMARK(BM_Geocode)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

// The same 10,000 places written as one address cell each (住所: 県 + 市町村 + 大字 + 番地),
// split by parseAddress and geocoded. Target: under 2 s.
void BM_GeocodeAddressColumn(benchmark::State& state) {
    const std::vector<Place> places = samplePlaces(static_cast<size_t>(state.range(0)));
    std::vector<std::string> cells;
    for (size_t i = 0; i < places.size(); ++i) {
        const Place& p = places[i];
        // Every other cell without its prefecture; full-width lot numbers on every third.
        cells.push_back((i % 2 ? std::string() : p.prefecture) + p.municipality + p.town +
                        (i % 3 ? std::to_string(100 + i % 900) + "番地" : "１２３－４"));
    }
    Database db(nationalDb(), Database::Mode::ReadOnly);
    std::map<std::string, long long> precision;
    for (auto _ : state) {
        precision.clear();
        Geocoder geocoder(db);
        for (const std::string& cell : cells) {
            const GeocodeResult r = geocoder.geocode(Address{{}, {}, {}, {}, cell});
            ++precision[r.ok() ? std::string(precisionKey(r.precision)) : "failed"];
        }
    }
    for (const auto& [key, rows] : precision) state.counters[key] = static_cast<double>(rows);
}
BENCHMARK(BM_GeocodeAddressColumn)->Arg(10000)->Unit(benchmark::kMillisecond)->Iterations(3)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
