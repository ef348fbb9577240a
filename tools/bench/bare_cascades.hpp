// The yardstick for the cascade benchmarks: the same independent cascade and linear threshold
// runs written as the plainest serial CSR loops a programmer would write, with no kernel, no
// threads, no atomics and no sorting. They draw the same random numbers as the models and must
// reach the same adopters (the benchmark checks), so timing both measures what the kernel's
// abstractions and synchronisation cost. `Vector` is std::vector for the plain loop; the
// benchmark also runs them on sim::StateVector (huge pages), to separate what the kernel
// gains from its memory from what it gains or loses in its loops.
#pragma once

#include <cstdint>
#include <vector>

#include "models/diffusion/detail/threshold_cascade.hpp"
#include "sim/csr.hpp"
#include "sim/rng.hpp"

namespace innosim::bench {

template <class T>
using PlainVector = std::vector<T>;

struct BareResult {
  std::uint64_t adopters = 0;
  std::uint64_t arcs_visited = 0;
  std::size_t state_bytes = 0;
};

template <template <class> class Vector>
BareResult bare_independent_cascade(const sim::CsrView& g, const std::vector<sim::AgentId>& seeds, double p,
                                    const sim::RngKey& key) {
  Vector<sim::Step> step(g.num_nodes, sim::kNever);
  std::vector<sim::AgentId> frontier = seeds;
  std::vector<sim::AgentId> next;
  for (const sim::AgentId s : seeds) step[s] = 0;
  const auto threshold = static_cast<std::uint64_t>(p * 4294967296.0 + 0.5);
  BareResult r{seeds.size(), 0, 0};
  for (sim::Step t = 1; !frontier.empty(); ++t) {
    next.clear();
    for (const sim::AgentId u : frontier) {
      sim::RngStream rng = key.stream(sim::Purpose::kTransmit, t, u);
      for (sim::EdgeIndex e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
        const sim::AgentId v = g.targets[e];
        if (rng.next_u32() < threshold && step[v] == sim::kNever) {
          step[v] = t;
          next.push_back(v);
        }
      }
      r.arcs_visited += g.offsets[u + 1] - g.offsets[u];
    }
    r.adopters += next.size();
    frontier.swap(next);
  }
  r.state_bytes = step.capacity() * 4 + (frontier.capacity() + next.capacity()) * 4;
  return r;
}

template <template <class> class Vector>
BareResult bare_linear_threshold(const sim::CsrView& g, const std::vector<sim::AgentId>& seeds,
                                 double theta) {
  const sim::AgentId n = g.num_nodes;
  Vector<sim::Step> step(n, sim::kNever);
  Vector<std::uint32_t> influence(n, 0);
  Vector<std::uint32_t> need(n);
  for (sim::AgentId v = 0; v < n; ++v) {
    const auto degree = g.offsets[v + 1] - g.offsets[v];
    need[v] = degree == 0 ? ~0U : static_cast<std::uint32_t>(models::detail::influence_needed(theta, degree));
  }
  std::vector<sim::AgentId> frontier = seeds;
  std::vector<sim::AgentId> next;
  for (const sim::AgentId s : seeds) step[s] = 0;
  BareResult r{seeds.size(), 0, 0};
  for (sim::Step t = 1; !frontier.empty(); ++t) {
    next.clear();
    for (const sim::AgentId u : frontier) {
      for (sim::EdgeIndex e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
        const sim::AgentId v = g.targets[e];
        if (++influence[v] == need[v] && step[v] == sim::kNever) {
          step[v] = t;
          next.push_back(v);
        }
      }
      r.arcs_visited += g.offsets[u + 1] - g.offsets[u];
    }
    r.adopters += next.size();
    frontier.swap(next);
  }
  r.state_bytes =
      (step.capacity() + influence.capacity() + need.capacity() + frontier.capacity() + next.capacity()) * 4;
  return r;
}

}  // namespace innosim::bench
