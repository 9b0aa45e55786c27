#include "io/spatialite.hpp"

#include <spatialite.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

#include "core/error.hpp"

namespace hubmap {

namespace {

/// What a SQLite failure means to the person running hubmap, and what to do about it. No SQL
/// text: the statement is ours, not theirs.
std::string explain(sqlite3* db, int rc) {
    const std::string detail = db ? sqlite3_errmsg(db) : "out of memory";
    switch (rc & 0xff) {
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            return kDatabaseBusyMessage;
        case SQLITE_READONLY:
            return "the database is read-only: hubmap cannot write to it (check the permissions of the file and its "
                   "folder, or copy it somewhere writable)";
        case SQLITE_NOTADB:
            return "not a SQLite database, so not a hubmap database (build one with: hubmap init --db PATH)";
        case SQLITE_CORRUPT:
            return "the database file is damaged (" + detail + "); rebuild it with: hubmap init --force --db PATH";
        case SQLITE_FULL:
            return "the disk is full: free some space and run the command again";
        case SQLITE_CANTOPEN:
            return "cannot open the database file (is it a folder, or is its folder missing or not writable?)";
        case SQLITE_IOERR:
            return "cannot read or write the database file (" + detail + "): check the disk and the file";
        case SQLITE_PERM:
        case SQLITE_AUTH:
            return "no permission to use the database file (check its permissions)";
        case SQLITE_NOMEM:
            return "out of memory";
        case SQLITE_CONSTRAINT:
            return "a row conflicts with one already stored (" + detail + ")";
        case SQLITE_INTERRUPT:
            return "interrupted";
        default:
            break;
    }
    if (detail.rfind("no such table", 0) == 0 || detail.rfind("no such column", 0) == 0 ||
        detail.rfind("no such function", 0) == 0) {
        return "not a hubmap database, or one built by another hubmap version (" + detail +
               "); rebuild it with: hubmap init --force --db PATH";
    }
    return "database error: " + detail;
}

[[noreturn]] void fail(sqlite3* db, const std::string& path, int rc) {
    throw Error(ErrorContext{path, {}, -1, -1}, explain(db, rc));
}

/// How long a connection waits for another writer (HUBMAP_BUSY_TIMEOUT_MS overrides, for tests).
int busyTimeoutMs() {
    if (const char* env = std::getenv("HUBMAP_BUSY_TIMEOUT_MS")) {
        char* end = nullptr;
        const long v = std::strtol(env, &end, 10);
        if (end != env && *end == '\0' && v >= 0 && v <= 600000) return static_cast<int>(v);
    }
    return 10000;
}

/// Is `path` a WAL-mode database (header bytes 18-19 are 2) without a -shm file, in a folder
/// this process may not write?
bool walWithoutSharedMemory(const std::string& path) {
    const std::string folder = path.find('/') == std::string::npos ? "." : path.substr(0, path.rfind('/') + 1);
    if (::access(folder.c_str(), W_OK) == 0 || ::access((path + "-shm").c_str(), F_OK) == 0) return false;
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    unsigned char header[20] = {};
    const bool read = std::fread(header, 1, sizeof header, f) == sizeof header;
    std::fclose(f);
    return read && header[18] == 2 && header[19] == 2;
}

std::string uriEscape(const std::string& path) {
    std::string out;
    for (const char c : path) {
        if (c == '%' || c == '?' || c == '#') {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
            out += buf;
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

Statement::Statement(sqlite3* db, std::string_view sql, const std::string& dbPath) : db_(db), dbPath_(dbPath) {
    if (const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
        rc != SQLITE_OK) {
        fail(db_, dbPath_, rc);
    }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& o) noexcept : db_(o.db_), stmt_(o.stmt_), dbPath_(std::move(o.dbPath_)) {
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
Statement& Statement::bindOptional(int i, std::string_view text) { return text.empty() ? bindNull(i) : bind(i, text); }
Statement& Statement::bindUnowned(int i, std::string_view text) {
    // A null pointer would bind NULL, not the empty text.
    sqlite3_bind_text(stmt_, i, text.data() ? text.data() : "", static_cast<int>(text.size()), SQLITE_STATIC);
    return *this;
}
Statement& Statement::bindUnownedOptional(int i, std::string_view text) {
    return text.empty() ? bindNull(i) : bindUnowned(i, text);
}

bool Statement::step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    fail(db_, dbPath_, rc);
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
std::string_view Statement::textView(int col) const {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string_view(reinterpret_cast<const char*>(t), static_cast<size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
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
        case Mode::ReadOnly:
            flags |= SQLITE_OPEN_READONLY;
            break;
        case Mode::ReadWrite:
            flags |= SQLITE_OPEN_READWRITE;
            break;
        case Mode::Create:
            flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
            break;
    }
    std::string name = path;
    if (mode == Mode::ReadOnly && walWithoutSharedMemory(path)) {
        // A WAL database in a folder we may not write (a shared or packaged copy) cannot get its
        // -shm file; nobody can be writing it without one, so read it as immutable.
        name = "file:" + uriEscape(path) + "?immutable=1";
        flags |= SQLITE_OPEN_URI;
    }
    if (const int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr); rc != SQLITE_OK) {
        std::string msg = explain(db_, sqlite3_extended_errcode(db_));
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(ErrorContext{path, {}, -1, -1}, msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    if (mode == Mode::ReadWrite && sqlite3_db_readonly(db_, "main") == 1) {
        // SQLite quietly opens a file it may not write read-only; say so now, not at the first write.
        sqlite3_close(db_);
        db_ = nullptr;
        throw Error(ErrorContext{path, {}, -1, -1}, explain(nullptr, SQLITE_READONLY));
    }
    spatialiteCache_ = spatialite_alloc_connection();
    spatialite_init_ex(db_, spatialiteCache_, 0);
    // Another hubmap (or the viewer) may hold the lock for a moment: wait rather than fail. Set
    // after SpatiaLite's init, which installs its own 5 s busy timeout over any set before it.
    sqlite3_busy_timeout(db_, busyTimeoutMs());
    if (mode == Mode::ReadWrite) {
        // Readers (the viewer, exports) go on reading while one writer writes. `hubmap init`
        // builds databases in WAL mode; this converts one built before it did, once.
        try {
            if (scalarText("PRAGMA journal_mode") != "wal") exec("PRAGMA journal_mode=WAL");
        } catch (...) {
            close();
            throw;
        }
    }
}

void Database::close() noexcept {
    sqlite3_close(db_);
    db_ = nullptr;
    if (spatialiteCache_) spatialite_cleanup_ex(spatialiteCache_);
    spatialiteCache_ = nullptr;
}

Database::~Database() { close(); }

void Database::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    if (const int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
        sqlite3_free(err);
        fail(db_, path_, sqlite3_extended_errcode(db_));
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

Transaction::Transaction(Database& db, Kind kind) : db_(db) {
    db_.exec(kind == Kind::Write ? "BEGIN IMMEDIATE" : "BEGIN");
}

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
