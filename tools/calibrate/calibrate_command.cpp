#include "tools/calibrate/calibrate_command.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <tbb/global_control.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <sstream>
#include <unordered_map>

#include "models/diffusion/classic.hpp"
#include "models/forkommune/model.hpp"
#include "output/hdf5.hpp"
#include "output/result_file.hpp"
#include "sim/abc.hpp"
#include "sim/ensemble.hpp"
#include "sim/process.hpp"
#include "sim/stepper.hpp"
#include "tools/calibrate/targets.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/progress.hpp"
#include "tools/cli/stop_signals.hpp"
#include "tools/sweep/fnv1a.hpp"
#include "tools/sweep/journal.hpp"
#include "tools/sweep/mpi.hpp"
#include "tools/sweep/sweep_command.hpp"
#include "tools/version.hpp"

namespace innosim::tools {

namespace fk = models::forkommune;
namespace abc = sim::abc;
namespace h5 = output::h5;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Generations run by --until-tolerance at most.
constexpr std::uint64_t kMaxGenerations = 100;
// A round proposes at most this many times the particles (a generation takes as many rounds as
// it needs to accept its particles).
constexpr double kMaxRoundFactor = 20;

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// The run number of proposal k of generation g in the journal.
std::uint64_t run_id(std::uint64_t g, std::uint64_t k) {
  return (g << 32) | k;
}

// The seed of the simulations of proposal (g, k): a hash, so that proposals are independent.
std::uint64_t simulation_seed(std::uint64_t seed, std::uint64_t g, std::uint64_t k) {
  return splitmix64(splitmix64(seed ^ 0x63616c6962726174ULL) ^ run_id(g, k));
}

sim::RngStream proposal_stream(std::uint64_t seed, std::uint64_t g, std::uint64_t k) {
  return {seed, static_cast<sim::Replicate>(g), sim::Purpose::kCalibration, 0, static_cast<sim::AgentId>(k)};
}

// One proposal's simulations: the mean over replicates of each target's value, for the
// parameter values x (natural units). NaN for every target when the combination is not valid
// for the model (the prior is then truncated to valid combinations).
std::vector<double> simulate(const CalibrationSpec& spec, std::span<const double> x, std::uint64_t seed) {
  const std::size_t n = spec.targets.size();
  std::vector<double> sum(n, 0.0);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto replicates = static_cast<sim::Replicate>(spec.replicates);
  if (spec.model == CalibratedModel::kClassic) {
    models::ClassicSpec classic;
    try {
      classic = classic_spec(spec, x);
    } catch (const ScenarioError&) {
      return std::vector<double>(n, nan);
    }
    classic.seed = seed;
    const auto& schema = models::classic_indicators();
    for (sim::Replicate r = 0; r < replicates; ++r) {
      const models::ReplicateResult result = models::run_replicate(classic, r, nullptr);
      for (std::size_t t = 0; t < n; ++t)
        sum[t] += read_target(spec.targets[t], schema, result.series, classic.steps, nullptr);
    }
  } else {
    for (std::size_t s = 0; s < spec.programme_scenarios.size(); ++s) {
      fk::Params params;
      try {
        params = programme_params(spec, s, x);
      } catch (const sim::ParamError&) {
        return std::vector<double>(n, nan);
      }
      params.run.seed = seed;
      params.run.replicates = static_cast<std::int64_t>(replicates);
      const fk::ProgrammeModel model(spec.worlds[s], params);
      const auto& schema = model.layout().schema;
      for (sim::Replicate r = 0; r < replicates; ++r) {
        auto process = model.make_replicate(r);
        sim::SeriesRecorder recorder;
        sim::Observer* observers[] = {&recorder};
        sim::RunInfo info{seed, r, model.steps()};
        info.cancel = &StopSignals::flag();
        sim::run_process(*process, info, observers);
        const std::vector<double> series = std::move(recorder).take();
        for (std::size_t t = 0; t < n; ++t) {
          if (spec.targets[t].scenario == s)
            sum[t] += read_target(spec.targets[t], schema, series, model.steps(), &params);
        }
      }
    }
  }
  for (double& v : sum) v /= static_cast<double>(replicates);
  return sum;
}

bool any_nan(const std::vector<double>& v) {
  return std::any_of(v.begin(), v.end(), [](double x) { return std::isnan(x); });
}

// A generation that reached its simulation budget before accepting its particles.
struct Stalled {
  std::uint64_t generation = 0;
  double tolerance = 0;
  std::uint64_t simulations = 0, accepted = 0;
  double acceptance = 0;
};

// --collect found a simulation that no journal holds yet.
struct Incomplete {
  std::uint64_t generation = 0, start = 0, missing = 0;
};

// --shard I/N did its part of a round; other parts still have simulations of it to do.
struct PartDone {
  std::uint64_t generation = 0, start = 0, simulated = 0, others = 0;
};

// The journals of one calibration output: the one this process appends to (OUT.journal, or its
// part's under --shard), and, read as they stand, every other one that worked on the same output
// (the unsharded command's and each Slurm part's, of any part count). A simulation any of them
// holds is not run again, so a calibration may move between one process, MPI and Slurm parts.
class Journals {
 public:
  // own: nullopt for --collect (appends nothing, reads every journal there is).
  Journals(const std::string& output, const std::string& fingerprint, std::size_t values,
           std::optional<Shard> shard, bool append) {
    const std::filesystem::path out(output);
    const std::string own_path = shard ? part_path(output, *shard) + ".journal" : output + ".journal";
    if (append) {
      own_ = std::make_unique<Journal>(
          own_path, JournalHeader{fingerprint, shard ? shard->index : 0, shard ? shard->count : 1, values});
    }
    // The others: OUT.journal and STEM.part-I-of-N.EXT.journal beside OUT.
    std::vector<std::pair<std::string, JournalHeader>> found;
    std::error_code ec;
    if (!append || shard) {
      if (std::filesystem::exists(output + ".journal", ec))
        found.emplace_back(output + ".journal", JournalHeader{fingerprint, 0, 1, values});
    }
    const std::string stem = out.stem().string() + ".part-";
    const std::string tail =
        (out.has_extension() ? out.extension().string() : std::string(".h5")) + ".journal";
    const auto dir = out.parent_path().empty() ? std::filesystem::path(".") : out.parent_path();
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (!name.starts_with(stem) || !name.ends_with(tail)) continue;
      std::uint64_t index = 0, count = 0;
      char of[4] = {};
      const std::string middle = name.substr(stem.size(), name.size() - stem.size() - tail.size());
      if (std::sscanf(middle.c_str(), "%" SCNu64 "-%2s-%" SCNu64, &index, of, &count) != 3) continue;
      if (std::string_view(of) != "of" || index >= count) continue;
      const std::string path = part_path(output, Shard{index, count}) + ".journal";
      if (std::filesystem::path(path).filename().string() != name) continue;  // not as innosim names parts
      if (append && path == own_path) continue;
      found.emplace_back(path, JournalHeader{fingerprint, index, count, values});
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [path, header] : found)
      others_.push_back(std::make_unique<Journal>(path, header, Journal::Access::kRead));
    // Which journal holds each simulation (the first to hold it; they all hold the same values).
    if (own_) {
      for (const auto r : own_->done()) where_.emplace(r, own_.get());
    }
    for (const auto& j : others_) {
      for (const auto r : j->done()) where_.emplace(r, j.get());
    }
  }

