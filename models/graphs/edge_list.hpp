// Reading an edge list from a CSV/TSV/whitespace-separated text file.
//
// One edge per line: `source<sep>target[<sep>weight]`. Lines that are empty or start with '#'
// are skipped; `header: true` skips the first remaining line. With `ids: integer` nodes are
// numbered 0 .. n-1 in the file; with `ids: label` any text names a node and nodes are numbered
// in order of first appearance (the labels are kept). Malformed input is an error naming the
// file, line and column and saying what was expected: a wrong number of fields, an id that is
// not a non-negative integer, a weight that is not a finite positive number, a self-loop, or
// an edge listed twice (in an undirected graph, u-v and v-u are the same edge). When a file has
// several faults, the first a front-to-back reader meets is reported.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "models/graphs/generators.hpp"

namespace innosim::models {

/// Told which bytes of the text have been parsed (offset and length into the text), so that a
/// memory-mapped file can give their pages back; see sim::FileBuffer::release.
using EdgeListRelease = std::function<void(std::size_t offset, std::size_t length)>;

/// Reads `params.path` (through sim::FileBuffer, memory-mapped). Throws sim::DataError for
/// malformed content and unreadable files.
EdgeList load_edge_list(const EdgeListFileParams& params);

/// An edge-list file made into the layer a classic model runs on.
struct EdgeListGraph {
  std::shared_ptr<const sim::CsrLayer> layer;
  std::vector<std::string> labels;  ///< node names with `ids: label`, else empty
};

/// Reads `params.path` straight into a layer: the same checks and errors as load_edge_list,
/// but the edges are held only while the layer is built (its sorted rows reveal repeated
/// edges, so no other structure is built to find them).
EdgeListGraph load_edge_list_graph(const EdgeListFileParams& params);

/// Parses edge-list text; `source_name` is used in error messages in place of a path. Large
/// texts with integer ids are parsed in parallel; the result and the error reported do not
/// depend on the number of threads.
EdgeList parse_edge_list(std::string_view text, std::string_view source_name,
                         const EdgeListFileParams& params, const EdgeListRelease& release = {});

}  // namespace innosim::models
