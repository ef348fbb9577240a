// The typed exceptions that report user and configuration errors.
//
// Only `tools/` turns them into exit codes. Messages say where, what and how to fix, e.g.
// "models.ic.p_transmit = 1.4, must be in [0, 1]". Our own bugs use SIM_ASSERT instead.
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace innosim::sim {

/// Base of every error innosim reports to its user.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A model or generator parameter is outside its valid range; thrown by `validate()`.
/// The message names the field with its YAML key, the value and the valid range; `key()` holds
/// the key path alone ("model.p_transmit"), so a scenario loader can point at the line where
/// the value was written.
class ParamError : public Error {
 public:
  explicit ParamError(const std::string& message) : Error(message) {}
  ParamError(std::string key, const std::string& message) : Error(message), key_(std::move(key)) {}
  [[nodiscard]] const std::string& key() const noexcept { return key_; }

 private:
  std::string key_;
};

/// A data file (edge list, CSV table) is malformed; the message names file, line and column.
class DataError : public Error {
 public:
  using Error::Error;
};

}  // namespace innosim::sim
