// Reference outputs: the totals of every indicator of every built-in programme scenario at its
// own seed, 4 replicates, against tests/reference/programme-totals.csv. Any change to what the
// model produces fails this test until it is acknowledged by refreshing the file (COLLECT mode):
//
//   INNOSIM_COLLECT_REFERENCE=1 build/release/tests/innosim_tools_tests -tc='*reference outputs*'
//
// and committing the file with a message that says why the results changed (tests/reference/README.md).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "models/forkommune/model.hpp"
#include "output/run_summary.hpp"
#include "tools/data/world_data.hpp"
#include "tools/embedded.hpp"
#include "tools/scenario/programme_scenario.hpp"

using namespace innosim;

namespace {

constexpr sim::Replicate kReplicates = 4;
const std::string kFile = std::string(INNOSIM_SOURCE_DIR) + "/tests/reference/programme-totals.csv";

// scenario,indicator -> mean over the replicates of the run's total (flows) or end value (stocks).
std::map<std::pair<std::string, std::string>, double> compute() {
  std::map<std::pair<std::string, std::string>, double> out;
  for (const tools::EmbeddedFile& f : tools::embedded_files()) {
    if (!f.path.starts_with("scenarios/forkommune/")) continue;
    const tools::ProgrammeScenario scenario = tools::load_programme_scenario(
        tools::parse_yaml(std::string(f.text), "(embedded) " + std::string(f.path)), ".");
    const auto& p = scenario.params;
    const auto world = std::make_shared<const models::forkommune::World>(
        models::forkommune::build_world(tools::load_world_data(p, "."), p));
    const models::forkommune::ProgrammeModel model(world, p);
    output::RunSummary summary(model.layout().schema, model.steps(), 12);
    models::forkommune::run_ensemble(model, kReplicates, 2, [&](models::forkommune::ProgrammeResult&& r) {
      summary.add_replicate(r.series);
    });
    const auto& schema = model.layout().schema;
    for (std::size_t i = 0; i < schema.size(); ++i)
      out[{scenario.name, schema[i].name}] = summary.end(i).mean();
  }
  return out;
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("reference outputs: every built-in scenario's totals are those of tests/reference") {
    const auto now = compute();
    if (const char* collect = std::getenv("INNOSIM_COLLECT_REFERENCE");
        collect != nullptr && *collect == '1') {
      std::ofstream out(kFile, std::ios::trunc);
      out << "scenario,indicator,total\n";
      for (const auto& [key, value] : now)
        out << fmt::format("{},{},{:.17g}\n", key.first, key.second, value);
      REQUIRE(out.good());
      MESSAGE("wrote " << kFile << " (" << now.size() << " rows)");
      return;
    }
    std::ifstream in(kFile);
    REQUIRE_MESSAGE(in.good(), "cannot read " << kFile << "; collect it (tests/reference/README.md)");
    std::map<std::pair<std::string, std::string>, double> stored;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      std::istringstream row(line);
      std::string scenario, indicator, value;
      std::getline(row, scenario, ',');
      std::getline(row, indicator, ',');
      std::getline(row, value);
      stored[{scenario, indicator}] = std::stod(value);
    }
    // Bitwise determinism makes these equal on any build; the tolerance only absorbs the last
    // digit of the decimal text.
    std::vector<std::string> changed;
    for (const auto& [key, value] : now) {
      const auto it = stored.find(key);
      if (it == stored.end()) {
        changed.push_back(fmt::format("{} {}: new ({:.6g})", key.first, key.second, value));
      } else if (std::abs(it->second - value) > 1e-12 * std::max(1.0, std::abs(value))) {
        changed.push_back(fmt::format("{} {}: {:.6g} in the reference, {:.6g} now", key.first, key.second,
                                      it->second, value));
      }
    }
    for (const auto& [key, value] : stored) {
      if (now.find(key) == now.end()) changed.push_back(fmt::format("{} {}: gone", key.first, key.second));
    }
    std::string shown;
    for (std::size_t k = 0; k < std::min<std::size_t>(changed.size(), 25); ++k) shown += changed[k] + "\n";
    CHECK_MESSAGE(
        changed.empty(), changed.size()
                             << " totals differ from tests/reference/programme-totals.csv; if the change is "
                                "intended, refresh the file (tests/reference/README.md):\n"
                             << shown);
  }
}
