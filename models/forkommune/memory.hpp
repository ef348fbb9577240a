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

#include <array>
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
  double researchers = 0;         ///< agents (slots), the spare ones included
  double active_researchers = 0;  ///< those in the co-author network
  double rd_ties = 0;             ///< owner-institution ties (expected, or counted from the data)
  double region_arcs = 0;         ///< arcs of the regional-council layer (both directions)
  /// The owners' populations, for the rate of own innovations: a data world's, or (synthetic)
  /// the log-normal of world.synthetic_population_median and _sigma.
  std::vector<double> owner_populations;
  bool synthetic = false;
  double population_median = 0, population_sigma = 0;
  std::string size_key;        ///< the key that sets the number of owners
  std::string researcher_key;  ///< the key that sets the number of researchers
};

/// A data world's owner-institution distances (km; 0 in the same county), sorted, by the
/// institution's profile (low, medium, high): with them, the rd ties for any world.rd_min_weight,
/// rd_distance_scale_km and relevance are counted by binary search (a sweep sizes thousands of
/// points on one data world).
struct RdDistances {
  std::array<std::vector<double>, 3> by_profile;
  double county_owner_pairs = 0;  ///< county municipalities x institutions (taken as ties)
};
RdDistances rd_distances(const WorldData& data);

/// Expected sizes of the world `params` describe without building it: the synthetic world's
/// from its parameters (no data is generated). For a world read from data use the overload.
WorldSize world_size(const Params& params);
/// Sizes of the world built from `data`: agents counted exactly, ties counted with the rules of
/// build_world (owner-institution ties pair by pair up to 5 x 10^8 pairs, an upper bound beyond).
/// `distances`, when given, must be rd_distances(data).
WorldSize world_size(const WorldData& data, const Params& params, const RdDistances* distances = nullptr);

using sim::MemoryEstimate;
using sim::MemoryPart;
using sim::MemoryScope;

/// The number of indicators a run records on a world with `counties` counties (the layout of
/// make_indicator_layout; a test checks the two agree).
double indicator_count(const Params& params, double counties);

/// Own innovations a month over all owners at capacity and culture 1 (an upper rate), each
/// owner's capped at the model's 63 a month.
double own_innovation_rate(const Params& params, const WorldSize& size);

/// Peak memory of a run of `params` on a world of size `size` with `in_flight` replicates at
/// once (the thread count; never more than params.run.replicates, which a sweep sets to its
/// runs). Innovations are counted over the warm-up and the run.
MemoryEstimate estimate_memory(const Params& params, const WorldSize& size, std::size_t in_flight);

}  // namespace innosim::models::forkommune
