#include "sim/sensitivity.hpp"

#include <algorithm>
#include <cmath>

#include "sim/assert.hpp"
#include "sim/distributions.hpp"
#include "sim/rng.hpp"

namespace innosim::sim {

namespace {

// The percentile interval and SD of bootstrap replicates (sorted in place).
Estimate summarise(double value, std::vector<double>& boot, double level) {
  Estimate e;
  e.value = value;
  if (boot.empty()) {
    e.low = e.high = value;
    return e;
  }
  RunningStats s;
  for (const double b : boot) s.add(b);
  e.se = s.sd();
  std::sort(boot.begin(), boot.end());
  const auto at = [&](double q) {
    // Type 7 quantile (linear between order statistics).
    const double h = q * static_cast<double>(boot.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(h));
    const std::size_t hi = std::min(lo + 1, boot.size() - 1);
    return boot[lo] + (h - static_cast<double>(lo)) * (boot[hi] - boot[lo]);
  };
  e.low = at((1.0 - level) / 2.0);
  e.high = at(1.0 - (1.0 - level) / 2.0);
  return e;
}

struct SobolSums {
  double variance = 0;
  std::vector<double> first, total;
};

// Estimates over the rows `rows` (indices into the base rows, repeats allowed).
SobolSums sobol_once(std::span<const double> f, std::size_t k, std::span<const std::size_t> rows) {
  const std::size_t stride = k + 2;
  RunningStats ab;
  for (const std::size_t j : rows) {
    ab.add(f[j * stride]);
    ab.add(f[j * stride + k + 1]);
  }
  SobolSums out;
  out.variance = ab.variance();
  out.first.assign(k, 0.0);
  out.total.assign(k, 0.0);
  const auto n = static_cast<double>(rows.size());
  for (std::size_t i = 0; i < k; ++i) {
    double s = 0, t = 0;
    for (const std::size_t j : rows) {
      const double a = f[j * stride], b = f[j * stride + k + 1], abi = f[j * stride + 1 + i];
      s += b * (abi - a);
      t += (a - abi) * (a - abi);
    }
    out.first[i] = out.variance > 0 ? s / n / out.variance : 0.0;
    out.total[i] = out.variance > 0 ? t / (2.0 * n) / out.variance : 0.0;
  }
  return out;
}

}  // namespace

SobolIndices sobol_indices(std::span<const double> outputs, std::size_t k, std::size_t bootstrap,
                           double level, Seed seed) {
  SIM_ASSERT(k >= 1 && outputs.size() % (k + 2) == 0, "outputs do not match a Saltelli design");
  const std::size_t n = outputs.size() / (k + 2);
  SIM_ASSERT(n >= 2, "Sobol indices need at least two base rows");
  std::vector<std::size_t> rows(n);
  for (std::size_t j = 0; j < n; ++j) rows[j] = j;
  const SobolSums point = sobol_once(outputs, k, rows);
  std::vector<std::vector<double>> first(k), total(k);
  for (std::size_t b = 0; b < bootstrap; ++b) {
    RngStream rng(seed, 0, Purpose::kBootstrap, 0, static_cast<AgentId>(b));
    for (std::size_t j = 0; j < n; ++j) rows[j] = static_cast<std::size_t>(uniform_index(rng, n));
    const SobolSums again = sobol_once(outputs, k, rows);
    for (std::size_t i = 0; i < k; ++i) {
      first[i].push_back(again.first[i]);
      total[i].push_back(again.total[i]);
    }
  }
  SobolIndices out;
  out.variance = point.variance;
  for (std::size_t i = 0; i < k; ++i) {
    out.first.push_back(summarise(point.first[i], first[i], level));
    out.total.push_back(summarise(point.total[i], total[i], level));
  }
  return out;
}

MorrisEffects morris_effects(const Design& design, std::span<const double> outputs, std::size_t bootstrap,
                             double level, Seed seed) {
  const std::size_t k = design.factors;
  SIM_ASSERT(k >= 1 && outputs.size() == design.points() && design.points() % (k + 1) == 0,
             "outputs do not match a Morris design");
  const std::size_t r = design.points() / (k + 1);
  // effects[t * k + i]: trajectory t's elementary effect of factor i.
  std::vector<double> effects(r * k, 0.0);
  for (std::size_t t = 0; t < r; ++t) {
    for (std::size_t m = 0; m < k; ++m) {
      const std::size_t p = t * (k + 1) + m;
      const auto x = design.point(p), y = design.point(p + 1);
      std::size_t moved = k;
      for (std::size_t i = 0; i < k; ++i) {
        if (x[i] != y[i]) moved = i;
      }
      SIM_ASSERT(moved < k, "a Morris step moves no factor");
      effects[t * k + moved] = (outputs[p + 1] - outputs[p]) / (y[moved] - x[moved]);
    }
  }
  auto summarise_rows = [&](std::span<const std::size_t> rows, std::size_t i, double& mu, double& mu_star,
                            double& sigma) {
    RunningStats s, a;
    for (const std::size_t t : rows) {
      s.add(effects[t * k + i]);
      a.add(std::abs(effects[t * k + i]));
    }
    mu = s.mean();
    mu_star = a.mean();
    sigma = s.sd();
  };
  std::vector<std::size_t> rows(r);
  for (std::size_t t = 0; t < r; ++t) rows[t] = t;
  MorrisEffects out;
  std::vector<std::vector<double>> boot(k);
  for (std::size_t b = 0; b < bootstrap; ++b) {
    RngStream rng(seed, 0, Purpose::kBootstrap, 1, static_cast<AgentId>(b));
    std::vector<std::size_t> sample(r);
    for (std::size_t t = 0; t < r; ++t) sample[t] = static_cast<std::size_t>(uniform_index(rng, r));
    for (std::size_t i = 0; i < k; ++i) {
      double mu = 0, mu_star = 0, sigma = 0;
      summarise_rows(sample, i, mu, mu_star, sigma);
      boot[i].push_back(mu_star);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    double mu = 0, mu_star = 0, sigma = 0;
    summarise_rows(rows, i, mu, mu_star, sigma);
    out.mu.push_back(mu);
    out.sigma.push_back(sigma);
    out.mu_star.push_back(summarise(mu_star, boot[i], level));
  }
  return out;
}

}  // namespace innosim::sim
