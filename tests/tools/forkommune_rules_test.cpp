// The programme's mechanisms (DOMAIN.md §5.9, docs/model.md §7), each checked so that a wrong
// mechanism fails: a call worked by hand, money that is conserved in every year of every built-in
// scenario, applications that follow the money announced, brokers who raise their consortia's
// review scores, documented failures that teach, and a national programme whose enrolment
// matters.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "models/forkommune/detail/state.hpp"
#include "models/forkommune/model.hpp"
#include "sim/stats.hpp"
#include "tools/data/world_data.hpp"
#include "tools/scenario/programme_scenario.hpp"

using namespace innosim;
using namespace innosim::models::forkommune;

namespace {

std::shared_ptr<const World> world_of(const Params& p) {
  return std::make_shared<const World>(build_world(tools::load_world_data(p, "."), p));
}

std::unique_ptr<ProgrammeProcess> run(const ProgrammeModel& model, sim::Replicate r,
                                      sim::SeriesRecorder* rec = nullptr) {
  auto process = model.make_replicate(r);
  sim::SeriesRecorder local;
  sim::Observer* obs[] = {rec != nullptr ? rec : &local};
  sim::run_process(*process, {model.params().run.seed, r, model.steps()}, obs);
  return process;
}

double total(const ProgrammeModel& model, const sim::SeriesRecorder& rec, const std::string& name) {
  const std::size_t i = model.layout().schema.require(name);
  double s = 0;
  for (sim::Step t = 1; t <= model.steps(); ++t) s += rec.at(t, i);
  return s;
}

detail::Project application(detail::Instrument instrument, double score, double grant, std::size_t owners) {
  detail::Project p;
  p.instrument = instrument;
  p.score = score;
  p.grant = grant;
  p.owners.assign(owners, 0);
  return p;
}

const char* const kBuiltIn[] = {
    "baseline",    "no-programme",      "double-budget",     "half-budget",     "no-arenas",
    "arenas-only", "broker-boost",      "pre-project-heavy", "large-consortia", "small-municipality-quota",
    "adaptive",    "welfare-technology"};

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("a call worked by hand funds in score order within the money and the rules") {
    using I = detail::Instrument;
    Params::Programme p;
    p.review_min_score = 1.0;
    p.ip_min_municipalities = 2;
    std::vector<detail::Project> apps = {
        application(I::kInnovationProject, 2.0, 6, 2),   // 0: best, funded (16 -> 10 left)
        application(I::kInnovationProject, 1.8, 7, 3),   // 1: funded (10 -> 3)
        application(I::kInnovationProject, 1.5, 4, 2),   // 2: does not fit in 3
        application(I::kInnovationProject, 1.9, 5, 1),   // 3: too few owners
        application(I::kInnovationProject, 0.9, 3, 2),   // 4: below the bar
        application(I::kInnovationProject, 1.2, 3, 2),   // 5: fits the last 3
        application(I::kPreProject, 1.1, 0.3, 1),        // 6: second pre-project, no money left
        application(I::kPreProject, 1.3, 0.3, 1),        // 7: funded
        application(I::kCompetenceProject, 1.5, 10, 1),  // 8: its share (7.5) buys no grant
    };
    const double money[detail::kNumInstruments] = {0.5, 16, 7.5};
    CHECK(detail::fund_applications(p, apps, money) == std::vector<std::uint8_t>{1, 1, 0, 0, 0, 1, 0, 1, 0});
    // A quota of half the innovation-project money for small municipalities' consortia: 8 MNOK
    // funds the small-led 2 (4) and 5 (3) first; the 1 MNOK they leave returns to the pool, whose
    // 9 MNOK then fund 0 (6) and not 1 (7).
    apps[2].small_led = true;
    apps[5].small_led = true;
    p.quota_small_municipalities = 0.5;
    CHECK(detail::fund_applications(p, apps, money) == std::vector<std::uint8_t>{1, 0, 1, 0, 0, 1, 0, 1, 0});
    // Without the bar, 4 (now 1.2, as 5) is fundable; equal scores keep the order of application,
    // so 4 takes the last 3 MNOK before 5.
    p.review_min_score = 0;
    p.quota_small_municipalities = 0;
    apps[4].score = 1.2;
    const double tight[detail::kNumInstruments] = {0, 16, 0};
    CHECK(detail::fund_applications(p, apps, tight) == std::vector<std::uint8_t>{1, 1, 0, 0, 1, 0, 0, 0, 0});
  }

