// Exact samplers whose set-up does not belong in a header: binomial (BINV/BTRD), Poisson
// (inversion/PTRS), weighted choice, the alias table and sampling without replacement.
#include "sim/distributions.hpp"

#include <algorithm>
#include <array>
#include <numbers>
#include <string>
#include <unordered_set>

#include "sim/error.hpp"

namespace innosim::sim {
namespace {

// fc(k) = log(k!) - [(k + 1/2) log(k + 1) - (k + 1) + log(2 pi) / 2]: the Stirling-series
// correction of Hörmann (1993), tabulated for k < 10 and from its asymptotic series above.
double stirling_correction(std::uint64_t k) noexcept {
  static constexpr std::array<double, 10> kTable = {
      0.08106146679532726,  0.04134069595540929, 0.02767792568499834, 0.02079067210376509,
      0.01664469118982119,  0.01387612882307075, 0.01189670994589177, 0.01041126526197209,
      0.009255462182712733, 0.008330563433362871};
  if (k < kTable.size()) {
    return kTable[k];
  }
  const double kp1 = static_cast<double>(k) + 1.0;
  const double inv2 = 1.0 / (kp1 * kp1);
  // 1/(12x) - 1/(360x^3) + 1/(1260x^5) - 1/(1680x^7): below 1e-12 relative from k = 10 on.
  return (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - (1.0 / 1680.0) * inv2) * inv2) * inv2) / kp1;
}

std::uint64_t binomial_inversion(RngStream& rng, std::uint64_t n, double p) noexcept {
  const double q = 1.0 - p;
  const double s = p / q;
  const double a = (static_cast<double>(n) + 1.0) * s;
  const double r0 = std::exp(static_cast<double>(n) * std::log1p(-p));
  for (;;) {
    double r = r0;
    double u = rng.next_double();
    std::uint64_t x = 0;
    while (u > r) {
      u -= r;
      ++x;
      if (x > n) {
        break;  // rounding left mass unaccounted for: draw again (probability ~1e-16)
      }
      r *= a / static_cast<double>(x) - s;
    }
    if (x <= n) {
      return x;
    }
  }
}

std::uint64_t binomial_btrd(RngStream& rng, std::uint64_t n_int, double p) noexcept {
  const double n = static_cast<double>(n_int);
  const double m = std::floor((n + 1.0) * p);
  const double r = p / (1.0 - p);
  const double nr = (n + 1.0) * r;
  const double npq = n * p * (1.0 - p);
  const double sqrt_npq = std::sqrt(npq);
  const double b = 1.15 + 2.53 * sqrt_npq;
  const double a = -0.0873 + 0.0248 * b + 0.01 * p;
  const double c = n * p + 0.5;
  const double alpha = (2.83 + 5.1 / b) * sqrt_npq;
  const double v_r = 0.92 - 4.2 / b;
  const double u_r_v_r = 0.86 * v_r;

  for (;;) {
    double v = rng.next_double();
    double u = 0.0;
    if (v <= u_r_v_r) {
      u = v / v_r - 0.43;
      return static_cast<std::uint64_t>(std::floor((2.0 * a / (0.5 - std::abs(u)) + b) * u + c));
    }
    if (v >= v_r) {
      u = rng.next_double() - 0.5;
    } else {
      u = v / v_r - 0.93;
      u = std::copysign(0.5, u) - u;
      v = rng.next_double() * v_r;
    }
    const double us = 0.5 - std::abs(u);
    const double kd = std::floor((2.0 * a / us + b) * u + c);
    if (kd < 0.0 || kd > n) {
      continue;
    }
    v = v * alpha / (a / (us * us) + b);
    const double km = std::abs(kd - m);
    if (km <= 15.0) {
      // Recursive evaluation of f(k) / f(m).
      double f = 1.0;
      if (m < kd) {
        for (double i = m + 1.0; i <= kd; i += 1.0) {
          f *= nr / i - r;
        }
      } else if (m > kd) {
        for (double i = kd + 1.0; i <= m; i += 1.0) {
          v *= nr / i - r;
        }
      }
      if (v <= f) {
        return static_cast<std::uint64_t>(kd);
      }
      continue;
    }
    // Squeeze, then the exact test on log f(k) / f(m).
    v = std::log(v);
    const double rho = (km / npq) * (((km / 3.0 + 0.625) * km + 1.0 / 6.0) / npq + 0.5);
    const double t = -km * km / (2.0 * npq);
    if (v < t - rho) {
      return static_cast<std::uint64_t>(kd);
    }
    if (v > t + rho) {
      continue;
    }
    const double nm = n - m + 1.0;
    const double h = (m + 0.5) * std::log((m + 1.0) / (r * nm)) +
                     stirling_correction(static_cast<std::uint64_t>(m)) +
                     stirling_correction(static_cast<std::uint64_t>(n - m));
    const double nk = n - kd + 1.0;
    if (v <= h + (n + 1.0) * std::log(nm / nk) + (kd + 0.5) * std::log(nk * r / (kd + 1.0)) -
                 stirling_correction(static_cast<std::uint64_t>(kd)) -
                 stirling_correction(static_cast<std::uint64_t>(n - kd))) {
      return static_cast<std::uint64_t>(kd);
    }
  }
}

}  // namespace

