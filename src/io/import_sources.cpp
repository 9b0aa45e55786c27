#include "io/import_sources.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <ctime>
#include <map>

#include "core/names.hpp"

namespace hubmap {

namespace {
constexpr const char* kCreate =
    "CREATE TABLE IF NOT EXISTS import_sources (name TEXT PRIMARY KEY, file TEXT NOT NULL, rows INTEGER NOT NULL, "
    "imported_at TEXT NOT NULL)";
}  // namespace

void recordImportSource(Database& db, const std::string& name, const std::string& file, long long rows,
                        const std::string& importedAt) {
    db.exec(kCreate);
    Statement st = db.prepare("INSERT OR REPLACE INTO import_sources(name, file, rows, imported_at) VALUES (?,?,?,?)");
    st.bind(1, name).bind(2, file).bind(3, rows);
    st.bind(4, importedAt.empty() ? fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr))) : importedAt);
    st.run();
}

void forgetImportSource(Database& db, const std::string& name) {
    if (!db.tableExists("import_sources")) return;
    Statement st = db.prepare("DELETE FROM import_sources WHERE name = ?");
    st.bind(1, name);
    st.run();
}

std::vector<ImportSourceInfo> readImportSources(const Database& db) {
    std::map<std::string, ImportSourceInfo> recorded;
    if (db.tableExists("import_sources")) {
        Statement st = db.prepare("SELECT name, file, rows, imported_at FROM import_sources");
        while (st.step()) recorded[st.text(0)] = ImportSourceInfo{st.text(0), st.text(1), st.text(3), st.int64(2)};
    }
    const std::string builtAt =
        db.tableExists("metadata") ? db.scalarText("SELECT value FROM metadata WHERE key = 'built_at'") : "";
    std::vector<ImportSourceInfo> out;
    Statement st = db.prepare("SELECT import_source, COUNT(*) FROM hubs GROUP BY import_source ORDER BY import_source");
    while (st.step()) {
        ImportSourceInfo info{st.text(0), {}, {}, st.int64(1)};
        if (auto it = recorded.find(info.name); it != recorded.end()) {
            info.file = it->second.file;
            info.importedAt = it->second.importedAt;
        } else if (startsWith(info.name, "builtin:")) {
            info.file = "geodata/hubs/" + info.name.substr(8);
            info.importedAt = builtAt;
        }
        out.push_back(std::move(info));
    }
    return out;
}

}  // namespace hubmap
