#pragma once
// Map colours with no GL: the designation palette, the covered-share choropleth, hub
// symbols, highlights and legends. The fill shader only looks colours up: recolouring
// the map means recomputing the per-municipality colour table here and uploading it.

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/coverage.hpp"
#include "core/model.hpp"

namespace hubmap::viewer {

struct Rgba {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    bool operator==(const Rgba& o) const { return r == o.r && g == o.g && b == o.b && a == o.a; }
    bool operator!=(const Rgba& o) const { return !(*this == o); }
    /// 0xAABBGGRR, the byte order of ImGui's ImU32.
    std::uint32_t packed() const { return r | (g << 8) | (b << 16) | (std::uint32_t(a) << 24); }
};

/// Linear blend: t = 0 gives a, t = 1 gives b.
Rgba mix(Rgba a, Rgba b, double t);

/// Coverage: the share of the designated area within reach; Population: the share of its
/// residents (both fall back to hub presence without a radius).
enum class ColourMode { Designation, Coverage, Population };
/// "designation" / "coverage" / "population".
std::optional<ColourMode> parseColourMode(const std::string& s);

namespace palette {
inline constexpr Rgba kSea{170, 205, 226, 255};
inline constexpr Rgba kMunicipalBorder{120, 120, 120, 255};
inline constexpr Rgba kPrefectureBorder{60, 60, 70, 255};
inline constexpr Rgba kNotDesignated{240, 237, 229, 255};
inline constexpr Rgba kOutsideQuery{222, 219, 212, 255};  ///< designated, but filtered out of the query
inline constexpr Rgba kPending{205, 205, 205, 255};       ///< coverage not computed yet
inline constexpr Rgba kSelection{0, 110, 220, 255};
inline constexpr Rgba kUncovered{200, 30, 40, 255};
inline constexpr Rgba kNoHub{214, 96, 77, 255};    ///< coverage without radius: no hub inside
inline constexpr Rgba kHasHub{67, 147, 195, 255};  ///< coverage without radius: at least one hub
}  // namespace palette

/// 全部過疎 / 一部過疎 / みなし過疎 / not designated.
Rgba designationColour(DesignationType t);

/// The choropleth classes of covered share: [0, 0.2), [0.2, 0.4), … [0.8, 1].
inline constexpr int kShareClasses = 5;
int shareClass(double share);
Rgba shareColour(double share);

/// WCAG 2 contrast ratio of two colours' relative luminance, 1 (same) to 21 (black on white).
double contrastRatio(Rgba a, Rgba b);

/// The fill colour with the selection highlight applied (lighter; the outline is the shader's).
Rgba selectedColour(Rgba base);
/// The fill colour with the hover highlight applied.
Rgba hoveredColour(Rgba base);

/// Symbol shapes the hub shader draws (values shared with shaders/symbol.fragment.glsl).
enum class SymbolShape : int { Circle = 0, Square = 1, Diamond = 2, Triangle = 3, Star = 4, Cross = 5 };

struct HubStyle {
    Rgba colour;
    SymbolShape shape = SymbolShape::Circle;
    std::string labelJa;  ///< 小さな拠点, 地域運営組織…; the kind itself for imported kinds
};
/// Style of a hub kind: fixed for the builtin kinds, from a cycle for others; its label from
/// `labels` (Dataset::kindLabels, `import --kind-label`) where given.
HubStyle hubStyle(const std::string& kind, std::size_t kindIndex,
                  const std::map<std::string, std::string>& labels = {});

/// What decides a municipality's fill.
struct ColourInputs {
    ColourMode mode = ColourMode::Designation;
    /// Designation types shown in colour (Layers panel filter); others are drawn as not designated.
    std::set<DesignationType> shownDesignations = {DesignationType::Full, DesignationType::Partial,
                                                   DesignationType::Deemed};
    const CoverageResult* coverage = nullptr;  ///< latest result, if any
    int selected = -1;                         ///< municipality index
    int hovered = -1;
};

/// One colour per map fill feature (map_geometry.hpp mapFeatureCount): each
/// Dataset::municipalities index, then the rest of each 一部過疎 municipality outside its
/// designated part (Dataset::designatedParts order).
std::vector<Rgba> municipalityColours(const Dataset& data, const ColourInputs& in);

/// The colour of the rest of the municipality of Dataset::designatedParts[part]: not
/// designated, unless the query measured it whole (then its municipality's colour);
/// highlighted with its municipality.
Rgba restColour(const Dataset& data, std::size_t part, const ColourInputs& in,
                const std::vector<int>& coverageIndexByMunicipality);

/// The colour of one municipality (what municipalityColours computes for it).
Rgba municipalityColour(const Dataset& data, std::size_t index, const ColourInputs& in,
                        const std::vector<int>& coverageIndexByMunicipality);

/// For each municipality index, its row in result.municipalities or -1.
std::vector<int> coverageIndex(const Dataset& data, const CoverageResult* result);

struct LegendEntry {
    Rgba colour;
    std::string label;
};
/// The legend's heading for a mode (with the radius when there is one).
std::string legendTitle(ColourMode mode, std::optional<double> radiusKm);

/// Legend of the fill for a mode; `hasRadius` selects the share classes over has-hub/no-hub.
std::vector<LegendEntry> fillLegend(ColourMode mode, bool hasRadius);

}  // namespace hubmap::viewer
