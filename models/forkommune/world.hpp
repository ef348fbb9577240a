// The static world of the programme model: owners, research institutions with their
// researchers, arenas, and the static network layers (DOMAIN.md §2). Built once per scenario
// from WorldData (Norway or another data set) or generated (a synthetic world of any size), and
// shared, read-only, by every replicate; what changes during a run lives in the replicate's
// state (model.hpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/forkommune/params.hpp"
#include "models/forkommune/world_data.hpp"
#include "sim/csr.hpp"
#include "sim/population.hpp"
#include "sim/types.hpp"

namespace innosim::models::forkommune {

enum class OwnerKind : std::uint8_t { kMunicipality, kCountyMunicipality };

/// Innovation domains (DOMAIN.md §2), also researchers' expertise.
inline constexpr int kNumDomains = 8;
/// Size classes: <5k, 5-20k, 20-50k, >50k inhabitants.
inline constexpr int kNumSizeClasses = 4;
/// SSB centrality classes 1..6, stored 0..5.
inline constexpr int kNumCentralityClasses = 6;

[[nodiscard]] int size_class_of(double population) noexcept;

struct World {
  sim::Population population;  ///< kinds: owner, institution, researcher, arena
  sim::AgentRange owners;
  sim::AgentRange institutions;
  sim::AgentRange researchers;
  sim::AgentRange arenas;
  std::string description;

  // Owners, indexed by owner index o = agent - owners.begin (municipalities first).
  std::vector<std::string> owner_code;
  std::vector<std::string> owner_name;
  std::vector<OwnerKind> owner_kind;
  std::vector<std::uint32_t> owner_county;
  std::vector<std::uint32_t> owner_region;  ///< regional council; county municipalities: their county's first
  std::vector<double> owner_population;
  std::vector<double> owner_x_km;  ///< projected coordinates for distances and maps
  std::vector<double> owner_y_km;
  std::vector<double> owner_lat;
  std::vector<double> owner_lon;
  std::vector<std::uint8_t> owner_centrality;  ///< 0..5 (SSB class - 1)
  std::vector<std::uint8_t> owner_size_class;  ///< 0..3
  std::vector<std::uint8_t> owner_small;       ///< population below owners.small_population
  std::vector<double> owner_staff_fte;
  std::uint32_t num_municipalities = 0;

  // Counties and regional councils.
  std::vector<std::string> county_code;
  std::vector<std::string> county_name;
  std::vector<std::uint32_t>
      county_owner;  ///< the owner acting as county municipality (Oslo: the municipality)
  std::uint32_t num_regions = 0;
  std::vector<std::uint32_t> region_county;

  // Institutions, indexed by institution index i = agent - institutions.begin.
  std::vector<std::string> inst_id;
  std::vector<std::string> inst_name;
  std::vector<InstitutionType> inst_type;
  std::vector<std::uint32_t> inst_host;  ///< owner index of the host municipality
  std::vector<std::uint32_t> inst_county;
  std::vector<double> inst_relevance;                ///< starting municipal relevance in [0, 1]
  std::vector<double> inst_international;            ///< starting international links in [0, 1]
  std::vector<double> inst_quality;                  ///< research quality in [0, 1]
  std::vector<std::uint32_t> inst_researcher_begin;  ///< researcher index range of each institution
  std::vector<std::uint32_t> inst_researcher_end;
  std::vector<std::uint32_t> inst_active_researchers;  ///< active at the start (the rest are spare slots)

  // Researchers, indexed by researcher index r = agent - researchers.begin.
  std::vector<std::uint32_t> researcher_institution;
  std::vector<std::uint8_t> researcher_domains;    ///< bit d set: expertise in domain d
  std::vector<std::uint8_t> researcher_seniority;  ///< 0 PhD candidate, 1 researcher, 2 senior
  std::vector<std::uint8_t> researcher_active;     ///< 0: a spare slot for a future researcher

  // Arenas.
  sim::AgentId conference = sim::kNoAgent;
  sim::AgentId network = sim::kNoAgent;
  std::vector<sim::AgentId> regional_arena;  ///< per county

