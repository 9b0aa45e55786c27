#include "viewer/colour_scheme.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace hubmap::viewer {

Rgba mix(Rgba a, Rgba b, double t) {
    auto channel = [t](std::uint8_t x, std::uint8_t y) {
        return static_cast<std::uint8_t>(std::lround(x + (static_cast<double>(y) - x) * t));
    };
    return {channel(a.r, b.r), channel(a.g, b.g), channel(a.b, b.b), channel(a.a, b.a)};
}

std::optional<ColourMode> parseColourMode(const std::string& s) {
    if (s == "designation") return ColourMode::Designation;
    if (s == "coverage") return ColourMode::Coverage;
    if (s == "population") return ColourMode::Population;
    return std::nullopt;
}

Rgba designationColour(DesignationType t) {
    switch (t) {
        case DesignationType::Full:
            return {217, 95, 14, 255};
        case DesignationType::Partial:
            return {254, 196, 79, 255};
        case DesignationType::Deemed:
            return {153, 112, 171, 255};
        case DesignationType::None:
            break;
    }
    return palette::kNotDesignated;
}

int shareClass(double share) {
    if (!(share > 0)) return 0;  // also NaN
    return std::min(kShareClasses - 1, static_cast<int>(share * kShareClasses));
}

Rgba shareColour(double share) {
    // ColorBrewer YlGnBu, 5 classes: pale = little of the area within reach of a hub. The
    // top class takes the 9-class ramp's darkest navy (#081d58) instead of the 5-class
    // #253494, which readers could not tell from the 60-80 % blue beside it (contrast 2.4:1,
    // now 3.6:1; every neighbouring pair stays above 1.5:1).
    static const Rgba kRamp[kShareClasses] = {
        {255, 255, 204, 255}, {161, 218, 180, 255}, {65, 182, 196, 255}, {44, 127, 184, 255}, {8, 29, 88, 255}};
    return kRamp[shareClass(share)];
}

// The selection lightens its fill (a blue tint would turn the palette's oranges muddy);
// the fill shader adds a blue outline. Hovering darkens slightly.
Rgba selectedColour(Rgba base) { return mix(base, Rgba{255, 255, 255, 255}, 0.5); }

Rgba hoveredColour(Rgba base) { return mix(base, Rgba{0, 0, 0, 255}, 0.15); }

HubStyle hubStyle(const std::string& kind, std::size_t kindIndex, const std::map<std::string, std::string>& labels) {
    if (kind == "small_hub") return {{178, 24, 43, 255}, SymbolShape::Circle, "小さな拠点"};
    if (kind == "rmo") return {{27, 120, 55, 255}, SymbolShape::Square, "地域運営組織"};
    if (kind == "activity_centre") return {{118, 42, 131, 255}, SymbolShape::Diamond, "集落活動センター"};
    if (kind == "model_project") return {{1, 102, 94, 255}, SymbolShape::Star, "関係人口モデル事業"};
    if (kind == "synthetic") return {{90, 90, 90, 255}, SymbolShape::Circle, "synthetic"};
    static const HubStyle kCycle[] = {
        {{140, 81, 10, 255}, SymbolShape::Triangle, ""},
        {{197, 27, 125, 255}, SymbolShape::Cross, ""},
        {{33, 102, 172, 255}, SymbolShape::Triangle, ""},
        {{84, 39, 143, 255}, SymbolShape::Cross, ""},
    };
    HubStyle s = kCycle[kindIndex % std::size(kCycle)];
    auto it = labels.find(kind);
    s.labelJa = it != labels.end() ? it->second : kind;
    return s;
}

std::vector<int> coverageIndex(const Dataset& data, const CoverageResult* result) {
    std::vector<int> index(data.municipalities.size(), -1);
    if (!result) return index;
    for (std::size_t r = 0; r < result->municipalities.size(); ++r) {
        const int m = data.municipalityIndex(result->municipalities[r].code);
        if (m >= 0) index[static_cast<std::size_t>(m)] = static_cast<int>(r);
    }
    return index;
}

