#include "io/spatialite.hpp"

#include <spatialite.h>

#include <mutex>

#include "core/error.hpp"

namespace hubmap {

namespace {

[[noreturn]] void fail(sqlite3* db, const std::string& path, const std::string& what) {
    throw Error(ErrorContext{path, {}, -1, -1}, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql, const std::string& dbPath)
    : db_(db), dbPath_(dbPath), sql_(sql) {
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr) != SQLITE_OK) {
        fail(db_, dbPath_, "cannot prepare SQL [" + sql_ + "]");
    }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& o) noexcept
    : db_(o.db_), stmt_(o.stmt_), dbPath_(std::move(o.dbPath_)), sql_(std::move(o.sql_)) {
    o.stmt_ = nullptr;
}

Statement& Statement::bind(int i, std::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bind(int i, long long v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
}
Statement& Statement::bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
}
Statement& Statement::bind(int i, const std::vector<unsigned char>& blob) {
    sqlite3_bind_blob(stmt_, i, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    return *this;
}
Statement& Statement::bindNull(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
}
Statement& Statement::bindOptional(int i, std::string_view text) {
    return text.empty() ? bindNull(i) : bind(i, text);
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, dbPath_, "SQL failed [" + sql_ + "]");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::string Statement::text(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
}
long long Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::real(int col) const { return sqlite3_column_double(stmt_, col); }
std::optional<double> Statement::optReal(int col) const {
    if (isNull(col)) return std::nullopt;
    return real(col);
}
std::pair<const unsigned char*, size_t> Statement::blob(int col) const {
    const void* p = sqlite3_column_blob(stmt_, col);
    return {static_cast<const unsigned char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

Database::Database(const std::string& path, Mode mode) : path_(path) {
    static std::once_flag initOnce;
    std::call_once(initOnce, [] { spatialite_initialize(); });
    int flags = SQLITE_OPEN_NOMUTEX;
    switch (mode) {
        case Mode::ReadOnly: flags |= SQLITE_OPEN_READONLY; break;
        case Mode::ReadWrite: flags |= SQLITE_OPEN_READWRITE; break;
        case Mode::Create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(ErrorContext{path, {}, -1, -1}, "cannot open database: " + msg);
    }
    spatialiteCache_ = spatialite_alloc_connection();
    spatialite_init_ex(db_, spatialiteCache_, 0);
}

Database::~Database() {
    sqlite3_close(db_);
    if (spatialiteCache_) spatialite_cleanup_ex(spatialiteCache_);
}

void Database::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : "unknown error";
        sqlite3_free(err);
        throw Error(ErrorContext{path_, {}, -1, -1}, "SQL failed [" + s.substr(0, 200) + "]: " + msg);
    }
}

Statement Database::prepare(std::string_view sql) const { return Statement(db_, sql, path_); }

std::string Database::scalarText(std::string_view sql) const {
    Statement st = prepare(sql);
    return st.step() ? st.text(0) : std::string();
}

long long Database::scalarInt(std::string_view sql) const {
    Statement st = prepare(sql);
    return st.step() ? st.int64(0) : 0;
}

bool Database::tableExists(std::string_view table) const {
    Statement st = prepare("SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?");
    st.bind(1, table);
    return st.step();
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN"); }

Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (...) {
        }
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

}  // namespace hubmap
