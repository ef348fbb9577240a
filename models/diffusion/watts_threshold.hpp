// Watts's fractional threshold model (Watts 2002, "A simple model of global cascades on random
// networks", PNAS 99(9):5766-5771).
//
// Agent v adopts once at least a fraction phi_v of its k_v neighbours have adopted; agents
// with no neighbours never do. Watts used one phi for everyone (phi = 0.18 in his Fig. 1) and
// also normally distributed thresholds: here phi_v = threshold_fraction, or, when
// threshold_sd > 0, a draw from Normal(threshold_fraction, threshold_sd) clipped to [0, 1]
// (stream (kThreshold, 0, v)). Cascades start from a single random agent by default, as in the
// paper. Global cascades are possible only inside the "cascade window" of mean degrees, where
// the vulnerable agents (k <= 1/phi) percolate.
#pragma once

#include <vector>

#include "models/diffusion/detail/threshold_cascade.hpp"

namespace innosim::models {

struct WattsThresholdParams {
  double threshold_fraction = 0.18;
  double threshold_sd = 0.0;
  void validate() const;
};

class WattsThreshold final : public detail::ThresholdCascade {
 public:
  WattsThreshold(const WattsThresholdParams& params, Graph graph, std::vector<sim::AgentId> seeds,
                 const sim::RngKey& key);

 private:
  [[nodiscard]] double threshold(sim::AgentId v) const override;
  [[nodiscard]] std::optional<double> common_threshold() const override;
  WattsThresholdParams params_;
};

}  // namespace innosim::models
