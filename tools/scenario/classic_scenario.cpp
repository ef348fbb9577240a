// Loading and writing classic-model scenarios.
#include "tools/scenario/classic_scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace innosim::tools {
namespace {

using models::BarabasiAlbertParams;
using models::BassParams;
using models::CompleteGraphParams;
using models::EdgeListFileParams;
using models::ErdosRenyiGnmParams;
using models::ErdosRenyiGnpParams;
using models::IndependentCascadeParams;
using models::LinearThresholdParams;
using models::RandomGeometricParams;
using models::SeedingParams;
using models::SiParams;
using models::StochasticBlockParams;
using models::WattsStrogatzParams;
using models::WattsThresholdParams;

// Largest values accepted before anything is built: beyond these a run cannot be meant.
constexpr std::uint64_t kMaxNodes = 2'000'000'000;
constexpr std::uint64_t kMaxSteps = 10'000'000;

sim::AgentId node_count(MapReader& r, std::string_view key = "nodes") {
  const std::uint64_t n = r.integer(key);
  if (n > kMaxNodes) {
    r.fail(key, fmt::format("{} = {} is absurdly large; at most {} nodes", r.key_path(key), n, kMaxNodes));
  }
  return static_cast<sim::AgentId>(n);
}

std::uint32_t small_count(MapReader& r, std::string_view key) {
  const std::uint64_t v = r.integer(key);
  if (v > 0xFFFFFFFFULL) {
    r.fail(key, fmt::format("{} = {} is too large", r.key_path(key), v));
  }
  return static_cast<std::uint32_t>(v);
}

void forbid(MapReader& r, std::string_view key, std::string_view why) {
  if (r.has(key)) {
    r.fail(key, fmt::format("{} {}", r.key_path(key), why));
  }
}

models::ModelParams read_model(MapReader r) {
  const std::string type = r.text("type");
  static const std::vector<std::string> kTypes = {"bass", "si", "independent_cascade", "linear_threshold",
                                                  "watts_threshold"};
  models::ModelParams out;
  if (type == "bass") {
    BassParams p;
    p.p_innovation_per_step = r.number("p_innovation_per_step", p.p_innovation_per_step);
    p.q_imitation_per_step = r.number("q_imitation_per_step", p.q_imitation_per_step);
    p.step_rule = r.choice("step_rule",
                           {std::pair{"exact", BassParams::StepRule::kExact},
                            std::pair{"constant_hazard", BassParams::StepRule::kConstantHazard}},
                           p.step_rule);
    out = p;
  } else if (type == "si") {
    SiParams p;
    p.p_transmit_per_step = r.number("p_transmit_per_step", p.p_transmit_per_step);
    out = p;
  } else if (type == "independent_cascade") {
    using T = IndependentCascadeParams::Transmission;
    IndependentCascadeParams p;
    p.transmission = r.choice("transmission",
                              {std::pair{"uniform", T::kUniform}, std::pair{"edge_weight", T::kEdgeWeight},
                               std::pair{"weighted_cascade", T::kWeightedCascade}},
                              p.transmission);
    if (p.transmission == T::kUniform) {
      p.p_transmit = r.number("p_transmit", p.p_transmit);
    } else {
      forbid(r, "p_transmit", "is only used with transmission: uniform; remove it");
    }
    out = p;
  } else if (type == "linear_threshold") {
    using Th = LinearThresholdParams::Thresholds;
    using W = LinearThresholdParams::Weights;
    LinearThresholdParams p;
    p.thresholds = r.choice(
        "thresholds", {std::pair{"uniform", Th::kUniform}, std::pair{"fixed", Th::kFixed}}, p.thresholds);
    if (p.thresholds == Th::kFixed) {
      p.threshold_fraction = r.number("threshold_fraction");
    } else {
      forbid(r, "threshold_fraction",
             "is only used with thresholds: fixed (uniform thresholds are drawn from U[0, 1])");
    }
    p.weights =
        r.choice("weights", {std::pair{"uniform", W::kUniform}, std::pair{"layer", W::kLayer}}, p.weights);
    out = p;
  } else if (type == "watts_threshold") {
    WattsThresholdParams p;
    p.threshold_fraction = r.number("threshold_fraction", p.threshold_fraction);
    p.threshold_sd = r.number("threshold_sd", p.threshold_sd);
    out = p;
  } else {
    const std::string guess = closest_match(type, kTypes);
    r.fail("type", fmt::format("model.type = '{}' is not a known model{}; expected one of: {}", type,
                               guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                               fmt::join(kTypes, ", ")));
  }
  r.finish();
  return out;
}

models::GraphParams read_graph(MapReader& r, const std::filesystem::path& scenario_dir) {
  const std::string type = r.text("type");
  static const std::vector<std::string> kTypes = {"erdos_renyi_gnp", "erdos_renyi_gnm",  "barabasi_albert",
                                                  "watts_strogatz",  "stochastic_block", "random_geometric",
                                                  "complete",        "edge_list"};
  models::GraphParams out;
  if (type == "erdos_renyi_gnp") {
    ErdosRenyiGnpParams p;
    p.nodes = node_count(r);
    p.directed = r.boolean("directed", false);
    const auto probability = r.optional_number("edge_probability");
    const auto mean_degree = r.optional_number("mean_degree");
    if (probability.has_value() == mean_degree.has_value()) {
      if (probability) {
        r.fail("mean_degree",
               "graph: erdos_renyi_gnp needs exactly one of graph.edge_probability and graph.mean_degree, "
               "not both");
      }
      r.fail_missing(
          {"edge_probability", "mean_degree"},
          "graph: erdos_renyi_gnp needs exactly one of graph.edge_probability and graph.mean_degree");
    }
    if (mean_degree) {
      const double n = p.nodes;
      if (!(*mean_degree >= 0.0 && *mean_degree <= n - 1)) {
        r.fail("mean_degree",
               fmt::format("graph.mean_degree = {}, must be in [0, nodes - 1 = {}]", *mean_degree, n - 1));
      }
      p.edge_probability = p.nodes > 1 ? *mean_degree / (n - 1) : 0.0;
    } else {
      p.edge_probability = *probability;
    }
    out = p;
  } else if (type == "erdos_renyi_gnm") {
    ErdosRenyiGnmParams p;
    p.nodes = node_count(r);
    p.edges = r.integer("edges");
    p.directed = r.boolean("directed", false);
    out = p;
  } else if (type == "barabasi_albert") {
    BarabasiAlbertParams p;
    p.nodes = node_count(r);
    p.edges_per_node = small_count(r, "edges_per_node");
    out = p;
  } else if (type == "watts_strogatz") {
    WattsStrogatzParams p;
    p.nodes = node_count(r);
    p.neighbours = small_count(r, "neighbours");
    p.rewire_probability = r.number("rewire_probability");
    out = p;
  } else if (type == "stochastic_block") {
    StochasticBlockParams p;
    p.block_sizes.clear();
    for (const std::uint64_t s : r.integer_list("block_sizes")) {
      if (s > kMaxNodes)
        r.fail("block_sizes", fmt::format("graph.block_sizes: a block of {} nodes is absurdly large", s));
      p.block_sizes.push_back(static_cast<sim::AgentId>(s));
    }
    const ConfigNode* matrix = r.node("edge_probabilities");
    if (matrix == nullptr) {
      r.fail_missing({"edge_probabilities"},
                     "graph.edge_probabilities is required: a list of rows, e.g. [[0.1, 0.01], [0.01, 0.1]]");
    }
    if (!matrix->is_sequence()) {
      r.fail("edge_probabilities",
             "graph.edge_probabilities must be a list of rows, e.g. [[0.1, 0.01], [0.01, 0.1]]");
    }
    p.edge_probabilities.clear();
    for (std::size_t a = 0; a < matrix->items.size(); ++a) {
      const ConfigNode& row = matrix->items[a];
      if (!row.is_sequence()) {
        r.fail_at(row, fmt::format("graph.edge_probabilities[{}] is {}; expected a list of probabilities", a,
                                   row.describe()));
      }
      std::vector<double> values;
      for (std::size_t b = 0; b < row.items.size(); ++b) {
        values.push_back(
            scalar_number(r.source(), row.items[b], fmt::format("graph.edge_probabilities[{}][{}]", a, b)));
      }
      p.edge_probabilities.push_back(std::move(values));
    }
    p.directed = r.boolean("directed", false);
    out = p;
  } else if (type == "random_geometric") {
    RandomGeometricParams p;
    p.nodes = node_count(r);
    p.radius = r.number("radius");
    p.torus = r.boolean("torus", false);
    out = p;
  } else if (type == "complete") {
    CompleteGraphParams p;
    p.nodes = node_count(r);
    out = p;
  } else if (type == "edge_list") {
    using Ids = EdgeListFileParams::Ids;
    using D = EdgeListFileParams::Delimiter;
    EdgeListFileParams p;
    const std::string path = r.text("path");
    // Relative paths are relative to the scenario file, so scenarios travel with their data.
    const std::filesystem::path given(path);
    p.path = given.is_absolute()
                 ? path
                 : std::filesystem::absolute(scenario_dir / given).lexically_normal().string();
    p.directed = r.boolean("directed", false);
    p.header = r.boolean("header", false);
    p.weighted = r.boolean("weighted", false);
    p.ids = r.choice("ids", {std::pair{"integer", Ids::kInteger}, std::pair{"label", Ids::kLabel}},
                     Ids::kInteger);
    p.delimiter = r.choice("delimiter",
                           {std::pair{"auto", D::kAuto}, std::pair{"comma", D::kComma},
                            std::pair{"tab", D::kTab}, std::pair{"whitespace", D::kWhitespace}},
                           D::kAuto);
    if (r.has("nodes")) {
      p.nodes = node_count(r);
    }
    out = p;
  } else {
    const std::string guess = closest_match(type, kTypes);
    r.fail("type", fmt::format("graph.type = '{}' is not a known graph{}; expected one of: {}", type,
                               guess.empty() ? "" : fmt::format(" (did you mean '{}'?)", guess),
                               fmt::join(kTypes, ", ")));
  }
  return out;
}

SeedingParams read_seeding(MapReader r, const std::filesystem::path& scenario_dir) {
  using S = SeedingParams::Strategy;
  SeedingParams p;
  p.strategy = r.choice(
      "strategy", {std::pair{"random", S::kRandom}, std::pair{"top_degree", S::kTopDegree},
                   std::pair{"ids", S::kIds}, std::pair{"file", S::kFile}, std::pair{"none", S::kNone}});
  if (p.strategy == S::kFile) {
    if (r.has("ids"))
      r.fail("ids", "seeding.ids is for strategy 'ids'; strategy 'file' reads the ids from seeding.path");
    // Relative to the scenario file, like edge lists.
    const std::filesystem::path given(r.text("path"));
    models::load_seed_file(given.is_absolute()
                               ? given.string()
                               : std::filesystem::absolute(scenario_dir / given).lexically_normal().string(),
                           p);
  } else if (r.has("path")) {
    r.fail("path", fmt::format("seeding.path is only used with strategy 'file', not '{}'",
                               models::seeding_strategy_name(p.strategy)));
  }
  p.count = r.optional_integer("count");
  p.fraction = r.optional_number("fraction");
  if (r.has("ids")) {
    for (const std::uint64_t id : r.integer_list("ids")) {
      if (id >= sim::kNoAgent) r.fail("ids", fmt::format("seeding.ids: {} is not a valid node id", id));
      p.ids.push_back(static_cast<sim::AgentId>(id));
    }
  }
  r.finish();
  return p;
}

std::string yaml_text(std::string_view s) {
  // Double-quoted YAML string with the escapes YAML needs.
  std::string out = "\"";
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += c;
    }
  }
  return out + "\"";
}

}  // namespace

