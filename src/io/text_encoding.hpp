#pragma once
// Character encodings of Japanese text files: UTF-8 or CP932 (Shift_JIS as Windows writes
// it, the usual encoding of government CSV files). Conversion goes through glibc's iconv.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hubmap {

/// The byte offset of the first byte that is not valid UTF-8, or nullopt when all of it is.
std::optional<size_t> firstInvalidUtf8(std::string_view text);

/// The iconv name for a user's encoding name: "UTF-8" for utf-8/utf8, "CP932" for
/// cp932/sjis/shift_jis/shift-jis/windows-31j/ms932, "auto" for auto; other names are passed
/// to iconv as given. Throws UsageError when iconv does not know the name.
std::string canonicalEncoding(std::string_view name);

/// Converts `text` from `encoding` (an iconv name) to UTF-8. On an invalid or incomplete
/// sequence returns nullopt and sets `badOffset` to its byte offset.
std::optional<std::string> toUtf8(std::string_view text, const std::string& encoding, size_t& badOffset);

/// Converts `text` from the iconv encoding `from` to `to` (UTF-8 to CP932 for a CSV that
/// Japanese Excel opens). On a sequence `to` cannot hold (or an invalid one) returns nullopt
/// and sets `badOffset` to its byte offset in `text`. Throws UsageError on an unknown name.
std::optional<std::string> convertEncoding(std::string_view text, const std::string& from, const std::string& to,
                                           size_t& badOffset);

/// "line N" position of a byte offset (1-based, counting '\n').
long long lineOfOffset(std::string_view text, size_t offset);

}  // namespace hubmap
