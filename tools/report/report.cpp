// Builds a report from a result file (see report.hpp).
#include "tools/report/report.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <fstream>
#include <functional>
#include <optional>
#include <stdexcept>

#include "output/hdf5.hpp"
#include "output/labels.hpp"
#include "output/report.hpp"
#include "output/result_file.hpp"
#include "sim/abc.hpp"
#include "sim/error.hpp"
#include "tools/calibrate/posterior.hpp"
#include "tools/report/assets.hpp"
#include "tools/scenario/yaml_tree.hpp"

namespace innosim::tools {

std::vector<output::Metric> programme_metrics(output::Language lang) {
  using output::tr;
  return {
      {tr(lang, "adoptions", "adopsjoner"), "adoptions", 1, 0},
      {tr(lang, "adoptions spread beyond the makers", "adopsjoner utover dem som laget innovasjonen"),
       "spread_adoptions", 1, 0},
      {tr(lang, "innovations created", "innovasjoner laget"), "innovations_created", 1, 0},
      {tr(lang, "innovations from programme projects", "innovasjoner fra programprosjekter"),
       "innovations_programme", 1, 0},
      {tr(lang, "innovations reaching 10 % of owners", "innovasjoner som når 10 % av eierne"),
       "innovations_reached_10pct", 1, 1},
      {tr(lang, "municipalities using research (%)", "kommuner som bruker forskning (%)"),
       "research_using_share", 100, 1},
      {tr(lang, "municipalities innovating, last 2 years (%)", "kommuner som har innovert siste 2 år (%)"),
       "innovating_24m_share", 100, 1},
      {tr(lang, "innovation projects funded", "innovasjonsprosjekter innvilget"), "awards_innovation_project",
       1, 1},
      {tr(lang, "money committed (MNOK)", "midler bevilget (mill. kr)"), "money_committed_mnok", 1, 1},
      {tr(lang, "Gini of adoptions across municipalities", "Gini-koeffisient for adopsjoner mellom kommuner"),
       "gini_adoptions", 1, 3}};
}

namespace {

using output::h5::H5Error;
using output::h5::H5ReadError;
using output::h5::Reader;

struct ScenarioData {
  std::string name, description;
  std::vector<std::string> indicators;
  std::vector<double> totals;  // [R, I]
  std::vector<double> yearly;  // [R, Y, I]
  std::size_t replicates = 0, years = 0;
  std::vector<double> replicate_ids;
};

std::size_t column(const ScenarioData& s, const std::string& name) {
  const auto it = std::find(s.indicators.begin(), s.indicators.end(), name);
  if (it == s.indicators.end()) throw H5Error(fmt::format("scenario {} has no indicator {}", s.name, name));
  return static_cast<std::size_t>(it - s.indicators.begin());
}

// Writes `html` beside its final name and renames it when complete.
void write_atomically(const std::filesystem::path& html, const std::function<void(std::ostream&)>& write) {
  std::filesystem::path temporary = html;
  temporary += fmt::format(".tmp-{}", ::getpid());
  {
    std::ofstream out(temporary, std::ios::binary);
    if (!out) throw std::runtime_error(fmt::format("cannot write {}", temporary.string()));
    write(out);
    out.flush();
    if (!out) {
      std::error_code ec;
      std::filesystem::remove(temporary, ec);
      throw std::runtime_error(fmt::format("cannot write {}", temporary.string()));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, html, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw std::runtime_error(fmt::format("cannot rename {} to {}", temporary.string(), html.string()));
  }
}

// The report of a sweep: design, results against parameters, stored sensitivity analyses.
void write_sweep_report_file(const Reader& r, const std::filesystem::path& result,
                             const std::filesystem::path& html, output::Language lang) {
  output::SweepReportInput in;
  in.lang = lang;
  in.source = result.filename().string();
  in.innosim_version = r.text_attribute("/provenance", "innosim_version");
  in.git_revision = r.text_attribute("/provenance", "git_revision");
  if (r.text_attribute("/", "kind") != "sweep") {
    throw H5Error(
        fmt::format("{} is one part of a sweep; merge the parts first (innosim merge)", result.string()));
  }
  in.description = r.text_attribute("/sweep", "description");
  in.design = r.text_attribute("/sweep", "design");
  in.random_numbers = r.text_attribute("/sweep", "random_numbers");
  // Counts must be whole numbers in range before they are used as such.
  auto count = [&](const char* name, double most) {
    const double v = r.number_attribute("/sweep", name);
    if (!(v >= 0 && v <= most && v == std::floor(v))) {
      throw output::h5::H5ReadError(
          fmt::format("{}: /sweep {} = {} is not a whole number in [0, {}]; the file is damaged",
                      result.string(), name, v, most));
    }
    return static_cast<std::uint64_t>(v);
  };
  const std::string seed = r.text_attribute("/sweep", "seed");
  const auto [end, ec] = std::from_chars(seed.data(), seed.data() + seed.size(), in.seed);
  if (ec != std::errc() || end != seed.data() + seed.size()) {
    throw output::h5::H5ReadError(fmt::format(
        "{}: /sweep seed = '{}' is not a 64-bit seed; the file is damaged", result.string(), seed));
  }
  in.replicates = count("replicates", 1e9);
  // in.points is set below, once checked against the data.
  in.runs = count("runs", 1e15);
  in.years = static_cast<std::int64_t>(count("years", 200));
  in.warmup_years = static_cast<std::int64_t>(count("warmup_years", 200));
  const auto keys = r.texts("/sweep/factors/key");
  const auto dist = r.texts("/sweep/factors/distribution");
  const auto lo = r.numbers("/sweep/factors/min");
  const auto hi = r.numbers("/sweep/factors/max");
  const auto levels = r.texts("/sweep/factors/levels");
  for (std::size_t i = 0; i < keys.size(); ++i) {
    in.factors.emplace_back(keys[i], dist[i] == "levels"
                                         ? levels[i]
                                         : fmt::format("{} from {:g} to {:g}", dist[i], lo[i], hi[i]));
  }
  in.values = r.numbers("/sweep/values");
  const auto names = r.texts("/indicators/name");
  std::vector<hsize_t> dims;
  const auto mean = r.numbers("/points/mean", &dims);
  // The attributes must describe the data they come with: a damaged file is refused, not read
  // out of bounds.
  const double points_attribute = r.number_attribute("/sweep", "points");
  if (dims.size() != 2 || dims[1] != names.size() || points_attribute != static_cast<double>(dims[0]) ||
      in.values.size() != dims[0] * keys.size()) {
    throw output::h5::H5ReadError(
        fmt::format("{}: the sweep's points ({}), /points/mean ({} rows), /sweep/values ({} values for {} "
                    "factors) and the "
                    "indicators ({}) do not agree; the file is damaged",
                    result.string(), points_attribute, dims.empty() ? 0 : dims[0], in.values.size(),
                    keys.size(), names.size()));
  }
  in.points = dims[0];
  const std::size_t width = dims.at(1);
  for (const char* name : {"adoptions", "spread_adoptions", "research_using_share", "innovations_created",
                           "money_committed_mnok"}) {
    if (std::find(names.begin(), names.end(), name) != names.end()) in.outputs.emplace_back(name);
  }
  for (std::size_t p = 0; p < in.points; ++p) {
    for (const std::string& o : in.outputs) {
      const auto c = static_cast<std::size_t>(std::find(names.begin(), names.end(), o) - names.begin());
      in.means.push_back(mean[p * width + c]);
    }
  }
  if (r.exists("/analysis/sobol")) {
    const std::string g = "/analysis/sobol/";
    const auto out = r.texts(g + "output");
    const auto fac = r.texts(g + "factor");
    const auto s = r.numbers(g + "first"), sl = r.numbers(g + "first_low"), sh = r.numbers(g + "first_high");
    const auto t = r.numbers(g + "total"), tl = r.numbers(g + "total_low"), th = r.numbers(g + "total_high");
    for (std::size_t i = 0; i < out.size(); ++i)
      in.sobol.push_back({out[i], fac[i], s[i], sl[i], sh[i], t[i], tl[i], th[i]});
  }
  if (r.exists("/analysis/morris")) {
    const std::string g = "/analysis/morris/";
    const auto out = r.texts(g + "output");
    const auto fac = r.texts(g + "factor");
    const auto m = r.numbers(g + "mu_star"), ml = r.numbers(g + "mu_star_low"),
               mh = r.numbers(g + "mu_star_high");
    const auto mu = r.numbers(g + "mu"), sg = r.numbers(g + "sigma");
    for (std::size_t i = 0; i < out.size(); ++i)
      in.morris.push_back({out[i], fac[i], m[i], ml[i], mh[i], mu[i], sg[i]});
  }
  write_atomically(html, [&](std::ostream& out) { output::write_sweep_report(out, in, report_assets()); });
}

// The report of a calibration: the last generation's posterior against the priors, the most
// correlated pairs, the predictive check of each target, the generations.
void write_calibration_report_file(const Reader& r, const std::filesystem::path& result,
                                   const std::filesystem::path& html, output::Language lang) {
  namespace abc = sim::abc;
  const std::string name = result.string();
  if (!r.exists("/calibration") || r.unsigned_attribute("/calibration", "format_version") != 1)
    throw H5ReadError(
        fmt::format("{}: a calibration file this innosim does not read (format_version 1 expected)", name));
  output::CalibrationReportInput in;
  in.lang = lang;
  in.source = result.filename().string();
  in.description = r.text_attribute("/calibration", "description");
  in.model = r.text_attribute("/calibration", "model");
  in.targets_file = r.text_attribute("/calibration", "source");
  in.innosim_version = r.text_attribute("/provenance", "innosim_version");
  in.git_revision = r.text_attribute("/provenance", "git_revision");
  in.seed = r.unsigned_attribute("/calibration", "seed");
  in.particles = r.unsigned_attribute("/calibration", "particles");
  in.replicates = r.unsigned_attribute("/calibration", "replicates");
  in.seconds = r.number_attribute("/runtime", "elapsed_seconds");

  const auto keys = r.texts("/calibration/parameters/name");
  const auto prior_texts = r.texts("/calibration/parameters/prior");
  const auto kinds = r.texts("/calibration/parameters/prior_kind");
  const auto units = r.texts("/calibration/parameters/unit");
  const auto base = r.numbers("/calibration/parameters/base_value");
  const auto low = r.numbers("/calibration/parameters/prior_low");
  const auto high = r.numbers("/calibration/parameters/prior_high");
  const auto mean = r.numbers("/calibration/parameters/prior_mean");
  const auto sd = r.numbers("/calibration/parameters/prior_sd");
  const std::size_t d = keys.size();
  for (const auto* v : {&prior_texts, &kinds, &units}) {
    if (v->size() != d)
      throw H5ReadError(fmt::format("{}: /calibration/parameters has columns of unequal length", name));
  }
  for (const auto* v : {&base, &low, &high, &mean, &sd}) {
    if (v->size() != d)
      throw H5ReadError(fmt::format("{}: /calibration/parameters has columns of unequal length", name));
  }
  std::vector<abc::Prior> priors(d);
  for (std::size_t k = 0; k < d; ++k) {
    abc::Prior& p = priors[k];
    p.kind =
        kinds[k] == "uniform"      ? abc::PriorKind::kUniform
        : kinds[k] == "loguniform" ? abc::PriorKind::kLogUniform
        : kinds[k] == "normal"     ? abc::PriorKind::kNormal
        : kinds[k] == "truncated_normal"
            ? abc::PriorKind::kTruncatedNormal
            : throw H5ReadError(fmt::format("{}: prior kind '{}' of {} is unknown", name, kinds[k], keys[k]));
    p.low = low[k];
    p.high = high[k];
    p.mean = mean[k];
    p.sd = sd[k];
    try {
      p.validate();
    } catch (const sim::ParamError& e) {
      throw H5ReadError(fmt::format("{}: the prior of {} is damaged: {}", name, keys[k], e.what()));
    }
  }

  // Generations, and the last one's particles.
  const std::vector<std::string> numbered = calibration_generations(r);
  const auto tolerance = r.numbers("/calibration/generations/tolerance");
  const auto acceptance = r.numbers("/calibration/generations/acceptance");
  const auto ess = r.numbers("/calibration/generations/ess");
  const auto simulations = r.numbers("/calibration/generations/simulations");
  const auto invalid = r.numbers("/calibration/generations/invalid");
  if (numbered.empty() || tolerance.size() != numbered.size() || acceptance.size() != numbered.size() ||
      ess.size() != numbered.size() || simulations.size() != numbered.size() ||
      invalid.size() != numbered.size())
    throw H5ReadError(fmt::format("{}: /calibration/generations is incomplete", name));
  for (std::size_t g = 0; g < numbered.size(); ++g) {
    in.generations.push_back({tolerance[g], acceptance[g], ess[g], static_cast<std::uint64_t>(simulations[g]),
                              static_cast<std::uint64_t>(invalid[g])});
    in.simulations += static_cast<std::uint64_t>(simulations[g]);
  }
  const std::string last = "/calibration/generations/" + numbered.back();
  std::vector<hsize_t> dims, sim_dims;
  const auto theta = r.numbers(last + "/theta", &dims);
  const auto weights = r.numbers(last + "/weights");
  const auto simulated = r.numbers(last + "/simulated", &sim_dims);
  const auto target_names = r.texts("/calibration/targets/name");
  const std::size_t nt = target_names.size();
  const std::size_t n = weights.size();
  if (dims.size() != 2 || dims[0] != n || dims[1] != d || sim_dims.size() != 2 || sim_dims[0] != n ||
      sim_dims[1] != nt || n == 0)
    throw H5ReadError(fmt::format("{}: {} does not hold one row per particle", name, last));
  in.ess = ess.back();

  // Marginals: 20 bins over the prior's range in kernel coordinates.
  constexpr std::size_t kBins = 20;
  for (std::size_t k = 0; k < d; ++k) {
    const abc::Prior& prior = priors[k];
    output::CalibrationReportInput::Parameter p;
    p.key = keys[k];
    p.prior = prior_texts[k];
    p.unit = units[k];
    p.base = base[k];
    std::vector<double> values(n);
    for (std::size_t i = 0; i < n; ++i) values[i] = theta[i * d + k];
    p.median = abc::weighted_quantile(values, weights, 0.5);
    p.q05 = abc::weighted_quantile(values, weights, 0.05);
    p.q95 = abc::weighted_quantile(values, weights, 0.95);
    const double z05 = prior.quantile_z(0.05), z95 = prior.quantile_z(0.95);
    p.width_ratio = (prior.to_z(p.q95) - prior.to_z(p.q05)) / (z95 - z05);
    p.log_axis = prior.kind == abc::PriorKind::kLogUniform;
    const bool bounded = prior.kind != abc::PriorKind::kNormal;
    const double zlo = bounded ? prior.to_z(prior.low) : prior.quantile_z(0.001);
    const double zhi = bounded ? prior.to_z(prior.high) : prior.quantile_z(0.999);
    const double step = (zhi - zlo) / kBins;
    p.posterior_mass.assign(kBins, 0.0);
    for (std::size_t i = 0; i < n; ++i) {
      const double z = prior.to_z(values[i]);
      const auto b = static_cast<std::size_t>(std::clamp((z - zlo) / step, 0.0, kBins - 1.0));
      p.posterior_mass[b] += weights[i];
    }
    for (std::size_t b = 0; b < kBins; ++b) {
      const double a = zlo + static_cast<double>(b) * step;
      p.bin_low.push_back(prior.from_z(a));
      p.bin_high.push_back(prior.from_z(a + step));
      // The prior's mass in the bin: Simpson's rule over 16 intervals of its density in z.
      double mass = 0;
      for (int j = 0; j <= 16; ++j) {
        const double f = std::exp(prior.log_density_z(a + step * j / 16.0));
        mass += (j == 0 || j == 16 ? 1.0 : (j % 2 == 1 ? 4.0 : 2.0)) * (std::isfinite(f) ? f : 0.0);
      }
      p.prior_mass.push_back(mass * step / 48.0);
    }
    in.parameters.push_back(std::move(p));
  }
  // The most correlated pairs (weighted correlation of the kernel coordinates), at most three.
  std::vector<output::CalibrationReportInput::Pair> pairs;
  for (std::size_t a = 0; a < d; ++a) {
    for (std::size_t b = a + 1; b < d; ++b) {
      double ma = 0, mb = 0;
      for (std::size_t i = 0; i < n; ++i) {
        ma += weights[i] * priors[a].to_z(theta[i * d + a]);
        mb += weights[i] * priors[b].to_z(theta[i * d + b]);
      }
      double saa = 0, sbb = 0, sab = 0;
      for (std::size_t i = 0; i < n; ++i) {
        const double da = priors[a].to_z(theta[i * d + a]) - ma, db = priors[b].to_z(theta[i * d + b]) - mb;
        saa += weights[i] * da * da;
        sbb += weights[i] * db * db;
        sab += weights[i] * da * db;
      }
      output::CalibrationReportInput::Pair pr;
      pr.a = a;
      pr.b = b;
      pr.correlation = saa > 0 && sbb > 0 ? sab / std::sqrt(saa * sbb) : 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        pr.x.push_back(theta[i * d + a]);
        pr.y.push_back(theta[i * d + b]);
        pr.w.push_back(weights[i]);
      }
      pairs.push_back(std::move(pr));
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(), [](const auto& x, const auto& y) {
    return std::abs(x.correlation) > std::abs(y.correlation);
  });
  if (pairs.size() > 3) pairs.resize(3);
  in.pairs = std::move(pairs);

  // Targets and the accepted simulations' quantiles.
  const auto scenario = r.texts("/calibration/targets/scenario");
  const auto indicator = r.texts("/calibration/targets/indicator");
  const auto source = r.texts("/calibration/targets/source");
  const auto uncertainty = r.texts("/calibration/targets/uncertainty");
  const auto observed = r.numbers("/calibration/targets/observed");
  const auto target_sd = r.numbers("/calibration/targets/sd");
  if (scenario.size() != nt || indicator.size() != nt || source.size() != nt || uncertainty.size() != nt ||
      observed.size() != nt || target_sd.size() != nt)
    throw H5ReadError(fmt::format("{}: /calibration/targets has columns of unequal length", name));
  std::vector<std::string> scenarios;
  for (std::size_t t = 0; t < nt; ++t) {
    output::CalibrationReportInput::Target x;
    x.name = target_names[t];
    x.scenario = scenario[t];
    x.indicator = indicator[t];
    x.source = source[t];
    x.uncertainty = uncertainty[t];
    x.observed = observed[t];
    x.sd = target_sd[t];
    std::vector<double> v, w;
    for (std::size_t i = 0; i < n; ++i) {
      if (std::isfinite(simulated[i * nt + t])) {
        v.push_back(simulated[i * nt + t]);
        w.push_back(weights[i]);
      }
    }
    if (!v.empty()) {
      x.q05 = abc::weighted_quantile(v, w, 0.05);
      x.q25 = abc::weighted_quantile(v, w, 0.25);
      x.median = abc::weighted_quantile(v, w, 0.5);
      x.q75 = abc::weighted_quantile(v, w, 0.75);
      x.q95 = abc::weighted_quantile(v, w, 0.95);
    }
    in.targets.push_back(std::move(x));
    if (std::find(scenarios.begin(), scenarios.end(), scenario[t]) == scenarios.end())
      scenarios.push_back(scenario[t]);
  }
  in.model_runs = in.simulations * scenarios.size() * in.replicates;
  write_atomically(html,
                   [&](std::ostream& out) { output::write_calibration_report(out, in, report_assets()); });
}
}  // namespace

void write_report_file(const std::filesystem::path& result, const std::filesystem::path& html,
                       output::Language lang) {
  using output::tr;
  const Reader r(result);
  output::check_result_format(r);
  const std::string kind = r.text_attribute("/", "kind");
  if (kind == "sweep" || kind == "sweep-part") {
    write_sweep_report_file(r, result, html, lang);
    return;
  }
  if (kind == "calibration") {
    write_calibration_report_file(r, result, html, lang);
    return;
  }
  output::ReportInput in;
  in.lang = lang;
  in.source = result.filename().string();
  in.kind = kind;
  in.innosim_version = r.text_attribute("/provenance", "innosim_version");
  in.git_revision = r.text_attribute("/provenance", "git_revision");

  // Scenarios, in the order given.
  std::vector<std::string> names = r.has_attribute("/scenarios", "order")
                                       ? r.text_list_attribute("/scenarios", "order")
                                       : r.members("/scenarios");
  if (names.empty()) throw H5Error(fmt::format("{}: holds no scenario", result.string()));
  std::vector<ScenarioData> data;
  for (const auto& name : names) {
    const std::string g = "/scenarios/" + name;
    ScenarioData s;
    s.name = name;
    s.description = lang == output::Language::kBokmal && r.has_attribute(g, "description_nb")
                        ? r.text_attribute(g, "description_nb")
                        : r.text_attribute(g, "description");
    s.indicators = r.texts(g + "/indicators/name");
    std::vector<hsize_t> dims;
    s.totals = r.numbers(g + "/totals", &dims);
    s.replicates = dims.empty() ? 0 : static_cast<std::size_t>(dims[0]);
    s.yearly = r.numbers(g + "/yearly", &dims);
    s.years = dims.size() > 1 ? static_cast<std::size_t>(dims[1]) : 0;
    s.replicate_ids = r.numbers(g + "/replicate");
    if (s.replicates < 2) {
      throw H5Error(
          fmt::format("{}: scenario {} has {} replicate(s); a report needs at least two for its intervals",
                      result.string(), name, s.replicates));
    }
    if (!data.empty() && (s.replicate_ids != data.front().replicate_ids ||
                          s.indicators != data.front().indicators || s.years != data.front().years)) {
      throw H5Error(
          fmt::format("{}: scenarios {} and {} do not have the same replicates, indicators and years",
                      result.string(), data.front().name, name));
    }
    in.scenarios.emplace_back(name, s.description);
    data.push_back(std::move(s));
  }
  const ScenarioData& first = data.front();
  in.seed = r.unsigned_attribute("/scenarios/" + first.name, "seed");
  in.years = static_cast<std::int64_t>(r.number_attribute("/scenarios/" + first.name, "years"));
  in.warmup_years = static_cast<std::int64_t>(r.number_attribute("/scenarios/" + first.name, "warmup_years"));
  in.replicates = static_cast<std::int64_t>(first.replicates);

  // Reference and counterfactual.
  auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
    const auto it = std::find(names.begin(), names.end(), name);
    if (it == names.end()) return std::nullopt;
    return static_cast<std::size_t>(it - names.begin());
  };
  std::size_t reference = 0;
  std::optional<std::size_t> counterfactual;
  if (r.exists("/comparison") && r.has_attribute("/comparison", "reference")) {
    reference = index_of(r.text_attribute("/comparison", "reference")).value_or(0);
    counterfactual = index_of(r.text_attribute("/comparison", "counterfactual"));
    if (r.has_attribute("/comparison", "posterior"))
      in.posterior = r.text_attribute("/comparison", "posterior");
  } else {
    reference = index_of("baseline").value_or(0);
    counterfactual = index_of("no-programme");
  }

