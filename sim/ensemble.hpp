// The ensemble runner: many replicates in parallel, each owning its state, results consumed
// in replicate order.
//
// Built on tbb::parallel_pipeline: a serial stage hands out replicate indices, a parallel
// stage runs them, and a serial in-order stage passes each result to the consumer. The number
// of replicates alive at once is capped by `max_in_flight` (the pipeline's token count), so
// memory is bounded by the concurrency, not by how many replicates are asked for; and since
// the consumer sees replicate r before r + 1 whatever finished first, anything it folds
// (means, variances) is bitwise identical for any thread count.
#pragma once

#include <tbb/parallel_pipeline.h>

#include <atomic>
#include <cstddef>
#include <optional>
#include <vector>

#include "sim/types.hpp"

namespace innosim::sim {

/// Runs replicates first .. first + count - 1.
///   run(Replicate r) -> Result        builds and runs replicate r on the calling task
///   consume(Replicate r, Result&& x)  called once per replicate, in increasing r, serially
/// Stops handing out new replicates once `*cancel` becomes true (those in flight finish and are
/// consumed) and returns the number of replicates consumed. An exception thrown by `run` or
/// `consume` cancels the rest and is rethrown.
template <class Result, class Run, class Consume>
std::size_t run_ensemble(Replicate first, Replicate count, std::size_t max_in_flight, Run&& run,
                         Consume&& consume, const std::atomic<bool>* cancel = nullptr) {
  if (count == 0) {
    return 0;
  }
  // One slot per pipeline token: the pipeline never holds more than `tokens` items, so
  // replicate r and r + tokens never share a slot at the same time. The slots own the results,
  // so nothing leaks when an exception cancels the pipeline with items in flight.
  const std::size_t tokens = max_in_flight < 1 ? 1 : max_in_flight;
  struct Slot {
    Replicate replicate = 0;
    std::optional<Result> result;
  };
  std::vector<Slot> slots(tokens);
  Replicate next = first;
  const Replicate last = first + count;
  std::size_t consumed = 0;
  tbb::parallel_pipeline(
      tokens,
      tbb::make_filter<void, std::size_t>(
          tbb::filter_mode::serial_in_order,
          [&](tbb::flow_control& fc) -> std::size_t {
            if (next == last || (cancel != nullptr && cancel->load(std::memory_order_relaxed))) {
              fc.stop();
              return 0;
            }
            const std::size_t slot = (next - first) % tokens;
            slots[slot].replicate = next++;
            return slot;
          }) &
          tbb::make_filter<std::size_t, std::size_t>(tbb::filter_mode::parallel,
                                                     [&](std::size_t slot) {
                                                       slots[slot].result.emplace(run(slots[slot].replicate));
                                                       return slot;
                                                     }) &
          tbb::make_filter<std::size_t, void>(tbb::filter_mode::serial_in_order, [&](std::size_t slot) {
            Slot& s = slots[slot];
            consume(s.replicate, std::move(*s.result));
            s.result.reset();
            ++consumed;
          }));
  return consumed;
}

}  // namespace innosim::sim
