// Summary statistics and the special functions behind confidence intervals and goodness-of-fit
// tests: streaming mean/variance, Student-t and normal quantiles, chi-square and Kolmogorov
// tail probabilities.
//
// RunningStats folds values one at a time (Welford 1962) and merges partial results (Chan,
// Golub & LeVeque 1979), so an ensemble of any size is summarised in constant memory. Floating
// point addition is not associative: callers that need bitwise-stable summaries add values in a
// fixed order (the ensemble runner folds replicates in replicate order).
#pragma once

#include <cstdint>
#include <span>

namespace innosim::sim {

/// Mean and variance of a stream of values in O(1) memory.
class RunningStats {
 public:
  void add(double x) noexcept {
    ++count_;
    const double delta = x - mean_;
    mean_ += delta / static_cast<double>(count_);
    m2_ += delta * (x - mean_);
    if (count_ == 1 || x < min_) {
      min_ = x;
    }
    if (count_ == 1 || x > max_) {
      max_ = x;
    }
  }
  /// Combines another summary into this one, as if its values had been added here.
  void merge(const RunningStats& other) noexcept;

  [[nodiscard]] std::uint64_t count() const noexcept { return count_; }
  [[nodiscard]] double mean() const noexcept { return mean_; }
  /// Sample variance (n - 1 in the denominator); 0 for fewer than two values.
  [[nodiscard]] double variance() const noexcept {
    return count_ > 1 ? m2_ / static_cast<double>(count_ - 1) : 0.0;
  }
  [[nodiscard]] double sd() const noexcept;
  /// Standard error of the mean; 0 for fewer than two values.
  [[nodiscard]] double sem() const noexcept;
  [[nodiscard]] double min() const noexcept { return min_; }
  [[nodiscard]] double max() const noexcept { return max_; }

 private:
  std::uint64_t count_ = 0;
  double mean_ = 0.0;
  double m2_ = 0.0;
  double min_ = 0.0;
  double max_ = 0.0;
};

/// A two-sided confidence interval for a mean.
struct Interval {
  double low = 0.0;
  double high = 0.0;
};

/// The Student-t confidence interval mean ± t(1 - (1 - level)/2, n - 1) · sem.
/// With fewer than two values the interval is the single point [mean, mean].
[[nodiscard]] Interval mean_interval(const RunningStats& s, double level = 0.95);

/// Quantile function of the standard normal distribution (Acklam's rational approximation
/// refined by one Halley step; |error| < 1e-15). Precondition: 0 < p < 1.
[[nodiscard]] double normal_quantile(double p);
/// Cumulative distribution function of the standard normal distribution.
[[nodiscard]] double normal_cdf(double x);
/// Regularized incomplete beta function I_x(a, b) (continued fraction, Lentz's method).
[[nodiscard]] double regularized_beta(double a, double b, double x);
/// Cumulative distribution function of Student's t with `df` degrees of freedom.
[[nodiscard]] double student_t_cdf(double t, double df);
/// Quantile of Student's t with `df` degrees of freedom. Precondition: 0 < p < 1, df > 0.
[[nodiscard]] double student_t_quantile(double p, double df);
/// Regularized upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a).
[[nodiscard]] double regularized_gamma_q(double a, double x);
/// P(X > x) for X chi-square distributed with `df` degrees of freedom.
[[nodiscard]] double chi_square_sf(double x, double df);
/// P(K > x) for the Kolmogorov distribution (limit of sqrt(n) · D_n).
[[nodiscard]] double kolmogorov_sf(double x);

}  // namespace innosim::sim
