// Watts (2002) threshold model: fractional thresholds on an unweighted graph.
#include "models/diffusion/watts_threshold.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/distributions.hpp"
#include "sim/error.hpp"

namespace innosim::models {

void WattsThresholdParams::validate() const {
  if (!(std::isfinite(threshold_fraction) && threshold_fraction >= 0.0 && threshold_fraction <= 1.0)) {
    throw sim::ParamError(
        "model.threshold_fraction",
        fmt::format("model.threshold_fraction = {}, must be in [0, 1]", threshold_fraction));
  }
  if (!(std::isfinite(threshold_sd) && threshold_sd >= 0.0 && threshold_sd <= 1.0)) {
    throw sim::ParamError("model.threshold_sd",
                          fmt::format("model.threshold_sd = {}, must be in [0, 1]", threshold_sd));
  }
}

WattsThreshold::WattsThreshold(const WattsThresholdParams& params, Graph graph,
                               std::vector<sim::AgentId> seeds, const sim::RngKey& key)
    : ThresholdCascade(std::move(graph), std::move(seeds), key, false, "watts_threshold"), params_(params) {
  params_.validate();
}

std::optional<double> WattsThreshold::common_threshold() const {
  if (params_.threshold_sd == 0.0) {
    return params_.threshold_fraction;
  }
  return std::nullopt;
}

double WattsThreshold::threshold(sim::AgentId v) const {
  if (params_.threshold_sd == 0.0) {
    return params_.threshold_fraction;
  }
  sim::RngStream rng = key_.stream(sim::Purpose::kThreshold, 0, v);
  return std::clamp(sim::normal(rng, params_.threshold_fraction, params_.threshold_sd), 0.0, 1.0);
}

}  // namespace innosim::models