ClassicScenario load_classic_scenario(ConfigDocument document) {
  ClassicScenario scenario;
  scenario.document = std::move(document);
  const ConfigDocument& doc = scenario.document;
  MapReader root(doc, doc.root, "", &scenario.positions);
  models::ClassicSpec& spec = scenario.spec;
  spec.name = std::filesystem::path(doc.source).stem().string();
  spec.description = root.text("description", "");
  spec.model = read_model(root.map("model"));
  {
    MapReader g = root.map("graph");
    spec.graph = read_graph(g, std::filesystem::path(doc.source).parent_path());
    spec.resample_graph = g.boolean("resample_per_replicate", false);
    g.finish();
  }
  if (auto seeding = root.optional_map("seeding")) {
    spec.seeding = read_seeding(*seeding, std::filesystem::path(doc.source).parent_path());
  } else {
    spec.seeding = models::default_seeding(spec.model);
  }
  {
    MapReader run = root.map("run");
    spec.seed = run.integer("seed");
    const std::uint64_t replicates = run.integer("replicates");
    if (replicates < 1 || replicates > std::uint64_t{sim::kMaxReplicate} + 1) {
      run.fail("replicates", fmt::format("run.replicates = {}, must be in [1, {}]", replicates,
                                         std::uint64_t{sim::kMaxReplicate} + 1));
    }
    spec.replicates = static_cast<sim::Replicate>(replicates);
    const std::uint64_t steps = run.integer("steps");
    if (steps < 1 || steps > kMaxSteps) {
      run.fail("steps", fmt::format("run.steps = {}, must be in [1, {}]", steps, kMaxSteps));
    }
    spec.steps = static_cast<sim::Step>(steps);
    run.finish();
  }
  root.finish();
  check_classic_scenario(scenario);
  return scenario;
}

