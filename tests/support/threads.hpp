// Test helper: run a callable on an arena of exactly k worker threads, so tests can compare
// results across thread counts in one process.
#pragma once

#include <tbb/task_arena.h>

#include <utility>

namespace innosim::test {

template <class F>
auto with_threads(int k, F&& f) {
  tbb::task_arena arena(k);
  return arena.execute(std::forward<F>(f));
}

/// The thread counts every determinism test compares.
inline constexpr int kThreadCounts[] = {1, 2, 8};

}  // namespace innosim::test
