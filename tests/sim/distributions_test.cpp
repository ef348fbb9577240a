// Samplers: exact properties (bounds, permutations, sortedness) and goodness of fit at
// n = 10^6 draws. All goodness-of-fit checks in this file form one family; each uses the
// Bonferroni-corrected level kAlpha = 0.001 / kFamily, so with correct samplers the whole file
// fails by chance with probability below 0.001. Seeds are fixed, so results are reproducible.
#include "sim/distributions.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "sim/error.hpp"
#include "sim/stats.hpp"
#include "tests/support/goodness_of_fit.hpp"

using namespace innosim::sim;
using innosim::test::chi_square_p_value;
using innosim::test::ks_p_value;

namespace {

constexpr std::size_t kDraws = 1'000'000;
constexpr double kFamily = 22.0;  // number of goodness-of-fit checks below
constexpr double kAlpha = 0.001 / kFamily;

RngStream stream(AgentId agent) {
  return RngStream(20261130, 0, Purpose::kTest, 0, agent);
}

double binomial_pmf(std::uint64_t n, double p, std::uint64_t k) {
  return std::exp(log_factorial(n) - log_factorial(k) - log_factorial(n - k) +
                  static_cast<double>(k) * std::log(p) + static_cast<double>(n - k) * std::log1p(-p));
}

double poisson_pmf(double mean, std::uint64_t k) {
  return std::exp(-mean + static_cast<double>(k) * std::log(mean) - log_factorial(k));
}

template <class Draw>
std::vector<double> histogram(std::size_t bins, Draw&& draw) {
  std::vector<double> h(bins, 0.0);
  for (std::size_t i = 0; i < kDraws; ++i) {
    const auto x = static_cast<std::size_t>(draw());
    REQUIRE(x < bins);
    h[x] += 1.0;
  }
  return h;
}

void check_binomial(std::uint64_t n, double p, AgentId agent) {
  CAPTURE(n);
  CAPTURE(p);
  RngStream rng = stream(agent);
  const auto bins = static_cast<std::size_t>(n + 1);
  const auto observed = histogram(bins, [&] { return binomial(rng, n, p); });
  std::vector<double> expected(bins);
  for (std::uint64_t k = 0; k <= n; ++k) expected[k] = binomial_pmf(n, p, k) * kDraws;
  CHECK(chi_square_p_value(observed, expected) > kAlpha);
}

void check_poisson(double mean, AgentId agent) {
  CAPTURE(mean);
  RngStream rng = stream(agent);
  const auto bins = static_cast<std::size_t>(mean + 12 * std::sqrt(mean) + 20);
  std::vector<double> observed(bins + 1, 0.0);
  for (std::size_t i = 0; i < kDraws; ++i) {
    observed[std::min<std::size_t>(poisson(rng, mean), bins)] += 1.0;
  }
  std::vector<double> expected(bins + 1, 0.0);
  double mass = 0.0;
  for (std::size_t k = 0; k < bins; ++k) {
    expected[k] = poisson_pmf(mean, k) * kDraws;
    mass += poisson_pmf(mean, k);
  }
  expected[bins] = std::max(0.0, 1.0 - mass) * kDraws;
  CHECK(chi_square_p_value(observed, expected) > kAlpha);
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("uniform_index stays in range on the 32-bit and 64-bit paths") {
    RngStream rng = stream(1);
    for (std::uint64_t n :
         {1ULL, 2ULL, 3ULL, 7ULL, 1000ULL, (1ULL << 32), (1ULL << 32) + 1, (1ULL << 63) + 5}) {
      for (int i = 0; i < 2000; ++i) {
        CHECK(uniform_index(rng, n) < n);
      }
    }
    RngStream one = stream(2);
    for (int i = 0; i < 100; ++i) CHECK(uniform_index(one, 1) == 0);
  }

  TEST_CASE("binomial and poisson are exact at the degenerate ends") {
    RngStream rng = stream(3);
    CHECK(binomial(rng, 0, 0.3) == 0);
    CHECK(binomial(rng, 50, 0.0) == 0);
    CHECK(binomial(rng, 50, 1.0) == 50);
    CHECK(poisson(rng, 0.0) == 0);
  }

  TEST_CASE("log_factorial matches exact small values") {
    double exact = 0.0;
    for (std::uint64_t k = 1; k <= 30; ++k) {
      exact += std::log(static_cast<double>(k));
      CHECK(log_factorial(k) == doctest::Approx(exact).epsilon(1e-12));
    }
    CHECK(log_factorial(0) == doctest::Approx(0.0).epsilon(1e-12));
  }

  TEST_CASE("shuffle returns a permutation") {
    RngStream rng = stream(4);
    std::vector<int> v(1000);
    std::iota(v.begin(), v.end(), 0);
    shuffle(rng, std::span<int>(v));
    std::vector<int> sorted = v;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < 1000; ++i) CHECK(sorted[static_cast<std::size_t>(i)] == i);
    CHECK_FALSE(std::is_sorted(v.begin(), v.end()));
  }

