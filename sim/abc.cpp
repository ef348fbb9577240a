#include "sim/abc.hpp"

// Normal CDF and quantile, with both tails computed directly (complement), which truncated
// normals far out in a tail need.
#include <boost/math/distributions/normal.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>
#include <string>

#include "sim/assert.hpp"
#include "sim/distributions.hpp"
#include "sim/error.hpp"

namespace innosim::sim::abc {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The functions below are noexcept: Boost's default policy throws on a domain error or
// overflow, this one returns the IEEE answer (0, 1, +-infinity) instead.
using QuietPolicy = boost::math::policies::policy<
    boost::math::policies::domain_error<boost::math::policies::ignore_error>,
    boost::math::policies::overflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::underflow_error<boost::math::policies::ignore_error>,
    boost::math::policies::evaluation_error<boost::math::policies::ignore_error>>;
const boost::math::normal_distribution<double, QuietPolicy> kStdNormal(0.0, 1.0);

// P(X <= x), P(X > x) and their inverses, each tail computed directly.
double phi_lower(double x) {
  return boost::math::cdf(kStdNormal, x);
}
double phi_upper(double x) {
  return boost::math::cdf(boost::math::complement(kStdNormal, x));
}
double inv_lower(double p) {
  return boost::math::quantile(kStdNormal, p);
}
double inv_upper(double q) {
  return boost::math::quantile(boost::math::complement(kStdNormal, q));
}

// P(a < X <= b) for a standard normal X. Differences of the small tail probabilities, never
// of two numbers close to one: [8, 9] keeps its 6e-16 of mass instead of becoming 0.
double normal_mass(double a, double b) {
  if (a > 0) return phi_upper(a) - phi_upper(b);
  if (b < 0) return phi_lower(b) - phi_lower(a);
  return 1.0 - phi_lower(a) - phi_upper(b);
}

// Standardised truncation bounds of a truncated normal.
struct Standardised {
  double a, b;
};
Standardised standardise(const Prior& p) {
  return {(p.low - p.mean) / p.sd, (p.high - p.mean) / p.sd};
}

double normal_log_pdf(double z, double mean, double sd) {
  const double x = (z - mean) / sd;
  return -0.5 * x * x - std::log(sd) - 0.5 * std::log(2.0 * std::numbers::pi);
}

std::string describe(const Prior& p) {
  std::ostringstream out;
  out.precision(17);
  switch (p.kind) {
    case PriorKind::kUniform:
      out << "uniform prior on [" << p.low << ", " << p.high << "]";
      break;
    case PriorKind::kLogUniform:
      out << "log-uniform prior on [" << p.low << ", " << p.high << "]";
      break;
    case PriorKind::kNormal:
      out << "normal prior (mean " << p.mean << ", sd " << p.sd << ")";
      break;
    case PriorKind::kTruncatedNormal:
      out << "truncated normal prior (mean " << p.mean << ", sd " << p.sd << ") on [" << p.low << ", "
          << p.high << "]";
      break;
  }
  return out.str();
}

[[noreturn]] void refuse(const Prior& p, const std::string& why) {
  throw ParamError("", describe(p) + ": " + why);
}

// Lower Cholesky factor of the dim x dim matrix `a` into `l`; false when `a` is not
// (numerically) positive definite.
bool cholesky_factor(const std::vector<double>& a, std::size_t dim, std::vector<double>& l) {
  l.assign(dim * dim, 0.0);
  for (std::size_t i = 0; i < dim; ++i) {
    for (std::size_t j = 0; j <= i; ++j) {
      double s = a[i * dim + j];
      for (std::size_t k = 0; k < j; ++k) s -= l[i * dim + k] * l[j * dim + k];
      if (i == j) {
        if (!(s > 0.0) || !std::isfinite(s)) return false;
        l[i * dim + i] = std::sqrt(s);
      } else {
        l[i * dim + j] = s / l[j * dim + j];
      }
    }
  }
  return true;
}

}  // namespace

// ---- Prior ----

double Prior::to_z(double x) const noexcept {
  return kind == PriorKind::kLogUniform ? std::log(x) : x;
}

double Prior::from_z(double z) const noexcept {
  return kind == PriorKind::kLogUniform ? std::exp(z) : z;
}

bool Prior::contains_z(double z) const noexcept {
  switch (kind) {
    case PriorKind::kUniform:
    case PriorKind::kTruncatedNormal:
      return z >= low && z <= high;
    case PriorKind::kLogUniform:
      return z >= std::log(low) && z <= std::log(high);
    case PriorKind::kNormal:
      return std::isfinite(z);
  }
  return false;
}

