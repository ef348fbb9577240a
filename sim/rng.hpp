// Counter-based random streams: every draw is a pure function of
// (seed, replicate, purpose, tick, agent, draw index).
//
// Philox4x32-10 (Salmon, Moraes, Dror & Shaw 2011, "Parallel random numbers: as easy as 1, 2, 3",
// SC'11), from Random123, maps a 128-bit counter and a 64-bit key to 128 random bits. We use
//   key     = the 64-bit seed,
//   counter = { block, agent, tick, purpose << 24 | replicate },
// so each (seed, replicate, purpose, tick, agent) names its own stream of up to 2^32 blocks of
// four 32-bit words. No generator state is shared between agents or threads: the same draw
// comes out whatever thread makes it and in whatever order, which is what makes results
// identical for any thread count, MPI rank count or Slurm sharding.
#pragma once

#include <Random123/philox.h>  // r123::Philox4x32 (10 rounds)

#include <array>
#include <cmath>
#include <cstdint>

#include "sim/assert.hpp"
#include "sim/types.hpp"

namespace innosim::sim {

/// The 128 random bits for one counter value: the raw Philox4x32-10 block function.
/// Exposed for the known-answer test and for random access by block index.
[[nodiscard]] inline std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> counter,
                                                                std::array<std::uint32_t, 2> key) noexcept {
  r123::Philox4x32 philox;
  const r123::Philox4x32::ctr_type c = {{counter[0], counter[1], counter[2], counter[3]}};
  const r123::Philox4x32::key_type k = {{key[0], key[1]}};
  const auto r = philox(c, k);
  return {r.v[0], r.v[1], r.v[2], r.v[3]};
}

/// One stream of random numbers, identified by (seed, replicate, purpose, tick, agent).
///
/// Cheap to create (no allocation, 48 bytes), so hot loops create one per agent per step on
/// the stack. Draws are taken in order; a stream is never shared between threads.
///   RngStream rng(seed, replicate, Purpose::kTransmit, t, u);
///   if (rng.next_double() < p) { ... }
class RngStream {
 public:
  /// Precondition: replicate <= kMaxReplicate. `first_block` lets several streams share one
  /// (purpose, tick, agent) by starting at disjoint block ranges (the programme model keys an
  /// innovation's streams by its creation month this way).
  RngStream(Seed seed, Replicate replicate, Purpose purpose, Step tick, AgentId agent,
            std::uint32_t first_block = 0) noexcept
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
        ctr_{{first_block, agent, tick,
              (static_cast<std::uint32_t>(purpose) << 24) | (replicate & kMaxReplicate)}} {
    SIM_ASSERT(replicate <= kMaxReplicate, "replicate index exceeds the 24 bits of the counter");
  }

  /// Next 32 random bits.
  std::uint32_t next_u32() noexcept {
    if (index_ == 4) [[unlikely]] {
      refill();
    }
    return buffer_.v[index_++];
  }

  /// Next 64 random bits (two 32-bit words, first one high).
  std::uint64_t next_u64() noexcept {
    const std::uint64_t hi = next_u32();
    return (hi << 32) | next_u32();
  }

  /// Uniform double in [0, 1) with 53 random bits.
  double next_double() noexcept { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Uniform double in (0, 1]: safe to take the logarithm of.
  double next_double_open0() noexcept { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }

  /// Index of the next block to draw (for tests of the counter layout).
  [[nodiscard]] std::uint32_t blocks_used() const noexcept { return ctr_.v[0]; }

 private:
  void refill() noexcept {
    SIM_ASSERT(ctr_.v[0] != 0xFFFFFFFFU, "random stream exhausted (2^32 blocks)");
    buffer_ = r123::Philox4x32()(ctr_, key_);
    ++ctr_.v[0];
    index_ = 0;
  }

  r123::Philox4x32::key_type key_;
  r123::Philox4x32::ctr_type ctr_;
  r123::Philox4x32::ctr_type buffer_{};
  unsigned index_ = 4;
};

/// The part of a stream's identity that is fixed for a whole replicate.
/// A replicate hands this to every phase; phases add (purpose, tick, agent).
struct RngKey {
  Seed seed = 0;
  Replicate replicate = 0;

  [[nodiscard]] RngStream stream(Purpose purpose, Step tick, AgentId agent,
                                 std::uint32_t first_block = 0) const noexcept {
    return RngStream(seed, replicate, purpose, tick, agent, first_block);
  }
};

/// A Bernoulli(p) trial on 32 random bits: `coin(rng)` is true with probability
/// round(p * 2^32) / 2^32, exact at p = 0 and p = 1. Half the cost of comparing a double,
/// which matters in cascade loops that flip one coin per edge.
class Coin32 {
 public:
  /// Precondition: 0 <= p <= 1.
  explicit Coin32(double p) noexcept
      : threshold_(static_cast<std::uint64_t>(std::llround(p * 4294967296.0))) {
    SIM_ASSERT(p >= 0.0 && p <= 1.0, "Coin32 probability outside [0, 1]");
  }
  bool operator()(RngStream& rng) const noexcept { return rng.next_u32() < threshold_; }
  [[nodiscard]] std::uint64_t threshold() const noexcept { return threshold_; }

 private:
  std::uint64_t threshold_;
};

}  // namespace innosim::sim
