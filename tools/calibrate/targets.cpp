#include "tools/calibrate/targets.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <limits>

#include "models/forkommune/model.hpp"
#include "tools/data/world_data.hpp"
#include "tools/embedded.hpp"
#include "tools/scenario/reader.hpp"

namespace innosim::tools {
namespace fk = models::forkommune;
using sim::abc::Prior;
using sim::abc::PriorKind;

namespace {

// A 95 % interval of a normal is mean +- 1.96 sd.
constexpr double kInterval95Width = 2 * 1.959963984540054;

[[noreturn]] void fail(const std::string& source, Position pos, const std::string& message) {
  throw ScenarioError(located(source, pos, message));
}

// A scenario named beside the calibration file, from here, or built in ("baseline").
std::string scenario_path(const std::string& calibration_file, const std::string& name, const ConfigNode& at,
                          const std::string& source) {
  std::error_code ec;
  const auto beside = std::filesystem::path(calibration_file).parent_path() / name;
  if (std::filesystem::path(name).is_relative() && std::filesystem::exists(beside, ec) &&
      !std::filesystem::exists(name, ec))
    return beside.string();
  if (std::filesystem::exists(name, ec)) return name;
  if (name.find('/') == std::string::npos &&
      embedded_file("scenarios/forkommune/" + std::filesystem::path(name).stem().string() + ".yaml"))
    return name;
  std::vector<std::string> names;
  for (const EmbeddedFile& e : embedded_files()) {
    if (e.path.starts_with("scenarios/forkommune/"))
      names.push_back(std::filesystem::path(e.path).stem().string());
  }
  const std::string guess = closest_match(name, names);
  fail(
      source, at.pos,
      fmt::format("scenario '{}' is neither a file (beside the calibration file or from here) nor a built-in "
                  "scenario{}",
                  name, guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess)));
}

std::string number_text(double v) {
  return fmt::format("{:.17g}", v);
}

// Sets `path` ("model.p_innovation_per_step") in a classic scenario's document to `value`,
// adding the key when the file leaves it to its default.
void set_document_value(ConfigDocument& doc, std::string_view path, double value, Position pos) {
  ConfigNode* node = &doc.root;
  while (true) {
    const auto dot = path.find('.');
    const std::string_view key = path.substr(0, dot);
    ConfigNode* child = nullptr;
    for (std::size_t i = 0; i < node->keys.size(); ++i) {
      if (node->keys[i].text == key) child = &node->items[i];
    }
    if (child == nullptr) {
      ConfigNode k;
      k.kind = ConfigNode::Kind::kScalar;
      k.text = std::string(key);
      k.pos = pos;
      ConfigNode v;
      v.kind = dot == std::string_view::npos ? ConfigNode::Kind::kScalar : ConfigNode::Kind::kMap;
      v.pos = pos;
      node->keys.push_back(std::move(k));
      node->items.push_back(std::move(v));
      child = &node->items.back();
    }
    if (dot == std::string_view::npos) {
      child->kind = ConfigNode::Kind::kScalar;
      child->quoted = false;
      child->text = number_text(value);
      child->pos = pos;
      return;
    }
    if (!child->is_map()) return;  // the loader reports the wrong type
    node = child;
    path = path.substr(dot + 1);
  }
}

std::string prior_text(const Prior& p) {
  switch (p.kind) {
    case PriorKind::kUniform:
      return fmt::format("uniform [{:g}, {:g}]", p.low, p.high);
    case PriorKind::kLogUniform:
      return fmt::format("log-uniform [{:g}, {:g}]", p.low, p.high);
    case PriorKind::kNormal:
      return fmt::format("normal (mean {:g}, sd {:g})", p.mean, p.sd);
    case PriorKind::kTruncatedNormal:
      return fmt::format("normal (mean {:g}, sd {:g}) in [{:g}, {:g}]", p.mean, p.sd, p.low, p.high);
  }
  return "";
}

// The parameter's documented range: [min, max] of the registry (programme) or nothing.
struct Range {
  double min = -std::numeric_limits<double>::infinity();
  double max = std::numeric_limits<double>::infinity();
  bool known = false;
};

CalibrationParameter read_parameter(const ConfigDocument& doc, const ConfigNode& key, const ConfigNode& value,
                                    const Range& range, std::string unit, KeyPositions* positions) {
  CalibrationParameter p;
  p.key = key.text;
  p.pos = key.pos;
  p.unit = std::move(unit);
  const std::string path = "parameters." + key.text;
  if (value.is_null()) {
    // `key:` or `key: {}` alone: uniform over the documented range.
  } else if (!value.is_map()) {
    fail(doc.source, value.pos,
         fmt::format("{} is {}; expected a prior such as {{prior: uniform, min: 0.1, max: 1}} or {{}} for "
                     "uniform over the parameter's documented range",
                     path, value.describe()));
  }
  static const ConfigNode empty_map{ConfigNode::Kind::kMap, {}, {}, false, {}, {}};
  MapReader r(doc, value.is_map() ? value : empty_map, path, positions);
  Prior& prior = p.prior;
  prior.kind = r.choice<PriorKind>("prior",
                                   {{"uniform", PriorKind::kUniform},
                                    {"loguniform", PriorKind::kLogUniform},
                                    {"normal", PriorKind::kNormal},
                                    {"truncated_normal", PriorKind::kTruncatedNormal}},
                                   PriorKind::kUniform);
  const bool bounded = prior.kind != PriorKind::kNormal;
  if (bounded) {
    const auto min = r.optional_number("min");
    const auto max = r.optional_number("max");
    if ((!min || !max) && !range.known) {
      r.fail_missing({min ? "max" : "min"},
                     fmt::format("{}: this parameter has no documented range; give min and max", path));
    }
    prior.low = min.value_or(range.min);
    prior.high = max.value_or(range.max);
    if (range.known && (prior.low < range.min || prior.high > range.max)) {
      fail(doc.source, (min && prior.low < range.min) ? r.node("min")->pos : value.pos,
           fmt::format("{}: the prior [{:g}, {:g}] leaves the parameter's documented range [{:g}, {:g}]",
                       path, prior.low, prior.high, range.min, range.max));
    }
  }
  if (prior.kind == PriorKind::kNormal || prior.kind == PriorKind::kTruncatedNormal) {
    prior.mean = r.number("mean");
    prior.sd = r.number("sd");
  }
  if (prior.kind == PriorKind::kNormal && range.known &&
      (std::isfinite(range.min) || std::isfinite(range.max))) {
    fail(doc.source, value.pos,
         fmt::format("{}: a normal prior is unbounded but the parameter must lie in [{:g}, {:g}]; use "
                     "truncated_normal with min and max",
                     path, range.min, range.max));
  }
  r.finish();
  try {
    prior.validate();
  } catch (const sim::ParamError& e) {
    fail(doc.source, value.is_null() ? key.pos : value.pos, fmt::format("{}: {}", path, e.what()));
  }
  p.prior_text = prior_text(prior);
  return p;
}

}  // namespace

