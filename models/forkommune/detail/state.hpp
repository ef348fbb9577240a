// The mutable state of one replicate of the programme model. Internal to models/forkommune.
#pragma once

#include <cstdint>
#include <vector>

#include "models/forkommune/detail/exposure.hpp"
#include "models/forkommune/params.hpp"
#include "models/forkommune/world.hpp"
#include "sim/dynamic_layer.hpp"
#include "sim/types.hpp"

namespace innosim::models::forkommune::detail {

enum class Instrument : std::uint8_t { kPreProject = 0, kInnovationProject = 1, kCompetenceProject = 2 };
inline constexpr int kNumInstruments = 3;

enum InnovationFlag : std::uint8_t {
  kDocumented = 1,
  kResearchBacked = 2,
  kProgrammeFunded = 4,
  kActivelySpread = 8,
  kNational = 16,  ///< the innovation of a national programme (DOMAIN.md §5.9)
};

/// The money pots of the programme: one per instrument and one for the arenas (DOMAIN.md §5.9).
enum Pot : std::uint8_t {
  kPotPreProject = 0,
  kPotInnovationProject = 1,
  kPotCompetenceProject = 2,
  kPotArenas = 3
};
inline constexpr int kNumPots = 4;

inline constexpr int kNumTypes = 5;  // service, product, process, communication, policy

/// One innovation: what it is, where it came from, and how far it has spread.
/// A diffusion channel's candidate rate: each member is a candidate in a month with probability
/// pi; log_miss = log(1 - pi); any = 1 - (1 - pi)^members, log_none = log(1 - any); relevance:
/// the innovation's relevance in the month pi was computed for.
struct ChannelRate {
  double pi = 0, log_miss = 0, any = 0, log_none = 0, relevance = 0;
};

struct Innovation {
  std::uint32_t origin = 0;        ///< owner index
  std::uint32_t created = 0;       ///< tick of creation
  std::uint32_t stream_agent = 0;  ///< identity for random streams (detail/streams.hpp)
  std::uint8_t types = 0;          ///< bit k: type k
  std::uint8_t domain = 0;
  std::uint8_t flags = 0;
  float complexity = 6;  ///< months of adaptation work
  float benefit = 1;
  float visibility = 1;
  std::int32_t project = -1;   ///< the project that made it, or -1
  std::int32_t national = -1;  ///< the national programme it belongs to, or -1
  std::uint32_t adopters = 0;
  std::uint32_t spread_adopters = 0;     ///< adopters outside its project
  std::uint32_t month_10 = sim::kNever;  ///< tick at which 10 % of municipalities had adopted
  std::uint32_t month_50 = sim::kNever;
  /// Owners that hear an adopter or heard it at an arena, with their exposure sums (before
  /// visibility).
  ExposureSet exposure;
  float max_exposure = 0;  ///< an upper bound of the exposure sums
  // Diffusion schedule (innovation.cpp): the next tick in which each channel has a candidate.
  std::uint32_t next_exposed = sim::kNever;  ///< channel 0: the exposed owners
  std::uint32_t next_open = sim::kNever;     ///< channel 1: all owners, for the innovation term
  ChannelRate rate_exposed;                  ///< the majorant channel 0's schedule was drawn with
  ChannelRate rate_open;                     ///< the majorant channel 1's schedule was drawn with
  bool exposed_changed = false;              ///< the exposed set grew: reschedule channel 0
};

/// An entry of the diffusion calendar: this innovation's channel has a candidate in this tick.
struct CalendarEntry {
  std::uint32_t innovation = 0;
  std::uint8_t channel = 0;
};

struct Project {
  Instrument instrument = Instrument::kInnovationProject;
  std::uint32_t call_year = 0;
  std::uint32_t index = 0;                  ///< application index within its call
  std::int64_t lead_owner = -1;             ///< owner index (pre-projects, innovation projects)
  std::int64_t lead_institution = -1;       ///< competence projects
  std::vector<std::uint32_t> owners;        ///< all owners, lead first
  std::vector<std::uint32_t> institutions;  ///< research partners
  std::vector<std::uint32_t> researchers;
  std::vector<double> staff;  ///< staff each owner committed
  double grant = 0;
  std::uint32_t start = 0;
  std::uint32_t end = 0;
  std::uint8_t domain = 0;
  double relevance = 0;
  double realizability = 0;
  double spread = 0;
  double score = 0;
  double cost = 0;  ///< total cost (innovation projects: grant / programme.ip_max_funding_share)
  bool newcomer_led = false;
  bool small_led = false;
  bool matched = false;                ///< the lead had a broker's match when it applied
  bool brokered = false;               ///< the match shaped the consortium (arenas.broker_shapes_consortia)
  bool documentation_plan = false;     ///< documents its results (and its lessons if it fails)
  bool international_partner = false;  ///< competence projects
  bool finished = false;
  bool succeeded = false;
};

/// What a call is working with: each instrument's money, the propensity multiplier of what
/// applicants expect, and the applications (Project.index is the place in `applications`).
struct Call {
  std::uint32_t tick = 0;
  std::uint32_t year = 0;  ///< year of the run, the warm-up included (1-based)
  double money[kNumInstruments] = {};
  double propensity[kNumInstruments] = {};
  std::vector<Project> applications;
  std::vector<std::uint8_t> funded;
};

/// The review's funding decision (docs/model.md §7.2): which applications get money, given each
/// instrument's money. A pure function of the applications' instruments, scores, grants, leads
/// and owners, so a call can be worked by hand in a test.
std::vector<std::uint8_t> fund_applications(const Params::Programme& p,
                                            const std::vector<Project>& applications,
                                            const double (&money)[kNumInstruments]);

/// What create_innovation needs to know about a new innovation.
struct NewInnovation {
  std::uint32_t origin = 0;
  bool programme = false;          ///< made by a FORKOMMUNE project
  std::uint32_t stream_agent = 0;  ///< identity for its random streams
  std::uint8_t domain = 255;       ///< >= kNumDomains: drawn
  bool research_backed = false;
  int documented = -1;  ///< -1: drawn with innovation.documented_share_own
  std::int32_t project = -1;
  std::int32_t national = -1;
};

/// One application of a call, funded or not, kept for the rule tests and the result file.
struct Application {
  std::uint32_t tick = 0;
  Instrument instrument = Instrument::kInnovationProject;
  std::int64_t lead_owner = -1;
  std::int64_t lead_institution = -1;
  double relevance = 0, realizability = 0, spread = 0, score = 0, grant = 0;
  bool matched = false;
  bool brokered = false;
  bool documentation_plan = false;
  bool funded = false;
};

/// Money of one year of the run (index (t - 1) / 12, the warm-up included), per pot.
struct YearMoney {
  bool open = false;                   ///< a programme year whose money has been made available
  double budget = 0;                   ///< budget_mnok_per_year x ramp-up
  double available[kNumPots] = {};     ///< the pot's share of the budget plus what was carried into it
  double committed[kNumPots] = {};     ///< grants awarded and arena costs
  double carried_over[kNumPots] = {};  ///< left at the year's end and carried into the next year
  double lapsed[kNumPots] = {};        ///< left at the year's end and lost
};

/// What the year's arena money pays for, decided when the year opens: the conference, the
/// regional meetings county by county, the network, then brokers with what is left.
struct ArenaPlan {
  bool conference = false;
  bool network = false;
  std::vector<std::uint8_t> regional;  ///< per county: its meeting is paid
  std::vector<std::uint32_t> brokers;  ///< per county
  double cost_regional_and_brokers = 0;
};

/// The running state of one national programme (params.national_programmes[j]).
struct NationalState {
  std::int64_t innovation = -1;           ///< its innovation once development has started
  std::vector<std::uint32_t> developers;  ///< owner indices
  std::vector<std::uint8_t> enrolled;     ///< per owner
  std::vector<float> network_applied;     ///< per owner: learning-network exposure added so far
  std::vector<std::uint8_t> fit_gap;      ///< per centrality class: gap to the nearest developer's class
  std::uint32_t num_enrolled = 0;
  std::uint32_t enrolled_adopters = 0;
  std::uint32_t adopters = 0;  ///< municipalities that have it
  std::uint32_t start_tick = 0, spread_tick = 0, end_tick = 0;
  std::vector<std::uint32_t> wave_ticks;
  std::size_t next_wave = 0;
  std::uint32_t mandate_tick = 0;  ///< 0: none
  std::uint32_t month_10 = sim::kNever, month_50 = sim::kNever;
  double money = 0;  ///< paid to enrolled municipalities (MNOK)
};

/// Exposure that ends at a tick: an arena's presentation, or the exposure through an arena tie.
struct ExposureEnd {
  std::uint32_t innovation = 0;
  std::uint32_t owner = 0;
  float amount = 0;
};

struct Adaptation {
  std::uint32_t owner = 0;
  std::uint32_t innovation = 0;
  std::uint32_t end = 0;   ///< tick at which it completes
  bool paid = false;       ///< staff paid by a national programme: takes no staff of the owner
  bool committed = false;  ///< a national programme's development: never abandoned
};

/// One adoption, for the optional event log.
struct AdoptionEvent {
  std::uint32_t owner = 0;
  std::uint32_t innovation = 0;
  std::uint32_t tick = 0;
};

/// A wish to adopt, produced by the diffusion phase and granted (or delayed) by adaptation.
struct Request {
  std::uint32_t owner = 0;
  std::uint32_t innovation = 0;
};

struct State {
  State(const Params& p, sim::AgentId num_agents)
      : params(p),
        collab(num_agents, sim::EdgeDirection::kUndirected),
        arena(num_agents, sim::EdgeDirection::kUndirected),
        rd_extra(num_agents, sim::EdgeDirection::kUndirected),
        network(num_agents, sim::EdgeDirection::kUndirected) {}

