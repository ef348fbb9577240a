// A classic diffusion experiment, frozen: which model, on which graph, seeded how, run how
// often. The scenario loader (tools/) fills a ClassicSpec; this file turns it into graphs
// and processes, one replicate at a time, and runs ensembles of them.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "models/diffusion/adoption.hpp"
#include "models/diffusion/bass.hpp"
#include "models/diffusion/independent_cascade.hpp"
#include "models/diffusion/linear_threshold.hpp"
#include "models/diffusion/seeding.hpp"
#include "models/diffusion/si.hpp"
#include "models/diffusion/watts_threshold.hpp"
#include "models/graphs/generators.hpp"
#include "sim/types.hpp"

namespace innosim::models {

using ModelParams =
    std::variant<BassParams, SiParams, IndependentCascadeParams, LinearThresholdParams, WattsThresholdParams>;

/// The YAML name of a model ("bass", "si", "independent_cascade", ...).
[[nodiscard]] const char* model_type_name(const ModelParams& params);
/// How a model is seeded when the scenario does not say: Bass starts from nobody, the cascade
/// and threshold models from one random agent (as in Watts 2002), SI from one random agent.
[[nodiscard]] SeedingParams default_seeding(const ModelParams& params);

struct ClassicSpec {
  std::string name;         ///< scenario name (file stem)
  std::string description;  ///< plain-language description from the scenario
  ModelParams model;
  GraphParams graph;
  bool resample_graph = false;  ///< a new graph for every replicate (graph-ensemble averages)
  SeedingParams seeding;
  sim::Seed seed = 1;
  sim::Replicate replicates = 1;
  sim::Step steps = 100;
};

/// Builds the graph of a specification: generated from stream family kGraph of `key`, or read
/// from an edge list. Throws sim::ParamError / sim::DataError.
Graph make_graph(const GraphParams& params, const sim::RngKey& key);

/// The process for one replicate. Throws sim::ParamError when model and graph do not fit.
std::unique_ptr<DiffusionProcess> make_process(const ModelParams& params, Graph graph,
                                               std::vector<sim::AgentId> seeds, const sim::RngKey& key);

/// What one replicate produced.
struct ReplicateResult {
  sim::Replicate replicate = 0;
  std::vector<double> series;  ///< (steps + 1) x indicators, row-major by step
  sim::Step quiescent_at = sim::kNever;
  sim::AgentId num_nodes = 0;
  std::uint64_t num_edges = 0;
  std::vector<sim::Step> adoption_steps;  ///< per agent, only when asked for
};

/// Runs replicate r of the specification. `shared_graph` is the graph to use when the
/// specification does not resample it (built once by the caller); pass nullptr to build it.
ReplicateResult run_replicate(const ClassicSpec& spec, sim::Replicate r, const Graph* shared_graph,
                              bool keep_agent_states = false);

/// The indicator schema of the classic models (the same for all of them).
[[nodiscard]] const sim::IndicatorSchema& classic_indicators();

/// Runs replicates 0 .. spec.replicates - 1 with at most `max_in_flight` at once and hands
/// each result to `consume` in replicate order. Returns the number of replicates run (fewer
/// than asked only when `cancel` became true).
/// `shared_graph`, when given, is the graph of every replicate of a specification that does not
/// resample it (built by the caller with make_graph(spec.graph, {spec.seed, 0}), e.g. to time
/// it apart); otherwise it is built here.
std::size_t run_ensemble(const ClassicSpec& spec, std::size_t max_in_flight,
                         const std::function<void(ReplicateResult&&)>& consume,
                         bool keep_agent_states = false, const std::atomic<bool>* cancel = nullptr,
                         const Graph* shared_graph = nullptr);

}  // namespace innosim::models
