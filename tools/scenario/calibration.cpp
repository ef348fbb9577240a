// DOMAIN.md §7's bookkeeping checks and emergent targets, read from runs of the built-in
// scenarios, and the decomposition of a proven innovation's diffusion.
#include "tools/scenario/calibration.hpp"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "models/diffusion/bass.hpp"
#include "models/forkommune/model.hpp"
#include "sim/error.hpp"
#include "sim/stats.hpp"
#include "tools/data/world_data.hpp"
#include "tools/scenario/programme_scenario.hpp"
#include "tools/scenario/reader.hpp"

namespace innosim::tools {

namespace {

using models::forkommune::Params;
using models::forkommune::ProgrammeModel;
using models::forkommune::ProgrammeResult;
using models::forkommune::World;

// Builds a world, cached by the parameters that shape it (the decomposition switches between a
// complete exposure layer and the network).
std::shared_ptr<const World> world_for(const Params& p, const std::string& directory) {
  return std::make_shared<const World>(models::forkommune::build_world(load_world_data(p, directory), p));
}

unsigned use_threads(unsigned threads) {
  const auto cores = static_cast<unsigned>(std::max(1, tbb::info::default_concurrency()));
  return threads == 0 ? cores : threads;
}

}  // namespace

void apply_overrides(const ParameterOverrides& overrides, Params& params) {
  for (const std::string& item : overrides) {
    const auto eq = item.find('=');
    if (eq == std::string::npos || eq == 0)
      throw ScenarioError(fmt::format("--set '{}': expected KEY=VALUE, e.g. diffusion.q_per_year=2.5", item));
    const std::string key = item.substr(0, eq);
    const models::forkommune::ParamSpec* spec = models::forkommune::find_parameter(key);
    if (spec == nullptr) {
      std::vector<std::string> keys;
      for (const auto& s : models::forkommune::parameter_specs()) keys.emplace_back(s.key);
      const std::string guess = closest_match(key, keys);
      throw ScenarioError(
          fmt::format("--set '{}': unknown parameter '{}'{}; `innosim scenario parameters` lists them", item,
                      key, guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess)));
    }
    const ConfigDocument doc = parse_yaml(item.substr(eq + 1), fmt::format("--set {}", key));
    set_parameter(doc, *spec, doc.root, params);
  }
  try {
    models::forkommune::validate(params);
  } catch (const sim::ParamError& e) {
    throw ScenarioError(fmt::format("--set: {}", e.what()));
  }
}

