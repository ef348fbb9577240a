#include "tools/calibrate/posterior.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <ostream>
#include <sstream>

#include "output/hdf5.hpp"
#include "sim/abc.hpp"
#include "sim/distributions.hpp"
#include "sim/rng.hpp"
#include "tools/embedded.hpp"
#include "tools/scenario/yaml_tree.hpp"

namespace innosim::tools {

namespace fk = models::forkommune;

namespace {

constexpr std::string_view kBuiltinPath = "scenarios/calibration/norway-posterior.csv";
constexpr std::string_view kCsvMagic = "# innosim posterior 1";

// The stream of replicate r's posterior draw: Purpose::kCalibration at tick 1 (proposals use
// tick 0 with the generation as replicate; the two never meet: draws use the compared seed).
sim::RngStream draw_stream(sim::Seed seed, sim::Replicate r) {
  return {seed, r, sim::Purpose::kCalibration, 1, 0};
}

[[noreturn]] void bad_builtin(std::size_t line, const std::string& why) {
  throw ScenarioError(
      fmt::format("{}:{}: {} (the built-in posterior is damaged: rebuild innosim)", kBuiltinPath, line, why));
}

double parse_number(std::string_view text, std::size_t line) {
  double v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v))
    bad_builtin(line, fmt::format("'{}' is not a number", text));
  return v;
}

std::vector<std::string_view> split(std::string_view line, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto at = line.find(sep, start);
    out.push_back(line.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

Posterior from_csv(std::string_view text) {
  Posterior p;
  p.source = "builtin";
  std::size_t line_no = 0;
  std::vector<std::string> header;
  std::string made;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find('\n', pos);
    const std::string_view line =
        text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
    pos = end == std::string_view::npos ? text.size() : end + 1;
    ++line_no;
    if (line_no == 1) {
      if (line != kCsvMagic) bad_builtin(1, fmt::format("the first line is not '{}'", kCsvMagic));
      continue;
    }
    if (line.empty()) continue;
    if (line.starts_with("# made: ")) {
      made = std::string(line.substr(8));
      continue;
    }
    if (line.starts_with("# base: ")) {
      const auto eq = line.find('=');
      if (eq == std::string_view::npos) bad_builtin(line_no, "a base line needs key=value");
      p.keys.emplace_back(line.substr(8, eq - 8));
      p.base_values.push_back(parse_number(line.substr(eq + 1), line_no));
      continue;
    }
    if (line.starts_with("#")) continue;
    const auto fields = split(line, ',');
    if (header.empty()) {
      if (fields.empty() || fields[0] != "weight")
        bad_builtin(line_no, "the header must start with 'weight'");
      for (std::size_t k = 1; k < fields.size(); ++k) header.emplace_back(fields[k]);
      if (header != p.keys) bad_builtin(line_no, "the header's keys differ from the base lines' keys");
      continue;
    }
    if (fields.size() != header.size() + 1)
      bad_builtin(line_no, fmt::format("{} fields, expected {}", fields.size(), header.size() + 1));
    p.weights.push_back(parse_number(fields[0], line_no));
    for (std::size_t k = 1; k < fields.size(); ++k) p.theta.push_back(parse_number(fields[k], line_no));
  }
  if (p.weights.empty() || p.keys.empty()) bad_builtin(line_no, "no particles");
  const double total = std::accumulate(p.weights.begin(), p.weights.end(), 0.0);
  if (!(total > 0)) bad_builtin(line_no, "the weights do not add up to more than 0");
  for (double& w : p.weights) w /= total;
  p.description = made.empty()
                      ? fmt::format("the built-in posterior ({}; {} particles, effective sample size {:.0f})",
                                    kBuiltinPath, p.size(), p.ess())
                      : fmt::format("the built-in posterior ({})", made);
  return p;
}

Posterior from_file(const std::string& path) {
  const output::h5::Reader f(path);
  if (!f.has_attribute("/", "kind") || f.text_attribute("/", "kind") != "calibration" ||
      !f.exists("/calibration")) {
    throw output::h5::H5ReadError(
        fmt::format("{} is not a calibration result file (innosim calibrate writes them)", path));
  }
  if (f.unsigned_attribute("/calibration", "format_version") != 1) {
    throw output::h5::H5ReadError(
        fmt::format("{}: calibration format_version {} is not one this innosim reads (1)", path,
                    f.unsigned_attribute("/calibration", "format_version")));
  }
  if (f.text_attribute("/calibration", "model") != "programme") {
    throw ScenarioError(
        fmt::format("{} calibrates a classic model; --posterior takes a calibration of the programme "
                    "model",
                    path));
  }
  Posterior p;
  p.source = path;
  p.keys = f.texts("/calibration/parameters/name");
  p.base_values = f.numbers("/calibration/parameters/base_value");
  const std::vector<std::string> generations = calibration_generations(f);
  if (generations.empty()) throw output::h5::H5ReadError(fmt::format("{}: no generations", path));
  const std::string last = "/calibration/generations/" + generations.back();
  std::vector<hsize_t> dims;
  p.theta = f.numbers(last + "/theta", &dims);
  p.weights = f.numbers(last + "/weights");
  if (dims.size() != 2 || dims[1] != p.keys.size() || dims[0] != p.weights.size() ||
      p.base_values.size() != p.keys.size() || p.weights.empty()) {
    throw output::h5::H5ReadError(
        fmt::format("{}: {} does not hold one row of {} parameters per weight", path, last, p.keys.size()));
  }
  double total = 0;
  for (const double w : p.weights) {
    if (!(w >= 0) || !std::isfinite(w))
      throw output::h5::H5ReadError(fmt::format("{}: a weight is not >= 0", path));
    total += w;
  }
  if (!(total > 0)) throw output::h5::H5ReadError(fmt::format("{}: the weights add up to 0", path));
  for (double& w : p.weights) w /= total;
  p.description = fmt::format("{} (generation {} of {}; {} particles, effective sample size {:.0f})", path,
                              std::stoi(generations.back()), f.text_attribute("/calibration", "source"),
                              p.size(), p.ess());
  return p;
}

}  // namespace

