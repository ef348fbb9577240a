// Docking (DOMAIN.md §5.5): with one complete exposure layer, linear response, fit, absorptive
// capacity, benefit and visibility equal to one, no adaptation delay, no staff limit, no ageing,
// no own innovation and no programme, the programme model's diffusion submodel is the Bass model.
// One innovation made by one owner in the first tick then spreads as the Bass closed form from
// F(0) = 1/N. With a uniform capacity c and a uniform context fit phi it is the Bass model with
// p c phi and q c phi.
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "models/diffusion/bass.hpp"
#include "models/forkommune/model.hpp"
#include "sim/stats.hpp"

using namespace innosim;
using namespace innosim::models::forkommune;

namespace {

Params degenerate(double p_per_year, double q_per_year) {
  Params p;
  p.world.source = "synthetic";
  p.world.synthetic_owners = 2000;
  p.world.synthetic_counties = 10;
  p.world.synthetic_institutions = 5;
  p.world.complete_exposure = true;
  p.programme.enabled = false;
  p.arenas.conference = false;
  p.arenas.regional = false;
  p.arenas.network = false;
  p.innovation.own_rate_per_year = 0;
  p.innovation.initial_innovations = 1;
  p.innovation.benefit_median = 1;
  p.innovation.benefit_sigma = 0;
  p.innovation.relevance_half_life_years = 0;
  p.innovation.lifetime_years = 0;
  p.diffusion.p_per_year = p_per_year;
  p.diffusion.q_per_year = q_per_year;
  p.diffusion.response = "linear";
  p.diffusion.step_rule = "exact";
  p.diffusion.visibility_base = 1;
  p.diffusion.visibility_documented = 0;
  p.diffusion.visibility_spread = 0;
  p.diffusion.fit_decay_per_class = 0;
  p.diffusion.absorptive_exponent = 0;
  p.diffusion.adaptation_duration_factor = 0;
  p.diffusion.adaptation_abandon_per_month = 0;
  p.diffusion.staff_limit = false;
  p.learning.capacity_gain_adoption = 0;
  p.learning.culture_gain_adoption = 0;
  p.run.warmup_years = 0;
  p.run.years = 15;
  p.run.seed = 77;
  return p;
}

// Adopted share (maker included) at the end of every tick, one Welford accumulator per tick.
std::vector<sim::RunningStats> adoption_curves(const ProgrammeModel& model, sim::Replicate replicates) {
  const auto& schema = model.layout().schema;
  const std::size_t adoptions = schema.require("adoptions");
  const std::size_t created = schema.require("innovations_created");
  const double n = model.world().num_owners();
  std::vector<sim::RunningStats> share(model.steps() + 1);
  for (sim::Replicate r = 0; r < replicates; ++r) {
    auto proc = model.make_replicate(r);
    sim::SeriesRecorder rec;
    sim::Observer* obs[] = {&rec};
    sim::run_process(*proc, {model.params().run.seed, r, model.steps()}, obs);
    double adopters = 0;
    for (sim::Step t = 1; t <= model.steps(); ++t) {
      adopters += rec.at(t, adoptions) + rec.at(t, created);
      share[t].add(adopters / n);
    }
  }
  return share;
}

// The degenerate configuration with every owner's capacity c and every owner's fit phi to the
// innovation's maker: capacity's logistic has intercept logit(c) and no other term, the maker
// (municipality 0, the single development municipality of a national programme) is in centrality
// class 1 and everybody else in class 4, so fit = exp(-decay x 3) for all of them.
struct Uniform {
  Params params;
  std::shared_ptr<const World> world;
};

Uniform uniform(double p_per_year, double q_per_year, double c, double decay) {
  Uniform u;
  Params& p = u.params;
  p = degenerate(p_per_year, q_per_year);
  p.innovation.initial_innovations = 0;
  p.owners.capacity_intercept = std::log(c / (1 - c));
  p.owners.capacity_per_log_population = 0;
  p.owners.capacity_per_centrality_class = 0;
  p.owners.capacity_noise_sd = 0;
  p.diffusion.absorptive_exponent = 1;
  p.diffusion.fit_decay_per_class = decay;
  NationalProgramme np;
  np.name = "docking";
  np.types = {"process"};
  np.complexity_months = 0;
  np.benefit = 1;
  np.development_codes = {"S0000000"};
  np.development_start = {p.run.start_year, 1};
  np.development_end = np.development_start;
  np.spread_start = np.development_start;
  p.national_programmes = {np};
  WorldData data = synthetic_world_data(p);
  for (auto& m : data.municipalities) m.centrality = 4;
  data.municipalities[0].centrality = 1;
  u.world = std::make_shared<const World>(build_world(data, p));
  return u;
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("in the degenerate configuration one innovation is made in the first tick and nothing else") {
    const ProgrammeModel model(std::make_shared<const World>(build_world(
                                   synthetic_world_data(degenerate(0.03, 0.38)), degenerate(0.03, 0.38))),
                               degenerate(0.03, 0.38));
    auto proc = model.make_replicate(0);
    proc->start();
    for (sim::Step t = 1; t <= 24; ++t) proc->advance(t);
    REQUIRE(proc->state().innovations.size() == 1);
    CHECK(proc->state().innovations[0].created == 1);
    CHECK(proc->state().projects.empty());
  }
}

TEST_SUITE("statistical") {
  TEST_CASE("the degenerate programme model reproduces the Bass closed form from one first adopter") {
    // N = 2,000 + county owners, p = 0.03 and q = 0.38 per year in monthly ticks, 15 years,
    // 200 replicates, compared at every year end within 3 standard errors of the replicate
    // mean. The first adopter appears before the diffusion phase of tick 1, which is the first
    // month of decisions, so the end of tick t is time t of the closed form from F(0) = 1/N. The finite-N
    // bias of the mean-field is O(1/N), well below the standard errors (checked, so the test is not loose).
    const Params p = degenerate(0.03, 0.38);
    const ProgrammeModel model(std::make_shared<const World>(build_world(synthetic_world_data(p), p)), p);
    const double n = model.world().num_owners();
    const auto share = adoption_curves(model, 200);
    for (sim::Step t = 12; t <= model.steps(); t += 12) {
      const double expected = models::bass_closed_form(0.03 / 12, 0.38 / 12, static_cast<double>(t), 1.0 / n);
      CAPTURE(t);
      CAPTURE(expected);
      CAPTURE(share[t].mean());
      CAPTURE(share[t].sem());
      CHECK(share[t].sem() < 0.01);
      CHECK(std::abs(share[t].mean() - expected) < 3 * share[t].sem());
    }
    // Late in the run the curve has saturated: most owners have adopted.
    CHECK(share[model.steps()].mean() > 0.9);
  }
}

TEST_SUITE("statistical") {
  TEST_CASE("with uniform capacity and fit the degenerate programme model is Bass with p c phi and q c phi") {
    // c = 0.5 and phi = exp(-0.1 x 3): the model's p = 0.1 and q = 1.2 per year become 0.0370 and
    // 0.4445. The maker adopts in the adaptation phase of the first month, so decisions begin in
    // the second: the end of month t is time t - 1 of the closed form from F(0) = 1/N. 200
    // replicates of N = 2,000 + 10 owners, every year end within 3 standard errors.
    const double c = 0.5, decay = 0.1;
    const Uniform u = uniform(0.1, 1.2, c, decay);
    const World& w = *u.world;
    REQUIRE(w.owner_centrality[0] == 0);
    for (std::uint32_t o = 1; o < w.num_owners(); ++o) REQUIRE(w.owner_centrality[o] == 3);
    const ProgrammeModel model(u.world, u.params);
    const double n = w.num_owners();
    const double factor = c * std::exp(-decay * 3);
    const std::size_t adoptions = model.layout().schema.require("adoptions");
    std::vector<sim::RunningStats> share(model.steps() + 1);
    for (sim::Replicate r = 0; r < 200; ++r) {
      auto proc = model.make_replicate(r);
      sim::SeriesRecorder rec;
      sim::Observer* obs[] = {&rec};
      sim::run_process(*proc, {u.params.run.seed, r, model.steps()}, obs);
      if (r == 0) {
        for (std::uint32_t o = 0; o < w.num_owners(); ++o)
          REQUIRE(proc->state().capacity[o] == doctest::Approx(c));
      }
      double adopters = 0;
      for (sim::Step t = 1; t <= model.steps(); ++t) {
        adopters += rec.at(t, adoptions);
        share[t].add(adopters / n);
      }
    }
    for (sim::Step t = 12; t <= model.steps(); t += 12) {
      const double expected =
          models::bass_closed_form(0.1 * factor / 12, 1.2 * factor / 12, static_cast<double>(t - 1), 1.0 / n);
      CAPTURE(t);
      CAPTURE(expected);
      CAPTURE(share[t].mean());
      CAPTURE(share[t].sem());
      CHECK(share[t].sem() < 0.01);
      CHECK(std::abs(share[t].mean() - expected) < 3 * share[t].sem());
    }
    // The same coefficients without the factor would be far faster: the test tells them apart.
    const double unscaled = models::bass_closed_form(0.1 / 12, 1.2 / 12, 59.0, 1.0 / n);
    CHECK(std::abs(share[60].mean() - unscaled) > 10 * share[60].sem());
  }
}
