// FileBuffer: mmap(2) with a fallback to read(2) in large blocks.
#include "sim/file.hpp"

#include <fcntl.h>     // open
#include <sys/mman.h>  // mmap, madvise
#include <sys/stat.h>  // fstat
#include <unistd.h>    // read, close, sysconf

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <utility>

#include "sim/error.hpp"

namespace innosim::sim {
namespace {

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  [[nodiscard]] int get() const noexcept { return fd_; }

 private:
  int fd_;
};

std::size_t page_size() {
  static const auto size = static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
  return size;
}

}  // namespace

FileBuffer::FileBuffer(const std::string& path, std::string_view kind) {
  const bool vowel = !kind.empty() && std::string_view("aeiou").find(kind.front()) != std::string_view::npos;
  const std::string expected = std::string("; expected ") + (vowel ? "an " : "a ") + std::string(kind);
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) {
    if (S_ISDIR(info.st_mode)) throw DataError(path + ": is a directory" + expected);
    if (!S_ISREG(info.st_mode)) throw DataError(path + ": is not a regular file" + expected);
  }
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    throw DataError(path + ": cannot open the " + std::string(kind) + " (" + std::strerror(errno) + ")");
  }
  if (::fstat(fd.get(), &info) != 0 || !S_ISREG(info.st_mode)) {
    throw DataError(path + ": is not a regular file" + expected);
  }
  const auto size = static_cast<std::size_t>(info.st_size);
  if (size == 0) return;
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd.get(), 0);
  if (map != MAP_FAILED) {
    // Parsers read front to back (each thread its own part): read-ahead pays.
    ::madvise(map, size, MADV_SEQUENTIAL);
    data_ = static_cast<const char*>(map);
    size_ = size;
    mapped_ = true;
    return;
  }
  // Some file systems cannot map: read in blocks of up to 8 MiB.
  copy_.resize(size);
  std::size_t done = 0;
  while (done < size) {
    const ssize_t got = ::read(fd.get(), copy_.data() + done, std::min<std::size_t>(size - done, 8u << 20));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw DataError(path + ": read error (" + std::strerror(errno) + ")");
    if (got == 0) break;  // the file shrank while it was read
    done += static_cast<std::size_t>(got);
  }
  copy_.resize(done);
  data_ = copy_.data();
  size_ = done;
}

FileBuffer::FileBuffer(FileBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)),
      size_(std::exchange(other.size_, 0)),
      mapped_(std::exchange(other.mapped_, false)),
      copy_(std::move(other.copy_)) {
  if (!mapped_ && size_ > 0) data_ = copy_.data();
}

FileBuffer::~FileBuffer() {
  if (mapped_) ::munmap(const_cast<char*>(data_), size_);  // NOLINT(cppcoreguidelines-pro-type-const-cast)
}

void FileBuffer::release(std::size_t offset, std::size_t length) const noexcept {
  if (!mapped_ || offset >= size_) return;
  const std::size_t page = page_size();
  const auto base = reinterpret_cast<std::uintptr_t>(data_);
  // Whole pages only: the first page boundary at or after the start, the last at or before
  // the end.
  const std::uintptr_t begin = (base + offset + page - 1) / page * page;
  const std::uintptr_t end = (base + std::min(size_, offset + length)) / page * page;
  if (end > begin) {
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_DONTNEED);
  }
}

}  // namespace innosim::sim
