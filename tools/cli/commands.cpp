// The innosim commands: run a classic scenario, check or show scenario files.
#include "tools/cli/commands.hpp"

#include "tools/cli/comparison_job.hpp"

#include "tools/calibrate/posterior.hpp"
#include "tools/cli/progress.hpp"
#include "tools/cli/stop_signals.hpp"
#include "tools/cli/timing.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <oneapi/tbb/version.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <unistd.h>

#include <algorithm>
#include <boost/version.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <ostream>
#include <sstream>
#include <variant>

#include "models/diffusion/classic.hpp"
#include "models/forkommune/memory.hpp"
#include "models/forkommune/model.hpp"
#include "models/graphs/edge_list.hpp"
#include "output/comparison.hpp"
#include "output/result_file.hpp"
#include "output/run_summary.hpp"
#include "output/summary.hpp"
#include "sim/ensemble.hpp"
#include "sim/error.hpp"
#include "tools/data/world_data.hpp"
#include "tools/embedded.hpp"
#include "tools/report/export.hpp"
#include "tools/report/report.hpp"
#include "tools/scenario/calibration.hpp"
#include "tools/scenario/classic_scenario.hpp"
#include "tools/scenario/memory_limit.hpp"
#include "tools/scenario/programme_scenario.hpp"
#include "tools/version.hpp"

namespace innosim::tools {
namespace {

std::string describe_model(const models::ModelParams& model) {
  return std::visit(
      [](const auto& p) -> std::string {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, models::BassParams>) {
          return fmt::format("Bass, p = {} and q = {} per step, step rule {}", p.p_innovation_per_step,
                             p.q_imitation_per_step, models::step_rule_name(p.step_rule));
        } else if constexpr (std::is_same_v<P, models::SiParams>) {
          return fmt::format("SI, transmission probability {} per step and arc", p.p_transmit_per_step);
        } else if constexpr (std::is_same_v<P, models::IndependentCascadeParams>) {
          return p.transmission == models::IndependentCascadeParams::Transmission::kUniform
                     ? fmt::format("independent cascade, p_transmit = {}", p.p_transmit)
                     : fmt::format("independent cascade, transmission {}",
                                   models::transmission_name(p.transmission));
        } else if constexpr (std::is_same_v<P, models::LinearThresholdParams>) {
          return p.thresholds == models::LinearThresholdParams::Thresholds::kFixed
                     ? fmt::format("linear threshold, threshold {} for all, {} weights", p.threshold_fraction,
                                   models::weights_name(p.weights))
                     : fmt::format("linear threshold, thresholds uniform on [0, 1], {} weights",
                                   models::weights_name(p.weights));
        } else {
          return p.threshold_sd > 0 ? fmt::format("Watts threshold, phi ~ Normal({}, {})",
                                                  p.threshold_fraction, p.threshold_sd)
                                    : fmt::format("Watts threshold, phi = {}", p.threshold_fraction);
        }
      },
      model);
}

std::string describe_seeding(const models::SeedingParams& s) {
  using S = models::SeedingParams::Strategy;
  switch (s.strategy) {
    case S::kNone:
      return "none (adoption starts spontaneously)";
    case S::kIds:
      return fmt::format("the {} listed agent{}", s.ids.size(), s.ids.size() == 1 ? "" : "s");
    case S::kFile:
      return fmt::format("the {} agent{} listed in {}", s.ids.size(), s.ids.size() == 1 ? "" : "s",
                         std::filesystem::path(s.path).filename().string());
    case S::kRandom:
    case S::kTopDegree: {
      const std::string how = s.strategy == S::kRandom ? "random" : "highest degree";
      return s.count ? fmt::format("{} agent{}, {}", *s.count, *s.count == 1 ? "" : "s", how)
                     : fmt::format("{:g} % of agents, {}", 100.0 * *s.fraction, how);
    }
  }
  return "?";
}

}  // namespace

output::Provenance result_provenance(const std::string& kind) {
  output::Provenance p;
  p.innosim_version = version();
  p.git_revision = git_revision();
  p.kind = kind;
  p.libraries = {{"onetbb", fmt::format("{}.{}", TBB_VERSION_MAJOR, TBB_VERSION_MINOR)},
                 {"boost", fmt::format("{}.{}.{}", BOOST_VERSION / 100000, BOOST_VERSION / 100 % 1000,
                                       BOOST_VERSION % 100)},
                 {"random123", "Philox4x32-10"},
                 {"yaml_cpp", INNOSIM_YAML_CPP_VERSION}};
  return p;
}

namespace {

output::ScenarioInfo scenario_info(const ProgrammeScenario& scenario) {
  const auto& p = scenario.params;
  return {scenario.name,
          scenario.description,
          scenario.description_nb,
          scenario_files(scenario),
          resolved_yaml(scenario),
          p.run.seed,
          p.run.replicates,
          p.run.years,
          p.run.warmup_years,
          12,
          {},
          {}};
}

// Opens a result file before a long run, so that a path that cannot be written is reported
// at once (as bad input, exit code 2).
std::unique_ptr<output::ResultFile> open_result(const std::string& path, const std::string& kind) {
  try {
    return std::make_unique<output::ResultFile>(path, result_provenance(kind));
  } catch (const output::h5::H5Error& e) {
    throw ScenarioError(fmt::format("--output {}: {}", path, e.what()));
  }
}

}  // namespace

std::string version_text() {
  return fmt::format(
      "innosim {} (git {})\n  oneTBB {}.{}, Boost {}.{}.{}, Random123 Philox4x32-10, yaml-cpp {}", version(),
      git_revision(), TBB_VERSION_MAJOR, TBB_VERSION_MINOR, BOOST_VERSION / 100000,
      BOOST_VERSION / 100 % 1000, BOOST_VERSION % 100, INNOSIM_YAML_CPP_VERSION);
}

