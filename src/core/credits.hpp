#pragma once
// Credit lines that the data's licences require wherever hubmap shows or redistributes
// the data (database, exports, viewer). One definition, used by all of them.

namespace hubmap {

/// MLIT's required credit for the N03 administrative boundaries (国土数値情報 行政区域データ).
inline constexpr const char* kMlitBoundaryCredit = "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成";

}  // namespace hubmap
