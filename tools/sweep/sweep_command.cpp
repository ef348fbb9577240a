// innosim sweep / merge / slurm / analyse.
//
// A sweep (or one shard of it) runs in five steps:
//   1. load and check the sweep file, every point's parameters included;
//   2. if the output already holds this sweep's results, there is nothing to do;
//   3. take the output's lock and open its journal, which says which runs are done;
//   4. run the missing runs on all threads, appending each result to the journal in run order
//      of the pending list; SIGINT / SIGTERM stop handing out runs and abandon those running;
//   5. when every run is in the journal, write the result file from it in run order (through a
//      temporary, renamed into place), then remove the journal and the lock.
#include "tools/sweep/sweep_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <tbb/global_control.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <numeric>
#include <ostream>
#include <set>
#include <sstream>

#include "models/forkommune/memory.hpp"
#include "models/forkommune/model.hpp"
#include "output/run_summary.hpp"
#include "output/summary.hpp"
#include "output/sweep_result.hpp"
#include "sim/ensemble.hpp"
#include "sim/sensitivity.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/progress.hpp"
#include "tools/cli/stop_signals.hpp"
#include "tools/cli/timing.hpp"
#include "tools/data/world_data.hpp"
#include "tools/scenario/memory_limit.hpp"
#include "tools/sweep/journal.hpp"
#include "tools/sweep/mpi.hpp"
#include "tools/sweep/sweep_spec.hpp"
#include "tools/version.hpp"

namespace innosim::tools {

namespace fk = models::forkommune;

namespace {

std::string build_id() {
  return fmt::format("{} {}", version(), git_revision());
}

std::string param_text(const fk::ParamSpec& spec, fk::Params& params) {
  return std::visit(
      [](auto* v) -> std::string {
        using T = std::remove_pointer_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::vector<double>>) {
          return fmt::format("[{}]", fmt::join(*v, ","));
        } else if constexpr (std::is_same_v<T, double>) {
          return fmt::format("{:a}", *v);
        } else {
          return fmt::format("{}", *v);
        }
      },
      spec.slot(params));
}

// Everything build_world reads (fk::shapes_world) and the seed.
std::string world_key(fk::Params params) {
  std::string key = fmt::format("seed={}", params.run.seed);
  for (const fk::ParamSpec& s : fk::parameter_specs()) {
    if (fk::shapes_world(s.key)) {
      key += fmt::format(";{}={}", s.key, param_text(s, params));
    }
  }
  return key;
}

// Worlds by world_key, built once each; models by point, for the point being run.
class ModelCache {
 public:
  explicit ModelCache(const SweepSpec& spec) : spec_(spec) {}

  // The model of a run: its point's, with its replicate's posterior particle if there is one.
  std::shared_ptr<const fk::ProgrammeModel> model(std::uint64_t run) {
    const auto point = static_cast<std::size_t>(run / spec_.replicates);
    const std::pair<std::size_t, std::size_t> key_of_run{
        point, spec_.posterior ? spec_.particles[static_cast<std::size_t>(run % spec_.replicates)] : 0};
    std::unique_lock lock(mutex_);
    if (auto it = models_.find(key_of_run); it != models_.end()) return it->second;
    lock.unlock();
    fk::Params params = spec_.run_params(run);
    const std::string key = world_key(params);
    std::shared_ptr<const fk::World> world;
    {
      std::lock_guard guard(mutex_);
      if (auto it = worlds_.find(key); it != worlds_.end()) world = it->second;
    }
    if (!world) {
      world = std::make_shared<const fk::World>(
          fk::build_world(load_world_data(params, spec_.base.directory), params));
      std::lock_guard guard(mutex_);
      if (worlds_.size() > 8) {
        // Models hold their worlds: let go of both, so that at most 9 worlds are cached (the
        // memory estimate counts on it; runs in flight keep theirs until they finish).
        worlds_.clear();
        models_.clear();
      }
      worlds_.emplace(key, world);
    }
    auto model = std::make_shared<const fk::ProgrammeModel>(world, params);
    lock.lock();
    // Points are run in order: a few recent ones are enough.
    if (models_.size() > 64) models_.erase(models_.begin());
    models_.emplace(key_of_run, model);
    return model;
  }

 private:
  const SweepSpec& spec_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const fk::World>> worlds_;
  std::map<std::pair<std::size_t, std::size_t>, std::shared_ptr<const fk::ProgrammeModel>> models_;
};

output::SweepInfo sweep_info(const SweepSpec& spec, const Shard& shard) {
  output::SweepInfo info;
  info.fingerprint = spec.fingerprint;
  info.description = spec.description;
  // The sweep file's absolute path, not the path as typed: a one-process sweep and the merge of
  // its Slurm parts (started from other directories) then write the same file.
  {
    std::error_code ec;
    const auto canonical = std::filesystem::weakly_canonical(spec.source, ec);
    info.source = ec ? spec.source : canonical.string();
  }
  info.text = spec.text;
  info.design = design_name(spec.design);
  info.keep = keep_name(spec.keep);
  info.random_numbers = spec.independent ? "independent" : "common";
  info.replicates = spec.replicates;
  info.seed = spec.seed;
  if (spec.posterior) {
    info.posterior = fmt::format("{}: {}", spec.posterior_source, spec.posterior->description);
    info.posterior_keys = spec.posterior->keys;
    const std::size_t d = spec.posterior->keys.size();
    for (const std::size_t j : spec.particles) {
      info.posterior_particle.push_back(static_cast<std::int64_t>(j));
      for (std::size_t k = 0; k < d; ++k) info.posterior_theta.push_back(spec.posterior->theta[j * d + k]);
    }
  }
  info.points = spec.points();
  info.years = spec.base.params.run.years;
  info.warmup_years = spec.base.params.run.warmup_years;
  info.steps = spec.steps();
  info.per_year = 12;
  info.shard_index = shard.index;
  info.shard_count = shard.count;
  info.base_files = scenario_files(spec.base);
  info.base_resolved = resolved_yaml(spec.base);
  sim::Table t{"factors", "The parameters the sweep varies, in column order of unit and values.", {}};
  auto& key = t.add<std::string>("key", "", "Parameter key (docs/parameters.md).");
  auto& dist = t.add<std::string>("distribution", "", "uniform, loguniform, normal or levels.");
  auto& lo = t.add<double>("min", "", "Lower end of the range (NaN for levels).");
  auto& hi = t.add<double>("max", "", "Upper end of the range (NaN for levels).");
  auto& mean = t.add<double>("mean", "", "Mean of a normal factor (NaN otherwise).");
  auto& sd = t.add<double>("sd", "", "Standard deviation of a normal factor (NaN otherwise).");
  auto& levels = t.add<std::string>("levels", "", "The levels, for levels factors.");
  auto& recorded = t.add<std::string>("recorded", "", "What values holds: value, or level index.");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const SweepFactor& f : spec.factors) {
    key.push_back(f.key);
    const bool levels_kind = f.kind == SweepFactor::Kind::kLevels;
    dist.push_back(f.distribution());
    lo.push_back(levels_kind ? nan : f.min);
    hi.push_back(levels_kind ? nan : f.max);
    mean.push_back(f.kind == SweepFactor::Kind::kNormal ? f.mean : nan);
    sd.push_back(f.kind == SweepFactor::Kind::kNormal ? f.sd : nan);
    levels.push_back(levels_kind ? f.describe() : "");
    recorded.push_back(!levels_kind || f.numeric_levels
                           ? (f.spec->type == fk::ParamType::kBoolean ? "value (1 true, 0 false)" : "value")
                           : "level index");
  }
  info.factors = std::move(t);
  info.num_factors = spec.factors.size();
  info.unit = spec.unit.values;
  info.values = spec.values;
  return info;
}