  [[nodiscard]] bool has(std::uint64_t run) const { return where_.contains(run); }
  [[nodiscard]] RunRecord read(std::uint64_t run) const { return where_.at(run)->read(run); }
  void append(const RunRecord& r) {
    own_->append(r);
    where_.emplace(r.run, own_.get());
  }
  void sync() {
    if (own_) own_->sync();
  }
  [[nodiscard]] std::size_t size() const noexcept { return where_.size(); }
  [[nodiscard]] std::size_t others() const noexcept { return others_.size(); }
  // The journal this process appends to (nullptr for --collect).
  [[nodiscard]] const Journal* own() const noexcept { return own_.get(); }

 private:
  std::unique_ptr<Journal> own_;
  std::vector<std::unique_ptr<Journal>> others_;
  std::unordered_map<std::uint64_t, Journal*> where_;
};

struct Generation {
  abc::Population population;
  std::vector<std::vector<double>> simulated;  ///< per particle, the target values
  std::uint64_t proposed = 0;                  ///< simulations run (proposals evaluated)
  std::uint64_t accepted_all = 0;              ///< within the tolerance, also beyond the particles kept
  std::uint64_t invalid = 0;                   ///< combinations the model refused
  std::uint64_t unreachable = 0;               ///< proposals that found no point inside the prior
  [[nodiscard]] double acceptance() const {
    return proposed == 0 ? 0.0 : static_cast<double>(accepted_all) / static_cast<double>(proposed);
  }
};

class Calibration {
 public:
  // journals: rank 0 or a single process; nullptr on MPI workers. shard: simulate only the
  // proposals of this part (k % count == index). collect: simulate nothing.
  Calibration(const CalibrationSpec& spec, std::uint64_t particles, Journals* journals,
              const mpi::Session* session, std::optional<Shard> shard, bool collect, unsigned threads,
              std::ostream& err, bool quiet)
      : spec_(spec),
        priors_(spec.priors()),
        n_(particles),
        journal_(journals),
        session_(session),
        shard_(shard),
        collect_(collect),
        threads_(threads),
        err_(err),
        quiet_(quiet) {
    for (const auto& t : spec.targets) {
      observed_.push_back(t.observed);
      sd_.push_back(t.sd);
    }
  }

  // Generation 0: particles from the prior, every one kept.
  Generation first() {
    const std::size_t d = priors_.size();
    std::vector<std::vector<double>> z(n_, std::vector<double>(d));
    for (std::uint64_t k = 0; k < n_; ++k) {
      sim::RngStream rng = proposal_stream(spec_.seed, 0, k);
      abc::sample_prior(priors_, rng, z[k]);
    }
    const auto values = evaluate(0, 0, z);
    Generation g;
    g.population.dim = d;
    g.population.tolerance = kInf;
    std::uint64_t valid = 0;
    for (std::uint64_t k = 0; k < n_; ++k) {
      g.population.z.insert(g.population.z.end(), z[k].begin(), z[k].end());
      const double dist = abc::distance(values[k], observed_, sd_);
      // A draw the model refused (or whose targets could not be read) is no particle: weight 0,
      // so it is never an ancestor and does not count in the tolerance.
      const bool ok = std::isfinite(dist);
      valid += ok ? 1U : 0U;
      g.population.weights.push_back(ok ? 1.0 : 0.0);
      g.population.distances.push_back(dist);
      g.simulated.push_back(values[k]);
      g.invalid += any_nan(values[k]) ? 1U : 0U;
    }
    if (valid == 0) {
      throw ScenarioError(
          fmt::format("{}: none of the {} draws from the priors gave a finite distance to the "
                      "targets (the model refused them or a target could not be read)",
                      spec_.source, n_));
    }
    for (double& w : g.population.weights) w /= static_cast<double>(valid);
    g.proposed = n_;
    g.accepted_all = valid;
    return g;
  }

