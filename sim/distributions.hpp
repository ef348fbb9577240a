// Samplers for the distributions the models draw from, written here rather than taken from
// <random>, so that a stored result depends only on our code and Philox, never on which
// standard library the binary was built with (std::*_distribution differ between libstdc++,
// libc++ and MSVC).
//
// Every sampler takes the stream to draw from and uses a documented number of draws where
// that is possible (uniform, Bernoulli, exponential, normal), which keeps common random
// numbers aligned between scenarios. Rejection samplers (binomial, Poisson for large means,
// bounded integers) use a variable number of draws; they are exact.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "sim/assert.hpp"
#include "sim/rng.hpp"

namespace innosim::sim {

/// Uniform double in [0, 1). One 64-bit draw.
inline double uniform01(RngStream& rng) noexcept {
  return rng.next_double();
}

/// Uniform double in [lo, hi). One 64-bit draw.
inline double uniform(RngStream& rng, double lo, double hi) noexcept {
  return lo + (hi - lo) * rng.next_double();
}

// 128-bit products for the 64-bit bounded-integer path (a GCC/Clang extension).
__extension__ using Uint128 = unsigned __int128;

/// Uniform integer in [0, n), without bias (Lemire 2019, "Fast random integer generation in
/// an interval", ACM TOMACS 29(1)). Precondition: n > 0.
inline std::uint64_t uniform_index(RngStream& rng, std::uint64_t n) noexcept {
  SIM_ASSERT(n > 0, "uniform_index needs n > 0");
  if (n <= (std::uint64_t{1} << 32)) {
    std::uint64_t m = std::uint64_t{rng.next_u32()} * n;
    auto low = static_cast<std::uint32_t>(m);
    if (low < n) {
      const auto reject_below = static_cast<std::uint32_t>((std::uint64_t{1} << 32) % n);
      while (low < reject_below) {
        m = std::uint64_t{rng.next_u32()} * n;
        low = static_cast<std::uint32_t>(m);
      }
    }
    return m >> 32;
  }
  Uint128 m = static_cast<Uint128>(rng.next_u64()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t reject_below = (0 - n) % n;
    while (low < reject_below) {
      m = static_cast<Uint128>(rng.next_u64()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

/// True with probability p (p outside [0, 1] is clamped by the comparison). One 64-bit draw.
inline bool bernoulli(RngStream& rng, double p) noexcept {
  return rng.next_double() < p;
}

/// Exponential with the given rate (mean 1/rate), by inversion. One 64-bit draw.
/// Precondition: rate > 0.
inline double exponential(RngStream& rng, double rate) noexcept {
  SIM_ASSERT(rate > 0.0, "exponential needs rate > 0");
  return -std::log(rng.next_double_open0()) / rate;
}

/// Normal(mean, sd) by the Box–Muller transform (one of the pair is used). Two 64-bit draws.
inline double normal(RngStream& rng, double mean, double sd) noexcept {
  const double u1 = rng.next_double_open0();
  const double u2 = rng.next_double();
  return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

/// Log-normal: exp(Normal(mu, sigma)); its median is exp(mu). Two 64-bit draws.
inline double lognormal(RngStream& rng, double mu, double sigma) noexcept {
  return std::exp(normal(rng, mu, sigma));
}

/// Number of failures before the first success in Bernoulli(p) trials, by inversion.
/// One 64-bit draw. Precondition: 0 < p <= 1. Used to skip over absent edges in sparse
/// random graphs (Batagelj & Brandes 2005).
inline std::uint64_t geometric_failures(RngStream& rng, double p) noexcept {
  SIM_ASSERT(p > 0.0 && p <= 1.0, "geometric needs 0 < p <= 1");
  if (p >= 1.0) {
    return 0;
  }
  const double x = std::floor(std::log(rng.next_double_open0()) / std::log1p(-p));
  return x >= 1.8e19 ? std::uint64_t{1} << 63 : static_cast<std::uint64_t>(x);
}

/// Binomial(n, p). Inversion (BINV, Kachitvichyanukul & Schmeiser 1988) when
/// n * min(p, 1-p) < 10, else transformed rejection with decomposition (BTRD, Hörmann 1993,
/// J. Stat. Comput. Simul. 46). Exact. Precondition: 0 <= p <= 1.
std::uint64_t binomial(RngStream& rng, std::uint64_t n, double p) noexcept;

/// Poisson(mean). Inversion by sequential search for mean < 10, else transformed rejection
/// (PTRS, Hörmann 1993, Insurance: Math. & Econ. 12). Exact. Precondition: 0 <= mean < 2^40.
std::uint64_t poisson(RngStream& rng, double mean) noexcept;

/// log(k!) without global state (std::lgamma writes `signgam`, a data race in threaded code).
double log_factorial(std::uint64_t k) noexcept;

/// Index i with probability weights[i] / sum(weights), by a linear scan of the cumulative sum.
/// One 64-bit draw; O(n). For repeated draws from the same weights use AliasTable.
/// Preconditions: weights non-negative and finite with a positive sum.
std::size_t weighted_index(RngStream& rng, std::span<const double> weights) noexcept;

/// Walker's alias method in Vose's (1991) numerically stable construction: O(n) set-up,
/// O(1) per draw (one bounded integer and one uniform).
class AliasTable {
 public:
  /// Throws ParamError when a weight is negative or not finite, or all weights are zero.
  explicit AliasTable(std::span<const double> weights);
  [[nodiscard]] std::size_t sample(RngStream& rng) const noexcept;
  [[nodiscard]] std::size_t size() const noexcept { return probability_.size(); }

 private:
  std::vector<double> probability_;
  std::vector<std::uint32_t> alias_;
};

/// Uniform random permutation in place (Fisher–Yates, Durstenfeld's form).
template <class T>
void shuffle(RngStream& rng, std::span<T> items) noexcept {
  for (std::size_t i = items.size(); i > 1; --i) {
    const auto j = static_cast<std::size_t>(uniform_index(rng, i));
    std::swap(items[i - 1], items[j]);
  }
}

/// k distinct values drawn uniformly from [0, n), returned in increasing order.
/// Floyd's algorithm (k draws) when k is small against n, selection sampling (Knuth's
/// Algorithm S, n draws at most) otherwise. Precondition: k <= n.
std::vector<std::uint64_t> sample_without_replacement(RngStream& rng, std::uint64_t n, std::uint64_t k);

}  // namespace innosim::sim
