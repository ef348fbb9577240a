// MultilayerGraph: named static and dynamic layers.
#include "sim/multilayer.hpp"

#include <limits>

#include "sim/error.hpp"

namespace innosim::sim {

void MultilayerGraph::check_new_name(const std::string& name) const {
  if (name.empty()) {
    throw ParamError("layer name must not be empty");
  }
  if (find(name)) {
    throw ParamError("layer '" + name + "' is added twice");
  }
  if (layers_.size() >= std::numeric_limits<LayerId>::max()) {
    throw ParamError("too many layers");
  }
}

LayerId MultilayerGraph::add_static(std::string name, CsrLayer layer) {
  check_new_name(name);
  if (layer.num_nodes() != num_nodes_) {
    throw ParamError("layer '" + name + "' has " + std::to_string(layer.num_nodes()) +
                     " nodes, the graph has " + std::to_string(num_nodes_));
  }
  layers_.push_back({std::move(name), std::move(layer)});
  return static_cast<LayerId>(layers_.size() - 1);
}

LayerId MultilayerGraph::add_dynamic(std::string name, EdgeDirection direction) {
  check_new_name(name);
  layers_.push_back({std::move(name), DynamicLayer(num_nodes_, direction)});
  return static_cast<LayerId>(layers_.size() - 1);
}

std::optional<LayerId> MultilayerGraph::find(std::string_view name) const noexcept {
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    if (layers_[i].name == name) {
      return static_cast<LayerId>(i);
    }
  }
  return std::nullopt;
}

LayerId MultilayerGraph::require(std::string_view name) const {
  if (auto id = find(name)) {
    return *id;
  }
  std::string known;
  for (const auto& entry : layers_) {
    known += (known.empty() ? "" : ", ") + entry.name;
  }
  throw ParamError("no layer named '" + std::string(name) + "' (layers: " + (known.empty() ? "none" : known) +
                   ")");
}

const CsrLayer& MultilayerGraph::csr(LayerId id) const {
  const auto& layer = layers_.at(id).layer;
  if (const auto* s = std::get_if<CsrLayer>(&layer)) {
    return *s;
  }
  return std::get<DynamicLayer>(layer).csr();
}

CsrView MultilayerGraph::view(LayerId id) const {
  return csr(id).view();
}

DynamicLayer& MultilayerGraph::dynamic(LayerId id) {
  auto* d = std::get_if<DynamicLayer>(&layers_.at(id).layer);
  if (d == nullptr) {
    throw ParamError("layer '" + layers_.at(id).name + "' is static and cannot change");
  }
  return *d;
}

}  // namespace innosim::sim
