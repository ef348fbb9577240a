// The code version and git revision compiled into the binary (generated at build time from
// cmake/version.cpp.in). Provenance only: no result depends on them.
#pragma once

namespace innosim::tools {
[[nodiscard]] const char* version() noexcept;
[[nodiscard]] const char* git_revision() noexcept;
}  // namespace innosim::tools
