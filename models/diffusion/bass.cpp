// Agent-based Bass model with the exact one-tick adoption probability.
#include "models/diffusion/bass.hpp"

#include <fmt/format.h>

#include <cmath>

#include "models/diffusion/detail/influence.hpp"
#include "sim/distributions.hpp"
#include "sim/error.hpp"

namespace innosim::models {

using sim::AgentId;
using sim::EdgeIndex;

const char* step_rule_name(BassParams::StepRule r) noexcept {
  return r == BassParams::StepRule::kExact ? "exact" : "constant_hazard";
}

void BassParams::validate() const {
  auto check = [](const char* key, double v) {
    if (!(std::isfinite(v) && v >= 0.0 && v <= 10.0)) {
      throw sim::ParamError(fmt::format("model.{}", key),
                            fmt::format("model.{} = {}, must be in [0, 10] per step", key, v));
    }
  };
  check("p_innovation_per_step", p_innovation_per_step);
  check("q_imitation_per_step", q_imitation_per_step);
}

double bass_step_probability(const BassParams& params, double share) noexcept {
  const double p = params.p_innovation_per_step;
  const double q = params.q_imitation_per_step;
  if (params.step_rule == BassParams::StepRule::kConstantHazard) {
    return -std::expm1(-(p + q * share));
  }
  if (p + q <= 0.0) {
    return 0.0;
  }
  // 1 - (p+q) / ((p+qF) e^{p+q} + q(1-F)), written so that small p+q loses no digits:
  // the numerator of the complement is (p+qF)(e^{p+q} - 1).
  const double growth = std::expm1(p + q);
  const double denominator = (p + q * share) * (growth + 1.0) + q * (1.0 - share);
  return denominator > 0.0 ? (p + q * share) * growth / denominator : 0.0;
}

double bass_step_bound(const BassParams& params, double share) noexcept {
  const double a = params.p_innovation_per_step + params.q_imitation_per_step * share;
  if (params.step_rule == BassParams::StepRule::kConstantHazard) return a;
  const double s = params.p_innovation_per_step + params.q_imitation_per_step;
  return s <= 1.0 ? a * (1.0 + s) : 1.0;
}

double bass_closed_form(double p, double q, double t) noexcept {
  const double decay = std::exp(-(p + q) * t);
  return (1.0 - decay) / (1.0 + (q / p) * decay);
}

// F(t) = (1 - c e^{-(p+q)t}) / (1 + (q/p) c e^{-(p+q)t}) with c = p (1 - f0) / (p + q f0), so
// that F(0) = f0; c = 1 gives the form above.
double bass_closed_form(double p, double q, double t, double f0) noexcept {
  const double c = p * (1.0 - f0) / (p + q * f0);
  const double decay = c * std::exp(-(p + q) * t);
  return (1.0 - decay) / (1.0 + (q / p) * decay);
}

Bass::Bass(const BassParams& params, Graph graph, std::vector<AgentId> seeds, const sim::RngKey& key)
    : DiffusionProcess(std::move(graph), std::move(seeds), key), params_(params) {
  params_.validate();
  if (!graph_.is_complete() && graph_.layer().weighted()) {
    detail::check_influence_weights(graph_.layer(), "bass");
    use_weights_ = true;
  }
  if (!graph_.is_complete()) {
    stepper_.add_phase("expose", [this](sim::Step t) { expose(t); });
  }
  stepper_.add_phase("adopt", [this](sim::Step t) { adopt(t); });
}

void Bass::on_start() {
  if (graph_.is_complete()) {
    return;
  }
  total_ = detail::total_in_influence(graph_.layer(), use_weights_);
  exposure_.resize(graph_.num_nodes());
  sim::parallel_fill(std::span<std::uint64_t>(exposure_), std::uint64_t{0});
  bins_ = sim::TargetBins<std::uint64_t>(graph_.num_nodes());
}

bool Bass::stalls_without_frontier() const {
  return params_.p_innovation_per_step == 0.0 && params_.q_imitation_per_step == 0.0;
}

// The adopters of tick t - 1 add their weight to their out-neighbours' exposure.
void Bass::expose(sim::Step /*t*/) {
  const sim::CsrView g = graph_.layer().view();
  bins_.scatter(frontier(), [&](AgentId u, auto&& send) {
    for (EdgeIndex e = g.begin(u); e < g.end(u); ++e) {
      send(g.targets[e], detail::arc_influence(g, e, use_weights_));
    }
  });
  bins_.deliver([&](AgentId v, std::uint64_t w) { exposure_[v] += w; });
}

// Every non-adopter decides from its share at the start of the tick.
void Bass::adopt(sim::Step t) {
  const AgentId n = graph_.num_nodes();
  const bool complete = graph_.is_complete();
  // On the complete graph every non-adopter sees the same share: all adopters are others.
  const double complete_probability = bass_step_probability(
      params_, n > 1 ? static_cast<double>(num_adopters()) / static_cast<double>(n - 1) : 0.0);
  sim::for_each_agent({0, n}, [&](AgentId v) {
    if (adopted_before(v, t)) {
      return;
    }
    double probability = complete_probability;
    if (!complete) {
      const double share =
          total_[v] == 0 ? 0.0 : static_cast<double>(exposure_[v]) / static_cast<double>(total_[v]);
      probability = bass_step_probability(params_, share);
    }
    sim::RngStream rng = key_.stream(sim::Purpose::kAdopt, t, v);
    if (rng.next_double() < probability) {
      mark(v, t);
      newcomers_.emit(v);
    }
  });
}

}  // namespace innosim::models
