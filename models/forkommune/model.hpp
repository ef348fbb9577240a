// The FORKOMMUNE programme model (DOMAIN.md): municipalities and county municipalities that
// innovate on their own and through a research programme's projects, research institutions
// and their researchers, arenas, and the diffusion of innovations between owners.
//
// A ProgrammeModel is the frozen definition: the world (built once, shared by every replicate)
// and the parameters. A ProgrammeProcess is one replicate; each tick (one month) runs, in order,
// the phases of DOMAIN.md §3: programme calendar, arenas, projects, own innovation, diffusion,
// adaptation, learning and decay; then adaptive rules at year ends, then indicators (§6).
// docs/model.md describes the model in the ODD protocol's structure.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "models/diffusion/bass.hpp"
#include "models/forkommune/detail/state.hpp"
#include "models/forkommune/params.hpp"
#include "models/forkommune/world.hpp"
#include "sim/process.hpp"
#include "sim/rng.hpp"
#include "sim/stepper.hpp"
#include "sim/table.hpp"

namespace innosim::models::forkommune {

/// The indicators of the programme model, with the groups they are broken down by.
struct IndicatorLayout {
  sim::IndicatorSchema schema;
  std::vector<std::string> group_names;  ///< "centrality_1" ... "size_<5k" ... "county_03" ...
};

class ProgrammeProcess;

class ProgrammeModel {
 public:
  /// Throws sim::ParamError when the parameters are invalid.
  ProgrammeModel(std::shared_ptr<const World> world, Params params);

  [[nodiscard]] const World& world() const noexcept { return *world_; }
  [[nodiscard]] const Params& params() const noexcept { return params_; }
  [[nodiscard]] const IndicatorLayout& layout() const noexcept { return layout_; }
  /// Per national programme: its development municipalities (owner indices).
  [[nodiscard]] const std::vector<std::vector<std::uint32_t>>& developers() const noexcept {
    return developers_;
  }
  /// What the scenario's money cannot buy (DOMAIN.md §5.9: no share may silently buy nothing).
  [[nodiscard]] const std::vector<std::string>& warnings() const noexcept { return warnings_; }
  /// The same warnings in bokmål.
  [[nodiscard]] const std::vector<std::string>& warnings_nb() const noexcept { return warnings_nb_; }
  [[nodiscard]] sim::Step steps() const noexcept { return static_cast<sim::Step>(params_.run.years * 12); }

  [[nodiscard]] std::unique_ptr<ProgrammeProcess> make_replicate(sim::Replicate r) const;

 private:
  std::shared_ptr<const World> world_;
  Params params_;
  IndicatorLayout layout_;
  std::vector<std::vector<std::uint32_t>> developers_;
  std::vector<std::string> warnings_, warnings_nb_;
};

/// One replicate of the programme model.
class ProgrammeProcess final : public sim::Process {
 public:
  ProgrammeProcess(const ProgrammeModel& model, sim::Replicate replicate);
  ~ProgrammeProcess() override;
  ProgrammeProcess(const ProgrammeProcess&) = delete;
  ProgrammeProcess& operator=(const ProgrammeProcess&) = delete;

  [[nodiscard]] const sim::IndicatorSchema& indicators() const override { return model_.layout().schema; }
  void start() override;
  void advance(sim::Step t) override;
  [[nodiscard]] bool quiescent() const override { return false; }
  void measure(std::span<double> out) const override;

  /// Read access for tests and writers.
  [[nodiscard]] const detail::State& state() const noexcept { return *state_; }
  [[nodiscard]] const ProgrammeModel& model() const noexcept { return model_; }
  [[nodiscard]] sim::Stepper& stepper() noexcept { return stepper_; }
  /// Keep every recorded adoption (owner, innovation, tick) for the event log; set before start().
  void log_adoptions(bool on) noexcept { log_adoptions_ = on; }

 private:
  /// Runs the phases of internal tick t (the warm-up's ticks come first, see State::warmup).
  void tick(sim::Step t);
  // Phases, in the order of DOMAIN.md §3.
  void programme_calendar(sim::Step t);
  void arenas(sim::Step t);
  void national(sim::Step t);
  void projects(sim::Step t);
  void own_innovation(sim::Step t);
  void diffusion(sim::Step t);
  void adaptation(sim::Step t);
  void learning(sim::Step t);
  void rules(sim::Step t);