std::vector<CalibrationTarget> calibration_targets() {
  using R = TargetReading;
  const auto B = TargetKind::kBookkeeping;
  const auto E = TargetKind::kEmergent;
  std::vector<CalibrationTarget> t;
  // ---- §7.1 bookkeeping checks: inputs that come back out ----------------------------------------
  for (const char* world : {"no-programme", "baseline"}) {
    t.push_back({B, "own innovations involving a research institution", world,
                 "share_research_own at the end: own innovations drawn as research-backed / own innovations, "
                 "over the 15 years",
                 "share of municipal innovations made with a research institution (surveys)",
                 "share_research_own", "", R::kFinal, 0, 0, 0.13, 0.15, "0.13-0.15",
                 "Meld. St. 30 (2019-2020); Menon 2018", "input innovation.research_share_own = 0.14"});
    t.push_back({B, "innovations documented", world,
                 "share_documented at the end: documented / all innovations made in the 15 years",
                 "share of innovations evaluated or written up", "share_documented", "", R::kFinal, 0, 0,
                 0.42, 0.48, "about 0.45 (read as 0.42-0.48)", "COI Innovationsbarometer",
                 "input innovation.documented_share_own = 0.44 (and the programme's documentation plans)"});
    t.push_back({B, "process or organisational innovations", world,
                 "share_process at the end: innovations whose types include process / all",
                 "share of innovations that are (also) process or organisational", "share_process", "",
                 R::kFinal, 0, 0, 0.57, 0.63, "about 0.60 (read as 0.57-0.63)",
                 "KS Innovasjonsbarometer 2018 (63 %), 2020",
                 "input innovation.type_process = 0.57 plus innovation.combined_share"});
  }
  t.push_back({B, "mean innovation-project grant (MNOK)", "baseline",
               "ip_mean_grant_mnok at the end: grants of funded innovation projects / their number",
               "mean grant of funded innovation projects", "ip_mean_grant_mnok", "", R::kFinal, 0, 0, 6.2,
               6.6, "6.4 (read as 6.2-6.6)", "calls 2017-2020",
               "input programme.ip_grant_median_mnok = 6.75, clipped to [3, 7]"});
  t.push_back({B, "owners per funded innovation project", "baseline",
               "ip_owners_per_project at the end: owners of funded innovation projects / projects",
               "municipalities per funded project", "ip_owners_per_project", "", R::kFinal, 0, 0, 2.4, 3.0,
               "at least 2.4 (read as 2.4-3.0)", "2019 call",
               "mostly input programme.ip_partners_mean = 1.0 (review prefers larger consortia a little)"});
  // ---- §7.2 emergent targets --------------------------------------------------------------------
  for (const char* world : {"no-programme", "baseline"}) {
    t.push_back(
        {E, "municipalities with at least one innovation (own or adopted) in two years", world,
         "innovating_24m_share: municipalities with an own innovation or a completed adoption in the 24 "
         "months before the date / 357; mean of the 15 year ends",
         "share of municipal units reporting at least one innovation in the last two years",
         "innovating_24m_share", "", R::kMeanOfYearEnds, 0, 0, 0.70, 0.85, "0.75 (0.70-0.85)",
         "Menon 2018; KS Innovasjonsbarometer 2018/2020: 74 % of units",
         "innovation.own_rate_per_year, innovation.benefit_median, diffusion.p_per_year and q_per_year"});
    t.push_back(
        {E, "municipalities with a research-backed innovation in the last two years, among innovating ones",
         world,
         "research_innovating_24m_share: among municipalities innovating in the 24 months before the date, "
         "the "
         "share with an own research-backed innovation or a successful innovation project in them; mean of "
         "the "
         "15 year ends",
         "share of innovating municipalities (units) whose innovation work in the last two years involved a "
         "research institution",
         "research_innovating_24m_share", "", R::kMeanOfYearEnds, 0, 0, 0.10, 0.20, "about 0.15 (0.10-0.20)",
         "Menon 2018",
         "none; it moves almost one to one with the input innovation.research_share_own (0.07 gives 0.07), "
         "so "
         "it checks little more than that innovating municipalities make about one own innovation in two "
         "years"});
  }
  const struct {
    const char* world;
    const char* budget;
    double low, high;
    const char* text;
    const char* tuned;
  } calls[] = {{"baseline", "the planned budget (60 MNOK)", 0.30, 0.40, "0.35 (0.10-0.45; read as 0.30-0.40)",
                "programme.ip_apply_rate_per_year"},
               {"half-budget", "half the budget (30 MNOK)", 0.10, 0.45, "within 0.10-0.45",
                "programme.application_elasticity"},
               {"double-budget", "double the budget (120 MNOK)", 0.10, 0.45, "within 0.10-0.45",
                "programme.application_elasticity"}};
  for (const auto& c : calls) {
    t.push_back(
        {E, fmt::format("innovation-project call success rate at {}", c.budget), c.world,
         "awards_innovation_project / applications_innovation_project, summed over programme years 3-15 "
         "(after the ramp-up)",
         "funded / submitted innovation-project applications in a call", "awards_innovation_project",
         "applications_innovation_project", R::kRatioFromYear, 3, 0, c.low, c.high, c.text,
         "calls 2017 (0.10), 2019 (38 of 110), 2020 (0.42)", c.tuned});
  }
  const char* wt = "welfare-technology";
  const char* wt_source = "Helsedirektoratet, Omsorg 2020 - årsrapport 2019; Sykepleien 2021; KS";
  const char* wt_def = "municipalities that have welfare technology in ordinary use (of 356)";
  const char* wt_tuned = "diffusion.p_per_year, q_per_year (the programme's enrolment effects are estimates)";
  t.push_back(
      {E, "welfare technology in ordinary use, 2016", wt,
       "national.welfare-technology.share (municipalities that completed its adaptation / 357) at the end "
       "of June 2016, the middle of the year the figure describes",
       wt_def, "national.welfare-technology.share", "", R::kAtDate, 2016, 6, 0.06, 0.10,
       "about 0.08 (34 development municipalities; read as 0.06-0.10)", wt_source,
       "none; it is set mostly by the scenario's development schedule (an input): with the old p and q it is "
       "0.075; it checks that little spreads before the spread phase"});
  t.push_back({E, "welfare technology in ordinary use, January 2020", wt,
               "national.welfare-technology.share at the end of January 2020", wt_def,
               "national.welfare-technology.share", "", R::kAtDate, 2020, 1, 0.33, 0.43,
               "0.38 (137 of 356; read as 0.33-0.43)", wt_source, wt_tuned});
  t.push_back({E, "welfare technology in ordinary use, late 2021", wt,
               "national.welfare-technology.share at the end of November 2021", wt_def,
               "national.welfare-technology.share", "", R::kAtDate, 2021, 11, 0.60, 0.70,
               "0.63 (at least 226; read as 0.60-0.70)", wt_source, wt_tuned});
  t.push_back(
      {E, "years from the spread phase (2016/17) to 50 % of municipalities", wt,
       "national.welfare-technology.months_to_50pct / 12 (months from the spread phase's start, "
       "September 2016, to 50 % of municipalities); a replicate that never reaches 50 % counts as the "
       "run's end",
       "years after the spread phase began until half of municipalities had welfare technology",
       "national.welfare-technology.months_to_50pct", "national.welfare-technology.reached_50pct",
       R::kMonthsToReach, 0, 0, 4.0, 7.0, "4-7 years", wt_source, wt_tuned});
  return t;
}

