// Independent cascade: hand-worked graphs, limits, the serial reference, thread counts, and
// the final size on Erdős–Rényi graphs against branching-process theory.
#include "models/diffusion/independent_cascade.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "models/diffusion/classic.hpp"
#include "sim/stats.hpp"
#include "tests/models/helpers.hpp"
#include "tests/models/reference.hpp"
#include "tests/support/threads.hpp"

using namespace innosim;
using namespace innosim::test;
using models::IndependentCascadeParams;
using sim::AgentId;
using sim::Step;

namespace {
IndependentCascadeParams ic(double p) {
  IndependentCascadeParams params;
  params.p_transmit = p;
  return params;
}
}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("with p = 1 a cascade reaches everyone at their distance from the seeds") {
    //   0 - 1 - 2 - 3        6 - 7   (a separate component)
    //       |
    //       4 - 5
    const auto g = graph_of(8, {{0, 1}, {1, 2}, {2, 3}, {1, 4}, {4, 5}, {6, 7}});
    CHECK(adoption_steps(ic(1.0), g, {0}, 10) == std::vector<Step>{0, 1, 2, 3, 2, 3, N, N});
    CHECK(adoption_steps(ic(1.0), g, {3, 6}, 10) == std::vector<Step>{3, 2, 1, 0, 3, 4, 0, 1});
  }

  TEST_CASE("with p = 0 only the seeds adopt") {
    const auto g = graph_of(4, {{0, 1}, {1, 2}, {2, 3}, {3, 0}});
    CHECK(adoption_steps(ic(0.0), g, {2}, 10) == std::vector<Step>{N, N, 0, N});
  }

  TEST_CASE("a star seeded at the hub with p = 1 adopts in one step") {
    const auto g = graph_of(6, {{0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}});
    CHECK(adoption_steps(ic(1.0), g, {0}, 3) == std::vector<Step>{0, 1, 1, 1, 1, 1});
  }

  TEST_CASE("arcs carry influence only in their direction") {
    // 0 -> 1 -> 2, 3 -> 2
    const auto g = graph_of(4, {{0, 1}, {1, 2}, {3, 2}}, sim::EdgeDirection::kDirected);
    CHECK(adoption_steps(ic(1.0), g, {1}, 5) == std::vector<Step>{N, 0, 1, N});
  }

  TEST_CASE("edge_weight transmission uses each arc's weight as its probability") {
    // Weight 1 always transmits, weight 0 never.
    const auto g = graph_of(4, {{0, 1}, {0, 2}, {2, 3}}, sim::EdgeDirection::kDirected, {1.0F, 0.0F, 1.0F});
    IndependentCascadeParams p;
    p.transmission = IndependentCascadeParams::Transmission::kEdgeWeight;
    CHECK(adoption_steps(p, g, {0}, 5) == std::vector<Step>{0, 1, N, N});
    const auto bad = graph_of(2, {{0, 1}}, sim::EdgeDirection::kDirected, {1.5F});
    CHECK_THROWS_AS(models::make_process(p, bad, {0}, {}), sim::ParamError);
    CHECK_THROWS_AS(models::make_process(p, graph_of(2, {{0, 1}}), {0}, {}), sim::ParamError);
  }

  TEST_CASE("weighted cascade gives an arc into a node of in-degree 1 probability 1") {
    const auto g = graph_of(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}}, sim::EdgeDirection::kDirected);
    IndependentCascadeParams p;
    p.transmission = IndependentCascadeParams::Transmission::kWeightedCascade;
    CHECK(adoption_steps(p, g, {0}, 3) == std::vector<Step>{0, 1, 1, 1, 1});
  }

  TEST_CASE("adopter counts never decrease and each tick's newcomers add up") {
    const auto g = models::make_graph(models::ErdosRenyiGnpParams{2000, 0.003, false}, {5, 0});
    auto p = models::make_process(ic(0.4), g, {0, 1, 2}, {5, 0});
    sim::SeriesRecorder rec;
    sim::Observer* obs[] = {&rec};
    sim::run_process(*p, {5, 0, 50}, obs);
    for (Step t = 1; t <= 50; ++t) {
      CHECK(rec.at(t, 0) >= rec.at(t - 1, 0));
      CHECK(rec.at(t, 0) == rec.at(t - 1, 0) + rec.at(t, 1));
    }
  }

  TEST_CASE("the implicit complete graph is refused with a hint") {
    CHECK_THROWS_WITH_AS(models::make_process(ic(0.1), models::Graph::complete(10), {0}, {}),
                         doctest::Contains("erdos_renyi_gnp with edge_probability: 1"), sim::ParamError);
  }

  TEST_CASE("p_transmit outside the unit interval names the key") {
    CHECK_THROWS_WITH_AS(ic(1.4).validate(), "model.p_transmit = 1.4, must be a probability in [0, 1]",
                         sim::ParamError);
  }
}

