// Loading programme scenarios through the parameter registry, with `extends`.
#include "tools/scenario/programme_scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <limits>
#include <sstream>

#include "tools/embedded.hpp"
#include "tools/scenario/reader.hpp"

namespace innosim::tools {

using models::forkommune::Params;
using models::forkommune::ParamSpec;
using models::forkommune::ParamType;
using models::forkommune::Rule;

namespace {

constexpr int kMaxExtendsDepth = 16;

std::vector<std::string> sections() {
  std::vector<std::string> out;
  for (const ParamSpec& s : models::forkommune::parameter_specs()) {
    const std::string section(s.key.substr(0, s.key.find('.')));
    if (std::find(out.begin(), out.end(), section) == out.end()) out.push_back(section);
  }
  return out;
}

std::vector<std::string> keys_of(const std::string& section) {
  std::vector<std::string> out;
  for (const ParamSpec& s : models::forkommune::parameter_specs()) {
    if (s.key.substr(0, s.key.find('.')) == section) out.emplace_back(s.key.substr(s.key.find('.') + 1));
  }
  return out;
}

[[noreturn]] void fail(const ConfigDocument& doc, const ConfigNode& at, std::string_view message) {
  throw ScenarioError(located(doc.source, at.pos, message));
}

}  // namespace

void set_parameter(const ConfigDocument& doc, const ParamSpec& spec, const ConfigNode& n, Params& params) {
  const std::string key(spec.key);
  const models::forkommune::ParamSlot slot = spec.slot(params);
  switch (spec.type) {
    case ParamType::kNumber:
      *std::get<double*>(slot) = scalar_number(doc.source, n, key);
      break;
    case ParamType::kInteger: {
      const std::uint64_t v = scalar_integer(doc.source, n, key);
      if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        fail(doc, n, fmt::format("{} = {} is too large", key, n.text));
      }
      *std::get<std::int64_t*>(slot) = static_cast<std::int64_t>(v);
      break;
    }
    case ParamType::kSeed:
      *std::get<sim::Seed*>(slot) = scalar_integer(doc.source, n, key);
      break;
    case ParamType::kBoolean:
      if (n.is_scalar() && !n.quoted && (n.text == "true" || n.text == "false")) {
        *std::get<bool*>(slot) = n.text == "true";
      } else {
        fail(doc, n, fmt::format("{} is {}; expected true or false", key, n.describe()));
      }
      break;
    case ParamType::kChoice: {
      if (!n.is_scalar())
        fail(doc, n,
             fmt::format("{} is {}; expected one of: {}", key, n.describe(), fmt::join(spec.choices, ", ")));
      if (std::find(spec.choices.begin(), spec.choices.end(), n.text) == spec.choices.end()) {
        const std::vector<std::string> names(spec.choices.begin(), spec.choices.end());
        const std::string guess = closest_match(n.text, names);
        fail(doc, n,
             fmt::format("{} = '{}' is not a known choice{}; expected one of: {}", key, n.text,
                         guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                         fmt::join(spec.choices, ", ")));
      }
      *std::get<std::string*>(slot) = n.text;
      break;
    }
    case ParamType::kText:
      if (!n.is_scalar()) fail(doc, n, fmt::format("{} is {}; expected text", key, n.describe()));
      *std::get<std::string*>(slot) = n.text;
      break;
    case ParamType::kNumberList: {
      if (!n.is_sequence())
        fail(doc, n,
             fmt::format("{} is {}; expected a list of numbers like [0.4, 0.7, 1]", key, n.describe()));
      std::vector<double> values;
      for (std::size_t i = 0; i < n.items.size(); ++i) {
        values.push_back(scalar_number(doc.source, n.items[i], fmt::format("{}[{}]", key, i)));
      }
      *std::get<std::vector<double>*>(slot) = std::move(values);
      break;
    }
  }
}

