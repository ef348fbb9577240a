// The weighted multilayer graph: named layers over one agent id space, each either static
// (built once, CsrLayer) or dynamic (changed in batches, DynamicLayer). Models look a layer up
// by name once, before step 0, and keep its LayerId.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/csr.hpp"
#include "sim/dynamic_layer.hpp"

namespace innosim::sim {

using LayerId = std::uint16_t;

class MultilayerGraph {
 public:
  explicit MultilayerGraph(AgentId num_nodes) : num_nodes_(num_nodes) {}

  /// Adds a static layer. Throws ParamError when the name is taken or the layer's node count
  /// differs from the graph's.
  LayerId add_static(std::string name, CsrLayer layer);
  /// Adds an empty dynamic layer. Throws ParamError when the name is taken.
  LayerId add_dynamic(std::string name, EdgeDirection direction);

  [[nodiscard]] AgentId num_nodes() const noexcept { return num_nodes_; }
  [[nodiscard]] std::size_t num_layers() const noexcept { return layers_.size(); }
  [[nodiscard]] const std::string& name(LayerId id) const { return layers_.at(id).name; }
  [[nodiscard]] bool is_dynamic(LayerId id) const {
    return std::holds_alternative<DynamicLayer>(layers_.at(id).layer);
  }
  [[nodiscard]] std::optional<LayerId> find(std::string_view name) const noexcept;
  /// The layer named `name`; throws ParamError listing the layers when there is none.
  [[nodiscard]] LayerId require(std::string_view name) const;
  /// Current arrays of a layer (for a dynamic one: valid until its next commit or decay).
  [[nodiscard]] CsrView view(LayerId id) const;
  [[nodiscard]] const CsrLayer& csr(LayerId id) const;
  /// The dynamic layer `id`; throws ParamError when the layer is static.
  DynamicLayer& dynamic(LayerId id);

 private:
  struct Entry {
    std::string name;
    std::variant<CsrLayer, DynamicLayer> layer;
  };
  void check_new_name(const std::string& name) const;

  AgentId num_nodes_;
  std::vector<Entry> layers_;
};

}  // namespace innosim::sim
