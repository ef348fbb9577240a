// A small RAII layer over the HDF5 C API for innosim's result files.
//
// Files are written under a temporary name beside the final one and renamed into place by
// commit(); a file that is destroyed without commit() (an exception, a cancelled run) removes
// its temporary, and a killed process leaves only "<name>.tmp-<pid>", never a half-written file
// under the final name. Objects are created without modification times, so the same writes
// give the same bytes. Every failure throws H5Error naming the file and object.
#pragma once

#include <hdf5.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/table.hpp"

namespace innosim::output::h5 {

class H5Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A file given to read is missing, damaged, truncated or not what it claims to be (bad input,
/// exit code 2); other H5Errors are the environment failing (a full disk, exit code 1).
class H5ReadError : public H5Error {
 public:
  using H5Error::H5Error;
};

/// Owns one HDF5 identifier and closes it with the matching H5?close.
class Id {
 public:
  Id() = default;
  explicit Id(hid_t id) noexcept : id_(id) {}
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  Id(Id&& o) noexcept : id_(o.id_) { o.id_ = H5I_INVALID_HID; }
  Id& operator=(Id&& o) noexcept;
  ~Id() { reset(); }
  [[nodiscard]] hid_t get() const noexcept { return id_; }
  [[nodiscard]] bool valid() const noexcept { return id_ >= 0; }
  void reset() noexcept;

 private:
  hid_t id_ = H5I_INVALID_HID;
};

class Group;

/// A dataset of rank >= 1 whose first dimension grows by appends (chunked and compressed).
class Appendable {
 public:
  Appendable() = default;
  /// Appends `values.size() / inner` rows; `values` has the inner dimensions' product per row.
  void append(std::span<const double> values);
  void append(std::span<const std::int64_t> values);
  [[nodiscard]] std::uint64_t rows() const noexcept { return rows_; }

 private:
  friend class Group;
  void append_raw(const void* data, std::size_t count, hid_t memtype);
  Id dataset_;
  std::vector<hsize_t> inner_;  ///< dimensions after the first
  std::uint64_t rows_ = 0;
  std::string where_;
};

/// A group (or the file's root group).
class Group {
 public:
  Group() = default;
  Group(Id id, std::string path, std::string file)
      : id_(std::move(id)), path_(std::move(path)), file_(std::move(file)) {}

  /// Creates a subgroup, or opens it when it exists.
  [[nodiscard]] Group group(std::string_view name) const;
  /// Removes a member (group or dataset) if it exists.
  void remove(std::string_view name) const;

  void attribute(std::string_view name, std::string_view value) const;
  void attribute(std::string_view name, double value) const;
  void attribute(std::string_view name, std::int64_t value) const;
  void attribute(std::string_view name, std::uint64_t value) const;  ///< stored as an unsigned 64-bit integer
  void attribute(std::string_view name, const std::vector<std::string>& values) const;

  /// Writes a dataset of doubles / integers with the given dimensions (row-major), compressed
  /// when it is large enough to gain from it; `unit` and `description` become attributes when
  /// not empty.
  void write(std::string_view name, std::span<const double> values, std::vector<hsize_t> dims,
             std::string_view unit = {}, std::string_view description = {}) const;
  void write(std::string_view name, std::span<const std::int64_t> values, std::vector<hsize_t> dims,
             std::string_view unit = {}, std::string_view description = {}) const;
  /// A one-dimensional dataset of variable-length UTF-8 strings.
  void write(std::string_view name, const std::vector<std::string>& values, std::string_view unit = {},
             std::string_view description = {}) const;
  /// A scalar string dataset (long texts such as a scenario file).
  void write_text(std::string_view name, std::string_view text, std::string_view description = {}) const;

  /// A table as a group of equally long one-dimensional column datasets, with the column order
  /// in the attribute "columns" and each column's unit and description as attributes.
  void write(const sim::Table& table) const;

  /// Creates an appendable dataset of shape [0, inner...] (first dimension unlimited), chunked
  /// by `chunk_rows` rows and compressed.
  [[nodiscard]] Appendable appendable(std::string_view name, std::vector<hsize_t> inner, bool integer,
                                      hsize_t chunk_rows, std::string_view unit = {},
                                      std::string_view description = {}) const;

  [[nodiscard]] hid_t id() const noexcept { return id_.get(); }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  [[nodiscard]] std::string where(std::string_view name) const;
  void write_numeric(std::string_view name, const void* data, std::size_t count, std::vector<hsize_t> dims,
                     hid_t filetype, hid_t memtype, std::string_view unit,
                     std::string_view description) const;
  Id id_;
  std::string path_;  ///< "/" or "/a/b"
  std::string file_;  ///< the final file name, for messages
};

/// A result file being written.
class File {
 public:
  enum class Mode : std::uint8_t { kCreate, kModify };
  /// Starts writing `final_path` (through a temporary beside it): a new file, or with kModify a
  /// copy of the existing one. Throws H5Error when the directory cannot be written.
  explicit File(std::filesystem::path final_path, Mode mode = Mode::kCreate);
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  [[nodiscard]] const Group& root() const noexcept { return root_; }
  /// Flushes, closes and renames the temporary into place. After commit() the object is inert.
  void commit();
  [[nodiscard]] const std::filesystem::path& temporary_path() const noexcept { return temp_; }

 private:
  std::filesystem::path final_;
  std::filesystem::path temp_;
  Id file_;
  Group root_;
  bool committed_ = false;
};

/// Reads result files (for reports and exports). Every failure throws H5Error naming the file
/// and object.
class Reader {
 public:
  explicit Reader(const std::filesystem::path& path);
  [[nodiscard]] bool exists(std::string_view path) const;
  /// Names of a group's members, in name order.
  [[nodiscard]] std::vector<std::string> members(std::string_view group) const;
  [[nodiscard]] bool has_attribute(std::string_view object, std::string_view name) const;
  [[nodiscard]] std::string text_attribute(std::string_view object, std::string_view name) const;
  /// A whole-number attribute as 64 unsigned bits (signed ones keep their bits: old seeds).
  [[nodiscard]] std::uint64_t unsigned_attribute(std::string_view object, std::string_view name) const;
  [[nodiscard]] double number_attribute(std::string_view object, std::string_view name) const;
  [[nodiscard]] std::vector<std::string> text_list_attribute(std::string_view object,
                                                             std::string_view name) const;
  /// A numeric dataset of any rank, converted to double, row-major; its dimensions in `dims`.
  [[nodiscard]] std::vector<double> numbers(std::string_view dataset,
                                            std::vector<hsize_t>* dims = nullptr) const;
  /// Rows [first, first + count) of a numeric dataset (along its first dimension), as double,
  /// row-major; the dataset's full dimensions in `dims`.
  [[nodiscard]] std::vector<double> rows(std::string_view dataset, std::uint64_t first, std::uint64_t count,
                                         std::vector<hsize_t>* dims = nullptr) const;
  /// A string dataset: one-dimensional, or a scalar (one element).
  [[nodiscard]] std::vector<std::string> texts(std::string_view dataset) const;
  [[nodiscard]] const std::string& name() const noexcept { return name_; }

 private:
  [[nodiscard]] std::string where(std::string_view object) const;
  std::string name_;
  Id file_;
};

/// The HDF5 library's version, "1.10.8".
std::string library_version();

}  // namespace innosim::output::h5
