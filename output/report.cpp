// The HTML report (see report.hpp).
#include "output/report.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cmath>
#include <ostream>

#include "output/summary.hpp"

namespace innosim::output {

namespace {

const char* const kInstruments[3] = {"pre-projects", "innovation projects", "competence projects"};
const char* const kStages[3] = {"applications", "funded", "succeeded"};

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

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  return fmt::format("{:.10g}", v);
}

// A library's minified build without its source-map comment (the map is not shipped, and a
// browser would try to fetch it).
std::string_view without_source_map(std::string_view js) {
  const auto at = js.rfind("//# sourceMappingURL=");
  return at == std::string_view::npos ? js : js.substr(0, at);
}

std::string estimate_cell(const sim::RunningStats& s, int decimals) {
  const auto ci = sim::mean_interval(s);
  return fmt::format("{}<span class=\"ci\"> [{} – {}]</span>", group_thousands(s.mean(), decimals),
                     group_thousands(ci.low, decimals), group_thousands(ci.high, decimals));
}

std::string difference_cell(const sim::RunningStats& s, int decimals) {
  const auto ci = sim::mean_interval(s);
  auto sign = [&](double v) {
    std::string t = group_thousands(v, decimals);
    if (v > 0) t.insert(t.begin(), '+');
    return t;
  };
  const bool clear = ci.low > 0 || ci.high < 0;
  return fmt::format("<span class=\"diff{}\">{}<span class=\"ci\"> [{} – {}]</span></span>",
                     clear ? " clear" : "", sign(s.mean()), sign(ci.low), sign(ci.high));
}

std::string ratio_cell(const RatioStats& r, int decimals) {
  const auto ci = r.interval();
  if (!ci) return "<span class=\"ci\">n/a (no clear difference)</span>";
  return fmt::format("{}<span class=\"ci\"> [{} – {}]</span>", group_thousands(r.ratio(), decimals),
                     group_thousands(ci->low, decimals), group_thousands(ci->high, decimals));
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

std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
        out += "\\u003c";
        break;  // no "</script>" inside a script element
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(static_cast<unsigned char>(c)));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

void write_report(std::ostream& out, const ReportInput& in, const ReportAssets& assets) {
  const Comparison& c = *in.comparison;
  const auto& setup = c.setup();
  const std::size_t ns = in.scenarios.size();
  const std::string& ref = setup.scenarios[setup.reference];
  const bool compare = ns > 1;

  // Data for the charts, as JSON arrays of records.
  std::string series = "[";
  for (std::size_t s = 0; s < ns; ++s) {
    for (std::size_t y = 0; y < in.cumulative_adoptions[s].size(); ++y) {
      const Estimate& e = in.cumulative_adoptions[s][y];
      series += fmt::format("{}{{\"scenario\":{},\"year\":{},\"mean\":{},\"low\":{},\"high\":{}}}",
                            series.size() > 1 ? "," : "", json_string(in.scenarios[s].first), y + 1,
                            json_number(e.mean), json_number(e.low), json_number(e.high));
    }
  }
  series += "]";
  std::string groups = "[";
  for (std::size_t s = 0; s < ns; ++s) {
    for (std::size_t g = 0; g < setup.groups.size(); ++g) {
      const auto& v = c.group_value(s, g);
      const auto ci = sim::mean_interval(v);
      const bool centrality = setup.groups[g].starts_with("centrality");
      groups += fmt::format(
          "{}{{\"scenario\":{},\"group\":{},\"kind\":{},\"order\":{},\"mean\":{},\"low\":{},\"high\":{}}}",
          groups.size() > 1 ? "," : "", json_string(in.scenarios[s].first), json_string(setup.groups[g]),
          json_string(centrality ? "centrality class (1 most central)" : "size class (inhabitants)"), g,
          json_number(v.mean()), json_number(ci.low), json_number(ci.high));
    }
  }
  groups += "]";
  std::string funnel = "[";
  for (std::size_t s = 0; s < ns; ++s) {
    for (std::size_t i = 0; i < 3; ++i) {
      for (std::size_t k = 0; k < 3; ++k) {
        funnel += fmt::format(
            "{}{{\"scenario\":{},\"instrument\":{},\"stage\":{},\"order\":{},\"count\":{}}}",
            funnel.size() > 1 ? "," : "", json_string(in.scenarios[s].first), json_string(kInstruments[i]),
            json_string(kStages[k]), k, json_number(in.funnel[s][i][k]));
      }
    }
  }
  funnel += "]";
  std::vector<std::string> maps;
  for (std::size_t m = 0; m < in.map_titles.size(); ++m) {
    std::string data = "[";
    for (const MapPlace& p : in.places) {
      data += fmt::format("{}{{\"name\":{},\"lat\":{},\"lon\":{},\"population\":{},\"value\":{}}}",
                          data.size() > 1 ? "," : "", json_string(p.name), json_number(p.lat),
                          json_number(p.lon), json_number(p.population), json_number(p.values[m]));
    }
    maps.push_back(data + "]");
  }

  std::string scenario_list = "[";
  for (std::size_t s = 0; s < ns; ++s) {
    if (s > 0) scenario_list += ',';
    scenario_list += json_string(in.scenarios[s].first);
  }
  scenario_list += "]";
  const std::string color = fmt::format(
      R"("color":{{"field":"scenario","type":"nominal","sort":{},"title":"scenario"}})", scenario_list);

  std::string group_order = "[";
  for (std::size_t g = 0; g < setup.groups.size(); ++g) {
    if (g > 0) group_order += ',';
    group_order += json_string(setup.groups[g]);
  }
  group_order += "]";

  // Vega-Lite specifications (raw strings delimited by J: the specs contain ")\"").
  std::vector<std::pair<std::string, std::string>> charts;  // (element id, spec)
  charts.emplace_back("chart-adoption",
                      fmt::format(R"J({{"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"width":900,"height":300,"data":{{"values":{}}},
"encoding":{{"x":{{"field":"year","type":"quantitative","title":"programme year","axis":{{"tickMinStep":1}}}},{}}},
"layer":[
 {{"mark":{{"type":"area","opacity":0.18}},"encoding":{{"y":{{"field":"low","type":"quantitative","title":"cumulative adoptions"}},"y2":{{"field":"high"}}}}}},
 {{"mark":{{"type":"line","point":true}},"encoding":{{"y":{{"field":"mean","type":"quantitative"}},
   "tooltip":[{{"field":"scenario"}},{{"field":"year"}},{{"field":"mean","format":",.0f"}},{{"field":"low","format":",.0f"}},{{"field":"high","format":",.0f"}}]}}}}
]}})J",
                                  series, color));
  charts.emplace_back("chart-groups",
                      fmt::format(R"J({{"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{{"values":{}}},
"facet":{{"column":{{"field":"kind","type":"nominal","title":null,"sort":"descending"}}}},
"resolve":{{"scale":{{"x":"independent","xOffset":"independent"}}}},
"spec":{{"width":420,"height":260,
 "encoding":{{"x":{{"field":"group","type":"nominal","sort":{},"title":null,"scale":{{"type":"band","paddingInner":0.2}},"axis":{{"labelAngle":-30}}}},
  "xOffset":{{"field":"scenario","sort":{},"scale":{{"type":"band"}}}},{}}},
 "layer":[
  {{"mark":"bar","encoding":{{"y":{{"field":"mean","type":"quantitative","title":"adoptions per owner over the run"}},
    "tooltip":[{{"field":"scenario"}},{{"field":"group"}},{{"field":"mean","format":".2f"}},{{"field":"low","format":".2f"}},{{"field":"high","format":".2f"}}]}}}},
  {{"mark":{{"type":"rule","strokeWidth":1.5}},"encoding":{{"y":{{"field":"low","type":"quantitative"}},"y2":{{"field":"high"}},
    "color":{{"value":"#222"}},"xOffset":{{"field":"scenario","sort":{},"bandPosition":0.5}}}}}}
 ]}}}})J",
                                  groups, group_order, scenario_list, color, scenario_list));
  charts.emplace_back("chart-funnel",
                      fmt::format(R"J({{"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"data":{{"values":{}}},
"facet":{{"column":{{"field":"instrument","type":"nominal","title":null,"sort":["pre-projects","innovation projects","competence projects"]}}}},
"resolve":{{"scale":{{"y":"independent","xOffset":"independent"}}}},
"spec":{{"width":270,"height":220,"mark":"bar",
 "encoding":{{"x":{{"field":"stage","type":"nominal","sort":{{"field":"order"}},"title":null,"axis":{{"labelAngle":0}}}},
  "xOffset":{{"field":"scenario","sort":{}}},
  "y":{{"field":"count","type":"quantitative","title":"per run, whole horizon (mean)"}},{},
  "tooltip":[{{"field":"scenario"}},{{"field":"instrument"}},{{"field":"stage"}},{{"field":"count","format":",.1f"}}]}}}}}})J",
                                  funnel, scenario_list, color));
  for (std::size_t m = 0; m < maps.size(); ++m) {
    const std::string scale = in.map_diverging[m] ? R"J("scale":{"scheme":"redblue","domainMid":0})J"
                                                  : R"J("scale":{"scheme":"viridis"})J";
    charts.emplace_back(fmt::format("chart-map-{}", m),
                        fmt::format(R"J({{"$schema":"https://vega.github.io/schema/vega-lite/v5.json",
"width":460,"height":560,"title":{},"projection":{{"type":"mercator"}},"data":{{"values":{}}},
"mark":{{"type":"circle","opacity":0.85,"stroke":"#333","strokeWidth":0.3}},
"encoding":{{"longitude":{{"field":"lon","type":"quantitative"}},"latitude":{{"field":"lat","type":"quantitative"}},
 "size":{{"field":"population","type":"quantitative","scale":{{"type":"sqrt","range":[6,500]}},"title":"inhabitants"}},
 "color":{{"field":"value","type":"quantitative",{},"title":"value"}},
 "tooltip":[{{"field":"name"}},{{"field":"population","format":",.0f"}},{{"field":"value","format":".2f"}}]}}}})J",
                                    json_string(in.map_titles[m]), maps[m], scale));
  }

  // The page.
  const std::string title = compare ? fmt::format("innosim: {} programme scenarios compared", ns)
                                    : fmt::format("innosim: the scenario {}", in.scenarios[0].first);
  fmt::print(out,
             "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n",
             html(title));
  fmt::print(out, "<style>{}</style>\n", kStyle);
  fmt::print(out, "<script>{}</script>\n<script>{}</script>\n<script>{}</script>\n",
             without_source_map(assets.vega), without_source_map(assets.vega_lite),
             without_source_map(assets.vega_embed));
  fmt::print(out, "</head>\n<body>\n<main>\n<h1>{}</h1>\n", html(title));
  fmt::print(
      out,
      "<p class=\"lead\">Simulated with innosim {} (git {}) on Norway's municipalities, county "
      "municipalities and research institutions; {} replicates of {} years per scenario after a {}-year "
      "warm-up, seed {}. Source: {}.</p>\n",
      html(in.innosim_version), html(in.git_revision), in.replicates, in.years, in.warmup_years, in.seed,
      html(in.source));

  // What was compared.
  fmt::print(out, "<section>\n<h2>{}</h2>\n<ul>\n", compare ? "What was compared" : "What was simulated");
  for (std::size_t s = 0; s < ns; ++s) {
    const bool is_ref = s == setup.reference && compare;
    const bool is_cf = setup.counterfactual && s == *setup.counterfactual;
    fmt::print(out, "<li><b>{}</b>{}: {}</li>\n", html(in.scenarios[s].first),
               is_ref ? " (reference)" : (is_cf ? " (counterfactual)" : ""), html(in.scenarios[s].second));
  }
  fmt::print(out, "</ul>\n");
  if (compare) {
    fmt::print(
        out,
        "<p>Every scenario was run with the same {} replicates. Replicate <i>r</i> of every scenario uses "
        "the same random numbers wherever the scenarios agree (common random numbers), so the difference "
        "between two scenarios in the same replicate shows the effect of the design rather than chance. "
        "Differences below are taken replicate by replicate against <b>{}</b>.</p>\n",
        in.replicates, html(ref));
  }
  fmt::print(out, "</section>\n");

  // Headline table.
  fmt::print(out, "<section>\n<h2>Headline results</h2>\n<table>\n<tr><th>over {} years, per run</th>",
             in.years);
  for (std::size_t s = 0; s < ns; ++s) fmt::print(out, "<th>{}</th>", html(in.scenarios[s].first));
  fmt::print(out, "</tr>\n");
  for (std::size_t m = 0; m < setup.metrics.size(); ++m) {
    fmt::print(out, "<tr><td>{}</td>", html(setup.metrics[m].label));
    for (std::size_t s = 0; s < ns; ++s) {
      fmt::print(out, "<td>{}{}</td>", estimate_cell(c.value(s, m), setup.metrics[m].decimals),
                 compare && s != setup.reference
                     ? difference_cell(c.difference(s, m), setup.metrics[m].decimals)
                     : "");
    }
    fmt::print(out, "</tr>\n");
  }
  fmt::print(
      out,
      "</table>\n<p class=\"note\">Mean over replicates with its 95 % interval in brackets (Student t over "
      "replicates).{}</p>\n",
      compare ? fmt::format(" The second line is the paired difference from {} in the same replicate, with "
                            "its 95 % interval; it is in bold when the interval excludes 0.",
                            html(ref))
              : "");
  if (setup.counterfactual && compare) {
    const std::string& cf = setup.scenarios[*setup.counterfactual];
    fmt::print(
        out,
        "<h3>Additionality against {}</h3>\n<table>\n<tr><th>scenario</th><th>additional adoptions</th>"
        "<th>additional municipalities using research</th><th>extra money (MNOK)</th>"
        "<th>MNOK per additional adoption</th><th>MNOK per additional research user</th></tr>\n",
        html(cf));
    for (std::size_t s = 0; s < ns; ++s) {
      if (s == *setup.counterfactual) continue;
      fmt::print(out, "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                 html(in.scenarios[s].first), estimate_cell(c.extra_adoptions(s), 0),
                 estimate_cell(c.extra_research(s), 1), estimate_cell(c.extra_money(s), 1),
                 ratio_cell(c.cost_per_adoption(s), 3), ratio_cell(c.cost_per_research_user(s), 2));
    }
    fmt::print(
        out,
        "</table>\n<p class=\"note\">Each scenario minus {} in the same replicate, over the whole horizon. "
        "Money per additional adoption is the ratio of the mean extra money to the mean additional "
        "adoptions, with a delta-method 95 % interval; n/a when the additional count's own interval "
        "includes 0.</p>\n",
        html(cf));
  }
  fmt::print(out, "</section>\n");

  auto chart = [&](const std::string& id, const std::string& heading, const std::string& note) {
    fmt::print(out,
               "<section>\n<h2>{}</h2>\n<div class=\"chart\" id=\"{}\"></div>\n<p class=\"note\">{}</p>\n"
               "</section>\n",
               html(heading), id, note);
  };
  chart(
      "chart-adoption", "Adoption over time",
      "Cumulative adoptions (an owner taking up an innovation it did not make) at the end of each programme "
      "year: mean over replicates, with the 95 % interval as a band.");
  chart(
      "chart-groups", "Results by centrality and size",
      "Adoptions per owner over the run by SSB centrality class (1 most central, 6 least) and by size class; "
      "bars are means, lines 95 % intervals.");
  fmt::print(out, "<section>\n<h2>Where: Norway's municipalities</h2>\n");
  for (std::size_t m = 0; m < maps.size(); ++m) {
    fmt::print(out, "<div class=\"chart\" id=\"chart-map-{}\"></div>\n", m);
  }
  fmt::print(
      out,
      "<p class=\"note\">Each circle is a municipality at its administrative centre (Kartverket), sized "
      "by population (SSB). {}</p>\n</section>\n",
      html(in.map_note));
  chart("chart-funnel", "The calls: applications, funding, success",
        "Applications, funded projects and projects that ended with success per instrument, summed over the "
        "horizon (mean over replicates).");

  // Method.
  fmt::print(
      out,
      "<section>\n<h2>Method</h2>\n<ul>\n"
      "<li>Model: the FORKOMMUNE programme model of innosim {} (git {}), an agent-based model of Norway's "
      "357 municipalities, 15 county municipalities and 61 research institutions with their researchers, "
      "simulated month by month; documented in the ODD protocol's structure in docs/model.md, every "
      "parameter with its source in docs/parameters.md, calibrated to Norwegian figures "
      "(docs/calibration.md).</li>\n"
      "<li>Replicates: {} per scenario, seed {}, {} years after a {}-year warm-up without recording. "
      "Random numbers come from counter-based streams keyed by (seed, replicate, purpose, month, agent); "
      "results do not depend on the number of threads or machines.</li>\n"
      "<li>Uncertainty: intervals are 95 % Student t intervals over replicates, for means and for paired "
      "differences. They describe the model's stochastic variation, not the uncertainty of its "
      "parameters, which a sensitivity analysis addresses.</li>\n"
      "<li>Assumptions and sources: data on municipalities (Kartverket, SSB, CC BY 4.0), counties and "
      "research institutions are listed in scenarios/data/norway/SOURCES.md; estimated parameters are "
      "marked as such in docs/parameters.md with the reason for each value.</li>\n"
      "<li>Charts: Vega-Lite ({}), inlined so that this file works offline.</li>\n</ul>\n</section>\n",
      html(in.innosim_version), html(in.git_revision), in.replicates, in.seed, in.years, in.warmup_years,
      html(assets.versions));

  // Rendering.
  fmt::print(out, "</main>\n<script>\nconst innosimCharts = [\n");
  for (std::size_t k = 0; k < charts.size(); ++k) {
    fmt::print(out, "  [{}, {}]{}\n", json_string(charts[k].first), charts[k].second,
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

}  // namespace innosim::output
