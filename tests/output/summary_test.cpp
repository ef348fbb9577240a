// Series summaries and their text table.
#include "output/summary.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <sstream>

#include "sim/error.hpp"

using namespace innosim;

namespace {
sim::IndicatorSchema schema() {
  sim::IndicatorSchema s;
  s.add("adopters", "agents", "a");
  s.add("new_adopters", "agents", "b");
  return s;
}
}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("per-step statistics fold replicates") {
    output::SeriesSummary summary(schema(), 2);
    summary.add_replicate(std::vector<double>{1, 1, 3, 2, 4, 1});
    summary.add_replicate(std::vector<double>{1, 1, 5, 4, 6, 1});
    CHECK(summary.replicates() == 2);
    CHECK(summary.at(1, 0).mean() == 4.0);
    CHECK(summary.at(2, 0).mean() == 5.0);
    CHECK(summary.at(1, 1).mean() == 3.0);
    CHECK(summary.at(2, 0).sd() == doctest::Approx(std::sqrt(2.0)).epsilon(1e-15));
    CHECK_THROWS_AS(summary.add_replicate(std::vector<double>{1, 2}), sim::ParamError);
  }

  TEST_CASE("the table shows steps with means and intervals and shares and the final value") {
    output::SeriesSummary summary(schema(), 4);
    for (int r = 0; r < 10; ++r) {
      std::vector<double> v;
      for (int t = 0; t <= 4; ++t) {
        v.push_back(10.0 * t + r);
        v.push_back(1.0);
      }
      summary.add_replicate(v);
    }
    std::ostringstream out;
    output::TableOptions opt;
    opt.population = 100;
    opt.max_rows = 4;
    output::write_series_table(out, {{"model", "test"}}, summary, opt);
    const std::string text = out.str();
    CAPTURE(text);
    CHECK(text.find("model:  test") != std::string::npos);
    // Step 4: mean 44.5, sd 3.03, t(0.975, 9) = 2.262 -> 44.5 +- 2.17
    CHECK(text.find("44.5") != std::string::npos);
    CHECK(text.find("[42.3, 46.7]") != std::string::npos);
    CHECK(text.find("44.5 %") != std::string::npos);
    CHECK(text.find("final adopters: 44.5 of 100 (44.5 %), 95 % interval 42.3 – 46.7 (42.3 – 46.7 %); 10 "
                    "replicates") != std::string::npos);
  }

  TEST_CASE("intervals are cut at zero and at the population") {
    output::SeriesSummary summary(schema(), 1);
    for (double v : {100.0, 100.0, 100.0, 40.0}) summary.add_replicate(std::vector<double>{0, 0, v, 0});
    std::ostringstream out;
    output::TableOptions opt;
    opt.population = 100;
    output::write_series_table(out, {}, summary, opt);
    CAPTURE(out.str());
    // mean 85, sd 30, t(0.975, 3) = 3.182 -> [37.3, 132.7] before the cut
    CHECK(out.str().find("95 % interval 37.3 – 100.0 (37.3 – 100.0 %)") != std::string::npos);
  }

  TEST_CASE("thousands are grouped") {
    CHECK(output::group_thousands(1234567.891, 1) == "1,234,567.9");
    CHECK(output::group_thousands(999.96, 1) == "1,000.0");
    CHECK(output::group_thousands(-4321, 0) == "-4,321");
    CHECK(output::group_thousands(0, 0) == "0");
  }
}
