#pragma once
// How the additional inputs of a data set were encoded and scaled, so that
// other data can be encoded the same way: a model keeps these from its
// training data and applies them to the data it evaluates or predicts.
//   AdditionalInput    one per-sequence input (pysster's load_additional_data):
//                      a number, z-scored (standardize) or as given, or a
//                      category, one-hot over the categories
//   PositionwiseInput  one position-wise input (load_additional_positionwise_data):
//                      per position, (x - center) / scale (robust_scale), or as given
// pysster fits the scaling on every record it loaded, training or not; so
// does sster, on the data it trains on.
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster {

struct AdditionalInput {
  std::string name;                     // the first file's name without extensions
  std::vector<std::string> categories;  // sorted; one column each. Empty: one number
  bool standardized = false;            // numbers: z-scored with mean and sd
  double mean = 0, sd = 1;              // of the values it was fitted on; sd 0: a constant, scaled to 0

  bool categorical() const { return !categories.empty(); }
  index_t columns() const { return categorical() ? std::ssize(categories) : 1; }
  // A number as the network sees it.
  double scaled(double x) const {
    if (!standardized) return x;
    return sd > 0 ? (x - mean) / sd : 0.0;
  }
  // The column of a category, or -1 when it is not one.
  index_t category_column(std::string_view value) const {
    for (index_t k = 0; k < std::ssize(categories); ++k)
      if (at(categories, k) == value) return k;
    return -1;
  }
  // The categories for a message: the first 20, then "...".
  std::string category_list() const {
    std::string list;
    for (std::size_t k = 0; k < categories.size() && k < 20; ++k) list += (k ? ", " : "") + categories[k];
    return categories.size() > 20 ? list + ", ..." : list;
  }
  bool operator==(const AdditionalInput&) const = default;
};

// z-score parameters of values (scipy.stats.zscore: population standard
// deviation, ddof 0).
inline AdditionalInput fitted_zscore(std::string name, const std::vector<double>& values) {
  AdditionalInput in{.name = std::move(name), .standardized = true};
  if (values.empty()) return in;
  double mean = 0;
  for (double x : values) mean += x;
  mean /= static_cast<double>(values.size());
  double var = 0;
  for (double x : values) var += (x - mean) * (x - mean);
  in.mean = mean;
  in.sd = std::sqrt(var / static_cast<double>(values.size()));
  return in;
}

struct PositionwiseInput {
  std::string name;                  // the identifier
  std::vector<float> center, scale;  // one per position; empty: the values as given

  bool scaled() const { return !center.empty(); }
  float scaled(float x, index_t position) const {
    return scaled() ? (x - at(center, position)) / at(scale, position) : x;
  }
  bool operator==(const PositionwiseInput&) const = default;
};

// The description of additional inputs that carry nothing but their column
// names: one unscaled number each (data files and model files written
// before sster kept the encodings).
inline std::vector<AdditionalInput> plain_additional_inputs(const std::vector<std::string>& column_names) {
  std::vector<AdditionalInput> out;
  for (const auto& name : column_names) out.push_back({.name = name});
  return out;
}

}  // namespace sster
