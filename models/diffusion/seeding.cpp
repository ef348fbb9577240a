// Choice of initial adopters.
#include "models/diffusion/seeding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/distributions.hpp"
#include "sim/error.hpp"

namespace innosim::models {

using sim::AgentId;
using sim::ParamError;

const char* seeding_strategy_name(SeedingParams::Strategy s) noexcept {
  switch (s) {
    case SeedingParams::Strategy::kRandom:
      return "random";
    case SeedingParams::Strategy::kTopDegree:
      return "top_degree";
    case SeedingParams::Strategy::kIds:
      return "ids";
    case SeedingParams::Strategy::kNone:
      return "none";
  }
  return "?";
}

void SeedingParams::validate(AgentId num_nodes) const {
  const char* name = seeding_strategy_name(strategy);
  switch (strategy) {
    case Strategy::kRandom:
    case Strategy::kTopDegree:
      if (count.has_value() == fraction.has_value()) {
        throw ParamError(
            "seeding.strategy",
            fmt::format("seeding: strategy '{}' needs exactly one of seeding.count and seeding.fraction",
                        name));
      }
      if (count && *count > num_nodes) {
        throw ParamError(
            "seeding.count",
            fmt::format("seeding.count = {}, must be at most the {} nodes of the graph", *count, num_nodes));
      }
      if (fraction && !(std::isfinite(*fraction) && *fraction >= 0.0 && *fraction <= 1.0)) {
        throw ParamError("seeding.fraction",
                         fmt::format("seeding.fraction = {}, must be in [0, 1]", *fraction));
      }
      if (!ids.empty()) {
        throw ParamError("seeding.ids",
                         fmt::format("seeding.ids is only used with strategy 'ids', not '{}'", name));
      }
      break;
    case Strategy::kIds: {
      if (count || fraction) {
        throw ParamError("seeding.strategy",
                         "seeding: strategy 'ids' takes seeding.ids, not count or fraction");
      }
      std::vector<AgentId> sorted = ids;
      std::sort(sorted.begin(), sorted.end());
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (sorted[i] >= num_nodes) {
          throw ParamError("seeding.ids",
                           fmt::format("seeding.ids: id {} is out of range, the graph has nodes 0 .. {}",
                                       sorted[i], num_nodes - 1));
        }
        if (i > 0 && sorted[i] == sorted[i - 1]) {
          throw ParamError("seeding.ids", fmt::format("seeding.ids: id {} is listed twice", sorted[i]));
        }
      }
      break;
    }
    case Strategy::kNone:
      if (count || fraction || !ids.empty()) {
        throw ParamError("seeding.strategy", "seeding: strategy 'none' takes no count, fraction or ids");
      }
      break;
  }
}

std::uint64_t SeedingParams::seed_count(AgentId num_nodes) const {
  switch (strategy) {
    case Strategy::kRandom:
    case Strategy::kTopDegree:
      return count ? *count
                   : static_cast<std::uint64_t>(std::llround(*fraction * static_cast<double>(num_nodes)));
    case Strategy::kIds:
      return ids.size();
    case Strategy::kNone:
      return 0;
  }
  return 0;
}

std::vector<AgentId> choose_seeds(const SeedingParams& params, const Graph& graph, const sim::RngKey& key) {
  const AgentId n = graph.num_nodes();
  params.validate(n);
  const std::uint64_t k = params.seed_count(n);
  std::vector<AgentId> seeds;
  switch (params.strategy) {
    case SeedingParams::Strategy::kRandom: {
      sim::RngStream rng = key.stream(sim::Purpose::kSeeding, 0, 0);
      for (const std::uint64_t v : sim::sample_without_replacement(rng, n, k)) {
        seeds.push_back(static_cast<AgentId>(v));
      }
      break;
    }
    case SeedingParams::Strategy::kTopDegree: {
      std::vector<AgentId> order(n);
      std::iota(order.begin(), order.end(), AgentId{0});
      auto higher = [&](AgentId a, AgentId b) {
        const auto da = graph.degree(a);
        const auto db = graph.degree(b);
        return da != db ? da > db : a < b;
      };
      const auto kth = order.begin() + static_cast<std::ptrdiff_t>(k);
      std::nth_element(order.begin(), kth, order.end(), higher);
      seeds.assign(order.begin(), kth);
      std::sort(seeds.begin(), seeds.end());
      break;
    }
    case SeedingParams::Strategy::kIds:
      seeds = params.ids;
      std::sort(seeds.begin(), seeds.end());
      break;
    case SeedingParams::Strategy::kNone:
      break;
  }
  return seeds;
}

}  // namespace innosim::models
