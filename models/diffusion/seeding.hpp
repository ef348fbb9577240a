// Who adopts at step 0: the initial adopters ("seeds") of a classic diffusion run.
//
//   random      `count` agents (or a `fraction` of all agents, rounded to the nearest whole
//               number) drawn uniformly without replacement, from stream
//               (seed, replicate, Purpose::kSeeding, 0, 0);
//   top_degree  the `count` (or `fraction`) agents with the highest out-degree, ties broken by
//               the lower id (Kempe, Kleinberg & Tardos 2003 use it as a baseline);
//   ids         the listed agents;
//   file        the agents listed in a text file, one id per line (blank lines and lines
//               starting with '#' skipped), for seed sets too large to write into a scenario;
//   none        nobody (Bass: adoption starts from the innovation term p alone).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/graphs/graph.hpp"
#include "sim/rng.hpp"
#include "sim/types.hpp"

namespace innosim::models {

struct SeedingParams {
  enum class Strategy : std::uint8_t { kRandom, kTopDegree, kIds, kNone, kFile };
  Strategy strategy = Strategy::kRandom;
  std::optional<std::uint64_t> count;  ///< exactly one of count and fraction for random/top_degree
  std::optional<double> fraction;
  std::vector<sim::AgentId> ids;     ///< strategy ids, or file: as listed
  std::string path;                  ///< strategy file: the file the ids were read from
  std::vector<std::uint32_t> lines;  ///< strategy file: the line of each id, for messages

  /// Throws sim::ParamError (naming seeding.<key>) when the specification does not fit a graph
  /// of `num_nodes` agents; for ids from a file, sim::DataError naming the file, the line and
  /// the id (the first bad line in file order).
  void validate(sim::AgentId num_nodes) const;
  /// Number of seeds on a graph of `num_nodes` agents.
  [[nodiscard]] std::uint64_t seed_count(sim::AgentId num_nodes) const;
};

/// Reads a seed list: one node id per line, blank lines and lines starting with '#' skipped,
/// blanks around an id ignored. Sets `ids`, `lines` and `path` (= source_name) of `into`.
/// Throws sim::DataError naming the file, line and column for a line that is not a whole
/// number or names an id no graph can have.
void parse_seed_list(std::string_view text, std::string_view source_name, SeedingParams& into);
/// Reads the seed file `path` (through sim::FileBuffer) as parse_seed_list does.
void load_seed_file(const std::string& path, SeedingParams& into);

/// The YAML name of a strategy.
[[nodiscard]] const char* seeding_strategy_name(SeedingParams::Strategy s) noexcept;

/// The initial adopters, sorted by id, without repeats.
std::vector<sim::AgentId> choose_seeds(const SeedingParams& params, const Graph& graph,
                                       const sim::RngKey& key);

}  // namespace innosim::models
