// --timing: where a command's time goes, phase by phase, on stderr.
//
// A command names its phases as it enters them (load: reading the scenario and its input files;
// build: the graph or world; run: the replicates; write: the summary, result file and report).
// Each phase's line gives its wall-clock time and the CPU time of all the process's threads
// (getrusage), so a CPU time above the wall time shows the threads at work and a wall time well
// above the CPU time shows waiting (I/O, or a machine shared with others). Nothing is printed
// when timing is off; stdout is never touched.
#pragma once

#include <chrono>
#include <ostream>
#include <string>

namespace innosim::tools {

class PhaseTimer {
 public:
  /// A timer that prints to `err` when `enabled`; the first phase starts now.
  PhaseTimer(bool enabled, std::ostream& err, std::string first_phase);
  PhaseTimer(const PhaseTimer&) = delete;
  PhaseTimer& operator=(const PhaseTimer&) = delete;
  ~PhaseTimer() = default;

  /// Ends the current phase (printing its line) and starts `name`.
  void phase(std::string name);
  /// Ends the current phase and prints the total since the timer was made. Call once.
  void finish();

 private:
  struct Instant {
    std::chrono::steady_clock::time_point wall;
    double cpu_seconds;
  };
  static Instant now();
  void print(const std::string& name, const Instant& from, const Instant& to);

  bool enabled_;
  std::ostream& err_;
  std::string current_;
  Instant start_;
  Instant phase_start_;
};

}  // namespace innosim::tools