// True when `path` already holds this sweep's (or shard's) complete results.
bool already_complete(const std::string& path, const SweepSpec& spec, const Shard& shard) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return false;
  output::SweepFileHeader h;
  try {
    const output::h5::Reader file(path);
    h = output::read_sweep_header(file);
  } catch (const output::h5::H5Error& e) {
    throw ScenarioError(
        fmt::format("{} exists and is not a sweep result file ({}); choose another --output or remove it",
                    path, e.what()));
  }
  if (h.fingerprint != spec.fingerprint || h.shard_index != shard.index || h.shard_count != shard.count) {
    throw ScenarioError(fmt::format(
        "{} holds the results of another sweep or shard (fingerprint {}, shard {}/{}; this is {}, shard "
        "{}/{}); "
        "choose another --output or remove it",
        path, h.fingerprint, h.shard_index, h.shard_count, spec.fingerprint, shard.index, shard.count));
  }
  return true;
}

}  // namespace

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard s;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("no slash");
    std::size_t used = 0;
    s.index = std::stoull(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("index");
    s.count = std::stoull(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument("count");
  } catch (const std::exception&) {
    throw ScenarioError(fmt::format("--shard '{}': expected INDEX/COUNT such as 3/10", text));
  }
  if (s.count < 1 || s.index >= s.count) {
    throw ScenarioError(fmt::format("--shard {}: the index must be below the count (0-based: 0/{} .. {}/{})",
                                    text, s.count, s.count == 0 ? 0 : s.count - 1, s.count));
  }
  return s;
}

std::optional<Shard> shard_from_environment() {
  const char* id = std::getenv("SLURM_ARRAY_TASK_ID");
  const char* count = std::getenv("SLURM_ARRAY_TASK_COUNT");
  if (id == nullptr || count == nullptr) return std::nullopt;
  const char* min = std::getenv("SLURM_ARRAY_TASK_MIN");
  try {
    const std::uint64_t i = std::stoull(id) - (min != nullptr ? std::stoull(min) : 0);
    return parse_shard(fmt::format("{}/{}", i, std::stoull(count)));
  } catch (const std::exception&) {
    throw ScenarioError(
        fmt::format("SLURM_ARRAY_TASK_ID={} / SLURM_ARRAY_TASK_COUNT={} do not make a shard "
                    "(the array must be 0-based and contiguous, e.g. --array=0-9); give --shard",
                    id, count));
  }
}

std::string part_path(const std::string& output, const Shard& shard) {
  std::filesystem::path p(output);
  const std::string stem = p.stem().string();
  const std::string ext = p.has_extension() ? p.extension().string() : std::string(".h5");
  const int width = std::max(4, static_cast<int>(std::to_string(shard.count).size()));
  p.replace_filename(
      fmt::format("{}.part-{:0{}}-of-{:0{}}{}", stem, shard.index, width, shard.count, width, ext));
  return p.string();
}

