#include "tools/sweep/journal.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "tools/sweep/fnv1a.hpp"

namespace innosim::tools {

namespace {

constexpr std::uint32_t kRecordMarker = 0x314E5552;  // "RUN1"
constexpr std::size_t kRecordHead = 4 + 4 + 8;       // marker, payload bytes, run
constexpr std::uint64_t kMaxPayload = std::uint64_t{1} << 31;

double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

template <class T>
void put(std::vector<unsigned char>& out, T value) {
  const std::size_t at = out.size();
  out.resize(at + sizeof(T));
  std::memcpy(out.data() + at, &value, sizeof(T));
}

template <class T>
T get(const unsigned char* at) {
  T value;
  std::memcpy(&value, at, sizeof(T));
  return value;
}

std::string errno_text() {
  return std::strerror(errno);
}

// Reads exactly n bytes at offset; false at end of file.
bool read_at(int fd, std::uint64_t offset, unsigned char* out, std::size_t n) {
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = ::pread(fd, out + got, n - got, static_cast<off_t>(offset + got));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += static_cast<std::size_t>(r);
  }
  return true;
}

void write_all(int fd, const unsigned char* data, std::size_t n, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t w = ::write(fd, data + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) throw JournalError(fmt::format("{}: cannot write: {}", path.string(), errno_text()));
    done += static_cast<std::size_t>(w);
  }
}

void sync_directory(const std::filesystem::path& file) {
  const auto dir = file.parent_path().empty() ? std::filesystem::path(".") : file.parent_path();
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    (void)::fsync(fd);
    ::close(fd);
  }
}

}  // namespace

std::string JournalHeader::line() const {
  return fmt::format("innosim-journal 1 fingerprint={} shard={}/{} values={}\n", fingerprint, shard_index,
                     shard_count, values);
}

Journal::Journal(std::filesystem::path path, const JournalHeader& header, Access access)
    : path_(std::move(path)), header_(header), access_(access) {
  // O_APPEND: every record goes to the end, after whatever scan() kept.
  fd_ = access_ == Access::kRead ? ::open(path_.c_str(), O_RDONLY | O_CLOEXEC)
                                 : ::open(path_.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw JournalError(fmt::format("{}: cannot open the journal: {}", path_.string(), errno_text()));
  struct stat st {};
  ::fstat(fd_, &st);
  const std::string line = header_.line();
  if (st.st_size == 0 && access_ == Access::kRead) return;  // its writer has not written the header yet
  if (st.st_size == 0) {
    write_all(fd_, reinterpret_cast<const unsigned char*>(line.data()), line.size(), path_);
    if (::fsync(fd_) != 0)
      throw JournalError(fmt::format("{}: fsync failed: {}", path_.string(), errno_text()));
    sync_directory(path_);
    end_ = line.size();
    return;
  }
  // The first line must be this sweep's.
  std::string first(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), 512), '\0');
  read_at(fd_, 0, reinterpret_cast<unsigned char*>(first.data()), first.size());
  const auto eol = first.find('\n');
  const std::string found = eol == std::string::npos ? first : first.substr(0, eol + 1);
  if (found != line && access_ == Access::kRead && found.find('\n') == std::string::npos &&
      line.starts_with(found)) {
    return;  // its writer is writing the header
  }
  if (found != line) {
    ::close(fd_);
    fd_ = -1;
    const bool torn_header = eol == std::string::npos && line.starts_with(first);
    // What the file holds is shown as text: bytes that are not printable become '?', and a long
    // first line is cut.
    std::string shown = eol == std::string::npos ? first : found.substr(0, found.size() - 1);
    if (shown.size() > 160) shown = shown.substr(0, 160) + "...";
    for (char& c : shown) {
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7F) c = '?';
    }
    throw JournalError(
        fmt::format("{} belongs to another sweep or shard{}:\n  journal: {}\n  this run: {}"
                    "Use another --output, or delete the journal to start this sweep afresh.",
                    path_.string(), torn_header ? " (its header was never completed)" : "", shown, line));
  }
  end_ = found.size();
  try {
    scan();
  } catch (...) {
    ::close(fd_);  // a refused journal leaves no descriptor open
    fd_ = -1;
    throw;
  }
}