TEST_SUITE("parallel") {
  TEST_CASE("independent cascade kernel equals its serial reference bitwise on 1 to 8 threads") {
    for (const bool directed : {false, true}) {
      const models::Graph g =
          models::make_graph(models::ErdosRenyiGnpParams{3000, directed ? 0.002 : 0.001, directed}, {9, 0});
      const std::vector<AgentId> seeds = {3, 500, 1999};
      for (double p : {0.3, 0.7}) {
        const sim::RngKey key{77, 4};
        const auto expected = reference_ic(g.layer(), seeds, p, key, 40);
        for (const int k : kThreadCounts) {
          for (int repeat = 0; repeat < 2; ++repeat) {
            CAPTURE(k);
            const auto got = with_threads(k, [&] { return adoption_steps(ic(p), g, seeds, 40, key); });
            CHECK(got == expected);
          }
        }
      }
    }
  }
}

TEST_SUITE("statistical") {
  TEST_CASE("above the threshold the final size on Erdos-Renyi graphs matches S = 1 - exp(-p z S)") {
    // p z = 0.25 * 8 = 2. A single seed starts a major outbreak with probability S (it lies in
    // the giant in-component of the live-arc graph) which then reaches the giant
    // out-component, a share S of the network (directed percolation on ER, where the in- and
    // out-components have the same size). S = 1 - exp(-2 S) = 0.796812. A fresh graph per
    // replicate averages over the graph ensemble, as the theory does. Outbreaks are "major"
    // above n/10; the two modes are separated by orders of magnitude at n = 10^4.
    const double s = 0.7968121300200199;
    models::ClassicSpec spec;
    spec.model = ic(0.25);
    spec.graph = models::ErdosRenyiGnpParams{10000, 8.0 / 9999.0, false};
    spec.resample_graph = true;
    spec.seeding = models::default_seeding(spec.model);
    spec.seed = 2026;
    spec.replicates = 400;
    spec.steps = 200;
    sim::RunningStats major_share;
    sim::RunningStats is_major;
    models::run_ensemble(spec, 4, [&](models::ReplicateResult&& r) {
      const double final_size = r.series[std::size_t{spec.steps} * 2];
      CHECK(r.quiescent_at != sim::kNever);
      const bool major = final_size > 1000;
      is_major.add(major ? 1.0 : 0.0);
      if (major) major_share.add(final_size / 10000.0);
    });
    CAPTURE(is_major.mean());
    CAPTURE(major_share.mean());
    CAPTURE(major_share.sem());
    // Binomial standard error for the probability of a major outbreak.
    const double se_p = std::sqrt(s * (1 - s) / static_cast<double>(is_major.count()));
    CHECK(std::abs(is_major.mean() - s) < 3 * se_p);
    CHECK(std::abs(major_share.mean() - s) < 3 * major_share.sem());
  }

  TEST_CASE("below the threshold outbreaks stay small with mean size 1 / (1 - p z)") {
    // p z = 0.1 * 5 = 0.5: each adopter convinces Poisson(0.5) others, so the total size of the
    // branching process is Borel-distributed with mean 1 / (1 - 0.5) = 2 and variance
    // c / (1 - c)^3 = 4.
    models::ClassicSpec spec;
    spec.model = ic(0.1);
    spec.graph = models::ErdosRenyiGnpParams{5000, 5.0 / 4999.0, false};
    spec.resample_graph = true;
    spec.seeding = models::default_seeding(spec.model);
    spec.seed = 7;
    spec.replicates = 2000;
    spec.steps = 100;
    sim::RunningStats size;
    models::run_ensemble(
        spec, 4, [&](models::ReplicateResult&& r) { size.add(r.series[std::size_t{spec.steps} * 2]); });
    CAPTURE(size.mean());
    CAPTURE(size.max());
    CHECK(std::abs(size.mean() - 2.0) < 3 * std::sqrt(4.0 / 2000.0));
    // P(total > 100) for Borel(0.5) is below 1e-8: nothing comes near a large outbreak.
    CHECK(size.max() < 100);
  }
}
