// The RAII layer over the HDF5 C API (see hdf5.hpp).
#include "output/hdf5.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <system_error>
#include <utility>

namespace innosim::output::h5 {
namespace {

// HDF5 prints its own error stack to stderr unless told not to; we report through exceptions.
// The innermost message of the library's error stack, to append to ours.
std::string library_message() {
  std::string message;
  H5Ewalk2(
      H5E_DEFAULT, H5E_WALK_DOWNWARD,
      [](unsigned n, const H5E_error2_t* e, void* data) -> herr_t {
        if (n == 0 && e->desc != nullptr) *static_cast<std::string*>(data) = e->desc;
        return 0;
      },
      &message);
  H5Eclear2(H5E_DEFAULT);
  return message;
}

// HDF5's automatic error printing is per thread in a thread-safe library: result files are
// appended from whichever thread finishes a replicate, so every thread turns it off.
void silence() {
  thread_local const bool once = [] {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    return true;
  }();
  static_cast<void>(once);
}

[[noreturn]] void fail(const std::string& what) {
  const std::string detail = library_message();
  throw H5Error(detail.empty() ? what : fmt::format("{} ({})", what, detail));
}

// What the Reader throws: a file the user gave is unreadable, damaged or not what it claims.
[[noreturn]] void read_fail(const std::string& what) {
  const std::string detail = library_message();
  throw H5ReadError(detail.empty() ? what : fmt::format("{} ({})", what, detail));
}

hid_t read_check(hid_t id, const std::string& what) {
  if (id < 0) read_fail(what);
  return id;
}

void read_check(herr_t status, const std::string& what, int /*tag*/) {
  if (status < 0) read_fail(what);
}

hid_t check(hid_t id, const std::string& what) {
  if (id < 0) fail(what);
  return id;
}

void check(herr_t status, const std::string& what, int /*tag*/) {
  if (status < 0) fail(what);
}

Id string_type() {
  Id t(check(H5Tcopy(H5T_C_S1), "cannot make a string type"));
  check(H5Tset_size(t.get(), H5T_VARIABLE), "cannot make a string type", 0);
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "cannot make a string type", 0);
  return t;
}

// Object creation properties without modification times, so that files are byte-stable.
Id untimed(hid_t cls) {
  Id p(check(H5Pcreate(cls), "cannot make a property list"));
  check(H5Pset_obj_track_times(p.get(), 0), "cannot switch off object times", 0);
  return p;
}

void add_text_attributes(hid_t object, std::string_view unit, std::string_view description, const Group& g,
                         std::string_view name);

}  // namespace

Id& Id::operator=(Id&& o) noexcept {
  if (this != &o) {
    reset();
    id_ = o.id_;
    o.id_ = H5I_INVALID_HID;
  }
  return *this;
}

void Id::reset() noexcept {
  if (id_ < 0) return;
  if (H5Iis_valid(id_) > 0) {
    switch (H5Iget_type(id_)) {
      case H5I_FILE:
        H5Fclose(id_);
        break;
      case H5I_GROUP:
        H5Gclose(id_);
        break;
      case H5I_DATASET:
        H5Dclose(id_);
        break;
      case H5I_DATASPACE:
        H5Sclose(id_);
        break;
      case H5I_DATATYPE:
        H5Tclose(id_);
        break;
      case H5I_ATTR:
        H5Aclose(id_);
        break;
      case H5I_GENPROP_LST:
        H5Pclose(id_);
        break;
      default:
        break;
    }
  }
  id_ = H5I_INVALID_HID;
}

// ---------------------------------------------------------------------------------------------

std::string Group::where(std::string_view name) const {
  return fmt::format("{}:{}{}", file_, path_ == "/" ? "/" : path_ + "/", name);
}

void Group::remove(std::string_view name) const {
  silence();
  const std::string n(name);
  if (H5Lexists(id_.get(), n.c_str(), H5P_DEFAULT) > 0) {
    check(H5Ldelete(id_.get(), n.c_str(), H5P_DEFAULT), "cannot remove " + where(name), 0);
  }
}

