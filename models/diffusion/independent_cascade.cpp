// Independent cascade: each new adopter tries each out-neighbour once.
#include "models/diffusion/independent_cascade.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/error.hpp"

namespace innosim::models {

using sim::AgentId;
using sim::EdgeIndex;

const char* transmission_name(IndependentCascadeParams::Transmission t) noexcept {
  switch (t) {
    case IndependentCascadeParams::Transmission::kUniform:
      return "uniform";
    case IndependentCascadeParams::Transmission::kEdgeWeight:
      return "edge_weight";
    case IndependentCascadeParams::Transmission::kWeightedCascade:
      return "weighted_cascade";
  }
  return "?";
}

void IndependentCascadeParams::validate() const {
  if (!(std::isfinite(p_transmit) && p_transmit >= 0.0 && p_transmit <= 1.0)) {
    throw sim::ParamError("model.p_transmit",
                          fmt::format("model.p_transmit = {}, must be a probability in [0, 1]", p_transmit));
  }
}

IndependentCascade::IndependentCascade(const IndependentCascadeParams& params, Graph graph,
                                       std::vector<AgentId> seeds, const sim::RngKey& key)
    : DiffusionProcess(std::move(graph), std::move(seeds), key), params_(params) {
  params_.validate();
  if (graph_.is_complete()) {
    throw sim::ParamError(
        "graph.type",
        "model independent_cascade cannot run on the implicit complete graph; use graph type "
        "erdos_renyi_gnp with edge_probability: 1");
  }
  const sim::CsrLayer& layer = graph_.layer();
  using T = IndependentCascadeParams::Transmission;
  if (params_.transmission == T::kEdgeWeight) {
    if (!layer.weighted()) {
      throw sim::ParamError("model.transmission",
                            "model.transmission = edge_weight needs a weighted graph (an edge list "
                            "with weighted: true)");
    }
    const auto w = layer.weights();
    for (EdgeIndex e = 0; e < w.size(); ++e) {
      if (!(w[e] >= 0.0F && w[e] <= 1.0F)) {
        throw sim::ParamError(
            "model.transmission",
            fmt::format("model.transmission = edge_weight: arc {} has weight {}, which is not a probability "
                        "in [0, 1]",
                        e, w[e]));
      }
    }
  } else if (params_.transmission == T::kWeightedCascade) {
    const auto in = layer.in_degrees();
    p_into_.resize(in.size());
    for (std::size_t v = 0; v < in.size(); ++v) {
      p_into_[v] = in[v] == 0 ? 0.0 : 1.0 / static_cast<double>(in[v]);
    }
  }
  stepper_.add_phase("transmit", [this](sim::Step t) { transmit(t); });
}

void IndependentCascade::transmit(sim::Step t) {
  const sim::CsrView g = graph_.layer().view();
  using T = IndependentCascadeParams::Transmission;
  switch (params_.transmission) {
    case T::kUniform: {
      const sim::Coin32 coin(params_.p_transmit);
      sim::for_each_listed(frontier(), [&](AgentId u) {
        sim::RngStream rng = key_.stream(sim::Purpose::kTransmit, t, u);
        for (EdgeIndex e = g.begin(u); e < g.end(u); ++e) {
          const AgentId v = g.targets[e];
          if (coin(rng) && claim(v, t)) {
            newcomers_.emit(v);
          }
        }
      });
      break;
    }
    case T::kEdgeWeight:
    case T::kWeightedCascade: {
      const bool by_weight = params_.transmission == T::kEdgeWeight;
      sim::for_each_listed(frontier(), [&](AgentId u) {
        sim::RngStream rng = key_.stream(sim::Purpose::kTransmit, t, u);
        for (EdgeIndex e = g.begin(u); e < g.end(u); ++e) {
          const AgentId v = g.targets[e];
          const double p = by_weight ? double{g.weights[e]} : p_into_[v];
          if (sim::Coin32(p)(rng) && claim(v, t)) {
            newcomers_.emit(v);
          }
        }
      });
      break;
    }
  }
}

}  // namespace innosim::models
