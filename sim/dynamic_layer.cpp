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
  // A total order on the changes' content: the merged result cannot depend on staging order.
  tbb::parallel_sort(batch_.begin(), batch_.end(), [](const Change& a, const Change& b) {
    if (a.source != b.source) return a.source < b.source;
    if (a.target != b.target) return a.target < b.target;
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.weight < b.weight;
  });

  const AgentId n = num_nodes();
  const CsrView old = csr_.view();
  // Where each row's changes start in the sorted batch.
  std::vector<std::size_t> change_start(std::size_t{n} + 1, 0);
  for (const Change& c : batch_) {
    ++change_start[c.source + 1];
  }
  for (AgentId v = 0; v < n; ++v) {
    change_start[v + 1] += change_start[v];
  }

  // Merges row v with its changes; writes into (targets, weights) when given, and returns the
  // merged length either way, so one routine serves the counting and the filling pass.
  auto merge_row = [&](AgentId v, AgentId* out_targets, float* out_weights) -> EdgeIndex {
    EdgeIndex e = old.begin(v);
    const EdgeIndex e_end = old.end(v);
    std::size_t c = change_start[v];
    const std::size_t c_end = change_start[v + 1];
    EdgeIndex written = 0;
    auto emit = [&](AgentId t, float w) {
      if (out_targets != nullptr) {
        out_targets[written] = t;
        out_weights[written] = w;
      }
      ++written;
    };
    while (e < e_end || c < c_end) {
      const AgentId t_old = e < e_end ? old.targets[e] : kNoAgent;
      const AgentId t_new = c < c_end ? batch_[c].target : kNoAgent;
      if (t_old < t_new) {
        emit(t_old, old.weight(e));
        ++e;
        continue;
      }
      // Changes to arc v -> t_new, applied on top of the old weight if the arc exists.
      const bool existed = t_old == t_new;
      bool present = existed;
      float w = existed ? old.weight(e) : 0.0F;
      for (; c < c_end && batch_[c].target == t_new; ++c) {
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
        emit(t_new, w);
      }
    }
    return written;
  };

  std::vector<EdgeIndex> offsets(std::size_t{n} + 1, 0);
  tbb::parallel_for(tbb::blocked_range<AgentId>(0, n, 2048), [&](const auto& range) {
    for (AgentId v = range.begin(); v != range.end(); ++v) {
      offsets[v + 1] =
          change_start[v] == change_start[v + 1] ? old.degree(v) : merge_row(v, nullptr, nullptr);
    }
  });
  for (AgentId v = 0; v < n; ++v) {
    offsets[v + 1] += offsets[v];
  }
  std::vector<AgentId> targets(offsets[n]);
  std::vector<float> weights(offsets[n]);  // dynamic layers always carry weights
  tbb::parallel_for(tbb::blocked_range<AgentId>(0, n, 2048), [&](const auto& range) {
    for (AgentId v = range.begin(); v != range.end(); ++v) {
      if (change_start[v] == change_start[v + 1]) {
        for (EdgeIndex e = old.begin(v), i = offsets[v]; e < old.end(v); ++e, ++i) {
          targets[i] = old.targets[e];
          weights[i] = old.weight(e);
        }
      } else {
        merge_row(v, targets.data() + offsets[v], weights.data() + offsets[v]);
      }
    }
  });
  csr_ = CsrLayer::from_arrays(csr_.direction(), std::move(offsets), std::move(targets), std::move(weights));
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
