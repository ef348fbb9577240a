// `innosim export`: the summary tables of a result file as CSV files for spreadsheets.
#pragma once

#include <filesystem>
#include <vector>

namespace innosim::tools {

/// Writes into `dir` (created when missing): summary.csv (each scenario's indicators over the
/// run: mean, 95 % interval, sd), yearly.csv (each indicator per year), comparison_*.csv (a
/// comparison's tables) and world_*.csv (owners, counties, institutions). RFC 4180, UTF-8, CRLF
/// line ends; ',' between fields and '.' as decimal mark, or with `decimal_comma` ';' and ','
/// (what spreadsheets set to Norwegian expect). Each file is written under a temporary name and
/// renamed. Returns the files written. Throws output::h5::H5Error for a file that is not a
/// result file.
std::vector<std::filesystem::path> export_csv(const std::filesystem::path& result,
                                              const std::filesystem::path& dir, bool decimal_comma = false);

}  // namespace innosim::tools
