// The parameter registry: key, type, range, unit, description and source of every parameter.
#include "models/forkommune/params.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "models/forkommune/detail/streams.hpp"
#include "sim/error.hpp"

namespace innosim::models::forkommune {
namespace {

using P = Params;

// Builders keep each entry on a few lines: key, accessor, range, unit, description, source.
ParamSpec num(std::string_view key, std::function<double*(P&)> at, double min, double max,
              std::string_view unit, std::string_view description, std::string_view source) {
  return {key,
          ParamType::kNumber,
          min,
          max,
          unit,
          description,
          source,
          {},
          [at = std::move(at)](P& p) -> ParamSlot { return at(p); }};
}
ParamSpec integer(std::string_view key, std::function<std::int64_t*(P&)> at, double min, double max,
                  std::string_view unit, std::string_view description, std::string_view source) {
  return {key,
          ParamType::kInteger,
          min,
          max,
          unit,
          description,
          source,
          {},
          [at = std::move(at)](P& p) -> ParamSlot { return at(p); }};
}
ParamSpec boolean(std::string_view key, std::function<bool*(P&)> at, std::string_view description,
                  std::string_view source) {
  return {
      key, ParamType::kBoolean, 0, 1, "", description, source, {}, [at = std::move(at)](P& p) -> ParamSlot {
        return at(p);
      }};
}
ParamSpec choice(std::string_view key, std::function<std::string*(P&)> at,
                 std::vector<std::string_view> choices, std::string_view description,
                 std::string_view source) {
  return {key,
          ParamType::kChoice,
          0,
          0,
          "",
          description,
          source,
          std::move(choices),
          [at = std::move(at)](P& p) -> ParamSlot { return at(p); }};
}
ParamSpec text(std::string_view key, std::function<std::string*(P&)> at, std::string_view description,
               std::string_view source) {
  return {key, ParamType::kText, 0, 0, "", description, source, {}, [at = std::move(at)](P& p) -> ParamSlot {
            return at(p);
          }};
}
ParamSpec list(std::string_view key, std::function<std::vector<double>*(P&)> at, double min, double max,
               std::string_view unit, std::string_view description, std::string_view source) {
  return {key,
          ParamType::kNumberList,
          min,
          max,
          unit,
          description,
          source,
          {},
          [at = std::move(at)](P& p) -> ParamSlot { return at(p); }};
}

std::vector<ParamSpec> make_specs() {
  std::vector<ParamSpec> s;
  // ---- world -----------------------------------------------------------------------------------
  s.push_back(choice(
      "world.source", [](P& p) { return &p.world.source; }, {"norway", "synthetic"},
      "The world: Norway's municipalities, counties and research institutions, or a synthetic world of any "
      "size.",
      "DOMAIN.md §2; data/norway/SOURCES.md"));
  s.push_back(text(
      "world.municipalities_csv", [](P& p) { return &p.world.municipalities_csv; },
      "Municipalities CSV with the columns of the Norway data (empty: the embedded Norway data).",
      "scenarios/data/norway/SOURCES.md"));
  s.push_back(text(
      "world.counties_csv", [](P& p) { return &p.world.counties_csv; },
      "Counties CSV (empty: the embedded Norway data).", "scenarios/data/norway/SOURCES.md"));
  s.push_back(text(
      "world.institutions_csv", [](P& p) { return &p.world.institutions_csv; },
      "Research institutions CSV (empty: the embedded Norway data).", "scenarios/data/norway/SOURCES.md"));
  s.push_back(integer(
      "world.synthetic_owners", [](P& p) { return &p.world.synthetic_owners; }, 10, 2e6, "owners",
      "Municipalities in a synthetic world.", "est.: for scale tests (10^5 in the benchmark)"));
  s.push_back(integer(
      "world.synthetic_counties", [](P& p) { return &p.world.synthetic_counties; }, 1, 10000, "counties",
      "Counties in a synthetic world.", "est.: Norway has 15"));
  s.push_back(integer(
      "world.synthetic_institutions", [](P& p) { return &p.world.synthetic_institutions; }, 1, 1e6,
      "institutions", "Research institutions in a synthetic world.", "est.: Norway's data set has 61"));
  s.push_back(num(
      "world.synthetic_side_km", [](P& p) { return &p.world.synthetic_side_km; }, 1, 1e5, "km",
      "Side of the square a synthetic world's municipalities are placed in.",
      "est.: about the extent of mainland Norway"));
  s.push_back(num(
      "world.synthetic_population_median", [](P& p) { return &p.world.synthetic_population_median; }, 10, 1e7,
      "inhabitants", "Median population of a synthetic municipality (log-normal).",
      "Norway's median municipality has about 5,000 inhabitants (SSB 07459, 2026)"));
  s.push_back(num(
      "world.synthetic_population_sigma", [](P& p) { return &p.world.synthetic_population_sigma; }, 0, 5,
      "log", "Log-normal spread of synthetic populations.",
      "est.: fits the spread of Norway's municipal populations"));
  s.push_back(num(
      "world.synthetic_researchers_per_institution",
      [](P& p) { return &p.world.synthetic_researchers_per_institution; }, 0, 10000, "researchers",
      "Mean municipal-sector researchers per synthetic institution.", "est.: Norway's average"));
  s.push_back(integer(
      "world.geo_neighbours", [](P& p) { return &p.world.geo_neighbours; }, 1, 100, "owners",
      "Nearest municipalities each municipality is tied to on the geo layer.",
      "est.: a Norwegian municipality borders about five others"));
  s.push_back(num(
      "world.geo_distance_scale_km", [](P& p) { return &p.world.geo_distance_scale_km; }, 1, 10000, "km",
      "Geo tie weight is exp(-distance / scale).", "est.: a typical distance between neighbouring centres"));
  s.push_back(num(
      "world.region_size", [](P& p) { return &p.world.region_size; }, 2, 100, "municipalities",
      "Target size of the regional councils derived inside each county.",
      "DOMAIN.md §2: groups of about 5-10 neighbouring municipalities"));
  s.push_back(num(
      "world.rd_distance_scale_km", [](P& p) { return &p.world.rd_distance_scale_km; }, 1, 10000, "km",
      "Initial owner-institution tie weight decays as exp(-distance / scale).",
      "est.: research ties are mostly regional (DOMAIN.md §2)"));
  s.push_back(num(
      "world.rd_min_weight", [](P& p) { return &p.world.rd_min_weight; }, 0, 1, "weight",
      "Initial owner-institution ties weaker than this are not made.", "est.: keeps the rd layer sparse"));
  s.push_back(integer(
      "world.research_colleagues", [](P& p) { return &p.world.research_colleagues; }, 0, 100, "researchers",
      "Co-author ties of each researcher within their institution.", "est.: small research groups"));
  s.push_back(boolean(
      "world.complete_exposure", [](P& p) { return &p.world.complete_exposure; },
      "Every owner hears every other with weight 1/(n - 1), instead of the geo, region and county "
      "layers (the Bass docking check of DOMAIN.md §5.5).",
      "DOMAIN.md §5.5"));
  // ---- owners ----------------------------------------------------------------------------------
  s.push_back(num(
      "owners.capacity_intercept", [](P& p) { return &p.owners.capacity_intercept; }, -10, 10, "logit",
      "Initial capacity = logistic(intercept + a ln(pop/10,000) - b (centrality - 3.5) + noise).",
      "est.: DOMAIN.md §2, larger and more central municipalities start higher"));
  s.push_back(num(
      "owners.capacity_per_log_population", [](P& p) { return &p.owners.capacity_per_log_population; }, -10,
      10, "logit", "Effect a of log population on initial capacity.", "est."));
  s.push_back(num(
      "owners.capacity_per_centrality_class", [](P& p) { return &p.owners.capacity_per_centrality_class; },
      -10, 10, "logit", "Effect b of one centrality class on initial capacity.", "est."));
  s.push_back(num(
      "owners.capacity_noise_sd", [](P& p) { return &p.owners.capacity_noise_sd; }, 0, 10, "logit",
      "Standard deviation of the noise in initial capacity.", "est."));
  s.push_back(num(
      "owners.culture_intercept", [](P& p) { return &p.owners.culture_intercept; }, -10, 10, "logit",
      "Initial culture = logistic(intercept + c ln(pop/10,000) + noise).", "est.: DOMAIN.md §2"));
  s.push_back(num(
      "owners.culture_per_log_population", [](P& p) { return &p.owners.culture_per_log_population; }, -10, 10,
      "logit", "Effect c of log population on initial culture.", "est."));
  s.push_back(num(
      "owners.culture_noise_sd", [](P& p) { return &p.owners.culture_noise_sd; }, 0, 10, "logit",
      "Standard deviation of the noise in initial culture.", "est."));
  s.push_back(num(
      "owners.staff_fte_base", [](P& p) { return &p.owners.staff_fte_base; }, 0, 100, "FTE",
      "Development staff of a municipality before scaling with population.",
      "DOMAIN.md §2 (est.: 0.2 + population/25,000)"));
  s.push_back(num(
      "owners.staff_fte_per_1000_inhabitants", [](P& p) { return &p.owners.staff_fte_per_1000_inhabitants; },
      0, 10, "FTE", "Development staff per 1,000 inhabitants.",
      "DOMAIN.md §2 (est.: 1/25,000 per inhabitant)"));
  s.push_back(num(
      "owners.staff_fte_max", [](P& p) { return &p.owners.staff_fte_max; }, 0, 10000, "FTE",
      "Most development staff any owner has.", "est.: keeps Oslo within reason"));
  s.push_back(num(
      "owners.small_population", [](P& p) { return &p.owners.small_population; }, 0, 1e7, "inhabitants",
      "Municipalities below this population count as small (quotas, application propensity).",
      "DOMAIN.md §2 size class <5k"));
  // ---- researchers -----------------------------------------------------------------------------
  s.push_back(num(
      "researchers.share_high", [](P& p) { return &p.researchers.share_high; }, 0, 1, "share",
      "Share of an institution's research staff doing municipal-sector research, high municipal profile.",
      "est.: SOURCES.md profile 'a major share'"));
  s.push_back(num(
      "researchers.share_medium", [](P& p) { return &p.researchers.share_medium; }, 0, 1, "share",
      "Same, medium municipal profile.", "est.: SOURCES.md profile 'substantial but not the main'"));
  s.push_back(num(
      "researchers.share_low", [](P& p) { return &p.researchers.share_low; }, 0, 1, "share",
      "Same, low municipal profile.", "est.: SOURCES.md profile 'mainly other sectors'"));
  s.push_back(num(
      "researchers.academic_per_research_fte", [](P& p) { return &p.researchers.academic_per_research_fte; },
      1, 10, "ratio", "Academic FTE (DBH) per research FTE at universities and colleges.",
      "SOURCES.md §3: divide by about 2-3"));
  s.push_back(num(
      "researchers.default_fte_university", [](P& p) { return &p.researchers.default_fte_university; }, 0,
      1e5, "FTE", "Staff FTE assumed for a university without a figure.",
      "est.: the smaller universities in DBH"));
  s.push_back(num(
      "researchers.default_fte_university_college",
      [](P& p) { return &p.researchers.default_fte_university_college; }, 0, 1e5, "FTE",
      "Staff FTE assumed for a university college without a figure.", "est.: the smaller colleges in DBH"));
  s.push_back(num(
      "researchers.default_fte_institute", [](P& p) { return &p.researchers.default_fte_institute; }, 0, 1e5,
      "FTE", "Researcher FTE assumed for an institute without a figure.",
      "est.: SOURCES.md staff counts (about 20-70 at the regional institutes)"));
  s.push_back(num(
      "researchers.phd_share", [](P& p) { return &p.researchers.phd_share; }, 0, 1, "share",
      "Share of researchers who are PhD candidates at the start.", "est."));
  s.push_back(num(
      "researchers.senior_share", [](P& p) { return &p.researchers.senior_share; }, 0, 1, "share",
      "Share of researchers who are senior at the start.", "est."));
  s.push_back(integer(
      "researchers.max_projects", [](P& p) { return &p.researchers.max_projects; }, 1, 100, "projects",
      "Projects a researcher can work on at once.", "DOMAIN.md §2 (est.: two)"));
  s.push_back(num(
      "researchers.domain_expert_weight", [](P& p) { return &p.researchers.domain_expert_weight; }, 1, 1000,
      "weight", "How much likelier a project recruits a researcher who works in its domain.",
      "est.: groups staff projects with their specialists first"));
  s.push_back(num(
      "researchers.retirement_per_year", [](P& p) { return &p.researchers.retirement_per_year; }, 0, 1,
      "1/year", "Yearly probability that a researcher retires or moves (replaced by a newcomer).",
      "est.: careers of about 30 years"));
  s.push_back(num(
      "researchers.international_university", [](P& p) { return &p.researchers.international_university; }, 0,
      1, "share", "International links of a university (institution level).", "est."));
  s.push_back(num(
      "researchers.international_university_college",
      [](P& p) { return &p.researchers.international_university_college; }, 0, 1, "share",
      "International links of a university college.", "est."));
  s.push_back(num(
      "researchers.international_institute", [](P& p) { return &p.researchers.international_institute; }, 0,
      1, "share", "International links of a research institute.", "est."));
  s.push_back(num(
      "researchers.relevance_high", [](P& p) { return &p.researchers.relevance_high; }, 0, 1, "",
      "Starting municipal relevance of an institution with a high municipal profile.",
      "est.: SOURCES.md profiles mapped onto [0, 1]"));
  s.push_back(num(
      "researchers.relevance_medium", [](P& p) { return &p.researchers.relevance_medium; }, 0, 1, "",
      "Same, medium profile.", "est."));
  s.push_back(num(
      "researchers.relevance_low", [](P& p) { return &p.researchers.relevance_low; }, 0, 1, "",
      "Same, low profile.", "est."));
  s.push_back(num(
      "researchers.quality_university", [](P& p) { return &p.researchers.quality_university; }, 0, 1, "",
      "Research quality of a university in the review's realizability.",
      "est.: universities above institutes above colleges in research output per researcher"));
  s.push_back(num(
      "researchers.quality_university_college",
      [](P& p) { return &p.researchers.quality_university_college; }, 0, 1, "", "Same, university college.",
      "est."));
  s.push_back(num(
      "researchers.quality_institute", [](P& p) { return &p.researchers.quality_institute; }, 0, 1, "",
      "Same, research institute.", "est."));
  s.push_back(num(
      "researchers.second_domain_probability", [](P& p) { return &p.researchers.second_domain_probability; },
      0, 1, "probability", "Probability that a researcher works in a second innovation domain.",
      "DOMAIN.md §2: one or two domains"));
  s.push_back(num(
      "researchers.spare_slot_share", [](P& p) { return &p.researchers.spare_slot_share; }, 0, 10, "share",
      "Extra researcher places per institution (at least two) for PhD candidates who stay on.",
      "est.: competence projects train two PhDs each"));
  // ---- innovation ------------------------------------------------------------------------------
  s.push_back(num(
      "innovation.own_rate_per_year", [](P& p) { return &p.innovation.own_rate_per_year; }, 0, 100, "1/year",
      "Own innovations a year of an owner with capacity and culture 1 and 10,000 inhabitants.",
      "calibrated: 75 % of municipalities innovate within two years (docs/calibration.md)"));
  s.push_back(integer(
      "innovation.initial_innovations", [](P& p) { return &p.innovation.initial_innovations; }, 0, 1e6,
      "innovations",
      "Innovations made by random owners in the first month, besides own innovation (experiments, "
      "the docking check).",
      "scenario choice"));
  s.push_back(num(
      "innovation.own_population_exponent", [](P& p) { return &p.innovation.own_population_exponent; }, 0, 3,
      "", "Own innovation scales with (population/10,000)^exponent.",
      "est.: larger organisations innovate more"));
  s.push_back(num(
      "innovation.own_capacity_exponent", [](P& p) { return &p.innovation.own_capacity_exponent; }, 0, 5, "",
      "Own innovation scales with capacity^exponent.", "DOMAIN.md §5.4"));
  s.push_back(num(
      "innovation.own_culture_exponent", [](P& p) { return &p.innovation.own_culture_exponent; }, 0, 5, "",
      "Own innovation scales with culture^exponent.", "DOMAIN.md §5.4"));
  s.push_back(num(
      "innovation.research_share_own", [](P& p) { return &p.innovation.research_share_own; }, 0, 1, "share",
      "Share of own innovations that involve a research institution.",
      "Meld. St. 30; Menon 2018: 13-15 % (DOMAIN.md §5.4)"));
  s.push_back(num(
      "innovation.documented_share_own", [](P& p) { return &p.innovation.documented_share_own; }, 0, 1,
      "share", "Share of own innovations that are evaluated and written up.",
      "COI Innovationsbarometer: 45 % of all innovations; an input the bookkeeping check gives back (0.44 "
      "for "
      "own innovations, with the programme's documented ones about 0.45)"));
  s.push_back(num(
      "innovation.spread_share_own", [](P& p) { return &p.innovation.spread_share_own; }, 0, 1, "share",
      "Share of own innovations whose owner actively spreads them.", "COI: about half"));
  s.push_back(num(
      "innovation.spread_share_programme", [](P& p) { return &p.innovation.spread_share_programme; }, 0, 1,
      "share", "Share of programme innovations actively spread.",
      "DOMAIN.md §5.3 'committed to spreading' (est.)"));
  s.push_back(num(
      "innovation.type_service", [](P& p) { return &p.innovation.type_service; }, 0, 1, "share",
      "Probability that an innovation's main type is service.", "est.: KS 2018/2020"));
  s.push_back(num(
      "innovation.type_product", [](P& p) { return &p.innovation.type_product; }, 0, 1, "share",
      "Main type product.", "est.: KS 2018/2020"));
  s.push_back(num(
      "innovation.type_process", [](P& p) { return &p.innovation.type_process; }, 0, 1, "share",
      "Main type process/organisational.", "KS 2018 (63 %), 2020: about 60 % include this type"));
  s.push_back(num(
      "innovation.type_communication", [](P& p) { return &p.innovation.type_communication; }, 0, 1, "share",
      "Main type communication.", "est."));
  s.push_back(num(
      "innovation.type_policy", [](P& p) { return &p.innovation.type_policy; }, 0, 1, "share",
      "Main type policy.", "est."));
  s.push_back(num(
      "innovation.combined_share", [](P& p) { return &p.innovation.combined_share; }, 0, 1, "share",
      "Share of innovations that combine a second type.", "DOMAIN.md §2: one in four"));
  s.push_back(num(
      "innovation.domain_health_care", [](P& p) { return &p.innovation.domain_health_care; }, 0, 1, "weight",
      "Relative frequency of the domain health and care.", "est.: the largest municipal service area"));
  s.push_back(num(
      "innovation.domain_education", [](P& p) { return &p.innovation.domain_education; }, 0, 1, "weight",
      "Domain education.", "est."));
  s.push_back(num(
      "innovation.domain_child_welfare", [](P& p) { return &p.innovation.domain_child_welfare; }, 0, 1,
      "weight", "Domain child welfare.", "est."));
  s.push_back(num(
      "innovation.domain_climate_environment", [](P& p) { return &p.innovation.domain_climate_environment; },
      0, 1, "weight", "Domain climate and environment.", "est."));
  s.push_back(num(
      "innovation.domain_planning_transport", [](P& p) { return &p.innovation.domain_planning_transport; }, 0,
      1, "weight", "Domain planning and transport.", "est."));
  s.push_back(num(
      "innovation.domain_digital_administration",
      [](P& p) { return &p.innovation.domain_digital_administration; }, 0, 1, "weight",
      "Domain digital administration.", "est."));
  s.push_back(num(
      "innovation.domain_democracy_participation",
      [](P& p) { return &p.innovation.domain_democracy_participation; }, 0, 1, "weight",
      "Domain democracy and participation.", "est."));
  s.push_back(num(
      "innovation.domain_business_development",
      [](P& p) { return &p.innovation.domain_business_development; }, 0, 1, "weight",
      "Domain business development.", "est."));
  s.push_back(num(
      "innovation.complexity_median_months", [](P& p) { return &p.innovation.complexity_median_months; },
      0.01, 240, "months", "Median adaptation work of an innovation (log-normal).",
      "DOMAIN.md §2 (est.: 6)"));
  s.push_back(num(
      "innovation.complexity_sigma", [](P& p) { return &p.innovation.complexity_sigma; }, 0, 5, "log",
      "Log-normal spread of complexity.", "est."));
  s.push_back(num(
      "innovation.benefit_median", [](P& p) { return &p.innovation.benefit_median; }, 0.001, 100, "",
      "Median of an innovation's benefit factor, which multiplies its adoption hazard.",
      "calibrated with p and q on the share of municipalities that innovate in two years: a proven "
      "innovation has benefit 1; most municipal innovations are small local changes (about 0.3 % reach "
      "benefit 1 with sigma 1)"));
  s.push_back(num(
      "innovation.benefit_sigma", [](P& p) { return &p.innovation.benefit_sigma; }, 0, 5, "log",
      "Log-normal spread of the benefit factor; 0 makes every benefit equal to the median.", "est."));
  // ---- diffusion -------------------------------------------------------------------------------
  s.push_back(num(
      "innovation.relevance_half_life_years", [](P& p) { return &p.innovation.relevance_half_life_years; }, 0,
      1000, "years",
      "An innovation's appeal to adopters halves every this many years after it is made, as newer "
      "solutions, rules and technology overtake it; 0 keeps it forever (the Bass docking check).",
      "est., set in an earlier calibration round: without ageing adoptions per year grew without bound; 3 "
      "years "
      "keeps them stationary after the warm-up (docs/calibration.md, 'What was tuned')"));
  s.push_back(num(
      "innovation.lifetime_years", [](P& p) { return &p.innovation.lifetime_years; }, 0, 1000, "years",
      "Years after which an innovation is no longer taken up by anyone (0: never); the model forgets "
      "its exposures then.",
      "est.: four half-lives of relevance, when 1/16 of its appeal is left; the cut saves memory and "
      "time (docs/performance.md)"));
  s.push_back(num(
      "diffusion.p_per_year", [](P& p) { return &p.diffusion.p_per_year; }, 0, 10, "1/year",
      "The model's innovation coefficient p: the hazard's spontaneous term, before capacity, fit, "
      "visibility, benefit and relevance multiply it. Not the national curve's p.",
      "calibrated (with q_per_year) on the welfare-technology curve and the share of municipalities that "
      "innovate (DOMAIN.md §5.5, §7.2; docs/calibration.md)"));
  s.push_back(num(
      "diffusion.q_per_year", [](P& p) { return &p.diffusion.q_per_year; }, 0, 10, "1/year",
      "The model's imitation coefficient q: multiplies the response to exposure, before capacity, fit, "
      "visibility, benefit and relevance. Not the national curve's q (0.38-0.5), which emerges.",
      "calibrated on the welfare-technology curve 2016-2021 (DOMAIN.md §5.5, §7.2; docs/calibration.md)"));
  s.push_back(choice(
      "diffusion.response", [](P& p) { return &p.diffusion.response; }, {"linear", "saturating"},
      "f(exposure): linear, or saturating E (1 + h) / (E + h).", "DOMAIN.md §5.5: scenario's choice"));
  s.push_back(num(
      "diffusion.saturation_half", [](P& p) { return &p.diffusion.saturation_half; }, 0.001, 10, "exposure",
      "Exposure h at which the saturating response reaches half its rise.", "est."));
  s.push_back(choice(
      "diffusion.step_rule", [](P& p) { return &p.diffusion.step_rule; }, {"exact", "constant_hazard"},
      "Monthly adoption probability: the Bass equation's exact one-month conversion, or 1 - exp(-h/12).",
      "docs/model.md §7.5 (exact: no discretisation error in the Bass limit)"));
  s.push_back(num(
      "diffusion.weight_geo", [](P& p) { return &p.diffusion.weight_geo; }, 0, 100, "weight",
      "Weight of the geo layer in exposure.", "est."));
  s.push_back(num(
      "diffusion.weight_region", [](P& p) { return &p.diffusion.weight_region; }, 0, 100, "weight",
      "Weight of the regional-council layer.", "est."));
  s.push_back(num(
      "diffusion.weight_county", [](P& p) { return &p.diffusion.weight_county; }, 0, 100, "weight",
      "Weight of the county layer (municipality - county municipality).", "est."));
  s.push_back(num(
      "diffusion.weight_collab", [](P& p) { return &p.diffusion.weight_collab; }, 0, 100, "weight",
      "Weight of lasting ties from joint projects.",
      "est.: a project partner counts about as much as one close neighbour (static rows sum to 1)"));
  s.push_back(num(
      "diffusion.weight_arena", [](P& p) { return &p.diffusion.weight_arena; }, 0, 100, "weight",
      "Weight of weak ties formed at arenas.",
      "est.: half a project tie; weak ties carry news, not adoption (docs/calibration.md, sensitivity)"));
  s.push_back(num(
      "diffusion.visibility_base", [](P& p) { return &p.diffusion.visibility_base; }, 0, 100, "",
      "Visibility of an innovation that is neither documented nor actively spread; visibility multiplies "
      "the adoption hazard.",
      "est.: DOMAIN.md §5.5, undocumented innovations are hard to learn from"));
  s.push_back(num(
      "diffusion.visibility_documented", [](P& p) { return &p.diffusion.visibility_documented; }, 0, 100, "",
      "Added to visibility when the innovation is documented.", "est.: DOMAIN.md §5.5"));
  s.push_back(num(
      "diffusion.visibility_spread", [](P& p) { return &p.diffusion.visibility_spread; }, 0, 100, "",
      "Added to visibility when it is actively spread.", "est.: DOMAIN.md §5.5"));
  s.push_back(num(
      "diffusion.fit_decay_per_class", [](P& p) { return &p.diffusion.fit_decay_per_class; }, 0, 10, "",
      "Context fit = exp(-decay |centrality class - origin's class|).", "est.: DOMAIN.md §5.5"));
  s.push_back(num(
      "diffusion.absorptive_exponent", [](P& p) { return &p.diffusion.absorptive_exponent; }, 0, 10, "",
      "Absorptive capacity = capacity^exponent (0 switches it off).", "est.: Cohen & Levinthal 1990"));
  s.push_back(num(
      "diffusion.arena_exposure", [](P& p) { return &p.diffusion.arena_exposure; }, 0, 1, "exposure",
      "Exposure of an arena participant to each innovation the arena presented.", "est."));
  s.push_back(num(
      "diffusion.arena_memory_months", [](P& p) { return &p.diffusion.arena_memory_months; }, 0, 240,
      "months", "How long what an arena presented keeps exposing its participants.",
      "est.: DOMAIN.md arena ties decay in about two years"));
  s.push_back(boolean(
      "diffusion.staff_limit", [](P& p) { return &p.diffusion.staff_limit; },
      "Adaptations occupy development staff; without free staff an adoption waits.", "DOMAIN.md §2, §5.5"));
  s.push_back(num(
      "diffusion.adaptation_staff_fte", [](P& p) { return &p.diffusion.adaptation_staff_fte; }, 0, 100, "FTE",
      "Staff one adaptation occupies while it runs.", "est."));
  s.push_back(num(
      "diffusion.adaptation_duration_factor", [](P& p) { return &p.diffusion.adaptation_duration_factor; }, 0,
      10, "", "Adaptation takes complexity x factor x (1.5 - capacity) months; 0: immediate.",
      "DOMAIN.md §5.5 'shorter with high capacity' (est.)"));
  s.push_back(num(
      "diffusion.adaptation_abandon_per_month",
      [](P& p) { return &p.diffusion.adaptation_abandon_per_month; }, 0, 1, "1/month",
      "Monthly probability that a running adaptation is abandoned.", "est."));
  s.push_back(integer(
      "diffusion.wait_months", [](P& p) { return &p.diffusion.wait_months; }, 0, 1200, "months",
      "How long an owner that wants to adopt but has no free staff keeps the wish before giving up.",
      "est.: a year's planning cycle"));
  // ---- programme -------------------------------------------------------------------------------
  s.push_back(boolean(
      "programme.enabled", [](P& p) { return &p.programme.enabled; },
      "Whether the programme funds projects at all (false: the no-programme world).",
      "DOMAIN.md §7 counterfactual"));
  s.push_back(num(
      "programme.budget_mnok_per_year", [](P& p) { return &p.programme.budget_mnok_per_year; }, 0, 1e5,
      "MNOK/year", "Yearly budget at steady state.", "Programme plan §8: 60 MNOK a year"));
  s.push_back(list(
      "programme.ramp_up", [](P& p) { return &p.programme.ramp_up; }, 0, 10, "share",
      "Share of the steady budget in programme years 1, 2, ...; the last value holds afterwards.",
      "est.: the plan's 'etablert driftsmodus' comes after a start-up"));
  s.push_back(integer(
      "programme.first_year", [](P& p) { return &p.programme.first_year; }, 1, 1000, "year",
      "First year with a call.", "est."));
  s.push_back(integer(
      "programme.last_year", [](P& p) { return &p.programme.last_year; }, 1, 1000, "year",
      "Last year with a call.", "est.: runs the whole horizon"));
  s.push_back(integer(
      "programme.call_month", [](P& p) { return &p.programme.call_month; }, 1, 12, "month",
      "Month of the yearly call.", "est."));
  s.push_back(num(
      "programme.share_pre_project", [](P& p) { return &p.programme.share_pre_project; }, 0, 1, "share",
      "Budget share for pre-projects.", "est."));
  s.push_back(num(
      "programme.share_innovation_project", [](P& p) { return &p.programme.share_innovation_project; }, 0, 1,
      "share", "Budget share for innovation projects.", "est.: the plan's main instrument"));
  s.push_back(num(
      "programme.share_competence_project", [](P& p) { return &p.programme.share_competence_project; }, 0, 1,
      "share", "Budget share for competence projects.", "est."));
  s.push_back(num(
      "programme.share_arenas", [](P& p) { return &p.programme.share_arenas; }, 0, 1, "share",
      "Budget share for arenas (conference, regional arenas with brokers, researcher network).", "est."));
  s.push_back(num(
      "programme.quota_newcomers", [](P& p) { return &p.programme.quota_newcomers; }, 0, 1, "share",
      "Share of the innovation-project budget reserved for consortia led by owners without projects.",
      "DOMAIN.md §5.2 (scenario choice)"));
  s.push_back(num(
      "programme.quota_small_municipalities", [](P& p) { return &p.programme.quota_small_municipalities; }, 0,
      1, "share",
      "Share of the innovation-project budget reserved for consortia led by small municipalities.",
      "DOMAIN.md §5.2 (scenario choice)"));
  s.push_back(num(
      "programme.min_free_staff_fte", [](P& p) { return &p.programme.min_free_staff_fte; }, 0, 100, "FTE",
      "Free staff an owner needs to lead an application.", "est.: plan asks for at least one person"));
  s.push_back(num(
      "programme.pre_grant_mnok", [](P& p) { return &p.programme.pre_grant_mnok; }, 0, 100, "MNOK",
      "Grant of a pre-project.", "DOMAIN.md §5.2: about 0.3 MNOK"));
  s.push_back(integer(
      "programme.pre_duration_months", [](P& p) { return &p.programme.pre_duration_months; }, 1, 120,
      "months", "Duration of a pre-project.", "DOMAIN.md §5.2: about 6 months"));
  s.push_back(num(
      "programme.pre_success_probability", [](P& p) { return &p.programme.pre_success_probability; }, 0, 1,
      "probability", "Probability that a pre-project readies its consortium.", "est."));
  s.push_back(num(
      "programme.pre_apply_rate_per_year", [](P& p) { return &p.programme.pre_apply_rate_per_year; }, 0, 10,
      "1/year", "Yearly probability that an owner leads a pre-project application (before factors).",
      "est.: no target; with it pre-projects use most of their 10 % share"));
  s.push_back(num(
      "programme.pre_newcomer_factor", [](P& p) { return &p.programme.pre_newcomer_factor; }, 0, 100, "",
      "Pre-project propensity multiplier for owners without projects.",
      "DOMAIN.md §5.1: pre-projects attract newcomers"));
  s.push_back(integer(
      "programme.pre_readiness_months", [](P& p) { return &p.programme.pre_readiness_months; }, 0, 240,
      "months", "How long a successful pre-project raises its lead's innovation-project propensity.",
      "est."));
  s.push_back(num(
      "programme.ip_grant_median_mnok", [](P& p) { return &p.programme.ip_grant_median_mnok; }, 0, 1000,
      "MNOK", "Median innovation-project grant before clipping to [min, max].",
      "set so that the clipped log-normal's mean is the calls' 6.4 MNOK (2017-2020); an input the "
      "bookkeeping "
      "check gives back"));
  s.push_back(num(
      "programme.ip_grant_sigma", [](P& p) { return &p.programme.ip_grant_sigma; }, 0, 5, "log",
      "Log-normal spread of innovation-project grants.", "est."));
  s.push_back(num(
      "programme.ip_grant_min_mnok", [](P& p) { return &p.programme.ip_grant_min_mnok; }, 0, 1000, "MNOK",
      "Smallest innovation-project grant.", "DOMAIN.md §5.2: 3-7 MNOK allowed"));
  s.push_back(num(
      "programme.ip_grant_max_mnok", [](P& p) { return &p.programme.ip_grant_max_mnok; }, 0, 1000, "MNOK",
      "Largest innovation-project grant.", "DOMAIN.md §5.2: 3-7 MNOK allowed"));
  s.push_back(integer(
      "programme.ip_duration_months", [](P& p) { return &p.programme.ip_duration_months; }, 1, 240, "months",
      "Duration of an innovation project.", "DOMAIN.md §5.2: about 36 months"));
  s.push_back(num(
      "programme.ip_success_probability", [](P& p) { return &p.programme.ip_success_probability; }, 0, 1,
      "probability", "Success probability of an innovation project with realizability 1.",
      "est.: the plan expects uncertainty"));
  s.push_back(num(
      "programme.ip_innovations_per_success", [](P& p) { return &p.programme.ip_innovations_per_success; }, 1,
      100, "innovations", "Mean innovations from a successful innovation project (1 + Poisson).",
      "est.: DOMAIN.md §5.3 'one or more'"));
  s.push_back(num(
      "programme.ip_partners_mean", [](P& p) { return &p.programme.ip_partners_mean; }, 0, 100, "owners",
      "Mean partner owners invited besides the lead (Poisson).",
      "set so that funded projects have about 2.5 municipalities (at least 2.4 in 2019); mostly an input the "
      "bookkeeping check gives back"));
  s.push_back(integer(
      "programme.ip_max_research_groups", [](P& p) { return &p.programme.ip_max_research_groups; }, 1, 10,
      "institutions", "Most research groups in a consortium.", "DOMAIN.md §5.1: one or two"));
  s.push_back(num(
      "programme.ip_apply_rate_per_year", [](P& p) { return &p.programme.ip_apply_rate_per_year; }, 0, 10,
      "1/year",
      "Yearly rate at which an owner with capacity and culture 1 leads an application, when applicants "
      "expect the reference success rate (see application_elasticity).",
      "calibrated: about 35 % of applications funded at the planned budget (2019 call: 38 of 110)"));
  s.push_back(num(
      "programme.ip_small_factor", [](P& p) { return &p.programme.ip_small_factor; }, 0, 100, "",
      "Application propensity multiplier for small municipalities.",
      "DOMAIN.md §5.1: x0.5, Telemarksforsking 2020"));
  s.push_back(num(
      "programme.ip_broker_factor", [](P& p) { return &p.programme.ip_broker_factor; }, 0, 100, "",
      "Multiplier for owners a competence broker met within the effect period.", "DOMAIN.md §5.1: x1.5"));
  s.push_back(num(
      "programme.ip_preproject_factor", [](P& p) { return &p.programme.ip_preproject_factor; }, 0, 100, "",
      "Multiplier for owners whose pre-project succeeded recently.", "est.: DOMAIN.md §5.1 'raised'"));
  s.push_back(num(
      "programme.ip_experience_factor", [](P& p) { return &p.programme.ip_experience_factor; }, 0, 100, "",
      "Propensity grows by this factor per completed project.", "est."));
  s.push_back(num(
      "programme.ip_lead_staff_fte", [](P& p) { return &p.programme.ip_lead_staff_fte; }, 0, 100, "FTE",
      "Staff the lead owner commits to an innovation project.", "est.: the plan asks for one person"));
  s.push_back(num(
      "programme.ip_partner_staff_fte", [](P& p) { return &p.programme.ip_partner_staff_fte; }, 0, 100, "FTE",
      "Staff a partner owner commits.", "est."));
  s.push_back(integer(
      "programme.ip_min_municipalities", [](P& p) { return &p.programme.ip_min_municipalities; }, 1, 100,
      "owners", "Fewest owners an innovation-project consortium may have to be eligible.",
      "scenario choice (large-consortia: 3)"));
  s.push_back(num(
      "programme.cp_grant_mnok", [](P& p) { return &p.programme.cp_grant_mnok; }, 0, 1000, "MNOK",
      "Grant of a competence project.", "DOMAIN.md §5.2: about 10 MNOK (est.)"));
  s.push_back(integer(
      "programme.cp_duration_months", [](P& p) { return &p.programme.cp_duration_months; }, 1, 240, "months",
      "Duration of a competence project.", "DOMAIN.md §5.2: about 48 months (est.)"));
  s.push_back(num(
      "programme.cp_apply_rate_per_year", [](P& p) { return &p.programme.cp_apply_rate_per_year; }, 0, 10,
      "1/year", "Yearly probability that an eligible institution leads a competence-project application.",
      "est."));
  s.push_back(num(
      "programme.cp_min_relevance", [](P& p) { return &p.programme.cp_min_relevance; }, 0, 1, "",
      "Municipal relevance an institution needs to lead a competence project.", "DOMAIN.md §5.1"));
  s.push_back(num(
      "programme.cp_success_probability", [](P& p) { return &p.programme.cp_success_probability; }, 0, 1,
      "probability", "Probability that a competence project reaches its goals.", "est."));
  s.push_back(boolean(
      "programme.cp_require_international", [](P& p) { return &p.programme.cp_require_international; },
      "Competence projects need an international partner: an institution finds one with probability "
      "equal to its international links; without one it does not apply. When false, projects may still "
      "have one, but do not need it.",
      "Programme plan, competence projects: 'internasjonalt samarbeid bør være et krav'"));
  s.push_back(integer(
      "programme.cp_phds", [](P& p) { return &p.programme.cp_phds; }, 0, 100, "PhDs",
      "PhD candidates trained by a competence project.", "est."));
  s.push_back(num(
      "programme.review_weight_relevance", [](P& p) { return &p.programme.review_weight_relevance; }, 0, 100,
      "", "Weight of relevance in the review score.", "DOMAIN.md §5.2"));
  s.push_back(num(
      "programme.review_weight_realizability", [](P& p) { return &p.programme.review_weight_realizability; },
      0, 100, "", "Weight of realizability.", "DOMAIN.md §5.2"));
  s.push_back(num(
      "programme.review_weight_spread", [](P& p) { return &p.programme.review_weight_spread; }, 0, 100, "",
      "Weight of spread potential.", "DOMAIN.md §5.2"));
  s.push_back(num(
      "programme.review_noise_sd", [](P& p) { return &p.programme.review_noise_sd; }, 0, 100, "",
      "Standard deviation of reviewer noise.", "est."));
  s.push_back(num(
      "programme.relevance_without_expert", [](P& p) { return &p.programme.relevance_without_expert; }, 0, 1,
      "factor",
      "Relevance score of an application none of whose researchers works in its domain, relative "
      "to one with a domain expert.",
      "est.: DOMAIN.md §5.2 relevance"));
  s.push_back(num(
      "programme.realizability_weight_capacity",
      [](P& p) { return &p.programme.realizability_weight_capacity; }, 0, 10, "weight",
      "Realizability = this x mean capacity of the owners + ...",
      "DOMAIN.md §5.2 (est. weights that add up to 1)"));
  s.push_back(num(
      "programme.realizability_weight_quality",
      [](P& p) { return &p.programme.realizability_weight_quality; }, 0, 10, "weight",
      "... + this x mean quality of the research partners + ...", "DOMAIN.md §5.2 (est.)"));
  s.push_back(num(
      "programme.realizability_weight_preproject",
      [](P& p) { return &p.programme.realizability_weight_preproject; }, 0, 10, "weight",
      "... + this when the lead has completed a pre-project (and is still ready).", "DOMAIN.md §5.2 (est.)"));
  s.push_back(num(
      "programme.spread_weight_partners", [](P& p) { return &p.programme.spread_weight_partners; }, 0, 10,
      "weight", "Spread potential = this x min(1, partner owners / 4) + ...",
      "DOMAIN.md §5.2: the number of owners (est.; saturates at five owners)"));
  s.push_back(num(
      "programme.spread_weight_variety", [](P& p) { return &p.programme.spread_weight_variety; }, 0, 10,
      "weight", "... + this x min(1, (centrality classes among the owners - 1) / 2).",
      "DOMAIN.md §5.2: the variety of owners (est.)"));
  s.push_back(num(
      "programme.second_group_probability", [](P& p) { return &p.programme.second_group_probability; }, 0, 1,
      "probability", "Probability that an innovation project asks a second research group (if allowed).",
      "DOMAIN.md §5.1: one or two research groups"));
  s.push_back(num(
      "programme.second_researcher_probability",
      [](P& p) { return &p.programme.second_researcher_probability; }, 0, 1, "probability",
      "Probability that a research group puts a second researcher on an innovation project.", "est."));
  s.push_back(num(
      "programme.pre_partners_mean", [](P& p) { return &p.programme.pre_partners_mean; }, 0, 100, "owners",
      "Mean partner owners of a pre-project besides the lead (Poisson).",
      "est.: pre-projects are mostly one municipality's preparation"));
  s.push_back(integer(
      "programme.cp_researchers", [](P& p) { return &p.programme.cp_researchers; }, 1, 100, "researchers",
      "Researchers of the lead institution on a competence project.", "est."));
  s.push_back(num(
      "programme.cp_second_owner_probability", [](P& p) { return &p.programme.cp_second_owner_probability; },
      0, 1, "probability", "Probability that a competence project has a second owner partner.",
      "est.: DOMAIN.md §5.1 needs at least one"));
  s.push_back(boolean(
      "programme.carry_over", [](P& p) { return &p.programme.carry_over; },
      "Money an instrument (or the arenas) did not commit in a year is added to its money in the next "
      "programme year; when false it lapses. Money left after the last programme year lapses.",
      "DOMAIN.md §5.9: the board may carry unspent money over (default: carry over)"));
  s.push_back(num(
      "programme.ip_max_funding_share", [](P& p) { return &p.programme.ip_max_funding_share; }, 0.01, 1,
      "share",
      "The programme pays at most this share of an innovation project's cost; the owners pay the rest "
      "(indicator cofunding_mnok). Applicants ask for the most they may: cost = grant / this share.",
      "DOMAIN.md §5.2, §5.9: up to 75 % of costs"));
  s.push_back(num(
      "programme.application_elasticity", [](P& p) { return &p.programme.application_elasticity; }, 0, 10, "",
      "Applying costs staff time; owners and research groups apply more when they expect a higher "
      "success rate: every application propensity is multiplied by (expected success / "
      "expected_success_reference) ^ this.",
      "calibrated: with 1.0 the double budget's success rate is 0.46, outside the observed 0.10-0.45 "
      "(DOMAIN.md §5.9, §7.2), 1.5 gives 0.44, 2.0 gives 0.42 (docs/calibration.md)"));
  s.push_back(num(
      "programme.expected_success_reference", [](P& p) { return &p.programme.expected_success_reference; },
      0.01, 1, "share",
      "The expected success rate at which the apply rates (ip_apply_rate_per_year ...) hold as stated.",
      "a normalisation: the planned budget's observed success rate, 0.35 (2019 call)"));
  s.push_back(num(
      "programme.expected_success_first_call", [](P& p) { return &p.programme.expected_success_first_call; },
      0.01, 1, "share", "The success rate applicants expect before the programme's first call.",
      "est.: a new programme draws many hopeful applicants (the first call, 2017, funded 10 %)"));
  s.push_back(num(
      "programme.success_memory", [](P& p) { return &p.programme.success_memory; }, 0.01, 1, "weight",
      "Weight of the latest call's success rate in the success rate applicants expect (exponential "
      "smoothing); the expectation is then scaled by the change in the money announced.",
      "est.: applicants remember the last two or three calls"));
  s.push_back(num(
      "programme.review_min_score", [](P& p) { return &p.programme.review_min_score; }, -100, 100, "score",
      "Applications scoring below this are not fundable, however much money is left (the money is "
      "carried over or lapses). The default lies below every score the default weights give (IP scores: "
      "10th percentile about 0.9), so no bar binds unless a scenario sets one.",
      "the Research Council funds only applications above a grade; its level is not public, so the "
      "default bar is off (0)"));
  s.push_back(num(
      "programme.documentation_plan_probability",
      [](P& p) { return &p.programme.documentation_plan_probability; }, 0, 1, "probability",
      "Probability that a pre-project or innovation-project application has a plan to document and "
      "evaluate its results. Funded projects with a plan document their innovations and, when they fail, "
      "their lessons.",
      "est.: the programme plan asks for documented, published results; most applications promise it"));
  s.push_back(num(
      "programme.spread_weight_documentation", [](P& p) { return &p.programme.spread_weight_documentation; },
      0, 10, "weight", "... + this when the application has a documentation plan (spread potential).",
      "DOMAIN.md §5.2: spread potential rises with a documentation plan (est.)"));
  s.push_back(num(
      "programme.broker_realizability_bonus", [](P& p) { return &p.programme.broker_realizability_bonus; }, 0,
      10, "score",
      "Realizability added to an application whose lead a competence broker matched with a research "
      "group in the last arenas.broker_effect_months (the broker helps shape the consortium); the "
      "matched group is its first research partner, with a domain expert when it has one.",
      "DOMAIN.md §5.9: a broker match improves the consortium and its review score (est.)"));
  // ---- arenas ----------------------------------------------------------------------------------
  s.push_back(boolean(
      "arenas.conference", [](P& p) { return &p.arenas.conference; }, "Hold the yearly national conference.",
      "Programme plan §2"));
  s.push_back(integer(
      "arenas.conference_month", [](P& p) { return &p.arenas.conference_month; }, 1, 12, "month",
      "Month of the conference.", "est."));
  s.push_back(integer(
      "arenas.conference_capacity", [](P& p) { return &p.arenas.conference_capacity; }, 0, 1e6, "owners",
      "Most owners at the conference.", "DOMAIN.md §5.6: about 300"));
  s.push_back(num(
      "arenas.conference_cost_mnok", [](P& p) { return &p.arenas.conference_cost_mnok; }, 0, 1000, "MNOK",
      "Yearly cost of the conference.", "est."));
  s.push_back(integer(
      "arenas.conference_ties_per_participant",
      [](P& p) { return &p.arenas.conference_ties_per_participant; }, 0, 1000, "ties",
      "Weak ties each participant forms at the conference.", "est.: one or two new contacts worth keeping"));
  s.push_back(num(
      "arenas.conference_culture_gain", [](P& p) { return &p.arenas.conference_culture_gain; }, 0, 1, "",
      "Culture gained by attending.", "DOMAIN.md §5.6 'a little' (est.)"));
  s.push_back(integer(
      "arenas.conference_recent_years", [](P& p) { return &p.arenas.conference_recent_years; }, 0, 100,
      "years", "The conference presents documented programme innovations of this many recent years.",
      "DOMAIN.md §5.6"));
  s.push_back(num(
      "arenas.conference_attendance_per_culture",
      [](P& p) { return &p.arenas.conference_attendance_per_culture; }, 0, 1, "probability",
      "Probability that an owner without a running or recent project comes, per unit of culture.",
      "est.: DOMAIN.md §5.6 'others drawn by culture'"));
  s.push_back(integer(
      "arenas.conference_obliged_months", [](P& p) { return &p.arenas.conference_obliged_months; }, 0, 240,
      "months", "Owners whose project ended this recently are obliged to come, as are those in a project.",
      "DOMAIN.md §5.6 'running or recent projects'"));
  s.push_back(boolean(
      "arenas.regional", [](P& p) { return &p.arenas.regional; },
      "Hold regional arenas with competence brokers.", "Programme plan §2"));
  s.push_back(integer(
      "arenas.regional_month", [](P& p) { return &p.arenas.regional_month; }, 1, 12, "month",
      "Month of the regional arenas.", "est."));
  s.push_back(integer(
      "arenas.brokers_per_county", [](P& p) { return &p.arenas.brokers_per_county; }, 0, 100, "brokers",
      "Most competence brokers per county: the arena money left after the meetings buys brokers "
      "(arenas.broker_cost_mnok_per_year each), county by county, up to this many.",
      "DOMAIN.md §5.6: 1-3 (est.)"));
  s.push_back(num(
      "arenas.broker_cost_mnok_per_year", [](P& p) { return &p.arenas.broker_cost_mnok_per_year; }, 0, 1000,
      "MNOK/year", "Cost of one competence broker for a year, paid from the arena share.",
      "est.: about a tenth of a full-time adviser (about 1.1 MNOK a year with overheads); brokers are "
      "part-time roles in regional bodies (DOMAIN.md §5.9)"));
  s.push_back(boolean(
      "arenas.broker_shapes_consortia", [](P& p) { return &p.arenas.broker_shapes_consortia; },
      "A broker's match shapes the matched owner's next applications: the matched research group is its "
      "first partner (with a domain expert) and realizability gains programme.broker_realizability_bonus. "
      "When false, a match only raises the propensity to apply and makes the tie (brokers as mobilisers "
      "only).",
      "DOMAIN.md §5.9: a broker match improves the consortium and so its review score"));
  s.push_back(integer(
      "arenas.matches_per_broker", [](P& p) { return &p.arenas.matches_per_broker; }, 0, 1000, "owners",
      "Municipalities each broker matches with a research group a year.", "est."));
  s.push_back(num(
      "arenas.regional_cost_mnok_per_county", [](P& p) { return &p.arenas.regional_cost_mnok_per_county; }, 0,
      1000, "MNOK", "Yearly cost of a county's arena meeting (brokers are paid separately).",
      "est.: a one-day regional meeting; with the conference (1.5), the network (0.75) and 30 brokers "
      "(0.1 each) the 15 counties' meetings fill the arena share (10 %) of 60 MNOK"));
  s.push_back(num(
      "arenas.regional_participation_newcomer",
      [](P& p) { return &p.arenas.regional_participation_newcomer; }, 0, 1, "probability",
      "Probability that an owner without projects attends its regional arena.",
      "DOMAIN.md §5.6: arenas mobilise the inexperienced"));
  s.push_back(num(
      "arenas.regional_participation_other", [](P& p) { return &p.arenas.regional_participation_other; }, 0,
      1, "probability", "Probability that another owner attends.", "est."));
  s.push_back(integer(
      "arenas.broker_effect_months", [](P& p) { return &p.arenas.broker_effect_months; }, 0, 240, "months",
      "How long a broker's match raises application propensity.", "DOMAIN.md §5.6: a year"));
  s.push_back(num(
      "arenas.broker_rd_tie_weight", [](P& p) { return &p.arenas.broker_rd_tie_weight; }, 0, 100, "weight",
      "Weight of the owner-institution tie a broker's match creates.", "est."));
  s.push_back(boolean(
      "arenas.network", [](P& p) { return &p.arenas.network; }, "Run the national researcher network.",
      "Programme plan §2"));
  s.push_back(integer(
      "arenas.network_month", [](P& p) { return &p.arenas.network_month; }, 1, 12, "month",
      "Month of the researcher network's meeting.", "est."));
  s.push_back(num(
      "arenas.network_cost_mnok", [](P& p) { return &p.arenas.network_cost_mnok; }, 0, 1000, "MNOK",
      "Yearly cost of the researcher network.",
      "est.: a two-day meeting and a coordinator (see arenas.regional_cost_mnok_per_county)"));
  s.push_back(integer(
      "arenas.network_ties_per_researcher", [](P& p) { return &p.arenas.network_ties_per_researcher; }, 0,
      1000, "ties", "Ties each programme researcher forms across institutions a year.", "est."));
  s.push_back(num(
      "arenas.network_international_gain", [](P& p) { return &p.arenas.network_international_gain; }, 0, 1,
      "", "International links gained by an institution whose researchers attend.", "est."));
  s.push_back(num(
      "arenas.network_publications_per_tie", [](P& p) { return &p.arenas.network_publications_per_tie; }, 0,
      100, "publications", "Joint publications per network tie.", "est."));
  s.push_back(num(
      "arenas.tie_half_life_months", [](P& p) { return &p.arenas.tie_half_life_months; }, 0.1, 1200, "months",
      "Sets how long a weak arena tie lasts: half_life x log2(1 / tie_min_weight) months (24 with the "
      "defaults), the time a tie of weight 1 halving every half-life would take to fall below the minimum. "
      "The tie keeps weight 1 while it lasts; it is not weakened month by month.",
      "DOMAIN.md §2: decaying in about two years"));
  s.push_back(num(
      "arenas.tie_min_weight", [](P& p) { return &p.arenas.tie_min_weight; }, 0, 100, "weight",
      "With tie_half_life_months, how long an arena tie lasts (see there).",
      "est.: a tie lasts two half-lives"));
  // ---- learning --------------------------------------------------------------------------------
  s.push_back(num(
      "learning.capacity_gain_project", [](P& p) { return &p.learning.capacity_gain_project; }, 0, 1, "",
      "Capacity gained by each owner of a successful project.", "DOMAIN.md §5.3 (est.)"));
  s.push_back(num(
      "learning.culture_gain_project", [](P& p) { return &p.learning.culture_gain_project; }, 0, 1, "",
      "Culture gained by each owner of a successful project.", "DOMAIN.md §5.3 (est.)"));
  s.push_back(num(
      "learning.gain_failed_project", [](P& p) { return &p.learning.gain_failed_project; }, 0, 1, "",
      "Capacity and culture gained from a failed project.", "DOMAIN.md §5.3 'still teaches' (est.)"));
  s.push_back(num(
      "learning.capacity_gain_adoption", [](P& p) { return &p.learning.capacity_gain_adoption; }, 0, 1, "",
      "Capacity gained per adoption.", "DOMAIN.md §5.7 (est.)"));
  s.push_back(num(
      "learning.culture_gain_adoption", [](P& p) { return &p.learning.culture_gain_adoption; }, 0, 1, "",
      "Culture gained per adoption.", "DOMAIN.md §5.7 (est.)"));
  s.push_back(num(
      "learning.reversion_per_year", [](P& p) { return &p.learning.reversion_per_year; }, 0, 1, "1/year",
      "Share of the gap to the starting capacity and culture closed each year.",
      "DOMAIN.md §5.7 'fall back slowly' (est.)"));
  s.push_back(num(
      "learning.relevance_gain_competence", [](P& p) { return &p.learning.relevance_gain_competence; }, 0, 1,
      "", "Municipal relevance gained by an institution from a competence project.",
      "DOMAIN.md §5.3 (est.)"));
  s.push_back(num(
      "learning.international_gain_competence",
      [](P& p) { return &p.learning.international_gain_competence; }, 0, 1, "",
      "International links gained from a competence project.", "DOMAIN.md §5.3 (est.)"));
  s.push_back(num(
      "learning.collab_tie_weight", [](P& p) { return &p.learning.collab_tie_weight; }, 0, 100, "weight",
      "Weight added to the lasting tie between every two members of a finished project.",
      "DOMAIN.md §5.3 (est.)"));
  s.push_back(num(
      "learning.publications_per_project", [](P& p) { return &p.learning.publications_per_project; }, 0, 100,
      "publications", "Mean publications of a successful innovation project (Poisson).", "est."));
  s.push_back(num(
      "learning.publications_per_competence_project",
      [](P& p) { return &p.learning.publications_per_competence_project; }, 0, 100, "publications",
      "Mean publications of a successful competence project (Poisson).",
      "est.: twice an innovation project's, with two PhDs"));
  s.push_back(num(
      "learning.preproject_gain_share", [](P& p) { return &p.learning.preproject_gain_share; }, 0, 1, "share",
      "A pre-project's owners gain this share of a project's capacity and culture gains (they gain readiness "
      "for an innovation project in full).",
      "est.: a 6-month, 0.3 MNOK pre-project is a small part of a 36-month, 6.4 MNOK project's work; "
      "DOMAIN.md "
      "§5.3 gives pre-projects readiness, not learning"));
  s.push_back(num(
      "learning.failure_lesson_culture_gain", [](P& p) { return &p.learning.failure_lesson_culture_gain; }, 0,
      1, "",
      "Culture gained by the owners of a failed innovation project that documented its lessons, and by "
      "the owners that hear them (their listeners on the static layers).",
      "DOMAIN.md §5.9: documented failures teach others (est.)"));
  s.push_back(num(
      "learning.failure_lesson_adaptation_cut",
      [](P& p) { return &p.learning.failure_lesson_adaptation_cut; }, 0, 0.99, "share",
      "Those owners adapt innovations of the failed project's domain this much faster, for "
      "learning.failure_lesson_months.",
      "DOMAIN.md §5.9: lower adaptation time for innovations of its domain (est.)"));
  s.push_back(integer(
      "learning.failure_lesson_months", [](P& p) { return &p.learning.failure_lesson_months; }, 0, 1200,
      "months", "How long a documented failure's lesson shortens adaptations.", "est."));
  // ---- run -------------------------------------------------------------------------------------
  s.push_back({"run.seed",
               ParamType::kSeed,
               0,
               1.8446744073709552e19,
               "",
               "The 64-bit seed of every random stream.",
               "scenario choice",
               {},
               [](P& p) -> ParamSlot { return &p.run.seed; }});
  s.push_back(integer(
      "run.replicates", [](P& p) { return &p.run.replicates; }, 1, sim::kMaxReplicate + 1.0, "replicates",
      "Independent runs; replicate r uses streams (seed, r, ...).", "scenario choice"));
  s.push_back(integer(
      "run.warmup_years", [](P& p) { return &p.run.warmup_years; }, 0, 200, "years",
      "Years simulated without the programme before year 1 and not recorded, so that the programme "
      "starts in a world with a history of innovations rather than an empty one.",
      "calibrated: the no-programme world's adoptions per year settle within about 10 years "
      "(docs/calibration.md)"));
  s.push_back(integer(
      "run.years", [](P& p) { return &p.run.years; }, 1, 200, "years", "Simulated years (12 ticks each).",
      "DOMAIN.md §2: 15 years by default"));
  s.push_back(integer(
      "run.start_year", [](P& p) { return &p.run.start_year; }, 1000, 3000, "year",
      "Calendar year of the first recorded year (programme year 1); national programmes' dates are "
      "calendar dates.",
      "FORKOMMUNE's first call was in 2017"));
  return s;
}

}  // namespace

std::span<const ParamSpec> parameter_specs() {
  static const std::vector<ParamSpec> specs = make_specs();
  return specs;
}

bool shapes_world(std::string_view key) noexcept {
  return key.starts_with("world.") || key.starts_with("owners.") || key.starts_with("researchers.") ||
         key == "diffusion.weight_geo" || key == "diffusion.weight_region" ||
         key == "diffusion.weight_county";
}

const ParamSpec* find_parameter(std::string_view key) {
  for (const ParamSpec& s : parameter_specs()) {
    if (s.key == key) return &s;
  }
  return nullptr;
}

std::span<const std::string_view> domain_names() {
  static constexpr std::string_view kNames[] = {
      "health_care",
      "education",
      "child_welfare",
      "climate_environment",
      "planning_transport",
      "digital_administration",
      "democracy_participation",
      "business_development",
  };
  return kNames;
}

std::span<const std::string_view> type_names() {
  static constexpr std::string_view kNames[] = {"service", "product", "process", "communication", "policy"};
  return kNames;
}

namespace {

bool before(const NationalProgramme::Date& a, const NationalProgramme::Date& b) {
  return a.year != b.year ? a.year < b.year : a.month < b.month;
}

// National programmes (DOMAIN.md §5.9): names, the innovation's attributes, dates in order and
// inside the run, what enrolment brings. Codes of development municipalities are checked against
// the world when the model is built.
void validate_national(const Params& params) {
  const std::int64_t first = params.run.start_year;
  for (std::size_t i = 0; i < params.national_programmes.size(); ++i) {
    const NationalProgramme& np = params.national_programmes[i];
    const std::string at = fmt::format("national_programmes[{}]", i);
    auto fail = [&](std::string_view key, const std::string& what) {
      throw sim::ParamError(fmt::format("{}.{}", at, key), fmt::format("{}.{} {}", at, key, what));
    };
    if (np.name.empty() || np.name.size() > 40 || !std::all_of(np.name.begin(), np.name.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        })) {
      fail("name",
           fmt::format("= '{}', must be 1-40 lower-case letters, digits and '-' (it names indicators)",
                       np.name));
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (params.national_programmes[j].name == np.name)
        fail("name",
             fmt::format("= '{}' is used twice; every national programme needs its own name", np.name));
    }
    const auto domains = domain_names();
    if (std::find(domains.begin(), domains.end(), np.domain) == domains.end())
      fail("innovation.domain",
           fmt::format("= '{}', must be one of: {}", np.domain, fmt::join(domains, ", ")));
    const auto types = type_names();
    if (np.types.empty()) fail("innovation.types", "is empty; give at least one type");
    for (std::size_t k = 0; k < np.types.size(); ++k) {
      if (std::find(types.begin(), types.end(), np.types[k]) == types.end())
        fail("innovation.types",
             fmt::format("holds '{}', every type must be one of: {}", np.types[k], fmt::join(types, ", ")));
      if (std::find(np.types.begin(), np.types.begin() + static_cast<std::ptrdiff_t>(k), np.types[k]) !=
          np.types.begin() + static_cast<std::ptrdiff_t>(k))
        fail("innovation.types", fmt::format("names '{}' twice", np.types[k]));
    }
    auto range = [&](std::string_view key, double v, double lo, double hi) {
      if (!std::isfinite(v) || v < lo || v > hi)
        fail(key, fmt::format("= {}, must be in [{}, {}]", v, lo, hi));
    };
    range("innovation.complexity_months", np.complexity_months, 0, 1200);
    range("innovation.benefit", np.benefit, 0, 100);
    range("innovation.half_life_years", np.half_life_years, 0, 1000);
    range("development.municipalities", static_cast<double>(np.development_count), 0, 1e7);
    if (np.development_codes.empty() && np.development_count == 0)
      fail("development.municipalities", "names no municipality; give a number or a list of codes");
    range("brings.guidance", np.guidance, 0, 1);
    range("brings.learning_network", np.learning_network, 0, 100);
    range("brings.competence_tools", np.competence_tools, 0, 0.99);
    range("brings.money_mnok_per_municipality", np.money_mnok_per_municipality, 0, 1e5);
    if (np.order != "interest" && np.order != "largest" && np.order != "random")
      fail("spread.order", fmt::format("= '{}', must be one of: interest, largest, random", np.order));
    auto date = [&](std::string_view key, const NationalProgramme::Date& d) {
      if (d.month < 1 || d.month > 12) fail(key, fmt::format("has month {}, must be 1-12", d.month));
      if (d.year < first)
        fail(key, fmt::format("= {}-{:02}, is before the run starts (run.start_year = {})", d.year, d.month,
                              first));
    };
    date("development.start", np.development_start);
    date("development.end", np.development_end);
    date("spread.start", np.spread_start);
    if (before(np.development_end, np.development_start))
      fail("development.end",
           fmt::format("= {}-{:02}, is before development.start ({}-{:02})", np.development_end.year,
                       np.development_end.month, np.development_start.year, np.development_start.month));
    if (before(np.spread_start, np.development_start))
      fail("spread.start",
           fmt::format("= {}-{:02}, is before development.start ({}-{:02})", np.spread_start.year,
                       np.spread_start.month, np.development_start.year, np.development_start.month));
    for (std::size_t k = 0; k < np.waves.size(); ++k) {
      const std::string key = fmt::format("spread.enrolment[{}]", k);
      date(key, np.waves[k].date);
      if (before(np.waves[k].date, np.spread_start))
        fail(key, fmt::format("= {}-{:02}, is before spread.start ({}-{:02})", np.waves[k].date.year,
                              np.waves[k].date.month, np.spread_start.year, np.spread_start.month));
      if (k > 0 && before(np.waves[k].date, np.waves[k - 1].date))
        fail(key, "is earlier than the wave before it; list the waves in date order");
      if (np.waves[k].municipalities < 0) fail(key, "enrols a negative number of municipalities");
    }
    if (np.mandate_year != 0 && np.mandate_year < first)
      fail("mandate_year", fmt::format("= {}, is before the run starts ({})", np.mandate_year, first));
  }
}

}  // namespace