ClassicScenario load_classic_scenario_file(const std::string& path) {
  return load_classic_scenario(load_yaml_file(path));
}

[[noreturn]] void rethrow_located(const sim::ParamError& error, const ClassicScenario& scenario) {
  Position pos;
  if (const auto it = scenario.positions.find(error.key()); it != scenario.positions.end()) {
    pos = it->second;
  } else if (const auto dot = error.key().find('.'); dot != std::string::npos) {
    // A key that was left at its default: point at the section it belongs to.
    if (const auto sec = scenario.positions.find(error.key().substr(0, dot));
        sec != scenario.positions.end()) {
      pos = sec->second;
    }
  }
  throw ScenarioError(located(scenario.document.source, pos, error.what()));
}

namespace {

// Edges in an edge-list file, from its size and the mean length of the edge lines among its
// first 64 KiB (comment and blank lines are not edges). 0 for a file that cannot be read.
// `sample_ids`: one more than the largest integer id among those lines (0 if none).
double edge_list_edges(const std::string& path, double& file_bytes, double& sample_ids) {
  sample_ids = 0;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  file_bytes = ec ? 0.0 : static_cast<double>(size);
  if (ec || size == 0 || !std::filesystem::is_regular_file(path, ec)) return 0;
  std::ifstream in(path, std::ios::binary);
  std::string sample(std::size_t{64} << 10, '\0');
  in.read(sample.data(), static_cast<std::streamsize>(sample.size()));
  sample.resize(static_cast<std::size_t>(in.gcount()));
  double lines = 0;
  double line_bytes = 0;
  std::size_t start = 0;
  while (start < sample.size()) {
    std::size_t end = sample.find('\n', start);
    if (end == std::string::npos) end = sample.size();
    const std::string_view line(sample.data() + start, end - start);
    if (!line.empty() && line.front() != '#' && line.find_first_not_of(" \t\r") != std::string_view::npos) {
      lines += 1;
      line_bytes += static_cast<double>(line.size() + 1);
      // The ids on the line, where they are whole numbers.
      for (std::size_t i = 0; i < line.size();) {
        std::uint64_t id = 0;
        const auto parsed = std::from_chars(line.data() + i, line.data() + line.size(), id);
        if (parsed.ec == std::errc()) {
          sample_ids = std::max(sample_ids, static_cast<double>(id) + 1);
          i = static_cast<std::size_t>(parsed.ptr - line.data());
        } else {
          ++i;
        }
      }
    }
    start = end + 1;
  }
  return lines > 0 ? static_cast<double>(size) / (line_bytes / lines) : 0;
}

}  // namespace

