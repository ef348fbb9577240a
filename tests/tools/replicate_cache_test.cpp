// The explorer keeps replicates between comparisons (tools/cli/comparison_job.hpp): a comparison
// that takes a scenario's replicates from the cache must give bitwise what running them gives,
// a changed parameter must never hit another scenario's replicates, and the cache must stay
// within its bytes, dropping the least recently used first.
#include <doctest/doctest.h>

#include <vector>

#include "tools/cli/comparison_job.hpp"
#include "tools/scenario/programme_scenario.hpp"

using namespace innosim;
using innosim::tools::ComparisonJob;
using innosim::tools::ComparisonRequest;
using innosim::tools::ReplicateCache;

namespace {

// Every replicate's results, scenario by scenario (series and fired rules).
std::vector<std::vector<models::forkommune::ProgrammeResult>> run(ComparisonRequest request) {
  const ComparisonJob job(std::move(request));
  std::vector<std::vector<models::forkommune::ProgrammeResult>> out(job.scenarios().size());
  job.run(
      false,
      [&](ComparisonJob::Replicate&& b) {
        for (std::size_t k = 0; k < b.results.size(); ++k) out[k].push_back(std::move(b.results[k]));
      },
      nullptr);
  return out;
}

ComparisonRequest request(std::vector<tools::ProgrammeScenario> scenarios, ReplicateCache* cache) {
  ComparisonRequest r;
  r.scenarios = std::move(scenarios);
  r.replicates = 3;
  r.years = 2;
  r.threads = 2;
  r.cache = cache;
  return r;
}

}  // namespace

TEST_CASE("replicate cache: kept replicates are bitwise those a comparison runs") {
  const auto baseline = tools::load_programme_scenario("baseline");
  const auto none = tools::load_programme_scenario("no-programme");
  auto changed = baseline;
  changed.name = "changed";
  changed.params.programme.budget_mnok_per_year *= 1.5;

  const auto fresh = run(request({baseline, none}, nullptr));
  ReplicateCache cache(std::size_t{64} << 20);
  const auto first = run(request({baseline, none}, &cache));
  CHECK(cache.hits() == 0);
  // Baseline and no-programme come from the cache; the changed baseline is run.
  const auto second = run(request({changed, baseline, none}, &cache));
  CHECK(cache.hits() == 6);
  for (std::size_t r = 0; r < 3; ++r) {
    CAPTURE(r);
    CHECK(first[0][r].series == fresh[0][r].series);
    CHECK(first[1][r].series == fresh[1][r].series);
    CHECK(second[1][r].series == fresh[0][r].series);
    CHECK(second[2][r].series == fresh[1][r].series);
    CHECK(second[1][r].replicate == r);
  }
  // A changed parameter is a different scenario: not taken from baseline's replicates.
  CHECK(second[0][0].series != fresh[0][0].series);
  const auto again = run(request({changed}, &cache));
  CHECK(cache.hits() == 9);
  CHECK(again[0][2].series == second[0][2].series);
  // Nor is a changed scenario under baseline's name.
  auto renamed = changed;
  renamed.name = "baseline";
  const auto third = run(request({renamed}, &cache));
  CHECK(cache.hits() == 9);
  CHECK(third[0][0].series == second[0][0].series);
  CHECK(third[0][0].series != fresh[0][0].series);
}

TEST_CASE("replicate cache: stays within its bytes and drops the least recently used") {
  models::forkommune::ProgrammeResult result;
  result.series.assign(1000, 1.0);  // about 8 kB
  ReplicateCache cache(20000);      // room for two
  cache.store("a", 0, result);
  cache.store("b", 0, result);
  CHECK(cache.bytes() <= 20000);
  CHECK(cache.find("a", 0).has_value());  // a is now the most recently used
  cache.store("c", 0, result);            // drops b
  CHECK(cache.bytes() <= 20000);
  CHECK(cache.find("a", 0).has_value());
  CHECK_FALSE(cache.find("b", 0).has_value());
  CHECK(cache.find("c", 0).has_value());
  CHECK_FALSE(cache.find("a", 1).has_value());
  // Something larger than the whole cache is not kept.
  result.series.assign(10000, 1.0);
  cache.store("d", 0, result);
  CHECK_FALSE(cache.find("d", 0).has_value());
  CHECK(cache.find("c", 0).has_value());
}