namespace {

// The state every process of a sweep shares: the checked sweep, its models and the record layout.
struct SweepJob {
  explicit SweepJob(SweepSpec s) : spec(std::move(s)), cache(spec) {
    const auto model = cache.model(0);  // run 0's
    schema = model->layout().schema;
    width = schema.size();
    years = static_cast<std::size_t>(spec.steps() / 12);
    values = output::record_values(keep_name(spec.keep), width, spec.steps(), 12);
  }
  SweepSpec spec;
  ModelCache cache;
  sim::IndicatorSchema schema;
  std::size_t width = 0, years = 0, values = 0;
};

// The sweep's memory at its peak, before any world is built: the largest estimate over the
// points this process runs, with `threads` of the sweep's runs in flight, plus the worlds the
// model cache can hold beside the largest point's (up to 8 cached and one per run in flight,
// never more than the distinct worlds among the points). Points are estimated one by one only
// when a factor changes what the estimate reads (world, researchers and run keys, the rate of
// own innovations); data worlds are read once.
struct SweepMemory {
  sim::MemoryEstimate estimate;
  std::size_t point = 0;
};

bool is_world_key(const std::string& key) {
  return key.starts_with("world.") || key.starts_with("owners.") || key.starts_with("researchers.");
}

bool changes_memory(const std::string& key) {
  return key.starts_with("world.") || key.starts_with("researchers.") || key.starts_with("run.") ||
         key == "innovation.own_rate_per_year" || key == "innovation.own_population_exponent" ||
         key == "innovation.initial_innovations";
}

SweepMemory sweep_memory(const SweepSpec& spec, const std::vector<std::uint64_t>& runs, unsigned threads) {
  if (runs.empty()) return {};
  const std::size_t k = spec.factors.size();
  std::vector<char> used(spec.points(), 0);
  for (const std::uint64_t r : runs) used[static_cast<std::size_t>(r / spec.replicates)] = 1;
  bool per_point = false;
  std::vector<std::size_t> world_factors;
  for (std::size_t i = 0; i < k; ++i) {
    per_point = per_point || changes_memory(spec.factors[i].key);
    if (is_world_key(spec.factors[i].key)) world_factors.push_back(i);
  }
  // Data worlds (the files a point names) read once, with their rd distances.
  struct Data {
    fk::WorldData data;
    fk::RdDistances distances;
  };
  std::map<std::string, Data> data;
  std::set<std::vector<double>> worlds;
  SweepMemory largest;
  double world_largest = 0;
  std::vector<double> world_parts;
  for (std::size_t p = 0; p < spec.points(); ++p) {
    if (!used[p]) continue;
    std::vector<double> world_values;
    world_values.reserve(world_factors.size());
    for (const std::size_t i : world_factors) world_values.push_back(spec.values[p * k + i]);
    const bool new_world = worlds.insert(world_values).second;
    if (!per_point && !largest.estimate.parts.empty()) continue;
    fk::Params params = spec.point_params(p);
    // With a posterior, each calibrated parameter that changes the estimate at its largest
    // among the particles drawn (the most own innovations, the most memory).
    if (spec.posterior) {
      const std::size_t d = spec.posterior->keys.size();
      for (std::size_t c = 0; c < d; ++c) {
        const std::string& key = spec.posterior->keys[c];
        if (!changes_memory(key) || spec.is_factor(key)) continue;
        double most = -std::numeric_limits<double>::infinity();
        for (const std::size_t j : spec.particles) most = std::max(most, spec.posterior->theta[j * d + c]);
        *std::get<double*>(fk::find_parameter(key)->slot(params)) = most;
      }
    }
    // A sweep keeps `threads` runs in flight whatever the replicates per point.
    params.run.replicates = static_cast<std::int64_t>(std::min<std::uint64_t>(runs.size(), 1U << 30));
    fk::WorldSize size;
    try {
      if (params.world.source == "synthetic") {
        size = fk::world_size(params);
      } else {
        const std::string files = params.world.municipalities_csv + "\n" + params.world.counties_csv + "\n" +
                                  params.world.institutions_csv;
        auto it = data.find(files);
        if (it == data.end()) {
          fk::WorldData d = load_world_data(params, spec.base.directory);
          fk::RdDistances distances = fk::rd_distances(d);
          it = data.emplace(files, Data{std::move(d), std::move(distances)}).first;
        }
        size = fk::world_size(it->second.data, params, &it->second.distances);
      }
    } catch (const sim::ParamError& e) {
      throw ScenarioError(fmt::format("{}: point {}: {}", spec.source, p, e.what()));
    }
    sim::MemoryEstimate e = fk::estimate_memory(params, size, threads);
    double world = 0;
    for (const auto& part : e.parts) world += part.scope == sim::MemoryScope::kWorld ? part.bytes : 0.0;
    if (new_world) world_parts.push_back(world);
    if (largest.estimate.parts.empty() || e.total() > largest.estimate.total()) {
      largest = {std::move(e), p};
      world_largest = world;
    }
  }
  // Other worlds held at once: the largest of them, as many as the cache and the runs in flight
  // can hold. (Without per-point estimates, every world is taken at the first point's size.)
  const std::size_t others = std::min<std::size_t>(worlds.size() - 1, 8 + 2 * std::size_t{threads});
  if (others > 0) {
    std::vector<double> sizes = world_parts;
    if (!per_point) sizes.assign(others + 1, world_largest);
    std::sort(sizes.rbegin(), sizes.rend());
    // Leave out the largest point's own world once.
    if (auto it = std::find(sizes.begin(), sizes.end(), world_largest); it != sizes.end()) sizes.erase(it);
    sizes.resize(std::min(sizes.size(), others));
    largest.estimate.parts.push_back({fmt::format("{} other worlds of the points held at once", sizes.size()),
                                      std::accumulate(sizes.begin(), sizes.end(), 0.0), "",
                                      sim::MemoryScope::kWorld});
  }
  return largest;
}

// One run: the point's model, replicate `run mod replicates`, folded into its record.
RunRecord run_one(SweepJob& job, std::uint64_t run) {
  const SweepSpec& spec = job.spec;
  const auto model = job.cache.model(run);
  const auto replicate = static_cast<sim::Replicate>(run % spec.replicates);
  if (model->layout().schema.size() != job.width) {
    throw ScenarioError(
        fmt::format("{}: point {} changes the number of indicators (the world's counties); a "
                    "sweep's points must share one world layout",
                    spec.source, run / spec.replicates));
  }
  auto process = model->make_replicate(replicate);
  sim::SeriesRecorder recorder;
  sim::Observer* observers[] = {&recorder};
  sim::RunInfo info{model->params().run.seed, replicate, model->steps()};
  info.cancel = &StopSignals::flag();
  sim::run_process(*process, info, observers);
  const std::vector<double> series = std::move(recorder).take();
  RunRecord rec;
  rec.run = run;
  rec.values.resize(job.values);
  std::vector<double> yearly(job.years * job.width);
  output::fold_series(model->layout().schema, series, spec.steps(), 12, yearly,
                      std::span<double>(rec.values.data(), job.width));
  const auto at = static_cast<std::ptrdiff_t>(job.width);
  if (spec.keep != KeepLevel::kTotals) std::copy(yearly.begin(), yearly.end(), rec.values.begin() + at);
  if (spec.keep == KeepLevel::kSeries) {
    std::copy(series.begin(), series.end(),
              rec.values.begin() + at + static_cast<std::ptrdiff_t>(yearly.size()));
  }
  rec.fired_rules = process->state().fired_rules;
  return rec;
}

// Runs `runs` on this process's threads, passing records to `consume` in the order of `runs`.
// Returns false when stopped by a signal.
bool run_local(SweepJob& job, std::span<const std::uint64_t> runs, unsigned threads,
               const std::function<void(RunRecord&&)>& consume) {
  try {
    sim::run_ensemble<RunRecord>(
        0, static_cast<sim::Replicate>(runs.size()), std::max<std::size_t>(2, 2 * std::size_t{threads}),
        [&](sim::Replicate k) { return run_one(job, runs[k]); },
        [&](sim::Replicate, RunRecord&& rec) { consume(std::move(rec)); }, &StopSignals::flag());
  } catch (const sim::Cancelled&) {
    return false;
  }
  return !StopSignals::stopped();
}

}  // namespace

