// The yardstick for the cascade benchmarks: independent cascade and linear threshold written as
// the plainest serial CSR loops a programmer would write, sharing no code with the kernel: no
// kernel random streams, no threads, atomics or sorting. Only the graph's arrays (sim::CsrView,
// plain pointers) are shared, so both run on the same graph.
//
// Independent cascade: each new adopter tries each neighbour that has not adopted, once, with
// probability p, drawn from the loop's own xoshiro256** generator (Blackman & Vigna 2018), and
// it draws nothing for a neighbour that has already adopted. Its cascades therefore differ
// from the kernel's draw for draw; the benchmark compares time per arc visited. Linear
// threshold: thresholds are the kernel's definition (the smallest whole k >= 1 with
// k >= theta * degree), tabulated by degree as the kernel does; with a fixed theta the model is
// deterministic, so both reach exactly the same adopters (the benchmark checks). `Vector` is
// std::vector for the plain loop; the benchmark also runs them on sim::StateVector (huge pages)
// to separate what the kernel gains from its memory from what it gains or loses in its loops.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/csr.hpp"

namespace innosim::bench {

template <class T>
using PlainVector = std::vector<T>;

struct BareResult {
  std::uint64_t adopters = 0;
  std::uint64_t arcs_visited = 0;
  std::size_t state_bytes = 0;
};

/// xoshiro256** seeded through splitmix64.
class Xoshiro256 {
 public:
  explicit Xoshiro256(std::uint64_t seed) noexcept {
    for (auto& word : s_) {
      std::uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
      z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
      z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
      word = z ^ (z >> 31);
    }
  }
  std::uint64_t next() noexcept {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

/// The arrays of a bare run, kept between runs (as a program running replicates would), so that
/// repeated runs time the loops, not the operating system's page faults.
template <template <class> class Vector>
struct BareWorkspace {
  Vector<std::int32_t> step;  // -1: not adopted
  Vector<std::uint32_t> influence;
  Vector<std::uint32_t> need;
  std::vector<sim::AgentId> frontier;
  std::vector<sim::AgentId> next;
};

template <template <class> class Vector>
BareResult bare_independent_cascade(const sim::CsrView& g, const std::vector<sim::AgentId>& seeds, double p,
                                    std::uint64_t seed, BareWorkspace<Vector>& w) {
  w.step.assign(g.num_nodes, -1);
  w.frontier = seeds;
  for (const sim::AgentId s : seeds) w.step[s] = 0;
  Xoshiro256 rng(seed);
  const auto threshold = static_cast<std::uint64_t>(p * 18446744073709551616.0);
  BareResult r{seeds.size(), 0, 0};
  for (std::int32_t t = 1; !w.frontier.empty(); ++t) {
    w.next.clear();
    for (const sim::AgentId u : w.frontier) {
      for (sim::EdgeIndex e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
        const sim::AgentId v = g.targets[e];
        if (w.step[v] < 0 && rng.next() < threshold) {
          w.step[v] = t;
          w.next.push_back(v);
        }
      }
      r.arcs_visited += g.offsets[u + 1] - g.offsets[u];
    }
    r.adopters += w.next.size();
    w.frontier.swap(w.next);
  }
  r.state_bytes = w.step.capacity() * 4 + (w.frontier.capacity() + w.next.capacity()) * 4;
  return r;
}

/// The smallest whole number k >= 1 with k >= theta * degree (the kernel's definition, written
/// out again here).
inline std::uint32_t bare_need(double theta, std::uint64_t degree) {
  const double target = theta * static_cast<double>(degree);
  auto k = static_cast<std::uint64_t>(std::ceil(target));
  while (k > 0 && static_cast<double>(k - 1) >= target) --k;
  while (static_cast<double>(k) < target) ++k;
  return static_cast<std::uint32_t>(k < 1 ? 1 : k);
}

template <template <class> class Vector>
BareResult bare_linear_threshold(const sim::CsrView& g, const std::vector<sim::AgentId>& seeds, double theta,
                                 BareWorkspace<Vector>& w) {
  const sim::AgentId n = g.num_nodes;
  w.step.assign(n, -1);
  w.influence.assign(n, 0);
  w.need.resize(n);
  // Needs by degree from a table, as the kernel does for a common theta.
  constexpr std::uint64_t kTable = 1024;
  std::uint32_t table[kTable];
  for (std::uint64_t d = 0; d < kTable; ++d) table[d] = d == 0 ? ~0U : bare_need(theta, d);
  for (sim::AgentId v = 0; v < n; ++v) {
    const auto degree = g.offsets[v + 1] - g.offsets[v];
    w.need[v] = degree < kTable ? table[degree] : bare_need(theta, degree);
  }
  w.frontier = seeds;
  for (const sim::AgentId s : seeds) w.step[s] = 0;
  BareResult r{seeds.size(), 0, 0};
  for (std::int32_t t = 1; !w.frontier.empty(); ++t) {
    w.next.clear();
    for (const sim::AgentId u : w.frontier) {
      for (sim::EdgeIndex e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
        const sim::AgentId v = g.targets[e];
        if (w.step[v] < 0 && ++w.influence[v] == w.need[v]) {
          w.step[v] = t;
          w.next.push_back(v);
        }
      }
      r.arcs_visited += g.offsets[u + 1] - g.offsets[u];
    }
    r.adopters += w.next.size();
    w.frontier.swap(w.next);
  }
  r.state_bytes = (w.step.capacity() + w.influence.capacity() + w.need.capacity() + w.frontier.capacity() +
                   w.next.capacity()) *
                  4;
  return r;
}

}  // namespace innosim::bench
