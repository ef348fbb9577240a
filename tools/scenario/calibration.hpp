// The calibration targets of DOMAIN.md §7 and their evaluation on the no-programme and baseline
// scenarios. Used by `innosim calibration` (the table of docs/calibration.md) and by the
// calibration test, so both read the same definitions.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace innosim::tools {

/// How a target's observable is read from one replicate's series.
enum class TargetReading {
  kFinal,           ///< the indicator at the last tick (ratios over the whole run)
  kMeanOfYearEnds,  ///< mean of the indicator at the end of each of the run's years
  kLastYearEnd,     ///< the indicator at the end of the last year
};

struct CalibrationTarget {
  std::string observable;  ///< in words, as DOMAIN.md §7 states it
  std::string scenario;    ///< "no-programme" or "baseline"
  std::string indicator;   ///< indicator name in the programme model's schema
  TargetReading reading = TargetReading::kFinal;
  double low = 0;           ///< the mean over replicates must be at least this
  double high = 0;          ///< and at most this
  std::string target_text;  ///< "0.75 (0.70-0.85)"
  std::string source;
};

/// Every target, for both scenarios where DOMAIN.md §7 says so.
[[nodiscard]] std::vector<CalibrationTarget> calibration_targets();

struct TargetResult {
  CalibrationTarget target;
  double mean = 0;
  double sem = 0;  ///< standard error of the mean over replicates
  std::uint64_t replicates = 0;
  [[nodiscard]] bool inside() const noexcept { return mean >= target.low && mean <= target.high; }
};

/// Runs the embedded no-programme and baseline scenarios with `replicates` replicates each (at
/// most `threads` at once; 0: all cores) and reads every target. `progress` (may be empty) is
/// told each scenario's name before it runs.
std::vector<TargetResult> evaluate_calibration(std::uint64_t replicates, unsigned threads,
                                               const std::function<void(const std::string&)>& progress = {});

/// The results as the Markdown table of docs/calibration.md.
std::string calibration_table(const std::vector<TargetResult>& results);

}  // namespace innosim::tools
