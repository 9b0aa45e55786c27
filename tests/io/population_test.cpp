// The largest remainder spread behind the Hokkaido/Aichi population points.

#include "io/population.hpp"

#include <gtest/gtest.h>

#include <numeric>

using namespace hubmap;

TEST(LargestRemainder, SumsExactlyAndGivesTheRemainderToTheFirstOnTies) {
    EXPECT_EQ(largestRemainder(10, {1, 1, 1}), (std::vector<long long>{4, 3, 3}));
    EXPECT_EQ(largestRemainder(11, {1, 1, 1}), (std::vector<long long>{4, 4, 3}));
    EXPECT_EQ(largestRemainder(2, {1, 1, 1, 1}), (std::vector<long long>{1, 1, 0, 0}));
    EXPECT_EQ(largestRemainder(0, {1, 1}), (std::vector<long long>{0, 0}));
    EXPECT_TRUE(largestRemainder(5, {}).empty());
}

TEST(LargestRemainder, FollowsTheWeightsAndTheLargestRemainders) {
    // Quotas 1.5, 3.3, 5.2: floors 1, 3, 5 and the one left to the largest remainder (0.5).
    EXPECT_EQ(largestRemainder(10, {15, 33, 52}), (std::vector<long long>{2, 3, 5}));
    // All weights zero: evenly.
    EXPECT_EQ(largestRemainder(5, {0, 0}), (std::vector<long long>{3, 2}));
    // A large register figure over many settlements still sums exactly.
    const std::vector<long long> spread = largestRemainder(1960668, std::vector<double>(3571, 1.0));
    EXPECT_EQ(std::accumulate(spread.begin(), spread.end(), 0LL), 1960668);
    EXPECT_LE(*std::max_element(spread.begin(), spread.end()) - *std::min_element(spread.begin(), spread.end()), 1);
}
