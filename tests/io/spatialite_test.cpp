// io/spatialite: the busy timeout every connection waits for another writer.

#include "io/spatialite.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include "core/error.hpp"
#include "test_util.hpp"

namespace hubmap {
namespace {

/// Sets HUBMAP_BUSY_TIMEOUT_MS for one scope (empty: unset).
class BusyTimeoutEnv {
public:
    explicit BusyTimeoutEnv(const char* value) {
        if (const char* old = std::getenv("HUBMAP_BUSY_TIMEOUT_MS")) old_ = old, hadOld_ = true;
        if (value) {
            ::setenv("HUBMAP_BUSY_TIMEOUT_MS", value, 1);
        } else {
            ::unsetenv("HUBMAP_BUSY_TIMEOUT_MS");
        }
    }
    ~BusyTimeoutEnv() {
        if (hadOld_) {
            ::setenv("HUBMAP_BUSY_TIMEOUT_MS", old_.c_str(), 1);
        } else {
            ::unsetenv("HUBMAP_BUSY_TIMEOUT_MS");
        }
    }

private:
    std::string old_;
    bool hadOld_ = false;
};

std::string makeDatabase(const test::ScratchDir& scratch) {
    const std::string path = scratch.file("busy.sqlite");
    Database db(path, Database::Mode::Create);
    db.exec("PRAGMA journal_mode=WAL; CREATE TABLE t(x INTEGER)");
    return path;
}

// Regression: SpatiaLite's init installs its own 5 s busy timeout. Set before it, ours was
// overwritten, so every connection gave up after 5 s whatever HUBMAP_BUSY_TIMEOUT_MS said.
TEST(DatabaseBusyTimeout, IsTenSecondsOrTheEnvironmentsValueAfterSpatiaLitesInit) {
    test::ScratchDir scratch;
    const std::string path = makeDatabase(scratch);
    {
        BusyTimeoutEnv env(nullptr);
        for (auto mode : {Database::Mode::ReadOnly, Database::Mode::ReadWrite, Database::Mode::Create}) {
            EXPECT_EQ(Database(path, mode).scalarInt("PRAGMA busy_timeout"), 10000);
        }
    }
    for (const char* ms : {"300", "30000"}) {
        BusyTimeoutEnv env(ms);
        EXPECT_EQ(Database(path, Database::Mode::ReadWrite).scalarInt("PRAGMA busy_timeout"), std::atoll(ms)) << ms;
    }
    BusyTimeoutEnv garbage("soon");  // not a number: the default
    EXPECT_EQ(Database(path, Database::Mode::ReadWrite).scalarInt("PRAGMA busy_timeout"), 10000);
}

TEST(DatabaseBusyTimeout, AWriteTransactionGivesUpAfterTheTimeoutWithTheBusyMessage) {
    test::ScratchDir scratch;
    const std::string path = makeDatabase(scratch);
    Database holder(path, Database::Mode::ReadWrite);
    Transaction hold(holder, Transaction::Kind::Write);
    BusyTimeoutEnv env("400");
    Database other(path, Database::Mode::ReadWrite);
    const auto start = std::chrono::steady_clock::now();
    try {
        Transaction tx(other, Transaction::Kind::Write);
        FAIL() << "the write lock was granted while another connection held it";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("the database is busy: another hubmap is writing to it"),
                  std::string::npos)
            << e.what();
    }
    const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_GE(waited, 0.35);
    EXPECT_LT(waited, 3.0) << "waited past the 400 ms asked for";
    // A reader is never held up by the writer (WAL).
    EXPECT_EQ(Database(path, Database::Mode::ReadOnly).scalarInt("SELECT COUNT(*) FROM t"), 0);
}

}  // namespace
}  // namespace hubmap
