// Own innovation, diffusion and adaptation (DOMAIN.md §5.4-5.5).
//
// Exposure is kept as a running sum per (innovation, exposed owner): an adoption adds the
// adopter's tie weights to its listeners' sums, a new tie adds the adopters on one side to the
// other, and faded arena ties and forgotten arena presentations take their part back. So a
// candidate's exposure is read, not recomputed from its neighbourhood.
//
// Diffusion costs what happens, not owners x innovations per month. Each innovation has two
// channels of candidate adopters: its exposed owners (neighbours of adopters on the exposure
// layers, and owners an arena presented it to) and all owners (for the innovation term p). In
// a channel every member is a candidate in a month with a fixed majorant probability
// pi_max (the adoption probability with capacity, fit and exposure at their maxima); a candidate
// adopts with probability pi(m) / pi_max (thinning, so each owner still adopts with exactly
// pi(m)). The months in which a channel has any candidate are drawn ahead (geometric waiting
// times) and kept in a calendar; the first candidate of such a month comes from a truncated
// geometric draw and the others by geometric skipping. When a channel's membership grows the
// waiting time is drawn afresh (valid because it is memoryless). Work per month is thus
// proportional to the candidates and membership changes, whatever the number of innovations.
#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "models/diffusion/bass.hpp"
#include "models/forkommune/detail/state.hpp"
#include "models/forkommune/detail/streams.hpp"
#include "models/forkommune/model.hpp"
#include "sim/assert.hpp"
#include "sim/distributions.hpp"
#include "sim/parallel.hpp"

