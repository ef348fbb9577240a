// libFuzzer target: any bytes as the municipalities CSV of a world (the counties and research
// institutions are Norway's). Refusals are sim::Errors; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/error.hpp"
#include "tools/data/world_data.hpp"
#include "tools/embedded.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace innosim;
  static const std::string counties(tools::embedded_file("scenarios/data/norway/counties.csv").value_or(""));
  static const std::string institutions(
      tools::embedded_file("scenarios/data/norway/rd_institutions.csv").value_or(""));
  try {
    static_cast<void>(tools::parse_world_data(std::string_view(reinterpret_cast<const char*>(data), size),
                                              "municipalities.csv", counties, "counties.csv", institutions,
                                              "rd_institutions.csv"));
  } catch (const sim::Error&) {
  }
  return 0;
}
