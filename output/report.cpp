// The HTML report (see report.hpp).
#include "output/report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <nlohmann/json.hpp>  // the charts: their data and Vega-Lite specifications
#include <optional>
#include <ostream>

#include "output/summary.hpp"
#include "sim/assert.hpp"

namespace innosim::output {

namespace {

const char* instrument_name(std::size_t i, Language lang) {
  static const char* const en[3] = {"pre-projects", "innovation projects", "competence projects"};
  static const char* const nb[3] = {"forprosjekter", "innovasjonsprosjekter", "kompetanseprosjekter"};
  return lang == Language::kBokmal ? nb[i] : en[i];
}
const char* stage_name(std::size_t k, Language lang) {
  static const char* const en[3] = {"applications", "funded", "succeeded"};
  static const char* const nb[3] = {"søknader", "innvilget", "vellykket"};
  return lang == Language::kBokmal ? nb[k] : en[k];
}

std::string html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// JSON that keeps its keys in the order written, so a specification reads as its text does.
using Json = nlohmann::ordered_json;
// The charts of a report: (element id, Vega-Lite specification).
using Charts = std::vector<std::pair<std::string, Json>>;

// A Vega-Lite specification from its text, in which a string value "@name" is a slot filled with
// the value given for it (data, labels, scales). Only whole string values of the text are slots,
// and what is put in is not looked at again, so user text is never read as one. Every slot
// given must be used and every "@" value filled: a mismatch is a bug in the text.
Json chart_spec(std::string_view text, std::initializer_list<std::pair<std::string_view, Json>> slots) {
  std::vector<bool> used(slots.size(), false);
  auto fill = [&](auto& self, Json& node) -> void {
    if (node.is_string()) {
      const auto& value = node.get_ref<const std::string&>();
      if (!value.starts_with('@')) return;
      std::size_t k = 0;
      for (const auto& [name, with] : slots) {
        if (name == value) {
          used[k] = true;
          node = with;
          return;
        }
        ++k;
      }
      SIM_ASSERT(false, "a chart's specification names a slot it was not given");
      return;
    }
    if (!node.is_structured()) return;  // a number or boolean (iterating it would visit itself)
    for (auto& child : node) self(self, child);
  };
  Json spec = Json::parse(text);
  fill(fill, spec);
  SIM_ASSERT(std::all_of(used.begin(), used.end(), [](bool u) { return u; }),
             "a chart's specification lacks a slot it was given");
  return spec;
}

// JSON text for a <script> element. Bytes that are not UTF-8 (the name of a scenario file
// named in Latin-1) become U+FFFD instead of throwing; <, > and & are written as JSON
// escapes of their code points (u003c, u003e, u0026), so that no text can end the element
// ("</script>") or open a comment ("<!--"). Outside strings JSON has none of the three, and in a
// string the escape is the same character. Numbers are written as the shortest text that
// reads back the same; NaN and infinities as null, which Vega treats as a missing value (the
// point or bar is left out), as the reports have always done.
std::string script_json(const Json& value) {
  const std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A library's minified build without its source-map comment (the map is not shipped, and a
// browser would try to fetch it).
std::string_view without_source_map(std::string_view js) {
  const auto at = js.rfind("//# sourceMappingURL=");
  return at == std::string_view::npos ? js : js.substr(0, at);
}

std::string estimate_cell(const sim::RunningStats& s, int decimals, Language lang = Language::kEnglish) {
  const auto ci = sim::mean_interval(s);
  return fmt::format("{}<span class=\"ci\"> [{} – {}]</span>", format_number(s.mean(), decimals, lang),
                     format_number(ci.low, decimals, lang), format_number(ci.high, decimals, lang));
}

std::string difference_cell(const sim::RunningStats& s, int decimals, Language lang = Language::kEnglish) {
  const auto ci = sim::mean_interval(s);
  auto sign = [&](double v) { return format_number(v, decimals, lang, true); };
  const bool clear = ci.low > 0 || ci.high < 0;
  return fmt::format("<span class=\"diff{}\">{}<span class=\"ci\"> [{} – {}]</span></span>",
                     clear ? " clear" : "", sign(s.mean()), sign(ci.low), sign(ci.high));
}

std::string ratio_cell(const RatioStats& r, int decimals, Language lang = Language::kEnglish) {
  const auto ci = r.interval();
  if (!ci)
    return fmt::format("<span class=\"ci\">{}</span>",
                       tr(lang, "n/a (no clear difference)", "– (ingen klar forskjell)"));
  return fmt::format("{}<span class=\"ci\"> [{} – {}]</span>", format_number(r.ratio(), decimals, lang),
                     format_number(ci->low, decimals, lang), format_number(ci->high, decimals, lang));
}

constexpr std::string_view kStyle = R"(
  :root { --ink: #1d2733; --muted: #5b6776; --line: #d5dbe3; --accent: #1f5f8b; }
  body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: var(--ink); margin: 0; }
  main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
  h1 { font-size: 26px; margin: 0 0 4px; }
  h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid var(--accent); padding-bottom: 4px; }
  p, li { line-height: 1.45; }
  .lead { color: var(--muted); margin-top: 0; }
  table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0; }
  th, td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: right; vertical-align: top; }
  th:first-child, td:first-child { text-align: left; }
  th { background: #f1f4f8; }
  .ci { color: var(--muted); font-size: 11px; }
  .diff { display: block; font-size: 12px; color: var(--muted); }
  .diff.clear { color: var(--ink); font-weight: 600; }
  .chart { margin: 8px 0 4px; min-height: 120px; }
  .grid { display: flex; flex-wrap: wrap; gap: 8px 24px; }
  .warnings li, .warning { color: #a40000; }
  .summary p { font-size: 15px; }
  .note { font-size: 12px; color: var(--muted); }
  .error { color: #a40000; font-weight: 600; }
  section { break-inside: avoid; page-break-inside: avoid; }
  @media print {
    main { padding: 0; max-width: none; }
    h2 { break-after: avoid; }
    .chart { break-inside: avoid; }
    a { color: inherit; text-decoration: none; }
  }
)";

}  // namespace

namespace {

std::optional<std::size_t> metric_of(const ComparisonSetup& setup, std::string_view indicator) {
  for (std::size_t m = 0; m < setup.metrics.size(); ++m) {
    if (setup.metrics[m].indicator == indicator) return m;
  }
  return std::nullopt;
}

bool clear(const sim::Interval& ci) {
  return ci.low > 0 || ci.high < 0;
}

}  // namespace

std::vector<std::string> scenario_summary(const ReportInput& in, std::size_t s) {
  const Comparison& c = *in.comparison;
  const ComparisonSetup& setup = c.setup();
  const Language lang = in.lang;
  const std::string& name = in.scenarios[s].first;
  const std::string& ref = setup.scenarios[setup.reference];
  const auto adoptions = metric_of(setup, setup.adoptions_indicator);
  const auto research = metric_of(setup, setup.research_indicator);
  const auto money = metric_of(setup, setup.money_indicator);
  // research_using_share is a share of municipalities: in municipalities, not points.
  const double per_municipality = setup.municipalities / 100.0;
  auto est = [&](const sim::RunningStats& v, int decimals, double scale = 1, bool sign = false) {
    const auto ci = sim::mean_interval(v);
    return format_estimate(v.mean() * scale, ci.low * scale, ci.high * scale, decimals, lang, sign);
  };
  std::vector<std::string> out;
  if (s == setup.reference) {
    std::string line = fmt::format(trf(lang, "{} (the reference): {} adoptions over {} years",
                                       "{} (referansen): {} adopsjoner over {} år"),
                                   name, adoptions ? est(c.value(s, *adoptions), 0) : "?", in.years);
    if (research) {
      line += fmt::format(trf(lang, "; {} municipalities using research at the end",
                              "; {} kommuner som bruker forskning ved periodens slutt"),
                          est(c.value(s, *research), 0, per_municipality));
    }
    out.push_back(line + ".");
  } else {
    if (adoptions) {
      const auto& d = c.difference(s, *adoptions);
      const auto ci = sim::mean_interval(d);
      const double base = c.value(setup.reference, *adoptions).mean();
      if (clear(ci)) {
        out.push_back(fmt::format(
            trf(lang, "{}: {} {} adoptions than {} over {} years ({}{} %), interval {}.",
                "{}: {} {} adopsjoner enn {} over {} år ({}{} %), intervall {}."),
            name, format_number(std::abs(d.mean()), 0, lang),
            d.mean() > 0 ? tr(lang, "more", "flere") : tr(lang, "fewer", "færre"), ref, in.years,
            d.mean() > 0 ? "+" : "−", format_number(base > 0 ? 100 * std::abs(d.mean()) / base : 0, 1, lang),
            est(d, 0, 1, true)));
      } else {
        out.push_back(fmt::format(trf(lang, "{}: no clear change in adoptions against {} ({}).",
                                      "{}: ingen klar endring i adopsjoner mot {} ({})."),
                                  name, ref, est(d, 0, 1, true)));
      }
    }
    if (research) {
      const auto& d = c.difference(s, *research);
      const auto ci = sim::mean_interval(d);
      out.push_back(fmt::format(
          fmt::runtime(clear(ci)
                           ? tr(lang, "Municipalities using research at the end: {} against {}.",
                                "Kommuner som bruker forskning ved periodens slutt: {} mot {}.")
                           : tr(lang, "No clear change in the municipalities using research ({} against {}).",
                                "Ingen klar endring i kommuner som bruker forskning ({} mot {}).")),
          est(d, 0, per_municipality, true), ref));
    }
    // Groups whose adoptions per municipality differ clearly from the reference's: the
    // centrality and size classes by name, counties counted (the group table lists them).
    std::vector<std::string> more, fewer;
    std::size_t counties_more = 0, counties_fewer = 0;
    for (std::size_t g = 0; g < setup.groups.size(); ++g) {
      const auto& d = c.group_difference(s, g);
      const auto ci = sim::mean_interval(d);
      if (!clear(ci)) continue;
      if (g < in.group_kinds.size() && in.group_kinds[g] == "county") {
        ++(d.mean() > 0 ? counties_more : counties_fewer);
        continue;
      }
      const std::string label = g < in.group_labels.size() ? in.group_labels[g] : setup.groups[g];
      // Enough decimals that the interval's end nearest 0 does not print as 0.
      const double nearest = std::min(std::abs(ci.low), std::abs(ci.high));
      const int decimals =
          std::clamp(static_cast<int>(std::ceil(-std::log10(std::max(nearest, 1e-4)))), 2, 4);
      (d.mean() > 0 ? more : fewer).push_back(fmt::format("{} ({})", label, est(d, decimals, 1, true)));
    }
    std::size_t counties = 0;
    for (const auto& kind : in.group_kinds) counties += kind == "county" ? 1U : 0U;
    if (counties_more > 0)
      more.push_back(fmt::format(trf(lang, "{} of {} counties", "{} av {} fylker"), counties_more, counties));
    if (counties_fewer > 0)
      fewer.push_back(
          fmt::format(trf(lang, "{} of {} counties", "{} av {} fylker"), counties_fewer, counties));
    if (more.empty() && fewer.empty()) {
      out.push_back(
          fmt::format(trf(lang,
                          "No group of municipalities (by centrality, size or county) differs clearly "
                          "from {} in adoptions per owner.",
                          "Ingen gruppe kommuner (etter sentralitet, størrelse eller fylke) skiller seg "
                          "klart fra {} i adopsjoner per kommune/fylkeskommune."),
                      ref));
    } else {
      std::string line =
          tr(lang, "Adoptions per owner against ", "Adopsjoner per kommune/fylkeskommune mot ") + ref + ": ";
      if (!more.empty())
        line += fmt::format(trf(lang, "clearly more in {}", "klart flere i {}"), fmt::join(more, ", "));
      if (!more.empty() && !fewer.empty()) line += "; ";
      if (!fewer.empty())
        line += fmt::format(trf(lang, "clearly fewer in {}", "klart færre i {}"), fmt::join(fewer, ", "));
      out.push_back(line + ".");
    }
  }
  // What an additional adoption costs against the counterfactual.
  if (setup.counterfactual && s != *setup.counterfactual) {
    const std::string& cf = setup.scenarios[*setup.counterfactual];
    const auto& r = c.cost_per_adoption(s);
    if (const auto ci = r.interval()) {
      out.push_back(fmt::format(trf(lang, "Against {}, each additional adoption costs {} MNOK.",
                                    "Sammenlignet med {} koster hver ekstra adopsjon {} mill. kr."),
                                cf, format_estimate(r.ratio(), ci->low, ci->high, 2, lang)));
    } else {
      out.push_back(fmt::format(
          trf(lang,
              "Against {}, the additional adoptions are not clearly above 0, so no cost per "
              "additional adoption can be given.",
              "Sammenlignet med {} er de ekstra adopsjonene ikke klart over 0, så ingen kostnad per ekstra "
              "adopsjon kan oppgis."),
          cf));
    }
  }
  // Warnings: more money that buys nothing clear; money the scenario could not spend.
  if (s != setup.reference && money && adoptions) {
    const auto dm = sim::mean_interval(c.difference(s, *money));
    const auto da = sim::mean_interval(c.difference(s, *adoptions));
    const bool research_clear = research && clear(sim::mean_interval(c.difference(s, *research)));
    if (dm.low > 0 && !clear(da) && !research_clear) {
      out.push_back(
          fmt::format(trf(lang,
                          "Warning: {} commits {} MNOK more than {} with no clear change in adoptions or "
                          "research use.",
                          "Advarsel: {} bevilger {} mill. kr mer enn {} uten klar endring i adopsjoner "
                          "eller forskningsbruk."),
                      name, est(c.difference(s, *money), 1), ref));
    }
  }
  if (s < in.warnings.size()) {
    for (const auto& w : in.warnings[s]) out.push_back(tr(lang, "Warning: ", "Advarsel: ") + w);
  }
  return out;
}

namespace {

// The page up to the title: the style and the inlined charting libraries.
void write_head(std::ostream& out, const std::string& title, const ReportAssets& assets,
                Language lang = Language::kEnglish) {
  fmt::print(out,
             "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n",
             language_code(lang), html(title));
  fmt::print(out, "<style>{}</style>\n", kStyle);
  fmt::print(out, "<script>{}</script>\n<script>{}</script>\n<script>{}</script>\n",
             without_source_map(assets.vega), without_source_map(assets.vega_lite),
             without_source_map(assets.vega_embed));
  fmt::print(out, "</head>\n<body>\n<main>\n<h1>{}</h1>\n", html(title));
}

// A section holding one chart (drawn by write_rendering's script) and its note.
void write_chart_section(std::ostream& out, const std::string& id, const std::string& heading,
                         const std::string& note) {
  fmt::print(out,
             "<section>\n<h2>{}</h2>\n<div class=\"chart\" id=\"{}\"></div>\n<p class=\"note\">{}</p>\n"
             "</section>\n",
             html(heading), id, note);
}

// The script that renders the charts (shared by the three reports), one chart a line.
void write_rendering(std::ostream& out, const Charts& charts) {
  fmt::print(out, "</main>\n<script>\nconst innosimCharts = [\n");
  for (std::size_t k = 0; k < charts.size(); ++k) {
    fmt::print(out, "  {}{}\n", script_json(Json::array({charts[k].first, charts[k].second})),
               k + 1 < charts.size() ? "," : "");
  }
  out << R"J(];
window.innosimRendered = 0;
Promise.all(innosimCharts.map(([id, spec]) =>
  vegaEmbed('#' + id, spec, {actions: false, renderer: 'svg'})
    .then(() => { window.innosimRendered += 1; })
    .catch((error) => {
      document.getElementById(id).innerHTML = '<p class="error">This chart could not be drawn: ' + error + '</p>';
      console.error(error);
    })))
  .then(() => {
    document.body.dataset.charts = window.innosimRendered === innosimCharts.length ? 'rendered' : 'failed';
  });
</script>
</body>
</html>
)J";
}

}  // namespace

