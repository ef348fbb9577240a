// How much memory a programme run will hold at its peak, estimated from the scenario before
// anything is built, so that a world or a run that cannot fit is refused with the estimate and
// the key to change instead of growing until the machine or the batch system kills it.
//
// The estimate adds up what the run keeps, part by part (docs/performance.md, "Memory"):
//   - the world: per-agent arrays of owners, institutions and researchers, and the static
//     network layers as CSR arrays, plus the largest layer's construction buffers;
//   - each replicate in flight: the owners' state, the innovations made over the warm-up and
//     the run with the lists of owners exposed to them, and the indicator series;
//   - the summary of all replicates (per year and indicator).
// Counts are exact where the scenario fixes them (the Norway data, CSV worlds) and expected
// values where a synthetic world draws them. The bytes per item are the data structures' sizes,
// with the dynamic parts (innovations and exposure lists) fitted to measured peaks; the test
// tests/robust/memory_test.py checks the total against measured peak resident memory.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "models/forkommune/params.hpp"
#include "models/forkommune/world_data.hpp"
#include "sim/memory_estimate.hpp"

namespace innosim::models::forkommune {

/// The sizes of a world that its memory depends on.
struct WorldSize {
  double municipalities = 0;
  double counties = 0;
  double owners = 0;  ///< municipalities and county municipalities
  double institutions = 0;
  double researchers = 0;          ///< agents (slots), the spare ones included
  double active_researchers = 0;   ///< those in the co-author network
  double rd_ties_per_owner = 0;    ///< expected owner-institution ties
  double own_innovation_rate = 0;  ///< own innovations per month over all owners, at capacity and culture 1
  std::string size_key;            ///< the key that sets the number of owners
  std::string researcher_key;      ///< the key that sets the number of researchers
};

/// Expected sizes of the world `params` describe without building it: the synthetic world's
/// from its parameters (no data is generated). For a world read from data use the overload.
WorldSize world_size(const Params& params);
/// Sizes of the world built from `data` (exact counts).
WorldSize world_size(const WorldData& data, const Params& params);

using sim::MemoryEstimate;
using sim::MemoryPart;
using sim::MemoryScope;

/// The number of indicators a run records on a world with `counties` counties (the layout of
/// make_indicator_layout; a test checks the two agree).
double indicator_count(const Params& params, double counties);

/// Peak memory of a run of `params` on a world of size `size` with `in_flight` replicates at
/// once (the thread count; never more than the run's replicates). Innovations are counted over
/// the warm-up and the run.
MemoryEstimate estimate_memory(const Params& params, const WorldSize& size, std::size_t in_flight);

}  // namespace innosim::models::forkommune
