// Edge lists from text: the accepted formats and an error, with file:line:column, for every
// kind of malformed line.
#include "models/graphs/edge_list.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>
#include <tbb/global_control.h>

#include <algorithm>
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

// Texts of several MiB are cut into chunks parsed in parallel: the edges, their order and the
// errors must be those of a front-to-back reading, wherever the chunks are cut.
namespace {
// A path of n nodes, "0 1\n1 2\n...", about 16 bytes a line; comments every 1000 lines so that
// chunks hold fewer edges than lines.
std::string long_path(std::uint32_t n) {
  std::string text;
  for (std::uint32_t v = 0; v + 1 < n; ++v) {
    if (v % 1000 == 0) text += "# comment\n\n";
    text += std::to_string(v) + ' ' + std::to_string(v + 1) + '\n';
  }
  return text;
}
// The 1-based line of the first line of `text` that equals `line`.
std::size_t line_of(const std::string& text, const std::string& line) {
  const auto at = text.find("\n" + line + "\n");
  REQUIRE(at != std::string::npos);
  return static_cast<std::size_t>(
             std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n')) +
         2;
}
}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("a long edge list is read in chunks with the edges in file order") {
    const std::uint32_t n = 400000;  // about 6 MiB: several chunks
    const std::string text = long_path(n);
    REQUIRE(text.size() > (std::size_t{4} << 20));
    const auto e = parse(text, {}, "g.txt");
    CHECK(e.num_nodes == n);
    REQUIRE(e.edges.size() == n - 1);
    bool in_order = true;
    for (std::uint32_t v = 0; v + 1 < n; ++v) in_order = in_order && e.edges[v] == Edge{v, v + 1};
    CHECK(in_order);
  }

  TEST_CASE("a bad line deep in a long edge list is reported at its own line") {
    const std::string good = long_path(400000);
    std::string text = good;
    const std::string target = "350000 350001";
    text.replace(text.find("\n" + target + "\n") + 1, target.size(), "350000 x1");
    CHECK_THROWS_WITH_AS(
        parse(text, {}, "g.txt"),
        fmt::format("g.txt:{}:8: target id 'x1' is not a non-negative integer", line_of(good, target))
            .c_str(),
        sim::DataError);
  }

  TEST_CASE("the first fault in file order is reported when chunks hold several") {
    const std::string good = long_path(400000);
    // A repeat of edge 10-11 late in the file, and a malformed line after it: the repeat is met first.
    std::string text = good;
    const std::string late = "300000 300001";
    text.replace(text.find("\n" + late + "\n") + 1, late.size(), "11 10");
    const std::string later = "390000 390001";
    text.replace(text.find("\n" + later + "\n") + 1, later.size(), "390000");
    CHECK_THROWS_WITH_AS(
        parse(text, {}, "g.txt"),
        fmt::format(
            "g.txt:{}:1: edge 11 - 10 is listed twice (in an undirected graph u-v and v-u are the same edge)",
            line_of(good, late))
            .c_str(),
        sim::DataError);
    // A malformed line before the repeat is met first.
    std::string other = good;
    const std::string early = "200000 200001";
    other.replace(other.find("\n" + early + "\n") + 1, early.size(), "200000 200000");
    other.replace(other.find("\n" + late + "\n") + 1, late.size(), "11 10");
    CHECK_THROWS_WITH_AS(parse(other, {}, "g.txt"),
                         fmt::format("g.txt:{}:8: self-loop on node '200000': diffusion models need u != v",
                                     line_of(good, early))
                             .c_str(),
                         sim::DataError);
  }