int sweep_command(const SweepOptions& options, std::ostream& out, std::ostream& err) {
  // Under mpirun every rank runs this; rank 0 drives and the others only run.
  std::unique_ptr<mpi::Session> session;
  if (mpi::launched()) session = std::make_unique<mpi::Session>();
  const bool worker = session && session->rank() > 0;
  std::ostringstream silent;
  std::ostream& report = worker ? silent : out;
  PhaseTimer timer(options.timing && !worker, err, "load");

  // 1. The sweep, every point checked, and its memory before any world is built.
  const unsigned threads = mpi::threads_per_rank(session.get(), options.threads);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  SweepSpec loaded = load_sweep(options.sweep_path, build_id());
  Shard shard;
  if (options.shard) {
    shard = *options.shard;
  } else if (const auto env = shard_from_environment()) {
    shard = *env;
  }
  // The memory this process's part needs, checked by the process that drives it (rank 0 for
  // all ranks: each process on a node gets an equal share of the node's limit) before any world
  // is built. Under MPI the verdict goes to every rank with the fingerprint.
  SweepMemory memory;
  std::string refusal;
  if (!worker) {
    std::vector<std::uint64_t> part;
    for (std::uint64_t r = shard.index; r < loaded.runs(); r += shard.count) part.push_back(r);
    memory = sweep_memory(loaded, part, threads);
    MemoryLimit allowed = memory_limit(options.max_memory);
    if (session && session->local_size() > 1 && allowed.bytes > 0) {
      allowed.bytes /= session->local_size();
      allowed.how += fmt::format(", shared by the {} processes on this node", session->local_size());
    }
    try {
      if (!memory.estimate.parts.empty()) check_memory(memory.estimate, allowed);
    } catch (const sim::ParamError& e) {
      refusal = fmt::format("{}: point {}: {}", loaded.source, memory.point, e.what());
      if (!session) throw ScenarioError(refusal);
    }
  }
  if (session) {
    std::string fingerprint = loaded.fingerprint;
    session->broadcast(fingerprint);
    if (fingerprint != loaded.fingerprint) {
      throw sim::Error(
          fmt::format("rank {} reads {} as sweep {}, rank 0 as {}: every rank must see the same "
                      "sweep file, base scenario and innosim build",
                      session->rank(), options.sweep_path, loaded.fingerprint, fingerprint));
    }
    std::string verdict = refusal.empty() ? "ok" : "refused";
    session->broadcast(verdict);
    if (verdict != "ok") {
      if (!worker) throw ScenarioError(refusal);
      return kExitBadInput;
    }
  }
  timer.phase("build");
  SweepJob job(std::move(loaded));
  const SweepSpec& spec = job.spec;
  if (worker) {
    std::string go;
    session->broadcast(go);
    if (go != "go") return go == "done" ? kExitOk : kExitFailure;
    StopSignals signals;
    mpi::work(
        *session,
        [&](std::span<const std::uint64_t> runs) {
          std::vector<RunRecord> records;
          if (!run_local(job, runs, threads, [&](RunRecord&& r) { records.push_back(std::move(r)); })) {
            throw sim::Cancelled();
          }
          return records;
        },
        StopSignals::flag());
    return kExitOk;
  }

  const bool sharded = shard.count > 1;
  const std::string output = sharded ? part_path(options.output_path, shard) : options.output_path;
  const std::uint64_t runs = spec.runs();
  std::vector<std::uint64_t> mine;
  for (std::uint64_t r = shard.index; r < runs; r += shard.count) mine.push_back(r);
  fmt::print(report, "innosim {} · sweep {} ({})\n", version(), spec.source, spec.fingerprint);
  if (!spec.description.empty()) fmt::print(report, "\n  {}\n", spec.description);
  fmt::print(report, "\n  base {}; {} design, {} points x {} replicates = {} runs; keep {}\n", spec.base.name,
             design_name(spec.design), spec.points(), spec.replicates, runs, keep_name(spec.keep));
  for (const SweepFactor& f : spec.factors) fmt::print(report, "  factor {}: {}\n", f.key, f.describe());
  if (spec.posterior) {
    std::vector<std::string> drawn;
    for (const auto& key : spec.posterior->keys) {
      const bool factor = spec.is_factor(key);
      drawn.push_back(factor ? key + " (a factor: not drawn)" : key);
    }
    fmt::print(report,
               "  posterior {}: {}\n    replicate r of every point draws {} from it (the same draw at every "
               "point)\n",
               spec.posterior_source, spec.posterior->description, fmt::join(drawn, ", "));
  }
  if (sharded)
    fmt::print(report, "  shard {}/{}: {} runs into {}\n", shard.index, shard.count, mine.size(), output);
  if (session) {
    fmt::print(report, "  MPI: {} ranks ({} running, {} thread{} each)\n", session->size(),
               session->size() - 1, threads, threads == 1 ? "" : "s");
  }

  if (options.dry_run) {
    const std::size_t k = spec.factors.size();
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> head = {"point"};
    for (const SweepFactor& f : spec.factors) head.push_back(f.key);
    rows.push_back(head);
    const std::size_t shown = std::min<std::size_t>(spec.points(), 12);
    for (std::size_t p = 0; p < shown; ++p) {
      std::vector<std::string> row = {std::to_string(p)};
      for (std::size_t i = 0; i < k; ++i) row.push_back(fmt::format("{:.6g}", spec.values[p * k + i]));
      rows.push_back(row);
    }
    fmt::print(report, "\n  the first {} of {} points (booleans as 1/0, other levels by index):\n", shown,
               spec.points());
    output::write_columns(report, rows);
    if (!memory.estimate.parts.empty()) {
      fmt::print(report, "\n  memory: {} (point {}, the largest)\n",
                 describe_estimate(memory.estimate, threads), memory.point);
    }
    fmt::print(report, "\n  dry run: nothing was run or written.\n");
    if (session) {
      std::string done = "done";
      session->broadcast(done);
    }
    return kExitOk;
  }

  // 2. Already done? 3. Lock and journal. (Rank 0 tells the workers whether there is work.)
  const std::string journal_path = output + ".journal";
  std::error_code ec;
  std::unique_ptr<LockFile> lock;
  std::unique_ptr<Journal> journal;
  std::vector<std::uint64_t> pending;
  std::uint64_t already = 0;
  try {
    if (already_complete(output, spec, shard)) {
      std::filesystem::remove(journal_path, ec);
      fmt::print(report, "\n  {} is complete: nothing to do.\n", output);
      if (session) {
        std::string done = "done";
        session->broadcast(done);
      }
      return kExitOk;
    }
    const std::filesystem::path parent = std::filesystem::path(output).parent_path();
    if (!parent.empty() && !std::filesystem::is_directory(parent, ec)) {
      throw ScenarioError(
          fmt::format("--output {}: the directory {} does not exist", output, parent.string()));
    }
    lock = std::make_unique<LockFile>(output + ".lock");
    journal = std::make_unique<Journal>(
        journal_path, JournalHeader{spec.fingerprint, shard.index, shard.count, job.values});
  } catch (...) {
    if (session) {
      std::string fail = "fail";
      session->broadcast(fail);
    }
    throw;
  }
  if (session) {
    std::string go = "go";
    session->broadcast(go);
  }
  std::vector<bool> done(runs, false);
  for (const std::uint64_t r : journal->done()) {
    if (r < runs && r % shard.count == shard.index && !done[r]) {
      done[r] = true;
      ++already;
    }
  }
  if (journal->torn_bytes() > 0) {
    fmt::print(err, "  (cut off {} bytes of an interrupted journal record; that run is done again)\n",
               journal->torn_bytes());
  }
  for (const std::uint64_t r : mine) {
    if (!done[r]) pending.push_back(r);
  }
  if (already > 0) fmt::print(report, "  resuming: {} of {} runs already done\n", already, mine.size());

  // 4. Run what is missing.
  timer.phase("run");
  StopSignals signals;
  Progress progress(err, mine.size(), !options.quiet, "run", already, 30.0);
  std::uint64_t finished = already;
  // What the sweep adds to the runs themselves, timed for the benchmark (docs/performance.md).
  double journal_seconds = 0;
  const auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };
  const auto record = [&](RunRecord&& rec) {
    const auto t = std::chrono::steady_clock::now();
    journal->append(rec);
    journal_seconds += seconds_since(t);
    progress.update(++finished);
  };
  const bool complete =
      session ? mpi::drive(*session, pending, std::max<std::size_t>(1, 2 * std::size_t{threads}), record,
                           StopSignals::flag())
              : run_local(job, pending, threads, record);
  {
    const auto t = std::chrono::steady_clock::now();
    journal->sync();
    journal_seconds += seconds_since(t);
  }
  progress.clear();
  if (!complete) {
    const int sig = StopSignals::signal();
    const int code = sig == 0 ? kExitInterrupted : stop_exit_code(sig);
    fmt::print(err,
               "innosim: stopped by {} after {} of {} runs; they are kept in {}.\n"
               "  Run the same command again to continue.\n",
               sig == SIGTERM  ? "SIGTERM"
               : sig == SIGINT ? "SIGINT"
               : sig == SIGHUP ? "SIGHUP"
                               : "a stop on another rank",
               finished, mine.size(), journal_path);
    if (session) {
      journal.reset();
      lock.reset();
      session->abort(code);
    }
    return code;
  }

  // 5. The result file, from the journal in run order.
  timer.phase("write");
  const std::string started = output::utc_now();
  const auto writing = std::chrono::steady_clock::now();
  {
    output::SweepWriter writer(output, result_provenance("sweep"), sweep_info(spec, shard), job.schema);
    for (const std::uint64_t r : mine) {
      const RunRecord rec = journal->read(r);
      writer.add_run(r, rec.values, rec.fired_rules);
    }
    writer.commit({started, output::host_name(), options.command_line,
                   static_cast<std::int64_t>(threads) * (session ? session->size() - 1 : 1),
                   progress.seconds()});
  }
  journal.reset();
  std::filesystem::remove(journal_path, ec);
  const double writing_seconds = seconds_since(writing);
  const auto bytes = std::filesystem::file_size(output, ec);
  fmt::print(report, "\n  results: {} ({} runs, {:.1f} MiB; docs/sweeps.md describes it)\n", output,
             mine.size(), static_cast<double>(bytes) / (1024.0 * 1024.0));
  fmt::print(err, "  ({:.2f} s on {} thread{}{}; journal {:.3f} s, result file {:.3f} s; peak memory {})\n",
             progress.seconds(), threads, threads == 1 ? "" : "s",
             session ? fmt::format(" x {} ranks", session->size() - 1) : "", journal_seconds, writing_seconds,
             format_bytes(peak_memory_bytes()));
  timer.finish();
  return kExitOk;
}

}  // namespace innosim::tools

