// Linear threshold: exact boundaries, hand-worked graphs, weights, direction, and the serial
// reference for 1, 2 and 8 threads.
#include "models/diffusion/linear_threshold.hpp"

#include <doctest/doctest.h>

#include "models/diffusion/classic.hpp"
#include "tests/models/helpers.hpp"
#include "tests/models/reference.hpp"
#include "tests/support/threads.hpp"

using namespace innosim;
using namespace innosim::test;
using models::LinearThresholdParams;
using sim::AgentId;
using sim::Step;

namespace {
LinearThresholdParams fixed(double theta,
                            LinearThresholdParams::Weights w = LinearThresholdParams::Weights::kUniform) {
  LinearThresholdParams p;
  p.thresholds = LinearThresholdParams::Thresholds::kFixed;
  p.threshold_fraction = theta;
  p.weights = w;
  return p;
}
// Hub 0 with five leaves:
//     1  2
//      \ |
//   5 -- 0 -- 3
//        |
//        4
models::Graph star() {
  return graph_of(6, {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}});
}
}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("the threshold boundary is exact: one of five neighbours is a share of 0.2") {
    // The hub (degree 5) sees one adopted leaf: a share of exactly 1/5.
    CHECK(adoption_steps(fixed(0.2), star(), {1}, 5) == std::vector<Step>{1, 0, 2, 2, 2, 2});
    CHECK(adoption_steps(fixed(0.19999999), star(), {1}, 5) == std::vector<Step>{1, 0, 2, 2, 2, 2});
    CHECK(adoption_steps(fixed(0.20000001), star(), {1}, 5) == std::vector<Step>{N, 0, N, N, N, N});
    // Two seeded leaves are a share of 0.4: enough for 0.4, not for 0.41.
    CHECK(adoption_steps(fixed(0.4), star(), {1, 2}, 5) == std::vector<Step>{1, 0, 0, 2, 2, 2});
    CHECK(adoption_steps(fixed(0.41), star(), {1, 2}, 5) == std::vector<Step>{N, 0, 0, N, N, N});
  }

  TEST_CASE("influence_needed is the smallest whole count reaching the share") {
    CHECK(models::detail::influence_needed(0.2, 5) == 1);
    CHECK(models::detail::influence_needed(0.2000001, 5) == 2);
    CHECK(models::detail::influence_needed(0.5, 3) == 2);
    CHECK(models::detail::influence_needed(1.0, 7) == 7);
    CHECK(models::detail::influence_needed(0.0, 7) == 1);  // at least one adopted neighbour
    CHECK(models::detail::influence_needed(0.1, 10) == 1);
    CHECK(models::detail::influence_needed(0.3, 10) == 3);  // 0.3 * 10 rounds to exactly 3 in double
  }

  TEST_CASE("a path adopts one node per tick when half a neighbourhood suffices") {
    const auto g = graph_of(5, {{0, 1}, {1, 2}, {2, 3}, {3, 4}});
    CHECK(adoption_steps(fixed(0.5), g, {0}, 10) == std::vector<Step>{0, 1, 2, 3, 4});
    CHECK(adoption_steps(fixed(0.51), g, {0}, 10) == std::vector<Step>{0, N, N, N, N});
  }

  TEST_CASE("updates are synchronous: a node needs its neighbours' state at the start of the tick") {
    // 0 and 3 are seeds; 1 and 2 each need both neighbours (threshold 1). 1 sees 0 and 2,
    // 2 sees 1 and 3: neither can go first, so nothing happens, in any order of evaluation.
    const auto g = graph_of(4, {{0, 1}, {1, 2}, {2, 3}});
    CHECK(adoption_steps(fixed(1.0), g, {0, 3}, 5) == std::vector<Step>{0, N, N, 0});
  }

  TEST_CASE("weights set each neighbour's share") {
    // 2 hears from 0 (weight 3) and 1 (weight 1): 0 alone is a share of 0.75, 1 alone 0.25.
    const auto g = graph_of(3, {{0, 2}, {1, 2}}, sim::EdgeDirection::kDirected, {3.0F, 1.0F});
    using W = LinearThresholdParams::Weights;
    CHECK(adoption_steps(fixed(0.5, W::kLayer), g, {0}, 3) == std::vector<Step>{0, N, 1});
    CHECK(adoption_steps(fixed(0.5, W::kLayer), g, {1}, 3) == std::vector<Step>{N, 0, N});
    CHECK(adoption_steps(fixed(0.25, W::kLayer), g, {1}, 3) == std::vector<Step>{N, 0, 1});
    // With uniform weights each counts half.
    CHECK(adoption_steps(fixed(0.5, W::kUniform), g, {1}, 3) == std::vector<Step>{N, 0, 1});
  }

  TEST_CASE("nodes without in-neighbours never adopt unless seeded") {
    const auto g = graph_of(3, {{0, 1}}, sim::EdgeDirection::kDirected);
    CHECK(adoption_steps(fixed(0.0), g, {1}, 3) == std::vector<Step>{N, 0, N});
  }

  TEST_CASE("uniform thresholds are drawn per agent from the threshold stream") {
    // On a complete graph of 3 with one seed, node v adopts at tick 1 iff theta_v <= 1/2.
    const auto g = graph_of(3, {{0, 1}, {1, 2}, {0, 2}});
    for (sim::Seed seed = 1; seed < 20; ++seed) {
      const sim::RngKey key{seed, 0};
      auto theta = [&](AgentId v) {
        sim::RngStream rng = key.stream(sim::Purpose::kThreshold, 0, v);
        return sim::uniform01(rng);
      };
      const auto steps = adoption_steps(LinearThresholdParams{}, g, {0}, 1, key);
      CHECK((steps[1] == 1) == (theta(1) <= 0.5));
      CHECK((steps[2] == 1) == (theta(2) <= 0.5));
    }
  }

  TEST_CASE("out-of-range weights and thresholds are refused") {
    const auto g = graph_of(2, {{0, 1}}, sim::EdgeDirection::kDirected, {1e9F});
    CHECK_THROWS_AS(models::make_process(fixed(0.5, LinearThresholdParams::Weights::kLayer), g, {0}, {}),
                    sim::ParamError);
    CHECK_THROWS_WITH_AS(fixed(1.5).validate(), "model.threshold_fraction = 1.5, must be in [0, 1]",
                         sim::ParamError);
  }
}

