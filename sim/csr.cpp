// CsrLayer construction through boost::compressed_sparse_row_graph, and row sorting.
#include "sim/csr.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <cstring>
#include <iterator>
#include <utility>

#include "sim/assert.hpp"

namespace innosim::sim {
namespace {

// A multi-pass iterator over the arcs of an edge list without materialising them: index k < m
// is edge k as given; in an undirected layer, index m + k is edge k reversed. Boost's
// counting-sort constructor reads the range twice (once to count, once to place), so the
// arcs of a 10^7-node graph never exist as a second list in memory.
class ArcIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = std::pair<AgentId, AgentId>;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = value_type;

  ArcIterator() = default;
  ArcIterator(const Edge* edges, std::size_t num_edges, std::size_t index)
      : edges_(edges), num_edges_(num_edges), index_(index) {}

  value_type operator*() const noexcept {
    if (index_ < num_edges_) {
      return {edges_[index_].source, edges_[index_].target};
    }
    const Edge& e = edges_[index_ - num_edges_];
    return {e.target, e.source};
  }
  ArcIterator& operator++() noexcept {
    ++index_;
    return *this;
  }
  ArcIterator operator++(int) noexcept {
    ArcIterator old = *this;
    ++index_;
    return old;
  }
  friend bool operator==(const ArcIterator& a, const ArcIterator& b) noexcept { return a.index_ == b.index_; }

 private:
  const Edge* edges_ = nullptr;
  std::size_t num_edges_ = 0;
  std::size_t index_ = 0;
};

// The weight of arc k: edge k's weight, for both directions of an undirected edge.
class ArcWeightIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = float;
  using difference_type = std::ptrdiff_t;
  using pointer = const float*;
  using reference = const float&;

  ArcWeightIterator(const float* weights, std::size_t num_edges) : weights_(weights), num_edges_(num_edges) {}
  const float& operator*() const noexcept { return weights_[index_ % num_edges_]; }
  ArcWeightIterator& operator++() noexcept {
    ++index_;
    return *this;
  }
  ArcWeightIterator operator++(int) noexcept {
    ArcWeightIterator old = *this;
    ++index_;
    return old;
  }
  // Boost's constructor never compares weight iterators, but a forward iterator has ==.
  [[maybe_unused]] friend bool operator==(const ArcWeightIterator& a, const ArcWeightIterator& b) noexcept {
    return a.index_ == b.index_;
  }

 private:
  const float* weights_;
  std::size_t num_edges_;
  std::size_t index_ = 0;
};

template <class EdgeProperty>
using BoostCsr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, EdgeProperty,
                                                    boost::no_property, AgentId, EdgeIndex>;

}  // namespace

CsrLayer CsrLayer::from_edges(AgentId num_nodes, std::span<const Edge> edges, EdgeDirection direction,
                              std::span<const float> weights) {
  SIM_ASSERT(weights.empty() || weights.size() == edges.size(), "one weight per edge, or none");
  const std::size_t arcs = direction == EdgeDirection::kDirected ? edges.size() : 2 * edges.size();
  const ArcIterator first(edges.data(), edges.size(), 0);
  const ArcIterator last(edges.data(), edges.size(), arcs);
  CsrLayer layer;
  layer.direction_ = direction;
  if (weights.empty()) {
    BoostCsr<boost::no_property> g(boost::edges_are_unsorted_multi_pass, first, last, num_nodes);
    layer.offsets_ = std::move(g.m_forward.m_rowstart);
    layer.targets_ = std::move(g.m_forward.m_column);
  } else {
    BoostCsr<float> g(boost::edges_are_unsorted_multi_pass, first, last,
                      ArcWeightIterator(weights.data(), weights.size()), num_nodes);
    layer.offsets_ = std::move(g.m_forward.m_rowstart);
    layer.targets_ = std::move(g.m_forward.m_column);
    layer.weights_.resize(layer.targets_.size());
    if (!layer.weights_.empty()) {
      // Boost keeps edge properties in one contiguous vector indexed like m_column.
      const float* boost_weights = &g[boost::detail::csr_edge_descriptor<AgentId, EdgeIndex>(0, 0)];
      std::memcpy(layer.weights_.data(), boost_weights, layer.weights_.size() * sizeof(float));
    }
  }
  if (layer.offsets_.empty()) {
    layer.offsets_.assign(1, 0);
  }
  layer.sort_rows();
  return layer;
}

CsrLayer CsrLayer::from_arrays(EdgeDirection direction, std::vector<EdgeIndex> offsets,
                               std::vector<AgentId> targets, std::vector<float> weights) {
  SIM_ASSERT(!offsets.empty() && offsets.front() == 0 && offsets.back() == targets.size(),
             "offsets must start at 0 and end at the number of arcs");
  SIM_ASSERT(weights.empty() || weights.size() == targets.size(), "one weight per arc, or none");
  CsrLayer layer;
  layer.direction_ = direction;
  layer.offsets_ = std::move(offsets);
  layer.targets_ = std::move(targets);
  layer.weights_ = std::move(weights);
  return layer;
}

void CsrLayer::sort_rows() {
  const AgentId n = num_nodes();
  if (weights_.empty()) {
    tbb::parallel_for(tbb::blocked_range<AgentId>(0, n, 4096), [&](const auto& range) {
      for (AgentId v = range.begin(); v != range.end(); ++v) {
        std::sort(targets_.begin() + static_cast<std::ptrdiff_t>(offsets_[v]),
                  targets_.begin() + static_cast<std::ptrdiff_t>(offsets_[v + 1]));
      }
    });
    return;
  }
  // Sort (target, weight) pairs; a stable sort keeps repeated arcs in input order.
  tbb::enumerable_thread_specific<std::vector<std::pair<AgentId, float>>> scratch;
  tbb::parallel_for(tbb::blocked_range<AgentId>(0, n, 4096), [&](const auto& range) {
    auto& pairs = scratch.local();
    for (AgentId v = range.begin(); v != range.end(); ++v) {
      const EdgeIndex b = offsets_[v];
      const EdgeIndex e = offsets_[v + 1];
      pairs.clear();
      for (EdgeIndex i = b; i < e; ++i) {
        pairs.emplace_back(targets_[i], weights_[i]);
      }
      std::stable_sort(pairs.begin(), pairs.end(),
                       [](const auto& x, const auto& y) { return x.first < y.first; });
      for (EdgeIndex i = b; i < e; ++i) {
        targets_[i] = pairs[i - b].first;
        weights_[i] = pairs[i - b].second;
      }
    }
  });
}

std::vector<EdgeIndex> CsrLayer::in_degrees() const {
  const AgentId n = num_nodes();
  std::vector<EdgeIndex> in(n, 0);
  if (!directed()) {
    for (AgentId v = 0; v < n; ++v) {
      in[v] = degree(v);
    }
    return in;
  }
  for (const AgentId t : targets_) {
    ++in[t];
  }
  return in;
}

bool CsrLayer::is_simple() const noexcept {
  const AgentId n = num_nodes();
  for (AgentId v = 0; v < n; ++v) {
    for (EdgeIndex e = offsets_[v]; e < offsets_[v + 1]; ++e) {
      if (targets_[e] == v || (e > offsets_[v] && targets_[e] == targets_[e - 1])) {
        return false;
      }
    }
  }
  return true;
}

std::size_t CsrLayer::memory_bytes() const noexcept {
  return offsets_.capacity() * sizeof(EdgeIndex) + targets_.capacity() * sizeof(AgentId) +
         weights_.capacity() * sizeof(float);
}

}  // namespace innosim::sim