namespace {

// Tooltips in bokmål: every tooltip item without a title gets one for its field (Vega-Lite
// would show the field's name, which is English).
void localise_tooltips(Json& node, Language lang) {
  if (lang == Language::kEnglish || !node.is_structured()) return;
  static const std::pair<const char*, const char*> titles[] = {
      {"scenario", "scenario"},      {"year", "programår"},   {"group", "gruppe"},
      {"instrument", "virkemiddel"}, {"stage", "trinn"},      {"name", "kommune"},
      {"mean", "gjennomsnitt"},      {"low", "nedre grense"}, {"high", "øvre grense"},
      {"count", "antall"},
  };
  if (node.is_object() && node.contains("tooltip") && node["tooltip"].is_array()) {
    for (Json& item : node["tooltip"]) {
      if (!item.is_object() || item.contains("title") || !item.contains("field")) continue;
      for (const auto& [field, title] : titles) {
        if (item["field"] == field) item["title"] = title;
      }
    }
  }
  for (Json& child : node) localise_tooltips(child, lang);
}

}  // namespace

namespace {

std::string group_label(const ReportInput& in, std::size_t g) {
  return g < in.group_labels.size() ? in.group_labels[g] : in.comparison->setup().groups[g];
}

// The heading of a group's kind in the group table and the differences chart.
std::string group_kind(const ReportInput& in, std::size_t g) {
  std::string kind = g < in.group_kinds.size() ? in.group_kinds[g] : "";
  if (kind == "centrality") return tr(in.lang, "by centrality (SSB)", "etter sentralitet (SSB)");
  if (kind == "size") return tr(in.lang, "by size", "etter størrelse");
  if (kind == "county") return tr(in.lang, "by county", "etter fylke");
  return kind;
}

// The scenarios' names in order (the sort of every scenario axis), without the reference when
// only differences from it are shown.
Json scenario_names(const ReportInput& in, bool without_reference = false) {
  Json names = Json::array();
  for (std::size_t s = 0; s < in.scenarios.size(); ++s) {
    if (!without_reference || s != in.comparison->setup().reference) names.push_back(in.scenarios[s].first);
  }
  return names;
}

// Cumulative adoptions year by year: a line per scenario with its interval as a band.
Json adoption_chart(const ReportInput& in, const Json& colour) {
  Json series = Json::array();
  for (std::size_t s = 0; s < in.scenarios.size(); ++s) {
    for (std::size_t y = 0; y < in.cumulative_adoptions[s].size(); ++y) {
      const Estimate& e = in.cumulative_adoptions[s][y];
      series.push_back({{"scenario", in.scenarios[s].first},
                        {"year", y + 1},
                        {"mean", e.mean},
                        {"low", e.low},
                        {"high", e.high}});
    }
  }
  Json year_ticks = Json::array();  // whole programme years only
  const std::size_t years_shown = in.cumulative_adoptions.empty() ? 0 : in.cumulative_adoptions[0].size();
  for (std::size_t y = 1; y <= years_shown; ++y) year_ticks.push_back(y);
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"width":900,"height":300,"data":{"values":"@series"},
"encoding":{"x":{"field":"year","type":"quantitative","title":"@year","axis":{"values":"@ticks","format":"d"}},"color":"@colour"},
"layer":[
 {"mark":{"type":"area","opacity":0.18},"encoding":{"y":{"field":"low","type":"quantitative","title":"@adoptions"},"y2":{"field":"high"}}},
 {"mark":{"type":"line","point":true},"encoding":{"y":{"field":"mean","type":"quantitative"},"strokeDash":{"field":"scenario","type":"nominal","sort":"@scenarios"},
   "tooltip":[{"field":"scenario"},{"field":"year"},{"field":"mean","format":",.0f"},{"field":"low","format":",.0f"},{"field":"high","format":",.0f"}]}}
]})",
      {{"@series", series},
       {"@year", tr(in.lang, "programme year", "programår")},
       {"@ticks", year_ticks},
       {"@colour", colour},
       {"@adoptions", tr(in.lang, "cumulative adoptions", "kumulative adopsjoner")},
       {"@scenarios", scenario_names(in)}});
}

