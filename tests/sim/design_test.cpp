// Designs of experiments: the structure each design promises (cells hit once, one factor moved
// per Morris step, Saltelli's AB matrices), and reproducibility from the seed.
#include "sim/design.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "sim/stats.hpp"

using namespace innosim::sim;

TEST_SUITE("unit") {
  TEST_CASE("a full grid lists every combination with the last factor fastest") {
    const std::size_t levels[] = {2, 3};
    const Design d = full_grid(levels);
    REQUIRE(d.points() == 6);
    CHECK(d.point(0)[0] == 0.25);
    CHECK(d.point(0)[1] == doctest::Approx(1.0 / 6));
    CHECK(d.point(1)[1] == doctest::Approx(0.5));
    CHECK(d.point(2)[1] == doctest::Approx(5.0 / 6));
    CHECK(d.point(3)[0] == 0.75);
    CHECK(d.point(3)[1] == doctest::Approx(1.0 / 6));
  }

  TEST_CASE("a Latin hypercube hits each of a factor's cells exactly once and follows its seed") {
    const std::size_t n = 97, k = 4;
    const Design d = latin_hypercube(n, k, 11);
    REQUIRE(d.points() == n);
    for (std::size_t i = 0; i < k; ++i) {
      std::vector<int> hits(n, 0);
      for (std::size_t p = 0; p < n; ++p) {
        const double u = d.point(p)[i];
        REQUIRE(u >= 0.0);
        REQUIRE(u < 1.0);
        hits[static_cast<std::size_t>(u * static_cast<double>(n))] += 1;
      }
      CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
    }
    CHECK(latin_hypercube(n, k, 11).values == d.values);
    CHECK(latin_hypercube(n, k, 12).values != d.values);
  }

  TEST_CASE("a Saltelli sample holds A and B and the AB matrices with one column from B") {
    const std::size_t n = 64, k = 3;
    const Design d = saltelli(n, k);
    REQUIRE(d.points() == n * (k + 2));
    RunningStats a0, b2;
    for (std::size_t j = 0; j < n; ++j) {
      const auto a = d.point(j * (k + 2));
      const auto b = d.point(j * (k + 2) + k + 1);
      for (std::size_t i = 0; i < k; ++i) {
        const auto ab = d.point(j * (k + 2) + 1 + i);
        for (std::size_t f = 0; f < k; ++f) CHECK(ab[f] == (f == i ? b[f] : a[f]));
        CHECK(a[i] > 0.0);
        CHECK(a[i] < 1.0);
      }
      a0.add(a[0]);
      b2.add(b[2]);
    }
    // A Sobol sequence of 64 points fills each coordinate evenly: the mean is 1/2 to within
    // much less than Monte Carlo's standard error 0.036.
    CHECK(std::abs(a0.mean() - 0.5) < 0.01);
    CHECK(std::abs(b2.mean() - 0.5) < 0.01);
    // The all-zero first point of the sequence is skipped.
    CHECK(d.point(0)[0] > 0.1);
  }

  TEST_CASE("a Morris trajectory moves every factor once by delta on the grid") {
    const std::size_t r = 50, k = 5, p = 4;
    const Design d = morris(r, k, p, 3);
    REQUIRE(d.points() == r * (k + 1));
    const double delta = morris_delta(p);
    CHECK(delta == doctest::Approx(2.0 / 3.0));
    std::vector<int> level_count(p, 0);
    for (std::size_t t = 0; t < r; ++t) {
      std::vector<int> moved(k, 0);
      for (std::size_t m = 0; m < k; ++m) {
        const auto x = d.point(t * (k + 1) + m), y = d.point(t * (k + 1) + m + 1);
        int changed = 0;
        for (std::size_t i = 0; i < k; ++i) {
          if (x[i] != y[i]) {
            ++changed;
            moved[i] += 1;
            CHECK(std::abs(std::abs(y[i] - x[i]) - delta) < 1e-12);
          }
        }
        CHECK(changed == 1);
      }
      CHECK(std::all_of(moved.begin(), moved.end(), [](int m) { return m == 1; }));
      for (std::size_t i = 0; i < k; ++i) {
        const double lv = d.point(t * (k + 1))[i] * static_cast<double>(p - 1);
        CHECK(std::abs(lv - std::round(lv)) < 1e-12);
        level_count[static_cast<std::size_t>(std::lround(lv))] += 1;
      }
    }
    // Starting levels: each of the 4 levels has probability 1/4 (250 draws; binomial SD 6.8).
    for (const int c : level_count) CHECK(std::abs(c - 62.5) < 4 * 6.85);
    CHECK(morris(r, k, p, 3).values == d.values);
  }
}
