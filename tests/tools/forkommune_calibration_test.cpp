// Calibration (DOMAIN.md §7): the built-in scenarios reach every emergent target (§7.2) as the
// mean over replicates inside its range, and every bookkeeping check (§7.1) gives back its input.
// docs/calibration.md shows the same tables from `innosim calibration`.
#include <doctest/doctest.h>

#include <set>

#include "sim/error.hpp"
#include "tools/scenario/calibration.hpp"

using namespace innosim;

TEST_SUITE("statistical") {
  TEST_CASE(
      "the built-in scenarios reach every emergent target and bookkeeping check of DOMAIN.md section 7") {
    // 64 replicates per world. Besides the mean being inside the range, the standard error must
    // be below a tenth of the range's width, so that "inside" is not an accident of noise: a
    // mean one tenth of the width from an edge is then more than one standard error inside.
    const auto results = tools::evaluate_calibration(64, 0);
    REQUIRE(results.size() == tools::calibration_targets().size());
    for (const auto& r : results) {
      CAPTURE(r.target.observable);
      CAPTURE(r.target.scenario);
      CAPTURE(r.mean);
      CAPTURE(r.sem);
      CHECK(r.mean >= r.target.low);
      CHECK(r.mean <= r.target.high);
      CHECK(r.sem < (r.target.high - r.target.low) / 10);
    }
  }
}

TEST_SUITE("unit") {
  TEST_CASE("calibration rows say what they are and name indicators of the model") {
    const auto targets = tools::calibration_targets();
    int bookkeeping = 0, emergent = 0;
    std::set<std::string> worlds;
    for (const auto& t : targets) {
      CAPTURE(t.observable);
      CHECK(t.low < t.high);
      CHECK(!t.definition.empty());
      CHECK(!t.origin.empty());
      CHECK(!t.source.empty());
      if (t.kind == tools::TargetKind::kEmergent) {
        ++emergent;
        CHECK(!t.source_definition.empty());
        worlds.insert(t.scenario);
      } else {
        ++bookkeeping;
        CHECK(t.origin.find("input") != std::string::npos);  // says which input comes back
      }
    }
    CHECK(bookkeeping >= 8);
    CHECK(emergent >= 11);
    // DOMAIN.md §7.2 names the planned, half and double budget and the welfare-technology curve.
    for (const char* w : {"no-programme", "baseline", "half-budget", "double-budget", "welfare-technology"})
      CHECK(worlds.count(w) == 1);
  }

  TEST_CASE("calibration overrides go through the parameter registry") {
    models::forkommune::Params p;
    tools::apply_overrides({"diffusion.q_per_year=1.5", "programme.carry_over=false"}, p);
    CHECK(p.diffusion.q_per_year == 1.5);
    CHECK(!p.programme.carry_over);
    CHECK_THROWS_WITH_AS(tools::apply_overrides({"diffusion.q_per_yer=1"}, p),
                         doctest::Contains("did you mean 'diffusion.q_per_year'"), sim::Error);
    CHECK_THROWS_WITH_AS(tools::apply_overrides({"diffusion.q_per_year=-1"}, p),
                         doctest::Contains("must be in"), sim::Error);
    CHECK_THROWS_WITH_AS(tools::apply_overrides({"q"}, p), doctest::Contains("expected KEY=VALUE"),
                         sim::Error);
  }
}
