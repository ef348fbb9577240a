// Huge-page-advised allocation for large state arrays.
#include "sim/memory.hpp"

#include <sys/mman.h>

#include <cstdlib>

namespace innosim::sim {
namespace {
constexpr std::size_t kHugePage = std::size_t{2} << 20;
}  // namespace

void* allocate_state(std::size_t bytes) {
  if (bytes < kHugePage) {
    return ::operator new(bytes);
  }
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  // Advice only: without transparent huge pages the call fails harmlessly.
  static_cast<void>(madvise(p, rounded, MADV_HUGEPAGE));
  return p;
}

void free_state(void* p, std::size_t bytes) noexcept {
  if (bytes < kHugePage) {
    ::operator delete(p);
  } else {
    std::free(p);
  }
}

}  // namespace innosim::sim
