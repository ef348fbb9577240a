// Special functions for intervals and goodness-of-fit tests. Formulas follow Press et al.,
// "Numerical Recipes" (3rd ed., §6.2, §6.4, §14.3) and Acklam's normal quantile; all are
// written out here so that reported intervals do not depend on a statistics library.
#include "sim/stats.hpp"

#include <cmath>
#include <limits>
#include <numbers>

#include "sim/assert.hpp"

namespace innosim::sim {

void RunningStats::merge(const RunningStats& other) noexcept {
  if (other.count_ == 0) {
    return;
  }
  if (count_ == 0) {
    *this = other;
    return;
  }
  const double n_a = static_cast<double>(count_);
  const double n_b = static_cast<double>(other.count_);
  const double n = n_a + n_b;
  const double delta = other.mean_ - mean_;
  mean_ += delta * n_b / n;
  m2_ += other.m2_ + delta * delta * n_a * n_b / n;
  count_ += other.count_;
  min_ = other.min_ < min_ ? other.min_ : min_;
  max_ = other.max_ > max_ ? other.max_ : max_;
}

double RunningStats::sd() const noexcept {
  return std::sqrt(variance());
}

double RunningStats::sem() const noexcept {
  return count_ > 1 ? std::sqrt(variance() / static_cast<double>(count_)) : 0.0;
}

Interval mean_interval(const RunningStats& s, double level) {
  if (s.count() < 2) {
    return {s.mean(), s.mean()};
  }
  const double t = student_t_quantile(1.0 - (1.0 - level) / 2.0, static_cast<double>(s.count() - 1));
  const double half = t * s.sem();
  return {s.mean() - half, s.mean() + half};
}

double normal_cdf(double x) {
  return 0.5 * std::erfc(-x / std::numbers::sqrt2);
}

double normal_quantile(double p) {
  SIM_ASSERT(p > 0.0 && p < 1.0, "normal_quantile needs 0 < p < 1");
  static constexpr double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                                 1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static constexpr double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                                 6.680131188771972e+01, -1.328068155288572e+01};
  static constexpr double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                                 -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static constexpr double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                                 3.754408661907416e+00};
  constexpr double p_low = 0.02425;
  double x = 0.0;
  if (p < p_low) {
    const double q = std::sqrt(-2.0 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  } else if (p <= 1.0 - p_low) {
    const double q = p - 0.5;
    const double r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1.0);
  } else {
    const double q = std::sqrt(-2.0 * std::log1p(-p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1.0);
  }
  // One Halley step on the exact CDF.
  const double e = normal_cdf(x) - p;
  const double u = e * std::sqrt(2.0 * std::numbers::pi) * std::exp(x * x / 2.0);
  return x - u / (1.0 + x * u / 2.0);
}

namespace {

// Continued fraction for the incomplete beta function (Numerical Recipes 3rd ed., betacf).
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEps = 1e-16;
  const double qab = a + b;
  const double qap = a + 1.0;
  const double qam = a - 1.0;
  double c = 1.0;
  double d = 1.0 - qab * x / qap;
  if (std::abs(d) < kTiny) {
    d = kTiny;
  }
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double md = m;
    const double m2 = 2.0 * md;
    double aa = md * (b - md) * x / ((qam + m2) * (a + m2));
    d = 1.0 + aa * d;
    d = std::abs(d) < kTiny ? kTiny : d;
    c = 1.0 + aa / c;
    c = std::abs(c) < kTiny ? kTiny : c;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + md) * (qab + md) * x / ((a + m2) * (qap + m2));
    d = 1.0 + aa * d;
    d = std::abs(d) < kTiny ? kTiny : d;
    c = 1.0 + aa / c;
    c = std::abs(c) < kTiny ? kTiny : c;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::abs(del - 1.0) < kEps) {
      break;
    }
  }
  return h;
}

// lgamma without touching the global `signgam` (arguments here are positive).
double log_gamma(double x) {
  int sign = 0;
  return lgamma_r(x, &sign);
}

}  // namespace

