#include "viewer/query_controller.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "core/error.hpp"
#include "viewer/colour_scheme.hpp"

namespace hubmap::viewer {

QueryController::QueryController(const Dataset& data, const HubPoints& hubs, std::function<void()> onOutcome)
    : data_(data), hubs_(hubs), coverageRows_(coverageIndex(data, nullptr)), runner_(data, std::move(onOutcome)) {
    form_.kinds.assign(hubs.kinds.size(), true);
}

void QueryController::selectKinds(const std::vector<std::string>& kinds) {
    std::vector<bool> on(hubs_.kinds.size(), false);
    for (const std::string& kind : kinds) {
        const auto it = std::find(hubs_.kinds.begin(), hubs_.kinds.end(), kind);
        if (it == hubs_.kinds.end()) {
            std::string known;
            for (const std::string& k : hubs_.kinds) known += (known.empty() ? "" : ", ") + k;
            throw UsageError(fmt::format("--kinds: no hub of kind '{}' in this database (it has {})", kind,
                                         known.empty() ? "no hubs" : known));
        }
        on[static_cast<std::size_t>(it - hubs_.kinds.begin())] = true;
    }
    form_.kinds = on;
}

CoverageOptions QueryController::options() const {
    CoverageOptions o;
    o.designations.clear();
    if (form_.full) o.designations.insert(DesignationType::Full);
    if (form_.partial) o.designations.insert(DesignationType::Partial);
    if (form_.deemed) o.designations.insert(DesignationType::Deemed);
    o.partial = form_.partialWhole ? PartialMeasure::Whole : PartialMeasure::DesignatedPart;
    const bool all = std::all_of(form_.kinds.begin(), form_.kinds.end(), [](bool b) { return b; });
    if (!all) {
        for (std::size_t k = 0; k < form_.kinds.size(); ++k) {
            if (form_.kinds[k]) o.kinds.push_back(hubs_.kinds[k]);
        }
    }
    o.prefectures = form_.prefectures;
    if (form_.useDate) o.openedBefore = std::string(form_.openedBefore);
    if (form_.useRadius) o.radiusKm = form_.radiusKm;
    o.settlements = true;
    o.keepGeometry = drawsGeometry();  // catchments and uncovered areas for the map
    return o;
}

std::size_t QueryController::queriedHubCount() const {
    std::size_t n = 0;
    for (std::size_t k = 0; k < form_.kinds.size(); ++k) {
        if (form_.kinds[k]) n += hubs_.countByKind[k];
    }
    return n;
}

bool QueryController::drawsGeometry() const {
    // Dissolving tens of thousands of catchment disks takes GEOS tens of seconds and
    // gigabytes: past kMaxHubsForGeometry the map shows the figures, not the shapes.
    return form_.useRadius && queriedHubCount() <= kMaxHubsForGeometry;
}

void QueryController::request() {
    if (!form_.kinds.empty() && std::none_of(form_.kinds.begin(), form_.kinds.end(), [](bool b) { return b; })) {
        error_ = "Select at least one hub kind.";
        return;
    }
    error_.clear();
    requested_ = runner_.request(options(), drawsGeometry());
    if (waitingSince_) ++requestsWhileWaiting_;
}

bool QueryController::poll() {
    std::optional<CoverageOutcome> outcome = runner_.take();
    if (!outcome) return false;
    if (outcome->request != taken_) figuresShown_ = false;
    taken_ = outcome->request;
    if (!outcome->error.empty()) {
        error_ = outcome->error;
        return false;
    }
    error_.clear();
    result_ = outcome->result;
    overlay_ = outcome->overlay;  // null until the geometry of this query arrives
    figuresMs_ = outcome->figuresMs;
    if (outcome->complete) lastOutcome_ = std::move(*outcome);
    coverageRows_ = coverageIndex(data_, result_.get());
    prefectureRowsDirty_ = true;
    return true;
}

CatchmentsShown QueryController::wanted() const {
    return CatchmentsShown{form_.useRadius ? form_.radiusKm : 0.0, form_.kinds};
}

const CatchmentsShown& QueryController::catchments(Clock::time_point now) {
    CatchmentsShown want = wanted();
    if (want == shown_) {
        waitingSince_.reset();
        figuresShown_ = true;
        return shown_;
    }
    if (!waitingSince_) {
        waitingSince_ = now;
        requestsWhileWaiting_ = 0;
    }
    // Figures taken in this frame are shown by it, the catchments in the next one (also when
    // they have waited long enough: this frame is quick, the next takes the cores).
    const bool figuresIn = taken_ == requested_;
    if (figuresIn && !std::exchange(figuresShown_, true)) return shown_;
    // A form that keeps changing (a slider dragged: each query is cancelled by the next)
    // would hold them for good: they follow it every kCatchmentsWait.
    const auto waited = now - *waitingSince_;
    if (figuresIn || (requestsWhileWaiting_ > 0 && waited >= kCatchmentsWait) || waited >= kCatchmentsLongestWait) {
        shown_ = std::move(want);
        waitingSince_.reset();
    }
    return shown_;
}

std::vector<PrefectureRow>& QueryController::prefectureRows(bool& rebuilt) {
    rebuilt = prefectureRowsDirty_;
    if (prefectureRowsDirty_) {
        prefectureRows_ = result_ ? viewer::prefectureRows(*result_) : std::vector<PrefectureRow>{};
        prefectureRowsDirty_ = false;
    }
    return prefectureRows_;
}

}  // namespace hubmap::viewer