  // Generation g >= 1 from the previous one.
  Generation next(std::uint64_t gen, const Generation& previous) {
    const std::size_t d = priors_.size();
    const double eps = abc::next_tolerance(previous.population, spec_.tolerance_quantile);
    const abc::Kernel kernel = abc::Kernel::fit(previous.population);
    // The acceptance expected from the last generation sets the round size (a deterministic
    // function of it, so rounds are the same on every rerun).
    const double expected = gen == 1 ? spec_.tolerance_quantile : std::max(previous.acceptance(), 1e-3);
    // The most simulations a generation may take: beyond, the tolerance has stalled.
    const auto budget = static_cast<std::uint64_t>(std::ceil(static_cast<double>(n_) / spec_.min_acceptance));
    Generation g;
    g.population.dim = d;
    g.population.tolerance = eps;
    std::vector<double> log_weights;
    std::uint64_t start = 0;
    while (g.population.size() < n_) {
      if (g.proposed >= budget) {
        throw Stalled{gen, eps, g.proposed, g.population.size(),
                      static_cast<double>(g.accepted_all) / static_cast<double>(g.proposed)};
      }
      // Rounds sized for the particles still missing at the acceptance seen so far (at first, the
      // last generation's). Which proposals are accepted does not depend on the rounds: proposal
      // k has its own stream and acceptance goes in proposal order; the rounds only decide how
      // many simulations are spent past the last particle needed.
      const double missing = static_cast<double>(n_ - g.population.size());
      const double rate = g.accepted_all > 0
                              ? static_cast<double>(g.accepted_all) / static_cast<double>(g.proposed)
                          : g.proposed > 0 ? std::min(expected, 1.0 / static_cast<double>(g.proposed))
                                           : expected;
      const double most = std::max(
          1.0, std::min(kMaxRoundFactor * static_cast<double>(n_), static_cast<double>(budget - g.proposed)));
      const double least = std::min(std::max(missing, 16.0), most);
      const auto round = static_cast<std::uint64_t>(
          std::clamp(std::ceil(1.1 * missing / std::max(rate, 1e-4)), least, most));
      std::vector<std::vector<double>> z(round, std::vector<double>(d));
      std::vector<bool> reachable(round, true);
      for (std::uint64_t i = 0; i < round; ++i) {
        sim::RngStream rng = proposal_stream(spec_.seed, gen, start + i);
        reachable[i] = abc::propose(previous.population, kernel, priors_, rng, z[i]);
      }
      const auto values = evaluate(gen, start, z, &reachable);
      for (std::uint64_t i = 0; i < round; ++i) {
        if (!reachable[i]) {
          ++g.unreachable;
          continue;
        }
        ++g.proposed;
        g.invalid += any_nan(values[i]) ? 1U : 0U;
        const double dist = abc::distance(values[i], observed_, sd_);
        if (!std::isfinite(dist) || !(dist <= eps)) continue;
        ++g.accepted_all;
        if (g.population.size() >= n_) continue;
        g.population.z.insert(g.population.z.end(), z[i].begin(), z[i].end());
        g.population.distances.push_back(dist);
        g.population.weights.push_back(0);
        log_weights.push_back(abc::log_weight(z[i], previous.population, kernel, priors_));
        g.simulated.push_back(values[i]);
      }
      start += round;
    }
    g.population.weights = abc::normalise(log_weights);
    return g;
  }

  [[nodiscard]] std::uint64_t simulations() const noexcept { return simulations_; }
  [[nodiscard]] std::uint64_t resumed() const noexcept { return resumed_; }