  Params params;  ///< this replicate's copy: adaptive rules change it
  /// Ticks 1..warmup are the unrecorded warm-up; programme year y covers ticks
  /// warmup + 12 (y - 1) + 1 ... warmup + 12 y.
  std::uint32_t warmup = 0;
  /// The recorded period's innovations are those with index >= first_recorded_innovation.
  std::uint32_t first_recorded_innovation = 0;

  // Owners.
  std::vector<double> capacity0, culture0, capacity, culture;
  std::vector<double> staff_busy;
  std::vector<std::uint32_t> projects_done;
  std::vector<std::uint32_t> broker_until;     ///< tick until which a broker's match raises propensity
  std::vector<std::uint32_t> ready_until;      ///< tick until which a successful pre-project counts
  std::vector<std::uint32_t> last_innovation;  ///< last tick with an own innovation or an adoption
  /// Last tick with an innovation made with a research institution: an own research-backed
  /// innovation, or a successful innovation project of the owner's.
  std::vector<std::uint32_t> last_research_innovation;
  /// Per owner x domain: tick until which a documented failure's lesson shortens adaptations.
  std::vector<std::uint32_t> lesson_until;
  std::vector<std::uint32_t> broker_institution;  ///< the institution a broker matched the owner with
  std::vector<std::uint8_t> research_user;
  std::vector<std::uint8_t> in_project;  ///< currently in a running project
  std::vector<std::uint32_t> last_project_end;
  std::vector<std::uint32_t> adoptions_total;
  std::vector<std::uint32_t> own_next;  ///< next month with an own-innovation candidate (innovation.cpp)
  std::vector<std::vector<std::uint32_t>> adopted;   ///< sorted innovation ids per owner
  std::vector<std::vector<std::uint32_t>> adapting;  ///< sorted innovation ids being adapted
  /// Adoptions an owner wants but has no staff for yet, oldest first: (innovation, since tick).
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> waiting;

