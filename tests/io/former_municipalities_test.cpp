// 一部過疎 designated parts built from the former (pre-merger) municipalities: every listed name
// matched or reported, parts that lie inside their municipality and agree with the former
// polygons' own areas, and a designation naming a former municipality that exists nowhere.

#include "io/former_municipalities.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/geodesic.hpp"
#include "io/gdal.hpp"
#include "io/init.hpp"
#include "io/spatialite.hpp"
#include "io/store.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace hubmap;
using hubmap::test::kGeodataDir;
using hubmap::test::kNationalDb;

namespace {

class DesignatedParts : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        LoadOptions load;  // the tests read polygons, parts and designations, no points
        load.settlements = false;
        load.population = false;
        data_ = new Dataset(loadDataset(kNationalDb, load));
    }
    static void TearDownTestSuite() {
        delete data_;
        data_ = nullptr;
    }
    static const Dataset& data() { return *data_; }
    Database db_{kNationalDb, Database::Mode::ReadOnly};

    const Municipality& municipality(const std::string& pref, const std::string& name) const {
        for (const auto& m : data().municipalities) {
            if (m.prefecture == pref && m.name == name) return m;
        }
        throw Error("no municipality " + pref + name);
    }

private:
    static Dataset* data_;
};
Dataset* DesignatedParts::data_ = nullptr;

double scalarReal(const Database& db, const std::string& sql) {
    Statement st = db.prepare(sql);
    if (!st.step() || st.isNull(0)) throw Error("no value: " + sql);
    return st.real(0);
}

// Geodesic areas of the named 2000-10-01 polygons, read straight from the vendored file
// (not through the code under test).
double formerArea2000(const std::string& prefecture, const std::vector<std::string>& names) {
    GeosContext ctx;
    Geodesic geodesic;
    GdalDatasetPtr ds = openVector((fs::path(kGeodataDir) / kFormer2000File).string());
    OGRLayer* layer = ds->GetLayer(0);
    double sum = 0;
    int found = 0;
    for (OgrFeaturePtr f(layer->GetNextFeature()); f; f.reset(layer->GetNextFeature())) {
        if (fieldText(*f, "N03_001") != prefecture) continue;
        const std::string name = fieldText(*f, "N03_004");
        if (std::find(names.begin(), names.end(), name) == names.end()) continue;
        sum += geodesic.areaKm2(ctx, geosFromOgr(ctx, *f->GetGeometryRef()).get());
        ++found;
    }
    EXPECT_EQ(found, static_cast<int>(names.size()));
    return sum;
}

}  // namespace

TEST_F(DesignatedParts, EveryListedNameIsMatchedOrReportedWithAReason) {
    EXPECT_EQ(db_.scalarInt("SELECT COUNT(*) FROM designated_parts"), 158);
    EXPECT_EQ(db_.scalarInt("SELECT COUNT(*) FROM designated_part_names"), 347);
    // One part per 一部過疎 row, none for the rest.
    EXPECT_EQ(db_.scalarInt("SELECT COUNT(*) FROM designated_parts p JOIN designations d USING (code)"
                            " WHERE d.type = 'partial'"),
              158);
    EXPECT_EQ(db_.scalarInt("SELECT COUNT(*) FROM designated_part_names WHERE how = 'unmatched'"
                            " AND (reason IS NULL OR reason = '')"),
              0);
    EXPECT_EQ(db_.scalarInt("SELECT COUNT(*) FROM designated_part_names WHERE how <> 'unmatched'"
                            " AND (matched_name IS NULL OR former_area_km2 IS NULL OR former_area_km2 <= 0)"),
              0);
    // Every name of the real list resolves, so nothing falls back to the whole municipality.
    EXPECT_EQ(db_.scalarInt("SELECT COUNT(*) FROM designated_part_names WHERE how = 'unmatched'"), 0);
    EXPECT_EQ(db_.scalarInt("SELECT COUNT(*) FROM designated_parts WHERE measured_on = 'whole_fallback'"), 0);
    // The incomplete rows stay flagged.
    EXPECT_EQ(db_.scalarInt("SELECT COUNT(*) FROM designations WHERE incomplete = 1 AND type = 'partial'"), 4);

    auto how = [&](const std::string& code, const std::string& name) {
        return db_.scalarText(
            "SELECT how || ':' || matched_prefecture || matched_name FROM designated_part_names"
            " WHERE code = '" +
            code + "' AND name = '" + name + "'");
    };
    EXPECT_EQ(how(municipality("新潟県", "上越市").code, "中郷"), "prefix:新潟県中郷村");
    EXPECT_EQ(how(municipality("愛媛県", "今治市").code, "関"), "prefix:愛媛県関前村");
    EXPECT_EQ(how(municipality("鹿児島県", "薩摩川内市").code, "下甑"), "prefix:鹿児島県下甑村");
    // 豊浜町 also starts with 豊, but the row names it itself.
    EXPECT_EQ(how(municipality("広島県", "呉市").code, "豊"), "prefix:広島県豊町");
    EXPECT_EQ(how(municipality("広島県", "呉市").code, "豊浜町"), "exact:広島県豊浜町");
    EXPECT_EQ(how(municipality("岐阜県", "中津川市").code, "長野県山口村"), "other_prefecture:長野県山口村");
    EXPECT_EQ(how(municipality("兵庫県", "丹波篠山市").code, "篠山町"), "other_year:兵庫県篠山町");
    // Three 東村 in 群馬県 in 2000: the one inside みどり市.
    EXPECT_EQ(how(municipality("群馬県", "みどり市").code, "東村"), "exact:群馬県東村");
}