// Adoptions per owner by centrality and by size class (counties are in "who gains").
Json group_chart(const ReportInput& in, const Json& colour) {
  const Comparison& c = *in.comparison;
  const auto& setup = c.setup();
  Json data = Json::array(), order = Json::array();
  for (std::size_t g = 0; g < setup.groups.size(); ++g) {
    const bool centrality = setup.groups[g].starts_with("centrality");
    if (!centrality && !setup.groups[g].starts_with("size")) continue;
    const std::string label = group_label(in, g);
    order.push_back(label);
    for (std::size_t s = 0; s < in.scenarios.size(); ++s) {
      const auto& v = c.group_value(s, g);
      const auto ci = sim::mean_interval(v);
      data.push_back(
          {{"scenario", in.scenarios[s].first},
           {"group", label},
           {"kind", centrality ? tr(in.lang, "centrality class (SSB)", "sentralitetsklasse (SSB)")
                               : tr(in.lang, "size class (inhabitants)", "størrelsesklasse (innbyggere)")},
           {"order", g},
           {"mean", v.mean()},
           {"low", ci.low},
           {"high", ci.high}});
    }
  }
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{"values":"@data"},
"facet":{"column":{"field":"kind","type":"nominal","title":null,"sort":"descending"}},
"resolve":{"scale":{"x":"independent","xOffset":"independent"}},
"spec":{"width":420,"height":260,
 "encoding":{"x":{"field":"group","type":"nominal","sort":"@groups","title":null,"scale":{"type":"band","paddingInner":0.2},"axis":{"labelAngle":-30}},
  "xOffset":{"field":"scenario","sort":"@scenarios","scale":{"type":"band"}},"color":"@colour"},
 "layer":[
  {"mark":"bar","encoding":{"y":{"field":"mean","type":"quantitative","title":"@per_owner"},
    "tooltip":[{"field":"scenario"},{"field":"group"},{"field":"mean","format":".2f"},{"field":"low","format":".2f"},{"field":"high","format":".2f"}]}},
  {"mark":{"type":"rule","strokeWidth":1.5},"encoding":{"y":{"field":"low","type":"quantitative"},"y2":{"field":"high"},
    "color":{"value":"#222"},"xOffset":{"field":"scenario","sort":"@scenarios","bandPosition":0.5}}}
 ]}})",
      {{"@data", data},
       {"@groups", order},
       {"@scenarios", scenario_names(in)},
       {"@colour", colour},
       {"@per_owner", tr(in.lang, "adoptions per owner over the run", "adopsjoner per eier over perioden")}});
}

// Differences from the reference by group, per owner and for the group as a whole; the ones
// whose interval includes 0 faded.
Json group_difference_chart(const ReportInput& in, const Json& colour) {
  const Comparison& c = *in.comparison;
  const auto& setup = c.setup();
  Json data = Json::array();
  for (std::size_t s = 0; s < in.scenarios.size(); ++s) {
    if (s == setup.reference) continue;
    for (std::size_t g = 0; g < setup.groups.size(); ++g) {
      const auto& d = c.group_difference(s, g);
      const auto ci = sim::mean_interval(d);
      data.push_back({{"scenario", in.scenarios[s].first},
                      {"group", group_label(in, g)},
                      {"kind", group_kind(in, g)},
                      {"order", g},
                      {"mean", d.mean()},
                      {"low", ci.low},
                      {"high", ci.high},
                      {"clear", clear(ci)},
                      {"total", d.mean() * setup.group_sizes[g]}});
    }
  }
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{"values":"@data"},
"facet":{"row":{"field":"kind","type":"nominal","title":null,"sort":{"field":"order"},"header":{"labelAngle":0,"labelAlign":"left","labelFontWeight":"bold"}}},
"resolve":{"scale":{"y":"independent","yOffset":"independent"}},
"spec":{"width":640,
 "encoding":{"y":{"field":"group","type":"nominal","sort":{"field":"order"},"title":null},
  "yOffset":{"field":"scenario","sort":"@scenarios"},"color":"@colour"},
 "layer":[
  {"mark":{"type":"rule","color":"#888","strokeDash":[3,3]},"encoding":{"x":{"datum":0},"color":{"value":"#888"},"yOffset":{"value":0}}},
  {"mark":{"type":"rule","strokeWidth":2},"encoding":{"x":{"field":"low","type":"quantitative","title":"@difference"},"x2":{"field":"high"},"opacity":{"condition":{"test":"datum.clear","value":1},"value":0.35}}},
  {"mark":{"type":"point","filled":true,"size":50},"encoding":{"x":{"field":"mean","type":"quantitative"},"opacity":{"condition":{"test":"datum.clear","value":1},"value":0.35},
   "tooltip":[{"field":"scenario"},{"field":"group"},{"field":"mean","title":"@per_owner","format":"+.2f"},{"field":"low","format":"+.2f"},{"field":"high","format":"+.2f"},{"field":"total","title":"@whole_group","format":"+,.0f"}]}}
 ]}})",
      {{"@data", data},
       {"@scenarios", scenario_names(in, true)},
       {"@colour", colour},
       {"@difference",
        fmt::format(trf(in.lang, "difference from {} in adoptions per owner (95 % interval)",
                        "forskjell fra {} i adopsjoner per kommune/fylkeskommune (95 %-intervall)"),
                    setup.scenarios[setup.reference])},
       {"@per_owner", tr(in.lang, "per owner", "per kommune/fylkeskommune")},
       {"@whole_group", tr(in.lang, "whole group", "hele gruppen")}});
}

// The calls: applications, funded and succeeded projects per instrument.
Json funnel_chart(const ReportInput& in, const Json& colour) {
  Json data = Json::array();
  for (std::size_t s = 0; s < in.scenarios.size(); ++s) {
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t k = 0; k < 3; ++k) {
        data.push_back({{"scenario", in.scenarios[s].first},
                        {"instrument", instrument_name(i, in.lang)},
                        {"stage", stage_name(k, in.lang)},
                        {"order", k},
                        {"count", in.funnel[s][i][k]}});
      }
    }
  }
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{"values":"@data"},
"facet":{"column":{"field":"instrument","type":"nominal","title":null,"sort":"@instruments"}},
"resolve":{"scale":{"y":"independent","xOffset":"independent"}},
"spec":{"width":270,"height":220,"mark":"bar",
 "encoding":{"x":{"field":"stage","type":"nominal","sort":{"field":"order"},"title":null,"axis":{"labelAngle":0}},
  "xOffset":{"field":"scenario","sort":"@scenarios"},
  "y":{"field":"count","type":"quantitative","title":"@count"},"color":"@colour",
  "tooltip":[{"field":"scenario"},{"field":"instrument"},{"field":"stage"},{"field":"count","format":",.1f"}]}}})",
      {{"@data", data},
       {"@instruments",
        Json::array({instrument_name(0, in.lang), instrument_name(1, in.lang), instrument_name(2, in.lang)})},
       {"@scenarios", scenario_names(in)},
       {"@count", tr(in.lang, "per run, whole horizon (mean)", "per kjøring, hele perioden (gjennomsnitt)")},
       {"@colour", colour}});
}

// Map m: a circle per municipality at its centre, sized by population. A difference map colours
// only the municipalities whose difference is clear; the others are grey, so that noise does
// not look like a pattern.
Json map_chart(const ReportInput& in, std::size_t m) {
  Json data = Json::array();
  for (const MapPlace& p : in.places) {
    data.push_back({{"name", p.name},
                    {"lat", p.lat},
                    {"lon", p.lon},
                    {"population", p.population},
                    {"value", p.values[m]},
                    {"clear", m >= p.clear.size() || p.clear[m]}});
  }
  const std::string unit = m < in.map_units.size() ? in.map_units[m] : "value";
  Json colour;
  if (in.map_diverging[m]) {
    colour = {{"condition",
               {{"test", "datum.clear"},
                {"field", "value"},
                {"type", "quantitative"},
                {"scale", {{"scheme", "redblue"}, {"domainMid", 0}}},
                {"title", unit}}},
              {"value", "#cfcfcf"}};
  } else {
    colour = {
        {"field", "value"}, {"type", "quantitative"}, {"scale", {{"scheme", "viridis"}}}, {"title", unit}};
  }
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"width":460,"height":560,"title":"@title","projection":{"type":"mercator"},"data":{"values":"@data"},
"mark":{"type":"circle","opacity":0.85,"stroke":"#333","strokeWidth":0.3},
"encoding":{"longitude":{"field":"lon","type":"quantitative"},"latitude":{"field":"lat","type":"quantitative"},
 "size":{"field":"population","type":"quantitative","scale":{"type":"sqrt","range":[6,500]},"title":"@inhabitants"},
 "color":"@colour",
 "tooltip":[{"field":"name"},{"field":"population","title":"@inhabitants","format":",.0f"},{"field":"value","title":"@unit","format":".2f"},{"field":"clear","title":"@clear"}]}})",
      {{"@title", in.map_titles[m]},
       {"@data", data},
       {"@inhabitants", tr(in.lang, "inhabitants", "innbyggere")},
       {"@colour", colour},
       {"@unit", unit},
       {"@clear", tr(in.lang, "interval excludes 0", "intervallet utelukker 0")}});
}

// Every chart of a run's or a comparison's report, in the order of the page.
Charts report_charts(const ReportInput& in) {
  const auto& setup = in.comparison->setup();
  // Each scenario's colour, the same in every chart ("scenario" in both languages).
  const Json colour = {{"field", "scenario"},
                       {"type", "nominal"},
                       {"sort", scenario_names(in)},
                       {"title", "scenario"},
                       {"scale", {{"scheme", "tableau10"}}}};
  Charts charts;
  charts.emplace_back("chart-adoption", adoption_chart(in, colour));
  charts.emplace_back("chart-groups", group_chart(in, colour));
  if (in.scenarios.size() > 1 && !setup.groups.empty())
    charts.emplace_back("chart-group-differences", group_difference_chart(in, colour));
  charts.emplace_back("chart-funnel", funnel_chart(in, colour));
  for (std::size_t m = 0; m < in.map_titles.size(); ++m)
    charts.emplace_back(fmt::format("chart-map-{}", m), map_chart(in, m));
  for (auto& chart : charts) localise_tooltips(chart.second, in.lang);
  return charts;
}

}  // namespace

