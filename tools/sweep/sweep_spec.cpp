// Loading sweep files and expanding their designs into points.
#include "tools/sweep/sweep_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>

#include "sim/stats.hpp"
#include "tools/embedded.hpp"
#include "tools/scenario/reader.hpp"
#include "tools/sweep/fnv1a.hpp"

namespace innosim::tools {

using models::forkommune::Params;
using models::forkommune::ParamSpec;
using models::forkommune::ParamType;

namespace {

constexpr std::size_t kMaxPoints = 10'000'000;
constexpr std::uint64_t kMaxRuns = std::uint64_t{1} << 40;

[[noreturn]] void fail(const std::string& source, Position pos, std::string_view message) {
  throw ScenarioError(located(source, pos, message));
}

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

bool is_plain_number(const ConfigNode& n) {
  if (!n.is_scalar() || n.quoted) return false;
  try {
    (void)scalar_number("", n, "");
    return true;
  } catch (const ScenarioError&) {
    return false;
  }
}

std::string node_text(const ConfigNode& n) {
  if (n.is_scalar()) return n.text;
  if (n.is_sequence()) {
    std::vector<std::string> parts;
    for (const ConfigNode& i : n.items) parts.push_back(node_text(i));
    return fmt::format("[{}]", fmt::join(parts, ", "));
  }
  return n.describe();
}

std::vector<std::string> parameter_keys() {
  std::vector<std::string> keys;
  for (const ParamSpec& s : models::forkommune::parameter_specs()) keys.emplace_back(s.key);
  return keys;
}

// The parameter a factor or list key names; sweep keys (run.seed, ...) are refused.
const ParamSpec& factor_spec(const ConfigDocument& doc, const ConfigNode& key_node) {
  const std::string& key = key_node.text;
  if (key == "run.seed" || key == "run.replicates" || key == "run.years") {
    fail(doc.source, key_node.pos,
         fmt::format("{} cannot be a factor: the sweep sets it for every run (use the sweep's "
                     "seed, replicates and years keys)",
                     key));
  }
  const ParamSpec* spec = models::forkommune::find_parameter(key);
  if (spec == nullptr) {
    const std::string guess = closest_match(key, parameter_keys());
    fail(doc.source, key_node.pos,
         fmt::format("'{}' is not a parameter of the programme model{}; `innosim scenario parameters` "
                     "lists them all",
                     key, guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess)));
  }
  return *spec;
}

// One factor from its map: {min, max[, count]}, {distribution, ...} or {levels: [...]}.
SweepFactor read_factor(const ConfigDocument& doc, const ConfigNode& key_node, const ConfigNode& value) {
  SweepFactor f;
  f.key = key_node.text;
  f.pos = key_node.pos;
  f.spec = &factor_spec(doc, key_node);
  const std::string path = "factors." + f.key;
  if (!value.is_map()) {
    fail(doc.source, value.pos,
         fmt::format("{} is {}; expected a map such as {{min: 30, max: 120}} or {{levels: [1, 2, 3]}}", path,
                     value.describe()));
  }
  MapReader r(doc, value, path, nullptr);
  const ParamType type = f.spec->type;
  const bool numeric = type == ParamType::kNumber || type == ParamType::kInteger;
  if (r.has("levels")) {
    f.kind = SweepFactor::Kind::kLevels;
    const ConfigNode* levels = r.node("levels");
    if (!levels->is_sequence() || levels->items.empty()) {
      r.fail("levels",
             fmt::format("{}.levels is {}; expected a list of one or more values", path, levels->describe()));
    }
    f.levels = levels->items;
    // Each level must be a value the parameter accepts (type and range).
    Params scratch;
    f.numeric_levels = numeric || type == ParamType::kBoolean;
    for (const ConfigNode& level : f.levels) {
      set_parameter(doc, *f.spec, level, scratch);
      if (numeric) {
        const double v = scalar_number(doc.source, level, path);
        if (v < f.spec->min || v > f.spec->max) {
          fail(doc.source, level.pos,
               fmt::format("{}: level {} is outside the parameter's range [{:g}, {:g}]", path, level.text,
                           f.spec->min, f.spec->max));
        }
      }
      f.numeric_levels = f.numeric_levels && (type == ParamType::kBoolean || is_plain_number(level));
    }
    r.finish();
    return f;
  }
  if (!numeric) {
    fail(doc.source, value.pos,
         fmt::format("{} is a {} parameter: give its values as levels, e.g. {{levels: [...]}}", f.key,
                     type == ParamType::kBoolean  ? "true/false"
                     : type == ParamType::kChoice ? "choice"
                                                  : "non-numeric"));
  }
  f.kind = r.choice<SweepFactor::Kind>("distribution",
                                       {{"uniform", SweepFactor::Kind::kRange},
                                        {"loguniform", SweepFactor::Kind::kLogRange},
                                        {"normal", SweepFactor::Kind::kNormal}},
                                       SweepFactor::Kind::kRange);
  if (!r.has("min") || !r.has("max"))
    r.fail_missing({"min", "max"}, fmt::format("{} needs min and max", path));
  f.min = r.number("min");
  f.max = r.number("max");
  if (!(f.min < f.max)) {
    r.fail("max", fmt::format("{}: min = {:g} must be below max = {:g}", path, f.min, f.max));
  }
  if (f.min < f.spec->min || f.max > f.spec->max) {
    r.fail(f.min < f.spec->min ? "min" : "max",
           fmt::format("{}: [{:g}, {:g}] is outside the parameter's range [{:g}, {:g}]", path, f.min, f.max,
                       f.spec->min, f.spec->max));
  }
  if (type == ParamType::kInteger && (f.min != std::floor(f.min) || f.max != std::floor(f.max))) {
    r.fail("min", fmt::format("{} is a whole number: min and max must be whole numbers", f.key));
  }
  if (f.kind == SweepFactor::Kind::kLogRange && f.min <= 0) {
    r.fail("min", fmt::format("{}: a loguniform range needs min > 0, not {:g}", path, f.min));
  }
  if (f.kind == SweepFactor::Kind::kNormal) {
    f.mean = r.number("mean");
    f.sd = r.number("sd");
    if (!(f.sd > 0)) r.fail("sd", fmt::format("{}: sd = {:g} must be above 0", path, f.sd));
  }
  if (const auto count = r.optional_integer("count")) {
    if (*count < 1 || *count > 100000) r.fail("count", fmt::format("{}.count must be in [1, 100000]", path));
    if (f.kind == SweepFactor::Kind::kNormal) r.fail("count", "a normal factor has no grid levels");
    f.count = static_cast<std::size_t>(*count);
  }
  r.finish();
  return f;
}

// The value of a range factor at design coordinate u in [0, 1].
double quantile(const SweepFactor& f, double u) {
  double v = 0;
  switch (f.kind) {
    case SweepFactor::Kind::kRange:
      v = f.min + u * (f.max - f.min);
      break;
    case SweepFactor::Kind::kLogRange:
      v = std::exp(std::log(f.min) + u * (std::log(f.max) - std::log(f.min)));
      break;
    case SweepFactor::Kind::kNormal: {
      const double lo = sim::normal_cdf((f.min - f.mean) / f.sd);
      const double hi = sim::normal_cdf((f.max - f.mean) / f.sd);
      const double p = std::clamp(lo + u * (hi - lo), 1e-300, 1.0 - 1e-16);
      v = f.mean + f.sd * sim::normal_quantile(p);
      break;
    }
    case SweepFactor::Kind::kLevels:
      return 0;
  }
  if (f.spec->type == ParamType::kInteger) {
    v = f.min + std::floor(u * (f.max - f.min + 1.0));
  }
  return std::clamp(v, f.min, f.max);
}

// The recorded value of a level: its number, 1 / 0 for true / false; NaN when it has none.
double level_value(const ConfigDocument& doc, const SweepFactor& f, const ConfigNode& level) {
  if (f.spec->type == ParamType::kBoolean) return level.text == "true" ? 1.0 : 0.0;
  return scalar_number(doc.source, level, f.key);
}

std::size_t level_index(const SweepFactor& f, double u) {
  return std::min(f.levels.size() - 1, static_cast<std::size_t>(u * static_cast<double>(f.levels.size())));
}

// The value factor f records at design coordinate u: the number, 1 / 0, or the level's index.
double recorded_value(const ConfigDocument& doc, const SweepFactor& f, double u) {
  if (f.kind != SweepFactor::Kind::kLevels) return quantile(f, u);
  const std::size_t j = level_index(f, u);
  return f.numeric_levels ? level_value(doc, f, f.levels[j]) : static_cast<double>(j);
}

// Sets factor f of a design point (coordinate u) in `params`.
void apply(const ConfigDocument& doc, const SweepFactor& f, double u, Params& params) {
  if (f.kind == SweepFactor::Kind::kLevels) {
    set_parameter(doc, *f.spec, f.levels[level_index(f, u)], params);
    return;
  }
  const double v = quantile(f, u);
  const auto slot = f.spec->slot(params);
  if (f.spec->type == ParamType::kInteger) {
    *std::get<std::int64_t*>(slot) = static_cast<std::int64_t>(v);
  } else {
    *std::get<double*>(slot) = v;
  }
}

void read_list_design(const ConfigDocument& doc, const ConfigNode& points, SweepSpec& out) {
  if (!points.is_sequence() || points.items.empty()) {
    fail(doc.source, points.pos,
         fmt::format("design.points is {}; a list design needs a list of points, each a map of "
                     "parameter: value",
                     points.describe()));
  }
  for (std::size_t p = 0; p < points.items.size(); ++p) {
    const ConfigNode& point = points.items[p];
    if (!point.is_map() || point.keys.empty()) {
      fail(doc.source, point.pos,
           fmt::format("design.points[{}] is {}; expected a map of parameter: value", p, point.describe()));
    }
    if (p == 0) {
      for (const ConfigNode& key : point.keys) {
        SweepFactor f;
        f.key = key.text;
        f.pos = key.pos;
        f.spec = &factor_spec(doc, key);
        f.kind = SweepFactor::Kind::kLevels;
        out.factors.push_back(std::move(f));
      }
    }
    std::vector<ConfigNode> values(out.factors.size());
    std::vector<bool> seen(out.factors.size(), false);
    for (std::size_t k = 0; k < point.keys.size(); ++k) {
      const auto it = std::find_if(out.factors.begin(), out.factors.end(),
                                   [&](const SweepFactor& f) { return f.key == point.keys[k].text; });
      if (it == out.factors.end()) {
        fail(doc.source, point.keys[k].pos,
             fmt::format("design.points[{}] sets {}, which the first point does not: every point of a "
                         "list sets the same parameters",
                         p, point.keys[k].text));
      }
      const auto i = static_cast<std::size_t>(it - out.factors.begin());
      values[i] = point.items[k];
      seen[i] = true;
      Params scratch;
      set_parameter(doc, *it->spec, point.items[k], scratch);
    }
    for (std::size_t i = 0; i < seen.size(); ++i) {
      if (!seen[i]) {
        fail(doc.source, point.pos,
             fmt::format("design.points[{}] does not set {}: every point of a list sets the same "
                         "parameters",
                         p, out.factors[i].key));
      }
    }
    out.list_points.push_back(std::move(values));
  }
  for (std::size_t i = 0; i < out.factors.size(); ++i) {
    const ParamType t = out.factors[i].spec->type;
    bool numeric = t == ParamType::kNumber || t == ParamType::kInteger || t == ParamType::kBoolean;
    for (const auto& point : out.list_points)
      numeric = numeric && (t == ParamType::kBoolean || is_plain_number(point[i]));
    out.factors[i].numeric_levels = numeric;
  }
}

}  // namespace

