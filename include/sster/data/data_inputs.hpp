#pragma once
// Additional inputs of a Data set (data/dataset.hpp), pysster's
// load_additional_data and load_additional_positionwise_data: values per
// sequence (numbers or categories) appended to extra(), and values per
// position appended as channels of dense(). Each reads text files of one
// line per record (data/extra_inputs.hpp) and checks their lines against
// the records before the data set changes, so a failed call leaves it whole.
#include <algorithm>
#include <numeric>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/data/dataset.hpp"
#include "sster/data/extra_inputs.hpp"
#include "sster/data/fasta.hpp"

namespace sster {

inline void Data::add_additional(const std::vector<std::string>& files, bool standardize) {
  require(!files.empty(), "additional data: no files given");
  const auto values = read_additional_numbers(files);
  const std::string name = detail::class_name_from_file(files.front());
  append_additional(values, standardize ? fitted_zscore(name, values) : AdditionalInput{.name = name});
}
inline void Data::add_additional(const std::string& file, bool standardize) {
  add_additional(std::vector<std::string>{file}, standardize);
}

inline void Data::add_categorical(const std::vector<std::string>& files, std::vector<std::string> categories) {
  require(!categories.empty(), "add_categorical: no categories given");
  std::sort(categories.begin(), categories.end());
  for (std::size_t k = 1; k < categories.size(); ++k)
    require(categories[k] != categories[k - 1], "add_categorical: category '" + categories[k] + "' given twice");
  require(!files.empty(), "additional data: no files given");
  append_categories(files, {.name = detail::class_name_from_file(files.front()), .categories = std::move(categories)});
}
inline void Data::add_categorical(const std::string& file, std::vector<std::string> categories) {
  add_categorical(std::vector<std::string>{file}, std::move(categories));
}

inline void Data::add_additional(const std::vector<std::string>& files, const AdditionalInput& as) {
  if (as.categorical()) return append_categories(files, as);
  append_additional(read_additional_numbers(files), as);
}

inline std::vector<double> Data::read_additional_numbers(const std::vector<std::string>& files) const {
  std::vector<double> values;
  std::vector<index_t> counts;
  for (const auto& f : files) {
    auto v = read_numbers(f);
    counts.push_back(static_cast<index_t>(v.size()));
    values.insert(values.end(), v.begin(), v.end());
  }
  check_line_counts(files, counts, "values");
  return values;
}

inline void Data::append_additional(const std::vector<double>& numbers, const AdditionalInput& as) {
  std::vector<float> column;
  for (double x : numbers) column.push_back(static_cast<float>(as.scaled(x)));
  append_extra(column, 1, {as.name});
  additional_.push_back(as);
}

inline void Data::append_categories(const std::vector<std::string>& files, const AdditionalInput& as) {
  const auto K = to_size(as.columns());
  std::vector<float> onehot;
  std::vector<index_t> counts;
  for (const auto& f : files) {
    index_t count = 0;
    detail::for_each_value_line(f, [&](std::string_view v, index_t line) {
      const index_t column = as.category_column(v);
      if (column < 0)
        throw Error(f + " line " + std::to_string(line) + ": " + quote_excerpt(v) + " is not one of the categories " +
                    as.category_list());
      const std::size_t at = onehot.size();
      onehot.resize(at + K, 0.0f);
      onehot[at + to_size(column)] = 1.0f;
      ++count;
    });
    counts.push_back(count);
  }
  check_line_counts(files, counts, "values");
  std::vector<std::string> names;
  for (const auto& c : as.categories) names.push_back(as.name + "=" + c);
  append_extra(onehot, static_cast<index_t>(K), names);
  additional_.push_back(as);
}

inline void Data::add_positionwise(const std::vector<std::string>& files, const std::string& identifier,
                                   bool standardize) {
  std::vector<float> column = read_positionwise(files);
  PositionwiseInput as{.name = identifier};
  if (standardize) {
    const auto L = to_size(L_);
    as.center.resize(L);
    as.scale.resize(L);
    std::vector<double> v(to_size(n()));
    for (std::size_t t = 0; t < L; ++t) {
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = column[i * L + t];
      std::sort(v.begin(), v.end());
      const double med = percentile_sorted(v, 50), iqr = percentile_sorted(v, 75) - percentile_sorted(v, 25);
      as.center[t] = static_cast<float>(med);
      as.scale[t] = static_cast<float>(iqr == 0 ? 1.0 : iqr);  // sklearn leaves constant columns unscaled
    }
  }
  append_positionwise(std::move(column), std::move(as));
}
inline void Data::add_positionwise(const std::string& file, const std::string& identifier, bool standardize) {
  add_positionwise(std::vector<std::string>{file}, identifier, standardize);
}

inline void Data::add_positionwise(const std::vector<std::string>& files, const PositionwiseInput& as) {
  require(!as.scaled() || (std::ssize(as.center) == L_ && std::ssize(as.scale) == L_),
          "position-wise input '" + as.name + "': its scaling has " + std::to_string(as.center.size()) +
              " positions, the sequences " + std::to_string(L_));
  append_positionwise(read_positionwise(files), as);
}

inline std::vector<float> Data::read_positionwise(const std::vector<std::string>& files) const {
  require(size() > 0, "add_positionwise: the data set is empty");
  const auto L = to_size(L_);
  std::vector<float> column;  // n x L
  std::vector<index_t> counts;
  index_t row = 0;
  for (const auto& f : files) {
    const NumberRows rows = read_number_rows(f);
    counts.push_back(rows.rows());
    for (index_t r = 0; r < rows.rows(); ++r, ++row) {
      const index_t want = row < size() ? record_length(row) : L_;
      const index_t got = rows.row_size(r);
      if (got != want && got != L_)
        throw Error(f + " line " + std::to_string(at(rows.lines, r)) + ": expected " +
                    std::to_string(want) + " values (one per position of record " + std::to_string(row + 1) +
                    "), found " + std::to_string(got));
      const std::size_t at = column.size();
      column.resize(at + L, 0.0f);
      std::copy_n(rows.row(r), got, column.data() + at);
    }
  }
  check_line_counts(files, counts, "lines");
  return column;
}

inline void Data::append_positionwise(std::vector<float> column, PositionwiseInput as) {
  require(std::find(dense_names_.begin(), dense_names_.end(), as.name) == dense_names_.end(),
          "add_positionwise: identifier '" + as.name + "' already exists");
  const auto L = to_size(L_);
  if (as.scaled())
    for (std::size_t i = 0; i < to_size(n()); ++i)
      for (std::size_t t = 0; t < L; ++t) column[i * L + t] = as.scaled(column[i * L + t], static_cast<index_t>(t));
  // Interleave: dense_ is n x L x D, the new channel last.
  const auto D = to_size(D_);
  std::vector<float> dense(to_size(n()) * L * (D + 1));
  for (std::size_t i = 0; i < to_size(n()); ++i)
    for (std::size_t t = 0; t < L; ++t) {
      const std::size_t src = (i * L + t) * D, dst = (i * L + t) * (D + 1);
      std::copy_n(dense_.data() + src, D, dense.data() + dst);
      dense[dst + D] = column[i * L + t];
    }
  dense_ = std::move(dense);
  dense_names_.push_back(std::move(as.name));
  dense_center_.push_back(std::move(as.center));
  dense_scale_.push_back(std::move(as.scale));
  ++D_;
}

inline void Data::check_line_counts(const std::vector<std::string>& files, const std::vector<index_t>& counts,
                                    const char* what) const {
  require(!files.empty(), "additional data: no files given");
  if (files.size() == files_.size()) {
    for (std::size_t f = 0; f < files.size(); ++f)
      require(counts[f] == file_records_[f], files[f] + ": " + std::to_string(counts[f]) + " " + what + ", but " +
                                                 files_[f] + " has " + std::to_string(file_records_[f]) +
                                                 " records (expected one line per record)");
    return;
  }
  const index_t total = std::accumulate(counts.begin(), counts.end(), index_t{0});
  std::string names;
  for (const auto& f : files) names += (names.empty() ? "" : ", ") + f;
  require(total == n_, names + ": " + std::to_string(total) + " " + what + " for " + std::to_string(n_) +
                           " records (expected one line per record)");
}

inline void Data::append_extra(const std::vector<float>& values, index_t width,
                               const std::vector<std::string>& names) {
  const auto n = to_size(n_), E = to_size(E_), W = to_size(width);
  std::vector<float> extra(n * (E + W));
  for (std::size_t i = 0; i < n; ++i) {
    std::copy_n(extra_.data() + i * E, E, extra.data() + i * (E + W));
    std::copy_n(values.data() + i * W, W, extra.data() + i * (E + W) + E);
  }
  extra_ = std::move(extra);
  extra_names_.insert(extra_names_.end(), names.begin(), names.end());
  E_ += width;
}

}  // namespace sster