std::vector<TargetResult> evaluate_calibration(std::uint64_t replicates, unsigned threads,
                                               const std::function<void(const std::string&)>& progress,
                                               const ParameterOverrides& overrides,
                                               std::vector<CallSeries>* calls) {
  const auto targets = calibration_targets();
  std::vector<std::string> scenarios;
  for (const auto& t : targets) {
    if (std::find(scenarios.begin(), scenarios.end(), t.scenario) == scenarios.end())
      scenarios.push_back(t.scenario);
  }
  const unsigned use = use_threads(threads);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, use);
  std::vector<TargetResult> results;
  results.reserve(targets.size());
  for (const auto& t : targets) results.push_back({t, 0, 0, replicates});
  for (const std::string& name : scenarios) {
    if (progress) progress(name);
    ProgrammeScenario scenario = load_programme_scenario(name);
    auto params = scenario.params;
    apply_overrides(overrides, params);
    params.run.replicates = static_cast<std::int64_t>(replicates);
    const auto world = world_for(params, scenario.directory);
    const ProgrammeModel model(world, params);
    const auto& schema = model.layout().schema;
    const std::size_t width = schema.size();
    const sim::Step steps = model.steps();
    std::vector<sim::RunningStats> stats(targets.size());
    bool success_rows = false;
    for (const auto& t : targets)
      success_rows |= t.scenario == name && t.indicator == "awards_innovation_project";
    const std::size_t years = steps / 12;
    std::vector<double> awarded(years, 0.0), applied(years, 0.0);
    const std::size_t awards_ix = schema.require("awards_innovation_project");
    const std::size_t apps_ix = schema.require("applications_innovation_project");
    models::forkommune::run_ensemble(
        model, static_cast<sim::Replicate>(replicates), use, [&](ProgrammeResult&& r) {
          if (success_rows) {
            for (sim::Step s = 1; s <= steps; ++s) {
              awarded[(s - 1) / 12] += r.series[s * width + awards_ix];
              applied[(s - 1) / 12] += r.series[s * width + apps_ix];
            }
          }
          for (std::size_t k = 0; k < targets.size(); ++k) {
            const auto& t = targets[k];
            if (t.scenario != name) continue;
            const std::size_t i = schema.require(t.indicator);
            auto at = [&](sim::Step s, std::size_t ind) { return r.series[s * width + ind]; };
            double value = 0;
            switch (t.reading) {
              case TargetReading::kFinal:
                value = at(steps, i);
                break;
              case TargetReading::kMeanOfYearEnds: {
                double sum = 0;
                for (sim::Step s = 12; s <= steps; s += 12) sum += at(s, i);
                const sim::Step whole_years = steps / 12;  // steps is a multiple of 12
                value = sum / static_cast<double>(whole_years);
                break;
              }
              case TargetReading::kAtDate: {
                const auto month = (t.year - params.run.start_year) * 12 + t.month;
                value = month >= 1 && month <= static_cast<std::int64_t>(steps)
                            ? at(static_cast<sim::Step>(month), i)
                            : std::numeric_limits<double>::quiet_NaN();
                break;
              }
              case TargetReading::kRatioFromYear: {
                const std::size_t d = schema.require(t.denominator);
                double num = 0, den = 0;
                for (auto s = static_cast<sim::Step>((t.year - 1) * 12 + 1); s <= steps; ++s) {
                  num += at(s, i);
                  den += at(s, d);
                }
                value = den > 0 ? num / den : 0.0;
                break;
              }
              case TargetReading::kMonthsToReach: {
                const std::size_t reached = schema.require(t.denominator);
                // The programme's spread start, in months of the run, gives the censoring value.
                const std::string name_of = t.indicator.substr(9, t.indicator.find('.', 9) - 9);
                double censored = 0;
                for (const auto& np : params.national_programmes) {
                  if (np.name == name_of)
                    censored = static_cast<double>(steps) -
                               static_cast<double>((np.spread_start.year - params.run.start_year) * 12 +
                                                   np.spread_start.month);
                }
                value = (at(steps, reached) > 0 ? at(steps, i) : censored) / 12.0;
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
    if (success_rows && calls != nullptr) {
      CallSeries series{name, {}};
      for (std::size_t y = 0; y < years; ++y)
        series.rate.push_back(applied[y] > 0 ? awarded[y] / applied[y]
                                             : std::numeric_limits<double>::quiet_NaN());
      calls->push_back(std::move(series));
    }
  }
  return results;
}

std::string calibration_table(const std::vector<TargetResult>& results,
                              const std::vector<CallSeries>& calls) {
  auto value = [](const TargetResult& r) {
    const double half = 1.96 * r.sem;
    return fmt::format("{:.3f} ({:.3f}-{:.3f})", r.mean, r.mean - half, r.mean + half);
  };
  std::string out =
      "Bookkeeping checks (DOMAIN.md §7.1): an input comes back out. They test the code, not the model,\n"
      "and are not calibration.\n\n"
      "| check | world | computed from the result file | the input it echoes | value (95 % interval) | "
      "expected | "
      "agrees |\n|---|---|---|---|---|---|---|\n";
  for (const auto& r : results) {
    if (r.target.kind != TargetKind::kBookkeeping) continue;
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} |\n", r.target.observable, r.target.scenario,
                       r.target.definition, r.target.origin, value(r), r.target.target_text,
                       r.inside() ? "yes" : "**no**");
  }
  out +=
      "\nEmergent targets (DOMAIN.md §7.2): what the model's dynamics must produce. These are the "
      "calibration.\n\n"
      "| target | world | computed from the result file | the source's definition | value (95 % interval) | "
      "target (range) | verdict | source | tuned against it |\n|---|---|---|---|---|---|---|---|---|\n";
  for (const auto& r : results) {
    if (r.target.kind != TargetKind::kEmergent) continue;
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", r.target.observable,
                       r.target.scenario, r.target.definition, r.target.source_definition, value(r),
                       r.target.target_text, r.inside() ? "inside" : "**outside**", r.target.source,
                       r.target.origin);
  }
  if (!results.empty()) out += fmt::format("\n{} replicates per world.\n", results.front().replicates);
  if (!calls.empty()) {
    out +=
        "\nInnovation-project success rate call by call (awards / applications of the programme year, pooled "
        "over "
        "the replicates):\n\n| scenario |";
    for (std::size_t y = 1; y <= calls.front().rate.size(); ++y) out += fmt::format(" {} |", y);
    out += "\n|---|";
    for (std::size_t y = 1; y <= calls.front().rate.size(); ++y) out += "---|";
    out += "\n";
    for (const auto& c : calls) {
      out += fmt::format("| {} |", c.scenario);
      for (const double r : c.rate) out += std::isnan(r) ? std::string(" - |") : fmt::format(" {:.2f} |", r);
      out += "\n";
    }
  }
  return out;
}

std::vector<DecompositionStep> diffusion_decomposition(std::uint64_t replicates, unsigned threads,
                                                       std::int64_t years,
                                                       const ParameterOverrides& overrides) {
  const unsigned use = use_threads(threads);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, use);
  ProgrammeScenario scenario = load_programme_scenario(std::string("no-programme"));
  Params base = scenario.params;
  apply_overrides(overrides, base);
  base.run.years = years;
  base.run.replicates = static_cast<std::int64_t>(replicates);
  // The proven innovation: benefit 1, documented and actively spread, no ageing, made (developed)
  // by the largest municipality in the first month and spread with no help.
  models::forkommune::NationalProgramme proven;
  proven.name = "proven";
  proven.types = {"process"};
  proven.complexity_months = base.innovation.complexity_median_months;
  proven.development_count = 1;
  proven.development_start = {base.run.start_year, 1};
  proven.development_end = proven.development_start;
  proven.spread_start = proven.development_start;
  base.national_programmes = {proven};
  Params complete = base;
  complete.world.complete_exposure = true;
  const auto network_world = world_for(base, ".");
  const auto complete_world = world_for(complete, ".");

  // Each step switches one factor of the hazard back on.
  struct Step {
    std::string name;
    std::function<void(Params&)> set;
  };
  const auto& d0 = base.diffusion;
  const auto& in0 = base.innovation;
  const std::vector<Step> steps = {
      {"Bass model of the same p and q: everyone hears every adopter, capacity, fit and benefit 1, adoption "
       "at once",
       [](Params& p) {
         p.world.complete_exposure = true;
         p.diffusion.absorptive_exponent = 0;
         p.diffusion.fit_decay_per_class = 0;
         p.diffusion.adaptation_duration_factor = 0;
         p.diffusion.adaptation_abandon_per_month = 0;
         p.diffusion.staff_limit = false;
         p.innovation.own_rate_per_year = 0;
       }},
      {"+ the network: an owner hears the adopters among its neighbours, regional council and county",
       [](Params& p) { p.world.complete_exposure = false; }},
      {"+ absorptive capacity (hazard x capacity)",
       [d0](Params& p) { p.diffusion.absorptive_exponent = d0.absorptive_exponent; }},
      {"+ context fit (hazard x exp(-decay x centrality gap))",
       [d0](Params& p) { p.diffusion.fit_decay_per_class = d0.fit_decay_per_class; }},
      {"+ adaptation: months of work, abandonment, staff",
       [d0](Params& p) {
         p.diffusion.adaptation_duration_factor = d0.adaptation_duration_factor;
         p.diffusion.adaptation_abandon_per_month = d0.adaptation_abandon_per_month;
         p.diffusion.staff_limit = d0.staff_limit;
       }},
      {"+ everything else (own innovations compete for staff; learning): the model as it runs",
       [in0](Params& p) { p.innovation.own_rate_per_year = in0.own_rate_per_year; }},
  };
  std::vector<DecompositionStep> out;
  Params p = base;
  for (const Step& step : steps) {
    step.set(p);
    const ProgrammeModel model(p.world.complete_exposure ? complete_world : network_world, p);
    const auto& schema = model.layout().schema;
    const std::size_t width = schema.size();
    const std::size_t share = schema.require("national.proven.share");
    const std::size_t m10 = schema.require("national.proven.months_to_10pct");
    const std::size_t r10 = schema.require("national.proven.reached_10pct");
    const std::size_t m50 = schema.require("national.proven.months_to_50pct");
    const std::size_t r50 = schema.require("national.proven.reached_50pct");
    std::vector<sim::RunningStats> by_year(static_cast<std::size_t>(years));
    sim::RunningStats months10, months50, reached50;
    const sim::Step n = model.steps();
    models::forkommune::run_ensemble(model, static_cast<sim::Replicate>(replicates), use,
                                     [&](ProgrammeResult&& r) {
                                       for (std::int64_t y = 1; y <= years; ++y)
                                         by_year[static_cast<std::size_t>(y - 1)].add(
                                             r.series[static_cast<std::size_t>(12 * y) * width + share]);
                                       if (r.series[n * width + r10] > 0)
                                         months10.add(r.series[n * width + m10]);
                                       reached50.add(r.series[n * width + r50]);
                                       if (r.series[n * width + r50] > 0)
                                         months50.add(r.series[n * width + m50]);
                                     });
    DecompositionStep s;
    s.name = step.name;
    for (const auto& y : by_year) {
      s.mean.push_back(y.mean());
      s.sem.push_back(y.sem());
    }
    s.months_to_10 = months10.count() > 0 ? months10.mean() : -1;
    s.months_to_50 = months50.count() > 0 ? months50.mean() : -1;
    s.reached_10 = static_cast<double>(months10.count()) / static_cast<double>(replicates);
    s.reached_50 = reached50.mean();
    out.push_back(std::move(s));
  }
  // The closed form of the first step's Bass model, for reference: one first adopter of N owners.
  DecompositionStep bass;
  bass.name = "(closed form of the Bass model, p and q per year, from one first adopter)";
  const double owners = network_world->num_owners();
  for (std::int64_t y = 1; y <= years; ++y) {
    bass.mean.push_back(models::bass_closed_form(base.diffusion.p_per_year, base.diffusion.q_per_year,
                                                 static_cast<double>(y), 1.0 / owners));
    bass.sem.push_back(0);
  }
  out.insert(out.begin(), std::move(bass));
  return out;
}