std::vector<std::string> calibration_generations(const output::h5::Reader& file) {
  std::vector<std::string> out;
  for (const auto& g : file.members("/calibration/generations")) {
    if (g.size() == 3 && std::all_of(g.begin(), g.end(), [](char c) { return c >= '0' && c <= '9'; }))
      out.push_back(g);
  }
  return out;
}

double Posterior::ess() const noexcept {
  double s = 0;
  for (const double w : weights) s += w * w;
  return s > 0 ? 1.0 / s : 0.0;
}

std::size_t Posterior::draw(sim::Seed seed, sim::Replicate r) const {
  sim::RngStream rng = draw_stream(seed, r);
  return sim::weighted_index(rng, weights);
}

Posterior load_posterior(const std::string& what) {
  Posterior p;
  if (what == "builtin") {
    const auto text = embedded_file(kBuiltinPath);
    if (!text) throw ScenarioError("--posterior builtin: this innosim carries no built-in posterior");
    p = from_csv(*text);
  } else {
    p = from_file(what);
  }
  for (const auto& key : p.keys) {
    const fk::ParamSpec* spec = fk::find_parameter(key);
    if (spec == nullptr || spec->type != fk::ParamType::kNumber) {
      throw ScenarioError(
          fmt::format("--posterior {}: '{}' is not a real-valued parameter of this innosim's "
                      "programme model",
                      what, key));
    }
  }
  return p;
}

std::vector<std::string> apply_particle(const Posterior& posterior, std::size_t j, fk::Params& params) {
  std::vector<std::string> kept;
  for (std::size_t k = 0; k < posterior.keys.size(); ++k) {
    double& slot = *std::get<double*>(fk::find_parameter(posterior.keys[k])->slot(params));
    if (slot == posterior.base_values[k]) {
      slot = posterior.theta[j * posterior.keys.size() + k];
    } else {
      kept.push_back(posterior.keys[k]);
    }
  }
  fk::validate(params);
  return kept;
}

std::string posterior_csv(const Posterior& p) {
  std::string out = fmt::format("{}\n# made: {}\n", kCsvMagic, p.description);
  for (std::size_t k = 0; k < p.keys.size(); ++k)
    out += fmt::format("# base: {}={}\n", p.keys[k], p.base_values[k]);
  out += "weight";
  for (const auto& k : p.keys) out += "," + k;
  out += "\n";
  for (std::size_t i = 0; i < p.size(); ++i) {
    out += fmt::format("{}", p.weights[i]);
    for (std::size_t k = 0; k < p.keys.size(); ++k) out += fmt::format(",{}", p.theta[i * p.keys.size() + k]);
    out += "\n";
  }
  return out;
}

int posterior_command(const std::string& what, bool csv, std::ostream& out) {
  const Posterior p = load_posterior(what);
  if (csv) {
    out << posterior_csv(p);
    return 0;
  }
  out << fmt::format("posterior: {}\n\n  {:<36} {:>12} {:>12} {:>27}\n", p.description, "parameter",
                     "base value", "median", "90 % interval");
  const std::size_t d = p.keys.size();
  for (std::size_t k = 0; k < d; ++k) {
    std::vector<double> values(p.size());
    for (std::size_t i = 0; i < p.size(); ++i) values[i] = p.theta[i * d + k];
    auto quantile = [&](double q) { return sim::abc::weighted_quantile(values, p.weights, q); };
    out << fmt::format("  {:<36} {:>12.4g} {:>12.4g} {:>12.4g} - {:<12.4g}\n", p.keys[k], p.base_values[k],
                       quantile(0.5), quantile(0.05), quantile(0.95));
  }
  return 0;
}

}  // namespace innosim::tools
