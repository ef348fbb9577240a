#include "sim/design.hpp"

#include <boost/random/sobol.hpp>

#include <algorithm>
#include <numeric>

#include "sim/assert.hpp"
#include "sim/distributions.hpp"
#include "sim/rng.hpp"

namespace innosim::sim {

Design full_grid(std::span<const std::size_t> levels) {
  Design d;
  d.factors = levels.size();
  std::size_t n = 1;
  for (const std::size_t l : levels) {
    SIM_ASSERT(l >= 1, "a grid factor needs at least one level");
    n *= l;
  }
  d.values.resize(n * d.factors);
  for (std::size_t p = 0; p < n; ++p) {
    std::size_t rest = p;
    for (std::size_t i = d.factors; i-- > 0;) {
      const std::size_t j = rest % levels[i];
      rest /= levels[i];
      d.values[p * d.factors + i] = (static_cast<double>(j) + 0.5) / static_cast<double>(levels[i]);
    }
  }
  return d;
}

Design latin_hypercube(std::size_t n, std::size_t k, Seed seed) {
  SIM_ASSERT(n >= 1 && k >= 1, "a Latin hypercube needs points and factors");
  Design d;
  d.factors = k;
  d.values.resize(n * k);
  std::vector<std::uint32_t> cells(n);
  for (std::size_t i = 0; i < k; ++i) {
    // Factor i's stream: a random permutation of the cells, then a point in each.
    RngStream rng(seed, 0, Purpose::kDesign, 0, static_cast<AgentId>(i));
    std::iota(cells.begin(), cells.end(), 0U);
    for (std::size_t j = n; j > 1; --j) std::swap(cells[j - 1], cells[uniform_index(rng, j)]);
    for (std::size_t p = 0; p < n; ++p) {
      d.values[p * k + i] = (static_cast<double>(cells[p]) + rng.next_double()) / static_cast<double>(n);
    }
  }
  return d;
}

Design saltelli(std::size_t base_rows, std::size_t k) {
  SIM_ASSERT(base_rows >= 1 && k >= 1, "a Saltelli sample needs rows and factors");
  boost::random::sobol_engine<std::uint32_t, 32> sobol(2 * k);
  // Skip the first point (all zeros).
  sobol.discard(2 * k);
  Design d;
  d.factors = k;
  d.values.resize(base_rows * (k + 2) * k);
  std::vector<double> a(k), b(k);
  for (std::size_t j = 0; j < base_rows; ++j) {
    for (std::size_t i = 0; i < k; ++i) a[i] = (static_cast<double>(sobol()) + 0.5) * 0x1.0p-32;
    for (std::size_t i = 0; i < k; ++i) b[i] = (static_cast<double>(sobol()) + 0.5) * 0x1.0p-32;
    double* row = d.values.data() + j * (k + 2) * k;
    std::copy(a.begin(), a.end(), row);
    for (std::size_t i = 0; i < k; ++i) {
      double* ab = row + (1 + i) * k;
      std::copy(a.begin(), a.end(), ab);
      ab[i] = b[i];
    }
    std::copy(b.begin(), b.end(), row + (k + 1) * k);
  }
  return d;
}

double morris_delta(std::size_t levels) noexcept {
  return static_cast<double>(levels) / (2.0 * static_cast<double>(levels - 1));
}

Design morris(std::size_t r, std::size_t k, std::size_t levels, Seed seed) {
  SIM_ASSERT(r >= 1 && k >= 1 && levels >= 2 && levels % 2 == 0, "a Morris design needs r, k and even p");
  Design d;
  d.factors = k;
  d.values.resize(r * (k + 1) * k);
  const double step = 1.0 / static_cast<double>(levels - 1);
  const std::size_t jump = levels / 2;  // delta in level units
  std::vector<std::size_t> level(k), order(k);
  std::vector<int> direction(k);
  for (std::size_t t = 0; t < r; ++t) {
    RngStream rng(seed, 0, Purpose::kDesign, 1, static_cast<AgentId>(t));
    for (std::size_t i = 0; i < k; ++i) {
      // Up from the lower half of the levels or down from the upper half: each level is a
      // start or an end equally often.
      direction[i] = rng.next_u32() & 1U ? 1 : -1;
      const std::size_t low = uniform_index(rng, levels - jump);
      level[i] = direction[i] > 0 ? low : low + jump;
    }
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t j = k; j > 1; --j) std::swap(order[j - 1], order[uniform_index(rng, j)]);
    double* out = d.values.data() + t * (k + 1) * k;
    for (std::size_t i = 0; i < k; ++i) out[i] = static_cast<double>(level[i]) * step;
    for (std::size_t m = 0; m < k; ++m) {
      const std::size_t i = order[m];
      level[i] = direction[i] > 0 ? level[i] + jump : level[i] - jump;
      double* next = out + (m + 1) * k;
      for (std::size_t f = 0; f < k; ++f) next[f] = static_cast<double>(level[f]) * step;
    }
  }
  return d;
}

}  // namespace innosim::sim