TEST_SUITE("parallel") {
  TEST_CASE("linear threshold kernel equals its serial reference bitwise on 1 to 8 threads") {
    struct Case {
      models::GraphParams graph;
      LinearThresholdParams params;
    };
    LinearThresholdParams uniform;
    std::vector<Case> cases = {
        {models::BarabasiAlbertParams{4000, 3}, fixed(0.3)},
        {models::BarabasiAlbertParams{4000, 3}, uniform},
        {models::ErdosRenyiGnpParams{3000, 0.003, true}, fixed(0.25)},
        {models::WattsStrogatzParams{3000, 6, 0.2}, fixed(0.34)},
    };
    for (const auto& c : cases) {
      const models::Graph g = models::make_graph(c.graph, {3, 0});
      const sim::RngKey key{31, 2};
      std::vector<double> theta(g.num_nodes());
      for (AgentId v = 0; v < g.num_nodes(); ++v) {
        sim::RngStream rng = key.stream(sim::Purpose::kThreshold, 0, v);
        theta[v] = c.params.thresholds == LinearThresholdParams::Thresholds::kFixed
                       ? c.params.threshold_fraction
                       : sim::uniform01(rng);
      }
      const std::vector<AgentId> seeds = {0, 7, 100, 1234, 2999};
      const auto expected = reference_threshold(g.layer(), seeds, theta, false, 60);
      for (const int k : kThreadCounts) {
        CAPTURE(k);
        CHECK(with_threads(k, [&] { return adoption_steps(c.params, g, seeds, 60, key); }) == expected);
      }
    }
  }

  TEST_CASE("weighted layers match the reference too") {
    auto list = models::generate_erdos_renyi_gnp({2000, 0.004, false}, {8, 0});
    sim::RngStream rng(8, 0, sim::Purpose::kTest, 0, 0);
    for (std::size_t i = 0; i < list.edges.size(); ++i)
      list.weights.push_back(static_cast<float>(0.1 + sim::uniform01(rng)));
    const auto g = graph_of(list.num_nodes, list.edges, sim::EdgeDirection::kUndirected, list.weights);
    const auto params = fixed(0.2, LinearThresholdParams::Weights::kLayer);
    const std::vector<double> theta(2000, 0.2);
    const auto expected = reference_threshold(g.layer(), {1, 2, 3, 4, 5, 6, 7, 8}, theta, true, 50);
    for (const int k : kThreadCounts) {
      CHECK(with_threads(k, [&] {
              return adoption_steps(params, g, {1, 2, 3, 4, 5, 6, 7, 8}, 50);
            }) == expected);
    }
  }
}
