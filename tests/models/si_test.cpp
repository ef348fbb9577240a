// SI: deterministic limits, the reference, and the exposure rule.
#include "models/diffusion/si.hpp"

#include <doctest/doctest.h>

#include "models/diffusion/classic.hpp"
#include "tests/models/helpers.hpp"
#include "tests/models/reference.hpp"
#include "tests/support/threads.hpp"

using namespace innosim;
using namespace innosim::test;
using models::SiParams;
using sim::AgentId;
using sim::Step;

TEST_SUITE("unit") {
  TEST_CASE("with beta = 1 every reachable agent adopts at its distance from the seeds") {
    const models::Graph g = models::make_graph(models::WattsStrogatzParams{500, 4, 0.05}, {2, 0});
    CHECK(adoption_steps(SiParams{1.0}, g, {0, 250}, 200) == bfs_steps(g.layer(), {0, 250}));
  }

  TEST_CASE("with beta = 0 only the seeds adopt and the run is quiet at once") {
    const auto g = graph_of(3, {{0, 1}, {1, 2}});
    auto p = models::make_process(SiParams{0.0}, g, {1}, {});
    CHECK(run_steps(*p, 5) == std::vector<Step>{N, 0, N});
    CHECK(p->quiescent());
  }

  TEST_CASE("attempts repeat: on a connected graph everyone adopts eventually") {
    const auto g = graph_of(4, {{0, 1}, {1, 2}, {2, 3}});
    auto p = models::make_process(SiParams{0.2}, g, {0}, {11, 0});
    const auto steps = run_steps(*p, 500);
    for (Step s : steps) CHECK(s != N);
    CHECK(p->quiescent());
  }

  TEST_CASE("a component without adopters stays untouched and the run goes quiet") {
    const auto g = graph_of(4, {{0, 1}, {2, 3}});
    auto p = models::make_process(SiParams{0.5}, g, {0}, {1, 0});
    const auto steps = run_steps(*p, 100);
    CHECK(steps[1] != N);
    CHECK(steps[2] == N);
    CHECK(p->quiescent());
  }
}

TEST_SUITE("parallel") {
  TEST_CASE("SI kernel equals its serial reference bitwise on 1 to 8 threads") {
    const models::Graph g = models::make_graph(models::BarabasiAlbertParams{3000, 2}, {4, 0});
    const sim::RngKey key{6, 9};
    const auto expected = reference_si(g.layer(), {10}, 0.15, key, 60);
    for (const int k : kThreadCounts) {
      CHECK(with_threads(k, [&] { return adoption_steps(SiParams{0.15}, g, {10}, 60, key); }) == expected);
    }
  }
}
