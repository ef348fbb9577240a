// Random graph generators: exact structural properties, densities within binomial standard
// errors, and the same graph for any thread count.
#include "models/graphs/generators.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "models/diffusion/classic.hpp"
#include "sim/error.hpp"
#include "tests/support/threads.hpp"

using namespace innosim;
using models::EdgeList;
using sim::AgentId;

namespace {

sim::CsrLayer layer_of(const EdgeList& e) {
  return sim::CsrLayer::from_edges(e.num_nodes, e.edges, e.direction, e.weights);
}

std::vector<std::uint64_t> degrees(const sim::CsrLayer& g) {
  std::vector<std::uint64_t> d(g.num_nodes());
  for (AgentId v = 0; v < g.num_nodes(); ++v) d[v] = g.degree(v);
  return d;
}

// |observed - expected| within 3 standard deviations of a binomial count.
void check_binomial_count(double observed, double trials, double p) {
  CAPTURE(observed);
  CAPTURE(trials * p);
  CHECK(std::abs(observed - trials * p) < 3 * std::sqrt(trials * p * (1 - p)));
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("Gnp has a binomial number of edges and no loops or repeats") {
    const EdgeList e = models::generate_erdos_renyi_gnp({2000, 0.005, false}, {1, 0});
    check_binomial_count(static_cast<double>(e.edges.size()), 2000.0 * 1999 / 2, 0.005);
    CHECK(layer_of(e).is_simple());
    const EdgeList d = models::generate_erdos_renyi_gnp({2000, 0.005, true}, {1, 0});
    check_binomial_count(static_cast<double>(d.edges.size()), 2000.0 * 1999, 0.005);
    CHECK(layer_of(d).is_simple());
  }

  TEST_CASE("Gnp at the limits is empty or complete") {
    CHECK(models::generate_erdos_renyi_gnp({50, 0.0, false}, {}).edges.empty());
    CHECK(models::generate_erdos_renyi_gnp({50, 1.0, false}, {}).edges.size() == 50 * 49 / 2);
    CHECK(models::generate_erdos_renyi_gnp({50, 1.0, true}, {}).edges.size() == 50 * 49);
  }

  TEST_CASE("Gnm has exactly m distinct edges") {
    for (const bool directed : {false, true}) {
      const EdgeList e = models::generate_erdos_renyi_gnm({300, 2000, directed}, {2, 0});
      CHECK(e.edges.size() == 2000);
      CHECK(layer_of(e).is_simple());
    }
    CHECK(models::generate_erdos_renyi_gnm({20, 190, false}, {}).edges.size() == 190);  // complete
    CHECK_THROWS_AS(models::generate_erdos_renyi_gnm({20, 191, false}, {}), sim::ParamError);
  }

  TEST_CASE("Barabasi-Albert graphs have the exact edge count and minimum degree m and a power-law head") {
    const AgentId n = 100000;
    const std::uint32_t m = 3;
    const EdgeList e = models::generate_barabasi_albert({n, m}, {3, 0});
    CHECK(e.edges.size() == std::uint64_t{m} * (m + 1) / 2 + std::uint64_t{n - m - 1} * m);
    const sim::CsrLayer g = layer_of(e);
    CHECK(g.is_simple());
    const auto d = degrees(g);
    CHECK(*std::min_element(d.begin(), d.end()) == m);
    // Degree distribution p_k = 2m(m+1) / (k(k+1)(k+2)) (Dorogovtsev, Mendes & Samukhin 2000;
    // Bollobás et al. 2001): p_m = 2/(m+2) = 0.4 and p_{m+1} = 0.2 for m = 3.
    const double share_m = static_cast<double>(std::count(d.begin(), d.end(), m)) / n;
    const double share_m1 = static_cast<double>(std::count(d.begin(), d.end(), m + 1)) / n;
    CHECK(std::abs(share_m - 0.4) < 3 * std::sqrt(0.4 * 0.6 / n));
    CHECK(std::abs(share_m1 - 0.2) < 3 * std::sqrt(0.2 * 0.8 / n));
    CHECK(*std::max_element(d.begin(), d.end()) > 100);  // hubs exist
  }

  TEST_CASE("Watts-Strogatz with no rewiring is the ring lattice and rewiring keeps the edge count") {
    const EdgeList ring = models::generate_watts_strogatz({10, 4, 0.0}, {});
    const sim::CsrLayer g = layer_of(ring);
    for (AgentId v = 0; v < 10; ++v) {
      const auto nb = g.view().neighbours(v);
      const std::set<AgentId> expected = {(v + 1) % 10, (v + 2) % 10, (v + 8) % 10, (v + 9) % 10};
      CHECK(std::set<AgentId>(nb.begin(), nb.end()) == expected);
    }
    for (const double beta : {0.1, 0.5, 1.0}) {
      const EdgeList e = models::generate_watts_strogatz({1000, 6, beta}, {4, 0});
      CHECK(e.edges.size() == 3000);
      CHECK(layer_of(e).is_simple());
    }
    CHECK_THROWS_AS(models::generate_watts_strogatz({10, 3, 0.1}, {}), sim::ParamError);
  }

  TEST_CASE("stochastic block model densities follow the block matrix") {
    models::StochasticBlockParams p;
    p.block_sizes = {400, 600};
    p.edge_probabilities = {{0.05, 0.005}, {0.005, 0.02}};
    const EdgeList e = models::generate_stochastic_block(p, {5, 0});
    CHECK(layer_of(e).is_simple());
    double within0 = 0, within1 = 0, between = 0;
    for (const auto& edge : e.edges) {
      const bool a = edge.source < 400;
      const bool b = edge.target < 400;
      (a && b ? within0 : (!a && !b ? within1 : between)) += 1;
    }
    check_binomial_count(within0, 400.0 * 399 / 2, 0.05);
    check_binomial_count(within1, 600.0 * 599 / 2, 0.02);
    check_binomial_count(between, 400.0 * 600, 0.005);
    p.edge_probabilities[0][1] = 0.01;
    CHECK_THROWS_WITH_AS(p.validate(), doctest::Contains("must equal graph.edge_probabilities[1][0]"),
                         sim::ParamError);
    p.directed = true;
    const EdgeList d = models::generate_stochastic_block(p, {5, 0});
    CHECK(layer_of(d).is_simple());
  }

  TEST_CASE("random geometric graphs link exactly the pairs closer than the radius") {
    for (const bool torus : {false, true}) {
      CAPTURE(torus);
      const models::RandomGeometricParams p{800, 0.06, torus};
      const sim::RngKey key{6, 0};
      const EdgeList e = models::generate_random_geometric(p, key);
      std::vector<double> x(800), y(800);
      for (AgentId u = 0; u < 800; ++u) {
        sim::RngStream rng = key.stream(sim::Purpose::kGraph, 0, u);
        x[u] = rng.next_double();
        y[u] = rng.next_double();
      }
      std::set<std::pair<AgentId, AgentId>> brute;
      for (AgentId u = 0; u < 800; ++u) {
        for (AgentId v = u + 1; v < 800; ++v) {
          double dx = std::abs(x[u] - x[v]);
          double dy = std::abs(y[u] - y[v]);
          if (torus) {
            dx = std::min(dx, 1 - dx);
            dy = std::min(dy, 1 - dy);
          }
          if (dx * dx + dy * dy <= 0.06 * 0.06) brute.insert({u, v});
        }
      }
      std::set<std::pair<AgentId, AgentId>> got;
      for (const auto& edge : e.edges) got.insert({edge.source, edge.target});
      CHECK(got.size() == e.edges.size());
      CHECK(got == brute);
    }
    // A radius larger than the square links everyone, on a torus with fewer than 3 cells too.
    CHECK(models::generate_random_geometric({30, 1.5, false}, {}).edges.size() == 30 * 29 / 2);
    CHECK(models::generate_random_geometric({30, 0.8, true}, {}).edges.size() == 30 * 29 / 2);
  }

  TEST_CASE("generator parameters out of range name their keys") {
    CHECK_THROWS_WITH_AS(models::ErdosRenyiGnpParams({10, 1.5, false}).validate(),
                         "graph.edge_probability = 1.5, must be a probability in [0, 1]", sim::ParamError);
    CHECK_THROWS_WITH_AS(models::BarabasiAlbertParams({10, 10}).validate(),
                         "graph.edges_per_node = 10, must be at least 1 and less than graph.nodes",
                         sim::ParamError);
    CHECK_THROWS_AS(models::RandomGeometricParams({10, 0.0, false}).validate(), sim::ParamError);
    CHECK_THROWS_AS(models::CompleteGraphParams({0}).validate(), sim::ParamError);
  }
}

TEST_SUITE("parallel") {
  TEST_CASE("generated graphs are identical on 1 to 8 threads") {
    models::StochasticBlockParams sbm;
    const std::vector<models::GraphParams> specs = {models::ErdosRenyiGnpParams{20000, 0.0004, false},
                                                    models::ErdosRenyiGnpParams{5000, 0.001, true},
                                                    sbm,
                                                    models::RandomGeometricParams{20000, 0.01, true},
                                                    models::BarabasiAlbertParams{20000, 4},
                                                    models::WattsStrogatzParams{5000, 6, 0.3},
                                                    models::ErdosRenyiGnmParams{5000, 20000, false}};
    for (const auto& spec : specs) {
      std::vector<std::vector<AgentId>> targets;
      for (const int k : innosim::test::kThreadCounts) {
        innosim::test::with_threads(k, [&] {
          const models::Graph g = models::make_graph(spec, {17, 0});
          targets.emplace_back(g.layer().targets().begin(), g.layer().targets().end());
        });
      }
      CHECK(targets[1] == targets[0]);
      CHECK(targets[2] == targets[0]);
      CHECK_FALSE(targets[0].empty());
    }
  }
}
