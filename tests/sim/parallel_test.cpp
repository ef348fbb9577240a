// Parallel loops and reductions: identical results for 1, 2 and 8 threads.
#include "sim/parallel.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <numeric>

#include "sim/error.hpp"
#include "sim/stepper.hpp"
#include "tests/support/threads.hpp"

using namespace innosim::sim;
using innosim::test::kThreadCounts;
using innosim::test::with_threads;

TEST_SUITE("parallel") {
  TEST_CASE("deterministic_sum of doubles is bitwise identical for any thread count") {
    // Terms of wildly different magnitudes, so that the order of additions shows in the bits.
    auto term = [](std::size_t i) {
      return std::sin(static_cast<double>(i)) * std::pow(10.0, static_cast<double>(i % 17));
    };
    std::vector<double> sums;
    for (const int k : kThreadCounts) {
      for (int repeat = 0; repeat < 3; ++repeat) {
        sums.push_back(with_threads(k, [&] { return deterministic_sum<double>(200000, term, 512); }));
      }
    }
    for (double s : sums) {
      CHECK(std::memcmp(&s, &sums[0], sizeof s) == 0);
    }
  }

  TEST_CASE("for_each_agent visits every agent exactly once") {
    for (const int k : kThreadCounts) {
      std::vector<int> visits(100000, 0);
      with_threads(k, [&] {
        for_each_agent(
            {0, 100000}, [&](AgentId a) { visits[a] += 1; }, 64);
      });
      CHECK(std::all_of(visits.begin(), visits.end(), [](int v) { return v == 1; }));
    }
  }

  TEST_CASE("the frontier collector returns what was emitted in sorted order whatever the threads") {
    std::vector<AgentId> items(50000);
    std::iota(items.begin(), items.end(), AgentId{0});
    for (const int k : kThreadCounts) {
      FrontierCollector collector;
      std::vector<AgentId> out;
      with_threads(k, [&] {
        for_each_listed(
            items,
            [&](AgentId a) {
              if (a % 3 == 0) collector.emit(49999 - a);
            },
            16);
        collector.collect_sorted(out);
      });
      REQUIRE(out.size() == 16667);
      CHECK(std::is_sorted(out.begin(), out.end()));
      CHECK(out.front() == 1);  // 49999 - 49998
      // A second round starts empty.
      with_threads(k, [&] { collector.collect_sorted(out); });
      CHECK(out.empty());
    }
  }

  TEST_CASE("a claim succeeds exactly once per element under contention") {
    for (const int k : kThreadCounts) {
      std::vector<std::uint32_t> owner(1000, kNever);
      std::atomic<int> wins{0};
      with_threads(k, [&] {
        for_each_agent(
            {0, 64000},
            [&](AgentId a) {
              if (claim_relaxed(owner[a % 1000], kNever, a)) wins.fetch_add(1);
            },
            1);
      });
      CHECK(wins.load() == 1000);
    }
  }
}

TEST_SUITE("unit") {
  TEST_CASE("the stepper runs named phases in registration order") {
    Stepper stepper;
    std::vector<std::string> log;
    stepper.add_phase("calendar", [&](Step t) { log.push_back("calendar " + std::to_string(t)); });
    stepper.add_phase("diffusion", [&](Step t) { log.push_back("diffusion " + std::to_string(t)); });
    stepper.set_timing(true);
    stepper.run(1);
    stepper.run(2);
    CHECK(log == std::vector<std::string>{"calendar 1", "diffusion 1", "calendar 2", "diffusion 2"});
    CHECK(stepper.num_phases() == 2);
    CHECK(stepper.phase_name(1) == "diffusion");
    CHECK(stepper.phase_seconds(0) >= 0.0);
    CHECK_THROWS_AS(stepper.add_phase("calendar", [](Step) {}), ParamError);
    CHECK_THROWS_AS(stepper.add_phase("", [](Step) {}), ParamError);
  }
}
