// `innosim export`: a result file's summary tables as CSV for spreadsheets (see export.hpp).
#include "tools/report/export.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include "output/hdf5.hpp"
#include "output/result_file.hpp"
#include "sim/stats.hpp"

namespace innosim::tools {

namespace {

using output::h5::H5Error;
using output::h5::H5ReadError;
using output::h5::Reader;

// RFC 4180: fields with the separator, quotes or line breaks are quoted, quotes doubled.
std::string field(const std::string& text, char separator) {
  if (text.find_first_of(std::string{separator, '"', '\n', '\r'}) == std::string::npos) return text;
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string number(double v, bool decimal_comma) {
  if (!std::isfinite(v)) return "";
  std::string text = fmt::format("{:.10g}", v);
  if (decimal_comma) std::replace(text.begin(), text.end(), '.', ',');
  return text;
}

class CsvFile {
 public:
  CsvFile(std::filesystem::path path, char separator)
      : final_(std::move(path)),
        temp_(final_.string() + fmt::format(".tmp-{}", ::getpid())),
        sep_(separator) {
    out_.open(temp_, std::ios::binary);
    if (!out_) throw std::runtime_error(fmt::format("cannot write {}", temp_.string()));
  }
  CsvFile(const CsvFile&) = delete;
  CsvFile& operator=(const CsvFile&) = delete;
  ~CsvFile() {
    if (!done_) {
      out_.close();
      std::error_code ec;
      std::filesystem::remove(temp_, ec);
    }
  }
  void row(const std::vector<std::string>& fields) {
    for (std::size_t k = 0; k < fields.size(); ++k) {
      if (k > 0) out_ << sep_;
      out_ << field(fields[k], sep_);
    }
    out_ << "\r\n";
  }
  void commit() {
    out_.close();
    if (!out_) throw std::runtime_error(fmt::format("cannot write {}", temp_.string()));
    std::error_code ec;
    std::filesystem::rename(temp_, final_, ec);
    if (ec) throw std::runtime_error(fmt::format("cannot rename {} to {}", temp_.string(), final_.string()));
    done_ = true;
  }

 private:
  std::filesystem::path final_, temp_;
  char sep_;
  std::ofstream out_;
  bool done_ = false;
};

// A table group (a group of equally long columns) as a CSV file.
void export_table(const Reader& r, const std::string& group, const std::filesystem::path& path,
                  char separator, bool decimal_comma) {
  const auto columns = r.text_list_attribute(group, "columns");
  std::vector<std::vector<std::string>> values;
  std::size_t rows = 0;
  for (const auto& c : columns) {
    const std::string dataset = group + "/" + c;
    std::vector<std::string> column;
    // Numbers where the column is numeric, text otherwise.
    try {
      for (const double v : r.numbers(dataset)) column.push_back(number(v, decimal_comma));
    } catch (const H5Error&) {
      column = r.texts(dataset);
    }
    rows = std::max(rows, column.size());
    values.push_back(std::move(column));
  }
  CsvFile out(path, separator);
  out.row(columns);
  for (std::size_t i = 0; i < rows; ++i) {
    std::vector<std::string> row;
    for (const auto& column : values) row.push_back(i < column.size() ? column[i] : "");
    out.row(row);
  }
  out.commit();
}

}  // namespace

namespace {
std::vector<std::filesystem::path> export_sweep(const Reader& r, const std::filesystem::path& dir,
                                                char separator, bool decimal_comma);
std::vector<std::filesystem::path> export_runs(const Reader& r, const std::filesystem::path& dir,
                                               char separator, bool decimal_comma);
}  // namespace

std::vector<std::filesystem::path> export_csv(const std::filesystem::path& result,
                                              const std::filesystem::path& dir, bool decimal_comma) {
  const char separator = decimal_comma ? ';' : ',';
  const Reader r(result);
  output::check_result_format(r);
  std::error_code ec;
  // A directory this export creates is removed again when the export fails.
  const bool created = !std::filesystem::exists(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (!std::filesystem::is_directory(dir)) {
    throw std::runtime_error(fmt::format("cannot create the directory {}", dir.string()));
  }
  try {
    return r.text_attribute("/", "kind").starts_with("sweep") ? export_sweep(r, dir, separator, decimal_comma)
                                                              : export_runs(r, dir, separator, decimal_comma);
  } catch (...) {
    if (created) std::filesystem::remove_all(dir, ec);
    throw;
  }
}

namespace {

// A sweep's points: each point's factor values and every indicator's mean over its replicates.
std::vector<std::filesystem::path> export_sweep(const Reader& r, const std::filesystem::path& dir,
                                                char separator, bool decimal_comma) {
  auto num = [&](double v) { return number(v, decimal_comma); };
  const auto keys = r.texts("/sweep/factors/key");
  const auto indicators = r.texts("/indicators/name");
  std::vector<hsize_t> dims, value_dims;
  const auto mean = r.numbers("/points/mean", &dims);
  const auto values = r.numbers("/sweep/values", &value_dims);
  const std::size_t points = dims.size() == 2 ? dims[0] : 0, width = dims.size() == 2 ? dims[1] : 0;
  if (width != indicators.size() || values.size() != points * keys.size()) {
    throw H5ReadError(
        fmt::format("{}: /points/mean, /sweep/values and the indicators do not agree in size; the "
                    "file is damaged",
                    r.name()));
  }
  const auto path = dir / "points.csv";
  CsvFile out(path, separator);
  std::vector<std::string> header = {"point"};
  header.insert(header.end(), keys.begin(), keys.end());
  header.insert(header.end(), indicators.begin(), indicators.end());
  out.row(header);
  for (std::size_t p = 0; p < points; ++p) {
    std::vector<std::string> row = {std::to_string(p)};
    for (std::size_t k = 0; k < keys.size(); ++k) row.push_back(num(values[p * keys.size() + k]));
    for (std::size_t i = 0; i < width; ++i) row.push_back(num(mean[p * width + i]));
    out.row(row);
  }
  out.commit();
  return {path};
}

std::vector<std::filesystem::path> export_runs(const Reader& r, const std::filesystem::path& dir,
                                               char separator, bool decimal_comma) {
  auto num = [&](double v) { return number(v, decimal_comma); };
  std::vector<std::filesystem::path> written;
  const std::vector<std::string> names = r.has_attribute("/scenarios", "order")
                                             ? r.text_list_attribute("/scenarios", "order")
                                             : r.members("/scenarios");

  // Every indicator's total (flows) or end value (stocks) per scenario: mean and 95 % interval.
  {
    const auto path = dir / "summary.csv";
    CsvFile out(path, separator);
    out.row({"scenario", "indicator", "unit", "aggregation", "replicates", "mean", "low_95", "high_95", "sd",
             "description"});
    for (const auto& name : names) {
      const std::string g = "/scenarios/" + name;
      const auto indicators = r.texts(g + "/indicators/name");
      const auto units = r.texts(g + "/indicators/unit");
      const auto aggregation = r.texts(g + "/indicators/aggregation");
      const auto descriptions = r.texts(g + "/indicators/description");
      std::vector<hsize_t> dims;
      const auto totals = r.numbers(g + "/totals", &dims);
      const std::size_t reps = dims.empty() ? 0 : dims[0], width = indicators.size();
      for (std::size_t i = 0; i < width; ++i) {
        sim::RunningStats s;
        for (std::size_t rep = 0; rep < reps; ++rep) s.add(totals[rep * width + i]);
        const auto ci = sim::mean_interval(s);
        out.row({name, indicators[i], units[i], aggregation[i], std::to_string(reps), num(s.mean()),
                 num(ci.low), num(ci.high), num(s.sd()), descriptions[i]});
      }
    }
    out.commit();
    written.push_back(path);
  }
  // Year by year, every indicator: mean and 95 % interval.
  {
    const auto path = dir / "yearly.csv";
    CsvFile out(path, separator);
    out.row({"scenario", "year", "indicator", "unit", "mean", "low_95", "high_95"});
    for (const auto& name : names) {
      const std::string g = "/scenarios/" + name;
      const auto indicators = r.texts(g + "/indicators/name");
      const auto units = r.texts(g + "/indicators/unit");
      std::vector<hsize_t> dims;
      const auto yearly = r.numbers(g + "/yearly", &dims);
      if (dims.size() != 3) continue;
      const std::size_t reps = dims[0], years = dims[1], width = dims[2];
      for (std::size_t y = 0; y < years; ++y) {
        for (std::size_t i = 0; i < width; ++i) {
          sim::RunningStats s;
          for (std::size_t rep = 0; rep < reps; ++rep) s.add(yearly[(rep * years + y) * width + i]);
          const auto ci = sim::mean_interval(s);
          out.row({name, std::to_string(y + 1), indicators[i], units[i], num(s.mean()), num(ci.low),
                   num(ci.high)});
        }
      }
    }
    out.commit();
    written.push_back(path);
  }
  // The comparison's tables and the world, as they are.
  if (r.exists("/comparison")) {
    for (const auto& t : r.members("/comparison")) {
      const auto path = dir / fmt::format("comparison_{}.csv", t);
      export_table(r, "/comparison/" + t, path, separator, decimal_comma);
      written.push_back(path);
    }
  }
  for (const auto& t : r.members("/world")) {
    const auto path = dir / fmt::format("world_{}.csv", t);
    export_table(r, "/world/" + t, path, separator, decimal_comma);
    written.push_back(path);
  }
  return written;
}

}  // namespace

}  // namespace innosim::tools
