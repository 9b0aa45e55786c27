#pragma once
// Credit lines that the data's licences require wherever hubmap shows or redistributes
// the data (database, exports, viewer). One definition, used by all of them.

namespace hubmap {

/// MLIT's required credit for the N03 administrative boundaries (国土数値情報 行政区域データ).
inline constexpr const char* kMlitBoundaryCredit = "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成";

/// The 2015 census small-area population (総務省統計局, e-Stat; Government of Japan Standard Terms of Use).
inline constexpr const char* kCensusSmallAreaCredit = "出典：総務省統計局 国勢調査（平成27年）小地域集計";

/// The 2022-01-01 resident register population (総務省; CC BY 4.0).
inline constexpr const char* kResidentRegisterCredit =
    "出典：総務省 住民基本台帳に基づく人口、人口動態及び世帯数（令和4年1月1日現在）";

}  // namespace hubmap
