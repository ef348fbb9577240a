// Paired comparisons of scenarios run with common random numbers.
//
// Replicate r of every scenario uses the same random streams wherever the scenarios agree, so
// the per-replicate difference x_s,r - x_ref,r removes most of the noise both share. The
// comparison folds, replicate by replicate and in replicate order, each scenario's totals
// (flows summed over the run, stocks at its end) and the differences from the reference into
// running statistics: memory does not grow with the number of replicates, and the numbers are
// bitwise reproducible. Intervals are Student t over replicates (mean_interval); cost ratios
// (MNOK per additional adoption) use the delta method on the paired differences.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "output/labels.hpp"
#include "sim/process.hpp"
#include "sim/stats.hpp"
#include "sim/table.hpp"

namespace innosim::output {

/// A quantity compared across scenarios: an indicator's total (or end value), scaled.
struct Metric {
  std::string label;      ///< "adoptions"
  std::string indicator;  ///< schema name
  double scale = 1;       ///< 100 for shares printed in %
  int decimals = 0;
};

/// A ratio of two paired differences, sum(a) / sum(b) (e.g. extra MNOK per extra adoption),
/// with a delta-method interval.
class RatioStats {
 public:
  void add(double a, double b) noexcept;
  [[nodiscard]] std::uint64_t count() const noexcept { return n_; }
  [[nodiscard]] double ratio() const noexcept;
  /// The 95 % interval, or nothing when the denominator's own interval includes 0 (the ratio
  /// is then unbounded).
  [[nodiscard]] std::optional<sim::Interval> interval(double level = 0.95) const;

 private:
  std::uint64_t n_ = 0;
  double mean_a_ = 0, mean_b_ = 0, caa_ = 0, cbb_ = 0, cab_ = 0;  // Welford co-moments
};

struct ComparisonSetup {
  std::vector<std::string> scenarios;         ///< names, in the order given
  std::size_t reference = 0;                  ///< index into scenarios
  std::optional<std::size_t> counterfactual;  ///< the no-programme scenario, when present
  std::vector<Metric> metrics;
  std::string money_indicator = "money_committed_mnok";
  std::string adoptions_indicator = "adoptions";
  std::string research_indicator = "research_using_share";
  double municipalities = 0;  ///< scales research_using_share to municipalities
  /// Groups for the breakdown (e.g. "centrality_1"), with the number of municipalities in each.
  std::vector<std::string> groups;
  std::vector<double> group_sizes;
};

class Comparison {
 public:
  Comparison(ComparisonSetup setup, const sim::IndicatorSchema& schema);

  /// One replicate: totals[s] is scenario s's per-indicator totals (flows summed, stocks at the
  /// end), in schema order. Replicates must come in replicate order.
  void add_replicate(std::span<const std::vector<double>> totals);

  [[nodiscard]] std::size_t replicates() const noexcept { return replicates_; }
  [[nodiscard]] const ComparisonSetup& setup() const noexcept { return setup_; }
  /// Scenario s's metric m; the paired difference from the reference.
  [[nodiscard]] const sim::RunningStats& value(std::size_t s, std::size_t m) const;
  [[nodiscard]] const sim::RunningStats& difference(std::size_t s, std::size_t m) const;
  /// Against the counterfactual: additional adoptions, research-using municipalities, MNOK.
  [[nodiscard]] const sim::RunningStats& extra_adoptions(std::size_t s) const { return extra_adoptions_[s]; }
  [[nodiscard]] const sim::RunningStats& extra_research(std::size_t s) const { return extra_research_[s]; }
  [[nodiscard]] const sim::RunningStats& extra_money(std::size_t s) const { return extra_money_[s]; }
  [[nodiscard]] const RatioStats& cost_per_adoption(std::size_t s) const { return cost_adoption_[s]; }
  [[nodiscard]] const RatioStats& cost_per_research_user(std::size_t s) const { return cost_research_[s]; }
  /// Adoptions per owner in group g, and its difference from the reference.
  [[nodiscard]] const sim::RunningStats& group_value(std::size_t s, std::size_t g) const;
  [[nodiscard]] const sim::RunningStats& group_difference(std::size_t s, std::size_t g) const;
  /// Mean over replicates of scenario s's total of any indicator (0 when the schema has none).
  [[nodiscard]] double total_mean(std::size_t s, std::string_view indicator) const;
  /// Scenario s's total of an indicator over replicates (nullptr when the schema has none).
  [[nodiscard]] const sim::RunningStats* total(std::size_t s, std::string_view indicator) const;

  /// The terminal report: each metric's mean with its interval per scenario and the paired
  /// difference from the reference; additionality and cost against the counterfactual; results
  /// by group.
  /// In bokmål with `lang`; `labels` replace the metrics' labels (translated ones).
  void write(std::ostream& out, Language lang = Language::kEnglish,
             const std::vector<std::string>* labels = nullptr) const;
  /// The same numbers as tables, for the result file.
  [[nodiscard]] std::vector<sim::Table> tables() const;

 private:
  ComparisonSetup setup_;
  std::vector<std::size_t> metric_index_;
  std::size_t money_ = 0, adoptions_ = 0, research_ = 0;
  std::vector<std::size_t> group_index_;
  std::size_t replicates_ = 0;
  std::vector<sim::RunningStats> values_, differences_;  // scenario x metric
  std::vector<sim::RunningStats> extra_adoptions_, extra_research_, extra_money_;
  std::vector<RatioStats> cost_adoption_, cost_research_;
  std::vector<sim::RunningStats> group_values_, group_differences_;  // scenario x group
  sim::IndicatorSchema schema_;
  std::vector<sim::RunningStats> totals_;  // scenario x indicator
};

}  // namespace innosim::output