namespace {

// The size of a scenario's world, for the memory estimate (a synthetic one without drawing it).
models::forkommune::WorldSize size_world(const ProgrammeScenario& scenario) {
  try {
    return world_size(scenario.params, scenario.directory);
  } catch (const sim::ParamError& e) {
    rethrow_located(e, scenario);
  }
}

// A memory refusal located at the line of the scenario's own file that sets one of the keys of
// the largest part, or at the file itself: never inside a base scenario the user did not write.
[[noreturn]] void memory_refusal(const sim::ParamError& e, const ProgrammeScenario& scenario) {
  std::stringstream keys(e.key());
  for (std::string key; std::getline(keys, key, ',');) {
    const auto it = scenario.positions.find(key);
    if (it != scenario.positions.end() && !scenario.chain.empty() &&
        it->second.first == scenario.chain.front()) {
      rethrow_located(sim::ParamError(key, e.what()), scenario);
    }
  }
  throw ScenarioError(fmt::format("{}: {}", scenario.source, e.what()));
}

// Several runs held at once (compare): the program once, every world, the largest replicate
// state and every scenario's series.
sim::MemoryEstimate combined_estimate(const std::vector<sim::MemoryEstimate>& estimates,
                                      const std::vector<std::string>& names) {
  sim::MemoryEstimate all;
  const sim::MemoryEstimate* largest_state = nullptr;
  double largest_state_bytes = -1;
  for (std::size_t k = 0; k < estimates.size(); ++k) {
    double state = 0;
    for (const auto& p : estimates[k].parts) {
      if (p.scope == sim::MemoryScope::kProcess && k == 0) all.parts.push_back(p);
      if (p.scope == sim::MemoryScope::kWorld || p.scope == sim::MemoryScope::kSeries) {
        all.parts.push_back(p);
        all.parts.back().what = names[k] + ", " + p.what;
      }
      if (p.scope == sim::MemoryScope::kReplicates) state += p.bytes;
    }
    if (state > largest_state_bytes) {
      largest_state_bytes = state;
      largest_state = &estimates[k];
    }
  }
  if (largest_state != nullptr) {
    for (const auto& p : largest_state->parts) {
      if (p.scope == sim::MemoryScope::kReplicates) all.parts.push_back(p);
    }
  }
  return all;
}

}  // namespace

int run_classic(ClassicScenario scenario, const RunOptions& options, std::ostream& out, std::ostream& err,
                PhaseTimer& timer) {
  if (!options.output_path.empty() || options.events) {
    throw ScenarioError(
        "--output and --events are for programme scenarios; a classic scenario prints its summary");
  }
  // 1. Parse: the scenario, with command-line overrides, checked before anything runs.
  models::ClassicSpec& spec = scenario.spec;
  if (options.replicates) {
    if (*options.replicates < 1 || *options.replicates > std::uint64_t{sim::kMaxReplicate} + 1) {
      throw ScenarioError(fmt::format("--replicates {} must be in [1, {}]", *options.replicates,
                                      std::uint64_t{sim::kMaxReplicate} + 1));
    }
    spec.replicates = static_cast<sim::Replicate>(*options.replicates);
  }
  if (options.seed) spec.seed = *options.seed;
  if (options.years) {
    throw ScenarioError("--years is for programme scenarios; a classic scenario counts steps (--steps)");
  }
  if (options.steps) {
    if (*options.steps < 1 || *options.steps > 10'000'000) {
      throw ScenarioError(fmt::format("--steps {} must be in [1, 10000000]", *options.steps));
    }
    spec.steps = static_cast<sim::Step>(*options.steps);
  }
  const unsigned cores = static_cast<unsigned>(std::max(1, tbb::info::default_concurrency()));
  const unsigned threads = options.threads == 0 ? cores : options.threads;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  // Memory is estimated before it is spent (tools/scenario/memory_limit.hpp).
  try {
    check_memory(estimate_memory(spec, threads), memory_limit(options.max_memory));
  } catch (const sim::ParamError& e) {
    rethrow_located(e, scenario);
  }

  // 2. The graph (read from its file, or generated), unless each replicate draws its own.
  timer.phase("build");
  std::optional<models::Graph> graph;
  if (!spec.resample_graph) {
    try {
      graph = models::make_graph(spec.graph, sim::RngKey{spec.seed, 0});
    } catch (const sim::ParamError& e) {
      rethrow_located(e, scenario);
    }
  }

  // 3-4. Processes per replicate, the summary attached, run.
  timer.phase("run");
  output::SeriesSummary summary(models::classic_indicators(), spec.steps);
  sim::RunningStats edges;
  sim::RunningStats nodes;
  std::vector<double> quiet_steps;
  std::size_t never_quiet = 0;
  Progress progress(err, spec.replicates, !options.quiet);
  std::size_t done = 0;
  try {
    models::run_ensemble(
        spec, threads,
        [&](models::ReplicateResult&& r) {
          summary.add_replicate(r.series);
          edges.add(static_cast<double>(r.num_edges));
          nodes.add(r.num_nodes);
          if (r.quiescent_at == sim::kNever) {
            ++never_quiet;
          } else {
            quiet_steps.push_back(r.quiescent_at);
          }
          progress.update(++done);
        },
        false, nullptr, graph ? &*graph : nullptr);
  } catch (const sim::ParamError& e) {
    rethrow_located(e, scenario);
  }
  graph.reset();

  // 5. Report.
  timer.phase("write");
  const auto population = nodes.mean();
  fmt::print(out, "innosim {} · scenario {} ({})\n", version(), spec.name, options.scenario_path);
  if (!spec.description.empty()) {
    fmt::print(out, "\n  {}\n", spec.description);
  }
  std::string graph_text = fmt::format("{}, {} nodes, {} edges", models::graph_type_name(spec.graph),
                                       output::group_thousands(population, 0),
                                       output::group_thousands(edges.mean(), spec.resample_graph ? 1 : 0));
  if (std::holds_alternative<models::CompleteGraphParams>(spec.graph)) {
    graph_text = fmt::format("complete graph on {} nodes (implicit)", output::group_thousands(population, 0));
  }
  if (spec.resample_graph) graph_text += " on average (a new graph for each replicate)";
  std::string stop_text = "still changing at the last step in every replicate";
  if (!quiet_steps.empty()) {
    std::sort(quiet_steps.begin(), quiet_steps.end());
    stop_text = fmt::format("by step {:g} (median; latest {:g}) in {} of {} replicates",
                            quiet_steps[quiet_steps.size() / 2], quiet_steps.back(), quiet_steps.size(),
                            spec.replicates);
    if (never_quiet > 0) stop_text += fmt::format("; {} still changing at the last step", never_quiet);
  }
  const output::Facts facts = {
      {"model", describe_model(spec.model)},
      {"graph", graph_text},
      {"seeding", describe_seeding(spec.seeding)},
      {"run", fmt::format("{} replicate{} of {} steps, seed {}", spec.replicates,
                          spec.replicates == 1 ? "" : "s", spec.steps, spec.seed)},
      {"no more change", stop_text},
  };
  fmt::print(out, "\n");
  output::TableOptions table;
  table.indicator = 0;
  table.population = population;
  table.max_rows = options.table_rows;
  output::write_series_table(out, facts, summary, table);
  fmt::print(err, "  ({:.2f} s on {} thread{}; peak memory {})\n", progress.seconds(), threads,
             threads == 1 ? "" : "s", format_bytes(peak_memory_bytes()));
  return kExitOk;
}