namespace {

std::vector<Rule> read_rules(const ConfigDocument& doc, const ConfigNode& node, ProgrammeScenario& out) {
  if (!node.is_sequence())
    fail(doc, node, fmt::format("rules is {}; expected a list of rules", node.describe()));
  std::vector<Rule> rules;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string path = fmt::format("rules[{}]", i);
    KeyPositions positions;
    MapReader r(doc, node.items[i], path, &positions);
    Rule rule;
    rule.name = r.text("name");
    const std::uint64_t from = r.integer("from_year", 1);
    rule.from_year = static_cast<int>(std::min<std::uint64_t>(from, 100000));
    MapReader when = r.map("when");
    rule.indicator = when.text("indicator");
    const bool below = when.has("below");
    const bool above = when.has("above");
    if (below == above) {
      when.fail_missing({"below", "above"},
                        fmt::format("{}.when needs exactly one of below and above", path));
    }
    rule.below = below;
    rule.threshold = when.number(below ? "below" : "above");
    when.finish();
    MapReader set = r.map("set");
    rule.key = set.text("key");
    rule.value = set.number("value");
    set.finish();
    rule.once = r.boolean("once", true);
    r.finish();
    for (const auto& [key, pos] : positions) out.positions[key] = {doc.source, pos};
    // ParamError keys for rules name the YAML paths below.
    out.positions[path + ".indicator"] = {doc.source, positions.count(path + ".when.indicator")
                                                          ? positions[path + ".when.indicator"]
                                                          : node.items[i].pos};
    out.positions[path + ".set"] = {
        doc.source, positions.count(path + ".set.key") ? positions[path + ".set.key"] : node.items[i].pos};
    out.positions[path + ".value"] = {doc.source, positions.count(path + ".set.value")
                                                      ? positions[path + ".set.value"]
                                                      : node.items[i].pos};
    rules.push_back(std::move(rule));
  }
  return rules;
}

// "2017-06": a calendar year and month.
models::forkommune::NationalProgramme::Date read_date(const ConfigDocument& doc, const ConfigNode& n,
                                                      const std::string& path) {
  const std::string_view t = n.is_scalar() ? std::string_view(n.text) : std::string_view();
  std::int64_t year = 0, month = 0;
  bool ok = n.is_scalar() && t.size() == 7 && t[4] == '-';
  for (std::size_t i = 0; ok && i < 7; ++i) {
    if (i == 4) continue;
    ok = t[i] >= '0' && t[i] <= '9';
  }
  if (ok) {
    year = std::stoll(std::string(t.substr(0, 4)));
    month = std::stoll(std::string(t.substr(5, 2)));
    ok = month >= 1 && month <= 12;
  }
  if (!ok) {
    fail(doc, n,
         fmt::format("{} is {}; expected a year and month such as 2017-06", path,
                     n.is_scalar() ? fmt::format("'{}'", n.text) : n.describe()));
  }
  return {year, month};
}

