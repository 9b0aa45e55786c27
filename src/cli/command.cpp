#include "cli/command.hpp"

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>

namespace hubmap::cli {

namespace {
double now() { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); }

// A signal handler can reach only globals; this one is set while a CancelOnSignal lives.
std::atomic<Progress*> gCancelTarget{nullptr};

extern "C" void cancelOnSignal(int signal) {
    std::signal(signal, SIG_DFL);  // a second Ctrl-C kills at once
    if (Progress* p = gCancelTarget.load()) p->cancel();
}

}  // namespace

CancelOnSignal::CancelOnSignal(Progress& progress) {
    gCancelTarget = &progress;
    struct sigaction cancel {};
    cancel.sa_handler = cancelOnSignal;
    sigemptyset(&cancel.sa_mask);
    ::sigaction(SIGINT, &cancel, &previousInt_);
    ::sigaction(SIGTERM, &cancel, &previousTerm_);
}

CancelOnSignal::~CancelOnSignal() {
    // Put back what was there (a caller's handler, or StagedOutput's), not the default.
    ::sigaction(SIGINT, &previousInt_, nullptr);
    ::sigaction(SIGTERM, &previousTerm_, nullptr);
    gCancelTarget = nullptr;
}

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
