// The field registry: each output takes its fields from the one list of its row type, so a
// field defined once appears under the same key everywhere it is listed; Shapefile names
// fit DBF; the uncovered-name fallback; the nation's JSON object without code and name.

#include "report/fields.hpp"

#include <gtest/gtest.h>

#include <set>

#include "analysis/coverage.hpp"
#include "analysis/coverage_fixture.hpp"
#include "report/coverage_json.hpp"
#include "report/coverage_layers.hpp"
#include "report/export.hpp"

using namespace hubmap;
using hubmap::test::boxWkt;
using hubmap::test::DatasetBuilder;

namespace {

std::vector<std::string> keys(const std::vector<FieldInfo>& fields) {
    std::vector<std::string> out;
    for (const auto& f : fields) out.emplace_back(f.key);
    return out;
}

void checkList(const std::string& what, const std::vector<FieldInfo>& fields) {
    std::set<std::string> names, shortNames;
    for (const FieldInfo& f : fields) {
        const std::string key = f.key, shortName = f.shapefileName;
        EXPECT_TRUE(names.insert(key).second) << what << ": duplicate key " << key;
        EXPECT_TRUE(shortNames.insert(shortName).second) << what << ": duplicate Shapefile name " << shortName;
        EXPECT_LE(shortName.size(), 10u) << what << ": " << key;
        EXPECT_FALSE(std::string(f.labelJa).empty()) << what << ": " << key << " has no Japanese label";
        EXPECT_NE(f.outputs, 0u) << what << ": " << key << " appears nowhere";
        for (char c : key + shortName) EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') << key;
    }
}

Dataset smallDataset() {
    DatasetBuilder b;
    b.prefecture(2, "青森県");
    b.municipality("90001", 2, "青森県", "東村", boxWkt(140.0, 40.0, 141.0, 40.8), DesignationType::Full)
        .municipality("90002", 2, "青森県", "西町", boxWkt(141.0, 40.0, 142.0, 40.8), DesignationType::Partial,
                      {"旧甲村", "旧乙村"})
        .municipality("90004", 2, "青森県", "北市", boxWkt(139.0, 40.0, 140.0, 40.8));
    b.hub("centre", "small_hub", 140.5, 40.4, "90001");
    return b.build();
}

}  // namespace

TEST(FieldRegistry, EveryListHasUniqueShortAsciiNamesInEveryOutput) {
    for (const FieldTable& t : fieldTables()) {
        for (unsigned output : {kOutJson, kOutRows, kOutExport}) {
            std::vector<FieldInfo> subset;
            for (const auto& f : t.fields) {
                if (f.outputs & output) subset.push_back(f);
            }
            checkList(t.title, subset);
        }
    }
    checkList("gap rows (csv)", fieldInfos(municipalityGapFields(), kOutRows));
    checkList("prefecture gap rows (csv)", fieldInfos(prefectureGapFields(), kOutRows));
}

TEST(FieldRegistry, EveryOutputTakesItsFieldsFromTheRegistry) {
    // The CSV/GeoJSON rows and the export layers list exactly the registry's fields.
    EXPECT_EQ(coverageLayerFields("municipality"), keys(fieldInfos(municipalityFields(), kOutRows)));
    EXPECT_EQ(coverageLayerFields("prefecture"), keys(fieldInfos(totalsFields(), kOutRows)));
    const std::pair<const char*, std::vector<FieldInfo>> layers[] = {
        {"municipalities", fieldInfos(municipalityFields(), kOutExport)},
        {"hubs", fieldInfos(hubFields(), kOutExport)},
        {"catchments", fieldInfos(catchmentFields(), kOutExport)},
        {"uncovered", fieldInfos(uncoveredFields(), kOutExport)},
        {"prefecture_summary", fieldInfos(totalsFields(), kOutExport)},
    };
    for (const auto& [layer, fields] : layers) {
        std::vector<std::pair<std::string, std::string>> expected;
        for (const auto& f : fields) expected.emplace_back(f.key, f.shapefileName);
        EXPECT_EQ(shapefileFieldNames(layer), expected) << layer;
    }
    // The JSON objects hold exactly the registry's JSON fields.
    const Dataset data = smallDataset();
    Progress progress;
    const CoverageResult r = computeCoverage(data, CoverageOptions{}, progress);
    ASSERT_EQ(r.municipalities.size(), 2u);
    std::set<std::string> jsonKeys;
    const nlohmann::json municipality = municipalityCoverageJson(data, r.municipalities[0]);
    for (const auto& [key, value] : municipality.items()) jsonKeys.insert(key);
    const std::vector<std::string> registry = keys(fieldInfos(municipalityFields(), kOutJson));
    EXPECT_EQ(jsonKeys, std::set<std::string>(registry.begin(), registry.end()));
    // A gap row: its own fields, then the municipality's.
    const std::vector<std::string> gapKeys = keys(fieldInfos(municipalityGapFields(), kOutRows));
    ASSERT_FALSE(gapKeys.empty());
    EXPECT_EQ(gapKeys.front(), "rank");
    EXPECT_EQ(std::vector<std::string>(gapKeys.begin() + 1, gapKeys.end()), coverageLayerFields("municipality"));
}