// A national programme (DOMAIN.md §5.9); docs/programme-scenarios.md shows the layout.
models::forkommune::NationalProgramme read_national(const ConfigDocument& doc, const ConfigNode& node,
                                                    const std::string& path, KeyPositions& positions) {
  models::forkommune::NationalProgramme np;
  MapReader r(doc, node, path, &positions);
  np.name = r.text("name");
  {
    MapReader in = r.map("innovation");
    const auto domains = models::forkommune::domain_names();
    const std::vector<std::string> domain_list(domains.begin(), domains.end());
    // The domain and the types say what the innovation is: no default stands in for them.
    if (!in.has("domain")) in.fail_missing({"domain"}, fmt::format("{}.innovation.domain is required", path));
    if (!in.has("types")) in.fail_missing({"types"}, fmt::format("{}.innovation.types is required", path));
    if (const ConfigNode* d = in.node("domain")) {
      if (!d->is_scalar() ||
          std::find(domain_list.begin(), domain_list.end(), d->text) == domain_list.end()) {
        const std::string guess = d->is_scalar() ? closest_match(d->text, domain_list) : "";
        in.fail_at(*d, fmt::format("{}.innovation.domain is {}{}; expected one of: {}", path,
                                   d->is_scalar() ? fmt::format("'{}'", d->text) : d->describe(),
                                   guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                                   fmt::join(domain_list, ", ")));
      }
      np.domain = d->text;
    }
    if (in.has("types")) {
      np.types = in.text_list("types");
      const auto types = models::forkommune::type_names();
      const std::vector<std::string> type_list(types.begin(), types.end());
      const ConfigNode& list = *in.node("types");
      for (std::size_t k = 0; k < np.types.size(); ++k) {
        if (std::find(type_list.begin(), type_list.end(), np.types[k]) == type_list.end()) {
          const std::string guess = closest_match(np.types[k], type_list);
          in.fail_at(
              list.items[k],
              fmt::format("{}.innovation.types[{}] = '{}' is not a type{}; expected any of: {}", path, k,
                          np.types[k], guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                          fmt::join(type_list, ", ")));
        }
      }
    }
    np.complexity_months = in.number("complexity_months", np.complexity_months);
    np.benefit = in.number("benefit", np.benefit);
    np.documented = in.boolean("documented", np.documented);
    np.actively_spread = in.boolean("actively_spread", np.actively_spread);
    np.research_backed = in.boolean("research_backed", np.research_backed);
    np.half_life_years = in.number("half_life_years", np.half_life_years);
    in.finish();
  }
  {
    MapReader dev = r.map("development");
    const ConfigNode* who = dev.node("municipalities");
    if (who == nullptr)
      dev.fail_missing({"municipalities"}, fmt::format("{}.development.municipalities is required "
                                                       "(a number, or a list of codes)",
                                                       path));
    if (who->is_sequence()) {
      np.development_codes = dev.text_list("municipalities");
    } else {
      const std::uint64_t n = scalar_integer(doc.source, *who, path + ".development.municipalities");
      np.development_count = static_cast<std::int64_t>(std::min<std::uint64_t>(n, 10000000));
    }
    const ConfigNode* start = dev.node("start");
    if (start == nullptr) dev.fail_missing({"start"}, fmt::format("{}.development.start is required", path));
    np.development_start = read_date(doc, *start, path + ".development.start");
    const ConfigNode* end = dev.node("end");
    np.development_end =
        end != nullptr ? read_date(doc, *end, path + ".development.end") : np.development_start;
    dev.finish();
  }
  {
    MapReader spread = r.map("spread");
    const ConfigNode* start = spread.node("start");
    if (start == nullptr) spread.fail_missing({"start"}, fmt::format("{}.spread.start is required", path));
    np.spread_start = read_date(doc, *start, path + ".spread.start");
    np.order = spread.choice<std::string>(
        "order", {{"interest", "interest"}, {"largest", "largest"}, {"random", "random"}}, np.order);
    if (const ConfigNode* waves = spread.node("enrolment")) {
      if (!waves->is_sequence())
        fail(doc, *waves,
             fmt::format("{}.spread.enrolment is {}; expected a list of {{date, municipalities}}", path,
                         waves->describe()));
      for (std::size_t k = 0; k < waves->items.size(); ++k) {
        const std::string at = fmt::format("{}.spread.enrolment[{}]", path, k);
        positions[at] = waves->items[k].pos;
        MapReader w(doc, waves->items[k], at, &positions);
        models::forkommune::NationalProgramme::Wave wave;
        const ConfigNode* date = w.node("date");
        if (date == nullptr) w.fail_missing({"date"}, fmt::format("{}.date is required", at));
        wave.date = read_date(doc, *date, at + ".date");
        const ConfigNode* count = w.node("municipalities");
        if (count == nullptr)
          w.fail_missing({"municipalities"}, fmt::format("{}.municipalities is required", at));
        if (count->is_scalar() && !count->quoted && count->text == "all") {
          wave.municipalities = std::numeric_limits<std::int32_t>::max();
        } else {
          wave.municipalities = static_cast<std::int64_t>(
              std::min<std::uint64_t>(scalar_integer(doc.source, *count, at + ".municipalities"), 10000000));
        }
        w.finish();
        np.waves.push_back(wave);
      }
    }
    spread.finish();
  }
  if (auto brings = r.optional_map("brings")) {
    np.guidance = brings->number("guidance", 0);
    np.learning_network = brings->number("learning_network", 0);
    np.competence_tools = brings->number("competence_tools", 0);
    np.money_mnok_per_municipality = brings->number("money_mnok_per_municipality", 0);
    brings->finish();
  }
  np.mandate_year = static_cast<std::int64_t>(std::min<std::uint64_t>(r.integer("mandate_year", 0), 100000));
  r.finish();
  return np;
}

