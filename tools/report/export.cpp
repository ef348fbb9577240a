// `innosim export`: a result file's summary tables as CSV for spreadsheets (see export.hpp).
#include "tools/report/export.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <stdexcept>

#include "output/hdf5.hpp"
#include "output/labels.hpp"
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

// How the numbers and texts of one export are written: for programs (',' between fields, '.' as
// decimal mark) or for spreadsheets set to Norwegian (--decimal-comma: ';', ',', a UTF-8 BOM so
// that Excel reads "Tromsø" as UTF-8, codes kept as text).
struct Style {
  char separator = ',';
  bool spreadsheet = false;

  [[nodiscard]] std::string decimal(std::string text) const {
    if (spreadsheet) std::replace(text.begin(), text.end(), '.', ',');
    return text;
  }
  // A number without an uncertainty: whole numbers exactly, others to six significant digits
  // (coordinates to about 10 m, shares to 1e-6), never in exponent form.
  [[nodiscard]] std::string number(double v) const {
    if (!std::isfinite(v)) return "";
    if (v == std::round(v) && std::abs(v) < 1e15) return fmt::format("{:.0f}", v == 0 ? 0.0 : v);
    const int lead = static_cast<int>(std::floor(std::log10(std::abs(v))));
    std::string t = fmt::format("{:.{}f}", v, std::max(1, 5 - lead));
    while (t.back() == '0') t.pop_back();  // six significant digits, without trailing zeros
    if (t.back() == '.') t.pop_back();
    return decimal(t);
  }
  // A number with an interval of half-width `half`: rounded to two significant digits of the
  // half-width, so that no digit is printed that the replicates do not support.
  [[nodiscard]] std::string estimate(double v, double half) const {
    if (!std::isfinite(v)) return "";
    if (!(std::isfinite(half) && half > 0)) return number(v);
    const int lead = static_cast<int>(std::floor(std::log10(half)));
    const int decimals = std::max(0, 1 - lead);
    const double step = std::pow(10.0, lead - 1);
    const double rounded = decimals > 0 ? v : std::round(v / step) * step;
    return decimal(fmt::format("{:.{}f}", rounded == 0 ? 0.0 : rounded, decimals));
  }
  // An identifier made of digits ("0301", kommunenummer): a spreadsheet would read it as the
  // number 301, so it goes in as the text formula ="0301" there.
  [[nodiscard]] std::string code(const std::string& text) const {
    return spreadsheet ? "=\"" + text + "\"" : text;
  }
  // Free text: a spreadsheet would run a cell starting with = + - @ as a formula (CSV
  // injection); a leading apostrophe keeps it text.
  [[nodiscard]] std::string text(const std::string& t) const {
    if (spreadsheet && !t.empty() && (t[0] == '=' || t[0] == '+' || t[0] == '-' || t[0] == '@'))
      return "'" + t;
    return t;
  }
};

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