TEST_F(DesignatedParts, KochiCityIsKagamiAndTosayamaWithinTwoPercentOfTheirFormerArea) {
    const Municipality& kochi = municipality("高知県", "高知市");
    const DesignatedPart* part = data().designatedPartOf(kochi.code);
    ASSERT_NE(part, nullptr);
    ASSERT_EQ(part->names.size(), 2u);
    EXPECT_EQ(part->names[0].matchedName, "鏡村");
    EXPECT_EQ(part->names[1].matchedName, "土佐山村");
    EXPECT_EQ(part->measuredOn, MeasuredOn::FormerMunicipalities);
    const double former = formerArea2000("高知県", {"鏡村", "土佐山村"});
    EXPECT_NEAR(former, 119.9, 0.3);  // 59.7 + 60.2 km² (the data's README)
    EXPECT_NEAR(part->formerAreaKm2, former, 1e-6);
    EXPECT_NEAR(part->areaKm2, former, 0.02 * former);
    EXPECT_LT(part->areaKm2, 0.5 * kochi.areaKm2);  // a part, not the whole city (309 km²)
    // Stored area is the geodesic area of the stored geometry.
    EXPECT_NEAR(Geodesic().areaKm2(*data().ctx, part->geom.get()), part->areaKm2, 1e-6);
}

TEST_F(DesignatedParts, MatsueCityHallIsOutsideMatsuesPart) {
    const Municipality& matsue = municipality("島根県", "松江市");
    const DesignatedPart* part = data().designatedPartOf(matsue.code);
    ASSERT_NE(part, nullptr);
    const GeosContext& ctx = *data().ctx;
    // 松江市役所, 末次町86 (the gazetteer puts 末次町 at 133.0498, 35.4675).
    const GeomPtr cityHall = makePoint(ctx, 133.0505, 35.4681);
    EXPECT_EQ(GEOSContains_r(ctx, matsue.geom.get(), cityHall.get()), 1);
    EXPECT_EQ(GEOSIntersects_r(ctx, part->geom.get(), cityHall.get()), 0);
    // 美保関町片江 (gazetteer point), in the designated former 美保関町, is inside it.
    const GeomPtr mihonoseki = makePoint(ctx, 133.203354, 35.564088);
    EXPECT_EQ(GEOSContains_r(ctx, matsue.geom.get(), mihonoseki.get()), 1);
    EXPECT_EQ(GEOSContains_r(ctx, part->geom.get(), mihonoseki.get()), 1);
}

TEST_F(DesignatedParts, EveryPartIsValidInsideItsMunicipalityAndMostAgreeWithinTwoPercent) {
    const GeosContext& ctx = *data().ctx;
    const Geodesic geodesic;
    ASSERT_EQ(data().designatedParts.size(), 158u);
    int within = 0;
    for (const auto& p : data().designatedParts) {
        SCOPED_TRACE(p.code);
        const Municipality& m = data().municipalities[static_cast<size_t>(data().municipalityIndex(p.code))];
        EXPECT_EQ(GEOSGeomTypeId_r(ctx, p.geom.get()), GEOS_MULTIPOLYGON);
        EXPECT_EQ(GEOSisValid_r(ctx, p.geom.get()), 1);
        EXPECT_GT(p.areaKm2, 0);
        EXPECT_LE(p.areaKm2, m.areaKm2 + 1e-6);
        const GeomPtr outside = takeGeom(ctx, GEOSDifference_r(ctx, p.geom.get(), m.geom.get()), "difference");
        EXPECT_LT(geodesic.areaKm2(ctx, outside.get()), 1e-4);
        if (std::fabs(p.areaKm2 / p.formerAreaKm2 - 1) <= 0.02) ++within;
    }
    EXPECT_GE(within, 158 * 3 / 4);
}

