// libFuzzer target: any bytes after a valid header as a sweep's journal. Opening it must find
// the whole records, cut a torn tail, or refuse damage with a JournalError; every record it
// reports must be readable. Anything else is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "sim/error.hpp"
#include "tools/sweep/journal.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace innosim;
  static const std::string path = "/tmp/innosim-fuzz-journal-" + std::to_string(::getpid());
  tools::JournalHeader header;
  header.fingerprint = "fuzz";
  header.values = 3;
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    const std::string line = header.line();
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  try {
    const tools::Journal journal(path, header);
    for (const std::uint64_t run : journal.done()) static_cast<void>(journal.read(run));
  } catch (const sim::Error&) {
  }
  return 0;
}