void Journal::scan() {
  struct stat st {};
  ::fstat(fd_, &st);
  const auto size = static_cast<std::uint64_t>(st.st_size);
  std::uint64_t at = end_;
  std::vector<unsigned char> head(kRecordHead);
  std::vector<unsigned char> body;
  // Records are appended whole with one write() each, so an interrupted append leaves a short
  // record at the very end (a torn tail). A record that is there in full but does not check
  // out, or data after it, is damage: the journal is not trusted, and nothing is redone silently.
  auto damaged = [&](const char* why) {
    throw JournalError(fmt::format(
        "{}: the record at byte {} {}; the journal is damaged, not just cut short by an interrupted append. "
        "Its {} whole records before that byte are intact; move the journal away to start this sweep afresh.",
        path_.string(), at, why, done_.size()));
  };
  while (at < size) {
    if (at + kRecordHead + 8 > size) break;  // not even a whole head: torn
    if (!read_at(fd_, at, head.data(), kRecordHead)) break;
    const auto marker = get<std::uint32_t>(head.data());
    const auto payload = get<std::uint32_t>(head.data() + 4);
    // Read while its writer appends, the tail may not hold its bytes yet (a file system that
    // shows the new size first shows zeros): a reader counts the whole records before it and
    // leaves judging the rest to the writer, who reports damage when it opens the journal.
    if (access_ == Access::kRead && (marker != kRecordMarker || payload > kMaxPayload)) break;
    if (marker != kRecordMarker) damaged("does not start with the record marker");
    if (payload > kMaxPayload) damaged("gives an impossible size");
    if (at + kRecordHead + payload + 8 > size) break;  // short: torn
    body.resize(kRecordHead + payload + 8);
    if (!read_at(fd_, at, body.data(), body.size())) break;
    const std::uint64_t sum = fnv1a({body.data(), kRecordHead + payload});
    if (sum != get<std::uint64_t>(body.data() + kRecordHead + payload)) {
      if (access_ == Access::kRead) break;  // as above: the writer judges
      damaged("fails its checksum");
    }
    done_.push_back(get<std::uint64_t>(head.data() + 8));
    offsets_.push_back(at);
    at += body.size();
  }
  if (at < size && access_ == Access::kAppend) {
    // A torn tail: an interrupted append. Cut it off so that appends follow whole records.
    torn_ = size - at;
    if (::ftruncate(fd_, static_cast<off_t>(at)) != 0 || ::fsync(fd_) != 0) {
      throw JournalError(fmt::format("{}: cannot cut off a torn record: {}", path_.string(), errno_text()));
    }
  }
  end_ = at;
  by_run_.resize(done_.size());
  for (std::size_t i = 0; i < by_run_.size(); ++i) by_run_[i] = i;
  std::sort(by_run_.begin(), by_run_.end(),
            [&](std::uint64_t a, std::uint64_t b) { return done_[a] < done_[b]; });
  // A run recorded twice (never by one driver) keeps its first record.
  by_run_.erase(std::unique(by_run_.begin(), by_run_.end(),
                            [&](std::uint64_t a, std::uint64_t b) { return done_[a] == done_[b]; }),
                by_run_.end());
}

Journal::~Journal() {
  if (fd_ >= 0) {
    if (dirty_) (void)::fsync(fd_);
    ::close(fd_);
  }
}

void Journal::append(const RunRecord& r) {
  if (access_ == Access::kRead)
    throw JournalError(fmt::format("{}: opened to read, not to append", path_.string()));
  if (r.values.size() != header_.values) {
    throw JournalError(fmt::format("{}: run {} has {} values, the journal {}", path_.string(), r.run,
                                   r.values.size(), header_.values));
  }
  std::string rules;
  for (const std::string& s : r.fired_rules) rules += s + '\n';
  buffer_.clear();
  const std::size_t payload = r.values.size() * 8 + 4 + rules.size();
  put<std::uint32_t>(buffer_, kRecordMarker);
  put<std::uint32_t>(buffer_, static_cast<std::uint32_t>(payload));
  put<std::uint64_t>(buffer_, r.run);
  for (const double v : r.values) put<double>(buffer_, v);
  put<std::uint32_t>(buffer_, static_cast<std::uint32_t>(rules.size()));
  const std::size_t text_at = buffer_.size();
  buffer_.resize(text_at + rules.size());
  if (!rules.empty()) std::memcpy(buffer_.data() + text_at, rules.data(), rules.size());
  put<std::uint64_t>(buffer_, fnv1a(buffer_));
  write_all(fd_, buffer_.data(), buffer_.size(), path_);
  const std::uint64_t at = end_;
  end_ += buffer_.size();
  // Keep the index usable for read().
  const auto pos = std::lower_bound(by_run_.begin(), by_run_.end(), r.run,
                                    [&](std::uint64_t i, std::uint64_t run) { return done_[i] < run; });
  done_.push_back(r.run);
  offsets_.push_back(at);
  if (pos == by_run_.end() || done_[*pos] != r.run) by_run_.insert(pos, done_.size() - 1);
  dirty_ = true;
  if (now_seconds() - last_sync_ >= 1.0) sync();
}