double Prior::log_density_z(double z) const noexcept {
  if (!contains_z(z)) return -kInf;
  switch (kind) {
    case PriorKind::kUniform:
      return -std::log(high - low);
    case PriorKind::kLogUniform:
      // Uniform in z = log x: the density of z, not of x, is what the kernel is compared with.
      return -std::log(std::log(high) - std::log(low));
    case PriorKind::kNormal:
      return normal_log_pdf(z, mean, sd);
    case PriorKind::kTruncatedNormal: {
      const auto [a, b] = standardise(*this);
      return normal_log_pdf(z, mean, sd) - std::log(normal_mass(a, b));
    }
  }
  return -kInf;
}

double Prior::quantile_z(double u) const noexcept {
  switch (kind) {
    case PriorKind::kUniform:
      return low + u * (high - low);
    case PriorKind::kLogUniform:
      return std::log(low) + u * (std::log(high) - std::log(low));
    case PriorKind::kNormal:
      return mean + sd * (u <= 0.5 ? inv_lower(u) : inv_upper(1.0 - u));  // 1 - u exact for u >= 1/2
    case PriorKind::kTruncatedNormal: {
      // x = Phi^-1(Phi(a) + u (Phi(b) - Phi(a))). When that probability is above 1/2 the same
      // point is found from the upper tail, Q^-1(Q(a) - u (Q(a) - Q(b))), so that a truncation
      // far in the upper tail (Phi(a) == 1 in doubles) still gets distinct, finite quantiles.
      const auto [a, b] = standardise(*this);
      const double mass = normal_mass(a, b);
      const double p_a = phi_lower(a);
      const double p = p_a + u * mass;
      const double x = p <= 0.5 ? inv_lower(p) : inv_upper(phi_upper(a) - u * mass);
      return mean + sd * std::clamp(x, a, b);
    }
  }
  return 0.0;
}

void Prior::validate() const {
  const bool bounded = kind != PriorKind::kNormal;
  const bool normal_shaped = kind == PriorKind::kNormal || kind == PriorKind::kTruncatedNormal;
  if (bounded) {
    if (!std::isfinite(low) || !std::isfinite(high)) refuse(*this, "the bounds must be finite numbers");
    if (!(low < high)) refuse(*this, "low must be below high");
  }
  if (normal_shaped) {
    if (!std::isfinite(mean) || !std::isfinite(sd)) refuse(*this, "mean and sd must be finite numbers");
    if (!(sd > 0.0)) refuse(*this, "sd must be positive");
  }
  if (kind == PriorKind::kLogUniform && !(low > 0.0)) refuse(*this, "a log-uniform prior needs 0 < low");
  if (kind == PriorKind::kTruncatedNormal) {
    const auto [a, b] = standardise(*this);
    // A mass below the smallest normal double has lost its precision (or underflowed to 0):
    // the density and quantiles would be inf or NaN.
    if (!(normal_mass(a, b) >= std::numeric_limits<double>::min())) {
      refuse(*this, "the interval holds (numerically) none of the normal's mass; move it towards the mean");
    }
  }
}

// ---- Population ----

double Population::ess() const noexcept {
  double total = 0, squares = 0;
  for (const double w : weights) {
    total += w;
    squares += w * w;
  }
  return squares > 0 ? total * total / squares : 0.0;
}

std::vector<double> Population::mean() const {
  std::vector<double> m(dim, 0.0);
  double total = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    total += weights[i];
    for (std::size_t k = 0; k < dim; ++k) m[k] += weights[i] * z[i * dim + k];
  }
  if (total > 0) {
    for (double& x : m) x /= total;
  }
  return m;
}

std::vector<double> Population::covariance() const {
  std::vector<double> c(dim * dim, 0.0);
  double total = 0;
  for (const double w : weights) total += w;
  if (!(total > 0)) return c;
  const std::vector<double> m = mean();
  double squares = 0;
  for (std::size_t i = 0; i < size(); ++i) {
    const double w = weights[i] / total;
    squares += w * w;
    for (std::size_t r = 0; r < dim; ++r) {
      const double dr = z[i * dim + r] - m[r];
      for (std::size_t s = 0; s <= r; ++s) c[r * dim + s] += w * dr * (z[i * dim + s] - m[s]);
    }
  }
  // Reliability weights' correction (the weighted analogue of n - 1); undefined when one
  // particle holds all the weight, and then there is no spread to report.
  const double correction = 1.0 - squares;
  for (std::size_t r = 0; r < dim; ++r) {
    for (std::size_t s = 0; s <= r; ++s) {
      const double v = correction > 0 ? c[r * dim + s] / correction : 0.0;
      c[r * dim + s] = c[s * dim + r] = v;
    }
  }
  return c;
}

