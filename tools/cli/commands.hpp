// The `innosim` commands, callable from main() and from tests. Each returns the process exit
// code (see kExit*) and writes results to `out`, diagnostics and progress to `err`.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>

#include <vector>
#include "output/comparison.hpp"
#include "output/labels.hpp"

#include "output/result_file.hpp"

namespace innosim::tools {

/// Exit codes, documented in docs/cli.md.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;   ///< could not complete: I/O error, internal error
inline constexpr int kExitBadInput = 2;  ///< scenario, data file or command line is wrong
inline constexpr int kExitInterrupted = 130;

struct RunOptions {
  std::string scenario_path;  ///< empty: the embedded baseline programme scenario
  std::optional<std::uint64_t> replicates;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint64_t> steps;
  std::optional<std::uint64_t> years;
  unsigned threads = 0;  ///< 0: all cores
  bool quiet = false;    ///< no progress line
  bool timing = false;   ///< --timing: phase times on stderr (tools/cli/timing.hpp)
  std::size_t table_rows = 12;
  std::string output_path;                ///< HDF5 result file (programme scenarios); empty: none
  bool events = false;                    ///< with output_path: the adoption event log too
  std::string command_line;               ///< for the result file's /runtime group
  std::optional<std::string> max_memory;  ///< --max-memory (tools/scenario/memory_limit.hpp)
};

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err);

class ReplicateCache;

struct CompareOptions {
  std::vector<std::string> scenarios;  ///< files or built-in names
  std::string reference;               ///< empty: baseline when compared, else the first
  std::optional<std::uint64_t> replicates;
  std::optional<std::uint64_t> seed;
  std::optional<std::uint64_t> years;
  unsigned threads = 0;
  bool quiet = false;
  bool timing = false;      ///< --timing: phase times on stderr (tools/cli/timing.hpp)
  std::string output_path;  ///< HDF5 result file (the command line's default: compare.h5); empty: none
  bool tables = false;      ///< with output_path: each replicate's tables too
  std::string report_path;  ///< HTML report; empty: none
  std::string command_line;
  std::optional<std::string> max_memory;  ///< --max-memory (tools/scenario/memory_limit.hpp)
  /// --posterior: a calibration result file or "builtin" (tools/calibrate/posterior.hpp); empty: none
  std::string posterior;
  /// --lang: the terminal summary's and the report's language
  output::Language lang = output::Language::kEnglish;
  /// For callers that watch a comparison as it runs (innosim serve): called after each
  /// replicate is folded, in replicate order, with the comparison so far and the replicates done.
  std::function<void(const output::Comparison&, std::size_t)> on_replicate;
  /// For callers that cancel (innosim serve): stops the runs when set, instead of the signals;
  /// compare_command then throws sim::Cancelled and writes nothing.
  const std::atomic<bool>* cancel = nullptr;
  /// For callers that compare repeatedly (innosim serve): replicates kept between comparisons.
  ReplicateCache* cache = nullptr;
};

/// Runs programme scenarios with common random numbers and prints paired differences from a
/// reference (output/comparison.hpp).
int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err);

/// Writes the HTML report of a result file (tools/report/report.hpp).
int report_command(const std::string& result, const std::string& html, std::ostream& out,
                   output::Language lang = output::Language::kEnglish);

/// Writes a result file's summary tables as CSV files into a directory (tools/report/export.hpp).
int export_command(const std::string& result, const std::string& dir, bool decimal_comma, std::ostream& out);
struct ScenarioCheckOptions {
  unsigned threads = 0;                   ///< for the memory estimate; 0: all cores
  std::optional<std::string> max_memory;  ///< --max-memory (tools/scenario/memory_limit.hpp)
};
int scenario_check_command(const std::vector<std::string>& paths, const ScenarioCheckOptions& options,
                           std::ostream& out, std::ostream& err);
int scenario_show_command(const std::string& path, bool resolved, std::ostream& out, std::ostream& err);
int scenario_list_command(std::ostream& out);
int scenario_parameters_command(std::ostream& out);
/// Prints the calibration tables; exit code 1 when an emergent target's mean falls outside its
/// range (a failed bookkeeping check is a bug, also exit 1). With `decomposition`, the diffusion
/// decomposition instead.
int calibration_command(std::uint64_t replicates, unsigned threads, bool decomposition,
                        const std::vector<std::string>& overrides, std::ostream& out, std::ostream& err);

/// What made a result file: innosim's version and git revision, the libraries, the kind.
[[nodiscard]] output::Provenance result_provenance(const std::string& kind);

/// "innosim 0.1.0 (git abc123) with oneTBB 2021.8, Boost 1.74, yaml-cpp, Random123 Philox4x32-10"
[[nodiscard]] std::string version_text();

}  // namespace innosim::tools
