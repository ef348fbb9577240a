// Paired scenario comparisons (see comparison.hpp).
#include "output/comparison.hpp"

#include "output/labels.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <ostream>

#include "output/summary.hpp"
#include "sim/error.hpp"

namespace innosim::output {

void RatioStats::add(double a, double b) noexcept {
  ++n_;
  const double n = static_cast<double>(n_);
  const double da = a - mean_a_;
  const double db = b - mean_b_;
  mean_a_ += da / n;
  mean_b_ += db / n;
  caa_ += da * (a - mean_a_);
  cbb_ += db * (b - mean_b_);
  cab_ += da * (b - mean_b_);
}

double RatioStats::ratio() const noexcept {
  return mean_b_ != 0 ? mean_a_ / mean_b_ : std::nan("");
}

std::optional<sim::Interval> RatioStats::interval(double level) const {
  if (n_ < 2) return std::nullopt;
  const double n = static_cast<double>(n_);
  const double t = sim::student_t_quantile(0.5 + level / 2, n - 1);
  const double var_a = caa_ / (n - 1) / n, var_b = cbb_ / (n - 1) / n, cov = cab_ / (n - 1) / n;
  // The denominator must be clearly away from zero for the ratio to be bounded.
  if (std::abs(mean_b_) <= t * std::sqrt(var_b)) return std::nullopt;
  const double r = mean_a_ / mean_b_;
  const double var_r = (var_a + r * r * var_b - 2 * r * cov) / (mean_b_ * mean_b_);
  const double half = t * std::sqrt(std::max(0.0, var_r));
  return sim::Interval{r - half, r + half};
}

Comparison::Comparison(ComparisonSetup setup, const sim::IndicatorSchema& schema) : setup_(std::move(setup)) {
  const std::size_t ns = setup_.scenarios.size();
  if (ns == 0 || setup_.reference >= ns)
    throw sim::ParamError("a comparison needs a reference among its scenarios");
  for (const Metric& m : setup_.metrics) metric_index_.push_back(schema.require(m.indicator));
  money_ = schema.require(setup_.money_indicator);
  adoptions_ = schema.require(setup_.adoptions_indicator);
  research_ = schema.require(setup_.research_indicator);
  for (const auto& g : setup_.groups)
    group_index_.push_back(schema.require(setup_.adoptions_indicator + "." + g));
  if (setup_.group_sizes.size() != setup_.groups.size())
    throw sim::ParamError("group sizes do not match groups");
  values_.resize(ns * setup_.metrics.size());
  differences_.resize(values_.size());
  extra_adoptions_.resize(ns);
  extra_research_.resize(ns);
  extra_money_.resize(ns);
  cost_adoption_.resize(ns);
  cost_research_.resize(ns);
  group_values_.resize(ns * setup_.groups.size());
  group_differences_.resize(group_values_.size());
  schema_ = schema;
  totals_.resize(ns * schema.size());
}

double Comparison::total_mean(std::size_t s, std::string_view indicator) const {
  const auto i = schema_.find(indicator);
  return i ? totals_.at(s * schema_.size() + *i).mean() : 0.0;
}

const sim::RunningStats* Comparison::total(std::size_t s, std::string_view indicator) const {
  const auto i = schema_.find(indicator);
  return i ? &totals_.at(s * schema_.size() + *i) : nullptr;
}

void Comparison::add_replicate(std::span<const std::vector<double>> totals) {
  const std::size_t ns = setup_.scenarios.size();
  if (totals.size() != ns) throw sim::ParamError("a comparison replicate needs every scenario's totals");
  const auto& ref = totals[setup_.reference];
  const std::size_t nm = setup_.metrics.size();
  for (std::size_t s = 0; s < ns; ++s) {
    for (std::size_t i = 0; i < schema_.size() && i < totals[s].size(); ++i)
      totals_[s * schema_.size() + i].add(totals[s][i]);
    for (std::size_t m = 0; m < nm; ++m) {
      const std::size_t i = metric_index_[m];
      const double scale = setup_.metrics[m].scale;
      values_[s * nm + m].add(totals[s][i] * scale);
      differences_[s * nm + m].add((totals[s][i] - ref[i]) * scale);
    }
    for (std::size_t g = 0; g < setup_.groups.size(); ++g) {
      const std::size_t i = group_index_[g];
      const double size = std::max(1.0, setup_.group_sizes[g]);
      group_values_[s * setup_.groups.size() + g].add(totals[s][i] / size);
      group_differences_[s * setup_.groups.size() + g].add((totals[s][i] - ref[i]) / size);
    }
    if (setup_.counterfactual) {
      const auto& cf = totals[*setup_.counterfactual];
      const double da = totals[s][adoptions_] - cf[adoptions_];
      const double dr = (totals[s][research_] - cf[research_]) * setup_.municipalities;
      const double dm = totals[s][money_] - cf[money_];
      extra_adoptions_[s].add(da);
      extra_research_[s].add(dr);
      extra_money_[s].add(dm);
      cost_adoption_[s].add(dm, da);
      cost_research_[s].add(dm, dr);
    }
  }
  ++replicates_;
}

const sim::RunningStats& Comparison::value(std::size_t s, std::size_t m) const {
  return values_.at(s * setup_.metrics.size() + m);
}
const sim::RunningStats& Comparison::difference(std::size_t s, std::size_t m) const {
  return differences_.at(s * setup_.metrics.size() + m);
}
const sim::RunningStats& Comparison::group_value(std::size_t s, std::size_t g) const {
  return group_values_.at(s * setup_.groups.size() + g);
}
const sim::RunningStats& Comparison::group_difference(std::size_t s, std::size_t g) const {
  return group_differences_.at(s * setup_.groups.size() + g);
}

namespace {

// Numbers for the terminal: English as before (ASCII minus, comma thousands); bokmål as the
// reports write it (format_number).
std::string number(double v, int decimals, Language lang) {
  return lang == Language::kEnglish ? group_thousands(v, decimals) : format_number(v, decimals, lang);
}

std::string signed_number(double v, int decimals, Language lang) {
  if (lang != Language::kEnglish) return format_number(v, decimals, lang, true);
  const std::string s = group_thousands(v, decimals);
  return v > 0 ? "+" + s : s;
}

// "1,234 [1,200 – 1,270]"
std::string mean_ci(const sim::RunningStats& s, int decimals, Language lang) {
  const auto ci = sim::mean_interval(s);
  return fmt::format("{} [{} – {}]", number(s.mean(), decimals, lang), number(ci.low, decimals, lang),
                     number(ci.high, decimals, lang));
}

std::string diff_ci(const sim::RunningStats& s, int decimals, Language lang) {
  const auto ci = sim::mean_interval(s);
  // A difference whose interval excludes 0 is marked.
  const bool clear = ci.low > 0 || ci.high < 0;
  return fmt::format("{} [{} – {}]{}", signed_number(s.mean(), decimals, lang),
                     signed_number(ci.low, decimals, lang), signed_number(ci.high, decimals, lang),
                     clear ? " *" : "");
}

std::string ratio_ci(const RatioStats& r, int decimals, Language lang) {
  const auto ci = r.interval();
  if (!ci)
    return tr(lang, "n/a (no clear difference in the denominator)", "– (ingen klar forskjell i nevneren)");
  return fmt::format("{} [{} – {}]", number(r.ratio(), decimals, lang), number(ci->low, decimals, lang),
                     number(ci->high, decimals, lang));
}

// `text` padded with spaces to `width` characters (not bytes: the numbers may hold UTF-8).
std::string pad(const std::string& text, std::size_t width) {
  const std::size_t w = display_width(text);
  return w >= width ? text : text + std::string(width - w, ' ');
}

}  // namespace

void Comparison::write(std::ostream& out, Language lang, const std::vector<std::string>* labels) const {
  const auto& names = setup_.scenarios;
  const std::size_t ns = names.size();
  const std::string& ref = names[setup_.reference];
  std::size_t name_width = 8;
  for (const auto& n : names) name_width = std::max(name_width, n.size());

  fmt::print(
      out,
      trf(lang,
          "\n  Mean over {} replicates with 95 % interval; difference = scenario minus {} in the same "
          "replicate\n  (common random numbers), with its 95 % interval; * marks a difference whose "
          "interval excludes 0.\n",
          "\n  Gjennomsnitt over {} kjøringer med 95 %-intervall; forskjell = scenario minus {} i samme "
          "kjøring\n  (felles tilfeldige tall), med 95 %-intervall; * markerer en forskjell der "
          "intervallet ikke inneholder 0.\n"),
      replicates_, ref);
  for (std::size_t m = 0; m < setup_.metrics.size(); ++m) {
    const Metric& metric = setup_.metrics[m];
    fmt::print(out, "\n  {}\n", labels != nullptr && m < labels->size() ? (*labels)[m] : metric.label);
    for (std::size_t s = 0; s < ns; ++s) {
      // 34 bytes in English as always (two of them the en dash's), 32 characters in bokmål too.
      const std::string cell = mean_ci(value(s, m), metric.decimals, lang);
      fmt::print(out, "    {:<{}}  {}", names[s], name_width,
                 lang == Language::kEnglish ? fmt::format("{:<34}", cell) : pad(cell, 32));
      if (s == setup_.reference) {
        fmt::print(out, "  {}\n", tr(lang, "(reference)", "(referanse)"));
      } else {
        fmt::print(out, "  {}\n", diff_ci(difference(s, m), metric.decimals, lang));
      }
    }
  }

  if (setup_.counterfactual) {
    const std::string& cf = names[*setup_.counterfactual];
    fmt::print(
        out,
        trf(lang,
            "\n  Additionality against {} (per run, whole horizon): additional adoptions, additional "
            "municipalities\n  using research, extra money, and money per additional adoption and per "
            "additional research user.\n\n",
            "\n  Addisjonalitet mot {} (per kjøring, hele perioden): ekstra adopsjoner, ekstra kommuner\n"
            "  som bruker forskning, ekstra midler, og midler per ekstra adopsjon og per ekstra "
            "forskningsbruker.\n\n"),
        cf);
    // Cells first, so that every column is as wide as its widest cell (in characters: the
    // intervals hold an en dash, three bytes in UTF-8).
    std::vector<std::vector<std::string>> rows{
        {tr(lang, "scenario", "scenario"), tr(lang, "extra adoptions", "ekstra adopsjoner"),
         tr(lang, "extra research users", "ekstra forskningsbrukere"),
         tr(lang, "extra MNOK", "ekstra mill. kr"),
         tr(lang, "MNOK per extra adoption", "mill. kr per ekstra adopsjon"),
         tr(lang, "MNOK per extra research user", "mill. kr per ekstra forskningsbruker")}};
    for (std::size_t s = 0; s < ns; ++s) {
      if (s == *setup_.counterfactual) continue;
      rows.push_back({names[s], diff_ci(extra_adoptions_[s], 0, lang), diff_ci(extra_research_[s], 1, lang),
                      mean_ci(extra_money_[s], 1, lang), ratio_ci(cost_adoption_[s], 3, lang),
                      ratio_ci(cost_research_[s], 2, lang)});
    }
    write_columns(out, rows);
  }

  if (!setup_.groups.empty()) {
    fmt::print(
        out,
        trf(lang,
            "\n  Adoptions per owner over the run, by centrality class (1 most central) and size class: "
            "mean, "
            "and in\n  brackets the difference from {} with its 95 % interval.\n\n",
            "\n  Adopsjoner per eier over perioden, etter sentralitetsklasse (1 mest sentral) og størrelse: "
            "gjennomsnitt, og i\n  parentes forskjellen fra {} med 95 %-intervall.\n\n"),
        ref);
    std::vector<std::vector<std::string>> rows{{tr(lang, "group", "gruppe")}};
    for (std::size_t s = 0; s < ns; ++s) rows[0].push_back(names[s]);
    for (std::size_t g = 0; g < setup_.groups.size(); ++g) {
      // English keeps the group codes the scripts of users may read; bokmål gives plain words.
      std::vector<std::string> row{lang == Language::kEnglish ? setup_.groups[g]
                                                              : group_label(setup_.groups[g], lang)};
      for (std::size_t s = 0; s < ns; ++s) {
        row.push_back(s == setup_.reference
                          ? number(group_value(s, g).mean(), 2, lang)
                          : fmt::format("{} ({})", number(group_value(s, g).mean(), 2, lang),
                                        diff_ci(group_difference(s, g), 2, lang)));
      }
      rows.push_back(std::move(row));
    }
    write_columns(out, rows);
  }
}

std::vector<sim::Table> Comparison::tables() const {
  const auto& names = setup_.scenarios;
  const std::size_t ns = names.size();
  std::vector<sim::Table> out;
  auto interval_columns = [](sim::Table& t, const std::string& prefix, const std::string& unit,
                             const std::string& what) {
    return std::array<std::vector<double>*, 3>{
        &t.add<double>(prefix + "mean", unit, what + ": mean over replicates"),
        &t.add<double>(prefix + "low", unit, what + ": 95 % interval, lower end"),
        &t.add<double>(prefix + "high", unit, what + ": 95 % interval, upper end")};
  };
  {
    sim::Table t{"metrics",
                 "Each scenario's main indicators and the paired difference from the reference (same "
                 "replicate, common random numbers).",
                 {}};
    auto& scenario = t.add<std::string>("scenario", "", "Scenario name.");
    auto& metric = t.add<std::string>("metric", "", "What is measured.");
    auto& indicator = t.add<std::string>("indicator", "", "The indicator it is read from (totals).");
    auto& scale = t.add<double>("scale", "", "Factor applied to the indicator (100: percent).");
    auto v = interval_columns(t, "", "", "value");
    auto d = interval_columns(t, "difference_", "", "scenario minus reference");
    for (std::size_t s = 0; s < ns; ++s) {
      for (std::size_t m = 0; m < setup_.metrics.size(); ++m) {
        scenario.push_back(names[s]);
        metric.push_back(setup_.metrics[m].label);
        indicator.push_back(setup_.metrics[m].indicator);
        scale.push_back(setup_.metrics[m].scale);
        const auto ci = sim::mean_interval(value(s, m));
        v[0]->push_back(value(s, m).mean());
        v[1]->push_back(ci.low);
        v[2]->push_back(ci.high);
        const auto dci = sim::mean_interval(difference(s, m));
        d[0]->push_back(difference(s, m).mean());
        d[1]->push_back(dci.low);
        d[2]->push_back(dci.high);
      }
    }
    out.push_back(std::move(t));
  }
  if (setup_.counterfactual) {
    sim::Table t{"additionality", "Each scenario against the counterfactual (no programme), per run.", {}};
    auto& scenario = t.add<std::string>("scenario", "", "Scenario name.");
    auto a = interval_columns(t, "extra_adoptions_", "adoptions", "additional adoptions");
    auto r = interval_columns(t, "extra_research_users_", "municipalities", "additional research users");
    auto m = interval_columns(t, "extra_mnok_", "MNOK", "extra money committed");
    auto ca = interval_columns(t, "mnok_per_extra_adoption_", "MNOK",
                               "money per additional adoption (NaN: unbounded)");
    auto cr = interval_columns(t, "mnok_per_extra_research_user_", "MNOK",
                               "money per additional research user (NaN: unbounded)");
    auto put = [](std::array<std::vector<double>*, 3>& c, double mean, double low, double high) {
      c[0]->push_back(mean);
      c[1]->push_back(low);
      c[2]->push_back(high);
    };
    for (std::size_t s = 0; s < ns; ++s) {
      scenario.push_back(names[s]);
      auto stats = [&](std::array<std::vector<double>*, 3>& c, const sim::RunningStats& x) {
        const auto ci = sim::mean_interval(x);
        put(c, x.mean(), ci.low, ci.high);
      };
      auto ratio = [&](std::array<std::vector<double>*, 3>& c, const RatioStats& x) {
        const auto ci = x.interval();
        put(c, x.ratio(), ci ? ci->low : std::nan(""), ci ? ci->high : std::nan(""));
      };
      stats(a, extra_adoptions_[s]);
      stats(r, extra_research_[s]);
      stats(m, extra_money_[s]);
      ratio(ca, cost_adoption_[s]);
      ratio(cr, cost_research_[s]);
    }
    out.push_back(std::move(t));
  }
  if (!setup_.groups.empty()) {
    sim::Table t{
        "groups", "Adoptions per owner over the run, by group, and the difference from the reference.", {}};
    auto& scenario = t.add<std::string>("scenario", "", "Scenario name.");
    auto& group = t.add<std::string>("group", "", "Centrality class or size class.");
    auto& size =
        t.add<double>("owners", "owners", "Owners (municipalities and county municipalities) in the group.");
    auto v = interval_columns(t, "", "adoptions per owner", "value");
    auto d = interval_columns(t, "difference_", "adoptions per owner", "scenario minus reference");
    for (std::size_t s = 0; s < ns; ++s) {
      for (std::size_t g = 0; g < setup_.groups.size(); ++g) {
        scenario.push_back(names[s]);
        group.push_back(setup_.groups[g]);
        size.push_back(setup_.group_sizes[g]);
        const auto ci = sim::mean_interval(group_value(s, g));
        v[0]->push_back(group_value(s, g).mean());
        v[1]->push_back(ci.low);
        v[2]->push_back(ci.high);
        const auto dci = sim::mean_interval(group_difference(s, g));
        d[0]->push_back(group_difference(s, g).mean());
        d[1]->push_back(dci.low);
        d[2]->push_back(dci.high);
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace innosim::output
