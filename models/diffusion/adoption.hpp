// What the classic diffusion models share: the adoption record and the indicators.
//
// State encoding: each agent's adoption step, kNever while it has not adopted. "Adopted at the
// start of tick t" is `step < t`, so a single array serves as the double buffer: during tick t
// agents read `step < t` and new adopters are written as `t`, which no reader of tick t counts.
// Adoption is absorbing in every classic model (SI, cascades, thresholds, Bass).
#pragma once

#include <span>
#include <vector>

#include "models/graphs/graph.hpp"
#include "sim/parallel.hpp"
#include "sim/process.hpp"
#include "sim/rng.hpp"
#include "sim/stepper.hpp"
#include "sim/types.hpp"

namespace innosim::models {

enum class AdoptState : std::uint8_t { kSusceptible = 0, kAdopted = 1 };

/// Base of the classic models: holds the graph, the random key, the adoption steps, the
/// newest adopters (the frontier) and the indicators `adopters` and `new_adopters`.
/// Derived models register their phases on `stepper_` in their constructor; the phases of
/// tick t read the state of tick t - 1 and emit (through `newcomers_`) the agents that adopt
/// at tick t. After the last phase the base class collects them, sorted, as the new frontier.
class DiffusionProcess : public sim::Process {
 public:
  [[nodiscard]] const sim::IndicatorSchema& indicators() const override { return schema_; }
  void start() final;
  void advance(sim::Step t) final;
  [[nodiscard]] bool quiescent() const override { return quiescent_; }
  void measure(std::span<double> out) const override;

  /// Adoption step of every agent (kNever: not adopted).
  [[nodiscard]] std::span<const sim::Step> adoption_steps() const noexcept { return adopted_at_; }
  [[nodiscard]] AdoptState state(sim::AgentId v) const noexcept {
    return adopted_at_[v] == sim::kNever ? AdoptState::kSusceptible : AdoptState::kAdopted;
  }
  [[nodiscard]] sim::AgentId num_adopters() const noexcept { return adopters_; }
  [[nodiscard]] const Graph& graph() const noexcept { return graph_; }
  /// Bytes of mutable state this replicate holds (the graph not included).
  [[nodiscard]] virtual std::size_t state_bytes() const;
  /// The model's phases (for per-phase timings).
  [[nodiscard]] sim::Stepper& stepper() noexcept { return stepper_; }

 protected:
  /// Precondition: seeds sorted, unique, < graph.num_nodes().
  DiffusionProcess(Graph graph, std::vector<sim::AgentId> seeds, const sim::RngKey& key);

  /// Model state at step 0 beyond the seeds (thresholds, counters); default: nothing.
  virtual void on_start() {}
  /// True when, with an empty frontier, nothing can happen any more (cascades: always; models
  /// with spontaneous adoption: only when everyone has adopted).
  [[nodiscard]] virtual bool stalls_without_frontier() const { return true; }

  [[nodiscard]] bool adopted_before(sim::AgentId v, sim::Step t) const noexcept {
    return sim::load_relaxed(adopted_at_[v]) < t;
  }
  /// Makes v an adopter at tick t if nobody has yet; true when this call did. Thread-safe.
  bool claim(sim::AgentId v, sim::Step t) noexcept {
    return sim::load_relaxed(adopted_at_[v]) == sim::kNever &&
           sim::claim_relaxed(adopted_at_[v], sim::kNever, t);
  }
  /// Records v as an adopter at tick t when only this iteration can touch v.
  void mark(sim::AgentId v, sim::Step t) noexcept { sim::store_relaxed(adopted_at_[v], t); }
  /// Adopters of the previous tick (during tick t: those of t - 1).
  [[nodiscard]] std::span<const sim::AgentId> frontier() const noexcept { return frontier_; }

  Graph graph_;
  sim::Stepper stepper_;
  sim::RngKey key_;
  sim::FrontierCollector newcomers_;

 private:
  sim::IndicatorSchema schema_;
  std::vector<sim::AgentId> seeds_;
  sim::StateVector<sim::Step> adopted_at_;
  std::vector<sim::AgentId> frontier_;
  sim::AgentId adopters_ = 0;
  bool quiescent_ = false;
};

}  // namespace innosim::models
