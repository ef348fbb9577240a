// The programme: yearly calls, applications and consortia, review and funding within each
// instrument's share of the year's budget, running projects and their outcomes
// (DOMAIN.md §5.1-5.3).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/forkommune/detail/state.hpp"
#include "models/forkommune/model.hpp"
#include "sim/distributions.hpp"

namespace innosim::models::forkommune {

using detail::Instrument;
using detail::Project;
using detail::State;
using sim::AgentId;
using sim::Step;

namespace {

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

}  // namespace

void ProgrammeProcess::programme_calendar(Step t) {
  const auto& p = state_->params.programme;
  if (t <= state_->warmup) return;
  const auto year = static_cast<std::int64_t>((t - 1) / 12 + 1);  // including the warm-up
  const auto programme_year = static_cast<std::int64_t>((t - state_->warmup - 1) / 12 + 1);
  const auto month = static_cast<std::int64_t>((t - 1) % 12 + 1);
  if (p.enabled && month == p.call_month && programme_year >= p.first_year && programme_year <= p.last_year) {
    run_call(t, static_cast<std::uint32_t>(year));
  }
}

void ProgrammeProcess::run_call(Step t, std::uint32_t year) {
  State& s = *state_;
  const World& w = world_;
  const auto& p = s.params.programme;
  const double budget = s.available[year - 1];
  const double budget_pre = budget * p.share_pre_project;
  const double budget_ip = budget * p.share_innovation_project;
  const double budget_cp = budget * p.share_competence_project;
  std::vector<Project> apps;
  std::vector<std::uint8_t> leads_ip(w.num_owners(), 0);
  for (const std::uint32_t r : s.running) {
    const Project& pr = s.projects[r];
    if (pr.instrument == Instrument::kInnovationProject && pr.lead_owner >= 0) {
      leads_ip[static_cast<std::size_t>(pr.lead_owner)] = 1;
    }
  }
  // The owners tied to an owner (region, geo, county and collab layers), with tie strength.
  auto neighbours = [&](std::uint32_t o, std::vector<std::uint32_t>& who, std::vector<double>& weight) {
    who.clear();
    weight.clear();
    const AgentId a = w.owner_agent(o);
    auto add = [&](const sim::CsrView& v) {
      for (sim::EdgeIndex e = v.begin(a); e < v.end(a); ++e) {
        const AgentId b = v.targets[e];
        if (!w.owners.contains(b)) continue;
        const std::uint32_t ob = b - w.owners.begin;
        const auto it = std::find(who.begin(), who.end(), ob);
        if (it == who.end()) {
          who.push_back(ob);
          weight.push_back(v.weight(e));
        } else {
          weight[static_cast<std::size_t>(it - who.begin())] += v.weight(e);
        }
      }
    };
    add(w.region.view());
    add(w.geo.view());
    add(w.county.view());
    add(s.collab.view());
  };
  // Institutions an owner knows (starting rd ties and brokers' matches).
  auto known_institutions = [&](std::uint32_t o, std::vector<std::uint32_t>& which,
                                std::vector<double>& weight) {
    which.clear();
    weight.clear();
    const AgentId a = w.owner_agent(o);
    for (const sim::CsrView& v : {w.rd.view(), s.rd_extra.view()}) {
      for (sim::EdgeIndex e = v.begin(a); e < v.end(a); ++e) {
        const AgentId b = v.targets[e];
        if (!w.institutions.contains(b)) continue;
        const std::uint32_t i = b - w.institutions.begin;
        const auto it = std::find(which.begin(), which.end(), i);
        if (it == which.end()) {
          which.push_back(i);
          weight.push_back(v.weight(e));
        } else {
          weight[static_cast<std::size_t>(it - which.begin())] += v.weight(e);
        }
      }
    }
  };
  // Free researchers of an institution, domain experts first.
  auto recruit = [&](std::uint32_t i, std::uint8_t domain, std::size_t want, sim::RngStream& rng) {
    std::vector<std::uint32_t> pool;
    std::vector<double> weight;
    for (std::uint32_t r = w.inst_researcher_begin[i]; r < w.inst_researcher_end[i]; ++r) {
      if (!s.researcher_active[r] || s.researcher_load[r] >= s.params.researchers.max_projects) continue;
      pool.push_back(r);
      weight.push_back((static_cast<unsigned>(s.researcher_domains[r]) >> domain) & 1U
                           ? s.params.researchers.domain_expert_weight
                           : 1.0);
    }
    return weighted_pick(rng, pool, std::move(weight), want);
  };
  const double dom_w[kNumDomains] = {s.params.innovation.domain_health_care,
                                     s.params.innovation.domain_education,
                                     s.params.innovation.domain_child_welfare,
                                     s.params.innovation.domain_climate_environment,
                                     s.params.innovation.domain_planning_transport,
                                     s.params.innovation.domain_digital_administration,
                                     s.params.innovation.domain_democracy_participation,
                                     s.params.innovation.domain_business_development};
  auto assess = [&](Project& pr) {
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
    std::vector<int> classes;
    for (const std::uint32_t o : pr.owners) {
      cap += s.capacity[o];
      classes.push_back(w.owner_centrality[o]);
    }
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    const auto no = static_cast<double>(std::max<std::size_t>(1, pr.owners.size()));
    const bool ready = pr.lead_owner >= 0 && s.ready_until[static_cast<std::size_t>(pr.lead_owner)] > t;
    pr.realizability = p.realizability_weight_capacity * cap / no +
                       p.realizability_weight_quality * quality / ni +
                       p.realizability_weight_preproject * (ready ? 1.0 : 0.0);
    pr.spread = p.spread_weight_partners * std::min(1.0, (no - 1.0) / 4.0) +
                p.spread_weight_variety * std::min(1.0, static_cast<double>(classes.size() - 1) / 2.0);
  };

  std::vector<std::uint32_t> who, which;
  std::vector<double> weight, iweight;
  auto index_in_call = [&]() { return static_cast<std::uint32_t>(apps.size()); };

  // Innovation projects, led by owners, and pre-projects by those who do not apply for one.
  for (std::uint32_t o = 0; o < w.num_owners(); ++o) {
    sim::RngStream rng = key_.stream(sim::Purpose::kApplication, t, o);
    const double u_ip = rng.next_double();
    const double u_pre = rng.next_double();
    const bool newcomer = s.projects_done[o] == 0 && !s.in_project[o];
    if (budget_ip > 0 && !leads_ip[o] && free_staff(o) >= p.min_free_staff_fte) {
      const double rate = p.ip_apply_rate_per_year * s.capacity[o] * s.culture[o] *
                          (1.0 + p.ip_experience_factor * s.projects_done[o]) *
                          (w.owner_small[o] ? p.ip_small_factor : 1.0) *
                          (s.broker_until[o] > t ? p.ip_broker_factor : 1.0) *
                          (s.ready_until[o] > t ? p.ip_preproject_factor : 1.0);
      if (u_ip < -std::expm1(-rate)) {
        Project pr;
        pr.instrument = Instrument::kInnovationProject;
        pr.lead_owner = o;
        pr.owners.push_back(o);
        pr.domain = static_cast<std::uint8_t>(sim::weighted_index(rng, dom_w));
        const auto want = std::max<std::uint64_t>(sim::poisson(rng, p.ip_partners_mean),
                                                  static_cast<std::uint64_t>(p.ip_min_municipalities - 1));
        neighbours(o, who, weight);
        for (std::size_t k = 0; k < who.size(); ++k) {
          const std::uint32_t b = who[k];
          weight[k] *= free_staff(b) >= p.ip_partner_staff_fte ? s.capacity[b] * s.culture[b] : 0.0;
        }
        for (const std::uint32_t b : weighted_pick(rng, who, weight, want)) pr.owners.push_back(b);
        known_institutions(o, which, iweight);
        for (std::size_t k = 0; k < which.size(); ++k) iweight[k] *= s.relevance[which[k]];
        const std::size_t groups =
            std::min<std::size_t>(static_cast<std::size_t>(p.ip_max_research_groups),
                                  1 + (rng.next_double() < p.second_group_probability ? 1 : 0));
        for (const std::uint32_t i : weighted_pick(rng, which, iweight, groups)) {
          const auto team =
              recruit(i, pr.domain, 1 + (rng.next_double() < p.second_researcher_probability ? 1 : 0), rng);
          if (team.empty()) continue;
          pr.institutions.push_back(i);
          pr.researchers.insert(pr.researchers.end(), team.begin(), team.end());
        }
        pr.grant = std::clamp(sim::lognormal(rng, std::log(p.ip_grant_median_mnok), p.ip_grant_sigma),
                              p.ip_grant_min_mnok, p.ip_grant_max_mnok);
        pr.newcomer_led = newcomer;
        pr.small_led = w.owner_small[o] != 0;
        if (!pr.institutions.empty()) {  // at least one research group is required
          pr.index = index_in_call();
          assess(pr);
          apps.push_back(std::move(pr));
        }
        continue;
      }
    }
    if (budget_pre > 0 && free_staff(o) >= 0.5 * p.min_free_staff_fte) {
      const double rate = p.pre_apply_rate_per_year * s.culture[o] * (newcomer ? p.pre_newcomer_factor : 1.0);
      if (u_pre < -std::expm1(-rate)) {
        Project pr;
        pr.instrument = Instrument::kPreProject;
        pr.lead_owner = o;
        pr.owners.push_back(o);
        pr.domain = static_cast<std::uint8_t>(sim::weighted_index(rng, dom_w));
        neighbours(o, who, weight);
        for (std::size_t k = 0; k < who.size(); ++k)
          weight[k] *= free_staff(who[k]) > 0 ? s.culture[who[k]] : 0.0;
        for (const std::uint32_t b : weighted_pick(rng, who, weight, sim::poisson(rng, p.pre_partners_mean)))
          pr.owners.push_back(b);
        known_institutions(o, which, iweight);
        for (std::size_t k = 0; k < which.size(); ++k) iweight[k] *= s.relevance[which[k]];
        for (const std::uint32_t i : weighted_pick(rng, which, iweight, 1)) {
          const auto team = recruit(i, pr.domain, 1, rng);
          if (team.empty()) continue;
          pr.institutions.push_back(i);
          pr.researchers = team;
        }
        pr.grant = p.pre_grant_mnok;
        pr.newcomer_led = newcomer;
        pr.small_led = w.owner_small[o] != 0;
        if (!pr.institutions.empty()) {
          pr.index = index_in_call();
          assess(pr);
          apps.push_back(std::move(pr));
        }
      }
    }
  }
  // Competence projects, led by research institutions with a municipal profile.
  for (std::uint32_t i = 0; i < w.num_institutions() && budget_cp > 0; ++i) {
    sim::RngStream rng = key_.stream(sim::Purpose::kApplication, t, w.institution_agent(i));
    if (s.relevance[i] < p.cp_min_relevance) continue;
    if (p.cp_require_international && s.international[i] < p.cp_min_international) continue;
    if (!(rng.next_double() < -std::expm1(-p.cp_apply_rate_per_year))) continue;
    Project pr;
    pr.instrument = Instrument::kCompetenceProject;
    pr.lead_institution = i;
    pr.institutions.push_back(i);
    pr.domain = static_cast<std::uint8_t>(sim::weighted_index(rng, dom_w));
    // Owner partners: the owners the institution is most strongly tied to.
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
    pr.researchers = recruit(i, pr.domain, static_cast<std::size_t>(p.cp_researchers), rng);
    pr.grant = p.cp_grant_mnok;
    if (pr.owners.empty() || pr.researchers.empty()) continue;  // needs an owner partner and researchers
    pr.index = index_in_call();
    assess(pr);
    apps.push_back(std::move(pr));
  }

  // Review: score with reviewer noise, from a stream per application.
  for (Project& pr : apps) {
    sim::RngStream rng = key_.stream(sim::Purpose::kReview, t, pr.index);
    pr.score = p.review_weight_relevance * pr.relevance + p.review_weight_realizability * pr.realizability +
               p.review_weight_spread * pr.spread + sim::normal(rng, 0.0, p.review_noise_sd);
    const auto k = static_cast<int>(pr.instrument);
    s.flow.applications[k] += 1;
    if (pr.instrument == Instrument::kInnovationProject) {
      s.total.ip_applications += 1;
      count_group(s.flow.ip_applications_by_group, static_cast<std::uint32_t>(pr.lead_owner), 1.0);
    }
  }
  std::vector<std::size_t> order(apps.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return apps[a].score != apps[b].score ? apps[a].score > apps[b].score : a < b;
  });
  std::vector<std::uint8_t> funded(apps.size(), 0);
  auto fund_in_order = [&](Instrument instrument, double& pool, auto&& eligible) {
    for (const std::size_t a : order) {
      const Project& pr = apps[a];
      if (funded[a] || pr.instrument != instrument || !eligible(pr)) continue;
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
  // Quotas first: a reserved share of the innovation-project money goes to consortia led by
  // small municipalities, then to those led by newcomers; what they leave returns to the pool.
  double small_pool = budget_ip * p.quota_small_municipalities;
  double newcomer_pool = budget_ip * p.quota_newcomers;
  fund_in_order(Instrument::kInnovationProject, small_pool, [](const Project& pr) { return pr.small_led; });
  fund_in_order(Instrument::kInnovationProject, newcomer_pool,
                [](const Project& pr) { return pr.newcomer_led; });
  double ip_pool = budget_ip - (budget_ip * p.quota_small_municipalities - small_pool) -
                   (budget_ip * p.quota_newcomers - newcomer_pool);
  fund_in_order(Instrument::kInnovationProject, ip_pool, [](const Project&) { return true; });
  double pre_pool = budget_pre;
  fund_in_order(Instrument::kPreProject, pre_pool, [](const Project&) { return true; });
  double cp_pool = budget_cp;
  fund_in_order(Instrument::kCompetenceProject, cp_pool, [](const Project&) { return true; });

  // Start the funded projects.
  for (std::size_t a = 0; a < apps.size(); ++a) {
    if (!funded[a]) continue;
    Project pr = std::move(apps[a]);
    pr.call_year = year;
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
    s.committed[year - 1] += pr.grant;
    s.flow.committed += pr.grant;
    const auto k = static_cast<int>(pr.instrument);
    s.flow.awards[k] += 1;
    if (pr.instrument == Instrument::kInnovationProject) {
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

void ProgrammeProcess::projects(Step t) {
  State& s = *state_;
  std::vector<std::uint32_t> ending;
  for (const std::uint32_t r : s.running) {
    const Project& pr = s.projects[r];
    s.flow.spent += pr.grant / static_cast<double>(pr.end - pr.start);
    if (pr.end == t) ending.push_back(r);
  }
  for (const std::uint32_t r : ending) finish_project(t, r);
  std::erase_if(s.running, [&](std::uint32_t r) { return s.projects[r].finished; });
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
    const double gain = pr.succeeded ? p.learning.capacity_gain_project : p.learning.gain_failed_project;
    const double culture_gain =
        pr.succeeded ? p.learning.culture_gain_project : p.learning.gain_failed_project;
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
  if (!pr.succeeded) return;
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
        const std::uint32_t id = create_innovation(t, static_cast<std::uint32_t>(pr.lead_owner), true, agent,
                                                   pr.domain, true, static_cast<std::int32_t>(index), rng);
        for (std::size_t o = 1; o < pr.owners.size(); ++o) adopt(t, pr.owners[o], id, true);
      }
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

}  // namespace innosim::models::forkommune
