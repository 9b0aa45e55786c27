#include "core/error.hpp"

namespace hubmap {

std::string ErrorContext::describe() const {
    std::string s = file;
    auto add = [&s](const std::string& part) {
        if (!s.empty()) s += ", ";
        s += part;
    };
    if (!layer.empty()) add("layer " + layer);
    if (feature >= 0) add("feature " + std::to_string(feature));
    if (row >= 0) add("row " + std::to_string(row));
    return s;
}

Error::Error(const ErrorContext& where, const std::string& what)
    : std::runtime_error(where.describe().empty() ? what : where.describe() + ": " + what), where_(where) {}

}  // namespace hubmap
