// libFuzzer target: any bytes as a scenario file. Every input must be read as a programme or a
// classic scenario or refused with a sim::Error (ScenarioError, ParamError, DataError); anything
// else (a crash, another exception, a sanitizer report) is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/error.hpp"
#include "tools/scenario/classic_scenario.hpp"
#include "tools/scenario/programme_scenario.hpp"
#include "tools/scenario/yaml_tree.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace innosim;
  try {
    tools::ConfigDocument doc =
        tools::parse_yaml(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
    if (tools::is_classic_scenario(doc)) {
      static_cast<void>(tools::load_classic_scenario(std::move(doc)));
    } else {
      static_cast<void>(tools::load_programme_scenario(std::move(doc), "."));
    }
  } catch (const sim::Error&) {
  }
  return 0;
}
