#include "viewer/background_task.hpp"

namespace hubmap::viewer {

void TaskProgress::step(const std::string& name) {
    std::lock_guard<std::mutex> lock(mutex_);
    now_.step = name;
    now_.fraction = 0;
}

void TaskProgress::fraction(double done) {
    std::lock_guard<std::mutex> lock(mutex_);
    now_.fraction = done;
}

TaskProgress::Snapshot TaskProgress::snapshot() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return now_;
}

}  // namespace hubmap::viewer
