// Arenas (DOMAIN.md §5.6, §5.9): the national conference, regional arenas with competence
// brokers, and the national researcher network. Each is held once a year in its month when the
// year's arena plan (plan_arenas) could pay for it, so arena spending never exceeds the arena pot.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/forkommune/detail/state.hpp"
#include "models/forkommune/model.hpp"
#include "sim/distributions.hpp"

namespace innosim::models::forkommune {

using detail::Instrument;
using detail::State;
using sim::AgentId;
using sim::Step;

// The year's arena money (the arena pot) is planned when the year opens: the conference, the
// regional meetings county by county and the researcher network, each in turn when the money
// left pays for it; what is left buys competence brokers (broker_shares). What the plan leaves
// is carried over like any pot's money.
void ProgrammeProcess::plan_arenas(const detail::YearMoney& m) {
  State& s = *state_;
  const auto& a = s.params.arenas;
  detail::ArenaPlan& plan = s.arena_plan;
  const std::uint32_t counties = world_.num_counties();
  plan = {};
  plan.regional.assign(counties, 0);
  plan.brokers.assign(counties, 0);
  double left = m.available[detail::kPotArenas];
  auto reserve = [&](double cost) {
    if (cost > left + 1e-12) return false;
    left -= cost;
    return true;
  };
  plan.conference = a.conference && reserve(a.conference_cost_mnok);
  for (std::uint32_t c = 0; c < counties && a.regional; ++c) {
    if (!reserve(a.regional_cost_mnok_per_county)) break;
    plan.regional[c] = 1;
    plan.cost_regional_and_brokers += a.regional_cost_mnok_per_county;
  }
  plan.network = a.network && reserve(a.network_cost_mnok);
  const std::vector<std::uint32_t> wanted = brokers_wanted(world_, s.params);
  std::vector<std::uint32_t> owners(counties, 0);
  for (std::uint32_t o = 0; o < world_.num_owners(); ++o) owners[world_.owner_county[o]] += 1;
  while (true) {
    // The next broker goes to the county with the most owners per broker, ties by index.
    std::int64_t best = -1;
    double best_load = 0;
    for (std::uint32_t c = 0; c < counties; ++c) {
      if (!plan.regional[c] || plan.brokers[c] >= wanted[c]) continue;
      const double load = static_cast<double>(owners[c]) / (plan.brokers[c] + 1.0);
      if (best < 0 || load > best_load) {
        best = c;
        best_load = load;
      }
    }
    if (best < 0 || !reserve(a.broker_cost_mnok_per_year)) break;
    plan.brokers[static_cast<std::size_t>(best)] += 1;
    plan.cost_regional_and_brokers += a.broker_cost_mnok_per_year;
  }
}

std::vector<std::uint32_t> brokers_wanted(const World& world, const Params& params) {
  const auto& a = params.arenas;
  std::vector<std::uint32_t> owners(world.num_counties(), 0), wanted(world.num_counties(), 0);
  for (std::uint32_t o = 0; o < world.num_owners(); ++o) owners[world.owner_county[o]] += 1;
  for (std::uint32_t c = 0; c < world.num_counties(); ++c) {
    // No more brokers than the county's owners can keep busy.
    const auto busy =
        a.matches_per_broker > 0
            ? (static_cast<std::int64_t>(owners[c]) + a.matches_per_broker - 1) / a.matches_per_broker
            : 0;
    wanted[c] = static_cast<std::uint32_t>(std::min<std::int64_t>(a.brokers_per_county, busy));
  }
  return wanted;
}

void ProgrammeProcess::arenas(Step t) {
  State& s = *state_;
  const World& w = world_;
  const auto& p = s.params;
  if (!p.programme.enabled || t <= s.warmup) return;
  const auto month = static_cast<std::int64_t>((t - 1) % 12 + 1);
  // Arenas are the programme's: only in its years, and only as its money's plan allows.
  if (!s.money[year_index(t)].open) return;
  const detail::ArenaPlan& plan = s.arena_plan;

  if (plan.conference && month == p.arenas.conference_month) {
    commit(t, detail::kPotArenas, p.arenas.conference_cost_mnok, true);
    // Owners with running or recent projects are obliged to come; others come by their culture.
    std::vector<std::uint32_t> obliged, others;
    for (std::uint32_t o = 0; o < w.num_owners(); ++o) {
      sim::RngStream rng = key_.stream(sim::Purpose::kArena, t, w.owner_agent(o));
      const bool recent =
          s.last_project_end[o] != sim::kNever &&
          s.last_project_end[o] + static_cast<std::uint32_t>(p.arenas.conference_obliged_months) >= t;
      const double u = rng.next_double();
      if (s.in_project[o] || recent) {
        obliged.push_back(o);
      } else if (u < p.arenas.conference_attendance_per_culture * s.culture[o]) {
        others.push_back(o);
      }
    }
    std::vector<std::uint32_t> people = obliged;
    for (const std::uint32_t o : others) {
      if (static_cast<std::int64_t>(people.size()) >= p.arenas.conference_capacity) break;
      people.push_back(o);
    }
    if (static_cast<std::int64_t>(people.size()) > p.arenas.conference_capacity) {
      people.resize(static_cast<std::size_t>(p.arenas.conference_capacity));
    }
    std::sort(people.begin(), people.end());
    s.flow.arena_participants += static_cast<double>(people.size());
    // It presents the documented programme innovations of recent years.
    const std::uint32_t since = t > static_cast<std::uint32_t>(12 * p.arenas.conference_recent_years)
                                    ? t - static_cast<std::uint32_t>(12 * p.arenas.conference_recent_years)
                                    : 0;
    const auto forget = std::min<std::size_t>(t + static_cast<std::size_t>(p.diffusion.arena_memory_months),
                                              s.exposure_ends.size() - 1);
    for (std::uint32_t i = 0; i < s.innovations.size(); ++i) {
      const detail::Innovation& inn = s.innovations[i];
      if (!(inn.flags & detail::kProgrammeFunded) || !(inn.flags & detail::kDocumented) ||
          inn.created < since)
        continue;
      const auto amount = static_cast<float>(p.diffusion.arena_exposure);
      for (const std::uint32_t o : people) {
        if (has_adopted(o, i)) continue;
        add_exposure(i, o, amount);
        s.exposure_ends[forget].push_back({i, o, amount});
      }
    }
    // Weak ties among participants, and a little culture. A tie of weight 1 that halves every
    // half-life is dropped below the minimum weight: it lasts half-life x log2(1 / minimum).
    const auto lifetime = static_cast<std::size_t>(
        std::ceil(p.arenas.tie_half_life_months * std::log2(1.0 / std::max(1e-9, p.arenas.tie_min_weight))));
    const std::size_t ends = std::min(t + std::max<std::size_t>(1, lifetime), s.arena_tie_ends.size() - 1);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> made;
    const sim::CsrView existing = s.arena.view();
    for (const std::uint32_t o : people) {
      sim::RngStream rng = key_.stream(sim::Purpose::kArena, t, w.owner_agent(o), 1);
      for (std::int64_t k = 0; k < p.arenas.conference_ties_per_participant && people.size() > 1; ++k) {
        const std::uint32_t other = people[sim::uniform_index(rng, people.size())];
        if (other == o) continue;
        const std::pair<std::uint32_t, std::uint32_t> pair{std::min(o, other), std::max(o, other)};
        const auto nb = existing.neighbours(w.owner_agent(pair.first));
        if (std::find(made.begin(), made.end(), pair) != made.end() ||
            std::binary_search(nb.begin(), nb.end(), w.owner_agent(pair.second))) {
          continue;  // the two already have a tie
        }
        made.emplace_back(pair);
        tie_owners(pair.first, pair.second, s.arena, 1.0F, p.diffusion.weight_arena);
        s.arena_tie_ends[ends].emplace_back(pair);
      }
      s.culture[o] = std::min(1.0, s.culture[o] + p.arenas.conference_culture_gain);
    }
    s.arena.commit();
  }

  if (month == p.arenas.regional_month) {
    double brokers = 0;
    for (std::uint32_t c = 0; c < w.num_counties(); ++c) {
      if (!plan.regional[c]) continue;
      commit(t, detail::kPotArenas,
             p.arenas.regional_cost_mnok_per_county + plan.brokers[c] * p.arenas.broker_cost_mnok_per_year,
             true);
      brokers += plan.brokers[c];
      // The arena mobilises owners with little experience.
      std::vector<std::uint32_t> people;
      for (std::uint32_t o = 0; o < w.num_owners(); ++o) {
        if (w.owner_county[o] != c) continue;
        sim::RngStream rng = key_.stream(sim::Purpose::kArena, t, w.owner_agent(o), 2);
        const bool newcomer = s.projects_done[o] == 0 && !s.in_project[o];
        if (rng.next_double() <
            (newcomer ? p.arenas.regional_participation_newcomer : p.arenas.regional_participation_other)) {
          people.push_back(o);
        }
      }
      s.flow.arena_participants += static_cast<double>(people.size());
      // Brokers match the least experienced participants with a research group near them.
      std::stable_sort(people.begin(), people.end(), [&](std::uint32_t a, std::uint32_t b) {
        return s.projects_done[a] != s.projects_done[b] ? s.projects_done[a] < s.projects_done[b] : a < b;
      });
      const auto matches =
          static_cast<std::size_t>(plan.brokers[c]) * static_cast<std::size_t>(p.arenas.matches_per_broker);
      for (std::size_t k = 0; k < std::min(matches, people.size()); ++k) {
        const std::uint32_t o = people[k];
        std::int64_t best = -1;
        double best_score = -1;
        for (std::uint32_t i = 0; i < w.num_institutions(); ++i) {
          const double score = s.relevance[i] * w.institution_nearness(o, i);
          if (score > best_score) {
            best_score = score;
            best = i;
          }
        }
        if (best < 0) break;
        s.rd_extra.stage_add(w.owner_agent(o), w.institution_agent(static_cast<std::uint32_t>(best)),
                             static_cast<float>(p.arenas.broker_rd_tie_weight));
        s.broker_until[o] = t + static_cast<std::uint32_t>(p.arenas.broker_effect_months);
        s.broker_institution[o] = static_cast<std::uint32_t>(best);
        s.flow.broker_matches += 1;
      }
    }
    s.brokers = brokers;
    s.rd_extra.commit();
  }

  if (plan.network && month == p.arenas.network_month) {
    commit(t, detail::kPotArenas, p.arenas.network_cost_mnok, true);
    std::vector<std::uint32_t> people;
    for (std::uint32_t r = 0; r < w.num_researchers(); ++r) {
      if (s.researcher_active[r] && s.researcher_in_programme[r]) people.push_back(r);
    }
    std::vector<std::uint8_t> attended(w.num_institutions(), 0);
    for (const std::uint32_t r : people) {
      sim::RngStream rng = key_.stream(sim::Purpose::kArena, t, w.researcher_agent(r), 3);
      attended[w.researcher_institution[r]] = 1;
      for (std::int64_t k = 0; k < p.arenas.network_ties_per_researcher && people.size() > 1; ++k) {
        const std::uint32_t other = people[sim::uniform_index(rng, people.size())];
        if (w.researcher_institution[other] == w.researcher_institution[r]) continue;
        s.network.stage_add(w.researcher_agent(r), w.researcher_agent(other), 1.0F);
        const auto pubs = static_cast<double>(sim::poisson(rng, p.arenas.network_publications_per_tie));
        s.flow.publications += pubs;
        s.total.publications += pubs;
        s.publications[w.researcher_institution[r]] += static_cast<std::uint32_t>(pubs);
      }
    }
    for (std::uint32_t i = 0; i < w.num_institutions(); ++i) {
      if (attended[i])
        s.international[i] = std::min(1.0, s.international[i] + p.arenas.network_international_gain);
    }
    s.network.commit();
  }
}

}  // namespace innosim::models::forkommune