  TEST_CASE("the programme pays at most its share of an innovation project's cost and the owners the rest") {
    Params p;
    p.run.years = 6;
    const ProgrammeModel model(world_of(p), p);
    sim::SeriesRecorder rec;
    const auto process = run(model, 0, &rec);
    double cofunding = 0;
    int projects = 0;
    for (const auto& pr : process->state().projects) {
      if (pr.instrument != detail::Instrument::kInnovationProject) continue;
      ++projects;
      CHECK(pr.grant <= p.programme.ip_max_funding_share * pr.cost + 1e-12);
      cofunding += pr.cost - pr.grant;
    }
    CHECK(projects > 5);
    CHECK(total(model, rec, "cofunding_mnok") == doctest::Approx(cofunding));
  }

  TEST_CASE("a share too small for one grant or the brokers asked for is named before the run") {
    Params p;
    const World w = build_world(tools::load_world_data(p, "."), p);
    // The planned programme: the first ramp-up year's competence share (6 MNOK) is short, and
    // the arena share (6 MNOK) is 0.1 more than the arenas and 29 brokers cost (Oslo, one
    // municipality, can use one broker, not two).
    const auto planned = money_warnings(w, p);
    REQUIRE(planned.size() == 2);
    CHECK(planned[0].en.find("competence-project grant (10 MNOK) in programme year 1:") != std::string::npos);
    CHECK(planned[1].en.find("0.1 MNOK a year is left") != std::string::npos);
    // The same in bokmål, with the same numbers.
    CHECK(planned[0].nb.find("kompetanseprosjekttildeling (10 mill. kr) i programår 1:") !=
          std::string::npos);
    CHECK(planned[1].nb.find("0,1 mill. kr i året blir til overs") != std::string::npos);
    p.programme.ramp_up = {1.0};
    p.arenas.broker_cost_mnok_per_year = 3.0 / 29;  // now the arena share is used up
    CHECK(money_warnings(w, p).empty());
    p.arenas.broker_cost_mnok_per_year = 0.1;
    p.programme.budget_mnok_per_year = 30;  // competence share 7.5 < 10; arenas 3 buy no broker
    auto warnings = money_warnings(w, p);
    REQUIRE(warnings.size() == 2);
    CHECK(warnings[0].en.find("programme.share_competence_project") != std::string::npos);
    CHECK(warnings[0].en.find("carried over") != std::string::npos);
    CHECK(warnings[1].en.find("buys 0 of the 29 competence brokers") != std::string::npos);
    CHECK(warnings[1].nb.find("gir 0 av de 29 kompetansemeglerne") != std::string::npos);
    p.programme.carry_over = false;
    CHECK(money_warnings(w, p)[0].en.find("lapses") != std::string::npos);
    CHECK(money_warnings(w, p)[0].nb.find("faller bort") != std::string::npos);
  }

  TEST_CASE("an application's spread potential includes its documentation plan") {
    Params p;
    p.run.years = 4;
    const ProgrammeModel model(world_of(p), p);
    const auto process = run(model, 1);
    const auto& pr = p.programme;
    int with_plan = 0;
    for (const auto& a : process->state().applications) {
      if (a.instrument == detail::Instrument::kCompetenceProject) continue;
      with_plan += a.documentation_plan ? 1 : 0;
      // What is left after the plan's weight is a sum of the partners' and the variety's terms.
      const double rest = a.spread - (a.documentation_plan ? pr.spread_weight_documentation : 0.0);
      bool found = false;
      for (int partners = 0; partners <= 4; ++partners) {
        for (int variety = 0; variety <= 2; ++variety) {
          found |= std::abs(rest - (pr.spread_weight_partners * partners / 4.0 +
                                    pr.spread_weight_variety * variety / 2.0)) < 1e-9;
        }
      }
      CHECK(found);
    }
    CHECK(with_plan > 10);
  }