  // The world: owners and their groups.
  const auto kinds = r.texts("/world/owners/kind");
  const auto owner_names = r.texts("/world/owners/name");
  const auto lat = r.numbers("/world/owners/lat");
  const auto lon = r.numbers("/world/owners/lon");
  const auto population = r.numbers("/world/owners/population");
  const auto centrality = r.numbers("/world/owners/centrality");
  const auto size_class = r.numbers("/world/owners/size_class");
  const auto county = r.numbers("/world/owners/county");
  const auto county_codes = r.texts("/world/counties/code");
  const std::size_t owners = kinds.size();
  double municipalities = 0;
  for (const auto& k : kinds) municipalities += k == "municipality" ? 1 : 0;

  // Headline numbers, groups and additionality: the same fold as innosim compare.
  output::ComparisonSetup setup;
  setup.scenarios = names;
  setup.reference = reference;
  setup.counterfactual = counterfactual;
  setup.metrics = programme_metrics(lang);
  setup.municipalities = municipalities;
  const char* const size_names[] = {"size_lt5k", "size_5k_20k", "size_20k_50k", "size_gt50k"};
  for (int c = 1; c <= 6; ++c) {
    setup.groups.push_back(fmt::format("centrality_{}", c));
    setup.group_sizes.push_back(static_cast<double>(std::count(centrality.begin(), centrality.end(), c)));
    in.group_kinds.emplace_back("centrality");
  }
  for (int k = 0; k < 4; ++k) {
    setup.groups.emplace_back(size_names[k]);
    setup.group_sizes.push_back(static_cast<double>(std::count(size_class.begin(), size_class.end(), k)));
    in.group_kinds.emplace_back("size");
  }
  // Counties, when the file records adoptions by county (every owner of the county, its county
  // municipality included, as the model counts them).
  const auto county_names = r.texts("/world/counties/name");
  for (std::size_t c = 0; c < county_codes.size(); ++c) {
    const std::string group = "county_" + county_codes[c];
    if (std::find(first.indicators.begin(), first.indicators.end(), "adoptions." + group) ==
        first.indicators.end())
      continue;
    setup.groups.push_back(group);
    setup.group_sizes.push_back(static_cast<double>(
        std::count_if(county.begin(), county.end(), [&](double v) { return v == static_cast<double>(c); })));
    in.group_kinds.emplace_back("county");
  }
  for (const auto& g : setup.groups) {
    in.group_labels.push_back(output::group_label(g, in.lang, [&](std::string_view code) {
      for (std::size_t c = 0; c < county_codes.size(); ++c) {
        if (county_codes[c] == code && c < county_names.size()) return county_names[c];
      }
      return std::string();
    }));
  }
  sim::IndicatorSchema schema;
  for (const auto& name : first.indicators) schema.add(name, "", "");
  output::Comparison comparison(setup, schema);
  const std::size_t width = first.indicators.size();
  std::vector<std::vector<double>> totals(data.size(), std::vector<double>(width));
  for (std::size_t rep = 0; rep < first.replicates; ++rep) {
    for (std::size_t s = 0; s < data.size(); ++s) {
      std::copy_n(data[s].totals.begin() + static_cast<std::ptrdiff_t>(rep * width), width,
                  totals[s].begin());
    }
    comparison.add_replicate(totals);
  }
  in.comparison = &comparison;
  for (std::size_t s = 0; s < names.size(); ++s) {
    const std::string g = "/scenarios/" + names[s];
    std::vector<std::string> warnings;
    // The model's warnings in the report's language (files older than bokmål support: English).
    const char* attribute =
        lang == output::Language::kBokmal && r.has_attribute(g, "warnings_nb") ? "warnings_nb" : "warnings";
    if (r.has_attribute(g, attribute)) warnings = r.text_list_attribute(g, attribute);
    const double lapsed = comparison.total_mean(s, "money_lapsed_mnok");
    if (lapsed > 0.005)
      warnings.push_back(fmt::format(
          output::trf(
              lang, "{} MNOK of its budget lapsed uncommitted (mean over replicates).",
              "{} mill. kr av budsjettet falt bort uten å bli bevilget (gjennomsnitt over kjøringer)."),
          output::format_number(lapsed, 1, lang)));
    in.warnings.push_back(std::move(warnings));
  }

