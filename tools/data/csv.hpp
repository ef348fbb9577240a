// Reading CSV tables with errors that name the file, line and column.
//
// RFC 4180 text: comma-separated, a header line naming the columns, fields optionally in double
// quotes (a quote inside a quoted field is written twice). Blank lines are skipped. Every row
// must have as many fields as the header. Typed access checks the value and says what was
// expected: "municipalities.csv:17:42: population = '-5' must be a whole number > 0".
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace innosim::tools {

class CsvTable {
 public:
  /// Parses CSV text; `source` names it in errors. Throws sim::DataError.
  static CsvTable parse(std::string_view text, std::string source);

  [[nodiscard]] const std::string& source() const noexcept { return source_; }
  [[nodiscard]] std::size_t num_rows() const noexcept { return rows_.size(); }
  [[nodiscard]] const std::vector<std::string>& columns() const noexcept { return columns_; }
  /// Index of a column; throws sim::DataError listing the columns when it is missing.
  [[nodiscard]] std::size_t column(std::string_view name) const;
  [[nodiscard]] bool has_column(std::string_view name) const noexcept;

  /// The raw text of a field.
  [[nodiscard]] const std::string& text(std::size_t row, std::size_t col) const {
    return rows_.at(row).at(col);
  }
  /// A non-empty field.
  [[nodiscard]] const std::string& required_text(std::size_t row, std::size_t col) const;
  /// A finite number in [min, max].
  [[nodiscard]] double number(std::size_t row, std::size_t col, double min, double max) const;
  /// A finite number in [min, max], or nothing when the field is empty.
  [[nodiscard]] std::optional<double> optional_number(std::size_t row, std::size_t col, double min,
                                                      double max) const;
  /// A whole number in [min, max].
  [[nodiscard]] long long integer(std::size_t row, std::size_t col, long long min, long long max) const;
  /// One of `choices`.
  [[nodiscard]] std::size_t choice(std::size_t row, std::size_t col,
                                   const std::vector<std::string>& choices) const;

  /// "file:line:column: message" for a field.
  [[noreturn]] void fail(std::size_t row, std::size_t col, std::string_view message) const;

 private:
  std::string source_;
  std::vector<std::string> columns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::size_t> lines_;                       // line of each row (1-based)
  std::vector<std::vector<std::size_t>> field_columns_;  // column (1-based) where each field starts
};

}  // namespace innosim::tools
