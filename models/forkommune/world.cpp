// Building the static world: owners, institutions, researchers, arenas and static layers.
#include "models/forkommune/world.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sim/distributions.hpp"
#include "sim/error.hpp"
#include "sim/rng.hpp"

namespace innosim::models::forkommune {
namespace {

using sim::AgentId;
using sim::Edge;

constexpr double kEarthRadiusKm = 6371.0;
constexpr double kPi = 3.14159265358979323846;

// Recursive coordinate bisection of `idx` into `parts` groups of near-equal size.
void bisect(const std::vector<double>& x, const std::vector<double>& y, std::vector<std::uint32_t> idx,
            std::uint32_t parts, std::vector<std::uint32_t>& group, std::uint32_t& next_group) {
  if (parts <= 1 || idx.size() <= 1) {
    const std::uint32_t g = next_group++;
    for (const std::uint32_t i : idx) group[i] = g;
    return;
  }
  double min_x = x[idx[0]], max_x = x[idx[0]], min_y = y[idx[0]], max_y = y[idx[0]];
  for (const std::uint32_t i : idx) {
    min_x = std::min(min_x, x[i]);
    max_x = std::max(max_x, x[i]);
    min_y = std::min(min_y, y[i]);
    max_y = std::max(max_y, y[i]);
  }
  const bool by_x = max_x - min_x >= max_y - min_y;
  std::sort(idx.begin(), idx.end(), [&](std::uint32_t a, std::uint32_t b) {
    const double ka = by_x ? x[a] : y[a];
    const double kb = by_x ? x[b] : y[b];
    return ka != kb ? ka < kb : a < b;
  });
  const std::uint32_t left_parts = parts / 2;
  const auto left_size = static_cast<std::size_t>(
      std::llround(static_cast<double>(idx.size()) * left_parts / static_cast<double>(parts)));
  std::vector<std::uint32_t> left(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(left_size));
  std::vector<std::uint32_t> right(idx.begin() + static_cast<std::ptrdiff_t>(left_size), idx.end());
  bisect(x, y, std::move(left), left_parts, group, next_group);
  bisect(x, y, std::move(right), parts - left_parts, group, next_group);
}

// The k nearest other points of each point (ties by index): brute force for small sets, a
// uniform grid for large planar ones.
std::vector<std::vector<std::uint32_t>> nearest(const std::vector<std::uint32_t>& points, std::size_t k,
                                                const auto& distance, const std::vector<double>& x,
                                                const std::vector<double>& y, bool planar) {
  const std::size_t n = points.size();
  std::vector<std::vector<std::uint32_t>> out(n);
  k = std::min(k, n == 0 ? 0 : n - 1);
  if (k == 0) return out;
  if (n <= 4000 || !planar) {
    std::vector<std::pair<double, std::uint32_t>> d;
    for (std::size_t a = 0; a < n; ++a) {
      d.clear();
      for (std::size_t b = 0; b < n; ++b) {
        if (a != b) d.emplace_back(distance(points[a], points[b]), static_cast<std::uint32_t>(b));
      }
      std::partial_sort(d.begin(), d.begin() + static_cast<std::ptrdiff_t>(k), d.end());
      for (std::size_t j = 0; j < k; ++j) out[a].push_back(d[j].second);
    }
    return out;
  }
  // Grid of cells holding about 2k points each; search rings of cells until the k-th
  // neighbour is closer than the ring's inner edge.
  double min_x = x[points[0]], max_x = min_x, min_y = y[points[0]], max_y = min_y;
  for (const auto p : points) {
    min_x = std::min(min_x, x[p]);
    max_x = std::max(max_x, x[p]);
    min_y = std::min(min_y, y[p]);
    max_y = std::max(max_y, y[p]);
  }
  const double area = std::max(1e-9, (max_x - min_x) * (max_y - min_y));
  const double cell = std::sqrt(area * 2.0 * static_cast<double>(k) / static_cast<double>(n)) + 1e-9;
  const auto cols = static_cast<std::int64_t>((max_x - min_x) / cell) + 1;
  const auto rows = static_cast<std::int64_t>((max_y - min_y) / cell) + 1;
  std::vector<std::vector<std::uint32_t>> cells(static_cast<std::size_t>(cols * rows));
  auto cell_of = [&](std::uint32_t p) {
    const auto cx = static_cast<std::int64_t>((x[p] - min_x) / cell);
    const auto cy = static_cast<std::int64_t>((y[p] - min_y) / cell);
    return std::pair{cx, cy};
  };
  for (std::size_t a = 0; a < n; ++a) {
    const auto [cx, cy] = cell_of(points[a]);
    cells[static_cast<std::size_t>(cy * cols + cx)].push_back(static_cast<std::uint32_t>(a));
  }
  std::vector<std::pair<double, std::uint32_t>> d;
  for (std::size_t a = 0; a < n; ++a) {
    const auto [cx, cy] = cell_of(points[a]);
    d.clear();
    for (std::int64_t ring = 0;; ++ring) {
      for (std::int64_t dy = -ring; dy <= ring; ++dy) {
        for (std::int64_t dx = -ring; dx <= ring; ++dx) {
          if (std::max(std::abs(dx), std::abs(dy)) != ring) continue;
          const std::int64_t qx = cx + dx;
          const std::int64_t qy = cy + dy;
          if (qx < 0 || qy < 0 || qx >= cols || qy >= rows) continue;
          for (const std::uint32_t b : cells[static_cast<std::size_t>(qy * cols + qx)]) {
            if (b != a) d.emplace_back(distance(points[a], points[b]), b);
          }
        }
      }
      if (d.size() >= k) {
        std::sort(d.begin(), d.end());
        if (d[k - 1].first <= static_cast<double>(ring) * cell) break;
      }
      if (ring > cols + rows) break;
    }
    std::sort(d.begin(), d.end());
    for (std::size_t j = 0; j < k && j < d.size(); ++j) out[a].push_back(d[j].second);
  }
  return out;
}

// Symmetric edges with weights, merged (the largest weight kept) and sorted.
struct EdgeSet {
  std::vector<std::pair<std::uint64_t, float>> items;
  void add(AgentId a, AgentId b, double w) {
    if (a == b) return;
    const AgentId lo = std::min(a, b);
    const AgentId hi = std::max(a, b);
    items.emplace_back((std::uint64_t{lo} << 32) | hi, static_cast<float>(w));
  }
  sim::CsrLayer layer(AgentId n, bool weighted) {
    std::sort(items.begin(), items.end(), [](const auto& p, const auto& q) {
      return p.first != q.first ? p.first < q.first : p.second > q.second;
    });
    // Sized once and the items freed before the CSR is built: the peak while a layer is built is
    // what models/forkommune/memory.cpp counts per arc.
    std::vector<Edge> edges;
    std::vector<float> weights;
    edges.reserve(items.size());
    if (weighted) weights.reserve(items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      if (i > 0 && items[i].first == items[i - 1].first) continue;
      edges.push_back(
          {static_cast<AgentId>(items[i].first >> 32), static_cast<AgentId>(items[i].first & 0xFFFFFFFFU)});
      if (weighted) weights.push_back(items[i].second);
    }
    std::vector<std::pair<std::uint64_t, float>>().swap(items);
    return sim::CsrLayer::from_edges(n, edges, sim::EdgeDirection::kUndirected,
                                     weighted ? std::span<const float>(weights) : std::span<const float>());
  }
};

}  // namespace

int size_class_of(double population) noexcept {
  if (population < 5000) return 0;
  if (population < 20000) return 1;
  if (population < 50000) return 2;
  return 3;
}

double haversine_km(double lat1, double lon1, double lat2, double lon2) noexcept {
  const double to_rad = kPi / 180.0;
  const double dlat = (lat2 - lat1) * to_rad;
  const double dlon = (lon2 - lon1) * to_rad;
  const double h = std::sin(dlat / 2) * std::sin(dlat / 2) + std::cos(lat1 * to_rad) *
                                                                 std::cos(lat2 * to_rad) *
                                                                 std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2.0 * kEarthRadiusKm * std::asin(std::min(1.0, std::sqrt(h)));
}

double World::owner_distance_km(std::uint32_t a, std::uint32_t b) const noexcept {
  if (geographic) return haversine_km(owner_lat[a], owner_lon[a], owner_lat[b], owner_lon[b]);
  return std::hypot(owner_x_km[a] - owner_x_km[b], owner_y_km[a] - owner_y_km[b]);
}

double World::nearness_of(std::uint32_t o, std::uint32_t i) const noexcept {
  return std::exp(-owner_distance_km(o, inst_host[i]) / rd_distance_scale_km);
}

std::vector<std::uint32_t> compact_groups(const std::vector<double>& x, const std::vector<double>& y,
                                          const std::vector<std::uint32_t>& members, double target,
                                          std::uint32_t& next_group) {
  std::vector<std::uint32_t> group(x.size(), 0);
  const auto parts = static_cast<std::uint32_t>(
      std::max<long long>(1, std::llround(static_cast<double>(members.size()) / target)));
  bisect(x, y, members, parts, group, next_group);
  return group;
}

WorldData synthetic_world_data(const Params& params) {
  const auto& w = params.world;
  WorldData data;
  data.description =
      fmt::format("synthetic world: {} municipalities, {} counties, {} institutions (seed {})",
                  w.synthetic_owners, w.synthetic_counties, w.synthetic_institutions, params.run.seed);
  const auto n = static_cast<std::uint32_t>(w.synthetic_owners);
  const sim::RngKey key{params.run.seed, 0};
  std::vector<double> x(n), y(n), pop(n);
  for (std::uint32_t m = 0; m < n; ++m) {
    sim::RngStream rng = key.stream(sim::Purpose::kWorld, 1, m);
    x[m] = sim::uniform(rng, 0, w.synthetic_side_km);
    y[m] = sim::uniform(rng, 0, w.synthetic_side_km);
    pop[m] = std::max(50.0, std::round(sim::lognormal(rng, std::log(w.synthetic_population_median),
                                                      w.synthetic_population_sigma)));
  }
  std::vector<std::uint32_t> all(n);
  std::iota(all.begin(), all.end(), 0U);
  std::uint32_t counties = 0;
  const std::vector<std::uint32_t> county_of =
      compact_groups(x, y, all, static_cast<double>(n) / static_cast<double>(w.synthetic_counties), counties);
  for (std::uint32_t c = 0; c < counties; ++c) {
    data.counties.push_back({fmt::format("S{:03}", c), fmt::format("County {}", c + 1), 0});
  }
  // Centrality classes by population rank, in Norway's proportions (5, 21, 54, 65, 104, 108 of 357).
  std::vector<std::uint32_t> by_pop = all;
  std::sort(by_pop.begin(), by_pop.end(),
            [&](std::uint32_t a, std::uint32_t b) { return pop[a] != pop[b] ? pop[a] > pop[b] : a < b; });
  static constexpr double kCumulative[] = {5, 26, 80, 145, 249, 357};
  std::vector<int> centrality(n, 6);
  for (std::size_t r = 0; r < by_pop.size(); ++r) {
    const double q = 357.0 * static_cast<double>(r + 1) / static_cast<double>(n);
    int c = 1;
    while (c < 6 && q > kCumulative[c - 1]) ++c;
    centrality[by_pop[r]] = c;
  }
  // Planar coordinates are stored as kilometres in lat/lon's place; the world is marked planar.
  for (std::uint32_t m = 0; m < n; ++m) {
    data.municipalities.push_back({fmt::format("S{:07}", m), fmt::format("Municipality {}", m + 1),
                                   county_of[m], pop[m], 0.0, y[m], x[m], centrality[m]});
    data.counties[county_of[m]].population += pop[m];
  }
  for (std::int64_t i = 0; i < w.synthetic_institutions; ++i) {
    sim::RngStream rng = key.stream(sim::Purpose::kWorld, 2, static_cast<AgentId>(i));
    InstitutionRecord r;
    r.id = fmt::format("inst{}", i + 1);
    r.name = fmt::format("Institution {}", i + 1);
    const double u = sim::uniform01(rng);
    r.type = u < 0.2 ? InstitutionType::kUniversity
                     : (u < 0.5 ? InstitutionType::kUniversityCollege : InstitutionType::kInstitute);
    // Hosts favour large municipalities: the largest of three random draws.
    std::uint32_t host = static_cast<std::uint32_t>(sim::uniform_index(rng, n));
    for (int k = 0; k < 2; ++k) {
      const auto other = static_cast<std::uint32_t>(sim::uniform_index(rng, n));
      if (pop[other] > pop[host]) host = other;
    }
    r.host = host;
    const double v = sim::uniform01(rng);
    r.profile =
        v < 0.4 ? MunicipalProfile::kLow : (v < 0.8 ? MunicipalProfile::kMedium : MunicipalProfile::kHigh);
    // Staff such that institutions hold `synthetic_researchers_per_institution` municipal-sector
    // researchers on average (more for high profiles, fewer for low), with log-normal spread.
    const double mean_share = 0.4 * params.researchers.share_low + 0.4 * params.researchers.share_medium +
                              0.2 * params.researchers.share_high;
    const double per_fte =
        r.type == InstitutionType::kInstitute ? 1.0 : 1.0 / params.researchers.academic_per_research_fte;
    r.researchers_fte = w.synthetic_researchers_per_institution * sim::lognormal(rng, 0.0, 0.5) /
                        std::max(1e-9, mean_share * per_fte);
    data.institutions.push_back(std::move(r));
  }
  return data;
}

ResearcherStaffing researcher_staffing(const WorldData& data, const Params& params) {
  const auto& rp = params.researchers;
  const auto ni = static_cast<std::uint32_t>(data.institutions.size());
  std::vector<double> municipal(ni, 0.0);
  for (std::uint32_t i = 0; i < ni; ++i) {
    const InstitutionRecord& r = data.institutions[i];
    const double fte = r.researchers_fte.value_or(
        r.type == InstitutionType::kUniversity          ? rp.default_fte_university
        : r.type == InstitutionType::kUniversityCollege ? rp.default_fte_university_college
                                                        : rp.default_fte_institute);
    const double research_fte =
        r.type == InstitutionType::kInstitute ? fte : fte / rp.academic_per_research_fte;
    const double share = r.profile == MunicipalProfile::kHigh     ? rp.share_high
                         : r.profile == MunicipalProfile::kMedium ? rp.share_medium
                                                                  : rp.share_low;
    municipal[i] = research_fte * share;
  }
  // A unit that is part of another is counted there too: take it out of the parent.
  for (std::uint32_t i = 0; i < ni; ++i) {
    if (const auto parent = data.institutions[i].part_of)
      municipal[*parent] = std::max(0.0, municipal[*parent] - municipal[i]);
  }
  ResearcherStaffing out;
  out.active.resize(ni);
  out.slots.resize(ni);
  for (std::uint32_t i = 0; i < ni; ++i) {
    // Researchers are agents with 32-bit ids: a count beyond kMaxResearchers is refused before
    // anything is allocated (and before the sum could wrap).
    const double active = std::max(1.0, std::round(municipal[i]));
    const double slots = active + std::max(2.0, std::floor(active * rp.spare_slot_share));
    out.total_slots += slots;
    if (out.total_slots > kMaxResearchers) {
      throw sim::ParamError(
          params.world.source == "synthetic" ? "world.synthetic_researchers_per_institution"
                                             : "world.institutions_csv",
          fmt::format("the institutions would employ more than {:.0f} researchers (agents, with room for PhD "
                      "candidates); make the world smaller",
                      kMaxResearchers));
    }
    out.active[i] = static_cast<std::uint32_t>(active);
    out.slots[i] = static_cast<std::uint32_t>(slots);
  }
  return out;
}

World build_world(const WorldData& data, const Params& params) {
  const bool planar = params.world.source == "synthetic";
  if (data.municipalities.empty()) throw sim::ParamError("world.source", "the world has no municipalities");
  if (data.counties.empty()) throw sim::ParamError("world.source", "the world has no counties");
  World w;
  w.description = data.description;
  w.geographic = !planar;
  const auto nm = static_cast<std::uint32_t>(data.municipalities.size());
  const auto nc = static_cast<std::uint32_t>(data.counties.size());

  // County municipalities: one per county, except where the county is a single municipality
  // (Oslo is both county and municipality and has no separate fylkeskommune).
  std::vector<std::vector<std::uint32_t>> county_members(nc);
  for (std::uint32_t m = 0; m < nm; ++m) county_members[data.municipalities[m].county].push_back(m);
  std::vector<std::uint32_t> county_owner(nc);
  std::uint32_t num_owners = nm;
  for (std::uint32_t c = 0; c < nc; ++c) {
    if (county_members[c].empty()) {
      throw sim::ParamError("world.counties_csv", fmt::format("county {} ({}) has no municipalities",
                                                              data.counties[c].code, data.counties[c].name));
    }
    county_owner[c] = county_members[c].size() == 1 ? county_members[c][0] : num_owners++;
  }

  // Researchers per institution: municipal-sector research staff from the FTE figures.
  const auto& rp = params.researchers;
  const auto ni = static_cast<std::uint32_t>(data.institutions.size());
  const ResearcherStaffing staffing = researcher_staffing(data, params);
  const std::vector<std::uint32_t>& active = staffing.active;
  const std::vector<std::uint32_t>& slots = staffing.slots;
  const auto num_researchers = static_cast<std::uint32_t>(staffing.total_slots);

  w.owners = w.population.add_kind("owner", num_owners);
  w.institutions = w.population.add_kind("institution", ni);
  w.researchers = w.population.add_kind("researcher", num_researchers);
  w.arenas = w.population.add_kind("arena", nc + 2);
  const AgentId n_agents = w.population.size();
  w.num_municipalities = nm;

  // Owners.
  w.owner_code.resize(num_owners);
  w.owner_name.resize(num_owners);
  w.owner_kind.assign(num_owners, OwnerKind::kMunicipality);
  w.owner_county.resize(num_owners);
  w.owner_population.resize(num_owners);
  w.owner_lat.resize(num_owners);
  w.owner_lon.resize(num_owners);
  w.owner_x_km.resize(num_owners);
  w.owner_y_km.resize(num_owners);
  w.owner_centrality.resize(num_owners);
  double mean_lat = 0;
  for (const auto& m : data.municipalities) mean_lat += m.lat / nm;
  const double cos_lat = std::cos(mean_lat * kPi / 180.0);
  for (std::uint32_t m = 0; m < nm; ++m) {
    const MunicipalityRecord& r = data.municipalities[m];
    w.owner_code[m] = r.code;
    w.owner_name[m] = r.name;
    w.owner_county[m] = r.county;
    w.owner_population[m] = r.population;
    w.owner_lat[m] = r.lat;
    w.owner_lon[m] = r.lon;
    w.owner_x_km[m] = planar ? r.lon : r.lon * kPi / 180.0 * kEarthRadiusKm * cos_lat;
    w.owner_y_km[m] = planar ? r.lat : r.lat * kPi / 180.0 * kEarthRadiusKm;
    w.owner_centrality[m] = static_cast<std::uint8_t>(r.centrality - 1);
  }
  w.county_code.resize(nc);
  w.county_name.resize(nc);
  w.county_owner = county_owner;
  for (std::uint32_t c = 0; c < nc; ++c) {
    w.county_code[c] = data.counties[c].code;
    w.county_name[c] = data.counties[c].name;
    const std::uint32_t o = county_owner[c];
    if (o < nm) continue;  // the municipality is the county
    // A county municipality sits at its county's population-weighted centre, with the county's
    // population and its population-weighted centrality class.
    double pop = 0, lat = 0, lon = 0, x = 0, y = 0, cent = 0;
    for (const std::uint32_t m : county_members[c]) {
      const double p = w.owner_population[m];
      pop += p;
      lat += p * w.owner_lat[m];
      lon += p * w.owner_lon[m];
      x += p * w.owner_x_km[m];
      y += p * w.owner_y_km[m];
      cent += p * w.owner_centrality[m];
    }
    w.owner_code[o] = data.counties[c].code;
    w.owner_name[o] = data.counties[c].name + " fylkeskommune";
    w.owner_kind[o] = OwnerKind::kCountyMunicipality;
    w.owner_county[o] = c;
    w.owner_population[o] = pop;
    w.owner_lat[o] = lat / pop;
    w.owner_lon[o] = lon / pop;
    w.owner_x_km[o] = x / pop;
    w.owner_y_km[o] = y / pop;
    w.owner_centrality[o] = static_cast<std::uint8_t>(std::lround(cent / pop));
  }
  w.owner_size_class.resize(num_owners);
  w.owner_small.resize(num_owners);
  w.owner_staff_fte.resize(num_owners);
  for (std::uint32_t o = 0; o < num_owners; ++o) {
    const double pop = w.owner_population[o];
    w.owner_size_class[o] = static_cast<std::uint8_t>(size_class_of(pop));
    w.owner_small[o] =
        w.owner_kind[o] == OwnerKind::kMunicipality && pop < params.owners.small_population ? 1 : 0;
    w.owner_staff_fte[o] =
        std::min(params.owners.staff_fte_max,
                 params.owners.staff_fte_base + pop / 1000.0 * params.owners.staff_fte_per_1000_inhabitants);
  }

  // Regional councils: compact groups inside each county (county municipalities join their
  // county's first council).
  w.owner_region.assign(num_owners, 0);
  for (std::uint32_t c = 0; c < nc; ++c) {
    const std::uint32_t first = w.num_regions;
    const std::vector<std::uint32_t> g = compact_groups(w.owner_x_km, w.owner_y_km, county_members[c],
                                                        params.world.region_size, w.num_regions);
    for (const std::uint32_t m : county_members[c]) w.owner_region[m] = g[m];
    for (std::uint32_t r = first; r < w.num_regions; ++r) w.region_county.push_back(c);
    if (county_owner[c] >= nm) w.owner_region[county_owner[c]] = first;
  }

  // Institutions and researchers.
  w.inst_id.resize(ni);
  w.inst_name.resize(ni);
  w.inst_type.resize(ni);
  w.inst_host.resize(ni);
  w.inst_county.resize(ni);
  w.inst_relevance.resize(ni);
  w.inst_international.resize(ni);
  w.inst_quality.resize(ni);
  w.inst_researcher_begin.resize(ni);
  w.inst_researcher_end.resize(ni);
  w.inst_active_researchers = active;
  w.researcher_institution.resize(num_researchers);
  w.researcher_domains.resize(num_researchers);
  w.researcher_seniority.resize(num_researchers);
  w.researcher_active.resize(num_researchers);
  const sim::RngKey key{params.run.seed, 0};
  std::uint32_t next = 0;
  for (std::uint32_t i = 0; i < ni; ++i) {
    const InstitutionRecord& r = data.institutions[i];
    w.inst_id[i] = r.id;
    w.inst_name[i] = r.name;
    w.inst_type[i] = r.type;
    w.inst_host[i] = r.host;
    w.inst_county[i] = data.municipalities[r.host].county;
    w.inst_relevance[i] = r.profile == MunicipalProfile::kHigh     ? rp.relevance_high
                          : r.profile == MunicipalProfile::kMedium ? rp.relevance_medium
                                                                   : rp.relevance_low;
    w.inst_international[i] = r.type == InstitutionType::kUniversity ? rp.international_university
                              : r.type == InstitutionType::kUniversityCollege
                                  ? rp.international_university_college
                                  : rp.international_institute;
    w.inst_quality[i] = r.type == InstitutionType::kUniversity  ? rp.quality_university
                        : r.type == InstitutionType::kInstitute ? rp.quality_institute
                                                                : rp.quality_university_college;
    w.inst_researcher_begin[i] = next;
    for (std::uint32_t k = 0; k < slots[i]; ++k, ++next) {
      sim::RngStream rng = key.stream(sim::Purpose::kWorld, 3, next);
      w.researcher_institution[next] = i;
      const auto d1 = static_cast<unsigned>(sim::uniform_index(rng, kNumDomains));
      const auto d2 = static_cast<unsigned>(sim::uniform_index(rng, kNumDomains));
      w.researcher_domains[next] = static_cast<std::uint8_t>(
          (1U << d1) | (sim::uniform01(rng) < rp.second_domain_probability ? (1U << d2) : 0U));
      const double u = sim::uniform01(rng);
      w.researcher_seniority[next] = u < rp.phd_share ? 0 : (u < 1.0 - rp.senior_share ? 1 : 2);
      w.researcher_active[next] = k < active[i] ? 1 : 0;
    }
    w.inst_researcher_end[i] = next;
  }

  // Arenas.
  w.conference = w.arenas.begin;
  w.network = w.arenas.begin + 1;
  for (std::uint32_t c = 0; c < nc; ++c) w.regional_arena.push_back(w.arenas.begin + 2 + c);

  // Static layers.
  {
    std::vector<std::uint32_t> municipalities(nm);
    std::iota(municipalities.begin(), municipalities.end(), 0U);
    auto distance = [&](std::uint32_t a, std::uint32_t b) { return w.owner_distance_km(a, b); };
    const auto near = nearest(municipalities, static_cast<std::size_t>(params.world.geo_neighbours), distance,
                              w.owner_x_km, w.owner_y_km, planar);
    EdgeSet geo;
    for (std::uint32_t a = 0; a < nm; ++a) {
      for (const std::uint32_t b : near[a]) {
        geo.add(w.owner_agent(a), w.owner_agent(b),
                std::exp(-distance(a, b) / params.world.geo_distance_scale_km));
      }
    }
    w.geo = geo.layer(n_agents, true);
  }
  {
    EdgeSet region;
    std::vector<std::vector<std::uint32_t>> members(w.num_regions);
    for (std::uint32_t m = 0; m < nm; ++m) members[w.owner_region[m]].push_back(m);
    for (const auto& group : members) {
      for (std::size_t a = 0; a < group.size(); ++a) {
        for (std::size_t b = a + 1; b < group.size(); ++b)
          region.add(w.owner_agent(group[a]), w.owner_agent(group[b]), 1.0);
      }
    }
    w.region = region.layer(n_agents, false);
  }
  {
    EdgeSet county;
    for (std::uint32_t m = 0; m < nm; ++m) {
      const std::uint32_t co = county_owner[w.owner_county[m]];
      if (co != m) county.add(w.owner_agent(m), w.owner_agent(co), 1.0);
    }
    w.county = county.layer(n_agents, false);
  }
  w.rd_distance_scale_km = params.world.rd_distance_scale_km;
  if (static_cast<std::uint64_t>(num_owners) * ni <= (std::uint64_t{1} << 22)) {
    w.nearness.resize(static_cast<std::size_t>(num_owners) * ni);
    for (std::uint32_t o = 0; o < num_owners; ++o) {
      for (std::uint32_t i = 0; i < ni; ++i)
        w.nearness[static_cast<std::size_t>(o) * ni + i] = w.nearness_of(o, i);
    }
  }
  {
    // An owner's rd tie to institution i weighs relevance(i) x (1 in the same county, else
    // nearness); ties under world.rd_min_weight are left out. Large planar worlds look only at
    // institutions within the distance beyond which no tie can reach the minimum (a grid of
    // cells that wide) and at those of the owner's county, so the layer is the same as the
    // brute-force one at a cost of O(owners x nearby institutions).
    EdgeSet rd;
    const double min_weight = params.world.rd_min_weight;
    auto consider = [&](std::uint32_t o, std::uint32_t i) {
      const bool same_county = w.owner_county[o] == w.inst_county[i];
      const double weight = w.inst_relevance[i] * (same_county ? 1.0 : w.nearness_of(o, i));
      if (weight >= min_weight) rd.add(w.owner_agent(o), w.institution_agent(i), weight);
    };
    const bool brute = w.geographic || min_weight <= 0 || ni == 0 ||
                       static_cast<std::uint64_t>(num_owners) * ni <= (std::uint64_t{1} << 22);
    if (brute) {
      for (std::uint32_t o = 0; o < num_owners; ++o) {
        for (std::uint32_t i = 0; i < ni; ++i) consider(o, i);
      }
    } else {
      const double top = *std::max_element(w.inst_relevance.begin(), w.inst_relevance.end());
      // Beyond `reach` km, relevance x exp(-d / scale) < top x (min / top) = min.
      const double reach =
          top > min_weight
              ? params.world.rd_distance_scale_km * std::log(top / min_weight) * (1 + 1e-6) + 1e-6
              : 0.0;
      double min_x = w.owner_x_km[0], max_x = min_x, min_y = w.owner_y_km[0], max_y = min_y;
      for (std::uint32_t o = 0; o < num_owners; ++o) {
        min_x = std::min(min_x, w.owner_x_km[o]);
        max_x = std::max(max_x, w.owner_x_km[o]);
        min_y = std::min(min_y, w.owner_y_km[o]);
        max_y = std::max(max_y, w.owner_y_km[o]);
      }
      const double cell = std::max({reach, (max_x - min_x) / 1024, (max_y - min_y) / 1024, 1e-6});
      const auto cols = static_cast<std::int64_t>((max_x - min_x) / cell) + 1;
      const auto rows = static_cast<std::int64_t>((max_y - min_y) / cell) + 1;
      auto cell_of = [&](std::uint32_t o) {
        return std::pair{static_cast<std::int64_t>((w.owner_x_km[o] - min_x) / cell),
                         static_cast<std::int64_t>((w.owner_y_km[o] - min_y) / cell)};
      };
      std::vector<std::vector<std::uint32_t>> cells(static_cast<std::size_t>(cols * rows));
      std::vector<std::vector<std::uint32_t>> in_county(w.num_counties());
      for (std::uint32_t i = 0; i < ni; ++i) {
        const auto [cx, cy] = cell_of(w.inst_host[i]);
        cells[static_cast<std::size_t>(cy * cols + cx)].push_back(i);
        in_county[w.inst_county[i]].push_back(i);
      }
      std::vector<std::uint32_t> candidates;
      for (std::uint32_t o = 0; o < num_owners; ++o) {
        candidates = in_county[w.owner_county[o]];
        if (reach > 0) {
          const auto [cx, cy] = cell_of(o);
          for (std::int64_t qy = std::max<std::int64_t>(0, cy - 1); qy <= std::min(rows - 1, cy + 1); ++qy) {
            for (std::int64_t qx = std::max<std::int64_t>(0, cx - 1); qx <= std::min(cols - 1, cx + 1);
                 ++qx) {
              const auto& c = cells[static_cast<std::size_t>(qy * cols + qx)];
              candidates.insert(candidates.end(), c.begin(), c.end());
            }
          }
        }
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        for (const std::uint32_t i : candidates) consider(o, i);
      }
    }
    w.rd = rd.layer(n_agents, true);
  }
  {
    EdgeSet research;
    EdgeSet member;
    for (std::uint32_t i = 0; i < ni; ++i) {
      const std::uint32_t b = w.inst_researcher_begin[i];
      const std::uint32_t count = active[i];
      for (std::uint32_t r = b; r < w.inst_researcher_end[i]; ++r)
        member.add(w.researcher_agent(r), w.institution_agent(i), 1.0);
      if (count < 2) continue;
      for (std::uint32_t k = 0; k < count; ++k) {
        sim::RngStream rng = key.stream(sim::Purpose::kWorld, 4, b + k);
        for (std::int64_t j = 0; j < params.world.research_colleagues; ++j) {
          const auto other = static_cast<std::uint32_t>(sim::uniform_index(rng, count));
          if (other != k) research.add(w.researcher_agent(b + k), w.researcher_agent(b + other), 1.0);
        }
      }
    }
    for (std::uint32_t o = 0; o < num_owners; ++o)
      member.add(w.owner_agent(o), w.regional_arena[w.owner_county[o]], 1.0);
    w.research = research.layer(n_agents, false);
    w.member = member.layer(n_agents, false);
  }
  // Listeners: arcs speaker -> listener over owner indices.
  {
    std::vector<Edge> arcs;
    std::vector<float> weights;
    if (params.world.complete_exposure) {
      const float each = num_owners > 1 ? 1.0F / static_cast<float>(num_owners - 1) : 0.0F;
      for (std::uint32_t j = 0; j < num_owners; ++j) {
        for (std::uint32_t m = 0; m < num_owners; ++m) {
          if (j == m) continue;
          arcs.push_back({j, m});
          weights.push_back(each);
        }
      }
    } else {
      const auto& d = params.diffusion;
      const sim::CsrLayer* layers[] = {&w.geo, &w.region, &w.county};
      const double lambda[] = {d.weight_geo, d.weight_region, d.weight_county};
      for (std::uint32_t m = 0; m < num_owners; ++m) {
        const AgentId a = w.owner_agent(m);
        double lambda_total = 0;
        double layer_total[3] = {0, 0, 0};
        for (int l = 0; l < 3; ++l) {
          const sim::CsrView v = layers[l]->view();
          for (sim::EdgeIndex e = v.begin(a); e < v.end(a); ++e) layer_total[l] += v.weight(e);
          if (layer_total[l] > 0 && lambda[l] > 0) lambda_total += lambda[l];
        }
        if (lambda_total <= 0) continue;
        for (int l = 0; l < 3; ++l) {
          if (layer_total[l] <= 0 || lambda[l] <= 0) continue;
          const sim::CsrView v = layers[l]->view();
          for (sim::EdgeIndex e = v.begin(a); e < v.end(a); ++e) {
            arcs.push_back({v.targets[e] - w.owners.begin, m});
            weights.push_back(static_cast<float>(lambda[l] / lambda_total * v.weight(e) / layer_total[l]));
          }
        }
      }
    }
    // An owner can hear another on several layers: merge those arcs, adding their weights.
    std::vector<std::size_t> order(arcs.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return arcs[a].source != arcs[b].source ? arcs[a].source < arcs[b].source
                                              : arcs[a].target < arcs[b].target;
    });
    std::vector<Edge> merged;
    std::vector<float> merged_w;
    for (const std::size_t k : order) {
      if (!merged.empty() && merged.back() == arcs[k]) {
        merged_w.back() += weights[k];
      } else {
        merged.push_back(arcs[k]);
        merged_w.push_back(weights[k]);
      }
    }
    w.listeners = sim::CsrLayer::from_edges(num_owners, merged, sim::EdgeDirection::kDirected, merged_w);
  }
  return w;
}

}  // namespace innosim::models::forkommune
