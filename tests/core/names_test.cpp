#include "core/names.hpp"

#include <gtest/gtest.h>

using namespace hubmap;

TEST(Names, FoldsVariantSpellingsSeenAcrossSources) {
    EXPECT_EQ(normaliseName("檮原町"), normaliseName("梼原町"));
    EXPECT_EQ(normaliseName("鰺ヶ沢町"), normaliseName("鰺ケ沢町"));
    EXPECT_EQ(normaliseName("龍ヶ崎市"), "龍ケ崎市");
    EXPECT_NE(normaliseName("大川村"), normaliseName("大豊町"));
    // Old forms in the pre-merger boundary data (沖繩県) and the designation list (耶馬溪町).
    EXPECT_EQ(normaliseName("沖繩県"), "沖縄県");
    EXPECT_EQ(normaliseName("耶馬溪町"), normaliseName("耶馬渓町"));
}

TEST(Names, StripsCountyOnlyBeforeTownsAndVillages) {
    EXPECT_EQ(stripCounty("長岡郡本山町"), "本山町");
    EXPECT_EQ(stripCounty("土佐郡大川村"), "大川村");
    EXPECT_EQ(stripCounty("郡山市"), "郡山市");  // 郡 at the start is part of the name
    EXPECT_EQ(stripCounty("郡上市"), "郡上市");
    EXPECT_EQ(stripCounty("札幌市中央区"), "札幌市中央区");
}

TEST(Names, PrefectureCodesFollowJisOrder) {
    EXPECT_EQ(prefectureCode("北海道"), 1);
    EXPECT_EQ(prefectureCode("高知県"), 39);
    EXPECT_EQ(prefectureCode("沖縄県"), 47);
    EXPECT_EQ(prefectureCode("高知"), 0);
    EXPECT_EQ(prefectureName(13), "東京都");
    EXPECT_EQ(prefectureName(48), "");
}

TEST(Names, PrefixesAndSuffixesIgnoreAsciiCase) {
    // `hubmap export --out x.GPKG` was refused: the extension test compared bytes.
    EXPECT_TRUE(endsWith("x.GPKG", ".gpkg"));
    EXPECT_TRUE(endsWith("out/Coverage.GpKg", ".gpkg"));
    EXPECT_TRUE(endsWith("a.csv.GZ", ".gz"));
    EXPECT_TRUE(startsWith("/VSIZIP/a.zip", "/vsi"));
    EXPECT_FALSE(endsWith("x.gpkx", ".gpkg"));
    EXPECT_FALSE(endsWith("gpkg", ".gpkg"));
    EXPECT_TRUE(equalsIgnoringAsciiCase("Small_Hub", "small_hub"));
    EXPECT_FALSE(equalsIgnoringAsciiCase("small_hub", "small_hubs"));
    // Only ASCII folds: non-ASCII characters, full-width letters included, must match exactly.
    EXPECT_TRUE(endsWith("長岡郡本山町", "町"));
    EXPECT_FALSE(endsWith("本山町", "村"));
    EXPECT_FALSE(endsWith("ＧＰＫＧ", "ｇｐｋｇ"));
    EXPECT_FALSE(startsWith("Éa", "éa"));
}