Group Group::group(std::string_view name) const {
  silence();
  const Id gcpl = untimed(H5P_GROUP_CREATE);
  const std::string n(name);
  if (H5Lexists(id_.get(), n.c_str(), H5P_DEFAULT) > 0) {
    Id g(check(H5Gopen2(id_.get(), n.c_str(), H5P_DEFAULT), "cannot open group " + where(name)));
    return Group(std::move(g), path_ == "/" ? "/" + n : path_ + "/" + n, file_);
  }
  Id g(check(H5Gcreate2(id_.get(), n.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
             "cannot create group " + where(name)));
  return Group(std::move(g), path_ == "/" ? "/" + n : path_ + "/" + n, file_);
}

void Group::attribute(std::string_view name, std::string_view value) const {
  silence();
  const Id type = string_type();
  const Id space(check(H5Screate(H5S_SCALAR), "cannot make a dataspace"));
  const std::string n(name), v(value);
  const Id a(check(H5Acreate2(id_.get(), n.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   "cannot create attribute " + n + " of " + where("")));
  const char* p = v.c_str();
  check(H5Awrite(a.get(), type.get(), static_cast<const void*>(&p)), "cannot write attribute " + n, 0);
}

void Group::attribute(std::string_view name, double value) const {
  silence();
  const Id space(check(H5Screate(H5S_SCALAR), "cannot make a dataspace"));
  const std::string n(name);
  const Id a(check(H5Acreate2(id_.get(), n.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   "cannot create attribute " + n + " of " + where("")));
  check(H5Awrite(a.get(), H5T_NATIVE_DOUBLE, &value), "cannot write attribute " + n, 0);
}

void Group::attribute(std::string_view name, std::int64_t value) const {
  silence();
  const Id space(check(H5Screate(H5S_SCALAR), "cannot make a dataspace"));
  const std::string n(name);
  const Id a(check(H5Acreate2(id_.get(), n.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   "cannot create attribute " + n + " of " + where("")));
  check(H5Awrite(a.get(), H5T_NATIVE_INT64, &value), "cannot write attribute " + n, 0);
}

void Group::attribute(std::string_view name, std::uint64_t value) const {
  silence();
  const Id space(check(H5Screate(H5S_SCALAR), "cannot make a dataspace"));
  const std::string n(name);
  const Id a(check(H5Acreate2(id_.get(), n.c_str(), H5T_STD_U64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   "cannot create attribute " + n + " of " + where("")));
  check(H5Awrite(a.get(), H5T_NATIVE_UINT64, &value), "cannot write attribute " + n, 0);
}

void Group::attribute(std::string_view name, const std::vector<std::string>& values) const {
  silence();
  const Id type = string_type();
  const hsize_t n_values = values.size();
  const Id space(check(H5Screate_simple(1, &n_values, nullptr), "cannot make a dataspace"));
  const std::string n(name);
  const Id a(check(H5Acreate2(id_.get(), n.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                   "cannot create attribute " + n + " of " + where("")));
  std::vector<const char*> p;
  p.reserve(values.size());
  for (const auto& v : values) p.push_back(v.c_str());
  if (!p.empty()) check(H5Awrite(a.get(), type.get(), p.data()), "cannot write attribute " + n, 0);
}

namespace {

void add_text_attributes(hid_t object, std::string_view unit, std::string_view description, const Group& g,
                         std::string_view name) {
  const Id type = string_type();
  const Id space(check(H5Screate(H5S_SCALAR), "cannot make a dataspace"));
  auto put = [&](const char* key, std::string_view text) {
    if (text.empty()) return;
    const std::string v(text);
    const Id a(check(H5Acreate2(object, key, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                     fmt::format("cannot create attribute {} of {}{}", key, g.path(), name)));
    const char* p = v.c_str();
    check(H5Awrite(a.get(), type.get(), static_cast<const void*>(&p)), "cannot write attribute", 0);
  };
  put("unit", unit);
  put("description", description);
}

// Chunks of about 64 KiB along the first dimension, compressed (shuffle + deflate 1), for
// datasets of at least 1024 values; smaller ones are stored contiguously. Deflate level 1 rather
// than 6: on a 40-replicate Norway baseline the file is 10 % larger (5.5 instead of 5.0 MB) and
// the run takes 15 % less CPU time (docs/performance.md).
Id numeric_dcpl(const std::vector<hsize_t>& dims, std::size_t value_size) {
  Id dcpl = untimed(H5P_DATASET_CREATE);
  hsize_t count = 1;
  for (const auto d : dims) count *= d;
  if (count < 1024 || dims.empty()) return dcpl;
  std::vector<hsize_t> chunk = dims;
  hsize_t inner = 1;
  for (std::size_t k = 1; k < dims.size(); ++k) inner *= dims[k];
  const hsize_t target_rows =
      std::max<hsize_t>(1, (hsize_t{64} * 1024 / value_size) / std::max<hsize_t>(1, inner));
  chunk[0] = std::min(dims[0], target_rows);
  check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "cannot set chunks", 0);
  check(H5Pset_shuffle(dcpl.get()), "cannot set the shuffle filter", 0);
  check(H5Pset_deflate(dcpl.get(), 1), "cannot set compression", 0);
  return dcpl;
}

}  // namespace

void Group::write_numeric(std::string_view name, const void* data, std::size_t count,
                          std::vector<hsize_t> dims, hid_t filetype, hid_t memtype, std::string_view unit,
                          std::string_view description) const {
  silence();
  hsize_t expected = 1;
  for (const auto d : dims) expected *= d;
  if (expected != count) {
    throw H5Error(
        fmt::format("{}: {} values do not fill dimensions of {} values", where(name), count, expected));
  }
  const Id space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr),
                       "cannot make a dataspace for " + where(name)));
  const Id dcpl = numeric_dcpl(dims, 8);
  const std::string n(name);
  const Id d(
      check(H5Dcreate2(id_.get(), n.c_str(), filetype, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
            "cannot create dataset " + where(name)));
  if (count > 0)
    check(H5Dwrite(d.get(), memtype, H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "cannot write " + where(name), 0);
  add_text_attributes(d.get(), unit, description, *this, name);
}

void Group::write(std::string_view name, std::span<const double> values, std::vector<hsize_t> dims,
                  std::string_view unit, std::string_view description) const {
  silence();
  write_numeric(name, values.data(), values.size(), std::move(dims), H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, unit,
                description);
}

void Group::write(std::string_view name, std::span<const std::int64_t> values, std::vector<hsize_t> dims,
                  std::string_view unit, std::string_view description) const {
  silence();
  write_numeric(name, values.data(), values.size(), std::move(dims), H5T_STD_I64LE, H5T_NATIVE_INT64, unit,
                description);
}

void Group::write(std::string_view name, const std::vector<std::string>& values, std::string_view unit,
                  std::string_view description) const {
  silence();
  const Id type = string_type();
  const hsize_t n_values = values.size();
  const Id space(
      check(H5Screate_simple(1, &n_values, nullptr), "cannot make a dataspace for " + where(name)));
  const Id dcpl = untimed(H5P_DATASET_CREATE);
  const std::string n(name);
  const Id d(
      check(H5Dcreate2(id_.get(), n.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
            "cannot create dataset " + where(name)));
  std::vector<const char*> p;
  p.reserve(values.size());
  for (const auto& v : values) p.push_back(v.c_str());
  if (!p.empty())
    check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()),
          "cannot write " + where(name), 0);
  add_text_attributes(d.get(), unit, description, *this, name);
}

void Group::write_text(std::string_view name, std::string_view text, std::string_view description) const {
  silence();
  const Id type = string_type();
  const Id space(check(H5Screate(H5S_SCALAR), "cannot make a dataspace for " + where(name)));
  const Id dcpl = untimed(H5P_DATASET_CREATE);
  const std::string n(name), v(text);
  const Id d(
      check(H5Dcreate2(id_.get(), n.c_str(), type.get(), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
            "cannot create dataset " + where(name)));
  const char* p = v.c_str();
  check(H5Dwrite(d.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, static_cast<const void*>(&p)),
        "cannot write " + where(name), 0);
  add_text_attributes(d.get(), {}, description, *this, name);
}

void Group::write(const sim::Table& table) const {
  silence();
  const Group g = group(table.name);
  if (!table.description.empty()) g.attribute("description", table.description);
  std::vector<std::string> names;
  const std::size_t rows = table.rows();
  for (const sim::Column& c : table.columns) {
    if (c.size() != rows) {
      throw H5Error(
          fmt::format("{}: column {} has {} rows, the table {}", where(table.name), c.name, c.size(), rows));
    }
    names.push_back(c.name);
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::vector<std::string>>) {
            g.write(c.name, v, c.unit, c.description);
          } else {
            g.write(c.name, std::span(v.data(), v.size()), {static_cast<hsize_t>(v.size())}, c.unit,
                    c.description);
          }
        },
        c.values);
  }
  g.attribute("columns", names);
  g.attribute("rows", static_cast<std::int64_t>(rows));
}

Appendable Group::appendable(std::string_view name, std::vector<hsize_t> inner, bool integer,
                             hsize_t chunk_rows, std::string_view unit, std::string_view description) const {
  silence();
  std::vector<hsize_t> dims{0}, max{H5S_UNLIMITED}, chunk{std::max<hsize_t>(1, chunk_rows)};
  for (const auto d : inner) {
    dims.push_back(d);
    max.push_back(d);
    chunk.push_back(std::max<hsize_t>(1, d));
  }
  const Id space(check(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), max.data()),
                       "cannot make a dataspace for " + where(name)));
  Id dcpl = untimed(H5P_DATASET_CREATE);
  check(H5Pset_chunk(dcpl.get(), static_cast<int>(chunk.size()), chunk.data()), "cannot set chunks", 0);
  check(H5Pset_shuffle(dcpl.get()), "cannot set the shuffle filter", 0);
  check(H5Pset_deflate(dcpl.get(), 1), "cannot set compression", 0);
  const std::string n(name);
  Appendable a;
  a.dataset_ = Id(check(H5Dcreate2(id_.get(), n.c_str(), integer ? H5T_STD_I64LE : H5T_IEEE_F64LE,
                                   space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                        "cannot create dataset " + where(name)));
  a.inner_ = std::move(inner);
  a.where_ = where(name);
  add_text_attributes(a.dataset_.get(), unit, description, *this, name);
  return a;
}

void Appendable::append(std::span<const double> values) {
  append_raw(values.data(), values.size(), H5T_NATIVE_DOUBLE);
}

void Appendable::append(std::span<const std::int64_t> values) {
  append_raw(values.data(), values.size(), H5T_NATIVE_INT64);
}

void Appendable::append_raw(const void* data, std::size_t count, hid_t memtype) {
  silence();
  hsize_t per_row = 1;
  for (const auto d : inner_) per_row *= d;
  if (per_row == 0 || count % per_row != 0) {
    throw H5Error(fmt::format("{}: {} values are not whole rows of {}", where_, count, per_row));
  }
  const hsize_t new_rows = count / per_row;
  if (new_rows == 0) return;
  std::vector<hsize_t> size{rows_ + new_rows}, start{rows_}, extent{new_rows};
  for (const auto d : inner_) {
    size.push_back(d);
    start.push_back(0);
    extent.push_back(d);
  }
  check(H5Dset_extent(dataset_.get(), size.data()), "cannot extend " + where_, 0);
  const Id file_space(check(H5Dget_space(dataset_.get()), "cannot get the dataspace of " + where_));
  check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, extent.data(), nullptr),
        "cannot select rows of " + where_, 0);
  const Id mem_space(check(H5Screate_simple(static_cast<int>(extent.size()), extent.data(), nullptr),
                           "cannot make a dataspace for " + where_));
  check(H5Dwrite(dataset_.get(), memtype, mem_space.get(), file_space.get(), H5P_DEFAULT, data),
        "cannot write " + where_, 0);
  rows_ += new_rows;
}

