// Designs of experiments over the unit hypercube [0, 1)^k: where a parameter sweep runs the
// model. A design is a list of points; each coordinate is later mapped to a factor's value by
// that factor's quantile function (tools/sweep), so the designs know nothing of parameters.
//
//   full_grid          every combination of per-factor level counts, the last factor fastest;
//                      coordinate (j + 0.5) / levels, the midpoint of level j's cell
//   latin_hypercube    n points, each factor's n cells hit exactly once (McKay, Beckman &
//                      Conover 1979), cells paired at random, a random point in each cell
//   saltelli           the sample of Saltelli et al. (2010) for first-order and total Sobol
//                      indices: N base rows from a Sobol sequence in 2k dimensions (Joe & Kuo
//                      direction numbers, boost::random::sobol; the all-zero first point is
//                      skipped), split into A and B; for each row j the points
//                      A_j, AB_j^(1), ..., AB_j^(k), B_j, where AB^(i) is A with column i from B
//   morris             r trajectories of k + 1 points on a p-level grid (Morris 1991), each step
//                      moving one factor by delta = p / (2 (p - 1)) in a random order and
//                      direction, so that every level is equally likely
//
// Random designs draw from counter-based streams keyed by the caller's seed: the same seed
// gives the same design on any machine.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/types.hpp"

namespace innosim::sim {

/// Points of a design, row-major: point p's coordinate i is values[p * factors + i].
struct Design {
  std::size_t factors = 0;
  std::vector<double> values;

  [[nodiscard]] std::size_t points() const noexcept { return factors == 0 ? 0 : values.size() / factors; }
  [[nodiscard]] std::span<const double> point(std::size_t p) const noexcept {
    return {values.data() + p * factors, factors};
  }
};

/// Every combination of levels[i] levels per factor (each >= 1).
Design full_grid(std::span<const std::size_t> levels);

/// n >= 1 points in k >= 1 factors.
Design latin_hypercube(std::size_t n, std::size_t k, Seed seed);

/// base_rows >= 1 rows in k >= 1 factors (k <= 1833): base_rows * (k + 2) points.
Design saltelli(std::size_t base_rows, std::size_t k);

/// r >= 1 trajectories in k >= 1 factors on an even number of levels p >= 2: r * (k + 1) points.
/// Coordinates are the levels 0, 1 / (p - 1), ..., 1.
Design morris(std::size_t r, std::size_t k, std::size_t levels, Seed seed);

/// The step of a Morris design with p levels: p / (2 (p - 1)).
[[nodiscard]] double morris_delta(std::size_t levels) noexcept;

}  // namespace innosim::sim