namespace {

// Owners in each indicator group, in the layout's order: centrality classes, size classes,
// counties.
std::vector<double> owners_per_group(const models::forkommune::World& world, std::size_t groups) {
  using models::forkommune::kNumCentralityClasses;
  using models::forkommune::kNumSizeClasses;
  std::vector<double> owners(groups, 0.0);
  for (std::uint32_t o = 0; o < world.num_owners(); ++o) {
    owners[world.owner_centrality[o]] += 1;
    owners[kNumCentralityClasses + world.owner_size_class[o]] += 1;
    owners[kNumCentralityClasses + kNumSizeClasses + world.owner_county[o]] += 1;
  }
  return owners;
}

std::string describe_budget(const models::forkommune::Params& p) {
  const auto& pr = p.programme;
  if (!pr.enabled) return "none (the counterfactual: no funding, no arenas)";
  return fmt::format(
      "{} MNOK/year at steady state (ramp-up {}), calls in years {}-{}; shares: pre-projects {:g} %, "
      "innovation projects {:g} %, competence projects {:g} %, arenas {:g} %",
      pr.budget_mnok_per_year, fmt::join(pr.ramp_up, "/"), pr.first_year, pr.last_year,
      100 * pr.share_pre_project, 100 * pr.share_innovation_project, 100 * pr.share_competence_project,
      100 * pr.share_arenas);
}

}  // namespace

int run_programme(ProgrammeScenario scenario, const RunOptions& options, std::ostream& out, std::ostream& err,
                  PhaseTimer& timer) {
  // 1. Parse: the scenario, with command-line overrides.
  auto& params = scenario.params;
  if (options.replicates) {
    if (*options.replicates < 1 || *options.replicates > std::uint64_t{sim::kMaxReplicate} + 1) {
      throw ScenarioError(fmt::format("--replicates {} must be in [1, {}]", *options.replicates,
                                      std::uint64_t{sim::kMaxReplicate} + 1));
    }
    params.run.replicates = static_cast<std::int64_t>(*options.replicates);
  }
  if (options.seed) params.run.seed = *options.seed;
  if (options.steps)
    throw ScenarioError("--steps is for classic scenarios; a programme scenario counts years (--years)");
  if (options.years) {
    if (*options.years < 1 || *options.years > 200)
      throw ScenarioError(fmt::format("--years {} must be in [1, 200]", *options.years));
    params.run.years = static_cast<std::int64_t>(*options.years);
  }
  try {
    models::forkommune::validate(params);
  } catch (const sim::ParamError& e) {
    rethrow_located(e, scenario);
  }
  const unsigned cores = static_cast<unsigned>(std::max(1, tbb::info::default_concurrency()));
  const unsigned threads = options.threads == 0 ? cores : options.threads;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);

  // 2. Estimate the memory and build the world; 3. make the model.
  try {
    check_memory(models::forkommune::estimate_memory(params, size_world(scenario), threads),
                 memory_limit(options.max_memory));
  } catch (const sim::ParamError& e) {
    memory_refusal(e, scenario);
  }
  std::shared_ptr<const models::forkommune::World> world;
  std::unique_ptr<models::forkommune::ProgrammeModel> model;
  auto data = load_world_data(params, scenario.directory);
  timer.phase("build");
  try {
    world = std::make_shared<const models::forkommune::World>(models::forkommune::build_world(data, params));
    model = std::make_unique<models::forkommune::ProgrammeModel>(world, params);
  } catch (const sim::ParamError& e) {
    rethrow_located(e, scenario);
  }

  // 4. Attach the summary and the result file; 5. run.
  timer.phase("run");
  const std::string started = output::utc_now();
  std::unique_ptr<output::ResultFile> file;
  output::ScenarioWriter* writer = nullptr;
  if (!options.output_path.empty()) {
    file = open_result(options.output_path, "run");
    file->world(world->description, models::forkommune::world_tables(*world));
    output::ScenarioInfo info = scenario_info(scenario);
    info.warnings = model->warnings();
    info.warnings_nb = model->warnings_nb();
    writer = &file->scenario(info, model->layout().schema, model->steps());
  } else if (options.events) {
    throw ScenarioError("--events needs --output FILE.h5 (the event log goes into the result file)");
  }
  output::RunSummary summary(model->layout().schema, model->steps(), 12);
  std::vector<std::string> fired;
  Progress progress(err, static_cast<std::size_t>(params.run.replicates), !options.quiet);
  std::size_t done = 0;
  models::forkommune::ResultOptions keep;
  keep.tables = writer != nullptr;
  keep.events = writer != nullptr && options.events;
  // SIGINT, SIGTERM and SIGHUP stop the run after the replicates in flight; the result file's
  // temporary is then removed as `file` goes out of scope, and main exits 128 + the signal.
  const StopSignals signals;
  models::forkommune::run_ensemble(
      *model, static_cast<sim::Replicate>(params.run.replicates), threads,
      [&](models::forkommune::ProgrammeResult&& r) {
        summary.add_replicate(r.series);
        if (writer != nullptr) writer->add_replicate(r.replicate, r.series, r.tables, r.fired_rules);
        if (r.replicate == 0) fired = r.fired_rules;
        progress.update(++done);
      },
      &StopSignals::flag(), keep);
  if (StopSignals::stopped()) throw Stopped{StopSignals::signal()};

  timer.phase("write");
  const std::vector<double> group_owners = owners_per_group(*world, model->layout().group_names.size());
  std::uint32_t researchers = 0;
  for (const auto a : world->researcher_active) researchers += a;
  fmt::print(out, "innosim {} · scenario {} ({})\n", version(), scenario.name, scenario.source);
  if (!scenario.description.empty()) fmt::print(out, "\n  {}\n", scenario.description);
  fmt::print(out, "\n");
  const output::Facts facts = {
      {"built from", fmt::format("{}", fmt::join(scenario.chain, " <- "))},
      {"world",
       fmt::format("{}; {} owners ({} municipalities, {} county municipalities), {} researchers in {} "
                   "institutions, {} regional councils",
                   world->description, world->num_owners(), world->num_municipalities,
                   world->num_owners() - world->num_municipalities, researchers, world->num_institutions(),
                   world->num_regions)},
      {"programme", describe_budget(params)},
      {"run", fmt::format("{} replicate{} of {} years, seed {}", params.run.replicates,
                          params.run.replicates == 1 ? "" : "s", params.run.years, params.run.seed)},
  };
  std::vector<std::string> warnings = model->warnings();
  for (auto& w : output::result_warnings(summary)) warnings.push_back(std::move(w));
  output::write_programme_summary(out, facts, summary, model->layout().group_names, group_owners, fired,
                                  params.run.start_year, warnings);
  if (file) {
    file->commit({started, output::host_name(), options.command_line, static_cast<std::int64_t>(threads),
                  progress.seconds()});
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(options.output_path, ec);
    fmt::print(out, "\n  results: {} ({} replicates, {:.1f} MiB; docs/output.md describes it)\n",
               options.output_path, params.run.replicates, static_cast<double>(bytes) / (1024.0 * 1024.0));
  }
  fmt::print(err, "  ({:.2f} s on {} thread{}; peak memory {})\n", progress.seconds(), threads,
             threads == 1 ? "" : "s", format_bytes(peak_memory_bytes()));
  return kExitOk;
}

