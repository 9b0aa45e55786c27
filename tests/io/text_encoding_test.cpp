// Encoding detection and conversion for Japanese text files.

#include "io/text_encoding.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/names.hpp"
#include "test_util.hpp"

using namespace hubmap;

TEST(TextEncoding, FindsTheFirstInvalidUtf8Byte) {
    EXPECT_FALSE(firstInvalidUtf8("abc,高知県,𠮷").has_value());
    EXPECT_EQ(firstInvalidUtf8("ab\x82\xa0"), 2u);     // CP932 あ
    EXPECT_EQ(firstInvalidUtf8("a\xc0\xaf"), 1u);      // overlong '/'
    EXPECT_EQ(firstInvalidUtf8("a\xed\xa0\x80"), 1u);  // a surrogate
    EXPECT_EQ(firstInvalidUtf8("\xe9\xab"), 0u);       // cut short
}

TEST(TextEncoding, ConvertsCp932IncludingItsExtensions) {
    // 髙 (FB FC, an IBM extension) ① (87 40, NEC) ～ (81 60) 高知県 — bytes as Windows writes them.
    const std::string cp932 = "\xfb\xfc\x87\x40\x81\x60\x8d\x82\x92\x6d\x8c\xa7";
    size_t bad = 0;
    const auto utf8 = toUtf8(cp932, "CP932", bad);
    ASSERT_TRUE(utf8.has_value());
    EXPECT_EQ(*utf8, "髙①～高知県");
    const auto broken = toUtf8("ab\x81", "CP932", bad);  // a lead byte with nothing after it
    EXPECT_FALSE(broken.has_value());
    EXPECT_EQ(bad, 2u);
}

TEST(TextEncoding, EncodingNames) {
    EXPECT_EQ(canonicalEncoding("auto"), "auto");
    EXPECT_EQ(canonicalEncoding("UTF8"), "UTF-8");
    for (const char* name : {"cp932", "Shift_JIS", "sjis", "windows-31j", "MS932"}) {
        EXPECT_EQ(canonicalEncoding(name), "CP932") << name;
    }
    EXPECT_EQ(canonicalEncoding("euc-jp"), "EUC-JP");
    EXPECT_THROW(canonicalEncoding("klingon-8"), UsageError);
}

TEST(TextEncoding, LineOfAnOffset) {
    EXPECT_EQ(lineOfOffset("a\nb\nc", 0), 1);
    EXPECT_EQ(lineOfOffset("a\nb\nc", 2), 2);
    EXPECT_EQ(lineOfOffset("a\nb\nc", 4), 3);
}

TEST(TextEncoding, TrimSpacesIncludingIdeographicOnes) {
    EXPECT_EQ(trimSpaces("\u3000 高知県\t\u3000"), "高知県");
    EXPECT_EQ(trimSpaces("本山町　汗見川"), "本山町　汗見川");  // inner spaces stay
    EXPECT_EQ(trimSpaces(" \u3000 "), "");
    EXPECT_EQ(trimSpaces(""), "");
}