const char* reading_name(Reading r) noexcept {
  switch (r) {
    case Reading::kFinal:
      return "final";
    case Reading::kTotal:
      return "total";
    case Reading::kMeanOfYearEnds:
      return "mean_of_year_ends";
    case Reading::kAtDate:
      return "at_date";
    case Reading::kAtStep:
      return "at_step";
    case Reading::kRatioFromYear:
      return "ratio_from_year";
    case Reading::kMonthsToReach:
      return "months_to_reach";
  }
  return "";
}

std::vector<Prior> CalibrationSpec::priors() const {
  std::vector<Prior> out;
  for (const auto& p : parameters) out.push_back(p.prior);
  return out;
}

fk::Params programme_params(const CalibrationSpec& spec, std::size_t s, std::span<const double> values) {
  fk::Params params = spec.programme_scenarios.at(s).params;
  fk::Params base = spec.programme_scenarios.front().params;
  for (std::size_t k = 0; k < spec.parameters.size(); ++k) {
    const fk::ParamSpec* p = fk::find_parameter(spec.parameters[k].key);
    double& slot = *std::get<double*>(p->slot(params));
    // A scenario that sets the parameter itself (a lever) keeps its value.
    if (slot == *std::get<double*>(p->slot(base))) slot = values[k];
  }
  fk::validate(params);
  return params;
}