void write_report(std::ostream& out, const ReportInput& in, const ReportAssets& assets) {
  const Comparison& c = *in.comparison;
  const auto& setup = c.setup();
  const std::size_t ns = in.scenarios.size();
  const std::string& ref = setup.scenarios[setup.reference];
  const bool compare = ns > 1;
  const Language lang = in.lang;
  const Charts charts = report_charts(in);
  auto label_of = [&](std::size_t g) { return group_label(in, g); };
  auto kind_of = [&](std::size_t g) { return group_kind(in, g); };

  // The page.
  const std::string title = compare
                                ? fmt::format(trf(lang, "innosim: {} programme scenarios compared",
                                                  "innosim: {} programscenarioer sammenlignet"),
                                              ns)
                                : fmt::format(trf(lang, "innosim: the scenario {}", "innosim: scenarioet {}"),
                                              in.scenarios[0].first);
  write_head(out, title, assets, lang);
  fmt::print(
      out,
      trf(lang,
          "<p class=\"lead\">Simulated with innosim {} (git {}) on Norway's municipalities, county "
          "municipalities and research institutions; {} replicates of {} years per scenario after a {}-year "
          "warm-up, seed {}. Source: {}.</p>\n",
          "<p class=\"lead\">Simulert med innosim {} (git {}) på Norges kommuner, fylkeskommuner og "
          "forskningsinstitusjoner; {} kjøringer à {} år per scenario etter {} års innkjøringsperiode, "
          "startverdi (seed) {}. "
          "Kilde: {}.</p>\n"),
      html(in.innosim_version), html(in.git_revision), in.replicates, in.years, in.warmup_years, in.seed,
      html(in.source));

  // The answer first: a few sentences per scenario (scenario_summary).
  if (compare) {
    fmt::print(out, "<section class=\"summary\">\n<h2>{}</h2>\n", tr(in.lang, "Summary", "Sammendrag"));
    for (std::size_t s = 0; s < ns; ++s) {
      fmt::print(out, "<p>");
      for (const auto& line : scenario_summary(in, s)) {
        const bool warning = line.starts_with(tr(in.lang, "Warning: ", "Advarsel: "));
        fmt::print(out, "{}{}{} ", warning ? "<span class=\"warning\">" : "", html(line),
                   warning ? "</span>" : "");
      }
      fmt::print(out, "</p>\n");
    }
    fmt::print(out, "<p class=\"note\">{}</p>\n</section>\n",
               tr(in.lang,
                  "Numbers are means over replicates with their 95 % interval in brackets; a change is "
                  "called clear when its interval excludes 0. An owner is a municipality or a county "
                  "municipality.",
                  "Tallene er gjennomsnitt over kjøringer med 95 %-intervall i klammer; en endring kalles "
                  "klar når intervallet ikke inneholder 0."));
  }

  // What was compared.
  fmt::print(out, "<section>\n<h2>{}</h2>\n<ul>\n",
             compare ? tr(lang, "What was compared", "Hva som ble sammenlignet")
                     : tr(lang, "What was simulated", "Hva som ble simulert"));
  for (std::size_t s = 0; s < ns; ++s) {
    const bool is_ref = s == setup.reference && compare;
    const bool is_cf = setup.counterfactual && s == *setup.counterfactual;
    fmt::print(out, "<li><b>{}</b>{}: {}</li>\n", html(in.scenarios[s].first),
               is_ref ? tr(lang, " (reference)", " (referanse)")
                      : (is_cf ? tr(lang, " (counterfactual)", " (kontrafaktisk)") : ""),
               html(in.scenarios[s].second));
  }
  fmt::print(out, "</ul>\n");
  if (compare) {
    fmt::print(
        out,
        trf(lang,
            "<p>Every scenario was run with the same {} replicates. Replicate <i>r</i> of every scenario "
            "uses "
            "the same random numbers wherever the scenarios agree (common random numbers), so the difference "
            "between two scenarios in the same replicate shows the effect of the design rather than chance. "
            "Differences below are taken replicate by replicate against <b>{}</b>.</p>\n",
            "<p>Hvert scenario ble kjørt {} ganger. Kjøring <i>r</i> i hvert scenario "
            "bruker "
            "de samme tilfeldige tallene der scenarioene er like (felles tilfeldige tall), så forskjellen "
            "mellom "
            "to scenarioer i samme kjøring viser virkningen av utformingen og ikke tilfeldigheter. "
            "Forskjellene "
            "nedenfor er tatt kjøring for kjøring mot <b>{}</b>.</p>\n"),
        in.replicates, html(ref));
    if (!in.posterior.empty()) {
      fmt::print(
          out,
          trf(lang,
              "<p><b>Parameter uncertainty is included.</b> Each replicate drew one set of the calibrated "
              "parameters from {}, the same set for every scenario of that replicate, so the intervals "
              "below cover both the model's chance variation and what the calibration leaves uncertain "
              "about those parameters.</p>\n",
              "<p><b>Parameterusikkerhet er tatt med.</b> Hver kjøring trakk ett sett av de kalibrerte "
              "parameterne fra {}, det samme settet for alle scenarioene i kjøringen, så intervallene "
              "nedenfor dekker både modellens tilfeldige variasjon og det kalibreringen lar være usikkert "
              "om disse parameterne.</p>\n"),
          html(in.posterior));
    }
  }
  fmt::print(out, "</section>\n");

  // What money could not buy, before any result is read.
  bool any_warning = false;
  for (const auto& w : in.warnings) any_warning |= !w.empty();
  if (any_warning && !compare) {
    fmt::print(out, "<section>\n<h2>{}</h2>\n<ul>\n", tr(lang, "Warnings", "Advarsler"));
    for (std::size_t s = 0; s < in.warnings.size() && s < ns; ++s) {
      for (const auto& w : in.warnings[s])
        fmt::print(out, "<li class=\"warning\"><b>{}</b>: {}</li>\n", html(in.scenarios[s].first), html(w));
    }
    fmt::print(out, "</ul>\n</section>\n");
  }

  // Headline table.
  fmt::print(out, "<section>\n<h2>{}</h2>\n<table>\n<tr><th>{}</th>",
             tr(lang, "Headline results", "Hovedresultater"),
             fmt::format(trf(lang, "over {} years, per run", "over {} år, per kjøring"), in.years));
  for (std::size_t s = 0; s < ns; ++s) fmt::print(out, "<th>{}</th>", html(in.scenarios[s].first));
  fmt::print(out, "</tr>\n");
  for (std::size_t m = 0; m < setup.metrics.size(); ++m) {
    fmt::print(out, "<tr><td>{}</td>", html(setup.metrics[m].label));
    for (std::size_t s = 0; s < ns; ++s) {
      fmt::print(out, "<td>{}{}</td>", estimate_cell(c.value(s, m), setup.metrics[m].decimals, lang),
                 compare && s != setup.reference
                     ? difference_cell(c.difference(s, m), setup.metrics[m].decimals, lang)
                     : "");
    }
    fmt::print(out, "</tr>\n");
  }
  fmt::print(out, "</table>\n<p class=\"note\">{}{}</p>\n",
             tr(lang, "Mean over replicates with its 95 % interval in brackets (Student t over replicates).",
                "Gjennomsnitt over kjøringer med 95 %-intervall i klammer (Student t over kjøringer)."),
             compare
                 ? fmt::format(trf(lang,
                                   " The second line is the paired difference from {} in the same replicate, "
                                   "with its 95 % interval; it is in bold when the interval excludes 0.",
                                   " Den andre linjen er den parvise forskjellen fra {} i samme kjøring, med "
                                   "95 %-intervall; den er uthevet når intervallet ikke inneholder 0."),
                               html(ref))
                 : "");
  if (setup.counterfactual && compare) {
    const std::string& cf = setup.scenarios[*setup.counterfactual];
    fmt::print(
        out,
        trf(lang,
            "<h3>Additionality against {}</h3>\n<table>\n<tr><th>scenario</th><th>additional adoptions</th>"
            "<th>additional municipalities using research</th><th>extra money (MNOK)</th>"
            "<th>MNOK per additional adoption</th><th>MNOK per additional research user</th></tr>\n",
            "<h3>Addisjonalitet mot {}</h3>\n<table>\n<tr><th>scenario</th><th>ekstra adopsjoner</th>"
            "<th>ekstra kommuner som bruker forskning</th><th>ekstra midler (mill. kr)</th>"
            "<th>mill. kr per ekstra adopsjon</th><th>mill. kr per ekstra forskningsbruker</th></tr>\n"),
        html(cf));
    for (std::size_t s = 0; s < ns; ++s) {
      if (s == *setup.counterfactual) continue;
      fmt::print(out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                 html(in.scenarios[s].first), estimate_cell(c.extra_adoptions(s), 0, lang),
                 estimate_cell(c.extra_research(s), 1, lang), estimate_cell(c.extra_money(s), 1, lang),
                 ratio_cell(c.cost_per_adoption(s), 3, lang),
                 ratio_cell(c.cost_per_research_user(s), 2, lang));
    }
    fmt::print(
        out,
        trf(lang,
            "</table>\n<p class=\"note\">Each scenario minus {} in the same replicate, over the whole "
            "horizon. "
            "Money per additional adoption is the ratio of the mean extra money to the mean additional "
            "adoptions, with a delta-method 95 % interval; n/a when the additional count's own interval "
            "includes 0.</p>\n",
            "</table>\n<p class=\"note\">Hvert scenario minus {} i samme kjøring, over hele perioden. "
            "Midler per ekstra adopsjon er forholdet mellom gjennomsnittlige ekstra midler og "
            "gjennomsnittlige "
            "ekstra adopsjoner, med 95 %-intervall etter deltametoden; – når intervallet for de ekstra "
            "adopsjonene inneholder 0.</p>\n"),
        html(cf));
  }
  fmt::print(out, "</section>\n");

  write_chart_section(out, "chart-adoption", tr(lang, "Adoption over time", "Adopsjon over tid"),
                      tr(lang,
                         "Cumulative adoptions (an owner taking up an innovation it did not make) at the end "
                         "of each programme "
                         "year: mean over replicates, with the 95 % interval as a band.",
                         "Kumulative adopsjoner (en eier som tar i bruk en innovasjon den ikke selv har "
                         "laget) ved periodens slutt av "
                         "hvert programår: gjennomsnitt over kjøringer, med 95 %-intervallet som et bånd."));
  write_chart_section(
      out, "chart-groups",
      tr(lang, "Results by centrality and size", "Resultater etter sentralitet og størrelse"),
      tr(lang,
         "Adoptions per owner over the run by SSB centrality class (1 most central, 6 least) and by size "
         "class; "
         "bars are means, lines 95 % intervals.",
         "Adopsjoner per eier over perioden etter SSBs sentralitetsklasse (1 mest sentral, 6 minst) og etter "
         "størrelse; søylene er gjennomsnitt, linjene 95 %-intervaller."));
  if (compare && !setup.groups.empty()) {
    fmt::print(out, "<section>\n<h2>{}</h2>\n<div class=\"chart\" id=\"chart-group-differences\"></div>\n",
               fmt::format(trf(in.lang, "Who gains: differences from {} by group",
                               "Hvem tjener på det: forskjeller fra {} etter gruppe"),
                           html(ref)));
    fmt::print(out, "<table>\n<tr><th>{}</th><th>{}</th>", tr(in.lang, "group", "gruppe"),
               tr(in.lang, "owners", "eiere"));
    for (std::size_t s = 0; s < ns; ++s) {
      if (s != setup.reference) fmt::print(out, "<th>{}</th>", html(in.scenarios[s].first));
    }
    fmt::print(out, "</tr>\n");
    std::string kind;
    for (std::size_t g = 0; g < setup.groups.size(); ++g) {
      if (kind_of(g) != kind) {
        kind = kind_of(g);
        fmt::print(out, "<tr><td colspan=\"{}\"><b>{}</b></td></tr>\n", ns + 1, html(kind));
      }
      fmt::print(out, "<tr><td>{}</td><td>{}</td>", html(label_of(g)),
                 format_number(setup.group_sizes[g], 0, in.lang));
      for (std::size_t s = 0; s < ns; ++s) {
        if (s == setup.reference) continue;
        const auto& d = c.group_difference(s, g);
        const auto ci = sim::mean_interval(d);
        const double n = setup.group_sizes[g];
        const bool is_clear = ci.low > 0 || ci.high < 0;
        fmt::print(out, "<td><span class=\"diff{}\">{}<span class=\"ci\"> {}</span></span></td>",
                   is_clear ? " clear" : "", format_estimate(d.mean(), ci.low, ci.high, 2, in.lang, true),
                   fmt::format(trf(in.lang, "{} in total", "{} i alt"),
                               format_estimate(d.mean() * n, ci.low * n, ci.high * n, 0, in.lang, true)));
      }
      fmt::print(out, "</tr>\n");
    }
    fmt::print(
        out, "</table>\n<p class=\"note\">{}</p>\n</section>\n",
        fmt::format(
            trf(in.lang,
                "Each scenario minus {} in the same replicate: adoptions per owner of the group over the "
                "run, "
                "with the 95 % interval, and the same for the group as a whole. Bold (and solid in the "
                "chart) when the interval excludes 0. A county counts all its owners, its county "
                "municipality included.",
                "Hvert scenario minus {} i samme kjøring: adopsjoner per eier i gruppen over perioden, "
                "med 95 %-intervall, og det samme for hele gruppen. Uthevet (og heltrukket i figuren) når "
                "intervallet ikke inneholder 0. Et fylke teller alle sine eiere, fylkeskommunen medregnet."),
            html(ref)));
  }

  // What the programme did: arenas, brokers and the money.
  struct Activity {
    const char* indicator;
    const char* en;
    const char* nb;
    int decimals;
  };
  const Activity activity[] = {
      {"arena_participants", "arena participations (owners attending, summed over events)",
       "arenadeltakelser (eiere som deltar, summert over arrangementer)", 0},
      {"broker_matches", "matches made by competence brokers", "koblinger gjort av kompetansemeglere", 1},
      {"money_budget_mnok", "new money, MNOK", "nye midler, mill. kr", 1},
      {"money_committed_mnok", "money committed, MNOK", "midler bevilget, mill. kr", 1},
      {"money_spent_mnok", "money paid out, MNOK", "midler utbetalt, mill. kr", 1},
      {"money_carried_over_mnok", "carried into the next year, MNOK (summed over years)",
       "overført til neste år, mill. kr (summert over år)", 1},
      {"money_lapsed_mnok", "lapsed unspent, MNOK", "falt bort ubrukt, mill. kr", 1},
      {"money_outstanding_mnok", "committed, not yet paid at the end, MNOK",
       "bevilget, ikke utbetalt ved periodens slutt, mill. kr", 1},
      {"cofunding_mnok", "municipalities' own share of project costs, MNOK",
       "kommunenes egenandel av prosjektkostnader, mill. kr", 1},
  };
  bool any_activity = false;
  for (const auto& a : activity) any_activity |= c.total(0, a.indicator) != nullptr;
  if (any_activity) {
    fmt::print(out, "<section>\n<h2>{}</h2>\n<table>\n<tr><th>{}</th>",
               tr(in.lang, "What the programme did: arenas, brokers and money",
                  "Hva programmet gjorde: arenaer, meglere og midler"),
               fmt::format(trf(in.lang, "over {} years, per run", "over {} år, per kjøring"), in.years));
    for (std::size_t s = 0; s < ns; ++s) fmt::print(out, "<th>{}</th>", html(in.scenarios[s].first));
    fmt::print(out, "</tr>\n");
    for (const auto& a : activity) {
      if (c.total(0, a.indicator) == nullptr) continue;
      fmt::print(out, "<tr><td>{}</td>", html(tr(in.lang, a.en, a.nb)));
      for (std::size_t s = 0; s < ns; ++s) {
        const auto* t = c.total(s, a.indicator);
        const auto ci = sim::mean_interval(*t);
        fmt::print(out, "<td>{}</td>", format_estimate(t->mean(), ci.low, ci.high, a.decimals, in.lang));
      }
      fmt::print(out, "</tr>\n");
    }
    fmt::print(out, "</table>\n<p class=\"note\">{}</p>\n</section>\n",
               tr(in.lang,
                  "Means over replicates with 95 % intervals. Money that lapsed or was carried over is money "
                  "the scenario's calls could not commit in its year.",
                  "Gjennomsnitt over kjøringer med 95 %-intervall. Midler som falt bort eller ble overført, "
                  "er midler utlysningene ikke fikk bevilget i sitt år."));
  }

  fmt::print(out, "<section>\n<h2>{}</h2>\n",
             tr(lang, "Where: Norway's municipalities", "Hvor: Norges kommuner"));
  for (std::size_t m = 0; m < in.map_titles.size(); ++m) {
    fmt::print(out, "<div class=\"chart\" id=\"chart-map-{}\"></div>\n", m);
  }
  fmt::print(out, "<p class=\"note\">{} {}</p>\n</section>\n",
             tr(lang,
                "Each circle is a municipality at its administrative centre (Kartverket), sized by "
                "population (SSB).",
                "Hver sirkel er en kommune, plassert ved kommunesenteret (Kartverket) og skalert etter "
                "folketall (SSB)."),
             html(in.map_note));
  write_chart_section(
      out, "chart-funnel",
      tr(lang, "The calls: applications, funding, success",
         "Utlysningene: søknader, tildelinger, resultater"),
      tr(lang,
         "Applications, funded projects and projects that ended with success per instrument, summed over the "
         "horizon (mean over replicates).",
         "Søknader, innvilgede prosjekter og prosjekter som endte med suksess per virkemiddel, summert over "
         "perioden (gjennomsnitt over kjøringer)."));

  // Method.
  fmt::print(
      out,
      trf(lang,
          "<section>\n<h2>Method</h2>\n<ul>\n"
          "<li>Model: the FORKOMMUNE programme model of innosim {} (git {}), an agent-based model of "
          "Norway's "
          "357 municipalities, 15 county municipalities and 61 research institutions with their researchers, "
          "simulated month by month; documented in the ODD protocol's structure in docs/model.md, every "
          "parameter with its source in docs/parameters.md, calibrated to Norwegian figures "
          "(docs/calibration.md).</li>\n"
          "<li>Replicates: {} per scenario, seed {}, {} years after a {}-year warm-up without recording. "
          "Random numbers come from counter-based streams keyed by (seed, replicate, purpose, month, agent); "
          "results do not depend on the number of threads or machines.</li>\n"
          "<li>Uncertainty: intervals are 95 % Student t intervals over replicates, for means and for paired "
          "differences. {}</li>\n"
          "<li>Assumptions and sources: data on municipalities (Kartverket, SSB, CC BY 4.0), counties and "
          "research institutions are listed in scenarios/data/norway/SOURCES.md; estimated parameters are "
          "marked as such in docs/parameters.md with the reason for each value.</li>\n"
          "<li>Charts: Vega-Lite ({}), inlined so that this file works offline.</li>\n</ul>\n</section>\n",
          "<section>\n<h2>Metode</h2>\n<ul>\n"
          "<li>Modell: FORKOMMUNE-programmodellen i innosim {} (git {}), en agentbasert modell av Norges 357 "
          "kommuner, 15 fylkeskommuner og 61 forskningsinstitusjoner med sine forskere, simulert måned for "
          "måned; dokumentert etter ODD-protokollens struktur i docs/model.md, hver parameter med kilde i "
          "docs/parameters.md, kalibrert mot norske tall (docs/calibration.md).</li>\n"
          "<li>Kjøringer: {} per scenario, startverdi (seed) {}, {} år etter {} års innkjøringsperiode uten "
          "registrering. "
          "Tilfeldige tall kommer fra tellerbaserte strømmer nøklet på (startverdi, kjøring, formål, måned, "
          "agent); "
          "resultatene avhenger ikke av antall tråder eller maskiner.</li>\n"
          "<li>Usikkerhet: intervallene er 95 % Student t-intervaller over kjøringer, for gjennomsnitt og "
          "for "
          "parvise forskjeller. {}</li>\n"
          "<li>Antakelser og kilder: data om kommuner (Kartverket, SSB, CC BY 4.0), fylker og "
          "forskningsinstitusjoner står i scenarios/data/norway/SOURCES.md; anslåtte parametere er merket "
          "som det i docs/parameters.md med begrunnelse for hver verdi.</li>\n"
          "<li>Figurer: Vega-Lite ({}), lagt inn i filen slik at den virker uten "
          "nett.</li>\n</ul>\n</section>\n"),
      html(in.innosim_version), html(in.git_revision), in.replicates, in.seed, in.years, in.warmup_years,
      in.posterior.empty()
          ? std::string(
                tr(lang,
                   "They describe the model's stochastic variation, not the uncertainty of its parameters, "
                   "which a sensitivity analysis or compare --posterior addresses.",
                   "De beskriver modellens tilfeldige variasjon, ikke usikkerheten i parameterne, som en "
                   "sensitivitetsanalyse eller compare --posterior tar for seg."))
          : fmt::format(
                trf(lang,
                    "They include the uncertainty of the calibrated parameters: each replicate drew them "
                    "from {} (innosim calibrate; docs/calibration.md).",
                    "De omfatter usikkerheten i de kalibrerte parameterne: hver kjøring trakk dem fra {} "
                    "(innosim calibrate; docs/calibration.md)."),
                html(in.posterior)),
      html(assets.versions));

  write_rendering(out, charts);
}