 private:
  // The target values of proposals start.. of generation gen: journaled ones read back, the rest
  // simulated on this process's threads (or handed out to the MPI workers) and journaled as they
  // finish. Unreachable proposals get nothing. Under MPI every rank returns the same values:
  // rank 0 sends them all, so that every rank proposes the next round identically.
  std::vector<std::vector<double>> evaluate(std::uint64_t gen, std::uint64_t start,
                                            const std::vector<std::vector<double>>& z,
                                            const std::vector<bool>* reachable = nullptr) {
    const std::size_t width = spec_.targets.size();
    std::vector<std::vector<double>> values(z.size());
    auto simulate_one = [&](std::uint64_t i) {
      std::vector<double> natural(priors_.size());
      for (std::size_t k = 0; k < priors_.size(); ++k) natural[k] = priors_[k].from_z(z[i][k]);
      RunRecord rec;
      rec.run = run_id(gen, start + i);
      rec.values = simulate(spec_, natural, simulation_seed(spec_.seed, gen, start + i));
      return rec;
    };
    const bool worker = journal_ == nullptr;
    if (worker) {
      mpi::work(
          *session_,
          [&](std::span<const std::uint64_t> ids) {
            std::vector<RunRecord> records(ids.size());
            sim::run_ensemble<RunRecord>(
                0, static_cast<sim::Replicate>(ids.size()),
                std::max<std::size_t>(2, 2 * std::size_t{threads_}),
                [&](sim::Replicate m) { return simulate_one((ids[m] & 0xFFFFFFFFULL) - start); },
                [&](sim::Replicate m, RunRecord&& rec) { records[m] = std::move(rec); },
                &StopSignals::flag());
            if (StopSignals::stopped()) throw sim::Cancelled();
            return records;
          },
          StopSignals::flag());
    } else {
      std::vector<std::uint64_t> missing;
      std::uint64_t others = 0;  // missing, and another part's to simulate
      for (std::uint64_t i = 0; i < z.size(); ++i) {
        if (reachable != nullptr && !(*reachable)[i]) continue;
        const std::uint64_t id = run_id(gen, start + i);
        if (journal_->has(id)) {
          values[i] = journal_->read(id).values;
          ++resumed_;
        } else if (shard_ && (start + i) % shard_->count != shard_->index) {
          ++others;
        } else {
          missing.push_back(i);
        }
      }
      if (collect_ && !missing.empty()) throw Incomplete{gen, start, missing.size()};
      Progress progress(err_, missing.size(), !quiet_ && !missing.empty(), "simulation", 0, 0);
      std::uint64_t finished = 0;
      auto record = [&](RunRecord&& rec) {
        journal_->append(rec);
        values[(rec.run & 0xFFFFFFFFULL) - start] = std::move(rec.values);
        ++simulations_;
        progress.update(++finished);
      };
      if (session_ != nullptr) {
        std::vector<std::uint64_t> ids;
        ids.reserve(missing.size());
        for (const auto i : missing) ids.push_back(run_id(gen, start + i));
        const bool complete = mpi::drive(*session_, ids, std::max<std::size_t>(1, 2 * std::size_t{threads_}),
                                         record, StopSignals::flag());
        progress.clear();
        if (!complete) throw sim::Cancelled();
      } else if (!missing.empty()) {
        sim::run_ensemble<RunRecord>(
            0, static_cast<sim::Replicate>(missing.size()),
            std::max<std::size_t>(2, 2 * std::size_t{threads_}),
            [&](sim::Replicate m) { return simulate_one(missing[m]); },
            [&](sim::Replicate, RunRecord&& rec) { record(std::move(rec)); }, &StopSignals::flag());
        progress.clear();
        if (StopSignals::stopped()) throw sim::Cancelled();
      }
      if (others > 0) throw PartDone{gen, start, finished, others};
    }
    if (session_ != nullptr) {
      // Every proposal's values from rank 0 (NaN for the unreachable ones).
      std::string blob;
      if (!worker) {
        blob.resize(z.size() * width * sizeof(double));
        for (std::size_t i = 0; i < z.size(); ++i) {
          std::vector<double> row = values[i].empty() ? std::vector<double>(width, std::nan("")) : values[i];
          std::memcpy(blob.data() + i * width * sizeof(double), row.data(), width * sizeof(double));
        }
      }
      session_->broadcast(blob);
      if (worker) {
        for (std::size_t i = 0; i < z.size(); ++i) {
          if (reachable != nullptr && !(*reachable)[i]) continue;
          values[i].resize(width);
          std::memcpy(values[i].data(), blob.data() + i * width * sizeof(double), width * sizeof(double));
        }
      }
    }
    return values;
  }

  const CalibrationSpec& spec_;
  std::vector<abc::Prior> priors_;
  std::uint64_t n_;
  Journals* journal_;
  const mpi::Session* session_;
  std::optional<Shard> shard_;
  bool collect_;
  unsigned threads_;
  std::ostream& err_;
  bool quiet_;
  std::vector<double> observed_, sd_;
  std::uint64_t simulations_ = 0, resumed_ = 0;
};

// Weighted quantiles of parameter k (natural units) of a population.
double quantile_of(const abc::Population& p, const abc::Prior& prior, std::size_t k, double q) {
  std::vector<double> v(p.size());
  // In natural units, as innosim posterior and the report compute them.
  for (std::size_t i = 0; i < p.size(); ++i) v[i] = prior.from_z(p.particle(i)[k]);
  return abc::weighted_quantile(v, p.weights, q);
}

// The prior's own 5 % and 95 % quantiles, for the identification check.
std::pair<double, double> prior_interval(const abc::Prior& prior) {
  return {prior.from_z(prior.quantile_z(0.05)), prior.from_z(prior.quantile_z(0.95))};
}