// ---------------------------------------------------------------------------------------------

namespace {

// "<name>.tmp-<pid>" files of processes that no longer run (killed while writing) are removed
// before a new one is written under the same name.
void remove_stale_temporaries(const std::filesystem::path& final_path) {
  std::error_code ec;
  const std::filesystem::path dir = final_path.has_parent_path() ? final_path.parent_path() : ".";
  const std::string prefix = final_path.filename().string() + ".tmp-";
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.empty() || digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    const auto pid = static_cast<pid_t>(std::stol(digits));
    if (pid != ::getpid() && ::kill(pid, 0) != 0 && errno == ESRCH) {
      std::error_code ignored;
      std::filesystem::remove(it->path(), ignored);
    }
  }
}

}  // namespace

File::File(std::filesystem::path final_path, Mode mode) : final_(std::move(final_path)) {
  silence();
  remove_stale_temporaries(final_);
  temp_ = final_;
  temp_ += fmt::format(".tmp-{}", ::getpid());
  Id fapl(check(H5Pcreate(H5P_FILE_ACCESS), "cannot make a property list"));
  // Closing the file closes every object still open in it, so commit() can rename at once.
  check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "cannot set the close degree", 0);
  if (mode == Mode::kModify) {
    // Changes go to a copy, renamed over the original by commit().
    std::error_code ec;
    std::filesystem::copy_file(final_, temp_, std::filesystem::copy_options::overwrite_existing, ec);
    if (ec) {
      // A copy cut short (a full disk) must not stay behind.
      std::error_code ignored;
      std::filesystem::remove(temp_, ignored);
      throw H5Error(fmt::format("cannot write {}: copying it to {} failed: {}", final_.string(),
                                temp_.string(), ec.message()));
    }
    const hid_t f = H5Fopen(temp_.c_str(), H5F_ACC_RDWR, fapl.get());
    if (f < 0) {
      library_message();
      std::filesystem::remove(temp_, ec);
      throw H5Error(fmt::format("cannot open {} for writing", final_.string()));
    }
    file_ = Id(f);
    root_ =
        Group(Id(check(H5Gopen2(f, "/", H5P_DEFAULT), "cannot open the root group")), "/", final_.string());
    return;
  }
  const hid_t f = H5Fcreate(temp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (f < 0) {
    library_message();
    throw H5Error(
        fmt::format("cannot create {} (writing {} through it): check that the directory exists and is "
                    "writable",
                    temp_.string(), final_.string()));
  }
  file_ = Id(f);
  root_ = Group(Id(check(H5Gopen2(f, "/", H5P_DEFAULT), "cannot open the root group")), "/", final_.string());
}