const char* design_name(DesignType d) noexcept {
  switch (d) {
    case DesignType::kGrid:
      return "grid";
    case DesignType::kLatinHypercube:
      return "latin_hypercube";
    case DesignType::kSaltelli:
      return "saltelli";
    case DesignType::kMorris:
      return "morris";
    case DesignType::kList:
      return "list";
  }
  return "?";
}

const char* keep_name(KeepLevel k) noexcept {
  switch (k) {
    case KeepLevel::kTotals:
      return "totals";
    case KeepLevel::kYearly:
      return "yearly";
    case KeepLevel::kSeries:
      return "series";
  }
  return "?";
}

const char* SweepFactor::distribution() const noexcept {
  switch (kind) {
    case Kind::kRange:
      return "uniform";
    case Kind::kLogRange:
      return "loguniform";
    case Kind::kNormal:
      return "normal";
    case Kind::kLevels:
      return "levels";
  }
  return "?";
}

std::string SweepFactor::describe() const {
  switch (kind) {
    case Kind::kRange:
    case Kind::kLogRange:
      return fmt::format("{} [{:g}, {:g}]{}", distribution(), min, max,
                         count > 0 ? fmt::format(", {} grid levels", count) : "");
    case Kind::kNormal:
      return fmt::format("normal(mean {:g}, sd {:g}) in [{:g}, {:g}]", mean, sd, min, max);
    case Kind::kLevels: {
      std::vector<std::string> names;
      for (const ConfigNode& n : levels) names.push_back(node_text(n));
      return levels.empty() ? "listed values" : fmt::format("levels {}", fmt::join(names, ", "));
    }
  }
  return "?";
}

