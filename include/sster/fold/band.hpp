#pragma once
// Band<T>: a table over the pairs (i, j), 1 <= i <= j <= n, of span
// j - i + 1 <= width, stored row by row (i) or column by column (j). Folding
// with a maximum base-pair span L keeps n x L entries instead of n x n; without
// a span limit the width is n. Buffers are reused: reset() allocates only when
// a record outgrows every earlier one. Spare values past the end let whole
// SIMD batches read over the last row's end (fold/padded_rows.hpp).
#include <vector>

#include "sster/core/index.hpp"

namespace sster::fold {

enum class BandOrder { rows, columns };

template <class T, BandOrder Order = BandOrder::rows>
class Band {
 public:
  void reset(index_t n, index_t width, T fill) {
    n_ = n;
    width_ = width;
    values_.assign(to_size((n + 2) * width + spare), fill);
  }
  index_t width() const { return width_; }
  // Whether (i, j) lies in the band (i <= j, span within the width).
  bool holds(index_t i, index_t j) const { return i <= j && j - i < width_ && i >= 1 && j <= n_; }
  T& operator()(index_t i, index_t j) { return at(values_, offset(i, j)); }
  const T& operator()(index_t i, index_t j) const { return at(values_, offset(i, j)); }
  // Row order: (i, j), (i, j + 1), ... are adjacent; column order: (i, j), (i - 1, j), ...
  const T* line(index_t i, index_t j) const { return values_.data() + offset(i, j); }

 private:
  index_t offset(index_t i, index_t j) const {
    if constexpr (Order == BandOrder::rows) return i * width_ + (j - i);
    else return j * width_ + (j - i);
  }
  static constexpr index_t spare = 64;
  index_t n_ = 0, width_ = 0;
  std::vector<T> values_;
};

}  // namespace sster::fold
