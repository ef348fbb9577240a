// Integer in-weight totals and weight checks.
#include "models/diffusion/detail/influence.hpp"

#include <fmt/format.h>

#include "sim/error.hpp"
#include "sim/parallel.hpp"

namespace innosim::models::detail {

using sim::AgentId;
using sim::EdgeIndex;

void check_influence_weights(const sim::CsrLayer& layer, const char* model_name) {
  const auto w = layer.weights();
  for (EdgeIndex e = 0; e < w.size(); ++e) {
    if (!(w[e] >= 0x1.0p-24F && w[e] <= 0x1.0p20F)) {
      throw sim::ParamError(
          fmt::format("model {}: arc {} has weight {}; influence weights must lie in [6e-8, 1e6] (rescale "
                      "them: only their ratios matter)",
                      model_name, e, w[e]));
    }
  }
}

std::vector<std::uint64_t> total_in_influence(const sim::CsrLayer& layer, bool use_weights) {
  const sim::CsrView g = layer.view();
  const AgentId n = g.num_nodes;
  std::vector<std::uint64_t> total(n, 0);
  if (!layer.directed() && !use_weights) {
    sim::for_each_agent({0, n}, [&](AgentId v) { total[v] = g.degree(v); });
    return total;
  }
  if (!layer.directed()) {
    // Symmetric layer: v's in-arcs mirror its out-arcs, with the same weights.
    sim::for_each_agent({0, n}, [&](AgentId v) {
      std::uint64_t s = 0;
      for (EdgeIndex e = g.begin(v); e < g.end(v); ++e) {
        s += arc_influence(g, e, use_weights);
      }
      total[v] = s;
    });
    return total;
  }
  for (AgentId u = 0; u < n; ++u) {
    for (EdgeIndex e = g.begin(u); e < g.end(u); ++e) {
      total[g.targets[e]] += arc_influence(g, e, use_weights);
    }
  }
  return total;
}

}  // namespace innosim::models::detail
