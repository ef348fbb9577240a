// Memory for large per-agent arrays: transparent huge pages and no zeroing.
//
// A 10^7-agent state array is 40-80 MB: 10,000-20,000 pages of 4 KiB, each costing a page fault
// on first touch and a TLB entry on every random access. Allocations of 2 MiB and more are
// therefore aligned to 2 MiB and marked MADV_HUGEPAGE, so that Linux backs them with huge pages
// where transparent huge pages are enabled ("madvise" or "always"); elsewhere the advice is
// ignored and nothing changes. Elements of trivial types are left uninitialised by resize(),
// so arrays can be filled in parallel (which also spreads the first touches over the threads).
// Freed large blocks are cached for reuse by the next replicate (see memory.cpp), so a block
// may come back holding old values: code that sizes a StateVector always fills it.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace innosim::sim {

/// Allocates `bytes`; large blocks are 2 MiB aligned and advised to use huge pages.
/// Throws std::bad_alloc.
void* allocate_state(std::size_t bytes);
/// Frees a block from allocate_state with the same size.
void free_state(void* p, std::size_t bytes) noexcept;

template <class T>
struct StateAllocator {
  using value_type = T;
  StateAllocator() noexcept = default;
  template <class U>
  StateAllocator(const StateAllocator<U>& /*other*/) noexcept {}  // NOLINT: converting
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_state(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { free_state(p, n * sizeof(T)); }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) {
      ::new (static_cast<void*>(p)) U;  // default-initialise: no zeroing of trivial types
    } else {
      ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
    }
  }
  template <class U>
  friend bool operator==(const StateAllocator&, const StateAllocator<U>&) noexcept {
    return true;
  }
};

/// A per-agent (or per-arc) state array: a std::vector on huge pages whose resize() does not
/// zero trivial elements.
template <class T>
using StateVector = std::vector<T, StateAllocator<T>>;

}  // namespace innosim::sim
