// The programme: the year's money, the yearly calls (applications and consortia, review, funding
// by instrument within the money), running projects and their outcomes (DOMAIN.md §5.1-5.3,
// §5.9). docs/model.md §7.1-7.3 describes the same steps in the same order.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/forkommune/detail/state.hpp"
#include "models/forkommune/model.hpp"
#include "sim/distributions.hpp"

namespace innosim::models::forkommune {

using detail::Call;
using detail::Instrument;
using detail::NewInnovation;
using detail::Project;
using detail::State;
using sim::AgentId;
using sim::Step;

namespace {

constexpr int kPre = static_cast<int>(Instrument::kPreProject);
constexpr int kIp = static_cast<int>(Instrument::kInnovationProject);
constexpr int kCp = static_cast<int>(Instrument::kCompetenceProject);

// Sequential weighted draws without replacement (k items, weights >= 0).
std::vector<std::uint32_t> weighted_pick(sim::RngStream& rng, const std::vector<std::uint32_t>& items,
                                         std::vector<double> weights, std::size_t k) {
  std::vector<std::uint32_t> out;
  for (std::size_t n = 0; n < k; ++n) {
    double total = 0;
    for (double w : weights) total += w;
    if (!(total > 0)) break;
    const std::size_t i = sim::weighted_index(rng, weights);
    out.push_back(items[i]);
    weights[i] = 0;
  }
  return out;
}

// Adds `weight` to `item`'s entry, or appends it.
void accumulate(std::vector<std::uint32_t>& items, std::vector<double>& weights, std::uint32_t item,
                double weight) {
  const auto it = std::find(items.begin(), items.end(), item);
  if (it == items.end()) {
    items.push_back(item);
    weights.push_back(weight);
  } else {
    weights[static_cast<std::size_t>(it - items.begin())] += weight;
  }
}

// The owners tied to owner o on the region, geo, county and collab layers, with tie strength.
void tied_owners(const World& w, const State& s, std::uint32_t o, std::vector<std::uint32_t>& who,
                 std::vector<double>& weight) {
  who.clear();
  weight.clear();
  const AgentId a = w.owner_agent(o);
  for (const sim::CsrView& v : {w.region.view(), w.geo.view(), w.county.view(), s.collab.view()}) {
    for (sim::EdgeIndex e = v.begin(a); e < v.end(a); ++e) {
      const AgentId b = v.targets[e];
      if (w.owners.contains(b)) accumulate(who, weight, b - w.owners.begin, v.weight(e));
    }
  }
}

// The institutions owner o knows (starting rd ties and brokers' matches), with tie strength.
void known_institutions(const World& w, const State& s, std::uint32_t o, std::vector<std::uint32_t>& which,
                        std::vector<double>& weight) {
  which.clear();
  weight.clear();
  const AgentId a = w.owner_agent(o);
  for (const sim::CsrView& v : {w.rd.view(), s.rd_extra.view()}) {
    for (sim::EdgeIndex e = v.begin(a); e < v.end(a); ++e) {
      const AgentId b = v.targets[e];
      if (w.institutions.contains(b)) accumulate(which, weight, b - w.institutions.begin, v.weight(e));
    }
  }
}

// Free researchers of institution i for a project in `domain`: domain experts are
// researchers.domain_expert_weight times likelier; `experts_first` (a broker's match) takes
// experts only, when the institution has a free one.
std::vector<std::uint32_t> recruit(const World& w, const State& s, std::uint32_t i, std::uint8_t domain,
                                   std::size_t want, bool experts_first, sim::RngStream& rng) {
  std::vector<std::uint32_t> pool;
  std::vector<double> weight;
  bool any_expert = false;
  for (std::uint32_t r = w.inst_researcher_begin[i]; r < w.inst_researcher_end[i]; ++r) {
    if (!s.researcher_active[r] || s.researcher_load[r] >= s.params.researchers.max_projects) continue;
    const bool expert = ((static_cast<unsigned>(s.researcher_domains[r]) >> domain) & 1U) != 0;
    any_expert |= expert;
    pool.push_back(r);
    weight.push_back(expert ? s.params.researchers.domain_expert_weight : 1.0);
  }
  if (experts_first && any_expert) {
    for (std::size_t k = 0; k < pool.size(); ++k) {
      if (!((static_cast<unsigned>(s.researcher_domains[pool[k]]) >> domain) & 1U)) weight[k] = 0;
    }
  }
  return weighted_pick(rng, pool, std::move(weight), want);
}

std::uint8_t draw_domain(const Params& p, sim::RngStream& rng) {
  const auto& in = p.innovation;
  const double weights[kNumDomains] = {in.domain_health_care,
                                       in.domain_education,
                                       in.domain_child_welfare,
                                       in.domain_climate_environment,
                                       in.domain_planning_transport,
                                       in.domain_digital_administration,
                                       in.domain_democracy_participation,
                                       in.domain_business_development};
  return static_cast<std::uint8_t>(sim::weighted_index(rng, weights));
}

std::string mnok(double x) {
  return fmt::format("{:.3g} MNOK", x);
}

// The same in bokmål: "7,5 mill. kr".
std::string mill_kr(double x) {
  std::string t = fmt::format("{:.3g}", x);
  std::replace(t.begin(), t.end(), '.', ',');
  return t + " mill. kr";
}

}  // namespace

std::vector<MoneyWarning> money_warnings(const World& world, const Params& params) {
  std::vector<MoneyWarning> out;
  const auto& p = params.programme;
  if (!p.enabled || p.budget_mnok_per_year <= 0) return out;
  const auto& ramp = p.ramp_up;
  const auto programme_years =
      std::max<std::int64_t>(0, std::min(p.last_year, params.run.years) - p.first_year + 1);
  const std::string fate =
      p.carry_over ? "it is carried over until it does" : "it lapses (programme.carry_over is false)";
  const std::string fate_nb = p.carry_over ? "midlene overføres til de rekker til én tildeling"
                                           : "midlene faller bort (programme.carry_over er false)";
  // The instruments: a share smaller than the smallest grant buys nothing that year.
  struct Share {
    const char* key;
    const char* what;
    const char* what_nb;
    double share;
    double grant;
  };
  const Share instruments[] = {
      {"programme.share_pre_project", "pre-project grant", "forprosjekttildeling", p.share_pre_project,
       p.pre_grant_mnok},
      {"programme.share_innovation_project", "innovation-project grant (programme.ip_grant_min_mnok)",
       "innovasjonsprosjekttildeling (programme.ip_grant_min_mnok)", p.share_innovation_project,
       p.ip_grant_min_mnok},
      {"programme.share_competence_project", "competence-project grant", "kompetanseprosjekttildeling",
       p.share_competence_project, p.cp_grant_mnok},
  };
  for (const Share& in : instruments) {
    if (in.share <= 0) continue;
    std::vector<std::int64_t> short_years;
    for (std::int64_t py = 1; py <= programme_years; ++py) {
      const double money = p.budget_mnok_per_year *
                           ramp[std::min<std::size_t>(static_cast<std::size_t>(py - 1), ramp.size() - 1)] *
                           in.share;
      if (money + 1e-12 < in.grant) short_years.push_back(py + p.first_year - 1);
    }
    if (short_years.empty()) continue;
    const double full = p.budget_mnok_per_year * ramp.back() * in.share;
    if (static_cast<std::int64_t>(short_years.size()) == programme_years) {
      out.push_back(
          {fmt::format("{} gives {} a year, less than one {} ({}): no year's money buys one; {}.", in.key,
                       mnok(full), in.what, mnok(in.grant), fate),
           fmt::format("{} gir {} i året, mindre enn én {} ({}): midlene rekker ikke til én i noe år; {}.",
                       in.key, mill_kr(full), in.what_nb, mill_kr(in.grant), fate_nb)});
    } else {
      out.push_back(
          {fmt::format("{} gives less than one {} ({}) in programme year{} {}: that money buys nothing "
                       "then; {}.",
                       in.key, in.what, mnok(in.grant), short_years.size() == 1 ? "" : "s",
                       fmt::join(short_years, ", "), fate),
           fmt::format(
               "{} gir mindre enn én {} ({}) i programår {}: disse midlene blir ikke brukt de årene; {}.",
               in.key, in.what_nb, mill_kr(in.grant), fmt::join(short_years, ", "), fate_nb)});
    }
  }
  // The arenas: the money at full budget against what the switched-on arenas and brokers cost.
  const auto& a = params.arenas;
  const double arena = p.budget_mnok_per_year * ramp.back() * p.share_arenas;
  const bool any_arena = a.conference || a.regional || a.network;
  const double counties = world.num_counties();
  const double events = (a.conference ? a.conference_cost_mnok : 0.0) +
                        (a.regional ? counties * a.regional_cost_mnok_per_county : 0.0) +
                        (a.network ? a.network_cost_mnok : 0.0);
  if (p.share_arenas > 0 && !any_arena) {
    out.push_back(
        {fmt::format("programme.share_arenas gives {} a year, but every arena is switched off: that money "
                     "buys nothing; {}.",
                     mnok(arena), p.carry_over ? "it is carried over and never spent" : "it lapses"),
         fmt::format("programme.share_arenas gir {} i året, men alle arenaer er slått av: disse midlene blir "
                     "ikke brukt; {}.",
                     mill_kr(arena), p.carry_over ? "de overføres og brukes aldri" : "de faller bort")});
  } else if (any_arena && arena + 1e-12 < events) {
    out.push_back(
        {fmt::format("the arena share gives {} a year at full budget, less than the {} the switched-on "
                     "arenas cost: the conference, then the regional meetings county by county, then the "
                     "network are paid while the money lasts.",
                     mnok(arena), mnok(events)),
         fmt::format(
             "arenaandelen gir {} i året ved fullt budsjett, mindre enn det arenaene som er slått på, "
             "koster ({}): midlene går først til konferansen, deretter til de regionale møtene fylke "
             "for fylke og til slutt til nettverket, så langt de rekker.",
             mill_kr(arena), mill_kr(events))});
  }
  if (a.regional && a.brokers_per_county > 0 && p.share_arenas > 0) {
    double wanted = 0;
    for (const auto b : brokers_wanted(world, params)) wanted += b;
    const double affordable =
        a.broker_cost_mnok_per_year > 0
            ? std::floor((arena - std::min(arena, events)) / a.broker_cost_mnok_per_year + 1e-9)
            : wanted;
    if (affordable < wanted) {
      out.push_back(
          {fmt::format("the arena share buys {:g} of the {:g} competence brokers asked for "
                       "(arenas.brokers_per_county = {} in {:g} counties, fewer where a county has too few "
                       "owners to keep them busy; {} each a year) at full budget.",
                       std::max(0.0, affordable), wanted, a.brokers_per_county, counties,
                       mnok(a.broker_cost_mnok_per_year)),
           fmt::format(
               "arenaandelen gir {:g} av de {:g} kompetansemeglerne som etterspørres "
               "(arenas.brokers_per_county = {} i {:g} fylker, færre der et fylke har for få eiere til å "
               "gi dem nok å gjøre; {} hver i året) ved fullt budsjett.",
               std::max(0.0, affordable), wanted, a.brokers_per_county, counties,
               mill_kr(a.broker_cost_mnok_per_year))});
    }
  }
  // The other way round: arena money the arenas and the brokers asked for cannot use.
  if (any_arena && p.share_arenas > 0) {
    double brokers = 0;
    if (a.regional)
      for (const auto b : brokers_wanted(world, params)) brokers += b;
    const double used = events + brokers * a.broker_cost_mnok_per_year;
    if (arena > used + 0.005) {
      out.push_back(
          {fmt::format("the arena share gives {} a year at full budget, more than the switched-on arenas and "
                       "the brokers the counties can use cost ({}): {} a year is left, carried over and in "
                       "the end lapsing.",
                       mnok(arena), mnok(used), mnok(arena - used)),
           fmt::format(
               "arenaandelen gir {} i året ved fullt budsjett, mer enn arenaene som er slått på og "
               "meglerne fylkene kan bruke koster ({}): {} i året blir til overs, overføres og faller "
               "til slutt bort.",
               mill_kr(arena), mill_kr(used), mill_kr(arena - used))});
    }
  }
  return out;
}

std::size_t ProgrammeProcess::year_index(Step t) {
  return static_cast<std::size_t>((t - 1) / 12);
}

void ProgrammeProcess::programme_calendar(Step t) {
  const State& s = *state_;
  if (t <= s.warmup) return;
  const auto& p = s.params.programme;
  const auto programme_year = static_cast<std::int64_t>(t - s.warmup - 1) / 12 + 1;
  const auto month = static_cast<std::int64_t>((t - 1) % 12 + 1);
  if (month == 1) open_year(t);
  if (p.enabled && month == p.call_month && programme_year >= p.first_year && programme_year <= p.last_year) {
    run_call(t);
  }
}

// ---- money (DOMAIN.md §5.9) -------------------------------------------------------------------

// A programme year opens in its first month: each pot gets its share of the year's budget
// (budget x ramp-up, read now, so adaptive rules that changed the budget or the shares apply)
// plus what was carried into it, and the arena money is planned.
void ProgrammeProcess::open_year(Step t) {
  State& s = *state_;
  const auto& p = s.params.programme;
  const std::int64_t py = static_cast<std::int64_t>(t - s.warmup - 1) / 12 + 1;
  if (!p.enabled || py < p.first_year || py > p.last_year) return;
  detail::YearMoney& m = s.money[year_index(t)];
  const auto& ramp = p.ramp_up;
  const auto k = static_cast<std::size_t>(py - p.first_year);
  m.open = true;
  m.budget = p.budget_mnok_per_year * ramp[std::min(k, ramp.size() - 1)];
  s.flow.budget += m.budget;
  const double shares[detail::kNumPots] = {p.share_pre_project, p.share_innovation_project,
                                           p.share_competence_project, p.share_arenas};
  for (int pot = 0; pot < detail::kNumPots; ++pot) {
    m.available[pot] = m.budget * shares[pot] + s.carry[pot];
    s.carry[pot] = 0;
    s.flow.available += m.available[pot];
  }
  plan_arenas(m);
}

// The year's last month: what a pot did not commit is carried into the next programme year
// (programme.carry_over) or lapses; after the programme's last year it always lapses.
void ProgrammeProcess::close_year(Step t) {
  State& s = *state_;
  detail::YearMoney& m = s.money[year_index(t)];
  if (!m.open) return;
  const auto& p = s.params.programme;
  const std::int64_t py = static_cast<std::int64_t>(t - s.warmup - 1) / 12 + 1;
  const bool carry = p.carry_over && p.enabled && py + 1 <= p.last_year;
  for (int pot = 0; pot < detail::kNumPots; ++pot) {
    const double left = std::max(0.0, m.available[pot] - m.committed[pot]);
    if (carry) {
      m.carried_over[pot] = left;
      s.carry[pot] += left;
      s.flow.carried_over += left;
    } else {
      m.lapsed[pot] = left;
      s.flow.lapsed += left;
    }
  }
}

void ProgrammeProcess::commit(Step t, int pot, double amount, bool paid_now) {
  State& s = *state_;
  s.money[year_index(t)].committed[pot] += amount;
  s.flow.committed += amount;
  if (paid_now) {
    s.flow.spent += amount;
  } else {
    s.outstanding += amount;
  }
}

// ---- the call (DOMAIN.md §5.1-5.2) --------------------------------------------------------------

void ProgrammeProcess::run_call(Step t) {
  State& s = *state_;
  Call call;
  call.tick = t;
  call.year = static_cast<std::uint32_t>(year_index(t) + 1);
  announce(call);
  collect_applications(call);
  review(call);
  fund(call);
  start_projects(call);
  remember_success(call);
  for (const Project& pr : call.applications) {
    detail::Application a;
    a.tick = t;
    a.instrument = pr.instrument;
    a.lead_owner = pr.lead_owner;
    a.lead_institution = pr.lead_institution;
    a.relevance = pr.relevance;
    a.realizability = pr.realizability;
    a.spread = pr.spread;
    a.score = pr.score;
    a.grant = pr.grant;
    a.matched = pr.matched;
    a.brokered = pr.brokered;
    a.documentation_plan = pr.documentation_plan;
    a.funded = call.funded[pr.index] != 0;
    s.applications.push_back(a);
  }
}

// The call announces each instrument's money: what is left of its pot this year. Applicants
// expect the success rate of past calls (smoothed), scaled by the change in money announced
// since the last call as they know the others respond too: in the steady state of applications
// ~ expected^e, success ~ money^(1 / (1 + e)), so the scale is (money ratio)^(1 / (1 + e)).
// Before the first call they expect programme.expected_success_first_call. Every application
// propensity of the instrument is multiplied by (expected / expected_success_reference)^e,
// e = application_elasticity.
void ProgrammeProcess::announce(Call& call) {
  State& s = *state_;
  const auto& p = s.params.programme;
  const detail::YearMoney& m = s.money[call.year - 1];
  for (int k = 0; k < detail::kNumInstruments; ++k) {
    call.money[k] = std::max(0.0, m.available[k] - m.committed[k]);
    double expected = p.expected_success_first_call;
    if (s.called[k]) {
      const double ratio = s.last_call_money[k] > 0 ? call.money[k] / s.last_call_money[k] : 1.0;
      expected = s.expected_success[k] * std::pow(ratio, 1.0 / (1.0 + p.application_elasticity));
    }
    expected = std::clamp(expected, 1e-3, 1.0);
    s.expected_now[k] = expected;
    call.propensity[k] = std::pow(expected / p.expected_success_reference, p.application_elasticity);
  }
}

// After the call, applicants update what they expect: the smoothed success rate moves towards
// this call's by programme.success_memory.
void ProgrammeProcess::remember_success(const Call& call) {
  State& s = *state_;
  const auto& p = s.params.programme;
  double applied[detail::kNumInstruments] = {}, funded[detail::kNumInstruments] = {};
  for (const Project& pr : call.applications) {
    const auto k = static_cast<int>(pr.instrument);
    applied[k] += 1;
    funded[k] += call.funded[pr.index];
  }
  for (int k = 0; k < detail::kNumInstruments; ++k) {
    if (call.money[k] <= 0) continue;
    if (!s.called[k]) s.expected_success[k] = p.expected_success_first_call;
    if (applied[k] > 0) {
      s.expected_success[k] += p.success_memory * (funded[k] / applied[k] - s.expected_success[k]);
    }
    s.last_call_money[k] = call.money[k];
    s.called[k] = true;
  }
}

void ProgrammeProcess::collect_applications(Call& call) {
  State& s = *state_;
  const World& w = world_;
  const auto& p = s.params.programme;
  const Step t = call.tick;
  std::vector<std::uint8_t> leads_ip(w.num_owners(), 0);
  for (const std::uint32_t r : s.running) {
    const Project& pr = s.projects[r];
    if (pr.instrument == Instrument::kInnovationProject && pr.lead_owner >= 0) {
      leads_ip[static_cast<std::size_t>(pr.lead_owner)] = 1;
    }
  }
  // Innovation projects, led by owners, and pre-projects by those who do not apply for one.
  for (std::uint32_t o = 0; o < w.num_owners(); ++o) {
    sim::RngStream rng = key_.stream(sim::Purpose::kApplication, t, o);
    const double u_ip = rng.next_double();
    const double u_pre = rng.next_double();
    if (call.money[kIp] > 0 && !leads_ip[o] && free_staff(o) >= p.min_free_staff_fte) {
      const double rate = p.ip_apply_rate_per_year * s.capacity[o] * s.culture[o] *
                          (1.0 + p.ip_experience_factor * s.projects_done[o]) *
                          (w.owner_small[o] ? p.ip_small_factor : 1.0) *
                          (s.broker_until[o] > t ? p.ip_broker_factor : 1.0) *
                          (s.ready_until[o] > t ? p.ip_preproject_factor : 1.0) * call.propensity[kIp];
      if (u_ip < -std::expm1(-rate)) {
        apply_innovation_project(call, o, rng);
        continue;
      }
    }
    if (call.money[kPre] > 0 && free_staff(o) >= 0.5 * p.min_free_staff_fte) {
      const bool newcomer = s.projects_done[o] == 0 && !s.in_project[o];
      const double rate = p.pre_apply_rate_per_year * s.culture[o] *
                          (newcomer ? p.pre_newcomer_factor : 1.0) * call.propensity[kPre];
      if (u_pre < -std::expm1(-rate)) apply_pre_project(call, o, rng);
    }
  }
  // Competence projects, led by research institutions with a municipal profile.
  if (call.money[kCp] > 0) {
    for (std::uint32_t i = 0; i < w.num_institutions(); ++i) apply_competence_project(call, i);
  }
}

// An owner's innovation-project application: partner owners from its ties, one or two research
// groups (a broker's match first), the grant, a documentation plan. No research group, no
// application (DOMAIN.md §5.1).
void ProgrammeProcess::apply_innovation_project(Call& call, std::uint32_t o, sim::RngStream& rng) {
  State& s = *state_;
  const World& w = world_;
  const auto& p = s.params.programme;
  const Step t = call.tick;
  Project pr;
  pr.instrument = Instrument::kInnovationProject;
  pr.lead_owner = o;
  pr.owners.push_back(o);
  pr.domain = draw_domain(s.params, rng);
  pr.newcomer_led = s.projects_done[o] == 0 && !s.in_project[o];
  pr.small_led = w.owner_small[o] != 0;
  pr.matched = s.broker_until[o] > t && s.broker_institution[o] != sim::kNever;
  pr.brokered = pr.matched && s.params.arenas.broker_shapes_consortia;
  const auto want = std::max<std::uint64_t>(sim::poisson(rng, p.ip_partners_mean),
                                            static_cast<std::uint64_t>(p.ip_min_municipalities - 1));
  tied_owners(w, s, o, scratch_who_, scratch_weight_);
  for (std::size_t k = 0; k < scratch_who_.size(); ++k) {
    const std::uint32_t b = scratch_who_[k];
    scratch_weight_[k] *= free_staff(b) >= p.ip_partner_staff_fte ? s.capacity[b] * s.culture[b] : 0.0;
  }
  for (const std::uint32_t b : weighted_pick(rng, scratch_who_, scratch_weight_, want))
    pr.owners.push_back(b);
  const std::size_t groups =
      std::min<std::size_t>(static_cast<std::size_t>(p.ip_max_research_groups),
                            1 + (rng.next_double() < p.second_group_probability ? 1 : 0));
  known_institutions(w, s, o, scratch_which_, scratch_iweight_);
  for (std::size_t k = 0; k < scratch_which_.size(); ++k)
    scratch_iweight_[k] *= s.relevance[scratch_which_[k]];
  // The broker's match is the first research partner, with a domain expert when it has a free
  // one; when none of its researchers is free the application looks for its groups as any other.
  const auto team_size = [&] {
    return std::size_t{1} + (rng.next_double() < p.second_researcher_probability ? 1 : 0);
  };
  if (pr.brokered) {
    const std::uint32_t i = s.broker_institution[o];
    const auto team = recruit(w, s, i, pr.domain, team_size(), true, rng);
    if (team.empty()) {
      pr.brokered = false;
    } else {
      pr.institutions.push_back(i);
      pr.researchers = team;
      for (std::size_t k = 0; k < scratch_which_.size(); ++k) {
        if (scratch_which_[k] == i) scratch_iweight_[k] = 0;
      }
    }
  }
  for (const std::uint32_t i :
       weighted_pick(rng, scratch_which_, scratch_iweight_, groups - pr.institutions.size())) {
    const auto team = recruit(w, s, i, pr.domain, team_size(), false, rng);
    if (team.empty()) continue;
    pr.institutions.push_back(i);
    pr.researchers.insert(pr.researchers.end(), team.begin(), team.end());
  }
  pr.grant = std::clamp(sim::lognormal(rng, std::log(p.ip_grant_median_mnok), p.ip_grant_sigma),
                        p.ip_grant_min_mnok, p.ip_grant_max_mnok);
  pr.cost = pr.grant / p.ip_max_funding_share;
  pr.documentation_plan = rng.next_double() < p.documentation_plan_probability;
  if (pr.institutions.empty()) return;  // at least one research group is required
  pr.index = static_cast<std::uint32_t>(call.applications.size());
  assess(pr, t);
  call.applications.push_back(std::move(pr));
}

// A pre-project application: a lower threshold, one research group, a small fixed grant.
void ProgrammeProcess::apply_pre_project(Call& call, std::uint32_t o, sim::RngStream& rng) {
  State& s = *state_;
  const World& w = world_;
  const auto& p = s.params.programme;
  Project pr;
  pr.instrument = Instrument::kPreProject;
  pr.lead_owner = o;
  pr.owners.push_back(o);
  pr.domain = draw_domain(s.params, rng);
  pr.newcomer_led = s.projects_done[o] == 0 && !s.in_project[o];
  pr.small_led = w.owner_small[o] != 0;
  tied_owners(w, s, o, scratch_who_, scratch_weight_);
  for (std::size_t k = 0; k < scratch_who_.size(); ++k)
    scratch_weight_[k] *= free_staff(scratch_who_[k]) > 0 ? s.culture[scratch_who_[k]] : 0.0;
  for (const std::uint32_t b :
       weighted_pick(rng, scratch_who_, scratch_weight_, sim::poisson(rng, p.pre_partners_mean)))
    pr.owners.push_back(b);
  known_institutions(w, s, o, scratch_which_, scratch_iweight_);
  for (std::size_t k = 0; k < scratch_which_.size(); ++k)
    scratch_iweight_[k] *= s.relevance[scratch_which_[k]];
  for (const std::uint32_t i : weighted_pick(rng, scratch_which_, scratch_iweight_, 1)) {
    const auto team = recruit(w, s, i, pr.domain, 1, false, rng);
    if (team.empty()) continue;
    pr.institutions.push_back(i);
    pr.researchers = team;
  }
  pr.grant = p.pre_grant_mnok;
  pr.cost = pr.grant;
  pr.documentation_plan = rng.next_double() < p.documentation_plan_probability;
  if (pr.institutions.empty()) return;
  pr.index = static_cast<std::uint32_t>(call.applications.size());
  assess(pr, call.tick);
  call.applications.push_back(std::move(pr));
}

// A competence project, led by an institution with a municipal profile: one or two owner
// partners from its ties, its researchers, and an international partner when the scenario
// requires one (found with probability equal to the institution's international links).
void ProgrammeProcess::apply_competence_project(Call& call, std::uint32_t i) {
  State& s = *state_;
  const World& w = world_;
  const auto& p = s.params.programme;
  sim::RngStream rng = key_.stream(sim::Purpose::kApplication, call.tick, w.institution_agent(i));
  if (s.relevance[i] < p.cp_min_relevance) return;
  const double rate = p.cp_apply_rate_per_year * call.propensity[kCp];
  if (!(rng.next_double() < -std::expm1(-rate))) return;
  Project pr;
  pr.instrument = Instrument::kCompetenceProject;
  pr.lead_institution = i;
  pr.institutions.push_back(i);
  pr.domain = draw_domain(s.params, rng);
  pr.international_partner = rng.next_double() < s.international[i];
  if (p.cp_require_international && !pr.international_partner) return;
  const AgentId a = w.institution_agent(i);
  std::vector<std::uint32_t> owners;
  std::vector<double> ow;
  for (const sim::CsrView& v : {w.rd.view(), s.rd_extra.view()}) {
    for (sim::EdgeIndex e = v.begin(a); e < v.end(a); ++e) {
      const AgentId b = v.targets[e];
      if (!w.owners.contains(b)) continue;
      const std::uint32_t ob = b - w.owners.begin;
      if (free_staff(ob) < p.ip_partner_staff_fte) continue;
      owners.push_back(ob);
      ow.push_back(v.weight(e) * s.culture[ob]);
    }
  }
  for (const std::uint32_t o :
       weighted_pick(rng, owners, ow, 1 + (rng.next_double() < p.cp_second_owner_probability ? 1 : 0))) {
    if (std::find(pr.owners.begin(), pr.owners.end(), o) == pr.owners.end()) pr.owners.push_back(o);
  }
  pr.researchers = recruit(w, s, i, pr.domain, static_cast<std::size_t>(p.cp_researchers), false, rng);
  pr.grant = p.cp_grant_mnok;
  pr.cost = pr.grant;
  if (pr.owners.empty() || pr.researchers.empty()) return;  // needs an owner partner and researchers
  pr.index = static_cast<std::uint32_t>(call.applications.size());
  assess(pr, call.tick);
  call.applications.push_back(std::move(pr));
}

// The review's three criteria (DOMAIN.md §5.2): relevance of the research partners (lower
// without a domain expert), realizability (owners' capacity, partners' quality, a completed
// pre-project, a broker's help) and spread potential (owners, their variety, a documentation plan).
void ProgrammeProcess::assess(Project& pr, Step t) const {
  const State& s = *state_;
  const World& w = world_;
  const auto& p = s.params.programme;
  double relevance = 0, quality = 0;
  for (const std::uint32_t i : pr.institutions) {
    relevance += s.relevance[i];
    quality += w.inst_quality[i];
  }
  const auto ni = static_cast<double>(std::max<std::size_t>(1, pr.institutions.size()));
  bool expert = false;
  for (const std::uint32_t r : pr.researchers)
    expert |= ((static_cast<unsigned>(s.researcher_domains[r]) >> pr.domain) & 1U) != 0;
  pr.relevance = relevance / ni * (expert ? 1.0 : p.relevance_without_expert);
  double cap = 0;
  std::uint32_t classes = 0;  // bit c: an owner of centrality class c
  for (const std::uint32_t o : pr.owners) {
    cap += s.capacity[o];
    classes |= 1U << w.owner_centrality[o];
  }
  const auto no = static_cast<double>(std::max<std::size_t>(1, pr.owners.size()));
  const bool ready = pr.lead_owner >= 0 && s.ready_until[static_cast<std::size_t>(pr.lead_owner)] > t;
  pr.realizability = p.realizability_weight_capacity * cap / no +
                     p.realizability_weight_quality * quality / ni +
                     p.realizability_weight_preproject * (ready ? 1.0 : 0.0) +
                     (pr.brokered ? p.broker_realizability_bonus : 0.0);
  const auto variety = static_cast<double>(std::popcount(classes)) - 1.0;
  pr.spread = p.spread_weight_partners * std::min(1.0, (no - 1.0) / 4.0) +
              p.spread_weight_variety * std::min(1.0, std::max(0.0, variety) / 2.0) +
              p.spread_weight_documentation * (pr.documentation_plan ? 1.0 : 0.0);
}

// Review: the score with reviewer noise, from a stream per application.
void ProgrammeProcess::review(Call& call) {
  State& s = *state_;
  const auto& p = s.params.programme;
  for (Project& pr : call.applications) {
    sim::RngStream rng = key_.stream(sim::Purpose::kReview, call.tick, pr.index);
    pr.score = p.review_weight_relevance * pr.relevance + p.review_weight_realizability * pr.realizability +
               p.review_weight_spread * pr.spread + sim::normal(rng, 0.0, p.review_noise_sd);
    const auto k = static_cast<int>(pr.instrument);
    s.flow.applications[k] += 1;
    if (pr.instrument == Instrument::kInnovationProject) {
      s.total.ip_applications += 1;
      count_group(s.flow.ip_applications_by_group, static_cast<std::uint32_t>(pr.lead_owner), 1.0);
    }
  }
}

// Funding: per instrument, fundable applications (score at least programme.review_min_score) in
// score order (ties by application order) while the grant fits in the money left. Quotas come
// first: reserved shares of the innovation-project money for consortia led by small
// municipalities, then by newcomers; what they leave returns to the general pool.
std::vector<std::uint8_t> detail::fund_applications(const Params::Programme& p,
                                                    const std::vector<Project>& apps,
                                                    const double (&money)[kNumInstruments]) {
  std::vector<std::uint8_t> funded(apps.size(), 0);
  std::vector<std::size_t> order(apps.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return apps[a].score != apps[b].score ? apps[a].score > apps[b].score : a < b;
  });
  auto fund_in_order = [&](Instrument instrument, double& pool, auto&& eligible) {
    for (const std::size_t a : order) {
      const Project& pr = apps[a];
      if (funded[a] || pr.instrument != instrument || !eligible(pr) || pr.score < p.review_min_score)
        continue;
      if (pr.instrument == Instrument::kInnovationProject &&
          static_cast<std::int64_t>(pr.owners.size()) < p.ip_min_municipalities) {
        continue;
      }
      if (pr.grant <= pool + 1e-12) {
        pool -= pr.grant;
        funded[a] = 1;
      }
    }
  };
  const double ip_money = money[kIp];
  double small_pool = ip_money * p.quota_small_municipalities;
  double newcomer_pool = ip_money * p.quota_newcomers;
  fund_in_order(Instrument::kInnovationProject, small_pool, [](const Project& pr) { return pr.small_led; });
  fund_in_order(Instrument::kInnovationProject, newcomer_pool,
                [](const Project& pr) { return pr.newcomer_led; });
  double ip_pool = ip_money - (ip_money * p.quota_small_municipalities - small_pool) -
                   (ip_money * p.quota_newcomers - newcomer_pool);
  fund_in_order(Instrument::kInnovationProject, ip_pool, [](const Project&) { return true; });
  double pre_pool = money[kPre];
  fund_in_order(Instrument::kPreProject, pre_pool, [](const Project&) { return true; });
  double cp_pool = money[kCp];
  fund_in_order(Instrument::kCompetenceProject, cp_pool, [](const Project&) { return true; });
  return funded;
}