  TEST_CASE("sample_without_replacement returns k sorted distinct values by both algorithms") {
    RngStream rng = stream(5);
    for (auto [n, k] : std::vector<std::pair<std::uint64_t, std::uint64_t>>{
             {100, 0}, {100, 5}, {100, 50}, {100, 100}, {1000000, 37}}) {
      const auto s = sample_without_replacement(rng, n, k);
      REQUIRE(s.size() == k);
      CHECK(std::is_sorted(s.begin(), s.end()));
      CHECK(std::adjacent_find(s.begin(), s.end()) == s.end());
      if (k > 0) CHECK(s.back() < n);
    }
  }

  TEST_CASE("alias table rejects bad weights") {
    CHECK_THROWS_AS(AliasTable(std::vector<double>{}), ParamError);
    CHECK_THROWS_AS(AliasTable(std::vector<double>{1.0, -1.0}), ParamError);
    CHECK_THROWS_AS(AliasTable(std::vector<double>{0.0, 0.0}), ParamError);
    CHECK_THROWS_AS(AliasTable(std::vector<double>{1.0, NAN}), ParamError);
  }

  TEST_CASE("zero-weight outcomes are never drawn") {
    RngStream rng = stream(6);
    const std::vector<double> w = {0.0, 3.0, 0.0, 1.0, 0.0};
    const AliasTable table(w);
    for (int i = 0; i < 20000; ++i) {
      const auto a = weighted_index(rng, w);
      const auto b = table.sample(rng);
      CHECK((a == 1 || a == 3));
      CHECK((b == 1 || b == 3));
    }
  }
}

