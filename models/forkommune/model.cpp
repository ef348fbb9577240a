// The programme model's replicate: start-up, the tick's phases, learning, rules and indicators.
// The submodels live in programme.cpp (calls, review, projects), innovation.cpp (own innovation,
// diffusion, adaptation) and arenas.cpp.
#include "models/forkommune/model.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "models/forkommune/detail/state.hpp"
#include "sim/distributions.hpp"
#include "sim/ensemble.hpp"
#include "sim/error.hpp"

namespace innosim::models::forkommune {

using detail::Instrument;
using detail::State;
using sim::AgentId;
using sim::Aggregation;
using sim::Step;

namespace {

double logistic(double x) {
  return 1.0 / (1.0 + std::exp(-x));
}

const char* const kTypeNames[detail::kNumTypes] = {"service", "product", "process", "communication",
                                                   "policy"};
const char* const kInstrumentNames[detail::kNumInstruments] = {"pre_project", "innovation_project",
                                                               "competence_project"};

// Indices of the indicators, in the order make_indicator_layout declares them.
enum Ix : std::size_t {
  kInnovationsCreated,
  kInnovationsOwn,
  kInnovationsProgramme,
  kInnovationsResearch,
  kInnovationsDocumented,
  kInnovationsType0,
  kAdoptions = kInnovationsType0 + detail::kNumTypes,
  kSpread,
  kDelayed,
  kApplications0,
  kAwards0 = kApplications0 + detail::kNumInstruments,
  kSucceeded0 = kAwards0 + detail::kNumInstruments,
  kFailed0 = kSucceeded0 + detail::kNumInstruments,
  kCommitted = kFailed0 + detail::kNumInstruments,
  kSpent,
  kPublications,
  kPhds,
  kArenaParticipants,
  kBrokerMatches,
  kBudget,
  kAvailable,
  kCarriedOver,
  kLapsed,
  kOutstanding,
  kCofunding,
  kBrokers,
  kFailureLessons,
  kExpectedSuccessIp,
  kResearchUsing,
  kResearchUsingShare,
  kInnovating24,
  kResearchInnovating24,
  kCollabOwnerOwner,
  kCollabOwnerInstitution,
  kMeanCapacity,
  kMeanCulture,
  kGini,
  kRunningProjects,
  kRunningAdaptations,
  kWaiting,
  kInnovationsTotal,
  kReached10,
  kReached50,
  kMonthsTo10,
  kAdoptersPerInnovation,
  kRatioResearchOwn,
  kRatioDocumented,
  kRatioProcess,
  kRatioIpSuccess,
  kRatioIpGrant,
  kRatioIpOwners,
  kRatioSmallLead,
  kRatioNewcomerLead,
  kGroups  // then five flows and one stock per group, then kPerNational per national programme
};
constexpr std::size_t kPerGroup = 6;
constexpr std::size_t kPerNational = 8;

}  // namespace

std::size_t run_ensemble(const ProgrammeModel& model, sim::Replicate count, std::size_t max_in_flight,
                         const std::function<void(ProgrammeResult&&)>& consume,
                         const std::atomic<bool>* cancel, const ResultOptions& options,
                         sim::Replicate first) {
  return sim::run_ensemble<ProgrammeResult>(
      first, count, max_in_flight,
      [&](sim::Replicate r) {
        auto process = model.make_replicate(r);
        process->log_adoptions(options.events);
        sim::SeriesRecorder recorder;
        sim::Observer* observers[] = {&recorder};
        sim::run_process(*process, {model.params().run.seed, r, model.steps()}, observers);
        ProgrammeResult result{r, std::move(recorder).take(), process->state().fired_rules, {}};
        if (options.tables || options.events) result.tables = replicate_tables(*process);
        return result;
      },
      [&](sim::Replicate, ProgrammeResult&& result) { consume(std::move(result)); }, cancel);
}

IndicatorLayout make_indicator_layout(const World& world, const Params& params) {
  IndicatorLayout l;
  auto& s = l.schema;
  const auto flow = Aggregation::kFlow;
  s.add("innovations_created", "innovations", "Innovations created (own and programme).", flow);
  s.add("innovations_own", "innovations", "Innovations owners made on their own.", flow);
  s.add("innovations_programme", "innovations", "Innovations from successful programme projects.", flow);
  s.add("innovations_research_backed", "innovations",
        "Innovations created that involve a research institution.", flow);
  s.add("innovations_documented", "innovations", "Innovations created that were evaluated and written up.",
        flow);
  for (const char* t : kTypeNames) {
    s.add(fmt::format("innovations_type_{}", t), "innovations",
          fmt::format("Innovations created that include the type {}.", t), flow);
  }
  s.add("adoptions", "adoptions", "Adoptions completed (an owner took up an innovation it did not make).",
        flow);
  s.add("spread_adoptions", "adoptions",
        "Adoptions by owners that took no part in the innovation's project or making.", flow);
  s.add("adoptions_delayed_staff", "adoptions",
        "Wishes to adopt that had to wait for free staff (counted when they start waiting).", flow);
  for (const char* i : kInstrumentNames)
    s.add(fmt::format("applications_{}", i), "applications", fmt::format("Applications to the {} call.", i),
          flow);
  for (const char* i : kInstrumentNames)
    s.add(fmt::format("awards_{}", i), "projects", fmt::format("Projects funded ({}).", i), flow);
  for (const char* i : kInstrumentNames)
    s.add(fmt::format("succeeded_{}", i), "projects",
          fmt::format("Projects that ended with success ({}).", i), flow);
  for (const char* i : kInstrumentNames)
    s.add(fmt::format("failed_{}", i), "projects",
          fmt::format("Projects that ended without success ({}).", i), flow);
  s.add("money_committed_mnok", "MNOK", "Grants awarded and arena costs.", flow);
  s.add("money_spent_mnok", "MNOK",
        "Grant money paid out (grants spread evenly over project months) and arena costs.", flow);
  s.add("publications", "publications", "Publications from projects and the researcher network.", flow);
  s.add("phds", "PhDs", "PhD candidates who finished in competence projects.", flow);
  s.add("arena_participants", "owners", "Owners attending an arena.", flow);
  s.add("broker_matches", "matches", "Municipality-research matches made by competence brokers.", flow);
  s.add("money_budget_mnok", "MNOK",
        "The programme's new money when a programme year opens: budget_mnok_per_year x the ramp-up.", flow);
  s.add("money_available_mnok", "MNOK",
        "Money made available when a programme year opens: the budget plus what was carried over into it.",
        flow);
  s.add("money_carried_over_mnok", "MNOK",
        "Money not committed in a programme year and carried into the next (at the year's end).", flow);
  s.add("money_lapsed_mnok", "MNOK",
        "Money not committed in a programme year and lost (no carry-over, or after the last year).", flow);
  s.add("money_outstanding_mnok", "MNOK", "Grants committed and not yet paid out.");
  s.add("cofunding_mnok", "MNOK",
        "The owners' share of the cost of the innovation projects funded (cost - grant), at award.", flow);
  s.add("brokers", "brokers", "Competence brokers the arena money pays for this year.");
  s.add("failure_lessons", "owners",
        "Owners that learnt from a failed, documented innovation project (its owners and their listeners).",
        flow);
  s.add(
      "expected_success_ip", "1",
      "The success rate applicants expected at the latest innovation-project call (drives how many apply).");
  s.add("research_using_municipalities", "municipalities",
        "Municipalities that took part in a project or adopted a research-backed innovation (cumulative).");
  s.add("research_using_share", "1", "Share of municipalities using research.");
  s.add("innovating_24m_share", "1",
        "Share of municipalities with an own innovation or an adoption in the last 24 months.");
  s.add("research_innovating_24m_share", "1",
        "Among municipalities innovating in the last 24 months, the share that made an innovation with a "
        "research institution in that time (an own research-backed innovation, or a successful innovation "
        "project of theirs).");
  s.add("collab_ties_municipality_municipality", "ties", "Lasting owner-owner ties from joint projects.");
  s.add("collab_ties_municipality_research", "ties", "Lasting owner-institution ties from joint projects.");
  s.add("mean_capacity", "1", "Mean capacity of the municipalities.");
  s.add("mean_culture", "1", "Mean innovation culture of the municipalities.");
  s.add("gini_adoptions", "1", "Gini coefficient of cumulative adoptions across municipalities.");
  s.add("running_projects", "projects", "Projects running at the end of the month.");
  s.add("running_adaptations", "adaptations", "Adaptations under way at the end of the month.");
  s.add("waiting_adoptions", "adoptions",
        "Adoptions wanted and waiting for free staff at the end of the month.");
  s.add("innovations_total", "innovations", "Innovations created so far.");
  s.add("innovations_reached_10pct", "innovations",
        "Innovations adopted by at least 10 % of municipalities.");
  s.add("innovations_reached_50pct", "innovations",
        "Innovations adopted by at least 50 % of municipalities.");
  s.add("mean_months_to_10pct", "months",
        "Mean months from creation to 10 % adoption, over innovations that got there.");
  s.add("mean_adopters_per_innovation", "owners", "Mean adopters per innovation, the maker included.");
  s.add("share_research_own", "1", "Share of own innovations so far that involve a research institution.");
  s.add("share_documented", "1", "Share of innovations so far that are documented.");
  s.add("share_process", "1", "Share of innovations so far that include the process type.");
  s.add("ip_success_rate", "1", "Innovation-project applications funded / submitted, so far.");
  s.add("ip_mean_grant_mnok", "MNOK", "Mean innovation-project grant so far.");
  s.add("ip_owners_per_project", "owners", "Mean owners per funded innovation project so far.");
  s.add("ip_small_lead_share", "1",
        "Share of funded innovation projects led by small municipalities, so far.");
  s.add("ip_newcomer_lead_share", "1",
        "Share of funded innovation projects led by owners without an earlier project.");
  for (int c = 1; c <= kNumCentralityClasses; ++c) l.group_names.push_back(fmt::format("centrality_{}", c));
  for (const char* sz : {"size_lt5k", "size_5k_20k", "size_20k_50k", "size_gt50k"})
    l.group_names.emplace_back(sz);
  for (const auto& code : world.county_code) l.group_names.push_back("county_" + code);
  for (const auto& g : l.group_names) {
    s.add("adoptions." + g, "adoptions", "Adoptions by owners in the group.", flow);
    s.add("spread_adoptions." + g, "adoptions", "Spread adoptions by owners in the group.", flow);
    s.add("innovations_created." + g, "innovations", "Innovations made by owners in the group.", flow);
    s.add("applications_innovation_project." + g, "applications",
          "Innovation-project applications led by the group.", flow);
    s.add("awards_innovation_project." + g, "projects", "Innovation projects funded, led by the group.",
          flow);
    s.add("research_using." + g, "owners", "Owners of the group using research (cumulative).");
  }
  for (const NationalProgramme& np : params.national_programmes) {
    const std::string n = "national." + np.name + ".";
    s.add(n + "adopters", "municipalities", "Municipalities that have the national programme's innovation.");
    s.add(n + "share", "1", "Share of municipalities that have the national programme's innovation.");
    s.add(n + "enrolled", "municipalities", "Owners enrolled in the national programme.");
    s.add(n + "reached_10pct", "flag", "1 once 10 % of municipalities have the innovation.");
    s.add(n + "months_to_10pct", "months",
          "Months from the start of the spread phase to 10 % of municipalities (negative: before it; 0 until "
          "reached, so the mean over replicates that reached it is mean(months) / mean(reached)).");
    s.add(n + "reached_50pct", "flag", "1 once 50 % of municipalities have the innovation.");
    s.add(n + "months_to_50pct", "months",
          "Months from the start of the spread phase to 50 % (as for 10 %).");
    s.add(n + "money_mnok", "MNOK", "Money paid to enrolled municipalities so far.");
  }
  return l;
}

ProgrammeModel::ProgrammeModel(std::shared_ptr<const World> world, Params params)
    : world_(std::move(world)), params_(std::move(params)), layout_(make_indicator_layout(*world_, params_)) {
  validate(params_);
  developers_ = national_developers(*world_, params_);
  for (auto& w : money_warnings(*world_, params_)) {
    warnings_.push_back(std::move(w.en));
    warnings_nb_.push_back(std::move(w.nb));
  }
}

std::unique_ptr<ProgrammeProcess> ProgrammeModel::make_replicate(sim::Replicate r) const {
  return std::make_unique<ProgrammeProcess>(*this, r);
}

ProgrammeProcess::ProgrammeProcess(const ProgrammeModel& model, sim::Replicate replicate)
    : model_(model), world_(model.world()), key_{model.params().run.seed, replicate} {
  stepper_.add_phase("programme_calendar", [this](Step t) { programme_calendar(t); });
  stepper_.add_phase("arenas", [this](Step t) { arenas(t); });
  stepper_.add_phase("national_programmes", [this](Step t) { national(t); });
  stepper_.add_phase("projects", [this](Step t) { projects(t); });
  stepper_.add_phase("own_innovation", [this](Step t) { own_innovation(t); });
  stepper_.add_phase("diffusion", [this](Step t) { diffusion(t); });
  stepper_.add_phase("adaptation", [this](Step t) { adaptation(t); });
  stepper_.add_phase("learning", [this](Step t) { learning(t); });
  stepper_.add_phase("rules", [this](Step t) { rules(t); });
}

ProgrammeProcess::~ProgrammeProcess() = default;

void ProgrammeProcess::start() {
  const auto& p = model_.params();
  const World& w = world_;
  const AgentId n = w.population.size();
  state_ = std::make_unique<State>(p, n);
  last_tick_ = 0;
  State& s = *state_;
  s.log_adoptions = log_adoptions_;
  lifetime_ticks_ = p.innovation.lifetime_years > 0
                        ? static_cast<std::uint32_t>(std::lround(p.innovation.lifetime_years * 12.0))
                        : sim::kNever / 2;
  const std::uint32_t no = w.num_owners();
  s.capacity0.resize(no);
  s.culture0.resize(no);
  for (std::uint32_t o = 0; o < no; ++o) {
    sim::RngStream rng = key_.stream(sim::Purpose::kOwnerInit, 0, o);
    const double log_pop = std::log(w.owner_population[o] / 10000.0);
    const double z1 = sim::normal(rng, 0, 1);
    const double z2 = sim::normal(rng, 0, 1);
    s.capacity0[o] = logistic(p.owners.capacity_intercept + p.owners.capacity_per_log_population * log_pop -
                              p.owners.capacity_per_centrality_class * (w.owner_centrality[o] + 1 - 3.5) +
                              p.owners.capacity_noise_sd * z1);
    s.culture0[o] = logistic(p.owners.culture_intercept + p.owners.culture_per_log_population * log_pop +
                             p.owners.culture_noise_sd * z2);
  }
  s.capacity = s.capacity0;
  s.culture = s.culture0;
  s.staff_busy.assign(no, 0.0);
  s.projects_done.assign(no, 0);
  s.broker_until.assign(no, 0);
  s.ready_until.assign(no, 0);
  s.last_innovation.assign(no, sim::kNever);
  s.last_research_innovation.assign(no, sim::kNever);
  s.lesson_until.assign(static_cast<std::size_t>(no) * kNumDomains, 0);
  s.broker_institution.assign(no, sim::kNever);
  s.research_user.assign(no, 0);
  s.in_project.assign(no, 0);
  s.last_project_end.assign(no, sim::kNever);
  s.adoptions_total.assign(no, 0);
  s.adopted.assign(no, {});
  s.adapting.assign(no, {});
  s.waiting.assign(no, {});
  s.relevance = w.inst_relevance;
  s.international = w.inst_international;
  s.publications.assign(w.num_institutions(), 0);
  s.researcher_active = w.researcher_active;
  s.researcher_load.assign(w.num_researchers(), 0);
  s.researcher_domains = w.researcher_domains;
  s.researcher_in_programme.assign(w.num_researchers(), 0);
  const auto warmup_years = static_cast<std::size_t>(p.run.warmup_years);
  s.warmup = static_cast<std::uint32_t>(warmup_years * 12);
  const auto years = warmup_years + static_cast<std::size_t>(p.run.years);
  s.money.assign(years, {});
  s.spread_by_year.assign(years, 0.0);
  s.rule_fired.assign(p.rules.size(), 0);
  const std::size_t ticks = s.warmup + static_cast<std::size_t>(model_.steps());
  s.calendar.assign(ticks + 2, {});
  s.exposure_ends.assign(ticks + 2, {});
  s.arena_tie_ends.assign(ticks + 2, {});
  build_tables();
  start_national();
  const std::size_t groups = model_.layout().group_names.size();
  s.flow.adoptions_by_group.assign(groups, 0.0);
  s.flow.spread_by_group.assign(groups, 0.0);
  s.flow.created_by_group.assign(groups, 0.0);
  s.flow.ip_applications_by_group.assign(groups, 0.0);
  s.flow.ip_awards_by_group.assign(groups, 0.0);
  // The warm-up: the world without the programme, not recorded. What the indicators count over
  // the run starts afresh after it; the world (innovations, ties, capacity) carries on.
  for (Step t = 1; t <= s.warmup; ++t) tick(t);
  s.total = {};
  s.first_recorded_innovation = static_cast<std::uint32_t>(s.innovations.size());
  std::fill(s.research_user.begin(), s.research_user.end(), std::uint8_t{0});
  std::fill(s.adoptions_total.begin(), s.adoptions_total.end(), 0U);
  const std::uint32_t nm = w.num_municipalities;
  s.sorted_adoptions.assign(nm, 0);
  s.rank.resize(nm);
  s.order.resize(nm);
  std::iota(s.rank.begin(), s.rank.end(), 0U);
  std::iota(s.order.begin(), s.order.end(), 0U);
  s.rank_weighted = 0;
  s.adoptions_sum = 0;
}

void ProgrammeProcess::advance(Step t) {
  tick(state_->warmup + t);
}

void ProgrammeProcess::tick(Step t) {
  State& s = *state_;
  // A tick's flows start from zero.
  auto& f = s.flow;
  auto keep = [](std::vector<double>& v) { std::fill(v.begin(), v.end(), 0.0); };
  const auto save_groups = std::move(f.adoptions_by_group);
  State::Flows fresh;
  fresh.adoptions_by_group = save_groups;
  fresh.spread_by_group = std::move(f.spread_by_group);
  fresh.created_by_group = std::move(f.created_by_group);
  fresh.ip_applications_by_group = std::move(f.ip_applications_by_group);
  fresh.ip_awards_by_group = std::move(f.ip_awards_by_group);
  keep(fresh.adoptions_by_group);
  keep(fresh.spread_by_group);
  keep(fresh.created_by_group);
  keep(fresh.ip_applications_by_group);
  keep(fresh.ip_awards_by_group);
  f = std::move(fresh);
  last_tick_ = t;
  stepper_.run(t);
}

void ProgrammeProcess::count_group(std::vector<double>& by_group, std::uint32_t owner, double amount) const {
  by_group[world_.owner_centrality[owner]] += amount;
  by_group[kNumCentralityClasses + world_.owner_size_class[owner]] += amount;
  by_group[kNumCentralityClasses + kNumSizeClasses + world_.owner_county[owner]] += amount;
}

double ProgrammeProcess::free_staff(std::uint32_t owner) const {
  return world_.owner_staff_fte[owner] - state_->staff_busy[owner];
}

void ProgrammeProcess::learning(Step t) {
  State& s = *state_;
  const auto& p = s.params;
  // Capacity and culture fall back towards their starting values, closing `reversion_per_year`
  // of the gap each year.
  const double keep = std::pow(1.0 - p.learning.reversion_per_year, 1.0 / 12.0);
  for (std::uint32_t o = 0; o < world_.num_owners(); ++o) {
    s.capacity[o] = s.capacity0[o] + (s.capacity[o] - s.capacity0[o]) * keep;
    s.culture[o] = s.culture0[o] + (s.culture[o] - s.culture0[o]) * keep;
  }
  // Arena ties that have faded, and arena presentations that are forgotten, stop exposing.
  end_exposures(t);
  // Researchers retire or move at the end of each year; a newcomer takes the place.
  if (t % 12 == 0) {
    for (std::uint32_t r = 0; r < world_.num_researchers(); ++r) {
      if (!s.researcher_active[r] || s.researcher_load[r] > 0) continue;
      sim::RngStream rng = key_.stream(sim::Purpose::kResearcher, t, r);
      if (rng.next_double() < p.researchers.retirement_per_year) {
        s.researcher_domains[r] = static_cast<std::uint8_t>(1U << sim::uniform_index(rng, kNumDomains));
        s.researcher_in_programme[r] = 0;
      }
    }
  }
}

void ProgrammeProcess::rules(Step t) {
  State& s = *state_;
  if (t % 12 != 0 || t <= s.warmup) return;
  // The year's money closes first: the rules read how much of it was used.
  close_year(t);
  if (s.params.rules.empty()) return;
  const auto year = static_cast<int>((t - s.warmup) / 12);  // the programme year that ends
  const auto y = static_cast<std::size_t>(t / 12 - 1);      // its index in the yearly vectors
  const double nm = world_.num_municipalities;
  auto value = [&](const std::string& name) -> double {
    if (name == "small_lead_share")
      return s.total.ip_awards > 0 ? s.total.ip_small_led / s.total.ip_awards : 0.0;
    if (name == "newcomer_lead_share")
      return s.total.ip_awards > 0 ? s.total.ip_newcomer_led / s.total.ip_awards : 0.0;
    if (name == "ip_success_rate")
      return s.total.ip_applications > 0 ? s.total.ip_awards / s.total.ip_applications : 0.0;
    if (name == "research_using_share") {
      double users = 0;
      for (std::uint32_t o = 0; o < world_.num_municipalities; ++o) users += s.research_user[o];
      return users / nm;
    }
    if (name == "spread_adoptions_per_year") return s.spread_by_year[y];
    if (name == "budget_used_share") {
      const detail::YearMoney& m = s.money[y];
      double available = 0, committed = 0;
      for (int pot = 0; pot < detail::kNumPots; ++pot) {
        available += m.available[pot];
        committed += m.committed[pot];
      }
      return available > 0 ? committed / available : 0.0;
    }
    return 0.0;
  };
  for (std::size_t i = 0; i < s.params.rules.size(); ++i) {
    const Rule& r = s.params.rules[i];
    if (year < r.from_year || (r.once && s.rule_fired[i])) continue;
    const double v = value(r.indicator);
    if (r.below ? v < r.threshold : v > r.threshold) {
      const ParamSpec* spec = find_parameter(r.key);
      *std::get<double*>(spec->slot(s.params)) = r.value;
      s.rule_fired[i] = 1;
      s.fired_rules.push_back(fmt::format("year {}: {} ({} = {:.4g} {} {:.4g}; {} := {})", year, r.name,
                                          r.indicator, v, r.below ? "<" : ">", r.threshold, r.key, r.value));
    }
  }
}

void ProgrammeProcess::measure(std::span<double> out) const {
  const State& s = *state_;
  const World& w = world_;
  const auto& f = s.flow;
  std::fill(out.begin(), out.end(), 0.0);
  out[kInnovationsCreated] = f.innovations;
  out[kInnovationsOwn] = f.own;
  out[kInnovationsProgramme] = f.programme;
  out[kInnovationsResearch] = f.research_backed;
  out[kInnovationsDocumented] = f.documented;
  for (int k = 0; k < detail::kNumTypes; ++k)
    out[kInnovationsType0 + static_cast<std::size_t>(k)] = f.type[k];
  out[kAdoptions] = f.adoptions;
  out[kSpread] = f.spread;
  out[kDelayed] = f.delayed;
  for (int k = 0; k < detail::kNumInstruments; ++k) {
    const auto i = static_cast<std::size_t>(k);
    out[kApplications0 + i] = f.applications[k];
    out[kAwards0 + i] = f.awards[k];
    out[kSucceeded0 + i] = f.succeeded[k];
    out[kFailed0 + i] = f.failed[k];
  }
  out[kCommitted] = f.committed;
  out[kSpent] = f.spent;
  out[kPublications] = f.publications;
  out[kPhds] = f.phds;
  out[kArenaParticipants] = f.arena_participants;
  out[kBrokerMatches] = f.broker_matches;
  out[kBudget] = f.budget;
  out[kAvailable] = f.available;
  out[kCarriedOver] = f.carried_over;
  out[kLapsed] = f.lapsed;
  out[kOutstanding] = s.outstanding;
  out[kCofunding] = f.cofunding;
  out[kBrokers] = s.brokers;
  out[kFailureLessons] = f.failure_lessons;
  out[kExpectedSuccessIp] = s.expected_now[static_cast<int>(Instrument::kInnovationProject)];
  const std::uint32_t nm = w.num_municipalities;
  double users = 0, innovating = 0, cap = 0, cul = 0;
  const std::size_t groups = model_.layout().group_names.size();
  std::vector<double>& users_by_group = measure_scratch_;
  users_by_group.assign(groups, 0.0);
  for (std::uint32_t o = 0; o < w.num_owners(); ++o) {
    if (s.research_user[o]) count_group(users_by_group, o, 1.0);
  }
  for (std::uint32_t o = 0; o < nm; ++o) {
    users += s.research_user[o];
    cap += s.capacity[o];
    cul += s.culture[o];
  }
  out[kResearchUsing] = users;
  out[kResearchUsingShare] = users / nm;
  out[kMeanCapacity] = cap / nm;
  out[kMeanCulture] = cul / nm;
  out[kGini] = s.adoptions_sum > 0 ? 2.0 * s.rank_weighted / (nm * s.adoptions_sum) - (nm + 1.0) / nm : 0.0;
  // Municipalities with an own innovation or an adoption in the last 24 ticks, and among them
  // those with an innovation made with a research institution in that time.
  double research_innovating = 0;
  auto recent = [&](std::uint32_t tick) { return tick != sim::kNever && tick + 24 > last_tick_; };
  for (std::uint32_t o = 0; o < nm; ++o) {
    if (!recent(s.last_innovation[o])) continue;
    innovating += 1;
    research_innovating += recent(s.last_research_innovation[o]) ? 1 : 0;
  }
  out[kInnovating24] = innovating / nm;
  out[kResearchInnovating24] = innovating > 0 ? research_innovating / innovating : 0.0;
  {
    double oo = 0, oi = 0;
    const sim::CsrView v = s.collab.view();
    for (std::uint32_t o = 0; o < w.num_owners(); ++o) {
      const AgentId a = w.owner_agent(o);
      for (sim::EdgeIndex e = v.begin(a); e < v.end(a); ++e) {
        const AgentId b = v.targets[e];
        if (w.owners.contains(b)) {
          oo += b > a ? 1 : 0;
        } else if (w.institutions.contains(b)) {
          oi += 1;
        }
      }
    }
    out[kCollabOwnerOwner] = oo;
    out[kCollabOwnerInstitution] = oi;
  }
  out[kRunningProjects] = static_cast<double>(s.running.size());
  out[kRunningAdaptations] = static_cast<double>(s.adaptations.size());
  double waiting = 0;
  for (const auto& q : s.waiting) waiting += static_cast<double>(q.size());
  out[kWaiting] = waiting;
  const auto& tot = s.total;
  const auto total = static_cast<double>(s.innovations.size() - s.first_recorded_innovation);
  out[kInnovationsTotal] = total;
  out[kReached10] = tot.reached10;
  out[kReached50] = tot.reached50;
  out[kMonthsTo10] = tot.reached10 > 0 ? tot.months_to_10 / tot.reached10 : 0.0;
  out[kAdoptersPerInnovation] = total > 0 ? tot.adopters / total : 0.0;
  out[kRatioResearchOwn] = tot.own > 0 ? tot.own_research / tot.own : 0.0;
  out[kRatioDocumented] = tot.innovations > 0 ? tot.documented / tot.innovations : 0.0;
  out[kRatioProcess] = tot.innovations > 0 ? tot.process / tot.innovations : 0.0;
  out[kRatioIpSuccess] = tot.ip_applications > 0 ? tot.ip_awards / tot.ip_applications : 0.0;
  out[kRatioIpGrant] = tot.ip_awards > 0 ? tot.ip_grants / tot.ip_awards : 0.0;
  out[kRatioIpOwners] = tot.ip_awards > 0 ? tot.ip_owners / tot.ip_awards : 0.0;
  out[kRatioSmallLead] = tot.ip_awards > 0 ? tot.ip_small_led / tot.ip_awards : 0.0;
  out[kRatioNewcomerLead] = tot.ip_awards > 0 ? tot.ip_newcomer_led / tot.ip_awards : 0.0;
  for (std::size_t g = 0; g < groups; ++g) {
    const std::size_t base = kGroups + g * kPerGroup;
    out[base + 0] = f.adoptions_by_group[g];
    out[base + 1] = f.spread_by_group[g];
    out[base + 2] = f.created_by_group[g];
    out[base + 3] = f.ip_applications_by_group[g];
    out[base + 4] = f.ip_awards_by_group[g];
    out[base + 5] = users_by_group[g];
  }
  for (std::size_t j = 0; j < s.national.size(); ++j) {
    const detail::NationalState& ns = s.national[j];
    const std::size_t base = kGroups + groups * kPerGroup + j * kPerNational;
    auto months = [&](std::uint32_t tick) {
      return tick == sim::kNever ? 0.0 : static_cast<double>(tick) - static_cast<double>(ns.spread_tick);
    };
    out[base + 0] = ns.adopters;
    out[base + 1] = static_cast<double>(ns.adopters) / nm;
    out[base + 2] = ns.num_enrolled;
    out[base + 3] = ns.month_10 == sim::kNever ? 0.0 : 1.0;
    out[base + 4] = months(ns.month_10);
    out[base + 5] = ns.month_50 == sim::kNever ? 0.0 : 1.0;
    out[base + 6] = months(ns.month_50);
    out[base + 7] = ns.money;
  }
}

}  // namespace innosim::models::forkommune
