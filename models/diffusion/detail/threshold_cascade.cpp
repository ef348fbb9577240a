// Push-based threshold cascade with integer influence.
#include "models/diffusion/detail/threshold_cascade.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/error.hpp"

namespace innosim::models::detail {

using sim::AgentId;
using sim::EdgeIndex;

std::uint64_t influence_needed(double theta, std::uint64_t total) noexcept {
  const double target = theta * static_cast<double>(total);
  if (!(target < 1.8e19)) {
    return ~std::uint64_t{0};  // more than any agent can receive
  }
  auto k = static_cast<std::uint64_t>(std::ceil(target));
  // ceil of a rounded product can be one off; settle on the exact definition.
  while (k > 0 && static_cast<double>(k - 1) >= target) --k;
  while (static_cast<double>(k) < target) ++k;
  return k < 1 ? 1 : k;
}

ThresholdCascade::ThresholdCascade(Graph graph, std::vector<AgentId> seeds,
                                   const sim::RngKey& key, bool use_weights,
                                   const char* model_name)
    : DiffusionProcess(std::move(graph), std::move(seeds), key),
      use_weights_(use_weights && !graph_.is_complete() && graph_.layer().weighted()) {
  if (graph_.is_complete()) {
    throw sim::ParamError("graph.type", fmt::format(
        "model {} cannot run on the implicit complete graph; use graph type erdos_renyi_gnp with "
        "edge_probability: 1", model_name));
  }
  if (use_weights_) {
    check_influence_weights(graph_.layer(), model_name);
  }
  stepper_.add_phase("push_influence", [this](sim::Step t) { push(t); });
}

void ThresholdCascade::on_start() {
  const sim::CsrLayer& layer = graph_.layer();
  const sim::CsrView g = layer.view();
  const AgentId n = g.num_nodes;
  gauges_.assign(n, Gauge{0, 0});
  const std::vector<std::uint64_t> total = total_in_influence(layer, use_weights_);
  sim::for_each_agent({0, n}, [&](AgentId v) {
    gauges_[v].need = total[v] == 0 ? ~std::uint64_t{0} : influence_needed(threshold(v), total[v]);
  });
}

void ThresholdCascade::push(sim::Step t) {
  const sim::CsrView g = graph_.layer().view();
  auto deliver = [&](AgentId v, std::uint64_t w) {
    Gauge& gauge = gauges_[v];
    const std::uint64_t before = sim::fetch_add_relaxed(gauge.influence, w);
    // Only the addition that crosses the need sees before < need <= before + w.
    if (before < gauge.need && before + w >= gauge.need && claim(v, t)) {
      newcomers_.emit(v);
    }
  };
  if (use_weights_) {
    sim::for_each_listed(frontier(), [&](AgentId u) {
      for (EdgeIndex e = g.begin(u); e < g.end(u); ++e) {
        deliver(g.targets[e], arc_influence(g, e, true));
      }
    });
  } else {
    sim::for_each_listed(frontier(), [&](AgentId u) {
      for (EdgeIndex e = g.begin(u); e < g.end(u); ++e) {
        deliver(g.targets[e], 1);
      }
    });
  }
}

}  // namespace innosim::models::detail
