// Sweep files: many runs of one programme scenario with some of its parameters varied
// (docs/sweeps.md).
//
//   description: Budget and arena share against diffusion speed.
//   base: baseline                  # a scenario file or a built-in scenario's name
//   replicates: 10                  # runs per point
//   seed: 20261130                  # default: the base scenario's run.seed
//   years: 15                       # default: the base scenario's run.years
//   random_numbers: common          # common (default) or independent, see below
//   keep: totals                    # totals (default), yearly or series
//   posterior: calib.h5             # optional: a calibration's posterior (or builtin), see below
//   design:
//     type: latin_hypercube         # grid, latin_hypercube, saltelli, morris or list
//     points: 200
//   factors:
//     programme.budget_mnok_per_year: {min: 30, max: 120}
//     diffusion.q_per_year: {min: 0.1, max: 1, scale: log}
//     diffusion.p_per_year: {distribution: normal, mean: 0.01, sd: 0.003, min: 0.001, max: 0.03}
//     arenas.conference: {levels: [true, false]}
//
// A design gives each point coordinates in [0, 1)^k (sim/design.hpp); a factor maps its
// coordinate u to a value: min + u (max - min) for a range, its logarithm's range for
// `scale: log`, the truncated normal's quantile, or levels[floor(u n)]. Integer parameters take
// min + floor(u (max - min + 1)). Grids need `levels` or `count` per factor; `list` designs
// give their points as maps of key: value and need no factors section.
//
// Runs are numbered point-major, run = point x replicates + replicate. Run r of a point uses
// random streams keyed by (seed, replicate) with `random_numbers: common` (every point sees the
// same random numbers, which sharpens differences between points) or by (a hash of seed and
// point, replicate) with `independent`. Nothing depends on which process runs which run or in
// what order. With a posterior (a result file of innosim calibrate beside the sweep file or
// from here, or builtin), replicate r of every point draws one parameter set from it, keyed by
// (seed, r) alone as in `compare --posterior`, so that points stay paired; the set replaces the
// calibrated parameters except those the sweep varies as factors. The sweep's fingerprint (a hash of
// everything that determines the results, including the innosim build) ties journals and part files to their
// sweep.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/forkommune/params.hpp"
#include "sim/design.hpp"
#include "tools/calibrate/posterior.hpp"
#include "tools/scenario/programme_scenario.hpp"
#include "tools/scenario/yaml_tree.hpp"

namespace innosim::tools {

enum class DesignType : std::uint8_t { kGrid, kLatinHypercube, kSaltelli, kMorris, kList };
enum class KeepLevel : std::uint8_t { kTotals, kYearly, kSeries };

struct SweepFactor {
  enum class Kind : std::uint8_t { kRange, kLogRange, kNormal, kLevels };
  std::string key;
  Position pos;
  Kind kind = Kind::kRange;
  const models::forkommune::ParamSpec* spec = nullptr;
  double min = 0, max = 0, mean = 0, sd = 0;
  std::size_t count = 0;           ///< grid levels of a range (0: not given)
  std::vector<ConfigNode> levels;  ///< kLevels, as written
  bool numeric_levels =
      false;  ///< levels are numbers or true/false: values records them (1/0), else the index

  /// Levels this factor has on a grid.
  [[nodiscard]] std::size_t grid_levels() const noexcept {
    return kind == Kind::kLevels ? levels.size() : count;
  }
  [[nodiscard]] const char* distribution() const noexcept;  ///< uniform, loguniform, normal or levels
  [[nodiscard]] std::string describe() const;               ///< "uniform [30, 120]", "levels true, false"
};

struct SweepSpec {
  std::string source;  ///< the file as given
  std::string text;    ///< its text
  std::string description;
  ProgrammeScenario base;
  std::uint64_t replicates = 1;
  std::uint64_t seed = 0;
  bool independent = false;  ///< random_numbers: independent
  KeepLevel keep = KeepLevel::kTotals;
  DesignType design = DesignType::kGrid;
  std::size_t design_points = 0;  ///< latin_hypercube: points; saltelli: base rows; morris: trajectories
  std::size_t morris_levels = 4;
  std::vector<SweepFactor> factors;
  /// The points: design coordinates (not for list designs) and each factor's value as recorded
  /// (the number, or the level's index for non-numeric levels).
  sim::Design unit;
  std::vector<double> values;  ///< points x factors
  /// List designs: each point's value nodes, parallel to factors.
  std::vector<std::vector<ConfigNode>> list_points;
  /// The posterior replicates draw their calibrated parameters from (none: the base's values).
  std::shared_ptr<const Posterior> posterior;
  std::string posterior_source;  ///< as written in the file ("builtin" or a path)
  /// The particle replicate r draws (posterior only): the same at every point.
  std::vector<std::size_t> particles;
  ConfigDocument document;  ///< the parsed sweep file (level nodes point into it)
  std::string fingerprint;  ///< 16 hex digits
  std::string canonical;    ///< what the fingerprint hashes

  [[nodiscard]] std::size_t points() const noexcept {
    return values.size() / std::max<std::size_t>(1, factors.size());
  }
  [[nodiscard]] std::uint64_t runs() const noexcept { return points() * replicates; }
  [[nodiscard]] sim::Step steps() const noexcept {
    return static_cast<sim::Step>(base.params.run.years * 12);
  }
  /// The full parameters of point p (throws ScenarioError naming the sweep file's line when a
  /// value is not valid for the model).
  [[nodiscard]] models::forkommune::Params point_params(std::size_t p) const;
  /// The parameters run `run` uses: its point's, with its replicate's posterior particle (when
  /// there is a posterior) on every calibrated parameter that is not a factor.
  [[nodiscard]] models::forkommune::Params run_params(std::uint64_t run) const;
  /// True when the sweep varies `key` as a factor.
  [[nodiscard]] bool is_factor(std::string_view key) const;
  /// Applies particle j to `params` (point p's), leaving the factors' parameters alone.
  void apply_particle(std::size_t j, models::forkommune::Params& params) const;
};

/// Reads and checks a sweep file: every point's parameters are validated before anything runs.
/// `build` is the innosim build (version and git revision) that goes into the fingerprint.
SweepSpec load_sweep(const std::string& path, const std::string& build);

[[nodiscard]] const char* design_name(DesignType d) noexcept;
[[nodiscard]] const char* keep_name(KeepLevel k) noexcept;

}  // namespace innosim::tools
