// Small graph and process helpers shared by the model tests.
#pragma once

#include <memory>
#include <vector>

#include "models/diffusion/classic.hpp"
#include "sim/error.hpp"
#include "sim/process.hpp"

namespace innosim::test {

inline models::Graph graph_of(sim::AgentId n, std::vector<sim::Edge> edges,
                              sim::EdgeDirection dir = sim::EdgeDirection::kUndirected,
                              std::vector<float> weights = {}) {
  return models::Graph::of_layer(
      std::make_shared<sim::CsrLayer>(sim::CsrLayer::from_edges(n, edges, dir, weights)));
}

/// Runs a process for `steps` ticks and returns its adoption steps.
inline std::vector<sim::Step> run_steps(models::DiffusionProcess& p, sim::Step steps) {
  sim::SeriesRecorder rec;
  sim::Observer* observers[] = {&rec};
  sim::run_process(p, {0, 0, steps}, observers);
  const auto s = p.adoption_steps();
  return {s.begin(), s.end()};
}

/// Adoption steps of a model on a graph, built through the same factory the CLI uses.
inline std::vector<sim::Step> adoption_steps(const models::ModelParams& params, const models::Graph& g,
                                             std::vector<sim::AgentId> seeds, sim::Step steps,
                                             sim::RngKey key = {42, 0}) {
  auto p = models::make_process(params, g, std::move(seeds), key);
  return run_steps(*p, steps);
}

inline std::vector<sim::Step> path_steps(std::initializer_list<sim::Step> s) {
  return s;
}

constexpr sim::Step N = sim::kNever;

}  // namespace innosim::test
