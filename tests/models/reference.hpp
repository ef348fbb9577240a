// Plain serial reference implementations of the classic models, written as directly as the
// model definitions read: one thread, whole-array scans instead of frontiers and crossing
// detection. They use the same random-stream conventions (the part of each model's
// specification that fixes *which* numbers are drawn), so the parallel kernel must reproduce
// them bitwise.
#pragma once

#include <cmath>
#include <vector>

#include "models/diffusion/bass.hpp"
#include "models/diffusion/detail/threshold_cascade.hpp"
#include "models/graphs/graph.hpp"
#include "sim/distributions.hpp"
#include "sim/rng.hpp"

namespace innosim::test {

using sim::AgentId;
using sim::EdgeIndex;
using sim::kNever;
using sim::Step;

inline std::vector<Step> seeded(AgentId n, const std::vector<AgentId>& seeds) {
  std::vector<Step> steps(n, kNever);
  for (AgentId s : seeds) steps[s] = 0;
  return steps;
}

/// Independent cascade with uniform p: at tick t each adopter of t - 1, in id order, flips
/// one coin per out-arc in row order from stream (kTransmit, t, u).
inline std::vector<Step> reference_ic(const sim::CsrLayer& g, const std::vector<AgentId>& seeds, double p,
                                      const sim::RngKey& key, Step max_steps) {
  const AgentId n = g.num_nodes();
  std::vector<Step> steps = seeded(n, seeds);
  const sim::Coin32 coin(p);
  for (Step t = 1; t <= max_steps; ++t) {
    for (AgentId u = 0; u < n; ++u) {
      if (steps[u] != t - 1) continue;
      sim::RngStream rng = key.stream(sim::Purpose::kTransmit, t, u);
      for (const AgentId v : g.view().neighbours(u)) {
        const bool success = coin(rng);
        if (success && steps[v] == kNever) steps[v] = t;
      }
    }
  }
  return steps;
}

/// Threshold cascade: influence summed over adopted in-neighbours, compared with the need
/// after all pushes of a tick (a scan, not crossing detection).
inline std::vector<Step> reference_threshold(const sim::CsrLayer& g, const std::vector<AgentId>& seeds,
                                             const std::vector<double>& theta, bool use_weights,
                                             Step max_steps) {
  const AgentId n = g.num_nodes();
  const sim::CsrView v = g.view();
  auto w = [&](EdgeIndex e) -> std::uint64_t {
    return use_weights ? static_cast<std::uint64_t>(std::llround(double{v.weights[e]} * 16777216.0)) : 1;
  };
  std::vector<std::uint64_t> total(n, 0);
  for (AgentId u = 0; u < n; ++u) {
    for (EdgeIndex e = v.begin(u); e < v.end(u); ++e) total[v.targets[e]] += w(e);
  }
  std::vector<std::uint64_t> need(n);
  for (AgentId x = 0; x < n; ++x) {
    need[x] = total[x] == 0 ? ~std::uint64_t{0} : models::detail::influence_needed(theta[x], total[x]);
  }
  std::vector<Step> steps = seeded(n, seeds);
  std::vector<std::uint64_t> influence(n, 0);
  for (Step t = 1; t <= max_steps; ++t) {
    for (AgentId u = 0; u < n; ++u) {
      if (steps[u] != t - 1) continue;
      for (EdgeIndex e = v.begin(u); e < v.end(u); ++e) influence[v.targets[e]] += w(e);
    }
    for (AgentId x = 0; x < n; ++x) {
      if (steps[x] == kNever && influence[x] >= need[x]) steps[x] = t;
    }
  }
  return steps;
}

/// Bass on a layer (or the complete graph when `g` is null): every non-adopter draws once per
/// tick from stream (kAdopt, t, v) against the one-tick probability of its share.
inline std::vector<Step> reference_bass(const sim::CsrLayer* g, AgentId n, const std::vector<AgentId>& seeds,
                                        const models::BassParams& params, const sim::RngKey& key,
                                        Step max_steps) {
  std::vector<Step> steps = seeded(n, seeds);
  std::vector<std::uint64_t> exposure(n, 0);
  std::vector<std::uint64_t> total(n, 0);
  if (g != nullptr) {
    const sim::CsrView v = g->view();
    for (AgentId u = 0; u < n; ++u) {
      for (EdgeIndex e = v.begin(u); e < v.end(u); ++e) total[v.targets[e]] += 1;
    }
  }
  for (Step t = 1; t <= max_steps; ++t) {
    std::uint64_t adopters = 0;
    for (AgentId x = 0; x < n; ++x) adopters += steps[x] != kNever ? 1U : 0U;
    if (g != nullptr) {
      const sim::CsrView v = g->view();
      for (AgentId u = 0; u < n; ++u) {
        if (steps[u] != t - 1) continue;
        for (EdgeIndex e = v.begin(u); e < v.end(u); ++e) exposure[v.targets[e]] += 1;
      }
    }
    for (AgentId x = 0; x < n; ++x) {
      if (steps[x] != kNever) continue;
      double share = 0.0;
      if (g == nullptr) {
        share = n > 1 ? static_cast<double>(adopters) / static_cast<double>(n - 1) : 0.0;
      } else if (total[x] > 0) {
        share = static_cast<double>(exposure[x]) / static_cast<double>(total[x]);
      }
      sim::RngStream rng = key.stream(sim::Purpose::kAdopt, t, x);
      if (rng.next_double() < models::bass_step_probability(params, share)) steps[x] = t;
    }
  }
  return steps;
}

/// SI: each exposed non-adopter draws once per tick from stream (kTransmit, t, v) against
/// 1 - (1 - beta)^k, k its adopted in-neighbours at the start of the tick.
inline std::vector<Step> reference_si(const sim::CsrLayer& g, const std::vector<AgentId>& seeds, double beta,
                                      const sim::RngKey& key, Step max_steps) {
  const AgentId n = g.num_nodes();
  const sim::CsrView v = g.view();
  std::vector<Step> steps = seeded(n, seeds);
  for (Step t = 1; t <= max_steps; ++t) {
    std::vector<std::uint32_t> k(n, 0);
    for (AgentId u = 0; u < n; ++u) {
      if (steps[u] == kNever) continue;
      for (EdgeIndex e = v.begin(u); e < v.end(u); ++e) k[v.targets[e]] += 1;
    }
    for (AgentId x = 0; x < n; ++x) {
      if (steps[x] != kNever || k[x] == 0) continue;
      const double probability = -std::expm1(static_cast<double>(k[x]) * std::log1p(-beta));
      sim::RngStream rng = key.stream(sim::Purpose::kTransmit, t, x);
      if (rng.next_double() < probability) steps[x] = t;
    }
  }
  return steps;
}

/// Breadth-first distances from a set of sources (kNever when unreachable).
inline std::vector<Step> bfs_steps(const sim::CsrLayer& g, const std::vector<AgentId>& sources) {
  std::vector<Step> d = seeded(g.num_nodes(), sources);
  std::vector<AgentId> frontier = sources;
  for (Step t = 1; !frontier.empty(); ++t) {
    std::vector<AgentId> next;
    for (AgentId u : frontier) {
      for (AgentId x : g.view().neighbours(u)) {
        if (d[x] == kNever) {
          d[x] = t;
          next.push_back(x);
        }
      }
    }
    frontier = next;
  }
  return d;
}

}  // namespace innosim::test
