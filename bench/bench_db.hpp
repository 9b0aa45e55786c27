#pragma once
// The national database the benchmarks run on: $HUBMAP_BENCH_DB when set, else one
// built once from geodata/ into the temp folder under `name`.

#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/error.hpp"
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

#ifdef HUBMAP_GEN_HUBS
/// A copy of the database at `nationalPath` with 100,000 synthetic hubs (gen_hubs, seed 1), at
/// $HUBMAP_BENCH_DB_100K when set, else in the temp folder; made only when missing.
inline std::string synthetic100kDb(const std::string& nationalPath) {
    const char* env = std::getenv("HUBMAP_BENCH_DB_100K");
    const std::string path =
        env && *env ? std::string(env)
                    : (std::filesystem::temp_directory_path() / "hubmap-bench-export-100k.sqlite").string();
    if (!std::filesystem::exists(path)) {
        const std::string cmd = std::string(HUBMAP_GEN_HUBS) + " --db '" + nationalPath + "' --out '" + path +
                                "' --n 100000 --seed 1 > /dev/null";
        if (std::system(cmd.c_str()) != 0) throw Error("gen_hubs failed: " + cmd);
    }
    return path;
}

/// The database the export and plan benchmarks share (built once, under one name), and its
/// 100,000-hub copy.
inline const std::string& sharedEmbeddedDb() {
    static const std::string path = nationalDb("hubmap-bench-export.sqlite");
    return path;
}
inline const std::string& sharedSyntheticDb() {
    static const std::string path = synthetic100kDb(sharedEmbeddedDb());
    return path;
}
#endif

}  // namespace hubmap::bench