void write_file(const std::string& path, const CalibrationSpec& spec, std::uint64_t n,
                const std::vector<Generation>& gens, const std::string& fingerprint,
                const std::string& command_line, const std::string& started, unsigned threads, double seconds,
                const std::string& stopped, const std::string& collected) {
  h5::File file(path);
  const h5::Group& root = file.root();
  output::write_provenance(root, result_provenance("calibration"));
  const h5::Group c = root.group("calibration");
  c.attribute("format_version", std::int64_t{1});
  c.attribute("fingerprint", fingerprint);
  c.attribute("model", std::string_view(spec.model == CalibratedModel::kProgramme ? "programme" : "classic"));
  c.attribute("seed", spec.seed);
  c.attribute("particles", n);
  c.attribute("replicates", spec.replicates);
  c.attribute("tolerance_quantile", spec.tolerance_quantile);
  c.attribute("min_acceptance", spec.min_acceptance);
  c.attribute("stopped", stopped);
  // Written by --collect: /runtime is then the collector's, not the simulations'.
  c.attribute("collected", collected);
  c.attribute("description", spec.description);
  c.attribute("source", std::filesystem::absolute(spec.source).lexically_normal().string());
  c.attribute("innosim_version", fmt::format("{} {}", version(), git_revision()));
  c.write_text("targets_file", spec.text, "the calibration file as written");
  const std::size_t d = spec.parameters.size();
  const std::size_t t = spec.targets.size();
  {
    const h5::Group p = c.group("parameters");
    std::vector<std::string> names, priors, kinds, units;
    std::vector<double> low, high, mean, sd, base;
    for (const auto& q : spec.parameters) {
      // The base scenario's value: compare --posterior replaces a parameter only in scenarios
      // that leave it at this value (tools/calibrate/posterior.hpp).
      if (spec.model == CalibratedModel::kProgramme) {
        fk::Params params = spec.programme_scenarios.front().params;
        base.push_back(*std::get<double*>(fk::find_parameter(q.key)->slot(params)));
      } else {
        base.push_back(std::numeric_limits<double>::quiet_NaN());
      }
      names.push_back(q.key);
      priors.push_back(q.prior_text);
      kinds.push_back(q.prior.kind == abc::PriorKind::kUniform      ? "uniform"
                      : q.prior.kind == abc::PriorKind::kLogUniform ? "loguniform"
                      : q.prior.kind == abc::PriorKind::kNormal     ? "normal"
                                                                    : "truncated_normal");
      units.push_back(q.unit);
      low.push_back(q.prior.low);
      high.push_back(q.prior.high);
      mean.push_back(q.prior.mean);
      sd.push_back(q.prior.sd);
    }
    p.write("name", names);
    p.write("prior", priors);
    p.write("prior_kind", kinds, "", "uniform, loguniform, normal or truncated_normal");
    p.write("unit", units);
    p.write("prior_low", low, {d});
    p.write("prior_high", high, {d});
    p.write("prior_mean", mean, {d});
    p.write("prior_sd", sd, {d});
    p.write("base_value", base, {d}, "",
            "the parameter's value in the base scenario (NaN for classic models)");
  }
  {
    const h5::Group g = c.group("targets");
    std::vector<std::string> names, indicators, readings, scenarios, sources, definitions, uncertainty;
    std::vector<double> observed, sd;
    for (const auto& x : spec.targets) {
      names.push_back(x.name);
      indicators.push_back(x.indicator);
      readings.push_back(reading_name(x.reading));
      scenarios.push_back(spec.model == CalibratedModel::kProgramme ? spec.scenario_names[x.scenario] : "");
      sources.push_back(x.source);
      definitions.push_back(x.definition);
      uncertainty.push_back(x.uncertainty_text);
      observed.push_back(x.observed);
      sd.push_back(x.sd);
    }
    g.write("name", names);
    g.write("indicator", indicators);
    g.write("reading", readings);
    g.write("scenario", scenarios);
    g.write("source", sources);
    g.write("definition", definitions);
    g.write("uncertainty", uncertainty);
    g.write("observed", observed, {t});
    g.write("sd", sd, {t}, "", "standard deviation the distance divides by (from sd or a 95 % interval)");
  }
  const std::size_t G = gens.size();
  std::vector<double> tolerance, acceptance, ess;
  std::vector<std::int64_t> proposed, invalid;
  for (const auto& g : gens) {
    tolerance.push_back(g.population.tolerance);
    acceptance.push_back(g.acceptance());
    ess.push_back(g.population.ess());
    proposed.push_back(static_cast<std::int64_t>(g.proposed));
    invalid.push_back(static_cast<std::int64_t>(g.invalid));
  }
  const h5::Group gs = c.group("generations");
  gs.write("tolerance", tolerance, {G}, "", "distance a simulation had to reach (inf for generation 0)");
  gs.write("acceptance", acceptance, {G}, "share", "accepted / simulated proposals");
  gs.write("ess", ess, {G}, "particles", "effective sample size of the weights");
  gs.write("simulations", proposed, {G}, "proposals",
           "proposals simulated (each: every scenario x replicates)");
  gs.write("invalid", invalid, {G}, "proposals", "parameter combinations the model refused");
  for (std::size_t k = 0; k < G; ++k) {
    const auto& pop = gens[k].population;
    const h5::Group gg = gs.group(fmt::format("{:03}", k));
    std::vector<double> theta(pop.size() * d), sims;
    for (std::size_t i = 0; i < pop.size(); ++i) {
      for (std::size_t j = 0; j < d; ++j)
        theta[i * d + j] = spec.parameters[j].prior.from_z(pop.particle(i)[j]);
      sims.insert(sims.end(), gens[k].simulated[i].begin(), gens[k].simulated[i].end());
    }
    gg.write("theta", theta, {pop.size(), d}, "", "particles x parameters, natural units");
    gg.write("weights", pop.weights, {pop.size()});
    gg.write("distances", pop.distances, {pop.size()});
    gg.write("simulated", sims, {pop.size(), t}, "", "particles x targets: the simulated target values");
  }
  {
    const auto& last = gens.back().population;
    const h5::Group post = c.group("posterior");
    std::vector<double> median, q05, q95, p05, p95;
    for (std::size_t j = 0; j < d; ++j) {
      const auto& prior = spec.parameters[j].prior;
      median.push_back(quantile_of(last, prior, j, 0.5));
      q05.push_back(quantile_of(last, prior, j, 0.05));
      q95.push_back(quantile_of(last, prior, j, 0.95));
      const auto [lo, hi] = prior_interval(prior);
      p05.push_back(lo);
      p95.push_back(hi);
    }
    post.attribute("generation", static_cast<std::int64_t>(G - 1));
    post.write("median", median, {d});
    post.write("q05", q05, {d});
    post.write("q95", q95, {d});
    post.write("prior_q05", p05, {d});
    post.write("prior_q95", p95, {d});
  }
  output::write_runtime(
      root, {started, output::host_name(), command_line, static_cast<std::int64_t>(threads), seconds});
  file.commit();
}

// Which calibration a journal belongs to: the file's canonical form, the build and the particles.
std::string calibration_fingerprint(const CalibrationSpec& spec, std::uint64_t n) {
  return fmt::format("{:016x}", fnv1a(fmt::format("{}build: {} {}\nparticles: {}\n", spec.canonical,
                                                  version(), git_revision(), n)));
}

}  // namespace

bool is_calibration_file(const std::string& path) {
  try {
    const YAML::Node root = YAML::LoadFile(path);
    return root.IsMap() && root["targets"];
  } catch (const YAML::Exception&) {
    return false;
  }
}

