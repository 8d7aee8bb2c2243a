#pragma once
// The kernels' row layout: rows of K values padded to Kp (a whole number of
// SIMD vectors, zero past K), so that every row is whole vectors; and back.
#include <algorithm>
#include <cassert>

#include "sster/core/index.hpp"

namespace sster::kernels {

// rows x K values (row stride ld_in) -> rows x Kp, zero columns K..Kp.
template <class T>
void pad_rows(const T* in, index_t rows, index_t K, index_t ld_in, T* out, index_t Kp) {
  assert(Kp >= K);
  for (index_t r = 0; r < rows; ++r) {
    std::copy_n(in + r * ld_in, K, out + r * Kp);
    std::fill(out + r * Kp + K, out + (r + 1) * Kp, T{0});
  }
}

// rows x Kp -> rows x K: the first K values of each padded row.
template <class T>
void unpad_rows(const T* in, index_t rows, index_t K, index_t Kp, T* out) {
  assert(Kp >= K);
  for (index_t r = 0; r < rows; ++r) std::copy_n(in + r * Kp, K, out + r * K);
}

}  // namespace sster::kernels
