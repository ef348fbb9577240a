// The programme model names an innovation's diffusion streams by the month it was made in and a
// sub-stream, packed into the stream's first block (models/forkommune/detail/streams.hpp). No
// run the parameters allow may make two of them overlap.
#include <doctest/doctest.h>

#include <cstdint>

#include "models/forkommune/detail/streams.hpp"
#include "models/forkommune/params.hpp"
#include "sim/error.hpp"

using namespace innosim::models::forkommune;
using namespace innosim::models::forkommune::detail;

TEST_CASE("innovation streams: the longest allowed run fits the stream layout") {
  const ParamSpec* warmup = find_parameter("run.warmup_years");
  const ParamSpec* years = find_parameter("run.years");
  REQUIRE(warmup != nullptr);
  REQUIRE(years != nullptr);
  const auto longest = static_cast<std::uint64_t>((warmup->max + years->max) * 12);
  CHECK(longest <= kMaxCreatedMonth);
  // And validate() agrees: the longest allowed run is accepted.
  Params p;
  p.run.warmup_years = static_cast<std::int64_t>(warmup->max);
  p.run.years = static_cast<std::int64_t>(years->max);
  CHECK_NOTHROW(validate(p));
}

TEST_CASE("innovation streams: sub-streams of different months and kinds never overlap") {
  // Each (month, sub-stream) owns the blocks [first, first + kBlocksPerSubStream); at the edges of
  // the layout the ranges of neighbours touch but do not overlap.
  const std::uint32_t months[] = {0, 1, 2, 4095, 4096, 4800, kMaxCreatedMonth - 1, kMaxCreatedMonth};
  for (const std::uint32_t m : months) {
    for (std::uint32_t sub = 0; sub < kDiffusionSubStreams; ++sub) {
      const std::uint64_t first = diffusion_block(m, sub);
      CAPTURE(m);
      CAPTURE(sub);
      CHECK(first == (std::uint64_t{m} * kDiffusionSubStreams + sub) * kBlocksPerSubStream);
      CHECK(first + kBlocksPerSubStream <= (std::uint64_t{1} << 32));
    }
  }
  // The old layout (month << 20) made month 4096 alias month 0; this one does not.
  CHECK(diffusion_block(4096, 0) != diffusion_block(0, 0));
  CHECK(diffusion_block(kMaxCreatedMonth, kDiffusionSubStreams - 1) + kBlocksPerSubStream - 1 == 0xFFFFFFFFU);
}
