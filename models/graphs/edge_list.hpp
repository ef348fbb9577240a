// Reading an edge list from a CSV/TSV/whitespace-separated text file.
//
// One edge per line: `source<sep>target[<sep>weight]`. Lines that are empty or start with '#'
// are skipped; `header: true` skips the first remaining line. With `ids: integer` nodes are
// numbered 0 .. n-1 in the file; with `ids: label` any text names a node and nodes are numbered
// in order of first appearance (the labels are kept). Malformed input is an error naming the
// file, line and column and saying what was expected: a wrong number of fields, an id that is
// not a non-negative integer, a weight that is not a finite positive number, a self-loop, or
// an edge listed twice (in an undirected graph, u-v and v-u are the same edge).
#pragma once

#include <string_view>

#include "models/graphs/generators.hpp"

namespace innosim::models {

/// Reads `params.path`. Throws sim::DataError for malformed content and unreadable files.
EdgeList load_edge_list(const EdgeListFileParams& params);

/// Parses edge-list text; `source_name` is used in error messages in place of a path.
EdgeList parse_edge_list(std::string_view text, std::string_view source_name,
                         const EdgeListFileParams& params);

}  // namespace innosim::models
