// The programme model's rules, checked on runs of the Norway world: instruments, quotas, arenas
// switched on and off, adaptive rules firing exactly when their condition holds, and the built-in
// scenarios.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "models/forkommune/model.hpp"
#include "sim/stats.hpp"
#include "tools/data/world_data.hpp"
#include "tools/scenario/programme_scenario.hpp"

using namespace innosim;
using namespace innosim::models::forkommune;

namespace {

std::shared_ptr<const World> norway(const Params& p) {
  return std::make_shared<const World>(build_world(tools::load_world_data(p, "."), p));
}

struct Run {
  std::unique_ptr<ProgrammeProcess> process;
  sim::SeriesRecorder recorder;
};

// Runs one replicate to the end and keeps the process (its final state) and the series.
Run run(const ProgrammeModel& model, sim::Replicate r) {
  Run out;
  out.process = model.make_replicate(r);
  sim::Observer* obs[] = {&out.recorder};
  sim::run_process(*out.process, {model.params().run.seed, r, model.steps()}, obs);
  return out;
}

double sum_of(const ProgrammeModel& model, const Run& r, const std::string& name) {
  const std::size_t i = model.layout().schema.require(name);
  double s = 0;
  for (sim::Step t = 1; t <= model.steps(); ++t) s += r.recorder.at(t, i);
  return s;
}

double at(const ProgrammeModel& model, const Run& r, sim::Step t, const std::string& name) {
  return r.recorder.at(t, model.layout().schema.require(name));
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("pre-projects and competence projects follow their instrument rules") {
    Params p;
    p.run.years = 8;
    p.programme.cp_require_international = true;
    const ProgrammeModel model(norway(p), p);
    const Run r = run(model, 2);
    const auto& s = r.process->state();
    int pre = 0, competence = 0;
    for (const auto& pr : s.projects) {
      if (pr.instrument == detail::Instrument::kPreProject) {
        ++pre;
        CHECK(pr.grant == doctest::Approx(p.programme.pre_grant_mnok));
        CHECK(pr.end - pr.start == p.programme.pre_duration_months);
        CHECK(pr.lead_owner >= 0);
        CHECK(pr.owners.front() == static_cast<std::uint32_t>(pr.lead_owner));
      } else if (pr.instrument == detail::Instrument::kCompetenceProject) {
        ++competence;
        CHECK(pr.grant == doctest::Approx(p.programme.cp_grant_mnok));
        CHECK(pr.end - pr.start == p.programme.cp_duration_months);
        REQUIRE(pr.lead_institution >= 0);
        CHECK(pr.lead_owner < 0);
        CHECK(!pr.owners.empty());  // at least one owner partner
        CHECK(!pr.researchers.empty());
        // Required here, as the planned programme does (baseline.yaml): every one has a partner.
        CHECK(pr.international_partner);
        CHECK(s.relevance[static_cast<std::size_t>(pr.lead_institution)] >= p.programme.cp_min_relevance);
      }
    }
    CHECK(pre > 10);
    CHECK(competence > 2);
    // A successful pre-project makes its owners ready for an innovation project for a while.
    int ready_checked = 0;
    for (const auto& pr : s.projects) {
      if (pr.instrument != detail::Instrument::kPreProject || !pr.finished || !pr.succeeded) continue;
      for (const std::uint32_t o : pr.owners) {
        CHECK(s.ready_until[o] >= pr.end + p.programme.pre_readiness_months);
        ++ready_checked;
      }
    }
    CHECK(ready_checked > 0);
  }

  TEST_CASE("innovation projects below the minimum number of owners are not funded") {
    Params p;
    p.run.years = 6;
    p.programme.ip_min_municipalities = 3;
    const ProgrammeModel model(norway(p), p);
    const Run r = run(model, 4);
    int funded = 0;
    for (const auto& pr : r.process->state().projects) {
      if (pr.instrument != detail::Instrument::kInnovationProject) continue;
      ++funded;
      CHECK(pr.owners.size() >= 3);
    }
    CHECK(funded > 0);
  }

  TEST_CASE("the small-municipality quota reserves its share unless every small-led application is funded") {
    // The quota's pool funds small-led applications in score order while the grant fits; so if a
    // small-led application is left unfunded, less than one maximal grant of the pool was left.
    Params p;
    p.run.years = 8;
    p.programme.quota_small_municipalities = 0.3;
    const ProgrammeModel model(norway(p), p);
    const auto warmup = static_cast<std::size_t>(p.run.warmup_years);
    Params no_quota = p;
    no_quota.programme.quota_small_municipalities = 0;
    const ProgrammeModel without(norway(no_quota), no_quota);
    int binding = 0;
    double small_led_with = 0, small_led_without = 0;
    for (sim::Replicate rep = 0; rep < 3; ++rep) {
      const Run r = run(model, rep);
      small_led_with += r.process->state().total.ip_small_led;
      small_led_without += run(without, rep).process->state().total.ip_small_led;
      const auto& s = r.process->state();
      for (std::size_t y = warmup; y < warmup + 8; ++y) {
        CAPTURE(rep);
        CAPTURE(y);
        double small_grants = 0, small_funded = 0;
        for (const auto& pr : s.projects) {
          if (pr.instrument == detail::Instrument::kInnovationProject && pr.call_year == y + 1 &&
              pr.small_led) {
            small_grants += pr.grant;
            small_funded += 1;
          }
        }
        const auto call_tick =
            static_cast<sim::Step>((y - warmup) * 12 + static_cast<std::size_t>(p.programme.call_month));
        const double small_applications =
            at(model, r, call_tick, "applications_innovation_project.size_lt5k");
        const double budget_ip = s.money[y].available[detail::kPotInnovationProject];
        if (small_funded < small_applications) {
          ++binding;
          CHECK(small_grants >= budget_ip * 0.3 - p.programme.ip_grant_max_mnok - 1e-9);
        }
      }
    }
    CHECK(binding > 0);  // the check above ran
    CHECK(small_led_with > small_led_without);
  }

  TEST_CASE("with the arenas off nobody meets and no broker matches or arena ties exist") {
    Params p;
    p.run.years = 4;
    p.arenas.conference = false;
    p.arenas.regional = false;
    p.arenas.network = false;
    const ProgrammeModel model(norway(p), p);
    const Run r = run(model, 1);
    CHECK(sum_of(model, r, "arena_participants") == 0);
    CHECK(sum_of(model, r, "broker_matches") == 0);
    const auto& s = r.process->state();
    CHECK(s.arena.view().num_arcs() == 0);
    CHECK(s.rd_extra.view().num_arcs() == 0);
    CHECK(s.network.view().num_arcs() == 0);
    double arena_money = 0;
    for (const auto& m : s.money) arena_money += m.committed[detail::kPotArenas];
    CHECK(arena_money == 0);
  }

  TEST_CASE("with the arenas on they meet every year and brokers make matches and ties") {
    Params p;
    p.run.years = 4;
    const ProgrammeModel model(norway(p), p);
    const Run r = run(model, 1);
    const auto& s = r.process->state();
    for (sim::Step y = 1; y <= 4; ++y) {
      CAPTURE(y);
      double participants = 0, matches = 0;
      for (sim::Step t = 12 * (y - 1) + 1; t <= 12 * y; ++t) {
        participants += at(model, r, t, "arena_participants");
        matches += at(model, r, t, "broker_matches");
      }
      CHECK(participants > 0);
      CHECK(matches > 0);
    }
    CHECK(s.rd_extra.view().num_arcs() > 0);
    CHECK(s.network.view().num_arcs() > 0);
    const auto warmup = static_cast<std::size_t>(p.run.warmup_years);
    for (std::size_t y = warmup; y < warmup + 4; ++y) {
      CHECK(s.money[y].committed[detail::kPotArenas] > 0);
      CHECK(s.money[y].committed[detail::kPotArenas] <= s.money[y].available[detail::kPotArenas] + 1e-9);
    }
  }

  TEST_CASE("an adaptive rule fires at the first year end from its start year where its condition holds") {
    Params p;
    p.run.years = 10;
    Rule rule;
    rule.name = "quota when the success rate is high";
    rule.from_year = 4;
    rule.indicator = "ip_success_rate";
    rule.below = false;
    rule.threshold = 0.33;
    rule.key = "programme.quota_small_municipalities";
    rule.value = 0.25;
    p.rules = {rule};
    Rule never = rule;
    never.name = "never";
    never.indicator = "small_lead_share";
    never.below = true;
    never.threshold = -1;
    never.key = "programme.quota_newcomers";
    p.rules.push_back(never);
    const ProgrammeModel model(norway(p), p);
    int fired_runs = 0, quiet_runs = 0;
    for (sim::Replicate rep = 0; rep < 8; ++rep) {
      const Run r = run(model, rep);
      const auto& s = r.process->state();
      int expected = 0;
      for (int y = rule.from_year; y <= 10; ++y) {
        if (at(model, r, static_cast<sim::Step>(12 * y), "ip_success_rate") > rule.threshold) {
          expected = y;
          break;
        }
      }
      CAPTURE(rep);
      CAPTURE(expected);
      if (expected == 0) {
        ++quiet_runs;
        CHECK(s.fired_rules.empty());
        CHECK(s.params.programme.quota_small_municipalities == 0);
      } else {
        ++fired_runs;
        REQUIRE(s.fired_rules.size() == 1);
        CHECK(s.fired_rules[0].starts_with("year " + std::to_string(expected) + ": " + rule.name));
        CHECK(s.params.programme.quota_small_municipalities == 0.25);
      }
      CHECK(s.params.programme.quota_newcomers == 0);
      CHECK(s.rule_fired[1] == 0);
    }
    // The threshold sits near the calibrated success rate, so both outcomes occur.
    CHECK(fired_runs > 0);
    CHECK(quiet_runs > 0);
  }

  TEST_CASE("every built-in scenario loads and validates and opens with a description") {
    for (const char* name :
         {"baseline", "no-programme", "double-budget", "half-budget", "no-arenas", "arenas-only",
          "broker-boost", "pre-project-heavy", "large-consortia", "small-municipality-quota", "adaptive"}) {
      CAPTURE(name);
      const auto scenario = tools::load_programme_scenario(name);
      CHECK(scenario.description.size() > 100);
      CHECK(scenario.description_nb.size() > 100);  // bokmål reports describe it in bokmål
      CHECK_NOTHROW(validate(scenario.params));
    }
    CHECK(tools::load_programme_scenario("welfare-technology").description_nb.size() > 100);
    CHECK(tools::load_programme_scenario("double-budget").params.programme.budget_mnok_per_year == 120);
    CHECK(tools::load_programme_scenario("large-consortia").params.programme.ip_min_municipalities >= 3);
    CHECK(!tools::load_programme_scenario("no-programme").params.programme.enabled);
    CHECK(!tools::load_programme_scenario("adaptive").params.rules.empty());
  }

  TEST_CASE("a scenario's bokmål description is its own file's and never its base's") {
    // A child with its own description and none in bokmål: no bokmål text (not the baseline's).
    auto child = tools::load_programme_scenario(
        tools::parse_yaml(
            "description: Baseline with q = 3.\nextends: baseline\ndiffusion:\n  q_per_year: 3.0\n",
            "child.yaml"),
        ".");
    CHECK(child.description == "Baseline with q = 3.");
    CHECK(child.description_nb.empty());
    child = tools::load_programme_scenario(
        tools::parse_yaml(
            "description: Baseline with q = 3.\ndescription_nb: Baseline med q = 3.\nextends: baseline\n",
            "child.yaml"),
        ".");
    CHECK(child.description_nb == "Baseline med q = 3.");
    // A translation without the text it translates is refused.
    CHECK_THROWS_AS(
        tools::load_programme_scenario(
            tools::parse_yaml("description_nb: Bare norsk.\nextends: baseline\n", "child.yaml"), "."),
        tools::ScenarioError);
  }
}

TEST_SUITE("statistical") {
  TEST_CASE("the programme raises innovation and research use over the no-programme world") {
    // Paired replicates (same seeds) over 8 years: the programme's innovations, adoptions by
    // project members and research use come on top of the same own-innovation draws. The mean
    // paired difference must exceed three standard errors.
    Params with;
    with.run.years = 8;
    Params without = with;
    without.programme.enabled = false;
    without.arenas.conference = without.arenas.regional = without.arenas.network = false;
    const ProgrammeModel a(norway(with), with), b(norway(without), without);
    sim::RunningStats research, adoptions;
    for (sim::Replicate rep = 0; rep < 12; ++rep) {
      const Run ra = run(a, rep), rb = run(b, rep);
      research.add(at(a, ra, a.steps(), "research_using_share") -
                   at(b, rb, b.steps(), "research_using_share"));
      adoptions.add(sum_of(a, ra, "adoptions") - sum_of(b, rb, "adoptions"));
    }
    CAPTURE(research.mean());
    CAPTURE(research.sem());
    CAPTURE(adoptions.mean());
    CAPTURE(adoptions.sem());
    CHECK(research.mean() > 3 * research.sem());
    CHECK(adoptions.mean() > 3 * adoptions.sem());
  }
}
