// Calibration files: observed targets, the parameters to fit and their priors, for
// `innosim calibrate` (docs/calibration.md, "Bayesian calibration").
//
//   description: Norway: the emergent targets of the calibration.
//   model: programme                  # programme (default) or classic
//   base: baseline                    # programme: scenario file or built-in name; classic: a file
//   seed: 20261203
//   min_acceptance: 0.01              # a generation needing more than particles / this stops
//   particles: 500                    # default; --particles overrides
//   generations: 6                    # default; --generations overrides
//   tolerance_quantile: 0.5           # the next tolerance: this quantile of the last distances
//   parameters:
//     diffusion.q_per_year: {prior: loguniform, min: 0.1, max: 1.0}
//     diffusion.p_per_year: {}         # uniform over the parameter's documented range
//     x: {prior: normal, mean: 1, sd: 0.2}
//     y: {prior: truncated_normal, mean: 1, sd: 0.2, min: 0, max: 2}
//   targets:
//     - name: innovating
//       scenario: no-programme        # default: base
//       indicator: innovating_24m_share
//       reading: mean_of_year_ends    # final, total, mean_of_year_ends, at_date, at_step,
//                                     # ratio_from_year, months_to_reach
//       observed: 0.75
//       interval: [0.70, 0.85]        # a 95 % interval (sd = width / 3.92), or sd: 0.04
//       source: Menon 2018; KS 2018/2020
//       definition: share of municipalities with ...
//
// Every key is checked as in scenario files (file:line:column, "did you mean"); priors must lie
// inside the parameter's documented range; targets must name indicators the model records.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/diffusion/classic.hpp"
#include "models/forkommune/params.hpp"
#include "models/forkommune/world.hpp"
#include "sim/abc.hpp"
#include "tools/scenario/classic_scenario.hpp"
#include "tools/scenario/programme_scenario.hpp"
#include "tools/scenario/yaml_tree.hpp"

namespace innosim::tools {

enum class CalibratedModel : std::uint8_t { kProgramme, kClassic };

/// How a target's value is read from one run's monthly (or per-step) series.
enum class Reading : std::uint8_t {
  kFinal,           ///< the indicator at the last step
  kTotal,           ///< as result files' totals: the sum over the run for flows, the last value for stocks
  kMeanOfYearEnds,  ///< the mean of the indicator at each year's end (programme)
  kAtDate,          ///< at the end of a calendar month (programme: year, month)
  kAtStep,          ///< at a step (classic, or programme months from the start)
  kRatioFromYear,   ///< sum indicator / sum denominator over the steps of years `year`.. (1-based)
  kMonthsToReach,   ///< a national programme's months to a share, censored at the run's end, in years
};

struct CalibrationParameter {
  std::string key;  ///< "diffusion.q_per_year", or for classic "model.q_imitation_per_step"
  Position pos;
  sim::abc::Prior prior;
  std::string prior_text;  ///< "log-uniform [0.1, 1]"
  std::string unit;
};

struct Target {
  std::string name;
  Position pos;
  std::size_t scenario = 0;  ///< index into CalibrationSpec::programme_scenarios (programme)
  std::string indicator;
  std::string denominator;  ///< kRatioFromYear, kMonthsToReach
  Reading reading = Reading::kFinal;
  std::int64_t year = 0, month = 0, step = 0;
  double observed = 0;
  double sd = 0;
  std::string uncertainty_text;  ///< "sd 0.04" or "95 % interval 0.70-0.85"
  std::string source;
  std::string definition;
};

struct CalibrationSpec {
  std::string source;  ///< the file as given
  std::string text;
  std::string description;
  CalibratedModel model = CalibratedModel::kProgramme;
  std::uint64_t seed = 0;
  std::uint64_t replicates = 1;
  std::uint64_t particles = 500;
  std::uint64_t generations = 6;
  double tolerance_quantile = 0.5;
  /// A generation that needs more than particles / min_acceptance simulations ends the
  /// calibration (the tolerance has stalled: the targets cannot be reached more closely).
  double min_acceptance = 0.01;
  std::vector<CalibrationParameter> parameters;
  std::vector<Target> targets;
  /// Programme: the scenarios the targets run (the base first), by name or path as written.
  std::vector<std::string> scenario_names;
  std::vector<ProgrammeScenario> programme_scenarios;
  /// Their worlds (built once: calibrated parameters never change a world).
  std::vector<std::shared_ptr<const models::forkommune::World>> worlds;
  /// Classic: the scenario's document, re-read with each particle's values.
  std::optional<ConfigDocument> classic_document;
  std::string canonical;           ///< what the fingerprint hashes (with the build and the particles)
  std::vector<std::string> notes;  ///< what the command should say (scenarios keeping their own values)

  [[nodiscard]] std::vector<sim::abc::Prior> priors() const;
};

/// Reads and checks a calibration file. Throws ScenarioError.
CalibrationSpec load_calibration(const std::string& path);

/// The programme parameters of scenario `s` with the particle's values (natural units), except
/// where the scenario sets a parameter itself (its value differs from the base scenario's).
/// Throws sim::ParamError when the combination is not valid for the model.
models::forkommune::Params programme_params(const CalibrationSpec& spec, std::size_t s,
                                            std::span<const double> values);
/// The classic specification with the particle's values. Throws ScenarioError when not valid.
models::ClassicSpec classic_spec(const CalibrationSpec& spec, std::span<const double> values);

/// A target's value from one run's series ((steps + 1) x width, row-major); `schema` names the
/// columns, `params` gives the start year and national programmes (programme model; nullptr for
/// classic).
double read_target(const Target& target, const sim::IndicatorSchema& schema, std::span<const double> series,
                   sim::Step steps, const models::forkommune::Params* params);

[[nodiscard]] const char* reading_name(Reading r) noexcept;

}  // namespace innosim::tools