TEST_F(DesignatedParts, NationalDesignatedShareIsAboutSixTenths) {
    const double designated =
        scalarReal(db_,
                   "SELECT SUM(CASE WHEN d.type = 'partial' THEN p.area_km2 ELSE m.area_km2 END) FROM designations d"
                   " JOIN municipalities m USING (code) LEFT JOIN designated_parts p USING (code)");
    const double national = scalarReal(db_, "SELECT SUM(area_km2) FROM municipalities");
    EXPECT_GT(designated / national, 0.62);
    EXPECT_LT(designated / national, 0.645);
}

TEST_F(DesignatedParts, RecordsTheSourceWithItsCreditAndLicence) {
    EXPECT_EQ(db_.scalarInt("SELECT COUNT(*) FROM sources WHERE name LIKE '%CC BY-SA 4.0%'"
                            " AND credit LIKE '%NIIが加工%' AND credit LIKE '%CODH%'"),
              1);
}

// --- a designation naming a former municipality that exists nowhere ------------------

// On the small copy of geodata/ (高知県 whole: tests/make_small_geodata.py): the same init.
TEST(DesignatedPartsInit, AnUnknownFormerMunicipalityIsReportedByNameAndMeasuredWhole) {
    test::ScratchDir scratch;
    const fs::path geodata = scratch.path() / "geodata";
    for (const auto& rel : geodataInputs()) {
        fs::create_directories((geodata / rel).parent_path());
        fs::create_symlink(fs::path(test::kSmallGeodataDir) / rel, geodata / rel);
    }
    const std::string rel = "designations/kaso_r4_2022-04-01.csv";
    std::string csv = test::readFile((fs::path(test::kSmallGeodataDir) / rel).string());
    // Its other 一部過疎 rows keep their parts.
    long long otherParts = -1;
    for (size_t at = 0; (at = csv.find(",一部過疎,", at)) != std::string::npos; ++at) ++otherParts;
    ASSERT_GE(otherParts, 1);
    const std::string row = "高知県,高知市,一部過疎,鏡村|土佐山村,一部過疎";
    const size_t at = csv.find(row);
    ASSERT_NE(at, std::string::npos);
    csv.replace(at, row.size(), "高知県,高知市,一部過疎,鏡村|土佐山村|幻影村,一部過疎");
    fs::remove(geodata / rel);
    std::ofstream(geodata / rel, std::ios::binary) << csv;

    InitOptions opts;
    opts.dbPath = scratch.file("out.sqlite");
    opts.geodataDir = geodata.string();
    opts.loadHubs = false;
    Progress progress;
    const InitReport report = initDatabase(opts, progress);
    ASSERT_EQ(report.designatedParts.unmatched.size(), 1u);
    EXPECT_NE(report.designatedParts.unmatched[0].find("幻影村"), std::string::npos);
    EXPECT_NE(report.designatedParts.unmatched[0].find("高知市"), std::string::npos);
    EXPECT_EQ(report.designatedParts.wholeFallback, 1);

    Database db(opts.dbPath, Database::Mode::ReadOnly);
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM designations WHERE code = '39201'"), 1);
    EXPECT_EQ(db.scalarText("SELECT measured_on FROM designated_parts WHERE code = '39201'"), "whole_fallback");
    EXPECT_NEAR(scalarReal(db,
                           "SELECT p.area_km2 - m.area_km2 FROM designated_parts p JOIN municipalities m"
                           " USING (code) WHERE code = '39201'"),
                0, 1e-9);
    EXPECT_EQ(db.scalarText("SELECT how FROM designated_part_names WHERE code = '39201' AND name = '幻影村'"),
              "unmatched");
    EXPECT_NE(db.scalarText("SELECT reason FROM designated_part_names WHERE code = '39201' AND name = '幻影村'"), "");
    EXPECT_EQ(db.scalarText("SELECT how FROM designated_part_names WHERE code = '39201' AND name = '鏡村'"), "exact");
    // Reading the gzipped TopoJSON left nothing in geodata/ (a .properties file would change its
    // fingerprint and rebuild the default database once more).
    EXPECT_FALSE(fs::exists(geodata / (std::string(kFormer2000File) + ".properties")));
    // The other parts are unaffected.
    EXPECT_EQ(db.scalarInt("SELECT COUNT(*) FROM designated_parts WHERE measured_on = 'former_municipalities'"),
              otherParts);
}
