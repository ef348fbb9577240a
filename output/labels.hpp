// Plain words for what the result files store as codes: the programme model's group names
// ("centrality_1", "size_lt5k", "county_03") in English or bokmål, for reports, CSV files and
// the terminal. One place, so that every output says the same thing the same way.
#pragma once

#include <fmt/format.h>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace innosim::output {

enum class Language : std::uint8_t { kEnglish, kBokmal };

/// "en" or "nb"; anything else throws std::invalid_argument naming the choices.
Language parse_language(std::string_view code);
[[nodiscard]] const char* language_code(Language lang) noexcept;

/// A group's plain label: "under 5,000 inhabitants", "least central (SSB class 6)", or for
/// "county_CODE" the county's name as `county_name(CODE)` gives it (the code when it gives "").
/// An unknown name comes back as it is.
std::string group_label(std::string_view group, Language lang,
                        const std::function<std::string(std::string_view)>& county_name = {});

/// A number for reading: thousands grouped and `decimals` decimals, in the language's way
/// ("4,819.5" in English, "4 819,5" with a narrow no-break space in bokmål). `sign` adds a
/// leading + to positive numbers.
std::string format_number(double value, int decimals, Language lang, bool sign = false);

/// A mean with its 95 % interval for reading: "4,819 [4,759 – 4,880]".
std::string format_estimate(double mean, double low, double high, int decimals, Language lang,
                            bool sign = false);

/// The English or the bokmål text.
inline const char* tr(Language lang, const char* en, const char* nb) noexcept {
  return lang == Language::kBokmal ? nb : en;
}

/// The same, as a format string for fmt::format (checked when formatting).
inline auto trf(Language lang, const char* en, const char* nb) {
  return fmt::runtime(tr(lang, en, nb));
}

}  // namespace innosim::output