TEST_SUITE("statistical") {
  TEST_CASE("continuous samplers pass Kolmogorov-Smirnov at n = 10^6") {
    std::vector<double> x(kDraws);
    {
      RngStream rng = stream(10);
      for (auto& v : x) v = uniform01(rng);
      CHECK(ks_p_value(x, [](double u) { return std::clamp(u, 0.0, 1.0); }) > kAlpha);
    }
    {
      RngStream rng = stream(11);
      for (auto& v : x) v = exponential(rng, 2.5);
      CHECK(ks_p_value(x, [](double t) { return t <= 0 ? 0.0 : -std::expm1(-2.5 * t); }) > kAlpha);
    }
    {
      RngStream rng = stream(12);
      for (auto& v : x) v = normal(rng, 1.0, 3.0);
      CHECK(ks_p_value(x, [](double z) { return normal_cdf((z - 1.0) / 3.0); }) > kAlpha);
    }
    {
      RngStream rng = stream(13);
      for (auto& v : x) v = lognormal(rng, std::log(6.0), 0.8);
      CHECK(ks_p_value(x, [](double y) {
              return y <= 0 ? 0.0 : normal_cdf((std::log(y) - std::log(6.0)) / 0.8);
            }) > kAlpha);
    }
    {
      RngStream rng = stream(14);
      for (auto& v : x) v = uniform(rng, -2.0, 5.0);
      CHECK(ks_p_value(x, [](double u) { return std::clamp((u + 2.0) / 7.0, 0.0, 1.0); }) > kAlpha);
    }
  }

  TEST_CASE("binomial passes chi-square on both the inversion and the BTRD branches") {
    check_binomial(20, 0.1, 20);    // n p = 2: inversion
    check_binomial(1000, 0.3, 21);  // n p = 300: BTRD
    check_binomial(1000, 0.7, 22);  // symmetry, then BTRD
    check_binomial(60, 0.2, 23);    // n p = 12: BTRD near its lower limit
  }

  TEST_CASE("poisson passes chi-square on both the inversion and the PTRS branches") {
    check_poisson(3.0, 30);
    check_poisson(9.9, 31);
    check_poisson(50.0, 32);
    check_poisson(1000.0, 33);
  }

  TEST_CASE("bernoulli and geometric pass chi-square") {
    RngStream rng = stream(40);
    const auto bern = histogram(2, [&] { return bernoulli(rng, 0.3) ? 1 : 0; });
    CHECK(chi_square_p_value(bern, {0.7 * kDraws, 0.3 * kDraws}) > kAlpha);

    RngStream grng = stream(41);
    const double p = 0.2;
    const std::size_t bins = 80;
    std::vector<double> observed(bins + 1, 0.0);
    for (std::size_t i = 0; i < kDraws; ++i)
      observed[std::min<std::uint64_t>(geometric_failures(grng, p), bins)] += 1;
    std::vector<double> expected(bins + 1, 0.0);
    for (std::size_t k = 0; k < bins; ++k) expected[k] = kDraws * p * std::pow(1 - p, static_cast<double>(k));
    expected[bins] = kDraws * std::pow(1 - p, static_cast<double>(bins));
    CHECK(chi_square_p_value(observed, expected) > kAlpha);
  }

  TEST_CASE("bounded integers and weighted choice and the alias table pass chi-square") {
    RngStream rng = stream(50);
    const auto uni = histogram(7, [&] { return uniform_index(rng, 7); });
    CHECK(chi_square_p_value(uni, std::vector<double>(7, kDraws / 7.0)) > kAlpha);

    // 2^32 + 1 exercises the 64-bit path; check the top bit's share and residues mod 3.
    RngStream big = stream(51);
    std::vector<double> residues(3, 0.0);
    for (std::size_t i = 0; i < kDraws; ++i) residues[uniform_index(big, 3ULL << 40) % 3] += 1;
    CHECK(chi_square_p_value(residues, std::vector<double>(3, kDraws / 3.0)) > kAlpha);

    const std::vector<double> w = {0.5, 2.0, 0.0, 1.5, 6.0};
    std::vector<double> expected;
    for (double wi : w) expected.push_back(kDraws * wi / 10.0);
    RngStream wr = stream(52);
    CHECK(chi_square_p_value(histogram(5, [&] { return weighted_index(wr, w); }), expected) > kAlpha);
    const AliasTable table(w);
    RngStream ar = stream(53);
    CHECK(chi_square_p_value(histogram(5, [&] { return table.sample(ar); }), expected) > kAlpha);
  }

  TEST_CASE("shuffle makes every permutation of four items equally likely") {
    RngStream rng = stream(60);
    std::map<std::array<int, 4>, double> counts;
    for (std::size_t i = 0; i < kDraws; ++i) {
      std::array<int, 4> a = {0, 1, 2, 3};
      shuffle(rng, std::span<int>(a));
      counts[a] += 1;
    }
    REQUIRE(counts.size() == 24);
    std::vector<double> observed;
    for (const auto& [perm, c] : counts) observed.push_back(c);
    CHECK(chi_square_p_value(observed, std::vector<double>(24, kDraws / 24.0)) > kAlpha);
  }

  TEST_CASE("sampling without replacement includes every value equally often") {
    // 10^5 samples of k values from n: each value is included with probability k/n.
    for (auto [n, k, agent] :
         std::vector<std::tuple<std::uint64_t, std::uint64_t, AgentId>>{{50, 2, 70}, {50, 20, 71}}) {
      RngStream rng = stream(agent);
      std::vector<double> inclusion(n, 0.0);
      const std::size_t samples = kDraws / 10;
      for (std::size_t i = 0; i < samples; ++i) {
        for (auto v : sample_without_replacement(rng, n, k)) inclusion[v] += 1;
      }
      CHECK(chi_square_p_value(inclusion, std::vector<double>(n, static_cast<double>(samples * k) /
                                                                     static_cast<double>(n))) > kAlpha);
    }
  }
}
