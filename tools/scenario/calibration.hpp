// The calibration of DOMAIN.md §7, read from runs of the built-in scenarios. Used by
// `innosim calibration` (the tables of docs/calibration.md) and by the calibration test, so both
// read the same definitions.
//
// Two kinds of rows, never mixed up:
//   - bookkeeping checks (§7.1): an input comes back out (the research share of own innovations
//     is drawn with innovation.research_share_own); they test the code, not the model, and are
//     never called calibrated;
//   - emergent targets (§7.2): what the dynamics must produce (the share of municipalities that
//     innovate, success rates under other budgets, the welfare-technology curve). These are the
//     calibration.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/forkommune/params.hpp"

namespace innosim::tools {

enum class TargetKind { kBookkeeping, kEmergent };

/// How a target's observable is read from one replicate's monthly series.
enum class TargetReading {
  kFinal,           ///< the indicator at the last month (ratios over the whole run)
  kMeanOfYearEnds,  ///< mean of the indicator at the end of each year of the run
  kAtDate,          ///< the indicator at the end of a calendar month (year, month)
  kRatioFromYear,   ///< sum of `indicator` / sum of `denominator` over the years from `year` (1-based) on
  kMonthsToReach,   ///< a national programme's months from the spread phase to a share: `indicator` is
                    ///< the months, `denominator` the reached flag; unreached replicates count as the
                    ///< months to the run's end (so failing to reach a share cannot pass)
};

struct CalibrationTarget {
  TargetKind kind = TargetKind::kEmergent;
  std::string observable;         ///< in words, as DOMAIN.md §7 states it
  std::string scenario;           ///< a built-in scenario
  std::string definition;         ///< how it is computed from the result file
  std::string source_definition;  ///< what the source measured
  std::string indicator;          ///< indicator name in the programme model's schema
  std::string denominator;        ///< kRatioFromYear, kMonthsToReach
  TargetReading reading = TargetReading::kFinal;
  std::int64_t year = 0, month = 0;  ///< kAtDate: calendar year and month; kRatioFromYear: first year
  double low = 0;                    ///< the mean over replicates must be at least this
  double high = 0;                   ///< and at most this
  std::string target_text;           ///< "0.75 (0.70-0.85)"
  std::string source;
  std::string origin;  ///< bookkeeping: the input that comes back; emergent: what was tuned against it
};

/// Every row: the bookkeeping checks, then the emergent targets.
[[nodiscard]] std::vector<CalibrationTarget> calibration_targets();

struct TargetResult {
  CalibrationTarget target;
  double mean = 0;
  double sem = 0;  ///< standard error of the mean over replicates
  std::uint64_t replicates = 0;
  [[nodiscard]] bool inside() const noexcept { return mean >= target.low && mean <= target.high; }
};

/// A parameter set on every scenario the calibration runs ("diffusion.q_per_year=2.5"), after the
/// scenario's own values: for trying a calibration before changing a default.
using ParameterOverrides = std::vector<std::string>;

/// Applies "key=value" overrides through the parameter registry (types checked as in a scenario
/// file; unknown keys are refused with a "did you mean"). Throws ScenarioError.
void apply_overrides(const ParameterOverrides& overrides, models::forkommune::Params& params);

/// A scenario's innovation-project success rate call by call: awards / applications of each
/// programme year, pooled over the replicates (the expected rate of that call).
struct CallSeries {
  std::string scenario;
  std::vector<double> rate;  ///< per programme year; NaN without applications
};

/// Runs every built-in scenario the targets name with `replicates` replicates (at most `threads`
/// at once; 0: all cores) and reads every target. `progress` (may be empty) is told each
/// scenario's name before it runs. `calls`, when given, receives the call-by-call success rates of
/// the scenarios with success-rate targets.
std::vector<TargetResult> evaluate_calibration(std::uint64_t replicates, unsigned threads,
                                               const std::function<void(const std::string&)>& progress = {},
                                               const ParameterOverrides& overrides = {},
                                               std::vector<CallSeries>* calls = nullptr);

/// The results as the Markdown tables of docs/calibration.md (with the call-by-call rates when
/// given).
std::string calibration_table(const std::vector<TargetResult>& results,
                              const std::vector<CallSeries>& calls = {});

/// One step of the diffusion decomposition: a proven innovation's curve with the model's factors
/// switched on one by one.
struct DecompositionStep {
  std::string name;          ///< what this step adds
  std::vector<double> mean;  ///< share of municipalities that have it at each year end
  std::vector<double> sem;
  double months_to_10 = 0, months_to_50 = 0;  ///< mean over replicates that reached it (0: none did)
  double reached_10 = 0, reached_50 = 0;      ///< share of replicates that reached 10 % and 50 %
};

/// How much each factor of the hazard slows a proven, documented innovation (benefit 1, visible,
/// no ageing) made by the largest municipality in a world without the programme: the Bass
/// model of the same p and q on the same owners, then the network, absorptive capacity, context
/// fit, adaptation and staff, and the rest of the model (docs/model.md §7.5).
std::vector<DecompositionStep> diffusion_decomposition(std::uint64_t replicates, unsigned threads,
                                                       std::int64_t years = 15,
                                                       const ParameterOverrides& overrides = {});

/// The decomposition as a Markdown table.
std::string decomposition_table(const std::vector<DecompositionStep>& steps, std::uint64_t replicates);

}  // namespace innosim::tools
