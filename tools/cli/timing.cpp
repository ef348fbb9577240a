// PhaseTimer: steady_clock for wall time, getrusage(RUSAGE_SELF) for the CPU time of all threads.
#include "tools/cli/timing.hpp"

#include <fmt/format.h>
#include <sys/resource.h>  // getrusage

#include <utility>

namespace innosim::tools {

PhaseTimer::PhaseTimer(bool enabled, std::ostream& err, std::string first_phase)
    : enabled_(enabled), err_(err), current_(std::move(first_phase)), start_(now()), phase_start_(start_) {}

PhaseTimer::Instant PhaseTimer::now() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
  };
  return {std::chrono::steady_clock::now(), seconds(usage.ru_utime) + seconds(usage.ru_stime)};
}

void PhaseTimer::print(const std::string& name, const Instant& from, const Instant& to) {
  const double wall = std::chrono::duration<double>(to.wall - from.wall).count();
  err_ << fmt::format("timing: {:<6} {:9.3f} s wall {:9.3f} s CPU\n", name, wall,
                      to.cpu_seconds - from.cpu_seconds);
  err_.flush();
}

void PhaseTimer::phase(std::string name) {
  if (!enabled_) return;
  const Instant t = now();
  print(current_, phase_start_, t);
  current_ = std::move(name);
  phase_start_ = t;
}

void PhaseTimer::finish() {
  if (!enabled_) return;
  const Instant t = now();
  print(current_, phase_start_, t);
  print("total", start_, t);
}

}  // namespace innosim::tools
