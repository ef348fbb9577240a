// The ensemble runner: results in replicate order, bounded concurrency, errors and cancellation.
#include "sim/ensemble.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/support/threads.hpp"

using namespace innosim::sim;

TEST_SUITE("parallel") {
  TEST_CASE("results reach the consumer in replicate order whatever finishes first") {
    for (const int k : innosim::test::kThreadCounts) {
      std::vector<Replicate> order;
      innosim::test::with_threads(k, [&] {
        run_ensemble<std::vector<int>>(
            10, 40, 4,
            [](Replicate r) {
              // Early replicates take longest, so later ones finish first.
              std::this_thread::sleep_for(std::chrono::microseconds((50 - r) * 20));
              return std::vector<int>(r, 1);
            },
            [&](Replicate r, std::vector<int>&& v) {
              CHECK(v.size() == r);
              order.push_back(r);
            });
      });
      REQUIRE(order.size() == 40);
      for (Replicate i = 0; i < 40; ++i) CHECK(order[i] == 10 + i);
    }
  }

  TEST_CASE("no more replicates are alive than the in-flight limit") {
    std::atomic<int> alive{0};
    std::atomic<int> peak{0};
    struct Tracked {
      std::atomic<int>* alive;
      explicit Tracked(std::atomic<int>* a) : alive(a) { alive->fetch_add(1); }
      Tracked(Tracked&& o) noexcept : alive(o.alive) { o.alive = nullptr; }
      Tracked(const Tracked&) = delete;
      Tracked& operator=(const Tracked&) = delete;
      Tracked& operator=(Tracked&&) = delete;
      ~Tracked() {
        if (alive) alive->fetch_sub(1);
      }
    };
    innosim::test::with_threads(8, [&] {
      run_ensemble<Tracked>(
          0, 200, 3,
          [&](Replicate) {
            Tracked t(&alive);
            int now = alive.load();
            int old = peak.load();
            while (now > old && !peak.compare_exchange_weak(old, now)) {
            }
            std::this_thread::sleep_for(std::chrono::microseconds(200));
            return t;
          },
          [&](Replicate, Tracked&&) {
            int now = alive.load();
            int old = peak.load();
            while (now > old && !peak.compare_exchange_weak(old, now)) {
            }
          });
    });
    CHECK(peak.load() <= 3);
    CHECK(alive.load() == 0);
  }

  TEST_CASE("an exception in a replicate stops the ensemble and reaches the caller") {
    std::atomic<int> consumed{0};
    CHECK_THROWS_WITH_AS(run_ensemble<int>(
                             0, 1000, 4,
                             [](Replicate r) {
                               if (r == 17) throw std::runtime_error("replicate 17 failed");
                               return static_cast<int>(r);
                             },
                             [&](Replicate, int&&) { consumed.fetch_add(1); }),
                         "replicate 17 failed", std::runtime_error);
    CHECK(consumed.load() <= 17);
  }

  TEST_CASE("cancellation stops handing out replicates and counts what was consumed") {
    std::atomic<bool> cancel{false};
    std::vector<Replicate> seen;
    const std::size_t n = run_ensemble<int>(
        0, 1000, 2, [](Replicate r) { return static_cast<int>(r); },
        [&](Replicate r, int&&) {
          seen.push_back(r);
          if (r == 9) cancel.store(true);
        },
        &cancel);
    CHECK(n == seen.size());
    CHECK(n >= 10);
    CHECK(n < 1000);
    for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == i);
  }

  TEST_CASE("an empty ensemble runs nothing") {
    CHECK(run_ensemble<int>(
              0, 0, 2, [](Replicate) { return 1; }, [](Replicate, int&&) { FAIL("no"); }) == 0);
  }
}