  // Static layers over all agents.
  sim::CsrLayer geo;       ///< municipality - municipality, nearest neighbours
  sim::CsrLayer region;    ///< municipality - municipality in the same regional council
  sim::CsrLayer county;    ///< municipality - county municipality
  sim::CsrLayer rd;        ///< owner - institution, starting ties
  sim::CsrLayer research;  ///< researcher - researcher, co-authors within an institution
  sim::CsrLayer member;    ///< researcher - institution, owner - regional arena

  /// Who listens to whom for diffusion, over owner indices (not agent ids): row j lists the
  /// owners m that hear owner j, with weight lambda * w(m <- j), the static layers (geo, region,
  /// county) each normalised over m's neighbours and weighted by diffusion.weight_*, so that an
  /// owner all of whose static neighbours have adopted has static exposure 1.
  sim::CsrLayer listeners;

  [[nodiscard]] std::uint32_t num_owners() const noexcept { return owners.size(); }
  [[nodiscard]] std::uint32_t num_institutions() const noexcept { return institutions.size(); }
  [[nodiscard]] std::uint32_t num_researchers() const noexcept { return researchers.size(); }
  [[nodiscard]] std::uint32_t num_counties() const noexcept {
    return static_cast<std::uint32_t>(county_code.size());
  }
  [[nodiscard]] sim::AgentId owner_agent(std::uint32_t o) const noexcept { return owners.begin + o; }
  [[nodiscard]] sim::AgentId institution_agent(std::uint32_t i) const noexcept {
    return institutions.begin + i;
  }
  [[nodiscard]] sim::AgentId researcher_agent(std::uint32_t r) const noexcept {
    return researchers.begin + r;
  }
  /// Distance between two owners in km (great circle for geographic worlds, planar otherwise).
  [[nodiscard]] double owner_distance_km(std::uint32_t a, std::uint32_t b) const noexcept;
  /// exp(-distance(owner o, host of institution i) / world.rd_distance_scale_km): how near an
  /// institution is for a broker's match and an rd tie. Tabulated when owners x institutions is
  /// small (Norway: 372 x 61), computed otherwise.
  [[nodiscard]] double institution_nearness(std::uint32_t o, std::uint32_t i) const noexcept {
    if (!nearness.empty()) return nearness[static_cast<std::size_t>(o) * num_institutions() + i];
    return nearness_of(o, i);
  }
  [[nodiscard]] double nearness_of(std::uint32_t o, std::uint32_t i) const noexcept;
  bool geographic = true;
  double rd_distance_scale_km = 150;
  std::vector<double> nearness;  ///< owners x institutions, row-major, or empty
};

/// Municipal-sector researchers per institution: `active` from the FTE figures and the
/// institution's profile (at least 1), `slots` with room for PhD candidates who stay on
/// (researchers.spare_slot_share, at least 2 more). Throws sim::ParamError when the slots add up
/// to more than kMaxResearchers.
struct ResearcherStaffing {
  std::vector<std::uint32_t> active, slots;
  double total_slots = 0;
};
inline constexpr double kMaxResearchers = 1.0e9;
ResearcherStaffing researcher_staffing(const WorldData& data, const Params& params);

/// Builds a world from data. Deterministic: draws (researchers' expertise, co-author ties) come
/// from stream family kWorld of (seed, replicate 0). Throws sim::ParamError / sim::DataError.
World build_world(const WorldData& data, const Params& params);

/// Generates the data of a synthetic world (world.synthetic_*), deterministic in params.run.seed.
WorldData synthetic_world_data(const Params& params);

/// Great-circle distance in km (haversine, Earth radius 6371 km).
[[nodiscard]] double haversine_km(double lat1, double lon1, double lat2, double lon2) noexcept;

/// Splits points into compact groups of about `target` points by recursive coordinate
/// bisection (deterministic; ties by index). Returns a group index per point.
std::vector<std::uint32_t> compact_groups(const std::vector<double>& x, const std::vector<double>& y,
                                          const std::vector<std::uint32_t>& members, double target,
                                          std::uint32_t& next_group);

}  // namespace innosim::models::forkommune