void Journal::sync() {
  if (!dirty_) return;
  if (::fsync(fd_) != 0)
    throw JournalError(fmt::format("{}: fsync failed: {}", path_.string(), errno_text()));
  dirty_ = false;
  last_sync_ = now_seconds();
}

RunRecord Journal::read(std::uint64_t run) const {
  const auto pos = std::lower_bound(by_run_.begin(), by_run_.end(), run,
                                    [&](std::uint64_t i, std::uint64_t r) { return done_[i] < r; });
  if (pos == by_run_.end() || done_[*pos] != run) {
    throw JournalError(fmt::format("{}: run {} is not in the journal", path_.string(), run));
  }
  const std::uint64_t at = offsets_[*pos];
  unsigned char head[kRecordHead];
  if (!read_at(fd_, at, head, kRecordHead))
    throw JournalError(fmt::format("{}: cannot read", path_.string()));
  const auto payload = get<std::uint32_t>(head + 4);
  std::vector<unsigned char> whole(kRecordHead + payload + 8);
  if (get<std::uint32_t>(head) != kRecordMarker || payload < header_.values * 8 + 4 ||
      !read_at(fd_, at, whole.data(), whole.size()) ||
      fnv1a({whole.data(), kRecordHead + payload}) !=
          get<std::uint64_t>(whole.data() + kRecordHead + payload)) {
    throw JournalError(
        fmt::format("{}: the record of run {} has changed since it was written; the journal is "
                    "damaged (delete it to run the sweep afresh)",
                    path_.string(), run));
  }
  const unsigned char* body = whole.data() + kRecordHead;
  RunRecord r;
  r.run = run;
  r.values.resize(header_.values);
  std::memcpy(r.values.data(), body, header_.values * 8);
  const auto text_bytes = get<std::uint32_t>(body + header_.values * 8);
  if (header_.values * 8 + 4 + text_bytes > payload) {
    throw JournalError(fmt::format("{}: the record of run {} is malformed", path_.string(), run));
  }
  const std::string text(reinterpret_cast<const char*>(body) + header_.values * 8 + 4, text_bytes);
  std::size_t from = 0;
  while (from < text.size()) {
    const auto eol = text.find('\n', from);
    r.fired_rules.push_back(text.substr(from, eol - from));
    from = eol + 1;
  }
  return r;
}

LockFile::LockFile(std::filesystem::path path) : path_(std::move(path)) {
  for (int attempt = 0; attempt < 10; ++attempt) {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw JournalError(fmt::format("{}: cannot create the lock: {}", path_.string(), errno_text()));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      std::string holder(256, '\0');
      const ssize_t n = ::pread(fd_, holder.data(), holder.size(), 0);
      holder.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
      while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
      ::close(fd_);
      fd_ = -1;
      throw JournalError(fmt::format(
          "{} is held by another innosim ({}): two drivers must not write one output. Wait for it to "
          "finish or stop it; its work is kept.",
          path_.string(), holder.empty() ? "unknown process" : holder));
    }
    // The holder before us may have removed the file after we opened it: the lock must be on
    // the file that is at the path now.
    struct stat held {
    }, now{};
    if (::fstat(fd_, &held) == 0 && ::stat(path_.c_str(), &now) == 0 && held.st_ino == now.st_ino &&
        held.st_dev == now.st_dev) {
      char host[256] = {};
      ::gethostname(host, sizeof host - 1);
      const std::string who = fmt::format("pid {} on {}\n", ::getpid(), host);
      if (::ftruncate(fd_, 0) == 0) (void)::pwrite(fd_, who.data(), who.size(), 0);
      return;
    }
    ::close(fd_);
    fd_ = -1;
  }
  throw JournalError(
      fmt::format("{}: the lock file keeps changing; is another innosim starting?", path_.string()));
}

// The lock file is removed whenever its holder lets go (a finished, failed or stopped command
// leaves no .lock behind); a process that opened the old file in the meantime notices that the
// path no longer names it and takes a fresh one (the inode check in the constructor).
LockFile::~LockFile() {
  if (fd_ < 0) return;
  (void)::unlink(path_.c_str());
  ::close(fd_);
}

}  // namespace innosim::tools
