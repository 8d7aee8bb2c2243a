#pragma once
// First-layer convolution on symbol indices: the input is one uint8_t per
// position instead of a one-hot (L, C) matrix, so the product with a one-hot
// column is a lookup. y[t, k] = b[k] + sum_j scale[t+j] * w[j, x[t+j], k].
//   x: (B, L) symbols, no_symbol = all channels zero (padding, dropped input)
//   scale: (B, L) per-position input scale (dropout), or null for 1
//   w: (W, C, K)   b: (K)   y: (B, L-W+1, K)
//
// Fast versions: the weights are copied once per call into a table
// (W, C+1, Kp), K padded to the SIMD width and row C all zero for
// no_symbol, so the inner loop has no branch and every row load is aligned.
// Forward keeps a block of output rows in registers over the W taps (one
// store per row); backward keeps a block of taps of one symbol's weight
// gradient in registers while that symbol's positions pass (see
// symbol_taps).
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

#include "sster/core/symbol.hpp"
#include "sster/core/tensor.hpp"
#include "sster/nn/kernels/conv1d.hpp"

namespace sster::kernels {

template <class T>
void gather_conv1d_forward_ref(const std::uint8_t* x, const T* scale, const T* w, const T* b, T* y,
                               const ConvShape& s) {
  const index_t lo = s.out_len();
  for (index_t n = 0; n < s.B; ++n)
    for (index_t t = 0; t < lo; ++t)
      for (index_t k = 0; k < s.K; ++k) {
        T acc = b[k];
        for (index_t j = 0; j < s.W; ++j) {
          const index_t p = n * s.L + t + j;
          if (x[p] == no_symbol) continue;
          acc += (scale ? scale[p] : T{1}) * w[(j * s.C + x[p]) * s.K + k];
        }
        y[(n * lo + t) * s.K + k] = acc;
      }
}

// Assigns dw and db from the output gradient g: (B, L-W+1, K).
template <class T>
void gather_conv1d_backward_ref(const std::uint8_t* x, const T* scale, const T* g, T* dw, T* db,
                                const ConvShape& s) {
  const index_t lo = s.out_len();
  std::fill_n(dw, s.W * s.C * s.K, T{0});
  std::fill_n(db, s.K, T{0});
  for (index_t n = 0; n < s.B; ++n)
    for (index_t t = 0; t < lo; ++t)
      for (index_t k = 0; k < s.K; ++k) {
        const T gk = g[(n * lo + t) * s.K + k];
        db[k] += gk;
        for (index_t j = 0; j < s.W; ++j) {
          const index_t p = n * s.L + t + j;
          if (x[p] == no_symbol) continue;
          dw[(j * s.C + x[p]) * s.K + k] += (scale ? scale[p] : T{1}) * gk;
        }
      }
}

// Fused with max-pooling and ReLU: y (B, Lp, K), argmax (B, Lp, K) the conv
// output row of each winner (kernels/maxpool1d.hpp).
template <class T>
void gather_conv1d_pool_forward_ref(const std::uint8_t* x, const T* scale, const T* w, const T* b, T* y,
                                    std::int32_t* argmax, const ConvShape& s, const FusedPool& p) {
  std::vector<T> conv(to_size(s.B * s.out_len() * s.K));
  gather_conv1d_forward_ref(x, scale, w, b, conv.data(), s);
  relu_pool_ref(conv, y, argmax, s.B, s.out_len(), s.K, p);
}

template <class T>
void gather_conv1d_pool_backward_ref(const std::uint8_t* x, const T* scale, const T* y, const std::int32_t* argmax,
                                     const T* gy, T* dw, T* db, const ConvShape& s, const FusedPool& p) {
  const auto g = relu_pool_backward_ref(y, argmax, gy, s.B, s.out_len(), s.K, p);
  gather_conv1d_backward_ref(x, scale, g.data(), dw, db, s);
}

namespace detail {

// Per position of one sample: offset of its symbol's row in a (C+1, Kp)
// table block; no_symbol reads the zero row C.
inline void symbol_offsets(const std::uint8_t* x, index_t L, index_t C, index_t Kp, std::int32_t* off) {
  for (index_t p = 0; p < L; ++p) assert(x[p] < C || x[p] == no_symbol);
  for (index_t p = 0; p < L; ++p)
    off[p] = static_cast<std::int32_t>((x[p] == no_symbol ? C : static_cast<index_t>(x[p])) * Kp);
}

// R output rows x NV vectors from the table, summed over the W taps. (A
// table of the summed weights of tap pairs, (W/2, (C+1)^2, Kp), halves the
// loads at inference, but at 41 KB next to the output block it misses L1:
// measured no faster at pysster's defaults, so not kept.)
template <class T, int R, int NV, bool Scaled>
inline void gather_block(const std::int32_t* off, const T* scale, const T* table, index_t tap_stride, index_t W,
                         const T* bias, T* y, index_t ldy) {
  using V = simd::batch<T>;
  constexpr index_t w = simd::width<T>;
  V acc[R][NV];
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[r][v] = V::load_aligned(bias + v * w);
  for (index_t j = 0; j < W; ++j) {
    const T* tj = table + j * tap_stride;
#pragma GCC unroll 16
    for (int r = 0; r < R; ++r) {
      const T* row = tj + off[r + j];
      if constexpr (Scaled) {
        const V sv(scale[r + j]);
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[r][v] = xsimd::fma(sv, V::load_aligned(row + v * w), acc[r][v]);
      } else {
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[r][v] += V::load_aligned(row + v * w);
      }
    }
  }
#pragma GCC unroll 16
  for (int r = 0; r < R; ++r)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[r][v].store_aligned(y + r * ldy + v * w);
}

template <class T, int NV, bool Scaled, int R = block_rows<T, NV>>
inline void gather_rows(index_t rows, const std::int32_t* off, const T* scale, const T* table, index_t tap_stride,
                        index_t W, const T* bias, T* y, index_t ldy) {
  index_t r0 = 0;
  for (; r0 + R <= rows; r0 += R)
    gather_block<T, R, NV, Scaled>(off + r0, Scaled ? scale + r0 : scale, table, tap_stride, W, bias, y + r0 * ldy, ldy);
  if constexpr (R > 1) {
    if (rows - r0 > 0)
      gather_rows<T, NV, Scaled, R - 1>(rows - r0, off + r0, Scaled ? scale + r0 : scale, table, tap_stride, W, bias,
                                        y + r0 * ldy, ldy);
  }
}

// One sample's padded output (lo, Kp), bias included.
template <class T, bool Scaled>
void gather_sample(const std::int32_t* off, const T* scale, const T* table, index_t C, index_t W, index_t lo,
                   index_t Kp, const T* bias, T* y) {
  constexpr index_t w = simd::width<T>;
  // Every row load and store is aligned: table, bias and y start on a vector, rows are Kp apart.
  assert(Kp % w == 0);
  assert(reinterpret_cast<std::uintptr_t>(table) % alignof(simd::batch<T>) == 0 &&
         reinterpret_cast<std::uintptr_t>(bias) % alignof(simd::batch<T>) == 0 &&
         reinterpret_cast<std::uintptr_t>(y) % alignof(simd::batch<T>) == 0);
  const index_t tap_stride = (C + 1) * Kp;
  for (index_t j = 0; j < Kp;) {
    const index_t left = (Kp - j) / w;
    if (left >= 4) {
      gather_rows<T, 4, Scaled>(lo, off, scale, table + j, tap_stride, W, bias + j, y + j, Kp);
      j += 4 * w;
    } else if (left == 3) {
      gather_rows<T, 3, Scaled>(lo, off, scale, table + j, tap_stride, W, bias + j, y + j, Kp);
      j += 3 * w;
    } else if (left == 2) {
      gather_rows<T, 2, Scaled>(lo, off, scale, table + j, tap_stride, W, bias + j, y + j, Kp);
      j += 2 * w;
    } else {
      gather_rows<T, 1, Scaled>(lo, off, scale, table + j, tap_stride, W, bias + j, y + j, Kp);
      j += w;
    }
  }
}

// Backward, per symbol: dW[j][c] = sum over positions p holding c of
// scale[p] * g[p - j]. For one symbol and a block of JB taps the JB rows of
// dW stay in registers while the positions of that symbol pass, each adding
// the JB gradient rows p - j0 - jj (a load and an FMA per vector, no store).
// A scatter of every gradient row into the W table rows it touched would
// store as often as it loads, and stores are the slower port: the whole
// backward of a chunk of 32 at pysster's defaults took 0.125 ms that way,
// 0.085 ms this way (Zen 5, one thread).
//   gb: the gradient with W-1 zero rows on both sides, (lo + 2(W-1), Kp),
//       offset by (W-1-j0) rows, so tap j0 + jj of position p reads row p - jj
//   dw: table row (j0, c), taps tap_stride apart; both at the panel's column
template <class T, int NV, int JB, bool Scaled>
inline void symbol_taps(const std::int32_t* pos, index_t count, const T* scale, const T* gb, index_t Kp, T* dw,
                        index_t tap_stride) {
  using V = simd::batch<T>;
  constexpr index_t w = simd::width<T>;
  V acc[JB][NV];
#pragma GCC unroll 16
  for (int jj = 0; jj < JB; ++jj)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[jj][v] = V::load_aligned(dw + jj * tap_stride + v * w);
  for (index_t i = 0; i < count; ++i) {
    const index_t p = pos[i];
    const T* row = gb + p * Kp;
    if constexpr (Scaled) {
      const V sv(scale[p]);
#pragma GCC unroll 16
      for (int jj = 0; jj < JB; ++jj)
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[jj][v] = xsimd::fma(sv, V::load_aligned(row - jj * Kp + v * w), acc[jj][v]);
    } else {
#pragma GCC unroll 16
      for (int jj = 0; jj < JB; ++jj)
#pragma GCC unroll 4
        for (int v = 0; v < NV; ++v) acc[jj][v] += V::load_aligned(row - jj * Kp + v * w);
    }
  }
#pragma GCC unroll 16
  for (int jj = 0; jj < JB; ++jj)
#pragma GCC unroll 4
    for (int v = 0; v < NV; ++v) acc[jj][v].store_aligned(dw + jj * tap_stride + v * w);
}

// Taps [0, W) of one symbol in blocks of JB, the remainder by one smaller block.
template <class T, int NV, bool Scaled, int JB>
inline void symbol_tap_blocks(index_t W, const std::int32_t* pos, index_t count, const T* scale, const T* gb,
                              index_t Kp, T* dw, index_t tap_stride) {
  index_t j0 = 0;
  for (; j0 + JB <= W; j0 += JB)
    symbol_taps<T, NV, JB, Scaled>(pos, count, scale, gb - j0 * Kp, Kp, dw + j0 * tap_stride, tap_stride);
  if constexpr (JB > 1) {
    if (W - j0 > 0)
      symbol_tap_blocks<T, NV, Scaled, JB - 1>(W - j0, pos, count, scale, gb - j0 * Kp, Kp, dw + j0 * tap_stride,
                                               tap_stride);
  }
}

// Blocks of equal size (25 taps: 9 + 9 + 7, not 12 + 12 + 1): every pass over
// the positions then carries as many taps as the others.
template <class T, int NV, bool Scaled, int JB = std::min(12, (simd_registers<T> - 6) / NV)>
inline void symbol_taps_balanced(index_t jb, index_t W, const std::int32_t* pos, index_t count, const T* scale,
                                 const T* gb, index_t Kp, T* dw, index_t tap_stride) {
  if constexpr (JB > 1) {
    if (jb < JB) {
      symbol_taps_balanced<T, NV, Scaled, JB - 1>(jb, W, pos, count, scale, gb, Kp, dw, tap_stride);
      return;
    }
  }
  symbol_tap_blocks<T, NV, Scaled, JB>(W, pos, count, scale, gb, Kp, dw, tap_stride);
}

// Adds one sample's gradient into the (W, C+1, Kp) table. gb: (lo + 2(W-1), Kp)
// with zero borders; order/starts: the sample's positions grouped by symbol.
template <class T, bool Scaled>
void symbol_backward_sample(const std::int32_t* order, const std::int32_t* starts, const T* scale, const T* gb,
                            index_t C, index_t W, index_t Kp, T* table) {
  constexpr index_t w = simd::width<T>;
  assert(Kp % w == 0);
  assert(reinterpret_cast<std::uintptr_t>(gb) % alignof(simd::batch<T>) == 0 &&
         reinterpret_cast<std::uintptr_t>(table) % alignof(simd::batch<T>) == 0);
  const index_t tap_stride = (C + 1) * Kp;
  const T* gb0 = gb + (W - 1) * Kp;  // row of position p for tap 0
  constexpr index_t max_jb = std::min(12, (simd_registers<T> - 6) / 2);
  const index_t blocks = (W + max_jb - 1) / max_jb, jb = (W + blocks - 1) / blocks;
  for (index_t j = 0; j < Kp;) {
    const index_t left = (Kp - j) / w;
    const int nv = left >= 2 ? 2 : 1;
    for (index_t c = 0; c < C; ++c) {
      const std::int32_t* pos = order + starts[c];
      const index_t count = starts[c + 1] - starts[c];
      if (count == 0) continue;
      if (nv == 2)
        symbol_taps_balanced<T, 2, Scaled>(jb, W, pos, count, scale, gb0 + j, Kp, table + c * Kp + j, tap_stride);
      else
        symbol_taps_balanced<T, 1, Scaled>(jb, W, pos, count, scale, gb0 + j, Kp, table + c * Kp + j, tap_stride);
    }
    j += nv * w;
  }
}

// Positions of one sample grouped by symbol (counting sort); no_symbol is left out.
inline void group_positions(const std::uint8_t* x, index_t L, index_t C, std::int32_t* order, std::int32_t* starts) {
  for (index_t p = 0; p < L; ++p) assert(x[p] < C || x[p] == no_symbol);
  std::fill_n(starts, C + 1, 0);
  for (index_t p = 0; p < L; ++p)
    if (x[p] != no_symbol) ++starts[x[p] + 1];
  for (index_t c = 0; c < C; ++c) starts[c + 1] += starts[c];
  for (index_t p = 0; p < L; ++p)
    if (x[p] != no_symbol) order[starts[x[p]]++] = static_cast<std::int32_t>(p);
  for (index_t c = C; c > 0; --c) starts[c] = starts[c - 1];  // back to the group starts
  starts[0] = 0;
}

template <class T, class Epilogue>
void gather_samples(const std::uint8_t* x, const T* scale, const T* w, const T* b, const ConvShape& s,
                    ConvScratch<T>& sc, Epilogue&& epilogue) {
  const index_t lo = s.out_len(), C = s.C, K = s.K, Kp = simd_padded<T>(K);
  assign_zero(sc.w_pad, s.W * (C + 1) * Kp);
  for (index_t j = 0; j < s.W; ++j)
    for (index_t c = 0; c < C; ++c) std::copy_n(w + (j * C + c) * K, K, sc.w_pad.data() + (j * (C + 1) + c) * Kp);
  assign_zero(sc.b_pad, Kp);
  std::copy_n(b, K, sc.b_pad.data());
  sc.y_pad.resize(to_size(lo * Kp));
  sc.offsets.resize(to_size(s.L));
  for (index_t n = 0; n < s.B; ++n) {
    symbol_offsets(x + n * s.L, s.L, C, Kp, sc.offsets.data());
    if (scale)
      gather_sample<T, true>(sc.offsets.data(), scale + n * s.L, sc.w_pad.data(), C, s.W, lo, Kp, sc.b_pad.data(),
                             sc.y_pad.data());
    else
      gather_sample<T, false>(sc.offsets.data(), scale, sc.w_pad.data(), C, s.W, lo, Kp, sc.b_pad.data(),
                              sc.y_pad.data());
    epilogue(n, static_cast<const T*>(sc.y_pad.data()));
  }
}

template <class T, class PreGrad>
void gather_backward_samples(const std::uint8_t* x, const T* scale, T* dw, T* db, const ConvShape& s,
                             ConvScratch<T>& sc, PreGrad&& pre_grad) {
  const index_t lo = s.out_len(), C = s.C, K = s.K, Kp = simd_padded<T>(K);
  assign_zero(sc.dw_pad, s.W * (C + 1) * Kp);
  assign_zero(sc.db_pad, Kp);
  // The gradient between W-1 zero rows on each side; columns K..Kp stay zero.
  assign_zero(sc.g_pad, (lo + 2 * (s.W - 1)) * Kp);
  T* g = sc.g_pad.data() + (s.W - 1) * Kp;
  sc.offsets.resize(to_size(s.L));
  sc.starts.resize(to_size(C + 1));
  for (index_t n = 0; n < s.B; ++n) {
    pre_grad(n, g);
    add_rows(g, lo, Kp, sc.db_pad.data());
    group_positions(x + n * s.L, s.L, C, sc.offsets.data(), sc.starts.data());
    if (scale)
      symbol_backward_sample<T, true>(sc.offsets.data(), sc.starts.data(), scale + n * s.L, sc.g_pad.data(), C, s.W,
                                      Kp, sc.dw_pad.data());
    else
      symbol_backward_sample<T, false>(sc.offsets.data(), sc.starts.data(), scale, sc.g_pad.data(), C, s.W, Kp,
                                       sc.dw_pad.data());
  }
  for (index_t j = 0; j < s.W; ++j)
    for (index_t c = 0; c < C; ++c) std::copy_n(sc.dw_pad.data() + (j * (C + 1) + c) * Kp, K, dw + (j * C + c) * K);
  std::copy_n(sc.db_pad.data(), K, db);
}

}  // namespace detail

template <class T>
void gather_conv1d_forward(const std::uint8_t* x, const T* scale, const T* w, const T* b, T* y, const ConvShape& s,
                           ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K);
  detail::gather_samples(x, scale, w, b, s, scratch, [&](index_t n, const T* yp) {
    T* yn = y + n * lo * K;
    for (index_t t = 0; t < lo; ++t) std::copy_n(yp + t * Kp, K, yn + t * K);
  });
}

