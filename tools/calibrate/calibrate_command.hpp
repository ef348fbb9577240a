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

#include "tools/sweep/sweep_command.hpp"

namespace innosim::tools {

struct CalibrateOptions {
  std::string targets_path;
  std::string output_path;
  std::optional<std::uint64_t> particles;    ///< default: the file's
  std::optional<std::uint64_t> generations;  ///< default: the file's
  std::optional<double> until_tolerance;     ///< stop once a generation's tolerance is at most this
  /// Simulate only part index of count of each round's proposals (a Slurm array task; its
  /// journal is OUT.part-I-of-N.h5.journal) and end when the round waits for other parts.
  std::optional<Shard> shard;
  /// Simulate nothing: write OUT when the journals hold the whole calibration, else exit
  /// kExitIncomplete.
  bool collect = false;
  unsigned threads = 0;  ///< 0: all cores
  bool quiet = false;
  std::string command_line;
};

/// --collect found simulations that no journal holds yet.
inline constexpr int kExitIncomplete = 3;

/// Exit codes: 0 done (with --shard: this part's share of the current round done), 2 bad input,
/// 1 failure, 3 kExitIncomplete, 130/143 stopped by a signal (continue by running the same
/// command).
int calibrate_command(const CalibrateOptions& options, std::ostream& out, std::ostream& err);

/// Whether `path` is a calibration file (a YAML mapping with targets) rather than a sweep.
bool is_calibration_file(const std::string& path);

/// `innosim slurm CALIBRATION.yaml`: prints a Slurm job chain that runs the calibration as one
/// array job per round (--shard parts) and a collector after each (--collect) that submits the
/// next round or writes the result.
int calibrate_slurm_command(const SlurmOptions& options, std::ostream& out, std::ostream& err);

}  // namespace innosim::tools
