// The stepper: a tick is a fixed sequence of named phases.
//
// A model registers its phases once, in the order of its schedule (DOMAIN.md §3 for the
// programme model: calendar, arenas, projects, own innovation, diffusion, adaptation,
// learning, record). `run(t)` executes them in that order; each phase is synchronous inside
// (see BufferedColumn and parallel.hpp), so a tick's result is a function of the state before
// it and the random streams for that tick. Phase timings are kept for profiling only; they
// never reach results.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/types.hpp"

namespace innosim::sim {

class Stepper {
 public:
  using PhaseBody = std::function<void(Step)>;

  /// Appends a phase. Throws ParamError when the name is empty or already used.
  void add_phase(std::string name, PhaseBody body);
  /// Runs every phase for tick t, in registration order.
  void run(Step t);

  [[nodiscard]] std::size_t num_phases() const noexcept { return phases_.size(); }
  [[nodiscard]] const std::string& phase_name(std::size_t i) const { return phases_.at(i).name; }
  /// Wall-clock seconds spent in phase i over all ticks so far, when timing is on.
  [[nodiscard]] double phase_seconds(std::size_t i) const { return phases_.at(i).seconds; }
  void set_timing(bool on) noexcept { timing_ = on; }

 private:
  struct Phase {
    std::string name;
    PhaseBody body;
    double seconds = 0.0;
  };
  std::vector<Phase> phases_;
  bool timing_ = false;
};

}  // namespace innosim::sim
