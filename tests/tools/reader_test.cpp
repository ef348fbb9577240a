// Typed reading of scenario maps: types as written, unknown keys with suggestions.
#include "tools/scenario/reader.hpp"

#include <doctest/doctest.h>

using namespace innosim::tools;

namespace {
struct Fixture {
  ConfigDocument doc;
  KeyPositions positions;
  explicit Fixture(const std::string& text) : doc(parse_yaml(text, "s.yaml")) {}
  MapReader root() { return MapReader(doc, doc.root, "", &positions); }
};
}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("numbers and whole numbers and booleans and text are read as written") {
    Fixture f("p: 0.25\nn: 1e4\nm: +12\nflag: true\nname: bass\nlist: [1, 2.5]\n");
    MapReader r = f.root();
    CHECK(r.number("p") == 0.25);
    CHECK(r.integer("n") == 10000);
    CHECK(r.integer("m") == 12);
    CHECK(r.boolean("flag", false));
    CHECK(r.text("name") == "bass");
    CHECK(r.number_list("list") == std::vector<double>{1.0, 2.5});
    CHECK(r.number("absent", 3.5) == 3.5);
    CHECK_FALSE(r.optional_integer("absent2").has_value());
    r.finish();
    CHECK(f.positions.at("p").line == 1);
    CHECK(f.positions.at("list").line == 6);
  }

  TEST_CASE("wrong types are errors that show the value and what was expected") {
    Fixture f(
        "q: \"0.5\"\nr: high\ns: .nan\nt: -.inf\nu: 2.5\nv: -3\nw: yes\nx: [1]\ny: 18446744073709551616\n");
    MapReader r = f.root();
    CHECK_THROWS_WITH_AS(
        r.number("q"), "s.yaml:1:4: q = \"0.5\" is quoted text; expected a number (write it without quotes)",
        ScenarioError);
    CHECK_THROWS_WITH_AS(
        r.number("r"),
        "s.yaml:2:4: r = 'high' is not a number; expected a finite number such as 0.25 or 1e-3",
        ScenarioError);
    CHECK_THROWS_WITH_AS(r.number("s"),
                         "s.yaml:3:4: s = .nan is not a finite number; expected a finite number",
                         ScenarioError);
    CHECK_THROWS_WITH_AS(r.number("t"),
                         "s.yaml:4:4: t = -.inf is not a finite number; expected a finite number",
                         ScenarioError);
    CHECK_THROWS_WITH_AS(r.integer("u"),
                         "s.yaml:5:4: u = 2.5 is not a whole number >= 0; expected a count or an index",
                         ScenarioError);
    CHECK_THROWS_WITH_AS(r.integer("v"),
                         "s.yaml:6:4: v = -3 is not a whole number >= 0; expected a count or an index",
                         ScenarioError);
    CHECK_THROWS_WITH_AS(r.boolean("w", false), "s.yaml:7:4: w is 'yes'; expected true or false",
                         ScenarioError);
    CHECK_THROWS_WITH_AS(r.number("x"), "s.yaml:8:4: x is a list of 1 item; expected a number",
                         ScenarioError);
    CHECK_THROWS_WITH_AS(r.integer("y"), doctest::Contains("is too large"), ScenarioError);
    CHECK_THROWS_WITH_AS(r.number("missing"), "s.yaml:1:1: missing is required but missing", ScenarioError);
  }

  TEST_CASE("unknown keys are reported with a suggestion and the known keys") {
    Fixture f("model:\n  type: bass\n  p_innovaton_per_step: 0.1\n");
    MapReader r = f.root();
    MapReader m = r.map("model");
    m.text("type");
    m.number("p_innovation_per_step", 0.0);
    m.number("q_imitation_per_step", 0.0);
    CHECK_THROWS_WITH_AS(
        m.finish(),
        "s.yaml:3:3: unknown key 'p_innovaton_per_step' in 'model' (did you mean 'p_innovation_per_step'?); "
        "known keys here: p_innovation_per_step, q_imitation_per_step, type",
        ScenarioError);
  }

  TEST_CASE("choices accept only their names and suggest the closest") {
    enum class Rule { kExact, kConstant };
    Fixture f("rule: exakt\nother: 3\n");
    MapReader r = f.root();
    CHECK_THROWS_WITH_AS(
        (r.choice("rule", {std::pair{"exact", Rule::kExact}, std::pair{"constant_hazard", Rule::kConstant}})),
        "s.yaml:1:7: rule = 'exakt' is not a known choice (did you mean 'exact'?); expected one of: exact, "
        "constant_hazard",
        ScenarioError);
    CHECK(r.choice("absent", {std::pair{"exact", Rule::kExact}}, Rule::kConstant) == Rule::kConstant);
  }

  TEST_CASE("a section that is not a map says so") {
    Fixture f("model: bass\n");
    MapReader r = f.root();
    CHECK_THROWS_WITH_AS(r.map("model"), "s.yaml:1:8: model is 'bass'; expected a map of keys",
                         ScenarioError);
  }

  TEST_CASE("edit distance and suggestions") {
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("ab", "ba") == 1);
    CHECK(edit_distance("", "abc") == 3);
    const std::vector<std::string> keys = {"nodes", "edges_per_node", "type"};
    CHECK(closest_match("node", keys) == "nodes");
    CHECK(closest_match("edge_per_node", keys) == "edges_per_node");
    CHECK(closest_match("colour", keys).empty());
  }
}
