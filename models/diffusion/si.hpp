// The susceptible–infected (SI) model on a network (Kermack & McKendrick 1927 without
// recovery; on networks: Pastor-Satorras & Vespignani 2001, Newman 2010 ch. 17).
//
// Every adopter ("infected") keeps trying: at each tick, each of its out-arcs to a
// non-adopter transmits independently with probability beta = p_transmit_per_step. A
// non-adopter with k adopted in-neighbours at the start of tick t therefore adopts at t with
// probability 1 - (1 - beta)^k, which is how it is drawn: one uniform per exposed agent per
// tick from stream (kTransmit, t, v). On the complete graph k is the number of adopters.
// Arc weights are ignored. Unlike the independent cascade, attempts repeat, so on a
// connected graph with beta > 0 everyone adopts eventually.
#pragma once

#include <vector>

#include "models/diffusion/adoption.hpp"
#include "sim/scatter.hpp"

namespace innosim::models {

struct SiParams {
  double p_transmit_per_step = 0.05;
  void validate() const;
};

class SusceptibleInfected final : public DiffusionProcess {
 public:
  SusceptibleInfected(const SiParams& params, Graph graph, std::vector<sim::AgentId> seeds,
                      const sim::RngKey& key);

  [[nodiscard]] std::size_t state_bytes() const override {
    return DiffusionProcess::state_bytes() + infected_neighbours_.capacity() * sizeof(std::uint32_t) +
           bins_.memory_bytes();
  }

 private:
  void on_start() override;
  [[nodiscard]] bool stalls_without_frontier() const override;
  void expose(sim::Step t);
  void infect(sim::Step t);

  SiParams params_;
  sim::StateVector<std::uint32_t> infected_neighbours_;
  sim::TargetBins<> bins_;
  std::uint64_t exposed_left_ = 0;  ///< non-adopters with an adopted in-neighbour after a tick
};

}  // namespace innosim::models
