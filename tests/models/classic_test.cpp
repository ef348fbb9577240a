// Whole classic experiments: ensembles are bitwise identical for any thread count and on
// repetition, and replicate r does not depend on how many replicates run.
#include "models/diffusion/classic.hpp"

#include <doctest/doctest.h>

#include <cstring>

#include "tests/support/threads.hpp"

using namespace innosim;

namespace {

std::vector<std::vector<double>> series_of(const models::ClassicSpec& spec, int threads,
                                           std::size_t in_flight) {
  std::vector<std::vector<double>> out;
  innosim::test::with_threads(threads, [&] {
    models::run_ensemble(spec, in_flight, [&](models::ReplicateResult&& r) {
      CHECK(r.replicate == out.size());
      out.push_back(std::move(r.series));
    });
  });
  return out;
}

std::vector<models::ClassicSpec> specs() {
  std::vector<models::ClassicSpec> all;
  auto base = [](models::ModelParams m, models::GraphParams g, bool resample) {
    models::ClassicSpec s;
    s.model = std::move(m);
    s.graph = std::move(g);
    s.resample_graph = resample;
    s.seeding = models::default_seeding(s.model);
    s.seed = 123456789;
    s.replicates = 12;
    s.steps = 30;
    return s;
  };
  all.push_back(base(models::BassParams{}, models::CompleteGraphParams{2000}, false));
  all.push_back(base(models::BassParams{}, models::WattsStrogatzParams{2000, 6, 0.1}, false));
  all.push_back(base(models::SiParams{0.1}, models::BarabasiAlbertParams{2000, 2}, true));
  all.push_back(
      base(models::IndependentCascadeParams{0.2, {}}, models::ErdosRenyiGnpParams{3000, 0.002, false}, true));
  all.push_back(base(models::LinearThresholdParams{}, models::BarabasiAlbertParams{3000, 3}, false));
  all.push_back(
      base(models::WattsThresholdParams{0.18, 0.0}, models::ErdosRenyiGnpParams{3000, 0.001, false}, true));
  return all;
}

}  // namespace

TEST_SUITE("parallel") {
  TEST_CASE("ensembles are bitwise identical on 1 to 8 threads and on repetition") {
    for (const auto& spec : specs()) {
      CAPTURE(models::model_type_name(spec.model));
      const auto reference = series_of(spec, 1, 1);
      REQUIRE(reference.size() == spec.replicates);
      for (const int k : innosim::test::kThreadCounts) {
        for (int repeat = 0; repeat < 2; ++repeat) {
          const auto got = series_of(spec, k, static_cast<std::size_t>(k));
          REQUIRE(got.size() == reference.size());
          for (std::size_t r = 0; r < got.size(); ++r) {
            REQUIRE(got[r].size() == reference[r].size());
            CHECK(std::memcmp(got[r].data(), reference[r].data(), got[r].size() * sizeof(double)) == 0);
          }
        }
      }
    }
  }

  TEST_CASE("replicate r is the same whether 5 or 12 replicates run") {
    auto spec = specs()[3];
    const auto twelve = series_of(spec, 2, 2);
    spec.replicates = 5;
    const auto five = series_of(spec, 2, 2);
    for (std::size_t r = 0; r < 5; ++r) CHECK(five[r] == twelve[r]);
  }
}

TEST_SUITE("unit") {
  TEST_CASE("replicates differ from each other and agent states are kept on request") {
    auto spec = specs()[3];
    std::vector<models::ReplicateResult> results;
    models::run_ensemble(
        spec, 2, [&](models::ReplicateResult&& r) { results.push_back(std::move(r)); }, true);
    REQUIRE(results.size() == 12);
    CHECK(results[0].adoption_steps.size() == 3000);
    bool any_different = false;
    for (std::size_t r = 1; r < results.size(); ++r) any_different |= results[r].series != results[0].series;
    CHECK(any_different);
    std::size_t adopted = 0;
    for (auto s : results[0].adoption_steps) adopted += s != sim::kNever ? 1 : 0;
    CHECK(static_cast<double>(adopted) == results[0].series[std::size_t{spec.steps} * 2]);
  }
}
