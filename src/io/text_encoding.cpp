#include "io/text_encoding.hpp"

#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <memory>

#include "core/error.hpp"

namespace hubmap {

namespace {

struct IconvCloser {
    void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};
using IconvPtr = std::unique_ptr<void, IconvCloser>;

IconvPtr openIconv(const std::string& from, const std::string& to = "UTF-8") {
    iconv_t cd = iconv_open(to.c_str(), from.c_str());
    if (cd == reinterpret_cast<iconv_t>(-1)) return nullptr;
    return IconvPtr(cd);
}

}  // namespace

std::optional<size_t> firstInvalidUtf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const size_t n = text.size();
    size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        size_t len = 0;
        unsigned int cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return i;
        }
        if (i + len > n) return i;
        for (size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8.
        const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        if (overlong || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return i;
        i += len;
    }
    return std::nullopt;
}

std::string canonicalEncoding(std::string_view name) {
    std::string lower(name);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.empty() || lower == "auto") return "auto";
    if (lower == "utf-8" || lower == "utf8") return "UTF-8";
    for (const char* alias : {"cp932", "sjis", "shift_jis", "shift-jis", "shiftjis", "windows-31j", "ms932"}) {
        if (lower == alias) return "CP932";
    }
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    if (!openIconv(upper)) {
        throw UsageError("unknown encoding '" + std::string(name) + "' (use auto, utf-8, cp932 or an iconv name)");
    }
    return upper;
}

std::optional<std::string> convertEncoding(std::string_view text, const std::string& from, const std::string& to,
                                           size_t& badOffset) {
    IconvPtr cd = openIconv(from, to);
    if (!cd) throw UsageError("unknown encoding '" + (openIconv(from) ? to : from) + "'");
    std::string out;
    out.resize(text.size() * 2 + 16);  // CP932 <-> UTF-8 changes the size by at most 3/2; room to spare
    char* in = const_cast<char*>(text.data());
    size_t inLeft = text.size();
    char* dst = out.data();
    size_t outLeft = out.size();
    while (inLeft > 0) {
        const size_t rc = iconv(static_cast<iconv_t>(cd.get()), &in, &inLeft, &dst, &outLeft);
        if (rc != static_cast<size_t>(-1)) break;
        if (errno == E2BIG) {
            const size_t used = static_cast<size_t>(dst - out.data());
            out.resize(out.size() * 2);
            dst = out.data() + used;
            outLeft = out.size() - used;
            continue;
        }
        badOffset = static_cast<size_t>(in - text.data());  // EILSEQ or EINVAL
        return std::nullopt;
    }
    out.resize(static_cast<size_t>(dst - out.data()));
    return out;
}

std::optional<std::string> toUtf8(std::string_view text, const std::string& encoding, size_t& badOffset) {
    return convertEncoding(text, encoding, "UTF-8", badOffset);
}

long long lineOfOffset(std::string_view text, size_t offset) {
    offset = std::min(offset, text.size());
    return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}

}  // namespace hubmap