int run_command(const RunOptions& options, std::ostream& out, std::ostream& err) {
  PhaseTimer timer(options.timing, err, "load");
  const int status = [&] {
    if (options.scenario_path.empty()) {
      return run_programme(load_programme_scenario(std::string("baseline")), options, out, err, timer);
    }
    std::error_code ec;
    if (!std::filesystem::exists(options.scenario_path, ec) &&
        embedded_file("scenarios/forkommune/" + options.scenario_path + ".yaml")) {
      return run_programme(load_programme_scenario(options.scenario_path), options, out, err, timer);
    }
    ConfigDocument doc = load_yaml_file(options.scenario_path);
    if (is_classic_scenario(doc)) {
      ClassicScenario scenario = load_classic_scenario(std::move(doc));
      return run_classic(std::move(scenario), options, out, err, timer);
    }
    return run_programme(
        load_programme_scenario(doc, std::filesystem::path(options.scenario_path).parent_path().string()),
        options, out, err, timer);
  }();
  timer.finish();
  return status;
}

namespace {

// A scenario named on the command line: a file, or the name of a scenario built into innosim.
std::variant<ClassicScenario, ProgrammeScenario> load_any(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec) && embedded_file("scenarios/forkommune/" + path + ".yaml")) {
    return load_programme_scenario(path);
  }
  ConfigDocument doc = load_yaml_file(path);
  if (is_classic_scenario(doc)) {
    ClassicScenario scenario = load_classic_scenario(std::move(doc));
    // Open what a run would open: the edge list (its lines checked), and the seed ids against it.
    if (const auto* file = std::get_if<models::EdgeListFileParams>(&scenario.spec.graph)) {
      try {
        const models::EdgeListGraph graph = models::load_edge_list_graph(*file);
        scenario.spec.seeding.validate(graph.layer->num_nodes());
      } catch (const sim::ParamError& e) {
        rethrow_located(e, scenario);
      }
    }
    return scenario;
  }
  ProgrammeScenario scenario =
      load_programme_scenario(doc, std::filesystem::path(path).parent_path().string());
  // Check the data files it names too (malformed data is a scenario error).
  const auto data = load_world_data(scenario.params, scenario.directory);
  try {
    models::forkommune::check_national_developers(data, scenario.params);
  } catch (const sim::ParamError& e) {
    rethrow_located(e, scenario);
  }
  return scenario;
}

}  // namespace

int scenario_check_command(const std::vector<std::string>& paths, const ScenarioCheckOptions& options,
                           std::ostream& out, std::ostream& err) {
  int status = kExitOk;
  // The memory is estimated as `run` would use it: all cores (or --threads), the limit of
  // --max-memory or the default (a login node checking a run meant for a larger node gives the
  // node's size).
  const unsigned cores = static_cast<unsigned>(std::max(1, tbb::info::default_concurrency()));
  const unsigned threads = options.threads == 0 ? cores : options.threads;
  const MemoryLimit limit = memory_limit(options.max_memory);
  for (const auto& path : paths) {
    try {
      const auto scenario = load_any(path);
      if (const auto* c = std::get_if<ClassicScenario>(&scenario)) {
        const sim::MemoryEstimate memory = estimate_memory(c->spec, threads);
        try {
          check_memory(memory, limit);
        } catch (const sim::ParamError& e) {
          rethrow_located(e, *c);
        }
        fmt::print(out, "{}: ok ({} on {}, {} replicates of {} steps; {})\n", path,
                   models::model_type_name(c->spec.model), models::graph_type_name(c->spec.graph),
                   c->spec.replicates, c->spec.steps, describe_estimate(memory, threads));
      } else {
        const auto& p = std::get<ProgrammeScenario>(scenario);
        const sim::MemoryEstimate memory =
            models::forkommune::estimate_memory(p.params, size_world(p), threads);
        try {
          check_memory(memory, limit);
        } catch (const sim::ParamError& e) {
          memory_refusal(e, p);
        }
        fmt::print(out, "{}: ok (programme scenario {}, {} replicates of {} years; {})\n", path,
                   fmt::join(p.chain, " <- "), p.params.run.replicates, p.params.run.years,
                   describe_estimate(memory, threads));
      }
    } catch (const sim::Error& e) {
      fmt::print(err, "{}\n", e.what());
      status = kExitBadInput;
    }
  }
  return status;
}

