// databaseChecksum (test_util.hpp): kept apart from test_util.cpp so that only the test
// executables that use it need SQLite.

#include <sqlite3.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include "test_util.hpp"

namespace hubmap::test {

namespace {

/// FNV-1a's step on 64-bit words, with a shift that folds the high bits down: a test only has
/// to tell a changed database from an unchanged one. Each step is one-to-one in the hash and in
/// the word, so a single changed word always changes the result. A byte at a time, hashing
/// was 15 % of the import tests' CPU (their databases are checksummed before and after).
class Fnv1a {
public:
    void add(const void* data, size_t size) {
        const auto* p = static_cast<const unsigned char*>(data);
        size_t i = 0;
        for (; i + 8 <= size; i += 8) {
            std::uint64_t word;
            std::memcpy(&word, p + i, sizeof word);
            add(word);
        }
        if (i < size) {
            std::uint64_t tail = 0;
            std::memcpy(&tail, p + i, size - i);
            add(tail);
        }
    }
    void add(std::uint64_t v) {
        hash_ ^= v;
        hash_ *= 0x100000001b3ull;
        hash_ ^= hash_ >> 29;
    }
    void add(const std::string& s) {
        add(static_cast<std::uint64_t>(s.size()));
        add(s.data(), s.size());
    }
    std::string hex() const {
        char buf[17];
        std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash_));
        return buf;
    }

private:
    std::uint64_t hash_ = 0xcbf29ce484222325ull;
};

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct Finalize {
    void operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, Finalize>;

StmtPtr prepare(sqlite3* db, const std::string& sql, const std::string& path) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
        sqlite3_finalize(st);
        throw std::runtime_error(path + ": " + sqlite3_errmsg(db) + " in " + sql);
    }
    return StmtPtr(st);
}

/// Adds every row of `sql` to the hash: each value with its storage type, so 1, 1.0, '1'
/// and x'31' differ.
void hashRows(sqlite3* db, const std::string& sql, const std::string& path, Fnv1a& h) {
    StmtPtr st = prepare(db, sql, path);
    int rc;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
        const int n = sqlite3_column_count(st.get());
        h.add(static_cast<std::uint64_t>(n));
        for (int i = 0; i < n; ++i) {
            const int type = sqlite3_column_type(st.get(), i);
            h.add(static_cast<std::uint64_t>(type));
            switch (type) {
                case SQLITE_INTEGER:
                    h.add(static_cast<std::uint64_t>(sqlite3_column_int64(st.get(), i)));
                    break;
                case SQLITE_FLOAT: {
                    const double d = sqlite3_column_double(st.get(), i);
                    std::uint64_t bits;
                    std::memcpy(&bits, &d, sizeof bits);
                    h.add(bits);
                    break;
                }
                case SQLITE_TEXT:
                case SQLITE_BLOB: {  // geometry blobs are hashed byte for byte
                    const void* p = type == SQLITE_TEXT ? static_cast<const void*>(sqlite3_column_text(st.get(), i))
                                                        : sqlite3_column_blob(st.get(), i);
                    const int size = sqlite3_column_bytes(st.get(), i);
                    h.add(static_cast<std::uint64_t>(size));
                    h.add(p, static_cast<size_t>(size));
                    break;
                }
                default:  // NULL: the type says it all
                    break;
            }
        }
    }
    if (rc != SQLITE_DONE) throw std::runtime_error(path + ": " + sqlite3_errmsg(db) + " in " + sql);
}

std::string quotedName(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

}  // namespace

std::string databaseChecksum(const std::string& path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    std::unique_ptr<sqlite3, CloseDb> db(raw);
    if (rc != SQLITE_OK) throw std::runtime_error(path + ": " + (raw ? sqlite3_errmsg(raw) : "cannot open"));
    Fnv1a h;
    // The schema: what each table, index, trigger and view is (rootpage is layout, not content).
    hashRows(db.get(), "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name", path, h);
    hashRows(db.get(), "PRAGMA user_version", path, h);
    hashRows(db.get(), "PRAGMA application_id", path, h);
    // The rows of every stored table. Virtual tables (SpatiaLite's R*Tree indexes, its
    // SpatialIndex/KNN modules) are left to their shadow tables, which are ordinary tables.
    struct Table {
        std::string name;
        bool withoutRowid;
    };
    std::vector<Table> tables;
    {
        StmtPtr st = prepare(db.get(),
                             "SELECT name, upper(sql) FROM sqlite_master WHERE type = 'table' AND upper(sql) NOT "
                             "LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name",
                             path);
        while (sqlite3_step(st.get()) == SQLITE_ROW) {
            const auto* name = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
            const auto* sql = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 1));
            tables.push_back({name, sql && std::strstr(sql, "WITHOUT ROWID") != nullptr});
        }
    }
    for (const Table& t : tables) {
        h.add(t.name);
        if (t.withoutRowid) {
            // No rowid: every column in order is the stable order.
            const int n = sqlite3_column_count(prepare(db.get(), "SELECT * FROM " + quotedName(t.name), path).get());
            std::string order;
            for (int i = 1; i <= n; ++i) order += (i > 1 ? "," : "") + std::to_string(i);
            hashRows(db.get(), "SELECT * FROM " + quotedName(t.name) + " ORDER BY " + order, path, h);
        } else {
            hashRows(db.get(), "SELECT rowid, * FROM " + quotedName(t.name) + " ORDER BY rowid", path, h);
        }
    }
    return h.hex();
}

}  // namespace hubmap::test
