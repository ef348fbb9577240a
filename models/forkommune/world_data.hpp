// The facts a programme world is built from: municipalities, counties and research
// institutions, as plain records. tools/ reads them from CSV (the embedded Norway data set or
// files a scenario names) and checks every field; models/ builds agents and networks from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace innosim::models::forkommune {

struct CountyRecord {
  std::string code;  ///< "03", "11", ...
  std::string name;
  double population = 0;
};

struct MunicipalityRecord {
  std::string code;  ///< kommunenummer, "0301"
  std::string name;
  std::uint32_t county = 0;  ///< index into WorldData::counties
  double population = 0;
  double area_km2 = 0;
  double lat = 0;  ///< WGS84 degrees
  double lon = 0;
  int centrality = 1;  ///< SSB centrality class, 1 (most central) to 6
};

enum class InstitutionType : std::uint8_t { kUniversity, kUniversityCollege, kInstitute };
enum class MunicipalProfile : std::uint8_t { kLow, kMedium, kHigh };

struct InstitutionRecord {
  std::string id;  ///< "uio", "nibr", ...
  std::string name;
  InstitutionType type = InstitutionType::kInstitute;
  std::uint32_t host = 0;                 ///< index into WorldData::municipalities
  std::optional<double> researchers_fte;  ///< academic FTE (universities) or researcher FTE/headcount
  MunicipalProfile profile = MunicipalProfile::kMedium;
  std::optional<std::uint32_t> part_of;  ///< index of the institution whose staff figures include this one
};

struct WorldData {
  std::string description;  ///< where the data came from, for outputs
  std::vector<CountyRecord> counties;
  std::vector<MunicipalityRecord> municipalities;
  std::vector<InstitutionRecord> institutions;
};

}  // namespace innosim::models::forkommune
