// National programmes (DOMAIN.md §5.9): a nationally promoted innovation, like the national
// welfare-technology programme 2014-2021. Its development municipalities develop it and have it
// in ordinary use by the end of the development phase; from the spread phase on, municipalities
// enrol in waves, and enrolment brings guidance (capacity for this innovation), a learning
// network among the enrolled (exposure to the enrolled adopters' share), competence tools
// (shorter adaptation) and money (adaptation staff paid); a mandate year makes every municipality
// adopt it. Everything else is the ordinary diffusion of innovation.cpp: a national programme's
// innovation spreads through the same hazard, ties and adaptation as any other.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/forkommune/detail/state.hpp"
#include "models/forkommune/model.hpp"
#include "sim/distributions.hpp"
#include "sim/error.hpp"

namespace innosim::models::forkommune {

using detail::NationalState;
using detail::State;
using sim::Step;

namespace {

// Municipality codes and populations, in owner order (municipalities come first).
std::vector<std::vector<std::uint32_t>> resolve_developers(const std::vector<std::string>& codes,
                                                           const std::vector<double>& population,
                                                           const Params& params) {
  std::vector<std::vector<std::uint32_t>> out;
  const auto municipalities = static_cast<std::uint32_t>(codes.size());
  for (std::size_t j = 0; j < params.national_programmes.size(); ++j) {
    const NationalProgramme& np = params.national_programmes[j];
    const std::string key = fmt::format("national_programmes[{}].development.municipalities", j);
    std::vector<std::uint32_t> who;
    if (!np.development_codes.empty()) {
      for (const std::string& code : np.development_codes) {
        const auto it = std::find(codes.begin(), codes.end(), code);
        if (it == codes.end()) {
          throw sim::ParamError(key,
                                fmt::format("{} names '{}', which is not a municipality code of the world "
                                            "(municipalities.csv, column code)",
                                            key, code));
        }
        const auto found = static_cast<std::uint32_t>(it - codes.begin());
        if (std::find(who.begin(), who.end(), found) != who.end())
          throw sim::ParamError(key, fmt::format("{} names '{}' twice", key, code));
        who.push_back(found);
      }
    } else {
      if (np.development_count > static_cast<std::int64_t>(municipalities)) {
        throw sim::ParamError(key, fmt::format("{} = {}, but the world has only {} municipalities", key,
                                               np.development_count, municipalities));
      }
      // The largest municipalities (by population; ties by index) develop it: the national
      // welfare-technology programme's development municipalities were mostly large ones.
      who.resize(municipalities);
      std::iota(who.begin(), who.end(), 0U);
      std::stable_sort(who.begin(), who.end(),
                       [&](std::uint32_t a, std::uint32_t b) { return population[a] > population[b]; });
      who.resize(static_cast<std::size_t>(np.development_count));
    }
    out.push_back(std::move(who));
  }
  return out;
}

}  // namespace

std::vector<std::vector<std::uint32_t>> national_developers(const World& world, const Params& params) {
  const std::vector<std::string> codes(world.owner_code.begin(),
                                       world.owner_code.begin() + world.num_municipalities);
  const std::vector<double> population(world.owner_population.begin(),
                                       world.owner_population.begin() + world.num_municipalities);
  return resolve_developers(codes, population, params);
}

void check_national_developers(const WorldData& data, const Params& params) {
  std::vector<std::string> codes;
  std::vector<double> population;
  for (const auto& m : data.municipalities) {
    codes.push_back(m.code);
    population.push_back(m.population);
  }
  static_cast<void>(resolve_developers(codes, population, params));
}

std::uint32_t ProgrammeProcess::tick_of(const NationalProgramme::Date& d) const {
  const std::int64_t ticks =
      static_cast<std::int64_t>(state_->warmup) + (d.year - state_->params.run.start_year) * 12 + d.month;
  return static_cast<std::uint32_t>(std::clamp<std::int64_t>(ticks, 1, sim::kNever - 1));
}

void ProgrammeProcess::start_national() {
  State& s = *state_;
  const auto& nps = s.params.national_programmes;
  s.national.assign(nps.size(), {});
  for (std::size_t j = 0; j < nps.size(); ++j) {
    const NationalProgramme& np = nps[j];
    NationalState& ns = s.national[j];
    ns.developers = model_.developers()[j];
    ns.enrolled.assign(world_.num_owners(), 0);
    ns.network_applied.assign(world_.num_owners(), 0.0F);
    ns.fit_gap.assign(kNumCentralityClasses, 0);
    for (int c = 0; c < kNumCentralityClasses; ++c) {
      int best = kNumCentralityClasses;
      for (const std::uint32_t o : ns.developers)
        best = std::min(best, std::abs(world_.owner_centrality[o] - c));
      ns.fit_gap[static_cast<std::size_t>(c)] =
          static_cast<std::uint8_t>(std::min(best, kNumCentralityClasses - 1));
    }
    ns.start_tick = tick_of(np.development_start);
    ns.end_tick = tick_of(np.development_end);
    ns.spread_tick = tick_of(np.spread_start);
    for (const auto& wave : np.waves) ns.wave_ticks.push_back(tick_of(wave.date));
    ns.mandate_tick = np.mandate_year > 0 ? tick_of({np.mandate_year, 1}) : 0;
  }
}

// The phase: development starts, enrolment waves.
void ProgrammeProcess::national(Step t) {
  State& s = *state_;
  for (std::size_t j = 0; j < s.national.size(); ++j) {
    const NationalProgramme& np = s.params.national_programmes[j];
    NationalState& ns = s.national[j];
    sim::RngStream rng = key_.stream(sim::Purpose::kNational, t, static_cast<sim::AgentId>(j));
    if (t == ns.start_tick) {
      detail::NewInnovation made;
      made.origin = ns.developers.front();
      made.stream_agent = 0x20000000U | static_cast<std::uint32_t>(j);
      const auto domains = domain_names();
      made.domain =
          static_cast<std::uint8_t>(std::find(domains.begin(), domains.end(), np.domain) - domains.begin());
      made.research_backed = np.research_backed;
      made.documented = np.documented ? 1 : 0;
      made.national = static_cast<std::int32_t>(j);
      const std::uint32_t id = create_innovation(t, made, rng);
      ns.innovation = id;
      // The developers have it in ordinary use at a month of their own up to the development's
      // end; their work is the national programme's and is never abandoned.
      for (const std::uint32_t o : ns.developers) {
        enrol(j, o);
        const auto span = static_cast<std::uint64_t>(ns.end_tick - ns.start_tick) + 1;
        const auto end = ns.start_tick + static_cast<std::uint32_t>(sim::uniform_index(rng, span));
        auto& ad = s.adapting[o];
        ad.insert(std::lower_bound(ad.begin(), ad.end(), id), id);
        s.adaptations.push_back({o, id, end, true, true});
      }
      update_learning_network(j);
    }
    if (t == ns.spread_tick && ns.innovation >= 0)
      raise_visibility(static_cast<std::uint32_t>(ns.innovation), t);
    while (ns.next_wave < ns.wave_ticks.size() && ns.wave_ticks[ns.next_wave] <= t) {
      if (ns.wave_ticks[ns.next_wave] == t && ns.innovation >= 0)
        enrol_wave(j, np.waves[ns.next_wave].municipalities, rng);
      ++ns.next_wave;
    }
  }
}

void ProgrammeProcess::enrol(std::size_t j, std::uint32_t owner) {
  State& s = *state_;
  NationalState& ns = s.national[j];
  if (ns.enrolled[owner]) return;
  ns.enrolled[owner] = 1;
  ns.num_enrolled += 1;
  ns.money += s.params.national_programmes[j].money_mnok_per_municipality;
  if (ns.innovation >= 0 && has_adopted(owner, static_cast<std::uint32_t>(ns.innovation)))
    ns.enrolled_adopters += 1;
}

// A wave enrols `count` municipalities that are not yet enrolled, chosen by the programme's order:
// interest (weighted by culture x capacity), largest first, or at random.
void ProgrammeProcess::enrol_wave(std::size_t j, std::int64_t count, sim::RngStream& rng) {
  State& s = *state_;
  const NationalProgramme& np = s.params.national_programmes[j];
  NationalState& ns = s.national[j];
  std::vector<std::uint32_t> open;
  std::vector<double> weight;
  for (std::uint32_t o = 0; o < world_.num_municipalities; ++o) {
    if (ns.enrolled[o]) continue;
    open.push_back(o);
    weight.push_back(np.order == "interest" ? s.culture[o] * s.capacity[o] : 1.0);
  }
  const auto n =
      static_cast<std::size_t>(std::min<std::int64_t>(count, static_cast<std::int64_t>(open.size())));
  if (np.order == "largest") {
    std::stable_sort(open.begin(), open.end(), [&](std::uint32_t a, std::uint32_t b) {
      return world_.owner_population[a] > world_.owner_population[b];
    });
    for (std::size_t k = 0; k < n; ++k) enrol(j, open[k]);
  } else {
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = sim::weighted_index(rng, weight);
      enrol(j, open[i]);
      weight[i] = 0;
    }
  }
  update_learning_network(j);
}

