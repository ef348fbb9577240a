// Summaries of long runs for people: totals over the run (flows) and final values (stocks) per
// replicate, per-year values, and a terminal report of the programme model's main indicators.
//
// RunSummary folds one replicate's monthly series at a time into running statistics (in
// replicate order, so printed figures are bitwise reproducible) and keeps nothing per replicate,
// so memory does not grow with the number of replicates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string>
#include <vector>

#include "output/summary.hpp"
#include "sim/process.hpp"
#include "sim/stats.hpp"

namespace innosim::output {

/// Folds one replicate's series ((steps + 1) x indicators, row-major) into yearly values (years
/// x indicators: flows summed over the year's months, stocks at its last month) and totals
/// (flows summed over all months, stocks at the last). Precondition: the spans have those
/// sizes (callers check and report in their own terms).
void fold_series(const sim::IndicatorSchema& schema, std::span<const double> series, sim::Step steps,
                 sim::Step per_year, std::span<double> yearly, std::span<double> totals);

class RunSummary {
 public:
  /// Series of `steps` + 1 values per indicator; periods of `steps_per_period` steps (years).
  RunSummary(const sim::IndicatorSchema& schema, sim::Step steps, sim::Step steps_per_period);

  /// Adds one replicate's series (values[t * width + i]).
  void add_replicate(std::span<const double> values);

  [[nodiscard]] const sim::IndicatorSchema& schema() const noexcept { return schema_; }
  [[nodiscard]] std::size_t replicates() const noexcept { return replicates_; }
  [[nodiscard]] std::size_t periods() const noexcept { return periods_; }
  /// Total over the run (flows) or the last value (stocks) of indicator `name`.
  [[nodiscard]] const sim::RunningStats& end(std::string_view name) const;
  /// The value of indicator `name` in period p (0-based): the period's sum for flows, its last
  /// value for stocks.
  [[nodiscard]] const sim::RunningStats& period(std::size_t p, std::string_view name) const;
  /// Same, by index.
  [[nodiscard]] const sim::RunningStats& end(std::size_t indicator) const { return end_.at(indicator); }

 private:
  sim::IndicatorSchema schema_;
  sim::Step steps_;
  sim::Step per_period_;
  std::size_t periods_;
  std::size_t replicates_ = 0;
  std::vector<sim::RunningStats> end_;
  std::vector<sim::RunningStats> period_;     // periods_ x width
  std::vector<double> period_row_, end_row_;  // one replicate, folded
};

/// The terminal report of a programme run: facts, main results with 95 % intervals, year by
/// year, and results by centrality and size class.
/// `start_year` labels the years with calendar years; `warnings` (what the scenario's money cannot
/// buy, money that lapsed) are printed first, so that nobody reads the results without them.
void write_programme_summary(std::ostream& out, const Facts& facts, const RunSummary& summary,
                             const std::vector<std::string>& group_names,
                             const std::vector<double>& group_municipalities,
                             const std::vector<std::string>& fired_rules, std::int64_t start_year,
                             const std::vector<std::string>& warnings);

/// Warnings read from a run's results: money that lapsed, instruments with money that funded
/// nothing. (The scenario's own warnings come from models::forkommune::money_warnings.)
std::vector<std::string> result_warnings(const RunSummary& summary);

}  // namespace innosim::output
