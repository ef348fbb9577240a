#include "output/sweep_result.hpp"

#include <fmt/format.h>

#include <charconv>

#include <algorithm>
#include <cmath>

namespace innosim::output {

std::uint64_t SweepInfo::shard_runs() const noexcept {
  const std::uint64_t n = runs();
  return n / shard_count + (shard_index < n % shard_count ? 1 : 0);
}

std::size_t record_values(const std::string& keep, std::size_t indicators, sim::Step steps,
                          sim::Step per_year) {
  std::size_t n = indicators;
  if (keep == "yearly" || keep == "series") n += static_cast<std::size_t>(steps / per_year) * indicators;
  if (keep == "series") n += (static_cast<std::size_t>(steps) + 1) * indicators;
  return n;
}

SweepWriter::SweepWriter(std::filesystem::path path, const Provenance& provenance, SweepInfo info,
                         const sim::IndicatorSchema& schema)
    : path_(std::move(path)),
      file_(path_),
      info_(std::move(info)),
      width_(schema.size()),
      years_(static_cast<std::size_t>(info_.steps / info_.per_year)) {
  const h5::Group& root = file_.root();
  Provenance p = provenance;
  p.kind = info_.shard_count == 1 ? "sweep" : "sweep-part";
  write_provenance(root, p);
  const h5::Group s = root.group("sweep");
  s.attribute("fingerprint", std::string_view(info_.fingerprint));
  s.attribute("description", std::string_view(info_.description));
  s.attribute("source", std::string_view(info_.source));
  s.attribute("design", std::string_view(info_.design));
  s.attribute("keep", std::string_view(info_.keep));
  s.attribute("random_numbers", std::string_view(info_.random_numbers));
  s.attribute("replicates", static_cast<std::int64_t>(info_.replicates));
  s.attribute("seed", std::to_string(info_.seed));
  s.attribute("points", static_cast<std::int64_t>(info_.points));
  s.attribute("runs", static_cast<std::int64_t>(info_.runs()));
  s.attribute("years", info_.years);
  s.attribute("warmup_years", info_.warmup_years);
  s.attribute("months_per_year", static_cast<std::int64_t>(info_.per_year));
  s.attribute("shard_index", static_cast<std::int64_t>(info_.shard_index));
  s.attribute("shard_count", static_cast<std::int64_t>(info_.shard_count));
  s.write_text("sweep_file", info_.text, "The sweep file as read.");
  write_scenario_files(s, "base", info_.base_files, "The base scenario file, then the files it extends.");
  s.write_text("base_resolved", info_.base_resolved, "Every parameter of the base scenario (YAML).");
  s.write(info_.factors);
  const std::vector<hsize_t> dims = {info_.points, info_.num_factors};
  s.write("unit", info_.unit, dims, "",
          "[point, factor]: the design's coordinate in [0, 1] (NaN for list designs).");
  s.write("values", info_.values, dims, "",
          "[point, factor]: the value each factor took (for non-numeric levels, the level's index).");
  s.attribute("posterior", std::string_view(info_.posterior));
  if (!info_.posterior.empty()) {
    const h5::Group post = s.group("posterior");
    post.write("key", info_.posterior_keys);
    post.write("particle", info_.posterior_particle, {info_.replicates}, "",
               "[replicate]: the posterior particle each replicate drew, at every point");
    post.write("theta", info_.posterior_theta, {info_.replicates, info_.posterior_keys.size()}, "",
               "[replicate, key]: its values (parameters the sweep varies keep the points' values)");
  }
  root.write(indicator_table(schema));
  const h5::Group r = root.group("runs");
  run_ = r.appendable("run", {}, true, 4096, "", "Run number: point x replicates + replicate.");
  point_ = r.appendable("point", {}, true, 4096, "", "The run's point (row of /sweep/values).");
  replicate_ = r.appendable("replicate", {}, true, 4096, "", "The run's replicate: its random streams.");
  totals_ = r.appendable("totals", {width_}, false, 256, "",
                         "[run, indicator]: flows summed over the run, stocks at its end.");
  if (info_.keep == "yearly" || info_.keep == "series") {
    yearly_ = r.appendable("yearly", {years_, width_}, false, 16, "",
                           "[run, year, indicator]: flows summed over the year, stocks at its end.");
  }
  if (info_.keep == "series") {
    series_ = r.appendable("series", {static_cast<hsize_t>(info_.steps) + 1, width_}, false, 1, "",
                           "[run, month, indicator]: month 0 is the start.");
  }
  if (info_.shard_count == 1) {
    point_stats_.resize(width_);
    point_mean_.reserve(info_.points * width_);
    point_sd_.reserve(info_.points * width_);
  }
}

void SweepWriter::flush_point() {
  for (auto& st : point_stats_) {
    point_mean_.push_back(st.mean());
    point_sd_.push_back(st.sd());
    st = sim::RunningStats();
  }
}

void SweepWriter::add_run(std::uint64_t run, std::span<const double> values,
                          const std::vector<std::string>& fired_rules) {
  const std::size_t expected = record_values(info_.keep, width_, info_.steps, info_.per_year);
  if (values.size() != expected) {
    throw h5::H5Error(
        fmt::format("{}: run {} has {} values, expected {}", path_.string(), run, values.size(), expected));
  }
  if (static_cast<std::int64_t>(run) <= last_run_ || run >= info_.runs() ||
      run % info_.shard_count != info_.shard_index) {
    throw h5::H5Error(fmt::format("{}: run {} does not belong here (after run {}, shard {}/{})",
                                  path_.string(), run, last_run_, info_.shard_index, info_.shard_count));
  }
  last_run_ = static_cast<std::int64_t>(run);
  const auto point = static_cast<std::int64_t>(run / info_.replicates);
  const auto replicate = static_cast<std::int64_t>(run % info_.replicates);
  const auto id = static_cast<std::int64_t>(run);
  run_.append(std::span<const std::int64_t>(&id, 1));
  point_.append(std::span<const std::int64_t>(&point, 1));
  replicate_.append(std::span<const std::int64_t>(&replicate, 1));
  totals_.append(values.subspan(0, width_));
  std::size_t at = width_;
  if (info_.keep == "yearly" || info_.keep == "series") {
    yearly_.append(values.subspan(at, years_ * width_));
    at += years_ * width_;
  }
  if (info_.keep == "series") series_.append(values.subspan(at));
  for (const std::string& rule : fired_rules) {
    rule_run_.push_back(id);
    rule_text_.push_back(rule);
  }
  if (!point_stats_.empty()) {
    if (static_cast<std::uint64_t>(point) != current_point_) {
      flush_point();
      current_point_ = static_cast<std::uint64_t>(point);
    }
    for (std::size_t i = 0; i < width_; ++i) point_stats_[i].add(values[i]);
  }
  ++added_;
}

void SweepWriter::commit(const Runtime& runtime) {
  if (added_ != info_.shard_runs()) {
    throw h5::H5Error(fmt::format("{}: {} of {} runs written; the file is not complete", path_.string(),
                                  added_, info_.shard_runs()));
  }
  const h5::Group& root = file_.root();
  const h5::Group runs = root.group("runs");
  runs.attribute("runs_written", static_cast<std::int64_t>(added_));
  sim::Table t{"rules_fired", "Adaptive programme rules that fired, per run, in order.", {}};
  t.add<std::int64_t>("run", "", "Run.") = rule_run_;
  t.add<std::string>("rule", "", "Year and rule name.") = rule_text_;
  runs.write(t);
  if (!point_stats_.empty()) {
    if (added_ > 0) flush_point();
    const h5::Group p = root.group("points");
    const std::vector<hsize_t> dims = {info_.points, width_};
    p.write("mean", point_mean_, dims, "", "[point, indicator]: mean of totals over the point's replicates.");
    p.write("sd", point_sd_, dims, "",
            "[point, indicator]: standard deviation of totals over the point's replicates (0 for one).");
  }
  write_runtime(root, runtime);
  file_.commit();
}

SweepFileHeader read_sweep_header(const h5::Reader& file) {
  SweepFileHeader h;
  if (!file.has_attribute("/", "kind") || !file.exists("/sweep")) {
    throw h5::H5Error(fmt::format("{} is not a sweep result file (no /sweep group)", file.name()));
  }
  h.kind = file.text_attribute("/", "kind");
  if (h.kind != "sweep" && h.kind != "sweep-part") {
    throw h5::H5Error(fmt::format("{} is a result file of kind '{}', not a sweep", file.name(), h.kind));
  }
  h.fingerprint = file.text_attribute("/sweep", "fingerprint");
  // Counts are read as whole numbers (a damaged negative one stays huge and fails the checks
  // of its users; it is never cast from a negative double).
  h.shard_index = file.unsigned_attribute("/sweep", "shard_index");
  h.shard_count = file.unsigned_attribute("/sweep", "shard_count");
  h.runs_total = file.unsigned_attribute("/sweep", "runs");
  h.runs_in_file = file.unsigned_attribute("/runs", "runs_written");
  return h;
}

SweepInfo read_sweep_info(const h5::Reader& file) {
  SweepInfo info;
  const std::string s = "/sweep";
  auto text = [&](const char* name) { return file.text_attribute(s, name); };
  auto number = [&](const char* name) { return file.unsigned_attribute(s, name); };
  info.fingerprint = text("fingerprint");
  info.description = text("description");
  info.source = text("source");
  info.design = text("design");
  info.keep = text("keep");
  info.random_numbers = text("random_numbers");
  info.replicates = static_cast<std::uint64_t>(number("replicates"));
  {
    const std::string seed = text("seed");
    const auto [end, ec] = std::from_chars(seed.data(), seed.data() + seed.size(), info.seed);
    if (ec != std::errc() || end != seed.data() + seed.size())
      throw h5::H5ReadError(fmt::format("{}: /sweep seed = '{}' is not a 64-bit seed", file.name(), seed));
  }
  info.points = static_cast<std::uint64_t>(number("points"));
  info.years = static_cast<std::int64_t>(number("years"));
  info.warmup_years = static_cast<std::int64_t>(number("warmup_years"));
  info.per_year = static_cast<sim::Step>(number("months_per_year"));
  info.steps = static_cast<sim::Step>(info.years) * info.per_year;
  info.shard_index = static_cast<std::uint64_t>(number("shard_index"));
  info.shard_count = static_cast<std::uint64_t>(number("shard_count"));
  info.text = file.texts(s + "/sweep_file").at(0);
  const auto names = file.texts(s + "/base_files");
  const auto texts = file.texts(s + "/base_texts");
  for (std::size_t i = 0; i < names.size() && i < texts.size(); ++i)
    info.base_files.emplace_back(names[i], texts[i]);
  info.base_resolved = file.texts(s + "/base_resolved").at(0);
  // The factors table, column by column as indicator_table-style tables are written.
  const std::string f = s + "/factors";
  sim::Table t{"factors", "The parameters the sweep varies, in column order of unit and values.", {}};
  if (file.has_attribute(f, "description")) t.description = file.text_attribute(f, "description");
  for (const std::string& column : file.text_list_attribute(f, "columns")) {
    std::string path = f;
    path += '/';
    path += column;
    const std::string unit = file.has_attribute(path, "unit") ? file.text_attribute(path, "unit") : "";
    const std::string description =
        file.has_attribute(path, "description") ? file.text_attribute(path, "description") : "";
    if (column == "key" || column == "distribution" || column == "levels" || column == "recorded") {
      t.add<std::string>(column, unit, description) = file.texts(path);
    } else {
      t.add<double>(column, unit, description) = file.numbers(path);
    }
  }
  info.factors = std::move(t);
  std::vector<hsize_t> dims;
  info.unit = file.numbers(s + "/unit", &dims);
  info.num_factors = dims.size() == 2 ? dims[1] : 0;
  info.values = file.numbers(s + "/values");
  if (file.has_attribute(s, "posterior")) info.posterior = text("posterior");
  if (!info.posterior.empty()) {
    info.posterior_keys = file.texts(s + "/posterior/key");
    for (const double v : file.numbers(s + "/posterior/particle"))
      info.posterior_particle.push_back(static_cast<std::int64_t>(v));
    info.posterior_theta = file.numbers(s + "/posterior/theta");
  }
  return info;
}

sim::IndicatorSchema read_indicator_schema(const h5::Reader& file, const std::string& group) {
  sim::IndicatorSchema schema;
  const auto name = file.texts(group + "/name");
  const auto unit = file.texts(group + "/unit");
  const auto description = file.texts(group + "/description");
  const auto aggregation = file.texts(group + "/aggregation");
  for (std::size_t i = 0; i < name.size(); ++i) {
    schema.add(name[i], unit.at(i), description.at(i),
               aggregation.at(i) == "flow" ? sim::Aggregation::kFlow : sim::Aggregation::kStock);
  }
  return schema;
}

SweepRunReader::SweepRunReader(const std::filesystem::path& path) : file_(path) {
  header_ = read_sweep_header(file_);
  for (const double r : file_.numbers("/runs/run")) runs_.push_back(static_cast<std::int64_t>(r));
  keep_ = file_.text_attribute("/sweep", "keep");
  std::vector<hsize_t> dims;
  (void)file_.rows("/runs/totals", 0, 0, &dims);
  width_ = dims.size() == 2 ? dims[1] : 0;
  if (keep_ == "yearly" || keep_ == "series") {
    (void)file_.rows("/runs/yearly", 0, 0, &dims);
    years_ = dims.size() == 3 ? dims[1] : 0;
  }
  if (keep_ == "series") {
    (void)file_.rows("/runs/series", 0, 0, &dims);
    months_ = dims.size() == 3 ? dims[1] : 0;
  }
  header_.values_per_run = width_ + years_ * width_ + months_ * width_;
  rules_.resize(runs_.size());
  const std::vector<double> rule_runs = file_.numbers("/runs/rules_fired/run");
  const std::vector<std::string> rule_texts = file_.texts("/runs/rules_fired/rule");
  for (std::size_t i = 0; i < rule_runs.size() && i < rule_texts.size(); ++i) {
    const auto it = std::lower_bound(runs_.begin(), runs_.end(), static_cast<std::int64_t>(rule_runs[i]));
    if (it != runs_.end() && *it == static_cast<std::int64_t>(rule_runs[i])) {
      rules_[static_cast<std::size_t>(it - runs_.begin())].push_back(rule_texts[i]);
    }
  }
}

void SweepRunReader::read(std::size_t k, std::vector<double>& values, std::vector<std::string>& rules) const {
  values = file_.rows("/runs/totals", k, 1);
  if (years_ > 0) {
    const std::vector<double> y = file_.rows("/runs/yearly", k, 1);
    values.insert(values.end(), y.begin(), y.end());
  }
  if (months_ > 0) {
    const std::vector<double> m = file_.rows("/runs/series", k, 1);
    values.insert(values.end(), m.begin(), m.end());
  }
  rules = rules_[k];
}

}  // namespace innosim::output
