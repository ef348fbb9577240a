// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC), the arithmetic of it:
// priors, populations of weighted particles, the perturbation kernel, importance weights,
// tolerances. The driver that runs the model for each proposal is tools/calibrate/.
//
// The scheme is that of Beaumont, Cornuet, Marin and Robert (2009, "Adaptive approximate
// Bayesian computation", Biometrika 96:983) with the adaptive tolerances of Del Moral, Doucet
// and Jasra (2012) as used by pyABC and Toni et al. (2009):
//   generation 0   particles drawn from the prior, every one accepted, weights equal;
//   generation t   tolerance eps_t = a quantile of generation t-1's distances; a proposal picks
//                  an ancestor j with probability w_j, moves it with the kernel K_t (a normal
//                  with twice the weighted covariance of generation t-1) and is redrawn while it
//                  lies outside the prior's support; a simulation is run; it is accepted when
//                  its distance <= eps_t, with weight
//                      w = prior(theta) / sum_j w_j K_t(theta | theta_j),
//                  and the weights are normalised to one.
//
// Everything works in kernel coordinates z: log(x) for a log-uniform prior, x otherwise, so
// that a parameter spanning decades is moved in proportion; prior densities are densities of
// z (a log-uniform prior is uniform in z), which keeps the weights consistent with the kernel.
//
// Randomness comes only from the streams the caller passes (counter-based, keyed by seed,
// generation and proposal), so a population is a function of the seed and the simulations'
// results alone: the same however the simulations were scheduled.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "sim/rng.hpp"

namespace innosim::sim::abc {

enum class PriorKind { kUniform, kLogUniform, kNormal, kTruncatedNormal };

/// A prior for one parameter, in its natural units.
///   kUniform          uniform on [low, high]
///   kLogUniform       log-uniform on [low, high], 0 < low < high
///   kNormal           normal(mean, sd), unbounded
///   kTruncatedNormal  normal(mean, sd) truncated to [low, high]
struct Prior {
  PriorKind kind = PriorKind::kUniform;
  double low = 0, high = 1;
  double mean = 0, sd = 1;

  /// x -> z (log for kLogUniform) and back.
  [[nodiscard]] double to_z(double x) const noexcept;
  [[nodiscard]] double from_z(double z) const noexcept;
  /// Whether z lies in the support.
  [[nodiscard]] bool contains_z(double z) const noexcept;
  /// Log density of z (-infinity outside the support).
  [[nodiscard]] double log_density_z(double z) const noexcept;
  /// z at quantile u in (0, 1) of the prior (inverse CDF): prior draws from uniform numbers.
  [[nodiscard]] double quantile_z(double u) const noexcept;
  /// Throws sim::ParamError (key empty) when the numbers do not make a proper prior.
  void validate() const;
};

/// Weighted particles in kernel coordinates.
struct Population {
  std::size_t dim = 0;
  std::vector<double> z;          ///< size() x dim, row-major
  std::vector<double> weights;    ///< normalised: sum 1
  std::vector<double> distances;  ///< of each particle's accepted simulation
  double tolerance = 0;           ///< eps of this generation (+infinity for generation 0)

  [[nodiscard]] std::size_t size() const noexcept { return weights.size(); }
  [[nodiscard]] std::span<const double> particle(std::size_t i) const noexcept {
    return {z.data() + i * dim, dim};
  }
  /// Effective sample size 1 / sum w^2 (Kong, Liu and Wong 1994).
  [[nodiscard]] double ess() const noexcept;
  /// Weighted mean and covariance (dim x dim, row-major; the unbiased weighted form
  /// sum w (z - m)(z - m)' / (1 - sum w^2), 0 when one particle holds all weight).
  [[nodiscard]] std::vector<double> mean() const;
  [[nodiscard]] std::vector<double> covariance() const;
};

/// Normal perturbation kernel K(z | z_j) = N(z; z_j, scale x covariance of the population).
class Kernel {
 public:
  /// Beaumont et al. (2009): twice the weighted covariance. A covariance that is not positive
  /// definite (a degenerate population) gets a ridge of 1e-9 x its largest diagonal (or 1e-12)
  /// on the diagonal until its Cholesky factor exists.
  static Kernel fit(const Population& previous, double scale = 2.0);

  [[nodiscard]] std::size_t dim() const noexcept { return dim_; }
  /// Lower Cholesky factor L (dim x dim, row-major): covariance = L L'.
  [[nodiscard]] const std::vector<double>& cholesky() const noexcept { return chol_; }
  /// log N(z; centre, covariance).
  [[nodiscard]] double log_density(std::span<const double> z, std::span<const double> centre) const noexcept;
  /// centre + L e with e standard normal draws from `rng`, written to `out`.
  void perturb(std::span<const double> centre, RngStream& rng, std::span<double> out) const noexcept;

 private:
  std::size_t dim_ = 0;
  std::vector<double> chol_;
  double log_norm_ = 0;  ///< -dim/2 log(2 pi) - log det L
};

/// Generation 0: particle i's z drawn from the priors with the uniform numbers of `rng`.
void sample_prior(std::span<const Prior> priors, RngStream& rng, std::span<double> out) noexcept;

/// A proposal of generation t >= 1: an ancestor drawn by weight, moved by the kernel, redrawn
/// (new ancestor and move) while outside the priors' support, at most `max_attempts` times.
/// Returns false when no proposal inside the support was found (a prior region the kernel
/// cannot reach: the caller reports it).
bool propose(const Population& previous, const Kernel& kernel, std::span<const Prior> priors, RngStream& rng,
             std::span<double> out, std::size_t max_attempts = 10000);

/// Log of the unnormalised importance weight of an accepted z of generation t >= 1:
/// log prior(z) - log sum_j w_j K(z | z_j), computed with log-sum-exp.
[[nodiscard]] double log_weight(std::span<const double> z, const Population& previous, const Kernel& kernel,
                                std::span<const Prior> priors);

/// Normalises log weights to weights summing to one (subtracting the maximum first).
[[nodiscard]] std::vector<double> normalise(std::span<const double> log_weights);

/// The weighted `quantile` (0 < q <= 1) of the population's distances: the next tolerance.
[[nodiscard]] double next_tolerance(const Population& population, double quantile);

/// sqrt(sum ((simulated - observed) / sd)^2 / n): the root mean square of standardised
/// differences, so that a distance of 1 is "one standard deviation per target". NaN simulated
/// values give +infinity (never accepted).
[[nodiscard]] double distance(std::span<const double> simulated, std::span<const double> observed,
                              std::span<const double> sd) noexcept;

/// Weighted quantile of one coordinate (natural units are the caller's business): the value
/// below which `q` of the weight lies (linear between the midpoints of sorted particles' weights).
[[nodiscard]] double weighted_quantile(std::span<const double> values, std::span<const double> weights,
                                       double q);

}  // namespace innosim::sim::abc
