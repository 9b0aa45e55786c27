#include "io/name_index.hpp"

#include "core/names.hpp"
#include "io/spatialite.hpp"

namespace hubmap {

MunicipalityNameIndex::MunicipalityNameIndex(const std::vector<AdminUnitName>& units) {
    for (const auto& u : units) {
        if (u.municipalityCode.empty()) continue;
        full_[{u.prefectureCode, normaliseName(u.county + u.name)}].insert(u.municipalityCode);
        bare_[{u.prefectureCode, normaliseName(u.name)}].insert(u.municipalityCode);
        if (u.isWard) bare_[{u.prefectureCode, normaliseName(u.county)}].insert(u.municipalityCode);
    }
}

MunicipalityNameIndex MunicipalityNameIndex::fromDatabase(const Database& db) {
    std::vector<AdminUnitName> units;
    Statement st = db.prepare(
        "SELECT prefecture_code, county, name, is_ward, municipality_code FROM admin_units"
        " WHERE municipality_code IS NOT NULL");
    while (st.step()) {
        units.push_back(
            AdminUnitName{static_cast<int>(st.int64(0)), st.text(1), st.text(2), st.int64(3) != 0, st.text(4)});
    }
    return MunicipalityNameIndex(units);
}

std::set<std::string> MunicipalityNameIndex::lookup(int prefectureCode, const std::string& name) const {
    const std::string n = normaliseName(name);
    if (auto it = full_.find({prefectureCode, n}); it != full_.end()) return it->second;
    if (auto it = bare_.find({prefectureCode, n}); it != bare_.end()) return it->second;
    if (auto it = bare_.find({prefectureCode, normaliseName(stripCounty(name))}); it != bare_.end()) return it->second;
    return {};
}

std::set<std::string> MunicipalityNameIndex::lookupAnywhere(const std::string& name) const {
    std::set<std::string> codes;
    for (int pref = 1; pref <= 47; ++pref) {
        const auto found = lookup(pref, name);
        codes.insert(found.begin(), found.end());
    }
    return codes;
}

}  // namespace hubmap