sim::MemoryEstimate estimate_memory(const models::ClassicSpec& spec, std::size_t concurrency) {
  sim::MemoryEstimate e;
  const double in_flight =
      static_cast<double>(std::clamp<std::size_t>(concurrency, 1, std::max<std::size_t>(1, spec.replicates)));
  e.parts.push_back({"the program and its libraries", 24.0 * 1024 * 1024, "", sim::MemoryScope::kProcess});
  double n = models::planned_nodes(spec.graph);
  double arcs = models::expected_arcs(spec.graph);
  double reading = 0;
  std::string graph_key = "graph.nodes";
  if (const auto* file = std::get_if<EdgeListFileParams>(&spec.graph)) {
    // The text is memory-mapped and its pages handed back chunk by chunk as they are parsed
    // (a few MiB resident at a time); the edges (8 bytes, 4 more with weights) are counted with
    // the graph below. Labels keep their text and a map from it (about twice the file).
    double file_bytes = 0;
    double sample_ids = 0;
    const double edges = edge_list_edges(file->path, file_bytes, sample_ids);
    arcs = edges * (file->directed ? 1 : 2);
    // Without `nodes`: the largest id among the first lines, or half as many nodes as edges (a
    // mean degree of 4; real networks have more), whichever is more. Ids beyond what the loader
    // accepts for that many edges are left to its error, which names their line.
    if (n <= 0) {
      if (sample_ids > 32 * edges + 1024) sample_ids = 0;
      n = std::min(std::max({1.0, edges / 2, sample_ids}), double(std::numeric_limits<sim::AgentId>::max()));
    }
    reading = std::min(file_bytes, 16.0 * 1024 * 1024) + (file->weighted ? edges * 12.0 : 0.0) +
              (file->ids == EdgeListFileParams::Ids::kLabel ? 2 * file_bytes : 0.0);
    graph_key = "graph.path";
  }
  const bool complete = std::holds_alternative<CompleteGraphParams>(spec.graph);
  // Per graph: CSR offsets (8 B/node) and targets (4 B/arc), the edge list while building
  // (8 B/edge = 4 B/arc) and Boost's counting arrays (8 B/node).
  const double graph = complete ? 0.0 : 16.0 * n + 8.0 * arcs;
  const double graphs = spec.resample_graph ? in_flight : 1.0;
  e.parts.push_back(
      {fmt::format("{} graph{} of {:.3g} nodes and about {:.3g} stored arcs{}", graphs,
                   graphs == 1 ? "" : "s", n, arcs, reading > 0 ? ", and the file while it is read" : ""),
       graph * graphs + reading, graph_key, sim::MemoryScope::kWorld});
  // Per replicate: about 24 B/node of state, and the series.
  const double steps = static_cast<double>(spec.steps) + 1;
  const double indicators = static_cast<double>(models::classic_indicators().size());
  e.parts.push_back(
      {fmt::format("{:.0f} replicate{} at once: the nodes' state", in_flight, in_flight == 1 ? "" : "s"),
       in_flight * 24.0 * n, "--threads", sim::MemoryScope::kReplicates});
  e.parts.push_back({fmt::format("series ({:.3g} steps)", steps),
                     (in_flight * 8.0 + 32.0) * steps * indicators, "run.steps", sim::MemoryScope::kSeries});
  return e;
}