double log_factorial(std::uint64_t k) noexcept {
  const double kd = static_cast<double>(k);
  return (kd + 0.5) * std::log(kd + 1.0) - (kd + 1.0) + 0.5 * std::log(2.0 * std::numbers::pi) +
         stirling_correction(k);
}

std::uint64_t binomial(RngStream& rng, std::uint64_t n, double p) noexcept {
  SIM_ASSERT(p >= 0.0 && p <= 1.0, "binomial needs 0 <= p <= 1");
  if (n == 0 || p <= 0.0) {
    return 0;
  }
  if (p >= 1.0) {
    return n;
  }
  if (p > 0.5) {
    return n - binomial(rng, n, 1.0 - p);
  }
  if (static_cast<double>(n) * p < 10.0) {
    return binomial_inversion(rng, n, p);
  }
  return binomial_btrd(rng, n, p);
}

std::uint64_t poisson(RngStream& rng, double mean) noexcept {
  SIM_ASSERT(mean >= 0.0 && mean < 1.1e12, "poisson mean outside [0, 2^40)");
  if (mean <= 0.0) {
    return 0;
  }
  if (mean < 10.0) {
    for (;;) {
      double prob = std::exp(-mean);
      double cumulative = prob;
      const double u = rng.next_double();
      std::uint64_t x = 0;
      while (u > cumulative && x < 1000) {
        ++x;
        prob *= mean / static_cast<double>(x);
        cumulative += prob;
      }
      if (x < 1000) {
        return x;
      }
    }
  }
  const double slam = std::sqrt(mean);
  const double loglam = std::log(mean);
  const double b = 0.931 + 2.53 * slam;
  const double a = -0.059 + 0.02483 * b;
  const double inv_alpha = 1.1239 + 1.1328 / (b - 3.4);
  const double v_r = 0.9277 - 3.6224 / (b - 2.0);
  for (;;) {
    const double u = rng.next_double() - 0.5;
    const double v = rng.next_double();
    const double us = 0.5 - std::abs(u);
    const double kd = std::floor((2.0 * a / us + b) * u + mean + 0.43);
    if (us >= 0.07 && v <= v_r) {
      return static_cast<std::uint64_t>(kd);
    }
    if (kd < 0.0 || (us < 0.013 && v > us)) {
      continue;
    }
    const auto k = static_cast<std::uint64_t>(kd);
    if (std::log(v) + std::log(inv_alpha) - std::log(a / (us * us) + b) <=
        -mean + kd * loglam - log_factorial(k)) {
      return k;
    }
  }
}

