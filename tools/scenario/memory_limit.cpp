// The memory limit of a run (see memory_limit.hpp).
#include "tools/scenario/memory_limit.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>

#include "tools/scenario/yaml_tree.hpp"

namespace innosim::tools {
namespace {

constexpr double kDefaultShare = 0.8;
constexpr double kGiB = 1024.0 * 1024 * 1024;

// A number in a one-line file ("max" and unreadable files give nullopt).
std::optional<double> read_number(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  if (!(in >> text) || text == "max") return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Where the memory control group hierarchies are mounted (/proc/self/mountinfo): the cgroup2
// mount and a cgroup (v1) mount with the memory controller, each with the hierarchy path it
// shows (a container may mount a subtree).
struct CgroupMount {
  std::string point;  ///< "/sys/fs/cgroup" or "/sys/fs/cgroup/memory"
  std::string root;   ///< the hierarchy's path mounted there, usually "/"
};

std::optional<CgroupMount> cgroup_mount(bool v2) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    // "36 25 0:31 / /sys/fs/cgroup rw,... - cgroup2 cgroup2 rw,..."
    const auto dash = line.find(" - ");
    if (dash == std::string::npos) continue;
    std::istringstream head(line.substr(0, dash));
    std::istringstream tail(line.substr(dash + 3));
    std::string id, parent, dev, root, point, type, source, options;
    if (!(head >> id >> parent >> dev >> root >> point) || !(tail >> type >> source >> options)) continue;
    if (v2 && type == "cgroup2") return CgroupMount{point, root};
    if (!v2 && type == "cgroup") {
      std::stringstream list(options);
      for (std::string o; std::getline(list, o, ',');) {
        if (o == "memory") return CgroupMount{point, root};
      }
    }
  }
  return std::nullopt;
}

// A counter of a group's memory.stat ("inactive_file 123"), or 0.
double stat_value(const std::string& path, std::string_view key) {
  std::ifstream in(path);
  std::string name;
  double value = 0;
  while (in >> name >> value) {
    if (name == key) return value;
  }
  return 0;
}

// Headroom of the memory control groups this process is in, from its own up to the root of
// what is mounted: the smallest limit - usage, where usage leaves out the inactive page cache
// (file pages the kernel reclaims before it runs out: a job that has read and written files
// has its usage near the limit without needing that memory). nullopt when no group has a limit.
std::optional<double> cgroup_headroom() {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  std::optional<double> best;
  auto consider = [&](std::optional<double> limit, std::optional<double> usage) {
    // cgroup v1 reports "no limit" as a huge number (PAGE_COUNTER_MAX pages).
    if (!limit || *limit <= 0 || *limit >= 1e18) return;
    const double room = std::max(0.0, *limit - usage.value_or(0.0));
    best = best ? std::min(*best, room) : room;
  };
  while (std::getline(in, line)) {
    // v2: "0::/path"; v1: "N:memory:/path" (or "N:cpu,memory:/path").
    const auto first = line.find(':');
    const auto second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string controllers = line.substr(first + 1, second - first - 1);
    std::string path = line.substr(second + 1);
    const bool v2 = controllers.empty();
    bool memory = v2;
    std::stringstream list(controllers);
    for (std::string c; std::getline(list, c, ',');) memory = memory || c == "memory";
    if (!memory) continue;
    const auto mount = cgroup_mount(v2);
    if (!mount) continue;
    // The group's directory below the mount point: its path without the mounted root.
    if (mount->root != "/" && path.starts_with(mount->root)) path.erase(0, mount->root.size());
    if (path.empty()) path.assign(1, '/');  // (assign: GCC 12's -Wrestrict misfires on = "/")
    while (true) {
      const std::string dir = mount->point + (path == "/" ? "" : path);
      auto in_use = [&](std::optional<double> usage, std::string_view cache_key) -> std::optional<double> {
        if (!usage) return usage;
        return std::max(0.0, *usage - stat_value(dir + "/memory.stat", cache_key));
      };
      if (v2) {
        consider(read_number(dir + "/memory.max"),
                 in_use(read_number(dir + "/memory.current"), "inactive_file"));
      } else {
        consider(read_number(dir + "/memory.limit_in_bytes"),
                 in_use(read_number(dir + "/memory.usage_in_bytes"), "total_inactive_file"));
      }
      if (path == "/") break;
      const auto slash = path.rfind('/');
      if (slash == 0 || slash == std::string::npos) {
        path.assign(1, '/');
      } else {
        path.resize(slash);
      }
    }
  }
  return best;
}

// "a,b,c" (a ParamError's key list) as "a, b or c".
std::string keys(const std::string& list) {
  std::vector<std::string> names;
  std::stringstream in(list);
  for (std::string k; std::getline(in, k, ',');) names.push_back(k);
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
    out += names[i];
  }
  return out;
}

[[noreturn]] void bad_option(const std::string& text, const std::string& why) {
  throw ScenarioError(
      fmt::format("--max-memory '{}': {}; give a size such as 6G, 512M or 2.5GiB (K, M, G, T are "
                  "powers of 1024), a share of the available memory such as 50%, or unlimited",
                  text, why));
}

}  // namespace

