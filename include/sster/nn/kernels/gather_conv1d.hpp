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
    gather_sample(sc.offsets.data(), scale ? scale + n * s.L : scale, sc.w_pad.data(), C, s.W, lo, Kp,
                  sc.b_pad.data(), sc.y_pad.data());
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
    group_positions(x + n * s.L, s.L, C, sc.offsets.data(), sc.starts.data());
    add_rows(static_cast<const T*>(g), lo, Kp, sc.db_pad.data());
    symbol_backward_sample(sc.offsets.data(), sc.starts.data(), scale ? scale + n * s.L : scale, sc.g_pad.data(), C,
                           s.W, Kp, sc.dw_pad.data());
  }
  for (index_t j = 0; j < s.W; ++j)
    unpad_rows(static_cast<const T*>(sc.dw_pad.data()) + j * (C + 1) * Kp, C, K, Kp, dw + j * C * K);
  std::copy_n(sc.db_pad.data(), K, db);
}

}  // namespace detail

template <class T>
void gather_conv1d_forward(const std::uint8_t* x, const T* scale, const T* w, const T* b, T* y, const ConvShape& s,
                           ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K);
  detail::gather_samples(x, scale, w, b, s, scratch,
                         [&](index_t n, const T* yp) { unpad_rows(yp, lo, K, Kp, y + n * lo * K); });
}

template <class T>
void gather_conv1d_backward(const std::uint8_t* x, const T* scale, const T* g, T* dw, T* db, const ConvShape& s,
                            ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K);
  detail::gather_backward_samples(x, scale, dw, db, s, scratch,
                                  [&](index_t n, T* gp) { pad_rows(g + n * lo * K, lo, K, K, gp, Kp); });
}

template <class T>
void gather_conv1d_pool_forward(const std::uint8_t* x, const T* scale, const T* w, const T* b, T* y,
                                std::int32_t* argmax, const ConvShape& s, const FusedPool& p,
                                ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K), per = p.out_len(lo) * K;
  scratch.rows.resize(to_size(2 * Kp));
  scratch.row_argmax.resize(to_size(Kp));
  detail::gather_samples(x, scale, w, b, s, scratch, [&](index_t n, const T* yp) {
    pool_epilogue(yp, lo, K, Kp, p, y + n * per, argmax + n * per, (s.B - n) * per, scratch.rows.data(),
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
    unpool_gradient(gy + n * per, y + n * per, argmax + n * per, lo, K, Kp, p, gp, (s.B - n) * per,
                    scratch.rows.data(), scratch.row_argmax.data());
  });
}

}  // namespace sster::kernels
