// libFuzzer target: any bytes as a calibration file (written to a temporary file, as calibrations are read
// from files). Refusals are sim::Errors; anything else is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>

#include "sim/error.hpp"
#include "tools/calibrate/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace innosim;
  static const std::string path = "/tmp/innosim-fuzz-calibration-" + std::to_string(::getpid()) + ".yaml";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    static_cast<void>(tools::load_calibration(path));
  } catch (const sim::Error&) {
  }
  return 0;
}