std::vector<models::forkommune::NationalProgramme> read_nationals(const ConfigDocument& doc,
                                                                  const ConfigNode& node,
                                                                  ProgrammeScenario& out) {
  if (!node.is_sequence())
    fail(doc, node,
         fmt::format("national_programmes is {}; expected a list of national programmes", node.describe()));
  std::vector<models::forkommune::NationalProgramme> list;
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string path = fmt::format("national_programmes[{}]", i);
    KeyPositions positions;
    positions[path] = node.items[i].pos;
    list.push_back(read_national(doc, node.items[i], path, positions));
    for (const auto& [key, pos] : positions) out.positions[key] = {doc.source, pos};
  }
  return list;
}

// Finds the base a document extends: a file next to it, else an embedded scenario.
ConfigDocument base_document(const std::string& name, const std::string& directory, const ConfigDocument& doc,
                             const ConfigNode& at) {
  // A built-in scenario may be named with or without ".yaml" ("extends: baseline"), as sweeps do.
  std::filesystem::path given(name);
  const std::filesystem::path local = given.is_absolute() ? given : std::filesystem::path(directory) / given;
  std::error_code ec;
  if (std::filesystem::is_regular_file(local, ec)) return load_yaml_file(local.lexically_normal().string());
  if (!given.has_extension()) given += ".yaml";
  const std::filesystem::path local_yaml =
      given.is_absolute() ? given : std::filesystem::path(directory) / given;
  if (std::filesystem::is_regular_file(local_yaml, ec))
    return load_yaml_file(local_yaml.lexically_normal().string());
  const std::string embedded = "scenarios/forkommune/" + given.filename().string();
  if (const auto text = embedded_file(embedded))
    return parse_yaml(std::string(*text), "(embedded) " + embedded);
  fail(doc, at,
       fmt::format("extends: '{}' is neither a file next to this scenario ({}) nor a scenario built into "
                   "innosim (see `innosim scenario list`)",
                   name, local.lexically_normal().string()));
}

