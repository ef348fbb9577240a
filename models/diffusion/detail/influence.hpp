// Integer influence: arc weights in exact fixed point, so that sums pushed from many threads
// are the same whatever the order (integer addition commutes; float addition does not).
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/csr.hpp"

namespace innosim::models::detail {

/// Scale of quantised arc weights: weight w counts as round(w * 2^24).
inline constexpr double kWeightScale = 16777216.0;

/// The integer influence of one arc: 1 when weights are not used.
inline std::uint64_t arc_influence(const sim::CsrView& g, sim::EdgeIndex e, bool use_weights) noexcept {
  return use_weights ? static_cast<std::uint64_t>(std::llround(double{g.weights[e]} * kWeightScale)) : 1;
}

/// Throws sim::ParamError unless every weight lies in [2^-24, 2^20], the range in which
/// quantised weights keep 24 significant bits and sums cannot overflow.
void check_influence_weights(const sim::CsrLayer& layer, const char* model_name);

/// Total integer in-weight of every agent.
std::vector<std::uint64_t> total_in_influence(const sim::CsrLayer& layer, bool use_weights);

}  // namespace innosim::models::detail
