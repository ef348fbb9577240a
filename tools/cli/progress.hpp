// Progress of many runs on stderr: on a terminal, one line redrawn at most five times a second;
// in a log (a batch job's output), optionally a line every `log_every` seconds; else nothing.
#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

namespace innosim::tools {

class Progress {
 public:
  /// `done` counts from `already` (runs finished before this process, for the rate and ETA).
  Progress(std::ostream& err, std::uint64_t total, bool enabled, std::string unit = "replicate",
           std::uint64_t already = 0, double log_every = 0);
  void update(std::uint64_t done);
  /// Clears the terminal line (after an interruption).
  void clear();
  [[nodiscard]] double seconds() const;

 private:
  std::ostream& err_;
  std::uint64_t total_, already_;
  bool enabled_, tty_;
  std::string unit_;
  double log_every_;
  std::chrono::steady_clock::time_point start_;
  double last_ = -1e9;
};

}  // namespace innosim::tools
