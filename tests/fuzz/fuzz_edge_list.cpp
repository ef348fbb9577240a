// libFuzzer target: any bytes as an edge list, read with integer or label ids, directed or not,
// weighted or not (the first byte chooses). Refusals are sim::Errors; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/graphs/edge_list.hpp"
#include "sim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace innosim;
  if (size == 0) return 0;
  models::EdgeListFileParams p;
  p.ids = (data[0] & 1) != 0 ? models::EdgeListFileParams::Ids::kLabel
                             : models::EdgeListFileParams::Ids::kInteger;
  p.directed = (data[0] & 2) != 0;
  p.weighted = (data[0] & 4) != 0;
  p.header = (data[0] & 8) != 0;
  try {
    const auto list = models::parse_edge_list(
        std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), "fuzz.csv", p);
    static_cast<void>(list);
  } catch (const sim::Error&) {
  }
  return 0;
}