TEST(FieldRegistry, RowsOutsideTheQueryHaveNullFiguresButTheirDesignation) {
    const Dataset data = smallDataset();
    const MunicipalityRow outside{data, data.municipalities[2], data.designationOf("90004"), nullptr};
    const std::vector<FieldInfo> fields = fieldInfos(municipalityFields(), kOutExport);
    const std::vector<FieldValue> values = fieldValues(municipalityFields(), kOutExport, outside);
    ASSERT_EQ(fields.size(), values.size());
    for (size_t i = 0; i < fields.size(); ++i) {
        const std::string key = fields[i].key;
        if (key == "hubs" || key == "covered_km2" || key == "hub_ids" || key == "former_municipalities") {
            EXPECT_TRUE(std::holds_alternative<std::monostate>(values[i])) << key;
        }
        if (key == "in_query") {
            EXPECT_EQ(std::get<bool>(values[i]), false);
        }
        if (key == "designation") {
            EXPECT_EQ(std::get<std::string>(values[i]), "none");
        }
    }
}

TEST(FieldRegistry, UncoveredNamesFallBackToTheCode) {
    const Dataset data = smallDataset();
    EXPECT_EQ(uncoveredNames(data, {"90002", "99999"}), (std::vector<std::string>{"西町", "99999"}));
    Progress progress;
    const CoverageResult r = computeCoverage(data, CoverageOptions{}, progress);
    // JSON [{code, name}]: the same names as the tables' uncovered_names.
    const nlohmann::json nation = coverageTotalsJson(data, r.nation);
    ASSERT_EQ(nation.at("uncovered").size(), 1u);
    EXPECT_EQ(nation["uncovered"][0], (nlohmann::json{{"code", "90002"}, {"name", "西町"}}));
    // The nation has no code or name in JSON; a prefecture has both.
    EXPECT_FALSE(nation.contains("code"));
    EXPECT_FALSE(nation.contains("name"));
    EXPECT_FALSE(nation.contains("uncovered_names")) << "a table-only field";
    const nlohmann::json pref = prefectureCoverageJson(data, r.prefectures.at(0));
    EXPECT_EQ(pref.at("code"), "02") << "codes are zero-padded text everywhere";
    EXPECT_EQ(pref.at("name"), "青森県");
}

TEST(FieldRegistry, AliasesJoinJapaneseUnitAndEnglish) {
    EXPECT_EQ(fieldAlias(FieldInfo{"area_km2", FieldType::Real, "area_km2", "面積", "area", "km²", kOutJson}),
              "面積 km² (area)");
    EXPECT_EQ(fieldAlias(FieldInfo{"id", FieldType::Text, "id", "ID", "", "", kOutExport}), "ID");
}

TEST(FieldRegistry, TheDocsTableListsEveryField) {
    const std::string md = fieldsMarkdown();
    for (const FieldTable& t : fieldTables()) {
        EXPECT_NE(md.find("## " + t.title), std::string::npos) << t.title;
        for (const auto& f : t.fields)
            EXPECT_NE(md.find(std::string("| `") + f.key + "` |"), std::string::npos) << f.key;
    }
}

TEST(FieldRegistry, JapaneseHeadingsAreUniqueInEveryTable) {
    // CSV --headers ja and the XLSX sheets name columns by their Japanese headings: two fields
    // with one heading would make a column unreadable (designation and designation_ja once did).
    auto check = [](const std::string& what, const std::vector<FieldInfo>& fields) {
        for (bool percent : {false, true}) {
            std::set<std::string> headings;
            for (const FieldInfo& f : fields) {
                EXPECT_TRUE(headings.insert(fieldHeadingJa(f, percent)).second)
                    << what << ": heading " << fieldHeadingJa(f, percent) << " twice";
            }
        }
    };
    check("municipality rows", fieldInfos(municipalityFields(), kOutRows));
    check("totals rows", fieldInfos(totalsFields(), kOutRows));
    check("municipality gap rows", fieldInfos(municipalityGapFields(), kOutRows));
    check("prefecture gap rows", fieldInfos(prefectureGapFields(), kOutRows));
    for (const FieldInfo& f : fieldInfos(totalsFields(), kOutRows)) {
        if (std::string_view(f.key) == "designated_km2") {
            EXPECT_EQ(fieldHeadingJa(f, true), "過疎区域の面積（k㎡）");
        }
        if (std::string_view(f.key) == "covered_share") {
            EXPECT_EQ(fieldHeadingJa(f, true), "カバー率（%）");
        }
    }
}

TEST(FieldRegistry, TotalsAreLabelledByWhatTheyTotal) {
    CoverageOptions o;
    EXPECT_EQ(totalsLabel(o), "全国");
    o.prefectures = {"島根県"};
    EXPECT_EQ(totalsLabel(o), "島根県計");
    o.prefectures = {"島根県", "高知県"};
    EXPECT_EQ(totalsLabel(o), "選択計");
    EXPECT_EQ(prefectureCodeText(8), "08");
    EXPECT_EQ(prefectureCodeText(47), "47");
}
