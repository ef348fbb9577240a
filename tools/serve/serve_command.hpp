// `innosim serve`: the scenario explorer, a local web application for people who will never
// write YAML (docs/explorer.md). The binary serves the page and its charting libraries (compiled
// in, so it works offline), a JSON API over the parameter registry and the built-in scenarios,
// and runs paired comparisons of an explored scenario against baseline and no-programme,
// streaming the comparison as replicates finish (server-sent events).
//
// Safety: it binds to 127.0.0.1 unless told otherwise; it refuses requests from other origins
// and Host names it was not started under; it reads and writes files only in its own directory
// (--dir), under names it makes itself (a scenario's fingerprint); request bodies are bounded;
// at most --queue comparisons wait, one runs at a time on all cores, and a client's new request
// cancels its previous one.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace innosim::tools {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                       ///< 0: any free port (printed)
  std::string dir = "innosim-explorer";  ///< results, cached by fingerprint
  bool open = false;                     ///< open the page in a browser (xdg-open)
  unsigned threads = 0;                  ///< for the comparisons; 0: all cores
  std::size_t queue = 8;                 ///< comparisons that may wait
  std::uint64_t max_replicates = 200;
  /// More names the server may be reached under (a team server's name, a proxy's), for the
  /// Host and Origin checks.
  std::vector<std::string> allow_hosts;
};

/// Serves until SIGINT or SIGTERM. Exit codes: 0 after a signal, 1 when the port cannot be bound,
/// 2 for bad options.
int serve_command(const ServeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace innosim::tools