  TEST_CASE(
      "a failed innovation project that documented its lessons teaches its owners and their listeners") {
    Params p;
    p.run.years = 10;
    p.programme.ip_success_probability = 0.2;  // many failures
    const ProgrammeModel model(world_of(p), p);
    const auto process = run(model, 0);
    const auto& s = process->state();
    const auto& w = model.world();
    int taught = 0;
    for (const auto& pr : s.projects) {
      if (pr.instrument != detail::Instrument::kInnovationProject || !pr.finished || pr.succeeded ||
          !pr.documentation_plan)
        continue;
      ++taught;
      const auto until = pr.end + static_cast<std::uint32_t>(p.learning.failure_lesson_months);
      const sim::CsrView v = w.listeners.view();
      for (const std::uint32_t o : pr.owners) {
        CHECK(s.lesson_until[std::size_t{o} * kNumDomains + pr.domain] >= until);
        for (sim::EdgeIndex e = v.begin(o); e < v.end(o); ++e)
          CHECK(s.lesson_until[std::size_t{v.targets[e]} * kNumDomains + pr.domain] >= until);
      }
    }
    CHECK(taught > 3);
    // Without documentation plans no failure teaches anybody.
    Params undocumented = p;
    undocumented.programme.documentation_plan_probability = 0;
    const ProgrammeModel silent(world_of(undocumented), undocumented);
    sim::SeriesRecorder rec;
    const auto quiet = run(silent, 0, &rec);
    CHECK(total(silent, rec, "failure_lessons") == 0);
    for (const std::uint32_t until : quiet->state().lesson_until) CHECK(until == 0);
  }
}