// ---- Kernel ----

Kernel Kernel::fit(const Population& previous, double scale) {
  const std::size_t dim = previous.dim;
  std::vector<double> cov = previous.covariance();
  for (double& x : cov) x *= scale;
  Kernel k;
  k.dim_ = dim;
  if (!cholesky_factor(cov, dim, k.chol_)) {
    // A degenerate population (all particles equal, or on a line): a ridge small against the
    // spread there is, grown until the factor exists, keeps the kernel usable without
    // changing it where the population does vary.
    double largest = 0;
    for (std::size_t i = 0; i < dim; ++i) largest = std::max(largest, cov[i * dim + i]);
    double ridge = largest > 0 ? 1e-9 * largest : 1e-12;
    // 1e-9 x a subnormal diagonal underflows to 0, which growing by x10 would never change.
    ridge = std::max(ridge, std::numeric_limits<double>::min());
    for (;;) {
      if (!std::isfinite(ridge)) {
        throw ParamError("",
                         "ABC kernel: the population's covariance is not finite (a particle is NaN or "
                         "infinite)");
      }
      std::vector<double> a = cov;
      for (std::size_t i = 0; i < dim; ++i) a[i * dim + i] += ridge;
      if (cholesky_factor(a, dim, k.chol_)) break;
      ridge *= 10;
    }
  }
  k.log_norm_ = -0.5 * static_cast<double>(dim) * std::log(2.0 * std::numbers::pi);
  for (std::size_t i = 0; i < dim; ++i) k.log_norm_ -= std::log(k.chol_[i * dim + i]);
  return k;
}

double Kernel::log_density(std::span<const double> z, std::span<const double> centre) const noexcept {
  SIM_ASSERT(z.size() == dim_ && centre.size() == dim_, "kernel density of a point of the wrong dimension");
  // (z - c)' Sigma^-1 (z - c) = |y|^2 with L y = z - c (forward substitution).
  double quad = 0;
  double y_buf[16];
  std::vector<double> y_heap;
  double* y = y_buf;
  if (dim_ > 16) {
    y_heap.resize(dim_);
    y = y_heap.data();
  }
  for (std::size_t i = 0; i < dim_; ++i) {
    double s = z[i] - centre[i];
    for (std::size_t k = 0; k < i; ++k) s -= chol_[i * dim_ + k] * y[k];
    y[i] = s / chol_[i * dim_ + i];
    quad += y[i] * y[i];
  }
  return -0.5 * quad + log_norm_;
}

void Kernel::perturb(std::span<const double> centre, RngStream& rng, std::span<double> out) const noexcept {
  SIM_ASSERT(centre.size() == dim_ && out.size() == dim_, "kernel move of a point of the wrong dimension");
  double e_buf[16];
  std::vector<double> e_heap;
  double* e = e_buf;
  if (dim_ > 16) {
    e_heap.resize(dim_);
    e = e_heap.data();
  }
  for (std::size_t i = 0; i < dim_; ++i) e[i] = normal(rng, 0.0, 1.0);
  // Row i reads centre[i] before writing out[i] and never looks back, so `out` may alias `centre`.
  for (std::size_t i = 0; i < dim_; ++i) {
    double x = centre[i];
    for (std::size_t k = 0; k <= i; ++k) x += chol_[i * dim_ + k] * e[k];
    out[i] = x;
  }
}

// ---- Generations ----

void sample_prior(std::span<const Prior> priors, RngStream& rng, std::span<double> out) noexcept {
  SIM_ASSERT(out.size() == priors.size(), "one coordinate per prior");
  for (std::size_t k = 0; k < priors.size(); ++k) {
    // uniform01 can return exactly 0, whose normal quantile is -infinity: redraw (p = 2^-53).
    double u = uniform01(rng);
    while (u == 0.0) u = uniform01(rng);
    out[k] = priors[k].quantile_z(u);
  }
}

