// The truth about which runs of a sweep are done: an append-only journal of their results.
//
// A journal belongs to one sweep (its fingerprint), one shard of it and one record size, all
// in its first line; a journal that names anything else is refused. Each record holds a run's
// number, its values and the adaptive rules that fired, framed by a marker and a length and
// closed by a checksum over all of it. A record is either whole and checksummed, and then the
// run is done, or it is the torn tail of an interrupted write, and then it is cut off on
// opening and the run is done again (runs are deterministic, so the result is the same).
// Records are written with one write() each and the file is fsync'ed at least once a second
// and when the journal is closed; whatever the kernel already holds survives a killed process
// either way.
//
// A LockFile keeps two drivers off one output: an exclusive flock() on "<output>.lock",
// released by the kernel when its holder dies, so a lock is never stale.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "sim/error.hpp"

namespace innosim::tools {

/// A journal or lock that cannot be used; the message says which file and why.
class JournalError : public sim::Error {
 public:
  using sim::Error::Error;
};

struct JournalHeader {
  std::string fingerprint;
  std::uint64_t shard_index = 0, shard_count = 1;
  std::uint64_t values = 0;  ///< doubles per record

  [[nodiscard]] std::string line() const;
};

struct RunRecord {
  std::uint64_t run = 0;
  std::vector<double> values;
  std::vector<std::string> fired_rules;
};

class Journal {
 public:
  enum class Access {
    kAppend,  ///< the journal this process writes: created when missing, a torn tail cut off
    /// Another process's journal, read as it stands (it must exist): a torn tail, or a last
    /// record that its writer may be appending right now, is left alone and not counted.
    kRead,
  };

  /// Opens the journal at `path`, creating it with `header` when missing. An existing journal
  /// must carry the same header; its torn tail, if any, is cut off. Throws JournalError.
  Journal(std::filesystem::path path, const JournalHeader& header, Access access = Access::kAppend);
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;
  ~Journal();

  /// Runs with a whole record, in the order they were written.
  [[nodiscard]] const std::vector<std::uint64_t>& done() const noexcept { return done_; }
  /// Bytes cut off as a torn tail when opening (0 normally).
  [[nodiscard]] std::uint64_t torn_bytes() const noexcept { return torn_; }

  /// Appends a record (syncing when the last sync is a second old). Not for Access::kRead.
  void append(const RunRecord& record);
  /// Makes every appended record durable.
  void sync();

  /// Reads the record of `run` (which must be done).
  [[nodiscard]] RunRecord read(std::uint64_t run) const;

  [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

 private:
  void scan();

  std::filesystem::path path_;
  JournalHeader header_;
  Access access_;
  int fd_ = -1;
  std::uint64_t end_ = 0;               ///< bytes of whole records and header
  std::vector<std::uint64_t> done_;     ///< runs, in file order
  std::vector<std::uint64_t> offsets_;  ///< their records' offsets
  std::vector<std::uint64_t> by_run_;   ///< index into done_ sorted by run (for read)
  std::uint64_t torn_ = 0;
  double last_sync_ = 0;
  bool dirty_ = false;
  std::vector<unsigned char> buffer_;
};

class LockFile {
 public:
  /// Takes the lock on `path` or throws JournalError naming the holder (pid and host).
  explicit LockFile(std::filesystem::path path);
  LockFile(const LockFile&) = delete;
  LockFile& operator=(const LockFile&) = delete;
  /// Releases the lock and removes the lock file.
  ~LockFile();

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace innosim::tools