std::span<const std::string_view> rule_indicator_names() {
  static constexpr std::string_view kNames[] = {
      "small_lead_share",      // share of funded innovation projects led by small municipalities (cumulative)
      "newcomer_lead_share",   // share led by owners with no earlier project (cumulative)
      "ip_success_rate",       // innovation-project applications funded / submitted (cumulative)
      "research_using_share",  // share of municipalities using research
      "spread_adoptions_per_year",  // adoptions outside the innovation's project, last year
      "budget_used_share",          // spent / available, last year
  };
  return kNames;
}

void validate(const Params& params) {
  Params copy = params;  // slots need a mutable Params; nothing is written
  for (const ParamSpec& spec : parameter_specs()) {
    const ParamSlot slot = spec.slot(copy);
    auto fail = [&](const std::string& what) {
      throw sim::ParamError(std::string(spec.key), fmt::format("{} {}", spec.key, what));
    };
    switch (spec.type) {
      case ParamType::kNumber: {
        const double v = *std::get<double*>(slot);
        if (!std::isfinite(v) || v < spec.min || v > spec.max) {
          fail(fmt::format("= {}, must be in [{}, {}]{}", v, spec.min, spec.max,
                           spec.unit.empty() ? "" : fmt::format(" ({})", spec.unit)));
        }
        break;
      }
      case ParamType::kInteger: {
        const auto v = static_cast<double>(*std::get<std::int64_t*>(slot));
        if (v < spec.min || v > spec.max)
          fail(fmt::format("= {}, must be a whole number in [{}, {}]", v, spec.min, spec.max));
        break;
      }
      case ParamType::kChoice: {
        const std::string& v = *std::get<std::string*>(slot);
        if (std::find(spec.choices.begin(), spec.choices.end(), v) == spec.choices.end()) {
          fail(fmt::format("= '{}', must be one of: {}", v, fmt::join(spec.choices, ", ")));
        }
        break;
      }
      case ParamType::kNumberList: {
        const auto& v = *std::get<std::vector<double>*>(slot);
        if (v.empty()) fail("is empty; give at least one value");
        for (double x : v) {
          if (!std::isfinite(x) || x < spec.min || x > spec.max) {
            fail(fmt::format("holds {}, every value must be in [{}, {}]", x, spec.min, spec.max));
          }
        }
        break;
      }
      case ParamType::kBoolean:
      case ParamType::kText:
      case ParamType::kSeed:
        break;
    }
  }
  const auto& pr = params.programme;
  const double shares =
      pr.share_pre_project + pr.share_innovation_project + pr.share_competence_project + pr.share_arenas;
  if (std::abs(shares - 1.0) > 1e-9) {
    throw sim::ParamError(
        "programme.share_*",
        fmt::format("programme shares add up to {} (pre-project {}, innovation project {}, competence "
                    "project {}, arenas {}); they must add up to 1",
                    shares, pr.share_pre_project, pr.share_innovation_project, pr.share_competence_project,
                    pr.share_arenas));
  }
  if (pr.quota_newcomers + pr.quota_small_municipalities > 1.0 + 1e-12) {
    throw sim::ParamError(
        "programme.quota_*",
        "programme.quota_newcomers + programme.quota_small_municipalities must be at most 1");
  }
  if (pr.ip_grant_min_mnok > pr.ip_grant_max_mnok) {
    throw sim::ParamError(
        "programme.ip_grant_min_mnok,programme.ip_grant_max_mnok",
        fmt::format("programme.ip_grant_min_mnok = {} is above programme.ip_grant_max_mnok = {}",
                    pr.ip_grant_min_mnok, pr.ip_grant_max_mnok));
  }
  if (pr.first_year > pr.last_year) {
    throw sim::ParamError("programme.first_year,programme.last_year",
                          fmt::format("programme.first_year = {} is after programme.last_year = {}",
                                      pr.first_year, pr.last_year));
  }
  const auto& in = params.innovation;
  const double types =
      in.type_service + in.type_product + in.type_process + in.type_communication + in.type_policy;
  if (std::abs(types - 1.0) > 1e-9) {
    throw sim::ParamError(
        "innovation.type_*",
        fmt::format("the five innovation.type_* shares add up to {}; they must add up to 1", types));
  }
  const double domains = in.domain_health_care + in.domain_education + in.domain_child_welfare +
                         in.domain_climate_environment + in.domain_planning_transport +
                         in.domain_digital_administration + in.domain_democracy_participation +
                         in.domain_business_development;
  if (!(domains > 0)) {
    throw sim::ParamError("innovation.domain_*", "the innovation.domain_* weights are all zero");
  }
  const auto& d = params.diffusion;
  if (!(d.weight_geo + d.weight_region + d.weight_county + d.weight_collab + d.weight_arena > 0)) {
    throw sim::ParamError("diffusion.weight_*", "the diffusion.weight_* layer weights are all zero");
  }
  if (params.world.source == "synthetic" && params.world.synthetic_counties > params.world.synthetic_owners) {
    throw sim::ParamError("world.synthetic_counties,world.synthetic_owners",
                          "world.synthetic_counties is larger than world.synthetic_owners");
  }
  const auto indicators = rule_indicator_names();
  for (std::size_t i = 0; i < params.rules.size(); ++i) {
    const Rule& r = params.rules[i];
    const std::string where = fmt::format("rules[{}]", i);
    if (std::find(indicators.begin(), indicators.end(), r.indicator) == indicators.end()) {
      throw sim::ParamError(where + ".indicator",
                            fmt::format("{}.indicator = '{}' is not a rule indicator; expected one of: {}",
                                        where, r.indicator, fmt::join(indicators, ", ")));
    }
    const ParamSpec* target = find_parameter(r.key);
    const bool lever = r.key.starts_with("programme.") || r.key.starts_with("arenas.");
    if (target == nullptr || target->type != ParamType::kNumber || !lever) {
      throw sim::ParamError(
          where + ".set",
          fmt::format("{}.set = '{}' is not a policy lever a rule can change; rules change the numeric "
                      "programme.* and arenas.* parameters",
                      where, r.key));
    }
    if (!std::isfinite(r.value) || r.value < target->min || r.value > target->max) {
      throw sim::ParamError(where + ".value", fmt::format("{}.value = {}, must be in [{}, {}] for {}", where,
                                                          r.value, target->min, target->max, r.key));
    }
    if (!std::isfinite(r.threshold)) {
      throw sim::ParamError(where + ".threshold", fmt::format("{}.threshold must be a finite number", where));
    }
    if (r.from_year < 1) {
      throw sim::ParamError(where + ".from_year", fmt::format("{}.from_year must be at least 1", where));
    }
  }
  validate_national(params);
  // Rules that move the budget shares must move them together: the same condition, and shares that
  // still add up to 1 once all of them have fired (otherwise the instruments could be promised more
  // than the budget between two firings).
  const Rule* first_share_rule = nullptr;
  Params moved = params;
  for (std::size_t i = 0; i < params.rules.size(); ++i) {
    const Rule& r = params.rules[i];
    if (!r.key.starts_with("programme.share_")) continue;
    if (first_share_rule == nullptr) {
      first_share_rule = &r;
    } else if (r.indicator != first_share_rule->indicator || r.below != first_share_rule->below ||
               r.threshold != first_share_rule->threshold || r.from_year != first_share_rule->from_year ||
               r.once != first_share_rule->once) {
      throw sim::ParamError(
          fmt::format("rules[{}].indicator", i),
          fmt::format(
              "rules[{}] changes {}, but its condition differs from '{}', which also changes a budget "
              "share; rules that change programme.share_* must have the same from_year, indicator, "
              "threshold and once, so the shares move together",
              i, r.key, first_share_rule->name));
    }
    *std::get<double*>(find_parameter(r.key)->slot(moved)) = r.value;
  }
  if (first_share_rule != nullptr) {
    const Params::Programme& moved_shares = moved.programme;
    const double sum = moved_shares.share_pre_project + moved_shares.share_innovation_project +
                       moved_shares.share_competence_project + moved_shares.share_arenas;
    if (std::abs(sum - 1.0) > 1e-9) {
      throw sim::ParamError(
          "rules",
          fmt::format("after the rules fire, the programme shares add up to {} (pre-project {}, innovation "
                      "project {}, competence project {}, arenas {}); they must add up to 1",
                      sum, moved_shares.share_pre_project, moved_shares.share_innovation_project,
                      moved_shares.share_competence_project, moved_shares.share_arenas));
    }
  }
  // Innovations name their random streams by the month they were made in (detail/streams.hpp).
  const std::int64_t months = (params.run.warmup_years + params.run.years) * 12;
  if (months > static_cast<std::int64_t>(detail::kMaxCreatedMonth)) {
    throw sim::ParamError(
        "run.years",
        fmt::format("run.warmup_years + run.years = {} years ({} months); at most {} "
                    "months are possible",
                    params.run.warmup_years + params.run.years, months, detail::kMaxCreatedMonth));
  }
}

}  // namespace innosim::models::forkommune
