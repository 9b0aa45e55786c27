#pragma once
// The designated part of each 一部過疎 municipality, built from the pre-merger (former)
// municipalities its designation row names.
//
// Matching. Each name of a row's みなされる区域 is looked up among the former polygons that lie
// inside today's municipality (most of the polygon's geodesic area intersects it), by
// prefecture and name: first as written, then after normaliseName, in the 2000-10-01 polygons
// and then in the 1995-10-01 ones (municipalities that had merged by 2000). A name cut short in
// the source (中郷, 関, 下甑, 豊) resolves to the unique inside polygon whose name starts with it,
// leaving out those the row names itself and preferring the name plus 市/町/村 (豊 → 豊町, not the
// listed 豊浜町). A name that starts with a prefecture (長野県山口村) is looked up in that
// prefecture. Anything else is unmatched, with the reason; its municipality is then measured
// whole (whole_fallback), never dropped.
//
// Fitting. The 2000 polygons are coarser than N03-2021 and their outer edges disagree with
// today's boundary by up to a few hundred metres, so the designated polygons D neither fill
// today's municipality M along its edge nor stay inside it. In a local metric frame:
//     part = open_s( (M ∩ buffer(D, gapFillM)) − N )
// where N is the union of the other (non-designated) former polygons inside M. Inside M the
// seam between D and N is the former data's own shared edge, so it is kept exactly; gaps
// between the former data's edge and today's edge within gapFillM of D are given to D (land
// the two data sets disagree on along a designated stretch of boundary); `open_s` (a negative
// then positive buffer by sliverM) removes slivers and tails thinner than 2·sliverM, e.g.
// where D's growth ran along a boundary gap past the end of the seam; holes smaller than
// (2·sliverM)² are filled. Both opening buffers use mitred joins, so the part keeps its corners
// (and vertex count). The result is clipped to M, made valid and returned as a MultiPolygon;
// every area is geodesic (GRS80).
//
// Why 300 m. With no gap fill (plain M ∩ D) coastal parts come out 2–8% smaller than their
// former polygons (125 of 158 within 2%); 300 m recovers those edges (143 of 158 within 2%)
// without claiming much of the water that N03-2021 assigns to municipalities and the 2000
// data left unassigned (霞ヶ浦, 十和田湖, 琵琶湖: with 1 km, かすみがうら市 grows by 32%, with
// 3 km by 55%). The national designated share moves by under 0.1 point across 0–3 km.

#include <string>
#include <vector>

#include "core/geodesic.hpp"
#include "core/geos.hpp"
#include "core/model.hpp"

namespace hubmap {

/// Paths of the former-municipality files, relative to the geodata directory.
inline constexpr const char* kFormer2000File = "former_municipalities/jp_city_2000-10-01.c.topojson.gz";
inline constexpr const char* kFormer1995File = "former_municipalities/jp_city_1995-10-01_merged_by_2000.geojson.gz";

/// The credit CODH's historical boundary data requires (CC BY-SA 4.0).
inline constexpr const char* kFormerCredit =
    "国土交通省「国土数値情報（行政区域データ）」をもとにNIIが加工; ROIS-DS人文学オープンデータ共同利用センター"
    "（CODH）「歴史的行政区域データセットβ版」";

struct FormerFitOptions {
    double gapFillM = 300;  ///< boundary gaps within this distance of the designated polygons go to them
    double sliverM = 50;    ///< slivers thinner than twice this are removed
    int threads = 0;        ///< workers for the per-municipality geometry (0: every core)
};

/// Figures for init's summary.
struct FormerMatchSummary {
    std::vector<std::pair<std::string, long long>> namesByHow;  ///< how → names, in FormerMatch order
    long long names = 0;
    std::vector<std::string> unmatched;  ///< "県 市: 名 — reason"
    std::vector<std::string> inexact;    ///< every match that was not exact, with how and why
    long long parts = 0, wholeFallback = 0;
    long long withinTwoPercent = 0;        ///< parts whose fitted area is within 2% of the former area
    std::vector<std::string> worstSpread;  ///< the largest relative differences, worst first
    long long former2000Polygons = 0, former1995Polygons = 0;
    double designatedKm2 = 0;  ///< 全部/みなし whole areas + 一部 fitted parts (whole when fallen back)
    double nationalKm2 = 0;    ///< every coded municipality (Northern Territories included)
};

/// Reads the former-municipality polygons from `geodataDir` and builds one DesignatedPart per
/// 一部過疎 designation (sorted by code). `municipalities` must be sorted by code and hold
/// every designation's code. Throws Error naming the file on unreadable input.
std::vector<DesignatedPart> buildDesignatedParts(const GeosContext& ctx, const std::string& geodataDir,
                                                 const std::vector<Municipality>& municipalities,
                                                 const std::vector<Designation>& designations,
                                                 const FormerFitOptions& options, FormerMatchSummary& summary);

/// Fills the matching and area figures of `summary` from the built parts.
void summariseDesignatedParts(const std::vector<DesignatedPart>& parts, const std::vector<Municipality>& municipalities,
                              const std::vector<Designation>& designations, FormerMatchSummary& summary);

}  // namespace hubmap