bool propose(const Population& previous, const Kernel& kernel, std::span<const Prior> priors, RngStream& rng,
             std::span<double> out, std::size_t max_attempts) {
  SIM_ASSERT(previous.dim == priors.size() && out.size() == priors.size(), "one coordinate per prior");
  for (std::size_t attempt = 0; attempt < max_attempts; ++attempt) {
    const std::size_t j = weighted_index(rng, previous.weights);
    kernel.perturb(previous.particle(j), rng, out);
    bool inside = true;
    for (std::size_t k = 0; k < priors.size() && inside; ++k) inside = priors[k].contains_z(out[k]);
    if (inside) return true;
  }
  return false;
}

double log_weight(std::span<const double> z, const Population& previous, const Kernel& kernel,
                  std::span<const Prior> priors) {
  SIM_ASSERT(z.size() == priors.size() && previous.dim == priors.size(), "one coordinate per prior");
  double log_prior = 0;
  for (std::size_t k = 0; k < priors.size(); ++k) log_prior += priors[k].log_density_z(z[k]);
  if (log_prior == -kInf) return -kInf;
  // log sum_j w_j K(z | z_j) by log-sum-exp: far from every particle the kernel densities
  // underflow to 0 in linear scale long before their logarithms are unusual.
  std::vector<double> terms;
  terms.reserve(previous.size());
  double largest = -kInf;
  for (std::size_t j = 0; j < previous.size(); ++j) {
    if (!(previous.weights[j] > 0)) continue;
    const double t = std::log(previous.weights[j]) + kernel.log_density(z, previous.particle(j));
    terms.push_back(t);
    largest = std::max(largest, t);
  }
  SIM_ASSERT(largest > -kInf, "the previous population has no particle with positive weight");
  double sum = 0;
  for (const double t : terms) sum += std::exp(t - largest);
  return log_prior - (largest + std::log(sum));
}

std::vector<double> normalise(std::span<const double> log_weights) {
  std::vector<double> w(log_weights.begin(), log_weights.end());
  if (w.empty()) return w;
  const double largest = *std::max_element(w.begin(), w.end());
  SIM_ASSERT(std::isfinite(largest), "normalise needs a finite largest log weight");
  double total = 0;
  for (double& x : w) {
    x = std::exp(x - largest);
    total += x;
  }
  for (double& x : w) x /= total;
  return w;
}

double next_tolerance(const Population& population, double quantile) {
  return weighted_quantile(population.distances, population.weights, quantile);
}

double distance(std::span<const double> simulated, std::span<const double> observed,
                std::span<const double> sd) noexcept {
  SIM_ASSERT(simulated.size() == observed.size() && sd.size() == observed.size(), "one sd per target");
  if (simulated.empty()) return 0.0;
  double sum = 0;
  for (std::size_t i = 0; i < simulated.size(); ++i) {
    if (!std::isfinite(simulated[i])) return kInf;  // a failed or exploded simulation
    const double d = (simulated[i] - observed[i]) / sd[i];
    sum += d * d;
  }
  return std::sqrt(sum / static_cast<double>(simulated.size()));
}

double weighted_quantile(std::span<const double> values, std::span<const double> weights, double q) {
  SIM_ASSERT(values.size() == weights.size(), "one weight per value");
  // Particles without weight carry no information about the distribution: left out.
  std::vector<std::pair<double, double>> vw;  // (value, weight), sorted by value
  double total = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    SIM_ASSERT(weights[i] >= 0 && !std::isnan(values[i]), "weights non-negative, values not NaN");
    if (weights[i] > 0) {
      vw.emplace_back(values[i], weights[i]);
      total += weights[i];
    }
  }
  SIM_ASSERT(!vw.empty(), "weighted_quantile needs a positive total weight");
  if (vw.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(vw.begin(), vw.end());
  // Particle i stands at the middle of its share of the cumulative weight,
  // c_i = (sum_{k<i} w_k + w_i / 2) / total; between two such points the quantile is linear.
  double before = 0;
  double prev_c = 0, prev_v = 0;
  for (std::size_t i = 0; i < vw.size(); ++i) {
    const double c = (before + 0.5 * vw[i].second) / total;
    if (q <= c) {
      if (i == 0) return vw[0].first;  // below the first midpoint: clamped
      // q > prev_c here (the previous particle did not return), so 0 < t <= 1. Equal
      // neighbours return directly: two infinite distances would otherwise give inf - inf.
      const double t = (q - prev_c) / (c - prev_c);
      if (t >= 1 || vw[i].first == prev_v) return vw[i].first;
      return prev_v + t * (vw[i].first - prev_v);
    }
    before += vw[i].second;
    prev_c = c;
    prev_v = vw[i].first;
  }
  return vw.back().first;  // above the last midpoint: clamped
}

}  // namespace innosim::sim::abc
