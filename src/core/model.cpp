#include "core/model.hpp"

#include <algorithm>
#include <charconv>

namespace hubmap {

std::string_view designationKey(DesignationType t) {
    switch (t) {
        case DesignationType::Full:
            return "full";
        case DesignationType::Partial:
            return "partial";
        case DesignationType::Deemed:
            return "deemed";
        case DesignationType::None:
            break;
    }
    return "none";
}

std::string_view designationLabelJa(DesignationType t) {
    switch (t) {
        case DesignationType::Full:
            return "全部過疎";
        case DesignationType::Partial:
            return "一部過疎";
        case DesignationType::Deemed:
            return "みなし過疎";
        case DesignationType::None:
            break;
    }
    return "非過疎";
}

std::optional<DesignationType> parseDesignation(std::string_view s) {
    for (auto t : {DesignationType::Full, DesignationType::Partial, DesignationType::Deemed, DesignationType::None}) {
        if (s == designationKey(t) || s == designationLabelJa(t)) return t;
    }
    return std::nullopt;
}

int Dataset::municipalityIndex(std::string_view code) const {
    auto it = std::lower_bound(municipalities.begin(), municipalities.end(), code,
                               [](const Municipality& m, std::string_view c) { return m.code < c; });
    if (it == municipalities.end() || it->code != code) return -1;
    return static_cast<int>(it - municipalities.begin());
}

const Designation* Dataset::designationOf(std::string_view code) const {
    auto it = std::lower_bound(designations.begin(), designations.end(), code,
                               [](const Designation& d, std::string_view c) { return d.code < c; });
    if (it == designations.end() || it->code != code) return nullptr;
    return &*it;
}

int Dataset::prefectureIndex(std::string_view nameOrCode) const {
    int code = 0;
    auto [ptr, ec] = std::from_chars(nameOrCode.data(), nameOrCode.data() + nameOrCode.size(), code);
    const bool numeric = ec == std::errc() && ptr == nameOrCode.data() + nameOrCode.size();
    for (size_t i = 0; i < prefectures.size(); ++i) {
        if (numeric ? prefectures[i].code == code : prefectures[i].name == nameOrCode) return static_cast<int>(i);
    }
    return -1;
}

}  // namespace hubmap
