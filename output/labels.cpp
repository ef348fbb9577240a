#include "output/labels.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace innosim::output {

Language parse_language(std::string_view code) {
  if (code == "en") return Language::kEnglish;
  if (code == "nb") return Language::kBokmal;
  throw std::invalid_argument(fmt::format("'{}': expected en (English) or nb (bokmål)", code));
}

const char* language_code(Language lang) noexcept {
  return lang == Language::kBokmal ? "nb" : "en";
}

std::string group_label(std::string_view group, Language lang,
                        const std::function<std::string(std::string_view)>& county_name) {
  const bool nb = lang == Language::kBokmal;
  // SSB's centrality index in six classes (Høydahl 2017): 1 the most central.
  if (group.starts_with("centrality_") && group.size() == 12 && group[11] >= '1' && group[11] <= '6') {
    const char c = group[11];
    if (c == '1') return nb ? "sentralitetsklasse 1 (mest sentrale)" : "most central (SSB class 1)";
    if (c == '6') return nb ? "sentralitetsklasse 6 (minst sentrale)" : "least central (SSB class 6)";
    return nb ? fmt::format("sentralitetsklasse {}", c) : fmt::format("centrality class {}", c);
  }
  // Size classes by population (models/forkommune/world.cpp, size_class_of). Bokmål writes
  // thousands with a narrow no-break space.
  if (group == "size_lt5k") return nb ? "under 5\u202f000 innbyggere" : "under 5,000 inhabitants";
  if (group == "size_5k_20k") return nb ? "5\u202f000–20\u202f000 innbyggere" : "5,000–20,000 inhabitants";
  if (group == "size_20k_50k") return nb ? "20\u202f000–50\u202f000 innbyggere" : "20,000–50,000 inhabitants";
  if (group == "size_gt50k") return nb ? "over 50\u202f000 innbyggere" : "over 50,000 inhabitants";
  if (group.starts_with("county_")) {
    const std::string_view code = group.substr(7);
    const std::string name = county_name ? county_name(code) : std::string();
    return name.empty() ? fmt::format("{} {}", nb ? "fylke" : "county", code) : name;
  }
  return std::string(group);
}

std::string format_number(double value, int decimals, Language lang, bool sign) {
  if (!std::isfinite(value)) return lang == Language::kBokmal ? "–" : "n/a";
  std::string digits = fmt::format("{:.{}f}", std::abs(value), decimals);
  const std::size_t dot = digits.find('.');
  const std::size_t int_end = dot == std::string::npos ? digits.size() : dot;
  const bool nb = lang == Language::kBokmal;
  std::string out;
  for (std::size_t i = 0; i < int_end; ++i) {
    out += digits[i];
    const std::size_t left = int_end - i - 1;
    // Four-digit numbers stay whole in bokmål (Språkrådet: 4819, but 14 819).
    if (left > 0 && left % 3 == 0 && !(nb && int_end == 4)) out += nb ? "\u202f" : ",";
  }
  if (dot != std::string::npos) {
    out += nb ? ',' : '.';
    out.append(digits, dot + 1);
  }
  const bool zero = std::abs(value) < 0.5 * std::pow(10.0, -decimals);
  const char* prefix = value < 0 && !zero           ? "\u2212"  // a true minus sign
                       : value > 0 && !zero && sign ? "+"
                                                    : "";
  return fmt::format("{}{}", prefix, out);
}

std::string format_estimate(double mean, double low, double high, int decimals, Language lang, bool sign) {
  return fmt::format("{} [{} – {}]", format_number(mean, decimals, lang, sign),
                     format_number(low, decimals, lang, sign), format_number(high, decimals, lang, sign));
}

}  // namespace innosim::output