std::string decomposition_table(const std::vector<DecompositionStep>& steps, std::uint64_t replicates) {
  std::string out = "| step | ";
  const std::size_t years = steps.empty() ? 0 : steps.front().mean.size();
  for (std::size_t y : {std::size_t{2}, std::size_t{5}, std::size_t{10}, years}) {
    if (y <= years) out += fmt::format("year {} | ", y);
  }
  out += "years to 10 % | years to 50 % |\n|---|";
  for (std::size_t y : {std::size_t{2}, std::size_t{5}, std::size_t{10}, years}) {
    if (y <= years) out += "---|";
  }
  out += "---|---|\n";
  for (const auto& s : steps) {
    out += fmt::format("| {} | ", s.name);
    for (std::size_t y : {std::size_t{2}, std::size_t{5}, std::size_t{10}, years}) {
      if (y <= years) out += fmt::format("{:.1f} % | ", 100 * s.mean[y - 1]);
    }
    auto years_text = [&](double months, double reached) -> std::string {
      if (s.sem.front() == 0) return "";  // the closed form
      if (reached == 0) return "not reached";
      if (reached < 1)
        return fmt::format("{:.1f} (reached in {:.0f} % of replicates)", months / 12.0, 100 * reached);
      return fmt::format("{:.1f}", months / 12.0);
    };
    out += fmt::format("{} | {} |\n", years_text(s.months_to_10, s.reached_10),
                       years_text(s.months_to_50, s.reached_50));
  }
  out += fmt::format(
      "\nShare of municipalities that have the innovation at the year's end; {} replicates per step.\n",
      replicates);
  return out;
}

}  // namespace innosim::tools