double available_memory_bytes() {
  double available = -1;
  std::ifstream in("/proc/meminfo");
  std::string key;
  double value = 0;
  std::string unit;
  while (in >> key >> value) {
    std::getline(in, unit);
    if (key == "MemAvailable:") {
      available = value * 1024;  // kB
      break;
    }
  }
  if (const auto room = cgroup_headroom()) available = available >= 0 ? std::min(available, *room) : *room;
  return available;
}

double peak_memory_bytes() {
  std::ifstream in("/proc/self/status");
  std::string key;
  while (in >> key) {
    if (key == "VmHWM:") {
      double kb = 0;
      in >> kb;
      return kb * 1024;
    }
    std::getline(in, key);
  }
  return 0;
}

std::string format_bytes(double bytes) {
  if (bytes >= 1024 * kGiB) return fmt::format("{:.1f} TiB", bytes / (1024 * kGiB));
  if (bytes >= kGiB) return fmt::format("{:.1f} GiB", bytes / kGiB);
  if (bytes >= 1024.0 * 1024) return fmt::format("{:.0f} MiB", bytes / (1024.0 * 1024));
  return fmt::format("{:.0f} KiB", bytes / 1024.0);
}

MemoryLimit memory_limit(const std::optional<std::string>& option) {
  if (!option) {
    const double available = available_memory_bytes();
    if (available < 0) return {0, "no limit (the available memory could not be read)"};
    // Nothing available (a control group at its limit) is a limit of 0 bytes, not no limit.
    if (available == 0) return {1, "80 % of the 0 bytes available now; --max-memory sets another"};
    return {kDefaultShare * available,
            fmt::format("80 % of the {} available now; --max-memory sets another", format_bytes(available))};
  }
  const std::string& text = *option;
  if (text == "unlimited") return {0, "--max-memory unlimited"};
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  const auto [rest, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || rest == begin) bad_option(text, "not a number");
  if (!std::isfinite(value) || value <= 0) bad_option(text, "must be more than 0");
  std::string unit(rest, end);
  std::transform(unit.begin(), unit.end(), unit.begin(), [](unsigned char c) { return std::toupper(c); });
  if (unit == "%") {
    if (value > 100) bad_option(text, "a share above 100 %");
    const double available = available_memory_bytes();
    if (available < 0) bad_option(text, "the available memory could not be read for a share");
    return {value / 100.0 * available, fmt::format("--max-memory {}: {} % of the {} available now", text,
                                                   value, format_bytes(available))};
  }
  // A bare number is refused: 4000 could mean bytes or (as in Slurm's --mem) megabytes.
  if (unit.empty()) bad_option(text, fmt::format("a size needs a unit (such as {}M or {}G)", text, text));
  double scale = 0;
  for (const auto& [suffix, s] : {std::pair<const char*, double>{"B", 1.0},
                                  {"K", 1024.0},
                                  {"KB", 1024.0},
                                  {"KIB", 1024.0},
                                  {"M", 1024.0 * 1024},
                                  {"MB", 1024.0 * 1024},
                                  {"MIB", 1024.0 * 1024},
                                  {"G", kGiB},
                                  {"GB", kGiB},
                                  {"GIB", kGiB},
                                  {"T", 1024 * kGiB},
                                  {"TB", 1024 * kGiB},
                                  {"TIB", 1024 * kGiB}}) {
    if (unit == suffix) scale = s;
  }
  if (scale == 0) bad_option(text, fmt::format("unknown unit '{}'", std::string(rest, end)));
  return {value * scale, fmt::format("--max-memory {}", text)};
}

std::string describe_estimate(const sim::MemoryEstimate& estimate, unsigned threads) {
  return fmt::format("about {} at its peak on {} thread{}", format_bytes(estimate.total()), threads,
                     threads == 1 ? "" : "s");
}

void check_memory(const sim::MemoryEstimate& estimate, const MemoryLimit& limit) {
  if (limit.bytes <= 0 || estimate.total() <= limit.bytes) return;
  std::string parts;
  for (const auto& p : estimate.parts) {
    parts += fmt::format("\n  {:>10}  {}{}", format_bytes(p.bytes), p.what,
                         p.key.empty() ? "" : " (" + keys(p.key) + ")");
  }
  const auto& big = estimate.largest();
  if (big.key.empty()) {
    throw sim::ParamError(
        "",
        fmt::format("this run needs about {} at its peak, more than the limit of {} ({}):{}\n  "
                    "most of it is {}; raise the limit with --max-memory",
                    format_bytes(estimate.total()), format_bytes(limit.bytes), limit.how, parts, big.what));
  }
  throw sim::ParamError(
      big.key, fmt::format("this run needs about {} at its peak, more than the limit of {} ({}):{}\n  most "
                           "of it is {}; make it "
                           "smaller with {}, or raise the limit with --max-memory",
                           format_bytes(estimate.total()), format_bytes(limit.bytes), limit.how, parts,
                           big.what, keys(big.key)));
}

}  // namespace innosim::tools
