// The programme model's exposure store has a dense layout (small worlds) and a sparse one (large
// worlds); a run must not depend on which one it uses. Both are driven with the same random
// operations, as the model drives them (rises that add members, falls that do not, merges of
// sorted rows), and must agree member by member and sum by sum, bitwise.
#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <vector>

#include "models/forkommune/detail/exposure.hpp"

using innosim::models::forkommune::detail::ExposureSet;

namespace {

// Every member with its sum, lowest owner first, read through the walker as diffusion reads it.
std::vector<std::pair<std::uint32_t, float>> members(const ExposureSet& set) {
  std::vector<std::pair<std::uint32_t, float>> out;
  ExposureSet::Walker walk(set);
  for (std::size_t r = 0; r < set.size(); ++r) out.push_back(walk.at(r));
  return out;
}

}  // namespace

TEST_CASE("exposure store: dense and sparse layouts agree under the model's operations") {
  for (const std::uint32_t n : {1U, 63U, 64U, 65U, 371U, 1000U}) {
    CAPTURE(n);
    ExposureSet dense(n, true), sparse(n, false);
    std::mt19937 gen(n);
    std::uniform_int_distribution<std::uint32_t> owner(0, n - 1);
    std::uniform_real_distribution<float> amount(-1.0F, 1.0F);
    std::vector<std::uint32_t> ids_scratch;
    std::vector<float> sums_scratch;
    for (int op = 0; op < 3000; ++op) {
      if (op % 10 == 0) {
        // A sorted row of distinct owners, as a listener row of the static layers.
        std::vector<std::uint32_t> row;
        std::vector<float> w;
        for (std::uint32_t o = 0; o < n; ++o) {
          if (owner(gen) % 7 == 0) {
            row.push_back(o);
            w.push_back(0.5F + amount(gen));
          }
        }
        CHECK(dense.merge(row, w, ids_scratch, sums_scratch) ==
              sparse.merge(row, w, ids_scratch, sums_scratch));
      } else {
        const std::uint32_t o = owner(gen);
        const float a = amount(gen);
        const bool was = dense.contains(o);
        REQUIRE(was == sparse.contains(o));
        const float d = dense.add(o, a);
        const float s = sparse.add(o, a);
        CHECK(d == s);
        // A fall never makes a member; a member's sum never goes below 0.
        CHECK(dense.contains(o) == (was || a > 0));
        CHECK(d >= 0.0F);
      }
      REQUIRE(dense.size() == sparse.size());
    }
    const auto a = members(dense);
    CHECK(a == members(sparse));
    for (std::size_t k = 1; k < a.size(); ++k) CHECK(a[k - 1].first < a[k].first);
    // Walking by skipping ranks (as the candidate draw skips) gives the same members.
    ExposureSet::Walker wd(dense), ws(sparse);
    for (std::size_t r = 0; r < dense.size(); r += 1 + r % 5) CHECK(wd.at(r) == ws.at(r));
    dense.clear();
    sparse.clear();
    CHECK(dense.size() == 0);
    CHECK_FALSE(dense.contains(0));
    CHECK_FALSE(sparse.contains(0));
  }
}
