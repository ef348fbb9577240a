// Parallel loops over agents with results that do not depend on the number of threads.
//
// The rule that makes this hold: inside a loop, an iteration writes only state it owns (its
// agent's entry of a `next` column) or makes commutative integer updates (atomic adds, a claim
// by compare-and-swap whose winner does not matter), and anything collected across
// iterations is put in a canonical order afterwards (FrontierCollector sorts). Floating-point
// reductions use tbb::parallel_deterministic_reduce with a fixed grain, whose split tree
// depends only on the range and the grain, never on the threads.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/cache_aligned_allocator.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_reduce.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "sim/memory.hpp"
#include "sim/population.hpp"
#include "sim/types.hpp"

namespace innosim::sim {

/// Default number of agents per task: large enough to amortise scheduling, small enough to
/// balance the cheap per-agent bodies of diffusion rules.
inline constexpr std::size_t kDefaultGrain = 1024;

/// Calls body(a) for every agent in `range`, in parallel.
template <class Body>
void for_each_agent(AgentRange range, Body&& body, std::size_t grain = kDefaultGrain) {
  tbb::parallel_for(tbb::blocked_range<AgentId>(range.begin, range.end, grain),
                    [&](const tbb::blocked_range<AgentId>& r) {
                      for (AgentId a = r.begin(); a != r.end(); ++a) {
                        body(a);
                      }
                    });
}

/// Calls body(a) for every agent listed in `agents`, in parallel. Lists of at most two grains
/// run on the calling thread: waking a worker costs more than such a list's work (the late
/// ticks of a cascade, where a handful of agents adopt).
template <class Body>
void for_each_listed(std::span<const AgentId> agents, Body&& body, std::size_t grain = kDefaultGrain / 16) {
  if (agents.size() <= 2 * grain) {
    for (const AgentId a : agents) body(a);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, agents.size(), grain),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t i = r.begin(); i != r.end(); ++i) {
                        body(agents[i]);
                      }
                    });
}

/// Sets every element of `v` to `value`, in parallel.
template <class T>
void parallel_fill(std::span<T> v, const T& value) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, v.size(), 1 << 16),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      std::fill(v.begin() + static_cast<std::ptrdiff_t>(r.begin()),
                                v.begin() + static_cast<std::ptrdiff_t>(r.end()), value);
                    });
}

/// Sorts agent ids in O(n) by least-significant-digit radix sort (8-bit digits, skipping the
/// digits above the largest id), using `scratch` as the second buffer.
inline void radix_sort(std::vector<AgentId>& a, std::vector<AgentId>& scratch) {
  if (a.size() < 256) {
    std::sort(a.begin(), a.end());
    return;
  }
  scratch.resize(a.size());
  const AgentId largest = *std::max_element(a.begin(), a.end());
  for (unsigned shift = 0; shift < 32 && (largest >> shift) != 0; shift += 8) {
    std::array<std::size_t, 257> start{};
    for (const AgentId x : a) ++start[((x >> shift) & 255U) + 1];
    for (std::size_t d = 0; d < 256; ++d) start[d + 1] += start[d];
    for (const AgentId x : a) scratch[start[(x >> shift) & 255U]++] = x;
    a.swap(scratch);
  }
}

/// Sum of value(i) for i in [0, n), bitwise identical for any number of threads.
template <class T, class Value>
T deterministic_sum(std::size_t n, Value&& value, std::size_t grain = kDefaultGrain) {
  return tbb::parallel_deterministic_reduce(
      tbb::blocked_range<std::size_t>(0, n, grain), T{},
      [&](const tbb::blocked_range<std::size_t>& r, T acc) {
        for (std::size_t i = r.begin(); i != r.end(); ++i) {
          acc += value(i);
        }
        return acc;
      },
      [](T a, T b) { return a + b; });
}

/// Collects agent ids emitted from the iterations of a parallel loop and hands them back
/// sorted, so what comes out is independent of which thread emitted what. Buffers are kept
/// between uses: after the first steps, collecting allocates nothing. Per-thread buffers are
/// found through a thread-local key (ets_key_per_instance), a few instructions per emit.
///   FrontierCollector next;
///   for_each_listed(frontier, [&](AgentId u) { ... next.emit(v); ... });
///   next.collect_sorted(frontier);
class FrontierCollector {
 public:
  /// Records `a` (thread-safe; each id must be emitted at most once per round).
  void emit(AgentId a) { buffers_.local().push_back(a); }

  /// Moves everything emitted since the last call into `out`, sorted ascending.
  void collect_sorted(std::vector<AgentId>& out) {
    std::size_t total = 0;
    for (const auto& b : buffers_) {
      total += b.size();
    }
    out.resize(total);
    std::size_t at = 0;
    for (auto& b : buffers_) {
      std::copy(b.begin(), b.end(), out.begin() + static_cast<std::ptrdiff_t>(at));
      at += b.size();
      b.clear();
    }
    radix_sort(out, scratch_);
  }

  /// Bytes held by the per-thread buffers.
  [[nodiscard]] std::size_t memory_bytes() const {
    std::size_t total = 0;
    for (const auto& b : buffers_) {
      total += b.capacity() * sizeof(AgentId);
    }
    return total + scratch_.capacity() * sizeof(AgentId);
  }

 private:
  tbb::enumerable_thread_specific<std::vector<AgentId>, tbb::cache_aligned_allocator<std::vector<AgentId>>,
                                  tbb::ets_key_per_instance>
      buffers_;
  std::vector<AgentId> scratch_;
};

/// Relaxed atomic access to one element of a plain array. x86 compiles the load and store to
/// ordinary moves; the atomic type tells the compiler (and ThreadSanitizer) that other threads
/// touch the element during the phase.
template <class T>
T load_relaxed(const T& x) noexcept {
  return std::atomic_ref<T>(const_cast<T&>(x)).load(std::memory_order_relaxed);
}
template <class T>
void store_relaxed(T& x, T value) noexcept {
  std::atomic_ref<T>(x).store(value, std::memory_order_relaxed);
}
template <class T>
T fetch_add_relaxed(T& x, T value) noexcept {
  return std::atomic_ref<T>(x).fetch_add(value, std::memory_order_relaxed);
}
/// Sets x from `expected` to `desired` if it still holds `expected`; true when this call did.
template <class T>
bool claim_relaxed(T& x, T expected, T desired) noexcept {
  return std::atomic_ref<T>(x).compare_exchange_strong(expected, desired, std::memory_order_relaxed);
}

}  // namespace innosim::sim
