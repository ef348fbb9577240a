// Scattering contributions from a set of sources to their targets without atomics: propagation
// blocking (Beamer, Asanović & Patterson 2017, "Reducing PageRank communication via
// propagation blocking", IPDPS).
//
// Phase one walks the sources in parallel and appends (target, payload) items to per-thread
// bins, one bin per block of 2^16 consecutive targets; the writes are sequential. Phase two
// hands every bin to exactly one task, which delivers its items: all items for a given target
// are delivered by the same thread, one after another, so a plain `+=` is race-free, and the
// block of state it touches (2^16 targets) stays in cache. Compared with an atomic add per arc
// (whose lock prefix serialises cache misses), this keeps many misses in flight and needs no
// lock at all. The order in which a target's items arrive depends on the threads, so `deliver`
// must be order-independent (integer sums, a crossing test on a monotone counter).
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/cache_aligned_allocator.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <cstddef>
#include <span>
#include <type_traits>
#include <vector>

#include "sim/types.hpp"

namespace innosim::sim {

/// No payload: the item is the target alone.
struct NoPayload {};

template <class Payload = NoPayload>
class TargetBins {
 public:
  static constexpr unsigned kBlockBits = 16;
  /// Below this many queued items, delivery runs on the calling thread.
  static constexpr std::size_t kSerialItems = 8192;

  /// Bins for targets in [0, num_targets).
  explicit TargetBins(AgentId num_targets = 0) : num_bins_((std::size_t{num_targets} >> kBlockBits) + 1) {}

  /// Calls source(u, send) for every u in `sources`, in parallel; `send(v, payload)` queues a
  /// contribution to target v.
  template <class Source>
  void scatter(std::span<const AgentId> sources, Source&& source, std::size_t grain = 64) {
    // Up to two grains of sources are scattered on the calling thread (no worker to wake).
    const std::size_t chunk = sources.size() <= 2 * grain ? sources.size() + 1 : grain;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, sources.size(), chunk),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        std::vector<Bin>& bins = local_bins();
                        auto send = [&bins](AgentId v, const Payload& p) {
                          if constexpr (std::is_empty_v<Payload>) {
                            bins[v >> kBlockBits].push_back(v);
                          } else {
                            bins[v >> kBlockBits].push_back({v, p});
                          }
                        };
                        for (std::size_t i = r.begin(); i != r.end(); ++i) {
                          source(sources[i], send);
                        }
                      });
  }

  /// Calls deliver(v, payload) for every queued item, each target's items on one thread, then
  /// empties the bins (keeping their memory for the next round).
  template <class Deliver>
  void deliver(Deliver&& deliver_one) {
    // Few items are delivered on the calling thread, all bins in one task.
    std::size_t items = 0;
    for (const auto& local : locals_) {
      for (const auto& bin : local) items += bin.size();
    }
    const std::size_t grain = items < kSerialItems ? num_bins_ : 1;
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, num_bins_, grain),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t b = r.begin(); b != r.end(); ++b) {
                          for (auto& local : locals_) {
                            if (local.size() <= b) continue;
                            for (const Item& item : local[b]) {
                              if constexpr (std::is_empty_v<Payload>) {
                                deliver_one(item, Payload{});
                              } else {
                                deliver_one(item.target, item.payload);
                              }
                            }
                            local[b].clear();
                          }
                        }
                      });
  }

  /// Bytes held by the bins.
  [[nodiscard]] std::size_t memory_bytes() const {
    std::size_t total = 0;
    for (const auto& local : locals_) {
      for (const auto& bin : local) total += bin.capacity() * sizeof(Item);
    }
    return total;
  }

 private:
  struct Addressed {
    AgentId target;
    Payload payload;
  };
  using Item = std::conditional_t<std::is_empty_v<Payload>, AgentId, Addressed>;
  using Bin = std::vector<Item>;

  std::vector<Bin>& local_bins() {
    std::vector<Bin>& bins = locals_.local();
    if (bins.size() < num_bins_) bins.resize(num_bins_);
    return bins;
  }

  std::size_t num_bins_;
  tbb::enumerable_thread_specific<std::vector<Bin>, tbb::cache_aligned_allocator<std::vector<Bin>>,
                                  tbb::ets_key_per_instance>
      locals_;
};

}  // namespace innosim::sim
