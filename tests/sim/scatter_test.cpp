// Propagation blocking (TargetBins) and huge-page state arrays.
#include "sim/scatter.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <numeric>

#include "sim/distributions.hpp"
#include "sim/memory.hpp"
#include "sim/parallel.hpp"
#include "sim/rng.hpp"
#include "tests/support/threads.hpp"

using namespace innosim::sim;

namespace {

// Random sources with random targets spread over several bins (2^16 targets each).
struct Workload {
  AgentId targets = 300000;
  std::vector<AgentId> sources;
  std::vector<std::vector<std::pair<AgentId, std::uint64_t>>> sends;
  Workload() {
    RngStream rng(3, 0, Purpose::kTest, 0, 0);
    for (AgentId s = 0; s < 5000; ++s) {
      sources.push_back(s);
      std::vector<std::pair<AgentId, std::uint64_t>> mine;
      const auto k = uniform_index(rng, 40);
      for (std::uint64_t i = 0; i < k; ++i) {
        mine.emplace_back(static_cast<AgentId>(uniform_index(rng, targets)), 1 + uniform_index(rng, 1000));
      }
      sends.push_back(std::move(mine));
    }
  }
};

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("every sent payload is delivered once to its target") {
    const Workload w;
    std::vector<std::uint64_t> expected(w.targets, 0);
    for (const auto& mine : w.sends) {
      for (const auto& [v, p] : mine) expected[v] += p;
    }
    TargetBins<std::uint64_t> bins(w.targets);
    std::vector<std::uint64_t> got(w.targets, 0);
    for (int round = 0; round < 3; ++round) {  // bins are reusable and empty after delivery
      std::fill(got.begin(), got.end(), 0);
      bins.scatter(w.sources, [&](AgentId u, auto&& send) {
        for (const auto& [v, p] : w.sends[u]) send(v, p);
      });
      bins.deliver([&](AgentId v, std::uint64_t p) { got[v] += p; });
      CHECK(got == expected);
    }
    CHECK(bins.memory_bytes() > 0);
  }

  TEST_CASE("targets without payload arrive as often as they were sent") {
    TargetBins<> bins(70000);
    const std::vector<AgentId> sources = {0, 1, 2};
    bins.scatter(sources, [&](AgentId u, auto&& send) {
      for (AgentId i = 0; i <= u; ++i) send(65536 + u, NoPayload{});  // bin 1
      send(u, NoPayload{});                                           // bin 0
    });
    std::vector<int> count(70000, 0);
    bins.deliver([&](AgentId v, NoPayload) { ++count[v]; });
    CHECK(count[0] == 1);
    CHECK(count[2] == 1);
    CHECK(count[65536] == 1);
    CHECK(count[65538] == 3);
    CHECK(std::accumulate(count.begin(), count.end(), 0) == 9);
  }

  TEST_CASE("state vectors of 2 MiB and more are aligned for huge pages and not zeroed by resize") {
    StateVector<std::uint32_t> big;
    big.resize(std::size_t{1} << 20);  // 4 MiB
    CHECK(reinterpret_cast<std::uintptr_t>(big.data()) % (std::size_t{2} << 20) == 0);
    parallel_fill(std::span<std::uint32_t>(big), 7U);
    CHECK(std::all_of(big.begin(), big.end(), [](std::uint32_t x) { return x == 7U; }));
    StateVector<double> small(10, 1.5);
    CHECK(small[9] == 1.5);
    std::vector<AgentId> a = {5, 70000, 3, 1u << 30, 0, 65535};
    std::vector<AgentId> scratch;
    for (int i = 0; i < 300; ++i) a.push_back(static_cast<AgentId>((i * 7919) % 100000));
    std::vector<AgentId> sorted = a;
    std::sort(sorted.begin(), sorted.end());
    radix_sort(a, scratch);
    CHECK(a == sorted);
  }
}

TEST_SUITE("parallel") {
  TEST_CASE("delivery gives each target to one thread at a time whatever the thread count") {
    // The deliver body uses plain, non-atomic arithmetic: under ThreadSanitizer any two threads
    // touching the same target would be reported, and without it a lost update would show.
    const Workload w;
    std::vector<std::vector<std::uint64_t>> results;
    for (const int k : innosim::test::kThreadCounts) {
      TargetBins<std::uint64_t> bins(w.targets);
      std::vector<std::uint64_t> got(w.targets, 0);
      innosim::test::with_threads(k, [&] {
        bins.scatter(
            w.sources,
            [&](AgentId u, auto&& send) {
              for (const auto& [v, p] : w.sends[u]) send(v, p);
            },
            4);
        bins.deliver([&](AgentId v, std::uint64_t p) { got[v] += p; });
      });
      results.push_back(std::move(got));
    }
    CHECK(results[1] == results[0]);
    CHECK(results[2] == results[0]);
  }
}