  // Cumulative adoptions by year, and the call funnel.
  const std::size_t adoptions = column(first, "adoptions");
  const char* const instruments[] = {"pre_project", "innovation_project", "competence_project"};
  for (const ScenarioData& s : data) {
    std::vector<sim::RunningStats> by_year(s.years);
    for (std::size_t rep = 0; rep < s.replicates; ++rep) {
      double sum = 0;
      for (std::size_t y = 0; y < s.years; ++y) {
        sum += s.yearly[(rep * s.years + y) * width + adoptions];
        by_year[y].add(sum);
      }
    }
    std::vector<output::Estimate> estimates;
    for (const auto& st : by_year) {
      const auto ci = sim::mean_interval(st);
      estimates.push_back({st.mean(), ci.low, ci.high});
    }
    in.cumulative_adoptions.push_back(std::move(estimates));
    std::array<std::array<double, 3>, 3> funnel{};
    for (std::size_t i = 0; i < 3; ++i) {
      const std::size_t cols[3] = {column(s, fmt::format("applications_{}", instruments[i])),
                                   column(s, fmt::format("awards_{}", instruments[i])),
                                   column(s, fmt::format("succeeded_{}", instruments[i]))};
      for (std::size_t k = 0; k < 3; ++k) {
        double sum = 0;
        for (std::size_t rep = 0; rep < s.replicates; ++rep) sum += s.totals[rep * width + cols[k]];
        funnel[i][k] = sum / static_cast<double>(s.replicates);
      }
    }
    in.funnel.push_back(funnel);
  }

