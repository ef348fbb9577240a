#include "tools/sweep/mpi.hpp"

#include <tbb/info.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string_view>

#ifdef INNOSIM_HAVE_MPI
// The C API only (OpenMPI and MPICH would otherwise pull in their deprecated C++ bindings).
#define OMPI_SKIP_MPICXX 1
#define MPICH_SKIP_MPICXX 1
#include <mpi.h>
#include <time.h>

#include <deque>
#endif

#include "sim/error.hpp"

namespace innosim::tools::mpi {

namespace {

int env_int(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr) return fallback;
  return std::atoi(v);
}

}  // namespace

bool launched() noexcept {
  // OpenMPI's mpirun, then PMI / PMIx launchers (srun).
  const int size =
      std::max({env_int("OMPI_COMM_WORLD_SIZE", 0), env_int("PMI_SIZE", 0), env_int("PMIX_SIZE", 0)});
  return size > 1;
}

unsigned threads_per_rank(const Session* session, unsigned requested) {
  if (requested != 0) return requested;
  const auto cores = static_cast<unsigned>(std::max(1, tbb::info::default_concurrency()));
  const unsigned share =
      session != nullptr ? static_cast<unsigned>(std::max(1, session->local_size() - 1)) : 1U;
  return std::max(1U, cores / share);
}

#ifndef INNOSIM_HAVE_MPI

bool available() noexcept {
  return false;
}

Session::Session() {
  throw sim::Error(
      "this innosim was built without MPI (install libopenmpi-dev and rebuild: tools/setup); run the sweep "
      "without mpirun, or in parts with --shard");
}
Session::~Session() = default;
void Session::broadcast(std::string&) const {}
void Session::abort(int code) const {
  std::_Exit(code);
}
bool drive(const Session&, const std::vector<std::uint64_t>&, std::size_t,
           const std::function<void(RunRecord&&)>&, const std::atomic<bool>&) {
  return false;
}
void work(const Session&, const std::function<std::vector<RunRecord>(std::span<const std::uint64_t>)>&,
          const std::atomic<bool>&) {}

#else

namespace {

constexpr int kTagRequest = 1;  // worker -> 0: give me work (empty)
constexpr int kTagAssign = 2;   // 0 -> worker: run ids (empty: stop)
constexpr int kTagResult = 3;   // worker -> 0: one serialized RunRecord
constexpr int kTagStopped = 4;  // worker -> 0: this rank saw a stop signal

void check(int status, const char* what) {
  if (status != MPI_SUCCESS) throw sim::Error(std::string("MPI error in ") + what);
}

template <class T>
void put(std::vector<char>& out, const T& v) {
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &v, sizeof(T));
}
template <class T>
T take(const char*& p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  p += sizeof(T);
  return v;
}

std::vector<char> serialize(const RunRecord& r) {
  std::vector<char> out;
  put<std::uint64_t>(out, r.run);
  put<std::uint64_t>(out, r.values.size());
  const std::size_t at = out.size();
  out.resize(at + r.values.size() * sizeof(double));
  if (!r.values.empty()) std::memcpy(out.data() + at, r.values.data(), r.values.size() * sizeof(double));
  put<std::uint64_t>(out, r.fired_rules.size());
  for (const std::string& s : r.fired_rules) {
    put<std::uint64_t>(out, s.size());
    out.insert(out.end(), s.begin(), s.end());
  }
  return out;
}

RunRecord deserialize(const std::vector<char>& in) {
  const char* p = in.data();
  RunRecord r;
  r.run = take<std::uint64_t>(p);
  r.values.resize(take<std::uint64_t>(p));
  if (!r.values.empty()) std::memcpy(r.values.data(), p, r.values.size() * sizeof(double));
  p += r.values.size() * sizeof(double);
  const auto rules = take<std::uint64_t>(p);
  for (std::uint64_t i = 0; i < rules; ++i) {
    const auto n = take<std::uint64_t>(p);
    r.fired_rules.emplace_back(p, n);
    p += n;
  }
  return r;
}

void nap() {
  // 2 ms: rank 0 waits without taking a core from the ranks that run (workers always have their
  // next batch asked for, so they do not wait on this).
  const timespec ts{0, 2'000'000};
  nanosleep(&ts, nullptr);
}

}  // namespace

