// Counter-based streams: the Philox known answers, and that a stream is a pure function of its
// identity (seed, replicate, purpose, tick, agent).
#include "sim/rng.hpp"

#include <doctest/doctest.h>

#include <array>
#include <set>
#include <vector>

using namespace innosim::sim;

TEST_SUITE("unit") {
  TEST_CASE("philox4x32-10 gives the Random123 known answers") {
    // Known-answer vectors from Random123's kat_vectors (Salmon et al. 2011).
    CHECK(philox4x32_10({0, 0, 0, 0}, {0, 0}) ==
          std::array<std::uint32_t, 4>{0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
    CHECK(philox4x32_10({0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xffffffff}) ==
          std::array<std::uint32_t, 4>{0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
    CHECK(philox4x32_10({0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, {0xa4093822, 0x299f31d0}) ==
          std::array<std::uint32_t, 4>{0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
  }

  TEST_CASE("a stream lays out its counter as block then agent then tick then purpose and replicate") {
    const Seed seed = 0x0123456789abcdefULL;
    RngStream rng(seed, 7, Purpose::kTransmit, 42, 1001);
    const auto expected = philox4x32_10({0, 1001, 42, (4U << 24) | 7U}, {0x89abcdefU, 0x01234567U});
    for (int i = 0; i < 4; ++i) {
      CHECK(rng.next_u32() == expected[static_cast<std::size_t>(i)]);
    }
    const auto second = philox4x32_10({1, 1001, 42, (4U << 24) | 7U}, {0x89abcdefU, 0x01234567U});
    CHECK(rng.next_u32() == second[0]);
    CHECK(rng.blocks_used() == 2);
  }

  TEST_CASE("the same identity gives the same numbers and any other identity different ones") {
    auto first_words = [](Seed s, Replicate r, Purpose p, Step t, AgentId a) {
      RngStream rng(s, r, p, t, a);
      std::vector<std::uint32_t> out;
      for (int i = 0; i < 8; ++i) out.push_back(rng.next_u32());
      return out;
    };
    const auto base = first_words(1, 0, Purpose::kAdopt, 5, 9);
    CHECK(first_words(1, 0, Purpose::kAdopt, 5, 9) == base);
    std::set<std::vector<std::uint32_t>> seen = {base};
    seen.insert(first_words(2, 0, Purpose::kAdopt, 5, 9));
    seen.insert(first_words(1, 1, Purpose::kAdopt, 5, 9));
    seen.insert(first_words(1, 0, Purpose::kTransmit, 5, 9));
    seen.insert(first_words(1, 0, Purpose::kAdopt, 6, 9));
    seen.insert(first_words(1, 0, Purpose::kAdopt, 5, 10));
    seen.insert(first_words(1ULL << 32, 0, Purpose::kAdopt, 5, 9));  // high half of the seed counts
    CHECK(seen.size() == 7);
  }

  TEST_CASE("RngKey streams equal directly built streams") {
    const RngKey key{99, 3};
    RngStream a = key.stream(Purpose::kSeeding, 0, 0);
    RngStream b(99, 3, Purpose::kSeeding, 0, 0);
    for (int i = 0; i < 10; ++i) CHECK(a.next_u64() == b.next_u64());
  }

  TEST_CASE("doubles lie in their half-open intervals") {
    RngStream rng(5, 0, Purpose::kTest, 0, 0);
    for (int i = 0; i < 100000; ++i) {
      const double u = rng.next_double();
      CHECK_UNARY(u >= 0.0);
      CHECK_UNARY(u < 1.0);
      const double v = rng.next_double_open0();
      CHECK_UNARY(v > 0.0);
      CHECK_UNARY(v <= 1.0);
    }
  }

  TEST_CASE("Coin32 is exact at 0 and 1 and rounds p to 2^-32") {
    RngStream rng(1, 0, Purpose::kTest, 0, 0);
    const Coin32 never(0.0);
    const Coin32 always(1.0);
    for (int i = 0; i < 10000; ++i) {
      CHECK_FALSE(never(rng));
      CHECK(always(rng));
    }
    CHECK(Coin32(0.5).threshold() == 2147483648ULL);
    CHECK(Coin32(0.25).threshold() == 1073741824ULL);
  }
}
