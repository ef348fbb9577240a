// Initial adopters: counts, fractions, top degree with ties, listed ids, and the errors.
#include "models/diffusion/seeding.hpp"

#include <doctest/doctest.h>

#include "sim/error.hpp"
#include "tests/models/helpers.hpp"

using namespace innosim;
using models::SeedingParams;
using sim::AgentId;
using S = SeedingParams::Strategy;

TEST_SUITE("unit") {
  TEST_CASE("random seeding draws the asked number of distinct agents and the same ones for the same key") {
    const auto g = models::Graph::complete(1000);
    SeedingParams s;
    s.count = 37;
    const auto a = models::choose_seeds(s, g, {5, 0});
    CHECK(a.size() == 37);
    CHECK(std::is_sorted(a.begin(), a.end()));
    CHECK(std::adjacent_find(a.begin(), a.end()) == a.end());
    CHECK(models::choose_seeds(s, g, {5, 0}) == a);
    CHECK(models::choose_seeds(s, g, {5, 1}) != a);
    s.count.reset();
    s.fraction = 0.0125;
    CHECK(models::choose_seeds(s, g, {5, 0}).size() == 13);  // 12.5 rounds to 13
  }

  TEST_CASE("top degree picks the hubs and breaks ties by the lower id") {
    // Degrees: 0:1, 1:3, 2:2, 3:3, 4:1
    const auto g = innosim::test::graph_of(5, {{1, 0}, {1, 2}, {1, 3}, {3, 2}, {3, 4}});
    SeedingParams s;
    s.strategy = S::kTopDegree;
    s.count = 3;
    CHECK(models::choose_seeds(s, g, {}) == std::vector<AgentId>{1, 2, 3});
    s.count = 1;
    CHECK(models::choose_seeds(s, g, {}) == std::vector<AgentId>{1});
  }

  TEST_CASE("listed ids are used as given in sorted order") {
    SeedingParams s;
    s.strategy = S::kIds;
    s.ids = {9, 2, 4};
    CHECK(models::choose_seeds(s, models::Graph::complete(10), {}) == std::vector<AgentId>{2, 4, 9});
  }

  TEST_CASE("bad seeding is refused with the key named") {
    SeedingParams s;
    s.count = 11;
    CHECK_THROWS_WITH_AS(s.validate(10), "seeding.count = 11, must be at most the 10 nodes of the graph",
                         sim::ParamError);
    s.fraction = 0.1;
    CHECK_THROWS_AS(s.validate(10), sim::ParamError);  // both count and fraction
    SeedingParams ids;
    ids.strategy = S::kIds;
    ids.ids = {1, 1};
    CHECK_THROWS_WITH_AS(ids.validate(10), "seeding.ids: id 1 is listed twice", sim::ParamError);
    ids.ids = {10};
    CHECK_THROWS_WITH_AS(ids.validate(10), "seeding.ids: id 10 is out of range, the graph has nodes 0 .. 9",
                         sim::ParamError);
    try {
      ids.validate(10);
    } catch (const sim::ParamError& e) {
      CHECK(e.key() == "seeding.ids");
    }
    SeedingParams none;
    none.strategy = S::kNone;
    CHECK(models::choose_seeds(none, models::Graph::complete(5), {}).empty());
    none.count = 1;
    CHECK_THROWS_AS(none.validate(5), sim::ParamError);
  }
}

TEST_SUITE("unit") {
  TEST_CASE("a seed list reads one id per line and skips comments and blank lines") {
    SeedingParams s;
    s.strategy = S::kFile;
    models::parse_seed_list("# seeds\n3\n\n  7 \r\n# more\n0", "seeds.txt", s);
    CHECK(s.ids == std::vector<AgentId>{3, 7, 0});
    CHECK(s.lines == std::vector<std::uint32_t>{2, 4, 6});
    CHECK(s.path == "seeds.txt");
    CHECK(models::choose_seeds(s, models::Graph::complete(10), {}) == std::vector<AgentId>{0, 3, 7});
    models::parse_seed_list("", "empty.txt", s);
    CHECK(s.ids.empty());
  }

  TEST_CASE("a seed list line that is not an id is an error naming file and line and column") {
    SeedingParams s;
    CHECK_THROWS_WITH_AS(models::parse_seed_list("1\n  x7\n", "seeds.txt", s),
                         "seeds.txt:2:3: seed id 'x7' is not a non-negative integer (one id per line)",
                         sim::DataError);
    CHECK_THROWS_WITH_AS(models::parse_seed_list("1 2\n", "seeds.txt", s),
                         "seeds.txt:1:1: seed id '1 2' is not a non-negative integer (one id per line)",
                         sim::DataError);
    CHECK_THROWS_WITH_AS(models::parse_seed_list("-1\n", "seeds.txt", s),
                         doctest::Contains("seeds.txt:1:1: seed id '-1'"), sim::DataError);
    CHECK_THROWS_WITH_AS(models::parse_seed_list("4294967295\n", "seeds.txt", s),
                         doctest::Contains("seeds.txt:1:1: seed id 4294967295 is out of range"),
                         sim::DataError);
  }

  TEST_CASE("seeds from a file are checked against the graph at their line in file order") {
    SeedingParams s;
    s.strategy = S::kFile;
    models::parse_seed_list("# header\n5\n2\n12\n5\n", "seeds.txt", s);
    // Line 4 (id 12 beyond the graph) comes before line 5 (5 again).
    CHECK_THROWS_WITH_AS(s.validate(10),
                         "seeds.txt:4: seed id 12 is out of range, the graph has nodes 0 .. 9",
                         sim::DataError);
    CHECK_THROWS_WITH_AS(s.validate(20), "seeds.txt:5: seed id 5 is listed twice (first on line 2)",
                         sim::DataError);
    models::parse_seed_list("5\n2\n12\n", "seeds.txt", s);
    CHECK_NOTHROW(s.validate(13));
    s.count = 1;
    CHECK_THROWS_AS(s.validate(13), sim::ParamError);
  }

  TEST_CASE("a missing seed file is a clear error") {
    SeedingParams s;
    CHECK_THROWS_WITH_AS(models::load_seed_file("/nonexistent/seeds.txt", s),
                         "/nonexistent/seeds.txt: cannot open the seed file (No such file or directory)",
                         sim::DataError);
  }
}
