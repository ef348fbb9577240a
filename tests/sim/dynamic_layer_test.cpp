// Dynamic layers: batched changes against a plain std::map model of the same semantics, and
// independence from the threads that staged the changes.
#include "sim/dynamic_layer.hpp"

#include <doctest/doctest.h>
#include <tbb/parallel_for.h>

#include <map>
#include <vector>

#include "sim/distributions.hpp"
#include "sim/error.hpp"
#include "sim/multilayer.hpp"
#include "sim/rng.hpp"
#include "tests/support/threads.hpp"

using namespace innosim::sim;

namespace {

using ArcMap = std::map<std::pair<AgentId, AgentId>, float>;

ArcMap arcs_of(const DynamicLayer& layer) {
  ArcMap out;
  const CsrView v = layer.view();
  for (AgentId u = 0; u < v.num_nodes; ++u) {
    for (EdgeIndex e = v.begin(u); e < v.end(u); ++e) {
      out[{u, v.targets[e]}] = v.weight(e);
    }
  }
  return out;
}

struct Op {
  int kind;  // 0 remove, 1 set, 2 add
  AgentId u;
  AgentId v;
  float w;
};

// The documented semantics, applied with a map: per arc, removals, then the largest set, then
// the adds in increasing order.
void apply_reference(ArcMap& arcs, std::vector<Op> ops, bool directed) {
  std::vector<Op> expanded;
  for (const Op& op : ops) {
    expanded.push_back(op);
    if (!directed && op.u != op.v) expanded.push_back({op.kind, op.v, op.u, op.w});
  }
  std::stable_sort(expanded.begin(), expanded.end(), [](const Op& a, const Op& b) {
    return std::tie(a.u, a.v, a.kind, a.w) < std::tie(b.u, b.v, b.kind, b.w);
  });
  for (const Op& op : expanded) {
    const auto key = std::make_pair(op.u, op.v);
    if (op.kind == 0) {
      arcs.erase(key);
    } else if (op.kind == 1) {
      arcs[key] = op.w;
    } else {
      auto it = arcs.find(key);
      if (it == arcs.end())
        arcs[key] = op.w;
      else
        it->second += op.w;
    }
  }
}

std::vector<Op> random_ops(RngStream& rng, AgentId n, std::size_t count) {
  std::vector<Op> ops;
  for (std::size_t i = 0; i < count; ++i) {
    ops.push_back({static_cast<int>(uniform_index(rng, 3)), static_cast<AgentId>(uniform_index(rng, n)),
                   static_cast<AgentId>(uniform_index(rng, n)),
                   static_cast<float>(1 + uniform_index(rng, 8)) * 0.125F});
  }
  return ops;
}

void stage(DynamicLayer& layer, const std::vector<Op>& ops) {
  // Staged from a parallel loop, so the per-thread buffers fill in a scheduling-dependent way.
  tbb::parallel_for(std::size_t{0}, ops.size(), [&](std::size_t i) {
    const Op& op = ops[i];
    if (op.kind == 0)
      layer.stage_remove(op.u, op.v);
    else if (op.kind == 1)
      layer.stage_set(op.u, op.v, op.w);
    else
      layer.stage_add(op.u, op.v, op.w);
  });
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("changes are invisible until commit and then all at once") {
    DynamicLayer layer(4, EdgeDirection::kUndirected);
    layer.stage_add(0, 1, 1.0F);
    layer.stage_add(2, 3, 0.5F);
    CHECK(layer.view().num_arcs() == 0);
    CHECK(layer.pending() == 4);
    layer.commit();
    CHECK(layer.pending() == 0);
    CHECK(arcs_of(layer) == ArcMap{{{0, 1}, 1.0F}, {{1, 0}, 1.0F}, {{2, 3}, 0.5F}, {{3, 2}, 0.5F}});
  }

  TEST_CASE("adds accumulate while set overrides and remove then add replaces") {
    DynamicLayer layer(3, EdgeDirection::kDirected);
    layer.stage_add(0, 1, 1.0F);
    layer.commit();
    layer.stage_add(0, 1, 0.5F);
    layer.stage_add(0, 1, 0.25F);
    layer.commit();
    CHECK(arcs_of(layer) == ArcMap{{{0, 1}, 1.75F}});
    layer.stage_set(0, 1, 0.1F);
    layer.stage_set(0, 1, 0.3F);
    layer.commit();
    CHECK(arcs_of(layer) == ArcMap{{{0, 1}, 0.3F}});
    layer.stage_remove(0, 1);
    layer.stage_add(0, 1, 2.0F);
    layer.stage_remove(2, 0);  // absent: nothing happens
    layer.commit();
    CHECK(arcs_of(layer) == ArcMap{{{0, 1}, 2.0F}});
    layer.stage_remove(0, 1);
    layer.commit();
    CHECK(arcs_of(layer).empty());
  }

  TEST_CASE("decay scales weights and drops faded ties") {
    DynamicLayer layer(3, EdgeDirection::kUndirected);
    layer.stage_add(0, 1, 1.0F);
    layer.stage_add(1, 2, 0.25F);
    layer.commit();
    layer.decay(0.5F, 0.2F);
    CHECK(arcs_of(layer) == ArcMap{{{0, 1}, 0.5F}, {{1, 0}, 0.5F}});
  }

  TEST_CASE("random batches agree with a map model of the semantics") {
    for (const bool directed : {false, true}) {
      CAPTURE(directed);
      DynamicLayer layer(30, directed ? EdgeDirection::kDirected : EdgeDirection::kUndirected);
      ArcMap reference;
      RngStream rng(7, 0, Purpose::kTest, 0, directed ? 1 : 0);
      for (int round = 0; round < 40; ++round) {
        const auto ops = random_ops(rng, 30, 60);
        stage(layer, ops);
        layer.commit();
        apply_reference(reference, ops, directed);
        REQUIRE(arcs_of(layer) == reference);
        const CsrView v = layer.view();
        for (AgentId u = 0; u < 30; ++u) {
          CHECK(std::is_sorted(v.targets + v.begin(u), v.targets + v.end(u)));
        }
        if (round % 10 == 9) {
          layer.decay(0.9F, 0.3F);
          for (auto it = reference.begin(); it != reference.end();) {
            it->second *= 0.9F;
            it = it->second < 0.3F ? reference.erase(it) : std::next(it);
          }
          REQUIRE(arcs_of(layer) == reference);
        }
      }
    }
  }
}

TEST_SUITE("parallel") {
  TEST_CASE("a committed layer is identical whatever the threads that staged it") {
    RngStream rng(11, 0, Purpose::kTest, 0, 0);
    std::vector<std::vector<Op>> rounds;
    for (int r = 0; r < 10; ++r) rounds.push_back(random_ops(rng, 200, 3000));
    std::vector<std::vector<AgentId>> targets;
    std::vector<std::vector<float>> weights;
    for (const int k : innosim::test::kThreadCounts) {
      innosim::test::with_threads(k, [&] {
        DynamicLayer layer(200, EdgeDirection::kUndirected);
        for (const auto& ops : rounds) {
          stage(layer, ops);
          layer.commit();
        }
        targets.emplace_back(layer.csr().targets().begin(), layer.csr().targets().end());
        weights.emplace_back(layer.csr().weights().begin(), layer.csr().weights().end());
      });
    }
    for (std::size_t i = 1; i < targets.size(); ++i) {
      CHECK(targets[i] == targets[0]);
      CHECK(weights[i] == weights[0]);  // float sums in a fixed order: bitwise equal
    }
  }
}

TEST_SUITE("unit") {
  TEST_CASE("a multilayer graph names its static and dynamic layers") {
    MultilayerGraph g(3);
    const LayerId geo =
        g.add_static("geo", CsrLayer::from_edges(3, std::vector<Edge>{{0, 1}}, EdgeDirection::kUndirected));
    const LayerId collab = g.add_dynamic("collab", EdgeDirection::kUndirected);
    CHECK(g.num_layers() == 2);
    CHECK(g.require("collab") == collab);
    CHECK_FALSE(g.is_dynamic(geo));
    CHECK(g.is_dynamic(collab));
    CHECK(g.view(geo).num_arcs() == 2);
    g.dynamic(collab).stage_add(1, 2, 1.0F);
    g.dynamic(collab).commit();
    CHECK(g.view(collab).num_arcs() == 2);
    CHECK_THROWS_AS(g.dynamic(geo), ParamError);
    CHECK_THROWS_WITH_AS(static_cast<void>(g.require("arena")),
                         "no layer named 'arena' (layers: geo, collab)", ParamError);
    CHECK_THROWS_AS(g.add_dynamic("geo", EdgeDirection::kDirected), ParamError);
    CHECK_THROWS_AS(
        g.add_static("small", CsrLayer::from_edges(2, std::vector<Edge>{}, EdgeDirection::kDirected)),
        ParamError);
  }
}