void ProgrammeProcess::fund(Call& call) {
  call.funded = detail::fund_applications(state_->params.programme, call.applications, call.money);
}

// Funded projects start: staff and researchers are taken, the grant is committed now and paid
// over the project's months (projects()), and the owners pay the rest of the cost.
void ProgrammeProcess::start_projects(Call& call) {
  State& s = *state_;
  const auto& p = s.params.programme;
  const Step t = call.tick;
  for (std::size_t a = 0; a < call.applications.size(); ++a) {
    if (!call.funded[a]) continue;
    Project pr = call.applications[a];
    pr.call_year = call.year;
    pr.start = t;
    const std::int64_t months = pr.instrument == Instrument::kPreProject          ? p.pre_duration_months
                                : pr.instrument == Instrument::kInnovationProject ? p.ip_duration_months
                                                                                  : p.cp_duration_months;
    pr.end = t + static_cast<std::uint32_t>(months);
    for (std::size_t k = 0; k < pr.owners.size(); ++k) {
      const double staff = pr.instrument == Instrument::kCompetenceProject ? p.ip_partner_staff_fte
                           : k == 0                                        ? p.ip_lead_staff_fte
                                                                           : p.ip_partner_staff_fte;
      const double take = std::min(staff, std::max(0.0, free_staff(pr.owners[k])));
      pr.staff.push_back(take);
      s.staff_busy[pr.owners[k]] += take;
      s.in_project[pr.owners[k]] = 1;
    }
    for (const std::uint32_t r : pr.researchers) {
      s.researcher_load[r] += 1;
      s.researcher_in_programme[r] = 1;
    }
    const auto k = static_cast<int>(pr.instrument);
    commit(t, k, pr.grant, false);
    s.flow.awards[k] += 1;
    if (pr.instrument == Instrument::kInnovationProject) {
      s.flow.cofunding += pr.cost - pr.grant;
      s.total.ip_awards += 1;
      s.total.ip_grants += pr.grant;
      s.total.ip_owners += static_cast<double>(pr.owners.size());
      s.total.ip_small_led += pr.small_led ? 1 : 0;
      s.total.ip_newcomer_led += pr.newcomer_led ? 1 : 0;
      count_group(s.flow.ip_awards_by_group, static_cast<std::uint32_t>(pr.lead_owner), 1.0);
    }
    s.running.push_back(static_cast<std::uint32_t>(s.projects.size()));
    s.projects.push_back(std::move(pr));
  }
}

