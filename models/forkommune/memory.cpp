// The memory estimate of a programme run (see memory.hpp). Byte counts per item are the data
// structures' sizes (world.hpp, detail/state.hpp, sim/csr.hpp) or margins over them, as each
// constant says; the ones per innovation were set from measured peaks (docs/performance.md,
// "Memory").
#include "models/forkommune/memory.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "models/forkommune/world.hpp"
#include "sim/error.hpp"

namespace innosim::models::forkommune {
namespace {

// The program with its libraries (oneTBB, HDF5, fmt, yaml-cpp, MPI) and the embedded data: a run
// of the Norway baseline peaks at 21 MiB, one on a 10-municipality world at 16 MiB; rounded up.
constexpr double kBaseBytes = 24.0 * 1024 * 1024;
// World, per agent kind: codes and names (std::string, heap-allocated past 15 characters), the
// per-owner arrays of world.hpp and the WorldData records they are built from. Margins over
// those sizes, not exact.
constexpr double kOwnerWorldBytes = 480;
constexpr double kInstitutionWorldBytes = 320;
constexpr double kResearcherWorldBytes = 16;
// CSR: 8-byte offsets per agent and layer, 4-byte targets and (weighted layers) 4-byte weights.
constexpr double kOffsetBytes = 8;
constexpr double kTargetBytes = 4;
constexpr double kWeightBytes = 4;
// While layers are built: an EdgeSet holds 16 bytes an edge (8 an arc), grown by doubling (up to
// twice that); it is freed once the edge and weight arrays (6 bytes an arc) are filled, and then
// Boost builds the CSR from them. The research and member layers are built together. 16 bytes an
// arc at the worst moment, set by hand from the peaks of researcher-heavy and rd-heavy worlds
// (about 10 measured, tools/bench/run-memory); the listener layer sorts arcs, weights and an order
// (32 bytes an arc).
constexpr double kLayerBuildBytesPerArc = 16;
constexpr double kListenerBuildBytesPerArc = 32;
// One replicate: the owners' state (detail/state.hpp: five doubles, a dozen 32-bit counters,
// three lists, the process's per-owner rates and waits; a margin) and the researchers'; and
// four dynamic layers (collaboration, arena, broker, researcher network) with 8-byte offsets
// over every agent.
constexpr double kOwnerReplicateBytes = 400;
constexpr double kResearcherReplicateBytes = 8;
constexpr double kDynamicLayerBytesPerAgent = 4 * 8;
// Per innovation counted at capacity and culture 1 (an upper rate: the mean owner makes about a
// fifth of it): the Innovation record (in a vector that doubles, so up to three records' worth
// while it grows), its exposure list and the adopters' lists. An innovation heard of in a county
// (at its regional arena, or from its county municipality) reaches the county's members, so the
// lists grow with the municipalities per county. Both set by hand from measured peaks
// (tools/bench/run-memory) so that the estimate is not below them.
constexpr double kInnovationBytes = 160;
constexpr double kInnovationBytesPerCountyMember = 0.4;
// The model makes at most 63 own innovations per owner and month (innovation.cpp).
constexpr double kMaxOwnPerMonth = 63;
// Indicator series: the recorder's and the result's copy of (steps + 1) x indicators doubles.
constexpr double kSeriesCopies = 2;
// The run's summary: running statistics per indicator and year.
constexpr double kStatsBytes = 32;
// Owner-institution pairs counted one by one for a data world; beyond, every pair is a tie.
constexpr double kMaxCountedPairs = 5e8;

// Arcs of the regional-council layer for a county of `members` municipalities: compact groups
// of about world.region_size, each complete.
double region_arcs(double members, double region_size) {
  if (members < 2) return 0;
  const double groups = std::max(1.0, std::round(members / region_size));
  return members * (members / groups - 1.0);
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
  s.synthetic = true;
  s.municipalities = static_cast<double>(w.synthetic_owners);
  s.counties = std::max(1.0, std::min(static_cast<double>(w.synthetic_counties), s.municipalities));
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
  double per_owner = s.institutions;
  if (w.rd_min_weight > 0) {
    const double top = std::max({rp.relevance_high, rp.relevance_medium, rp.relevance_low});
    const double reach =
        top > w.rd_min_weight ? w.rd_distance_scale_km * std::log(top / w.rd_min_weight) : 0.0;
    const double disc =
        std::min(1.0, std::numbers::pi * reach * reach / (w.synthetic_side_km * w.synthetic_side_km));
    per_owner = std::min(s.institutions, s.institutions * disc + s.institutions / s.counties);
  }
  s.rd_ties = s.owners * per_owner;
  s.region_arcs = s.counties * region_arcs(per_county, w.region_size);
  s.population_median = w.synthetic_population_median;
  s.population_sigma = w.synthetic_population_sigma;
  s.size_key = "world.synthetic_owners";
  s.researcher_key = "world.synthetic_researchers_per_institution";
  return s;
}

RdDistances rd_distances(const WorldData& data) {
  RdDistances d;
  std::vector<double> members(data.counties.size(), 0.0);
  for (const auto& m : data.municipalities) {
    if (m.county < members.size()) members[m.county] += 1;
  }
  for (const double n : members)
    d.county_owner_pairs += n > 1 ? static_cast<double>(data.institutions.size()) : 0.0;
  if (static_cast<double>(data.municipalities.size()) * static_cast<double>(data.institutions.size()) >
      kMaxCountedPairs) {
    return d;  // too many to list: world_size takes every pair
  }
  for (const auto& r : data.institutions) {
    if (r.host >= data.municipalities.size()) continue;
    const auto& host = data.municipalities[r.host];
    auto& list = d.by_profile[static_cast<std::size_t>(r.profile)];
    for (const auto& m : data.municipalities)
      list.push_back(m.county == host.county ? 0.0 : haversine_km(m.lat, m.lon, host.lat, host.lon));
  }
  for (auto& list : d.by_profile) std::sort(list.begin(), list.end());
  return d;
}

WorldSize world_size(const WorldData& data, const Params& params, const RdDistances* distances) {
  const auto& w = params.world;
  const auto& rp = params.researchers;
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
  s.owners = s.municipalities;
  for (const auto& m : data.municipalities) s.owner_populations.push_back(m.population);
  for (std::size_t c = 0; c < members.size(); ++c) {
    s.region_arcs += region_arcs(members[c], w.region_size);
    if (members[c] > 1) {
      s.owners += 1;
      s.owner_populations.push_back(county_population[c]);
    }
  }
  s.institutions = static_cast<double>(data.institutions.size());
  const ResearcherStaffing staffing = researcher_staffing(data, params);
  s.researchers = staffing.total_slots;
  for (const auto a : staffing.active) s.active_researchers += a;
  // rd ties, by build_world's rule: relevance x (1 in the same county, else
  // exp(-distance / rd_distance_scale_km)) at least world.rd_min_weight, i.e. distance at most
  // -scale x ln(min / relevance); county municipalities (a few) and worlds too large to list are
  // taken at every pair.
  RdDistances own;
  if (distances == nullptr && w.rd_min_weight > 0) {
    own = rd_distances(data);
    distances = &own;
  }
  const bool listed = distances != nullptr && s.municipalities * s.institutions <= kMaxCountedPairs;
  if (w.rd_min_weight <= 0 || !listed) {
    s.rd_ties = s.owners * s.institutions;
  } else {
    s.rd_ties = distances->county_owner_pairs;
    const double relevance[] = {rp.relevance_low, rp.relevance_medium, rp.relevance_high};
    for (std::size_t k = 0; k < 3; ++k) {
      if (relevance[k] < w.rd_min_weight) continue;
      const double reach = -w.rd_distance_scale_km * std::log(w.rd_min_weight / relevance[k]);
      const auto& list = distances->by_profile[k];
      s.rd_ties +=
          static_cast<double>(std::upper_bound(list.begin(), list.end(), reach * (1 + 1e-12)) - list.begin());
    }
  }
  const bool own_files = !w.municipalities_csv.empty();
  s.size_key = own_files ? "world.municipalities_csv" : "";
  s.researcher_key = w.institutions_csv.empty() ? "researchers.spare_slot_share" : "world.institutions_csv";
  return s;
}

double own_innovation_rate(const Params& params, const WorldSize& s) {
  const auto& in = params.innovation;
  auto rate = [&](double population) {
    return std::min(kMaxOwnPerMonth,
                    in.own_rate_per_year / 12.0 * std::pow(population / 10000.0, in.own_population_exponent));
  };
  if (!s.synthetic) {
    double sum = 0;
    for (const double p : s.owner_populations) sum += rate(p);
    return sum;
  }
  // Municipalities: population max(50, LogNormal(ln median, sigma)), the expectation of the
  // capped rate by the midpoint rule over the standard normal on [-8, 8].
  double sum = 0, norm = 0, mean_population = 0;
  for (int k = -200; k <= 200; ++k) {
    const double z = k / 25.0;
    const double weight = std::exp(-0.5 * z * z);
    const double population = std::max(50.0, s.population_median * std::exp(s.population_sigma * z));
    sum += weight * rate(population);
    mean_population += weight * population;
    norm += weight;
  }
  mean_population /= norm;
  // County municipalities: the population of their county.
  const double county_owners = s.owners - s.municipalities;
  return s.municipalities * sum / norm +
         county_owners * rate(mean_population * s.municipalities / s.counties);
}

namespace {

struct Layers {
  double geo = 0, region = 0, county = 0, rd = 0, research = 0, member = 0, listeners = 0;
  [[nodiscard]] double total() const { return geo + region + county + rd + research + member + listeners; }
  // The most arcs under construction at once: one layer, or research and member together.
  [[nodiscard]] double building() const { return std::max({geo, region, county, rd, research + member}); }
};

Layers layer_arcs(const Params& params, const WorldSize& s) {
  const auto& w = params.world;
  Layers l;
  const double m = s.municipalities;
  l.geo = 2.0 * m * std::min(static_cast<double>(w.geo_neighbours), std::max(0.0, m - 1));
  l.region = s.region_arcs;
  l.county = 2.0 * m;
  l.rd = 2.0 * s.rd_ties;
  l.research = 2.0 * s.active_researchers * static_cast<double>(w.research_colleagues);
  l.member = 2.0 * (s.researchers + s.owners);
  l.listeners = w.complete_exposure ? s.owners * std::max(0.0, s.owners - 1) : l.geo + l.region + l.county;
  return l;
}

// "a,b" with empty names left out.
std::string keys(std::initializer_list<std::string_view> names) {
  std::string out;
  for (const auto n : names) {
    if (n.empty()) continue;
    if (!out.empty()) out += ',';
    out += n;
  }
  return out;
}

}  // namespace

MemoryEstimate estimate_memory(const Params& params, const WorldSize& s, std::size_t in_flight) {
  MemoryEstimate e;
  const auto replicates = static_cast<double>(std::clamp<std::int64_t>(
      static_cast<std::int64_t>(in_flight), 1, std::max<std::int64_t>(1, params.run.replicates)));
  const std::string at_once =
      fmt::format("{:.0f} replicate{} at once", replicates, replicates == 1 ? "" : "s");
  // Fewer threads only help when more than one replicate is in flight.
  const std::string_view threads = replicates > 1 ? "--threads" : "";
  e.parts.push_back({"the program and its libraries", kBaseBytes, "", MemoryScope::kProcess});

  const Layers l = layer_arcs(params, s);
  const double agents = s.owners + s.institutions + s.researchers + s.counties + 2;
  e.parts.push_back({fmt::format("world: {:.3g} owners and {:.3g} institutions", s.owners, s.institutions),
                     s.owners * kOwnerWorldBytes + s.institutions * kInstitutionWorldBytes, s.size_key,
                     MemoryScope::kWorld});
  e.parts.push_back({fmt::format("world: {:.3g} researchers", s.researchers),
                     s.researchers * kResearcherWorldBytes, s.researcher_key, MemoryScope::kWorld});
  // The networks: name the keys of the biggest layer.
  const std::string rd_key = s.synthetic
                                 ? "world.rd_min_weight,world.synthetic_institutions,world.synthetic_side_km"
                                 : keys({"world.rd_min_weight", s.size_key, "world.institutions_csv"});
  const std::string research_key = keys({"world.research_colleagues", s.researcher_key});
  const std::string owners_key = keys({"world.geo_neighbours", "world.region_size", s.size_key});
  const std::pair<double, std::string> named[] = {
      {l.geo + l.region + l.county, owners_key},
      {l.rd, rd_key},
      {l.research + l.member, research_key},
      {l.listeners, params.world.complete_exposure ? "world.complete_exposure" : owners_key}};
  const auto* big = std::max_element(std::begin(named), std::end(named),
                                     [](const auto& a, const auto& b) { return a.first < b.first; });
  double networks = 6 * kOffsetBytes * agents + kOffsetBytes * s.owners + kTargetBytes * l.total() +
                    kWeightBytes * (l.geo + l.rd + l.listeners) +
                    std::max(kLayerBuildBytesPerArc * l.building(), kListenerBuildBytesPerArc * l.listeners);
  if (s.owners * s.institutions <= double(1 << 22)) networks += 8 * s.owners * s.institutions;
  e.parts.push_back({fmt::format("world: networks ({:.3g} stored ties)", l.total()), networks, big->second,
                     MemoryScope::kWorld});

  const double months = 12.0 * static_cast<double>(params.run.warmup_years + params.run.years);
  const double innovations =
      own_innovation_rate(params, s) * months + static_cast<double>(params.innovation.initial_innovations);
  e.parts.push_back(
      {at_once + ": the owners', researchers' and dynamic ties' state",
       replicates * (s.owners * kOwnerReplicateBytes + s.researchers * kResearcherReplicateBytes +
                     agents * kDynamicLayerBytesPerAgent),
       keys({threads, s.size_key, s.researcher_key}), MemoryScope::kReplicates});
  e.parts.push_back(
      {fmt::format("{}: up to {:.3g} innovations each and who heard of them", at_once, innovations),
       replicates * innovations *
           (kInnovationBytes + kInnovationBytesPerCountyMember * s.municipalities / s.counties),
       keys({"innovation.own_rate_per_year", "innovation.own_population_exponent", "run.years",
             "run.warmup_years", threads}),
       MemoryScope::kReplicates});
  const double indicators = indicator_count(params, s.counties);
  const double steps = 12.0 * static_cast<double>(params.run.years) + 1;
  e.parts.push_back({fmt::format("indicator series ({:.3g} indicators x {:.0f} months)", indicators, steps),
                     replicates * kSeriesCopies * 8 * steps * indicators +
                         kStatsBytes * indicators * (static_cast<double>(params.run.years) + 1),
                     s.synthetic && s.counties > 100
                         ? keys({"world.synthetic_counties", "run.years", threads})
                         : keys({"run.years", threads}),
                     MemoryScope::kSeries});
  return e;
}

}  // namespace innosim::models::forkommune
