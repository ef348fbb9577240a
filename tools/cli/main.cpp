// innosim: the command-line front end. Parses the command line and hands over to a command in
// commands.cpp; turns exceptions into exit codes (the only place that does).
#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <iostream>

#include "output/hdf5.hpp"
#include "sim/error.hpp"
#include "tools/calibrate/calibrate_command.hpp"
#include "tools/calibrate/posterior.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/stop_signals.hpp"
#include "tools/scenario/yaml_tree.hpp"
#include "tools/serve/serve_command.hpp"
#include "tools/sweep/journal.hpp"
#include "tools/sweep/sweep_command.hpp"

namespace {

// A whole number 0 .. 2^64 - 1 as written: CLI11 would read "-1" as 2^64 - 1 and saturate
// "18446744073709551616" to it.
const CLI::Validator kUnsigned64(
    [](std::string& text) -> std::string {
      std::uint64_t value = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (text.empty() || ec != std::errc() || end != text.data() + text.size() || text.front() == '+') {
        return "'" + text + "' is not a whole number from 0 to 18446744073709551615";
      }
      return {};
    },
    "UINT64");

// An output file name: not empty, not a directory.
const CLI::Validator kOutputFile(
    [](std::string& text) -> std::string {
      if (text.empty()) return "an empty name: give the file to write, e.g. result.h5";
      std::error_code ec;
      if (std::filesystem::is_directory(text, ec)) {
        return "'" + text + "' is a directory; give the file to write in it, e.g. " +
               (std::filesystem::path(text) / "result.h5").string();
      }
      return {};
    },
    "FILE");

int innosim_main(int argc, char** argv) {
  using namespace innosim::tools;
  CLI::App app{
      "innosim: simulates how innovations arise and spread between Norwegian municipalities,\n"
      "and the classic diffusion models (Bass, SI, independent cascade, linear threshold,\n"
      "Watts) it is validated against.\n\n"
      "  innosim run                                          the programme as planned (built-in baseline)\n"
      "  innosim run double-budget                            a built-in programme scenario (scenario list)\n"
      "  innosim run scenarios/classic/bass-complete.yaml     a scenario file\n"
      "  innosim compare baseline no-programme half-budget     paired comparison of scenarios\n"
      "  innosim compare ... --report report.html             the same as a report to read and forward\n"
      "  innosim scenario check scenarios/classic/*.yaml      validate scenario files\n"
      "  innosim scenario show FILE --resolved                every key with the value used\n\n"
      "Exit codes: 0 ok, 1 failure (I/O, internal), 2 bad input (scenario, data, options).\n"
      "Documentation: docs/ (model.md, programme-scenarios.md, cli.md, calibration.md) in the source tree.",
      "innosim"};
  app.require_subcommand(1);
  app.set_version_flag("-V,--version", version_text());
  app.failure_message(CLI::FailureMessage::help);

  RunOptions run;
  CLI::App* run_cmd =
      app.add_subcommand("run", "Run a scenario's replicates and print a summary of the results.");
  run_cmd->add_option("scenario", run.scenario_path,
                      "Scenario YAML file, or the name of a built-in programme scenario (default: baseline)");
  std::uint64_t replicates = 0;
  std::uint64_t seed = 0;
  std::uint64_t steps = 0;
  auto* replicates_opt =
      run_cmd->add_option("-r,--replicates", replicates, "Override run.replicates")->check(kUnsigned64);
  auto* seed_opt =
      run_cmd->add_option("-s,--seed", seed, "Override run.seed (any 64-bit number)")->check(kUnsigned64);
  auto* steps_opt =
      run_cmd->add_option("--steps", steps, "Override run.steps (classic scenarios)")->check(kUnsigned64);
  std::uint64_t years = 0;
  auto* years_opt =
      run_cmd->add_option("--years", years, "Override run.years (programme scenarios)")->check(kUnsigned64);
  run_cmd->add_option("-t,--threads", run.threads,
                      "Worker threads (default: all cores); results do not depend on it");
  run_cmd->add_flag("-q,--quiet", run.quiet, "No progress line on the terminal");
  run_cmd->add_flag("--timing", run.timing,
                    "Print load, build, run and write times (wall and CPU) to stderr");
  run_cmd->add_option("--rows", run.table_rows, "Rows in the adoption table (default 12)")
      ->check(CLI::Range(1, 1000));
  run_cmd
      ->add_option("-o,--output", run.output_path,
                   "Write every replicate's results to this HDF5 file (programme scenarios; docs/output.md)")
      ->check(kOutputFile);
  run_cmd->add_flag("--events", run.events, "With --output: keep the adoption event log too");
  std::string run_max_memory;
  auto* run_max_memory_opt = run_cmd->add_option(
      "--max-memory", run_max_memory,
      "Refuse to start when the memory estimate exceeds this: 6G, 512M, 50% (of the available memory) or "
      "unlimited (default: 80 % of the available memory, within a Slurm job's or container's limit)");

  CompareOptions compare;
  CLI::App* compare_cmd = app.add_subcommand(
      "compare",
      "Run programme scenarios with common random numbers and print each one's main indicators with 95 % "
      "intervals, the paired difference from a reference, additionality and cost against no-programme (when "
      "compared), and results by centrality and size class.");
  compare_cmd->add_option("scenarios", compare.scenarios, "Scenario files or built-in names")->required();
  compare_cmd->add_option(
      "--reference", compare.reference,
      "The scenario the others are compared with (default: baseline if compared, else the first)");
  std::uint64_t compare_replicates = 0, compare_seed = 0, compare_years = 0;
  auto* compare_replicates_opt = compare_cmd
                                     ->add_option("-r,--replicates", compare_replicates,
                                                  "Replicates per scenario (default: the reference's)")
                                     ->check(kUnsigned64);
  auto* compare_seed_opt =
      compare_cmd->add_option("-s,--seed", compare_seed, "Seed for all (default: the reference's)")
          ->check(kUnsigned64);
  auto* compare_years_opt =
      compare_cmd->add_option("--years", compare_years, "Years for all (default: the reference's)")
          ->check(kUnsigned64);
  compare_cmd->add_option(
      "--posterior", compare.posterior,
      "Draw each replicate's calibrated parameters from a posterior: a file of innosim calibrate, or builtin "
      "(the Norway calibration carried in innosim); the same draw for every scenario of a replicate, so the "
      "intervals include parameter uncertainty");
  compare_cmd->add_option("-t,--threads", compare.threads,
                          "Worker threads (default: all cores); results do not depend on it");
  compare_cmd->add_flag("-q,--quiet", compare.quiet, "No progress line on the terminal");
  compare_cmd->add_flag("--timing", compare.timing,
                        "Print load, build, run and write times (wall and CPU) to stderr");
  compare.output_path = "compare.h5";
  compare_cmd
      ->add_option("-o,--output", compare.output_path,
                   "The HDF5 file for every scenario's replicates and the comparison (default "
                   "compare.h5; docs/output.md)")
      ->check(kOutputFile);
  std::string compare_max_memory;
  auto* compare_max_memory_opt = compare_cmd->add_option(
      "--max-memory", compare_max_memory,
      "Refuse to start when the memory estimate exceeds this: 6G, 512M, 50% (of the available memory) or "
      "unlimited (default: 80 % of the available memory, within a Slurm job's or container's limit)");
  bool compare_no_output = false;
  compare_cmd->add_flag("--no-output", compare_no_output, "Print the tables only; write no HDF5 file");
  compare_cmd
      ->add_option("--report", compare.report_path,
                   "Also write a self-contained HTML report (charts, map, method) to this file")
      ->check(kOutputFile);
  compare_cmd->add_flag("--tables", compare.tables,
                        "Also each replicate's end states, innovations and projects in the HDF5 file");
  std::string compare_lang = "en";
  compare_cmd
      ->add_option("--lang", compare_lang,
                   "Language of the summary and the report: en (English) or nb (bokmål)")
      ->check(CLI::IsMember({"en", "nb"}));

  std::string report_input, report_output;
  CLI::App* report_cmd = app.add_subcommand(
      "report", "Write a self-contained HTML report (tables, charts, map, method) of a result file.");
  report_cmd
      ->add_option("result", report_input, "Result file of innosim run --output or innosim compare --output")
      ->required();
  report_cmd->add_option("-o,--output", report_output, "The HTML file to write")
      ->required()
      ->check(kOutputFile);
  std::string report_lang = "en";
  report_cmd->add_option("--lang", report_lang, "Language of the report: en (English) or nb (bokmål)")
      ->check(CLI::IsMember({"en", "nb"}));

  std::string export_input, export_dir;
  bool decimal_comma = false;
  CLI::App* export_cmd = app.add_subcommand(
      "export",
      "Write a result file's summary tables as CSV files for spreadsheets (summary, yearly, comparison, "
      "world).");
  export_cmd
      ->add_option("result", export_input, "Result file of innosim run --output or innosim compare --output")
      ->required();
  export_cmd->add_option("-o,--output", export_dir, "Directory for the CSV files (created when missing)")
      ->required();
  export_cmd->add_flag("--decimal-comma", decimal_comma,
                       "Use ';' between fields and ',' as decimal mark (spreadsheets set to Norwegian)");

  SweepOptions sweep;
  std::string shard_text;
  CLI::App* sweep_cmd = app.add_subcommand(
      "sweep",
      "Run a parameter sweep (docs/sweeps.md): every point of its design, each with its replicates, on all "
      "cores. Interrupted sweeps continue where they stopped when the same command is run again.");
  sweep_cmd->add_option("sweep", sweep.sweep_path, "Sweep YAML file")->required();
  sweep_cmd->add_option("-o,--output", sweep.output_path, "The HDF5 result file")
      ->required()
      ->check(kOutputFile);
  sweep_cmd->add_option("--shard", shard_text,
                        "Run only part I of N (0-based, e.g. 3/10) into its own file OUTPUT.part-I-of-N.h5; "
                        "default: the Slurm array task's part when SLURM_ARRAY_TASK_ID is set");
  sweep_cmd->add_option("-t,--threads", sweep.threads,
                        "Worker threads (default: all cores); results do not depend on it");
  sweep_cmd->add_flag("-q,--quiet", sweep.quiet, "No progress lines");
  sweep_cmd->add_flag("--timing", sweep.timing,
                      "Print load, build, run and write times (wall and CPU) to stderr");
  sweep_cmd->add_flag("--dry-run", sweep.dry_run, "Check the sweep and show its points; run nothing");
  std::string sweep_max_memory;
  auto* sweep_max_memory_opt = sweep_cmd->add_option(
      "--max-memory", sweep_max_memory,
      "Refuse to start when the memory estimate exceeds this: 6G, 512M, 50% (of the available memory) or "
      "unlimited (default: 80 % of the available memory, within a Slurm job's or container's limit)");

  CalibrateOptions calibrate;
  std::uint64_t calibrate_particles = 0, calibrate_generations = 0;
  double calibrate_until = 0;
  CLI::App* calibrate_cmd = app.add_subcommand(
      "calibrate",
      "Fit parameters to observed targets by approximate Bayesian computation (ABC-SMC): a targets file "
      "names the targets, their uncertainty and the parameters' priors; the result file holds every "
      "generation's weighted particles and the posterior. Interrupted calibrations continue where they "
      "stopped when the same command is run again.");
  calibrate_cmd->add_option("targets", calibrate.targets_path, "Calibration YAML file (targets and priors)")
      ->required();
  calibrate_cmd->add_option("-o,--output", calibrate.output_path, "The HDF5 result file")
      ->required()
      ->check(kOutputFile);
  auto* particles_opt = calibrate_cmd->add_option("--particles", calibrate_particles,
                                                  "Particles per generation (default: the file's)");
  auto* generations_opt = calibrate_cmd->add_option(
      "--generations", calibrate_generations, "Generations, the prior's included (default: the file's)");
  auto* until_opt = calibrate_cmd->add_option(
      "--until-tolerance", calibrate_until,
      "Run generations until the tolerance is at most this (a distance: standard deviations per target)");
  generations_opt->excludes(until_opt);
  calibrate_cmd->add_option("-t,--threads", calibrate.threads,
                            "Worker threads (default: all cores); results do not depend on it");
  calibrate_cmd->add_flag("-q,--quiet", calibrate.quiet, "No progress lines");
  std::string calibrate_shard;
  auto* calibrate_shard_opt = calibrate_cmd->add_option(
      "--shard", calibrate_shard,
      "I/N: simulate only part I of each round's proposals (a Slurm array task, see innosim slurm), "
      "journaled "
      "in OUT.part-I-of-N.h5.journal; ends when the round waits for the other parts");
  auto* collect_opt = calibrate_cmd->add_flag("--collect", calibrate.collect,
                                              "Simulate nothing: write OUT when the journals (the parts' "
                                              "too) hold the whole calibration, else exit 3");
  calibrate_shard_opt->excludes(collect_opt);

  std::string posterior_source;
  bool posterior_csv_flag = false;
  CLI::App* posterior_cmd = app.add_subcommand(
      "posterior",
      "Show a posterior (a file of innosim calibrate, or builtin): each calibrated parameter's base value, "
      "median and 90 % interval; --csv prints its particles and weights.");
  posterior_cmd->add_option("posterior", posterior_source, "Calibration result file, or builtin")->required();
  posterior_cmd->add_flag("--csv", posterior_csv_flag,
                          "Print the particles as CSV (the built-in posterior's format)");

  std::vector<std::string> merge_parts;
  std::string merge_output;
  CLI::App* merge_cmd = app.add_subcommand(
      "merge", "Combine the part files of a sharded sweep into the file the whole sweep writes.");
  merge_cmd->add_option("parts", merge_parts, "Part files (OUTPUT.part-I-of-N.h5), all N of them")
      ->required();
  merge_cmd->add_option("-o,--output", merge_output, "The combined HDF5 result file")
      ->required()
      ->check(kOutputFile);

  SlurmOptions slurm;
  CLI::App* slurm_cmd = app.add_subcommand(
      "slurm",
      "Print a Slurm script: for a sweep, an array job that runs it in parts; for a calibration, a job "
      "chain with an array job per round of proposals. Tasks requeue on preemption and resume.");
  slurm_cmd->add_option("file", slurm.sweep_path, "Sweep or calibration YAML file")->required();
  slurm_cmd->add_option("-o,--output", slurm.output_path, "The HDF5 result file the parts merge into")
      ->required()
      ->check(kOutputFile);
  slurm_cmd->add_option("--tasks", slurm.tasks, "Array tasks (parts)")
      ->required()
      ->check(CLI::Range(1, 100000));
  slurm_cmd->add_option("--time", slurm.time, "Time limit per task, HH:MM:SS (default 01:00:00)");
  slurm_cmd->add_option("--partition", slurm.partition, "Slurm partition (default: the cluster's)");
  slurm_cmd->add_option("--account", slurm.account, "Slurm account to charge (#SBATCH --account)");
  slurm_cmd->add_option("--qos", slurm.qos, "Slurm quality of service (#SBATCH --qos)");
  slurm_cmd->add_option("--mem", slurm.mem, "Memory per task as Slurm reads it, e.g. 4G (#SBATCH --mem)");
  slurm_cmd->add_option("--sbatch", slurm.sbatch,
                        "Another #SBATCH option, e.g. --sbatch '--constraint=intel' (repeatable)");
  slurm_cmd->add_option("--setup", slurm.setup,
                        "A shell line to run before innosim, e.g. --setup 'module load HDF5' (repeatable)");
  slurm_cmd
      ->add_option(
          "--warn", slurm.warn_seconds,
          "Seconds before the time limit at which the task saves its work and requeues (default 120)")
      ->check(CLI::Range(10, 86400));
  slurm_cmd->add_option("--cpus", slurm.cpus, "CPUs per task (default 2)")->check(CLI::Range(1, 1024));
  std::uint64_t slurm_particles = 0, slurm_generations = 0;
  double slurm_until = 0;
  auto* slurm_particles_opt = slurm_cmd->add_option("--particles", slurm_particles,
                                                    "A calibration's particles (default: the file's)");
  auto* slurm_generations_opt = slurm_cmd->add_option("--generations", slurm_generations,
                                                      "A calibration's generations (default: the file's)");
  auto* slurm_until_opt =
      slurm_cmd->add_option("--until-tolerance", slurm_until,
                            "Run a calibration's generations until the tolerance is at most this");
  slurm_generations_opt->excludes(slurm_until_opt);

  ServeOptions serve;
  CLI::App* serve_cmd =
      app.add_subcommand("serve",
                         "The scenario explorer: a local web page to move the programme's levers and compare "
                         "against baseline and "
                         "no-programme, with results streaming in as replicates finish (docs/explorer.md).");
  serve_cmd->add_option(
      "--host", serve.host,
      "Address to listen on (default 127.0.0.1, this machine only; see docs/explorer.md before "
      "opening it to others)");
  serve_cmd->add_option("--port", serve.port, "Port (default 8080; 0: any free port, printed)")
      ->check(CLI::Range(0, 65535));
  serve_cmd->add_option("--dir", serve.dir, "Directory for results, cached by scenario fingerprint");
  serve_cmd->add_flag("--open", serve.open, "Open the page in a browser");
  serve_cmd->add_option("-t,--threads", serve.threads, "Threads for the comparisons (default: all cores)");
  serve_cmd->add_option("--queue", serve.queue, "Comparisons that may wait (default 8)")
      ->check(CLI::Range(1, 100));
  serve_cmd->add_option("--allow-host", serve.allow_hosts,
                        "Another name the server is reached under (a team server's, a proxy's); repeatable");

  AnalyseOptions analyse;
  CLI::App* analyse_cmd = app.add_subcommand(
      "analyse",
      "Sensitivity analysis of a sweep's results: Sobol indices (saltelli designs) or Morris "
      "elementary effects (morris designs), with bootstrap intervals.");
  analyse_cmd->add_option("method", analyse.method, "sobol or morris")
      ->required()
      ->check(CLI::IsMember({"sobol", "morris"}));
  analyse_cmd->add_option("result", analyse.result_path, "Result file of innosim sweep")->required();
  analyse_cmd->add_option(
      "--output-indicator", analyse.outputs,
      "Indicators to analyse (totals; default: adoptions, spread_adoptions, research_using_share, "
      "innovations_created, committed_mnok)");
  analyse_cmd->add_option("--bootstrap", analyse.bootstrap, "Bootstrap resamples (default 1000)")
      ->check(CLI::Range(0, 1000000));
  bool analyse_no_write = false;
  analyse_cmd->add_flag("--no-write", analyse_no_write, "Print only; do not store the results in the file");

  CLI::App* scenario_cmd =
      app.add_subcommand("scenario", "Check or show scenario files without running them.");
  scenario_cmd->require_subcommand(1);
  std::vector<std::string> check_paths;
  CLI::App* check_cmd = scenario_cmd->add_subcommand(
      "check", "Validate scenario files; report every problem with file:line:column.");
  check_cmd->add_option("files", check_paths, "Scenario files")->required();
  ScenarioCheckOptions check_options;
  check_cmd->add_option("-t,--threads", check_options.threads,
                        "Threads the memory estimate assumes (default: all cores)");
  std::string check_max_memory;
  auto* check_max_memory_opt = check_cmd->add_option(
      "--max-memory", check_max_memory,
      "The memory limit to check the estimate against (as for run; default: 80 % of the available memory)");
  std::string show_path;
  bool resolved = false;
  CLI::App* show_cmd = scenario_cmd->add_subcommand(
      "show", "Print a scenario as written, or with --resolved every key with the value a run uses.");
  show_cmd->add_option("file", show_path, "Scenario file")->required();
  show_cmd->add_flag("--resolved", resolved, "Print the full resolved scenario, defaults included");
  CLI::App* list_cmd =
      scenario_cmd->add_subcommand("list", "List the programme scenarios built into innosim.");
  CLI::App* parameters_cmd = scenario_cmd->add_subcommand(
      "parameters", "Print every programme parameter (docs/parameters.md) as Markdown.");

  std::uint64_t calibration_replicates = 100;
  unsigned calibration_threads = 0;
  CLI::App* calibration_cmd = app.add_subcommand(
      "calibration",
      "Run the built-in scenarios the calibration reads (no-programme, baseline, half- and double-budget, "
      "welfare-technology) and print the bookkeeping checks and the emergent targets of DOMAIN.md section 7 "
      "with the values reached (the tables of docs/calibration.md); exit 1 when an emergent target is "
      "missed. "
      "--decomposition prints how much each factor slows a proven innovation instead.");
  bool calibration_decomposition = false;
  calibration_cmd->add_flag("--decomposition", calibration_decomposition,
                            "Print the diffusion decomposition of docs/model.md instead of the targets");
  std::vector<std::string> calibration_set;
  calibration_cmd->add_option(
      "--set", calibration_set,
      "KEY=VALUE: set a parameter in every scenario run, after the scenario's own values "
      "(repeatable; to try a calibration before changing a default)");
  calibration_cmd->add_option("-r,--replicates", calibration_replicates, "Replicates per world (default 100)")
      ->check(CLI::Range(2, 100000));
  calibration_cmd->add_option("-t,--threads", calibration_threads,
                              "Worker threads (default: all cores); results do not depend on it");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }

