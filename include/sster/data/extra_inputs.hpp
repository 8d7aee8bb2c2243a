#pragma once
// Readers for pysster's additional inputs, one line per sequence in the order
// of the FASTA records (plain or gzip):
//   read_numbers      one number per line           (load_additional_data)
//   read_categories   one category label per line   (load_additional_data, is_categorical)
//   read_number_rows  whitespace-separated numbers,  (load_additional_positionwise_data)
//                     one per sequence position
// and the scalings pysster offers for them (z-score, robust scaling).
// Blank lines are allowed only at the end of a file, so a gap never shifts
// values onto the wrong sequence.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"
#include "sster/data/fasta.hpp"
#include "sster/data/input_encoding.hpp"
#include "sster/data/line_reader.hpp"

namespace sster {

namespace detail {
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}
}  // namespace detail

// The value lines of a file one by one (trimmed), with the rule of every
// reader here: blank lines only at the end. For streaming: a caller that
// pairs the lines with records it reads elsewhere.
class ValueLineReader {
 public:
  explicit ValueLineReader(const std::string& path) : path_(path), reader_(path) {}
  const std::string& path() const { return path_; }
  // The next value line and its number; false at the end of the file.
  bool next(std::string_view& line, index_t& number) {
    while (reader_.next(line)) {
      line = detail::trim(line);
      if (line.empty()) {
        if (blank_ == 0) blank_ = reader_.line_number();
        continue;
      }
      if (blank_ != 0)
        throw Error(path_ + " line " + std::to_string(blank_) +
                    ": empty line between values (expected one line per sequence)");
      number = reader_.line_number();
      ++lines_;
      return true;
    }
    if (reader_.bytes_out() == 0) throw Error(path_ + ": the file is empty");
    require(lines_ > 0, path_ + ": no values (only empty lines)");
    return false;
  }
  index_t lines() const { return lines_; }

 private:
  std::string path_;
  LineReader reader_;
  index_t blank_ = 0;  // first blank line not yet followed by text
  index_t lines_ = 0;
};

namespace detail {
// Calls fn(trimmed line, line number) for every record line of a file.
template <class Fn>
void for_each_value_line(const std::string& path, Fn&& fn) {
  ValueLineReader reader(path);
  std::string_view line;
  index_t number = 0;
  while (reader.next(line, number)) fn(line, number);
}

// The one finite number of a value line; where() names it in errors.
template <class Where>
double parse_number_line(std::string_view line, const Where& where) {
  float v = 0;
  const std::size_t n = FastaReader::parse_floats(line, &v, 1, where);
  if (n != 1)
    throw Error(where() + ": expected one number per line, found " + std::to_string(n) + " in " + quote_excerpt(line));
  // Parse again in double precision: parse_floats validated the text.
  const char* p = line.data() + (line.front() == '+' ? 1 : 0);
  double d = 0;
  std::from_chars(p, line.data() + line.size(), d);
  return d;
}
}  // namespace detail

// One finite number per line.
inline std::vector<double> read_numbers(const std::string& path) {
  std::vector<double> values;
  detail::for_each_value_line(path, [&](std::string_view line, index_t no) {
    values.push_back(detail::parse_number_line(line, [&] { return path + " line " + std::to_string(no); }));
  });
  return values;
}

// One category per line (surrounding spaces removed).
inline std::vector<std::string> read_categories(const std::string& path) {
  std::vector<std::string> values;
  detail::for_each_value_line(path, [&](std::string_view line, index_t) { values.emplace_back(line); });
  return values;
}

// Rows of whitespace-separated numbers, one row per line.
struct NumberRows {
  std::vector<float> values;
  std::vector<std::size_t> starts{0};  // row r is values[starts[r], starts[r + 1])
  std::vector<index_t> lines;          // line number of each row
  index_t rows() const { return static_cast<index_t>(lines.size()); }
  index_t row_size(index_t r) const {
    return static_cast<index_t>(starts[to_size(r) + 1] - at(starts, r));
  }
  const float* row(index_t r) const { return values.data() + at(starts, r); }
};

inline NumberRows read_number_rows(const std::string& path) {
  NumberRows rows;
  detail::for_each_value_line(path, [&](std::string_view line, index_t no) {
    auto where = [&] { return path + " line " + std::to_string(no); };
    const std::size_t at = rows.values.size();
    rows.values.resize(at + line.size() / 2 + 1);  // a number takes at least 2 characters with its separator
    const std::size_t n = FastaReader::parse_floats(line, rows.values.data() + at, line.size() / 2 + 1, where);
    rows.values.resize(at + n);
    rows.starts.push_back(rows.values.size());
    rows.lines.push_back(no);
  });
  return rows;
}

// Linear-interpolated percentile of sorted values (numpy's default), q in [0, 100].
inline double percentile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0.0;
  const double h = (static_cast<double>(sorted.size()) - 1.0) * q / 100.0;
  const auto lo = to_size(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

// z-score with the population standard deviation (scipy.stats.zscore, ddof 0).
// A constant column has no spread: it becomes all zeros instead of NaN.
inline void zscore(std::vector<double>& v) {
  const AdditionalInput z = fitted_zscore("", v);
  for (double& x : v) x = z.scaled(x);
}

}  // namespace sster