void apply(const ConfigDocument& doc, const std::string& directory, ProgrammeScenario& out, int depth) {
  if (depth > kMaxExtendsDepth) {
    throw ScenarioError(
        located(doc.source, doc.root.pos, "extends: the chain of base scenarios is too long (a cycle?)"));
  }
  if (!doc.root.is_map())
    fail(doc, doc.root, fmt::format("the file is {}; expected a map of scenario keys", doc.root.describe()));
  for (const std::string& seen : out.chain) {
    if (seen == doc.source) {
      throw ScenarioError(located(
          doc.source, doc.root.pos,
          fmt::format("extends: '{}' extends itself through {}", doc.source, fmt::join(out.chain, " -> "))));
    }
  }
  out.chain.push_back(doc.source);
  if (const ConfigNode* ext = doc.root.find("extends")) {
    if (!ext->is_scalar())
      fail(doc, *ext, fmt::format("extends is {}; expected the name of a scenario file", ext->describe()));
    const ConfigDocument base = base_document(ext->text, directory, doc, *ext);
    const std::string base_dir = base.source.starts_with("(embedded)")
                                     ? directory
                                     : std::filesystem::path(base.source).parent_path().string();
    apply(base, base_dir, out, depth + 1);
  }
  const std::vector<std::string> known_sections = sections();
  std::vector<std::string> top = {"description", "description_nb", "extends", "rules", "national_programmes"};
  top.insert(top.end(), known_sections.begin(), known_sections.end());
  for (std::size_t k = 0; k < doc.root.keys.size(); ++k) {
    const ConfigNode& key = doc.root.keys[k];
    const ConfigNode& value = doc.root.items[k];
    if (key.text == "description") {
      if (!value.is_scalar()) fail(doc, value, "description must be text");
      out.description = value.text;
      const ConfigNode* nb = doc.root.find("description_nb");
      out.description_nb = nb != nullptr && nb->is_scalar() ? nb->text : std::string();
      continue;
    }
    if (key.text == "description_nb") {
      if (!value.is_scalar()) fail(doc, value, "description_nb must be text");
      if (doc.root.find("description") == nullptr)
        fail(doc, key, "description_nb translates this file's description; give description too");
      continue;
    }
    if (key.text == "extends") continue;
    if (key.text == "rules") {
      out.params.rules = read_rules(doc, value, out);
      out.positions["rules"] = {doc.source, key.pos};
      continue;
    }
    if (key.text == "national_programmes") {
      out.params.national_programmes = read_nationals(doc, value, out);
      out.positions["national_programmes"] = {doc.source, key.pos};
      continue;
    }
    if (std::find(known_sections.begin(), known_sections.end(), key.text) == known_sections.end()) {
      const std::string guess = closest_match(key.text, top);
      fail(doc, key,
           fmt::format("unknown key '{}'{}; known keys here: {}", key.text,
                       guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                       fmt::join(top, ", ")));
    }
    if (!value.is_map())
      fail(doc, value, fmt::format("{} is {}; expected a map of keys", key.text, value.describe()));
    const std::vector<std::string> names = keys_of(key.text);
    for (std::size_t j = 0; j < value.keys.size(); ++j) {
      const ConfigNode& name = value.keys[j];
      const std::string full = key.text + "." + name.text;
      const ParamSpec* spec = models::forkommune::find_parameter(full);
      if (spec == nullptr) {
        const std::string guess = closest_match(name.text, names);
        fail(doc, name,
             fmt::format("unknown key '{}' in '{}'{}; see `innosim scenario show baseline --resolved` for "
                         "every key",
                         name.text, key.text,
                         guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess)));
      }
      set_parameter(doc, *spec, value.items[j], out.params);
      out.positions[full] = {doc.source, value.items[j].pos};
      out.positions[key.text] = {doc.source, key.pos};
    }
  }
}

std::string format_value(const ParamSpec& spec, Params& p) {
  const models::forkommune::ParamSlot slot = spec.slot(p);
  switch (spec.type) {
    case ParamType::kNumber:
      return fmt::format("{}", *std::get<double*>(slot));
    case ParamType::kInteger:
      return fmt::format("{}", *std::get<std::int64_t*>(slot));
    case ParamType::kSeed:
      return fmt::format("{}", *std::get<sim::Seed*>(slot));
    case ParamType::kBoolean:
      return *std::get<bool*>(slot) ? "true" : "false";
    case ParamType::kChoice:
      return *std::get<std::string*>(slot);
    case ParamType::kText: {
      std::string out = "\"";
      for (const char c : *std::get<std::string*>(slot)) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
      }
      return out + "\"";
    }
    case ParamType::kNumberList:
      return fmt::format("[{}]", fmt::join(*std::get<std::vector<double>*>(slot), ", "));
  }
  return "";
}

}  // namespace

bool is_classic_scenario(const ConfigDocument& doc) {
  return doc.root.is_map() && doc.root.find("model") != nullptr;
}