namespace innosim::models::forkommune {

using detail::CalendarEntry;
using detail::Innovation;
using detail::Request;
using detail::State;
using sim::AgentId;
using sim::Step;

namespace {

// Sub-streams of an innovation's diffusion stream (block offsets).
constexpr std::uint32_t kDecideExposed = 0;
constexpr std::uint32_t kDecideOpen = 1;
constexpr std::uint32_t kScheduleExposed = 2;
constexpr std::uint32_t kScheduleOpen = 3;

// A channel's majorant is computed afresh once the innovation's relevance has fallen below this
// share of the relevance it was computed with: fewer majorants to compute against a few more
// candidates thinned out (at most 1 / 0.9 - 1 = 11 % more).
constexpr double kStaleMajorant = 0.9;

// Sub-streams 2 and 3 hold several one-block streams each (the schedule's draws at a channel's
// creation, after a decision month and after a rise in visibility: offsets 0, 1 and 2).
std::uint32_t block_of(const Innovation& inn, std::uint32_t sub) {
  SIM_ASSERT(inn.created <= detail::kMaxCreatedMonth && sub < detail::kDiffusionSubStreams,
             "innovation stream layout exceeded (detail/streams.hpp)");
  return detail::diffusion_block(inn.created, sub);
}

void insert_sorted(std::vector<std::uint32_t>& v, std::uint32_t x) {
  const auto it = std::lower_bound(v.begin(), v.end(), x);
  if (it == v.end() || *it != x) v.insert(it, x);
}

bool contains_sorted(const std::vector<std::uint32_t>& v, std::uint32_t x) {
  return std::binary_search(v.begin(), v.end(), x);
}

// A channel of n members, each a candidate in a month with probability pi: log(1 - pi), the
// probability that the month has any candidate, 1 - (1 - pi)^n, and the relevance the majorant pi
// was computed with (see diffusion()).
detail::ChannelRate channel_rate(double pi, std::uint64_t n, double relevance) {
  detail::ChannelRate c;
  c.pi = pi;
  c.relevance = relevance;
  if (n == 0 || pi <= 0) return c;
  c.log_miss = std::log1p(-std::min(pi, 1.0 - 1e-16));
  c.log_none = static_cast<double>(n) * c.log_miss;
  c.any = -std::expm1(c.log_none);
  return c;
}

// Months from `t` (inclusive) to the first month in which the channel has a candidate:
// geometric with P(any), log(1 - P(any)) = n log(1 - pi).
std::uint64_t months_to_candidate(sim::RngStream& rng, const detail::ChannelRate& c) {
  if (c.any <= 0) return std::uint64_t{1} << 40;
  if (c.any >= 1.0) return 0;
  const double x = std::floor(std::log(rng.next_double_open0()) / c.log_none);
  return x >= 1.8e19 ? std::uint64_t{1} << 63 : static_cast<std::uint64_t>(x);
}

}  // namespace

bool ProgrammeProcess::has_adopted(std::uint32_t owner, std::uint32_t innovation) const {
  return contains_sorted(state_->adopted[owner], innovation);
}

bool ProgrammeProcess::is_adapting(std::uint32_t owner, std::uint32_t innovation) const {
  if (contains_sorted(state_->adapting[owner], innovation)) return true;
  for (const auto& [i, since] : state_->waiting[owner]) {
    if (i == innovation) return true;
  }
  return false;
}

std::uint32_t ProgrammeProcess::create_innovation(Step t, const detail::NewInnovation& made,
                                                  sim::RngStream& rng) {
  State& s = *state_;
  const auto& p = s.params.innovation;
  const bool programme = made.programme;
  const bool research_backed = made.research_backed;
  const std::uint32_t origin = made.origin;
  Innovation inn;
  inn.exposure =
      detail::ExposureSet(world_.num_owners(), world_.num_owners() <= detail::ExposureSet::kDenseLimit);
  inn.origin = origin;
  inn.created = t;
  inn.stream_agent = made.stream_agent;
  inn.project = made.project;
  inn.national = made.national;
  const double type_w[detail::kNumTypes] = {p.type_service, p.type_product, p.type_process,
                                            p.type_communication, p.type_policy};
  const auto primary = static_cast<unsigned>(sim::weighted_index(rng, type_w));
  inn.types = static_cast<std::uint8_t>(1U << primary);
  if (rng.next_double() < p.combined_share) {
    auto second = static_cast<unsigned>(sim::uniform_index(rng, detail::kNumTypes - 1));
    if (second >= primary) ++second;
    inn.types = static_cast<std::uint8_t>(inn.types | (1U << second));
  }
  std::uint8_t domain = made.domain;
  if (domain >= kNumDomains) {
    const double dom_w[kNumDomains] = {p.domain_health_care,
                                       p.domain_education,
                                       p.domain_child_welfare,
                                       p.domain_climate_environment,
                                       p.domain_planning_transport,
                                       p.domain_digital_administration,
                                       p.domain_democracy_participation,
                                       p.domain_business_development};
    domain = static_cast<std::uint8_t>(sim::weighted_index(rng, dom_w));
  }
  inn.domain = domain;
  inn.complexity =
      static_cast<float>(sim::lognormal(rng, std::log(p.complexity_median_months), p.complexity_sigma));
  const double benefit = sim::lognormal(rng, std::log(p.benefit_median), p.benefit_sigma);
  inn.benefit = static_cast<float>(std::clamp(benefit, 1e-4, 100.0));
  const double u_documented = rng.next_double();
  const bool documented = made.documented >= 0 ? made.documented != 0 : u_documented < p.documented_share_own;
  const bool spread = rng.next_double() < (programme ? p.spread_share_programme : p.spread_share_own);
  inn.flags = static_cast<std::uint8_t>(
      (documented ? detail::kDocumented : 0) | (research_backed ? detail::kResearchBacked : 0) |
      (programme ? detail::kProgrammeFunded : 0) | (spread ? detail::kActivelySpread : 0) |
      (made.national >= 0 ? detail::kNational : 0));
  if (made.national >= 0) {
    // A national programme's innovation is what its scenario says it is.
    const NationalProgramme& np = s.params.national_programmes[static_cast<std::size_t>(made.national)];
    inn.types = 0;
    for (const auto& name : np.types) {
      const auto names = type_names();
      inn.types = static_cast<std::uint8_t>(
          inn.types |
          (1U << static_cast<unsigned>(std::find(names.begin(), names.end(), name) - names.begin())));
    }
    inn.complexity = static_cast<float>(np.complexity_months);
    inn.benefit = static_cast<float>(np.benefit);
    inn.flags = static_cast<std::uint8_t>(
        (np.documented ? detail::kDocumented : 0) | (np.research_backed ? detail::kResearchBacked : 0) |
        (np.actively_spread ? detail::kActivelySpread : 0) | detail::kNational);
  }
  inn.visibility = full_visibility(inn);
  // A national programme's innovation is documented and spread from its spread phase on; while it
  // is being developed others see only what any innovation shows (national.cpp raises it).
  if (made.national >= 0 && t < s.national[static_cast<std::size_t>(made.national)].spread_tick)
    inn.visibility = static_cast<float>(s.params.diffusion.visibility_base);
  const auto id = static_cast<std::uint32_t>(s.innovations.size());
  s.innovations.push_back(std::move(inn));

  auto& f = s.flow;
  f.innovations += 1;
  if (programme) {
    f.programme += 1;
  } else if (made.national < 0) {
    f.own += 1;
  }
  const bool is_documented = (s.innovations[id].flags & detail::kDocumented) != 0;
  f.research_backed += research_backed ? 1 : 0;
  f.documented += is_documented ? 1 : 0;
  const unsigned types = s.innovations[id].types;
  for (int k = 0; k < detail::kNumTypes; ++k) f.type[k] += (types >> k) & 1U;
  count_group(f.created_by_group, origin, 1.0);
  s.total.innovations += 1;
  s.total.documented += is_documented ? 1 : 0;
  s.total.process += (s.innovations[id].types >> 2) & 1U;
  if (!programme && made.national < 0) {
    s.total.own += 1;
    s.total.own_research += research_backed ? 1 : 0;
    if (research_backed) s.last_research_innovation[origin] = t;
  }
  // The maker is the first adopter; a national programme's developers adopt it as their
  // development ends (national.cpp).
  if (made.national < 0) adopt(t, origin, id, true);
  // Schedule the open channel.
  const Innovation& fresh = s.innovations[id];
  sim::RngStream sched =
      key_.stream(sim::Purpose::kDiffusion, t, fresh.stream_agent, block_of(fresh, kScheduleOpen));
  const auto rate = channel_rate(open_majorant(fresh, t + 1), world_.num_owners(), relevance(fresh, t + 1));
  schedule(id, 1, t + 1 + months_to_candidate(sched, rate), rate);
  return id;
}

float ProgrammeProcess::full_visibility(const Innovation& inn) const {
  const auto& d = state_->params.diffusion;
  const bool shown = (inn.flags & detail::kDocumented) != 0;
  const bool pushed = (inn.flags & detail::kActivelySpread) != 0;
  return static_cast<float>(d.visibility_base + (shown ? d.visibility_documented : 0.0) +
                            (pushed ? d.visibility_spread : 0.0));
}

// A rise in visibility raises every candidate rate: both channels' schedules are drawn afresh
// (the open channel now, the exposed one at the start of this tick's diffusion phase).
void ProgrammeProcess::raise_visibility(std::uint32_t id, Step t) {
  State& s = *state_;
  Innovation& inn = s.innovations[id];
  const float visibility = full_visibility(inn);
  if (visibility <= inn.visibility) return;
  inn.visibility = visibility;
  sim::RngStream sched =
      key_.stream(sim::Purpose::kDiffusion, t, inn.stream_agent, block_of(inn, kScheduleOpen) + 2);
  const auto rate = channel_rate(open_majorant(inn, t), world_.num_owners(), relevance(inn, t));
  schedule(id, 1, t + months_to_candidate(sched, rate), rate);
  if (!inn.exposed_changed) {
    inn.exposed_changed = true;
    s.changed.push_back(id);
  }
}

void ProgrammeProcess::schedule(std::uint32_t innovation, std::uint8_t channel, std::uint64_t tick,
                                const detail::ChannelRate& rate) {
  State& s = *state_;
  Innovation& inn = s.innovations[innovation];
  const std::uint32_t when = tick < s.calendar.size() && alive(inn, static_cast<Step>(tick))
                                 ? static_cast<std::uint32_t>(tick)
                                 : sim::kNever;
  std::uint32_t& next = channel == 0 ? inn.next_exposed : inn.next_open;
  // A channel rescheduled to the tick it was already due in keeps its one calendar entry (two
  // would decide the month twice).
  const bool listed = next == when;
  next = when;
  (channel == 0 ? inn.rate_exposed : inn.rate_open) = rate;
  if (when != sim::kNever && !listed) s.calendar[when].push_back({innovation, channel});
}

// An innovation's appeal halves every innovation.relevance_half_life_years after its creation
// (newer solutions, rules and technology overtake it); 0 keeps it forever.
// After innovation.lifetime_years nobody takes it up any more.
// A national programme's innovation ages with its own half-life (none by default) and lives as
// long as the run.
double ProgrammeProcess::relevance(const Innovation& inn, Step t) const {
  if (!alive(inn, t)) return 0.0;
  const Step age = t - std::min<Step>(t, inn.created);
  if (inn.national >= 0) {
    const double half_life =
        state_->params.national_programmes[static_cast<std::size_t>(inn.national)].half_life_years;
    return half_life <= 0 ? 1.0 : std::exp2(-(static_cast<double>(age) / 12.0) / half_life);
  }
  return relevance_by_age_[age];
}

void ProgrammeProcess::build_tables() {
  const State& s = *state_;
  const auto& d = s.params.diffusion;
  const double half_life = s.params.innovation.relevance_half_life_years;
  // Ages run up to the last tick a majorant looks at (calendar.size() - 1).
  relevance_by_age_.resize(s.calendar.size());
  for (std::size_t age = 0; age < relevance_by_age_.size(); ++age) {
    relevance_by_age_[age] = half_life <= 0 ? 1.0 : std::exp2(-(static_cast<double>(age) / 12.0) / half_life);
  }
  fit_by_gap_.resize(kNumCentralityClasses);
  for (std::size_t gap = 0; gap < fit_by_gap_.size(); ++gap) {
    fit_by_gap_[gap] = std::exp(-d.fit_decay_per_class * static_cast<int>(gap));
  }
  const auto& p = s.params.innovation;
  own_base_rate_.resize(world_.num_owners());
  own_first_.resize(world_.num_owners());
  for (std::uint32_t o = 0; o < world_.num_owners(); ++o) {
    const double base = p.own_rate_per_year / 12.0 *
                        std::pow(world_.owner_population[o] / 10000.0, p.own_population_exponent);
    own_base_rate_[o] = base;
    own_first_[o] = base > 0 ? base * std::exp(-base) / -std::expm1(-base) : 1.0;
  }
  exact_step_ = d.step_rule == "exact";
  linear_response_ = d.response == "linear";
}

bool ProgrammeProcess::alive(const Innovation& inn, Step t) const {
  return inn.national >= 0 || t < inn.created + lifetime_ticks_;
}

// A retired innovation's exposures are forgotten; nothing adds to them any more.
void ProgrammeProcess::retire(Innovation& inn) {
  inn.exposure.clear();
  inn.max_exposure = 0;
}

// The largest probability any owner has of adopting `inn` in tick t or later, at response f:
// capacity and fit at most 1, relevance falling with age.
double ProgrammeProcess::majorant(const Innovation& inn, double f, Step t) const {
  return bass_step_probability(bass_at(inn.visibility * inn.benefit * relevance(inn, t)), f);
}

double ProgrammeProcess::open_majorant(const Innovation& inn, Step t) const {
  return majorant(inn, 0.0, t);
}
double ProgrammeProcess::exposed_majorant(const Innovation& inn, Step t) const {
  return majorant(inn, response(std::min(1.0, static_cast<double>(inn.max_exposure))), t);
}

double ProgrammeProcess::response(double exposure) const {
  const auto& d = state_->params.diffusion;
  if (linear_response_) return exposure;
  const double h = d.saturation_half;
  return exposure * (1.0 + h) / (exposure + h);
}

// k = absorptive capacity x fit x visibility x benefit x relevance: what multiplies p and q for
// this owner and innovation.
double ProgrammeProcess::adoption_scale(std::uint32_t owner, const Innovation& inn, Step t) const {
  const State& s = *state_;
  const auto& d = s.params.diffusion;
  double capacity = s.capacity[owner];
  int gap = std::abs(static_cast<int>(world_.owner_centrality[owner]) -
                     static_cast<int>(world_.owner_centrality[inn.origin]));
  if (inn.national >= 0) {
    // A national programme's innovation was developed in several places: fit is measured to the
    // developer nearest in centrality, and enrolment's guidance closes part of the capacity gap.
    const detail::NationalState& ns = s.national[static_cast<std::size_t>(inn.national)];
    gap = ns.fit_gap[world_.owner_centrality[owner]];
    if (ns.enrolled[owner]) {
      capacity +=
          s.params.national_programmes[static_cast<std::size_t>(inn.national)].guidance * (1.0 - capacity);
    }
  }
  const double absorptive = d.absorptive_exponent == 0   ? 1.0
                            : d.absorptive_exponent == 1 ? capacity
                                                         : std::pow(capacity, d.absorptive_exponent);
  const double fit = fit_by_gap_[static_cast<std::size_t>(gap)];
  return absorptive * fit * inn.visibility * inn.benefit * relevance(inn, t);
}

// The Bass model of one month with p and q scaled by k.
BassParams ProgrammeProcess::bass_at(double k) const {
  const auto& d = state_->params.diffusion;
  BassParams b;
  b.p_innovation_per_step = d.p_per_year * k / 12.0;
  b.q_imitation_per_step = d.q_per_year * k / 12.0;
  b.step_rule = exact_step_ ? BassParams::StepRule::kExact : BassParams::StepRule::kConstantHazard;
  return b;
}

double ProgrammeProcess::adoption_probability(double k, double f) const {
  return bass_step_probability(bass_at(k), f);
}

// An upper bound of adoption_probability(k, f) without an exponential (bass_step_bound), so that
// most thinned-out candidates are rejected for a few multiplications.
double ProgrammeProcess::adoption_bound(double k, double f) const {
  return bass_step_bound(bass_at(k), f);
}

void ProgrammeProcess::add_exposure(std::uint32_t innovation, std::uint32_t owner, float amount) {
  State& s = *state_;
  Innovation& inn = s.innovations[innovation];
  if (!alive(inn, last_tick_)) return;
  // Only a rise makes a new member: the channel's size must change only with a reschedule. The
  // exposed channel is rescheduled when it gains a member or its largest exposure rises (what its
  // majorant depends on); a rise below the largest changes only the thinning.
  const std::size_t members = inn.exposure.size();
  const float sum = inn.exposure.add(owner, amount);
  if (amount > 0 && (inn.exposure.size() > members || sum > inn.max_exposure)) {
    inn.max_exposure = std::max(inn.max_exposure, sum);
    if (!inn.exposed_changed) {
      inn.exposed_changed = true;
      s.changed.push_back(innovation);
    }
  }
}

// Adds a whole sorted row of positive exposures in one go (an adopter's listeners).
void ProgrammeProcess::merge_exposure(std::uint32_t innovation, std::span<const sim::AgentId> owners,
                                      std::span<const float> amounts) {
  if (owners.empty()) return;
  State& s = *state_;
  Innovation& inn = s.innovations[innovation];
  if (!alive(inn, last_tick_)) return;
  const std::size_t members = inn.exposure.size();
  const float top = inn.exposure.merge(owners, amounts, merge_ids_, merge_values_);
  if (inn.exposure.size() == members && top <= inn.max_exposure) return;
  inn.max_exposure = std::max(inn.max_exposure, top);
  if (!inn.exposed_changed) {
    inn.exposed_changed = true;
    s.changed.push_back(innovation);
  }
}

// An adopter is heard by its listeners on the static layers, its project partners (collab) and
// the owners it met at arenas.
void ProgrammeProcess::expose_listeners(std::uint32_t speaker, std::uint32_t innovation) {
  const State& s = *state_;
  const World& w = world_;
  const auto& d = s.params.diffusion;
  const sim::CsrView l = w.listeners.view();
  const auto row = static_cast<std::size_t>(l.end(speaker) - l.begin(speaker));
  merge_exposure(innovation, {l.targets + l.begin(speaker), row}, {l.weights + l.begin(speaker), row});
  const AgentId a = w.owner_agent(speaker);
  auto dynamic = [&](const sim::CsrView& v, double lambda) {
    if (lambda <= 0) return;
    for (sim::EdgeIndex e = v.begin(a); e < v.end(a); ++e) {
      const AgentId b = v.targets[e];
      if (w.owners.contains(b))
        add_exposure(innovation, b - w.owners.begin, static_cast<float>(lambda * v.weight(e)));
    }
  };
  dynamic(s.collab.view(), d.weight_collab);
  dynamic(s.arena.view(), d.weight_arena);
}

// Innovations below `retired` are past their lifetime, except national programmes' (a few), so
// an owner's long list of adoptions is read only from there on.
template <class F>
void ProgrammeProcess::for_living_adopted(std::uint32_t owner, F&& f) {
  const State& s = *state_;
  const std::vector<std::uint32_t>& ids = s.adopted[owner];
  const auto first = std::lower_bound(ids.begin(), ids.end(), static_cast<std::uint32_t>(s.retired));
  if (!s.national.empty()) {
    for (const std::uint32_t i : ids) {
      if (i >= s.retired) break;
      if (s.innovations[i].national >= 0) f(i);
    }
  }
  for (auto it = first; it != ids.end(); ++it) {
    if (alive(s.innovations[*it], last_tick_)) f(*it);
  }
}

void ProgrammeProcess::tie_owners(std::uint32_t a, std::uint32_t b, sim::DynamicLayer& layer, float weight,
                                  double lambda) {
  // Staged now, part of the layer after its commit; exposure follows the tie at once: a new
  // tie between an adopter and a non-adopter exposes the latter.
  layer.stage_add(world_.owner_agent(a), world_.owner_agent(b), weight);
  if (lambda <= 0) return;
  const auto amount = static_cast<float>(lambda * weight);
  for_living_adopted(a, [&](std::uint32_t i) { add_exposure(i, b, amount); });
  for_living_adopted(b, [&](std::uint32_t i) { add_exposure(i, a, amount); });
}

void ProgrammeProcess::end_exposures(Step t) {
  State& s = *state_;
  if (t >= s.exposure_ends.size()) return;
  for (const detail::ExposureEnd& e : s.exposure_ends[t]) add_exposure(e.innovation, e.owner, -e.amount);
  s.exposure_ends[t].clear();
  const auto lambda = static_cast<float>(s.params.diffusion.weight_arena);
  for (const auto& tie : s.arena_tie_ends[t]) {
    const std::uint32_t a = tie.first, b = tie.second;  // named: lambdas cannot capture bindings in clang 14
    s.arena.stage_remove(world_.owner_agent(a), world_.owner_agent(b));
    for_living_adopted(a, [&](std::uint32_t i) { add_exposure(i, b, -lambda); });
    for_living_adopted(b, [&](std::uint32_t i) { add_exposure(i, a, -lambda); });
  }
  s.arena_tie_ends[t].clear();
  s.arena.commit();
}

void ProgrammeProcess::adopt(Step t, std::uint32_t owner, std::uint32_t innovation, bool own_project) {
  State& s = *state_;
  Innovation& inn = s.innovations[innovation];
  insert_sorted(s.adopted[owner], innovation);
  auto& ad = s.adapting[owner];
  if (const auto it = std::lower_bound(ad.begin(), ad.end(), innovation);
      it != ad.end() && *it == innovation) {
    ad.erase(it);
  }
  inn.adopters += 1;
  const bool maker = owner == inn.origin && inn.adopters == 1 && inn.national < 0;
  if (inn.national >= 0) national_adopted(t, owner, inn);
  if (!maker) {
    if (s.log_adoptions && t > s.warmup) s.adoption_log.push_back({owner, innovation, t});
    s.flow.adoptions += 1;
    count_group(s.flow.adoptions_by_group, owner, 1.0);
    s.adoptions_total[owner] += 1;
    if (!own_project) {
      inn.spread_adopters += 1;
      s.flow.spread += 1;
      s.total.spread += 1;
      count_group(s.flow.spread_by_group, owner, 1.0);
      s.spread_by_year[std::min<std::size_t>((t - 1) / 12, s.spread_by_year.size() - 1)] += 1;
    }
    const auto& l = s.params.learning;
    s.capacity[owner] = std::min(1.0, s.capacity[owner] + l.capacity_gain_adoption);
    s.culture[owner] = std::min(1.0, s.culture[owner] + l.culture_gain_adoption);
  }
  const double share = static_cast<double>(inn.adopters) / static_cast<double>(world_.num_owners());
  const bool recorded = innovation >= s.first_recorded_innovation && t > s.warmup;
  if (recorded) s.total.adopters += 1;
  if (share >= 0.1 && inn.month_10 == sim::kNever) {
    inn.month_10 = t;
    if (recorded) {
      s.total.reached10 += 1;
      s.total.months_to_10 += t - inn.created;
    }
  }
  if (share >= 0.5 && inn.month_50 == sim::kNever) {
    inn.month_50 = t;
    if (recorded) s.total.reached50 += 1;
  }
  if (!maker && t > s.warmup && owner < world_.num_municipalities) count_for_gini(owner);
  if (inn.flags & detail::kResearchBacked) s.research_user[owner] = 1;
  s.last_innovation[owner] = t;
  expose_listeners(owner, innovation);
}

// One more adoption by municipality o: it moves to the end of its run of equal counts in the
// sorted order and its count goes up by one, which adds its new rank to sum (k + 1) x_(k).
void ProgrammeProcess::count_for_gini(std::uint32_t o) {
  State& s = *state_;
  const std::uint32_t at = s.rank[o];
  const std::uint32_t value = s.sorted_adoptions[at];
  const auto last = static_cast<std::uint32_t>(
      std::upper_bound(s.sorted_adoptions.begin() + at, s.sorted_adoptions.end(), value) -
      s.sorted_adoptions.begin() - 1);
  const std::uint32_t other = s.order[last];
  std::swap(s.order[at], s.order[last]);
  s.rank[other] = at;
  s.rank[o] = last;
  s.sorted_adoptions[last] = value + 1;
  s.rank_weighted += last + 1.0;
  s.adoptions_sum += 1;
}

void ProgrammeProcess::own_innovation(Step t) {
  State& s = *state_;
  const auto& p = s.params.innovation;
  auto power = [](double x, double e) { return e == 1.0 ? x : e == 0.0 ? 1.0 : std::pow(x, e); };
  // innovation.initial_innovations, made by owners drawn uniformly in the first recorded month;
  // their streams are named 0x40000000 + rank.
  if (t == s.warmup + 1 && p.initial_innovations > 0) {
    sim::RngStream rng = key_.stream(sim::Purpose::kOwnInnovation, t, sim::kNoAgent);
    for (std::int64_t j = 0; j < p.initial_innovations; ++j) {
      const auto o = static_cast<std::uint32_t>(sim::uniform_index(rng, world_.num_owners()));
      detail::NewInnovation made;
      made.origin = o;
      made.stream_agent = 0x40000000U | static_cast<std::uint32_t>(j);
      made.research_backed = rng.next_double() < p.research_share_own;
      create_innovation(t, made, rng);
    }
  }
  // An owner makes Poisson(rate) innovations a month, rate = base x capacity^a x culture^b, at
  // most its base rate (capacity and culture are at most 1, the exponents at least 0). So each
  // owner runs a Poisson process of candidates at its base rate, kept as the next month that has
  // any (geometric waiting times), and a candidate becomes an innovation with probability
  // rate / base (thinning): the count of a month is still Poisson(rate), and work follows the
  // candidates, not owners x months. An owner's candidates do not depend on the scenario, so
  // paired scenarios differ only where their thinning does.
  if (s.own_next.empty()) {
    s.own_next.resize(world_.num_owners());
    for (std::uint32_t o = 0; o < world_.num_owners(); ++o) s.own_next[o] = next_own_candidate(t, o);
  }
  for (std::uint32_t o = 0; o < world_.num_owners(); ++o) {
    if (s.own_next[o] != t) continue;
    sim::RngStream rng = key_.stream(sim::Purpose::kOwnInnovation, t, o);
    const double base = own_base_rate_[o];
    const double keep =
        power(s.capacity[o], p.own_capacity_exponent) * power(s.culture[o], p.own_culture_exponent);
    const std::uint64_t candidates = positive_poisson(rng, base, own_first_[o]);
    std::uint32_t made_now = 0;
    for (std::uint64_t c = 0; c < candidates && made_now < 64; ++c) {
      if (rng.next_double() >= keep) continue;
      // An own innovation's streams are named by its maker and its rank among the maker's
      // innovations of the tick (the tick itself goes into the block, see block_of()).
      detail::NewInnovation made;
      made.origin = o;
      made.stream_agent = (o << 6) | made_now++;
      made.research_backed = rng.next_double() < p.research_share_own;
      create_innovation(t, made, rng);
    }
    s.own_next[o] = next_own_candidate(t + 1, o);
  }
}

// The first month from `from` on in which owner o has an own-innovation candidate: geometric with
// P(any) = 1 - e^-base, drawn from a stream apart from the month's own (which makes the
// innovations and may use many blocks).
std::uint32_t ProgrammeProcess::next_own_candidate(Step from, std::uint32_t o) const {
  const double base = own_base_rate_[o];
  if (base <= 0) return sim::kNever;
  sim::RngStream rng = key_.stream(sim::Purpose::kOwnInnovation, from, o, 1U << 24);
  const double months = std::floor(std::log(rng.next_double_open0()) / -base);
  return months >= static_cast<double>(state_->calendar.size()) ? sim::kNever
                                                                : from + static_cast<std::uint32_t>(months);
}

// Poisson(mean) conditioned on at least one; first = P(1 | at least 1) = mean e^-mean / (1 - e^-mean).
// Inversion for small means (one draw, nearly always 1); above 10 a Poisson draw is 0 with
// probability e^-10 and redrawn.
std::uint64_t ProgrammeProcess::positive_poisson(sim::RngStream& rng, double mean, double first) {
  if (mean > 10.0) {
    for (;;) {
      if (const std::uint64_t k = sim::poisson(rng, mean); k > 0) return k;
    }
  }
  const double u = rng.next_double();
  double prob = first;
  double cumulative = prob;
  std::uint64_t k = 1;
  while (u > cumulative && k < 1000) {
    ++k;
    prob *= mean / static_cast<double>(k);
    cumulative += prob;
  }
  return k;
}

void ProgrammeProcess::diffusion(Step t) {
  State& s = *state_;
  // Innovations are made in tick order: those past their lifetime are a prefix not yet retired.
  // (a national programme's innovation lives as long as the run and is skipped).
  while (s.retired < s.innovations.size() &&
         (s.innovations[s.retired].national >= 0 || !alive(s.innovations[s.retired], t))) {
    Innovation& inn = s.innovations[s.retired++];
    if (inn.national < 0) retire(inn);
  }
  // Channels whose membership grew since their schedule was drawn get a fresh waiting time,
  // starting with this tick.
  for (const std::uint32_t i : s.changed) {
    Innovation& inn = s.innovations[i];
    inn.exposed_changed = false;
    sim::RngStream sched =
        key_.stream(sim::Purpose::kDiffusion, t, inn.stream_agent, block_of(inn, kScheduleExposed));
    const auto rate = channel_rate(exposed_majorant(inn, t), inn.exposure.size(), relevance(inn, t));
    schedule(i, 0, t + months_to_candidate(sched, rate), rate);
  }
  s.changed.clear();
  if (t >= s.calendar.size()) return;
  std::vector<CalendarEntry>& due = due_;
  due.clear();
  due.swap(s.calendar[t]);
  // Stale entries (a channel rescheduled since) are dropped.
  std::erase_if(due, [&](const CalendarEntry& e) {
    const Innovation& inn = s.innovations[e.innovation];
    return (e.channel == 0 ? inn.next_exposed : inn.next_open) != t;
  });
  const std::uint32_t n_owners = world_.num_owners();
  requests_.clear();
  auto& wishes = wishes_;
  std::vector<std::uint64_t>& next_wait = next_wait_;
  std::vector<detail::ChannelRate>& next_rate = next_rate_;
  next_wait.resize(due.size());
  next_rate.resize(due.size());
  auto decide = [&](std::size_t k) {
    const CalendarEntry& e = due[k];
    const Innovation& inn = s.innovations[e.innovation];
    const bool exposed_channel = e.channel == 0;
    const std::uint64_t n = exposed_channel ? inn.exposure.size() : n_owners;
    // Candidates come at the rate the schedule was drawn with; relevance has fallen since, so
    // thinning by pi(m, t) / pi_max stays exact.
    const detail::ChannelRate& rate = exposed_channel ? inn.rate_exposed : inn.rate_open;
    const double pi_max = rate.pi;
    sim::RngStream rng = key_.stream(sim::Purpose::kDiffusion, t, inn.stream_agent,
                                     block_of(inn, exposed_channel ? kDecideExposed : kDecideOpen));
    auto& out = wishes.local();
    detail::ExposureSet::Walker members(inn.exposure);
    // This month has at least one candidate: the first from a geometric truncated to [0, n),
    // the rest by geometric skipping.
    const double log_miss = rate.log_miss;
    const double any = rate.any;
    std::uint64_t j =
        pi_max >= 1.0
            ? 0
            : static_cast<std::uint64_t>(std::floor(std::log1p(-rng.next_double() * any) / log_miss));
    // Members between candidates: geometric with pi_max (sim::geometric_failures, with
    // log(1 - pi_max) taken once).
    const double log_keep = pi_max < 1.0 - 1e-16 ? log_miss : std::log1p(-pi_max);
    auto skip = [&](sim::RngStream& r) -> std::uint64_t {
      if (pi_max >= 1.0) return 0;
      const double x = std::floor(std::log(r.next_double_open0()) / log_keep);
      return x >= 1.8e19 ? std::uint64_t{1} << 63 : static_cast<std::uint64_t>(x);
    };
    while (j < n) {
      const auto [m, sum] = exposed_channel ? members.at(j) : std::pair{static_cast<std::uint32_t>(j), 0.0F};
      const double u = rng.next_double();
      if (!(exposed_channel ? false : inn.exposure.contains(m)) && !has_adopted(m, e.innovation) &&
          !is_adapting(m, e.innovation)) {
        const double f = exposed_channel ? response(std::min(1.0, static_cast<double>(sum))) : 0.0;
        const double scale = adoption_scale(m, inn, t);
        const double x = u * pi_max;
        if (x < adoption_bound(scale, f) && x < adoption_probability(scale, f))
          out.push_back({m, e.innovation});
      }
      j += 1 + skip(rng);
    }
    if (rng.blocks_used() - block_of(inn, exposed_channel ? kDecideExposed : kDecideOpen) >
        detail::kBlocksPerSubStream) {
      throw std::runtime_error(fmt::format(
          "month {}: an innovation's diffusion channel had more candidates ({} members, candidate "
          "probability {:.3g}) than its random stream holds (detail/streams.hpp); the parameters make "
          "nearly every owner a candidate every month",
          t, n, pi_max));
    }
    sim::RngStream sched = key_.stream(sim::Purpose::kDiffusion, t, inn.stream_agent,
                                       block_of(inn, exposed_channel ? kScheduleExposed : kScheduleOpen) + 1);
    // The schedule goes on with the same majorant while it is at most kStaleMajorant above the
    // one of month t + 1 (relevance only falls, so it stays an upper bound; the thinning above
    // makes up for the difference); only then is it computed afresh.
    const double now = relevance(inn, t + 1);
    next_rate[k] =
        now >= kStaleMajorant * rate.relevance
            ? rate
            : channel_rate(exposed_channel ? exposed_majorant(inn, t + 1) : open_majorant(inn, t + 1), n,
                           now);
    next_wait[k] = 1 + months_to_candidate(sched, next_rate[k]);
  };
  if (due.size() < 64) {
    for (std::size_t k = 0; k < due.size(); ++k) decide(k);
  } else {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, due.size(), 16), [&](const auto& r) {
      for (std::size_t k = r.begin(); k != r.end(); ++k) decide(k);
    });
  }
  for (std::size_t k = 0; k < due.size(); ++k) {
    schedule(due[k].innovation, due[k].channel, t + next_wait[k], next_rate[k]);
  }
  for (auto& local : wishes) {
    requests_.insert(requests_.end(), local.begin(), local.end());
    local.clear();
  }
  national_mandates(t);
  std::sort(requests_.begin(), requests_.end(), [](const Request& a, const Request& b) {
    return a.owner != b.owner ? a.owner < b.owner : a.innovation < b.innovation;
  });
}