int scenario_show_command(const std::string& path, bool resolved, std::ostream& out, std::ostream& /*err*/) {
  const auto scenario = load_any(path);
  if (const auto* c = std::get_if<ClassicScenario>(&scenario)) {
    if (resolved) {
      out << resolved_yaml(c->spec);
    } else {
      out << c->document.text;
      if (!c->document.text.empty() && c->document.text.back() != '\n') out << '\n';
    }
    return kExitOk;
  }
  const auto& p = std::get<ProgrammeScenario>(scenario);
  if (resolved) {
    out << resolved_yaml(p);
    return kExitOk;
  }
  const std::string source = p.chain.front();  // the file itself, not its bases
  if (source.starts_with("(embedded) ")) {
    out << embedded_file(source.substr(11)).value_or("");
  } else {
    out << load_yaml_file(source).text;
  }
  return kExitOk;
}

int scenario_list_command(std::ostream& out) {
  for (const EmbeddedFile& f : embedded_files()) {
    if (!f.path.starts_with("scenarios/forkommune/")) continue;
    const ProgrammeScenario s =
        load_programme_scenario(parse_yaml(std::string(f.text), "(embedded) " + std::string(f.path)), ".");
    std::string first = s.description.substr(0, s.description.find_first_of(".:"));
    if (first.size() > 100) first = first.substr(0, 97) + "...";
    fmt::print(out, "  {:<26} {}\n", s.name, first);
  }
  return kExitOk;
}

int scenario_parameters_command(std::ostream& out) {
  out << parameters_markdown();
  return kExitOk;
}

int calibration_command(std::uint64_t replicates, unsigned threads, bool decomposition,
                        const std::vector<std::string>& overrides, std::ostream& out, std::ostream& err) {
  if (replicates < 2 || replicates > 100000)
    throw ScenarioError(fmt::format("--replicates {} must be in [2, 100000]", replicates));
  if (decomposition) {
    fmt::print(err, "innosim: the diffusion decomposition, {} replicates per step\n", replicates);
    fmt::print(out, "{}",
               decomposition_table(diffusion_decomposition(replicates, threads, 15, overrides), replicates));
    return kExitOk;
  }
  std::vector<CallSeries> calls;
  const auto results = evaluate_calibration(
      replicates, threads,
      [&](const std::string& name) {
        fmt::print(err, "innosim: running {} ({} replicates)\n", name, replicates);
      },
      overrides, &calls);
  fmt::print(out, "{}", calibration_table(results, calls));
  const bool all =
      std::all_of(results.begin(), results.end(), [](const TargetResult& r) { return r.inside(); });
  return all ? kExitOk : kExitFailure;
}

ComparisonJob::ComparisonJob(ComparisonRequest request) : scenarios_(std::move(request.scenarios)) {
  // 1. The scenarios: programme scenarios with distinct names.
  if (scenarios_.empty()) throw ScenarioError("compare needs at least one scenario");
  for (std::size_t k = 0; k < scenarios_.size(); ++k) {
    for (std::size_t j = 0; j < k; ++j) {
      if (scenarios_[j].name == scenarios_[k].name) {
        throw ScenarioError(fmt::format("{} and {} are both named '{}'; rename one of the files",
                                        scenarios_[j].source, scenarios_[k].source, scenarios_[k].name));
      }
    }
    names_.push_back(scenarios_[k].name);
  }
  if (!request.reference.empty()) {
    const auto it = std::find(names_.begin(), names_.end(), request.reference);
    if (it == names_.end()) {
      throw ScenarioError(fmt::format("--reference {}: not among the compared scenarios ({})",
                                      request.reference, fmt::join(names_, ", ")));
    }
    reference_ = static_cast<std::size_t>(it - names_.begin());
  } else if (const auto it = std::find(names_.begin(), names_.end(), "baseline"); it != names_.end()) {
    reference_ = static_cast<std::size_t>(it - names_.begin());
  }
  if (const auto it = std::find(names_.begin(), names_.end(), "no-programme"); it != names_.end()) {
    counterfactual_ = static_cast<std::size_t>(it - names_.begin());
  }

  // 2. One seed, one number of replicates and one horizon for all: replicate r of every
  // scenario draws from the same streams (seed, r, ...).
  const auto ref_run = scenarios_[reference_].params.run;
  seed_ = request.seed.value_or(ref_run.seed);
  replicates_ = request.replicates.value_or(static_cast<std::uint64_t>(ref_run.replicates));
  if (replicates_ < 2 || replicates_ > std::uint64_t{sim::kMaxReplicate} + 1) {
    throw ScenarioError(fmt::format("--replicates {} must be in [2, {}] (intervals need two replicates)",
                                    replicates_, std::uint64_t{sim::kMaxReplicate} + 1));
  }
  if (request.years && (*request.years < 1 || *request.years > 200)) {
    throw ScenarioError(fmt::format("--years {} must be in [1, 200]", *request.years));
  }
  for (auto& s : scenarios_) {
    auto& run = s.params.run;
    if (!request.years && (run.years != ref_run.years || run.warmup_years != ref_run.warmup_years)) {
      throw ScenarioError(
          fmt::format("{} runs {} years after a {}-year warm-up but the reference {} runs {} after {}; a "
                      "paired comparison "
                      "needs one horizon (set --years, or run.years and run.warmup_years in the files)",
                      s.source, run.years, run.warmup_years, scenarios_[reference_].name, ref_run.years,
                      ref_run.warmup_years));
    }
  }
  years_ = request.years ? static_cast<std::int64_t>(*request.years) : ref_run.years;
  for (auto& s : scenarios_) {
    s.params.run.seed = seed_;
    s.params.run.replicates = static_cast<std::int64_t>(replicates_);
    s.params.run.years = years_;
    try {
      models::forkommune::validate(s.params);
    } catch (const sim::ParamError& e) {
      rethrow_located(e, s);
    }
  }
  const unsigned cores = static_cast<unsigned>(std::max(1, tbb::info::default_concurrency()));
  threads_ = request.threads == 0 ? cores : request.threads;

  // 3. The memory of all scenarios at once, then worlds and models; the indicators must be the
  // same for all.
  std::vector<sim::MemoryEstimate> estimates;
  for (const auto& s : scenarios_) {
    estimates.push_back(models::forkommune::estimate_memory(s.params, size_world(s), threads_));
  }
  const sim::MemoryEstimate combined = combined_estimate(estimates, names_);
  try {
    check_memory(combined, memory_limit(request.max_memory));
  } catch (const sim::ParamError& e) {
    // Point at the scenario whose part is largest (its parts are named "name, ...").
    const std::string& what = combined.largest().what;
    for (const auto& s : scenarios_) {
      if (what.starts_with(s.name + ", ")) memory_refusal(e, s);
    }
    memory_refusal(e, scenarios_[reference_]);
  }
  for (auto& s : scenarios_) {
    try {
      worlds_.push_back(std::make_shared<const models::forkommune::World>(
          models::forkommune::build_world(load_world_data(s.params, s.directory), s.params)));
      models_.push_back(std::make_unique<models::forkommune::ProgrammeModel>(worlds_.back(), s.params));
    } catch (const sim::ParamError& e) {
      rethrow_located(e, s);
    }
  }
  const sim::IndicatorSchema& reference_schema = schema();
  for (std::size_t k = 0; k < models_.size(); ++k) {
    const auto& other = models_[k]->layout().schema;
    bool same =
        other.size() == reference_schema.size() && models_[k]->steps() == models_[reference_]->steps();
    for (std::size_t i = 0; same && i < reference_schema.size(); ++i)
      same = other[i].name == reference_schema[i].name;
    if (!same) {
      throw ScenarioError(
          fmt::format("{} and {} do not record the same indicators (different worlds?); only "
                      "scenarios on the same world can be compared",
                      scenarios_[k].source, scenarios_[reference_].source));
    }
  }
  // The posterior: replicate r of every scenario runs with the parameter set drawn for r. Every
  // particle is checked against every scenario before anything runs.
  levers_.resize(scenarios_.size());
  if (!request.posterior.empty()) {
    posterior_ = load_posterior(request.posterior);
    for (std::size_t k = 0; k < scenarios_.size(); ++k) {
      for (std::size_t j = 0; j < posterior_->size(); ++j) {
        models::forkommune::Params params = scenarios_[k].params;
        try {
          levers_[k] = apply_particle(*posterior_, j, params);
        } catch (const sim::ParamError& e) {
          throw ScenarioError(fmt::format("--posterior {}: particle {} is not valid for scenario {}: {}",
                                          request.posterior, j, scenarios_[k].name, e.what()));
        }
      }
    }
  }
  // Replicates kept between comparisons: a scenario's are named by its resolved parameters
  // (seed and years included), on the built-in worlds only, and not with a posterior.
  cache_ = posterior_ ? nullptr : request.cache;
  for (const auto& s : scenarios_) {
    const auto& w = s.params.world;
    const bool built_in =
        w.municipalities_csv.empty() && w.counties_csv.empty() && w.institutions_csv.empty();
    cache_keys_.push_back(cache_ != nullptr && built_in ? resolved_yaml(s) : std::string());
  }
}