template <class T>
void gather_conv1d_backward(const std::uint8_t* x, const T* scale, const T* g, T* dw, T* db, const ConvShape& s,
                            ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K);
  detail::gather_backward_samples(x, scale, dw, db, s, scratch,
                                  [&](index_t n, T* gp) { detail::pad_rows(g + n * lo * K, lo, K, K, gp, Kp); });
}

template <class T>
void gather_conv1d_pool_forward(const std::uint8_t* x, const T* scale, const T* w, const T* b, T* y,
                                std::int32_t* argmax, const ConvShape& s, const FusedPool& p,
                                ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K), per = p.out_len(lo) * K;
  scratch.rows.resize(to_size(2 * Kp));
  scratch.row_argmax.resize(to_size(Kp));
  detail::gather_samples(x, scale, w, b, s, scratch, [&](index_t n, const T* yp) {
    detail::pool_epilogue(yp, lo, K, Kp, p, y + n * per, argmax + n * per, (s.B - n) * per, scratch.rows.data(),
                          scratch.row_argmax.data());
  });
}

template <class T>
void gather_conv1d_pool_backward(const std::uint8_t* x, const T* scale, const T* y, const std::int32_t* argmax,
                                 const T* gy, T* dw, T* db, const ConvShape& s, const FusedPool& p,
                                 ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K), per = p.out_len(lo) * K;
  scratch.rows.resize(to_size(2 * Kp));
  scratch.row_argmax.resize(to_size(Kp));
  detail::gather_backward_samples(x, scale, dw, db, s, scratch, [&](index_t n, T* gp) {
    detail::unpool_gradient(gy + n * per, y + n * per, argmax + n * per, lo, K, Kp, p, gp, (s.B - n) * per,
                            scratch.rows.data(), scratch.row_argmax.data());
  });
}

}  // namespace sster::kernels