models::ClassicSpec classic_spec(const CalibrationSpec& spec, std::span<const double> values) {
  ConfigDocument doc = *spec.classic_document;
  for (std::size_t k = 0; k < spec.parameters.size(); ++k)
    // No position: the values come from the calibration, not from the scenario file's lines.
    set_document_value(doc, spec.parameters[k].key, values[k], Position{});
  ClassicScenario scenario = load_classic_scenario(std::move(doc));
  check_classic_scenario(scenario);
  return scenario.spec;
}

double read_target(const Target& t, const sim::IndicatorSchema& schema, std::span<const double> series,
                   sim::Step steps, const fk::Params* params) {
  const std::size_t width = schema.size();
  const std::size_t i = schema.require(t.indicator);
  auto at = [&](sim::Step s, std::size_t ind) { return series[s * width + ind]; };
  const double nan = std::numeric_limits<double>::quiet_NaN();
  switch (t.reading) {
    case Reading::kFinal:
      return at(steps, i);
    case Reading::kTotal: {
      if (schema[i].aggregation != sim::Aggregation::kFlow) return at(steps, i);
      double sum = 0;
      for (sim::Step s = 1; s <= steps; ++s) sum += at(s, i);
      return sum;
    }
    case Reading::kMeanOfYearEnds: {
      if (steps < 12) return nan;
      double sum = 0;
      for (sim::Step s = 12; s <= steps; s += 12) sum += at(s, i);
      const sim::Step years = steps / 12;  // whole years: steps is a multiple of 12
      return sum / static_cast<double>(years);
    }
    case Reading::kAtDate: {
      const auto month = (t.year - params->run.start_year) * 12 + t.month;
      return month >= 1 && month <= static_cast<std::int64_t>(steps) ? at(static_cast<sim::Step>(month), i)
                                                                     : nan;
    }
    case Reading::kAtStep:
      return t.step <= static_cast<std::int64_t>(steps) ? at(static_cast<sim::Step>(t.step), i) : nan;
    case Reading::kRatioFromYear: {
      const std::size_t d = schema.require(t.denominator);
      double num = 0, den = 0;
      for (auto s = static_cast<sim::Step>((t.year - 1) * 12 + 1); s <= steps; ++s) {
        num += at(s, i);
        den += at(s, d);
      }
      return den > 0 ? num / den : nan;  // no applications: no success rate (never accepted)
    }
    case Reading::kMonthsToReach: {
      // national.NAME.months_to_50pct: censored at the run's end when never reached.
      const std::size_t reached = schema.require(t.denominator);
      const std::string name = t.indicator.substr(9, t.indicator.find('.', 9) - 9);
      double censored = static_cast<double>(steps);
      for (const auto& np : params->national_programmes) {
        if (np.name == name)
          censored = static_cast<double>(steps) -
                     static_cast<double>((np.spread_start.year - params->run.start_year) * 12 +
                                         np.spread_start.month);
      }
      return (at(steps, reached) > 0 ? at(steps, i) : censored) / 12.0;
    }
  }
  return nan;
}