  // Institutions and researchers.
  std::vector<double> relevance, international;
  std::vector<std::uint32_t> publications;
  std::vector<std::uint8_t> researcher_active;
  std::vector<std::uint8_t> researcher_load;
  std::vector<std::uint8_t> researcher_domains;
  std::vector<std::uint8_t> researcher_in_programme;

  // Dynamic layers.
  sim::DynamicLayer collab;    ///< lasting ties from projects
  sim::DynamicLayer arena;     ///< weak ties from arenas
  sim::DynamicLayer rd_extra;  ///< owner-institution ties made by brokers
  sim::DynamicLayer network;   ///< researcher ties from the researcher network

  std::vector<Innovation> innovations;
  std::size_t retired = 0;  ///< innovations [0, retired) are past their lifetime
  std::vector<Project> projects;
  std::vector<std::uint32_t> running;  ///< indices of running projects
  std::vector<Adaptation> adaptations;
  std::vector<std::vector<CalendarEntry>> calendar;     ///< per tick
  std::vector<std::uint32_t> changed;                   ///< innovations whose exposure grew this tick
  std::vector<std::vector<ExposureEnd>> exposure_ends;  ///< per tick
  std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>>
      arena_tie_ends;  ///< per tick: owner pairs

  // Money, by year of the run including the warm-up (index (t - 1) / 12).
  std::vector<YearMoney> money;
  double carry[kNumPots] = {};  ///< carried over, to be added when the next programme year opens
  double outstanding = 0;       ///< grants committed and not yet paid
  ArenaPlan arena_plan;         ///< this year's
  double brokers = 0;           ///< brokers working this year
  // What applicants expect (DOMAIN.md §5.9), per instrument.
  double expected_success[kNumInstruments] = {};  ///< smoothed success rate of past calls
  double last_call_money[kNumInstruments] = {};
  bool called[kNumInstruments] = {};
  double expected_now[kNumInstruments] = {};  ///< what the latest call's applicants expected
  std::vector<Application> applications;