File::~File() {
  if (committed_) return;
  root_ = Group();
  file_.reset();
  std::error_code ec;
  std::filesystem::remove(temp_, ec);
}

void File::commit() {
  silence();
  if (committed_) return;
  check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), "cannot flush " + temp_.string(), 0);
  root_ = Group();
  file_.reset();
  // The bytes reach the disk before the name does.
  const int fd = ::open(temp_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::error_code ec;
  std::filesystem::rename(temp_, final_, ec);
  if (ec) {
    std::filesystem::remove(temp_, ec);
    throw H5Error(fmt::format("cannot rename {} to {}: {}", temp_.string(), final_.string(), ec.message()));
  }
  committed_ = true;
}

// ---------------------------------------------------------------------------------------------

Reader::Reader(const std::filesystem::path& path) : name_(path.string()) {
  silence();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw H5ReadError(fmt::format("{}: no such file", name_));
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    library_message();
    throw H5ReadError(fmt::format("{}: not an HDF5 file", name_));
  }
  const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0) read_fail(fmt::format("cannot open {}", name_));
  file_ = Id(f);
}

std::string Reader::where(std::string_view object) const {
  return fmt::format("{}:{}", name_, object);
}

bool Reader::exists(std::string_view path) const {
  // Every link on the way must exist for H5Lexists not to fail.
  std::string sofar;
  std::size_t at = 0;
  while (at < path.size()) {
    const std::size_t next = path.find('/', at + 1);
    sofar = std::string(path.substr(0, next == std::string_view::npos ? path.size() : next));
    if (sofar != "/" && H5Lexists(file_.get(), sofar.c_str(), H5P_DEFAULT) <= 0) {
      H5Eclear2(H5E_DEFAULT);
      return false;
    }
    if (next == std::string_view::npos) break;
    at = next;
  }
  return true;
}