ProgrammeScenario load_programme_scenario(const ConfigDocument& document, const std::string& directory) {
  ProgrammeScenario out;
  out.source = document.source;
  out.directory = directory;
  std::string stem = std::filesystem::path(document.source).stem().string();
  out.name = stem;
  apply(document, directory, out, 0);
  if (!document.root.find("description")) {
    throw ScenarioError(
        located(document.source, document.root.pos,
                "description is required: say in plain words what this scenario is and how it "
                "differs from its base"));
  }
  try {
    models::forkommune::validate(out.params);
  } catch (const sim::ParamError& e) {
    rethrow_located(e, out);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> scenario_files(const ProgrammeScenario& scenario) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const std::string& entry : scenario.chain) {
    std::string text = entry.starts_with("(embedded) ")
                           ? std::string(embedded_file(entry.substr(11)).value_or(""))
                           : load_yaml_file(entry).text;
    files.emplace_back(entry, std::move(text));
  }
  return files;
}

ProgrammeScenario load_programme_scenario(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    const std::string name = std::filesystem::path(path).stem().string();
    const std::string embedded = "scenarios/forkommune/" + name + ".yaml";
    if (const auto text = embedded_file(embedded); text && path.find('/') == std::string::npos) {
      return load_programme_scenario(parse_yaml(std::string(*text), "(embedded) " + embedded), ".");
    }
  }
  ConfigDocument doc = load_yaml_file(path);
  return load_programme_scenario(doc, std::filesystem::path(path).parent_path().string());
}

// An error's key names one parameter, several ("a,b") or a family ("programme.share_*", for
// a constraint over several keys). The error points at the one of them set last: in the file
// latest in the extends chain (the variant a user just edited), and there at the lowest line.
void rethrow_located(const sim::ParamError& error, const ProgrammeScenario& scenario) {
  // scenario.chain lists the file itself first and its most distant base last.
  const std::pair<std::string, Position>* best = nullptr;
  std::size_t best_rank = 0;
  auto consider = [&](const std::pair<std::string, Position>& where) {
    const auto rank = static_cast<std::size_t>(
        std::find(scenario.chain.begin(), scenario.chain.end(), where.first) - scenario.chain.begin());
    if (best == nullptr || rank < best_rank || (rank == best_rank && where.second.line < best->second.line)) {
      best = &where;
      best_rank = rank;
    }
  };
  std::string_view keys = error.key();
  while (!keys.empty()) {
    const std::size_t comma = keys.find(',');
    const std::string_view key = keys.substr(0, comma);
    keys = comma == std::string_view::npos ? std::string_view{} : keys.substr(comma + 1);
    if (key.ends_with('*')) {
      const std::string_view prefix = key.substr(0, key.size() - 1);
      for (auto it = scenario.positions.lower_bound(prefix);
           it != scenario.positions.end() && std::string_view(it->first).starts_with(prefix); ++it) {
        consider(it->second);
      }
    } else if (const auto it = scenario.positions.find(key); it != scenario.positions.end()) {
      consider(it->second);
    }
  }
  if (best != nullptr) throw ScenarioError(located(best->first, best->second, error.what()));
  throw ScenarioError(located(scenario.source, {}, error.what()));
}

