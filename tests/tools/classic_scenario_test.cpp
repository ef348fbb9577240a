// Classic scenarios: the shipped files load, resolved scenarios round-trip, and every kind of
// mistake is reported at its line with what was expected.
#include "tools/scenario/classic_scenario.hpp"
#include "tools/scenario/memory_limit.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

using namespace innosim;
using namespace innosim::tools;

namespace {

ClassicScenario load(const std::string& text) {
  return load_classic_scenario(parse_yaml(text, "s.yaml"));
}

const std::string kValid =
    "description: test\n"
    "model:\n"
    "  type: independent_cascade\n"
    "  p_transmit: 0.25\n"
    "graph:\n"
    "  type: erdos_renyi_gnp\n"
    "  nodes: 1000\n"
    "  mean_degree: 8\n"
    "run:\n"
    "  seed: 1\n"
    "  replicates: 10\n"
    "  steps: 20\n";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::vector<std::filesystem::path> shipped_scenarios() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(INNOSIM_SOURCE_DIR) + "/scenarios/classic")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("every shipped classic scenario loads and describes itself and round-trips") {
    const auto files = shipped_scenarios();
    REQUIRE(files.size() >= 8);
    for (const auto& file : files) {
      CAPTURE(file);
      const ClassicScenario s = load_classic_scenario_file(file.string());
      CHECK(s.spec.description.size() > 40);
      const std::string resolved = resolved_yaml(s.spec);
      const ClassicScenario again = load_classic_scenario(parse_yaml(resolved, file.string()));
      CHECK(resolved_yaml(again.spec) == resolved);
    }
  }

  TEST_CASE("defaults are filled in and mean_degree becomes an edge probability") {
    const ClassicScenario s = load(kValid);
    const auto& g = std::get<models::ErdosRenyiGnpParams>(s.spec.graph);
    CHECK(g.edge_probability == doctest::Approx(8.0 / 999.0).epsilon(1e-15));
    CHECK(s.spec.seeding.strategy == models::SeedingParams::Strategy::kRandom);
    CHECK(s.spec.seeding.count == 1U);
    const std::string resolved = resolved_yaml(s.spec);
    CHECK(resolved.find("transmission: uniform") != std::string::npos);
    CHECK(resolved.find("resample_per_replicate: false") != std::string::npos);
  }

  TEST_CASE("mistakes are reported at their line with what was expected") {
    CHECK_THROWS_WITH_AS(load(replace(kValid, "p_transmit: 0.25", "p_transmit: 1.4")),
                         "s.yaml:4:15: model.p_transmit = 1.4, must be a probability in [0, 1]",
                         ScenarioError);
    CHECK_THROWS_WITH_AS(
        load(replace(kValid, "p_transmit: 0.25", "p_transmitt: 0.25")),
        doctest::Contains("s.yaml:4:3: unknown key 'p_transmitt' in 'model' (did you mean 'p_transmit'?)"),
        ScenarioError);
    CHECK_THROWS_WITH_AS(load(replace(kValid, "type: independent_cascade", "type: independent_cascde")),
                         doctest::Contains("s.yaml:3:9: model.type = 'independent_cascde' is not a known "
                                           "model (did you mean 'independent_cascade'?)"),
                         ScenarioError);
    CHECK_THROWS_WITH_AS(load(replace(kValid, "  nodes: 1000\n", "  nodes: 1000\n  nodes: 2000\n")),
                         doctest::Contains("s.yaml:8:3: key 'nodes' appears twice"), ScenarioError);
    CHECK_THROWS_WITH_AS(
        load(replace(kValid, "mean_degree: 8", "mean_degree: 8\n  edge_probability: 0.1")),
        doctest::Contains("needs exactly one of graph.edge_probability and graph.mean_degree"),
        ScenarioError);
    CHECK_THROWS_WITH_AS(
        load(replace(kValid, "mean_degree: 8", "mean_degree: .inf")),
        "s.yaml:8:16: graph.mean_degree = .inf is not a finite number; expected a finite number",
        ScenarioError);
    CHECK_THROWS_WITH_AS(load(replace(kValid, "replicates: 10", "replicates: 0")),
                         "s.yaml:11:15: run.replicates = 0, must be in [1, 16777216]", ScenarioError);
    CHECK_THROWS_WITH_AS(load(replace(kValid, "  steps: 20\n", "")),
                         doctest::Contains("run.steps is required but missing from 'run'"), ScenarioError);
    CHECK_THROWS_WITH_AS(load(replace(kValid, "run:", "runs:")),
                         "s.yaml:9:1: unknown key 'runs' (did you mean 'run'?)", ScenarioError);
    CHECK_THROWS_WITH_AS(load(replace(kValid, "run:", "execution:")),
                         doctest::Contains("s.yaml:1:1: run is required but missing"), ScenarioError);
    CHECK_THROWS_WITH_AS(load(kValid + "seeding:\n  strategy: random\n  count: 1001\n"),
                         "s.yaml:15:10: seeding.count = 1001, must be at most the 1000 nodes of the graph",
                         ScenarioError);
    CHECK_THROWS_WITH_AS(load(kValid + "seeding:\n  strategy: randon\n"),
                         doctest::Contains("(did you mean 'random'?)"), ScenarioError);
    CHECK_THROWS_WITH_AS(load(kValid + "extra: 1\n"), doctest::Contains("s.yaml:13:1: unknown key 'extra'"),
                         ScenarioError);
    CHECK_THROWS_WITH_AS(load(replace(kValid, "nodes: 1000", "nodes: 5e9")),
                         doctest::Contains("absurdly large"), ScenarioError);
    {
      // A graph too big for the machine loads (`scenario show` can print it); `run` and
      // `scenario check` refuse it from its memory estimate, at the graph's key.
      const ClassicScenario big = load(replace(kValid, "nodes: 1000", "nodes: 1000000000"));
      const sim::MemoryEstimate e = estimate_memory(big.spec, 2);
      CHECK(e.total() > 1e9 * (16 + 8 * 8 + 2 * 24));  // CSR, about 8 arcs a node, two replicates' state
      try {
        check_memory(e, {16.0 * (1 << 30), "--max-memory 16G"});
        FAIL("not refused");
      } catch (const sim::ParamError& error) {
        CHECK_THROWS_WITH_AS(rethrow_located(error, big),
                             doctest::Contains("s.yaml:7:10: this run needs about"), ScenarioError);
      }
    }
    CHECK_THROWS_WITH_AS(load(replace(replace(kValid, "type: independent_cascade", "type: linear_threshold"),
                                      "p_transmit: 0.25", "threshold_fraction: 0.3")),
                         doctest::Contains("model.threshold_fraction is only used with thresholds: fixed"),
                         ScenarioError);
    CHECK_THROWS_WITH_AS(load(replace(kValid, "description: test\n", "description: test\n---\n")),
                         doctest::Contains("one YAML document"), ScenarioError);
  }

  TEST_CASE("edge list paths are relative to the scenario file") {
    const auto dir = std::filesystem::temp_directory_path() / "innosim_scenario_test";
    std::filesystem::create_directories(dir / "data");
    {
      std::ofstream(dir / "data" / "g.csv") << "0,1\n1,2\n";
      std::ofstream(dir / "s.yaml")
          << "description: edge list\nmodel: {type: si, p_transmit_per_step: 0.5}\n"
             "graph: {type: edge_list, path: data/g.csv}\nrun: {seed: 1, replicates: 2, steps: 5}\n";
    }
    const ClassicScenario s = load_classic_scenario_file((dir / "s.yaml").string());
    const auto& p = std::get<models::EdgeListFileParams>(s.spec.graph);
    CHECK(std::filesystem::equivalent(p.path, dir / "data" / "g.csv"));
    CHECK(models::make_graph(s.spec.graph, {}).num_nodes() == 3);
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("seed files are read relative to the scenario file") {
    const auto dir = std::filesystem::temp_directory_path() / "innosim_seed_file_test";
    std::filesystem::create_directories(dir / "data");
    {
      std::ofstream(dir / "data" / "g.txt") << "0 1\n1 2\n2 3\n";
      std::ofstream(dir / "data" / "seeds.txt") << "# seeds\n3\n1\n";
      std::ofstream(dir / "s.yaml") << "model: {type: si, p_transmit_per_step: 0.5}\n"
                                       "graph: {type: edge_list, path: data/g.txt}\n"
                                       "seeding: {strategy: file, path: data/seeds.txt}\n"
                                       "run: {seed: 1, replicates: 2, steps: 5}\n";
      std::ofstream(dir / "ids.yaml") << "model: {type: si, p_transmit_per_step: 0.5}\n"
                                         "graph: {type: edge_list, path: data/g.txt}\n"
                                         "seeding: {strategy: ids, ids: [1], path: data/seeds.txt}\n"
                                         "run: {seed: 1, replicates: 2, steps: 5}\n";
      std::ofstream(dir / "missing.yaml") << "model: {type: si, p_transmit_per_step: 0.5}\n"
                                             "graph: {type: edge_list, path: data/g.txt}\n"
                                             "seeding: {strategy: file, path: data/none.txt}\n"
                                             "run: {seed: 1, replicates: 2, steps: 5}\n";
    }
    const ClassicScenario s = load_classic_scenario_file((dir / "s.yaml").string());
    CHECK(s.spec.seeding.strategy == models::SeedingParams::Strategy::kFile);
    CHECK(s.spec.seeding.ids == std::vector<sim::AgentId>{3, 1});
    CHECK(std::filesystem::equivalent(s.spec.seeding.path, dir / "data" / "seeds.txt"));
    CHECK(resolved_yaml(s.spec).find("seeding:\n  strategy: file\n  path: \"") != std::string::npos);
    CHECK_THROWS_WITH_AS(load_classic_scenario_file((dir / "ids.yaml").string()),
                         doctest::Contains("seeding.path is only used with strategy 'file', not 'ids'"),
                         ScenarioError);
    CHECK_THROWS_WITH_AS(load_classic_scenario_file((dir / "missing.yaml").string()),
                         doctest::Contains("none.txt: cannot open the seed file (No such file or directory)"),
                         sim::DataError);
    std::filesystem::remove_all(dir);
  }

  TEST_CASE("a list of 100000 seed ids is read") {
    std::string text = replace(kValid, "  nodes: 1000\n", "  nodes: 200000\n");
    text += "seeding:\n  strategy: ids\n  ids: [";
    for (int i = 0; i < 100000; ++i) text += (i ? ", " : "") + std::to_string(2 * i);
    text += "]\n";
    const ClassicScenario s = load(text);
    REQUIRE(s.spec.seeding.ids.size() == 100000);
    CHECK(s.spec.seeding.ids.back() == 199998);
    CHECK_NOTHROW(s.spec.seeding.validate(200000));
  }
}
