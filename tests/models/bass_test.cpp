// The agent-based Bass model: the one-tick probability against the Bass ODE, the mean curve on
// the complete graph against the closed form, the constant-hazard rule against its own
// recursion, the reference implementation, and thread counts.
#include "models/diffusion/bass.hpp"

#include <doctest/doctest.h>

#include <cmath>

#include "models/diffusion/classic.hpp"
#include "output/summary.hpp"
#include "sim/stats.hpp"
#include "tests/models/helpers.hpp"
#include "tests/models/reference.hpp"
#include "tests/support/threads.hpp"

using namespace innosim;
using namespace innosim::test;
using models::BassParams;
using sim::AgentId;
using sim::Step;

namespace {

BassParams bass(double p, double q, BassParams::StepRule rule = BassParams::StepRule::kExact) {
  BassParams b;
  b.p_innovation_per_step = p;
  b.q_imitation_per_step = q;
  b.step_rule = rule;
  return b;
}

// Share converted in one unit of time by dF/dt = (p + qF)(1 - F), by classical RK4 with a
// tiny step: an independent check of the closed-form one-tick probability.
double ode_one_tick(double p, double q, double f0) {
  const int n = 20000;
  const double h = 1.0 / n;
  auto rhs = [&](double f) { return (p + q * f) * (1 - f); };
  double f = f0;
  for (int i = 0; i < n; ++i) {
    const double k1 = rhs(f);
    const double k2 = rhs(f + h / 2 * k1);
    const double k3 = rhs(f + h / 2 * k2);
    const double k4 = rhs(f + h * k3);
    f += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
  }
  return (f - f0) / (1 - f0);
}

// Per-step mean adopted share over replicates on the implicit complete graph.
struct Curve {
  std::vector<sim::RunningStats> share;
};

Curve run_complete(const BassParams& params, AgentId n, std::size_t replicates, Step steps, sim::Seed seed) {
  models::ClassicSpec spec;
  spec.model = params;
  spec.graph = models::CompleteGraphParams{n};
  spec.seeding = models::default_seeding(spec.model);
  spec.seed = seed;
  spec.replicates = static_cast<sim::Replicate>(replicates);
  spec.steps = steps;
  Curve c;
  c.share.resize(std::size_t{steps} + 1);
  models::run_ensemble(spec, 4, [&](models::ReplicateResult&& r) {
    for (Step t = 0; t <= steps; ++t) c.share[t].add(r.series[std::size_t{t} * 2] / n);
  });
  return c;
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("the step bound is never below the step probability") {
    // A grid over the rates a month can have (up to s = 3, past the bound's switch at s = 1) and
    // the whole range of shares, for both step rules; the bound is also tight enough to be
    // worth it (within 1 + s of the probability for small rates).
    for (const auto rule : {BassParams::StepRule::kExact, BassParams::StepRule::kConstantHazard}) {
      for (double p = 0; p <= 1.5; p += 0.0625) {
        for (double q = 0; q <= 1.5; q += 0.0625) {
          for (double f = 0; f <= 1.0; f += 0.03125) {
            const BassParams b = bass(p, q, rule);
            CAPTURE(p);
            CAPTURE(q);
            CAPTURE(f);
            const double prob = models::bass_step_probability(b, f);
            const double bound = models::bass_step_bound(b, f);
            CHECK(prob <= bound);
            if (p + q <= 0.25) CHECK(bound <= (p + q * f) * (1.0 + p + q) + 1e-15);
          }
        }
      }
    }
  }

  TEST_CASE("the exact step rule converts the share the Bass ODE converts in one tick") {
    for (const auto& [p, q] :
         std::vector<std::pair<double, double>>{{0.0025, 0.0317}, {0.03, 0.38}, {0.3, 2.0}, {0.01, 0.0}}) {
      for (const double f : {0.0, 0.1, 0.5, 0.93}) {
        CAPTURE(p);
        CAPTURE(q);
        CAPTURE(f);
        CHECK(models::bass_step_probability(bass(p, q), f) ==
              doctest::Approx(ode_one_tick(p, q, f)).epsilon(1e-10));
      }
    }
    CHECK(models::bass_step_probability(bass(0, 0), 0.5) == 0.0);
    CHECK(models::bass_step_probability(bass(0.1, 0.2, BassParams::StepRule::kConstantHazard), 0.5) ==
          doctest::Approx(1 - std::exp(-0.2)).epsilon(1e-15));
  }

  TEST_CASE("iterating the exact step from zero hits the closed form at every tick") {
    const double p = 0.03 / 12;
    const double q = 0.38 / 12;
    double f = 0.0;
    for (int t = 1; t <= 240; ++t) {
      f += (1 - f) * models::bass_step_probability(bass(p, q), f);
      CHECK(f == doctest::Approx(models::bass_closed_form(p, q, t)).epsilon(1e-12));
    }
  }

  TEST_CASE("the closed form from a first adopter share f0 starts at f0 and follows the exact step") {
    const double p = 0.03 / 12;
    const double q = 0.38 / 12;
    for (const double f0 : {0.0, 1.0 / 371, 0.2}) {
      CAPTURE(f0);
      CHECK(models::bass_closed_form(p, q, 0, f0) == doctest::Approx(f0).epsilon(1e-14));
      double f = f0;
      for (int t = 1; t <= 240; ++t) {
        f += (1 - f) * models::bass_step_probability(bass(p, q), f);
        CHECK(f == doctest::Approx(models::bass_closed_form(p, q, t, f0)).epsilon(1e-12));
      }
    }
    CHECK(models::bass_closed_form(p, q, 50, 0.0) == doctest::Approx(models::bass_closed_form(p, q, 50)));
  }

  TEST_CASE("with q = 0 and p = 1 everyone adopts within a few ticks and never un-adopts") {
    auto proc = models::make_process(bass(1.0, 0.0), models::Graph::complete(1000), {}, {3, 0});
    sim::SeriesRecorder rec;
    sim::Observer* obs[] = {&rec};
    const Step quiet = sim::run_process(*proc, {3, 0, 30}, obs);
    CHECK(quiet < 30);
    for (Step t = 1; t <= 30; ++t) CHECK(rec.at(t, 0) >= rec.at(t - 1, 0));
    CHECK(rec.at(30, 0) == 1000);
  }

  TEST_CASE("with p = 0 and q = 0 nothing changes") {
    CHECK(adoption_steps(bass(0, 0), models::Graph::complete(50), {3}, 20) == [] {
      std::vector<Step> v(50, N);
      v[3] = 0;
      return v;
    }());
  }

  TEST_CASE("imitation needs adopted neighbours: with p = 0 only neighbours of adopters can adopt") {
    // 0 - 1   2 - 3: seed 0; q large. 2 and 3 have no adopted neighbour and never adopt.
    const auto g = graph_of(4, {{0, 1}, {2, 3}});
    const auto steps = adoption_steps(bass(0.0, 5.0), g, {0}, 10);
    CHECK(steps[1] != N);
    CHECK(steps[2] == N);
    CHECK(steps[3] == N);
  }

  TEST_CASE("the implicit complete graph equals the stored complete graph bitwise") {
    const AgentId n = 300;
    const models::Graph stored = models::make_graph(models::ErdosRenyiGnpParams{n, 1.0, false}, {});
    REQUIRE(stored.num_edges() == std::uint64_t{n} * (n - 1) / 2);
    const auto params = bass(0.01, 0.3);
    CHECK(adoption_steps(params, stored, {}, 100, {8, 1}) ==
          adoption_steps(params, models::Graph::complete(n), {}, 100, {8, 1}));
  }
}

TEST_SUITE("parallel") {
  TEST_CASE("Bass kernel equals its serial reference bitwise on 1 to 8 threads") {
    const auto params = bass(0.005, 0.2);
    const sim::RngKey key{99, 3};
    const models::Graph layer = models::make_graph(models::WattsStrogatzParams{3000, 8, 0.1}, {1, 0});
    const auto expected_layer = reference_bass(&layer.layer(), 3000, {5, 6}, params, key, 80);
    const auto expected_complete = reference_bass(nullptr, 3000, {5, 6}, params, key, 80);
    for (const int k : kThreadCounts) {
      CHECK(with_threads(k, [&] {
              return adoption_steps(params, layer, {5, 6}, 80, key);
            }) == expected_layer);
      CHECK(with_threads(k, [&] {
              return adoption_steps(params, models::Graph::complete(3000), {5, 6}, 80, key);
            }) == expected_complete);
    }
  }
}

TEST_SUITE("statistical") {
  TEST_CASE("on the complete graph the mean adoption curve follows the Bass closed form") {
    // N = 10,000 agents, p = 0.03 and q = 0.38 per year in monthly ticks, 15 years, 200
    // replicates. Compared at the end of every year (15 points) within 3 standard errors of
    // the replicate mean. The exact step rule removes the discretisation error; what remains
    // is the finite-N bias of a nonlinear mean-field, O(1/N) = 1e-4, against standard errors of
    // several 1e-4 (checked below, so the comparison is not trivially loose).
    const double p = 0.03 / 12;
    const double q = 0.38 / 12;
    const Curve c = run_complete(bass(p, q), 10000, 200, 180, 1969);
    for (Step t = 12; t <= 180; t += 12) {
      CAPTURE(t);
      const double expected = models::bass_closed_form(p, q, t);
      CAPTURE(expected);
      CAPTURE(c.share[t].mean());
      CAPTURE(c.share[t].sem());
      CHECK(c.share[t].sem() < 0.003);
      CHECK(std::abs(c.share[t].mean() - expected) < 3 * c.share[t].sem());
    }
  }

  TEST_CASE("the constant-hazard rule follows its own recursion and lags the closed form") {
    // F_{t+1} = F_t + (1 - F_t)(1 - exp(-(p + q F_t))) is the mean-field of the constant-hazard
    // rule; with yearly ticks (p = 0.03, q = 0.38) it falls visibly behind the closed form.
    const double p = 0.03;
    const double q = 0.38;
    const Curve c = run_complete(bass(p, q, BassParams::StepRule::kConstantHazard), 10000, 200, 15, 1970);
    double f = 0.0;
    for (Step t = 1; t <= 15; ++t) {
      f += (1 - f) * -std::expm1(-(p + q * f));
      CAPTURE(t);
      CHECK(std::abs(c.share[t].mean() - f) < 3 * c.share[t].sem());
    }
    // At year 8 the lag is many standard errors wide.
    CHECK(models::bass_closed_form(p, q, 8) - c.share[8].mean() > 10 * c.share[8].sem());
  }
}