class CsvFile {
 public:
  CsvFile(std::filesystem::path path, const Style& style)
      : final_(std::move(path)),
        temp_(final_.string() + fmt::format(".tmp-{}", ::getpid())),
        sep_(style.separator) {
    out_.open(temp_, std::ios::binary);
    if (!out_) throw std::runtime_error(fmt::format("cannot write {}", temp_.string()));
    if (style.spreadsheet) out_ << "\xEF\xBB\xBF";
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

// A table group (a group of equally long columns) as a CSV file. What the columns hold decides
// how they are written:
//   - "X_mean", "X_low", "X_high" (or "mean", "low", "high"): an estimate with its interval,
//     rounded to the interval's precision;
//   - a column described as "Row of the owners table" or "Row of the counties table": the
//     row's name instead of its index;
//   - "group" (the programme model's group codes): followed by "group_label" in plain words;
//   - text that is all digits (kommunenummer): a code, kept as text in spreadsheets.
void export_table(const Reader& r, const std::string& group, const std::filesystem::path& path,
                  const Style& style) {
  const auto columns = r.text_list_attribute(group, "columns");
  struct Column {
    std::string name;
    std::vector<double> numbers;
    std::vector<std::string> texts;
    bool numeric = false;
  };
  std::vector<Column> in;
  std::size_t rows = 0;
  for (const auto& c : columns) {
    std::string dataset = group;
    dataset += '/';
    dataset += c;
    Column col{c, {}, {}, false};
    try {
      col.numbers = r.numbers(dataset);
      col.numeric = true;
    } catch (const H5Error&) {
      col.texts = r.texts(dataset);
    }
    // An index into another world table: that table's names.
    const std::string description =
        r.has_attribute(dataset, "description") ? r.text_attribute(dataset, "description") : "";
    for (const char* table : {"owners", "counties"}) {
      if (col.numeric && description.starts_with(fmt::format("Row of the {} table", table))) {
        const auto names = r.texts(fmt::format("/world/{}/name", table));
        for (const double v : col.numbers) {
          const bool valid = v >= 0 && v < static_cast<double>(names.size());
          col.texts.push_back(valid ? names[static_cast<std::size_t>(v)] : "");
        }
        col.numbers.clear();
        col.numeric = false;
      }
    }
    rows = std::max(rows, col.numeric ? col.numbers.size() : col.texts.size());
    in.push_back(std::move(col));
  }
  // Each estimate column's interval columns.
  auto find = [&](const std::string& name) -> const Column* {
    for (const auto& c : in) {
      if (c.name == name && c.numeric) return &c;
    }
    return nullptr;
  };
  std::vector<std::string> header;
  for (const auto& c : in) {
    header.push_back(c.name);
    if (c.name == "group" && !c.numeric) header.emplace_back("group_label");
  }
  CsvFile out(path, style);
  out.row(header);
  for (std::size_t i = 0; i < rows; ++i) {
    std::vector<std::string> row;
    for (const auto& c : in) {
      if (!c.numeric) {
        const std::string t = i < c.texts.size() ? c.texts[i] : "";
        row.push_back(all_digits(t) ? style.code(t) : style.text(t));
        // Spreadsheets set to Norwegian get bokmål labels ("under 5 000 innbyggere": an English
        // "5,000" would read as five there).
        if (c.name == "group")
          row.push_back(output::group_label(
              t, style.spreadsheet ? output::Language::kBokmal : output::Language::kEnglish));
        continue;
      }
      const double v = i < c.numbers.size() ? c.numbers[i] : std::nan("");
      // The interval of this estimate: the prefix's low and high.
      std::string prefix;
      for (const char* suffix : {"mean", "low", "high"}) {
        if (c.name.ends_with(suffix)) prefix = c.name.substr(0, c.name.size() - std::strlen(suffix));
      }
      const Column* low = prefix.empty() && c.name != "mean" && c.name != "low" && c.name != "high"
                              ? nullptr
                              : find(prefix + "low");
      const Column* high = low == nullptr ? nullptr : find(prefix + "high");
      if (low != nullptr && high != nullptr && i < low->numbers.size() && i < high->numbers.size()) {
        row.push_back(style.estimate(v, (high->numbers[i] - low->numbers[i]) / 2));
      } else {
        row.push_back(style.number(v));
      }
    }
    out.row(row);
  }
  out.commit();
}

}  // namespace

namespace {
std::vector<std::filesystem::path> export_sweep(const Reader& r, const std::filesystem::path& dir,
                                                const Style& style);
std::vector<std::filesystem::path> export_runs(const Reader& r, const std::filesystem::path& dir,
                                               const Style& style);
}  // namespace

std::vector<std::filesystem::path> export_csv(const std::filesystem::path& result,
                                              const std::filesystem::path& dir, bool decimal_comma) {
  const Style style{decimal_comma ? ';' : ',', decimal_comma};
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
    return r.text_attribute("/", "kind").starts_with("sweep") ? export_sweep(r, dir, style)
                                                              : export_runs(r, dir, style);
  } catch (...) {
    if (created) std::filesystem::remove_all(dir, ec);
    throw;
  }
}

namespace {

// A sweep's points: each point's factor values and every indicator's mean over its replicates.
std::vector<std::filesystem::path> export_sweep(const Reader& r, const std::filesystem::path& dir,
                                                const Style& style) {
  auto num = [&](double v) { return style.number(v); };
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
  CsvFile out(path, style);
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
                                               const Style& style) {
  std::vector<std::filesystem::path> written;
  const std::vector<std::string> names = r.has_attribute("/scenarios", "order")
                                             ? r.text_list_attribute("/scenarios", "order")
                                             : r.members("/scenarios");

  // Every indicator's total (flows) or end value (stocks) per scenario: mean and 95 % interval.
  {
    const auto path = dir / "summary.csv";
    CsvFile out(path, style);
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
        const double half = (ci.high - ci.low) / 2;
        out.row({name, indicators[i], units[i], aggregation[i], std::to_string(reps),
                 style.estimate(s.mean(), half), style.estimate(ci.low, half), style.estimate(ci.high, half),
                 style.estimate(s.sd(), half), style.text(descriptions[i])});
      }
    }
    out.commit();
    written.push_back(path);
  }
  // Year by year, every indicator: mean and 95 % interval.
  {
    const auto path = dir / "yearly.csv";
    CsvFile out(path, style);
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
          const double half = (ci.high - ci.low) / 2;
          out.row({name, std::to_string(y + 1), indicators[i], units[i], style.estimate(s.mean(), half),
                   style.estimate(ci.low, half), style.estimate(ci.high, half)});
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
      export_table(r, "/comparison/" + t, path, style);
      written.push_back(path);
    }
  }
  for (const auto& t : r.members("/world")) {
    const auto path = dir / fmt::format("world_{}.csv", t);
    export_table(r, "/world/" + t, path, style);
    written.push_back(path);
  }
  return written;
}

}  // namespace

}  // namespace innosim::tools
