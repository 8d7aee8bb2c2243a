#pragma once
// The shape of a small GEMM (kernels/small_gemm.hpp) and its specification:
//   C (rows, cols) = init + A B, init zero, a bias row on every row, or C
//   A[r][q] = a[r * a_row + q * a_col]   (strided view, never copied)
//   B[q][j] = b[q * ldb + j]             (depth, cols)
//   C[r][j] = c[r * ldc + j]             (rows, cols)
// A may also be a batch of such views, one per sample: with row_group > 0,
// row r = g * row_group + i reads a + g * a_row_group + i * a_row (a
// convolution's windows over a chunk of samples); with depth_group > 0, depth
// q = g * depth_group + i reads a + g * a_depth_group + i * a_col (a weight
// gradient summed over the samples). Only the packed path of small_gemm
// takes batches. With b_packed, b is B packed whole by pack_gemm_b
// (kernels/small_gemm.hpp) for the kernel set in use, and the packed path
// reads it there; ldb then means nothing.
#include <cassert>
#include <cmath>

#include "sster/core/index.hpp"

namespace sster::kernels {

// How C starts: zero, a bias row repeated on every row, or C's own values.
enum class GemmInit { zero, row, accumulate };

struct GemmShape {
  index_t rows, cols, depth;
  index_t a_row, a_col;  // strides of A
  index_t ldb, ldc;      // row strides of B and C
  index_t row_group = 0, a_row_group = 0;      // rows per sample and the stride between samples (0: one view)
  index_t depth_group = 0, a_depth_group = 0;  // likewise along the depth
  bool b_packed = false;                        // b is B packed (pack_gemm_b), every column a whole vector

  bool batched() const { return row_group > 0 || depth_group > 0; }
  // Offset of A[r][q] from a: the row's part plus the depth's.
  index_t row_offset(index_t r) const {
    return row_group > 0 ? r / row_group * a_row_group + r % row_group * a_row : r * a_row;
  }
  index_t depth_offset(index_t q) const {
    return depth_group > 0 ? q / depth_group * a_depth_group + q % depth_group * a_col : q * a_col;
  }
};

// Plain loops: the specification. `init` is the bias row for GemmInit::row.
template <class T>
void small_gemm_ref(const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s) {
  assert(!s.b_packed);
  for (index_t r = 0; r < s.rows; ++r)
    for (index_t j = 0; j < s.cols; ++j) {
      T acc = mode == GemmInit::zero ? T{0} : mode == GemmInit::row ? init[j] : c[r * s.ldc + j];
      for (index_t q = 0; q < s.depth; ++q) acc = std::fma(a[s.row_offset(r) + s.depth_offset(q)], b[q * s.ldb + j], acc);
      c[r * s.ldc + j] = acc;
    }
}

}  // namespace sster::kernels
