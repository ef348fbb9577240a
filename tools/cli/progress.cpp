#include "tools/cli/progress.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <unistd.h>

#include <ostream>

namespace innosim::tools {

Progress::Progress(std::ostream& err, std::uint64_t total, bool enabled, std::string unit,
                   std::uint64_t already, double log_every)
    : err_(err),
      total_(total),
      already_(already),
      enabled_(enabled),
      tty_(isatty(STDERR_FILENO) != 0),
      unit_(std::move(unit)),
      log_every_(log_every),
      start_(std::chrono::steady_clock::now()) {
  enabled_ = enabled_ && (tty_ || log_every_ > 0);
}

void Progress::update(std::uint64_t done) {
  if (!enabled_) return;
  const double elapsed = seconds();
  if (elapsed - last_ < (tty_ ? 0.2 : log_every_) && done < total_) return;
  last_ = elapsed;
  const double rate = elapsed > 0 ? static_cast<double>(done - already_) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0.0;
  const std::string line = fmt::format("  {} {}/{}  {:.1f}/s  {:.1f} s elapsed  ETA {:.1f} s", unit_, done,
                                       total_, rate, elapsed, eta);
  if (tty_) {
    fmt::print(err_, "\r{:<78}", line);
    if (done == total_) clear();
  } else {
    fmt::print(err_, "{}\n", line);
  }
  err_.flush();
}

void Progress::clear() {
  if (enabled_ && tty_) fmt::print(err_, "\r{:78}\r", "");
}

double Progress::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

}  // namespace innosim::tools