// ---- running projects (DOMAIN.md §5.3) --------------------------------------------------------

void ProgrammeProcess::projects(Step t) {
  State& s = *state_;
  std::vector<std::uint32_t> ending;
  for (const std::uint32_t r : s.running) {
    const Project& pr = s.projects[r];
    // A grant is paid in equal parts in the project's months after its start month.
    if (t > pr.start) {
      const double part = pr.grant / static_cast<double>(pr.end - pr.start);
      s.flow.spent += part;
      s.outstanding -= part;
    }
    if (pr.end == t) ending.push_back(r);
  }
  for (const std::uint32_t r : ending) finish_project(t, r);
  std::erase_if(s.running, [&](std::uint32_t r) { return s.projects[r].finished; });
  if (s.running.empty()) s.outstanding = 0;  // rounding
  // Who is in a running project now.
  std::fill(s.in_project.begin(), s.in_project.end(), 0);
  for (const std::uint32_t r : s.running) {
    for (const std::uint32_t o : s.projects[r].owners) s.in_project[o] = 1;
  }
  s.collab.commit();
}

void ProgrammeProcess::finish_project(Step t, std::uint32_t index) {
  State& s = *state_;
  const World& w = world_;
  const auto& p = s.params;
  Project& pr = s.projects[index];
  pr.finished = true;
  // A project's outcome comes from a stream named by its call and place in the call.
  sim::RngStream rng = key_.stream(sim::Purpose::kProject, pr.call_year, pr.index);
  const auto k = static_cast<int>(pr.instrument);
  double success = 0;
  switch (pr.instrument) {
    case Instrument::kPreProject:
      success = p.programme.pre_success_probability;
      break;
    case Instrument::kInnovationProject:
      success = p.programme.ip_success_probability * (0.5 + 0.5 * pr.realizability);
      break;
    case Instrument::kCompetenceProject:
      success = p.programme.cp_success_probability;
      break;
  }
  pr.succeeded = rng.next_double() < success;
  (pr.succeeded ? s.flow.succeeded[k] : s.flow.failed[k]) += 1;
  // Release staff and researchers; experience.
  for (std::size_t j = 0; j < pr.owners.size(); ++j) {
    const std::uint32_t o = pr.owners[j];
    s.staff_busy[o] -= pr.staff[j];
    s.projects_done[o] += 1;
    s.last_project_end[o] = t;
    s.research_user[o] = 1;  // took part in a project with research partners
    // A pre-project is a small part of a project's work: its owners learn a share of it.
    const double scale = pr.instrument == Instrument::kPreProject ? p.learning.preproject_gain_share : 1.0;
    const double gain =
        scale * (pr.succeeded ? p.learning.capacity_gain_project : p.learning.gain_failed_project);
    const double culture_gain =
        scale * (pr.succeeded ? p.learning.culture_gain_project : p.learning.gain_failed_project);
    s.capacity[o] = std::min(1.0, s.capacity[o] + gain);
    s.culture[o] = std::min(1.0, s.culture[o] + culture_gain);
  }
  for (const std::uint32_t r : pr.researchers) s.researcher_load[r] -= 1;
  // Lasting ties among all members of the project.
  const auto tie = static_cast<float>(p.learning.collab_tie_weight);
  for (std::size_t a = 0; a < pr.owners.size(); ++a) {
    for (std::size_t b = a + 1; b < pr.owners.size(); ++b) {
      tie_owners(pr.owners[a], pr.owners[b], s.collab, tie, p.diffusion.weight_collab);
    }
    for (const std::uint32_t i : pr.institutions)
      s.collab.stage_add(w.owner_agent(pr.owners[a]), w.institution_agent(i), tie);
  }
  if (!pr.succeeded) {
    if (pr.instrument == Instrument::kInnovationProject && pr.documentation_plan) teach_failure(t, pr);
    return;
  }
  switch (pr.instrument) {
    case Instrument::kPreProject:
      for (const std::uint32_t o : pr.owners) {
        s.ready_until[o] = std::max<std::uint32_t>(
            s.ready_until[o], t + static_cast<std::uint32_t>(p.programme.pre_readiness_months));
      }
      break;
    case Instrument::kInnovationProject: {
      const std::uint64_t extra = sim::poisson(rng, p.programme.ip_innovations_per_success - 1.0);
      const std::uint64_t count = std::min<std::uint64_t>(1 + extra, 15);
      for (std::uint64_t j = 0; j < count; ++j) {
        // A programme innovation's streams are named by its project and rank.
        const std::uint32_t agent = 0x80000000U | ((pr.call_year & 0x1FFU) << 22) |
                                    ((pr.index & 0x3FFFFU) << 4) | static_cast<std::uint32_t>(j);
        NewInnovation made;
        made.origin = static_cast<std::uint32_t>(pr.lead_owner);
        made.programme = true;
        made.stream_agent = agent;
        made.domain = pr.domain;
        made.research_backed = true;
        made.documented = pr.documentation_plan ? 1 : 0;
        made.project = static_cast<std::int32_t>(index);
        const std::uint32_t id = create_innovation(t, made, rng);
        for (std::size_t o = 1; o < pr.owners.size(); ++o) adopt(t, pr.owners[o], id, true);
      }
      for (const std::uint32_t o : pr.owners) s.last_research_innovation[o] = t;
      const auto pubs = static_cast<double>(sim::poisson(rng, p.learning.publications_per_project));
      s.flow.publications += pubs;
      s.total.publications += pubs;
      if (!pr.institutions.empty())
        s.publications[pr.institutions.front()] += static_cast<std::uint32_t>(pubs);
      break;
    }
    case Instrument::kCompetenceProject: {
      const std::uint32_t i = pr.institutions.front();
      s.relevance[i] = std::min(1.0, s.relevance[i] + p.learning.relevance_gain_competence);
      s.international[i] = std::min(1.0, s.international[i] + p.learning.international_gain_competence);
      // PhD candidates who finish take up spare researcher places of the institution.
      std::int64_t left = p.programme.cp_phds;
      for (std::uint32_t r = w.inst_researcher_begin[i]; r < w.inst_researcher_end[i] && left > 0; ++r) {
        if (s.researcher_active[r]) continue;
        s.researcher_active[r] = 1;
        s.researcher_domains[r] = static_cast<std::uint8_t>(1U << pr.domain);
        --left;
      }
      s.flow.phds += static_cast<double>(p.programme.cp_phds);
      s.total.phds += static_cast<double>(p.programme.cp_phds);
      const auto pubs =
          static_cast<double>(sim::poisson(rng, p.learning.publications_per_competence_project));
      s.flow.publications += pubs;
      s.total.publications += pubs;
      s.publications[i] += static_cast<std::uint32_t>(pubs);
      break;
    }
  }
}

