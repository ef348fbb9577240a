// Plain words and numbers for readers (output/labels.hpp), in English and bokmål.
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "output/labels.hpp"

using innosim::output::format_estimate;
using innosim::output::format_number;
using innosim::output::group_label;
using innosim::output::Language;
using innosim::output::parse_language;

TEST_CASE("numbers are grouped and signed the way each language writes them") {
  CHECK(format_number(4819.46, 0, Language::kEnglish) == "4,819");
  CHECK(format_number(14819.46, 1, Language::kEnglish) == "14,819.5");
  CHECK(format_number(-1234567, 0, Language::kEnglish) == "\u22121,234,567");
  CHECK(format_number(0.004, 2, Language::kEnglish, true) == "0.00");  // no sign on what rounds to 0
  CHECK(format_number(0.25, 2, Language::kEnglish, true) == "+0.25");
  // Bokmål: decimal comma, narrow no-break space between thousands, none in four-digit numbers.
  CHECK(format_number(4819.46, 0, Language::kBokmal) == "4819");
  CHECK(format_number(14819.46, 1, Language::kBokmal) == "14\u202f819,5");
  CHECK(format_number(-0.5, 2, Language::kBokmal) == "\u22120,50");
  CHECK(format_estimate(5, 4, 6, 0, Language::kEnglish) == "5 [4 – 6]");
}

TEST_CASE("group codes become plain labels; counties take their names") {
  CHECK(group_label("size_lt5k", Language::kEnglish) == "under 5,000 inhabitants");
  CHECK(group_label("size_lt5k", Language::kBokmal) == "under 5\u202f000 innbyggere");
  CHECK(group_label("centrality_6", Language::kEnglish) == "least central (SSB class 6)");
  CHECK(group_label("centrality_3", Language::kBokmal) == "sentralitetsklasse 3");
  CHECK(group_label("county_46", Language::kEnglish, [](std::string_view code) {
          return std::string(code == "46" ? "Vestland" : "");
        }) == "Vestland");
  CHECK(group_label("county_99", Language::kBokmal) == "fylke 99");
  CHECK(group_label("something_else", Language::kEnglish) == "something_else");
  CHECK(parse_language("nb") == Language::kBokmal);
  CHECK_THROWS_AS(parse_language("no"), std::invalid_argument);
}
