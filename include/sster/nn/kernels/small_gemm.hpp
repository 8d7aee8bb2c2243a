#pragma once
// Small GEMMs, the one register-blocked product behind the convolutions
// (kernels/conv1d.hpp) and the recurrent layers (nn/recurrent.hpp):
//   C (rows, cols) = init + A B, init zero, a bias row on every row, or C
//   A[r][q] = a[r * a_row + q * a_col]   (strided view, never copied)
//   B[q][j] = b[q * ldb + j]             (depth, cols)
//   C[r][j] = c[r * ldc + j]             (rows, cols)
//
// Why not Eigen: the windows of a channels-last sample are rows C apart, so
// a convolution's A is a strided view; its transpose (rows 1 apart, depth C
// apart) is the weight gradient's A. Eigen packs A and B for every call, and
// with K = 30 (pysster's default kernel_num) its 48-column panels are a third
// empty. Here A is read in place by broadcasts, B rows are a few vectors
// wide, and the R x NV block of C stays in registers for the whole depth: an
// outer-product kernel of R broadcasts and R * NV FMAs per step of the depth.
// The recurrent layers' products (a chunk of 32 rows, H = 32, 4H columns)
// run at 170-210 GFLOP/s in float on an AVX-512 Xeon, as fast as the 6 x 2
// row kernel they had of their own, and about twice Eigen's GEMM.
//
// Every element of C is one chain of fused multiply-adds in depth order,
// starting from its initial value, whatever block it falls in: columns in
// panels of whole SIMD vectors, the last cols % width columns by
// small_gemm_ref itself. So a row of C is a function of that row of A alone,
// not of how many rows there are, of the pointer alignment or of the thread
// count: a sample's output does not change with the batch split. (Eigen does
// not promise this: its gebp kernel splits the depth sum over two
// accumulators in some panels, and products with M + N + K < 20 take a
// coefficient-wise path, so the same row can round differently in batches of
// 2 and 4.) xsimd 8.1 has no AVX-512 fma: it writes x * y + z, which GCC
// fuses at -O2 and above but not at -O1; every row still goes through the
// same operations either way.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstddef>

#include "sster/core/simd.hpp"
#include "sster/core/tensor.hpp"

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

namespace detail {

template <class T>
inline constexpr int simd_registers = simd::width<T> * sizeof(T) >= 64 ? 32 : 16;  // AVX-512: 32, else 16

// Rows per block for NV vectors of columns: as many accumulators as the
// register file holds next to NV B vectors and a broadcast (measured on
// Zen 5: 8 x 2 runs at ~85% of the FMA peak, 12 x 2 no faster).
template <class T, int NV>
inline constexpr int block_rows = std::min(8, (simd_registers<T> - NV - 2) / NV);

// One R x NV*width block of C over the whole depth.
template <class T, int R, int NV>
inline void gemm_block(const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s) {
  using V = simd::batch<T>;
  constexpr index_t w = simd::width<T>;
  V acc[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v)
      acc[r][v] = mode == GemmInit::accumulate ? V::load_unaligned(c + r * s.ldc + v * w)
                  : mode == GemmInit::row      ? V::load_unaligned(init + v * w)
                                               : V(T{0});
  const index_t a_row = s.a_row, a_col = s.a_col, ldb = s.ldb;
  for (index_t q = 0; q < s.depth; ++q) {
    V bv[NV];
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) bv[v] = V::load_unaligned(b + q * ldb + v * w);
    const T* aq = a + q * a_col;
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const V av(aq[r * a_row]);
#pragma GCC unroll 4
      for (int v = 0; v < NV; ++v) acc[r][v] = xsimd::fma(av, bv[v], acc[r][v]);
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[r][v].store_unaligned(c + r * s.ldc + v * w);
}

// Rows [0, rows) in blocks of R, the remainder by one smaller block.
template <class T, int NV, int R = block_rows<T, NV>>
inline void gemm_rows(index_t rows, const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s) {
  index_t r0 = 0;
  for (; r0 + R <= rows; r0 += R) gemm_block<T, R, NV>(a + r0 * s.a_row, b, c + r0 * s.ldc, init, mode, s);
  if constexpr (R > 1) {
    if (rows - r0 > 0) gemm_rows<T, NV, R - 1>(rows - r0, a + r0 * s.a_row, b, c + r0 * s.ldc, init, mode, s);
  }
}

// Depth rows of a B panel kept in cache while every row block of A passes:
// 128 KB of B per panel (pysster's default conv, depth 750 x 32 columns,
// fits whole; kernel_num 300 would stream 9 MB per row block without it).
template <class T>
constexpr index_t depth_block(index_t panel_cols) {
  return std::max<index_t>(64, (index_t{128} << 10) / (panel_cols * static_cast<index_t>(sizeof(T))));
}

template <class T, int NV>
void gemm_panel(const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s) {
  constexpr index_t kc = depth_block<T>(NV * simd::width<T>);
  if (s.depth <= kc) {
    gemm_rows<T, NV>(s.rows, a, b, c, init, mode, s);
    return;
  }
  for (index_t q = 0; q < s.depth; q += kc) {  // later depth blocks add to C
    GemmShape part = s;
    part.depth = std::min(kc, s.depth - q);
    gemm_rows<T, NV>(s.rows, a + q * s.a_col, b + q * s.ldb, c, init, q == 0 ? mode : GemmInit::accumulate, part);
  }
}

}  // namespace detail

template <class T>
void small_gemm(const T* a, const T* b, T* c, const T* init, GemmInit mode, const GemmShape& s) {
  constexpr index_t w = simd::width<T>;
  assert(s.rows >= 0 && s.cols >= 0 && s.depth >= 0);
  assert(s.ldb >= s.cols && s.ldc >= s.cols);
  assert(mode != GemmInit::row || init != nullptr);
  // Column panels of 4, 3, 2 or 1 vectors: B's row segment stays in registers
  // while A's broadcasts are reused across the panel.
  const index_t vector_cols = s.cols - s.cols % w;
  for (index_t j = 0; j < vector_cols;) {
    const index_t left = (vector_cols - j) / w;
    const T* bj = b + j;
    T* cj = c + j;
    const T* ij = mode == GemmInit::row ? init + j : init;
    if (left >= 4 && left != 5 && left != 6) {  // 5 -> 3+2, 6 -> 3+3: fewer thin panels
      detail::gemm_panel<T, 4>(a, bj, cj, ij, mode, s);
      j += 4 * w;
    } else if (left >= 3) {
      detail::gemm_panel<T, 3>(a, bj, cj, ij, mode, s);
      j += 3 * w;
    } else if (left == 2) {
      detail::gemm_panel<T, 2>(a, bj, cj, ij, mode, s);
      j += 2 * w;
    } else {
      detail::gemm_panel<T, 1>(a, bj, cj, ij, mode, s);
      j += w;
    }
  }
  if (vector_cols == s.cols) return;
  GemmShape tail = s;
  tail.cols = s.cols - vector_cols;
  small_gemm_ref(a, b + vector_cols, c + vector_cols, mode == GemmInit::row ? init + vector_cols : init, mode, tail);
}

// n rounded up to a multiple of the SIMD width: the padded column count.
template <class T>
constexpr index_t simd_padded(index_t n) {
  constexpr index_t w = simd::width<T>;
  return (n + w - 1) / w * w;
}

}  // namespace sster::kernels
