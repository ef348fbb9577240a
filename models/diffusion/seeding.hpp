// Who adopts at step 0: the initial adopters ("seeds") of a classic diffusion run.
//
//   random      `count` agents (or a `fraction` of all agents, rounded to the nearest whole
//               number) drawn uniformly without replacement, from stream
//               (seed, replicate, Purpose::kSeeding, 0, 0);
//   top_degree  the `count` (or `fraction`) agents with the highest out-degree, ties broken by
//               the lower id (Kempe, Kleinberg & Tardos 2003 use it as a baseline);
//   ids         the listed agents;
//   none        nobody (Bass: adoption starts from the innovation term p alone).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "models/graphs/graph.hpp"
#include "sim/rng.hpp"
#include "sim/types.hpp"

namespace innosim::models {

struct SeedingParams {
  enum class Strategy : std::uint8_t { kRandom, kTopDegree, kIds, kNone };
  Strategy strategy = Strategy::kRandom;
  std::optional<std::uint64_t> count;  ///< exactly one of count and fraction for random/top_degree
  std::optional<double> fraction;
  std::vector<sim::AgentId> ids;

  /// Throws sim::ParamError (naming seeding.<key>) when the specification does not fit a graph
  /// of `num_nodes` agents.
  void validate(sim::AgentId num_nodes) const;
  /// Number of seeds on a graph of `num_nodes` agents.
  [[nodiscard]] std::uint64_t seed_count(sim::AgentId num_nodes) const;
};

/// The YAML name of a strategy.
[[nodiscard]] const char* seeding_strategy_name(SeedingParams::Strategy s) noexcept;

/// The initial adopters, sorted by id, without repeats.
std::vector<sim::AgentId> choose_seeds(const SeedingParams& params, const Graph& graph,
                                       const sim::RngKey& key);

}  // namespace innosim::models
