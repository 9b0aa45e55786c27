#include "cli/command.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>

namespace hubmap::cli {

namespace {
double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

void DatabaseOption::add(CLI::App* sub) {
    sub->add_option("--db", db,
                    "hubmap database (default: $HUBMAP_DB or ~/.local/share/hubmap/hubmap.sqlite, built on first use)");
    sub->add_flag("-q,--quiet", quiet, "no progress messages on stderr");
}

StderrProgress::StderrProgress(bool quiet) : quiet_(quiet), start_(now()) {}

void StderrProgress::step(const std::string& name) {
    if (!quiet_) fmt::print(stderr, "hubmap: [{:5.1f} s] {}\n", now() - start_, name);
}

void StderrProgress::info(const std::string& line) {
    if (!quiet_) fmt::print(stderr, "hubmap: {}\n", line);
}

}  // namespace hubmap::cli
