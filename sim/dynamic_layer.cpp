// DynamicLayer: staged changes merged into sorted CSR rows.
#include "sim/dynamic_layer.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

#include <algorithm>
#include <bit>
#include <cmath>

#include "sim/assert.hpp"

namespace innosim::sim {

DynamicLayer::DynamicLayer(AgentId num_nodes, EdgeDirection direction)
    : csr_(CsrLayer::from_arrays(direction, std::vector<EdgeIndex>(std::size_t{num_nodes} + 1, 0), {}, {})) {}

void DynamicLayer::stage(AgentId source, AgentId target, Kind kind, float w) {
  SIM_ASSERT(source < num_nodes() && target < num_nodes(), "dynamic edge endpoint out of range");
  SIM_ASSERT(std::isfinite(w), "dynamic edge weight must be finite");
  auto& local = staged_.local();
  local.push_back({source, target, kind, w});
  if (!csr_.directed() && source != target) {
    local.push_back({target, source, kind, w});
  }
}

void DynamicLayer::stage_add(AgentId source, AgentId target, float w) {
  stage(source, target, Kind::kAdd, w);
}
void DynamicLayer::stage_set(AgentId source, AgentId target, float w) {
  stage(source, target, Kind::kSet, w);
}
void DynamicLayer::stage_remove(AgentId source, AgentId target) {
  stage(source, target, Kind::kRemove, 0.0F);
}

std::size_t DynamicLayer::pending() const {
  std::size_t total = 0;
  for (const auto& local : staged_) {
    total += local.size();
  }
  return total;
}

void DynamicLayer::commit() {
  batch_.clear();
  for (auto& local : staged_) {
    batch_.insert(batch_.end(), local.begin(), local.end());
    local.clear();
  }
  if (batch_.empty()) {
    return;
  }
  // A total order on the changes' content: the merged result cannot depend on staging order
  // (changes that compare equal are identical, so any sort gives the same sequence).
  auto before = [](const Change& a, const Change& b) {
    if (a.source != b.source) return a.source < b.source;
    if (a.target != b.target) return a.target < b.target;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.weight < b.weight;
  };
  if (batch_.size() >= kParallelSortFrom) {
    tbb::parallel_sort(batch_.begin(), batch_.end(), before);
  } else {
    std::sort(batch_.begin(), batch_.end(), before);
  }

  // One pass over the rows into the spare arrays: runs of rows without changes are copied in
  // one go (their offsets shift by what the changed rows before them gained or lost), a changed
  // row is merged with its changes. O(n + arcs + k) at memory speed; the old arrays become the
  // next commit's spares, so a warm layer allocates nothing.
  const AgentId n = num_nodes();
  const CsrView old = csr_.view();
  std::vector<EdgeIndex>& offsets = spare_offsets_;
  std::vector<AgentId>& targets = spare_targets_;
  std::vector<float>& weights = spare_weights_;
  offsets.resize(std::size_t{n} + 1);
  targets.clear();
  weights.clear();
  offsets[0] = 0;
  std::size_t c = 0;
  AgentId v = 0;
  while (v < n) {
    const AgentId changed = c < batch_.size() ? batch_[c].source : n;
    if (changed > v) {
      const EdgeIndex from = old.begin(v);
      const EdgeIndex to = old.begin(changed);
      const EdgeIndex base = targets.size();
      targets.insert(targets.end(), old.targets + from, old.targets + to);
      for (EdgeIndex e = from; e < to; ++e) weights.push_back(old.weight(e));
      for (AgentId u = v; u < changed; ++u) offsets[u + 1] = old.end(u) - from + base;
      v = changed;
      continue;
    }
    // Row v with its changes (batch_[c...] while source == v), both sorted by target.
    EdgeIndex e = old.begin(v);
    const EdgeIndex e_end = old.end(v);
    while (e < e_end || (c < batch_.size() && batch_[c].source == v)) {
      const AgentId t_old = e < e_end ? old.targets[e] : kNoAgent;
      const AgentId t_new = c < batch_.size() && batch_[c].source == v ? batch_[c].target : kNoAgent;
      if (t_old < t_new) {
        targets.push_back(t_old);
        weights.push_back(old.weight(e));
        ++e;
        continue;
      }
      // Changes to arc v -> t_new, applied on top of the old weight if the arc exists.
      const bool existed = t_old == t_new;
      bool present = existed;
      float w = existed ? old.weight(e) : 0.0F;
      for (; c < batch_.size() && batch_[c].source == v && batch_[c].target == t_new; ++c) {
        const Change& ch = batch_[c];
        switch (ch.kind) {
          case Kind::kRemove:
            present = false;
            w = 0.0F;
            break;
          case Kind::kSet:
            present = true;
            w = ch.weight;  // sorted by weight: the largest set wins
            break;
          case Kind::kAdd:
            w = present ? w + ch.weight : ch.weight;
            present = true;
            break;
        }
      }
      if (existed) {
        ++e;
      }
      if (present) {
        targets.push_back(t_new);
        weights.push_back(w);
      }
    }
    offsets[v + 1] = targets.size();
    ++v;
  }
  CsrLayer merged =
      CsrLayer::from_arrays(csr_.direction(), std::move(offsets), std::move(targets), std::move(weights));
  std::move(csr_).release(spare_offsets_, spare_targets_, spare_weights_);
  csr_ = std::move(merged);
}

void DynamicLayer::decay(float factor, float remove_below) {
  const AgentId n = num_nodes();
  const CsrView old = csr_.view();
  std::vector<EdgeIndex> offsets(std::size_t{n} + 1, 0);
  tbb::parallel_for(tbb::blocked_range<AgentId>(0, n, 2048), [&](const auto& range) {
    for (AgentId v = range.begin(); v != range.end(); ++v) {
      EdgeIndex kept = 0;
      for (EdgeIndex e = old.begin(v); e < old.end(v); ++e) {
        kept += old.weight(e) * factor >= remove_below ? EdgeIndex{1} : EdgeIndex{0};
      }
      offsets[v + 1] = kept;
    }
  });
  for (AgentId v = 0; v < n; ++v) {
    offsets[v + 1] += offsets[v];
  }
  std::vector<AgentId> targets(offsets[n]);
  std::vector<float> weights(offsets[n]);
  tbb::parallel_for(tbb::blocked_range<AgentId>(0, n, 2048), [&](const auto& range) {
    for (AgentId v = range.begin(); v != range.end(); ++v) {
      EdgeIndex i = offsets[v];
      for (EdgeIndex e = old.begin(v); e < old.end(v); ++e) {
        const float w = old.weight(e) * factor;
        if (w >= remove_below) {
          targets[i] = old.targets[e];
          weights[i] = w;
          ++i;
        }
      }
    }
  });
  csr_ = CsrLayer::from_arrays(csr_.direction(), std::move(offsets), std::move(targets), std::move(weights));
}

}  // namespace innosim::sim
