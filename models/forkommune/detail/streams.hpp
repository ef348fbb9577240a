// How an innovation's diffusion streams are named. Internal to models/forkommune.
//
// A random stream is (seed, replicate, purpose, tick, agent, first block), each of the last three
// 32 bits wide (sim/rng.hpp). An innovation's diffusion streams use purpose kDiffusion, the
// current tick, the innovation's stream_agent (its maker and its rank among the maker's
// innovations of its month, so that the same innovation has the same streams in every scenario of
// a comparison, whatever else was made), and a first block that holds the month the innovation
// was made in and a sub-stream:
//
//   bits 19-31  the month it was made in: up to 8,191 (the longest run the parameters allow is
//               200 warm-up years + 200 years = 4,800 months)
//   bits 16-18  the sub-stream (kDiffusionSubStreams of them)
//   bits  0-15  the blocks of four 32-bit words a sub-stream may use: 65,536
//
// So no two streams of a replicate overlap as long as each sub-stream stays within its blocks;
// diffusion() checks that the candidate draws of a channel-month do (a month with more than
// 65,536 candidates in one channel stops the run with an error rather than reuse numbers).
#pragma once

#include <cstdint>

namespace innosim::models::forkommune::detail {

inline constexpr unsigned kCreatedShift = 19;
inline constexpr unsigned kSubStreamShift = 16;
inline constexpr std::uint32_t kMaxCreatedMonth = (std::uint32_t{1} << (32 - kCreatedShift)) - 1;
inline constexpr std::uint32_t kDiffusionSubStreams = std::uint32_t{1} << (kCreatedShift - kSubStreamShift);
inline constexpr std::uint32_t kBlocksPerSubStream = std::uint32_t{1} << kSubStreamShift;

/// The first block of sub-stream `sub` of the diffusion streams of an innovation made in month
/// `created`. Preconditions: created <= kMaxCreatedMonth, sub < kDiffusionSubStreams.
constexpr std::uint32_t diffusion_block(std::uint32_t created, std::uint32_t sub) noexcept {
  return (created << kCreatedShift) | (sub << kSubStreamShift);
}

}  // namespace innosim::models::forkommune::detail
