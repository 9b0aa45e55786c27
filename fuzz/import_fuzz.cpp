// Fuzz target: the import path (readHubSource, then insertHubs in a transaction that is rolled
// back, then the hubs CSV writer) on one CSV or GeoJSON file. HUBMAP_FUZZ_EXTENSION (csv or
// geojson) is the extension the input is written with, which picks GDAL's driver.
//
// The database is HUBMAP_FUZZ_DB (the test suite's import_base.sqlite: the national database
// with 高知県's gazetteer), copied once per process into a temporary folder.
//
// Only hubmap's own errors (Error, UsageError: a clear message for a bad file) are expected;
// anything else, a crash or a sanitizer report is a finding.

#include <cpl_vsi.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "io/geocode.hpp"
#include "io/hubs.hpp"
#include "io/import.hpp"
#include "io/spatialite.hpp"

namespace fs = std::filesystem;
using namespace hubmap;

namespace {

struct Fixture {
    fs::path dir;
    std::unique_ptr<Database> db;
    std::unique_ptr<Geocoder> geocoder;

    Fixture() {
        const char* source = std::getenv("HUBMAP_FUZZ_DB");
        if (!source || !fs::exists(source)) {
            std::fprintf(stderr, "HUBMAP_FUZZ_DB must name a hubmap database (build/test-data/import_base.sqlite)\n");
            std::abort();
        }
        std::string pattern = (fs::temp_directory_path() / "hubmap-fuzz-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) std::abort();
        dir = pattern;
        fs::copy_file(source, dir / "fuzz.sqlite");
        db = std::make_unique<Database>((dir / "fuzz.sqlite").string(), Database::Mode::ReadWrite);
        geocoder = std::make_unique<Geocoder>(*db);
    }
    ~Fixture() {
        geocoder.reset();
        db.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

Fixture& fixture() {
    static Fixture f;
    return f;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    fixture();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    Fixture& f = fixture();
    const fs::path input = f.dir / ("input." HUBMAP_FUZZ_EXTENSION);
    {
        std::ofstream out(input, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    ImportOptions options;
    options.file = input.string();
    options.kind = "fuzz";
    options.sourceName = "fuzz";
    options.skipInvalid = true;
    Progress progress;
    try {
        HubBatch batch = readHubSource(*f.db, *f.geocoder, options, progress);
        {
            Transaction t(*f.db, Transaction::Kind::Write);
            insertHubs(*f.db, batch.hubs);
            // No commit: the database stays as it was for the next input.
        }
        writeHubsCsv(batch.hubs, "/vsimem/fuzz_hubs.csv");
        VSIUnlink("/vsimem/fuzz_hubs.csv");
    } catch (const Error&) {
    } catch (const UsageError&) {
    }
    return 0;
}
