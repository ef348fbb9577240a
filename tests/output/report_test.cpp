// The reports' chart data (output/report.cpp): user text that is not UTF-8 or that looks like
// HTML reaches the charts intact and cannot end the script element; numbers that are not finite
// are written as null.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>  // reads the charts back
#include <sstream>
#include <string>
#include <vector>

#include "output/comparison.hpp"
#include "output/report.hpp"

using namespace innosim;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// A Latin-1 "é" (not UTF-8) and text that would end a script element or open a comment.
const std::string kHostileName = "caf\xe9 </script><script>alert(1)</script><!--";
// The same as the report writes it: the byte that is not UTF-8 replaced by U+FFFD.
const std::string kHostileNameRead = "caf\xef\xbf\xbd </script><script>alert(1)</script><!--";

// The rendering script as a browser's HTML parser delimits it: from its opening tag to the
// first "</script" after it.
std::string rendering_script(const std::string& page) {
  const auto from = page.find("<script>\nconst innosimCharts = ");
  REQUIRE(from != std::string::npos);
  const auto to = page.find("</script", from);
  REQUIRE(to != std::string::npos);
  return page.substr(from, to - from);
}

// The charts as (element id, specification) pairs, read from the script.
nlohmann::json charts_of(const std::string& script) {
  const std::string start = "const innosimCharts = ";
  const auto from = script.find(start) + start.size();
  const auto to = script.find("\n];\n", from);
  REQUIRE(to != std::string::npos);
  const std::string text = script.substr(from, to + 2 - from);
  // JSON has no "<" outside strings, and the report escapes it inside them.
  CHECK(text.find('<') == std::string::npos);
  return nlohmann::json::parse(text);
}

const nlohmann::json& chart(const nlohmann::json& charts, const std::string& id) {
  for (const auto& c : charts) {
    if (c[0] == id) return c[1];
  }
  FAIL("no chart " << id);
  return charts;
}

// The script ends where the report ends it: after the charts and the code that draws them.
void check_script_whole(const std::string& script) {
  CHECK(script.find("window.innosimRendered = 0;") != std::string::npos);
  CHECK(script.find("document.body.dataset.charts =") != std::string::npos);
  CHECK(script.find("<!--") == std::string::npos);
  CHECK(script.find("<script>", 1) == std::string::npos);
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE(
      "a comparison report keeps scenario names that are not UTF-8 or look like HTML inside its charts") {
    sim::IndicatorSchema schema;
    schema.add("adoptions", "n", "", sim::Aggregation::kFlow);
    schema.add("money_committed_mnok", "MNOK", "", sim::Aggregation::kFlow);
    schema.add("research_using_share", "1", "");
    output::ComparisonSetup setup;
    setup.scenarios = {"ref", kHostileName};
    setup.metrics = {{"adoptions", "adoptions", 1, 0}};
    setup.municipalities = 100;
    output::Comparison c(setup, schema);
    for (const double noise : {0.0, 4.0, -2.0}) {
      const std::vector<std::vector<double>> totals{{100 + noise, 60, 0.5}, {105 + noise, 70, 0.6}};
      c.add_replicate(totals);
    }
    output::ReportInput in;
    in.source = "test.h5";
    in.kind = "compare";
    in.replicates = 3;
    in.years = 2;
    in.scenarios = {{"ref", "the reference"}, {kHostileName, "a description \xff\xfe that is not UTF-8"}};
    in.comparison = &c;
    in.cumulative_adoptions = {{{1, 0, 2}, {2, 1, 3}}, {{1, 0, 2}, {3, 2, kInf}}};
    in.funnel.resize(2);
    output::MapPlace place;
    place.name = "Troms\xf8";  // Latin-1 again
    place.lat = 69.6;
    place.lon = 18.9;
    place.population = 77000;
    place.values = {kNaN};
    place.clear = {false};
    in.places = {place};
    in.map_titles = {"difference in adoptions </script>"};
    in.map_diverging = {true};
    in.map_units = {"difference in adoptions"};

    std::ostringstream out;
    REQUIRE_NOTHROW(output::write_report(out, in, output::ReportAssets{}));
    const std::string page = out.str();
    const std::string script = rendering_script(page);
    check_script_whole(script);
    const auto charts = charts_of(script);

    const auto& adoption = chart(charts, "chart-adoption");
    const auto& series = adoption["data"]["values"];
    REQUIRE(series.size() == 4);
    CHECK(series[3]["scenario"] == kHostileNameRead);
    CHECK(series[3]["mean"] == 3.0);
    CHECK(series[3]["high"].is_null());  // infinite
    CHECK(adoption["encoding"]["color"]["sort"][1] == kHostileNameRead);

    const auto& map = chart(charts, "chart-map-0");
    CHECK(map["title"] == "difference in adoptions </script>");
    CHECK(map["data"]["values"][0]["name"] == "Troms\xef\xbf\xbd");
    CHECK(map["data"]["values"][0]["value"].is_null());  // NaN
    CHECK(map["data"]["values"][0]["lat"] == 69.6);
  }

  TEST_CASE("a sweep report keeps factor names that are not UTF-8 or look like HTML inside its charts") {
    output::SweepReportInput in;
    in.source = "sweep.h5";
    in.description = "a sweep \xff described in Latin-1";
    in.design = "saltelli";
    in.random_numbers = "common";
    in.points = 2;
    in.replicates = 1;
    in.factors = {{kHostileName, "0 to 1"}};
    in.outputs = {"adoptions"};
    in.values = {0.25, 0.75};
    in.means = {10, kNaN};
    in.sobol = {{"adoptions", kHostileName, 0.5, 0.4, 0.6, 0.7, 0.6, 0.8}};

    std::ostringstream out;
    REQUIRE_NOTHROW(output::write_sweep_report(out, in, output::ReportAssets{}));
    const std::string script = rendering_script(out.str());
    check_script_whole(script);
    const auto charts = charts_of(script);

    const auto& scatter = chart(charts, "chart-scatter")["data"]["values"];
    REQUIRE(scatter.size() == 2);
    CHECK(scatter[0]["factor"] == kHostileNameRead);
    CHECK(scatter[0]["x"] == 0.25);
    CHECK(scatter[0]["y"] == 10.0);
    CHECK(scatter[1]["y"].is_null());  // NaN
    const auto& sobol = chart(charts, "chart-sobol");
    CHECK(sobol["data"]["values"][0]["factor"] == kHostileNameRead);
    CHECK(sobol["spec"]["encoding"]["x"]["sort"][0] == kHostileNameRead);
  }
}
