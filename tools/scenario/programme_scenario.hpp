// Scenario files for the FORKOMMUNE programme model (scenarios/forkommune/*.yaml).
//
// A scenario opens with a plain-language `description`, may name a base scenario with
// `extends: baseline.yaml` and then states only what differs, and sets any parameter of
// models/forkommune/params.hpp by its key, grouped in sections:
//
//   description: >-
//     The programme with twice the money ...
//   extends: baseline.yaml
//   programme:
//     budget_mnok_per_year: 120
//   rules:
//     - name: raise the small-municipality quota
//       from_year: 4
//       when: {indicator: small_lead_share, below: 0.2}
//       set: {key: programme.quota_small_municipalities, value: 0.3}
//
// `extends` is resolved relative to the file, and falls back to the scenarios embedded in the
// binary (so `extends: baseline.yaml` works from anywhere). A variant's `rules` replace its
// base's. The loader is as strict as the classic one: unknown and repeated keys, wrong types,
// non-finite numbers and out-of-range values are errors at file:line:column.
#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/forkommune/params.hpp"
#include "tools/scenario/yaml_tree.hpp"

namespace innosim::tools {

struct ProgrammeScenario {
  std::string name;       ///< file stem ("baseline")
  std::string source;     ///< the file as given, or "(embedded) scenarios/forkommune/x.yaml"
  std::string directory;  ///< for relative data paths
  std::string description;
  /// The same in bokmål (optional, for reports in bokmål): the file that gives `description`
  /// gives this too, or it is empty, so that a scenario never shows its base's text.
  std::string description_nb;
  std::vector<std::string> chain;  ///< this file first, then its base, the base's base, ...
  models::forkommune::Params params;
  /// Where each key got its value: the file and position (for errors found after loading).
  std::map<std::string, std::pair<std::string, Position>, std::less<>> positions;
};

/// True when a scenario document is a classic-model scenario (it has a `model` section).
[[nodiscard]] bool is_classic_scenario(const ConfigDocument& doc);

/// Reads a programme scenario file (or, when `path` names no file, the embedded scenario of that
/// name, e.g. "baseline"). Throws ScenarioError.
ProgrammeScenario load_programme_scenario(const std::string& path);
/// Reads a programme scenario from a parsed document.
ProgrammeScenario load_programme_scenario(const ConfigDocument& document, const std::string& directory);

/// Sets one parameter from a YAML value, checking its type as the loader does (ranges are
/// checked later by validate()). Throws ScenarioError at the node's position.
void set_parameter(const ConfigDocument& doc, const models::forkommune::ParamSpec& spec, const ConfigNode& n,
                   models::forkommune::Params& params);

/// Throws the ParamError as a ScenarioError at the line that set its key.
[[noreturn]] void rethrow_located(const sim::ParamError& error, const ProgrammeScenario& scenario);

/// The texts of a scenario's files: the file itself, then the files it extends (name, text).
std::vector<std::pair<std::string, std::string>> scenario_files(const ProgrammeScenario& scenario);

/// The full resolved scenario: every parameter with its value, unit and description.
std::string resolved_yaml(const ProgrammeScenario& scenario);

/// The parameter table of docs/parameters.md, generated from the registry.
std::string parameters_markdown();

}  // namespace innosim::tools
