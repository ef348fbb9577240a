// The replicate loop, the indicator schema and the series recorder.
#include "sim/process.hpp"

#include "sim/assert.hpp"
#include "sim/error.hpp"

namespace innosim::sim {

std::size_t IndicatorSchema::add(std::string name, std::string unit, std::string description,
                                 Aggregation aggregation) {
  if (!index_.emplace(name, specs_.size()).second) {
    throw ParamError("indicator '" + name + "' is declared twice");
  }
  specs_.push_back({std::move(name), std::move(unit), std::move(description), aggregation});
  return specs_.size() - 1;
}

std::optional<std::size_t> IndicatorSchema::find(std::string_view name) const noexcept {
  const auto it = index_.find(name);
  if (it == index_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::size_t IndicatorSchema::require(std::string_view name) const {
  if (auto i = find(name)) {
    return *i;
  }
  std::string known;
  for (const auto& s : specs_) {
    known += (known.empty() ? "" : ", ") + s.name;
  }
  throw ParamError("unknown indicator '" + std::string(name) + "' (this model records: " + known + ")");
}

Step run_process(Process& process, const RunInfo& info, std::span<Observer* const> observers) {
  const IndicatorSchema& schema = process.indicators();
  std::vector<double> values(schema.size());
  for (Observer* o : observers) {
    o->on_start(info, schema);
  }
  process.start();
  Step quiescent_at = process.quiescent() ? 0 : kNever;
  process.measure(values);
  for (Observer* o : observers) {
    o->on_step(0, values);
  }
  for (Step t = 1; t <= info.max_steps; ++t) {
    if (info.cancel != nullptr && info.cancel->load(std::memory_order_relaxed)) throw Cancelled();
    process.advance(t);
    if (quiescent_at == kNever && process.quiescent()) {
      quiescent_at = t;
    }
    process.measure(values);
    for (Observer* o : observers) {
      o->on_step(t, values);
    }
  }
  for (Observer* o : observers) {
    o->on_finish(info);
  }
  return quiescent_at;
}

void SeriesRecorder::on_start(const RunInfo& info, const IndicatorSchema& schema) {
  width_ = schema.size();
  values_.clear();
  values_.reserve((std::size_t{info.max_steps} + 1) * width_);
}

void SeriesRecorder::on_step(Step t, std::span<const double> values) {
  SIM_ASSERT(values.size() == width_, "indicator count changed during a run");
  SIM_ASSERT(values_.size() == std::size_t{t} * width_, "steps must arrive in order");
  values_.insert(values_.end(), values.begin(), values.end());
}

}  // namespace innosim::sim