int calibrate_slurm_command(const SlurmOptions& o, std::ostream& out, std::ostream& err) {
  // Check the calibration now rather than on the cluster.
  const CalibrationSpec spec = load_calibration(o.sweep_path);
  const std::uint64_t n = o.particles.value_or(spec.particles);
  if (n < 10 || n > 1000000) throw ScenarioError(fmt::format("--particles {}: must be in [10, 1000000]", n));
  if (o.generations && (*o.generations < 1 || *o.generations > kMaxGenerations))
    throw ScenarioError(fmt::format("--generations {}: must be in [1, {}]", *o.generations, kMaxGenerations));
  if (o.until_tolerance && !(*o.until_tolerance > 0))
    throw ScenarioError(fmt::format("--until-tolerance {:g}: must be more than 0", *o.until_tolerance));
  if (o.tasks > n) {
    fmt::print(err,
               "innosim: warning: --tasks {} for {} particles: a round has about as many proposals as "
               "particles, so some tasks will have little or nothing to do\n",
               o.tasks, n);
  }
  const SlurmScript parts = slurm_script_parts(o);
  const std::string targets = slurm_absolute(o.sweep_path), output = slurm_absolute(o.output_path);
  // #SBATCH lines cannot quote: the log paths built from the output must need no quoting.
  if (output.find_first_of(" \t%\"'$`\\") != std::string::npos) {
    throw ScenarioError(fmt::format(
        "-o {}: a Slurm job chain writes its logs beside the output, and #SBATCH lines cannot quote a path "
        "with spaces, quotes, %, $ or backslashes; choose a plainer path",
        output));
  }
  const std::string stem = std::filesystem::path(o.output_path).stem().string();
  std::string settings;
  if (o.particles) settings += fmt::format(" --particles {}", *o.particles);
  if (o.generations) settings += fmt::format(" --generations {}", *o.generations);
  if (o.until_tolerance) settings += fmt::format(" --until-tolerance {}", *o.until_tolerance);
  const std::string calibrate =
      fmt::format("\"$innosim\" calibrate \"$targets\" --output \"$output\"{}", settings);
  fmt::print(
      out, R"(#!/bin/bash
# A Slurm job chain for the innosim calibration {targets}
# ({particles} particles, {generations}; fingerprint {fp}). Written by `innosim slurm`.
#
#   sbatch THIS-FILE            # submit once: the chain runs the whole calibration
#   squeue --me                 # watch: an array job per round, and this script after each
#   tail {chain_log}
#                               # the chain's own log: each round it submits, and the end
#
# ABC-SMC runs generation after generation, each in rounds of proposals (one or two, usually),
# and a round needs the rounds before it. So each round is one array job of {tasks} tasks: task I
# simulates part I of the round's proposals (innosim calibrate --shard I/{tasks}), journaled in
#   {part_pattern}
# After the array job this script runs again without an array index, as the collector:
# `innosim calibrate --collect` reads every journal and either writes the result file (the
# calibration is complete) or names the next round, which it submits as a new array job,
# followed by itself. The posterior is bitwise the one `innosim calibrate` gives in one process,
# however often tasks were interrupted; the same command without --shard continues the
# calibration anywhere from these journals.
#   - Time limit: Slurm sends USR1 {warn} s before it (--signal below); a task saves its work and
#     requeues itself, and continues when it starts again.
#   - Preemption (PreemptMode=REQUEUE): the task saves its work and Slurm requeues it.
#   - scancel JOBID_TASK: final for that task; the collector submits the round again, and parts
#     whose share is done end at once. A round whose array job made no progress stops the chain
#     (see the tasks' logs, {task_logs}).
#   - scancel of the chain, or a stopped chain: submit this script again; it continues.
# The collector runs sbatch from inside a job: the cluster must allow that on its compute nodes
# (most do); where it does not, run the collector's command by hand after each array job.
{sbatch}set -u
{setup}innosim={innosim_q}
targets={targets_q}
output={output_q}
if [ -z "${{SLURM_ARRAY_TASK_ID:-}}" ]; then
  # The collector: where does the calibration stand?
  said=$({calibrate} --collect --quiet)
  status=$?
  printf '%s\n' "$said"
  if [ "$status" -eq 0 ]; then
    echo "innosim: the calibration is complete: $output"
    exit 0
  fi
  if [ "$status" -ne 3 ]; then
    echo "innosim: collecting failed (exit $status); the chain stops. Submit this script again once the cause is fixed."
    exit "$status"
  fi
  round=$(printf '%s\n' "$said" | sed -n \
    's/^incomplete: generation \([0-9]*\) needs \([0-9]*\) more simulations from proposal \([0-9]*\).*/g\1-p\3-m\2/p')
  if [ -z "$round" ]; then
    echo "innosim: cannot read the round from the collector's output above; the chain stops."
    exit 1
  fi
  if [ "$round" = "${{INNOSIM_ROUND:-}}" ]; then
    echo "innosim: the array job of round $round made no progress; the chain stops. See the tasks' logs ($output.slurm-*_*.log), then submit this script again."
    exit 1
  fi
  array=$(sbatch --parsable --array=0-{last} --output={task_log_q} "$0") || exit 1
  array=${{array%%;*}}
  next=$(sbatch --parsable --dependency=afterany:"$array" --cpus-per-task=1 --no-requeue \
    --export=ALL,INNOSIM_ROUND="$round" "$0") || {{ scancel "$array"; exit 1; }}
  echo "innosim: round $round: array job $array, then the collector, job ${{next%%;*}}"
  exit 0
fi
# An array task: part SLURM_ARRAY_TASK_ID of the round.
{body})",
      fmt::arg("targets", targets), fmt::arg("particles", n),
      fmt::arg("generations", o.until_tolerance
                                  ? fmt::format("until the tolerance is {}", *o.until_tolerance)
                                  : fmt::format("{} generations", o.generations.value_or(spec.generations))),
      fmt::arg("fp", calibration_fingerprint(spec, n)), fmt::arg("tasks", o.tasks),
      fmt::arg("chain_log", output + ".slurm-chain.log"),
      fmt::arg("part_pattern", part_path(output, Shard{0, o.tasks}) + ".journal (part 0)"),
      fmt::arg("warn", o.warn_seconds), fmt::arg("task_logs", output + ".slurm-*_*.log"),
      fmt::arg("stem", stem), fmt::arg("time", o.time), fmt::arg("cpus", o.cpus),
      fmt::arg("sbatch", slurm_sbatch_lines(o, parts, stem, "", output + ".slurm-chain.log")),
      fmt::arg("setup", parts.setup), fmt::arg("innosim_q", shell_quote(parts.innosim)),
      fmt::arg("targets_q", shell_quote(targets)), fmt::arg("output_q", shell_quote(output)),
      fmt::arg("calibrate", calibrate), fmt::arg("last", o.tasks - 1),
      fmt::arg("task_log_q", shell_quote(output + ".slurm-%A_%a.log")),
      fmt::arg("body", slurm_task_body(fmt::format("{} --shard \"${{SLURM_ARRAY_TASK_ID}}/{}\" --quiet \\\n  "
                                                   "--threads \"${{SLURM_CPUS_PER_TASK:-{}}}\"",
                                                   calibrate, o.tasks, o.cpus))));
  return kExitOk;
}

