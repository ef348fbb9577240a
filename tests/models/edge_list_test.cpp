// Edge lists from text: the accepted formats and an error, with file:line:column, for every
// kind of malformed line.
#include "models/graphs/edge_list.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "sim/error.hpp"

using namespace innosim;
using models::EdgeListFileParams;
using sim::Edge;

namespace {
models::EdgeList parse(const std::string& text, EdgeListFileParams p = {},
                       const std::string& name = "g.csv") {
  return models::parse_edge_list(text, name, p);
}
}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("integer ids with comments and blank lines and a header") {
    EdgeListFileParams p;
    p.header = true;
    const auto e = parse("# a comment\nsource,target\n0,1\n\n 2 , 1\n1,3\n", p);
    CHECK(e.num_nodes == 4);
    CHECK(e.edges == std::vector<Edge>{{0, 1}, {2, 1}, {1, 3}});
    CHECK(e.labels.empty());
  }

  TEST_CASE("tabs and whitespace and an explicit node count") {
    EdgeListFileParams p;
    p.nodes = 10;
    CHECK(parse("0\t5\n5\t9\n", p, "g.tsv").edges == std::vector<Edge>{{0, 5}, {5, 9}});
    CHECK(parse("0\t5\n", p, "g.tsv").num_nodes == 10);
    CHECK(parse("0   5\r\n 7 2\n", p, "g.txt").edges == std::vector<Edge>{{0, 5}, {7, 2}});
  }

  TEST_CASE("labels become ids in order of first appearance") {
    EdgeListFileParams p;
    p.ids = EdgeListFileParams::Ids::kLabel;
    const auto e = parse("Oslo,Bergen\nBergen,Tromsø\nOslo,Tromsø\n", p);
    CHECK(e.labels == std::vector<std::string>{"Oslo", "Bergen", "Tromsø"});
    CHECK(e.edges == std::vector<Edge>{{0, 1}, {1, 2}, {0, 2}});
  }

  TEST_CASE("weights are read from a third column") {
    EdgeListFileParams p;
    p.weighted = true;
    const auto e = parse("0,1,0.5\n1,2,2e-1\n", p);
    CHECK(e.weights == std::vector<float>{0.5F, 0.2F});
  }

  TEST_CASE("malformed lines are errors naming file and line and column") {
    EdgeListFileParams p;
    CHECK_THROWS_WITH_AS(
        parse("0,1\n1,2,3\n", p),
        "g.csv:2:1: 3 fields found, expected 2 (source, target); set weighted: true to read a weight column",
        sim::DataError);
    CHECK_THROWS_WITH_AS(parse("0,1\n1\n", p), "g.csv:2:1: 1 field found, expected 2 (source, target)",
                         sim::DataError);
    CHECK_THROWS_WITH_AS(parse("source,target\n0,1\n", p),
                         doctest::Contains("g.csv:1:1: source id 'source' is not a non-negative integer (if "
                                           "this line is a header, set header: true)"),
                         sim::DataError);
    CHECK_THROWS_WITH_AS(parse("0,1\n2,-3\n", p), "g.csv:2:3: target id '-3' is not a non-negative integer",
                         sim::DataError);
    CHECK_THROWS_WITH_AS(parse("0,1\n2, x7\n", p), "g.csv:2:4: target id 'x7' is not a non-negative integer",
                         sim::DataError);
    CHECK_THROWS_WITH_AS(parse("0,1\n4,4\n", p),
                         "g.csv:2:3: self-loop on node '4': diffusion models need u != v", sim::DataError);
    CHECK_THROWS_WITH_AS(
        parse("0,1\n1,0\n", p),
        "g.csv:2:1: edge 1 - 0 is listed twice (in an undirected graph u-v and v-u are the same edge)",
        sim::DataError);
    EdgeListFileParams directed;
    directed.directed = true;
    CHECK(parse("0,1\n1,0\n", directed).edges.size() == 2);
    EdgeListFileParams sized;
    sized.nodes = 3;
    CHECK_THROWS_WITH_AS(parse("0,3\n", sized), "g.csv:1:3: target id 3 is out of range: must be below 3",
                         sim::DataError);
    EdgeListFileParams weighted;
    weighted.weighted = true;
    CHECK_THROWS_WITH_AS(parse("0,1,nan\n", weighted), "g.csv:1:5: weight 'nan' must be a finite number > 0",
                         sim::DataError);
    CHECK_THROWS_WITH_AS(parse("0,1,0\n", weighted), "g.csv:1:5: weight '0' must be a finite number > 0",
                         sim::DataError);
    CHECK_THROWS_WITH_AS(parse("# only a comment\n", p),
                         "g.csv: the edge list has no edges (and no node count was given)", sim::DataError);
  }

  TEST_CASE("files are read from disk and a missing file is a clear error") {
    const auto path = std::filesystem::temp_directory_path() / "innosim_edge_list_test.tsv";
    {
      std::ofstream out(path);
      out << "0\t1\n1\t2\n";
    }
    EdgeListFileParams p;
    p.path = path.string();
    CHECK(models::load_edge_list(p).edges.size() == 2);
    std::filesystem::remove(path);
    CHECK_THROWS_WITH_AS(models::load_edge_list(p), doctest::Contains("cannot open the edge list file"),
                         sim::DataError);
  }
}
