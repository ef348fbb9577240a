// The Bass model as an agent-based model (Bass 1969, "A new product growth for model consumer
// durables", Management Science 15(5):215-227).
//
// A non-adopter v adopts at hazard p + q * F_v per unit time, where p is the innovation
// (external) coefficient, q the imitation (internal) coefficient and F_v the share of v's
// in-neighbourhood that has adopted (on a weighted layer, its share of in-weight; on the
// complete graph, adopters / (n - 1)). On the complete graph with n -> infinity the adopted
// share follows the closed form F(t) = (1 - e^{-(p+q)t}) / (1 + (q/p) e^{-(p+q)t}).
//
// Discretisation. Time advances in ticks of one unit (p and q are per tick). In a tick every
// non-adopter adopts with a probability computed from F_v at the start of the tick:
//
//   step_rule: exact (default)
//     pi(F) = 1 - (p + q) / ((p + q F) e^{p+q} + q (1 - F)),
//     the share of current non-adopters that the Bass ODE dF/dt = (p + qF)(1 - F) converts in
//     one unit of time when started from F. The ODE's solution satisfies
//     (p + qF(t)) / (1 - F(t)) = (p + qF(0)) / (1 - F(0)) e^{(p+q)t}, which gives pi exactly,
//     so on the complete graph the mean-field recursion F <- F + (1 - F) pi(F) hits the
//     closed form at every tick, for any tick length: no O(dt) error to shrink.
//   step_rule: constant_hazard
//     pi(F) = 1 - e^{-(p + q F)}, the textbook ABM rule that holds the hazard fixed over the
//     tick; it lags the closed form by O((p+q)^2) per tick and is offered for comparison.
//
// Randomness: agent v's decision at tick t uses one draw from stream (kAdopt, t, v).
#pragma once

#include <vector>

#include "models/diffusion/adoption.hpp"
#include "sim/scatter.hpp"

namespace innosim::models {

struct BassParams {
  enum class StepRule : std::uint8_t { kExact, kConstantHazard };
  /// Defaults: the mean coefficients of Sultan, Farley & Lehmann's (1990, J. Marketing Res. 27)
  /// meta-analysis, p = 0.03 and q = 0.38 per year, for monthly ticks.
  double p_innovation_per_step = 0.03 / 12.0;
  double q_imitation_per_step = 0.38 / 12.0;
  StepRule step_rule = StepRule::kExact;
  void validate() const;
};

[[nodiscard]] const char* step_rule_name(BassParams::StepRule r) noexcept;

/// Probability that a non-adopter whose adopted neighbour share is `share` adopts in one tick.
[[nodiscard]] double bass_step_probability(const BassParams& params, double share) noexcept;

/// An upper bound of bass_step_probability(params, share) for 0 <= share <= 1 that needs no
/// exponential, for samplers that reject most candidates: with a = p + q share and s = p + q,
/// constant hazard 1 - e^-a <= a; the exact step a (e^s - 1) / (a e^s + q (1 - share)) is at most
/// a (e^s - 1) / s (the denominator is at least s), and (e^s - 1) / s <= 1 + s for s <= 1.
[[nodiscard]] double bass_step_bound(const BassParams& params, double share) noexcept;

/// Closed-form adopted share of the Bass model at time t (in ticks), starting from F(0) = 0.
[[nodiscard]] double bass_closed_form(double p, double q, double t) noexcept;
/// The same from F(0) = f0 (for instance one first adopter among N: f0 = 1/N).
[[nodiscard]] double bass_closed_form(double p, double q, double t, double f0) noexcept;

class Bass final : public DiffusionProcess {
 public:
  Bass(const BassParams& params, Graph graph, std::vector<sim::AgentId> seeds, const sim::RngKey& key);

  [[nodiscard]] std::size_t state_bytes() const override {
    return DiffusionProcess::state_bytes() +
           (exposure_.capacity() + total_.capacity()) * sizeof(std::uint64_t) + bins_.memory_bytes();
  }

 private:
  void on_start() override;
  [[nodiscard]] bool stalls_without_frontier() const override;
  void expose(sim::Step t);
  void adopt(sim::Step t);

  BassParams params_;
  bool use_weights_ = false;
  sim::StateVector<std::uint64_t> exposure_;  ///< integer in-weight of adopted in-neighbours
  std::vector<std::uint64_t> total_;          ///< integer in-weight of all in-neighbours
  sim::TargetBins<std::uint64_t> bins_;
};

}  // namespace innosim::models
