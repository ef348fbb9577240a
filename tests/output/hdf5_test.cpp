// The HDF5 layer: what is written reads back, a file is under its final name only after
// commit(), and mistakes are reported with the file and object.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "output/hdf5.hpp"
#include "output/result_file.hpp"

using namespace innosim;
namespace h5 = innosim::output::h5;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("innosim-hdf5-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir / name;
}

std::vector<double> read_doubles(const fs::path& file, const char* dataset,
                                 std::vector<hsize_t>* dims = nullptr) {
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(f >= 0);
  const hid_t d = H5Dopen2(f, dataset, H5P_DEFAULT);
  REQUIRE(d >= 0);
  const hid_t space = H5Dget_space(d);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> extent(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space, extent.data(), nullptr);
  hsize_t n = 1;
  for (const auto e : extent) n *= e;
  std::vector<double> values(n);
  if (n > 0) REQUIRE(H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) >= 0);
  if (dims != nullptr) *dims = extent;
  H5Sclose(space);
  H5Dclose(d);
  H5Fclose(f);
  return values;
}

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("datasets tables and appended rows read back as written") {
    const fs::path path = scratch("roundtrip.h5");
    {
      h5::File file(path);
      const h5::Group g = file.root().group("a");
      std::vector<double> big(3000);
      for (std::size_t k = 0; k < big.size(); ++k) big[k] = 0.5 * static_cast<double>(k);
      g.write("big", big, {1000, 3}, "units", "a compressed 2-D dataset");
      sim::Table t{"table", "a table", {}};
      auto& x = t.add<double>("x", "m", "x");
      auto& k = t.add<std::int64_t>("k", "", "k");
      auto& s = t.add<std::string>("s", "", "s");
      for (int i = 0; i < 5; ++i) {
        x.push_back(i * 1.5);
        k.push_back(i - 2);
        s.push_back("row " + std::to_string(i));
      }
      g.write(t);
      h5::Appendable app = g.appendable("grow", {2, 3}, false, 4);
      for (int r = 0; r < 3; ++r) {
        std::vector<double> row(6);
        for (int c = 0; c < 6; ++c) row[static_cast<std::size_t>(c)] = r * 10 + c;
        app.append(row);
      }
      CHECK(app.rows() == 3);
      CHECK_FALSE(fs::exists(path));  // not before commit
      file.commit();
    }
    REQUIRE(fs::exists(path));
    std::vector<hsize_t> dims;
    const auto big = read_doubles(path, "/a/big", &dims);
    CHECK(dims == std::vector<hsize_t>{1000, 3});
    CHECK(big[2999] == 1499.5);
    const auto x = read_doubles(path, "/a/table/x");
    CHECK(x == std::vector<double>{0, 1.5, 3, 4.5, 6});
    const auto k = read_doubles(path, "/a/table/k");
    CHECK(k == std::vector<double>{-2, -1, 0, 1, 2});
    const auto grow = read_doubles(path, "/a/grow", &dims);
    CHECK(dims == std::vector<hsize_t>{3, 2, 3});
    CHECK(grow[6 * 2 + 5] == 25);
    fs::remove_all(path.parent_path());
  }

  TEST_CASE("a file destroyed before commit leaves neither the final nor the temporary name") {
    const fs::path path = scratch("abandoned.h5");
    fs::path temporary;
    {
      h5::File file(path);
      temporary = file.temporary_path();
      file.root().group("g").attribute("x", 1.0);
      CHECK(fs::exists(temporary));
    }
    CHECK_FALSE(fs::exists(path));
    CHECK_FALSE(fs::exists(temporary));
    fs::remove_all(path.parent_path());
  }

  TEST_CASE("errors name the file and the object") {
    CHECK_THROWS_WITH_AS(h5::File("/no/such/directory/x.h5"),
                         doctest::Contains("/no/such/directory/x.h5.tmp-"), h5::H5Error);
    const fs::path path = scratch("errors.h5");
    h5::File file(path);
    sim::Table t{"ragged", "", {}};
    t.add<double>("a", "", "") = {1, 2};
    t.add<double>("b", "", "") = {1};
    CHECK_THROWS_WITH_AS(file.root().write(t), doctest::Contains("column b has 1 rows"), h5::H5Error);
    const std::vector<double> three{1, 2, 3};
    CHECK_THROWS_WITH_AS(file.root().write("d", three, {2, 2}), doctest::Contains("errors.h5:/d"),
                         h5::H5Error);
    h5::Appendable app = file.root().appendable("rows", {4}, false, 8);
    CHECK_THROWS_WITH_AS(app.append(three), doctest::Contains("not whole rows of 4"), h5::H5Error);
    fs::remove_all(path.parent_path());
  }

  TEST_CASE("a scenario writer folds months into years and totals by aggregation") {
    const fs::path path = scratch("scenario.h5");
    sim::IndicatorSchema schema;
    schema.add("flow", "n", "a flow", sim::Aggregation::kFlow);
    schema.add("stock", "n", "a stock", sim::Aggregation::kStock);
    {
      output::ResultFile file(path, {"0", "test", "run", {}, {}});
      output::ScenarioInfo info;
      info.name = "s";
      info.steps_per_year = 2;
      auto& w = file.scenario(info, schema, 4);  // two years of two months
      // steps 0..4, (flow, stock) per step
      const std::vector<double> series{0, 0, 1, 10, 2, 20, 3, 30, 4, 40};
      w.add_replicate(7, series, {}, {"year 1: rule"});
      CHECK_THROWS_AS(w.add_replicate(8, std::vector<double>(3), {}, {}), h5::H5Error);
      file.commit({});
    }
    std::vector<hsize_t> dims;
    const auto yearly = read_doubles(path, "/scenarios/s/yearly", &dims);
    CHECK(dims == std::vector<hsize_t>{1, 2, 2});
    CHECK(yearly == std::vector<double>{3, 20, 7, 40});
    const auto totals = read_doubles(path, "/scenarios/s/totals");
    CHECK(totals == std::vector<double>{10, 40});
    CHECK(read_doubles(path, "/scenarios/s/replicate") == std::vector<double>{7});
    fs::remove_all(path.parent_path());
  }
}
