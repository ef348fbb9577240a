// Independent cascade (Goldenberg, Libai & Muller 2001; Kempe, Kleinberg & Tardos 2003,
// "Maximizing the spread of influence through a social network", KDD).
//
// An agent that adopts at tick t - 1 gets one chance, at tick t, to convince each of its
// out-neighbours that has not adopted: it succeeds on arc u->v with probability p_uv,
// independently of everything else. Successes adopt at tick t. The cascade stops when a tick
// adds nobody.
//
//   transmission: uniform          p_uv = p_transmit for every arc
//   transmission: edge_weight      p_uv = the arc's weight (which must lie in [0, 1])
//   transmission: weighted_cascade p_uv = 1 / in-degree(v) (Kempe et al.'s weighted cascade)
//
// Randomness: agent u's attempts at tick t come from stream (kTransmit, t, u), one 32-bit coin
// per out-arc in CSR (sorted target) order, drawn whether or not the target has adopted. The
// coin for arc u->v therefore does not depend on the rest of the state, and the final adopter
// set is the set reachable from the seeds over the arcs whose coin came up (the live-arc
// graph of Kempe et al.), whatever the thread count.
#pragma once

#include <vector>

#include "models/diffusion/adoption.hpp"

namespace innosim::models {

struct IndependentCascadeParams {
  enum class Transmission : std::uint8_t { kUniform, kEdgeWeight, kWeightedCascade };
  double p_transmit = 0.05;  ///< probability per arc attempt, for transmission: uniform
  Transmission transmission = Transmission::kUniform;
  /// Throws sim::ParamError naming model.<key>.
  void validate() const;
};

[[nodiscard]] const char* transmission_name(IndependentCascadeParams::Transmission t) noexcept;

class IndependentCascade final : public DiffusionProcess {
 public:
  /// Throws sim::ParamError when the graph does not suit the parameters (the implicit complete
  /// graph; edge_weight transmission on an unweighted graph or with weights outside [0, 1]).
  IndependentCascade(const IndependentCascadeParams& params, Graph graph, std::vector<sim::AgentId> seeds,
                     const sim::RngKey& key);

  [[nodiscard]] std::size_t state_bytes() const override {
    return DiffusionProcess::state_bytes() + p_into_.capacity() * sizeof(double);
  }

 private:
  void transmit(sim::Step t);

  IndependentCascadeParams params_;
  std::vector<double> p_into_;  ///< weighted cascade: 1 / in-degree of each target
};

}  // namespace innosim::models
