// Series summaries and the terminal table.
#include "output/summary.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <ostream>

#include "sim/error.hpp"

namespace innosim::output {

SeriesSummary::SeriesSummary(const sim::IndicatorSchema& schema, sim::Step steps)
    : schema_(schema), steps_(steps), stats_((std::size_t{steps} + 1) * schema.size()) {}

void SeriesSummary::add_replicate(std::span<const double> values) {
  if (values.size() != stats_.size()) {
    throw sim::ParamError(fmt::format("a replicate series has {} values, the summary expects {}",
                                      values.size(), stats_.size()));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    stats_[i].add(values[i]);
  }
  ++replicates_;
}

std::string group_thousands(double value, int decimals) {
  std::string digits = fmt::format("{:.{}f}", std::abs(value), decimals);
  const std::size_t dot = digits.find('.');
  std::size_t int_end = dot == std::string::npos ? digits.size() : dot;
  std::string out;
  for (std::size_t i = 0; i < int_end; ++i) {
    out += digits[i];
    const std::size_t left = int_end - i - 1;
    if (left > 0 && left % 3 == 0) {
      out += ',';
    }
  }
  out += digits.substr(int_end);
  return (value < 0 && std::abs(value) >= 0.5 * std::pow(10.0, -decimals) ? "-" : "") + out;
}

namespace {

std::string sparkline(const SeriesSummary& s, std::size_t indicator, double top, std::size_t width) {
  static const char* const kBlocks[] = {" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::string line;
  const sim::Step steps = s.steps();
  const std::size_t cells = std::min<std::size_t>(width, std::size_t{steps} + 1);
  for (std::size_t c = 0; c < cells; ++c) {
    const auto t = static_cast<sim::Step>(cells == 1 ? 0 : c * steps / (cells - 1));
    const double v = top > 0 ? s.at(t, indicator).mean() / top : 0.0;
    const auto level = static_cast<std::size_t>(std::clamp(std::lround(v * 8.0), 0L, 8L));
    line += kBlocks[level];
  }
  return line;
}

}  // namespace

void write_series_table(std::ostream& out, const Facts& facts, const SeriesSummary& summary,
                        const TableOptions& options) {
  std::size_t label_width = 0;
  for (const auto& [label, _] : facts) {
    label_width = std::max(label_width, label.size());
  }
  for (const auto& [label, text] : facts) {
    fmt::print(out, "  {:<{}}  {}\n", label + ":", label_width + 1, text);
  }
  const auto& spec = summary.schema()[options.indicator];
  const sim::Step steps = summary.steps();
  const int level_pct = static_cast<int>(std::lround(options.level * 100));
  const bool share = options.population > 0;

  std::vector<sim::Step> rows;
  const std::size_t wanted = std::max<std::size_t>(options.max_rows, 1);
  for (std::size_t i = 0; i <= wanted; ++i) {
    rows.push_back(static_cast<sim::Step>(std::size_t{steps} * i / wanted));
  }
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());

  fmt::print(out, "\n  {:>6}  {:>14}  {:>27}{}\n", "step", spec.name + " (mean)",
             fmt::format("{} % interval", level_pct), share ? "     share" : "");
  // A count cannot leave [0, population]: intervals are cut at those bounds (the t interval
  // is symmetric and can cross them when a share is near 0 or 1).
  auto clamp = [&](sim::Interval ci) {
    if (share) {
      ci.low = std::clamp(ci.low, 0.0, options.population);
      ci.high = std::clamp(ci.high, 0.0, options.population);
    }
    return ci;
  };
  for (const sim::Step t : rows) {
    const auto& st = summary.at(t, options.indicator);
    const auto ci = clamp(sim::mean_interval(st, options.level));
    fmt::print(out, "  {:>6}  {:>14}  {:>27}", t, group_thousands(st.mean(), 1),
               fmt::format("[{}, {}]", group_thousands(ci.low, 1), group_thousands(ci.high, 1)));
    if (share) {
      fmt::print(out, "  {:>6.1f} %", 100.0 * st.mean() / options.population);
    }
    fmt::print(out, "\n");
  }
  const double top = share ? options.population : summary.at(steps, options.indicator).max();
  fmt::print(out, "\n  mean curve, step 0 to {}: {}\n", steps,
             sparkline(summary, options.indicator, top, 60));

  const auto& last = summary.at(steps, options.indicator);
  const auto ci = clamp(sim::mean_interval(last, options.level));
  fmt::print(out, "\n  final {}: {}", spec.name, group_thousands(last.mean(), 1));
  if (share) {
    fmt::print(out, " of {} ({:.1f} %)", group_thousands(options.population, 0),
               100.0 * last.mean() / options.population);
  }
  fmt::print(out, ", {} % interval {} – {}", level_pct, group_thousands(ci.low, 1),
             group_thousands(ci.high, 1));
  if (share) {
    fmt::print(out, " ({:.1f} – {:.1f} %)", 100.0 * ci.low / options.population,
               100.0 * ci.high / options.population);
  }
  fmt::print(out, "; {} replicate{}, sd {}\n", summary.replicates(), summary.replicates() == 1 ? "" : "s",
             group_thousands(last.sd(), 1));
}

// Characters, not bytes, of UTF-8 text.
std::size_t display_width(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
  return n;
}

void write_columns(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (std::size_t k = 0; k < row.size(); ++k) width[k] = std::max(width[k], display_width(row[k]));
  }
  for (const auto& row : rows) {
    std::string line = "  ";
    for (std::size_t k = 0; k < row.size(); ++k) {
      line += "  ";
      line += row[k];
      if (k + 1 < row.size()) line.append(width[k] - display_width(row[k]), ' ');
    }
    fmt::print(out, "{}\n", line);
  }
}

}  // namespace innosim::output
