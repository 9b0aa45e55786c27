#include "io/geocode.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <unordered_map>

#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "core/geos.hpp"
#include "core/municipality_index.hpp"
#include "core/names.hpp"
#include "io/address.hpp"
#include "io/name_index.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"

namespace hubmap {

std::string_view precisionKey(Precision p) {
    switch (p) {
        case Precision::Exact:
            return "exact";
        case Precision::Settlement:
            return "settlement";
        case Precision::Municipality:
            return "municipality";
        case Precision::Prefecture:
            return "prefecture";
    }
    return "prefecture";
}

std::optional<Precision> parsePrecision(std::string_view key) {
    for (Precision p : {Precision::Exact, Precision::Settlement, Precision::Municipality, Precision::Prefecture}) {
        if (precisionKey(p) == key) return p;
    }
    return std::nullopt;
}

std::string_view districtMatchKey(DistrictMatch m) {
    switch (m) {
        case DistrictMatch::None:
            return "none";
        case DistrictMatch::Exact:
            return "exact";
        case DistrictMatch::Normalised:
            return "normalised";
        case DistrictMatch::Prefix:
            return "prefix";
    }
    return "none";
}

namespace {

constexpr double kPi = 3.14159265358979323846;

std::string dropPrefix(std::string s, std::string_view prefix) {
    if (startsWith(s, prefix) && s.size() > prefix.size()) s.erase(0, prefix.size());
    return s;
}

std::string dropSuffix(std::string s, std::string_view suffix) {
    if (endsWith(s, suffix) && s.size() > suffix.size()) s.erase(s.size() - suffix.size());
    return s;
}

/// Number of UTF-8 code points.
size_t charCount(std::string_view s) {
    return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

/// A district that stands for the whole municipality (奈半利町全域).
bool meansWholeMunicipality(const std::string& district) { return district.empty() || endsWith(district, "全域"); }

struct SettlementEntry {
    std::string municipality, town, koaza;
    double lon = 0, lat = 0;
    std::string townKey, fullKey;  // districtKey of town, and of town+koaza
    std::string wardKey;           // normaliseName(municipality): 札幌市中央区 in a designated city
};

/// Gazetteer rows by one name form → their positions in MunicipalityEntry::settlements, ascending
/// (the gazetteer's order, which decides among equals).
using SettlementIndex = std::unordered_map<std::string, std::vector<std::size_t>>;

struct MunicipalityEntry {
    Municipality info;  // name and codes; its polygon is loaded on first use, on the geocoder's context
    GeomPtr geom;
    std::optional<std::pair<double, double>> pointOnSurface;
    bool settlementsLoaded = false;
    std::vector<SettlementEntry> settlements;
    // Built with the settlements, so matching a district is a look-up, not a scan of them all.
    std::vector<const SettlementEntry*> everyEntry;
    SettlementIndex byTown, byTownKoaza;
    // The districtKey forms (townKey, fullKey) and their indexes: on first need, as most
    // addresses match a town as written.
    bool keysBuilt = false;
    SettlementIndex byTownKey, byFullKey;
    std::unordered_map<std::string, std::vector<const SettlementEntry*>> wardEntries;  // by ward, on first use
};

}  // namespace

namespace {

/// 三 → 3, 十二 → 12, 二十 → 20, 一〇 → 10; -1 when `digits` is not a kanji number.
int kanjiNumber(const std::vector<std::string>& digits) {
    static const char* const kValues[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    int total = 0, current = 0;
    bool positional = true;
    for (const auto& d : digits) {
        if (d == "十" || d == "百" || d == "千") positional = false;
    }
    for (const auto& d : digits) {
        const int unit = d == "十" ? 10 : d == "百" ? 100 : d == "千" ? 1000 : 0;
        if (unit) {
            total += (current == 0 ? 1 : current) * unit;
            current = 0;
            continue;
        }
        const auto it = std::find_if(std::begin(kValues), std::end(kValues), [&](const char* v) { return d == v; });
        if (it == std::end(kValues)) return -1;
        const int value = static_cast<int>(it - std::begin(kValues));
        current = positional ? current * 10 + value : value;
    }
    return total + current;
}

/// The number before 丁目, 条 and 線 in Arabic digits (北一条西二丁目 → 北1条西2丁目).
std::string arabicBlockNumbers(const std::string& s) {
    if (s.find("丁目") == std::string::npos && s.find("条") == std::string::npos && s.find("線") == std::string::npos) {
        return s;
    }
    std::vector<std::string> chars;
    for (size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const size_t n = std::min<size_t>(c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4, s.size() - i);
        chars.push_back(s.substr(i, n));
        i += n;
    }
    auto isKanjiDigit = [](const std::string& c) {
        for (const char* d : {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "百"}) {
            if (c == d) return true;
        }
        return false;
    };
    std::string out;
    for (size_t i = 0; i < chars.size();) {
        size_t end = i;
        while (end < chars.size() && isKanjiDigit(chars[end])) ++end;
        if (end > i && end < chars.size() &&
            (chars[end] == "条" || chars[end] == "線" ||
             (chars[end] == "丁" && end + 1 < chars.size() && chars[end + 1] == "目"))) {
            const int value = kanjiNumber(
                std::vector<std::string>(chars.begin() + static_cast<long>(i), chars.begin() + static_cast<long>(end)));
            if (value > 0) {
                out += std::to_string(value);
                i = end;
                continue;
            }
        }
        if (end > i) {
            for (size_t k = i; k < end; ++k) out += chars[k];
            i = end;
            continue;
        }
        out += chars[i++];
    }
    return out;
}

}  // namespace

std::string districtKey(std::string_view district) {
    std::string s = matchKey(trimSpaces(district));
    s = dropPrefix(s, "大字");
    s = dropPrefix(s, "字");
    // 〇〇町大字△△ in a merged municipality: the gazetteer writes 〇〇町△△.
    if (s.find("大字") != std::string::npos && s.size() > 6) replaceAll(s, "大字", "");
    for (const char* former : {"町字", "村字"}) {
        const std::string to = std::string(former).substr(0, 3);
        if (s.find(former) != std::string::npos && !endsWith(s, former)) replaceAll(s, former, to);
    }
    s = arabicBlockNumbers(s);
    s = dropSuffix(s, "地区");
    s = dropSuffix(s, "地域");
    return s;
}

int Geocoder::resolvePrefecture(std::string_view text) {
    const std::string t = trimSpaces(text);
    if (t.empty()) return 0;
    if (t.size() <= 2 && std::all_of(t.begin(), t.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        const int code = std::stoi(t);
        return (code >= 1 && code <= 47) ? code : 0;
    }
    if (const int code = prefectureCode(t)) return code;
    for (const char* suffix : {"県", "府", "都"}) {
        if (const int code = prefectureCode(t + suffix)) return code;
    }
    return 0;
}

struct Geocoder::Impl {
    const Database& db;
    GeosContext ctx;
    Geodesic geodesic;
    MunicipalityNameIndex names;
    std::unordered_map<std::string, MunicipalityEntry> municipalities;
    Statement geomQuery, settlementQuery;
    // Built on the first locate(): every polygon, numbered in `indexed`, in one index.
    bool allGeometriesLoaded = false;
    std::vector<MunicipalityEntry*> indexed;
    MunicipalityShapes shapes;
    std::unique_ptr<MunicipalityIndex> index;

    explicit Impl(const Database& database)
        : db(database),
          names(MunicipalityNameIndex::fromDatabase(database)),
          geomQuery(database.prepare("SELECT AsBinary(geom) FROM municipalities WHERE code = ?")),
          settlementQuery(database.prepare(
              "SELECT municipality, town, koaza, lon, lat FROM settlements WHERE code = ? ORDER BY id")) {
        for (Municipality& m : readMunicipalities(database, nullptr)) {
            const std::string code = m.code;
            municipalities[code].info = std::move(m);
        }
    }

    MunicipalityEntry* find(const std::string& code) {
        auto it = municipalities.find(code);
        return it == municipalities.end() ? nullptr : &it->second;
    }

    void loadGeometry(MunicipalityEntry& m) {
        if (m.geom) return;
        geomQuery.bind(1, m.info.code);
        if (!geomQuery.step())
            throw Error(ErrorContext{db.path(), "municipalities", -1, -1}, "no geometry for " + m.info.code);
        auto [data, size] = geomQuery.blob(0);
        m.geom = geomFromWKB(ctx, data, size);
        geomQuery.reset();
    }

    /// Whether m holds the point when its code is the one stated (MunicipalityIndex::holds).
    bool contains(MunicipalityEntry& m, double lon, double lat) {
        loadAllGeometries();
        const auto it = std::lower_bound(
            indexed.begin(), indexed.end(), &m,
            [](const MunicipalityEntry* a, const MunicipalityEntry* b) { return a->info.code < b->info.code; });
        return it != indexed.end() && *it == &m &&
               index->holds(static_cast<std::size_t>(it - indexed.begin()), lon, lat);
    }

    std::pair<double, double> pointOnSurface(MunicipalityEntry& m) {
        if (!m.pointOnSurface) {
            loadGeometry(m);
            GeomPtr p = takeGeom(ctx, GEOSPointOnSurface_r(ctx, m.geom.get()), "point on surface");
            double x = 0, y = 0;
            GEOSGeomGetX_r(ctx, p.get(), &x);
            GEOSGeomGetY_r(ctx, p.get(), &y);
            m.pointOnSurface = std::make_pair(x, y);
        }
        return *m.pointOnSurface;
    }

    const std::vector<SettlementEntry>& settlements(MunicipalityEntry& m) {
        if (!m.settlementsLoaded) {
            settlementQuery.bind(1, m.info.code);
            while (settlementQuery.step()) {
                SettlementEntry s;
                s.municipality = settlementQuery.text(0);
                s.town = settlementQuery.text(1);
                s.koaza = settlementQuery.text(2);
                s.lon = settlementQuery.real(3);
                s.lat = settlementQuery.real(4);
                if (s.town == "（大字なし）") continue;  // the gazetteer's "no 大字" placeholder names no place
                if (m.info.designatedCity) s.wardKey = normaliseName(s.municipality);
                m.settlements.push_back(std::move(s));
            }
            settlementQuery.reset();
            for (std::size_t i = 0; i < m.settlements.size(); ++i) {
                const SettlementEntry& s = m.settlements[i];
                m.everyEntry.push_back(&s);
                m.byTown[s.town].push_back(i);
                if (!s.koaza.empty()) m.byTownKoaza[s.town + s.koaza].push_back(i);
            }
            m.settlementsLoaded = true;
        }
        return m.settlements;
    }

    /// Fills in the settlements' townKey and fullKey, and indexes them.
    void buildKeys(MunicipalityEntry& m) {
        settlements(m);
        if (m.keysBuilt) return;
        for (std::size_t i = 0; i < m.settlements.size(); ++i) {
            SettlementEntry& s = m.settlements[i];
            s.townKey = districtKey(s.town);
            m.byTownKey[s.townKey].push_back(i);
            if (!s.koaza.empty()) {
                s.fullKey = districtKey(s.town + s.koaza);
                m.byFullKey[s.fullKey].push_back(i);
            }
        }
        m.keysBuilt = true;
    }

    /// The entries of a designated city's ward (`ward` in normaliseName form, ending in 区).
    const std::vector<const SettlementEntry*>& wardEntries(MunicipalityEntry& m, const std::string& ward) {
        auto [it, added] = m.wardEntries.try_emplace(ward);
        if (added) {
            for (const auto& s : settlements(m)) {
                if (endsWith(s.wardKey, ward)) it->second.push_back(&s);
            }
        }
        return it->second;
    }

    void loadAllGeometries() {
        if (allGeometriesLoaded) return;
        Statement st = db.prepare("SELECT code, AsBinary(geom) FROM municipalities ORDER BY code");
        std::vector<std::string> codes;
        std::vector<const GEOSGeometry*> geoms;
        while (st.step()) {
            MunicipalityEntry* m = find(st.text(0));
            if (!m) continue;
            if (!m->geom) {
                auto [data, size] = st.blob(1);
                m->geom = geomFromWKB(ctx, data, size);
            }
            indexed.push_back(m);
            codes.push_back(m->info.code);
            geoms.push_back(m->geom.get());
        }
        shapes = MunicipalityShapes(ctx, std::move(codes), std::move(geoms));
        index = std::make_unique<MunicipalityIndex>(ctx, shapes);
        allGeometriesLoaded = true;
    }

    GeocodeResult matchDistrict(MunicipalityEntry& m, const std::string& municipalityText, const std::string& district);
    /// Geocoder::geocodeParts without the memory of earlier answers.
    GeocodeResult place(const Address& address);

    // Answers by address parts (Geocoder::geocodeParts); bounded, so a huge list of distinct
    // places costs no more than this many entries of memory.
    static constexpr std::size_t kMaxPlaced = 1 << 17;
    std::unordered_map<std::string, GeocodeResult> placed;
};

namespace {

/// Chooses the gazetteer entry among rows that share one town name: its 大字 point (no 小字)
/// when there is exactly one, the first 小字 point when the town has only those.
/// Returns nullptr with `ambiguity` set when the name stands for several distinct 大字.
const SettlementEntry* pickTown(const std::vector<const SettlementEntry*>& rows, std::string& ambiguity) {
    std::vector<const SettlementEntry*> bare;
    for (const auto* r : rows) {
        if (r->koaza.empty()) bare.push_back(r);
    }
    if (bare.size() == 1) return bare.front();
    if (bare.size() > 1) {
        ambiguity = fmt::format("{} gazetteer entries are named {}", bare.size(), bare.front()->town);
        return nullptr;
    }
    return rows.empty() ? nullptr : rows.front();
}

std::string settlementLabel(const SettlementEntry& s) { return s.koaza.empty() ? s.town : s.town + " " + s.koaza; }

std::string joinNames(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

/// Gazetteer towns near a district that matched none, nearest first: a town that is a former
/// municipality's name + the district (多根 → 掛合町多根: the address left out the 町 the
/// merged municipality keeps in its town names), then towns by edit distance (at most a third
/// of the district's length, at least 1).
std::vector<std::string> nearestTowns(const std::vector<const SettlementEntry*>& pool, const std::string& key) {
    if (key.empty()) return {};
    constexpr size_t kMax = 3;
    std::vector<std::string> former;
    std::vector<std::pair<size_t, std::string>> close;
    std::set<std::string> seen;
    const size_t limit = std::max<size_t>(1, charCount(key) / 3);
    for (const auto* s : pool) {
        if (!seen.insert(s->townKey).second) continue;
        const std::string& t = s->townKey;
        if (t.size() > key.size() && endsWith(t, key)) {
            const std::string head = t.substr(0, t.size() - key.size());
            if (endsWith(head, "町") || endsWith(head, "村")) {
                former.push_back(s->town);
                continue;
            }
        }
        if (const size_t d = editDistance(key, t); d <= limit) close.emplace_back(d, s->town);
    }
    std::stable_sort(close.begin(), close.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> out;
    for (auto& f : former) {
        if (out.size() < kMax) out.push_back(std::move(f));
    }
    for (auto& [d, t] : close) {
        if (out.size() < kMax) out.push_back(std::move(t));
    }
    return out;
}

}  // namespace

GeocodeResult Geocoder::Impl::matchDistrict(MunicipalityEntry& m, const std::string& municipalityText,
                                            const std::string& district) {
    GeocodeResult r;
    settlements(m);
    // A ward named in the address (札幌市中央区) restricts the search to that ward's entries.
    const std::vector<const SettlementEntry*>* pool = &m.everyEntry;
    std::string ward;
    if (m.info.designatedCity) {
        ward = normaliseName(municipalityText);
        if (endsWith(ward, "区")) {
            const auto& inWard = wardEntries(m, ward);
            if (!inWard.empty()) pool = &inWard;
        }
    }
    const bool wholePool = pool == &m.everyEntry;

    const std::string text = trimSpaces(district);
    std::string key;  // districtKey(text), once the text as written has matched nothing
    std::string ambiguity;
    const SettlementEntry* found = nullptr;
    // The pool's entries filed under `wanted`, in gazetteer order.
    auto entries = [&](const SettlementIndex& index, const std::string& wanted) {
        std::vector<const SettlementEntry*> out;
        const auto it = index.find(wanted);
        if (it == index.end()) return out;
        for (const std::size_t i : it->second) {
            const SettlementEntry& s = m.settlements[i];
            if (wholePool || endsWith(s.wardKey, ward)) out.push_back(&s);
        }
        return out;
    };
    auto tryStage = [&](DistrictMatch stage, const SettlementIndex& towns, const SettlementIndex& fulls,
                        const std::string& wanted) {
        const std::vector<const SettlementEntry*> byTown = entries(towns, wanted), byFull = entries(fulls, wanted);
        if (!byTown.empty()) {
            found = pickTown(byTown, ambiguity);
        } else if (byFull.size() == 1) {
            found = byFull.front();
        } else if (byFull.size() > 1) {
            ambiguity = fmt::format("{} gazetteer entries are named {}", byFull.size(), settlementLabel(*byFull[0]));
        }
        if (found) r.districtMatch = stage;
        return found || !ambiguity.empty();
    };
    bool decided = tryStage(DistrictMatch::Exact, m.byTown, m.byTownKoaza, text);
    if (!decided) {
        buildKeys(m);
        key = districtKey(text);
        decided = tryStage(DistrictMatch::Normalised, m.byTownKey, m.byFullKey, key);
    }
    if (!decided && charCount(key) >= 1) {
        // Prefix, on town names only: the gazetteer name extends the district (中津川 → 中津川上)
        // or the district extends a gazetteer name of two or more characters (越裏門・寺川 → 越裏門).
        std::map<std::string, std::vector<const SettlementEntry*>> towns;
        for (const auto* s : *pool) {
            const bool extendsDistrict = startsWith(s->townKey, key);
            const bool extendedByDistrict = charCount(s->townKey) >= 2 && startsWith(key, s->townKey);
            if (extendsDistrict || extendedByDistrict) towns[s->townKey].push_back(s);
        }
        if (towns.size() == 1) {
            found = pickTown(towns.begin()->second, ambiguity);
            if (found) r.districtMatch = DistrictMatch::Prefix;
        } else if (towns.size() > 1) {
            std::string list;
            size_t shown = 0;
            for (const auto& [k, rows] : towns) {
                if (shown++ == 5) {
                    list += ", …";
                    break;
                }
                list += (list.empty() ? "" : ", ") + rows.front()->town;
            }
            ambiguity = fmt::format("{} gazetteer towns share the prefix ({})", towns.size(), list);
        }
    }

    const std::string place = m.info.prefecture + " " + m.info.name;
    if (found) {
        r.settlement = settlementLabel(*found);
        if (contains(m, found->lon, found->lat)) {
            r.precision = Precision::Settlement;
            r.lon = found->lon;
            r.lat = found->lat;
            return r;
        }
        r.fallback = fmt::format(
            "district '{}' matched gazetteer entry {} ({} match), but its point ({:.6f}, {:.6f}) lies outside the "
            "simplified boundary of {}; placed at the municipality's point on surface",
            text, r.settlement, districtMatchKey(r.districtMatch), found->lon, found->lat, place);
    } else if (!ambiguity.empty()) {
        r.fallback = fmt::format("district '{}' is ambiguous in {}: {}", text, place, ambiguity);
    } else {
        r.suggestions = nearestTowns(*pool, key);
        r.fallback = fmt::format(
            "district '{}' matches no gazetteer entry of {}{}", text, place,
            r.suggestions.empty() ? std::string() : fmt::format(" (nearest: {})", joinNames(r.suggestions)));
    }
    r.precision = Precision::Municipality;
    const auto [x, y] = pointOnSurface(m);
    r.lon = x;
    r.lat = y;
    return r;
}

Geocoder::Geocoder(const Database& db) : impl_(std::make_unique<Impl>(db)) {}
Geocoder::~Geocoder() = default;

GeocodeResult Geocoder::geocode(const Address& addressIn) {
    GeocodeResult fail;
    Address address = addressIn;
    std::optional<ParsedAddress> parsed;
    if (!trimSpaces(address.full).empty() && trimSpaces(address.municipality).empty() &&
        trimSpaces(address.district).empty()) {
        parsed = parseAddress(address.full, impl_->names);
        if (!parsed->ok()) {
            fail.problem = parsed->problem;
            fail.suggestions = parsed->suggestions;
            if (!fail.suggestions.empty()) fail.problem += fmt::format(" (nearest: {})", joinNames(fail.suggestions));
            fail.parsed = parsed;
            return fail;
        }
        if (!parsed->prefecture.empty()) {
            const int stated = resolvePrefecture(address.prefecture);
            if (stated != 0 && stated != prefectureCode(parsed->prefecture)) {
                fail.problem = fmt::format("the address is in {} but the prefecture column says '{}'",
                                           parsed->prefecture, trimSpaces(address.prefecture));
                fail.parsed = parsed;
                return fail;
            }
            if (stated == 0) address.prefecture = parsed->prefecture;
        }
        address.municipality = parsed->municipality;
        address.district = parsed->district;
    }
    GeocodeResult r = geocodeParts(address);
    if (parsed && r.ok() && r.precision == Precision::Municipality && !r.code.empty() &&
        !endsWith(parsed->district, "丁目")) {
        // 中央3-4-5: the first number of a 丁目-番-号 lot is the 丁目.
        if (const int chome = leadingChomeOfLot(parsed->lot); chome > 0) {
            Address withChome = address;
            withChome.district = parsed->district + std::to_string(chome) + "丁目";
            GeocodeResult c = geocodeParts(withChome);
            if (c.ok() && c.precision == Precision::Settlement) r = std::move(c);
        }
    }
    r.parsed = std::move(parsed);
    if (!r.ok() && r.parsed) r.problem = fmt::format("address '{}': {}", trimSpaces(address.full), r.problem);
    return r;
}

GeocodeResult Geocoder::geocodeParts(const Address& address) {
    // Lists repeat places (a town per row, lot numbers apart): each distinct set of parts is
    // placed once. The result depends on nothing else, so a remembered one is the same answer.
    std::string key;
    key.reserve(address.prefecture.size() + address.municipality.size() + address.district.size() +
                address.code.size() + 3);
    for (const std::string* part : {&address.prefecture, &address.municipality, &address.district, &address.code}) {
        key += *part;
        key += '\x1f';
    }
    if (const auto it = impl_->placed.find(key); it != impl_->placed.end()) return it->second;
    GeocodeResult r = impl_->place(address);
    if (impl_->placed.size() < Impl::kMaxPlaced) impl_->placed.emplace(std::move(key), r);
    return r;
}

GeocodeResult Geocoder::Impl::place(const Address& address) {
    GeocodeResult fail;
    const std::string prefText = trimSpaces(address.prefecture);
    std::string muniText = trimSpaces(address.municipality);
    const std::string codeText = trimSpaces(address.code);
    const std::string district = trimSpaces(address.district);

    int pref = 0;
    if (!prefText.empty()) {
        pref = resolvePrefecture(prefText);
        if (pref == 0) {
            fail.problem = fmt::format("unknown prefecture '{}'", prefText);
            return fail;
        }
    }
    // "高知県本山町": the prefecture written into the municipality field.
    for (int p = 1; p <= 47; ++p) {
        const std::string_view name = prefectureName(p);
        if (startsWith(muniText, name) && muniText.size() > name.size() && (pref == 0 || pref == p)) {
            pref = p;
            muniText.erase(0, name.size());
            break;
        }
    }

    std::string code;
    if (!muniText.empty()) {
        const auto codes = pref ? names.lookup(pref, muniText) : names.lookupAnywhere(muniText);
        const std::string where = pref ? fmt::format(" in {}", prefectureName(pref)) : std::string();
        if (codes.empty()) {
            fail.suggestions = names.nearest(pref, muniText);
            fail.problem = fmt::format(
                "no municipality named '{}'{}{}", muniText, where,
                fail.suggestions.empty() ? std::string() : fmt::format(" (nearest: {})", joinNames(fail.suggestions)));
            return fail;
        }
        if (codes.size() > 1) {
            std::string list;
            for (const auto& c : codes) {
                const MunicipalityEntry* m = find(c);
                list += fmt::format("{}{} {} {}", list.empty() ? "" : ", ", c, m ? m->info.prefecture : "",
                                    m ? m->info.name : "");
            }
            fail.problem = fmt::format("municipality '{}'{} is ambiguous: {}{}", muniText, where, list,
                                       pref ? "" : " (give the prefecture or the 郡)");
            return fail;
        }
        code = *codes.begin();
        if (!codeText.empty() && codeText != code) {
            fail.problem = fmt::format("code {} contradicts municipality '{}' ({})", codeText, muniText, code);
            return fail;
        }
    } else if (!codeText.empty()) {
        if (!find(codeText)) {
            fail.problem = fmt::format("unknown municipality code '{}'", codeText);
            return fail;
        }
        code = codeText;
    }

    GeocodeResult r;
    if (code.empty()) {
        if (pref == 0) {
            fail.problem = "no prefecture, municipality or code to place it by";
            return fail;
        }
        r.precision = Precision::Prefecture;
        r.prefectureCode = pref;
        r.prefecture = std::string(prefectureName(pref));
        if (!district.empty()) r.fallback = fmt::format("district '{}' given without a municipality", district);
        return r;
    }

    MunicipalityEntry& m = *find(code);
    if (pref != 0 && pref != m.info.prefectureCode) {
        fail.problem =
            fmt::format("code {} ({} {}) is not in {}", code, m.info.prefecture, m.info.name, prefectureName(pref));
        return fail;
    }
    if (meansWholeMunicipality(district)) {
        r.precision = Precision::Municipality;
        const auto [x, y] = pointOnSurface(m);
        r.lon = x;
        r.lat = y;
    } else {
        r = matchDistrict(m, muniText, district);
    }
    r.prefectureCode = m.info.prefectureCode;
    r.prefecture = m.info.prefecture;
    r.code = m.info.code;
    r.municipality = m.info.name;
    return r;
}

bool Geocoder::contains(const std::string& code, double lon, double lat) {
    MunicipalityEntry* m = impl_->find(code);
    return m && impl_->contains(*m, lon, lat);
}

PointLocation Geocoder::locate(double lon, double lat, std::string_view statedCode) {
    PointLocation loc;
    if (!std::isfinite(lon) || !std::isfinite(lat)) return loc;
    impl_->loadAllGeometries();
    const GeosContext& ctx = impl_->ctx;
    MunicipalityIndex& index = *impl_->index;
    const MunicipalityHit hit = index.locate(lon, lat, statedCode);
    if (hit.found()) {
        const Municipality& info = impl_->indexed[static_cast<size_t>(hit.municipality)]->info;
        loc.inJapan = true;
        loc.code = info.code;
        loc.ambiguous = hit.ambiguous;
        loc.prefectureCode = info.prefectureCode;
        loc.prefecture = info.prefecture;
        loc.municipality = info.name;
        return loc;
    }
    // Not inside any polygon: how far is the nearest? Degrees are no distance (a degree of
    // longitude is 0.84 of one of latitude at 33°N), so: the planar-nearest polygon in degrees
    // bounds the search; every polygon whose envelope is within that bound is measured in a local
    // equirectangular frame in km around the point; the winner's gap is measured geodesically.
    const int nearest = index.nearestInDegrees(lon, lat);
    if (nearest < 0) return loc;
    const GeomPtr point = makePoint(ctx, lon, lat);
    double planar = 0;
    GEOSDistance_r(ctx, impl_->indexed[static_cast<size_t>(nearest)]->geom.get(), point.get(), &planar);
    const double reach = planar / std::cos(lat * kPi / 180.0) * 1.01 + 1e-9;
    std::vector<const MunicipalityEntry*> candidates;
    for (size_t m : index.near(Bounds{lon - reach, lat - reach, lon + reach, lat + reach, false})) {
        candidates.push_back(impl_->indexed[m]);
    }
    struct Frame {
        double lon0, lat0, kx, ky;  // km per degree east and north at the point
    } frame{lon, lat, 111.32 * std::cos(lat * kPi / 180.0), 110.57};
    auto toKm = [](double* x, double* y, void* data) -> int {
        const auto* f = static_cast<const Frame*>(data);
        *x = (*x - f->lon0) * f->kx;
        *y = (*y - f->lat0) * f->ky;
        return 1;
    };
    GeomPtr origin = makePoint(ctx, 0, 0);
    const MunicipalityEntry* best = nullptr;
    double bestKm = 0, nx = 0, ny = 0;
    for (const MunicipalityEntry* m : candidates) {
        GeomPtr local = takeGeom(ctx, GEOSGeom_transformXY_r(ctx, m->geom.get(), toKm, &frame), "local frame");
        double d = 0;
        if (GEOSDistance_r(ctx, local.get(), origin.get(), &d) != 1 || (best && d >= bestKm)) continue;
        GEOSCoordSequence* seq = GEOSNearestPoints_r(ctx, local.get(), origin.get());
        if (!seq) continue;
        GEOSCoordSeq_getXY_r(ctx, seq, 0, &nx, &ny);
        GEOSCoordSeq_destroy_r(ctx, seq);
        best = m;
        bestKm = d;
        nx = frame.lon0 + nx / frame.kx;
        ny = frame.lat0 + ny / frame.ky;
    }
    if (!best) return loc;
    loc.nearestKm = impl_->geodesic.distanceKm(lon, lat, nx, ny);
    loc.nearestName = best->info.prefecture + " " + best->info.name;
    loc.inJapan = loc.nearestKm <= kMaxOffshoreKm;
    return loc;
}

GeocodeSummary summariseGeocoding(const std::string& dbPath, Progress& progress) {
    Database db(dbPath, Database::Mode::ReadOnly);
    if (!db.tableExists("hubs") || !db.tableExists("settlements")) {
        throw Error(ErrorContext{dbPath, {}, -1, -1}, "not a hubmap database (build one with: hubmap init)");
    }
    progress.step("re-geocoding the hubs");
    Geocoder geocoder(db);
    std::map<std::string, GeocodeLayerSummary> layers;
    Statement st = db.prepare(
        "SELECT id, name, prefecture, municipality, district, code, precision, lon, lat, import_source FROM hubs"
        " ORDER BY import_source, id");
    while (st.step()) {
        progress.checkCancelled();
        GeocodeFallback row{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(6), {}};
        const std::string storedCode = st.text(5);
        const auto lon = st.optReal(7), lat = st.optReal(8);
        GeocodeLayerSummary& layer = layers[st.text(9)];
        layer.importSource = st.text(9);
        ++layer.rows;
        ++layer.byPrecision[row.precision];
        if (row.precision == "exact") {
            if (!lon || !lat) {
                row.reason = "exact precision but no coordinates";
                layer.mismatches.push_back(row);
            } else if (storedCode.empty()) {
                const PointLocation loc = geocoder.locate(*lon, *lat);
                row.reason = loc.code.empty() ? fmt::format("lies in no municipality polygon ({:.1f} km from {})",
                                                            loc.nearestKm, loc.nearestName)
                                              : fmt::format("has no municipality code but lies in {} {}",
                                                            loc.prefecture, loc.municipality);
                (loc.code.empty() ? layer.fallbacks : layer.mismatches).push_back(row);
            } else if (!geocoder.contains(storedCode, *lon, *lat)) {
                row.reason = fmt::format("lies outside its municipality {}", storedCode);
                layer.mismatches.push_back(row);
            }
            continue;
        }
        // A row stored at prefecture precision was placed by its prefecture alone (the source said so).
        const bool prefectureOnly = row.precision == "prefecture";
        const GeocodeResult r =
            geocoder.geocode(prefectureOnly ? Address{row.prefecture, {}, {}, {}, {}}
                                            : Address{row.prefecture, row.municipality, row.district, storedCode, {}});
        if (!r.ok()) {
            row.reason = r.problem;
            layer.mismatches.push_back(row);
            continue;
        }
        const bool samePoint = (!r.lon && !lon) || (r.lon && lon && lat && std::abs(*r.lon - *lon) < 1e-9 &&
                                                    std::abs(*r.lat - *lat) < 1e-9);
        if (precisionKey(r.precision) != row.precision || r.code != storedCode || !samePoint) {
            row.reason = fmt::format("stored {} {} but the geocoder now gives {} {}", row.precision, storedCode,
                                     precisionKey(r.precision), r.code);
            layer.mismatches.push_back(row);
        } else if (!r.fallback.empty()) {
            row.reason = r.fallback;
            layer.fallbacks.push_back(row);
        }
    }
    GeocodeSummary summary;
    for (auto& [name, layer] : layers) summary.layers.push_back(std::move(layer));
    return summary;
}

nlohmann::json geocodeSummaryToJson(const GeocodeSummary& summary) {
    auto rowsJson = [](const std::vector<GeocodeFallback>& rows) {
        nlohmann::json a = nlohmann::json::array();
        for (const auto& f : rows) {
            a.push_back({{"id", f.id},
                         {"name", f.name},
                         {"prefecture", f.prefecture},
                         {"municipality", f.municipality},
                         {"district", f.district},
                         {"precision", f.precision},
                         {"reason", f.reason}});
        }
        return a;
    };
    nlohmann::json out = nlohmann::json::array();
    for (const auto& l : summary.layers) {
        out.push_back({{"import_source", l.importSource},
                       {"rows", l.rows},
                       {"by_precision", l.byPrecision},
                       {"fell_back", rowsJson(l.fallbacks)},
                       {"mismatches", rowsJson(l.mismatches)}});
    }
    return out;
}

}  // namespace hubmap
