// The kernel's domain vocabulary: identifiers for agents, steps, seeds and replicates.
//
// Every other header speaks in these names, so widening a type (for example AgentId to 64 bits
// for a 5-billion-node graph) is a change in one place.
#pragma once

#include <cstdint>
#include <limits>

namespace innosim::sim {

/// Dense index of an agent in a run: agents of every kind share one id space, each kind a
/// contiguous range (see `Population`). 32 bits hold the 10^7-node benchmark graphs with room.
using AgentId = std::uint32_t;
/// Index of an edge in a CSR layer. 64 bits: a 10^7-node graph with mean degree 500 still fits.
using EdgeIndex = std::uint64_t;
/// One tick of simulated time. Step 0 is the initial state; step t is the state after t ticks.
using Step = std::uint32_t;
/// The 64-bit seed stated in a scenario and written to every output.
using Seed = std::uint64_t;
/// Index of a replicate within an ensemble. The random streams reserve 24 bits for it.
using Replicate = std::uint32_t;

inline constexpr AgentId kNoAgent = std::numeric_limits<AgentId>::max();
/// "Has not happened": the step stored for an event that has not occurred.
inline constexpr Step kNever = std::numeric_limits<Step>::max();
/// Largest replicate index the random streams can address (2^24 - 1).
inline constexpr Replicate kMaxReplicate = (Replicate{1} << 24) - 1;

/// Identifies what a random draw is for. Each purpose is its own family of streams, so adding
/// draws for one purpose never shifts the numbers of another; this is what lets two scenarios
/// share random numbers wherever they agree (common random numbers).
///
/// The numeric values are part of the reproducibility contract: append new purposes, never
/// renumber or reuse one.
enum class Purpose : std::uint8_t {
  kTest = 0,       ///< reserved for tests and benchmarks
  kGraph = 1,      ///< graph generation
  kSeeding = 2,    ///< choice of initial adopters
  kThreshold = 3,  ///< per-agent thresholds of threshold models
  kTransmit = 4,   ///< transmission attempts along edges (cascade, SI)
  kAdopt = 5,      ///< spontaneous or hazard-based adoption decisions (Bass)
  // The FORKOMMUNE programme model (models/forkommune/).
  kWorld = 6,          ///< building the static world (researchers, ties)
  kOwnerInit = 7,      ///< owners' starting capacity and culture
  kOwnInnovation = 8,  ///< own innovation events and their attributes
  kDiffusion = 9,      ///< adoption decisions, per innovation
  kAdaptation = 10,    ///< adaptation durations and abandonment
  kApplication = 11,   ///< who applies, consortia, grants
  kReview = 12,        ///< reviewer noise
  kProject = 13,       ///< project outcomes and their innovations
  kArena = 14,         ///< arena participation, ties, broker matches
  kResearcher = 15,    ///< researchers retiring, PhDs, recruitment
  // Experiments over runs (sim/design.hpp, sim/sensitivity.hpp).
  kDesign = 16,       ///< sampling designs: Latin hypercube, Morris trajectories
  kBootstrap = 17,    ///< bootstrap resampling of sensitivity estimates
  kNational = 18,     ///< national programmes: development, enrolment (models/forkommune/)
  kCalibration = 19,  ///< ABC-SMC proposals: prior draws, ancestors, perturbations (sim/abc.hpp)
};

}  // namespace innosim::sim
