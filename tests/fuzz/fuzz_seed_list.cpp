// libFuzzer target: any bytes as a seed file, read and then checked against a graph of 1 to 256
// nodes (the first byte chooses). Refusals are sim::Errors; anything else is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/diffusion/seeding.hpp"
#include "sim/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace innosim;
  if (size == 0) return 0;
  models::SeedingParams p;
  p.strategy = models::SeedingParams::Strategy::kFile;
  try {
    models::parse_seed_list(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1), "fuzz.txt",
                            p);
    p.validate(static_cast<sim::AgentId>(data[0]) + 1);
  } catch (const sim::Error&) {
  }
  return 0;
}
