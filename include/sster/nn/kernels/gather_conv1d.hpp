#pragma once
// First-layer convolution on symbol indices: the input is one uint8_t per
// position instead of a one-hot (L, C) matrix, so the product with a one-hot
// column is a lookup. y[t, k] = b[k] + sum_j scale[t+j] * w[j, x[t+j], k].
//   x: (B, L) symbols, no_symbol = all channels zero (padding, dropped input)
//   scale: (B, L) per-position input scale (dropout), or null for 1
//   w: (W, C, K)   b: (K)   y: (B, L-W+1, K)
#include <algorithm>
#include <cstdint>

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

// Fast forward: every output row is a sum of W weight rows of length K, added
// in tap order (row-vector adds the compiler vectorises over k).
template <class T>
void gather_conv1d_forward(const std::uint8_t* x, const T* scale, const T* w, const T* b, T* y,
                           const ConvShape& s) {
  const index_t lo = s.out_len(), K = s.K;
  for (index_t n = 0; n < s.B; ++n) {
    const std::uint8_t* xn = x + n * s.L;
    const T* sn = scale ? scale + n * s.L : nullptr;
    T* yn = y + n * lo * K;
    for (index_t t = 0; t < lo; ++t) std::copy_n(b, K, yn + t * K);
    for (index_t j = 0; j < s.W; ++j) {
      const T* wj = w + j * s.C * K;
      for (index_t t = 0; t < lo; ++t) {
        const std::uint8_t sym = xn[t + j];
        if (sym == no_symbol) continue;
        const T f = sn ? sn[t + j] : T{1};
        const T* row = wj + sym * K;
        T* out = yn + t * K;
        for (index_t k = 0; k < K; ++k) out[k] += f * row[k];
      }
    }
  }
}

template <class T>
void gather_conv1d_backward(const std::uint8_t* x, const T* scale, const T* g, T* dw, T* db, const ConvShape& s) {
  const index_t lo = s.out_len(), K = s.K;
  std::fill_n(dw, s.W * s.C * K, T{0});
  std::fill_n(db, K, T{0});
  for (index_t n = 0; n < s.B; ++n) {
    const std::uint8_t* xn = x + n * s.L;
    const T* sn = scale ? scale + n * s.L : nullptr;
    const T* gn = g + n * lo * K;
    for (index_t t = 0; t < lo; ++t)
      for (index_t k = 0; k < K; ++k) db[k] += gn[t * K + k];
    for (index_t j = 0; j < s.W; ++j) {
      T* dwj = dw + j * s.C * K;
      for (index_t t = 0; t < lo; ++t) {
        const std::uint8_t sym = xn[t + j];
        if (sym == no_symbol) continue;
        const T f = sn ? sn[t + j] : T{1};
        T* row = dwj + sym * K;
        const T* gt = gn + t * K;
        for (index_t k = 0; k < K; ++k) row[k] += f * gt[k];
      }
    }
  }
}

}  // namespace sster::kernels
