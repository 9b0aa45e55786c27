#pragma once
// RAII over a SQLite connection with SpatiaLite loaded, and its statements.

#include <sqlite3.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hubmap {

/// The message when another connection holds the database longer than the busy timeout.
inline constexpr const char* kDatabaseBusyMessage =
    "the database is busy: another hubmap is writing to it; try again when it has finished";

/// A prepared statement; finalized on destruction.
class Statement {
public:
    Statement(sqlite3* db, std::string_view sql, const std::string& dbPath);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    Statement(Statement&& o) noexcept;

    // Binding: 1-based parameter indices, as in SQLite.
    Statement& bind(int i, std::string_view text);
    Statement& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
    Statement& bind(int i, long long v);
    Statement& bind(int i, int v) { return bind(i, static_cast<long long>(v)); }
    Statement& bind(int i, double v);
    Statement& bind(int i, const std::vector<unsigned char>& blob);
    Statement& bindNull(int i);
    Statement& bindOptional(int i, std::string_view textOrEmptyIsNull);
    /// As bind / bindOptional, but SQLite reads the text where it is instead of copying it: the
    /// caller keeps it alive and unchanged until the parameter is bound again or the statement
    /// is destroyed (bulk inserts from rows held in memory).
    Statement& bindUnowned(int i, std::string_view text);
    Statement& bindUnownedOptional(int i, std::string_view textOrEmptyIsNull);

    /// Steps once: true while a row is available, false when done. Throws on error.
    bool step();
    /// Steps to completion and resets for reuse (for INSERT/UPDATE loops).
    void run();
    void reset();

    // Column access: 0-based, as in SQLite.
    int columnCount() const { return sqlite3_column_count(stmt_); }
    bool isNull(int col) const;
    std::string text(int col) const;
    /// Text view valid until the next step (no copy: for rows read only to be filtered).
    std::string_view textView(int col) const;
    long long int64(int col) const;
    double real(int col) const;
    std::optional<double> optReal(int col) const;
    /// Blob view valid until the next step.
    std::pair<const unsigned char*, size_t> blob(int col) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string dbPath_;
};

/// A SQLite connection with SpatiaLite initialised on it. Every connection waits up to 10 s
/// (HUBMAP_BUSY_TIMEOUT_MS) for a lock another process holds; failures throw Error naming the
/// file and saying what to do, never the SQL. ReadWrite refuses a file it may not write and
/// turns the database to WAL mode (readers never wait for a writer).
class Database {
public:
    enum class Mode { ReadOnly, ReadWrite, Create };
    Database(const std::string& path, Mode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) const;
    /// Single value of a scalar query (first column of first row), "" when NULL/no row.
    std::string scalarText(std::string_view sql) const;
    long long scalarInt(std::string_view sql) const;
    bool tableExists(std::string_view table) const;

private:
    void close() noexcept;

    sqlite3* db_ = nullptr;
    void* spatialiteCache_ = nullptr;
    std::string path_;
};

/// BEGIN … COMMIT; rolls back on destruction unless committed.
class Transaction {
public:
    /// Read: a deferred BEGIN (a consistent view; takes the write lock only at the first write,
    /// and fails then if another writer came first). Write: BEGIN IMMEDIATE, the write lock at
    /// once, waiting up to the busy timeout for another writer to finish.
    enum class Kind { Read, Write };
    explicit Transaction(Database& db, Kind kind = Kind::Read);
    ~Transaction();
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

}  // namespace hubmap