// A failed innovation project that documented its lessons teaches its own owners and the
// owners that listen to them (static layers): a little culture, and faster adaptation of
// innovations of its domain for learning.failure_lesson_months (DOMAIN.md §5.9).
void ProgrammeProcess::teach_failure(Step t, const Project& pr) {
  State& s = *state_;
  const auto& l = s.params.learning;
  std::vector<std::uint32_t> taught(pr.owners.begin(), pr.owners.end());
  const sim::CsrView v = world_.listeners.view();
  for (const std::uint32_t o : pr.owners) {
    for (sim::EdgeIndex e = v.begin(o); e < v.end(o); ++e) taught.push_back(v.targets[e]);
  }
  std::sort(taught.begin(), taught.end());
  taught.erase(std::unique(taught.begin(), taught.end()), taught.end());
  const auto until = t + static_cast<std::uint32_t>(l.failure_lesson_months);
  for (const std::uint32_t o : taught) {
    s.culture[o] = std::min(1.0, s.culture[o] + l.failure_lesson_culture_gain);
    std::uint32_t& lesson = s.lesson_until[static_cast<std::size_t>(o) * kNumDomains + pr.domain];
    lesson = std::max(lesson, until);
  }
  s.flow.failure_lessons += static_cast<double>(taught.size());
}

}  // namespace innosim::models::forkommune
