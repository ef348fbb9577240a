// The programme model's tables for result files: the world (owners, institutions, counties)
// and each replicate's end states, innovations, projects and, when asked, adoption events.
#include <cstdint>

#include "models/forkommune/detail/state.hpp"
#include "models/forkommune/model.hpp"

namespace innosim::models::forkommune {

namespace {

using I64 = std::int64_t;

// A tick of the run as a month of the recorded period: month 1 is the first recorded month;
// the warm-up's months are 0 and below. kNever becomes -1000000.
I64 month_of(std::uint32_t tick, std::uint32_t warmup) {
  if (tick == sim::kNever) return kNeverMonth;
  return static_cast<I64>(tick) - static_cast<I64>(warmup);
}

const char* type_name(InstitutionType t) {
  switch (t) {
    case InstitutionType::kUniversity:
      return "university";
    case InstitutionType::kUniversityCollege:
      return "university_college";
    case InstitutionType::kInstitute:
      return "institute";
  }
  return "?";
}

}  // namespace

std::vector<sim::Table> world_tables(const World& w) {
  std::vector<sim::Table> out;
  {
    sim::Table t{"owners", "Municipalities, then county municipalities; row o is owner index o.", {}};
    auto& code = t.add<std::string>("code", "", "Kommunenummer or fylkesnummer (SSB).");
    auto& name = t.add<std::string>("name", "", "Name.");
    auto& kind = t.add<std::string>("kind", "", "municipality or county_municipality.");
    auto& county = t.add<I64>("county", "", "Row of the counties table.");
    auto& region = t.add<I64>("region", "", "Regional council (derived from coordinates within the county).");
    auto& population = t.add<double>("population", "persons", "Population (SSB, 1 January).");
    auto& lat = t.add<double>("lat", "degrees", "Latitude (WGS84) of the administrative centre.");
    auto& lon = t.add<double>("lon", "degrees", "Longitude (WGS84).");
    auto& centrality = t.add<I64>("centrality", "class", "SSB centrality class, 1 (most central) to 6.");
    auto& size = t.add<I64>("size_class", "class",
                            "0: under 5,000 inhabitants; 1: 5,000-20,000; 2: 20,000-50,000; 3: over 50,000.");
    auto& small = t.add<I64>("small", "flag", "1 when below owners.small_population.");
    auto& staff = t.add<double>("staff_fte", "FTE", "Staff available for innovation work.");
    for (std::uint32_t o = 0; o < w.num_owners(); ++o) {
      code.push_back(w.owner_code[o]);
      name.push_back(w.owner_name[o]);
      kind.push_back(w.owner_kind[o] == OwnerKind::kMunicipality ? "municipality" : "county_municipality");
      county.push_back(w.owner_county[o]);
      region.push_back(w.owner_region[o]);
      population.push_back(w.owner_population[o]);
      lat.push_back(w.owner_lat[o]);
      lon.push_back(w.owner_lon[o]);
      centrality.push_back(w.owner_centrality[o] + 1);
      size.push_back(w.owner_size_class[o]);
      small.push_back(w.owner_small[o]);
      staff.push_back(w.owner_staff_fte[o]);
    }
    out.push_back(std::move(t));
  }
  {
    sim::Table t{"counties", "Counties (fylker); row c is county index c.", {}};
    auto& code = t.add<std::string>("code", "", "Fylkesnummer.");
    auto& name = t.add<std::string>("name", "", "Name.");
    auto& owner = t.add<I64>("owner", "", "Row of the owners table acting as county municipality.");
    for (std::uint32_t c = 0; c < w.num_counties(); ++c) {
      code.push_back(w.county_code[c]);
      name.push_back(w.county_name[c]);
      owner.push_back(w.county_owner[c]);
    }
    out.push_back(std::move(t));
  }
  {
    sim::Table t{"institutions", "Research institutions; row i is institution index i.", {}};
    auto& id = t.add<std::string>("id", "", "Identifier in the data set.");
    auto& name = t.add<std::string>("name", "", "Name.");
    auto& type = t.add<std::string>("type", "", "university, university_college or institute.");
    auto& host = t.add<I64>("host", "", "Row of the owners table: the host municipality.");
    auto& county = t.add<I64>("county", "", "Row of the counties table.");
    auto& researchers = t.add<I64>("researchers", "persons", "Active researchers at the start.");
    for (std::uint32_t i = 0; i < w.num_institutions(); ++i) {
      id.push_back(w.inst_id[i]);
      name.push_back(w.inst_name[i]);
      type.push_back(type_name(w.inst_type[i]));
      host.push_back(w.inst_host[i]);
      county.push_back(w.inst_county[i]);
      researchers.push_back(w.inst_active_researchers[i]);
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<sim::Table> replicate_tables(const ProgrammeProcess& process) {
  const detail::State& s = process.state();
  const World& w = process.model().world();
  const std::uint32_t warmup = s.warmup;
  std::vector<sim::Table> out;
  {
    sim::Table t{"owners_end", "Each owner's state at the end of the run (row o: owner index o).", {}};
    auto& capacity = t.add<double>("capacity", "index 0-1", "Innovation capacity.");
    auto& culture = t.add<double>("culture", "index 0-1", "Innovation culture.");
    auto& adoptions = t.add<I64>("adoptions", "adoptions", "Adoptions over the whole run, warm-up included.");
    auto& recorded =
        t.add<I64>("adoptions_recorded", "adoptions",
                   "Adoptions in the recorded period (municipalities; -1 for county municipalities).");
    auto& innovations =
        t.add<I64>("innovations_made", "innovations", "Innovations this owner made in the recorded period.");
    auto& projects = t.add<I64>("projects_done", "projects", "Programme projects finished.");
    auto& research = t.add<I64>("research_user", "flag", "1 when it has used research (DOMAIN.md §6).");
    auto& last = t.add<I64>("last_innovation_month", "month",
                            "Last month with an own innovation or an adoption (recorded months from 1; "
                            "-1000000: never).");
    std::vector<I64> made(w.num_owners(), 0);
    for (std::size_t i = s.first_recorded_innovation; i < s.innovations.size(); ++i)
      made[s.innovations[i].origin] += 1;
    for (std::uint32_t o = 0; o < w.num_owners(); ++o) {
      capacity.push_back(s.capacity[o]);
      culture.push_back(s.culture[o]);
      adoptions.push_back(s.adoptions_total[o]);
      recorded.push_back(o < w.num_municipalities ? static_cast<I64>(s.sorted_adoptions[s.rank[o]]) : -1);
      innovations.push_back(made[o]);
      projects.push_back(s.projects_done[o]);
      research.push_back(s.research_user[o]);
      last.push_back(s.last_innovation[o] == 0 ? kNeverMonth : month_of(s.last_innovation[o], warmup));
    }
    out.push_back(std::move(t));
  }
  {
    sim::Table t{"institutions_end", "Each institution's state at the end of the run (row i: index i).", {}};
    auto& relevance = t.add<double>("relevance", "index 0-1", "Municipal relevance.");
    auto& international = t.add<double>("international", "index 0-1", "International links.");
    auto& publications = t.add<I64>("publications", "publications", "Publications from network ties.");
    for (std::uint32_t i = 0; i < w.num_institutions(); ++i) {
      relevance.push_back(s.relevance[i]);
      international.push_back(s.international[i]);
      publications.push_back(s.publications[i]);
    }
    out.push_back(std::move(t));
  }
  {
    sim::Table t{"innovations",
                 "Innovations made in the recorded period (warm-up innovations are left out); row k is "
                 "the k-th of the replicate.",
                 {}};
    auto& origin = t.add<I64>("origin", "", "Row of the owners table: the maker (a project's lead owner).");
    auto& created = t.add<I64>("created_month", "month", "Month made (recorded months from 1).");
    auto& programme = t.add<I64>("programme", "flag", "1: from a programme project; 0: an own innovation.");
    auto& research = t.add<I64>("research_backed", "flag", "1: a research institution took part.");
    auto& documented = t.add<I64>("documented", "flag", "1: evaluated and written up.");
    auto& types =
        t.add<I64>("types", "bit mask",
                   "Bit k set: type k (0 service, 1 product, 2 process, 3 communication, 4 policy).");
    auto& domain = t.add<I64>("domain", "", "Domain 0-7, or 8 for own innovations without a domain.");
    auto& project = t.add<I64>("project", "", "Row of the projects table, or -1.");
    auto& national =
        t.add<I64>("national_programme", "",
                   "Index of the national programme (scenario order) whose innovation it is, or -1.");
    auto& complexity = t.add<double>("complexity", "months", "Adaptation work it takes.");
    auto& benefit = t.add<double>("benefit", "factor", "Benefit multiplier.");
    auto& adopters = t.add<I64>("adopters", "owners", "Owners that took it up (the maker included).");
    auto& spread = t.add<I64>("spread_adopters", "owners", "Adopters outside its project.");
    auto& m10 =
        t.add<I64>("month_10", "month", "Month at which 10 % of owners had adopted (-1000000: never).");
    auto& m50 =
        t.add<I64>("month_50", "month", "Month at which 50 % of owners had adopted (-1000000: never).");
    for (std::size_t i = s.first_recorded_innovation; i < s.innovations.size(); ++i) {
      const detail::Innovation& inn = s.innovations[i];
      origin.push_back(inn.origin);
      created.push_back(month_of(inn.created, warmup));
      programme.push_back((inn.flags & detail::kProgrammeFunded) ? 1 : 0);
      research.push_back((inn.flags & detail::kResearchBacked) ? 1 : 0);
      documented.push_back((inn.flags & detail::kDocumented) ? 1 : 0);
      types.push_back(inn.types);
      domain.push_back(inn.domain);
      project.push_back(inn.project);
      national.push_back(inn.national);
      complexity.push_back(inn.complexity);
      benefit.push_back(inn.benefit);
      adopters.push_back(inn.adopters);
      spread.push_back(inn.spread_adopters);
      m10.push_back(month_of(inn.month_10, warmup));
      m50.push_back(month_of(inn.month_50, warmup));
    }
    out.push_back(std::move(t));
  }
  {
    sim::Table t{"projects", "Applications that were funded, in the order of their award.", {}};
    auto& instrument =
        t.add<I64>("instrument", "", "0 pre-project, 1 innovation project, 2 competence project.");
    auto& year = t.add<I64>("call_year", "year", "Programme year of the call.");
    auto& lead_owner = t.add<I64>("lead_owner", "", "Row of the owners table, or -1 (competence projects).");
    auto& lead_inst = t.add<I64>("lead_institution", "", "Row of the institutions table, or -1.");
    auto& owners = t.add<I64>("owners", "owners", "Owners taking part.");
    auto& institutions = t.add<I64>("institutions", "institutions", "Research partners.");
    auto& researchers = t.add<I64>("researchers", "persons", "Researchers on the project.");
    auto& grant = t.add<double>("grant", "MNOK", "Grant awarded.");
    auto& start = t.add<I64>("start_month", "month", "First month.");
    auto& end = t.add<I64>("end_month", "month", "Last month.");
    auto& domain = t.add<I64>("domain", "", "Domain 0-7.");
    auto& score = t.add<double>("score", "points", "Review score.");
    auto& newcomer = t.add<I64>("newcomer_led", "flag", "1: led by an owner without earlier projects.");
    auto& small = t.add<I64>("small_led", "flag", "1: led by a small municipality.");
    auto& cost = t.add<double>("cost", "MNOK",
                               "Total cost: the grant plus the owners' share (innovation projects: grant / "
                               "programme.ip_max_funding_share).");
    auto& brokered = t.add<I64>("brokered", "flag", "1: a competence broker's match shaped the consortium.");
    auto& plan =
        t.add<I64>("documentation_plan", "flag", "1: it documents its results (and lessons, if it fails).");
    auto& international =
        t.add<I64>("international_partner", "flag", "1: a competence project with a foreign partner.");
    auto& finished = t.add<I64>("finished", "flag", "1: ended before the end of the run.");
    auto& succeeded = t.add<I64>("succeeded", "flag", "1: ended with success.");
    for (const detail::Project& p : s.projects) {
      instrument.push_back(static_cast<I64>(p.instrument));
      year.push_back(p.call_year);
      lead_owner.push_back(p.lead_owner);
      lead_inst.push_back(p.lead_institution);
      owners.push_back(static_cast<I64>(p.owners.size()));
      institutions.push_back(static_cast<I64>(p.institutions.size()));
      researchers.push_back(static_cast<I64>(p.researchers.size()));
      grant.push_back(p.grant);
      start.push_back(month_of(p.start, warmup));
      end.push_back(month_of(p.end, warmup));
      domain.push_back(p.domain);
      score.push_back(p.score);
      newcomer.push_back(p.newcomer_led ? 1 : 0);
      small.push_back(p.small_led ? 1 : 0);
      cost.push_back(p.cost);
      brokered.push_back(p.brokered ? 1 : 0);
      plan.push_back(p.documentation_plan ? 1 : 0);
      international.push_back(p.international_partner ? 1 : 0);
      finished.push_back(p.finished ? 1 : 0);
      succeeded.push_back(p.succeeded ? 1 : 0);
    }
    out.push_back(std::move(t));
  }
  {
    sim::Table t{
        "applications", "Every application to the programme's calls, funded or not, in call order.", {}};
    auto& month = t.add<I64>("month", "month", "Month of the call.");
    auto& instrument =
        t.add<I64>("instrument", "", "0 pre-project, 1 innovation project, 2 competence project.");
    auto& lead_owner = t.add<I64>("lead_owner", "", "Row of the owners table, or -1 (competence projects).");
    auto& lead_inst = t.add<I64>("lead_institution", "", "Row of the institutions table, or -1.");
    auto& relevance =
        t.add<double>("relevance", "points", "Review criterion: the research partners' relevance.");
    auto& realizability = t.add<double>("realizability", "points", "Review criterion: realizability.");
    auto& spread = t.add<double>("spread", "points", "Review criterion: spread potential.");
    auto& score =
        t.add<double>("score", "points", "Review score (criteria with weights, plus reviewer noise).");
    auto& grant = t.add<double>("grant", "MNOK", "Grant asked for.");
    auto& matched = t.add<I64>("matched", "flag", "1: the lead had a competence broker's match.");
    auto& brokered = t.add<I64>("brokered", "flag", "1: the broker's match shaped the consortium.");
    auto& plan = t.add<I64>("documentation_plan", "flag", "1: with a plan to document its results.");
    auto& funded = t.add<I64>("funded", "flag", "1: funded.");
    for (const detail::Application& a : s.applications) {
      month.push_back(month_of(a.tick, warmup));
      instrument.push_back(static_cast<I64>(a.instrument));
      lead_owner.push_back(a.lead_owner);
      lead_inst.push_back(a.lead_institution);
      relevance.push_back(a.relevance);
      realizability.push_back(a.realizability);
      spread.push_back(a.spread);
      score.push_back(a.score);
      grant.push_back(a.grant);
      matched.push_back(a.matched ? 1 : 0);
      brokered.push_back(a.brokered ? 1 : 0);
      plan.push_back(a.documentation_plan ? 1 : 0);
      funded.push_back(a.funded ? 1 : 0);
    }
    out.push_back(std::move(t));
  }
  if (s.log_adoptions) {
    sim::Table t{"adoptions", "Every adoption of the recorded period, in the order they happened.", {}};
    auto& owner = t.add<I64>("owner", "", "Row of the owners table.");
    auto& innovation = t.add<I64>("innovation", "",
                                  "Row of this replicate's innovations table, or -1 for an innovation made "
                                  "in the warm-up.");
    auto& month = t.add<I64>("month", "month", "Month of the adoption.");
    for (const auto& e : s.adoption_log) {
      owner.push_back(e.owner);
      innovation.push_back(e.innovation >= s.first_recorded_innovation
                               ? static_cast<I64>(e.innovation - s.first_recorded_innovation)
                               : -1);
      month.push_back(month_of(e.tick, warmup));
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace innosim::models::forkommune