  TEST_CASE("comma and tab lines read the same on the fast path and the general path") {
    EdgeListFileParams p;
    CHECK(parse("0 , 1\n1,2\n2 ,3\n", p, "g.csv").edges == std::vector<Edge>{{0, 1}, {1, 2}, {2, 3}});
    CHECK(parse("0\t1\n1 \t 2\r\n", p, "g.tsv").edges == std::vector<Edge>{{0, 1}, {1, 2}});
    CHECK_THROWS_WITH_AS(
        parse("0\t\t1\n", p, "g.tsv"),
        "g.tsv:1:1: 3 fields found, expected 2 (source, target); set weighted: true to read a weight column",
        sim::DataError);
    CHECK_THROWS_WITH_AS(parse("0,1,\n", p, "g.csv"), doctest::Contains("g.csv:1:1: 3 fields found"),
                         sim::DataError);
    CHECK_THROWS_WITH_AS(parse("0 1 2\n", p, "g.txt"), doctest::Contains("g.txt:1:1: 3 fields found"),
                         sim::DataError);
    CHECK_THROWS_WITH_AS(parse("0 1\n0 99999999999999999999\n", p, "g.txt"),
                         "g.txt:2:3: target id '99999999999999999999' is not a non-negative integer",
                         sim::DataError);
    // A tab after the target in a .tsv starts a third, empty field; trailing blanks elsewhere do not.
    CHECK_THROWS_WITH_AS(parse("0\t1\n2\t3\t\n", p, "g.tsv"), doctest::Contains("g.tsv:2:1: 3 fields found"),
                         sim::DataError);
    CHECK(parse("0 1  \n", p, "g.txt").edges == std::vector<Edge>{{0, 1}});
  }

  TEST_CASE("an edge list file becomes the same layer as its parsed edges") {
    const auto path = std::filesystem::temp_directory_path() / "innosim_edge_list_graph_test.txt";
    const std::string text = long_path(300000) + "5 299999\n";
    {
      std::ofstream out(path);
      out << text;
    }
    EdgeListFileParams p;
    p.path = path.string();
    const auto graph = models::load_edge_list_graph(p);
    const auto list = parse(text, {}, "g.txt");
    const auto layer = sim::CsrLayer::from_edges(list.num_nodes, list.edges, list.direction);
    REQUIRE(graph.layer->num_nodes() == layer.num_nodes());
    CHECK(std::equal(graph.layer->view().offsets, graph.layer->view().offsets + layer.num_nodes() + 1,
                     layer.view().offsets));
    CHECK(std::equal(graph.layer->view().targets, graph.layer->view().targets + layer.num_arcs(),
                     layer.view().targets));
    {
      std::ofstream out(path, std::ios::app);
      out << "299999 5\n";
    }
    CHECK_THROWS_WITH_AS(
        models::load_edge_list_graph(p),
        fmt::format("{}:{}:1: edge 299999 - 5 is listed twice (in an undirected graph u-v and v-u "
                    "are the same edge)",
                    p.path, std::count(text.begin(), text.end(), '\n') + 1)
            .c_str(),
        sim::DataError);
    std::filesystem::remove(path);
  }
}

TEST_SUITE("parallel") {
  TEST_CASE("an edge list file gives the same layer on 1 and 2 threads") {
    const auto path = std::filesystem::temp_directory_path() / "innosim_edge_list_threads_test.txt";
    {
      std::ofstream out(path);
      out << long_path(300000);
      // Some longer rows, so that rows span chunks and need sorting.
      for (std::uint32_t v = 20; v < 300000; v += 997) out << "7 " << v << "\n" << v + 3 << " 12\n";
    }
    EdgeListFileParams p;
    p.path = path.string();
    auto load = [&](int threads) {
      tbb::global_control limit(tbb::global_control::max_allowed_parallelism,
                                static_cast<std::size_t>(threads));
      return models::load_edge_list_graph(p);
    };
    const auto one = load(1);
    const auto two = load(2);
    const auto a = one.layer->view();
    const auto b = two.layer->view();
    REQUIRE(a.num_nodes == b.num_nodes);
    CHECK(std::equal(a.offsets, a.offsets + a.num_nodes + 1, b.offsets));
    CHECK(std::equal(a.targets, a.targets + a.num_arcs(), b.targets));
    std::filesystem::remove(path);
  }
}
