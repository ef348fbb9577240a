// What the kernel runs and what it reports: a Process advances one replicate tick by tick;
// Observers see its indicators after every tick.
//
// A Process is created for one replicate from a frozen model definition (parameters, graph,
// random key) and owns all mutable state of that replicate, so replicates can run side by side.
// It declares its indicators (name, unit, description) before step 0; the scenario's list of
// what to record is checked against that schema, and writers (output/) decide how to store it.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/types.hpp"

namespace innosim::sim {

/// How a per-tick series adds up over longer periods: flows are summed (adoptions in a year),
/// stocks are read at the period's end (adopters by the end of a year).
enum class Aggregation : std::uint8_t { kStock, kFlow };

/// One recorded quantity.
struct IndicatorSpec {
  std::string name;         ///< snake_case, stable: used as a column or dataset name
  std::string unit;         ///< e.g. "agents", "MNOK", "1" for ratios
  std::string description;  ///< one plain sentence
  Aggregation aggregation = Aggregation::kStock;
};

/// The ordered list of a process's indicators.
class IndicatorSchema {
 public:
  /// Appends an indicator and returns its index. Throws ParamError on a repeated name.
  std::size_t add(std::string name, std::string unit, std::string description,
                  Aggregation aggregation = Aggregation::kStock);
  [[nodiscard]] std::size_t size() const noexcept { return specs_.size(); }
  [[nodiscard]] const IndicatorSpec& operator[](std::size_t i) const { return specs_.at(i); }
  [[nodiscard]] std::optional<std::size_t> find(std::string_view name) const noexcept;
  /// The index of `name`; throws ParamError naming the known indicators when absent.
  [[nodiscard]] std::size_t require(std::string_view name) const;

 private:
  std::vector<IndicatorSpec> specs_;
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };
  /// name -> position; schemas broken down by county have thousands of names.
  std::unordered_map<std::string, std::size_t, NameHash, std::equal_to<>> index_;
};

/// The identity of one replicate's run.
struct RunInfo {
  Seed seed = 0;
  Replicate replicate = 0;
  Step max_steps = 0;
  /// When set and true, run_process stops at the next tick by throwing Cancelled.
  const std::atomic<bool>* cancel = nullptr;
};

/// Thrown by run_process when its RunInfo::cancel became true: the run is abandoned.
class Cancelled : public std::exception {
 public:
  [[nodiscard]] const char* what() const noexcept override { return "run cancelled"; }
};

/// One replicate of a model. Implementations keep `advance` cheap once nothing can change
/// (a finished cascade costs O(1) per tick), because the runner always runs to max_steps so
/// that every replicate has a series of the same length.
class Process {
 public:
  virtual ~Process() = default;
  [[nodiscard]] virtual const IndicatorSchema& indicators() const = 0;
  /// Builds the state at step 0 (initial adopters, thresholds, ...).
  virtual void start() = 0;
  /// Moves the state from tick t - 1 to tick t. Called with t = 1, 2, ... in order.
  virtual void advance(Step t) = 0;
  /// True when no later tick can change the state.
  [[nodiscard]] virtual bool quiescent() const = 0;
  /// Writes the indicators of the current state, one value per schema entry.
  virtual void measure(std::span<double> out) const = 0;
};

/// Sees a replicate as it runs. Called from the replicate's thread, in step order.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_start(const RunInfo& /*info*/, const IndicatorSchema& /*schema*/) {}
  virtual void on_step(Step t, std::span<const double> values) = 0;
  virtual void on_finish(const RunInfo& /*info*/) {}
};

/// Runs one replicate from step 0 to info.max_steps, showing each step's indicators to every
/// observer. Returns the first step at which the process was quiescent (kNever if it never
/// was), which for a cascade is its duration.
Step run_process(Process& process, const RunInfo& info, std::span<Observer* const> observers);

/// An observer that keeps the whole series of one replicate: values[t * width + i] is
/// indicator i at step t.
class SeriesRecorder final : public Observer {
 public:
  void on_start(const RunInfo& info, const IndicatorSchema& schema) override;
  void on_step(Step t, std::span<const double> values) override;

  [[nodiscard]] std::size_t width() const noexcept { return width_; }
  [[nodiscard]] std::size_t num_steps() const noexcept { return width_ == 0 ? 0 : values_.size() / width_; }
  [[nodiscard]] double at(Step t, std::size_t indicator) const {
    return values_.at(std::size_t{t} * width_ + indicator);
  }
  [[nodiscard]] std::span<const double> values() const noexcept { return values_; }
  [[nodiscard]] std::vector<double> take() && { return std::move(values_); }

 private:
  std::size_t width_ = 0;
  std::vector<double> values_;
};

}  // namespace innosim::sim
