// Scenario files for the classic diffusion models (scenarios/classic/*.yaml): reading them
// into a models::ClassicSpec, and writing a spec back out with every default made explicit.
//
//   description: Independent cascade above the epidemic threshold ...
//   model:    {type: independent_cascade, p_transmit: 0.25}
//   graph:    {type: erdos_renyi_gnp, nodes: 10000, mean_degree: 8}
//   seeding:  {strategy: random, count: 1}          # optional: the model's default
//   run:      {seed: 20261130, replicates: 200, steps: 60}
//
// docs/scenarios.md lists every key with its type, default and range.
#pragma once

#include <string>

#include "models/diffusion/classic.hpp"
#include "sim/memory_estimate.hpp"
#include "tools/scenario/reader.hpp"
#include "tools/scenario/yaml_tree.hpp"

namespace innosim::tools {

/// A scenario as read, with where each key was written, so that errors found later (a
/// parameter out of range, seeds that do not fit a loaded edge list) still point at a line.
struct ClassicScenario {
  ConfigDocument document;
  KeyPositions positions;
  models::ClassicSpec spec;
};

/// Reads and checks a scenario (types, unknown keys, ranges via the parameters' validate()).
/// Throws ScenarioError.
ClassicScenario load_classic_scenario(ConfigDocument document);
ClassicScenario load_classic_scenario_file(const std::string& path);

/// Checks the whole specification, as after command-line overrides: every validate(), and
/// seeding against the node count when it is known before the graph is built. Throws
/// ScenarioError located at the offending key.
void check_classic_scenario(const ClassicScenario& scenario);

/// Turns a sim::ParamError into a ScenarioError at the line of its key (or of the file when
/// the key was not written in it).
[[noreturn]] void rethrow_located(const sim::ParamError& error, const ClassicScenario& scenario);

/// The full resolved scenario as YAML: every key with its value, defaults included. Reading it
/// back gives the same specification.
std::string resolved_yaml(const models::ClassicSpec& spec);

/// What a run of the specification is expected to hold at its peak, part by part, with
/// `concurrency` replicates at once (tools/scenario/memory_limit.hpp checks it against the limit).
/// An edge list's size is estimated from its file's size and the length of its first lines.
sim::MemoryEstimate estimate_memory(const models::ClassicSpec& spec, std::size_t concurrency);

}  // namespace innosim::tools
