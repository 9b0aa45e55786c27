#include "core/progress.hpp"

#include "core/error.hpp"

namespace hubmap {

void Progress::checkCancelled() const {
    if (cancelled_) throw Cancelled();
}

}  // namespace hubmap