// The learning network: every enrolled municipality that does not have the innovation hears the
// enrolled adopters' share, with weight learning_network (a broadcast, like an arena's).
void ProgrammeProcess::update_learning_network(std::size_t j) {
  State& s = *state_;
  NationalState& ns = s.national[j];
  const double w = s.params.national_programmes[j].learning_network;
  if (ns.innovation < 0 || w <= 0 || ns.num_enrolled == 0) return;
  const auto id = static_cast<std::uint32_t>(ns.innovation);
  const auto level = static_cast<float>(w * ns.enrolled_adopters / ns.num_enrolled);
  for (std::uint32_t o = 0; o < world_.num_owners(); ++o) {
    if (!ns.enrolled[o] || has_adopted(o, id)) continue;
    const float delta = level - ns.network_applied[o];
    if (delta == 0.0F) continue;
    add_exposure(id, o, delta);
    ns.network_applied[o] = level;
  }
}

// Called by adopt() for a national programme's innovation.
void ProgrammeProcess::national_adopted(Step t, std::uint32_t owner, const detail::Innovation& inn) {
  State& s = *state_;
  const auto j = static_cast<std::size_t>(inn.national);
  NationalState& ns = s.national[j];
  if (owner < world_.num_municipalities) {
    ns.adopters += 1;
    const double share = static_cast<double>(ns.adopters) / world_.num_municipalities;
    if (share >= 0.1 && ns.month_10 == sim::kNever) ns.month_10 = t;
    if (share >= 0.5 && ns.month_50 == sim::kNever) ns.month_50 = t;
  }
  if (ns.enrolled[owner]) {
    ns.enrolled_adopters += 1;
    update_learning_network(j);
  }
}

// From a mandate year on, every municipality that does not have the innovation and is not
// adapting it wants it, every month, until its staff allow it to start.
void ProgrammeProcess::national_mandates(Step t) {
  State& s = *state_;
  for (const NationalState& ns : s.national) {
    if (ns.mandate_tick == 0 || t < ns.mandate_tick || ns.innovation < 0) continue;
    const auto id = static_cast<std::uint32_t>(ns.innovation);
    for (std::uint32_t o = 0; o < world_.num_municipalities; ++o) {
      if (!has_adopted(o, id) && !is_adapting(o, id)) requests_.push_back({o, id});
    }
  }
}

}  // namespace innosim::models::forkommune
