// A paired comparison of programme scenarios as a library: what `innosim compare` and the
// explorer (`innosim serve`) share. The constructor does every check and builds the worlds and
// models (it throws ScenarioError with the scenario's file and line for bad input); run() runs
// the replicates, every scenario's replicate r together with common random numbers, and hands
// them to a fold in replicate order, so that a caller can fold, write or stream them as they
// finish.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/forkommune/model.hpp"
#include "output/comparison.hpp"
#include "output/labels.hpp"
#include "tools/calibrate/posterior.hpp"
#include "tools/scenario/programme_scenario.hpp"

namespace innosim::tools {

/// Replicates kept between comparisons (the explorer keeps one for its lifetime). A scenario's
/// replicate r depends only on the scenario, its seed and r, not on what it is compared with
/// (common random numbers), so a comparison may take it from here instead of running it again,
/// and gets bitwise the same result. The explorer compares every request with baseline and
/// no-programme: with them kept, a new lever setting runs only the explored scenario.
/// Thread-safe; the least recently used replicates are dropped beyond `max_bytes`.
class ReplicateCache {
 public:
  explicit ReplicateCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  [[nodiscard]] std::optional<models::forkommune::ProgrammeResult> find(const std::string& key,
                                                                        sim::Replicate r);
  void store(const std::string& key, sim::Replicate r, const models::forkommune::ProgrammeResult& result);
  [[nodiscard]] std::size_t bytes() const;
  [[nodiscard]] std::uint64_t hits() const;

 private:
  using Key = std::pair<std::string, sim::Replicate>;
  struct Entry {
    models::forkommune::ProgrammeResult result;
    std::size_t bytes = 0;
    std::list<Key>::iterator age;
  };
  mutable std::mutex mutex_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0;
  std::map<Key, Entry> entries_;
  std::list<Key> ages_;  ///< most recently used first
};

struct ComparisonRequest {
  std::vector<ProgrammeScenario> scenarios;  ///< distinct names
  std::string reference;                     ///< empty: baseline when compared, else the first
  std::optional<std::uint64_t> replicates;   ///< default: the reference's run.replicates
  std::optional<std::uint64_t> seed;         ///< default: the reference's run.seed
  std::optional<std::uint64_t> years;        ///< default: the scenarios' common run.years
  unsigned threads = 0;                      ///< 0: all cores
  std::optional<std::string> max_memory;     ///< as --max-memory
  std::string posterior;                     ///< a calibration file or "builtin"; empty: none
  /// Replicates to take instead of running them, and to keep (see ReplicateCache); used only
  /// for scenarios on the built-in worlds (a world read from files may change between
  /// comparisons) and without a posterior.
  ReplicateCache* cache = nullptr;
};

class ComparisonJob {
 public:
  explicit ComparisonJob(ComparisonRequest request);

  [[nodiscard]] const std::vector<ProgrammeScenario>& scenarios() const noexcept { return scenarios_; }
  [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
  [[nodiscard]] std::size_t reference() const noexcept { return reference_; }
  [[nodiscard]] std::optional<std::size_t> counterfactual() const noexcept { return counterfactual_; }
  [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }
  [[nodiscard]] std::uint64_t replicates() const noexcept { return replicates_; }
  [[nodiscard]] std::int64_t years() const noexcept { return years_; }
  [[nodiscard]] unsigned threads() const noexcept { return threads_; }
  [[nodiscard]] const models::forkommune::ProgrammeModel& model(std::size_t k) const {
    return *models_.at(k);
  }
  [[nodiscard]] const models::forkommune::World& world() const { return *worlds_.at(reference_); }
  [[nodiscard]] const sim::IndicatorSchema& schema() const { return models_.at(reference_)->layout().schema; }
  [[nodiscard]] const std::optional<Posterior>& posterior() const noexcept { return posterior_; }
  /// Per scenario: the calibrated parameters it sets itself (the posterior leaves them).
  [[nodiscard]] const std::vector<std::vector<std::string>>& levers() const noexcept { return levers_; }

  /// The comparison's setup: names, reference, counterfactual, the main metrics (labelled in
  /// `lang`), and the centrality and size classes.
  [[nodiscard]] output::ComparisonSetup setup(output::Language lang = output::Language::kEnglish) const;

  struct Replicate {
    sim::Replicate replicate = 0;
    std::vector<models::forkommune::ProgrammeResult> results;  ///< one per scenario
  };
  /// Runs every replicate on the threads the request gave (the caller limits TBB); `fold`
  /// receives them in replicate order on one thread at a time. `tables`: each result also holds
  /// its replicate's tables. Returns false when `cancel` stopped it.
  bool run(bool tables, const std::function<void(Replicate&&)>& fold, const std::atomic<bool>* cancel) const;

 private:
  std::vector<ProgrammeScenario> scenarios_;
  std::vector<std::string> names_;
  std::size_t reference_ = 0;
  std::optional<std::size_t> counterfactual_;
  std::uint64_t seed_ = 0, replicates_ = 0;
  std::int64_t years_ = 0;
  unsigned threads_ = 1;
  std::vector<std::shared_ptr<const models::forkommune::World>> worlds_;
  std::vector<std::unique_ptr<models::forkommune::ProgrammeModel>> models_;
  std::optional<Posterior> posterior_;
  std::vector<std::vector<std::string>> levers_;
  ReplicateCache* cache_ = nullptr;
  std::vector<std::string> cache_keys_;  ///< per scenario: what its replicates depend on; empty: not kept
};

}  // namespace innosim::tools
