// Global sensitivity analysis of a model output over a design (sim/design.hpp).
//
// Sobol indices from a Saltelli sample (rows of A_j, AB_j^(1..k), B_j):
//   V     the variance of the outputs at A and B together
//   S_i   first order, Saltelli et al. (2010), Table 2 (b):  mean_j f(B_j) (f(AB_j^i) - f(A_j)) / V
//   ST_i  total, Jansen (1999):                              mean_j (f(A_j) - f(AB_j^i))^2 / (2 V)
// Morris elementary effects from trajectories: EE = (f(x + delta e_i) - f(x)) / (+-delta) per
// step, summarised by mu (mean), mu* (mean of |EE|, Campolongo et al. 2007) and sigma (SD).
//
// Intervals are bootstrap percentile intervals over the base rows (Sobol) or the trajectories
// (Morris): rows are resampled with replacement and the estimate recomputed, B times. The
// resampling draws from counter-based streams keyed by the seed, so intervals are reproducible.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "sim/design.hpp"
#include "sim/stats.hpp"
#include "sim/types.hpp"

namespace innosim::sim {

/// An estimate with its bootstrap interval and standard error.
struct Estimate {
  double value = 0;
  double low = 0;  ///< percentile interval at the requested level
  double high = 0;
  double se = 0;  ///< standard deviation of the bootstrap estimates
};

struct SobolIndices {
  double variance = 0;          ///< V of the output
  std::vector<Estimate> first;  ///< S_i per factor
  std::vector<Estimate> total;  ///< ST_i per factor
};

/// outputs: one value per point of a saltelli(base_rows, k) design, in its order.
/// Precondition: outputs.size() == base_rows * (k + 2), base_rows >= 2.
SobolIndices sobol_indices(std::span<const double> outputs, std::size_t k, std::size_t bootstrap = 1000,
                           double level = 0.95, Seed seed = 0);

struct MorrisEffects {
  std::vector<Estimate> mu_star;  ///< mean |EE| per factor, with interval
  std::vector<double> mu;         ///< mean EE
  std::vector<double> sigma;      ///< SD of EE
};

/// design: a morris() design; outputs: one value per point. Effects are per unit of the
/// design's coordinate (a factor's whole range is 1).
MorrisEffects morris_effects(const Design& design, std::span<const double> outputs,
                             std::size_t bootstrap = 1000, double level = 0.95, Seed seed = 0);

}  // namespace innosim::sim