void check_classic_scenario(const ClassicScenario& scenario) {
  const models::ClassicSpec& spec = scenario.spec;
  try {
    std::visit([](const auto& p) { p.validate(); }, spec.model);
    std::visit([](const auto& p) { p.validate(); }, spec.graph);
    if (!std::holds_alternative<EdgeListFileParams>(spec.graph)) {
      spec.seeding.validate(models::planned_nodes(spec.graph));
    }
  } catch (const sim::ParamError& e) {
    rethrow_located(e, scenario);
  }
}

std::string resolved_yaml(const models::ClassicSpec& spec) {
  std::ostringstream out;
  out << "# Resolved scenario: every key with the value a run uses, defaults included.\n";
  out << "description: " << yaml_text(spec.description) << "\n";
  out << "model:\n  type: " << models::model_type_name(spec.model) << "\n";
  std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, BassParams>) {
          out << fmt::format("  p_innovation_per_step: {}\n  q_imitation_per_step: {}\n  step_rule: {}\n",
                             p.p_innovation_per_step, p.q_imitation_per_step,
                             models::step_rule_name(p.step_rule));
        } else if constexpr (std::is_same_v<P, SiParams>) {
          out << fmt::format("  p_transmit_per_step: {}\n", p.p_transmit_per_step);
        } else if constexpr (std::is_same_v<P, IndependentCascadeParams>) {
          out << fmt::format("  transmission: {}\n", models::transmission_name(p.transmission));
          if (p.transmission == IndependentCascadeParams::Transmission::kUniform) {
            out << fmt::format("  p_transmit: {}\n", p.p_transmit);
          }
        } else if constexpr (std::is_same_v<P, LinearThresholdParams>) {
          out << fmt::format("  thresholds: {}\n", models::thresholds_name(p.thresholds));
          if (p.thresholds == LinearThresholdParams::Thresholds::kFixed) {
            out << fmt::format("  threshold_fraction: {}\n", p.threshold_fraction);
          }
          out << fmt::format("  weights: {}\n", models::weights_name(p.weights));
        } else if constexpr (std::is_same_v<P, WattsThresholdParams>) {
          out << fmt::format("  threshold_fraction: {}\n  threshold_sd: {}\n", p.threshold_fraction,
                             p.threshold_sd);
        }
      },
      spec.model);
  out << "graph:\n  type: " << models::graph_type_name(spec.graph) << "\n";
  std::visit(
      [&](const auto& p) {
        using P = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<P, ErdosRenyiGnpParams>) {
          out << fmt::format("  nodes: {}\n  edge_probability: {}\n  directed: {}\n", p.nodes,
                             p.edge_probability, p.directed);
        } else if constexpr (std::is_same_v<P, ErdosRenyiGnmParams>) {
          out << fmt::format("  nodes: {}\n  edges: {}\n  directed: {}\n", p.nodes, p.edges, p.directed);
        } else if constexpr (std::is_same_v<P, BarabasiAlbertParams>) {
          out << fmt::format("  nodes: {}\n  edges_per_node: {}\n", p.nodes, p.edges_per_node);
        } else if constexpr (std::is_same_v<P, WattsStrogatzParams>) {
          out << fmt::format("  nodes: {}\n  neighbours: {}\n  rewire_probability: {}\n", p.nodes,
                             p.neighbours, p.rewire_probability);
        } else if constexpr (std::is_same_v<P, StochasticBlockParams>) {
          out << fmt::format("  block_sizes: [{}]\n  edge_probabilities:\n", fmt::join(p.block_sizes, ", "));
          for (const auto& row : p.edge_probabilities) {
            out << fmt::format("    - [{}]\n", fmt::join(row, ", "));
          }
          out << fmt::format("  directed: {}\n", p.directed);
        } else if constexpr (std::is_same_v<P, RandomGeometricParams>) {
          out << fmt::format("  nodes: {}\n  radius: {}\n  torus: {}\n", p.nodes, p.radius, p.torus);
        } else if constexpr (std::is_same_v<P, CompleteGraphParams>) {
          out << fmt::format("  nodes: {}\n", p.nodes);
        } else if constexpr (std::is_same_v<P, EdgeListFileParams>) {
          out << fmt::format("  path: {}\n  directed: {}\n  header: {}\n  weighted: {}\n  ids: {}\n",
                             yaml_text(p.path), p.directed, p.header, p.weighted,
                             p.ids == EdgeListFileParams::Ids::kLabel ? "label" : "integer");
          static const char* const kDelims[] = {"auto", "comma", "tab", "whitespace"};
          out << fmt::format("  delimiter: {}\n", kDelims[static_cast<int>(p.delimiter)]);
          if (p.nodes != 0) out << fmt::format("  nodes: {}\n", p.nodes);
        }
      },
      spec.graph);
  out << fmt::format("  resample_per_replicate: {}\n", spec.resample_graph);
  out << "seeding:\n  strategy: " << models::seeding_strategy_name(spec.seeding.strategy) << "\n";
  if (spec.seeding.count) out << fmt::format("  count: {}\n", *spec.seeding.count);
  if (spec.seeding.fraction) out << fmt::format("  fraction: {}\n", *spec.seeding.fraction);
  if (spec.seeding.strategy == SeedingParams::Strategy::kIds) {
    out << fmt::format("  ids: [{}]\n", fmt::join(spec.seeding.ids, ", "));
  }
  if (spec.seeding.strategy == SeedingParams::Strategy::kFile) {
    out << fmt::format("  path: {}\n", yaml_text(spec.seeding.path));
  }
  out << fmt::format("run:\n  seed: {}\n  replicates: {}\n  steps: {}\n", spec.seed, spec.replicates,
                     spec.steps);
  return out.str();
}

}  // namespace innosim::tools
