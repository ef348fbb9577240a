// Run summaries and the programme report.
#include "output/run_summary.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <ostream>

#include "sim/error.hpp"

namespace innosim::output {

RunSummary::RunSummary(const sim::IndicatorSchema& schema, sim::Step steps, sim::Step steps_per_period)
    : schema_(schema),
      steps_(steps),
      per_period_(steps_per_period),
      periods_(steps / steps_per_period),
      end_(schema.size()),
      period_(periods_ * schema.size()) {}

void fold_series(const sim::IndicatorSchema& schema, std::span<const double> series, sim::Step steps,
                 sim::Step per_year, std::span<double> yearly, std::span<double> totals) {
  const std::size_t width = schema.size();
  const sim::Step years = steps / per_year;
  for (std::size_t i = 0; i < width; ++i) {
    const bool flow = schema[i].aggregation == sim::Aggregation::kFlow;
    double total = 0;
    for (sim::Step y = 0; y < years; ++y) {
      double v = 0;
      if (flow) {
        for (sim::Step t = y * per_year + 1; t <= (y + 1) * per_year; ++t) v += series[t * width + i];
      } else {
        v = series[(std::size_t{y} + 1) * per_year * width + i];
      }
      yearly[std::size_t{y} * width + i] = v;
      total += v;
    }
    if (flow) {
      // Months past the last whole year count too.
      for (sim::Step t = years * per_year + 1; t <= steps; ++t) total += series[t * width + i];
      totals[i] = total;
    } else {
      totals[i] = series[std::size_t{steps} * width + i];
    }
  }
}

void RunSummary::add_replicate(std::span<const double> values) {
  const std::size_t width = schema_.size();
  if (values.size() != (std::size_t{steps_} + 1) * width) {
    throw sim::ParamError(fmt::format("a replicate series has {} values, the summary expects {}",
                                      values.size(), (std::size_t{steps_} + 1) * width));
  }
  period_row_.resize(periods_ * width);
  end_row_.resize(width);
  fold_series(schema_, values, steps_, per_period_, period_row_, end_row_);
  for (std::size_t k = 0; k < period_row_.size(); ++k) period_[k].add(period_row_[k]);
  for (std::size_t i = 0; i < width; ++i) end_[i].add(end_row_[i]);
  ++replicates_;
}

const sim::RunningStats& RunSummary::end(std::string_view name) const {
  return end_.at(schema_.require(name));
}

const sim::RunningStats& RunSummary::period(std::size_t p, std::string_view name) const {
  return period_.at(p * schema_.size() + schema_.require(name));
}

namespace {

std::string with_interval(const sim::RunningStats& s, double scale, int decimals, const char* suffix = "") {
  const auto ci = sim::mean_interval(s);
  return fmt::format("{:>12}{}  [{} – {}]", group_thousands(s.mean() * scale, decimals), suffix,
                     group_thousands(ci.low * scale, decimals), group_thousands(ci.high * scale, decimals));
}

}  // namespace

std::vector<std::string> result_warnings(const RunSummary& s) {
  std::vector<std::string> out;
  if (!s.schema().find("money_lapsed_mnok") || s.periods() == 0) return out;
  const double budget = s.end("money_budget_mnok").mean();
  const double lapsed = s.end("money_lapsed_mnok").mean();
  if (budget <= 0) return out;
  if (lapsed > 0.005) {
    out.push_back(
        fmt::format("{} MNOK of the budget of {} MNOK lapsed uncommitted (mean over replicates): money "
                    "that bought nothing.",
                    group_thousands(lapsed, 1), group_thousands(budget, 1)));
  }
  const double left = s.period(s.periods() - 1, "money_carried_over_mnok").mean();
  if (left > 0.005) {
    out.push_back(
        fmt::format("{} MNOK of the budget were still uncommitted at the end of the last year and carried "
                    "over beyond the run (mean over replicates).",
                    group_thousands(left, 1)));
  }
  const struct {
    const char* indicator;
    const char* name;
  } instruments[] = {{"pre_project", "pre-project"},
                     {"innovation_project", "innovation project"},
                     {"competence_project", "competence project"}};
  for (const auto& in : instruments) {
    if (s.end(fmt::format("awards_{}", in.indicator)).max() == 0 &&
        s.end(fmt::format("applications_{}", in.indicator)).mean() > 0) {
      out.push_back(
          fmt::format("no {} was funded in any replicate, although there were applications.", in.name));
    }
  }
  return out;
}

void write_programme_summary(std::ostream& out, const Facts& facts, const RunSummary& s,
                             const std::vector<std::string>& group_names,
                             const std::vector<double>& group_municipalities,
                             const std::vector<std::string>& fired_rules, std::int64_t start_year,
                             const std::vector<std::string>& warnings) {
  std::size_t label_width = 0;
  for (const auto& [label, _] : facts) label_width = std::max(label_width, label.size());
  for (const auto& [label, text] : facts)
    fmt::print(out, "  {:<{}}  {}\n", label + ":", label_width + 1, text);
  if (!warnings.empty()) {
    fmt::print(out, "\n  Warnings:\n");
    for (const auto& w : warnings) fmt::print(out, "    ! {}\n", w);
  }

  const std::size_t years = s.periods();
  fmt::print(out, "\n  Results over {} years (mean over {} replicates, 95 % interval):\n\n", years,
             s.replicates());
  auto row = [&](const std::string& label, const std::string& value) {
    fmt::print(out, "    {:<46}{}\n", label, value);
  };
  row("innovations created", with_interval(s.end("innovations_created"), 1, 0));
  row("  of which from programme projects", with_interval(s.end("innovations_programme"), 1, 0));
  row("adoptions", with_interval(s.end("adoptions"), 1, 0));
  row("  spread beyond the innovation's makers", with_interval(s.end("spread_adoptions"), 1, 0));
  row("  wished for but waiting for staff", with_interval(s.end("adoptions_delayed_staff"), 1, 0));
  row("municipalities using research (%)", with_interval(s.end("research_using_share"), 100, 1));
  row("municipalities innovating, last 2 years (%)", with_interval(s.end("innovating_24m_share"), 100, 1));
  row("  of which with research in the innovation (%)",
      with_interval(s.end("research_innovating_24m_share"), 100, 1));
  row("innovations reaching 10 % of owners", with_interval(s.end("innovations_reached_10pct"), 1, 0));
  row("innovation-project applications", with_interval(s.end("applications_innovation_project"), 1, 0));
  row("innovation projects funded", with_interval(s.end("awards_innovation_project"), 1, 0));
  row("  success rate of applications (%)", with_interval(s.end("ip_success_rate"), 100, 1));
  row("  mean grant (MNOK)", with_interval(s.end("ip_mean_grant_mnok"), 1, 2));
  row("  owners per funded project", with_interval(s.end("ip_owners_per_project"), 1, 2));
  row("  led by small municipalities (%)", with_interval(s.end("ip_small_lead_share"), 100, 1));
  row("  led by newcomers (%)", with_interval(s.end("ip_newcomer_lead_share"), 100, 1));
  row("pre-projects / competence projects funded",
      fmt::format("{:>12} / {}", group_thousands(s.end("awards_pre_project").mean(), 1),
                  group_thousands(s.end("awards_competence_project").mean(), 1)));
  row("programme budget (MNOK)", with_interval(s.end("money_budget_mnok"), 1, 1));
  row("  committed to grants and arenas (MNOK)", with_interval(s.end("money_committed_mnok"), 1, 1));
  row("  paid out by the end (MNOK)", with_interval(s.end("money_spent_mnok"), 1, 1));
  row("  lapsed uncommitted (MNOK)", with_interval(s.end("money_lapsed_mnok"), 1, 1));
  if (years > 0)
    row("  uncommitted, carried beyond the run (MNOK)",
        with_interval(s.period(years - 1, "money_carried_over_mnok"), 1, 1));
  row("owners' co-funding of innovation projects (MNOK)", with_interval(s.end("cofunding_mnok"), 1, 1));
  row("publications", with_interval(s.end("publications"), 1, 0));
  row("PhDs", with_interval(s.end("phds"), 1, 0));
  row("lasting municipality-research ties", with_interval(s.end("collab_ties_municipality_research"), 1, 0));
  row("mean capacity / culture at the end",
      fmt::format("{:>12} / {:.3f}", fmt::format("{:.3f}", s.end("mean_capacity").mean()),
                  s.end("mean_culture").mean()));
  row("Gini of adoptions across municipalities", with_interval(s.end("gini_adoptions"), 1, 3));

  fmt::print(out,
             "\n  Year by year (means):\n\n    {:>4}  {:>11}  {:>9}  {:>9}  {:>9}  {:>8}  {:>10}  {:>13}\n",
             "year", "innovations", "adoptions", "spread", "IP funded", "MNOK", "research %", "innovating %");
  for (std::size_t y = 0; y < years; ++y) {
    fmt::print(out, "    {:>4}  {:>11}  {:>9}  {:>9}  {:>9}  {:>8}  {:>10.1f}  {:>13.1f}\n",
               start_year + static_cast<std::int64_t>(y),
               group_thousands(s.period(y, "innovations_created").mean(), 1),
               group_thousands(s.period(y, "adoptions").mean(), 1),
               group_thousands(s.period(y, "spread_adoptions").mean(), 1),
               group_thousands(s.period(y, "awards_innovation_project").mean(), 1),
               group_thousands(s.period(y, "money_committed_mnok").mean(), 1),
               100 * s.period(y, "research_using_share").mean(),
               100 * s.period(y, "innovating_24m_share").mean());
  }

  fmt::print(out,
             "\n  By group, per owner over the whole run (means):\n\n    {:<16}  {:>6}  {:>10}  {:>8}  "
             "{:>12}  {:>10}\n",
             "group", "owners", "adoptions", "spread", "innovations", "research %");
  for (std::size_t g = 0; g < group_names.size(); ++g) {
    if (group_names[g].starts_with("county_")) continue;  // counties are in the result file
    const double n = group_municipalities[g];
    if (n <= 0) continue;
    fmt::print(out, "    {:<16}  {:>6.0f}  {:>10.2f}  {:>8.2f}  {:>12.2f}  {:>10.1f}\n", group_names[g], n,
               s.end("adoptions." + group_names[g]).mean() / n,
               s.end("spread_adoptions." + group_names[g]).mean() / n,
               s.end("innovations_created." + group_names[g]).mean() / n,
               100 * s.end("research_using." + group_names[g]).mean() / n);
  }
  // National programmes: the named innovation's share of municipalities, year by year.
  for (std::size_t i = 0; i < s.schema().size(); ++i) {
    const std::string& name = s.schema()[i].name;
    if (!name.starts_with("national.") || !name.ends_with(".share")) continue;
    const std::string prefix = name.substr(0, name.size() - 5);
    const std::string programme = prefix.substr(9, prefix.size() - 10);
    fmt::print(out, "\n  National programme '{}': municipalities that have its innovation (year ends):\n\n",
               programme);
    fmt::print(out, "    {:>4}  {:>22}  {:>9}\n", "year", "share % [95 % interval]", "enrolled");
    for (std::size_t y = 0; y < years; ++y) {
      const auto& share = s.period(y, name);
      const auto ci = sim::mean_interval(share);
      fmt::print(out, "    {:>4}  {:>6.1f} [{:>5.1f} – {:>5.1f}]  {:>9.0f}\n",
                 start_year + static_cast<std::int64_t>(y), 100 * share.mean(), 100 * ci.low, 100 * ci.high,
                 s.period(y, prefix + "enrolled").mean());
    }
    for (const char* pct : {"10", "50"}) {
      const double reached = s.end(fmt::format("{}reached_{}pct", prefix, pct)).mean();
      const double months = s.end(fmt::format("{}months_to_{}pct", prefix, pct)).mean();
      if (reached > 0) {
        fmt::print(out,
                   "    {} %: reached in {:.0f} % of replicates, {:.1f} years after the spread phase began\n",
                   pct, 100 * reached, months / reached / 12.0);
      } else {
        fmt::print(out, "    {} %: not reached in any replicate\n", pct);
      }
    }
  }
  if (!fired_rules.empty()) {
    fmt::print(out, "\n  Adaptive rules fired (replicate 0):\n");
    for (const auto& r : fired_rules) fmt::print(out, "    {}\n", r);
  }
}

}  // namespace innosim::output
