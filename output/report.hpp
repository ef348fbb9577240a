// The self-contained HTML report of a run or a comparison: one file that opens offline and
// prints well. Charts are Vega-Lite specifications rendered by Vega (through vega-embed) to
// SVG; the three libraries are inlined into the file (docs/report.md says why).
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "output/comparison.hpp"
#include "output/labels.hpp"

namespace innosim::output {

/// The JavaScript the report inlines (minified builds of vega, vega-lite and vega-embed).
struct ReportAssets {
  std::string_view vega;
  std::string_view vega_lite;
  std::string_view vega_embed;
  std::string versions;  ///< "vega 5.30.0, vega-lite 5.21.0, vega-embed 6.26.0"
};

/// A mean with its 95 % interval.
struct Estimate {
  double mean = 0, low = 0, high = 0;
};

/// One municipality on the map.
struct MapPlace {
  std::string name;
  double lat = 0, lon = 0, population = 0;
  std::vector<double> values;  ///< one per map
  std::vector<bool> clear;     ///< per map: the value is clearly not 0 (difference maps grey out the rest)
};

struct ReportInput {
  std::string source;  ///< the result file
  std::string kind;    ///< "run" or "compare"
  std::string innosim_version, git_revision;
  std::uint64_t seed = 0;
  std::int64_t replicates = 0, years = 0, warmup_years = 0;
  /// compare --posterior: where each replicate's parameters were drawn from; empty: none
  std::string posterior;
  std::vector<std::pair<std::string, std::string>> scenarios;  ///< (name, description)
  const Comparison* comparison = nullptr;                      ///< headline numbers, groups, additionality
  /// Cumulative adoptions at the end of each year: [scenario][year].
  std::vector<std::vector<Estimate>> cumulative_adoptions;
  /// The call funnel: [scenario][instrument][applications, awards, succeeded], means per run.
  std::vector<std::array<std::array<double, 3>, 3>> funnel;
  std::vector<MapPlace> places;
  std::vector<std::string> map_titles;  ///< one per map
  std::vector<bool> map_diverging;      ///< colour around 0 (a difference)
  std::vector<std::string> map_units;   ///< one per map: the colour legend's title, with its unit
  std::string map_note;                 ///< how the map's values were computed
  /// Per scenario: what its money could not buy (shares too small for a grant, brokers not
  /// bought, money that lapsed), one sentence each.
  std::vector<std::vector<std::string>> warnings;
  /// The comparison's groups in plain words, and the kind of each ("centrality", "size",
  /// "county"), parallel to the comparison's groups.
  std::vector<std::string> group_labels, group_kinds;
  Language lang = Language::kEnglish;
};

/// The opening of a comparison report: plain sentences that answer the comparison for scenario
/// s (the reference's level; for the others the change in adoptions and in research use against
/// the reference, the groups that differ clearly, the cost per additional adoption against the
/// counterfactual, and warnings: money not spent, more money with no clear effect), each number
/// with its 95 % interval. "Clearly" means the interval excludes 0.
std::vector<std::string> scenario_summary(const ReportInput& input, std::size_t s);

/// A sweep's report: its design, each output against each factor, and the sensitivity analyses
/// stored in the file.
struct SweepReportInput {
  std::string source, description, design, random_numbers, innosim_version, git_revision;
  std::uint64_t seed = 0, replicates = 0, points = 0, runs = 0;
  std::int64_t years = 0, warmup_years = 0;
  std::vector<std::pair<std::string, std::string>> factors;  ///< (key, description of its range)
  std::vector<std::string> outputs;                          ///< indicator names shown
  std::vector<double> values;                                ///< [point, factor]
  std::vector<double> means;                                 ///< [point, output]: means over replicates
  struct SobolRow {
    std::string output, factor;
    double first = 0, first_low = 0, first_high = 0, total = 0, total_low = 0, total_high = 0;
  };
  std::vector<SobolRow> sobol;  ///< from /analysis/sobol, when present
  struct MorrisRow {
    std::string output, factor;
    double mu_star = 0, low = 0, high = 0, mu = 0, sigma = 0;
  };
  std::vector<MorrisRow> morris;  ///< from /analysis/morris, when present
  Language lang = Language::kEnglish;
};

void write_sweep_report(std::ostream& out, const SweepReportInput& input, const ReportAssets& assets);

/// A calibration's report (innosim calibrate): the posterior against the prior, the most
/// correlated pairs, the posterior predictive check of each target, the generations.
struct CalibrationReportInput {
  std::string source, description, model, innosim_version, git_revision, targets_file;
  std::uint64_t seed = 0, particles = 0, replicates = 0, simulations = 0, model_runs = 0;
  double seconds = 0;
  double ess = 0;  ///< of the last generation
  struct Parameter {
    std::string key, prior, unit;
    double base = 0;  ///< NaN when the model has none (classic)
    double median = 0, q05 = 0, q95 = 0;
    double width_ratio = 0;  ///< 90 % interval / the prior's, in kernel coordinates
    bool log_axis = false;
    std::vector<double> bin_low, bin_high;           ///< natural units
    std::vector<double> posterior_mass, prior_mass;  ///< per bin, each summing to about 1
  };
  std::vector<Parameter> parameters;
  struct Pair {
    std::size_t a = 0, b = 0;
    double correlation = 0;       ///< weighted, of the kernel coordinates
    std::vector<double> x, y, w;  ///< the last generation's particles (natural units) and weights
  };
  std::vector<Pair> pairs;  ///< the most correlated, strongest first
  struct Target {
    std::string name, scenario, indicator, source, uncertainty;
    double observed = 0, sd = 0;
    double q05 = 0, q25 = 0, median = 0, q75 = 0, q95 = 0;  ///< of the accepted simulations, weighted
  };
  std::vector<Target> targets;
  struct Generation {
    double tolerance = 0, acceptance = 0, ess = 0;
    std::uint64_t simulations = 0, invalid = 0;
  };
  std::vector<Generation> generations;
  Language lang = Language::kEnglish;
};

void write_calibration_report(std::ostream& out, const CalibrationReportInput& input,
                              const ReportAssets& assets);

/// Writes the report. Throws nothing but std::ostream's failures.
void write_report(std::ostream& out, const ReportInput& input, const ReportAssets& assets);

}  // namespace innosim::output
