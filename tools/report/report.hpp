// `innosim report`: the HTML report of a result file (output/report.hpp draws it; this reads
// the file and computes what it shows).
#pragma once

#include <filesystem>
#include <vector>

#include "output/comparison.hpp"
#include "output/labels.hpp"

namespace innosim::tools {

/// The main indicators of programme runs and comparisons (terminal tables and reports).
[[nodiscard]] std::vector<output::Metric> programme_metrics(
    output::Language lang = output::Language::kEnglish);

/// Reads an innosim result file (run or compare) and writes its HTML report to `html` (through
/// a temporary file renamed into place). Throws output::h5::H5Error for a file that is not a
/// result file, std::runtime_error when the report cannot be written.
void write_report_file(const std::filesystem::path& result, const std::filesystem::path& html,
                       output::Language lang = output::Language::kEnglish);

}  // namespace innosim::tools