namespace {

// Each output against each factor: one small scatter per pair, a dot per point.
Json sweep_scatter_chart(const SweepReportInput& in) {
  const std::size_t k = in.factors.size(), no = in.outputs.size();
  Json data = Json::array(), factors = Json::array(), outputs = Json::array();
  for (std::size_t p = 0; p < in.points; ++p) {
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t o = 0; o < no; ++o) {
        data.push_back({{"factor", in.factors[i].first},
                        {"x", in.values[p * k + i]},
                        {"output", in.outputs[o]},
                        {"y", in.means[p * no + o]}});
      }
    }
  }
  for (const auto& factor : in.factors) factors.push_back(factor.first);
  for (const auto& output : in.outputs) outputs.push_back(output);
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{"values":"@data"},
"facet":{"row":{"field":"output","type":"nominal","sort":"@outputs","title":null},"column":{"field":"factor","type":"nominal","sort":"@factors","title":null}},
"resolve":{"scale":{"x":"independent","y":"independent"}},
"spec":{"width":150,"height":110,"mark":{"type":"circle","size":14,"opacity":0.6},
 "encoding":{"x":{"field":"x","type":"quantitative","title":null,"scale":{"zero":false}},
  "y":{"field":"y","type":"quantitative","title":null,"scale":{"zero":false}},
  "tooltip":[{"field":"factor"},{"field":"x","format":".4g"},{"field":"output"},{"field":"y","format":",.4g"}]}}})",
      {{"@data", data}, {"@outputs", outputs}, {"@factors", factors}});
}