Params SweepSpec::point_params(std::size_t p) const {
  Params params = base.params;
  params.run.seed = seed;
  params.run.replicates = static_cast<std::int64_t>(replicates);
  if (independent) params.run.seed = splitmix64(seed ^ splitmix64(p + 1));
  for (std::size_t i = 0; i < factors.size(); ++i) {
    if (design == DesignType::kList) {
      set_parameter(document, *factors[i].spec, list_points[p][i], params);
    } else {
      apply(document, factors[i], unit.point(p)[i], params);
    }
  }
  return params;
}

bool SweepSpec::is_factor(std::string_view key) const {
  return std::any_of(factors.begin(), factors.end(), [&](const SweepFactor& f) { return f.key == key; });
}

void SweepSpec::apply_particle(std::size_t j, Params& params) const {
  const std::size_t d = posterior->keys.size();
  for (std::size_t k = 0; k < d; ++k) {
    const std::string& key = posterior->keys[k];
    if (is_factor(key)) continue;
    *std::get<double*>(models::forkommune::find_parameter(key)->slot(params)) = posterior->theta[j * d + k];
  }
}

Params SweepSpec::run_params(std::uint64_t run) const {
  Params params = point_params(static_cast<std::size_t>(run / replicates));
  if (posterior) apply_particle(particles[static_cast<std::size_t>(run % replicates)], params);
  return params;
}

