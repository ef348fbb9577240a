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

/// The arrays of a bare run, kept between runs (as a program running replicates would), so that
/// repeated runs time the loops, not the operating system's page faults.
template <template <class> class Vector>
struct BareWorkspace {
  Vector<sim::Step> step;
  Vector<std::uint32_t> influence;
  Vector<std::uint32_t> need;
  std::vector<sim::AgentId> frontier;
  std::vector<sim::AgentId> next;
};

template <template <class> class Vector>
BareResult bare_independent_cascade(const sim::CsrView& g, const std::vector<sim::AgentId>& seeds, double p,
                                    const sim::RngKey& key, BareWorkspace<Vector>& w) {
  w.step.assign(g.num_nodes, sim::kNever);
  w.frontier = seeds;
  for (const sim::AgentId s : seeds) w.step[s] = 0;
  const auto threshold = static_cast<std::uint64_t>(p * 4294967296.0 + 0.5);
  BareResult r{seeds.size(), 0, 0};
  for (sim::Step t = 1; !w.frontier.empty(); ++t) {
    w.next.clear();
    for (const sim::AgentId u : w.frontier) {
      sim::RngStream rng = key.stream(sim::Purpose::kTransmit, t, u);
      for (sim::EdgeIndex e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
        const sim::AgentId v = g.targets[e];
        if (rng.next_u32() < threshold && w.step[v] == sim::kNever) {
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

template <template <class> class Vector>
BareResult bare_linear_threshold(const sim::CsrView& g, const std::vector<sim::AgentId>& seeds, double theta,
                                 BareWorkspace<Vector>& w) {
  const sim::AgentId n = g.num_nodes;
  w.step.assign(n, sim::kNever);
  w.influence.assign(n, 0);
  w.need.resize(n);
  for (sim::AgentId v = 0; v < n; ++v) {
    const auto degree = g.offsets[v + 1] - g.offsets[v];
    w.need[v] =
        degree == 0 ? ~0U : static_cast<std::uint32_t>(models::detail::influence_needed(theta, degree));
  }
  w.frontier = seeds;
  for (const sim::AgentId s : seeds) w.step[s] = 0;
  BareResult r{seeds.size(), 0, 0};
  for (sim::Step t = 1; !w.frontier.empty(); ++t) {
    w.next.clear();
    for (const sim::AgentId u : w.frontier) {
      for (sim::EdgeIndex e = g.offsets[u]; e < g.offsets[u + 1]; ++e) {
        const sim::AgentId v = g.targets[e];
        if (++w.influence[v] == w.need[v] && w.step[v] == sim::kNever) {
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
