// The journal's two kinds of access (tools/sweep/journal.hpp): the journal a process appends to
// cuts off a torn tail; another process's journal, read as it stands while its writer may be
// appending, counts only whole records and changes nothing on disk.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tools/sweep/journal.hpp"

using innosim::tools::Journal;
using innosim::tools::JournalError;
using innosim::tools::JournalHeader;
using innosim::tools::RunRecord;

namespace {

struct TempJournal {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("innosim-journal-test-" + std::to_string(::getpid()) + ".journal");
  TempJournal() { std::filesystem::remove(path); }
  ~TempJournal() { std::filesystem::remove(path); }
};

const JournalHeader kHeader{"0123456789abcdef", 1, 3, 2};

void append_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::app) << bytes;
}

}  // namespace

TEST_CASE("a journal read as it stands sees whole records and leaves a torn tail alone") {
  const TempJournal tmp;
  {
    Journal j(tmp.path, kHeader);
    j.append(RunRecord{7, {1.5, 2.5}, {}});
    j.append(RunRecord{9, {3.5, 4.5}, {}});
  }
  const auto whole = std::filesystem::file_size(tmp.path);
  // The first 30 bytes of a record of 100 payload bytes: an append in progress, or one killed
  // midway (marker "RUN1", payload size, then part of the run number).
  std::string torn = "RUN1";
  torn += std::string{'\x64', '\0', '\0', '\0'};
  torn += std::string(22, '\0');
  append_bytes(tmp.path, torn);
  {
    const Journal reader(tmp.path, kHeader, Journal::Access::kRead);
    CHECK(reader.done() == std::vector<std::uint64_t>{7, 9});
    CHECK(reader.read(9).values == std::vector<double>{3.5, 4.5});
    CHECK(std::filesystem::file_size(tmp.path) == whole + 30);  // not cut
  }
  Journal writer(tmp.path, kHeader);  // the writer, reopened, cuts the torn tail
  CHECK(writer.torn_bytes() == 30);
  CHECK(std::filesystem::file_size(tmp.path) == whole);
}

TEST_CASE(
    "a last record that fails its checksum is damage to its writer but an unfinished append to a reader") {
  const TempJournal tmp;
  {
    Journal j(tmp.path, kHeader);
    j.append(RunRecord{1, {1, 2}, {}});
    j.append(RunRecord{2, {3, 4}, {}});
  }
  // Flip a byte of the last record's values: whole in size, wrong in content.
  const auto size = std::filesystem::file_size(tmp.path);
  {
    std::fstream f(tmp.path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekp(static_cast<std::streamoff>(size - 10));
    f.put('\x5a');
  }
  const Journal reader(tmp.path, kHeader, Journal::Access::kRead);
  CHECK(reader.done() == std::vector<std::uint64_t>{1});
  CHECK_THROWS_AS(Journal(tmp.path, kHeader), JournalError);
}

TEST_CASE("a reader stops at a zero-filled tail that its writer has not filled yet") {
  const TempJournal tmp;
  {
    Journal j(tmp.path, kHeader);
    j.append(RunRecord{4, {1, 2}, {}});
  }
  // A file system that shows a growing file's new size before its bytes shows zeros.
  append_bytes(tmp.path, std::string(200, '\0'));
  const Journal reader(tmp.path, kHeader, Journal::Access::kRead);
  CHECK(reader.done() == std::vector<std::uint64_t>{4});
  CHECK_THROWS_AS(Journal(tmp.path, kHeader), JournalError);  // the writer calls it damage
}

TEST_CASE("a journal opened to read refuses appends and another calibration's header") {
  const TempJournal tmp;
  { Journal j(tmp.path, kHeader); }
  Journal reader(tmp.path, kHeader, Journal::Access::kRead);
  CHECK_THROWS_AS(reader.append(RunRecord{1, {1, 2}, {}}), JournalError);
  JournalHeader other = kHeader;
  other.fingerprint = "fedcba9876543210";
  CHECK_THROWS_AS(Journal(tmp.path, other, Journal::Access::kRead), JournalError);
}
