// CSR layers built through Boost.Graph: arcs, order, weights, degrees, on graphs small enough
// to check by hand.
#include "sim/csr.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace innosim::sim;

namespace {
std::vector<AgentId> row(const CsrLayer& g, AgentId v) {
  const auto n = g.view().neighbours(v);
  return {n.begin(), n.end()};
}
}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("an undirected layer stores both arcs with sorted rows") {
    //   0 --- 1
    //   | \   |
    //   3   \ 2      4 (isolated)
    //        (edge 0-2 listed as 2-0)
    const std::vector<Edge> edges = {{1, 2}, {0, 1}, {2, 0}, {0, 3}};
    const CsrLayer g = CsrLayer::from_edges(5, edges, EdgeDirection::kUndirected);
    CHECK(g.num_nodes() == 5);
    CHECK(g.num_arcs() == 8);
    CHECK(g.num_edges() == 4);
    CHECK_FALSE(g.directed());
    CHECK_FALSE(g.weighted());
    CHECK(row(g, 0) == std::vector<AgentId>{1, 2, 3});
    CHECK(row(g, 1) == std::vector<AgentId>{0, 2});
    CHECK(row(g, 2) == std::vector<AgentId>{0, 1});
    CHECK(row(g, 3) == std::vector<AgentId>{0});
    CHECK(row(g, 4).empty());
    CHECK(g.in_degrees() == std::vector<EdgeIndex>{3, 2, 2, 1, 0});
    CHECK(g.is_simple());
    CHECK(g.view().weight(0) == 1.0F);
  }

  TEST_CASE("a directed layer keeps arc direction and counts in-degrees") {
    // 0 -> 1 -> 2 -> 0, 3 -> 0
    const std::vector<Edge> edges = {{0, 1}, {1, 2}, {2, 0}, {3, 0}};
    const CsrLayer g = CsrLayer::from_edges(4, edges, EdgeDirection::kDirected);
    CHECK(g.num_arcs() == 4);
    CHECK(g.num_edges() == 4);
    CHECK(row(g, 0) == std::vector<AgentId>{1});
    CHECK(row(g, 3) == std::vector<AgentId>{0});
    CHECK(g.in_degrees() == std::vector<EdgeIndex>{2, 1, 1, 0});
  }

  TEST_CASE("weights follow their arcs through sorting in both directions") {
    const std::vector<Edge> edges = {{0, 3}, {0, 1}, {2, 0}};
    const std::vector<float> w = {0.3F, 0.1F, 0.2F};
    const CsrLayer g = CsrLayer::from_edges(4, edges, EdgeDirection::kUndirected, w);
    REQUIRE(g.weighted());
    const CsrView v = g.view();
    CHECK(row(g, 0) == std::vector<AgentId>{1, 2, 3});
    CHECK(v.weight(v.begin(0) + 0) == 0.1F);
    CHECK(v.weight(v.begin(0) + 1) == 0.2F);
    CHECK(v.weight(v.begin(0) + 2) == 0.3F);
    CHECK(v.weight(v.begin(3)) == 0.3F);
    CHECK(v.weight(v.begin(2)) == 0.2F);
  }

  TEST_CASE("the layer does not depend on the order edges are listed in") {
    const std::vector<Edge> a = {{0, 1}, {1, 2}, {2, 3}, {3, 0}, {0, 2}};
    const std::vector<Edge> b = {{2, 0}, {3, 0}, {2, 3}, {2, 1}, {1, 0}};
    const CsrLayer ga = CsrLayer::from_edges(4, a, EdgeDirection::kUndirected);
    const CsrLayer gb = CsrLayer::from_edges(4, b, EdgeDirection::kUndirected);
    CHECK(std::vector<EdgeIndex>(ga.offsets().begin(), ga.offsets().end()) ==
          std::vector<EdgeIndex>(gb.offsets().begin(), gb.offsets().end()));
    CHECK(std::vector<AgentId>(ga.targets().begin(), ga.targets().end()) ==
          std::vector<AgentId>(gb.targets().begin(), gb.targets().end()));
  }

  TEST_CASE("self-loops and repeated arcs are detected") {
    CHECK_FALSE(CsrLayer::from_edges(2, std::vector<Edge>{{0, 0}}, EdgeDirection::kDirected).is_simple());
    CHECK_FALSE(
        CsrLayer::from_edges(2, std::vector<Edge>{{0, 1}, {0, 1}}, EdgeDirection::kDirected).is_simple());
  }

  TEST_CASE("a layer without edges has empty rows") {
    const CsrLayer g = CsrLayer::from_edges(3, std::vector<Edge>{}, EdgeDirection::kUndirected);
    CHECK(g.num_nodes() == 3);
    CHECK(g.num_arcs() == 0);
    CHECK(g.degree(2) == 0);
    const CsrLayer none = CsrLayer::from_edges(0, std::vector<Edge>{}, EdgeDirection::kUndirected);
    CHECK(none.num_nodes() == 0);
  }
}