  // Money and the call (programme.cpp), in the order of docs/model.md §7.1-7.2.
  [[nodiscard]] static std::size_t year_index(sim::Step t);
  void open_year(sim::Step t);
  void close_year(sim::Step t);
  void commit(sim::Step t, int pot, double amount, bool paid_now);
  void run_call(sim::Step t);
  void announce(detail::Call& call);
  void collect_applications(detail::Call& call);
  void apply_innovation_project(detail::Call& call, std::uint32_t owner, sim::RngStream& rng);
  void apply_pre_project(detail::Call& call, std::uint32_t owner, sim::RngStream& rng);
  void apply_competence_project(detail::Call& call, std::uint32_t institution);
  void assess(detail::Project& pr, sim::Step t) const;
  void review(detail::Call& call);
  void fund(detail::Call& call);
  void start_projects(detail::Call& call);
  void remember_success(const detail::Call& call);
  void finish_project(sim::Step t, std::uint32_t p);
  void teach_failure(sim::Step t, const detail::Project& pr);
  // Arenas (arenas.cpp).
  void plan_arenas(const detail::YearMoney& money);
  // National programmes (national.cpp).
  void start_national();
  [[nodiscard]] std::uint32_t tick_of(const NationalProgramme::Date& d) const;
  void enrol(std::size_t programme, std::uint32_t owner);
  void enrol_wave(std::size_t programme, std::int64_t count, sim::RngStream& rng);
  void update_learning_network(std::size_t programme);
  void national_adopted(sim::Step t, std::uint32_t owner, const detail::Innovation& inn);
  void national_mandates(sim::Step t);

  // Helpers shared by the phases (innovation.cpp).
  std::uint32_t create_innovation(sim::Step t, const detail::NewInnovation& made, sim::RngStream& rng);
  void adopt(sim::Step t, std::uint32_t owner, std::uint32_t innovation, bool own_project);
  void expose_listeners(std::uint32_t speaker, std::uint32_t innovation);
  void add_exposure(std::uint32_t innovation, std::uint32_t owner, float amount);
  void merge_exposure(std::uint32_t innovation, std::span<const sim::AgentId> owners,
                      std::span<const float> amounts);
  void tie_owners(std::uint32_t a, std::uint32_t b, sim::DynamicLayer& layer, float weight, double lambda);
  void end_exposures(sim::Step t);
  /// Calls f(i) for each living innovation i the owner has adopted, in ascending order.
  template <class F>
  void for_living_adopted(std::uint32_t owner, F&& f);
  void count_for_gini(std::uint32_t municipality);
  [[nodiscard]] double adoption_scale(std::uint32_t owner, const detail::Innovation& inn, sim::Step t) const;
  [[nodiscard]] BassParams bass_at(double scale) const;
  [[nodiscard]] double adoption_probability(double scale, double f) const;
  [[nodiscard]] double adoption_bound(double scale, double f) const;
  [[nodiscard]] double relevance(const detail::Innovation& inn, sim::Step t) const;
  [[nodiscard]] bool alive(const detail::Innovation& inn, sim::Step t) const;
  void retire(detail::Innovation& inn);
  [[nodiscard]] float full_visibility(const detail::Innovation& inn) const;
  void raise_visibility(std::uint32_t innovation, sim::Step t);
  [[nodiscard]] double majorant(const detail::Innovation& inn, double f, sim::Step t) const;
  [[nodiscard]] double open_majorant(const detail::Innovation& inn, sim::Step t) const;
  [[nodiscard]] double exposed_majorant(const detail::Innovation& inn, sim::Step t) const;
  [[nodiscard]] double response(double exposure) const;
  void schedule(std::uint32_t innovation, std::uint8_t channel, std::uint64_t tick,
                const detail::ChannelRate& rate);
  [[nodiscard]] double free_staff(std::uint32_t owner) const;
  [[nodiscard]] bool has_adopted(std::uint32_t owner, std::uint32_t innovation) const;
  [[nodiscard]] bool is_adapting(std::uint32_t owner, std::uint32_t innovation) const;
  void count_group(std::vector<double>& by_group, std::uint32_t owner, double amount) const;

