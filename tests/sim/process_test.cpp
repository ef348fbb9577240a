// The replicate loop and observers, on a toy process whose series is known exactly.
#include "sim/process.hpp"

#include <doctest/doctest.h>

#include "sim/error.hpp"

using namespace innosim::sim;

namespace {

// Counts up by one per tick until it reaches `stop`, then stays.
class Counter final : public Process {
 public:
  explicit Counter(int stop) : stop_(stop) {
    schema_.add("value", "1", "the counter");
    schema_.add("ticks", "steps", "ticks seen");
  }
  [[nodiscard]] const IndicatorSchema& indicators() const override { return schema_; }
  void start() override { value_ = 0; }
  void advance(Step t) override {
    ticks_ = t;
    if (value_ < stop_) ++value_;
  }
  [[nodiscard]] bool quiescent() const override { return value_ >= stop_; }
  void measure(std::span<double> out) const override {
    out[0] = value_;
    out[1] = ticks_;
  }

 private:
  IndicatorSchema schema_;
  int stop_;
  int value_ = 0;
  Step ticks_ = 0;
};

}  // namespace

TEST_SUITE("unit") {
  TEST_CASE("run_process observes steps 0 to max_steps and reports when it went quiet") {
    Counter c(3);
    SeriesRecorder rec;
    Observer* observers[] = {&rec};
    const Step quiet = run_process(c, {1, 0, 5}, observers);
    CHECK(quiet == 3);
    REQUIRE(rec.num_steps() == 6);
    CHECK(rec.width() == 2);
    for (Step t = 0; t <= 5; ++t) {
      CHECK(rec.at(t, 0) == std::min<double>(t, 3));
      CHECK(rec.at(t, 1) == t);
    }
  }

  TEST_CASE("a process that never settles reports kNever") {
    Counter c(100);
    SeriesRecorder rec;
    Observer* observers[] = {&rec};
    CHECK(run_process(c, {1, 0, 10}, observers) == kNever);
  }

  TEST_CASE("the indicator schema finds names and refuses repeats") {
    IndicatorSchema s;
    CHECK(s.add("adopters", "agents", "x") == 0);
    CHECK(s.add("spread", "agents", "y") == 1);
    CHECK(s.require("spread") == 1);
    CHECK_FALSE(s.find("gini").has_value());
    CHECK_THROWS_WITH_AS(static_cast<void>(s.require("gini")),
                         "unknown indicator 'gini' (this model records: adopters, spread)", ParamError);
    CHECK_THROWS_AS(s.add("adopters", "", ""), ParamError);
  }
}