// First-order and total Sobol indices with their intervals, on an axis wide enough for every
// estimate and interval: estimates outside [0, 1] (sampling noise with few base rows) are shown
// where they are, not clamped to look plausible.
Json sobol_chart(const SweepReportInput& in) {
  Json data = Json::array(), factors = Json::array();
  for (const auto& r : in.sobol) {
    data.push_back({{"output", r.output},
                    {"factor", r.factor},
                    {"index", tr(in.lang, "first order S", "førsteordens S")},
                    {"value", r.first},
                    {"low", r.first_low},
                    {"high", r.first_high}});
    data.push_back({{"output", r.output},
                    {"factor", r.factor},
                    {"index", tr(in.lang, "total ST", "total ST")},
                    {"value", r.total},
                    {"low", r.total_low},
                    {"high", r.total_high}});
  }
  for (const auto& factor : in.factors) factors.push_back(factor.first);
  double lowest = 0, highest = 1;
  for (const auto& r : in.sobol) {
    for (const double v : {r.first_low, r.total_low, r.first, r.total})
      if (std::isfinite(v)) lowest = std::min(lowest, v);
    for (const double v : {r.first_high, r.total_high, r.first, r.total})
      if (std::isfinite(v)) highest = std::max(highest, v);
  }
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{"values":"@data"},
"facet":{"field":"output","type":"nominal","title":null},"columns":2,
"spec":{"width":380,"height":200,
 "encoding":{"x":{"field":"factor","type":"nominal","sort":"@factors","title":null,"axis":{"labelAngle":-30,"labelLimit":220}},
  "xOffset":{"field":"index"},"color":{"field":"index","type":"nominal","title":"@index"}},
 "layer":[
  {"mark":"bar","encoding":{"y":{"field":"value","type":"quantitative","title":"@share","scale":{"domain":"@domain","nice":false}},
    "tooltip":[{"field":"output"},{"field":"factor"},{"field":"index"},{"field":"value","format":".3f"},{"field":"low","format":".3f"},{"field":"high","format":".3f"}]}},
  {"mark":{"type":"rule","strokeWidth":1.5},"encoding":{"y":{"field":"low","type":"quantitative"},"y2":{"field":"high"},"color":{"value":"#222"}}},
  {"mark":{"type":"rule","strokeDash":[4,3],"color":"#999"},"encoding":{"y":{"datum":0},"color":{"value":"#999"},"xOffset":{"value":0}}},
  {"mark":{"type":"rule","strokeDash":[4,3],"color":"#999"},"encoding":{"y":{"datum":1},"color":{"value":"#999"},"xOffset":{"value":0}}}
 ]}})",
      {{"@data", data},
       {"@factors", factors},
       {"@index", tr(in.lang, "Sobol index", "Sobol-indeks")},
       {"@share", tr(in.lang, "share of variance", "andel av variansen")},
       {"@domain", Json::array({lowest - 0.02, highest + 0.02})}});
}

// Morris screening: each factor's mu* against sigma.
Json morris_chart(const SweepReportInput& in) {
  Json data = Json::array();
  for (const auto& r : in.morris)
    data.push_back({{"output", r.output}, {"factor", r.factor}, {"mu_star", r.mu_star}, {"sigma", r.sigma}});
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{"values":"@data"},
"facet":{"field":"output","type":"nominal","title":null},"columns":2,"resolve":{"scale":{"x":"independent","y":"independent"}},
"spec":{"width":380,"height":220,
 "encoding":{"x":{"field":"mu_star","type":"quantitative","title":"@mu_star"},
  "y":{"field":"sigma","type":"quantitative","title":"@sigma"}},
 "layer":[
  {"mark":{"type":"circle","size":60},"encoding":{"tooltip":[{"field":"factor"},{"field":"mu_star","format":",.4g"},{"field":"sigma","format":",.4g"}]}},
  {"mark":{"type":"text","align":"left","dx":6,"fontSize":10},"encoding":{"text":{"field":"factor"}}}
 ]}})",
      {{"@data", data},
       {"@mu_star", tr(in.lang, "mu* (mean |effect| over the factor's range)",
                       "mu* (gjennomsnittlig |effekt| over parameterens område)")},
       {"@sigma", tr(in.lang, "sigma (spread of the effects)", "sigma (spredning i effektene)")}});
}

}  // namespace

void write_sweep_report(std::ostream& out, const SweepReportInput& in, const ReportAssets& assets) {
  const Language lang = in.lang;
  Charts charts;
  charts.emplace_back("chart-scatter", sweep_scatter_chart(in));
  if (!in.sobol.empty()) charts.emplace_back("chart-sobol", sobol_chart(in));
  if (!in.morris.empty()) charts.emplace_back("chart-morris", morris_chart(in));

  const std::string title =
      fmt::format(trf(lang, "innosim: the sweep {}", "innosim: parameterstudien {}"), in.source);
  write_head(out, title, assets, lang);
  fmt::print(
      out,
      trf(lang,
          "<p class=\"lead\">{}</p>\n<p>A {} design of {} points with {} replicates each ({} runs) of the "
          "FORKOMMUNE programme model, {} years after a {}-year warm-up, seed {}, {} random numbers across "
          "points. Simulated with innosim {} (git {}).</p>\n",
          "<p class=\"lead\">{}</p>\n<p>Et {}-design med {} punkter og {} kjøringer i hvert ({} kjøringer i "
          "alt) av FORKOMMUNE-programmodellen, {} år etter {} års innkjøringsperiode, startverdi (seed) {}, "
          "{} tilfeldige tall mellom punktene. Simulert med innosim {} (git {}).</p>\n"),
      html(in.description), html(in.design), in.points, in.replicates, in.runs, in.years, in.warmup_years,
      in.seed,
      html(lang == Language::kBokmal ? (in.random_numbers == "common" ? "felles" : "uavhengige")
                                     : in.random_numbers),
      html(in.innosim_version), html(in.git_revision));
  fmt::print(out, "<section>\n<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th></tr>\n",
             tr(lang, "What was varied", "Hva som ble variert"), tr(lang, "parameter", "parameter"),
             tr(lang, "values", "verdier"));
  for (const auto& [key, what] : in.factors)
    fmt::print(out, "<tr><td>{}</td><td>{}</td></tr>\n", html(key), html(what));
  fmt::print(
      out, "</table>\n<p class=\"note\">{}</p>\n</section>\n",
      tr(lang,
         "Every other parameter is the base scenario's (stored in the result file, /sweep/base_resolved).",
         "Alle andre parametere er grunnscenarioets (lagret i resultatfilen, /sweep/base_resolved)."));
  write_chart_section(
      out, "chart-scatter",
      tr(lang, "Each result against each parameter", "Hvert resultat mot hver parameter"),
      tr(lang,
         "One dot per point: the mean over its replicates of the result's total over the run. Other "
         "parameters "
         "vary at the same time, so a cloud shows a parameter's effect together with everything else's.",
         "Ett punkt per designpunkt: gjennomsnittet over kjøringene av resultatets sum over perioden. Andre "
         "parametere varierer samtidig, så en sky viser en parameters virkning sammen med alt annet."));
  if (!in.sobol.empty()) {
    write_chart_section(
        out, "chart-sobol",
        tr(lang, "Which parameters matter: Sobol indices", "Hvilke parametere betyr noe: Sobol-indekser"),
        tr(lang,
           "First-order index S: the share of the result's variance due to the parameter alone; total index "
           "ST: "
           "including its interactions with the others (Saltelli et al. 2010; Jansen 1999). Lines are 95 % "
           "bootstrap intervals. Computed from the point means, so replicate noise counts as variance no "
           "parameter explains.",
           "Førsteordens indeks S: andelen av resultatets varians som skyldes parameteren alene; totalindeks "
           "ST: "
           "medregnet samspillet med de andre (Saltelli mfl. 2010; Jansen 1999). Linjene er 95 % "
           "bootstrap-intervaller. Beregnet fra punktgjennomsnittene, så tilfeldig variasjon mellom "
           "kjøringer "
           "teller som varians ingen parameter forklarer."));
    // Too few base rows: wide intervals and estimates outside [0, 1]; say so before the table.
    double widest = 0;
    bool outside = false;
    for (const auto& r : in.sobol) {
      widest = std::max({widest, r.first_high - r.first_low, r.total_high - r.total_low});
      outside = outside || r.first < 0 || r.total < 0 || r.first > 1 || r.total > 1;
    }
    const std::uint64_t base_rows = in.factors.empty() ? 0 : in.points / (in.factors.size() + 2);
    if (base_rows < 500 || widest > 0.25 || outside) {
      fmt::print(
          out,
          trf(lang,
              "<p class=\"warning\">Warning: these indices rest on {} base rows of the Saltelli design; "
              "their 95 % intervals are up to {} wide{}. Read them as a ranking at most, and run the sweep "
              "with more base rows (Saltelli et al. 2010 use 1,000 or more) before quoting a number.</p>\n",
              "<p class=\"warning\">Advarsel: disse indeksene bygger på {} grunnrader i Saltelli-designet; "
              "95 %-intervallene er opptil {} brede{}. Les dem høyst som en rangering, og kjør "
              "parameterstudien med flere grunnrader (Saltelli mfl. 2010 bruker 1 000 eller flere) før et "
              "tall siteres.</p>\n"),
          base_rows, format_number(widest, 2, lang),
          outside ? tr(lang, ", and some estimates fall outside [0, 1], which only sampling noise can do",
                       ", og noen anslag faller utenfor [0, 1], noe bare tilfeldig utvalgsvariasjon kan gi")
                  : "");
    }
    fmt::print(out, "<section>\n<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>S</th><th>ST</th></tr>\n",
               tr(lang, "Sobol indices", "Sobol-indekser"), tr(lang, "result", "resultat"),
               tr(lang, "parameter", "parameter"));
    auto n3 = [&](double v) { return format_number(v, 3, lang); };
    for (const auto& r : in.sobol) {
      fmt::print(out,
                 "<tr><td>{}</td><td>{}</td><td>{} <span class=\"ci\">[{} – {}]</span></td>"
                 "<td>{} <span class=\"ci\">[{} – {}]</span></td></tr>\n",
                 html(r.output), html(r.factor), n3(r.first), n3(r.first_low), n3(r.first_high), n3(r.total),
                 n3(r.total_low), n3(r.total_high));
    }
    fmt::print(out, "</table>\n</section>\n");
  }
  if (!in.morris.empty()) {
    write_chart_section(
        out, "chart-morris",
        tr(lang, "Screening: Morris elementary effects", "Screening: Morris' elementære effekter"),
        tr(lang,
           "Each parameter's mean absolute effect over its range (mu*) against the spread of its effects "
           "(sigma): far right means influential; high up means non-linear or interacting (Morris 1991; "
           "Campolongo et al. 2007).",
           "Hver parameters gjennomsnittlige absolutte effekt over sitt område (mu*) mot spredningen i "
           "effektene (sigma): langt til høyre betyr innflytelsesrik; høyt oppe betyr ikke-lineær eller i "
           "samspill med andre (Morris 1991; Campolongo mfl. 2007)."));
  }
  fmt::print(
      out,
      trf(lang,
          "<section>\n<h2>Method</h2>\n<ul>\n<li>Each point's parameters are the base scenario's with the "
          "varied ones set as listed; every run uses counter-based random streams keyed by (seed, "
          "replicate), so the results do not depend on how the sweep was spread over threads, MPI ranks or "
          "Slurm array tasks (docs/sweeps.md).</li>\n<li>Charts: Vega-Lite ({}), inlined so that this file "
          "works offline.</li>\n</ul>\n</section>\n",
          "<section>\n<h2>Metode</h2>\n<ul>\n<li>Hvert punkts parametere er grunnscenarioets, med de "
          "varierte satt som oppført; hver kjøring bruker tellerbaserte tilfeldige strømmer nøklet på "
          "(startverdi, kjøring), så resultatene avhenger ikke av hvordan parameterstudien ble fordelt på "
          "tråder, MPI-prosesser eller Slurm-oppgaver (docs/sweeps.md).</li>\n<li>Figurer: Vega-Lite "
          "({}), lagt inn i filen slik at den virker uten nett.</li>\n</ul>\n</section>\n"),
      html(assets.versions));
  write_rendering(out, charts);
}