  const ProgrammeModel& model_;
  const World& world_;
  sim::RngKey key_;
  sim::Stepper stepper_;
  std::unique_ptr<detail::State> state_;
  std::vector<detail::Request> requests_;
  std::vector<std::uint32_t> merge_ids_;  ///< scratch of merge_exposure
  std::vector<float> merge_values_;
  std::vector<detail::Adaptation> adaptations_scratch_;
  mutable std::vector<double> measure_scratch_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>>
      waiting_scratch_;  ///< adaptation()'s kept wishes  ///< measure()'s users by group, kept between ticks
  // Scratch of the call's consortium building.
  std::vector<std::uint32_t> scratch_who_, scratch_which_;
  std::vector<double> scratch_weight_, scratch_iweight_;
  std::vector<double> own_base_rate_;  ///< own innovations per tick before capacity and culture
  std::vector<double> own_first_;      ///< P(one candidate | any) at the base rate
  [[nodiscard]] std::uint32_t next_own_candidate(sim::Step from, std::uint32_t owner) const;
  static std::uint64_t positive_poisson(sim::RngStream& rng, double mean, double first);
  // Scratch of diffusion(), kept between ticks so that a tick allocates nothing.
  std::vector<detail::CalendarEntry> due_;
  std::vector<std::uint64_t> next_wait_;
  std::vector<detail::ChannelRate> next_rate_;
  tbb::enumerable_thread_specific<std::vector<detail::Request>> wishes_;
  std::uint32_t lifetime_ticks_ = 0;  ///< innovation.lifetime_years in ticks (kNever: forever)
  // Tables of the hot functions of diffusion and own innovation, built once at start(): each entry
  // is the expression the model states, evaluated once. Adaptive rules change only programme.* and
  // arenas.* levers (validate() refuses others), which none of these depend on.
  void build_tables();
  std::vector<double>
      relevance_by_age_;            ///< relevance by age in ticks (innovation.relevance_half_life_years)
  std::vector<double> fit_by_gap_;  ///< context fit by centrality-class gap
  bool exact_step_ = false;         ///< diffusion.step_rule == "exact"
  bool linear_response_ = false;    ///< diffusion.response == "linear"
  sim::Step last_tick_ = 0;
  bool log_adoptions_ = false;
};

/// Builds the indicator schema and group names for a world and a scenario's national programmes.
IndicatorLayout make_indicator_layout(const World& world, const Params& params);

/// Resolves each national programme's development municipalities (codes, or the largest N) to
/// owner indices. Throws sim::ParamError naming the programme's key.
std::vector<std::vector<std::uint32_t>> national_developers(const World& world, const Params& params);
/// The same check on the data alone, before a world is built (`innosim scenario check`).
void check_national_developers(const WorldData& data, const Params& params);

/// Competence brokers each county can use: arenas.brokers_per_county, but no more than its owners
/// can keep busy (owners / arenas.matches_per_broker, rounded up).
std::vector<std::uint32_t> brokers_wanted(const World& world, const Params& params);

/// What a scenario's money cannot buy: shares smaller than one grant, arena money that cannot
/// pay for every arena or the brokers asked for (DOMAIN.md §5.9). One sentence each; empty when
/// every share buys something.
/// A warning in English and in bokmål (reports in either language).
struct MoneyWarning {
  std::string en, nb;
};
std::vector<MoneyWarning> money_warnings(const World& world, const Params& params);

/// Month numbers in tables: recorded months count from 1, the warm-up's are 0 and below, and
/// "never" is this.
inline constexpr std::int64_t kNeverMonth = -1000000;

/// What one replicate produced.
struct ProgrammeResult {
  sim::Replicate replicate = 0;
  std::vector<double> series;            ///< (steps + 1) x indicators, row-major by step
  std::vector<std::string> fired_rules;  ///< adaptive rules that fired, in order
  std::vector<sim::Table> tables;        ///< replicate_tables(), when asked for
};

/// What run_ensemble keeps of each replicate besides its series.
struct ResultOptions {
  bool tables = false;  ///< end states, innovations and projects (replicate_tables)
  bool events = false;  ///< and the adoption event log
};

/// Runs replicates first .. first + count - 1, at most `max_in_flight` at once, and hands each
/// result to `consume` in replicate order. Returns the number of replicates run.
std::size_t run_ensemble(const ProgrammeModel& model, sim::Replicate count, std::size_t max_in_flight,
                         const std::function<void(ProgrammeResult&&)>& consume,
                         const std::atomic<bool>* cancel = nullptr, const ResultOptions& options = {},
                         sim::Replicate first = 0);

/// The world as tables (owners, counties, institutions), for result files.
std::vector<sim::Table> world_tables(const World& world);

/// A finished replicate's tables: owners' and institutions' end states, the recorded period's
/// innovations and the projects, and the adoption log when it was kept.
std::vector<sim::Table> replicate_tables(const ProgrammeProcess& process);

}  // namespace innosim::models::forkommune
