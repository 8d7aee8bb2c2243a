#pragma once
// Band<T>: a table over the pairs (i, j), 1 <= i <= j <= n, of span
// j - i + 1 <= width, stored row by row: (i, j), (i, j + 1), ... are adjacent.
// Folding with a maximum base-pair span L keeps n x L entries instead of
// n x n; without a span limit the width is n. Buffers are reused: reset()
// allocates only when a record outgrows every earlier one. Spare values past
// the end let whole SIMD batches read over the last row's end
// (fold/padded_rows.hpp).
#include <vector>

#include "sster/core/index.hpp"

namespace sster::fold {

template <class T>
class Band {
 public:
  void reset(index_t n, index_t width, T fill) {
    width_ = width;
    values_.assign(to_size((n + 2) * width + spare), fill);
  }
  index_t width() const { return width_; }
  T& operator()(index_t i, index_t j) { return at(values_, i * width_ + (j - i)); }
  const T& operator()(index_t i, index_t j) const { return at(values_, i * width_ + (j - i)); }

 private:
  static constexpr index_t spare = 64;
  index_t width_ = 0;
  std::vector<T> values_;
};

}  // namespace sster::fold
