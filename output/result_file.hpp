// innosim's result files (HDF5; the schema is documented in docs/output.md).
//
//   /                    format, format_version, kind ("run" or "compare")
//   /provenance          innosim version, git revision, library versions, seed (attributes)
//   /runtime             wall clock, host, threads, elapsed seconds: the only group that differs
//                        between two runs of the same command
//   /world/<table>       owners, counties, institutions
//   /scenarios/<name>/   one group per scenario: its text as given and resolved, the indicator
//                        table, the per-replicate series (monthly and yearly) and totals, and the
//                        per-replicate tables (owners_end, innovations, projects, adoptions)
//
// Replicates are appended as they arrive, so memory does not grow with their number. The file
// is written under a temporary name and renamed into place by commit().
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "output/hdf5.hpp"
#include "output/run_summary.hpp"
#include "sim/process.hpp"
#include "sim/table.hpp"
#include "sim/types.hpp"

namespace innosim::output {

inline constexpr std::int64_t kResultFormatVersion = 1;

/// What made the results: written to /provenance, identical for identical runs.
struct Provenance {
  std::string innosim_version;
  std::string git_revision;
  std::string kind;  ///< "run" or "compare"
  std::vector<std::pair<std::string, std::string>> libraries;
  std::vector<std::pair<std::string, std::string>> facts;  ///< further attributes (reference scenario, ...)
};

/// Where and when: written to /runtime.
struct Runtime {
  std::string started_utc;  ///< ISO 8601
  std::string host;
  std::string command_line;
  std::int64_t threads = 0;
  double elapsed_seconds = 0;
};

/// One scenario's description in the file.
struct ScenarioInfo {
  std::string name;
  std::string description;
  std::string description_nb;                              ///< the same in bokmål, or empty
  std::vector<std::pair<std::string, std::string>> files;  ///< (name, text): the file, then its bases
  std::string resolved;                                    ///< every parameter's value
  std::uint64_t seed = 0;
  std::int64_t replicates = 0;
  std::int64_t years = 0;
  std::int64_t warmup_years = 0;
  sim::Step steps_per_year = 12;
  std::vector<std::string> warnings;     ///< what the scenario's money cannot buy (money_warnings)
  std::vector<std::string> warnings_nb;  ///< the same in bokmål
};

class ResultFile;

/// Appends one scenario's replicates.
class ScenarioWriter {
 public:
  /// Adds replicate `r`: its series ((steps + 1) x indicators, row-major), its tables (same
  /// names and columns for every replicate; numbers only) and the adaptive rules that fired.
  void add_replicate(sim::Replicate r, std::span<const double> series, const std::vector<sim::Table>& tables,
                     const std::vector<std::string>& fired_rules);
  [[nodiscard]] std::uint64_t replicates() const noexcept { return replicates_; }

 private:
  friend class ResultFile;
  ScenarioWriter(h5::Group group, const sim::IndicatorSchema& schema, sim::Step steps, sim::Step per_year);
  void finish();

  struct TableSink {
    h5::Group group;
    std::vector<std::string> columns;
    std::vector<h5::Appendable> sinks;  ///< "replicate" first, then the columns
  };
  h5::Group group_;
  const sim::IndicatorSchema* schema_;
  sim::Step steps_, per_year_, years_;
  h5::Appendable ids_, series_, yearly_, totals_;
  std::map<std::string, TableSink, std::less<>> tables_;
  std::vector<std::int64_t> rule_replicate_;
  std::vector<std::string> rule_text_;
  std::uint64_t replicates_ = 0;
  std::vector<double> yearly_row_, totals_row_;
};

class ResultFile {
 public:
  ResultFile(std::filesystem::path path, const Provenance& provenance);
  ResultFile(const ResultFile&) = delete;
  ResultFile& operator=(const ResultFile&) = delete;
  ~ResultFile();

  void world(const std::string& description, const std::vector<sim::Table>& tables);
  /// Starts a scenario group; the writer lives as long as this file.
  ScenarioWriter& scenario(const ScenarioInfo& info, const sim::IndicatorSchema& schema, sim::Step steps);
  /// A group of summary tables (a comparison's results), as tables under /<name>.
  void tables(const std::string& name, const std::string& description, const std::vector<sim::Table>& tables,
              const std::vector<std::pair<std::string, std::string>>& attributes = {});
  /// Writes /runtime and renames the file into place.
  void commit(const Runtime& runtime);
  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  std::filesystem::path path_;
  h5::File file_;
  h5::Group scenarios_;
  std::vector<std::unique_ptr<ScenarioWriter>> writers_;
  std::vector<std::string> order_;  ///< scenario names as added
};

/// The root's format attributes and /provenance; /runtime. Shared by every kind of result file.
void write_provenance(const h5::Group& root, const Provenance& provenance);
/// Refuses (h5::H5ReadError) a file that is not an innosim result file or was written in a
/// format this innosim does not know (format_version other than kResultFormatVersion).
void check_result_format(const h5::Reader& file);
void write_runtime(const h5::Group& root, const Runtime& runtime);
/// A scenario and the files it extends as two parallel datasets, `<stem>_files` (names) and
/// `<stem>_texts` (their texts as read).
void write_scenario_files(const h5::Group& group, std::string_view stem,
                          const std::vector<std::pair<std::string, std::string>>& files,
                          std::string_view about);
/// The table of an indicator schema (name, unit, description, aggregation).
sim::Table indicator_table(const sim::IndicatorSchema& schema);

/// Now, as "2026-11-30T09:12:00Z", and this host's name: for Runtime.
std::string utc_now();
std::string host_name();

}  // namespace innosim::output