namespace {

std::size_t result_bytes(const models::forkommune::ProgrammeResult& r) {
  std::size_t bytes = sizeof r + r.series.size() * sizeof(double);
  for (const auto& rule : r.fired_rules) bytes += sizeof(std::string) + rule.size();
  for (const sim::Table& t : r.tables) {
    for (const sim::Column& c : t.columns) {
      bytes += sizeof c + c.name.size() + c.unit.size() + c.description.size();
      std::visit(
          [&](const auto& v) {
            using T = typename std::decay_t<decltype(v)>::value_type;
            bytes += v.size() * sizeof(T);
            if constexpr (std::is_same_v<T, std::string>) {
              for (const auto& text : v) bytes += text.size();
            }
          },
          c.values);
    }
  }
  return bytes;
}

}  // namespace

std::optional<models::forkommune::ProgrammeResult> ReplicateCache::find(const std::string& key,
                                                                        sim::Replicate r) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find({key, r});
  if (it == entries_.end()) return std::nullopt;
  ages_.splice(ages_.begin(), ages_, it->second.age);
  ++hits_;
  return it->second.result;
}

void ReplicateCache::store(const std::string& key, sim::Replicate r,
                           const models::forkommune::ProgrammeResult& result) {
  const std::size_t bytes = result_bytes(result) + key.size();
  std::lock_guard lock(mutex_);
  if (bytes > max_bytes_ || entries_.contains({key, r})) return;
  while (bytes_ + bytes > max_bytes_) {
    const auto oldest = entries_.find(ages_.back());
    bytes_ -= oldest->second.bytes;
    entries_.erase(oldest);
    ages_.pop_back();
  }
  ages_.emplace_front(key, r);
  entries_.emplace(Key{key, r}, Entry{result, bytes, ages_.begin()});
  bytes_ += bytes;
}

std::size_t ReplicateCache::bytes() const {
  std::lock_guard lock(mutex_);
  return bytes_;
}

std::uint64_t ReplicateCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

output::ComparisonSetup ComparisonJob::setup(output::Language lang) const {
  output::ComparisonSetup setup;
  setup.scenarios = names_;
  setup.reference = reference_;
  setup.counterfactual = counterfactual_;
  setup.metrics = programme_metrics(lang);
  setup.municipalities = world().num_municipalities;
  const auto& group_names = models_[reference_]->layout().group_names;
  const std::vector<double> group_owners = owners_per_group(world(), group_names.size());
  constexpr auto kClassGroups = static_cast<std::size_t>(models::forkommune::kNumCentralityClasses) +
                                static_cast<std::size_t>(models::forkommune::kNumSizeClasses);
  for (std::size_t g = 0; g < kClassGroups; ++g) {
    setup.groups.push_back(group_names[g]);
    setup.group_sizes.push_back(group_owners[g]);
  }
  return setup;
}

