// CSV parsing (RFC 4180) with positions kept for error messages.
#include "tools/data/csv.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "sim/error.hpp"

namespace innosim::tools {

CsvTable CsvTable::parse(std::string_view text, std::string source) {
  CsvTable t;
  t.source_ = std::move(source);
  std::size_t line = 1;
  std::size_t i = 0;
  bool header_done = false;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte-order mark
  while (i < text.size()) {
    std::vector<std::string> fields;
    std::vector<std::size_t> starts;
    const std::size_t row_line = line;
    std::size_t line_start = i;
    bool blank = true;
    for (;;) {
      std::string field;
      starts.push_back(i - line_start + 1);
      if (i < text.size() && text[i] == '"') {
        const std::size_t quote_line = line;
        const std::size_t quote_col = i - line_start + 1;
        ++i;
        for (;;) {
          if (i >= text.size()) {
            throw sim::DataError(
                fmt::format("{}:{}:{}: quoted field is not closed", t.source_, quote_line, quote_col));
          }
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          if (text[i] == '\n') {
            ++line;
            line_start = i + 1;
          }
          field += text[i++];
        }
        if (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
          throw sim::DataError(fmt::format("{}:{}:{}: unexpected text after a closing quote", t.source_, line,
                                           i - line_start + 1));
        }
        blank = false;
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\n' && text[i] != '\r') field += text[i++];
        if (!field.empty()) blank = false;
      }
      fields.push_back(std::move(field));
      if (i < text.size() && text[i] == ',') {
        ++i;
        blank = false;
        continue;
      }
      break;
    }
    if (i < text.size() && text[i] == '\r') ++i;
    if (i < text.size() && text[i] == '\n') ++i;
    ++line;
    if (blank && fields.size() == 1) continue;  // empty line
    if (!header_done) {
      t.columns_ = std::move(fields);
      for (std::size_t c = 0; c < t.columns_.size(); ++c) {
        for (std::size_t d = 0; d < c; ++d) {
          if (t.columns_[c] == t.columns_[d]) {
            throw sim::DataError(fmt::format("{}:{}:{}: column '{}' appears twice in the header", t.source_,
                                             row_line, starts[c], t.columns_[c]));
          }
        }
      }
      header_done = true;
      continue;
    }
    if (fields.size() != t.columns_.size()) {
      throw sim::DataError(fmt::format("{}:{}:1: {} fields, the header has {} ({})", t.source_, row_line,
                                       fields.size(), t.columns_.size(), fmt::join(t.columns_, ",")));
    }
    t.rows_.push_back(std::move(fields));
    t.lines_.push_back(row_line);
    t.field_columns_.push_back(std::move(starts));
  }
  if (!header_done) {
    throw sim::DataError(fmt::format("{}: the file is empty; expected a header line", t.source_));
  }
  return t;
}

void CsvTable::fail(std::size_t row, std::size_t col, std::string_view message) const {
  throw sim::DataError(
      fmt::format("{}:{}:{}: {}", source_, lines_.at(row), field_columns_.at(row).at(col), message));
}

bool CsvTable::has_column(std::string_view name) const noexcept {
  for (const auto& c : columns_) {
    if (c == name) return true;
  }
  return false;
}

std::size_t CsvTable::column(std::string_view name) const {
  for (std::size_t c = 0; c < columns_.size(); ++c) {
    if (columns_[c] == name) return c;
  }
  throw sim::DataError(fmt::format("{}:1:1: missing column '{}' (the header has: {})", source_, name,
                                   fmt::join(columns_, ", ")));
}

const std::string& CsvTable::required_text(std::size_t row, std::size_t col) const {
  const std::string& s = text(row, col);
  if (s.empty()) fail(row, col, fmt::format("{} is empty; a value is required", columns_[col]));
  return s;
}

std::optional<double> CsvTable::optional_number(std::size_t row, std::size_t col, double min,
                                                double max) const {
  if (text(row, col).empty()) return std::nullopt;
  return number(row, col, min, max);
}

double CsvTable::number(std::size_t row, std::size_t col, double min, double max) const {
  const std::string& s = required_text(row, col);
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) {
    fail(row, col, fmt::format("{} = '{}' is not a number", columns_[col], s));
  }
  if (v < min || v > max) {
    fail(row, col,
         fmt::format("{} = {} is out of range; expected a number in [{}, {}]", columns_[col], s, min, max));
  }
  return v;
}

long long CsvTable::integer(std::size_t row, std::size_t col, long long min, long long max) const {
  const std::string& s = required_text(row, col);
  long long v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) {
    fail(row, col, fmt::format("{} = '{}' is not a whole number", columns_[col], s));
  }
  if (v < min || v > max) {
    fail(row, col,
         fmt::format("{} = {} is out of range; expected a whole number in [{}, {}]", columns_[col], s, min,
                     max));
  }
  return v;
}

std::size_t CsvTable::choice(std::size_t row, std::size_t col,
                             const std::vector<std::string>& choices) const {
  const std::string& s = required_text(row, col);
  for (std::size_t k = 0; k < choices.size(); ++k) {
    if (choices[k] == s) return k;
  }
  fail(row, col, fmt::format("{} = '{}' is not one of: {}", columns_[col], s, fmt::join(choices, ", ")));
}

}  // namespace innosim::tools