int calibrate_command(const CalibrateOptions& o, std::ostream& out, std::ostream& err) {
  const CalibrationSpec spec = load_calibration(o.targets_path);
  const std::uint64_t n = o.particles.value_or(spec.particles);
  if (n < 10 || n > 1000000) throw ScenarioError(fmt::format("--particles {}: must be in [10, 1000000]", n));
  const std::uint64_t generations =
      o.until_tolerance ? kMaxGenerations : o.generations.value_or(spec.generations);
  if (generations < 1 || generations > kMaxGenerations)
    throw ScenarioError(fmt::format("--generations {}: must be in [1, {}]", generations, kMaxGenerations));
  if (o.until_tolerance && !(*o.until_tolerance > 0))
    throw ScenarioError(fmt::format("--until-tolerance {:g}: must be more than 0", *o.until_tolerance));
  if (o.output_path.empty()) throw ScenarioError("-o: give the calibration's output file (calib.h5)");
  {
    std::error_code ec;
    if (std::filesystem::equivalent(o.output_path, o.targets_path, ec)) {
      throw ScenarioError(fmt::format(
          "-o {}: that is the calibration file itself; give the result file (calib.h5)", o.output_path));
    }
  }

  if (o.shard && o.collect) throw ScenarioError("--shard and --collect: give one or the other");
  // Under mpirun every rank runs this: rank 0 drives (journal, lock, file), the others simulate.
  std::unique_ptr<mpi::Session> session;
  if (mpi::launched()) {
    if (o.shard || o.collect) {
      throw ScenarioError(fmt::format("{} under mpirun: a calibration runs either on MPI ranks or in parts",
                                      o.shard ? "--shard" : "--collect"));
    }
    session = std::make_unique<mpi::Session>();
  }
  const bool worker = session && session->rank() > 0;
  std::ostringstream silent;
  std::ostream& report = worker ? silent : out;
  const unsigned threads = mpi::threads_per_rank(session.get(), o.threads);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);

  const std::string fingerprint = calibration_fingerprint(spec, n);
  if (session) {
    std::string theirs = fingerprint;
    session->broadcast(theirs);
    if (theirs != fingerprint) {
      throw sim::Error(
          fmt::format("rank {} reads {} as calibration {}, rank 0 as {}: every rank must see the same "
                      "files and innosim build",
                      session->rank(), o.targets_path, fingerprint, theirs));
    }
  }
  std::unique_ptr<LockFile> lock;
  std::unique_ptr<Journals> journal;
  if (!worker) {
    lock =
        std::make_unique<LockFile>((o.shard ? part_path(o.output_path, *o.shard) : o.output_path) + ".lock");
    journal =
        std::make_unique<Journals>(o.output_path, fingerprint, spec.targets.size(), o.shard, !o.collect);
  }
  const std::size_t scenarios =
      spec.model == CalibratedModel::kProgramme ? spec.programme_scenarios.size() : 1;
  report << fmt::format(
      "calibrating {} parameter{} to {} target{}: {} particles, {} run{} per proposal{}{}\n",
      spec.parameters.size(), spec.parameters.size() == 1 ? "" : "s", spec.targets.size(),
      spec.targets.size() == 1 ? "" : "s", n, scenarios * spec.replicates,
      scenarios * spec.replicates == 1 ? "" : "s",
      session   ? fmt::format(", {} MPI ranks", session->size())
      : o.shard ? fmt::format(", part {} of {}", o.shard->index, o.shard->count)
                : "",
      journal && journal->size() > 0
          ? fmt::format(" ({}: {} simulations journaled{})", o.collect ? "collecting" : "resuming",
                        journal->size(),
                        journal->others() > 0
                            ? fmt::format(" in {} journals", journal->others() + (journal->own() ? 1 : 0))
                            : "")
          : "");
  for (const auto& note : spec.notes) report << "note: " << note << "\n";
  report.flush();

  StopSignals signals;
  Calibration calibration(spec, n, journal.get(), session.get(), o.shard, o.collect, threads, err,
                          o.quiet || worker);
  std::vector<Generation> gens;
  std::string stopped;  // why the calibration ended before its generations or tolerance
  const auto started = std::chrono::steady_clock::now();
  const std::string started_utc = output::utc_now();
  try {
    for (std::uint64_t g = 0; g < generations; ++g) {
      gens.push_back(g == 0 ? calibration.first() : calibration.next(g, gens.back()));
      const Generation& gen = gens.back();
      report << fmt::format(
          "generation {}: tolerance {}, {} of {} simulations within it ({:.1f} %), ESS {:.0f}{}\n", g,
          g == 0 ? std::string("none (prior)") : fmt::format("{:.4g}", gen.population.tolerance),
          gen.accepted_all, gen.proposed, 100 * gen.acceptance(), gen.population.ess(),
          gen.invalid > 0 ? fmt::format(", {} refused by the model", gen.invalid) : "");
      report.flush();
      if (o.until_tolerance && g > 0 && gen.population.tolerance <= *o.until_tolerance) break;
    }
  } catch (const Stalled& st) {
    stopped = fmt::format(
        "generation {} stopped after {} simulations: only {} reached the tolerance {:.4g} ({:.2f} %, below "
        "min_acceptance {:g}); the targets cannot be matched more closely with this model and these priors, "
        "and the "
        "posterior is generation {}'s",
        st.generation, st.simulations, st.accepted, st.tolerance, 100 * st.acceptance, spec.min_acceptance,
        st.generation - 1);
    report << "warning: " << stopped << "\n";
  } catch (const Incomplete& inc) {
    // For the Slurm chain (tools/sweep: innosim slurm), which reads this line.
    out << fmt::format(
        "incomplete: generation {} needs {} more simulations from proposal {}; run the parts (or this "
        "command without --collect)\n",
        inc.generation, inc.missing, inc.start);
    return kExitIncomplete;
  } catch (const PartDone& part) {
    journal->sync();
    report << fmt::format(
        "part {} of {}: simulated {} proposals of generation {} (round from proposal {}); the other parts "
        "have {} left. Once they are done, run this command again for the next round, or `innosim "
        "calibrate {} -o {} --collect` to see where the calibration stands.\n",
        o.shard->index, o.shard->count, part.simulated, part.generation, part.start, part.others,
        o.targets_path, o.output_path);
    return kExitOk;
  } catch (const sim::Cancelled&) {
    const int sig = StopSignals::signal();
    const int code = sig == 0 ? kExitInterrupted : stop_exit_code(sig);
    if (journal) {
      journal->sync();
      err << fmt::format(
          "innosim: stopped by {}; {} simulations are journaled in {}; run the same command to "
          "continue\n",
          sig == 0 ? std::string("a stop on another rank") : fmt::format("signal {}", sig), journal->size(),
          journal->own() != nullptr ? journal->own()->path().string() : o.output_path + ".journal");
    }
    if (session) {
      journal.reset();
      lock.reset();
      session->abort(code);
    }
    return code;
  }
  if (worker) return 0;
  if (stopped.empty() && o.until_tolerance && gens.back().population.tolerance > *o.until_tolerance) {
    stopped = fmt::format("the tolerance {:.4g} was not reached in {} generations", *o.until_tolerance,
                          gens.size());
    report << "warning: " << stopped << "\n";
  }
  journal->sync();
  if (o.shard) {
    report << fmt::format(
        "the journals hold the whole calibration; `innosim calibrate {} -o {} --collect` writes {}\n",
        o.targets_path, o.output_path, o.output_path);
    return kExitOk;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string collected =
      o.collect ? fmt::format(
                      "by innosim calibrate --collect from {} journals; the simulations ran in the parts, "
                      "and their times are in the parts' logs, not in /runtime",
                      journal->others())
                : std::string();
  write_file(o.output_path, spec, n, gens, fingerprint, o.command_line, started_utc, threads, seconds,
             stopped, collected);

  // The posterior, parameter by parameter, and which the targets do not identify.
  const auto& last = gens.back().population;
  out << fmt::format("\nposterior (generation {}, {} particles, ESS {:.0f}):\n", gens.size() - 1, n,
                     last.ess());
  out << fmt::format("  {:<40} {:>12} {:>27}  {}\n", "parameter", "median", "90 % interval", "prior");
  std::vector<std::string> unidentified;
  for (std::size_t j = 0; j < spec.parameters.size(); ++j) {
    const auto& p = spec.parameters[j];
    const double med = quantile_of(last, p.prior, j, 0.5);
    const double lo = quantile_of(last, p.prior, j, 0.05);
    const double hi = quantile_of(last, p.prior, j, 0.95);
    const auto [plo, phi] = prior_interval(p.prior);
    out << fmt::format("  {:<40} {:>12.4g} {:>12.4g} - {:<12.4g}  {}\n", p.key, med, lo, hi, p.prior_text);
    // Widths in kernel coordinates (log for log-uniform), so the comparison is scale-free.
    const double ratio = (p.prior.to_z(hi) - p.prior.to_z(lo)) / (p.prior.to_z(phi) - p.prior.to_z(plo));
    if (ratio > 0.8)
      unidentified.push_back(fmt::format("{} (90 % interval {:.0f} % of the prior's)", p.key, 100 * ratio));
  }
  for (const auto& u : unidentified)
    out << fmt::format("warning: the targets hardly identify {}: its posterior is close to its prior\n", u);
  std::uint64_t proposals = 0;
  for (const auto& g : gens) proposals += g.proposed;
  const std::uint64_t now = calibration.simulations();
  out << fmt::format(
      "{} proposals simulated ({} runs of the model){}\n", proposals, proposals * scenarios * spec.replicates,
      o.collect          ? fmt::format(", collected from {} journals (their times are in the parts' logs)",
                                       journal->others())
      : now == proposals ? fmt::format("; {:.1f} s", seconds)
                         : fmt::format(", {} of them now and {} read from the journal; {:.1f} s", now,
                                       proposals - now, seconds));
  out << fmt::format("wrote {}\n", o.output_path);
  return 0;
}

}  // namespace innosim::tools
