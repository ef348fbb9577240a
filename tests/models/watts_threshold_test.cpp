// Watts (2002) threshold model: hand-worked cases, the reference, and the cascade window on
// Erdős–Rényi graphs with phi = 0.18 against the generating-function theory of the paper.
#include "models/diffusion/watts_threshold.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "models/diffusion/classic.hpp"
#include "sim/stats.hpp"
#include "tests/models/helpers.hpp"
#include "tests/models/reference.hpp"
#include "tests/support/threads.hpp"

using namespace innosim;
using namespace innosim::test;
using models::WattsThresholdParams;
using sim::AgentId;
using sim::Step;

namespace {

// Probability that a single random seed triggers a global cascade on an ER graph of mean
// degree z with uniform threshold phi (Watts 2002, eqs. 5-7): the seed must touch the
// percolating cluster of vulnerable nodes (degree k <= 1/phi). With q_{k-1} = k p_k / z the
// excess-degree distribution, u = P(an edge does not lead into that cluster) is the smallest
// root of u = 1 - sum_{k vulnerable} q_{k-1} (1 - u^{k-1}); then P = 1 - G0(u) = 1 - e^{z(u-1)}.
double cascade_probability(double z, double phi) {
  const int largest_vulnerable = static_cast<int>(std::floor(1.0 / phi + 1e-12));
  auto pk = [z](int k) { return std::exp(-z + k * std::log(z) - std::lgamma(k + 1.0)); };
  double u = 0.0;
  for (int it = 0; it < 100000; ++it) {
    double s = 0.0;
    for (int k = 1; k <= largest_vulnerable; ++k) s += k * pk(k) / z * (1.0 - std::pow(u, k - 1));
    const double next = 1.0 - s;
    if (std::abs(next - u) < 1e-14) break;
    u = next;
  }
  return 1.0 - std::exp(z * (u - 1.0));
}

double global_cascade_frequency(double z, sim::Seed seed, std::size_t replicates) {
  models::ClassicSpec spec;
  spec.model = WattsThresholdParams{0.18, 0.0};
  const sim::AgentId n = 10000;
  spec.graph = models::ErdosRenyiGnpParams{n, z / (n - 1.0), false};
  spec.resample_graph = true;                          // the theory averages over the graph ensemble
  spec.seeding = models::default_seeding(spec.model);  // one random agent, as in the paper
  spec.seed = seed;
  spec.replicates = static_cast<sim::Replicate>(replicates);
  spec.steps = 400;
  sim::RunningStats global;
  models::run_ensemble(spec, 4, [&](models::ReplicateResult&& r) {
    // Global: more than a tenth of the network (Watts uses "a finite fraction").
    global.add(r.series[std::size_t{spec.steps} * 2] > 0.1 * n ? 1.0 : 0.0);
  });
  return global.mean();
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("a node adopts once the adopted share of its neighbours reaches phi") {
    // 1 - 0 - 2, 0 - 3: node 0 has three neighbours.
    const auto g = graph_of(4, {{0, 1}, {0, 2}, {0, 3}});
    CHECK(adoption_steps(WattsThresholdParams{0.33, 0}, g, {1}, 3) == std::vector<Step>{1, 0, 2, 2});
    CHECK(adoption_steps(WattsThresholdParams{0.34, 0}, g, {1}, 3) == std::vector<Step>{N, 0, N, N});
    CHECK(adoption_steps(WattsThresholdParams{0.34, 0}, g, {1, 2}, 3) == std::vector<Step>{1, 0, 0, 2});
  }

  TEST_CASE("isolated nodes never adopt") {
    const auto g = graph_of(3, {{0, 1}});
    CHECK(adoption_steps(WattsThresholdParams{0.0, 0}, g, {0}, 3) == std::vector<Step>{0, 1, N});
  }

  TEST_CASE("normal thresholds are clipped draws from the threshold stream") {
    // 0 - 1 - 2 seeded at 0: node 1 sees a share of 1/2 and adopts at tick 1 iff phi_1 <= 1/2.
    const auto g = graph_of(3, {{0, 1}, {1, 2}});
    int adopted = 0;
    for (sim::Seed seed = 1; seed < 40; ++seed) {
      const sim::RngKey key{seed, 0};
      sim::RngStream rng = key.stream(sim::Purpose::kThreshold, 0, 1);
      const double phi = std::clamp(sim::normal(rng, 0.5, 0.3), 0.0, 1.0);
      const bool adopts = adoption_steps(WattsThresholdParams{0.5, 0.3}, g, {0}, 1, key)[1] == 1;
      CHECK(adopts == (phi <= 0.5));
      adopted += adopts ? 1 : 0;
    }
    CHECK(adopted > 5);  // both outcomes occur, so the check above tested something
    CHECK(adopted < 34);
    CHECK_THROWS_AS((WattsThresholdParams{0.2, -0.1}).validate(), sim::ParamError);
  }
}

TEST_SUITE("parallel") {
  TEST_CASE("Watts threshold kernel equals its serial reference bitwise on 1 to 8 threads") {
    const models::Graph g = models::make_graph(models::ErdosRenyiGnpParams{5000, 4.0 / 4999, false}, {12, 0});
    const WattsThresholdParams params{0.18, 0.05};
    const sim::RngKey key{5, 1};
    std::vector<double> theta(g.num_nodes());
    for (AgentId v = 0; v < g.num_nodes(); ++v) {
      sim::RngStream rng = key.stream(sim::Purpose::kThreshold, 0, v);
      theta[v] = std::clamp(sim::normal(rng, 0.18, 0.05), 0.0, 1.0);
    }
    const auto expected = reference_threshold(g.layer(), {17}, theta, false, 200);
    for (const int k : kThreadCounts) {
      CHECK(with_threads(k, [&] { return adoption_steps(params, g, {17}, 200, key); }) == expected);
    }
  }
}

TEST_SUITE("statistical") {
  TEST_CASE("global cascades are frequent inside the cascade window and vanish outside it") {
    // phi = 0.18 (Watts 2002, Fig. 1): the window spans roughly 1 < z < 6. Inside, the share of
    // single seeds that trigger a global cascade is compared with the theory within 3 binomial
    // standard errors; outside, none may occur.
    constexpr std::size_t kReplicates = 300;
    for (const double z : {2.0, 3.0, 4.0}) {
      CAPTURE(z);
      const double expected = cascade_probability(z, 0.18);
      const double got = global_cascade_frequency(z, 100 + static_cast<sim::Seed>(z), kReplicates);
      CAPTURE(expected);
      CAPTURE(got);
      CHECK(expected > 0.5);
      CHECK(std::abs(got - expected) < 3 * std::sqrt(expected * (1 - expected) / kReplicates));
    }
    for (const double z : {0.5, 8.0, 12.0}) {
      CAPTURE(z);
      CHECK(cascade_probability(z, 0.18) < 1e-9);
      CHECK(global_cascade_frequency(z, 200 + static_cast<sim::Seed>(z), kReplicates) == 0.0);
    }
  }
}
