// Every parameter of the FORKOMMUNE programme model, with its default, unit, valid range and
// source, declared once.
//
// `Params` holds the values; `parameter_specs()` describes each one (YAML key, type, range, unit,
// description, source or reason) with an accessor into `Params`. The scenario loader, the
// resolved-scenario printer, the validation and the parameter table in docs/ are all driven by
// this one list, so a parameter cannot be documented differently from how it is read or checked.
// Defaults marked "est." are starting estimates (DOMAIN.md) that calibration may change; see
// docs/calibration.md.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/types.hpp"

namespace innosim::models::forkommune {

/// An adaptive programme rule (DOMAIN.md §5.8), evaluated at year boundaries:
/// "from year `from_year` on, when `indicator` is below (or above) `threshold`, set `key` to `value`".
struct Rule {
  std::string name;
  int from_year = 1;
  std::string indicator;  ///< a rule indicator (see rule_indicator_names())
  bool below = true;      ///< true: fires when indicator < threshold; false: when > threshold
  double threshold = 0;
  std::string key;  ///< a numeric parameter key, e.g. "programme.quota_small_municipalities"
  double value = 0;
  bool once = true;  ///< fire at most once per run
};

/// A nationally promoted innovation (DOMAIN.md §5.9), like the national welfare-technology
/// programme 2014-2021: one innovation, developed by some municipalities, then spread with
/// organised enrolment. Dates are (year, month) in calendar years (see Params::Run::start_year).
struct NationalProgramme {
  struct Date {
    std::int64_t year = 0;
    std::int64_t month = 1;
    friend bool operator==(const Date&, const Date&) = default;
  };
  struct Wave {
    Date date;
    std::int64_t municipalities = 0;  ///< how many enrol at this date (more than remain: all of them)
    friend bool operator==(const Wave&, const Wave&) = default;
  };
  std::string name;  ///< identifier: lower-case letters, digits and '-'; names the indicators
  // The innovation.
  std::string domain = "health_care";            ///< one of domain_names()
  std::vector<std::string> types = {"service"};  ///< one or more of type_names()
  double complexity_months = 12;                 ///< adaptation work, as innovation.complexity
  double benefit = 1;                            ///< benefit factor of the hazard
  bool documented = true;
  bool actively_spread = true;
  bool research_backed = false;
  double half_life_years = 0;  ///< its appeal halves every so many years; 0: it does not age
  // Development: these municipalities develop it from `development_start` and have it in
  // ordinary use between then and `development_end` (each at a month of its own).
  std::vector<std::string> development_codes;  ///< municipality codes, or
  std::int64_t development_count = 0;          ///< the largest N municipalities when no codes are given
  Date development_start;
  Date development_end;
  // Spread phase.
  Date spread_start;
  std::vector<Wave> waves;         ///< enrolment dates and numbers, in date order
  std::string order = "interest";  ///< who enrols first: interest | largest | random
  // What enrolment brings.
  double guidance = 0;          ///< closes this share of the gap between capacity and 1, for this innovation
  double learning_network = 0;  ///< exposure weight of the enrolled adopters' share, among the enrolled
  double competence_tools = 0;  ///< shortens the adaptation by this share
  double money_mnok_per_municipality = 0;  ///< > 0: the adaptation's staff is paid, not the owner's
  std::int64_t mandate_year = 0;  ///< from January of this year every municipality must adopt it; 0: none
  friend bool operator==(const NationalProgramme&, const NationalProgramme&) = default;
};

/// The eight innovation domains (DOMAIN.md §2) and five types, as scenario files name them.
[[nodiscard]] std::span<const std::string_view> domain_names();
[[nodiscard]] std::span<const std::string_view> type_names();

struct Params {
  struct World {
    std::string source = "norway";   // norway | synthetic
    std::string municipalities_csv;  // empty: the embedded Norway data
    std::string counties_csv;
    std::string institutions_csv;
    std::int64_t synthetic_owners = 1000;
    std::int64_t synthetic_counties = 15;
    std::int64_t synthetic_institutions = 60;
    double synthetic_side_km = 1000;
    double synthetic_population_median = 5000;
    double synthetic_population_sigma = 1.2;
    double synthetic_researchers_per_institution = 20;
    std::int64_t geo_neighbours = 5;
    double geo_distance_scale_km = 40;
    double region_size = 7;
    double rd_distance_scale_km = 150;
    double rd_min_weight = 0.05;
    std::int64_t research_colleagues = 3;
    bool complete_exposure = false;
  } world;

  struct Owners {
    double capacity_intercept = -0.3;
    double capacity_per_log_population = 0.45;
    double capacity_per_centrality_class = 0.2;
    double capacity_noise_sd = 0.4;
    double culture_intercept = 0.0;
    double culture_per_log_population = 0.15;
    double culture_noise_sd = 0.5;
    double staff_fte_base = 0.2;
    double staff_fte_per_1000_inhabitants = 0.04;
    double staff_fte_max = 20;
    double small_population = 5000;
  } owners;