namespace {

// A parameter's marginal posterior against its prior: the share of each one's weight per bin.
Json marginal_chart(const CalibrationReportInput::Parameter& p, Language lang) {
  Json data = Json::array();
  for (std::size_t b = 0; b < p.bin_low.size(); ++b) {
    const double mid =
        p.log_axis ? std::sqrt(p.bin_low[b] * p.bin_high[b]) : (p.bin_low[b] + p.bin_high[b]) / 2;
    data.push_back({{"low", p.bin_low[b]},
                    {"high", p.bin_high[b]},
                    {"mid", mid},
                    {"what", "posterior"},
                    {"mass", p.posterior_mass[b]}});
    data.push_back({{"low", p.bin_low[b]},
                    {"high", p.bin_high[b]},
                    {"mid", mid},
                    {"what", "prior"},
                    {"mass", p.prior_mass[b]}});
  }
  Json spec = chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{"values":"@data"},"width":300,"height":140,"title":"@key",
"layer":[
 {"transform":[{"filter":"datum.what == 'posterior'"}],"mark":{"type":"rect","opacity":0.75,"color":"#3465a4"},
  "encoding":{"x":{"field":"low","type":"quantitative","title":"@key_unit"},"x2":{"field":"high"},
   "y":{"field":"mass","type":"quantitative","title":"@share"},
   "tooltip":[{"field":"low","format":".4g"},{"field":"high","format":".4g"},{"field":"mass","format":".3f","title":"posterior"}]}},
 {"transform":[{"filter":"datum.what == 'prior'"}],"mark":{"type":"rect","fillOpacity":0,"stroke":"#cc0000","strokeWidth":1.5},
  "encoding":{"x":{"field":"low","type":"quantitative"},"x2":{"field":"high"},"y":{"field":"mass","type":"quantitative"},
   "tooltip":[{"field":"low","format":".4g"},{"field":"high","format":".4g"},{"field":"mass","format":".3f","title":"prior"}]}}
]})",
      {{"@data", data},
       {"@key", p.key},
       {"@key_unit", p.unit.empty() ? p.key : p.key + " (" + p.unit + ")"},
       {"@share", tr(lang, "share per bin", "andel per intervall")}});
  // The x scale is shared by both layers; the first one's encoding sets it.
  if (p.log_axis) spec["layer"][0]["encoding"]["x"]["scale"] = {{"type", "log"}};
  return spec;
}

// A correlated pair: the last generation's particles, sized by weight.
Json pair_chart(const CalibrationReportInput& in, const CalibrationReportInput::Pair& pr) {
  const auto& a = in.parameters[pr.a];
  const auto& b = in.parameters[pr.b];
  Json data = Json::array();
  for (std::size_t i = 0; i < pr.x.size(); ++i)
    data.push_back({{"x", pr.x[i]}, {"y", pr.y[i]}, {"w", pr.w[i]}});
  auto scale = [](bool log_axis) {
    Json s = {{"zero", false}};
    if (log_axis) s["type"] = "log";
    return s;
  };
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{"values":"@data"},"width":300,"height":240,"title":"@title",
"mark":{"type":"circle","opacity":0.5,"color":"#3465a4"},
"encoding":{"x":{"field":"x","type":"quantitative","title":"@a","scale":"@a_scale"},
 "y":{"field":"y","type":"quantitative","title":"@b","scale":"@b_scale"},
 "size":{"field":"w","type":"quantitative","legend":null},
 "tooltip":[{"field":"x","format":".4g","title":"@a"},{"field":"y","format":".4g","title":"@b"},{"field":"w","format":".4f","title":"@weight"}]}})",
      {{"@data", data},
       {"@title", fmt::format(trf(in.lang, "correlation {}", "korrelasjon {}"),
                              format_number(pr.correlation, 2, in.lang))},
       {"@a", a.key},
       {"@a_scale", scale(a.log_axis)},
       {"@b", b.key},
       {"@b_scale", scale(b.log_axis)},
       {"@weight", tr(in.lang, "weight", "vekt")}});
}

// The posterior predictive check: each target's accepted simulations as standardised
// differences from the observation, against the observation's own 95 % band.
Json predictive_chart(const CalibrationReportInput& in) {
  Json data = Json::array();
  for (const auto& t : in.targets) {
    auto z = [&](double v) { return (v - t.observed) / t.sd; };
    data.push_back({{"target", t.name},
                    {"q05", z(t.q05)},
                    {"q25", z(t.q25)},
                    {"median", z(t.median)},
                    {"q75", z(t.q75)},
                    {"q95", z(t.q95)},
                    {"lo", -1.96},
                    {"hi", 1.96},
                    {"zero", 0}});
  }
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{"values":"@data"},"width":520,"height":"@height",
"encoding":{"y":{"field":"target","type":"nominal","sort":null,"title":null,"axis":{"labelLimit":320}}},
"layer":[
 {"mark":{"type":"bar","color":"#e4e7eb","size":22},"encoding":{"x":{"field":"lo","type":"quantitative"},"x2":{"field":"hi"}}},
 {"mark":{"type":"rule","color":"#729fcf","strokeWidth":2},"encoding":{"x":{"field":"q05","type":"quantitative","title":"@axis"},"x2":{"field":"q95"}}},
 {"mark":{"type":"bar","color":"#3465a4","size":10},"encoding":{"x":{"field":"q25","type":"quantitative"},"x2":{"field":"q75"}}},
 {"mark":{"type":"tick","color":"#000","thickness":2,"size":14},"encoding":{"x":{"field":"median","type":"quantitative"}}},
 {"mark":{"type":"tick","color":"#cc0000","thickness":1.5,"size":22},"encoding":{"x":{"field":"zero","type":"quantitative"}}}
]})",
      {{"@data", data},
       {"@height", 26 * in.targets.size()},
       {"@axis", tr(in.lang, "(simulated - observed) / sd of the observation",
                    "(simulert - observert) / observasjonens sd")}});
}

// The tolerance and the acceptance by generation (the prior's generation 0 has neither).
Json generations_chart(const CalibrationReportInput& in) {
  Json data = Json::array();
  for (std::size_t g = 1; g < in.generations.size(); ++g) {
    data.push_back({{"generation", g},
                    {"tolerance", in.generations[g].tolerance},
                    {"acceptance", in.generations[g].acceptance}});
  }
  return chart_spec(
      R"({"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{"values":"@data"},"width":300,"height":160,
"hconcat":[
 {"mark":{"type":"line","point":true},"encoding":{"x":{"field":"generation","type":"quantitative","title":"@generation","axis":{"tickMinStep":1,"format":"d"}},"y":{"field":"tolerance","type":"quantitative","title":"@tolerance","scale":{"type":"log"}}}},
 {"mark":{"type":"line","point":true,"color":"#73d216"},"encoding":{"x":{"field":"generation","type":"quantitative","title":"@generation","axis":{"tickMinStep":1,"format":"d"}},"y":{"field":"acceptance","type":"quantitative","title":"@acceptance","axis":{"format":"%"}}}}
]})",
      {{"@data", data},
       {"@generation", tr(in.lang, "generation", "generasjon")},
       {"@tolerance", tr(in.lang, "tolerance (distance)", "toleranse (avstand)")},
       {"@acceptance", tr(in.lang, "acceptance", "akseptanse")}});
}

}  // namespace

