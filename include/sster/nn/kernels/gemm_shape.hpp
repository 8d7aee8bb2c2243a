#pragma once
// The shape of a small GEMM (kernels/small_gemm.hpp) and its specification:
//   C (rows, cols) = init + A B, init zero, a bias row on every row, or C
//   A[r][q] = a[r * a_row + q * a_col]   (strided view, never copied)
//   B[q][j] = b[q * ldb + j]             (depth, cols)
//   C[r][j] = c[r * ldc + j]             (rows, cols)
#include <cmath>

#include "sster/core/index.hpp"

namespace sster::kernels {

// How C starts: zero, a bias row repeated on every row, or C's own values.
enum class GemmInit { zero, row, accumulate };

struct GemmShape {
  index_t rows, cols, depth;
  index_t a_row, a_col;  // strides of A
  index_t ldb, ldc;      // row strides of B and C
};

// Plain loops: the specification. `init` is the bias row for GemmInit::row.
template <class T>
void small_gemm_ref(const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s) {
  for (index_t r = 0; r < s.rows; ++r)
    for (index_t j = 0; j < s.cols; ++j) {
      T acc = mode == GemmInit::zero ? T{0} : mode == GemmInit::row ? init[j] : c[r * s.ldc + j];
      for (index_t q = 0; q < s.depth; ++q) acc = std::fma(a[r * s.a_row + q * s.a_col], b[q * s.ldb + j], acc);
      c[r * s.ldc + j] = acc;
    }
}

}  // namespace sster::kernels
