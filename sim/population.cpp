// Population: the registry of agent kinds and their id ranges.
#include "sim/population.hpp"

#include <algorithm>
#include <limits>

#include "sim/error.hpp"

namespace innosim::sim {

AgentRange Population::add_kind(std::string name, AgentId count) {
  if (name.empty()) {
    throw ParamError("agent kind: the name must not be empty");
  }
  if (find_kind(name)) {
    throw ParamError("agent kind '" + name + "' is registered twice");
  }
  if (names_.size() >= std::numeric_limits<KindId>::max()) {
    throw ParamError("too many agent kinds");
  }
  const AgentId begin = size();
  if (count >= kNoAgent - begin) {
    throw ParamError("agent kind '" + name + "': " + std::to_string(count) +
                     " agents would exceed the id space of " + std::to_string(kNoAgent - 1));
  }
  names_.push_back(std::move(name));
  ends_.push_back(begin + count);
  return {begin, begin + count};
}

std::optional<KindId> Population::find_kind(std::string_view name) const noexcept {
  for (std::size_t k = 0; k < names_.size(); ++k) {
    if (names_[k] == name) {
      return static_cast<KindId>(k);
    }
  }
  return std::nullopt;
}

KindId Population::kind_of(AgentId a) const noexcept {
  SIM_ASSERT(a < size(), "agent id out of range");
  const auto it = std::upper_bound(ends_.begin(), ends_.end(), a);
  return static_cast<KindId>(it - ends_.begin());
}

}  // namespace innosim::sim
