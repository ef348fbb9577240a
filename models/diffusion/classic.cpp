// Assembling classic experiments: graph, seeds and process per replicate; ensembles.
#include "models/diffusion/classic.hpp"

#include <fmt/format.h>

#include <optional>

#include "models/graphs/edge_list.hpp"
#include "sim/ensemble.hpp"
#include "sim/error.hpp"

namespace innosim::models {

const char* model_type_name(const ModelParams& params) {
  struct Name {
    const char* operator()(const BassParams&) const { return "bass"; }
    const char* operator()(const SiParams&) const { return "si"; }
    const char* operator()(const IndependentCascadeParams&) const { return "independent_cascade"; }
    const char* operator()(const LinearThresholdParams&) const { return "linear_threshold"; }
    const char* operator()(const WattsThresholdParams&) const { return "watts_threshold"; }
  };
  return std::visit(Name{}, params);
}

SeedingParams default_seeding(const ModelParams& params) {
  SeedingParams s;
  if (std::holds_alternative<BassParams>(params)) {
    s.strategy = SeedingParams::Strategy::kNone;
  } else {
    s.strategy = SeedingParams::Strategy::kRandom;
    s.count = 1;
  }
  return s;
}

Graph make_graph(const GraphParams& params, const sim::RngKey& key) {
  struct Build {
    const sim::RngKey& key;
    EdgeList operator()(const ErdosRenyiGnpParams& p) const { return generate_erdos_renyi_gnp(p, key); }
    EdgeList operator()(const ErdosRenyiGnmParams& p) const { return generate_erdos_renyi_gnm(p, key); }
    EdgeList operator()(const BarabasiAlbertParams& p) const { return generate_barabasi_albert(p, key); }
    EdgeList operator()(const WattsStrogatzParams& p) const { return generate_watts_strogatz(p, key); }
    EdgeList operator()(const StochasticBlockParams& p) const { return generate_stochastic_block(p, key); }
    EdgeList operator()(const RandomGeometricParams& p) const { return generate_random_geometric(p, key); }
    EdgeList operator()(const EdgeListFileParams&) const { return {}; }  // read straight into a layer
    EdgeList operator()(const CompleteGraphParams&) const { return {}; }
  };
  if (const auto* complete = std::get_if<CompleteGraphParams>(&params)) {
    complete->validate();
    return Graph::complete(complete->nodes);
  }
  if (const auto* file = std::get_if<EdgeListFileParams>(&params)) {
    return Graph::of_layer(load_edge_list_graph(*file).layer);
  }
  EdgeList list = std::visit(Build{key}, params);
  auto layer = std::make_shared<sim::CsrLayer>(
      sim::CsrLayer::from_edges(list.num_nodes, list.edges, list.direction, list.weights));
  return Graph::of_layer(std::move(layer));
}

std::unique_ptr<DiffusionProcess> make_process(const ModelParams& params, Graph graph,
                                               std::vector<sim::AgentId> seeds, const sim::RngKey& key) {
  struct Make {
    Graph& graph;
    std::vector<sim::AgentId>& seeds;
    const sim::RngKey& key;
    std::unique_ptr<DiffusionProcess> operator()(const BassParams& p) const {
      return std::make_unique<Bass>(p, std::move(graph), std::move(seeds), key);
    }
    std::unique_ptr<DiffusionProcess> operator()(const SiParams& p) const {
      return std::make_unique<SusceptibleInfected>(p, std::move(graph), std::move(seeds), key);
    }
    std::unique_ptr<DiffusionProcess> operator()(const IndependentCascadeParams& p) const {
      return std::make_unique<IndependentCascade>(p, std::move(graph), std::move(seeds), key);
    }
    std::unique_ptr<DiffusionProcess> operator()(const LinearThresholdParams& p) const {
      return std::make_unique<LinearThreshold>(p, std::move(graph), std::move(seeds), key);
    }
    std::unique_ptr<DiffusionProcess> operator()(const WattsThresholdParams& p) const {
      return std::make_unique<WattsThreshold>(p, std::move(graph), std::move(seeds), key);
    }
  };
  return std::visit(Make{graph, seeds, key}, params);
}

const sim::IndicatorSchema& classic_indicators() {
  static const sim::IndicatorSchema schema = [] {
    // Every classic process declares the same two indicators; take them from a tiny one.
    auto graph = Graph::complete(1);
    const auto process = make_process(BassParams{}, graph, {}, sim::RngKey{});
    return process->indicators();
  }();
  return schema;
}

ReplicateResult run_replicate(const ClassicSpec& spec, sim::Replicate r, const Graph* shared_graph,
                              bool keep_agent_states) {
  const sim::RngKey key{spec.seed, r};
  Graph graph = shared_graph != nullptr && !spec.resample_graph
                    ? *shared_graph
                    : make_graph(spec.graph, sim::RngKey{spec.seed, spec.resample_graph ? r : 0});
  std::vector<sim::AgentId> seeds = choose_seeds(spec.seeding, graph, key);
  ReplicateResult result;
  result.replicate = r;
  result.num_nodes = graph.num_nodes();
  result.num_edges = graph.num_edges();
  auto process = make_process(spec.model, std::move(graph), std::move(seeds), key);
  sim::SeriesRecorder recorder;
  sim::Observer* observers[] = {&recorder};
  result.quiescent_at = sim::run_process(*process, {spec.seed, r, spec.steps}, observers);
  result.series = std::move(recorder).take();
  if (keep_agent_states) {
    const auto steps = process->adoption_steps();
    result.adoption_steps.assign(steps.begin(), steps.end());
  }
  return result;
}

std::size_t run_ensemble(const ClassicSpec& spec, std::size_t max_in_flight,
                         const std::function<void(ReplicateResult&&)>& consume, bool keep_agent_states,
                         const std::atomic<bool>* cancel, const Graph* shared_graph) {
  std::optional<Graph> shared;
  if (!spec.resample_graph) {
    shared = shared_graph != nullptr ? *shared_graph : make_graph(spec.graph, sim::RngKey{spec.seed, 0});
  }
  return sim::run_ensemble<ReplicateResult>(
      0, spec.replicates, max_in_flight,
      [&](sim::Replicate r) {
        return run_replicate(spec, r, shared ? &*shared : nullptr, keep_agent_states);
      },
      [&](sim::Replicate, ReplicateResult&& result) { consume(std::move(result)); }, cancel);
}

}  // namespace innosim::models
