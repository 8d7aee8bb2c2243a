#pragma once
// The forward matrix product of the recurrent layers, row by row:
//   y (M, N) += x (M, K) * w (K, N), each matrix row-major with its own row stride.
// Every y element starts from the value already in y and adds x[m,k] * w[k,n]
// for k = 0, 1, ..., K-1, one fused multiply-add at a time. A row's result is
// therefore a function of that row of x alone, not of M or of its position
// in the batch, which makes a sample's output independent of how a batch is
// split into chunks. Eigen's GEMM does not promise this: its gebp kernel
// splits the k-sum over two accumulators in some column panels
// (GeneralBlockPanelKernel.h, "double the accumulation registers") and
// products with M + N + K < 20 take a coefficient-wise path, so the same row
// can round differently in a batch of 2 and in a batch of 4.
//
// gemm_rows_acc_ref is the specification (plain loops); gemm_rows_acc blocks
// 4 rows x 2 vectors in registers and gives the same bits whenever the
// hardware has FMA (xsimd::fma and std::fma are then both one rounding).
#include <cmath>

#include "sster/core/simd.hpp"
#include "sster/core/tensor.hpp"

namespace sster::kernels {

struct RowGemmShape {
  index_t M, K, N;        // y is (M, N), x is (M, K), w is (K, N)
  index_t ldx, ldw, ldy;  // row strides in elements
};

template <class T>
void gemm_rows_acc_ref(const T* x, const T* w, T* y, const RowGemmShape& s) {
  for (index_t m = 0; m < s.M; ++m)
    for (index_t n = 0; n < s.N; ++n) {
      T acc = y[m * s.ldy + n];
      for (index_t k = 0; k < s.K; ++k) acc = std::fma(x[m * s.ldx + k], w[k * s.ldw + n], acc);
      y[m * s.ldy + n] = acc;
    }
}

namespace detail {
// R rows of y at once: each w vector loaded once serves R rows (4 rows x 2
// vectors = 8 accumulators, within AVX2's 16 registers).
template <int R, class T>
void gemm_rows_block(const T* x, const T* w, T* y, const RowGemmShape& s) {
  using V = simd::batch<T>;
  constexpr index_t vw = static_cast<index_t>(simd::width<T>);
  index_t n = 0;
  for (; n + 2 * vw <= s.N; n += 2 * vw) {
    V a0[R], a1[R];
    for (int r = 0; r < R; ++r) {
      a0[r] = V::load_unaligned(y + r * s.ldy + n);
      a1[r] = V::load_unaligned(y + r * s.ldy + n + vw);
    }
    for (index_t k = 0; k < s.K; ++k) {
      const V w0 = V::load_unaligned(w + k * s.ldw + n), w1 = V::load_unaligned(w + k * s.ldw + n + vw);
      for (int r = 0; r < R; ++r) {
        const V xr(x[r * s.ldx + k]);
        a0[r] = xsimd::fma(xr, w0, a0[r]);
        a1[r] = xsimd::fma(xr, w1, a1[r]);
      }
    }
    for (int r = 0; r < R; ++r) {
      a0[r].store_unaligned(y + r * s.ldy + n);
      a1[r].store_unaligned(y + r * s.ldy + n + vw);
    }
  }
  for (; n + vw <= s.N; n += vw) {
    V a[R];
    for (int r = 0; r < R; ++r) a[r] = V::load_unaligned(y + r * s.ldy + n);
    for (index_t k = 0; k < s.K; ++k) {
      const V wk = V::load_unaligned(w + k * s.ldw + n);
      for (int r = 0; r < R; ++r) a[r] = xsimd::fma(V(x[r * s.ldx + k]), wk, a[r]);
    }
    for (int r = 0; r < R; ++r) a[r].store_unaligned(y + r * s.ldy + n);
  }
  for (; n < s.N; ++n)
    for (int r = 0; r < R; ++r) {
      T acc = y[r * s.ldy + n];
      for (index_t k = 0; k < s.K; ++k) acc = std::fma(x[r * s.ldx + k], w[k * s.ldw + n], acc);
      y[r * s.ldy + n] = acc;
    }
}
}  // namespace detail

template <class T>
void gemm_rows_acc(const T* x, const T* w, T* y, const RowGemmShape& s) {
  index_t m = 0;
  for (; m + 4 <= s.M; m += 4) detail::gemm_rows_block<4>(x + m * s.ldx, w, y + m * s.ldy, s);
  for (; m < s.M; ++m) detail::gemm_rows_block<1>(x + m * s.ldx, w, y + m * s.ldy, s);
}

}  // namespace sster::kernels
