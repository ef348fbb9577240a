// A memory estimate, part by part: what a run will hold at its peak, for refusing runs that
// cannot fit before they allocate (tools/scenario/memory_limit.hpp) and for planning.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace innosim::sim {

/// What a part belongs to: once per process, once per world or graph held, the state of the
/// replicates in flight, or their indicator series (which a comparison holds for every scenario
/// of a replicate at once).
enum class MemoryScope { kProcess, kWorld, kReplicates, kSeries };

struct MemoryPart {
  std::string what;  ///< "world: 1.1e+09 researchers"
  double bytes = 0;
  std::string key;  ///< the scenario key or option that makes it smaller
  MemoryScope scope = MemoryScope::kProcess;
};

struct MemoryEstimate {
  std::vector<MemoryPart> parts;

  [[nodiscard]] double total() const noexcept {
    double t = 0;
    for (const auto& p : parts) t += p.bytes;
    return t;
  }
  /// The part with the most bytes (the estimate must have parts).
  [[nodiscard]] const MemoryPart& largest() const {
    return *std::max_element(parts.begin(), parts.end(),
                             [](const MemoryPart& a, const MemoryPart& b) { return a.bytes < b.bytes; });
  }
};

}  // namespace innosim::sim