Rgba municipalityColour(const Dataset& data, std::size_t index, const ColourInputs& in,
                        const std::vector<int>& coverageIndexByMunicipality) {
    const Municipality& m = data.municipalities[index];
    const Designation* d = data.designationOf(m.code);
    const DesignationType type = d ? d->type : DesignationType::None;
    Rgba c = palette::kNotDesignated;
    if (type != DesignationType::None && in.shownDesignations.count(type)) {
        if (in.mode == ColourMode::Designation) {
            c = designationColour(type);
        } else if (!in.coverage) {
            c = palette::kPending;
        } else {
            const int row = index < coverageIndexByMunicipality.size() ? coverageIndexByMunicipality[index] : -1;
            if (row < 0) {
                c = palette::kOutsideQuery;
            } else {
                const MunicipalityCoverage& mc = in.coverage->municipalities[static_cast<std::size_t>(row)];
                if (in.mode == ColourMode::Population && mc.populationShare) {
                    c = shareColour(*mc.populationShare);
                } else if (in.mode == ColourMode::Coverage && mc.coveredShare) {
                    c = shareColour(*mc.coveredShare);
                } else {
                    c = mc.covered ? palette::kHasHub : palette::kNoHub;
                }
            }
        }
    }
    if (static_cast<int>(index) == in.selected) return selectedColour(c);
    if (static_cast<int>(index) == in.hovered) return hoveredColour(c);
    return c;
}

std::vector<Rgba> municipalityColours(const Dataset& data, const ColourInputs& in) {
    const std::vector<int> rows = coverageIndex(data, in.coverage);
    const std::size_t nm = data.municipalities.size();
    std::vector<Rgba> colours(nm + data.designatedParts.size());
    for (std::size_t i = 0; i < nm; ++i) colours[i] = municipalityColour(data, i, in, rows);
    // The rest of each 一部過疎 municipality (outside its designated part): not designated,
    // unless the query measured the municipality whole; highlighted with it.
    for (std::size_t k = 0; k < data.designatedParts.size(); ++k) colours[nm + k] = restColour(data, k, in, rows);
    return colours;
}

Rgba restColour(const Dataset& data, std::size_t part, const ColourInputs& in,
                const std::vector<int>& coverageIndexByMunicipality) {
    const int m = data.municipalityIndex(data.designatedParts[part].code);
    if (m < 0) return palette::kNotDesignated;
    const std::size_t i = static_cast<std::size_t>(m);
    Rgba c = palette::kNotDesignated;
    const int row = in.mode != ColourMode::Designation && in.coverage && i < coverageIndexByMunicipality.size()
                        ? coverageIndexByMunicipality[i]
                        : -1;
    if (row >= 0 &&
        in.coverage->municipalities[static_cast<std::size_t>(row)].measuredOn != MeasuredOn::FormerMunicipalities) {
        ColourInputs plain = in;
        plain.selected = plain.hovered = -1;
        c = municipalityColour(data, i, plain, coverageIndexByMunicipality);
    }
    if (m == in.selected) return selectedColour(c);
    if (m == in.hovered) return hoveredColour(c);
    return c;
}

double contrastRatio(Rgba a, Rgba b) {
    auto luminance = [](Rgba c) {
        auto linear = [](std::uint8_t v) {
            const double x = v / 255.0;
            return x <= 0.04045 ? x / 12.92 : std::pow((x + 0.055) / 1.055, 2.4);
        };
        return 0.2126 * linear(c.r) + 0.7152 * linear(c.g) + 0.0722 * linear(c.b);
    };
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

std::string legendTitle(ColourMode mode, std::optional<double> radiusKm) {
    if (mode == ColourMode::Designation) return "過疎地域の指定 (2022-04-01)";
    if (radiusKm && mode == ColourMode::Population)
        return fmt::format("Residents within {:.1f} km of a hub", *radiusKm);
    if (radiusKm) return fmt::format("Designated area within {:.1f} km of a hub", *radiusKm);
    return "Hubs inside designated municipalities";
}

std::vector<LegendEntry> fillLegend(ColourMode mode, bool hasRadius) {
    std::vector<LegendEntry> legend;
    if (mode == ColourMode::Designation) {
        legend.push_back({designationColour(DesignationType::Full), "全部過疎 (whole municipality)"});
        legend.push_back({designationColour(DesignationType::Partial), "一部過疎 (former municipalities)"});
        legend.push_back({designationColour(DesignationType::Deemed), "みなし過疎 (deemed)"});
    } else if (hasRadius) {
        static const char* const kLabels[kShareClasses] = {"0–20 %", "20–40 %", "40–60 %", "60–80 %", "80–100 %"};
        for (int k = 0; k < kShareClasses; ++k) {
            legend.push_back(
                {shareColour((k + 0.5) / kShareClasses),
                 std::string(mode == ColourMode::Population ? "residents within reach " : "area covered ") +
                     kLabels[k]});
        }
        legend.push_back({palette::kOutsideQuery, "designated, not in the query"});
    } else {
        legend.push_back({palette::kNoHub, "designated, no hub inside"});
        legend.push_back({palette::kHasHub, "designated, at least one hub"});
        legend.push_back({palette::kOutsideQuery, "designated, not in the query"});
    }
    legend.push_back({palette::kNotDesignated, "not designated"});
    return legend;
}

}  // namespace hubmap::viewer
