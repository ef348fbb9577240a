// Stepper: ordered named phases.
#include "sim/stepper.hpp"

#include <chrono>

#include "sim/error.hpp"

namespace innosim::sim {

void Stepper::add_phase(std::string name, PhaseBody body) {
  if (name.empty()) {
    throw ParamError("a phase needs a name");
  }
  for (const auto& p : phases_) {
    if (p.name == name) {
      throw ParamError("phase '" + name + "' is registered twice");
    }
  }
  phases_.push_back({std::move(name), std::move(body), 0.0});
}

void Stepper::run(Step t) {
  for (auto& phase : phases_) {
    if (timing_) {
      const auto start = std::chrono::steady_clock::now();
      phase.body(t);
      phase.seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } else {
      phase.body(t);
    }
  }
}

}  // namespace innosim::sim
