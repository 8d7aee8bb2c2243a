#pragma once
// Max pooling along the length, per channel.
//   x: (B, L, C) -> y: (B, Lo, C), Lo = floor((L - size) / stride) + 1
// argmax (B, Lo, C) holds, per output element, the row of the winning input
// (its position along the length, within its sample), so backward routes
// each gradient to exactly one input. The first maximum wins (strict >), as
// in Keras. Every pooling in sster keeps its winners this way, the pooling
// fused into a convolution's epilogue included (kernels/conv1d.hpp).
#include <algorithm>
#include <cassert>
#include <cstdint>

#include "sster/core/tensor.hpp"

namespace sster::kernels {

struct PoolShape {
  index_t B, L, C, size, stride;
  index_t out_len() const { return (L - size) / stride + 1; }
};

template <class T>
void maxpool1d_forward_ref(const T* x, T* y, std::int32_t* argmax, const PoolShape& s) {
  const index_t lo = s.out_len();
  for (index_t n = 0; n < s.B; ++n)
    for (index_t t = 0; t < lo; ++t)
      for (index_t c = 0; c < s.C; ++c) {
        index_t best = t * s.stride;
        for (index_t i = 1; i < s.size; ++i)
          if (x[(n * s.L + t * s.stride + i) * s.C + c] > x[(n * s.L + best) * s.C + c]) best = t * s.stride + i;
        y[(n * lo + t) * s.C + c] = x[(n * s.L + best) * s.C + c];
        argmax[(n * lo + t) * s.C + c] = static_cast<std::int32_t>(best);
      }
}

// Assigns dx: zero except at the winners (which receive the sum of the
// gradients of every window they won, when windows overlap).
template <class T>
void maxpool1d_backward_ref(const T* g, const std::int32_t* argmax, T* dx, const PoolShape& s) {
  const index_t lo = s.out_len();
  std::fill_n(dx, s.B * s.L * s.C, T{0});
  for (index_t n = 0; n < s.B; ++n)
    for (index_t t = 0; t < lo; ++t)
      for (index_t c = 0; c < s.C; ++c) {
        const index_t i = (n * lo + t) * s.C + c;
        dx[(n * s.L + argmax[i]) * s.C + c] += g[i];
      }
}

// Row-at-a-time with branch-free selects, which the compiler vectorises over c.
template <class T>
void maxpool1d_forward(const T* x, T* y, std::int32_t* argmax, const PoolShape& s) {
  const index_t lo = s.out_len(), C = s.C;
  for (index_t n = 0; n < s.B; ++n) {
    const T* xn = x + n * s.L * C;
    for (index_t t = 0; t < lo; ++t) {
      T* yt = y + (n * lo + t) * C;
      std::int32_t* at = argmax + (n * lo + t) * C;
      const index_t first = t * s.stride;
      std::copy_n(xn + first * C, C, yt);
      std::fill_n(at, C, static_cast<std::int32_t>(first));
      for (index_t i = 1; i < s.size; ++i) {
        const T* row = xn + (first + i) * C;
        const auto r = static_cast<std::int32_t>(first + i);
        for (index_t c = 0; c < C; ++c) {
          const bool win = row[c] > yt[c];  // strict: the first maximum wins
          yt[c] = win ? row[c] : yt[c];
          at[c] = win ? r : at[c];
        }
      }
    }
  }
}

// The maxima alone, for inference (genome/sliding_network.hpp): no winners
// to remember for a backward pass.
template <class T>
void maxpool1d_forward_values(const T* x, T* y, const PoolShape& s) {
  const index_t lo = s.out_len(), C = s.C;
  for (index_t n = 0; n < s.B; ++n) {
    const T* xn = x + n * s.L * C;
    for (index_t t = 0; t < lo; ++t) {
      T* yt = y + (n * lo + t) * C;
      const T* window = xn + t * s.stride * C;
      for (index_t c = 0; c < C; ++c) yt[c] = window[c];
      for (index_t i = 1; i < s.size; ++i)
        for (index_t c = 0; c < C; ++c) yt[c] = std::max(yt[c], window[i * C + c]);
    }
  }
}

template <class T>
void maxpool1d_backward(const T* g, const std::int32_t* argmax, T* dx, const PoolShape& s) {
  const index_t lo = s.out_len(), C = s.C;
  std::fill_n(dx, s.B * s.L * C, T{0});
  for (index_t n = 0; n < s.B; ++n) {
    T* dxn = dx + n * s.L * C;
    const index_t o = n * lo * C;
    for (index_t t = 0; t < lo; ++t)
      for (index_t c = 0; c < C; ++c) {
        const index_t row = argmax[o + t * C + c];
        assert(row >= t * s.stride && row < t * s.stride + s.size);  // a row of the window
        dxn[row * C + c] += g[o + t * C + c];
      }
  }
}

}  // namespace sster::kernels
