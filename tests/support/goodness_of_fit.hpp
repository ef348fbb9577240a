// Goodness-of-fit helpers for distribution tests: the Kolmogorov–Smirnov statistic against a
// continuous CDF and Pearson's chi-square against expected counts, with p-values from
// sim/stats. Thresholds are Bonferroni-corrected by the caller.
#pragma once

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "sim/stats.hpp"

namespace innosim::test {

/// p-value of the one-sample KS test of `sample` against `cdf` (asymptotic Kolmogorov
/// distribution with Stephens' small-sample correction).
inline double ks_p_value(std::vector<double> sample, const std::function<double(double)>& cdf) {
  std::sort(sample.begin(), sample.end());
  const double n = static_cast<double>(sample.size());
  double d = 0.0;
  for (std::size_t i = 0; i < sample.size(); ++i) {
    const double f = cdf(sample[i]);
    d = std::max({d, f - static_cast<double>(i) / n, static_cast<double>(i + 1) / n - f});
  }
  const double sqrt_n = std::sqrt(n);
  return sim::kolmogorov_sf((sqrt_n + 0.12 + 0.11 / sqrt_n) * d);
}

/// p-value of Pearson's chi-square test. Bins with expected count below 5 are merged with
/// their neighbours first (in order), as the test's approximation requires.
inline double chi_square_p_value(const std::vector<double>& observed, const std::vector<double>& expected) {
  std::vector<double> obs;
  std::vector<double> exp;
  double o = 0;
  double e = 0;
  for (std::size_t i = 0; i < observed.size(); ++i) {
    o += observed[i];
    e += expected[i];
    if (e >= 5.0) {
      obs.push_back(o);
      exp.push_back(e);
      o = 0;
      e = 0;
    }
  }
  if (e > 0 || o > 0) {
    if (exp.empty()) {
      obs.push_back(o);
      exp.push_back(e);
    } else {
      obs.back() += o;
      exp.back() += e;
    }
  }
  double stat = 0;
  for (std::size_t i = 0; i < obs.size(); ++i) {
    stat += (obs[i] - exp[i]) * (obs[i] - exp[i]) / exp[i];
  }
  const double df = static_cast<double>(obs.size()) - 1.0;
  return df <= 0 ? 1.0 : sim::chi_square_sf(stat, df);
}

}  // namespace innosim::test