  // The map: adoptions per municipality in the recorded period, from the owners' end states
  // when the file has them, otherwise each county's mean per owner.
  auto per_owner = [&](std::size_t s) -> std::optional<std::vector<double>> {
    const std::string g = "/scenarios/" + names[s] + "/owners_end";
    if (!r.exists(g + "/adoptions_recorded")) return std::nullopt;
    const auto values = r.numbers(g + "/adoptions_recorded");
    if (values.size() != owners * data[s].replicates) return std::nullopt;
    std::vector<double> mean(owners, 0.0);
    for (std::size_t rep = 0; rep < data[s].replicates; ++rep) {
      for (std::size_t o = 0; o < owners; ++o) mean[o] += values[rep * owners + o];
    }
    for (auto& m : mean) m /= static_cast<double>(data[s].replicates);
    return mean;
  };
  auto per_county = [&](std::size_t s) {
    std::vector<double> in_county(county_codes.size(), 0.0);
    for (std::size_t o = 0; o < owners; ++o) in_county[static_cast<std::size_t>(county[o])] += 1;
    std::vector<double> mean(owners, 0.0);
    for (std::size_t o = 0; o < owners; ++o) {
      const auto c = static_cast<std::size_t>(county[o]);
      const std::size_t col = column(data[s], "adoptions.county_" + county_codes[c]);
      double sum = 0;
      for (std::size_t rep = 0; rep < data[s].replicates; ++rep) sum += data[s].totals[rep * width + col];
      mean[o] = sum / static_cast<double>(data[s].replicates) / std::max(1.0, in_county[c]);
    }
    return mean;
  };
  std::optional<std::size_t> other;
  for (std::size_t s = 0; s < names.size(); ++s) {
    if (s != reference && s != counterfactual) {
      other = s;
      break;
    }
  }
  if (!other && counterfactual && *counterfactual != reference) other = counterfactual;
  auto ref_values = per_owner(reference);
  auto other_values = other ? per_owner(*other) : std::nullopt;
  const bool detailed = ref_values && (!other || other_values);
  // Whether each owner's difference is clear (its paired 95 % interval excludes 0): per
  // municipality from the end states' replicates, else its county's.
  std::vector<char> clear(owners, 0);
  if (other && detailed) {
    const auto a = r.numbers("/scenarios/" + names[reference] + "/owners_end/adoptions_recorded");
    const auto b = r.numbers("/scenarios/" + names[*other] + "/owners_end/adoptions_recorded");
    for (std::size_t o = 0; o < owners; ++o) {
      sim::RunningStats d;
      for (std::size_t rep = 0; rep < data[reference].replicates; ++rep)
        d.add(b[rep * owners + o] - a[rep * owners + o]);
      const auto ci = sim::mean_interval(d);
      clear[o] = static_cast<char>(ci.low > 0 || ci.high < 0);
    }
  }
  if (!detailed) {
    ref_values = per_county(reference);
    if (other) {
      other_values = per_county(*other);
      for (std::size_t g = 0; g < setup.groups.size(); ++g) {
        if (!setup.groups[g].starts_with("county_")) continue;
        const auto ci = sim::mean_interval(comparison.group_difference(*other, g));
        for (std::size_t o = 0; o < owners; ++o) {
          if ("county_" + county_codes[static_cast<std::size_t>(county[o])] == setup.groups[g])
            clear[o] = static_cast<char>(ci.low > 0 || ci.high < 0);
        }
      }
    }
  }
  using output::trf;
  in.map_titles.push_back(detailed ? fmt::format(trf(lang, "{}: adoptions per municipality over the run",
                                                     "{}: adopsjoner per kommune over perioden"),
                                                 names[reference])
                                   : fmt::format(trf(lang, "{}: adoptions per owner, county averages",
                                                     "{}: adopsjoner per eier, fylkesgjennomsnitt"),
                                                 names[reference]));
  in.map_units.emplace_back(
      detailed ? tr(lang, "adoptions (mean)", "adopsjoner (gjennomsnitt)")
               : tr(lang, "adoptions per owner (county mean)", "adopsjoner per eier (fylkessnitt)"));
  in.map_diverging.push_back(false);
  if (other) {
    in.map_titles.push_back(detailed
                                ? fmt::format(trf(lang, "{} minus {}: adoptions per municipality",
                                                  "{} minus {}: adopsjoner per kommune"),
                                              names[*other], names[reference])
                                : fmt::format(trf(lang, "{} minus {}: adoptions per owner, county averages",
                                                  "{} minus {}: adopsjoner per eier, fylkesgjennomsnitt"),
                                              names[*other], names[reference]));
    in.map_units.emplace_back(detailed
                                  ? tr(lang, "difference in adoptions", "forskjell i adopsjoner")
                                  : tr(lang, "difference per owner (county)", "forskjell per eier (fylke)"));
    in.map_diverging.push_back(true);
  }
  in.map_note =
      detailed
          ? tr(lang, "Colour: each municipality's adoptions in the recorded period, mean over replicates.",
               "Farge: kommunens adopsjoner i perioden, gjennomsnitt over kjøringer.")
          : tr(lang,
               "Colour: the mean adoptions per owner of the municipality's county, the same for every "
               "municipality of a county (this result file has no per-municipality end states; innosim "
               "compare --tables writes them).",
               "Farge: gjennomsnittlige adopsjoner per eier i kommunens fylke, det samme for alle "
               "kommunene i et fylke (denne resultatfilen har ikke sluttilstander per kommune; innosim "
               "compare --tables skriver dem).");
  if (other) {
    in.map_note +=
        detailed
            ? tr(lang,
                 " On the difference map, municipalities whose paired 95 % interval includes 0 are grey.",
                 " På forskjellskartet er kommuner der det parvise 95 %-intervallet inneholder 0, grå.")
            : tr(lang, " On the difference map, counties whose paired 95 % interval includes 0 are grey.",
                 " På forskjellskartet er fylker der det parvise 95 %-intervallet inneholder 0, grå.");
  }
  for (std::size_t o = 0; o < owners; ++o) {
    if (kinds[o] != "municipality") continue;
    output::MapPlace p{owner_names[o], lat[o], lon[o], population[o], {(*ref_values)[o]}, {true}};
    if (other) {
      p.values.push_back((*other_values)[o] - (*ref_values)[o]);
      p.clear.push_back(clear[o] != 0);
    }
    in.places.push_back(std::move(p));
  }

  write_atomically(html, [&](std::ostream& out) { output::write_report(out, in, report_assets()); });
}

}  // namespace innosim::tools
