// A posterior from `innosim calibrate`, carried into comparisons: `compare --posterior FILE`
// gives each replicate one parameter set drawn from the posterior, the same for every scenario of
// that replicate, so that common random numbers keep the comparison paired and the intervals
// include what the calibration leaves uncertain (docs/calibration.md, "Carrying the posterior
// forward").
//
// Sources: a calibration result file (the last generation's particles and weights), or
// "builtin": the posterior of scenarios/calibration/norway.yaml embedded in the binary
// (scenarios/calibration/norway-posterior.csv, made by tools/scripts/posterior-csv).
#pragma once

#include <string>
#include <vector>

#include "models/forkommune/params.hpp"
#include "output/hdf5.hpp"
#include "sim/types.hpp"

namespace innosim::tools {

struct Posterior {
  std::string source;       ///< the file as given, or "builtin"
  std::string description;  ///< one line: where it comes from, particles, effective sample size
  std::vector<std::string> keys;
  /// Each key's value in the calibration's base scenario: a scenario whose value differs sets
  /// the parameter itself (a lever), and the posterior does not replace it there.
  std::vector<double> base_values;
  std::vector<double> theta;    ///< particles x keys, natural units
  std::vector<double> weights;  ///< normalised
  [[nodiscard]] std::size_t size() const noexcept { return weights.size(); }
  [[nodiscard]] double ess() const noexcept;
  /// The particle replicate r uses: drawn by weight from a stream keyed by (seed, r) alone, so
  /// that every scenario of replicate r gets the same draw.
  [[nodiscard]] std::size_t draw(sim::Seed seed, sim::Replicate r) const;
};

/// The generations a calibration file holds ("000", "001", ...: the members of
/// /calibration/generations named by three digits), in order.
std::vector<std::string> calibration_generations(const output::h5::Reader& file);

/// Reads "builtin" or a calibration result file of the programme model. Throws ScenarioError
/// (unknown keys, a classic calibration, malformed built-in data) or output::h5::H5ReadError.
Posterior load_posterior(const std::string& what);

/// Applies particle `j` to `params`: each key whose value in `params` equals the calibration
/// base's (the scenario does not set it) takes the particle's value. Returns the keys the
/// scenario sets itself and that were left alone. Throws sim::ParamError when the result is
/// not valid for the model.
std::vector<std::string> apply_particle(const Posterior& posterior, std::size_t j,
                                        models::forkommune::Params& params);

/// The posterior as the CSV the built-in one is stored in.
std::string posterior_csv(const Posterior& posterior);

/// `innosim posterior FILE|builtin [--csv]`: the posterior's summary (each parameter's base
/// value, weighted median and 90 % interval), or with `csv` the CSV of its particles.
int posterior_command(const std::string& what, bool csv, std::ostream& out);

}  // namespace innosim::tools
