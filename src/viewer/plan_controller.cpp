// The Plan tab's logic: the library's PlanCoverage on the UI thread once built, and three
// background jobs (building the figures, suggesting sites, saving the plan).

#include "viewer/plan_controller.hpp"

#include <fmt/format.h>

#include <chrono>
#include <thread>
#include <utility>

#include "core/error.hpp"
#include "io/import.hpp"
#include "report/text_table.hpp"

namespace hubmap::viewer {

PlanController::PlanController(const Dataset& data, std::string dbPath) : data_(data), dbPath_(std::move(dbPath)) {}

void PlanController::setMessage(std::string text, bool failed) {
    message_ = std::move(text);
    failed_ = failed;
}

void PlanController::setQuery(const CoverageOptions& query) {
    if (plan_ && !preparing()) pending_ = plan_->hubs();
    query_ = query;
    ++generation_;
    if (preparing()) {
        preparing_.cancel();  // poll() starts the newest query once the old job is taken
        return;
    }
    startPreparing();
}

void PlanController::startPreparing() {
    const Dataset& data = data_;
    const CoverageOptions query = *query_;
    const int generation = generation_;
    preparedGeneration_ = generation;
    preparing_.start(
        [&data, query](TaskProgress& progress) { return std::make_unique<PlanCoverage>(data, query, progress); });
}

int PlanController::place(double lon, double lat) {
    if (!plan()) {
        setMessage("the plan's figures are still being computed", true);
        return -1;
    }
    try {
        selected_ = plan_->add(lon, lat, kind_);
        setMessage(fmt::format("placed a hub ({:.0f} ms)", plan_->lastUpdate().seconds * 1000), false);
        return selected_;
    } catch (const std::runtime_error& e) {
        setMessage(e.what(), true);
        return -1;
    }
}

void PlanController::move(int id, double lon, double lat) {
    if (!plan()) return;
    try {
        plan_->move(id, lon, lat);
        selected_ = id;
    } catch (const std::runtime_error& e) {
        setMessage(e.what(), true);
    }
}

void PlanController::remove(int id) {
    if (!plan()) return;
    try {
        plan_->remove(id);
        if (selected_ == id) selected_ = -1;
        setMessage("deleted a hub", false);
    } catch (const std::runtime_error& e) {
        setMessage(e.what(), true);
    }
}

void PlanController::clear() {
    if (!plan()) return;
    plan_->clear();
    selected_ = -1;
}

void PlanController::startSuggest() {
    if (!plan()) {
        setMessage("the plan's figures are still being computed", true);
        return;
    }
    if (suggestTask_.active()) return;
    SuggestOptions options;
    options.query = plan_->options();
    if (!options.query.radiusKm || !options.query.radiusKmByKind.empty()) {
        setMessage("Suggest needs one catchment radius for every kind: tick Radius in the Query tab", true);
        return;
    }
    options.k = suggestCount_;
    for (const PlannedHub& h : plan_->hubs()) options.plannedSites.emplace_back(h.lon, h.lat);
    const Dataset& data = data_;
    suggestTask_.start([&data, options](TaskProgress& progress) { return suggestSites(data, options, progress); });
    setMessage(fmt::format("suggesting {} sites…", suggestCount_), false);
}

void PlanController::moveSuggestion(std::size_t i, double lon, double lat) {
    if (i >= suggestions_.size()) return;
    suggestions_[i].lon = lon;
    suggestions_[i].lat = lat;
}

int PlanController::accept(std::size_t i) {
    if (i >= suggestions_.size()) return -1;
    const PlanSuggestion s = suggestions_[i];
    const int id = place(s.lon, s.lat);
    if (id >= 0) suggestions_.erase(suggestions_.begin() + static_cast<std::ptrdiff_t>(i));
    return id;
}

void PlanController::drop(std::size_t i) {
    if (i < suggestions_.size()) suggestions_.erase(suggestions_.begin() + static_cast<std::ptrdiff_t>(i));
}

void PlanController::acceptAll() {
    while (!suggestions_.empty()) {
        if (accept(0) < 0) return;
    }
}

void PlanController::startSave() {
    if (!plan() || saveTask_.active()) return;
    if (plan_->hubs().empty()) {
        setMessage("the plan holds no hub to save", true);
        return;
    }
    const std::string name = source_;
    std::vector<Hub> hubs = plan_->asHubs(name);
    const std::string path = dbPath_;
    saveTask_.start([path, hubs = std::move(hubs), name](TaskProgress&) {
        storeHubsAsImport(path, hubs, name);
        return hubs.size();
    });
    setMessage(fmt::format("saving {} hubs as import source '{}'…", plan_->hubs().size(), name), false);
}

bool PlanController::takeSaved() { return std::exchange(saved_, false); }

void PlanController::poll() {
    if (preparing_.finished()) {
        std::unique_ptr<PlanCoverage> built;
        bool stale = preparedGeneration_ != generation_;
        try {
            if (auto taken = preparing_.take()) built = std::move(*taken);
        } catch (const Cancelled&) {
            stale = true;
        } catch (const std::runtime_error& e) {
            if (!stale) setMessage(e.what(), true);
        }
        if (stale) {
            startPreparing();
        } else if (built) {
            plan_ = std::move(built);
            selected_ = -1;
            for (const PlannedHub& h : pending_) {
                try {
                    plan_->add(h.lon, h.lat, h.kind);
                } catch (const std::runtime_error& e) {
                    setMessage(e.what(), true);  // a kind the new query leaves out
                }
            }
            pending_.clear();
        }
    }
    if (suggestTask_.finished()) {
        try {
            if (auto r = suggestTask_.take()) {
                suggestions_.clear();
                for (const SuggestedSite& s : r->sites) {
                    suggestions_.push_back({s.rank, s.lon, s.lat, s.gain, s.municipality, s.district});
                }
                setMessage(fmt::format("{} sites suggested: {} → {} of {} ({:.1f} s)", r->sites.size(),
                                       groupedThousands(r->before), groupedThousands(r->after),
                                       groupedThousands(r->demand), r->seconds),
                           false);
                lastSuggestion_ = std::move(*r);
            }
        } catch (const Cancelled&) {
            setMessage("suggestion cancelled", false);
        } catch (const std::runtime_error& e) {
            setMessage(e.what(), true);
        }
    }
    if (saveTask_.finished()) {
        try {
            if (auto n = saveTask_.take()) {
                saved_ = true;
                setMessage(fmt::format("saved {} hubs as import source '{}' (remove with: hubmap hubs "
                                       "--remove-source {})",
                                       *n, source_, source_),
                           false);
            }
        } catch (const std::runtime_error& e) {
            setMessage(e.what(), true);
        }
    }
}

void PlanController::wait() {
    // poll() takes what finished (and restarts a stale preparation): until nothing is left.
    while (preparing_.active() || suggestTask_.active() || saveTask_.active()) {
        while (preparing_.running() || suggestTask_.running() || saveTask_.running()) {
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        poll();
    }
}

}  // namespace hubmap::viewer