bool available() noexcept {
  return true;
}

Session::Session() {
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (!initialized) check(MPI_Init(nullptr, nullptr), "MPI_Init");
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  local_size_ = std::max(1, env_int("OMPI_COMM_WORLD_LOCAL_SIZE", 1));
}

Session::~Session() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

void Session::broadcast(std::string& text) const {
  std::uint64_t n = text.size();
  check(MPI_Bcast(&n, 1, MPI_UINT64_T, 0, MPI_COMM_WORLD), "MPI_Bcast");
  text.resize(n);
  check(MPI_Bcast(text.data(), static_cast<int>(n), MPI_CHAR, 0, MPI_COMM_WORLD), "MPI_Bcast");
}

void Session::abort(int code) const {
  MPI_Abort(MPI_COMM_WORLD, code);
  std::_Exit(code);
}

bool drive(const Session& session, const std::vector<std::uint64_t>& pending, std::size_t batch,
           const std::function<void(RunRecord&&)>& on_result, const std::atomic<bool>& stop) {
  std::size_t next = 0, received = 0;
  int active = session.size() - 1;  // workers not yet told to stop
  std::vector<char> buffer;
  while (active > 0 || received < pending.size()) {
    if (stop.load(std::memory_order_relaxed)) return false;
    int flag = 0;
    MPI_Status status;
    check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &status), "MPI_Iprobe");
    if (!flag) {
      nap();
      continue;
    }
    int bytes = 0;
    MPI_Get_count(&status, MPI_CHAR, &bytes);
    buffer.resize(static_cast<std::size_t>(bytes));
    check(MPI_Recv(buffer.data(), bytes, MPI_CHAR, status.MPI_SOURCE, status.MPI_TAG, MPI_COMM_WORLD,
                   MPI_STATUS_IGNORE),
          "MPI_Recv");
    if (status.MPI_TAG == kTagStopped) return false;
    if (status.MPI_TAG == kTagResult) {
      on_result(deserialize(buffer));
      ++received;
      continue;
    }
    // A request: the next batch, or stop when nothing is left to hand out.
    const std::size_t n = std::min(batch, pending.size() - next);
    check(MPI_Send(pending.data() + next, static_cast<int>(n), MPI_UINT64_T, status.MPI_SOURCE, kTagAssign,
                   MPI_COMM_WORLD),
          "MPI_Send");
    next += n;
    if (n == 0) --active;
  }
  return true;
}

void work(const Session& session,
          const std::function<std::vector<RunRecord>(std::span<const std::uint64_t>)>& run_batch,
          const std::atomic<bool>& stop) {
  (void)session;
  // One request is always outstanding: the next batch is asked for before this one runs, so a
  // rank never waits for rank 0 between batches.
  auto request = [] { check(MPI_Send(nullptr, 0, MPI_CHAR, 0, kTagRequest, MPI_COMM_WORLD), "MPI_Send"); };
  auto receive = [](std::vector<std::uint64_t>& runs) {
    MPI_Status status;
    check(MPI_Probe(0, kTagAssign, MPI_COMM_WORLD, &status), "MPI_Probe");
    int n = 0;
    MPI_Get_count(&status, MPI_UINT64_T, &n);
    runs.resize(static_cast<std::size_t>(n));
    check(MPI_Recv(runs.data(), n, MPI_UINT64_T, 0, kTagAssign, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
          "MPI_Recv");
  };
  std::vector<std::uint64_t> runs, next;
  request();
  receive(runs);
  while (!runs.empty()) {
    request();
    std::vector<RunRecord> results;
    try {
      results = run_batch(runs);
    } catch (...) {
      if (!stop.load()) throw;
    }
    if (stop.load()) {
      // Tell rank 0, which ends the job; wait for that.
      check(MPI_Send(nullptr, 0, MPI_CHAR, 0, kTagStopped, MPI_COMM_WORLD), "MPI_Send");
      for (;;) nap();
    }
    for (const RunRecord& r : results) {
      const std::vector<char> bytes = serialize(r);
      check(MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_CHAR, 0, kTagResult, MPI_COMM_WORLD),
            "MPI_Send");
    }
    receive(next);
    runs.swap(next);
  }
}

#endif

}  // namespace innosim::tools::mpi
