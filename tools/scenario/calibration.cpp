// DOMAIN.md §7's targets, read from runs of the embedded scenarios.
#include "tools/scenario/calibration.hpp"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <map>
#include <memory>

#include "models/forkommune/model.hpp"
#include "sim/stats.hpp"
#include "tools/data/world_data.hpp"
#include "tools/scenario/programme_scenario.hpp"

namespace innosim::tools {

std::vector<CalibrationTarget> calibration_targets() {
  using R = TargetReading;
  std::vector<CalibrationTarget> t;
  for (const char* scenario : {"no-programme", "baseline"}) {
    t.push_back(
        {"municipalities with an innovation (own or adopted) in the last two years, mean of the "
         "year ends",
         scenario, "innovating_24m_share", R::kMeanOfYearEnds, 0.70, 0.85, "0.75 (0.70-0.85)",
         "Menon 2018; KS 2018/2020: 74 % of units"});
    t.push_back({"the same at the end of year 15", scenario, "innovating_24m_share", R::kLastYearEnd, 0.70,
                 0.85, "0.75 (0.70-0.85)", "Menon 2018; KS 2018/2020"});
    t.push_back({"own innovations involving a research institution", scenario, "share_research_own",
                 R::kFinal, 0.13, 0.15, "0.13-0.15 (without the programme)", "Meld. St. 30; Menon 2018"});
    t.push_back({"innovations evaluated or documented", scenario, "share_documented", R::kFinal, 0.42, 0.48,
                 "about 0.45 (read as 0.42-0.48)", "COI Innovationsbarometer"});
    t.push_back({"process/organisational share of innovations", scenario, "share_process", R::kFinal, 0.57,
                 0.63, "about 0.60 (read as 0.57-0.63)", "KS 2018 (63 %), 2020"});
  }
  t.push_back({"innovation-project call success rate", "baseline", "ip_success_rate", R::kFinal, 0.30, 0.40,
               "0.35 (0.10-0.45; read as 0.30-0.40)", "2017, 2019, 2020 calls"});
  t.push_back({"mean innovation-project grant (MNOK)", "baseline", "ip_mean_grant_mnok", R::kFinal, 6.2, 6.6,
               "6.4 (read as 6.2-6.6)", "2017-2020 calls"});
  t.push_back({"owners per funded innovation project", "baseline", "ip_owners_per_project", R::kFinal, 2.4,
               3.0, "at least 2.4 (mean 2.5 in DOMAIN.md §5.1; read as 2.4-3.0)", "2019 call"});
  return t;
}

std::vector<TargetResult> evaluate_calibration(std::uint64_t replicates, unsigned threads,
                                               const std::function<void(const std::string&)>& progress) {
  const auto targets = calibration_targets();
  std::vector<std::string> scenarios;
  for (const auto& t : targets) {
    if (std::find(scenarios.begin(), scenarios.end(), t.scenario) == scenarios.end())
      scenarios.push_back(t.scenario);
  }
  const unsigned cores = static_cast<unsigned>(std::max(1, tbb::info::default_concurrency()));
  const unsigned use = threads == 0 ? cores : threads;
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, use);
  std::vector<TargetResult> results;
  for (const auto& t : targets) results.push_back({t, 0, 0, replicates});
  for (const std::string& name : scenarios) {
    if (progress) progress(name);
    ProgrammeScenario scenario = load_programme_scenario(name);
    auto params = scenario.params;
    params.run.replicates = static_cast<std::int64_t>(replicates);
    const auto world = std::make_shared<const models::forkommune::World>(
        models::forkommune::build_world(load_world_data(params, scenario.directory), params));
    const models::forkommune::ProgrammeModel model(world, params);
    const auto& schema = model.layout().schema;
    const std::size_t width = schema.size();
    const sim::Step steps = model.steps();
    std::vector<sim::RunningStats> stats(targets.size());
    models::forkommune::run_ensemble(model, static_cast<sim::Replicate>(replicates), use,
                                     [&](models::forkommune::ProgrammeResult&& r) {
                                       for (std::size_t k = 0; k < targets.size(); ++k) {
                                         const auto& t = targets[k];
                                         if (t.scenario != name) continue;
                                         const std::size_t i = schema.require(t.indicator);
                                         auto at = [&](sim::Step s) { return r.series[s * width + i]; };
                                         double value = 0;
                                         switch (t.reading) {
                                           case TargetReading::kFinal:
                                           case TargetReading::kLastYearEnd:
                                             value = at(steps);
                                             break;
                                           case TargetReading::kMeanOfYearEnds: {
                                             double sum = 0;
                                             for (sim::Step s = 12; s <= steps; s += 12) sum += at(s);
                                             value = sum / static_cast<double>(steps / 12);
                                             break;
                                           }
                                         }
                                         stats[k].add(value);
                                       }
                                     });
    for (std::size_t k = 0; k < targets.size(); ++k) {
      if (targets[k].scenario != name) continue;
      results[k].mean = stats[k].mean();
      results[k].sem = stats[k].sem();
    }
  }
  return results;
}

std::string calibration_table(const std::vector<TargetResult>& results) {
  std::string out =
      "| observable | world | target | reached (mean, 95 % interval) | inside | source |\n"
      "|---|---|---|---|---|---|\n";
  for (const auto& r : results) {
    const double half = 1.96 * r.sem;
    out += fmt::format("| {} | {} | {} | {:.3f} ({:.3f}-{:.3f}) | {} | {} |\n", r.target.observable,
                       r.target.scenario, r.target.target_text, r.mean, r.mean - half, r.mean + half,
                       r.inside() ? "yes" : "**no**", r.target.source);
  }
  if (!results.empty()) out += fmt::format("\n{} replicates per world.\n", results.front().replicates);
  return out;
}

}  // namespace innosim::tools
