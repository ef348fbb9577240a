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

ThresholdCascade::ThresholdCascade(Graph graph, std::vector<AgentId> seeds, const sim::RngKey& key,
                                   bool use_weights, const char* model_name)
    : DiffusionProcess(std::move(graph), std::move(seeds), key),
      use_weights_(use_weights && !graph_.is_complete() && graph_.layer().weighted()) {
  if (graph_.is_complete()) {
    throw sim::ParamError(
        "graph.type",
        fmt::format("model {} cannot run on the implicit complete graph; use graph type erdos_renyi_gnp with "
                    "edge_probability: 1",
                    model_name));
  }
  if (use_weights_) {
    check_influence_weights(graph_.layer(), model_name);
    bins_.emplace<sim::TargetBins<std::uint64_t>>(graph_.num_nodes());
  } else {
    bins_.emplace<sim::TargetBins<>>(graph_.num_nodes());
  }
  stepper_.add_phase("push_influence", [this](sim::Step t) {
    if (use_weights_) {
      push(t, gauges64_);
    } else {
      push(t, gauges32_);
    }
  });
}

void ThresholdCascade::on_start() {
  if (use_weights_) {
    start_gauges(gauges64_);
  } else {
    start_gauges(gauges32_);
  }
}

template <class Word>
void ThresholdCascade::start_gauges(sim::StateVector<Gauge<Word>>& gauges) {
  const sim::CsrLayer& layer = graph_.layer();
  const AgentId n = layer.num_nodes();
  gauges.resize(n);
  auto need_of = [&](AgentId v, std::uint64_t total) {
    return total == 0 ? ~Word{0} : static_cast<Word>(influence_needed(threshold(v), total));
  };
  if (!use_weights_ && !layer.directed()) {
    // Unweighted and symmetric: the in-weight is the degree, read straight from the offsets.
    const sim::CsrView g = layer.view();
    if (const auto theta = common_threshold()) {
      // One threshold for all: the need depends on the degree only; tabulate small degrees.
      constexpr std::uint64_t kTable = 1024;
      std::vector<Word> table(kTable);
      for (std::uint64_t d = 0; d < kTable; ++d) {
        table[d] = d == 0 ? ~Word{0} : static_cast<Word>(influence_needed(*theta, d));
      }
      sim::for_each_agent({0, n}, [&](AgentId v) {
        const std::uint64_t d = g.degree(v);
        gauges[v] = {Word{0}, d < kTable ? table[d] : static_cast<Word>(influence_needed(*theta, d))};
      });
      return;
    }
    sim::for_each_agent({0, n}, [&](AgentId v) { gauges[v] = {Word{0}, need_of(v, g.degree(v))}; });
    return;
  }
  const std::vector<std::uint64_t> total = total_in_influence(layer, use_weights_);
  sim::for_each_agent({0, n}, [&](AgentId v) { gauges[v] = {Word{0}, need_of(v, total[v])}; });
}

template <class Word>
void ThresholdCascade::push(sim::Step t, sim::StateVector<Gauge<Word>>& gauges) {
  const sim::CsrView g = graph_.layer().view();
  auto add = [&](AgentId v, Word w) {
    // Only this thread delivers to v in this round (see sim/scatter.hpp), so plain arithmetic
    // is safe, and exactly one addition sees the gauge cross its need.
    Gauge<Word>& gauge = gauges[v];
    const Word before = gauge.influence;
    gauge.influence = before + w;
    if (before < gauge.need && before + w >= gauge.need && claim(v, t)) {
      newcomers_.emit(v);
    }
  };
  // Weighted layers use 64-bit gauges, unweighted ones 32-bit (see on_start).
  if constexpr (std::is_same_v<Word, std::uint64_t>) {
    auto& bins = std::get<sim::TargetBins<std::uint64_t>>(bins_);
    bins.scatter(frontier(), [&](AgentId u, auto&& send) {
      for (EdgeIndex e = g.begin(u); e < g.end(u); ++e) {
        send(g.targets[e], static_cast<Word>(arc_influence(g, e, true)));
      }
    });
    bins.deliver([&](AgentId v, Word w) { add(v, w); });
  } else {
    auto& bins = std::get<sim::TargetBins<>>(bins_);
    bins.scatter(frontier(), [&](AgentId u, auto&& send) {
      for (EdgeIndex e = g.begin(u); e < g.end(u); ++e) {
        send(g.targets[e], sim::NoPayload{});
      }
    });
    bins.deliver([&](AgentId v, sim::NoPayload) { add(v, Word{1}); });
  }
}

}  // namespace innosim::models::detail
