// A layer whose edges change during a run (ties left by projects, ties formed at arenas),
// kept in CSR form for fast reading and changed in batches.
//
// Phases stage changes (from any thread) while everyone reads the layer as it was at the start
// of the phase; `commit()` then applies the batch in one merge of the sorted changes into the
// sorted rows, O(n + arcs + k log k) for k changes, copying unchanged rows in runs. Staged changes are sorted
// before they apply, so the result does not depend on which thread staged what, or in what order.
//
// Within one commit the changes to one arc apply in this order: removals, then `set` (the
// largest value when several are staged), then `add` (summed in increasing order). So
// "remove + add" in one batch replaces an arc, and concurrent `add`s of joint projects
// accumulate.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <cstddef>
#include <vector>

#include "sim/csr.hpp"
#include "sim/types.hpp"

namespace innosim::sim {

class DynamicLayer {
 public:
  /// An empty layer over agents [0, num_nodes).
  DynamicLayer(AgentId num_nodes, EdgeDirection direction);

  /// Stages weight += w on source->target (creating the arc with weight w). In an undirected
  /// layer the reverse arc changes too. Thread-safe; visible after commit().
  void stage_add(AgentId source, AgentId target, float w);
  /// Stages weight = w on source->target, creating the arc if needed. Thread-safe.
  void stage_set(AgentId source, AgentId target, float w);
  /// Stages removal of source->target (nothing happens if it does not exist). Thread-safe.
  void stage_remove(AgentId source, AgentId target);

  /// Applies every staged change. Not thread-safe: call between phases. Invalidates views.
  void commit();
  /// Multiplies every weight by `factor` and removes arcs whose weight falls below
  /// `remove_below` (ties fading). Applies at once; call between phases. Invalidates views.
  void decay(float factor, float remove_below);

  [[nodiscard]] CsrView view() const noexcept { return csr_.view(); }
  [[nodiscard]] const CsrLayer& csr() const noexcept { return csr_; }
  [[nodiscard]] AgentId num_nodes() const noexcept { return csr_.num_nodes(); }
  [[nodiscard]] std::size_t pending() const;

 private:
  enum class Kind : std::uint8_t { kRemove = 0, kSet = 1, kAdd = 2 };
  struct Change {
    AgentId source;
    AgentId target;
    Kind kind;
    float weight;
  };
  void stage(AgentId source, AgentId target, Kind kind, float w);

  /// Batches at least this large are sorted in parallel.
  static constexpr std::size_t kParallelSortFrom = std::size_t{1} << 16;

  CsrLayer csr_;
  tbb::enumerable_thread_specific<std::vector<Change>> staged_;
  std::vector<Change> batch_;  // reused across commits: no allocation once warm
  // The arrays of the layer before the last commit, reused by the next one.
  std::vector<EdgeIndex> spare_offsets_;
  std::vector<AgentId> spare_targets_;
  std::vector<float> spare_weights_;
};

}  // namespace innosim::sim
