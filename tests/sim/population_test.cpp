// Agent kinds, their id ranges, and double-buffered state columns.
#include "sim/population.hpp"

#include <doctest/doctest.h>

#include "sim/error.hpp"
#include "sim/parallel.hpp"

using namespace innosim::sim;

TEST_SUITE("unit") {
  TEST_CASE("kinds get contiguous id ranges in registration order") {
    Population p;
    const AgentRange owners = p.add_kind("owner", 372);
    const AgentRange institutions = p.add_kind("institution", 61);
    const AgentRange arenas = p.add_kind("arena", 17);
    CHECK(owners == AgentRange{0, 372});
    CHECK(institutions == AgentRange{372, 433});
    CHECK(arenas == AgentRange{433, 450});
    CHECK(p.size() == 450);
    CHECK(p.kind_of(0) == 0);
    CHECK(p.kind_of(371) == 0);
    CHECK(p.kind_of(372) == 1);
    CHECK(p.kind_of(449) == 2);
    CHECK(p.find_kind("institution") == KindId{1});
    CHECK_FALSE(p.find_kind("researcher").has_value());
    CHECK(p.range(1) == institutions);
    CHECK(p.kind_name(2) == "arena");
  }

  TEST_CASE("an empty kind takes no ids") {
    Population p;
    p.add_kind("a", 2);
    CHECK(p.add_kind("none", 0) == AgentRange{2, 2});
    p.add_kind("b", 1);
    CHECK(p.kind_of(2) == 2);
  }

  TEST_CASE("bad kinds are refused") {
    Population p;
    p.add_kind("owner", 3);
    CHECK_THROWS_AS(p.add_kind("owner", 1), ParamError);
    CHECK_THROWS_AS(p.add_kind("", 1), ParamError);
    CHECK_THROWS_AS(p.add_kind("huge", kNoAgent), ParamError);
  }

  TEST_CASE("a buffered column shows the old values until commit") {
    // Synchronous update of x[i] := x[i-1] + x[i+1] on a ring: with double buffering every
    // agent reads the pre-phase values, so the result is the same as computing from a copy.
    BufferedColumn<int> x(5, 0);
    for (int i = 0; i < 5; ++i) x.set(static_cast<std::size_t>(i), i);
    x.begin_phase();
    for_each_agent(
        {0, 5},
        [&](AgentId a) {
          const auto prev = x.prev();
          x.next()[a] = prev[(a + 4) % 5] + prev[(a + 1) % 5];
        },
        1);
    CHECK(x.prev()[0] == 0);  // not yet committed
    x.commit();
    CHECK(std::vector<int>(x.prev().begin(), x.prev().end()) == std::vector<int>{5, 2, 4, 6, 3});
  }

  TEST_CASE("entries not written in a phase keep their values") {
    BufferedColumn<double> x(3, 1.5);
    x.begin_phase();
    x.next()[1] = 7.0;
    x.commit();
    CHECK(x.prev()[0] == 1.5);
    CHECK(x.prev()[1] == 7.0);
    x.begin_phase();
    x.commit();
    CHECK(x.prev()[1] == 7.0);
  }
}
