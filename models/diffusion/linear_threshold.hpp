// Linear threshold model (Granovetter 1978, "Threshold models of collective behavior",
// Am. J. Sociol. 83; in the form of Kempe, Kleinberg & Tardos 2003).
//
// Agent v adopts once the adopted share of its in-neighbourhood reaches its threshold theta_v:
// sum over adopted in-neighbours u of b_uv >= theta_v, where b_uv = w_uv / sum_u w_uv is the
// arc's share of v's total in-weight (with `weights: uniform` every arc counts 1, so
// b_uv = 1 / in-degree(v), Kempe et al.'s standard choice). Thresholds are drawn once per
// replicate, uniform on [0, 1] from stream (kThreshold, 0, v) as in Kempe et al., or fixed.
// Updates are synchronous: the share at the start of tick t decides adoption at tick t.
// Exact integer arithmetic (see detail/threshold_cascade.hpp) makes the boundary exact for
// uniform weights: with theta = 0.2 an agent of degree 5 adopts with one adopted neighbour.
#pragma once

#include <vector>

#include "models/diffusion/detail/threshold_cascade.hpp"

namespace innosim::models {

struct LinearThresholdParams {
  enum class Thresholds : std::uint8_t { kUniform, kFixed };
  enum class Weights : std::uint8_t { kUniform, kLayer };
  Thresholds thresholds = Thresholds::kUniform;
  double threshold_fraction = 0.5;  ///< theta for every agent, with thresholds: fixed
  Weights weights = Weights::kUniform;
  void validate() const;
};

[[nodiscard]] const char* thresholds_name(LinearThresholdParams::Thresholds t) noexcept;
[[nodiscard]] const char* weights_name(LinearThresholdParams::Weights w) noexcept;

class LinearThreshold final : public detail::ThresholdCascade {
 public:
  LinearThreshold(const LinearThresholdParams& params, Graph graph, std::vector<sim::AgentId> seeds,
                  const sim::RngKey& key);

 private:
  [[nodiscard]] double threshold(sim::AgentId v) const override;
  [[nodiscard]] std::optional<double> common_threshold() const override;
  LinearThresholdParams params_;
};

}  // namespace innosim::models
