// Choice of initial adopters.
#include "models/diffusion/seeding.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <numeric>

#include "sim/distributions.hpp"
#include "sim/error.hpp"
#include "sim/file.hpp"

namespace innosim::models {

using sim::AgentId;
using sim::ParamError;

const char* seeding_strategy_name(SeedingParams::Strategy s) noexcept {
  switch (s) {
    case SeedingParams::Strategy::kRandom:
      return "random";
    case SeedingParams::Strategy::kTopDegree:
      return "top_degree";
    case SeedingParams::Strategy::kIds:
      return "ids";
    case SeedingParams::Strategy::kNone:
      return "none";
    case SeedingParams::Strategy::kFile:
      return "file";
  }
  return "?";
}

void parse_seed_list(std::string_view text, std::string_view source_name, SeedingParams& into) {
  into.ids.clear();
  into.lines.clear();
  into.path = std::string(source_name);
  std::size_t line_no = 0;
  std::size_t pos = 0;
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    std::size_t column = 1;
    while (!line.empty() && blank(line.front())) {
      line.remove_prefix(1);
      ++column;
    }
    while (!line.empty() && blank(line.back())) line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') {
      if (line_no > std::numeric_limits<std::uint32_t>::max()) {
        throw sim::DataError(
            fmt::format("{}:{}: more lines than a seed file can have", source_name, line_no));
      }
      std::uint64_t id = 0;
      const auto [ptr, ec] = std::from_chars(line.data(), line.data() + line.size(), id);
      if (ec != std::errc() || ptr != line.data() + line.size()) {
        throw sim::DataError(
            fmt::format("{}:{}:{}: seed id '{}{}' is not a non-negative integer (one id per line)",
                        source_name, line_no, column, line.substr(0, 40), line.size() > 40 ? "..." : ""));
      }
      if (id >= sim::kNoAgent) {
        throw sim::DataError(fmt::format("{}:{}:{}: seed id {} is out of range: node ids are below {}",
                                         source_name, line_no, column, id, sim::kNoAgent));
      }
      into.ids.push_back(static_cast<AgentId>(id));
      into.lines.push_back(static_cast<std::uint32_t>(line_no));
    }
    if (end == text.size()) break;
  }
}

void load_seed_file(const std::string& path, SeedingParams& into) {
  const sim::FileBuffer file(path, "seed file");
  parse_seed_list(file.text(), path, into);
}

void SeedingParams::validate(AgentId num_nodes) const {
  const char* name = seeding_strategy_name(strategy);
  switch (strategy) {
    case Strategy::kRandom:
    case Strategy::kTopDegree:
      if (count.has_value() == fraction.has_value()) {
        throw ParamError(
            "seeding.strategy",
            fmt::format("seeding: strategy '{}' needs exactly one of seeding.count and seeding.fraction",
                        name));
      }
      if (count && *count > num_nodes) {
        throw ParamError(
            "seeding.count",
            fmt::format("seeding.count = {}, must be at most the {} nodes of the graph", *count, num_nodes));
      }
      if (fraction && !(std::isfinite(*fraction) && *fraction >= 0.0 && *fraction <= 1.0)) {
        throw ParamError("seeding.fraction",
                         fmt::format("seeding.fraction = {}, must be in [0, 1]", *fraction));
      }
      if (!ids.empty()) {
        throw ParamError("seeding.ids",
                         fmt::format("seeding.ids is only used with strategy 'ids', not '{}'", name));
      }
      break;
    case Strategy::kIds: {
      if (count || fraction) {
        throw ParamError("seeding.strategy",
                         "seeding: strategy 'ids' takes seeding.ids, not count or fraction");
      }
      std::vector<AgentId> sorted = ids;
      std::sort(sorted.begin(), sorted.end());
      for (std::size_t i = 0; i < sorted.size(); ++i) {
        if (sorted[i] >= num_nodes) {
          throw ParamError("seeding.ids",
                           fmt::format("seeding.ids: id {} is out of range, the graph has nodes 0 .. {}",
                                       sorted[i], num_nodes - 1));
        }
        if (i > 0 && sorted[i] == sorted[i - 1]) {
          throw ParamError("seeding.ids", fmt::format("seeding.ids: id {} is listed twice", sorted[i]));
        }
      }
      break;
    }
    case Strategy::kFile: {
      if (count || fraction) {
        throw ParamError("seeding.strategy",
                         "seeding: strategy 'file' takes seeding.path, not count or fraction");
      }
      // In file order, so that the first bad line is the one reported; one bit per node.
      std::vector<bool> listed(num_nodes, false);
      for (std::size_t i = 0; i < ids.size(); ++i) {
        const std::uint32_t line = i < lines.size() ? lines[i] : 0;
        if (ids[i] >= num_nodes) {
          throw sim::DataError(fmt::format("{}:{}: seed id {} is out of range, the graph has nodes 0 .. {}",
                                           path, line, ids[i], num_nodes == 0 ? 0 : num_nodes - 1));
        }
        if (listed[ids[i]]) {
          const std::size_t first =
              static_cast<std::size_t>(std::find(ids.begin(), ids.end(), ids[i]) - ids.begin());
          throw sim::DataError(fmt::format("{}:{}: seed id {} is listed twice (first on line {})", path, line,
                                           ids[i], first < lines.size() ? lines[first] : 0));
        }
        listed[ids[i]] = true;
      }
      break;
    }
    case Strategy::kNone:
      if (count || fraction || !ids.empty()) {
        throw ParamError("seeding.strategy", "seeding: strategy 'none' takes no count, fraction or ids");
      }
      break;
  }
}

std::uint64_t SeedingParams::seed_count(AgentId num_nodes) const {
  switch (strategy) {
    case Strategy::kRandom:
    case Strategy::kTopDegree:
      return count ? *count
                   : static_cast<std::uint64_t>(std::llround(*fraction * static_cast<double>(num_nodes)));
    case Strategy::kIds:
    case Strategy::kFile:
      return ids.size();
    case Strategy::kNone:
      return 0;
  }
  return 0;
}

std::vector<AgentId> choose_seeds(const SeedingParams& params, const Graph& graph, const sim::RngKey& key) {
  const AgentId n = graph.num_nodes();
  params.validate(n);
  const std::uint64_t k = params.seed_count(n);
  std::vector<AgentId> seeds;
  switch (params.strategy) {
    case SeedingParams::Strategy::kRandom: {
      sim::RngStream rng = key.stream(sim::Purpose::kSeeding, 0, 0);
      for (const std::uint64_t v : sim::sample_without_replacement(rng, n, k)) {
        seeds.push_back(static_cast<AgentId>(v));
      }
      break;
    }
    case SeedingParams::Strategy::kTopDegree: {
      std::vector<AgentId> order(n);
      std::iota(order.begin(), order.end(), AgentId{0});
      auto higher = [&](AgentId a, AgentId b) {
        const auto da = graph.degree(a);
        const auto db = graph.degree(b);
        return da != db ? da > db : a < b;
      };
      const auto kth = order.begin() + static_cast<std::ptrdiff_t>(k);
      std::nth_element(order.begin(), kth, order.end(), higher);
      seeds.assign(order.begin(), kth);
      std::sort(seeds.begin(), seeds.end());
      break;
    }
    case SeedingParams::Strategy::kIds:
    case SeedingParams::Strategy::kFile:
      seeds = params.ids;
      std::sort(seeds.begin(), seeds.end());
      break;
    case SeedingParams::Strategy::kNone:
      break;
  }
  return seeds;
}

}  // namespace innosim::models
