// The memory estimate of a programme run (see memory.hpp). Byte counts per item come from the
// data structures (world.hpp, detail/state.hpp, sim/csr.hpp); the dynamic ones (per innovation)
// were fitted to peak resident memory measured on synthetic worlds (docs/performance.md,
// "Memory").
#include "models/forkommune/memory.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "models/forkommune/world.hpp"
#include "sim/error.hpp"

namespace innosim::models::forkommune {
namespace {

// The executable with its libraries (oneTBB, HDF5, fmt, yaml-cpp) and the embedded data,
// measured as the resident memory of a run on a 10-municipality world.
constexpr double kBaseBytes = 24.0 * 1024 * 1024;
// World, per agent kind: codes and names (std::string, heap-allocated past 15 characters), the
// per-owner arrays of world.hpp and the WorldData records they are built from.
constexpr double kOwnerWorldBytes = 480;
constexpr double kInstitutionWorldBytes = 320;
constexpr double kResearcherWorldBytes = 16;
// CSR: 8-byte offsets per agent and layer, 4-byte targets and (weighted layers) 4-byte weights.
constexpr double kOffsetBytes = 8;
constexpr double kTargetBytes = 4;
constexpr double kWeightBytes = 4;
// While a layer is built: the EdgeSet (16 bytes an edge, 8 an arc), the edge and weight
// arrays (6 an arc); the listener layer sorts arcs, weights and an order (32 bytes an arc).
constexpr double kLayerBuildBytesPerArc = 14;
constexpr double kListenerBuildBytesPerArc = 32;
// One replicate: the owners' state (detail/state.hpp: five doubles, a dozen 32-bit counters,
// three lists, the process's per-owner rates and waits) ...
constexpr double kOwnerReplicateBytes = 400;
constexpr double kResearcherReplicateBytes = 8;
// ... and per innovation counted at capacity and culture 1 (an upper rate: the mean owner makes
// about a fifth of it): the Innovation record (in a vector that doubles, so up to three records'
// worth while it grows), its exposure list and the adopters' lists. An innovation heard of in a
// county (at its regional arena, or from its county municipality) reaches the county's members,
// so the lists grow with the municipalities per county. Both set from the peaks of 26 synthetic
// worlds of 2,500 to 100,000 municipalities, 10 to 4,000 counties and 1 to 50 years, so that the
// estimate is not below a measured peak (tools/bench/run-memory; docs/performance.md "Memory").
constexpr double kInnovationBytes = 160;
constexpr double kInnovationBytesPerCountyMember = 0.4;
// Indicator series: the recorder's and the result's copy of (steps + 1) x indicators doubles.
constexpr double kSeriesCopies = 2;
// The run's summary: running statistics per indicator and year.
constexpr double kStatsBytes = 32;

// E[(population / 10,000)^e] for a log-normal population with the given median and sigma.
double mean_size_factor(double median, double sigma, double exponent) {
  return std::pow(median / 10000.0, exponent) * std::exp(0.5 * exponent * exponent * sigma * sigma);
}

}  // namespace

// The indicators of make_indicator_layout (model.cpp): 65 national ones, 6 per group (six
// centrality classes, four size classes, the counties) and 8 per national programme.
double indicator_count(const Params& params, double counties) {
  return 65.0 + 6.0 * (10.0 + counties) + 8.0 * static_cast<double>(params.national_programmes.size());
}

WorldSize world_size(const Params& params) {
  const auto& w = params.world;
  if (w.source != "synthetic") {
    throw sim::ParamError("world.source", "world_size(params) is for synthetic worlds; read the data first");
  }
  const auto& rp = params.researchers;
  WorldSize s;
  s.municipalities = static_cast<double>(w.synthetic_owners);
  s.counties = std::min(static_cast<double>(w.synthetic_counties), s.municipalities);
  // A county of one municipality has no separate county municipality.
  const double per_county = s.municipalities / s.counties;
  s.owners = s.municipalities + s.counties * std::clamp(per_county - 1.0, 0.0, 1.0);
  s.institutions = static_cast<double>(w.synthetic_institutions);
  // synthetic_world_data draws staff so that an institution holds researchers_per_institution x
  // LogNormal(0, 0.5) municipal-sector researchers, whose mean is e^(0.5^2 / 2).
  const double active = std::max(1.0, w.synthetic_researchers_per_institution * std::exp(0.125));
  s.active_researchers = s.institutions * active;
  s.researchers = s.institutions * (active + std::max(2.0, active * rp.spare_slot_share));
  // rd ties: the institutions of the owner's county, and those near enough that relevance x
  // nearness reaches world.rd_min_weight (a disc of radius scale x ln(top / min) in the square).
  if (w.rd_min_weight <= 0) {
    s.rd_ties_per_owner = s.institutions;
  } else {
    const double top = std::max({rp.relevance_high, rp.relevance_medium, rp.relevance_low});
    const double reach =
        top > w.rd_min_weight ? w.rd_distance_scale_km * std::log(top / w.rd_min_weight) : 0.0;
    const double disc =
        std::min(1.0, std::numbers::pi * reach * reach / (w.synthetic_side_km * w.synthetic_side_km));
    s.rd_ties_per_owner = std::min(s.institutions, s.institutions * disc + s.institutions / s.counties);
  }
  const auto& in = params.innovation;
  s.own_innovation_rate = s.owners * in.own_rate_per_year / 12.0 *
                          mean_size_factor(w.synthetic_population_median, w.synthetic_population_sigma,
                                           in.own_population_exponent);
  s.size_key = "world.synthetic_owners";
  s.researcher_key = "world.synthetic_researchers_per_institution";
  return s;
}

WorldSize world_size(const WorldData& data, const Params& params) {
  WorldSize s;
  s.municipalities = static_cast<double>(data.municipalities.size());
  s.counties = static_cast<double>(data.counties.size());
  std::vector<double> members(data.counties.size(), 0.0), county_population(data.counties.size(), 0.0);
  for (const auto& m : data.municipalities) {
    if (m.county < members.size()) {
      members[m.county] += 1;
      county_population[m.county] += m.population;
    }
  }
  const auto& in = params.innovation;
  auto own_rate = [&](double population) {
    return in.own_rate_per_year / 12.0 * std::pow(population / 10000.0, in.own_population_exponent);
  };
  s.owners = s.municipalities;
  for (std::size_t c = 0; c < members.size(); ++c) {
    if (members[c] > 1) {
      s.owners += 1;
      s.own_innovation_rate += own_rate(county_population[c]);
    }
  }
  for (const auto& m : data.municipalities) s.own_innovation_rate += own_rate(m.population);
  s.institutions = static_cast<double>(data.institutions.size());
  const ResearcherStaffing staffing = researcher_staffing(data, params);
  s.researchers = staffing.total_slots;
  for (const auto a : staffing.active) s.active_researchers += a;
  // Geographic worlds consider every owner-institution pair: at most one tie each.
  s.rd_ties_per_owner = s.institutions;
  const bool own_files = !params.world.municipalities_csv.empty();
  s.size_key = own_files ? "world.municipalities_csv" : "world.source";
  s.researcher_key =
      params.world.institutions_csv.empty() ? "researchers.spare_slot_share" : "world.institutions_csv";
  return s;
}

namespace {

struct Layers {
  double geo = 0, region = 0, county = 0, rd = 0, research = 0, member = 0, listeners = 0;
  [[nodiscard]] double undirected_max() const {
    return std::max({geo, region, county, rd, research, member});
  }
};

Layers layer_arcs(const Params& params, const WorldSize& s) {
  const auto& w = params.world;
  Layers l;
  const double m = s.municipalities;
  l.geo = 2.0 * m * std::min(static_cast<double>(w.geo_neighbours), std::max(0.0, m - 1));
  l.region = m * std::max(0.0, std::min(w.region_size, m / std::max(1.0, s.counties)) - 1.0);
  l.county = 2.0 * m;
  l.rd = 2.0 * s.owners * s.rd_ties_per_owner;
  l.research = 2.0 * s.active_researchers * static_cast<double>(w.research_colleagues);
  l.member = 2.0 * (s.researchers + s.owners);
  l.listeners = w.complete_exposure ? s.owners * std::max(0.0, s.owners - 1) : l.geo + l.region + l.county;
  return l;
}

}  // namespace

MemoryEstimate estimate_memory(const Params& params, const WorldSize& s, std::size_t in_flight) {
  MemoryEstimate e;
  const auto replicates = static_cast<double>(std::clamp<std::int64_t>(
      static_cast<std::int64_t>(in_flight), 1, std::max<std::int64_t>(1, params.run.replicates)));
  e.parts.push_back({"the program and its libraries", kBaseBytes, "", MemoryScope::kProcess});

  const Layers l = layer_arcs(params, s);
  const double agents = s.owners + s.institutions + s.researchers + s.counties + 2;
  e.parts.push_back({fmt::format("world: {:.3g} owners and {:.3g} institutions", s.owners, s.institutions),
                     s.owners * kOwnerWorldBytes + s.institutions * kInstitutionWorldBytes, s.size_key,
                     MemoryScope::kWorld});
  e.parts.push_back({fmt::format("world: {:.3g} researchers", s.researchers),
                     s.researchers * kResearcherWorldBytes, s.researcher_key, MemoryScope::kWorld});
  // The networks: name the key of the biggest layer.
  struct Named {
    double arcs;
    const char* key;
  };
  const std::string rd_key = params.world.source == "synthetic"
                                 ? "world.rd_min_weight,world.synthetic_institutions,world.synthetic_side_km"
                                 : "world.rd_min_weight," + s.size_key;
  const std::string research_key = "world.research_colleagues," + s.researcher_key;
  const Named named[] = {
      {l.geo, "world.geo_neighbours"},
      {l.region, "world.region_size"},
      {l.rd, rd_key.c_str()},
      {l.research, research_key.c_str()},
      {l.member, s.researcher_key.c_str()},
      {l.listeners, params.world.complete_exposure ? "world.complete_exposure" : s.size_key.c_str()}};
  const Named* big = std::max_element(std::begin(named), std::end(named),
                                      [](const Named& a, const Named& b) { return a.arcs < b.arcs; });
  const double arcs = l.geo + l.region + l.county + l.rd + l.research + l.member + l.listeners;
  double networks =
      6 * kOffsetBytes * agents + kOffsetBytes * s.owners + kTargetBytes * arcs +
      kWeightBytes * (l.geo + l.rd + l.listeners) +
      std::max(kLayerBuildBytesPerArc * l.undirected_max(), kListenerBuildBytesPerArc * l.listeners);
  if (s.owners * s.institutions <= double(1 << 22)) networks += 8 * s.owners * s.institutions;
  e.parts.push_back(
      {fmt::format("world: networks ({:.3g} stored ties)", arcs), networks, big->key, MemoryScope::kWorld});

  const double months = 12.0 * static_cast<double>(params.run.warmup_years + params.run.years);
  const double innovations =
      s.own_innovation_rate * months + static_cast<double>(params.innovation.initial_innovations);
  e.parts.push_back(
      {fmt::format("{:.0f} replicate{} at once: owners' and researchers' state", replicates,
                   replicates == 1 ? "" : "s"),
       replicates * (s.owners * kOwnerReplicateBytes + s.researchers * kResearcherReplicateBytes),
       "--threads," + s.size_key, MemoryScope::kReplicates});
  e.parts.push_back(
      {fmt::format("{:.0f} replicate{} at once: up to {:.3g} innovations each and who heard of them",
                   replicates, replicates == 1 ? "" : "s", innovations),
       replicates * innovations *
           (kInnovationBytes + kInnovationBytesPerCountyMember * s.municipalities / s.counties),
       "innovation.own_rate_per_year,run.years,--threads", MemoryScope::kReplicates});
  const double indicators = indicator_count(params, s.counties);
  const double steps = 12.0 * static_cast<double>(params.run.years) + 1;
  e.parts.push_back(
      {fmt::format("indicator series ({:.3g} indicators x {:.0f} months)", indicators, steps),
       replicates * kSeriesCopies * 8 * steps * indicators +
           kStatsBytes * indicators * (static_cast<double>(params.run.years) + 1),
       s.counties > 100 ? "world.synthetic_counties,run.years,--threads" : "run.years,--threads",
       MemoryScope::kSeries});
  return e;
}

}  // namespace innosim::models::forkommune
