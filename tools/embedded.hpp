// Files compiled into the binary: the Norway data set and the shipped programme scenarios, so
// that `innosim run` works from any directory with no files around. The build embeds them from
// scenarios/ (cmake/Embed.cmake); paths are relative to the source tree, e.g.
// "scenarios/data/norway/municipalities.csv".
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace innosim::tools {

struct EmbeddedFile {
  std::string_view path;
  std::string_view text;
};

/// Every embedded file, in path order.
[[nodiscard]] std::span<const EmbeddedFile> embedded_files() noexcept;

/// The text of an embedded file, or nothing.
[[nodiscard]] inline std::optional<std::string_view> embedded_file(std::string_view path) noexcept {
  for (const EmbeddedFile& f : embedded_files()) {
    if (f.path == path) return f.text;
  }
  return std::nullopt;
}

}  // namespace innosim::tools