void write_calibration_report(std::ostream& out, const CalibrationReportInput& in,
                              const ReportAssets& assets) {
  const Language lang = in.lang;
  Charts charts;
  for (std::size_t k = 0; k < in.parameters.size(); ++k)
    charts.emplace_back(fmt::format("chart-marginal-{}", k), marginal_chart(in.parameters[k], lang));
  for (std::size_t k = 0; k < in.pairs.size(); ++k)
    charts.emplace_back(fmt::format("chart-pair-{}", k), pair_chart(in, in.pairs[k]));
  charts.emplace_back("chart-predictive", predictive_chart(in));
  charts.emplace_back("chart-generations", generations_chart(in));

  // Four significant digits, with the language's decimal mark.
  auto g4 = [&](double v) {
    std::string t = fmt::format("{:.4g}", v);
    if (lang == Language::kBokmal) std::replace(t.begin(), t.end(), '.', ',');
    return t;
  };
  write_head(out,
             fmt::format(trf(lang, "innosim: the calibration {}", "innosim: kalibreringen {}"), in.source),
             assets, lang);
  fmt::print(
      out,
      trf(lang,
          "<p class=\"lead\">{}</p>\n<p>ABC-SMC calibration of the {} model ({}): {} particles per "
          "generation, {} generations, {} proposals simulated ({} runs of the model, {} per proposal), "
          "seed {}, {} s. Simulated with innosim {} (git {}).</p>\n",
          "<p class=\"lead\">{}</p>\n<p>ABC-SMC-kalibrering av {}-modellen ({}): {} partikler per "
          "generasjon, {} generasjoner, {} forslag simulert ({} kjøringer av modellen, {} per forslag), "
          "startverdi (seed) {}, {} s. Simulert med innosim {} (git {}).</p>\n"),
      html(in.description), html(in.model), html(in.targets_file), in.particles, in.generations.size(),
      in.simulations, in.model_runs, in.simulations > 0 ? in.model_runs / in.simulations : 0, in.seed,
      format_number(in.seconds, 0, lang), html(in.innosim_version), html(in.git_revision));
  std::vector<const CalibrationReportInput::Parameter*> weak;
  for (const auto& p : in.parameters) {
    if (p.width_ratio > 0.8) weak.push_back(&p);
  }
  if (!weak.empty()) {
    fmt::print(out, "<section class=\"warnings\">\n<h2>{}</h2>\n<ul>\n", tr(lang, "Warnings", "Advarsler"));
    for (const auto* p : weak) {
      fmt::print(
          out,
          trf(lang,
              "<li><b>{}</b>: the targets hardly identify it; its 90 % posterior interval is {} % as wide "
              "as its prior's, so what a comparison says about it comes from the prior, not the data.</li>\n",
              "<li><b>{}</b>: målene bestemmer den knapt; 90 %-intervallet i posterioren er {} % så bredt "
              "som priorens, så det en sammenligning sier om den, kommer fra prioren og ikke fra "
              "dataene.</li>\n"),
          html(p->key), format_number(100 * p->width_ratio, 0, lang));
    }
    fmt::print(out, "</ul>\n</section>\n");
  }
  fmt::print(
      out,
      trf(lang,
          "<section>\n<h2>Posterior</h2>\n<table>\n<tr><th>parameter</th><th>prior</th><th>base value</th>"
          "<th>median</th><th>90 % interval</th><th>interval / prior's</th></tr>\n",
          "<section>\n<h2>Posterior</h2>\n<table>\n<tr><th>parameter</th><th>prior</th><th>grunnverdi</th>"
          "<th>median</th><th>90 %-intervall</th><th>intervall / priorens</th></tr>\n"));
  for (const auto& p : in.parameters) {
    fmt::print(out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} – {}</td><td>{} %{}</td></tr>\n",
               html(p.key), html(p.prior), std::isfinite(p.base) ? g4(p.base) : std::string("–"),
               g4(p.median), g4(p.q05), g4(p.q95), format_number(100 * p.width_ratio, 0, lang),
               p.width_ratio > 0.8 ? tr(lang, " (not identified)", " (ikke bestemt)") : "");
  }
  fmt::print(
      out,
      trf(lang,
          "</table>\n<p class=\"note\">Weighted quantiles of the last generation (effective sample size "
          "{}). The last column compares the widths of the 90 % intervals of posterior and prior (in "
          "logarithms for log-uniform priors): near 100 % the data say little about the "
          "parameter.</p>\n</section>\n",
          "</table>\n<p class=\"note\">Vektede kvantiler i siste generasjon (effektiv utvalgsstørrelse {}). "
          "Siste kolonne sammenligner bredden av 90 %-intervallene i posterior og prior (i logaritmer for "
          "log-uniforme priorer): nær 100 % sier dataene lite om parameteren.</p>\n</section>\n"),
      format_number(in.ess, 0, lang));
  fmt::print(out, "<section>\n<h2>{}</h2>\n<div class=\"grid\">\n",
             tr(lang, "Posterior against prior", "Posterior mot prior"));
  for (std::size_t k = 0; k < in.parameters.size(); ++k)
    fmt::print(out, "<div class=\"chart\" id=\"chart-marginal-{}\"></div>\n", k);
  fmt::print(
      out, "</div>\n<p class=\"note\">{}</p>\n</section>\n",
      tr(lang,
         "Bars: the share of the posterior's weight in each bin; red outline: the prior's share in the "
         "same bins.",
         "Søyler: andelen av posteriorens vekt i hvert intervall; rød kontur: priorens andel i de samme "
         "intervallene."));
  if (!in.pairs.empty()) {
    fmt::print(out, "<section>\n<h2>{}</h2>\n<div class=\"grid\">\n",
               tr(lang, "The most correlated pairs", "De sterkest korrelerte parene"));
    for (std::size_t k = 0; k < in.pairs.size(); ++k)
      fmt::print(out, "<div class=\"chart\" id=\"chart-pair-{}\"></div>\n", k);
    fmt::print(
        out, "</div>\n<p class=\"note\">{}</p>\n</section>\n",
        tr(lang,
           "Particles of the last generation, sized by weight. A strong correlation means the targets fix a "
           "combination of the two parameters better than either alone.",
           "Partiklene i siste generasjon, skalert etter vekt. En sterk korrelasjon betyr at målene "
           "bestemmer "
           "en kombinasjon av de to parameterne bedre enn hver for seg."));
  }
  write_chart_section(
      out, "chart-predictive", tr(lang, "Posterior predictive check", "Prediktiv posteriorsjekk"),
      tr(lang,
         "For each target, the simulations the last generation accepted, as standardised differences from "
         "the "
         "observed value: thin line 90 %, thick bar 50 %, black tick median; red tick: the observed value; "
         "grey "
         "band: the observation's own 95 % interval. A target whose band misses the grey area is one the "
         "model "
         "does not reproduce at these parameters.",
         "For hvert mål: simuleringene siste generasjon godtok, som standardiserte avvik fra den observerte "
         "verdien: tynn linje 90 %, tykk søyle 50 %, svart strek median; rød strek: den observerte verdien; "
         "grått "
         "felt: observasjonens eget 95 %-intervall. Et mål der båndet ikke treffer det grå feltet, er et "
         "modellen "
         "ikke gjenskaper med disse parameterne."));
  fmt::print(
      out,
      trf(lang,
          "<section>\n<h2>Targets</h2>\n<table>\n<tr><th>target</th><th>observed</th><th>uncertainty</th>"
          "<th>simulated median</th><th>simulated 90 %</th><th>source</th></tr>\n",
          "<section>\n<h2>Mål</h2>\n<table>\n<tr><th>mål</th><th>observert</th><th>usikkerhet</th>"
          "<th>simulert median</th><th>simulert 90 %</th><th>kilde</th></tr>\n"));
  for (const auto& t : in.targets) {
    fmt::print(out, "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} – {}</td><td>{}</td></tr>\n",
               html(t.name),
               t.scenario.empty() ? "" : " <span class=\"ci\">(" + html(t.scenario) + ")</span>",
               g4(t.observed), html(t.uncertainty), g4(t.median), g4(t.q05), g4(t.q95), html(t.source));
  }
  fmt::print(out, "</table>\n</section>\n");
  write_chart_section(
      out, "chart-generations",
      tr(lang, "Tolerance and acceptance by generation", "Toleranse og akseptanse per generasjon"),
      tr(lang,
         "The tolerance each generation's simulations had to reach (the root mean square of the "
         "standardised differences over the targets), and the share of proposals that reached it.",
         "Toleransen hver generasjons simuleringer måtte nå (kvadratisk gjennomsnitt av de standardiserte "
         "avvikene over målene), og andelen forslag som nådde den."));
  fmt::print(out, trf(lang,
                      "<section>\n<h2>Generations</h2>\n<table>\n<tr><th>generation</th><th>tolerance</th>"
                      "<th>simulated</th><th>acceptance</th><th>effective sample size</th><th>refused by the "
                      "model</th></tr>\n",
                      "<section>\n<h2>Generasjoner</h2>\n<table>\n<tr><th>generasjon</th><th>toleranse</th>"
                      "<th>simulert</th><th>akseptanse</th><th>effektiv utvalgsstørrelse</th><th>avvist av "
                      "modellen</th></tr>\n"));
  for (std::size_t g = 0; g < in.generations.size(); ++g) {
    const auto& r = in.generations[g];
    fmt::print(out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{} %</td><td>{}</td><td>{}</td></tr>\n", g,
               std::isfinite(r.tolerance) ? g4(r.tolerance)
                                          : std::string(tr(lang, "none (the prior)", "ingen (prioren)")),
               format_number(static_cast<double>(r.simulations), 0, lang),
               format_number(100 * r.acceptance, 1, lang), format_number(r.ess, 0, lang), r.invalid);
  }
  fmt::print(out, "</table>\n</section>\n");
  fmt::print(
      out,
      trf(lang,
          "<section>\n<h2>Method</h2>\n<ul>\n<li>ABC-SMC (Beaumont et al. 2009) with adaptive tolerances: "
          "each "
          "generation keeps proposals whose distance, the root mean square over the targets of (simulated - "
          "observed) / sd, is within a quantile (the file's tolerance_quantile) of the previous generation's "
          "distances; proposals move the previous particles with a normal kernel of twice their weighted "
          "covariance, and importance weights correct for it (docs/calibration.md).</li>\n<li>Every "
          "simulation is journaled; the posterior is the same however the calibration was run or "
          "interrupted.</li>\n<li>Charts: Vega-Lite ({}), inlined so that this file works offline.</li>\n"
          "</ul>\n</section>\n",
          "<section>\n<h2>Metode</h2>\n<ul>\n<li>ABC-SMC (Beaumont mfl. 2009) med adaptive toleranser: hver "
          "generasjon beholder forslag der avstanden, kvadratisk gjennomsnitt over målene av (simulert - "
          "observert) / sd, ligger innenfor en kvantil (filens tolerance_quantile) av forrige generasjons "
          "avstander; forslagene flytter de forrige partiklene med en normalfordelt kjerne med to ganger "
          "deres vektede kovarians, og importansvekter korrigerer for det (docs/calibration.md).</li>\n"
          "<li>Hver simulering journalføres; posterioren blir den samme uansett hvordan kalibreringen ble "
          "kjørt eller avbrutt.</li>\n<li>Figurer: Vega-Lite ({}), lagt inn i filen slik at den virker uten "
          "nett.</li>\n</ul>\n</section>\n"),
      html(assets.versions));
  write_rendering(out, charts);
}

}  // namespace innosim::output
