// Stopping long commands cleanly: while a StopSignals lives, SIGINT, SIGTERM and SIGHUP set a
// flag instead of killing the process. The command polls the flag (run_ensemble's `cancel`),
// stops after the replicates in flight, lets the owners of temporary files remove them
// (ResultFile removes its .tmp-<pid> when it is not committed), and exits 128 + the signal's
// number: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP.
#pragma once

#include <atomic>
#include <csignal>

namespace innosim::tools {

class StopSignals {
 public:
  StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
  ~StopSignals();

  /// The flag the handlers set; pass it as a cancel flag.
  [[nodiscard]] static const std::atomic<bool>& flag() noexcept;
  /// The signal that stopped the command (0: none).
  [[nodiscard]] static int signal() noexcept;
  /// True when a signal has asked the command to stop.
  [[nodiscard]] static bool stopped() noexcept { return flag().load(std::memory_order_relaxed); }

 private:
  struct sigaction old_int_ {
  }, old_term_{}, old_hup_{};
};

/// The exit code of a command stopped by `sig`: 128 + sig.
[[nodiscard]] constexpr int stop_exit_code(int sig) noexcept {
  return 128 + sig;
}

/// Thrown by a command a signal stopped after it has cleaned up; main exits with its code.
struct Stopped {
  int signal = 0;
};

}  // namespace innosim::tools
