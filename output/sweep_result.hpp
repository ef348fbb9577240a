// Result files of parameter sweeps (kind "sweep" or "sweep-part"; docs/output.md, docs/sweeps.md).
//
//   /provenance, /runtime        as in every result file
//   /sweep                       attributes: fingerprint, design, keep, replicates, seed,
//                                random_numbers, points, runs, years, shard_index, shard_count;
//                                sweep_file (text), base_files / base_texts / base_resolved,
//                                factors (table), unit [point, factor] (design coordinates),
//                                values [point, factor] (each factor's value, or level index)
//   /indicators                  the indicator table (columns of totals, yearly, series)
//   /runs                        run, point, replicate [run]; totals [run, indicator];
//                                yearly [run, year, indicator] (keep yearly or series);
//                                series [run, month, indicator] (keep series); rules_fired
//   /points                      (complete sweeps) mean and sd [point, indicator] of totals over
//                                the point's replicates
//   /analysis                    written by `innosim analyse`
//
// A part (one shard) holds the runs r with r mod shard_count = shard_index; merge_parts()
// writes from complete parts exactly the file the whole sweep writes in one process. Runs are
// always added in increasing run number, so the file's bytes do not depend on the order in
// which runs finished.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "output/hdf5.hpp"
#include "output/result_file.hpp"
#include "sim/process.hpp"
#include "sim/stats.hpp"
#include "sim/table.hpp"

namespace innosim::output {

struct SweepInfo {
  std::string fingerprint;
  std::string description;
  std::string source;  ///< the sweep file as given
  std::string text;    ///< its text
  std::string design, keep, random_numbers;
  std::uint64_t replicates = 1, seed = 0, points = 0;
  std::int64_t years = 0, warmup_years = 0;
  sim::Step steps = 0, per_year = 12;
  std::uint64_t shard_index = 0, shard_count = 1;
  std::vector<std::pair<std::string, std::string>> base_files;  ///< (name, text)
  std::string base_resolved;
  sim::Table factors;
  std::size_t num_factors = 0;
  std::vector<double> unit, values;  ///< points x factors
  /// A posterior the replicates draw calibrated parameters from ("" when none): where it came
  /// from, its keys, and the particle and values each replicate drew (replicates x keys).
  std::string posterior;
  std::vector<std::string> posterior_keys;
  std::vector<std::int64_t> posterior_particle;
  std::vector<double> posterior_theta;

  [[nodiscard]] std::uint64_t runs() const noexcept { return points * replicates; }
  /// Runs in this shard: r < runs() with r mod shard_count == shard_index.
  [[nodiscard]] std::uint64_t shard_runs() const noexcept;
};

/// Doubles per run record for a keep level ("totals", "yearly", "series").
std::size_t record_values(const std::string& keep, std::size_t indicators, sim::Step steps,
                          sim::Step per_year);

class SweepWriter {
 public:
  SweepWriter(std::filesystem::path path, const Provenance& provenance, SweepInfo info,
              const sim::IndicatorSchema& schema);
  /// Adds run `run` (runs must come in increasing order and belong to this shard): its record
  /// values (totals, then yearly, then series, as kept) and the rules that fired.
  void add_run(std::uint64_t run, std::span<const double> values,
               const std::vector<std::string>& fired_rules);
  /// Checks that every run of the shard was added, writes /points and /runtime, renames into place.
  void commit(const Runtime& runtime);

 private:
  void flush_point();

  std::filesystem::path path_;
  h5::File file_;
  SweepInfo info_;
  std::size_t width_;
  std::size_t years_;
  h5::Appendable run_, point_, replicate_, totals_, yearly_, series_;
  std::vector<std::int64_t> rule_run_;
  std::vector<std::string> rule_text_;
  std::uint64_t added_ = 0;
  std::int64_t last_run_ = -1;
  // Per-point statistics of totals (complete sweeps).
  std::uint64_t current_point_ = 0;
  std::vector<sim::RunningStats> point_stats_;
  std::vector<double> point_mean_, point_sd_;
};

/// What a sweep file (whole or part) says about itself, read back.
struct SweepFileHeader {
  std::string kind;  ///< "sweep" or "sweep-part"
  std::string fingerprint;
  std::uint64_t shard_index = 0, shard_count = 1, runs_total = 0, runs_in_file = 0;
  std::uint64_t values_per_run = 0;
};

/// Reads a sweep result file's header; throws H5Error when it is not one.
SweepFileHeader read_sweep_header(const h5::Reader& file);

/// Reads back what a SweepWriter was given (for merging parts into the whole).
SweepInfo read_sweep_info(const h5::Reader& file);
/// Reads back an indicator table (output of indicator_table()).
sim::IndicatorSchema read_indicator_schema(const h5::Reader& file, const std::string& group = "/indicators");

/// Reads run records back from a sweep file (whole or part), in the file's run order.
class SweepRunReader {
 public:
  explicit SweepRunReader(const std::filesystem::path& path);
  [[nodiscard]] const SweepFileHeader& header() const noexcept { return header_; }
  [[nodiscard]] const std::vector<std::int64_t>& runs() const noexcept { return runs_; }
  /// The record values and rules of the k-th run of the file.
  void read(std::size_t k, std::vector<double>& values, std::vector<std::string>& rules) const;
  [[nodiscard]] const h5::Reader& file() const noexcept { return file_; }

 private:
  h5::Reader file_;
  SweepFileHeader header_;
  std::vector<std::int64_t> runs_;
  std::string keep_;
  std::size_t width_ = 0, years_ = 0, months_ = 0;
  std::vector<std::vector<std::string>> rules_;  ///< per k
};

}  // namespace innosim::output
