// Streaming statistics and the special functions behind intervals and tests, against values
// from statistical tables (computed independently with R: qt, qnorm, pchisq).
#include "sim/stats.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

using namespace innosim::sim;

TEST_SUITE("unit") {
  TEST_CASE("RunningStats agrees with the two-pass formulas") {
    const std::vector<double> x = {2.5, -1.0, 4.0, 4.0, 10.5, 0.25, 3.0};
    RunningStats s;
    for (double v : x) s.add(v);
    double mean = 0;
    for (double v : x) mean += v;
    mean /= static_cast<double>(x.size());
    double ss = 0;
    for (double v : x) ss += (v - mean) * (v - mean);
    CHECK(s.count() == x.size());
    CHECK(s.mean() == doctest::Approx(mean).epsilon(1e-14));
    CHECK(s.variance() == doctest::Approx(ss / 6.0).epsilon(1e-14));
    CHECK(s.sem() == doctest::Approx(std::sqrt(ss / 6.0 / 7.0)).epsilon(1e-14));
    CHECK(s.min() == -1.0);
    CHECK(s.max() == 10.5);
  }

  TEST_CASE("merging summaries equals adding all values to one") {
    RunningStats a;
    RunningStats b;
    RunningStats all;
    for (int i = 0; i < 10; ++i) {
      const double v = std::sin(i) * 10;
      (i < 4 ? a : b).add(v);
      all.add(v);
    }
    a.merge(b);
    CHECK(a.count() == all.count());
    CHECK(a.mean() == doctest::Approx(all.mean()).epsilon(1e-13));
    CHECK(a.variance() == doctest::Approx(all.variance()).epsilon(1e-13));
    RunningStats empty;
    empty.merge(all);
    CHECK(empty.mean() == all.mean());
  }

  TEST_CASE("a single value has a zero-width interval") {
    RunningStats s;
    s.add(3.0);
    const Interval ci = mean_interval(s);
    CHECK(ci.low == 3.0);
    CHECK(ci.high == 3.0);
  }

  TEST_CASE("quantiles match statistical tables") {
    CHECK(normal_quantile(0.975) == doctest::Approx(1.959963984540054).epsilon(1e-12));
    CHECK(normal_quantile(0.5) == doctest::Approx(0.0).epsilon(1e-12));
    CHECK(normal_quantile(1e-10) == doctest::Approx(-6.361340902404056).epsilon(1e-10));
    CHECK(student_t_quantile(0.975, 1) == doctest::Approx(12.70620473617471).epsilon(1e-9));
    CHECK(student_t_quantile(0.975, 9) == doctest::Approx(2.262157162740992).epsilon(1e-10));
    CHECK(student_t_quantile(0.975, 199) == doctest::Approx(1.971956544249474).epsilon(1e-10));
    CHECK(student_t_quantile(0.025, 9) == doctest::Approx(-2.262157162740992).epsilon(1e-10));
  }

  TEST_CASE("tail probabilities match statistical tables") {
    CHECK(chi_square_sf(3.841458820694124, 1) == doctest::Approx(0.05).epsilon(1e-10));
    CHECK(chi_square_sf(18.30703805327515, 10) == doctest::Approx(0.05).epsilon(1e-10));
    CHECK(chi_square_sf(124.3421134674, 100) == doctest::Approx(0.05).epsilon(1e-8));
    CHECK(chi_square_sf(0.0, 4) == 1.0);
    // Kolmogorov: P(K > 1.358099) = 0.05, P(K > 1.627624) = 0.01.
    CHECK(kolmogorov_sf(1.3580986393225507) == doctest::Approx(0.05).epsilon(1e-9));
    CHECK(kolmogorov_sf(1.6276236115189) == doctest::Approx(0.01).epsilon(1e-8));
    CHECK(kolmogorov_sf(0.5) == doctest::Approx(0.9639452436648751).epsilon(1e-10));
    // The tabled quantile carries about 11 significant digits.
    CHECK(student_t_cdf(2.262157162740992, 9) == doctest::Approx(0.975).epsilon(1e-10));
    CHECK(regularized_beta(2.0, 3.0, 0.4) == doctest::Approx(0.5248).epsilon(1e-12));
  }
}
