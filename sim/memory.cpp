// Huge-page-advised allocation for large state arrays, with a small cache of freed blocks.
//
// Replicates of an ensemble allocate arrays of the same sizes one after another. Giving a
// freed block back to the operating system and asking for a new one costs a page fault per
// page (and, for huge pages, possibly a synchronous compaction of physical memory when the
// kernel's "defrag" setting is "madvise", the Debian default); on virtual machines both are
// slow and erratic. So freed blocks of 2 MiB and more are kept, up to 32 blocks and 1 GiB, and
// handed out again for an allocation of the same rounded size. Under AddressSanitizer the
// cache is off, so that use-after-free in state arrays is still caught.
#include "sim/memory.hpp"

#include <sys/mman.h>

#include <cstdlib>
#include <mutex>
#include <vector>

namespace innosim::sim {
namespace {

constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kMaxCachedBlocks = 32;
constexpr std::size_t kMaxCachedBytes = std::size_t{1} << 30;

#if defined(__SANITIZE_ADDRESS__)
constexpr bool kCacheBlocks = false;
#else
constexpr bool kCacheBlocks = true;
#endif

std::size_t rounded(std::size_t bytes) {
  return (bytes + kHugePage - 1) / kHugePage * kHugePage;
}

class BlockCache {
 public:
  void* take(std::size_t size) {
    const std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < blocks_.size(); ++i) {
      if (blocks_[i].size == size) {
        void* p = blocks_[i].pointer;
        cached_bytes_ -= size;
        blocks_[i] = blocks_.back();
        blocks_.pop_back();
        return p;
      }
    }
    return nullptr;
  }
  bool keep(void* p, std::size_t size) {
    const std::lock_guard lock(mutex_);
    if (blocks_.size() >= kMaxCachedBlocks || cached_bytes_ + size > kMaxCachedBytes) {
      return false;
    }
    blocks_.push_back({p, size});
    cached_bytes_ += size;
    return true;
  }

 private:
  struct Block {
    void* pointer;
    std::size_t size;
  };
  std::mutex mutex_;
  std::vector<Block> blocks_;
  std::size_t cached_bytes_ = 0;
};

// Never destroyed: state arrays may still be freed while static objects are torn down.
BlockCache& cache() {
  static auto* instance = new BlockCache();
  return *instance;
}

}  // namespace

void* allocate_state(std::size_t bytes) {
  if (bytes < kHugePage) {
    return ::operator new(bytes);
  }
  const std::size_t size = rounded(bytes);
  if (kCacheBlocks) {
    if (void* p = cache().take(size)) {
      return p;
    }
  }
  void* p = std::aligned_alloc(kHugePage, size);
  if (p == nullptr) {
    throw std::bad_alloc();
  }
  // Advice only: without transparent huge pages the call fails harmlessly.
  static_cast<void>(madvise(p, size, MADV_HUGEPAGE));
  return p;
}

void free_state(void* p, std::size_t bytes) noexcept {
  if (bytes < kHugePage) {
    ::operator delete(p);
    return;
  }
  const std::size_t size = rounded(bytes);
  if (kCacheBlocks && cache().keep(p, size)) {
    return;
  }
  std::free(p);
}

}  // namespace innosim::sim