bool ComparisonJob::run(bool tables, const std::function<void(Replicate&&)>& fold,
                        const std::atomic<bool>* cancel) const {
  sim::run_ensemble<Replicate>(
      0, static_cast<sim::Replicate>(replicates_), threads_,
      [&](sim::Replicate r) {
        Replicate b{r, {}};
        const std::size_t particle = posterior_ ? posterior_->draw(seed_, r) : 0;
        for (std::size_t k = 0; k < models_.size(); ++k) {
          const bool kept = cache_ != nullptr && !cache_keys_[k].empty();
          const std::string key = kept ? cache_keys_[k] + (tables ? "tables\n" : "series\n") : std::string();
          if (kept) {
            if (auto found = cache_->find(key, r)) {
              b.results.push_back(std::move(*found));
              continue;
            }
          }
          // With a posterior, this replicate's parameter set in every scenario (a model is cheap
          // to make; the world is shared).
          std::unique_ptr<models::forkommune::ProgrammeModel> drawn;
          if (posterior_) {
            models::forkommune::Params params = models_[k]->params();
            apply_particle(*posterior_, particle, params);
            drawn = std::make_unique<models::forkommune::ProgrammeModel>(worlds_[k], params);
          }
          const models::forkommune::ProgrammeModel* model = drawn ? drawn.get() : models_[k].get();
          auto process = model->make_replicate(r);
          sim::SeriesRecorder recorder;
          sim::Observer* observers[] = {&recorder};
          sim::run_process(*process, {seed_, r, model->steps()}, observers);
          models::forkommune::ProgrammeResult result{
              r, std::move(recorder).take(), process->state().fired_rules, {}};
          if (tables) result.tables = models::forkommune::replicate_tables(*process);
          if (kept) cache_->store(key, r, result);
          b.results.push_back(std::move(result));
        }
        return b;
      },
      [&](sim::Replicate, Replicate&& b) { fold(std::move(b)); }, cancel);
  return cancel == nullptr || !cancel->load();
}

