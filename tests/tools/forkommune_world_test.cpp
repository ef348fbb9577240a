// The Norway world and the programme model on it: data checks, world structure, and run-level
// invariants (budget, instruments, determinism).
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include "models/forkommune/model.hpp"
#include "sim/error.hpp"
#include "tests/support/threads.hpp"
#include "tools/data/world_data.hpp"
#include "tools/embedded.hpp"

using namespace innosim;
using namespace innosim::models::forkommune;

namespace {

std::shared_ptr<const World> norway(const Params& p = {}) {
  return std::make_shared<const World>(build_world(tools::load_world_data(p, "."), p));
}

std::vector<double> run_series(const ProgrammeModel& model, sim::Replicate r) {
  auto proc = model.make_replicate(r);
  sim::SeriesRecorder rec;
  sim::Observer* obs[] = {&rec};
  sim::run_process(*proc, {model.params().run.seed, r, model.steps()}, obs);
  return std::move(rec).take();
}

double total(const ProgrammeModel& model, const std::vector<double>& series, const char* name) {
  const std::size_t i = model.layout().schema.require(name);
  const std::size_t width = model.layout().schema.size();
  double sum = 0;
  for (std::size_t t = 1; t * width < series.size(); ++t) sum += series[t * width + i];
  return sum;
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("the embedded Norway data builds 357 municipalities and 14 county municipalities") {
    const auto w = norway();
    CHECK(w->num_municipalities == 357);
    CHECK(w->num_owners() == 371);  // Oslo is both municipality and county
    CHECK(w->num_counties() == 15);
    CHECK(w->num_institutions() == 61);
    double population = 0;
    for (std::uint32_t m = 0; m < w->num_municipalities; ++m) population += w->owner_population[m];
    CHECK(population == 5627400);
    const std::uint32_t oslo = w->county_owner[static_cast<std::size_t>(
        std::find(w->county_code.begin(), w->county_code.end(), "03") - w->county_code.begin())];
    CHECK(w->owner_name[oslo] == "Oslo");
    CHECK(w->owner_kind[oslo] == OwnerKind::kMunicipality);
    std::map<int, int> centrality;
    for (std::uint32_t m = 0; m < w->num_municipalities; ++m) centrality[w->owner_centrality[m] + 1] += 1;
    CHECK(centrality == std::map<int, int>{{1, 5}, {2, 21}, {3, 54}, {4, 65}, {5, 104}, {6, 108}});
  }

  TEST_CASE("regional councils are compact groups of about seven municipalities inside a county") {
    const auto w = norway();
    std::map<std::uint32_t, std::vector<std::uint32_t>> members;
    for (std::uint32_t m = 0; m < w->num_municipalities; ++m) members[w->owner_region[m]].push_back(m);
    CHECK(members.size() == w->num_regions);
    std::map<std::uint32_t, int> per_county;
    for (std::uint32_t m = 0; m < w->num_municipalities; ++m) per_county[w->owner_county[m]] += 1;
    for (const auto& [r, ms] : members) {
      CAPTURE(r);
      CHECK(ms.size() >= (per_county[w->region_county[r]] == 1 ? 1U : 2U));  // Oslo is a county of one
      CHECK(ms.size() <= 12);
      for (const auto m : ms) CHECK(w->owner_county[m] == w->region_county[r]);
    }
    // Same data, same councils.
    CHECK(norway()->owner_region == w->owner_region);
  }

  TEST_CASE("researchers are not counted twice for units that are part of another institution") {
    const auto w = norway();
    auto index = [&](const char* id) {
      return static_cast<std::size_t>(std::find(w->inst_id.begin(), w->inst_id.end(), id) -
                                      w->inst_id.begin());
    };
    Params p;
    // OsloMet's municipal researchers: its academic FTE / 2.5 x the high-profile share, minus NIBR,
    // NOVA and AFI (whose own figures are the institute default x their profile shares).
    const double oslomet = 1558 / p.researchers.academic_per_research_fte * p.researchers.share_high;
    const double units =
        p.researchers.default_fte_institute * (2 * p.researchers.share_high + p.researchers.share_medium);
    CHECK(w->inst_active_researchers[index("oslomet")] ==
          static_cast<std::uint32_t>(std::llround(oslomet - units)));
    CHECK(w->inst_active_researchers[index("nibr")] ==
          static_cast<std::uint32_t>(
              std::llround(p.researchers.default_fte_institute * p.researchers.share_high)));
  }

  TEST_CASE("every owner hears its neighbours with static weights that add up to one") {
    const auto w = norway();
    const sim::CsrView l = w->listeners.view();
    std::vector<double> heard(w->num_owners(), 0.0);
    for (std::uint32_t j = 0; j < w->num_owners(); ++j) {
      for (auto e = l.begin(j); e < l.end(j); ++e) heard[l.targets[e]] += l.weights[e];
    }
    for (std::uint32_t m = 0; m < w->num_owners(); ++m) CHECK(heard[m] == doctest::Approx(1.0).epsilon(1e-5));
  }

  TEST_CASE("a large synthetic world's rd layer found through the grid equals the brute-force one") {
    // 3000 x 1500 pairs is past the brute-force limit (2^22), so build_world searches a grid.
    Params p;
    p.world.source = "synthetic";
    p.world.synthetic_owners = 3000;
    p.world.synthetic_counties = 120;
    p.world.synthetic_institutions = 1500;
    p.world.rd_min_weight = 0.2;
    const World w = build_world(synthetic_world_data(p), p);
    REQUIRE(static_cast<std::uint64_t>(w.num_owners()) * w.num_institutions() > (std::uint64_t{1} << 22));
    const sim::CsrView rd = w.rd.view();
    std::size_t ties = 0, distant = 0;
    for (std::uint32_t o = 0; o < w.num_owners(); ++o) {
      std::vector<std::pair<sim::AgentId, float>> expected;
      for (std::uint32_t i = 0; i < w.num_institutions(); ++i) {
        const bool same = w.owner_county[o] == w.inst_county[i];
        const double weight = w.inst_relevance[i] * (same ? 1.0 : w.nearness_of(o, i));
        if (weight >= p.world.rd_min_weight) {
          expected.emplace_back(w.institution_agent(i), static_cast<float>(weight));
          distant += same ? 0 : 1;
        }
      }
      const sim::AgentId a = w.owner_agent(o);
      REQUIRE(static_cast<std::size_t>(rd.end(a) - rd.begin(a)) == expected.size());
      for (std::size_t k = 0; k < expected.size(); ++k) {
        CHECK(rd.targets[rd.begin(a) + static_cast<sim::EdgeIndex>(k)] == expected[k].first);
        CHECK(rd.weight(rd.begin(a) + static_cast<sim::EdgeIndex>(k)) == expected[k].second);
      }
      ties += expected.size();
    }
    // The check means something only if there are ties beyond the owners' own counties.
    CHECK(distant > 0);
    CHECK(ties > distant);
  }

  TEST_CASE("malformed world data is reported with file line and column") {
    const auto mun = tools::embedded_file("scenarios/data/norway/municipalities.csv").value();
    const auto cou = tools::embedded_file("scenarios/data/norway/counties.csv").value();
    const auto ins = tools::embedded_file("scenarios/data/norway/rd_institutions.csv").value();
    std::string bad(mun);
    bad.replace(bad.find("728714"), 6, "-7");
    CHECK_THROWS_WITH_AS(tools::parse_world_data(bad, "m.csv", cou, "c.csv", ins, "i.csv"),
                         "m.csv:2:19: population = -7 is out of range; expected a number in [1, 1000000000]",
                         sim::DataError);
    std::string bad_county(mun);
    bad_county.replace(bad_county.find("0301,Oslo,03"), 12, "0301,Oslo,99");
    CHECK_THROWS_WITH_AS(tools::parse_world_data(bad_county, "m.csv", cou, "c.csv", ins, "i.csv"),
                         doctest::Contains("m.csv:2:11: county_number 99 is not in c.csv"), sim::DataError);
    std::string bad_type(ins);
    bad_type.replace(bad_type.find(",university,0301"), 16, ",universe,0301");
    CHECK_THROWS_WITH_AS(
        tools::parse_world_data(mun, "m.csv", cou, "c.csv", bad_type, "i.csv"),
        doctest::Contains(
            "i.csv:2:32: type = 'universe' is not one of: university, university_college, institute"),
        sim::DataError);
  }

  TEST_CASE("the no-programme world has no programme innovations spending or awards") {
    Params p;
    p.programme.enabled = false;
    p.run.years = 5;
    const ProgrammeModel model(norway(p), p);
    const auto series = run_series(model, 0);
    CHECK(total(model, series, "innovations_own") > 0);
    CHECK(total(model, series, "innovations_programme") == 0);
    CHECK(total(model, series, "money_committed_mnok") == 0);
    CHECK(total(model, series, "awards_innovation_project") == 0);
    CHECK(total(model, series, "arena_participants") == 0);
  }

  TEST_CASE("yearly commitments never exceed the budget and each instrument keeps to its share") {
    Params p;
    p.run.years = 6;
    const ProgrammeModel model(norway(p), p);
    auto proc = model.make_replicate(3);
    sim::SeriesRecorder rec;
    sim::Observer* obs[] = {&rec};
    sim::run_process(*proc, {p.run.seed, 3, model.steps()}, obs);
    const auto& s = proc->state();
    // Yearly vectors count the warm-up's years first; the programme has no money in them.
    const auto warmup = static_cast<std::size_t>(p.run.warmup_years);
    REQUIRE(s.money.size() == warmup + 6);
    std::vector<std::array<double, 3>> awarded(warmup + 6);
    for (const auto& pr : s.projects) {
      REQUIRE(pr.call_year > warmup);
      awarded[pr.call_year - 1][static_cast<std::size_t>(pr.instrument)] += pr.grant;
    }
    auto total_available = [&](std::size_t y) {
      double a = 0;
      for (int k = 0; k < detail::kNumPots; ++k) a += s.money[y].available[k];
      return a;
    };
    for (std::size_t y = 0; y < warmup; ++y) {
      CHECK(!s.money[y].open);
      CHECK(total_available(y) == 0);
    }
    for (std::size_t y = warmup; y < warmup + 6; ++y) {
      CAPTURE(y);
      for (int k = 0; k < detail::kNumInstruments; ++k) {
        CHECK(awarded[y][static_cast<std::size_t>(k)] == doctest::Approx(s.money[y].committed[k]));
        CHECK(s.money[y].committed[k] <= s.money[y].available[k] + 1e-9);
      }
      CHECK(s.money[y].committed[detail::kPotArenas] <= s.money[y].available[detail::kPotArenas] + 1e-9);
    }
    // The budget with its ramp-up, before anything is carried over.
    CHECK(s.money[warmup].budget == doctest::Approx(60 * 0.4));
    CHECK(s.money[warmup + 1].budget == doctest::Approx(60 * 0.7));
    CHECK(s.money[warmup + 5].budget == doctest::Approx(60));
    CHECK(total_available(warmup) == doctest::Approx(60 * 0.4));
  }

  TEST_CASE("every funded innovation project has an owner and a research group within the grant limits") {
    Params p;
    p.run.years = 8;
    const ProgrammeModel model(norway(p), p);
    auto proc = model.make_replicate(1);
    proc->start();
    for (sim::Step t = 1; t <= model.steps(); ++t) proc->advance(t);
    int innovation_projects = 0;
    for (const auto& pr : proc->state().projects) {
      if (pr.instrument != detail::Instrument::kInnovationProject) continue;
      ++innovation_projects;
      CHECK(!pr.owners.empty());
      CHECK(!pr.institutions.empty());
      CHECK(!pr.researchers.empty());
      CHECK(pr.grant >= p.programme.ip_grant_min_mnok);
      CHECK(pr.grant <= p.programme.ip_grant_max_mnok);
      CHECK(pr.end - pr.start == p.programme.ip_duration_months);
      CHECK(static_cast<std::int64_t>(pr.owners.size()) >= p.programme.ip_min_municipalities);
      std::set<std::uint32_t> unique(pr.owners.begin(), pr.owners.end());
      CHECK(unique.size() == pr.owners.size());
    }
    CHECK(innovation_projects > 5);
  }
}

TEST_SUITE("parallel") {
  TEST_CASE("a programme replicate is bitwise identical on 1 and 2 threads and on repetition") {
    Params p;
    p.run.years = 4;
    const ProgrammeModel model(norway(p), p);
    const auto one = innosim::test::with_threads(1, [&] { return run_series(model, 7); });
    const auto two = innosim::test::with_threads(2, [&] { return run_series(model, 7); });
    const auto again = innosim::test::with_threads(8, [&] { return run_series(model, 7); });
    REQUIRE(one.size() == two.size());
    CHECK(std::memcmp(one.data(), two.data(), one.size() * sizeof(double)) == 0);
    CHECK(std::memcmp(one.data(), again.data(), one.size() * sizeof(double)) == 0);
  }
}