namespace innosim::tools {

int merge_command(const std::vector<std::string>& parts, const std::string& output, std::ostream& out,
                  std::ostream& err, const std::string& command_line) {
  const auto clock = std::chrono::steady_clock::now();
  std::vector<std::unique_ptr<output::SweepRunReader>> readers;
  for (const std::string& p : parts) {
    try {
      readers.push_back(std::make_unique<output::SweepRunReader>(p));
    } catch (const output::h5::H5Error& e) {
      throw ScenarioError(fmt::format("{}: cannot be merged: {}", p, e.what()));
    }
  }
  const output::SweepFileHeader& h0 = readers.front()->header();
  const std::uint64_t n = h0.shard_count;
  // A part's header is checked before it sizes anything: a damaged count must not allocate.
  constexpr std::uint64_t kMaxShards = 1'000'000;
  for (std::size_t i = 0; i < readers.size(); ++i) {
    const output::SweepFileHeader& h = readers[i]->header();
    if (h.shard_count == 0 || h.shard_count > kMaxShards || h.shard_index >= h.shard_count) {
      throw ScenarioError(fmt::format("{}: says it is part {} of {} (at most {} parts); the file is damaged",
                                      parts[i], h.shard_index, h.shard_count, kMaxShards));
    }
  }
  std::vector<const output::SweepRunReader*> by_index(n, nullptr);
  for (std::size_t i = 0; i < readers.size(); ++i) {
    const output::SweepFileHeader& h = readers[i]->header();
    if (h.kind != "sweep-part") {
      throw ScenarioError(
          fmt::format("{} is a whole sweep's result, not a part; there is nothing to merge", parts[i]));
    }
    if (h.fingerprint != h0.fingerprint || h.shard_count != n) {
      throw ScenarioError(fmt::format(
          "{} is part {}/{} of sweep {}, but {} is part {}/{} of sweep {}: parts of different sweeps (or of "
          "one sweep split differently) cannot be merged",
          parts[i], h.shard_index, h.shard_count, h.fingerprint, parts[0], h0.shard_index, n,
          h0.fingerprint));
    }
    if (by_index[h.shard_index] != nullptr) {
      throw ScenarioError(fmt::format("part {}/{} is given twice ({})", h.shard_index, n, parts[i]));
    }
    by_index[h.shard_index] = readers[i].get();
  }
  std::vector<std::string> missing;
  std::uint64_t absent = 0;
  for (std::uint64_t i = 0; i < n; ++i) {
    if (by_index[i] != nullptr) continue;
    if (++absent <= 20) missing.push_back(std::to_string(i));
  }
  if (absent > 20) missing.push_back(fmt::format("and {} more", absent - 20));
  if (!missing.empty()) {
    throw ScenarioError(
        fmt::format("{} missing: {} of 0-{} (a part appears only when its shard has "
                    "finished; run the missing shards: innosim sweep ... --shard I/{})",
                    missing.size() == 1 ? "a part is" : "parts are", fmt::join(missing, ", "), n - 1, n));
  }
  output::SweepInfo info = output::read_sweep_info(by_index[0]->file());
  const sim::IndicatorSchema schema = output::read_indicator_schema(by_index[0]->file());
  for (std::uint64_t i = 0; i < n; ++i) {
    const output::SweepFileHeader& h = by_index[i]->header();
    info.shard_index = i;
    if (h.runs_in_file != info.shard_runs() || by_index[i]->runs().size() != info.shard_runs()) {
      throw ScenarioError(fmt::format("part {}/{} holds {} of its {} runs; it is not complete", i, n,
                                      by_index[i]->runs().size(), info.shard_runs()));
    }
  }
  info.shard_index = 0;
  info.shard_count = 1;
  LockFile lock(output + ".lock");
  std::error_code ec;
  if (std::filesystem::exists(output, ec)) {
    throw ScenarioError(fmt::format("{} exists; remove it or choose another --output", output));
  }
  output::SweepWriter writer(output, result_provenance("sweep"), info, schema);
  std::vector<double> values;
  std::vector<std::string> rules;
  for (std::uint64_t r = 0; r < info.runs(); ++r) {
    const output::SweepRunReader& part = *by_index[r % n];
    const std::size_t k = r / n;
    if (part.runs()[k] != static_cast<std::int64_t>(r)) {
      throw ScenarioError(
          fmt::format("part {}/{} has run {} where run {} belongs", r % n, n, part.runs()[k], r));
    }
    part.read(k, values, rules);
    writer.add_run(r, values, rules);
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock).count();
  writer.commit({output::utc_now(), output::host_name(), command_line, 1, seconds});
  fmt::print(out, "merged {} parts of sweep {} ({} runs) into {}\n", n, info.fingerprint, info.runs(),
             output);
  fmt::print(err, "  ({:.2f} s)\n", seconds);
  return kExitOk;
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (const char c : s) {
    if (c == '\'') {
      q += "'\\''";
    } else {
      q += c;
    }
  }
  return q + "'";
}

namespace {

std::string self_path() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("innosim") : p.string();
}

// The seconds of a time limit valid_slurm_time accepted.
std::uint64_t slurm_seconds(const std::string& text) {
  std::uint64_t days = 0;
  std::string_view t = text;
  if (const auto dash = t.find('-'); dash != std::string_view::npos) {
    days = std::stoull(std::string(t.substr(0, dash)));
    t.remove_prefix(dash + 1);
  }
  const auto part = [&](std::size_t at) { return std::stoull(std::string(t.substr(at, 2))); };
  return ((days * 24 + part(0)) * 60 + part(3)) * 60 + part(6);
}

}  // namespace

