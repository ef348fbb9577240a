// Sweeps over MPI ranks (OpenMPI): rank 0 drives, the other ranks run.
//
// Rank 0 does what a one-process sweep does (checks, lock, journal, result file) but hands
// the pending runs out in small batches to whichever worker asks next, and journals each
// result as it arrives. Workers load the same sweep file, check that its fingerprint is rank
// 0's, and run their batches on their threads. Nothing about a run depends on the rank that
// ran it, so the result file is the one-process file, bitwise.
//
// Stopping: a SIGTERM or SIGINT seen by any rank makes rank 0 sync the journal and end the job
// with MPI_Abort (exit 143 / 130 through mpirun). A rank that dies ends the job through
// mpirun's own error handling. Either way the journal keeps every finished run, and the same
// command continues the sweep.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "tools/sweep/journal.hpp"

namespace innosim::tools::mpi {

/// True when innosim was built with MPI.
[[nodiscard]] bool available() noexcept;

/// True when the environment says this process is one of several MPI ranks (mpirun / srun).
[[nodiscard]] bool launched() noexcept;

/// MPI_Init / MPI_Finalize for the lifetime of a sweep.
class Session {
 public:
  Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
  ~Session();
  [[nodiscard]] int rank() const noexcept { return rank_; }
  [[nodiscard]] int size() const noexcept { return size_; }
  /// Ranks on this node (for a default thread count).
  [[nodiscard]] int local_size() const noexcept { return local_size_; }
  /// Rank 0's text on every rank.
  void broadcast(std::string& text) const;
  /// Ends every rank of the job with this exit code.
  [[noreturn]] void abort(int code) const;

 private:
  int rank_ = 0, size_ = 1, local_size_ = 1;
};

/// Worker threads for this process: `requested`, or when 0 the node's cores shared by the ranks
/// on it that run (rank 0 mostly waits), at least 1. `session` is nullptr without MPI.
[[nodiscard]] unsigned threads_per_rank(const Session* session, unsigned requested);

/// Rank 0: hands out `pending` in batches, passes each result to `on_result` (in arrival order),
/// and returns true when all are done, false when a stop was requested here or by a worker.
bool drive(const Session& session, const std::vector<std::uint64_t>& pending, std::size_t batch,
           const std::function<void(RunRecord&&)>& on_result, const std::atomic<bool>& stop);

/// Other ranks: asks for batches and runs them until rank 0 says stop. `run_batch` runs a batch
/// (on this rank's threads) and returns its records; it may throw when `stop` becomes true.
void work(const Session& session,
          const std::function<std::vector<RunRecord>(std::span<const std::uint64_t>)>& run_batch,
          const std::atomic<bool>& stop);

}  // namespace innosim::tools::mpi
