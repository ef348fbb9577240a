// The strict YAML reader: positions, and everything it refuses.
#include "tools/scenario/yaml_tree.hpp"

#include <doctest/doctest.h>

using namespace innosim::tools;

TEST_SUITE("unit") {
  TEST_CASE("nodes remember line and column") {
    const auto doc = parse_yaml("model:\n  type: bass\n  p: 0.1\nlist: [1, \"two\"]\n", "s.yaml");
    REQUIRE(doc.root.is_map());
    const ConfigNode* model = doc.root.find("model");
    REQUIRE(model != nullptr);
    const ConfigNode* p = model->find("p");
    REQUIRE(p != nullptr);
    CHECK(p->text == "0.1");
    CHECK(p->pos.line == 3);
    CHECK(p->pos.column == 6);
    const ConfigNode* list = doc.root.find("list");
    REQUIRE(list->is_sequence());
    CHECK_FALSE(list->items[0].quoted);
    CHECK(list->items[1].quoted);
    CHECK(doc.root.find("missing") == nullptr);
  }

  TEST_CASE("a repeated key is an error at its second occurrence") {
    CHECK_THROWS_WITH_AS(parse_yaml("a: 1\nb:\n  c: 2\n  c: 3\n", "s.yaml"),
                         "s.yaml:4:3: key 'c' appears twice in the same map (first at line 3); YAML keeps "
                         "only one of them, so say it once",
                         ScenarioError);
  }

  TEST_CASE("several documents and tags and complex keys and syntax errors are refused") {
    CHECK_THROWS_WITH_AS(parse_yaml("a: 1\n---\nb: 2\n", "s.yaml"),
                         doctest::Contains("s.yaml:2:1: a scenario file holds one YAML document"),
                         ScenarioError);
    CHECK_THROWS_WITH_AS(parse_yaml("a: !!float 1\n", "s.yaml"),
                         doctest::Contains("s.yaml:1:4: YAML tags such as"), ScenarioError);
    CHECK_THROWS_WITH_AS(parse_yaml("? [1, 2]\n: 3\n", "s.yaml"),
                         doctest::Contains("a key must be plain text"), ScenarioError);
    CHECK_THROWS_WITH_AS(parse_yaml("a: [1, 2\n", "s.yaml"), doctest::Contains("YAML syntax error"),
                         ScenarioError);
    CHECK_THROWS_WITH_AS(parse_yaml("a:\n  b: 1\n c: 2\n", "s.yaml"), doctest::Contains("s.yaml:3:"),
                         ScenarioError);
    CHECK_THROWS_WITH_AS(parse_yaml("", "s.yaml"),
                         "s.yaml: the file is empty: expected a map of scenario keys", ScenarioError);
    CHECK_THROWS_WITH_AS(parse_yaml(std::string("a: 1\0", 5), "s.yaml"), doctest::Contains("NUL byte"),
                         ScenarioError);
  }

  TEST_CASE("aliases copy their anchor and alias bombs are stopped") {
    const auto doc = parse_yaml("base: &b {x: 1}\ncopy: *b\n", "s.yaml");
    CHECK(doc.root.find("copy")->find("x")->text == "1");
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'h'; ++c) {
      bomb += std::string(1, c) + ": &" + c + " [";
      for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + static_cast<char>(c - 1);
      bomb += "]\n";
    }
    CHECK_THROWS_WITH_AS(parse_yaml(bomb, "s.yaml"), doctest::Contains("more than 100000 YAML nodes"),
                         ScenarioError);
  }

  TEST_CASE("oversized text and unreadable files are refused") {
    CHECK_THROWS_WITH_AS(parse_yaml(std::string(kMaxConfigBytes + 1, ' '), "s.yaml"),
                         doctest::Contains("too large"), ScenarioError);
    CHECK_THROWS_WITH_AS(load_yaml_file("/nonexistent/s.yaml"),
                         "/nonexistent/s.yaml: cannot open (No such file or directory)", ScenarioError);
    CHECK_THROWS_WITH_AS(load_yaml_file("/tmp"), "/tmp: is a directory; expected a scenario file (.yaml)",
                         ScenarioError);
  }
}
