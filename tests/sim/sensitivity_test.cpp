// Sobol indices and Morris effects on functions whose answers are known analytically: a linear
// model (S_i = ST_i = c_i^2 / sum c^2, EE_i = c_i exactly) and the Ishigami function
// (Ishigami & Homma 1990; indices e.g. in Saltelli et al. 2010).
#include "sim/sensitivity.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "sim/design.hpp"

using namespace innosim::sim;

namespace {

constexpr double kPi = std::numbers::pi;

// Ishigami on [-pi, pi]^3, from unit coordinates.
double ishigami(std::span<const double> u, double a = 7, double b = 0.1) {
  const double x1 = -kPi + 2 * kPi * u[0], x2 = -kPi + 2 * kPi * u[1], x3 = -kPi + 2 * kPi * u[2];
  return std::sin(x1) + a * std::sin(x2) * std::sin(x2) + b * std::pow(x3, 4) * std::sin(x1);
}

std::vector<double> evaluate(const Design& d, double (*f)(std::span<const double>, double, double)) {
  std::vector<double> out;
  for (std::size_t p = 0; p < d.points(); ++p) out.push_back(f(d.point(p), 7, 0.1));
  return out;
}

}  // namespace

TEST_SUITE("statistical") {
  TEST_CASE("Sobol indices of the Ishigami function agree with the analytic values") {
    const double a = 7, b = 0.1;
    const double pi4 = std::pow(kPi, 4), pi8 = std::pow(kPi, 8);
    const double v = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    const double v1 = 0.5 * (1 + b * pi4 / 5) * (1 + b * pi4 / 5);
    const double v2 = a * a / 8;
    const double v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    const double s[] = {v1 / v, v2 / v, 0.0};
    const double st[] = {(v1 + v13) / v, v2 / v, v13 / v};
    const Design d = saltelli(4096, 3);
    const std::vector<double> y = evaluate(d, ishigami);
    const SobolIndices idx = sobol_indices(y, 3, 300, 0.95, 5);
    CHECK(idx.variance == doctest::Approx(v).epsilon(0.02));
    for (std::size_t i = 0; i < 3; ++i) {
      CAPTURE(i);
      // Within 3 bootstrap standard errors, and the errors small enough for that to mean
      // something (the indices are 0.31 / 0.44 / 0 first order, 0.56 / 0.44 / 0.24 total).
      CHECK(std::abs(idx.first[i].value - s[i]) < 3 * idx.first[i].se);
      CHECK(std::abs(idx.total[i].value - st[i]) < 3 * idx.total[i].se);
      CHECK(idx.first[i].se < 0.03);
      CHECK(idx.total[i].se < 0.03);
      CHECK(idx.first[i].low <= idx.first[i].value);
      CHECK(idx.first[i].value <= idx.first[i].high);
    }
  }
}

TEST_SUITE("unit") {
  TEST_CASE("Sobol indices of a linear model are its squared coefficients' shares") {
    const double c[] = {1.0, 2.0, 0.0, 3.0};
    const Design d = saltelli(2048, 4);
    std::vector<double> y;
    for (std::size_t p = 0; p < d.points(); ++p) {
      double sum = 0;
      for (std::size_t i = 0; i < 4; ++i) sum += c[i] * d.point(p)[i];
      y.push_back(sum);
    }
    const SobolIndices idx = sobol_indices(y, 4, 0);
    for (std::size_t i = 0; i < 4; ++i) {
      CAPTURE(i);
      CHECK(idx.first[i].value == doctest::Approx(c[i] * c[i] / 14.0).epsilon(0.02).scale(1));
      CHECK(idx.total[i].value == doctest::Approx(c[i] * c[i] / 14.0).epsilon(0.02).scale(1));
    }
    // A factor the output does not depend on has ST exactly 0.
    CHECK(idx.total[2].value == 0.0);
  }

  TEST_CASE("Morris effects of a linear model are its coefficients with no spread") {
    const double c[] = {1.5, -2.0, 0.0};
    const Design d = morris(20, 3, 4, 9);
    std::vector<double> y;
    for (std::size_t p = 0; p < d.points(); ++p) {
      y.push_back(c[0] * d.point(p)[0] + c[1] * d.point(p)[1] + c[2] * d.point(p)[2]);
    }
    const MorrisEffects e = morris_effects(d, y, 100, 0.95, 1);
    for (std::size_t i = 0; i < 3; ++i) {
      CAPTURE(i);
      CHECK(e.mu[i] == doctest::Approx(c[i]));
      CHECK(e.mu_star[i].value == doctest::Approx(std::abs(c[i])));
      CHECK(e.sigma[i] == doctest::Approx(0.0).scale(1));
    }
  }

  TEST_CASE("Morris screening ranks the Ishigami factors and sees x3's interaction") {
    const Design d = morris(200, 3, 4, 2);
    std::vector<double> y;
    for (std::size_t p = 0; p < d.points(); ++p) y.push_back(ishigami(d.point(p)));
    const MorrisEffects e = morris_effects(d, y, 200, 0.95, 1);
    // x3 acts only through its interaction with x1: its mean effect is zero by symmetry, but
    // its |effects| are not, and their spread is large.
    CHECK(e.mu_star[2].value > 1.0);
    CHECK(std::abs(e.mu[2]) < 3 * e.sigma[2] / std::sqrt(200.0));
    CHECK(e.sigma[2] > e.mu_star[2].value / 2);
    for (std::size_t i = 0; i < 3; ++i) CHECK(e.mu_star[i].low <= e.mu_star[i].high);
  }
}
