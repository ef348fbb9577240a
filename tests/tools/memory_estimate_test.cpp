// The memory estimate's counts (models/forkommune/memory.hpp) against the worlds and layouts
// that are actually built, and the --max-memory limit (tools/scenario/memory_limit.hpp). How
// close the estimate's bytes come to measured peak memory is tested end to end in
// tests/robust/memory_test.py.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "models/forkommune/memory.hpp"
#include "models/forkommune/model.hpp"
#include "sim/error.hpp"
#include "tools/data/world_data.hpp"
#include "tools/scenario/memory_limit.hpp"
#include "tools/scenario/programme_scenario.hpp"
#include "tools/scenario/yaml_tree.hpp"

using namespace innosim;
using namespace innosim::models::forkommune;

namespace {

double researchers_active(const World& w) {
  double n = 0;
  for (const auto a : w.researcher_active) n += a;
  return n;
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("the memory estimate counts the Norway world as it is built") {
    const tools::ProgrammeScenario welfare = tools::load_programme_scenario("welfare-technology");
    for (const Params& p : {Params{}, welfare.params}) {
      const WorldData data = tools::load_world_data(p, ".");
      const World w = build_world(data, p);
      const WorldSize s = world_size(data, p);
      CHECK(s.municipalities == w.num_municipalities);
      CHECK(s.owners == w.num_owners());
      CHECK(s.counties == w.num_counties());
      CHECK(s.institutions == w.num_institutions());
      CHECK(s.researchers == w.num_researchers());
      CHECK(s.active_researchers == researchers_active(w));
      // Ties: the owner-institution ties counted by build_world's rule (county municipalities
      // taken at every institution), the regional councils within a quarter.
      const double rd = static_cast<double>(w.rd.num_arcs()) / 2.0;
      const double county_owner_pairs = (s.owners - s.municipalities) * s.institutions;
      CHECK(s.rd_ties >= rd);
      CHECK(s.rd_ties - county_owner_pairs <= rd);
      CAPTURE(w.region.num_arcs());
      CHECK(s.region_arcs == doctest::Approx(static_cast<double>(w.region.num_arcs())).epsilon(0.25));
      // The indicator count the series part is sized with is the layout's.
      const auto model = ProgrammeModel(std::make_shared<const World>(build_world(data, p)), p);
      CHECK(indicator_count(p, s.counties) == static_cast<double>(model.layout().schema.size()));
    }
  }

  TEST_CASE("a synthetic world's expected size is what synthetic_world_data draws") {
    Params p;
    p.world.source = "synthetic";
    p.world.synthetic_owners = 20000;
    p.world.synthetic_counties = 800;
    p.world.synthetic_institutions = 400;
    p.world.synthetic_side_km = 4648;  // Norway's density: 1,080 km2 a municipality
    const WorldSize expected = world_size(p);
    const World w = build_world(synthetic_world_data(p), p);
    CHECK(expected.owners == doctest::Approx(w.num_owners()).epsilon(0.01));
    CHECK(expected.counties == doctest::Approx(w.num_counties()).epsilon(0.01));
    // Researchers per institution: researchers_per_institution x LogNormal(0, 0.5) each, so the
    // total over 400 institutions has a relative standard error of sqrt(e^0.25 - 1) / sqrt(400)
    // = 2.7 %; 4 standard errors, with rounding to whole researchers, is 11 %.
    CHECK(expected.active_researchers == doctest::Approx(researchers_active(w)).epsilon(0.11));
    CHECK(expected.researchers == doctest::Approx(w.num_researchers()).epsilon(0.11));
    // rd ties: the disc within reach plus the owner's county; an upper estimate (the disc is cut
    // at the square's edges and the weight falls below the minimum inside it), within a factor 2.
    const double ties = static_cast<double>(w.rd.num_arcs()) / 2.0;
    CHECK(expected.rd_ties >= ties);
    CHECK(expected.rd_ties <= 2.0 * ties);
    // Regional councils: groups of about region_size in each county.
    const double region = static_cast<double>(w.region.num_arcs());
    CHECK(expected.region_arcs == doctest::Approx(region).epsilon(0.25));
  }

  TEST_CASE("a world with more researchers than agent ids can hold is refused before it is built") {
    Params p;
    p.world.source = "synthetic";
    p.world.synthetic_owners = 100;
    p.world.synthetic_counties = 4;
    p.world.synthetic_institutions = 200000;
    p.world.synthetic_researchers_per_institution = 10000;
    const WorldData data = synthetic_world_data(p);
    CHECK_THROWS_WITH_AS(researcher_staffing(data, p), doctest::Contains("more than 1000000000 researchers"),
                         sim::ParamError);
    // The estimate says the same before anything is drawn.
    const MemoryEstimate e = estimate_memory(p, world_size(p), 1);
    CHECK(e.total() > 1e11);
  }

  TEST_CASE("the estimate's replicate parts scale with the replicates in flight and never beyond the run's") {
    Params p;
    p.run.replicates = 3;
    const WorldData data = tools::load_world_data(p, ".");
    const WorldSize s = world_size(data, p);
    auto replicate_bytes = [&](std::size_t in_flight) {
      double b = 0;
      for (const auto& part : estimate_memory(p, s, in_flight).parts)
        b += part.scope == MemoryScope::kReplicates || part.scope == MemoryScope::kSeries ? part.bytes : 0.0;
      return b;
    };
    // Linear in the replicates in flight (the summary of all replicates is the constant).
    CHECK(replicate_bytes(2) > replicate_bytes(1));
    CHECK(replicate_bytes(3) - replicate_bytes(2) ==
          doctest::Approx(replicate_bytes(2) - replicate_bytes(1)));
    CHECK(replicate_bytes(8) == doctest::Approx(replicate_bytes(3)));
  }

  TEST_CASE("--max-memory takes sizes and shares and unlimited and refuses anything else") {
    using tools::memory_limit;
    CHECK(memory_limit(std::string("6G")).bytes == 6.0 * 1024 * 1024 * 1024);
    CHECK(memory_limit(std::string("512M")).bytes == 512.0 * 1024 * 1024);
    CHECK(memory_limit(std::string("2.5GiB")).bytes == 2.5 * 1024 * 1024 * 1024);
    CHECK(memory_limit(std::string("64k")).bytes == 64.0 * 1024);
    CHECK(memory_limit(std::string("4096B")).bytes == 4096.0);
    CHECK_THROWS_WITH_AS(memory_limit(std::string("4000")),
                         doctest::Contains("a size needs a unit (such as 4000M"), tools::ScenarioError);
    CHECK(memory_limit(std::string("unlimited")).bytes == 0);
    const double available = tools::available_memory_bytes();
    REQUIRE(available > 0);
    // The share is of the memory available when it is read; other processes on a shared machine
    // move it between two reads, so the ratio is checked, not the bytes.
    const double half = memory_limit(std::string("50%")).bytes / tools::available_memory_bytes();
    CHECK(half > 0.4);
    CHECK(half < 0.6);
    const double default_share = memory_limit(std::nullopt).bytes / tools::available_memory_bytes();
    CHECK(default_share > 0.7);
    CHECK(default_share < 0.9);
    for (const char* bad : {"abc", "0", "-1G", "150%", "5X", "G", "1e400", "nan", "4000"}) {
      CAPTURE(bad);
      CHECK_THROWS_WITH_AS(memory_limit(std::string(bad)), doctest::Contains("--max-memory"),
                           tools::ScenarioError);
    }
  }

  TEST_CASE("an estimate over the limit is refused with every part and the key of the largest") {
    sim::MemoryEstimate e;
    e.parts.push_back({"the program", 10.0 * 1024 * 1024, "", sim::MemoryScope::kProcess});
    e.parts.push_back({"world: networks", 3.0 * 1024 * 1024 * 1024,
                       "world.rd_min_weight,world.synthetic_owners", sim::MemoryScope::kWorld});
    CHECK_NOTHROW(tools::check_memory(e, {4.0 * 1024 * 1024 * 1024, "--max-memory 4G"}));
    CHECK_NOTHROW(tools::check_memory(e, {0, "--max-memory unlimited"}));
    try {
      tools::check_memory(e, {1.0 * 1024 * 1024 * 1024, "--max-memory 1G"});
      FAIL("not refused");
    } catch (const sim::ParamError& error) {
      CHECK(error.key() == "world.rd_min_weight,world.synthetic_owners");
      const std::string what = error.what();
      CHECK(what.find("needs about 3.0 GiB at its peak, more than the limit of 1.0 GiB (--max-memory 1G)") !=
            std::string::npos);
      CHECK(what.find("10 MiB  the program") != std::string::npos);
      CHECK(what.find("make it smaller with world.rd_min_weight or world.synthetic_owners") !=
            std::string::npos);
    }
  }
}