std::size_t weighted_index(RngStream& rng, std::span<const double> weights) noexcept {
  SIM_ASSERT(!weights.empty(), "weighted_index needs at least one weight");
  double total = 0.0;
  for (const double w : weights) {
    total += w;
  }
  SIM_ASSERT(total > 0.0, "weighted_index needs a positive total weight");
  const double target = rng.next_double() * total;
  double cumulative = 0.0;
  std::size_t last_positive = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] > 0.0) {
      cumulative += weights[i];
      last_positive = i;
      if (target < cumulative) {
        return i;
      }
    }
  }
  return last_positive;  // target fell on the rounding gap at the very top
}

AliasTable::AliasTable(std::span<const double> weights)
    : probability_(weights.size()), alias_(weights.size()) {
  if (weights.empty() || weights.size() > 0xFFFFFFFFU) {
    throw ParamError("alias table: need between 1 and 2^32 - 1 weights, got " +
                     std::to_string(weights.size()));
  }
  double total = 0.0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    if (!(weights[i] >= 0.0) || !std::isfinite(weights[i])) {
      throw ParamError("alias table: weight " + std::to_string(i) + " = " + std::to_string(weights[i]) +
                       ", must be finite and >= 0");
    }
    total += weights[i];
  }
  if (!(total > 0.0)) {
    throw ParamError("alias table: all weights are zero");
  }
  const auto n = weights.size();
  std::vector<double> scaled(n);
  std::vector<std::uint32_t> small;
  std::vector<std::uint32_t> large;
  for (std::size_t i = 0; i < n; ++i) {
    scaled[i] = weights[i] * static_cast<double>(n) / total;
    (scaled[i] < 1.0 ? small : large).push_back(static_cast<std::uint32_t>(i));
  }
  while (!small.empty() && !large.empty()) {
    const std::uint32_t s = small.back();
    small.pop_back();
    const std::uint32_t l = large.back();
    probability_[s] = scaled[s];
    alias_[s] = l;
    scaled[l] = (scaled[l] + scaled[s]) - 1.0;
    if (scaled[l] < 1.0) {
      large.pop_back();
      small.push_back(l);
    }
  }
  // What is left is 1 up to rounding.
  for (const std::uint32_t i : large) {
    probability_[i] = 1.0;
    alias_[i] = i;
  }
  for (const std::uint32_t i : small) {
    probability_[i] = 1.0;
    alias_[i] = i;
  }
}

std::size_t AliasTable::sample(RngStream& rng) const noexcept {
  const auto i = static_cast<std::size_t>(uniform_index(rng, probability_.size()));
  return rng.next_double() < probability_[i] ? i : alias_[i];
}

std::vector<std::uint64_t> sample_without_replacement(RngStream& rng, std::uint64_t n, std::uint64_t k) {
  SIM_ASSERT(k <= n, "cannot sample more values than the population holds");
  std::vector<std::uint64_t> out;
  out.reserve(static_cast<std::size_t>(k));
  if (k == 0) {
    return out;
  }
  if (k * 16 >= n) {
    // Algorithm S: visit each value once, keeping it with probability (needed / remaining).
    std::uint64_t needed = k;
    for (std::uint64_t i = 0; i < n && needed > 0; ++i) {
      if (uniform_index(rng, n - i) < needed) {
        out.push_back(i);
        --needed;
      }
    }
    return out;
  }
  // Floyd (Bentley & Floyd 1987): for j = n-k .. n-1 draw t in [0, j]; keep t, or j if t is
  // already kept. The kept set is uniform over all k-subsets; only membership matters, so the
  // hash order never reaches the result (it is sorted).
  std::unordered_set<std::uint64_t> chosen;
  chosen.reserve(static_cast<std::size_t>(k) * 2);
  for (std::uint64_t j = n - k; j < n; ++j) {
    const std::uint64_t t = uniform_index(rng, j + 1);
    if (!chosen.insert(t).second) {
      chosen.insert(j);
    }
  }
  out.assign(chosen.begin(), chosen.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace innosim::sim