void ProgrammeProcess::adaptation(Step t) {
  State& s = *state_;
  const auto& d = s.params.diffusion;
  // Running adaptations finish or are abandoned (a national programme's development is not).
  std::vector<detail::Adaptation>& still = adaptations_scratch_;
  still.clear();
  for (const auto& a : s.adaptations) {
    sim::RngStream rng = key_.stream(sim::Purpose::kAdaptation, t, a.owner, a.innovation);
    const double staff = d.staff_limit && !a.paid ? d.adaptation_staff_fte : 0.0;
    if (t >= a.end) {
      s.staff_busy[a.owner] -= staff;
      adopt(t, a.owner, a.innovation, a.committed);
    } else if (!a.committed && rng.next_double() < d.adaptation_abandon_per_month) {
      s.staff_busy[a.owner] -= staff;
      auto& ad = s.adapting[a.owner];
      ad.erase(std::lower_bound(ad.begin(), ad.end(), a.innovation));
    } else {
      still.push_back(a);
    }
  }
  s.adaptations.swap(still);
  // An adaptation starts when the owner has staff for it; otherwise the wish waits, oldest
  // first, for at most diffusion.wait_months. It takes the innovation's complexity in months,
  // shorter for capable owners, for owners that learnt from a documented failure in its domain,
  // and with a national programme's competence tools.
  auto start = [&](std::uint32_t owner, std::uint32_t innovation) {
    const Innovation& inn = s.innovations[innovation];
    double months = inn.complexity * d.adaptation_duration_factor * (1.5 - s.capacity[owner]);
    if (s.lesson_until[static_cast<std::size_t>(owner) * kNumDomains + inn.domain] > t)
      months *= 1.0 - s.params.learning.failure_lesson_adaptation_cut;
    bool paid = false;
    if (inn.national >= 0 && s.national[static_cast<std::size_t>(inn.national)].enrolled[owner]) {
      const NationalProgramme& np = s.params.national_programmes[static_cast<std::size_t>(inn.national)];
      months *= 1.0 - np.competence_tools;
      paid = np.money_mnok_per_municipality > 0;
    }
    const auto duration = static_cast<std::uint32_t>(std::lround(std::max(0.0, months)));
    if (duration == 0) {
      adopt(t, owner, innovation, false);
      return;
    }
    if (d.staff_limit && !paid) s.staff_busy[owner] += d.adaptation_staff_fte;
    insert_sorted(s.adapting[owner], innovation);
    s.adaptations.push_back({owner, innovation, t + duration, paid, false});
  };
  auto has_staff = [&](std::uint32_t owner, std::uint32_t innovation) {
    if (!d.staff_limit || free_staff(owner) >= d.adaptation_staff_fte) return true;
    const Innovation& inn = s.innovations[innovation];
    return inn.national >= 0 && s.national[static_cast<std::size_t>(inn.national)].enrolled[owner] &&
           s.params.national_programmes[static_cast<std::size_t>(inn.national)].money_mnok_per_municipality >
               0;
  };
  for (std::uint32_t o = 0; o < world_.num_owners(); ++o) {
    auto& queue = s.waiting[o];
    if (queue.empty()) continue;
    // The queue stays whole while it is worked (is_adapting() reads it); the wishes kept are
    // gathered in scratch and copied back, so nothing is allocated once warm.
    auto& keep = waiting_scratch_;
    keep.clear();
    for (const auto& [innovation, since] : queue) {
      if (has_adopted(o, innovation) || contains_sorted(s.adapting[o], innovation)) continue;
      if (has_staff(o, innovation)) {
        start(o, innovation);
      } else if (t < since + static_cast<std::uint32_t>(d.wait_months)) {
        keep.emplace_back(innovation, since);
      }
    }
    queue.assign(keep.begin(), keep.end());
  }
  // This tick's new wishes, owner by owner.
  for (const Request& r : requests_) {
    if (has_adopted(r.owner, r.innovation) || is_adapting(r.owner, r.innovation)) continue;
    if (has_staff(r.owner, r.innovation)) {
      start(r.owner, r.innovation);
    } else {
      s.flow.delayed += 1;
      if (d.wait_months > 0) s.waiting[r.owner].emplace_back(r.innovation, t);
    }
  }
  requests_.clear();
}

}  // namespace innosim::models::forkommune