std::vector<std::string> Reader::members(std::string_view group) const {
  const std::string g(group);
  const Id id(read_check(H5Gopen2(file_.get(), g.c_str(), H5P_DEFAULT), "cannot open group " + where(group)));
  std::vector<std::string> names;
  H5Literate(
      id.get(), H5_INDEX_NAME, H5_ITER_INC, nullptr,
      [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
        static_cast<std::vector<std::string>*>(data)->emplace_back(name);
        return 0;
      },
      &names);
  return names;
}

bool Reader::has_attribute(std::string_view object, std::string_view name) const {
  const std::string o(object), n(name);
  const htri_t r = H5Aexists_by_name(file_.get(), o.c_str(), n.c_str(), H5P_DEFAULT);
  if (r < 0) H5Eclear2(H5E_DEFAULT);
  return r > 0;
}

std::string Reader::text_attribute(std::string_view object, std::string_view name) const {
  const std::string o(object), n(name);
  const Id a(read_check(H5Aopen_by_name(file_.get(), o.c_str(), n.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                        fmt::format("no attribute {} on {}", name, where(object))));
  const Id type = string_type();
  char* p = nullptr;
  read_check(H5Aread(a.get(), type.get(), static_cast<void*>(&p)),
             fmt::format("cannot read attribute {} of {}", name, where(object)), 0);
  std::string value = p != nullptr ? p : "";
  if (p != nullptr) H5free_memory(p);
  return value;
}

std::vector<std::string> Reader::text_list_attribute(std::string_view object, std::string_view name) const {
  const std::string o(object), n(name);
  const Id a(read_check(H5Aopen_by_name(file_.get(), o.c_str(), n.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                        fmt::format("no attribute {} on {}", name, where(object))));
  const Id space(read_check(H5Aget_space(a.get()), "cannot get the dataspace of attribute " + n));
  const hssize_t count = H5Sget_simple_extent_npoints(space.get());
  std::vector<char*> p(static_cast<std::size_t>(std::max<hssize_t>(0, count)), nullptr);
  const Id type = string_type();
  if (!p.empty()) {
    read_check(H5Aread(a.get(), type.get(), p.data()),
               fmt::format("cannot read attribute {} of {}", name, where(object)), 0);
  }
  std::vector<std::string> out;
  for (char* c : p) {
    out.emplace_back(c != nullptr ? c : "");
    if (c != nullptr) H5free_memory(c);
  }
  return out;
}

double Reader::number_attribute(std::string_view object, std::string_view name) const {
  const std::string o(object), n(name);
  const Id a(read_check(H5Aopen_by_name(file_.get(), o.c_str(), n.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                        fmt::format("no attribute {} on {}", name, where(object))));
  double value = 0;
  read_check(H5Aread(a.get(), H5T_NATIVE_DOUBLE, &value),
             fmt::format("cannot read attribute {} of {}", name, where(object)), 0);
  return value;
}

std::uint64_t Reader::unsigned_attribute(std::string_view object, std::string_view name) const {
  const std::string o(object), n(name);
  const Id a(read_check(H5Aopen_by_name(file_.get(), o.c_str(), n.c_str(), H5P_DEFAULT, H5P_DEFAULT),
                        fmt::format("no attribute {} on {}", name, where(object))));
  const Id type(
      read_check(H5Aget_type(a.get()), fmt::format("cannot read attribute {} of {}", name, where(object))));
  if (H5Tget_class(type.get()) != H5T_INTEGER) {
    throw H5ReadError(fmt::format("attribute {} of {} is not a whole number", name, where(object)));
  }
  std::uint64_t value = 0;
  if (H5Tget_sign(type.get()) == H5T_SGN_2) {
    std::int64_t signed_value = 0;
    read_check(H5Aread(a.get(), H5T_NATIVE_INT64, &signed_value),
               fmt::format("cannot read attribute {} of {}", name, where(object)), 0);
    // Files of earlier versions stored seeds as signed integers: the same 64 bits.
    value = static_cast<std::uint64_t>(signed_value);
  } else {
    read_check(H5Aread(a.get(), H5T_NATIVE_UINT64, &value),
               fmt::format("cannot read attribute {} of {}", name, where(object)), 0);
  }
  return value;
}

std::vector<double> Reader::numbers(std::string_view dataset, std::vector<hsize_t>* dims) const {
  const std::string d(dataset);
  const Id id(read_check(H5Dopen2(file_.get(), d.c_str(), H5P_DEFAULT), "no dataset " + where(dataset)));
  const Id space(read_check(H5Dget_space(id.get()), "cannot get the dataspace of " + where(dataset)));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> extent(static_cast<std::size_t>(std::max(0, rank)));
  if (rank > 0) H5Sget_simple_extent_dims(space.get(), extent.data(), nullptr);
  hsize_t n = 1;
  for (const auto e : extent) n *= e;
  std::vector<double> values(n);
  if (n > 0) {
    read_check(H5Dread(id.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()),
               "cannot read " + where(dataset) + " as numbers", 0);
  }
  if (dims != nullptr) *dims = std::move(extent);
  return values;
}

std::vector<double> Reader::rows(std::string_view dataset, std::uint64_t first, std::uint64_t count,
                                 std::vector<hsize_t>* dims) const {
  const std::string d(dataset);
  const Id id(read_check(H5Dopen2(file_.get(), d.c_str(), H5P_DEFAULT), "no dataset " + where(dataset)));
  const Id space(read_check(H5Dget_space(id.get()), "cannot get the dataspace of " + where(dataset)));
  const int rank = H5Sget_simple_extent_ndims(space.get());
  if (rank < 1) throw H5ReadError("no rows in " + where(dataset));
  std::vector<hsize_t> extent(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), extent.data(), nullptr);
  if (first + count > extent[0]) {
    throw H5ReadError(fmt::format("{} has {} rows, not {}", where(dataset), extent[0], first + count));
  }
  std::vector<hsize_t> start(extent.size(), 0), size = extent;
  start[0] = first;
  size[0] = count;
  hsize_t n = 1;
  for (const auto e : size) n *= e;
  std::vector<double> values(n);
  if (n > 0) {
    read_check(H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, start.data(), nullptr, size.data(), nullptr),
               "cannot select rows of " + where(dataset), 0);
    const Id memory(read_check(H5Screate_simple(rank, size.data(), nullptr), "cannot make a dataspace"));
    read_check(H5Dread(id.get(), H5T_NATIVE_DOUBLE, memory.get(), space.get(), H5P_DEFAULT, values.data()),
               "cannot read " + where(dataset) + " as numbers", 0);
  }
  if (dims != nullptr) *dims = std::move(extent);
  return values;
}

std::vector<std::string> Reader::texts(std::string_view dataset) const {
  const std::string d(dataset);
  const Id id(read_check(H5Dopen2(file_.get(), d.c_str(), H5P_DEFAULT), "no dataset " + where(dataset)));
  const Id space(read_check(H5Dget_space(id.get()), "cannot get the dataspace of " + where(dataset)));
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  std::vector<char*> p(static_cast<std::size_t>(std::max<hssize_t>(0, n)), nullptr);
  const Id type = string_type();
  if (!p.empty()) {
    read_check(H5Dread(id.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, p.data()),
               "cannot read " + where(dataset) + " as text", 0);
  }
  std::vector<std::string> out;
  out.reserve(p.size());
  for (char* c : p) out.emplace_back(c != nullptr ? c : "");
  if (!p.empty()) H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, p.data());
  return out;
}

std::string library_version() {
  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  return fmt::format("{}.{}.{}", major, minor, release);
}

}  // namespace innosim::output::h5
