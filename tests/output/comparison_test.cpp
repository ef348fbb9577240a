// Paired comparisons: differences from the reference, and the cost ratio's interval.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "output/comparison.hpp"

using namespace innosim;

TEST_SUITE("unit") {
  TEST_CASE("a cost ratio of exactly proportional differences has a zero-width interval") {
    output::RatioStats r;
    for (const double b : {10.0, 12.0, 9.0, 15.0}) r.add(0.75 * b, b);
    CHECK(r.ratio() == doctest::Approx(0.75));
    const auto ci = r.interval();
    REQUIRE(ci.has_value());
    CHECK(ci->low == doctest::Approx(0.75));
    CHECK(ci->high == doctest::Approx(0.75));
  }

  TEST_CASE("a cost ratio whose denominator may be zero has no interval") {
    output::RatioStats r;
    for (const double b : {-3.0, 4.0, -2.0, 2.0}) r.add(1.0, b);
    CHECK_FALSE(r.interval().has_value());
  }

  TEST_CASE("a cost ratio's delta-method interval widens with the denominator's noise") {
    output::RatioStats tight, loose;
    const std::vector<double> noise{0.5, -0.5, 0.25, -0.25, 0.1, -0.1};
    for (std::size_t k = 0; k < noise.size(); ++k) {
      tight.add(100.0, 50.0 + noise[k]);
      loose.add(100.0, 50.0 + 10 * noise[k]);
    }
    CHECK(tight.ratio() == doctest::Approx(2.0));
    const auto a = tight.interval(), b = loose.interval();
    REQUIRE(a.has_value());
    REQUIRE(b.has_value());
    CHECK(a->low < 2.0);
    CHECK(a->high > 2.0);
    CHECK(b->high - b->low == doctest::Approx(10 * (a->high - a->low)).epsilon(0.01));
  }

  TEST_CASE("paired differences are taken replicate by replicate against the reference") {
    sim::IndicatorSchema schema;
    schema.add("adoptions", "n", "", sim::Aggregation::kFlow);
    schema.add("money_committed_mnok", "MNOK", "", sim::Aggregation::kFlow);
    schema.add("research_using_share", "1", "");
    output::ComparisonSetup setup;
    setup.scenarios = {"ref", "other", "none"};
    setup.reference = 0;
    setup.counterfactual = 2;
    setup.metrics = {{"adoptions", "adoptions", 1, 0}};
    setup.municipalities = 100;
    output::Comparison c(setup, schema);
    // Replicate noise is shared: other = ref + 5 exactly, so the difference has no spread.
    for (const double noise : {0.0, 40.0, -25.0, 10.0}) {
      const std::vector<std::vector<double>> totals{
          {100 + noise, 60, 0.5}, {105 + noise, 70, 0.6}, {80 + noise, 0, 0.4}};
      c.add_replicate(totals);
    }
    CHECK(c.difference(1, 0).mean() == doctest::Approx(5));
    CHECK(c.difference(1, 0).sd() == doctest::Approx(0).epsilon(1e-12));
    CHECK(c.value(1, 0).sd() > 20);  // the values themselves vary
    CHECK(c.extra_adoptions(1).mean() == doctest::Approx(25));
    CHECK(c.extra_research(1).mean() == doctest::Approx(20));  // (0.6 - 0.4) x 100 municipalities
    CHECK(c.cost_per_adoption(1).ratio() == doctest::Approx(70.0 / 25.0));
  }
}
