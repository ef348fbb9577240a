// `innosim calibrate TARGETS.yaml -o calib.h5`: ABC-SMC calibration of a model to observed
// targets (tools/calibrate/targets.hpp reads the file; sim/abc.hpp holds the arithmetic;
// docs/calibration.md, "Bayesian calibration", explains the method and its settings).
//
// Every simulation is a run of the sweep machinery's kind: numbered (generation, proposal),
// with random streams keyed by them, its target values appended to a journal (OUT.journal, the
// sweeps' format) as it finishes. A stopped or killed calibration is continued by the same
// command: the generations are replayed from the journal and only missing simulations run, so
// the posterior is bitwise the same however the calibration was run or interrupted.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

namespace innosim::tools {

struct CalibrateOptions {
  std::string targets_path;
  std::string output_path;
  std::optional<std::uint64_t> particles;    ///< default: the file's
  std::optional<std::uint64_t> generations;  ///< default: the file's
  std::optional<double> until_tolerance;     ///< stop once a generation's tolerance is at most this
  unsigned threads = 0;                      ///< 0: all cores
  bool quiet = false;
  std::string command_line;
};

/// Exit codes: 0 done, 2 bad input, 1 failure, 130/143 stopped by a signal (continue by running
/// the same command).
int calibrate_command(const CalibrateOptions& options, std::ostream& out, std::ostream& err);

}  // namespace innosim::tools
