// Linear threshold: thresholds and weights; the cascade itself is detail::ThresholdCascade.
#include "models/diffusion/linear_threshold.hpp"

#include <fmt/format.h>

#include <cmath>

#include "sim/distributions.hpp"
#include "sim/error.hpp"

namespace innosim::models {

const char* thresholds_name(LinearThresholdParams::Thresholds t) noexcept {
  return t == LinearThresholdParams::Thresholds::kUniform ? "uniform" : "fixed";
}
const char* weights_name(LinearThresholdParams::Weights w) noexcept {
  return w == LinearThresholdParams::Weights::kUniform ? "uniform" : "layer";
}

void LinearThresholdParams::validate() const {
  if (!(std::isfinite(threshold_fraction) && threshold_fraction >= 0.0 && threshold_fraction <= 1.0)) {
    throw sim::ParamError(
        "model.threshold_fraction",
        fmt::format("model.threshold_fraction = {}, must be in [0, 1]", threshold_fraction));
  }
}

LinearThreshold::LinearThreshold(const LinearThresholdParams& params, Graph graph,
                                 std::vector<sim::AgentId> seeds, const sim::RngKey& key)
    : ThresholdCascade(std::move(graph), std::move(seeds), key,
                       params.weights == LinearThresholdParams::Weights::kLayer, "linear_threshold"),
      params_(params) {
  params_.validate();
}

std::optional<double> LinearThreshold::common_threshold() const {
  if (params_.thresholds == LinearThresholdParams::Thresholds::kFixed) {
    return params_.threshold_fraction;
  }
  return std::nullopt;
}

double LinearThreshold::threshold(sim::AgentId v) const {
  if (params_.thresholds == LinearThresholdParams::Thresholds::kFixed) {
    return params_.threshold_fraction;
  }
  sim::RngStream rng = key_.stream(sim::Purpose::kThreshold, 0, v);
  return sim::uniform01(rng);
}

}  // namespace innosim::models
