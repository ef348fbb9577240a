// The memory a run may use, and the check of an estimate against it.
//
// `--max-memory` sets the limit: a size ("6G", "512M", "2.5GiB"; K, M, G and T are powers of
// 1024 as in Slurm's --mem), a share of the memory available now ("50%"), or "unlimited". The
// default is 80 % of what is available now: /proc/meminfo's MemAvailable, or less when the
// process runs in a control group with a memory limit (a Slurm job's --mem, a container), whose
// headroom (memory.max - memory.current, cgroup v2; limit_in_bytes - usage_in_bytes, v1) counts.
// A run whose estimate (models/forkommune/memory.hpp, estimated_peak_bytes of classic scenarios)
// exceeds the limit is refused before it allocates, with exit 2, the estimate part by part and
// the key to change.
#pragma once

#include <optional>
#include <string>

#include "sim/memory_estimate.hpp"

namespace innosim::tools {

struct MemoryLimit {
  double bytes = 0;  ///< 0: no limit
  std::string how;   ///< "80 % of the 21.4 GiB available", "--max-memory 6G", ...
};

/// Memory available to this process now, in bytes (MemAvailable, or the control group's
/// headroom when smaller); 0 when it cannot be read.
double available_memory_bytes();

/// The limit from `--max-memory` (nullopt: the default). Throws ScenarioError naming the option
/// and the accepted forms for text that is not one of them.
MemoryLimit memory_limit(const std::optional<std::string>& option);

/// The most memory this process has held so far (VmHWM of /proc/self/status), in bytes; 0 when
/// it cannot be read.
double peak_memory_bytes();

/// "512 MiB", "7.3 GiB".
std::string format_bytes(double bytes);

/// Throws sim::ParamError, keyed by the largest part's key (so that the scenario's
/// rethrow_located points at its line), when the estimate exceeds the limit. The message gives
/// the total, the limit and how it was set, then every part with its size and the key that
/// makes it smaller.
void check_memory(const sim::MemoryEstimate& estimate, const MemoryLimit& limit);

/// One line for `scenario check` and dry runs: "about 210 MiB at its peak on 2 threads".
std::string describe_estimate(const sim::MemoryEstimate& estimate, unsigned threads);

}  // namespace innosim::tools
