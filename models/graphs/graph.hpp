// The network a classic diffusion model runs on: one CSR layer, or the complete graph kept
// implicit (n(n-1) arcs would not fit for the sizes Bass is run at; mean-field models only
// need the number of adopters).
#pragma once

#include <memory>
#include <string>

#include "sim/csr.hpp"
#include "sim/types.hpp"

namespace innosim::models {

class Graph {
 public:
  /// The complete graph on n nodes, without storing its arcs.
  static Graph complete(sim::AgentId n) {
    Graph g;
    g.num_nodes_ = n;
    return g;
  }
  /// A stored layer, shared (replicates that reuse one graph hold the same layer).
  static Graph of_layer(std::shared_ptr<const sim::CsrLayer> layer) {
    Graph g;
    g.num_nodes_ = layer->num_nodes();
    g.layer_ = std::move(layer);
    return g;
  }

  [[nodiscard]] bool is_complete() const noexcept { return layer_ == nullptr; }
  [[nodiscard]] sim::AgentId num_nodes() const noexcept { return num_nodes_; }
  /// Edges as listed (undirected edges counted once); n(n-1)/2 for the complete graph.
  [[nodiscard]] std::uint64_t num_edges() const noexcept {
    return layer_ ? layer_->num_edges()
                  : std::uint64_t{num_nodes_} * (num_nodes_ == 0 ? 0 : num_nodes_ - 1) / 2;
  }
  [[nodiscard]] bool directed() const noexcept { return layer_ && layer_->directed(); }
  /// The stored layer. Precondition: !is_complete().
  [[nodiscard]] const sim::CsrLayer& layer() const noexcept { return *layer_; }
  [[nodiscard]] const std::shared_ptr<const sim::CsrLayer>& shared_layer() const noexcept { return layer_; }
  /// Degree of v (n - 1 in the complete graph).
  [[nodiscard]] std::uint64_t degree(sim::AgentId v) const noexcept {
    return layer_ ? layer_->degree(v) : num_nodes_ - 1;
  }

 private:
  sim::AgentId num_nodes_ = 0;
  std::shared_ptr<const sim::CsrLayer> layer_;
};

}  // namespace innosim::models
