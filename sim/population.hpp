// Agents of several kinds in one id space, and their state as structure-of-arrays columns.
//
// A run registers its kinds once (owners, research institutions, researchers, arenas, or the
// single kind "node" of a classic model); each kind gets a contiguous AgentId range in
// registration order, so ids are stable and every loop in AgentId order visits kinds in
// blocks. Per-kind state lives in plain columns (one std::vector per variable) indexed by
// `id - range.begin`, which keeps hot loops streaming through memory.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/assert.hpp"
#include "sim/types.hpp"

namespace innosim::sim {

/// A contiguous range of agent ids [begin, end).
struct AgentRange {
  AgentId begin = 0;
  AgentId end = 0;
  [[nodiscard]] AgentId size() const noexcept { return end - begin; }
  [[nodiscard]] bool contains(AgentId a) const noexcept { return a >= begin && a < end; }
  friend bool operator==(const AgentRange&, const AgentRange&) = default;
};

using KindId = std::uint16_t;

/// The registry of agent kinds. Not thread-safe to modify; read freely once built.
class Population {
 public:
  /// Appends a kind with `count` agents and returns its id range. Throws ParamError when the
  /// name is empty or taken, or the total would exceed the AgentId space.
  AgentRange add_kind(std::string name, AgentId count);

  [[nodiscard]] std::size_t num_kinds() const noexcept { return names_.size(); }
  [[nodiscard]] AgentId size() const noexcept { return ends_.empty() ? 0 : ends_.back(); }
  [[nodiscard]] const std::string& kind_name(KindId k) const { return names_.at(k); }
  [[nodiscard]] AgentRange range(KindId k) const { return {k == 0 ? 0 : ends_.at(k - 1U), ends_.at(k)}; }
  [[nodiscard]] std::optional<KindId> find_kind(std::string_view name) const noexcept;
  /// The kind an agent belongs to (binary search over the kinds). Precondition: a < size().
  [[nodiscard]] KindId kind_of(AgentId a) const noexcept;

 private:
  std::vector<std::string> names_;
  std::vector<AgentId> ends_;
};

/// A state column read and written under synchronous update: during a phase every agent
/// reads `prev()` (the state at the start of the phase) and writes its own entry of `next()`;
/// `commit()` makes the new values current for everyone at once.
///   column.begin_phase();                       // next := prev
///   for_each_agent(r, [&](AgentId a) { column.next()[a] = f(column.prev(), a); });
///   column.commit();                            // prev := next
template <class T>
class BufferedColumn {
 public:
  explicit BufferedColumn(std::size_t n = 0, T initial = T{}) : current_(n, initial), next_(n, initial) {}

  [[nodiscard]] std::size_t size() const noexcept { return current_.size(); }
  [[nodiscard]] std::span<const T> prev() const noexcept { return current_; }
  [[nodiscard]] std::span<T> next() noexcept { return next_; }
  /// Starts a phase in which only some entries are written: the others keep their value.
  void begin_phase() { std::copy(current_.begin(), current_.end(), next_.begin()); }
  /// Makes the values written during the phase current.
  void commit() noexcept { current_.swap(next_); }
  /// Sets the current value outside any phase (initialisation).
  void set(std::size_t i, T value) {
    current_[i] = value;
    next_[i] = value;
  }

 private:
  std::vector<T> current_;
  std::vector<T> next_;
};

}  // namespace innosim::sim
