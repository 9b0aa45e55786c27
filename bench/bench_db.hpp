#pragma once
// The national database the benchmarks run on: $HUBMAP_BENCH_DB when set, else one
// built once from geodata/ into the temp folder under `name`.

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/paths.hpp"
#include "io/init.hpp"

namespace hubmap::bench {

inline std::string nationalDb(const std::string& name = "hubmap-bench-national.sqlite") {
    if (const char* env = std::getenv("HUBMAP_BENCH_DB"); env && *env) return env;
    const std::string path = (std::filesystem::temp_directory_path() / name).string();
    if (!std::filesystem::exists(path)) {
        InitOptions options;
        options.dbPath = path;
        options.geodataDir = defaultGeodataDir();
        options.force = true;
        Progress progress;
        initDatabase(options, progress);
    }
    return path;
}

}  // namespace hubmap::bench
