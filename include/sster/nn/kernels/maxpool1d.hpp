#pragma once
// Max pooling along the length, per channel.
//   x: (B, L, C) -> y: (B, Lo, C), Lo = floor((L - size) / stride) + 1
// argmax holds, per output element, the flat index of the winning input
// within its sample, so backward routes each gradient to exactly one input.
#include <algorithm>
#include <cstdint>

#include "sster/core/tensor.hpp"

namespace sster::kernels {

struct PoolShape {
  index_t B, L, C, size, stride;
  index_t out_len() const { return (L - size) / stride + 1; }
};

template <class T>
void maxpool1d_forward(const T* x, T* y, std::int32_t* argmax, const PoolShape& s) {
  const index_t lo = s.out_len();
  for (index_t n = 0; n < s.B; ++n) {
    const T* xn = x + n * s.L * s.C;
    for (index_t t = 0; t < lo; ++t) {
      const index_t o = (n * lo + t) * s.C;
      const index_t first = t * s.stride * s.C;
      std::copy_n(xn + first, s.C, y + o);
      for (index_t c = 0; c < s.C; ++c) argmax[o + c] = static_cast<std::int32_t>(first + c);
      for (index_t i = 1; i < s.size; ++i) {
        const index_t row = first + i * s.C;
        for (index_t c = 0; c < s.C; ++c)
          if (xn[row + c] > y[o + c]) {  // strict: the first maximum wins, as in Keras
            y[o + c] = xn[row + c];
            argmax[o + c] = static_cast<std::int32_t>(row + c);
          }
      }
    }
  }
}

// Assigns dx: zero except at the winners (which receive the sum of the
// gradients of every window they won, when windows overlap).
template <class T>
void maxpool1d_backward(const T* g, const std::int32_t* argmax, T* dx, const PoolShape& s) {
  const index_t lo = s.out_len();
  std::fill_n(dx, s.B * s.L * s.C, T{0});
  for (index_t n = 0; n < s.B; ++n) {
    T* dxn = dx + n * s.L * s.C;
    const index_t o = n * lo * s.C;
    for (index_t i = 0; i < lo * s.C; ++i) dxn[argmax[o + i]] += g[o + i];
  }
}

}  // namespace sster::kernels
