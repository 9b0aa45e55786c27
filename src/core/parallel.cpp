#include "core/parallel.hpp"

#include <algorithm>

namespace hubmap {

int workerCount(int requested, std::size_t items) {
    int n = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
    if (n < 1) n = 1;
    if (items < static_cast<std::size_t>(n)) n = static_cast<int>(std::max<std::size_t>(items, 1));
    return n;
}

}  // namespace hubmap
