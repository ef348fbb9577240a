// The facts behind a programme world: the embedded Norway data set, CSV files a scenario names
// (same columns; another country or year), or a synthetic world.
#pragma once

#include <string>

#include "models/forkommune/memory.hpp"
#include "models/forkommune/params.hpp"
#include "models/forkommune/world_data.hpp"

namespace innosim::tools {

/// Reads (or generates) the world data a scenario asks for. Relative CSV paths are relative to
/// `scenario_dir`. Throws sim::DataError naming file, line and column for malformed data.
models::forkommune::WorldData load_world_data(const models::forkommune::Params& params,
                                              const std::string& scenario_dir);

/// The size of the world `params` describe, for the memory estimate: a synthetic world's from
/// its parameters (nothing is drawn), a world from data files counted from the files.
models::forkommune::WorldSize world_size(const models::forkommune::Params& params,
                                         const std::string& scenario_dir);

/// Parses the three tables (text and the name to report in errors).
models::forkommune::WorldData parse_world_data(std::string_view municipalities,
                                               const std::string& municipalities_name,
                                               std::string_view counties, const std::string& counties_name,
                                               std::string_view institutions,
                                               const std::string& institutions_name);

}  // namespace innosim::tools
