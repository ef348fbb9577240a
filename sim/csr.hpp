// One layer of the network in compressed sparse row (CSR) form, built through Boost.Graph.
//
// A layer is a set of weighted arcs over the run's agents. Undirected layers store each edge
// as two arcs. The arrays are the ones boost::compressed_sparse_row_graph builds (its
// counting-sort constructor), moved out of the Boost object so that hot loops can walk plain
// arrays: offsets[v] .. offsets[v+1] index the arcs leaving v in `targets` (and `weights`).
// Each row is sorted by target, so a layer's content, and every result computed on it, does
// not depend on the order in which its edges were listed.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "sim/types.hpp"

namespace innosim::sim {

enum class EdgeDirection : std::uint8_t { kUndirected, kDirected };

/// An edge (or arc, in a directed layer) between two agents.
struct Edge {
  AgentId source = 0;
  AgentId target = 0;
  friend bool operator==(const Edge&, const Edge&) = default;
};

/// What hot loops hold: raw pointers into a layer's arrays, valid while the layer lives and,
/// for dynamic layers, until the next commit. `weights == nullptr` means every arc weighs 1.
struct CsrView {
  AgentId num_nodes = 0;
  const EdgeIndex* offsets = nullptr;
  const AgentId* targets = nullptr;
  const float* weights = nullptr;

  [[nodiscard]] EdgeIndex begin(AgentId v) const noexcept { return offsets[v]; }
  [[nodiscard]] EdgeIndex end(AgentId v) const noexcept { return offsets[v + 1]; }
  [[nodiscard]] EdgeIndex degree(AgentId v) const noexcept { return offsets[v + 1] - offsets[v]; }
  [[nodiscard]] EdgeIndex num_arcs() const noexcept { return offsets[num_nodes]; }
  [[nodiscard]] float weight(EdgeIndex e) const noexcept { return weights ? weights[e] : 1.0F; }
  [[nodiscard]] std::span<const AgentId> neighbours(AgentId v) const noexcept {
    return {targets + offsets[v], static_cast<std::size_t>(degree(v))};
  }
};

/// An immutable CSR layer. Movable, not copyable (layers can hold gigabytes).
class CsrLayer {
 public:
  CsrLayer() = default;
  CsrLayer(const CsrLayer&) = delete;
  CsrLayer& operator=(const CsrLayer&) = delete;
  CsrLayer(CsrLayer&&) noexcept = default;
  CsrLayer& operator=(CsrLayer&&) noexcept = default;
  ~CsrLayer() = default;

  /// Builds a layer over agents [0, num_nodes) from an edge list, through
  /// boost::compressed_sparse_row_graph. In an undirected layer each edge (u, v) becomes the
  /// arcs u->v and v->u. `weights` is empty (all arcs weigh 1) or holds one weight per edge.
  /// Self-loops and repeated edges are kept as given: generators do not make them and the
  /// edge-list loader rejects them. Preconditions: endpoints < num_nodes; weights.size() is 0
  /// or edges.size().
  ///   auto layer = CsrLayer::from_edges(3, edges, EdgeDirection::kUndirected);
  static CsrLayer from_edges(AgentId num_nodes, std::span<const Edge> edges, EdgeDirection direction,
                             std::span<const float> weights = {});

  /// Adopts ready CSR arrays (used by dynamic layers after a merge). Preconditions: offsets has
  /// num_nodes + 1 non-decreasing entries starting at 0; rows sorted by target; weights empty
  /// or one per arc.
  static CsrLayer from_arrays(EdgeDirection direction, std::vector<EdgeIndex> offsets,
                              std::vector<AgentId> targets, std::vector<float> weights);

  /// Hands the arrays over for reuse (a dynamic layer recycles them) and leaves the layer empty.
  void release(std::vector<EdgeIndex>& offsets, std::vector<AgentId>& targets,
               std::vector<float>& weights) && {
    offsets = std::move(offsets_);
    targets = std::move(targets_);
    weights = std::move(weights_);
    offsets_.assign(1, 0);
  }

  [[nodiscard]] CsrView view() const noexcept {
    return {num_nodes(), offsets_.data(), targets_.data(), weights_.empty() ? nullptr : weights_.data()};
  }
  [[nodiscard]] AgentId num_nodes() const noexcept {
    return offsets_.empty() ? 0 : static_cast<AgentId>(offsets_.size() - 1);
  }
  /// Stored arcs: twice the edges of an undirected layer.
  [[nodiscard]] EdgeIndex num_arcs() const noexcept { return targets_.size(); }
  /// Edges as listed: arcs of a directed layer, arcs / 2 of an undirected one.
  [[nodiscard]] EdgeIndex num_edges() const noexcept { return directed() ? num_arcs() : num_arcs() / 2; }
  [[nodiscard]] bool directed() const noexcept { return direction_ == EdgeDirection::kDirected; }
  [[nodiscard]] EdgeDirection direction() const noexcept { return direction_; }
  [[nodiscard]] bool weighted() const noexcept { return !weights_.empty(); }
  [[nodiscard]] EdgeIndex degree(AgentId v) const noexcept { return offsets_[v + 1] - offsets_[v]; }
  /// Arcs arriving at each agent (equal to the degree in an undirected layer).
  [[nodiscard]] std::vector<EdgeIndex> in_degrees() const;
  [[nodiscard]] std::span<const EdgeIndex> offsets() const noexcept { return offsets_; }
  [[nodiscard]] std::span<const AgentId> targets() const noexcept { return targets_; }
  [[nodiscard]] std::span<const float> weights() const noexcept { return weights_; }
  /// True when the layer has no self-loop and no repeated arc (rows are sorted, so this is
  /// one pass).
  [[nodiscard]] bool is_simple() const noexcept;
  /// Bytes held by the arrays (capacity, not size).
  [[nodiscard]] std::size_t memory_bytes() const noexcept;

 private:
  void sort_rows();

  EdgeDirection direction_ = EdgeDirection::kUndirected;
  std::vector<EdgeIndex> offsets_{0};
  std::vector<AgentId> targets_;
  std::vector<float> weights_;
};

}  // namespace innosim::sim
