// The charting libraries the HTML report inlines, compiled into the binary from the npm
// packages tools/setup installs (tools/report/package.json), so that `innosim report` works
// offline and from any directory.
#pragma once

#include "output/report.hpp"

namespace innosim::tools {

/// vega, vega-lite and vega-embed (minified builds) with their versions.
[[nodiscard]] output::ReportAssets report_assets() noexcept;

}  // namespace innosim::tools
