// Docking (DOMAIN.md §5.5): with one complete exposure layer, linear response, fit, absorptive
// capacity, benefit and visibility equal to one, no adaptation delay, no staff limit, no ageing,
// no own innovation and no programme, the programme model's diffusion submodel is the Bass model.
// One innovation made by one owner in the first tick then spreads as the Bass closed form from
// F(0) = 1/N.
#include <doctest/doctest.h>

#include <cmath>
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
