// The engine behind the linear threshold and Watts models: a synchronous, push-based
// threshold cascade with exact integer arithmetic.
//
// Every agent v has a gauge: the influence of its adopted in-neighbours so far and the
// influence it needs. At tick t each adopter of tick t - 1 adds its arc weight to the gauge of
// each out-neighbour; an agent whose gauge crosses its need during tick t adopts at t. Arc
// weights are integers (1 per arc, or a weight quantised to 2^-24), so the additions commute
// exactly: whatever the order, the same agents cross, and exactly one addition sees each
// crossing. The additions go through sim::TargetBins (propagation blocking), so they need no
// atomics: no floating-point order effects, no locks.
//
// The need is the smallest whole number k >= 1 with k >= theta * W(v), W(v) being the total
// in-weight: "the adopted share of v's neighbourhood is at least theta", evaluated once in
// double precision. An agent needs at least one adopted in-neighbour, so theta = 0 means "any
// single neighbour", and agents without in-neighbours never adopt unless seeded.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "models/diffusion/adoption.hpp"
#include "models/diffusion/detail/influence.hpp"
#include "sim/scatter.hpp"

namespace innosim::models::detail {

/// The smallest k >= 1 with k >= theta * total (both as doubles).
std::uint64_t influence_needed(double theta, std::uint64_t total) noexcept;

// The influence an agent has received and the influence it needs, side by side: the push loop
// touches both for one target, and this way that is one cache line instead of two random
// accesses.
template <class Word>
struct Gauge {
  Word influence;
  Word need;
};

class ThresholdCascade : public DiffusionProcess {
 protected:
  /// use_weights: quantised layer weights (checked to lie in [2^-24, 2^20]); else 1 per arc.
  /// Throws sim::ParamError for the implicit complete graph or unusable weights.
  ThresholdCascade(Graph graph, std::vector<sim::AgentId> seeds, const sim::RngKey& key, bool use_weights,
                   const char* model_name);

  /// Threshold theta of agent v (the share of in-weight it needs), drawn or fixed by the model.
  [[nodiscard]] virtual double threshold(sim::AgentId v) const = 0;
  /// The threshold when it is the same for every agent, which lets the start-up compute each
  /// need from a table by in-weight instead of once per agent.
  [[nodiscard]] virtual std::optional<double> common_threshold() const = 0;

 public:
  [[nodiscard]] std::size_t state_bytes() const override {
    return DiffusionProcess::state_bytes() + gauges32_.capacity() * sizeof(Gauge<std::uint32_t>) +
           gauges64_.capacity() * sizeof(Gauge<std::uint64_t>) +
           std::visit([](const auto& b) { return b.memory_bytes(); }, bins_);
  }

 private:
  void on_start() final;
  template <class Word>
  void start_gauges(sim::StateVector<Gauge<Word>>& gauges);
  template <class Word>
  void push(sim::Step t, sim::StateVector<Gauge<Word>>& gauges);

  bool use_weights_;
  // Unweighted layers count adopted neighbours in 32 bits (8 bytes a gauge); weighted ones sum
  // quantised weights in 64 bits. Only one of the two is used.
  sim::StateVector<Gauge<std::uint32_t>> gauges32_;
  sim::StateVector<Gauge<std::uint64_t>> gauges64_;
  std::variant<sim::TargetBins<>, sim::TargetBins<std::uint64_t>> bins_;
};

}  // namespace innosim::models::detail
