// Reading municipalities, counties and research institutions from CSV.
#include "tools/data/world_data.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "models/forkommune/world.hpp"
#include "sim/error.hpp"
#include "tools/data/csv.hpp"
#include "tools/embedded.hpp"

namespace innosim::tools {

using models::forkommune::CountyRecord;
using models::forkommune::InstitutionRecord;
using models::forkommune::InstitutionType;
using models::forkommune::MunicipalityRecord;
using models::forkommune::MunicipalProfile;
using models::forkommune::WorldData;

namespace {

// The largest data file read: a synthetic-sized world of 2 million municipalities fits.
constexpr std::uintmax_t kMaxCsvBytes = std::uintmax_t{256} << 20;

// A data file named by a scenario key: a regular file (a FIFO would block, /dev/zero never
// ends) of a size that fits, read whole. Errors name the key and the file.
std::string read_file(const std::string& path, const std::string& key) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw sim::DataError(fmt::format("{} = {}: no such file", key, path));
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw sim::DataError(
        fmt::format("{} = {}: is {}; expected a CSV file", key, path,
                    std::filesystem::is_directory(status) ? "a directory" : "not a regular file"));
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > kMaxCsvBytes) {
    throw sim::DataError(fmt::format("{} = {}: {} bytes is more than the {} a data file may have", key, path,
                                     size, kMaxCsvBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw sim::DataError(fmt::format("{} = {}: cannot open ({})", key, path, std::strerror(errno)));
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

WorldData parse_world_data(std::string_view municipalities, const std::string& municipalities_name,
                           std::string_view counties, const std::string& counties_name,
                           std::string_view institutions, const std::string& institutions_name) {
  WorldData data;
  const CsvTable ct = CsvTable::parse(counties, counties_name);
  std::map<std::string, std::uint32_t> county_index;
  {
    const auto code = ct.column("county_number");
    const auto name = ct.column("name");
    const bool has_pop = ct.has_column("population");
    for (std::size_t r = 0; r < ct.num_rows(); ++r) {
      CountyRecord c{ct.required_text(r, code), ct.required_text(r, name),
                     has_pop ? ct.number(r, ct.column("population"), 0, 1e10) : 0.0};
      if (!county_index.emplace(c.code, static_cast<std::uint32_t>(data.counties.size())).second) {
        ct.fail(r, code, fmt::format("county_number {} appears twice", c.code));
      }
      data.counties.push_back(std::move(c));
    }
  }
  const CsvTable mt = CsvTable::parse(municipalities, municipalities_name);
  std::map<std::string, std::uint32_t> municipality_index;
  {
    const auto code = mt.column("kommunenummer");
    const auto name = mt.column("name");
    const auto county = mt.column("county_number");
    const auto pop = mt.column("population");
    const auto lat = mt.column("lat");
    const auto lon = mt.column("lon");
    const auto centrality = mt.column("centrality");
    const bool has_area = mt.has_column("area_km2");
    for (std::size_t r = 0; r < mt.num_rows(); ++r) {
      MunicipalityRecord m;
      m.code = mt.required_text(r, code);
      m.name = mt.required_text(r, name);
      const std::string& cc = mt.required_text(r, county);
      const auto it = county_index.find(cc);
      if (it == county_index.end()) {
        mt.fail(r, county, fmt::format("county_number {} is not in {}", cc, counties_name));
      }
      m.county = it->second;
      m.population = mt.number(r, pop, 1, 1e9);
      m.area_km2 = has_area ? mt.number(r, mt.column("area_km2"), 0, 1e7) : 0.0;
      m.lat = mt.number(r, lat, -90, 90);
      m.lon = mt.number(r, lon, -180, 180);
      m.centrality = static_cast<int>(mt.integer(r, centrality, 1, 6));
      if (!municipality_index.emplace(m.code, static_cast<std::uint32_t>(data.municipalities.size()))
               .second) {
        mt.fail(r, code, fmt::format("kommunenummer {} appears twice", m.code));
      }
      data.municipalities.push_back(std::move(m));
    }
  }
  const CsvTable it = CsvTable::parse(institutions, institutions_name);
  {
    const auto id = it.column("id");
    const auto name = it.column("name");
    const auto type = it.column("type");
    const auto host = it.column("host_kommunenummer");
    const auto profile = it.column("municipal_profile");
    const bool has_fte = it.has_column("researchers_fte");
    const bool has_part_of = it.has_column("part_of");
    std::map<std::string, std::uint32_t> institution_index;
    for (std::size_t r = 0; r < it.num_rows(); ++r) {
      InstitutionRecord rec;
      rec.id = it.required_text(r, id);
      rec.name = it.required_text(r, name);
      rec.type =
          static_cast<InstitutionType>(it.choice(r, type, {"university", "university_college", "institute"}));
      const std::string& h = it.required_text(r, host);
      const auto hm = municipality_index.find(h);
      if (hm == municipality_index.end()) {
        it.fail(r, host, fmt::format("host_kommunenummer {} is not in {}", h, municipalities_name));
      }
      rec.host = hm->second;
      if (has_fte) rec.researchers_fte = it.optional_number(r, it.column("researchers_fte"), 0, 1e6);
      rec.profile = static_cast<MunicipalProfile>(it.choice(r, profile, {"low", "medium", "high"}));
      if (!institution_index.emplace(rec.id, static_cast<std::uint32_t>(data.institutions.size())).second) {
        it.fail(r, id, fmt::format("id {} appears twice", rec.id));
      }
      data.institutions.push_back(std::move(rec));
    }
    if (has_part_of) {
      const auto part_of = it.column("part_of");
      for (std::size_t r = 0; r < it.num_rows(); ++r) {
        const std::string& parent = it.text(r, part_of);
        if (parent.empty()) continue;
        const auto p = institution_index.find(parent);
        if (p == institution_index.end() || p->second == r) {
          it.fail(r, part_of,
                  fmt::format("part_of = '{}' must be the id of another institution in the file", parent));
        }
        data.institutions[r].part_of = p->second;
      }
    }
  }
  data.description = fmt::format("{} municipalities ({}), {} counties ({}), {} research institutions ({})",
                                 data.municipalities.size(), municipalities_name, data.counties.size(),
                                 counties_name, data.institutions.size(), institutions_name);
  return data;
}

WorldData load_world_data(const models::forkommune::Params& params, const std::string& scenario_dir) {
  if (params.world.source == "synthetic") {
    return models::forkommune::synthetic_world_data(params);
  }
  auto table = [&](const std::string& given, const char* embedded_name,
                   const char* key) -> std::pair<std::string, std::string> {
    if (given.empty()) {
      const std::string path = std::string("scenarios/data/norway/") + embedded_name;
      const auto text = embedded_file(path);
      if (!text) throw sim::DataError(fmt::format("{} is not embedded in this binary", path));
      return {std::string(*text), "(embedded) " + path};
    }
    const std::filesystem::path p(given);
    const std::string full =
        p.is_absolute() ? given : (std::filesystem::path(scenario_dir) / p).lexically_normal().string();
    return {read_file(full, key), full};
  };
  const auto [mun, mun_name] =
      table(params.world.municipalities_csv, "municipalities.csv", "world.municipalities_csv");
  const auto [cou, cou_name] = table(params.world.counties_csv, "counties.csv", "world.counties_csv");
  const auto [ins, ins_name] =
      table(params.world.institutions_csv, "rd_institutions.csv", "world.institutions_csv");
  WorldData data = parse_world_data(mun, mun_name, cou, cou_name, ins, ins_name);
  if (params.world.municipalities_csv.empty() && params.world.counties_csv.empty() &&
      params.world.institutions_csv.empty()) {
    data.description =
        "Norway 2024 structure: 357 municipalities (Kartverket, CC BY 4.0; SSB population 1 Jan 2026 and "
        "centrality, "
        "CC BY 4.0), 15 counties, 61 research institutions (scenarios/data/norway/SOURCES.md)";
  }
  return data;
}

models::forkommune::WorldSize world_size(const models::forkommune::Params& params,
                                         const std::string& scenario_dir) {
  if (params.world.source == "synthetic") return models::forkommune::world_size(params);
  return models::forkommune::world_size(load_world_data(params, scenario_dir), params);
}

}  // namespace innosim::tools
