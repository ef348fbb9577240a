// The mutable state of one replicate of the programme model. Internal to models/forkommune.
#pragma once

#include <cstdint>
#include <vector>

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
};

inline constexpr int kNumTypes = 5;  // service, product, process, communication, policy

/// One innovation: what it is, where it came from, and how far it has spread.
/// A diffusion channel's candidate rate: each member is a candidate in a month with probability
/// pi; log_miss = log(1 - pi); any = 1 - (1 - pi)^members.
struct ChannelRate {
  double pi = 0, log_miss = 0, any = 0;
};

struct Innovation {
  std::uint32_t origin = 0;        ///< owner index
  std::uint32_t created = 0;       ///< tick of creation
  std::uint32_t stream_agent = 0;  ///< identity for random streams (see diffusion.cpp)
  std::uint8_t types = 0;          ///< bit k: type k
  std::uint8_t domain = 0;
  std::uint8_t flags = 0;
  float complexity = 6;  ///< months of adaptation work
  float benefit = 1;
  float visibility = 1;
  std::int32_t project = -1;  ///< the project that made it, or -1
  std::uint32_t adopters = 0;
  std::uint32_t spread_adopters = 0;     ///< adopters outside its project
  std::uint32_t month_10 = sim::kNever;  ///< tick at which 10 % of municipalities had adopted
  std::uint32_t month_50 = sim::kNever;
  std::vector<std::uint32_t> exposed;  ///< sorted owners that hear an adopter or heard it at an arena
  std::vector<float> exposure;         ///< their exposure sums (before visibility), parallel to `exposed`
  float max_exposure = 0;              ///< an upper bound of `exposure`
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
  bool newcomer_led = false;
  bool small_led = false;
  bool finished = false;
  bool succeeded = false;
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
  std::uint32_t end = 0;  ///< tick at which it completes
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
  std::vector<std::uint8_t> research_user;
  std::vector<std::uint8_t> in_project;  ///< currently in a running project
  std::vector<std::uint32_t> last_project_end;
  std::vector<std::uint32_t> adoptions_total;
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
  std::vector<double> committed;  ///< grants awarded plus arena costs
  std::vector<double> available;  ///< the year's budget
  std::vector<double> arena_spent_by_year;

  // Counters for this tick's flows (reset every tick) and the run's running totals.
  struct Flows {
    double innovations = 0, own = 0, programme = 0, research_backed = 0, documented = 0;
    double type[kNumTypes] = {};
    double adoptions = 0, spread = 0, delayed = 0;
    double applications[kNumInstruments] = {}, awards[kNumInstruments] = {};
    double succeeded[kNumInstruments] = {}, failed[kNumInstruments] = {};
    double committed = 0, spent = 0, publications = 0, phds = 0;
    double arena_participants = 0, broker_matches = 0;
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