TEST_SUITE("statistical") {
  TEST_CASE("money is conserved in every year of every built-in scenario") {
    // Each pot's money is committed, carried into the next programme year or lapses; the money a
    // year opens with is its budget plus what was carried in; grants are paid in full over their
    // months, so paid + still owed = committed.
    for (const char* name : kBuiltIn) {
      CAPTURE(name);
      const tools::ProgrammeScenario scenario = tools::load_programme_scenario(std::string(name));
      const ProgrammeModel model(world_of(scenario.params), scenario.params);
      sim::SeriesRecorder rec;
      const auto process = run(model, 3, &rec);
      const auto& s = process->state();
      double carried_in = 0, budget = 0, committed = 0, lapsed = 0;
      for (std::size_t y = 0; y < s.money.size(); ++y) {
        CAPTURE(y);
        const detail::YearMoney& m = s.money[y];
        double available = 0, carried_out = 0;
        for (int k = 0; k < detail::kNumPots; ++k) {
          CHECK(m.committed[k] <= m.available[k] + 1e-9);
          CHECK(m.available[k] == doctest::Approx(m.committed[k] + m.carried_over[k] + m.lapsed[k]));
          available += m.available[k];
          carried_out += m.carried_over[k];
          committed += m.committed[k];
          lapsed += m.lapsed[k];
        }
        if (m.open) CHECK(available == doctest::Approx(m.budget + carried_in));
        carried_in = carried_out;
        budget += m.budget;
      }
      CHECK(budget == doctest::Approx(committed + lapsed + carried_in));
      CHECK(total(model, rec, "money_committed_mnok") == doctest::Approx(committed));
      CHECK(total(model, rec, "money_lapsed_mnok") == doctest::Approx(lapsed));
      const double owed = rec.at(model.steps(), model.layout().schema.require("money_outstanding_mnok"));
      CHECK(total(model, rec, "money_spent_mnok") + owed == doctest::Approx(committed));
    }
  }

  TEST_CASE("more money announced brings more applications") {
    // The same replicates (common random numbers) at 30, 60 and 120 MNOK a year: innovation-project
    // applications over eight years rise with the budget, each step by more than three standard
    // errors of the paired difference.
    Params p;
    p.run.years = 8;
    const auto world = world_of(p);
    const double budgets[] = {30, 60, 120};
    std::vector<std::vector<double>> applications(3);
    for (std::size_t b = 0; b < 3; ++b) {
      Params q = p;
      q.programme.budget_mnok_per_year = budgets[b];
      const ProgrammeModel model(world, q);
      for (sim::Replicate r = 0; r < 24; ++r) {
        sim::SeriesRecorder rec;
        run(model, r, &rec);
        applications[b].push_back(total(model, rec, "applications_innovation_project"));
      }
    }
    for (std::size_t b = 0; b + 1 < 3; ++b) {
      sim::RunningStats diff;
      for (std::size_t r = 0; r < applications[b].size(); ++r)
        diff.add(applications[b + 1][r] - applications[b][r]);
      CAPTURE(budgets[b]);
      CAPTURE(diff.mean());
      CAPTURE(diff.sem());
      CHECK(diff.mean() > 3 * diff.sem());
    }
  }

  TEST_CASE("applicants respond to the money a call announces and not only to past success") {
    // Two programmes identical in year 1 (the same money, so the same first call in every
    // replicate); in year 2 one announces twice the money. Its second call gets more
    // innovation-project applications, replicate by replicate: nothing but the announcement
    // differs before that call.
    Params p;
    p.run.years = 2;
    p.programme.ramp_up = {1.0, 1.0};
    Params more = p;
    more.programme.ramp_up = {1.0, 2.0};
    const auto world = world_of(p);
    const ProgrammeModel same(world, p), doubled(world, more);
    const std::size_t apps = same.layout().schema.require("applications_innovation_project");
    const auto call = static_cast<sim::Step>(p.programme.call_month);
    sim::RunningStats first, second;
    for (sim::Replicate r = 0; r < 24; ++r) {
      sim::SeriesRecorder a, b;
      run(same, r, &a);
      run(doubled, r, &b);
      first.add(b.at(call, apps) - a.at(call, apps));
      second.add(b.at(call + 12, apps) - a.at(call + 12, apps));
    }
    CHECK(first.mean() == 0);
    CHECK(first.max() == 0);
    CAPTURE(second.mean());
    CAPTURE(second.sem());
    CHECK(second.mean() > 3 * second.sem());
  }

  TEST_CASE("a broker's match raises the review score of the consortium it shapes") {
    // The same replicates with brokers who shape consortia and with brokers who only mobilise:
    // the applications led by matched owners score higher (by more than three standard errors of
    // the difference of means); the others do not move much.
    Params p;
    p.run.years = 8;
    const auto world = world_of(p);
    sim::RunningStats matched[2], other[2];
    for (int shaping = 0; shaping < 2; ++shaping) {
      Params q = p;
      q.arenas.broker_shapes_consortia = shaping == 1;
      const ProgrammeModel model(world, q);
      for (sim::Replicate r = 0; r < 16; ++r) {
        const auto process = run(model, r);
        for (const auto& a : process->state().applications) {
          if (a.instrument != detail::Instrument::kInnovationProject) continue;
          (a.matched ? matched : other)[shaping].add(a.score);
        }
      }
    }
    const double lift = matched[1].mean() - matched[0].mean();
    const double se = std::sqrt(matched[1].sem() * matched[1].sem() + matched[0].sem() * matched[0].sem());
    CAPTURE(lift);
    CAPTURE(se);
    CHECK(matched[1].count() > 100);
    CHECK(lift > 3 * se);
    CHECK(lift > 0.05);
    const double other_shift = std::abs(other[1].mean() - other[0].mean());
    CHECK(other_shift < lift / 2);
  }

  TEST_CASE("a national programme with enrolment switched off reaches fewer municipalities") {
    // The welfare-technology scenario with and without its enrolment waves (only the development
    // municipalities are enrolled), the same replicates: the share of municipalities that have
    // it in late 2021 is lower without enrolment, by more than three standard errors.
    const tools::ProgrammeScenario scenario =
        tools::load_programme_scenario(std::string("welfare-technology"));
    Params with = scenario.params;
    Params without = with;
    without.national_programmes[0].waves.clear();
    const auto world = world_of(with);
    const ProgrammeModel a(world, with), b(world, without);
    const auto month = static_cast<sim::Step>((2021 - with.run.start_year) * 12 + 11);
    const std::size_t share = a.layout().schema.require("national.welfare-technology.share");
    const std::size_t enrolled = a.layout().schema.require("national.welfare-technology.enrolled");
    sim::RunningStats diff;
    for (sim::Replicate r = 0; r < 16; ++r) {
      sim::SeriesRecorder ra, rb;
      run(a, r, &ra);
      run(b, r, &rb);
      diff.add(ra.at(month, share) - rb.at(month, share));
      // Development municipalities, then the waves' 200 + 50 + 44.
      CHECK(ra.at(a.steps(), enrolled) == 34 + 200 + 50 + 44);
      CHECK(rb.at(b.steps(), enrolled) == 34);
    }
    CAPTURE(diff.mean());
    CAPTURE(diff.sem());
    CHECK(diff.mean() > 3 * diff.sem());
    CHECK(diff.mean() > 0.05);
  }

  TEST_CASE("a mandate year makes nearly every municipality adopt the national programme's innovation") {
    const tools::ProgrammeScenario scenario =
        tools::load_programme_scenario(std::string("welfare-technology"));
    Params p = scenario.params;
    p.national_programmes[0].mandate_year = 2022;
    const ProgrammeModel model(world_of(p), p);
    const std::size_t share = model.layout().schema.require("national.welfare-technology.share");
    const auto before = static_cast<sim::Step>((2021 - p.run.start_year) * 12 + 12);
    for (sim::Replicate r = 0; r < 4; ++r) {
      sim::SeriesRecorder rec;
      run(model, r, &rec);
      CAPTURE(r);
      CHECK(rec.at(before, share) < 0.9);
      CHECK(rec.at(model.steps(), share) > 0.97);
    }
  }
}