  struct Researchers {
    double share_high = 0.4;
    double share_medium = 0.1;
    double share_low = 0.02;
    double academic_per_research_fte = 2.5;
    double default_fte_university = 600;
    double default_fte_university_college = 150;
    double default_fte_institute = 40;
    double phd_share = 0.25;
    double senior_share = 0.3;
    std::int64_t max_projects = 2;
    double domain_expert_weight = 3.0;
    double retirement_per_year = 0.03;
    double international_university = 0.6;
    double international_university_college = 0.3;
    double international_institute = 0.4;
    double relevance_high = 0.8;
    double relevance_medium = 0.5;
    double relevance_low = 0.2;
    double quality_university = 0.7;
    double quality_university_college = 0.5;
    double quality_institute = 0.6;
    double second_domain_probability = 0.5;
    double spare_slot_share = 0.25;
  } researchers;

  struct Innovation {
    double own_rate_per_year = 2.0;
    std::int64_t initial_innovations = 0;
    double own_population_exponent = 0.3;
    double own_capacity_exponent = 1.0;
    double own_culture_exponent = 1.0;
    double research_share_own = 0.14;
    double documented_share_own = 0.44;
    double spread_share_own = 0.45;
    double spread_share_programme = 0.9;
    double type_service = 0.22;
    double type_product = 0.05;
    double type_process = 0.57;
    double type_communication = 0.08;
    double type_policy = 0.08;
    double combined_share = 0.25;
    double domain_health_care = 0.30;
    double domain_education = 0.15;
    double domain_child_welfare = 0.08;
    double domain_climate_environment = 0.10;
    double domain_planning_transport = 0.10;
    double domain_digital_administration = 0.15;
    double domain_democracy_participation = 0.05;
    double domain_business_development = 0.07;
    double complexity_median_months = 6;
    double complexity_sigma = 0.7;
    double benefit_median = 0.06;
    double benefit_sigma = 1.0;
    double relevance_half_life_years = 3.0;
    double lifetime_years = 12.0;
  } innovation;

  struct Diffusion {
    double p_per_year = 0.04;
    double q_per_year = 2.2;
    std::string response = "linear";  // linear | saturating
    double saturation_half = 0.2;
    std::string step_rule = "exact";  // exact | constant_hazard
    double weight_geo = 1.0;
    double weight_region = 1.0;
    double weight_county = 0.5;
    double weight_collab = 0.1;
    double weight_arena = 0.05;
    double visibility_base = 0.3;
    double visibility_documented = 0.35;
    double visibility_spread = 0.35;
    double fit_decay_per_class = 0.25;
    double absorptive_exponent = 1.0;
    double arena_exposure = 0.2;
    double arena_memory_months = 24;
    bool staff_limit = true;
    double adaptation_staff_fte = 0.1;
    double adaptation_duration_factor = 1.0;
    double adaptation_abandon_per_month = 0.01;
    std::int64_t wait_months = 12;
  } diffusion;

  struct Programme {
    bool enabled = true;
    double budget_mnok_per_year = 60;
    std::vector<double> ramp_up = {0.4, 0.7, 1.0};
    std::int64_t first_year = 1;
    std::int64_t last_year = 15;
    std::int64_t call_month = 3;
    double share_pre_project = 0.10;
    double share_innovation_project = 0.55;
    double share_competence_project = 0.25;
    double share_arenas = 0.10;
    double quota_newcomers = 0.0;
    double quota_small_municipalities = 0.0;
    double min_free_staff_fte = 0.2;
    // Pre-projects.
    double pre_grant_mnok = 0.3;
    std::int64_t pre_duration_months = 6;
    double pre_success_probability = 0.8;
    double pre_apply_rate_per_year = 0.06;
    double pre_newcomer_factor = 2.0;
    std::int64_t pre_readiness_months = 24;
    // Innovation projects.
    double ip_grant_median_mnok = 6.75;
    double ip_grant_sigma = 0.15;
    double ip_grant_min_mnok = 3;
    double ip_grant_max_mnok = 7;
    std::int64_t ip_duration_months = 36;
    double ip_success_probability = 0.7;
    double ip_innovations_per_success = 1.5;
    double ip_partners_mean = 1.0;
    std::int64_t ip_max_research_groups = 2;
    double ip_apply_rate_per_year = 0.14;
    double ip_small_factor = 0.5;
    double ip_broker_factor = 1.5;
    double ip_preproject_factor = 2.0;
    double ip_experience_factor = 0.3;
    double ip_lead_staff_fte = 0.5;
    double ip_partner_staff_fte = 0.2;
    std::int64_t ip_min_municipalities = 1;
    // Competence projects.
    double cp_grant_mnok = 10;
    std::int64_t cp_duration_months = 48;
    double cp_apply_rate_per_year = 0.15;
    double cp_min_relevance = 0.4;
    double cp_success_probability = 0.85;
    bool cp_require_international = false;
    std::int64_t cp_phds = 2;
    // Review.
    double review_weight_relevance = 1.0;
    double review_weight_realizability = 1.0;
    double review_weight_spread = 1.0;
    double review_noise_sd = 0.3;
    double relevance_without_expert = 0.6;
    double realizability_weight_capacity = 0.5;
    double realizability_weight_quality = 0.3;
    double realizability_weight_preproject = 0.2;
    double spread_weight_partners = 0.6;
    double spread_weight_variety = 0.4;
    double second_group_probability = 0.5;
    double second_researcher_probability = 0.5;
    double pre_partners_mean = 0.5;
    std::int64_t cp_researchers = 2;
    double cp_second_owner_probability = 0.5;
    // Money (DOMAIN.md §5.9).
    bool carry_over = true;
    double ip_max_funding_share = 0.75;
    // Applications respond to the call (DOMAIN.md §5.9).
    double application_elasticity = 2.0;
    double expected_success_reference = 0.35;
    double expected_success_first_call = 0.5;
    double success_memory = 0.35;
    double review_min_score = 0.0;
    double documentation_plan_probability = 0.7;
    double spread_weight_documentation = 0.3;
    double broker_realizability_bonus = 0.1;
  } programme;