// "HH:MM:SS" or "D-HH:MM:SS" (hours below 24 after a day count), minutes and seconds below 60.
bool valid_slurm_time(const std::string& text) {
  std::string_view t = text;
  const auto number = [](std::string_view s, unsigned long most) {
    unsigned long v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return !s.empty() && s.size() <= 4 && ec == std::errc() && end == s.data() + s.size() && v <= most;
  };
  bool days = false;
  if (const auto dash = t.find('-'); dash != std::string_view::npos) {
    if (!number(t.substr(0, dash), 365)) return false;
    t.remove_prefix(dash + 1);
    days = true;
  }
  if (t.size() != 8 || t[2] != ':' || t[5] != ':') return false;
  return number(t.substr(0, 2), days ? 23 : 99) && number(t.substr(3, 2), 59) && number(t.substr(6, 2), 59) &&
         text != "00:00:00";
}

SlurmScript slurm_script_parts(const SlurmOptions& o) {
  if (!valid_slurm_time(o.time)) {
    throw ScenarioError(
        fmt::format("--time {}: expected HH:MM:SS or D-HH:MM:SS with minutes and seconds below 60, "
                    "e.g. 02:00:00 or 1-12:00:00",
                    o.time));
  }
  if (std::uint64_t{o.warn_seconds} * 2 > slurm_seconds(o.time)) {
    throw ScenarioError(
        fmt::format("--warn {} s is more than half of --time {}: the task would save and requeue "
                    "before doing much; give a longer --time or a shorter --warn",
                    o.warn_seconds, o.time));
  }
  // Everything the user adds goes in as given, one line each; a line break would end the
  // #SBATCH line or the shell line early.
  for (const auto* list : {&o.sbatch, &o.setup}) {
    for (const std::string& line : *list) {
      if (line.find_first_of("\n\r") != std::string::npos)
        throw ScenarioError(fmt::format("--sbatch/--setup '{}': one line each, without line breaks", line));
    }
  }
  SlurmScript script;
  script.innosim = o.innosim.empty() ? self_path() : o.innosim;
  auto directive = [&](const std::string& option, const std::string& value) {
    if (!value.empty()) script.directives += fmt::format("#SBATCH --{}={}\n", option, value);
  };
  directive("partition", o.partition);
  directive("account", o.account);
  directive("qos", o.qos);
  directive("mem", o.mem);
  for (const std::string& line : o.sbatch) {
    script.directives += "#SBATCH " + (line.starts_with("-") ? line : "--" + line) + "\n";
  }
  for (const std::string& line : o.setup) script.setup += line + "\n";
  return script;
}

std::string slurm_sbatch_lines(const SlurmOptions& o, const SlurmScript& script, const std::string& stem,
                               const std::string& array, const std::string& log) {
  return fmt::format(
      "#SBATCH --job-name=innosim-{}\n{}#SBATCH --time={}\n#SBATCH --cpus-per-task={}\n#SBATCH --ntasks=1\n"
      "#SBATCH --requeue\n#SBATCH --signal=B:USR1@{}\n#SBATCH --open-mode=append\n#SBATCH --output={}\n{}",
      stem, array.empty() ? std::string() : fmt::format("#SBATCH --array={}\n", array), o.time, o.cpus,
      o.warn_seconds, log, script.directives);
}