double regularized_beta(double a, double b, double x) {
  if (x <= 0.0) {
    return 0.0;
  }
  if (x >= 1.0) {
    return 1.0;
  }
  const double log_front =
      log_gamma(a + b) - log_gamma(a) - log_gamma(b) + a * std::log(x) + b * std::log1p(-x);
  const double front = std::exp(log_front);
  if (x < (a + 1.0) / (a + b + 2.0)) {
    return front * beta_continued_fraction(a, b, x) / a;
  }
  return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

double student_t_cdf(double t, double df) {
  const double x = df / (df + t * t);
  const double tail = 0.5 * regularized_beta(df / 2.0, 0.5, x);
  return t >= 0.0 ? 1.0 - tail : tail;
}

double student_t_quantile(double p, double df) {
  SIM_ASSERT(p > 0.0 && p < 1.0 && df > 0.0, "student_t_quantile needs 0 < p < 1, df > 0");
  if (p == 0.5) {
    return 0.0;
  }
  // Bracket and bisect on the CDF, which is monotone; 200 halvings reach double precision.
  const double z = normal_quantile(p);
  double lo = z < 0.0 ? z * 4.0 - 1.0 : -1.0;
  double hi = z > 0.0 ? z * 4.0 + 1.0 : 1.0;
  while (student_t_cdf(lo, df) > p) {
    lo *= 2.0;
  }
  while (student_t_cdf(hi, df) < p) {
    hi *= 2.0;
  }
  for (int i = 0; i < 200 && hi - lo > 1e-14 * (1.0 + std::abs(lo)); ++i) {
    const double mid = 0.5 * (lo + hi);
    (student_t_cdf(mid, df) < p ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

double regularized_gamma_q(double a, double x) {
  SIM_ASSERT(a > 0.0 && x >= 0.0, "regularized_gamma_q needs a > 0, x >= 0");
  if (x == 0.0) {
    return 1.0;
  }
  const double log_front = -x + a * std::log(x) - log_gamma(a);
  if (x < a + 1.0) {
    // Series for P(a, x), then Q = 1 - P.
    double ap = a;
    double sum = 1.0 / a;
    double del = sum;
    for (int n = 0; n < 100000; ++n) {
      ap += 1.0;
      del *= x / ap;
      sum += del;
      if (std::abs(del) < std::abs(sum) * 1e-16) {
        break;
      }
    }
    return 1.0 - sum * std::exp(log_front);
  }
  // Continued fraction for Q(a, x) (modified Lentz).
  constexpr double kTiny = 1e-300;
  double b = x + 1.0 - a;
  double c = 1.0 / kTiny;
  double d = 1.0 / b;
  double h = d;
  for (int i = 1; i < 100000; ++i) {
    const double an = -i * (i - a);
    b += 2.0;
    d = an * d + b;
    d = std::abs(d) < kTiny ? kTiny : d;
    c = b + an / c;
    c = std::abs(c) < kTiny ? kTiny : c;
    d = 1.0 / d;
    const double del = d * c;
    h *= del;
    if (std::abs(del - 1.0) < 1e-16) {
      break;
    }
  }
  return std::exp(log_front) * h;
}

double chi_square_sf(double x, double df) {
  return regularized_gamma_q(df / 2.0, x / 2.0);
}

double kolmogorov_sf(double x) {
  if (x <= 0.0) {
    return 1.0;
  }
  if (x < 1.18) {
    // Small x: the Jacobi-theta form converges fast (Marsaglia, Tsang & Wang 2003).
    const double y = std::exp(-std::numbers::pi * std::numbers::pi / (8.0 * x * x));
    double sum = 0.0;
    for (int k = 1; k < 40; k += 2) {
      sum += std::pow(y, k * k);
    }
    return 1.0 - std::sqrt(2.0 * std::numbers::pi) / x * sum;
  }
  double sum = 0.0;
  double sign = 1.0;
  for (int k = 1; k < 100; ++k) {
    const double term = std::exp(-2.0 * k * k * x * x);
    sum += sign * term;
    sign = -sign;
    if (term < 1e-18) {
      break;
    }
  }
  return 2.0 * sum;
}

}  // namespace innosim::sim