  struct Arenas {
    bool conference = true;
    std::int64_t conference_month = 10;
    std::int64_t conference_capacity = 300;
    double conference_cost_mnok = 1.5;
    std::int64_t conference_ties_per_participant = 2;
    double conference_culture_gain = 0.01;
    std::int64_t conference_recent_years = 3;
    double conference_attendance_per_culture = 0.3;
    std::int64_t conference_obliged_months = 12;
    bool regional = true;
    std::int64_t regional_month = 4;
    std::int64_t brokers_per_county = 2;
    std::int64_t matches_per_broker = 5;
    double regional_cost_mnok_per_county = 0.05;
    double regional_participation_newcomer = 0.5;
    double regional_participation_other = 0.15;
    std::int64_t broker_effect_months = 12;
    double broker_rd_tie_weight = 0.5;
    bool network = true;
    std::int64_t network_month = 11;
    double network_cost_mnok = 0.75;
    std::int64_t network_ties_per_researcher = 2;
    double network_international_gain = 0.02;
    double network_publications_per_tie = 0.1;
    double tie_half_life_months = 12;
    double tie_min_weight = 0.25;
    double broker_cost_mnok_per_year = 0.1;
    bool broker_shapes_consortia = true;
  } arenas;

  struct Learning {
    double capacity_gain_project = 0.03;
    double culture_gain_project = 0.02;
    double gain_failed_project = 0.01;
    double capacity_gain_adoption = 0.001;
    double culture_gain_adoption = 0.001;
    double reversion_per_year = 0.1;
    double relevance_gain_competence = 0.05;
    double international_gain_competence = 0.05;
    double collab_tie_weight = 1.0;
    double publications_per_project = 2.0;
    double publications_per_competence_project = 4.0;
    double preproject_gain_share = 0.2;
    double failure_lesson_culture_gain = 0.01;
    double failure_lesson_adaptation_cut = 0.25;
    std::int64_t failure_lesson_months = 36;
  } learning;

  struct Run {
    sim::Seed seed = 20261130;
    std::int64_t replicates = 100;
    std::int64_t years = 15;
    std::int64_t warmup_years = 10;
    std::int64_t start_year = 2017;
  } run;

  std::vector<Rule> rules;
  std::vector<NationalProgramme> national_programmes;
};

enum class ParamType : std::uint8_t { kNumber, kInteger, kBoolean, kChoice, kText, kNumberList, kSeed };

/// Where a parameter lives in `Params`.
using ParamSlot = std::variant<double*, std::int64_t*, bool*, std::string*, std::vector<double>*, sim::Seed*>;

struct ParamSpec {
  std::string_view key;  ///< YAML key path, "diffusion.q_per_year"
  ParamType type;
  double min = 0;  ///< numbers and integers (each element of a list)
  double max = 0;
  std::string_view unit;                  ///< "1/year", "MNOK", "months", "share", "" ...
  std::string_view description;           ///< one sentence
  std::string_view source;                ///< the source, or "est.: <reason>"
  std::vector<std::string_view> choices;  ///< kChoice
  std::function<ParamSlot(Params&)> slot;
};

/// Every parameter, in the order the resolved scenario and the documentation list them.
[[nodiscard]] std::span<const ParamSpec> parameter_specs();
/// The spec of a key, or nullptr.
[[nodiscard]] const ParamSpec* find_parameter(std::string_view key);

/// True for the parameters build_world reads (the world, owners and researchers sections, and
/// the diffusion layers' weights that make the listener layer): a different value needs another
/// world. Sweeps key their cached worlds by them; calibrations refuse to vary them.
[[nodiscard]] bool shapes_world(std::string_view key) noexcept;

/// Checks ranges and the relations between parameters (shares adding up, months within a year,
/// rule keys and indicators that exist). Throws sim::ParamError with the key.
void validate(const Params& params);

/// Names of the yearly indicators adaptive rules can read.
[[nodiscard]] std::span<const std::string_view> rule_indicator_names();

}  // namespace innosim::models::forkommune
