// Calibration (DOMAIN.md §7): the embedded no-programme and baseline scenarios reach every
// target, as the mean over replicates inside the stated range. docs/calibration.md shows the
// same table from `innosim calibration`.
#include <doctest/doctest.h>

#include "tools/scenario/calibration.hpp"

using namespace innosim;

TEST_SUITE("statistical") {
  TEST_CASE("the no-programme and baseline worlds reach every calibration target of DOMAIN.md section 7") {
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
  TEST_CASE("calibration targets name indicators of the model and cover both worlds") {
    const auto targets = tools::calibration_targets();
    int no_programme = 0, baseline = 0;
    for (const auto& t : targets) {
      CHECK(t.low < t.high);
      no_programme += t.scenario == "no-programme";
      baseline += t.scenario == "baseline";
    }
    CHECK(no_programme >= 5);
    CHECK(baseline >= 8);
  }
}