SweepSpec load_sweep(const std::string& path, const std::string& build) {
  SweepSpec s;
  s.document = load_yaml_file(path);
  const ConfigDocument& doc = s.document;
  s.source = doc.source;
  s.text = doc.text;
  KeyPositions positions;
  MapReader root(doc, doc.root, "", &positions);
  s.description = root.text("description", "");
  // The base scenario: a file beside the sweep file, another path, or a built-in name.
  const ConfigNode* base_node = root.node("base");
  if (base_node == nullptr) root.fail_missing({"base"}, "a sweep needs a base scenario (base: baseline)");
  const std::string base = root.text("base");
  std::error_code ec;
  const auto beside = std::filesystem::path(path).parent_path() / base;
  const std::string base_path = std::filesystem::path(base).is_relative() &&
                                        std::filesystem::exists(beside, ec) &&
                                        !std::filesystem::exists(base, ec)
                                    ? beside.string()
                                    : base;
  if (!std::filesystem::exists(base_path, ec) &&
      (base.find('/') != std::string::npos ||
       !embedded_file("scenarios/forkommune/" + std::filesystem::path(base).stem().string() + ".yaml"))) {
    std::vector<std::string> names;
    for (const EmbeddedFile& e : embedded_files()) {
      if (e.path.starts_with("scenarios/forkommune/"))
        names.push_back(std::filesystem::path(e.path).stem().string());
    }
    const std::string guess = closest_match(base, names);
    fail(doc.source, base_node->pos,
         fmt::format(
             "base = '{}' is neither a file (beside the sweep file or from here) nor a built-in scenario{}; "
             "built in: {}",
             base, guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess), fmt::join(names, ", ")));
  }
  s.base = load_programme_scenario(base_path);
  s.replicates = root.integer("replicates");
  if (s.replicates < 1 || s.replicates > std::uint64_t{sim::kMaxReplicate} + 1) {
    root.fail("replicates", fmt::format("replicates = {} must be in [1, {}]", s.replicates,
                                        std::uint64_t{sim::kMaxReplicate} + 1));
  }
  s.seed = root.has("seed") ? root.integer("seed") : s.base.params.run.seed;
  if (const auto years = root.optional_integer("years")) {
    if (*years < 1 || *years > 200) root.fail("years", fmt::format("years = {} must be in [1, 200]", *years));
    s.base.params.run.years = static_cast<std::int64_t>(*years);
  }
  s.independent = root.choice<bool>("random_numbers", {{"common", false}, {"independent", true}}, false);
  s.keep = root.choice<KeepLevel>(
      "keep",
      {{"totals", KeepLevel::kTotals}, {"yearly", KeepLevel::kYearly}, {"series", KeepLevel::kSeries}},
      KeepLevel::kTotals);

  const ConfigNode* posterior_node = root.node("posterior");
  if (posterior_node != nullptr) {
    s.posterior_source = root.text("posterior");
    std::string where = s.posterior_source;
    if (where != "builtin" && std::filesystem::path(where).is_relative()) {
      // Beside the sweep file first, as for the base scenario.
      const auto next_to = std::filesystem::path(path).parent_path() / where;
      if (std::filesystem::exists(next_to, ec) || !std::filesystem::exists(where, ec))
        where = next_to.string();
    }
    try {
      s.posterior = std::make_shared<const Posterior>(load_posterior(where));
    } catch (const std::exception& e) {
      fail(doc.source, posterior_node->pos,
           fmt::format("posterior = '{}': {}", s.posterior_source, e.what()));
    }
  }

  MapReader design = root.map("design");
  s.design = design.choice<DesignType>("type", {{"grid", DesignType::kGrid},
                                                {"latin_hypercube", DesignType::kLatinHypercube},
                                                {"saltelli", DesignType::kSaltelli},
                                                {"morris", DesignType::kMorris},
                                                {"list", DesignType::kList}});
  auto count = [&](std::string_view key, std::uint64_t low) {
    const std::uint64_t n = design.integer(key);
    if (n < low || n > kMaxPoints)
      design.fail(key, fmt::format("design.{} = {} must be in [{}, {}]", key, n, low, kMaxPoints));
    return static_cast<std::size_t>(n);
  };
  switch (s.design) {
    case DesignType::kLatinHypercube:
      s.design_points = count("points", 1);
      break;
    case DesignType::kSaltelli:
      s.design_points = count("base_rows", 2);
      break;
    case DesignType::kMorris:
      s.design_points = count("trajectories", 2);
      s.morris_levels = design.has("levels") ? count("levels", 2) : 4;
      if (s.morris_levels % 2 != 0)
        design.fail("levels", fmt::format("design.levels = {} must be even (Morris 1991)", s.morris_levels));
      break;
    case DesignType::kList: {
      const ConfigNode* points = design.node("points");
      if (points == nullptr) {
        design.fail_missing({"points"},
                            "design.points is required for a list design: a list of points, each a "
                            "map of parameters to values");
      }
      read_list_design(doc, *points, s);
      break;
    }
    case DesignType::kGrid:
      break;
  }
  design.finish();

  if (s.design == DesignType::kList) {
    if (root.has("factors")) {
      root.fail("factors", "a list design names its parameters in its points; remove the factors section");
    }
  } else {
    const ConfigNode* factors = root.node("factors");
    if (factors == nullptr) root.fail_missing({"factors"}, "a sweep needs factors: the parameters it varies");
    if (!factors->is_map() || factors->keys.empty()) {
      fail(doc.source, factors->pos,
           fmt::format("factors is {}; expected a map of parameter: {{min, max}} or {{levels: [...]}}",
                       factors->describe()));
    }
    for (std::size_t i = 0; i < factors->keys.size(); ++i) {
      s.factors.push_back(read_factor(doc, factors->keys[i], factors->items[i]));
    }
  }
  root.finish();

  // Expand the design.
  const std::size_t k = s.factors.size();
  switch (s.design) {
    case DesignType::kGrid: {
      std::vector<std::size_t> levels;
      std::size_t total = 1;
      for (const SweepFactor& f : s.factors) {
        if (f.grid_levels() == 0) {
          fail(doc.source, f.pos,
               fmt::format("factors.{}: a grid needs levels or count (how many values between min and max)",
                           f.key));
        }
        levels.push_back(f.grid_levels());
        total = total > kMaxPoints / f.grid_levels() ? kMaxPoints + 1 : total * f.grid_levels();
      }
      if (total > kMaxPoints) {
        fail(doc.source, s.factors.front().pos, fmt::format("the grid has more than {} points", kMaxPoints));
      }
      s.unit = sim::full_grid(levels);
      // A range's count levels run from min to max inclusive.
      for (std::size_t p = 0; p < s.unit.points(); ++p) {
        for (std::size_t i = 0; i < k; ++i) {
          const SweepFactor& f = s.factors[i];
          if (f.kind == SweepFactor::Kind::kLevels || f.count < 2) continue;
          double& u = s.unit.values[p * k + i];
          const auto j = std::floor(u * static_cast<double>(f.count));
          u = j / static_cast<double>(f.count - 1);
          if (f.spec->type == ParamType::kInteger) {
            // The integer quantile floors u (max - min + 1): aim at the middle of the value's cell.
            const double v = std::round(f.min + u * (f.max - f.min));
            u = (v - f.min + 0.5) / (f.max - f.min + 1.0);
          }
        }
      }
      break;
    }
    case DesignType::kLatinHypercube:
      s.unit = sim::latin_hypercube(s.design_points, k, s.seed);
      break;
    case DesignType::kSaltelli:
      if (k > 1833) fail(doc.source, s.factors.front().pos, "a Saltelli design takes at most 1833 factors");
      if (s.design_points * (k + 2) > kMaxPoints)
        fail(doc.source, s.factors.front().pos,
             fmt::format("the design has more than {} points", kMaxPoints));
      s.unit = sim::saltelli(s.design_points, k);
      break;
    case DesignType::kMorris:
      if (s.design_points * (k + 1) > kMaxPoints)
        fail(doc.source, s.factors.front().pos,
             fmt::format("the design has more than {} points", kMaxPoints));
      s.unit = sim::morris(s.design_points, k, s.morris_levels, s.seed);
      break;
    case DesignType::kList:
      s.unit.factors = k;
      s.unit.values.assign(s.list_points.size() * k, std::numeric_limits<double>::quiet_NaN());
      break;
  }
  const std::size_t points = s.unit.points();
  if (static_cast<double>(points) * static_cast<double>(s.replicates) > static_cast<double>(kMaxRuns)) {
    fail(doc.source, Position{},
         fmt::format("{} points x {} replicates is too many runs", points, s.replicates));
  }

  // Every point's parameters, validated now rather than hours into the sweep.
  s.values.assign(points * k, 0.0);
  for (std::size_t p = 0; p < points; ++p) {
    const Params params = s.point_params(p);
    std::vector<std::string> shown;
    for (std::size_t i = 0; i < k; ++i) {
      const SweepFactor& f = s.factors[i];
      if (s.design == DesignType::kList) {
        s.values[p * k + i] = f.numeric_levels ? level_value(doc, f, s.list_points[p][i])
                                               : std::numeric_limits<double>::quiet_NaN();
        shown.push_back(fmt::format("{} = {}", f.key, node_text(s.list_points[p][i])));
      } else {
        s.values[p * k + i] = recorded_value(doc, f, s.unit.point(p)[i]);
        shown.push_back(
            f.kind == SweepFactor::Kind::kLevels
                ? fmt::format("{} = {}", f.key, node_text(f.levels[level_index(f, s.unit.point(p)[i])]))
                : fmt::format("{} = {:.6g}", f.key, s.values[p * k + i]));
      }
    }
    try {
      models::forkommune::validate(params);
    } catch (const sim::ParamError& e) {
      Position where = s.factors.front().pos;
      for (const SweepFactor& f : s.factors) {
        if (e.key().find(f.key) != std::string::npos) where = f.pos;
      }
      fail(doc.source, where, fmt::format("at point {} ({}): {}", p, fmt::join(shown, ", "), e.what()));
    }
  }
  // The posterior's particle for each replicate, each checked at every point before anything
  // runs (a drawn set the model refuses at some point is an error now, not hours into the sweep).
  if (s.posterior) {
    for (std::uint64_t r = 0; r < s.replicates; ++r)
      s.particles.push_back(s.posterior->draw(s.seed, static_cast<sim::Replicate>(r)));
    std::vector<std::size_t> distinct = s.particles;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    for (std::size_t p = 0; p < points; ++p) {
      const Params params = s.point_params(p);
      for (const std::size_t j : distinct) {
        Params drawn = params;
        s.apply_particle(j, drawn);
        try {
          models::forkommune::validate(drawn);
        } catch (const sim::ParamError& e) {
          fail(doc.source, posterior_node->pos,
               fmt::format("posterior = '{}': its particle {} at point {}: {}", s.posterior_source, j, p,
                           e.what()));
        }
      }
    }
  }
  // List designs record the level index for non-numeric values.
  if (s.design == DesignType::kList) {
    for (std::size_t i = 0; i < k; ++i) {
      if (s.factors[i].numeric_levels) continue;
      std::vector<std::string> seen;
      for (std::size_t p = 0; p < points; ++p) {
        const std::string t = node_text(s.list_points[p][i]);
        auto it = std::find(seen.begin(), seen.end(), t);
        if (it == seen.end()) {
          seen.push_back(t);
          it = seen.end() - 1;
        }
        s.values[p * k + i] = static_cast<double>(it - seen.begin());
      }
    }
  }

  // The fingerprint: everything that determines the results.
  std::string c = fmt::format("innosim sweep 1\nbuild: {}\nbase:\n{}\n", build, resolved_yaml(s.base));
  c += fmt::format("replicates: {}\nseed: {}\nrandom_numbers: {}\nkeep: {}\ndesign: {} {} {}\n", s.replicates,
                   s.seed, s.independent ? "independent" : "common", keep_name(s.keep), design_name(s.design),
                   s.design_points, s.morris_levels);
  for (const SweepFactor& f : s.factors) c += fmt::format("factor {}: {}\n", f.key, f.describe());
  for (std::size_t p = 0; p < points; ++p) {
    for (std::size_t i = 0; i < k; ++i) {
      c += fmt::format("{}{:a}", i == 0 ? "" : " ", s.values[p * k + i]);
      if (s.design == DesignType::kList) c += fmt::format(" ({})", node_text(s.list_points[p][i]));
    }
    c += "\n";
  }
  // The posterior by content (its particles and weights, as the built-in one is stored), so
  // that a moved file is the same sweep and a changed one is not.
  if (s.posterior) c += fmt::format("posterior:\n{}", posterior_csv(*s.posterior));
  s.canonical = std::move(c);
  s.fingerprint = fmt::format("{:016x}", fnv1a(s.canonical));
  return s;
}

}  // namespace innosim::tools