std::string slurm_absolute(const std::string& path) {
  std::error_code ec;
  const auto a = std::filesystem::absolute(path, ec);
  return ec ? path : a.string();
}

std::string slurm_task_body(const std::string& command) {
  return fmt::format(R"({command} &
child=$!
near_limit=0
# USR1: the time limit is near. TERM or INT: preemption or scancel. Either way innosim is told
# to stop, and saves its work; only the time limit requeues from here.
trap 'near_limit=1; kill -TERM "$child" 2>/dev/null' USR1
trap 'kill -TERM "$child" 2>/dev/null' TERM INT
wait "$child"
status=$?
# After a trapped signal, wait returns early: wait again for innosim's own exit status.
while kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
task="${{SLURM_ARRAY_JOB_ID}}_${{SLURM_ARRAY_TASK_ID}}"
if [ "$status" -eq 143 ] || [ "$status" -eq 130 ] || [ "$status" -eq 129 ]; then
  if [ "$near_limit" -eq 1 ]; then
    echo "innosim saved its work before the time limit (exit $status); requeueing $task to resume"
    scontrol requeue "$task" || true
    exit 0
  fi
  echo "innosim stopped (exit $status) and saved its work; $task was cancelled and is not requeued"
fi
exit "$status"
)",
                     fmt::arg("command", command));
}

int slurm_command(const SlurmOptions& o, std::ostream& out, std::ostream& err) {
  // Check the sweep now rather than on the cluster.
  const SweepSpec spec = load_sweep(o.sweep_path, build_id());
  if (o.tasks > spec.runs()) {
    fmt::print(err,
               "innosim: warning: --tasks {} for {} runs: {} tasks will have no run to do (and still queue); "
               "--tasks {} is enough\n",
               o.tasks, spec.runs(), o.tasks - spec.runs(), spec.runs());
  }
  const SlurmScript parts = slurm_script_parts(o);
  const std::string sweep = slurm_absolute(o.sweep_path), output = slurm_absolute(o.output_path);
  const std::string stem = std::filesystem::path(o.output_path).stem().string();
  fmt::print(
      out, R"(#!/bin/bash
# A Slurm array job for the innosim sweep {sweep}
# ({runs} runs in {tasks} parts; fingerprint {fp}). Written by `innosim slurm`.
#
#   sbatch THIS-FILE                           # submit; each array task runs one part
#   squeue --me                                # watch
#   {innosim} merge {merge_glob} -o {output}
#                                              # when every task has finished
#
# Each task writes {part_pattern}. Its finished runs are kept in the part's journal, so a task
# that stops for any reason continues where it stopped when it runs again; results are identical
# to `innosim sweep` in one process, however often tasks were interrupted.
#   - Time limit: Slurm sends USR1 {warn} s before it (--signal below); the task saves its work and
#     requeues itself, and continues when it starts again.
#   - Preemption: on a cluster that preempts by requeueing (PreemptMode=REQUEUE) Slurm sends
#     SIGTERM, the task saves its work, and Slurm requeues it.
#   - scancel JOBID_TASK: final. The task saves its work and ends; it is not requeued. Submit this
#     script again (or run `innosim sweep ... --shard TASK/{tasks}`) to continue.
{sbatch}set -u
{setup}{body})",
      fmt::arg("sweep", sweep), fmt::arg("runs", spec.runs()), fmt::arg("tasks", o.tasks),
      fmt::arg("fp", spec.fingerprint), fmt::arg("stem", stem), fmt::arg("innosim", parts.innosim),
      fmt::arg("merge_glob",
               part_path(output, Shard{0, o.tasks})
                   .replace(part_path(output, Shard{0, o.tasks}).find(".part-") + 6,
                            std::to_string(o.tasks).size() < 4 ? 4 : std::to_string(o.tasks).size(), "*")),
      fmt::arg("output", output),
      fmt::arg("part_pattern", part_path(output, Shard{0, o.tasks}) + " (part 0; one per task)"),
      fmt::arg("last", o.tasks - 1), fmt::arg("time", o.time), fmt::arg("cpus", o.cpus),
      fmt::arg("log", output + ".slurm-%A_%a.log"), fmt::arg("warn", o.warn_seconds),
      fmt::arg("sbatch", slurm_sbatch_lines(o, parts, stem, fmt::format("0-{}", o.tasks - 1),
                                            output + ".slurm-%A_%a.log")),
      fmt::arg("setup", parts.setup),
      fmt::arg("body",
               slurm_task_body(fmt::format(
                   "{} sweep {} --output {} --shard \"${{SLURM_ARRAY_TASK_ID}}/{}\" \\\n  --threads "
                   "\"${{SLURM_CPUS_PER_TASK:-{}}}\"",
                   shell_quote(parts.innosim), shell_quote(sweep), shell_quote(output), o.tasks, o.cpus))));
  return kExitOk;
}

