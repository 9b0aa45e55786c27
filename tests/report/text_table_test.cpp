// Plain-text output helpers: display width of Japanese text, and counts grouped for reading.
#include "report/text_table.hpp"

#include <gtest/gtest.h>

#include <climits>

namespace hubmap {

TEST(TextTable, CountsAreGroupedByThousands) {
    EXPECT_EQ(groupedThousands(0), "0");
    EXPECT_EQ(groupedThousands(999), "999");
    EXPECT_EQ(groupedThousands(1000), "1,000");
    EXPECT_EQ(groupedThousands(117714), "117,714");
    EXPECT_EQ(groupedThousands(12626916), "12,626,916");
    EXPECT_EQ(groupedThousands(-20355), "-20,355");
    EXPECT_EQ(groupedThousands(LLONG_MIN), "-9,223,372,036,854,775,808");
}

TEST(TextTable, WideCharactersTakeTwoColumns) {
    EXPECT_EQ(displayWidth("高知県"), 6u);
    EXPECT_EQ(displayWidth("abc"), 3u);
    EXPECT_EQ(pad("高知", 6), "高知  ");
    EXPECT_EQ(pad("42", 4, true), "  42");
}

}  // namespace hubmap
