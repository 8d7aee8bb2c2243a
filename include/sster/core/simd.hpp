#pragma once
// The few vector loops sster needs, written once on xsimd (Debian's 8.x API,
// hence xsimd::hadd, not reduce_add). Each has a scalar tail with the same
// expression, so any length works.
#include <xsimd/xsimd.hpp>

#include <algorithm>
#include <cstddef>

#include "sster/core/tensor.hpp"

namespace sster::simd {

template <class T>
using batch = xsimd::batch<T>;

template <class T>
constexpr std::size_t width = batch<T>::size;

// y[i] += x[i]
template <class T>
void add(index_t n, const T* x, T* y) {
  constexpr index_t w = width<T>;
  const index_t vec_end = n - n % w;
  for (index_t i = 0; i < vec_end; i += w)
    (batch<T>::load_unaligned(y + i) + batch<T>::load_unaligned(x + i)).store_unaligned(y + i);
  for (index_t i = vec_end; i < n; ++i) y[i] += x[i];
}

// y[i] = max(y[i], 0)
template <class T>
void relu(index_t n, T* y) {
  constexpr index_t w = width<T>;
  const index_t vec_end = n - n % w;
  const batch<T> zero(T{0});
  for (index_t i = 0; i < vec_end; i += w) xsimd::max(batch<T>::load_unaligned(y + i), zero).store_unaligned(y + i);
  for (index_t i = vec_end; i < n; ++i) y[i] = std::max(y[i], T{0});
}

}  // namespace sster::simd