int analyse_command(const AnalyseOptions& o, std::ostream& out, std::ostream& err) {
  sim::Table table{o.method == "sobol" ? "sobol" : "morris", "", {}};
  std::string design;
  std::uint64_t replicates = 0;
  std::vector<std::string> factor_keys;
  std::vector<std::string> outputs = o.outputs;
  {
    output::h5::Reader file(o.result_path);
    output::SweepFileHeader h;
    try {
      h = output::read_sweep_header(file);
    } catch (const output::h5::H5Error& e) {
      throw ScenarioError(e.what());
    }
    if (h.kind != "sweep") {
      throw ScenarioError(
          fmt::format("{} is one part of a sweep; merge the parts first (innosim merge)", o.result_path));
    }
    design = file.text_attribute("/sweep", "design");
    const std::string wanted = o.method == "sobol" ? "saltelli" : "morris";
    if (design != wanted) {
      throw ScenarioError(fmt::format("{} has a {} design; {} indices need a sweep with design type {}",
                                      o.result_path, design, o.method, wanted));
    }
    replicates = static_cast<std::uint64_t>(file.number_attribute("/sweep", "replicates"));
    factor_keys = file.texts("/sweep/factors/key");
    const sim::IndicatorSchema schema = output::read_indicator_schema(file);
    if (outputs.empty()) {
      outputs = {"adoptions", "spread_adoptions", "research_using_share", "innovations_created",
                 "money_committed_mnok"};
    }
    std::vector<hsize_t> dims;
    const std::vector<double> mean = file.numbers("/points/mean", &dims);
    const std::vector<double> sd = file.numbers("/points/sd");
    std::vector<double> unit = file.numbers("/sweep/unit");
    if (dims.size() != 2 || sd.size() != mean.size() || dims[1] != schema.size() ||
        unit.size() != dims[0] * factor_keys.size()) {
      throw ScenarioError(
          fmt::format("{}: /points/mean, /points/sd, /sweep/unit and the indicators do not agree in "
                      "size; the file is damaged",
                      o.result_path));
    }
    const std::size_t points = dims[0], width = dims[1], k = factor_keys.size();
    auto& col_output = table.add<std::string>("output", "", "Indicator (its total over the run).");
    auto& col_factor = table.add<std::string>("factor", "", "Parameter.");
    std::vector<std::vector<double>*> cols;
    const std::vector<std::pair<const char*, const char*>> names =
        o.method == "sobol"
            ? std::vector<std::pair<const char*,
                                    const char*>>{{"first", "First-order index S_i (Saltelli 2010)."},
                                                  {"first_low", "Lower end of S_i's bootstrap interval."},
                                                  {"first_high", "Upper end of S_i's bootstrap interval."},
                                                  {"first_se", "Bootstrap standard error of S_i."},
                                                  {"total", "Total index ST_i (Jansen 1999)."},
                                                  {"total_low", "Lower end of ST_i's bootstrap interval."},
                                                  {"total_high", "Upper end of ST_i's bootstrap interval."},
                                                  {"total_se", "Bootstrap standard error of ST_i."}}
            : std::vector<std::pair<const char*, const char*>>{
                  {"mu_star", "Mean absolute elementary effect, per whole range of the factor."},
                  {"mu_star_low", "Lower end of mu*'s bootstrap interval."},
                  {"mu_star_high", "Upper end of mu*'s bootstrap interval."},
                  {"mu", "Mean elementary effect."},
                  {"sigma", "Standard deviation of the elementary effects."}};
    cols.reserve(names.size());
    for (const auto& [name, about] : names) cols.push_back(&table.add<double>(name, "", about));
    const double level_pct = 100 * o.level;
    for (const std::string& name : outputs) {
      const auto index = schema.find(name);
      if (!index) {
        throw ScenarioError(
            fmt::format("--output-indicator {}: no such indicator in {}", name, o.result_path));
      }
      std::vector<double> y(points);
      sim::RunningStats noise;
      for (std::size_t p = 0; p < points; ++p) {
        y[p] = mean[p * width + *index];
        if (!std::isfinite(y[p])) {
          throw ScenarioError(
              fmt::format("{}: point {} has a mean of {} = {}; indices need finite values (a damaged "
                          "file, or an indicator that is not defined at that point)",
                          o.result_path, p, name, y[p]));
        }
        noise.add(sd[p * width + *index] * sd[p * width + *index] / static_cast<double>(replicates));
      }
      fmt::print(out, "\n{} ({} of {}, {} points x {} replicates; {:g} % bootstrap intervals)\n", name,
                 o.method == "sobol" ? "Sobol indices" : "Morris elementary effects", o.result_path, points,
                 replicates, level_pct);
      std::vector<std::vector<std::string>> rows;
      if (o.method == "sobol") {
        const sim::SobolIndices idx = sim::sobol_indices(y, k, o.bootstrap, o.level, 1);
        rows.push_back({"factor", "first order S", "interval", "total ST", "interval"});
        for (std::size_t i = 0; i < k; ++i) {
          const auto& s = idx.first[i];
          const auto& t = idx.total[i];
          rows.push_back({factor_keys[i], fmt::format("{:.3f}", s.value),
                          fmt::format("{:.3f} – {:.3f}", s.low, s.high), fmt::format("{:.3f}", t.value),
                          fmt::format("{:.3f} – {:.3f}", t.low, t.high)});
          col_output.push_back(name);
          col_factor.push_back(factor_keys[i]);
          const double v[] = {s.value, s.low, s.high, s.se, t.value, t.low, t.high, t.se};
          for (std::size_t c = 0; c < cols.size(); ++c) cols[c]->push_back(v[c]);
        }
        output::write_columns(out, rows);
        const double share = idx.variance > 0 ? noise.mean() / idx.variance : 0.0;
        fmt::print(out, "  variance of the point means {:.4g}; replicate noise is {:.1f} % of it{}\n",
                   idx.variance, 100 * share,
                   share > 0.1 ? " (more replicates would sharpen the indices)" : "");
      } else {
        sim::Design d;
        d.factors = k;
        d.values = unit;
        const sim::MorrisEffects e = sim::morris_effects(d, y, o.bootstrap, o.level, 1);
        rows.push_back({"factor", "mu*", "interval", "mu", "sigma"});
        std::vector<std::size_t> order(k);
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
          return e.mu_star[a].value > e.mu_star[b].value;
        });
        for (const std::size_t i : order) {
          rows.push_back({factor_keys[i], fmt::format("{:.4g}", e.mu_star[i].value),
                          fmt::format("{:.4g} – {:.4g}", e.mu_star[i].low, e.mu_star[i].high),
                          fmt::format("{:.4g}", e.mu[i]), fmt::format("{:.4g}", e.sigma[i])});
        }
        for (std::size_t i = 0; i < k; ++i) {
          col_output.push_back(name);
          col_factor.push_back(factor_keys[i]);
          const double v[] = {e.mu_star[i].value, e.mu_star[i].low, e.mu_star[i].high, e.mu[i], e.sigma[i]};
          for (std::size_t c = 0; c < cols.size(); ++c) cols[c]->push_back(v[c]);
        }
        output::write_columns(out, rows);
      }
    }
  }
  if (o.write) {
    table.description =
        o.method == "sobol"
            ? "Sobol indices of each output's point means, with bootstrap percentile intervals."
            : "Morris elementary effects of each output's point means, with bootstrap intervals.";
    output::h5::File file(o.result_path, output::h5::File::Mode::kModify);
    const output::h5::Group a = file.root().group("analysis");
    a.remove(table.name);
    a.write(table);
    const output::h5::Group g = a.group(table.name);
    g.attribute("bootstrap", static_cast<std::int64_t>(o.bootstrap));
    g.attribute("level", o.level);
    file.commit();
    fmt::print(err, "  (stored under /analysis/{} in {})\n", table.name, o.result_path);
  }
  return kExitOk;
}

}  // namespace innosim::tools
