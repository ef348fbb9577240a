// Ensemble summaries of indicator series, and their plain-text rendering for terminals.
//
// SeriesSummary folds one replicate's series at a time into per-step running statistics, so
// summarising 10^5 replicates takes the memory of one. Folding happens in replicate order
// (the ensemble runner guarantees it), which makes every printed figure bitwise reproducible.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/process.hpp"
#include "sim/stats.hpp"
#include "sim/types.hpp"

namespace innosim::output {

class SeriesSummary {
 public:
  /// Summaries of `schema`'s indicators at steps 0 .. steps.
  SeriesSummary(const sim::IndicatorSchema& schema, sim::Step steps);

  /// Adds one replicate: values[t * width + i] is indicator i at step t. Throws
  /// sim::ParamError when the series does not have (steps + 1) * width values.
  void add_replicate(std::span<const double> values);

  [[nodiscard]] std::size_t replicates() const noexcept { return replicates_; }
  [[nodiscard]] sim::Step steps() const noexcept { return steps_; }
  [[nodiscard]] const sim::IndicatorSchema& schema() const noexcept { return schema_; }
  [[nodiscard]] const sim::RunningStats& at(sim::Step t, std::size_t indicator) const {
    return stats_.at(std::size_t{t} * schema_.size() + indicator);
  }

 private:
  sim::IndicatorSchema schema_;
  sim::Step steps_;
  std::size_t replicates_ = 0;
  std::vector<sim::RunningStats> stats_;
};

/// Labelled facts printed above a table ("model", "independent cascade, p = 0.25").
using Facts = std::vector<std::pair<std::string, std::string>>;

/// Options for the adoption table.
struct TableOptions {
  std::size_t indicator = 0;  ///< which indicator to tabulate
  double population = 0;      ///< denominator for the share column (0: no share column)
  std::size_t max_rows = 16;  ///< rows besides step 0 and the last step
  double level = 0.95;        ///< confidence level of the intervals
};

/// Writes the facts, a table of the indicator's mean and confidence interval (Student t over
/// the replicates, cut at 0 and the population when a population is given) at evenly spaced
/// steps, a one-line sparkline of the mean curve, and a closing sentence with the final value
/// and its interval, e.g.
///   final adopters: 7,961.3 of 10,000 (79.6 %), 95 % interval 7,912.0 – 8,010.6 (79.1 – 80.1 %)
void write_series_table(std::ostream& out, const Facts& facts, const SeriesSummary& summary,
                        const TableOptions& options);

/// "12,345.6": fixed decimals with thousands separators, for tables people read.
[[nodiscard]] std::string group_thousands(double value, int decimals);

/// Characters, not bytes, of UTF-8 text.
[[nodiscard]] std::size_t display_width(std::string_view text);
/// Left-aligned columns, each as wide as its widest cell, two spaces apart, indented by four.
void write_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

}  // namespace innosim::output
