// hubmap suggest on instances small enough to enumerate: the greedy with swaps against the
// true optimum and its bound, CBC against both; then on hand-made datasets: zero gains, the
// population weight, designated parts, thread counts and the option errors.

#include "analysis/suggest.hpp"

#include <gtest/gtest.h>

#include <random>

#include "core/error.hpp"
#include "coverage_fixture.hpp"

using namespace hubmap;
using hubmap::test::boxWkt;
using hubmap::test::DatasetBuilder;

namespace {

/// A random instance: `n` candidates over `m` weighted elements, each covering a few.
CoverInstance randomInstance(std::mt19937& rng, int n, int m) {
    CoverInstance in;
    std::uniform_int_distribution<int> weight(0, 20), size(0, 6), element(0, m - 1);
    for (int d = 0; d < m; ++d) in.weights.push_back(weight(rng));
    for (int j = 0; j < n; ++j) {
        std::vector<std::uint32_t> c;
        for (int s = size(rng); s > 0; --s) c.push_back(static_cast<std::uint32_t>(element(rng)));
        std::sort(c.begin(), c.end());
        c.erase(std::unique(c.begin(), c.end()), c.end());
        in.covers.push_back(std::move(c));
    }
    return in;
}

/// The best weight k of the candidates cover, by trying every k-subset.
long long enumerateOptimum(const CoverInstance& in, int k) {
    const int n = static_cast<int>(in.covers.size());
    std::vector<int> pick(static_cast<size_t>(k));
    for (int i = 0; i < k; ++i) pick[static_cast<size_t>(i)] = i;
    long long best = 0;
    while (true) {
        best = std::max(best, coveredWeight(in, pick));
        int i = k - 1;
        while (i >= 0 && pick[static_cast<size_t>(i)] == n - k + i) --i;
        if (i < 0) break;
        ++pick[static_cast<size_t>(i)];
        for (int j = i + 1; j < k; ++j) pick[static_cast<size_t>(j)] = pick[static_cast<size_t>(j - 1)] + 1;
    }
    return best;
}

TEST(SuggestSets, GreedyWithSwapsIsBoundedByItsBoundAndTheOptimum) {
    std::mt19937 rng(20261203);
    int reachedOptimum = 0, instances = 0;
    for (int round = 0; round < 150; ++round) {
        const int n = 6 + round % 9, m = 10 + round % 23;
        const CoverInstance in = randomInstance(rng, n, m);
        for (int k = 1; k <= std::min(n, 4); ++k) {
            const long long best = enumerateOptimum(in, k);
            const CoverSolution s = solveGreedy(in, k);
            ++instances;
            ASSERT_EQ(static_cast<int>(s.sites.size()), k);
            ASSERT_EQ(s.covered, coveredWeight(in, s.sites)) << "round " << round << " k " << k;
            ASSERT_LE(s.covered, best) << "round " << round << " k " << k;
            ASSERT_GE(s.upper, best) << "the bound must hold: round " << round << " k " << k;
            ASSERT_GE(s.covered, s.greedyCovered);
            long long sum = 0;
            for (long long g : s.gains) sum += g;
            ASSERT_EQ(sum, s.covered);
            ASSERT_TRUE(std::is_sorted(s.gains.rbegin(), s.gains.rend())) << "sites in order of gain";
            if (s.optimal) {
                ASSERT_EQ(s.covered, best);
            }
            if (s.covered == best) ++reachedOptimum;
        }
    }
    // Greedy + swaps is a heuristic: most small instances end at the optimum.
    EXPECT_GT(reachedOptimum, instances * 8 / 10) << reachedOptimum << " of " << instances;
}

TEST(SuggestSets, CbcFindsTheEnumeratedOptimum) {
    std::mt19937 rng(7);
    for (int round = 0; round < 40; ++round) {
        const int n = 8 + round % 7, m = 15 + round % 17;
        const CoverInstance in = randomInstance(rng, n, m);
        for (int k : {1, 2, 3}) {
            const long long best = enumerateOptimum(in, k);
            const CoverSolution greedy = solveGreedy(in, k);
            const CoverSolution exact = solveExact(in, k, greedy, 30);
            ASSERT_TRUE(exact.exactRan);
            ASSERT_EQ(exact.exactStatus, "optimal") << "round " << round;
            ASSERT_GE(exact.covered, greedy.covered) << "round " << round;
            ASSERT_EQ(exact.covered, best) << "round " << round << " k " << k;
            ASSERT_EQ(exact.covered, coveredWeight(in, exact.sites));
            ASSERT_EQ(static_cast<int>(exact.sites.size()), k);
            ASSERT_EQ(exact.upper, best);
            ASSERT_TRUE(exact.optimal);
        }
    }
}

TEST(SuggestSets, GreedyFallsShortWhereSwapsOrCbcHelp) {
    // The classic trap: the greedy takes the big middle set, two side sets cover more.
    CoverInstance in;
    in.weights = {1, 1, 1, 1, 1, 1};
    in.covers = {{0, 1, 2, 3}, {0, 1, 4}, {2, 3, 5}};
    const CoverSolution s = solveGreedy(in, 2);
    EXPECT_EQ(s.greedyCovered, 5);
    EXPECT_EQ(s.covered, 6) << "one swap (the middle set for a side set) covers everything";
    EXPECT_EQ(s.swaps, 1);
    EXPECT_EQ(s.upper, 6);
    EXPECT_TRUE(s.optimal);
}

TEST(SuggestSets, ASiteCoveringNothingNewGainsZero) {
    CoverInstance in;
    in.weights = {5, 5, 5};
    in.covers = {{0, 1, 2}, {1}, {2}};
    const CoverSolution s = solveGreedy(in, 2);
    ASSERT_EQ(s.sites.size(), 2u);
    EXPECT_EQ(s.sites[0], 0);
    EXPECT_EQ(s.gains[0], 15);
    EXPECT_EQ(s.gains[1], 0);
    EXPECT_EQ(s.covered, 15);
    EXPECT_TRUE(s.optimal);
}

TEST(SuggestSets, BadK) {
    CoverInstance in;
    in.weights = {1};
    in.covers = {{0}};
    EXPECT_THROW(solveGreedy(in, 0), UsageError);
    EXPECT_THROW(solveGreedy(in, 2), UsageError);
}

// ---------------------------------------------------------------------------------------
// Datasets

/// One designated municipality (a 0.6° box at 40°N, 140°E) and a non-designated neighbour.
DatasetBuilder oneMunicipality() {
    DatasetBuilder b;
    b.prefecture(1, "北海道")
        .municipality("01001", 1, "北海道", "甲町", boxWkt(140.0, 40.0, 140.6, 40.6), DesignationType::Full)
        .municipality("01002", 1, "北海道", "乙町", boxWkt(141.0, 40.0, 141.6, 40.6));
    return b;
}

PopulationPoint person(const std::string& code, const std::string& name, double lon, double lat, long long n) {
    PopulationPoint p;
    p.code = code;
    p.name = name;
    p.population = n;
    p.lon = lon;
    p.lat = lat;
    return p;
}

SuggestOptions options(int k, double radiusKm) {
    SuggestOptions o;
    o.k = k;
    o.query.radiusKm = radiusKm;
    o.query.threads = 1;
    return o;
}

TEST(Suggest, ASiteCoveringNothingNewGainsZero) {
    // Three settlements in the west, one in the east within an existing hub's reach.
    DatasetBuilder b = oneMunicipality();
    b.hub("h1", "small_hub", 140.5, 40.5, "01001");
    b.settlement("01001", 140.10, 40.10).settlement("01001", 140.11, 40.10).settlement("01001", 140.10, 40.11);
    b.settlement("01001", 140.50, 40.51);
    const Dataset data = b.build();
    Progress progress;
    const SuggestResult r = suggestSites(data, options(2, 5), progress);
    EXPECT_EQ(r.weight, SuggestWeight::Settlements) << "no population data: settlements";
    EXPECT_EQ(r.demand, 4);
    EXPECT_EQ(r.before, 1);
    ASSERT_EQ(r.sites.size(), 2u);
    EXPECT_EQ(r.sites[0].gain, 3);
    EXPECT_EQ(r.sites[1].gain, 0) << "every settlement is reached: the second site adds nothing";
    EXPECT_EQ(r.after, 4);
    EXPECT_EQ(r.sites[1].covered, 4);
    EXPECT_DOUBLE_EQ(r.sites[1].share, 1.0);
    EXPECT_EQ(r.upper, 4);
    EXPECT_EQ(r.sites[0].code, "01001");
    EXPECT_EQ(r.sites[0].municipality, "甲町");
}

TEST(Suggest, PopulationWeightsThePeople) {
    // Ten settlements in the west; one population point of 500 people in the east.
    DatasetBuilder b = oneMunicipality();
    for (int i = 0; i < 10; ++i) b.settlement("01001", 140.05 + 0.001 * i, 40.05);
    b.settlement("01001", 140.50, 40.50);
    Dataset data = b.build();
    data.population.push_back(person("01001", "東", 140.50, 40.50, 500));
    for (int i = 0; i < 10; ++i) {
        data.population.push_back(person("01001", "西" + std::to_string(i), 140.05 + 0.001 * i, 40.05, 3));
    }
    // The other municipality's people are not in the query.
    data.population.push_back(person("01002", "外", 141.3, 40.3, 100000));
    Progress progress;

    const SuggestResult byPeople = suggestSites(data, options(1, 3), progress);
    EXPECT_EQ(byPeople.weight, SuggestWeight::Population) << "population data: the default weight";
    EXPECT_EQ(byPeople.candidates, CandidateSource::Population);
    EXPECT_EQ(byPeople.demand, 530);
    ASSERT_EQ(byPeople.sites.size(), 1u);
    EXPECT_NEAR(byPeople.sites[0].lon, 140.50, 1e-9);
    EXPECT_EQ(byPeople.sites[0].gain, 500);
    EXPECT_EQ(byPeople.populationMethods, std::vector<std::string>{"census_2015_small_areas"});

    SuggestOptions o = options(1, 3);
    o.weight = SuggestWeight::Settlements;
    const SuggestResult bySettlements = suggestSites(data, o, progress);
    EXPECT_EQ(bySettlements.demand, 11);
    EXPECT_NEAR(bySettlements.sites[0].lon, 140.05, 0.01) << "ten settlements outweigh one";
    EXPECT_EQ(bySettlements.sites[0].gain, 10);

    // Sites from the settlements, weighed by people: the one at the big point still wins.
    o.weight = SuggestWeight::Population;
    o.candidates = CandidateSource::Settlements;
    const SuggestResult mixed = suggestSites(data, o, progress);
    EXPECT_EQ(mixed.sites[0].gain, 500);
}

TEST(Suggest, PopulationAskedOfADatabaseWithoutIt) {
    DatasetBuilder b = oneMunicipality();
    b.settlement("01001", 140.1, 40.1);
    const Dataset data = b.build();
    Progress progress;
    SuggestOptions o = options(1, 5);
    o.weight = SuggestWeight::Population;
    try {
        suggestSites(data, o, progress);
        FAIL() << "expected an error";
    } catch (const UsageError&) {
        FAIL() << "a data error, not a usage error";
    } catch (const Error& e) {
        EXPECT_STREQ(e.what(), "this database has no population data; run hubmap init");
    }
    o.weight = SuggestWeight::Settlements;
    o.candidates = CandidateSource::Population;
    EXPECT_THROW(suggestSites(data, o, progress), Error);
}

TEST(Suggest, PartiallyDesignatedCountsItsPartOnly) {
    DatasetBuilder b;
    b.prefecture(1, "北海道")
        .municipality("01001", 1, "北海道", "甲町", boxWkt(140.0, 40.0, 140.6, 40.6), DesignationType::Partial,
                      {"旧村"})
        .designatedPart("01001", boxWkt(140.0, 40.0, 140.3, 40.6));
    b.settlement("01001", 140.1, 40.1).settlement("01001", 140.1, 40.12);
    b.settlement("01001", 140.5, 40.5).settlement("01001", 140.5, 40.52).settlement("01001", 140.5, 40.51);
    const Dataset data = b.build();
    Progress progress;
    const SuggestResult r = suggestSites(data, options(1, 5), progress);
    EXPECT_EQ(r.demand, 2) << "the three eastern settlements lie outside the designated part";
    EXPECT_EQ(r.candidateCount, 2);
    EXPECT_EQ(r.sites[0].gain, 2);
    SuggestOptions whole = options(1, 5);
    whole.query.partial = PartialMeasure::Whole;
    EXPECT_EQ(suggestSites(data, whole, progress).sites[0].gain, 3);
}

TEST(Suggest, CandidatePointsOutsideTheQueryAreLeftOut) {
    DatasetBuilder b = oneMunicipality();
    b.settlement("01001", 140.1, 40.1).settlement("01002", 141.1, 40.1);
    const Dataset data = b.build();
    Progress progress;
    SuggestOptions o = options(1, 5);
    o.candidates = CandidateSource::Points;
    o.points = {{140.11, 40.1, 1, ""}, {141.1, 40.1, 1, ""}, {150.0, 20.0, 1, ""}};
    const SuggestResult r = suggestSites(data, o, progress);
    EXPECT_EQ(r.candidateCount, 1);
    EXPECT_EQ(r.candidatesOutside, 2);
    EXPECT_NEAR(r.sites[0].lon, 140.11, 1e-12);
    EXPECT_EQ(r.sites[0].gain, 1);
    o.k = 2;
    EXPECT_THROW(suggestSites(data, o, progress), UsageError) << "k larger than the candidates";
}

TEST(Suggest, ResultsDoNotDependOnThreads) {
    DatasetBuilder b = oneMunicipality();
    std::mt19937 rng(42);
    std::uniform_real_distribution<double> lon(140.0, 140.6), lat(40.0, 40.6);
    for (int i = 0; i < 3000; ++i) b.settlement("01001", lon(rng), lat(rng));
    b.hub("h1", "rmo", 140.3, 40.3, "01001");
    const Dataset data = b.build();
    Progress progress;
    SuggestOptions o = options(12, 4);
    const SuggestResult one = suggestSites(data, o, progress);
    o.query.threads = 2;
    const SuggestResult two = suggestSites(data, o, progress);
    o.query.threads = 5;
    const SuggestResult five = suggestSites(data, o, progress);
    for (const SuggestResult* r : {&two, &five}) {
        ASSERT_EQ(r->sites.size(), one.sites.size());
        for (size_t i = 0; i < one.sites.size(); ++i) {
            EXPECT_EQ(r->sites[i].lon, one.sites[i].lon);
            EXPECT_EQ(r->sites[i].lat, one.sites[i].lat);
            EXPECT_EQ(r->sites[i].gain, one.sites[i].gain);
        }
        EXPECT_EQ(r->after, one.after);
        EXPECT_EQ(r->upper, one.upper);
        EXPECT_EQ(r->swaps, one.swaps);
    }
    EXPECT_GT(one.before, 0);
    EXPECT_LE(one.after, one.upper);
}

TEST(Suggest, OptionErrors) {
    DatasetBuilder b = oneMunicipality();
    b.settlement("01001", 140.1, 40.1).settlement("01001", 140.2, 40.1);
    const Dataset data = b.build();
    Progress progress;
    EXPECT_THROW(suggestSites(data, options(0, 5), progress), UsageError);
    EXPECT_THROW(suggestSites(data, options(-3, 5), progress), UsageError);
    EXPECT_THROW(suggestSites(data, options(3, 5), progress), UsageError) << "2 candidates";
    EXPECT_THROW(suggestSites(data, options(1, 0), progress), UsageError);
    EXPECT_THROW(suggestSites(data, options(1, 201), progress), UsageError);
    SuggestOptions noRadius = options(1, 5);
    noRadius.query.radiusKm.reset();
    EXPECT_THROW(suggestSites(data, noRadius, progress), UsageError);
    SuggestOptions empty = options(1, 5);
    empty.query.designations = {DesignationType::Deemed};
    try {
        suggestSites(data, empty, progress);
        FAIL() << "expected a UsageError";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("no designated municipality"), std::string::npos) << e.what();
    }
}

}  // namespace