int compare_command(const CompareOptions& options, std::ostream& out, std::ostream& err) {
  PhaseTimer timer(options.timing, err, "load");
  ComparisonRequest request;
  for (const auto& path : options.scenarios) {
    auto loaded = load_any(path);
    if (!std::holds_alternative<ProgrammeScenario>(loaded)) {
      throw ScenarioError(fmt::format("{}: compare is for programme scenarios; this is a classic one", path));
    }
    request.scenarios.push_back(std::move(std::get<ProgrammeScenario>(loaded)));
  }
  request.reference = options.reference;
  request.replicates = options.replicates;
  request.seed = options.seed;
  request.years = options.years;
  request.threads = options.threads;
  request.max_memory = options.max_memory;
  request.posterior = options.posterior;
  request.cache = options.cache;
  const unsigned cores = static_cast<unsigned>(std::max(1, tbb::info::default_concurrency()));
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                            options.threads == 0 ? cores : options.threads);
  timer.phase("build");
  const ComparisonJob job(std::move(request));
  const auto& scenarios = job.scenarios();
  const auto& names = job.names();
  const std::size_t reference = job.reference();
  const std::optional<std::size_t> counterfactual = job.counterfactual();
  const std::uint64_t seed = job.seed(), replicates = job.replicates();
  const std::int64_t years = job.years();
  const unsigned threads = job.threads();
  const auto& posterior = job.posterior();
  const auto& levers = job.levers();
  const sim::IndicatorSchema& schema = job.schema();
  const models::forkommune::World& world = job.world();
  output::Comparison comparison(job.setup(), schema);

  // 4. The result file, opened before the long part. A report is drawn from a result file: a
  // temporary one beside the report when no --output is given.
  const std::string started = output::utc_now();
  std::unique_ptr<output::ResultFile> file;
  std::vector<output::ScenarioWriter*> writers;
  std::string result_path = options.output_path;
  bool temporary_result = false;
  if (result_path.empty() && !options.report_path.empty()) {
    result_path = options.report_path + fmt::format(".results-{}.h5", ::getpid());
    temporary_result = true;
  }
  if (!options.report_path.empty()) {
    // Refuse an unwritable report path now, not after the runs.
    const auto dir = std::filesystem::absolute(options.report_path).parent_path();
    if (std::error_code ec; !std::filesystem::is_directory(dir, ec) || ::access(dir.c_str(), W_OK) != 0) {
      throw ScenarioError(fmt::format("--report {}: the directory {} does not exist or cannot be written",
                                      options.report_path, dir.string()));
    }
  }
  if (!result_path.empty()) {
    file = open_result(result_path, "compare");
    file->world(world.description, models::forkommune::world_tables(world));
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
      output::ScenarioInfo info = scenario_info(scenarios[k]);
      info.warnings = job.model(k).warnings();
      info.warnings_nb = job.model(k).warnings_nb();
      writers.push_back(&file->scenario(info, job.model(k).layout().schema, job.model(k).steps()));
    }
  } else if (options.tables) {
    throw ScenarioError("--tables needs the HDF5 file (drop --no-output)");
  }

  timer.phase("run");
  // 5. Run replicate by replicate: every scenario's replicate r together, so that the paired
  // differences are folded as replicates finish and nothing is kept per replicate.
  const std::size_t width = schema.size();
  const sim::Step steps = job.model(reference).steps();
  std::vector<std::vector<double>> totals(scenarios.size(), std::vector<double>(width));
  std::vector<double> yearly(static_cast<std::size_t>(steps / 12) * width);
  Progress progress(err, static_cast<std::size_t>(replicates), !options.quiet);
  std::size_t done = 0;
  // As in run: stop, clean up, exit 128 + the signal. A caller that cancels (innosim serve)
  // handles the signals itself: a second StopSignals would reset its flag.
  std::optional<StopSignals> signals;
  if (options.cancel == nullptr) signals.emplace();
  job.run(
      options.tables,
      [&](ComparisonJob::Replicate&& b) {
        for (std::size_t k = 0; k < b.results.size(); ++k) {
          output::fold_series(schema, b.results[k].series, steps, 12, yearly, totals[k]);
          if (!writers.empty()) {
            writers[k]->add_replicate(b.replicate, b.results[k].series, b.results[k].tables,
                                      b.results[k].fired_rules);
          }
        }
        comparison.add_replicate(totals);
        progress.update(++done);
        if (options.on_replicate) options.on_replicate(comparison, done);
      },
      options.cancel != nullptr ? options.cancel : &StopSignals::flag());
  if (options.cancel != nullptr && options.cancel->load()) throw sim::Cancelled();
  timer.phase("write");
  if (StopSignals::stopped()) throw Stopped{StopSignals::signal()};

  // 6. Report.
  const output::Language lang = options.lang;
  using output::tr;
  using output::trf;
  fmt::print(
      out, trf(lang, "innosim {} · compare {} scenarios\n\n", "innosim {} · sammenligner {} scenarioer\n\n"),
      version(), scenarios.size());
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    // The first sentence (or the whole text when it is one sentence), in bokmål when there is one.
    const std::string& text = lang == output::Language::kBokmal && !scenarios[k].description_nb.empty()
                                  ? scenarios[k].description_nb
                                  : scenarios[k].description;
    const auto stop = text.find(". ");
    std::string first = stop == std::string::npos ? text : text.substr(0, stop + 1);
    if (first.size() > 110) first = first.substr(0, 107) + "...";
    const char* role = k == reference ? tr(lang, " (reference)", " (referanse)")
                       : (counterfactual && k == *counterfactual)
                           ? tr(lang, " (counterfactual)", " (kontrafaktisk)")
                           : "";
    fmt::print(out, "  {:<24} {}{}\n", scenarios[k].name, first, role);
  }
  fmt::print(
      out,
      trf(lang,
          "\n  {} replicates of {} years per scenario, seed {}: replicate r of every scenario uses the same "
          "random streams\n  (common random numbers), so differences come from the designs, not from "
          "chance.\n",
          "\n  {} kjøringer à {} år per scenario, startverdi (seed) {}: kjøring r i hvert scenario bruker de "
          "samme "
          "tilfeldige tallene\n  (felles tilfeldige tall), så forskjellene kommer fra utformingen, ikke "
          "fra tilfeldigheter.\n"),
      replicates, years, seed);
  if (posterior) {
    std::string keys;
    for (const auto& key : posterior->keys) keys += (keys.empty() ? "" : ", ") + key;
    fmt::print(
        out,
        trf(lang,
            "  Parameter uncertainty: replicate r draws one parameter set from {},\n  the same for every "
            "scenario, so the intervals include what the calibration leaves uncertain\n  about {}.\n",
            "  Parameterusikkerhet: kjøring r trekker ett parametersett fra {},\n  det samme for alle "
            "scenarioene, så intervallene omfatter usikkerheten som gjenstår etter kalibreringen\n  om "
            "{}.\n"),
        posterior->description, keys);
    for (std::size_t k = 0; k < scenarios.size(); ++k) {
      for (const auto& key : levers[k])
        fmt::print(out,
                   trf(lang, "  ({} sets {} itself: the posterior does not replace it there.)\n",
                       "  ({} setter {} selv: posterioren erstatter den ikke der.)\n"),
                   scenarios[k].name, key);
    }
  }
  std::vector<std::string> labels;
  for (const auto& m : programme_metrics(lang)) labels.push_back(m.label);
  comparison.write(out, lang, &labels);
  // What money could not buy, per scenario: the scenario's own warnings and lapsed money.
  bool warned = false;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    std::vector<std::string> warnings =
        lang == output::Language::kBokmal ? job.model(k).warnings_nb() : job.model(k).warnings();
    const double lapsed = comparison.total_mean(k, "money_lapsed_mnok");
    if (lapsed > 0.005) {
      warnings.push_back(fmt::format(
          trf(lang, "{} MNOK of its budget lapsed uncommitted (mean over replicates).",
              "{} mill. kr av budsjettet falt bort uten å bli bevilget (gjennomsnitt over kjøringer)."),
          lang == output::Language::kEnglish ? fmt::format("{:.1f}", lapsed)
                                             : output::format_number(lapsed, 1, lang)));
    }
    for (const auto& w : warnings) {
      if (!warned) fmt::print(out, "\n  {}\n", tr(lang, "Warnings:", "Advarsler:"));
      warned = true;
      fmt::print(out, "    ! {}: {}\n", scenarios[k].name, w);
    }
  }
  if (file) {
    file->tables("comparison", "Paired comparison of the scenarios against the reference.",
                 comparison.tables(),
                 {{"reference", names[reference]},
                  {"counterfactual", counterfactual ? names[*counterfactual] : ""},
                  {"seed", std::to_string(seed)},
                  {"replicates", std::to_string(replicates)},
                  {"years", std::to_string(years)},
                  {"posterior", posterior ? posterior->description : ""}});
    file->commit({started, output::host_name(), options.command_line, static_cast<std::int64_t>(threads),
                  progress.seconds()});
    if (!options.report_path.empty()) {
      write_report_file(result_path, options.report_path, lang);
      fmt::print(out,
                 trf(lang, "\n  report: {} (open it in a browser; it works offline)\n",
                     "\n  rapport: {} (åpne den i en nettleser; den virker uten nett)\n"),
                 options.report_path);
    }
    std::error_code ec;
    if (temporary_result) {
      std::filesystem::remove(result_path, ec);
    } else {
      const auto bytes = std::filesystem::file_size(result_path, ec);
      fmt::print(out,
                 trf(lang, "\n  results: {} ({:.1f} MiB; docs/output.md describes it)\n",
                     "\n  resultater: {} ({:.1f} MiB; docs/output.md beskriver filen)\n"),
                 result_path, static_cast<double>(bytes) / (1024.0 * 1024.0));
    }
  }
  fmt::print(err, "  ({:.2f} s on {} thread{}; peak memory {})\n", progress.seconds(), threads,
             threads == 1 ? "" : "s", format_bytes(peak_memory_bytes()));
  timer.finish();
  return kExitOk;
}

int report_command(const std::string& result, const std::string& html, std::ostream& out,
                   output::Language lang) {
  if (html.empty()) throw ScenarioError("report needs -o FILE.html");
  try {
    write_report_file(result, html, lang);
  } catch (const output::h5::H5Error& e) {
    throw ScenarioError(e.what());
  }
  fmt::print(out, "report: {} (from {}; open it in a browser, it works offline)\n", html, result);
  return kExitOk;
}

int export_command(const std::string& result, const std::string& dir, bool decimal_comma, std::ostream& out) {
  std::vector<std::filesystem::path> files;
  try {
    files = export_csv(result, dir, decimal_comma);
  } catch (const output::h5::H5Error& e) {
    throw ScenarioError(e.what());
  }
  fmt::print(out, "exported {} tables of {} to {}:\n", files.size(), result, dir);
  for (const auto& f : files) fmt::print(out, "  {}\n", f.string());
  return kExitOk;
}

}  // namespace innosim::tools