CalibrationSpec load_calibration(const std::string& path) {
  CalibrationSpec s;
  const ConfigDocument doc = load_yaml_file(path);
  s.source = doc.source;
  s.text = doc.text;
  KeyPositions positions;
  MapReader root(doc, doc.root, "", &positions);
  s.description = root.text("description", "");
  s.model = root.choice<CalibratedModel>(
      "model", {{"programme", CalibratedModel::kProgramme}, {"classic", CalibratedModel::kClassic}},
      CalibratedModel::kProgramme);
  const bool programme = s.model == CalibratedModel::kProgramme;
  const ConfigNode* base_node = root.node("base");
  if (base_node == nullptr) {
    root.fail_missing({"base"}, programme
                                    ? "a calibration needs a base scenario (base: baseline)"
                                    : "a classic calibration needs its scenario file (base: bass.yaml)");
  }
  const std::string base = root.text("base");

  // The scenarios: the base, then each target's own (loaded once each).
  auto add_scenario = [&](const std::string& name, const ConfigNode& at) -> std::size_t {
    for (std::size_t k = 0; k < s.scenario_names.size(); ++k) {
      if (s.scenario_names[k] == name) return k;
    }
    s.programme_scenarios.push_back(load_programme_scenario(scenario_path(path, name, at, doc.source)));
    const auto& sc = s.programme_scenarios.back();
    s.worlds.push_back(std::make_shared<const fk::World>(
        fk::build_world(load_world_data(sc.params, sc.directory), sc.params)));
    s.scenario_names.push_back(name);
    return s.scenario_names.size() - 1;
  };
  sim::Step classic_steps = 0;
  const sim::IndicatorSchema* classic_schema = nullptr;
  if (programme) {
    std::error_code ec;
    const auto beside = std::filesystem::path(path).parent_path() / base;
    for (const auto& candidate : {beside, std::filesystem::path(base)}) {
      if (std::filesystem::is_regular_file(candidate, ec) &&
          is_classic_scenario(load_yaml_file(candidate.string()))) {
        fail(
            doc.source, base_node->pos,
            fmt::format("base = '{}' is a classic scenario (it has a model section); write model: classic to "
                        "calibrate it",
                        base));
      }
    }
    add_scenario(base, *base_node);
  } else {
    std::error_code ec;
    const auto beside = std::filesystem::path(path).parent_path() / base;
    const std::string file = std::filesystem::exists(beside, ec) ? beside.string() : base;
    if (!std::filesystem::exists(file, ec)) {
      fail(
          doc.source, base_node->pos,
          fmt::format("base = '{}': no such classic scenario file (beside the calibration file or from here)",
                      base));
    }
    ConfigDocument classic = load_yaml_file(file);
    if (!is_classic_scenario(classic)) {
      fail(doc.source, base_node->pos,
           fmt::format(
               "base = '{}' is a programme scenario; a classic calibration needs a classic one (with a "
               "model section), or write model: programme",
               base));
    }
    const ClassicScenario scenario = load_classic_scenario(classic);
    classic_steps = scenario.spec.steps;
    classic_schema = &models::classic_indicators();
    s.classic_document = std::move(classic);
  }
  const std::uint64_t default_seed = programme ? s.programme_scenarios.front().params.run.seed : 0;
  s.seed = root.has("seed") ? root.integer("seed") : default_seed;
  if (!programme && !root.has("seed")) root.fail_missing({"seed"}, "a classic calibration needs a seed");
  s.replicates = root.integer("replicates", 1);
  if (s.replicates != 1) {
    // Averaging the targets over R runs before the distance conditions on the mean of R runs
    // equalling the observation, one realisation: the posterior would be about sqrt(R) too narrow.
    root.fail("replicates",
              fmt::format("replicates = {}: one run per proposal and scenario is the ABC posterior; "
                          "averaging over runs makes the posterior too narrow (write replicates: 1 "
                          "or leave it out)",
                          s.replicates));
  }
  s.particles = root.integer("particles", 500);
  // Every accepted particle's weight sums over the last population: a generation costs about
  // particles^2 kernel evaluations, so beyond 20,000 the arithmetic outweighs the simulations.
  if (s.particles < 10 || s.particles > 20000) root.fail("particles", "particles must be in [10, 20000]");
  s.min_acceptance = root.number("min_acceptance", 0.01);
  if (!(s.min_acceptance >= 1e-5 && s.min_acceptance < 1))
    root.fail("min_acceptance", "min_acceptance must be in [0.00001, 1): 0.01 is usual");
  s.generations = root.integer("generations", 6);
  if (s.generations < 1 || s.generations > 100) root.fail("generations", "generations must be in [1, 100]");
  s.tolerance_quantile = root.number("tolerance_quantile", 0.5);
  if (!(s.tolerance_quantile > 0 && s.tolerance_quantile < 1))
    root.fail("tolerance_quantile", "tolerance_quantile must be in (0, 1): 0.5 is usual");

  // Parameters and priors.
  const ConfigNode* params_node = root.node("parameters");
  if (params_node == nullptr) root.fail_missing({"parameters"}, "a calibration needs parameters to fit");
  if (!params_node->is_map() || params_node->keys.empty())
    fail(doc.source, params_node->pos, "parameters must be a map of parameter: prior, with at least one");
  std::vector<std::string> all_keys;
  for (const auto& spec : fk::parameter_specs()) all_keys.emplace_back(spec.key);
  for (std::size_t j = 0; j < params_node->keys.size(); ++j) {
    const ConfigNode& key = params_node->keys[j];
    for (const auto& earlier : s.parameters) {
      if (earlier.key == key.text)
        fail(doc.source, key.pos, fmt::format("parameter {} appears twice", key.text));
    }
    Range range;
    std::string unit;
    if (programme) {
      const fk::ParamSpec* spec = fk::find_parameter(key.text);
      if (spec == nullptr) {
        const std::string guess = closest_match(key.text, all_keys);
        fail(doc.source, key.pos,
             fmt::format("unknown parameter '{}'{}; `innosim scenario parameters` lists them", key.text,
                         guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess)));
      }
      if (spec->type != fk::ParamType::kNumber) {
        fail(doc.source, key.pos,
             fmt::format("{} is not a real number (an integer, choice, switch or list); only real-valued "
                         "parameters are calibrated",
                         key.text));
      }
      if (fk::shapes_world(key.text) || key.text.starts_with("run.")) {
        fail(doc.source, key.pos,
             fmt::format(
                 "{}: parameters that shape the world (world.*, owners.*, researchers.*, the diffusion "
                 "layers' weights) and run.* are not calibrated: the world is built once, from the "
                 "base scenario",
                 key.text));
      }
      range = {spec->min, spec->max, true};
      unit = std::string(spec->unit);
    } else if (!key.text.starts_with("model.")) {
      fail(
          doc.source, key.pos,
          fmt::format("'{}': a classic calibration fits the model's parameters (model.p_innovation_per_step, "
                      "model.q_imitation_per_step, model.p_transmit, ...)",
                      key.text));
    }
    CalibrationParameter p = read_parameter(doc, key, params_node->items[j], range, unit, &positions);
    s.parameters.push_back(std::move(p));
  }
  // Targets.
  const ConfigNode* targets_node = root.node("targets");
  if (targets_node == nullptr) root.fail_missing({"targets"}, "a calibration needs targets");
  if (!targets_node->is_sequence() || targets_node->items.empty())
    fail(doc.source, targets_node->pos, "targets must be a list of targets, with at least one");
  for (std::size_t j = 0; j < targets_node->items.size(); ++j) {
    const ConfigNode& node = targets_node->items[j];
    const std::string path_j = fmt::format("targets[{}]", j);
    if (!node.is_map())
      fail(doc.source, node.pos, fmt::format("{} is {}; expected a map", path_j, node.describe()));
    MapReader r(doc, node, path_j, &positions);
    Target t;
    t.pos = node.pos;
    t.name = r.text("name");
    for (const auto& earlier : s.targets) {
      if (earlier.name == t.name) r.fail("name", fmt::format("target name '{}' appears twice", t.name));
    }
    if (programme) {
      const ConfigNode* sc = r.node("scenario");
      t.scenario = sc == nullptr ? 0 : add_scenario(r.text("scenario"), *sc);
    }
    t.indicator = r.text("indicator");
    t.reading = r.choice<Reading>("reading",
                                  {{"final", Reading::kFinal},
                                   {"total", Reading::kTotal},
                                   {"mean_of_year_ends", Reading::kMeanOfYearEnds},
                                   {"at_date", Reading::kAtDate},
                                   {"at_step", Reading::kAtStep},
                                   {"ratio_from_year", Reading::kRatioFromYear},
                                   {"months_to_reach", Reading::kMonthsToReach}},
                                  Reading::kFinal);
    // The model's indicators, for this target's scenario (national programmes add theirs).
    std::optional<fk::IndicatorLayout> layout;
    const sim::IndicatorSchema* schema = classic_schema;
    sim::Step steps = classic_steps;
    const fk::Params* params = nullptr;
    if (programme) {
      params = &s.programme_scenarios[t.scenario].params;
      layout = fk::make_indicator_layout(*s.worlds[t.scenario], *params);
      schema = &layout->schema;
      steps = static_cast<sim::Step>(params->run.years * 12);
    }
    auto check_indicator = [&](std::string_view key, const std::string& name) {
      if (schema->find(name)) return;
      std::vector<std::string> names;
      for (std::size_t k = 0; k < schema->size(); ++k) names.push_back((*schema)[k].name);
      const std::string guess = closest_match(name, names);
      r.fail(key, fmt::format("{}.{} = '{}' is not an indicator of the model{}", path_j, key, name,
                              guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess)));
    };
    check_indicator("indicator", t.indicator);
    if (!programme && t.reading != Reading::kFinal && t.reading != Reading::kAtStep &&
        t.reading != Reading::kTotal)
      r.fail("reading",
             "a classic model's targets are read at a step (at_step), at the end (final) or summed (total)");
    switch (t.reading) {
      case Reading::kAtDate:
        t.year = static_cast<std::int64_t>(r.integer("year"));
        t.month = static_cast<std::int64_t>(r.integer("month"));
        if (t.month < 1 || t.month > 12) r.fail("month", "month must be in 1..12");
        if (const auto m = (t.year - params->run.start_year) * 12 + t.month;
            m < 1 || m > static_cast<std::int64_t>(steps)) {
          r.fail("year", fmt::format("{}-{:02} is outside the run ({} to the end of {})", t.year, t.month,
                                     params->run.start_year, params->run.start_year + params->run.years - 1));
        }
        break;
      case Reading::kAtStep:
        t.step = static_cast<std::int64_t>(r.integer("step"));
        if (t.step < 0 || t.step > static_cast<std::int64_t>(steps))
          r.fail("step", fmt::format("step {} is outside the run (0..{})", t.step, steps));
        break;
      case Reading::kRatioFromYear:
        t.year = static_cast<std::int64_t>(r.integer("year", 1));
        t.denominator = r.text("denominator");
        check_indicator("denominator", t.denominator);
        if (t.year < 1 || t.year > static_cast<std::int64_t>(steps / 12))
          r.fail("year", fmt::format("year must be in 1..{} (years of the run)", steps / 12));
        break;
      case Reading::kMonthsToReach:
        t.denominator = r.text("denominator");
        check_indicator("denominator", t.denominator);
        if (!t.indicator.starts_with("national."))
          r.fail("indicator", "months_to_reach reads a national programme's months_to_... indicator");
        break;
      case Reading::kMeanOfYearEnds:
        if (steps < 12) r.fail("reading", "mean_of_year_ends needs a run of at least a year");
        break;
      case Reading::kFinal:
      case Reading::kTotal:
        break;
    }
    t.observed = r.number("observed");
    const bool has_sd = r.has("sd");
    const bool has_interval = r.has("interval");
    if (has_sd == has_interval) {
      if (has_sd) r.fail("interval", "give the uncertainty as sd or as interval, not both");
      r.fail_missing(
          {"sd", "interval"},
          fmt::format("{} needs its uncertainty: sd: 0.04, or interval: [0.70, 0.85] (95 %)", path_j));
    }
    if (has_sd) {
      t.sd = r.number("sd");
      if (!(t.sd > 0))
        r.fail("sd", fmt::format("{}.sd = {:g}: the uncertainty must be more than 0 (a target known exactly "
                                 "would accept no simulation)",
                                 path_j, t.sd));
      t.uncertainty_text = fmt::format("sd {:g}", t.sd);
    } else {
      const std::vector<double> iv = r.number_list("interval");
      if (iv.size() != 2 || !(iv[0] < iv[1]))
        r.fail("interval", fmt::format("{}.interval must be [low, high] with low < high", path_j));
      if (t.observed < iv[0] || t.observed > iv[1])
        r.fail("observed", fmt::format("{}.observed = {:g} lies outside its interval [{:g}, {:g}]", path_j,
                                       t.observed, iv[0], iv[1]));
      t.sd = (iv[1] - iv[0]) / kInterval95Width;
      t.uncertainty_text = fmt::format("95 % interval {:g}-{:g}", iv[0], iv[1]);
    }
    t.source = r.text("source");
    t.definition = r.text("definition");
    r.finish();
    s.targets.push_back(std::move(t));
  }
  root.finish();

  // Every prior's reach must be values the model accepts, in every scenario the targets run: its
  // bounds (or a normal's 0.1 % and 99.9 % quantiles), with the other parameters at their priors'
  // medians. Combinations the model refuses are otherwise simulated as never accepted.
  std::vector<double> medians;
  for (const auto& p : s.parameters) medians.push_back(p.prior.from_z(p.prior.quantile_z(0.5)));
  for (std::size_t k = 0; k < s.parameters.size(); ++k) {
    const auto& p = s.parameters[k];
    const bool bounded = p.prior.kind != PriorKind::kNormal;
    for (const double v : {bounded ? p.prior.low : p.prior.from_z(p.prior.quantile_z(0.001)),
                           bounded ? p.prior.high : p.prior.from_z(p.prior.quantile_z(0.999))}) {
      std::vector<double> values = medians;
      values[k] = v;
      if (programme) {
        for (std::size_t sc = 0; sc < s.programme_scenarios.size(); ++sc) {
          try {
            (void)programme_params(s, sc, values);
          } catch (const sim::ParamError& e) {
            fail(doc.source, p.pos,
                 fmt::format(
                     "{}: the prior reaches {:g}, which the model refuses in scenario {} (with the other "
                     "parameters at their priors' medians): {}",
                     p.key, v, s.scenario_names[sc], e.what()));
          }
        }
      } else {
        try {
          (void)classic_spec(s, values);
        } catch (const ScenarioError& e) {
          fail(doc.source, p.pos,
               fmt::format("{}: the model does not accept {:g} for it: {}", p.key, v, e.what()));
        }
      }
    }
  }
  // Scenarios that set a calibrated parameter themselves keep their own value.
  for (std::size_t sc = 1; sc < s.programme_scenarios.size(); ++sc) {
    for (const auto& p : s.parameters) {
      fk::Params a = s.programme_scenarios[0].params;
      fk::Params b = s.programme_scenarios[sc].params;
      const fk::ParamSpec* spec = fk::find_parameter(p.key);
      if (*std::get<double*>(spec->slot(a)) != *std::get<double*>(spec->slot(b))) {
        s.notes.push_back(
            fmt::format("scenario {} sets {} itself; the calibrated value does not replace it there",
                        s.scenario_names[sc], p.key));
      }
    }
  }

  // What determines the results (the fingerprint adds the build and the particle count).
  s.canonical = fmt::format("innosim calibrate 1\nfile:\n{}\n", s.text);
  if (programme) {
    for (const auto& sc : s.programme_scenarios) s.canonical += "scenario:\n" + resolved_yaml(sc) + "\n";
  } else {
    s.canonical += "classic:\n" + s.classic_document->text + "\n";
  }
  return s;
}

}  // namespace innosim::tools