std::string resolved_yaml(const ProgrammeScenario& scenario) {
  Params p = scenario.params;
  std::ostringstream out;
  out << "# Resolved scenario '" << scenario.name << "': every parameter with the value a run uses.\n";
  out << "# Built from: " << fmt::format("{}", fmt::join(scenario.chain, " <- ")) << "\n";
  out << "description: \"";
  for (const char c : scenario.description) {
    if (c == '"' || c == '\\') out << '\\';
    out << (c == '\n' ? ' ' : c);
  }
  out << "\"\n";
  std::string section;
  for (const ParamSpec& spec : models::forkommune::parameter_specs()) {
    const std::string s(spec.key.substr(0, spec.key.find('.')));
    if (s != section) {
      section = s;
      out << section << ":\n";
    }
    out << "  " << spec.key.substr(spec.key.find('.') + 1) << ": " << format_value(spec, p);
    if (!spec.unit.empty()) out << "  # " << spec.unit;
    out << "\n";
  }
  if (!p.national_programmes.empty()) {
    auto date = [](const models::forkommune::NationalProgramme::Date& d) {
      return fmt::format("{}-{:02}", d.year, d.month);
    };
    out << "national_programmes:\n";
    for (const auto& np : p.national_programmes) {
      out << fmt::format("  - name: {}\n    innovation:\n      domain: {}\n      types: [{}]\n", np.name,
                         np.domain, fmt::join(np.types, ", "));
      out << fmt::format("      complexity_months: {}\n      benefit: {}\n      documented: {}\n",
                         np.complexity_months, np.benefit, np.documented);
      out << fmt::format("      actively_spread: {}\n      research_backed: {}\n      half_life_years: {}\n",
                         np.actively_spread, np.research_backed, np.half_life_years);
      out << "    development:\n";
      if (np.development_codes.empty()) {
        out << fmt::format("      municipalities: {}\n", np.development_count);
      } else {
        std::vector<std::string> quoted;
        for (const auto& c : np.development_codes) quoted.push_back("\"" + c + "\"");
        out << fmt::format("      municipalities: [{}]\n", fmt::join(quoted, ", "));
      }
      out << fmt::format("      start: {}\n      end: {}\n", date(np.development_start),
                         date(np.development_end));
      out << fmt::format("    spread:\n      start: {}\n      order: {}\n", date(np.spread_start), np.order);
      if (!np.waves.empty()) {
        out << "      enrolment:\n";
        for (const auto& w : np.waves)
          out << fmt::format("        - {{date: {}, municipalities: {}}}\n", date(w.date), w.municipalities);
      }
      out << fmt::format(
          "    brings:\n      guidance: {}\n      learning_network: {}\n      competence_tools: {}\n",
          np.guidance, np.learning_network, np.competence_tools);
      out << fmt::format("      money_mnok_per_municipality: {}\n    mandate_year: {}\n",
                         np.money_mnok_per_municipality, np.mandate_year);
    }
  }
  if (!p.rules.empty()) {
    out << "rules:\n";
    for (const Rule& r : p.rules) {
      out << fmt::format("  - name: \"{}\"\n    from_year: {}\n    when: {{indicator: {}, {}: {}}}\n", r.name,
                         r.from_year, r.indicator, r.below ? "below" : "above", r.threshold);
      out << fmt::format("    set: {{key: {}, value: {}}}\n    once: {}\n", r.key, r.value,
                         r.once ? "true" : "false");
    }
  }
  return out.str();
}

std::string parameters_markdown() {
  Params defaults;
  std::ostringstream out;
  out << "# Parameters of the programme model\n\n"
      << "Generated by `innosim scenario parameters` from models/forkommune/params.cpp; CI checks that this "
         "file is\n"
      << "up to date. Every key can be set in a scenario under its section; `est.` marks a starting "
         "estimate,\n"
      << "see docs/calibration.md for the values calibration settled on.\n";
  std::string section;
  for (const ParamSpec& spec : models::forkommune::parameter_specs()) {
    const std::string s(spec.key.substr(0, spec.key.find('.')));
    if (s != section) {
      section = s;
      out << "\n## " << section
          << "\n\n| key | default | range | unit | meaning | source or reason |\n|---|---|---|---|---|---|\n";
    }
    std::string range;
    switch (spec.type) {
      case ParamType::kNumber:
      case ParamType::kInteger:
      case ParamType::kNumberList:
        range = fmt::format("[{}, {}]", spec.min, spec.max);
        break;
      case ParamType::kChoice:
        range = fmt::format("{}", fmt::join(spec.choices, ", "));
        break;
      case ParamType::kBoolean:
        range = "true, false";
        break;
      case ParamType::kSeed:
        range = "[0, 2^64)";
        break;
      case ParamType::kText:
        range = "text";
        break;
    }
    std::string value = format_value(spec, defaults);
    if (value == "\"\"") value = "(empty)";
    out << fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", spec.key.substr(spec.key.find('.') + 1), value,
                       range, spec.unit, spec.description, spec.source);
  }
  return out.str();
}

}  // namespace innosim::tools
