// A table of named, typed columns: what a model hands to writers for its agents, innovations,
// projects or events, without knowing the file format.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <variant>
#include <vector>

namespace innosim::sim {

struct Column {
  std::string name;
  std::string unit;  ///< "" for identifiers and flags
  std::string description;
  std::variant<std::vector<double>, std::vector<std::int64_t>, std::vector<std::string>> values;

  [[nodiscard]] std::size_t size() const {
    return std::visit([](const auto& v) { return v.size(); }, values);
  }
};

struct Table {
  std::string name;
  std::string description;
  std::deque<Column> columns;  ///< a deque: add() hands out references that later adds keep valid

  /// Rows of the first column (every column has the same number; writers check).
  [[nodiscard]] std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }

  /// Appends a column and returns its values, typed.
  template <typename T>
  std::vector<T>& add(std::string column, std::string unit, std::string about) {
    columns.push_back({std::move(column), std::move(unit), std::move(about), std::vector<T>{}});
    return std::get<std::vector<T>>(columns.back().values);
  }
};

}  // namespace innosim::sim