  std::vector<NationalState> national;

  // Counters for this tick's flows (reset every tick) and the run's running totals.
  struct Flows {
    double innovations = 0, own = 0, programme = 0, research_backed = 0, documented = 0;
    double type[kNumTypes] = {};
    double adoptions = 0, spread = 0, delayed = 0;
    double applications[kNumInstruments] = {}, awards[kNumInstruments] = {};
    double succeeded[kNumInstruments] = {}, failed[kNumInstruments] = {};
    double committed = 0, spent = 0, publications = 0, phds = 0;
    double budget = 0, available = 0, carried_over = 0, lapsed = 0, cofunding = 0;
    double arena_participants = 0, broker_matches = 0, failure_lessons = 0;
    std::vector<double> adoptions_by_group, spread_by_group, created_by_group, ip_applications_by_group,
        ip_awards_by_group;
  } flow;
  struct Totals {
    double innovations = 0, own = 0, own_research = 0, documented = 0, process = 0;
    double ip_applications = 0, ip_awards = 0, ip_grants = 0, ip_owners = 0;
    double ip_small_led = 0, ip_newcomer_led = 0;
    double spread = 0;
    double publications = 0, phds = 0;
    // Over the recorded period's innovations.
    double adopters = 0, reached10 = 0, reached50 = 0, months_to_10 = 0;
  } total;
  /// Adoptions per municipality in the recorded period kept sorted, for the Gini coefficient:
  /// sorted_adoptions is ascending, rank[o] is o's position in it, order[k] the municipality at k,
  /// and rank_weighted = sum over k of (k + 1) sorted_adoptions[k].
  std::vector<std::uint32_t> sorted_adoptions, rank, order;
  double rank_weighted = 0, adoptions_sum = 0;
  std::vector<double> spread_by_year;
  std::vector<std::string> fired_rules;  ///< "year 4: raise small quota"
  bool log_adoptions = false;            ///< keep adoption_log (result files' event log)
  std::vector<AdoptionEvent> adoption_log;
  std::vector<std::uint8_t> rule_fired;
};

}  // namespace innosim::models::forkommune::detail
