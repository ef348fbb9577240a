// innosim's result files (see result_file.hpp and docs/output.md).
#include "output/result_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <ctime>
#include <type_traits>
#include <variant>

namespace innosim::output {

namespace {

const char* aggregation_name(sim::Aggregation a) {
  return a == sim::Aggregation::kFlow ? "flow" : "stock";
}

}  // namespace

void write_scenario_files(const h5::Group& group, std::string_view stem,
                          const std::vector<std::pair<std::string, std::string>>& files,
                          std::string_view about) {
  std::vector<std::string> names, texts;
  for (const auto& [name, text] : files) {
    names.push_back(name);
    texts.push_back(text);
  }
  group.write(fmt::format("{}_files", stem), names, "", about);
  group.write(fmt::format("{}_texts", stem), texts, "",
              fmt::format("The text of each of {}_files, as read.", stem));
}

sim::Table indicator_table(const sim::IndicatorSchema& schema) {
  sim::Table t{"indicators", "The indicators of the series, in column order.", {}};
  auto& name = t.add<std::string>("name", "", "Indicator name.");
  auto& unit = t.add<std::string>("unit", "", "Unit.");
  auto& description = t.add<std::string>("description", "", "What it counts.");
  auto& aggregation =
      t.add<std::string>("aggregation", "",
                         "flow: counted per month (yearly values and totals are sums); stock: a level "
                         "(yearly values and totals are the last month's).");
  for (std::size_t i = 0; i < schema.size(); ++i) {
    name.push_back(schema[i].name);
    unit.push_back(schema[i].unit);
    description.push_back(schema[i].description);
    aggregation.push_back(aggregation_name(schema[i].aggregation));
  }
  return t;
}

ScenarioWriter::ScenarioWriter(h5::Group group, const sim::IndicatorSchema& schema, sim::Step steps,
                               sim::Step per_year)
    : group_(std::move(group)),
      schema_(&schema),
      steps_(steps),
      per_year_(per_year),
      years_(steps / per_year) {
  const auto width = static_cast<hsize_t>(schema.size());
  group_.write(indicator_table(schema));
  ids_ = group_.appendable("replicate", {}, true, 1024, "",
                           "Replicate number of each row of series, yearly and totals: its random streams.");
  series_ = group_.appendable("series", {static_cast<hsize_t>(steps) + 1, width}, false, 1, "",
                              "[replicate, month, indicator]: month 0 is the start, 1 the first recorded "
                              "month; units and meaning in indicators.");
  yearly_ = group_.appendable("yearly", {static_cast<hsize_t>(years_), width}, false, 8, "",
                              "[replicate, year, indicator]: flows summed over the year, stocks at its end.");
  totals_ = group_.appendable("totals", {width}, false, 64, "",
                              "[replicate, indicator]: flows summed over the run, stocks at its end.");
  yearly_row_.resize(static_cast<std::size_t>(years_) * schema.size());
  totals_row_.resize(schema.size());
}

void ScenarioWriter::add_replicate(sim::Replicate r, std::span<const double> series,
                                   const std::vector<sim::Table>& tables,
                                   const std::vector<std::string>& fired_rules) {
  const std::size_t values = (std::size_t{steps_} + 1) * schema_->size();
  if (series.size() != values) {
    throw h5::H5Error(fmt::format("{}: replicate {} has {} series values, expected {}", group_.path(), r,
                                  series.size(), values));
  }
  fold_series(*schema_, series, steps_, per_year_, yearly_row_, totals_row_);
  const std::int64_t id = r;
  ids_.append(std::span<const std::int64_t>(&id, 1));
  series_.append(series);
  yearly_.append(yearly_row_);
  totals_.append(totals_row_);

  for (const sim::Table& t : tables) {
    auto it = tables_.find(t.name);
    if (it == tables_.end()) {
      TableSink sink{group_.group(t.name), {}, {}};
      if (!t.description.empty()) sink.group.attribute("description", t.description);
      sink.sinks.push_back(sink.group.appendable("replicate", {}, true, 4096, "", "Replicate of the row."));
      std::vector<std::string> names{"replicate"};
      for (const sim::Column& c : t.columns) {
        if (std::holds_alternative<std::vector<std::string>>(c.values)) {
          throw h5::H5Error(fmt::format("{}/{}: per-replicate tables hold numbers only (column {})",
                                        group_.path(), t.name, c.name));
        }
        const bool integer = std::holds_alternative<std::vector<std::int64_t>>(c.values);
        sink.sinks.push_back(sink.group.appendable(c.name, {}, integer, 4096, c.unit, c.description));
        sink.columns.push_back(c.name);
        names.push_back(c.name);
      }
      sink.group.attribute("columns", names);
      it = tables_.emplace(t.name, std::move(sink)).first;
    }
    TableSink& sink = it->second;
    if (t.columns.size() != sink.columns.size()) {
      throw h5::H5Error(fmt::format("{}/{}: replicate {} has {} columns, the first had {}", group_.path(),
                                    t.name, r, t.columns.size(), sink.columns.size()));
    }
    const std::vector<std::int64_t> replicate(t.rows(), static_cast<std::int64_t>(r));
    sink.sinks[0].append(std::span<const std::int64_t>(replicate));
    for (std::size_t k = 0; k < t.columns.size(); ++k) {
      const sim::Column& c = t.columns[k];
      if (c.name != sink.columns[k] || c.size() != t.rows()) {
        throw h5::H5Error(fmt::format("{}/{}: replicate {} column {} does not match the first replicate's",
                                      group_.path(), t.name, r, c.name));
      }
      std::visit(
          [&](const auto& v) {
            using V = std::decay_t<decltype(v)>;
            if constexpr (!std::is_same_v<V, std::vector<std::string>>) {
              sink.sinks[k + 1].append(std::span(v.data(), v.size()));
            }
          },
          c.values);
    }
  }
  for (const auto& rule : fired_rules) {
    rule_replicate_.push_back(r);
    rule_text_.push_back(rule);
  }
  ++replicates_;
}

void ScenarioWriter::finish() {
  sim::Table t{"rules_fired", "Adaptive programme rules that fired, per replicate, in order.", {}};
  t.add<std::int64_t>("replicate", "", "Replicate.") = rule_replicate_;
  t.add<std::string>("rule", "", "Year and rule name.") = rule_text_;
  group_.write(t);
  group_.attribute("replicates_written", static_cast<std::int64_t>(replicates_));
}

void check_result_format(const h5::Reader& file) {
  if (!file.has_attribute("/", "format") || file.text_attribute("/", "format") != "innosim-result") {
    throw h5::H5ReadError(
        fmt::format("{}: not an innosim result file (no format = innosim-result)", file.name()));
  }
  const double version =
      file.has_attribute("/", "format_version") ? file.number_attribute("/", "format_version") : 0;
  if (version != static_cast<double>(kResultFormatVersion)) {
    throw h5::H5ReadError(fmt::format(
        "{}: format_version {} is not {}, the version this innosim reads{}", file.name(), version,
        kResultFormatVersion, version > kResultFormatVersion ? " (written by a newer innosim?)" : ""));
  }
}

void write_provenance(const h5::Group& root, const Provenance& provenance) {
  root.attribute("format", std::string_view("innosim-result"));
  root.attribute("format_version", kResultFormatVersion);
  root.attribute("kind", std::string_view(provenance.kind));
  const h5::Group p = root.group("provenance");
  p.attribute("innosim_version", std::string_view(provenance.innosim_version));
  p.attribute("git_revision", std::string_view(provenance.git_revision));
  p.attribute("hdf5_version", std::string_view(h5::library_version()));
  for (const auto& [name, version] : provenance.libraries)
    p.attribute(name + "_version", std::string_view(version));
  for (const auto& [name, value] : provenance.facts) p.attribute(name, std::string_view(value));
}

void write_runtime(const h5::Group& root, const Runtime& runtime) {
  const h5::Group r = root.group("runtime");
  r.attribute("started_utc", std::string_view(runtime.started_utc));
  r.attribute("host", std::string_view(runtime.host));
  r.attribute("command_line", std::string_view(runtime.command_line));
  r.attribute("threads", runtime.threads);
  r.attribute("elapsed_seconds", runtime.elapsed_seconds);
}

ResultFile::ResultFile(std::filesystem::path path, const Provenance& provenance)
    : path_(std::move(path)), file_(path_) {
  write_provenance(file_.root(), provenance);
  scenarios_ = file_.root().group("scenarios");
}

ResultFile::~ResultFile() = default;

void ResultFile::world(const std::string& description, const std::vector<sim::Table>& tables) {
  const h5::Group w = file_.root().group("world");
  w.attribute("description", std::string_view(description));
  for (const auto& t : tables) w.write(t);
}

ScenarioWriter& ResultFile::scenario(const ScenarioInfo& info, const sim::IndicatorSchema& schema,
                                     sim::Step steps) {
  h5::Group g = scenarios_.group(info.name);
  order_.push_back(info.name);
  g.attribute("description", std::string_view(info.description));
  if (!info.description_nb.empty()) g.attribute("description_nb", std::string_view(info.description_nb));
  g.attribute("seed", static_cast<std::uint64_t>(info.seed));  // every 64-bit seed, unsigned
  g.attribute("replicates", info.replicates);
  g.attribute("years", info.years);
  g.attribute("warmup_years", info.warmup_years);
  g.attribute("months_per_year", static_cast<std::int64_t>(info.steps_per_year));
  g.attribute("warnings", info.warnings);
  g.attribute("warnings_nb", info.warnings_nb);
  write_scenario_files(g, "scenario", info.files,
                       "The scenario file as given, then the files it extends, in order.");
  g.write_text("scenario_resolved", info.resolved, "Every parameter's value as the run used it (YAML).");
  writers_.push_back(
      std::unique_ptr<ScenarioWriter>(new ScenarioWriter(std::move(g), schema, steps, info.steps_per_year)));
  return *writers_.back();
}

void ResultFile::tables(const std::string& name, const std::string& description,
                        const std::vector<sim::Table>& tables,
                        const std::vector<std::pair<std::string, std::string>>& attributes) {
  const h5::Group g = file_.root().group(name);
  if (!description.empty()) g.attribute("description", std::string_view(description));
  for (const auto& [key, value] : attributes) g.attribute(key, std::string_view(value));
  for (const auto& t : tables) g.write(t);
}

void ResultFile::commit(const Runtime& runtime) {
  for (auto& w : writers_) w->finish();
  scenarios_.attribute("order", order_);
  write_runtime(file_.root(), runtime);
  writers_.clear();
  scenarios_ = h5::Group();
  file_.commit();
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  std::array<char, 32> buffer{};
  const std::size_t n = std::strftime(buffer.data(), buffer.size(), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return std::string(buffer.data(), n);
}

std::string host_name() {
  std::array<char, 256> buffer{};
  if (::gethostname(buffer.data(), buffer.size() - 1) != 0) return "unknown";
  return std::string(buffer.data());
}

}  // namespace innosim::output
