// The engine behind the linear threshold and Watts models: a synchronous, push-based
// threshold cascade with exact integer arithmetic.
//
// Every agent v has a gauge: the influence of its adopted in-neighbours so far and the
// influence it needs. At tick t each adopter of tick t - 1 adds its arc weight to the gauge of
// each out-neighbour; an agent whose gauge crosses its need during tick t adopts at t. Arc
// weights are integers (1 per arc, or a weight quantised to 2^-24), so the additions commute
// exactly and the agent that sees the crossing is the only one that can (fetch_add returns the
// value before): no sorting of contributions, no floating-point order effects, no locks.
//
// The need is the smallest whole number k >= 1 with k >= theta * W(v), W(v) being the total
// in-weight: "the adopted share of v's neighbourhood is at least theta", evaluated once in
// double precision. An agent needs at least one adopted in-neighbour, so theta = 0 means "any
// single neighbour", and agents without in-neighbours never adopt unless seeded.
#pragma once

#include <cstdint>
#include <vector>

#include "models/diffusion/adoption.hpp"
#include "models/diffusion/detail/influence.hpp"

namespace innosim::models::detail {

/// The smallest k >= 1 with k >= theta * total (both as doubles).
std::uint64_t influence_needed(double theta, std::uint64_t total) noexcept;

class ThresholdCascade : public DiffusionProcess {
 protected:
  /// use_weights: quantised layer weights (checked to lie in [2^-24, 2^20]); else 1 per arc.
  /// Throws sim::ParamError for the implicit complete graph or unusable weights.
  ThresholdCascade(Graph graph, std::vector<sim::AgentId> seeds, const sim::RngKey& key,
                   bool use_weights, const char* model_name);

  /// Threshold theta of agent v (the share of in-weight it needs), drawn or fixed by the model.
  [[nodiscard]] virtual double threshold(sim::AgentId v) const = 0;

 private:
  void on_start() final;
  void push(sim::Step t);

  // Influence and need sit side by side: the push loop touches both for one target, and this
  // way that is one cache line instead of two random accesses.
  struct Gauge {
    std::uint64_t influence;
    std::uint64_t need;
  };
  bool use_weights_;
  std::vector<Gauge> gauges_;
};

}  // namespace innosim::models::detail
