// SI: repeated transmission attempts, drawn per exposed agent.
#include "models/diffusion/si.hpp"

#include <fmt/format.h>

#include <atomic>
#include <cmath>

#include "sim/error.hpp"

namespace innosim::models {

using sim::AgentId;
using sim::EdgeIndex;

void SiParams::validate() const {
  if (!(std::isfinite(p_transmit_per_step) && p_transmit_per_step >= 0.0 && p_transmit_per_step <= 1.0)) {
    throw sim::ParamError(
        "model.p_transmit_per_step",
        fmt::format("model.p_transmit_per_step = {}, must be a probability in [0, 1]", p_transmit_per_step));
  }
}

SusceptibleInfected::SusceptibleInfected(const SiParams& params, Graph graph, std::vector<AgentId> seeds,
                                         const sim::RngKey& key)
    : DiffusionProcess(std::move(graph), std::move(seeds), key), params_(params) {
  params_.validate();
  if (!graph_.is_complete()) {
    stepper_.add_phase("expose", [this](sim::Step t) { expose(t); });
  }
  stepper_.add_phase("infect", [this](sim::Step t) { infect(t); });
}

void SusceptibleInfected::on_start() {
  if (!graph_.is_complete()) {
    infected_neighbours_.resize(graph_.num_nodes());
    sim::parallel_fill(std::span<std::uint32_t>(infected_neighbours_), std::uint32_t{0});
    bins_ = sim::TargetBins<>(graph_.num_nodes());
  }
  exposed_left_ = 1;  // unknown until the first tick has looked
}

bool SusceptibleInfected::stalls_without_frontier() const {
  return params_.p_transmit_per_step == 0.0 || exposed_left_ == 0;
}

void SusceptibleInfected::expose(sim::Step /*t*/) {
  const sim::CsrView g = graph_.layer().view();
  bins_.scatter(frontier(), [&](AgentId u, auto&& send) {
    for (EdgeIndex e = g.begin(u); e < g.end(u); ++e) {
      send(g.targets[e], sim::NoPayload{});
    }
  });
  bins_.deliver([&](AgentId v, sim::NoPayload) { ++infected_neighbours_[v]; });
}

void SusceptibleInfected::infect(sim::Step t) {
  const AgentId n = graph_.num_nodes();
  const bool complete = graph_.is_complete();
  const double log_escape = std::log1p(-params_.p_transmit_per_step);  // log(1 - beta)
  const auto adopters = static_cast<double>(num_adopters());
  std::atomic<std::uint64_t> exposed_left{0};
  sim::for_each_agent({0, n}, [&](AgentId v) {
    if (adopted_before(v, t)) {
      return;
    }
    const double k = complete ? adopters : static_cast<double>(infected_neighbours_[v]);
    if (k == 0.0) {
      return;
    }
    // 1 - (1 - beta)^k; at beta = 1 log_escape is -inf and the probability is 1.
    const double probability = -std::expm1(k * log_escape);
    sim::RngStream rng = key_.stream(sim::Purpose::kTransmit, t, v);
    if (rng.next_double() < probability) {
      mark(v, t);
      newcomers_.emit(v);
    } else {
      exposed_left.fetch_add(1, std::memory_order_relaxed);
    }
  });
  exposed_left_ = exposed_left.load();
}

}  // namespace innosim::models
