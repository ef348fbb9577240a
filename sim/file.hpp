// Reading a whole input file at disk speed: memory-mapped when the system allows it (no copy,
// and pages already parsed can be handed back), read in large blocks otherwise.
//
// Data files (edge lists, seed lists) are parsed from one contiguous buffer so that parsing can
// be split over threads at line boundaries. Only regular files are accepted: a FIFO would block
// and a device such as /dev/zero never ends.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace innosim::sim {

/// The contents of a regular file, read-only, valid while the object lives. Movable, not
/// copyable. Throws sim::DataError naming the file and the kind of file expected (`kind`, e.g.
/// "edge list file": "g.csv: is a directory; expected an edge list file", "g.csv: cannot open
/// the edge list file (No such file or directory)") when it is a directory, not a regular file,
/// cannot be opened or cannot be read.
///   const sim::FileBuffer file("g.csv", "edge list file");
///   parse(file.text());
class FileBuffer {
 public:
  FileBuffer(const std::string& path, std::string_view kind);
  FileBuffer(FileBuffer&& other) noexcept;
  FileBuffer& operator=(FileBuffer&&) = delete;
  FileBuffer(const FileBuffer&) = delete;
  FileBuffer& operator=(const FileBuffer&) = delete;
  ~FileBuffer();

  [[nodiscard]] std::string_view text() const noexcept { return {data_, size_}; }

  /// Tells the system that the bytes [offset, offset + length) of text() will not be needed
  /// soon, so that the whole pages among them leave the process's resident set (they are read
  /// again from the page cache if touched). A hint: the text stays valid and unchanged.
  void release(std::size_t offset, std::size_t length) const noexcept;

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  bool mapped_ = false;
  std::vector<char> copy_;  // when the file could not be mapped
};

}  // namespace innosim::sim