  for (int k = 0; k < argc; ++k) run.command_line += (k ? " " : "") + std::string(argv[k]);
  compare.command_line = run.command_line;
  try {
    if (*run_cmd) {
      if (*replicates_opt) run.replicates = replicates;
      if (*seed_opt) run.seed = seed;
      if (*steps_opt) run.steps = steps;
      if (*years_opt) run.years = years;
      if (*run_max_memory_opt) run.max_memory = run_max_memory;
      return run_command(run, std::cout, std::cerr);
    }
    if (*compare_cmd) {
      if (*compare_replicates_opt) compare.replicates = compare_replicates;
      if (*compare_seed_opt) compare.seed = compare_seed;
      if (*compare_years_opt) compare.years = compare_years;
      if (compare_no_output) compare.output_path.clear();
      if (*compare_max_memory_opt) compare.max_memory = compare_max_memory;
      compare.lang = innosim::output::parse_language(compare_lang);
      return compare_command(compare, std::cout, std::cerr);
    }
    if (*sweep_cmd) {
      if (!shard_text.empty()) sweep.shard = parse_shard(shard_text);
      sweep.command_line = run.command_line;
      if (*sweep_max_memory_opt) sweep.max_memory = sweep_max_memory;
      return sweep_command(sweep, std::cout, std::cerr);
    }
    if (*calibrate_cmd) {
      if (*particles_opt) calibrate.particles = calibrate_particles;
      if (*generations_opt) calibrate.generations = calibrate_generations;
      if (*until_opt) calibrate.until_tolerance = calibrate_until;
      if (*calibrate_shard_opt) calibrate.shard = parse_shard(calibrate_shard);
      calibrate.command_line = run.command_line;
      return calibrate_command(calibrate, std::cout, std::cerr);
    }
    if (*posterior_cmd) {
      return posterior_command(posterior_source, posterior_csv_flag, std::cout);
    }
    if (*merge_cmd) {
      return merge_command(merge_parts, merge_output, std::cout, std::cerr, run.command_line);
    }
    if (*serve_cmd) {
      return serve_command(serve, std::cout, std::cerr);
    }
    if (*slurm_cmd) {
      if (*slurm_particles_opt) slurm.particles = slurm_particles;
      if (*slurm_generations_opt) slurm.generations = slurm_generations;
      if (*slurm_until_opt) slurm.until_tolerance = slurm_until;
      if (is_calibration_file(slurm.sweep_path)) return calibrate_slurm_command(slurm, std::cout, std::cerr);
      if (slurm.particles || slurm.generations || slurm.until_tolerance) {
        throw ScenarioError(
            fmt::format("--particles, --generations, --until-tolerance: {} is a sweep, not a calibration",
                        slurm.sweep_path));
      }
      return slurm_command(slurm, std::cout, std::cerr);
    }
    if (*analyse_cmd) {
      analyse.write = !analyse_no_write;
      return analyse_command(analyse, std::cout, std::cerr);
    }
    if (*export_cmd) {
      return export_command(export_input, export_dir, decimal_comma, std::cout);
    }
    if (*report_cmd) {
      return report_command(report_input, report_output, std::cout,
                            innosim::output::parse_language(report_lang));
    }
    if (*check_cmd) {
      if (*check_max_memory_opt) check_options.max_memory = check_max_memory;
      return scenario_check_command(check_paths, check_options, std::cout, std::cerr);
    }
    if (*show_cmd) {
      return scenario_show_command(show_path, resolved, std::cout, std::cerr);
    }
    if (*list_cmd) {
      return scenario_list_command(std::cout);
    }
    if (*parameters_cmd) {
      return scenario_parameters_command(std::cout);
    }
    if (*calibration_cmd) {
      return calibration_command(calibration_replicates, calibration_threads, calibration_decomposition,
                                 calibration_set, std::cout, std::cerr);
    }
  } catch (const Stopped& stop) {
    std::cerr << "innosim: stopped by signal " << stop.signal << " ("
              << (stop.signal == SIGINT    ? "SIGINT"
                  : stop.signal == SIGTERM ? "SIGTERM"
                  : stop.signal == SIGHUP  ? "SIGHUP"
                                           : "?")
              << "); nothing was written\n";
    return stop_exit_code(stop.signal);
  } catch (const ScenarioError& e) {
    std::cerr << "innosim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const innosim::sim::ParamError& e) {
    std::cerr << "innosim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const innosim::sim::DataError& e) {
    std::cerr << "innosim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const innosim::output::h5::H5ReadError& e) {
    std::cerr << "innosim: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const JournalError& e) {
    std::cerr << "innosim: " << e.what() << "\n";
    return kExitFailure;
  } catch (const std::bad_alloc&) {
    std::cerr << "innosim: out of memory; run fewer threads (--threads) or a smaller graph\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    std::cerr << "innosim: error: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitFailure;
}

}  // namespace

int main(int argc, char** argv) {
  int code = innosim::tools::kExitFailure;
  try {
    code = innosim_main(argc, argv);
  } catch (...) {
    // innosim_main reports every error itself; this is for what escapes its own handlers.
    std::fputs("innosim: internal error\n", stderr);
  }
  if (code != 0) {
    // After a failure every file has been closed or removed by its owner; HDF5's own exit
    // handler would flush objects whose writes already failed (a full disk) and crash. The
    // streams are flushed and the process ends without the library's handlers.
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    std::_Exit(code);
  }
  return 0;
}
