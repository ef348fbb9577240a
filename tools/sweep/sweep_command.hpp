// The sweep commands: sweep, merge, slurm and analyse (docs/sweeps.md).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace innosim::tools {

/// A sweep stopped by SIGTERM (SIGINT gives kExitInterrupted, 130): everything finished is kept,
/// the same command continues.
inline constexpr int kExitTerminated = 143;

struct Shard {
  std::uint64_t index = 0, count = 1;
};

/// "3/10" -> {3, 10}; throws ScenarioError for anything else (index < count required).
Shard parse_shard(const std::string& text);

/// The shard from Slurm's array variables (SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN of
/// SLURM_ARRAY_TASK_COUNT), when they are set.
std::optional<Shard> shard_from_environment();

/// The file a shard writes: "out.h5" -> "out.part-0003-of-0010.h5".
std::string part_path(const std::string& output, const Shard& shard);

struct SweepOptions {
  std::string sweep_path;
  std::string output_path;
  std::optional<Shard> shard;  ///< none: the whole sweep (or the Slurm array task's shard)
  unsigned threads = 0;        ///< 0: all cores
  bool quiet = false;
  bool timing = false;   ///< --timing: phase times on stderr (tools/cli/timing.hpp)
  bool dry_run = false;  ///< check and show the design, run nothing
  std::string command_line;
  std::optional<std::string> max_memory;  ///< --max-memory (tools/scenario/memory_limit.hpp)
};

/// Runs a sweep (or one shard), resuming from its journal. Exit codes: 0 done, 2 bad input,
/// 130 after SIGINT and 143 after SIGTERM (resumable), 1 failure.
int sweep_command(const SweepOptions& options, std::ostream& out, std::ostream& err);

/// Combines complete parts of one sweep into the file the whole sweep writes.
int merge_command(const std::vector<std::string>& parts, const std::string& output, std::ostream& out,
                  std::ostream& err, const std::string& command_line);

struct SlurmOptions {
  std::string sweep_path;
  std::string output_path;
  std::uint64_t tasks = 1;
  std::string time = "01:00:00";
  std::string partition;
  std::string account;
  std::string qos;
  std::string mem;                  ///< --mem per task, as Slurm reads it ("4G")
  std::vector<std::string> sbatch;  ///< more #SBATCH lines, as given ("--constraint=intel")
  std::vector<std::string> setup;   ///< shell lines before innosim runs ("module load HDF5")
  unsigned warn_seconds = 120;      ///< USR1 this long before the time limit: save and requeue
  unsigned cpus = 2;
  std::string innosim;  ///< the binary to call (default: this one's absolute path)
  // A calibration's settings (innosim calibrate's options of the same names); not for sweeps.
  std::optional<std::uint64_t> particles, generations;
  std::optional<double> until_tolerance;
};

/// Prints a Slurm array-job script for a sweep to `out`; warnings (more tasks than runs) to `err`.
int slurm_command(const SlurmOptions& options, std::ostream& out, std::ostream& err);

/// What every innosim Slurm script shares (sweeps' and calibrations'): the binary, the #SBATCH
/// lines the user added and the setup lines, from options checked here (the time limit, the
/// warning before it, one line each). Throws ScenarioError.
struct SlurmScript {
  std::string innosim;     ///< the binary the script calls (absolute)
  std::string directives;  ///< "#SBATCH --partition=..." lines, each ending in a newline
  std::string setup;       ///< the --setup lines, each ending in a newline
};
SlurmScript slurm_script_parts(const SlurmOptions& options);

/// The #SBATCH lines every innosim job script opens with: job name innosim-STEM, the array
/// (when `array` is not empty: "0-9"), time, CPUs, one task, requeue, the time-limit warning,
/// the log (appended), then the user's directives.
std::string slurm_sbatch_lines(const SlurmOptions& options, const SlurmScript& script,
                               const std::string& stem, const std::string& array, const std::string& log);

/// The shell lines of an array task: runs `command` (an innosim command line) in the background
/// and passes Slurm's signals on to it; after the time-limit warning (USR1) the task requeues
/// itself once innosim has saved its work, after TERM or INT (preemption, scancel) it ends.
std::string slurm_task_body(const std::string& command);

/// `s` in single quotes for the shell.
std::string shell_quote(const std::string& s);
/// `path` made absolute (as given when that fails).
std::string slurm_absolute(const std::string& path);

struct AnalyseOptions {
  std::string method;  ///< "sobol" or "morris"
  std::string result_path;
  std::vector<std::string> outputs;  ///< indicators (default: a standard set)
  std::uint64_t bootstrap = 1000;
  double level = 0.95;
  bool write = true;  ///< store the results under /analysis in the file
};

int analyse_command(const AnalyseOptions& options, std::ostream& out, std::ostream& err);

}  // namespace innosim::tools
