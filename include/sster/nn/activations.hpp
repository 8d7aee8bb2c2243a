#pragma once
// Element-wise activations and their derivatives, and the output
// nonlinearities (softmax, sigmoid) in numerically stable forms.
#include <algorithm>
#include <cmath>

#include "sster/core/simd.hpp"
#include "sster/core/tensor.hpp"
#include "sster/nn/layer.hpp"

namespace sster {

// The activation on y (n values), in place.
template <class T>
void apply_activation(Activation act, index_t n, T* y) {
  if (act == Activation::relu) simd::relu(n, y);
}

// Gradient through the activation, from its output: g_in = g_out * act'(y).
template <class T>
void activation_backward(Activation act, index_t n, const T* y, const T* g_out, T* g_in) {
  if (act == Activation::relu) {
    for (index_t i = 0; i < n; ++i) g_in[i] = y[i] > T{0} ? g_out[i] : T{0};
    return;
  }
  std::copy_n(g_out, n, g_in);
}

// Softmax over each row of x (rows, m), max-shifted so exp never overflows.
template <class T>
void softmax_rows(index_t rows, index_t m, const T* x, T* p) {
  for (index_t r = 0; r < rows; ++r) {
    const T* xr = x + r * m;
    T* pr = p + r * m;
    const T top = *std::max_element(xr, xr + m);
    T sum = 0;
    for (index_t i = 0; i < m; ++i) sum += pr[i] = std::exp(xr[i] - top);
    for (index_t i = 0; i < m; ++i) pr[i] /= sum;
  }
}

template <class T>
T sigmoid(T x) {
  // Two branches so exp only sees non-positive arguments.
  if (x >= 0) return T{1} / (T{1} + std::exp(-x));
  const T e = std::exp(x);
  return e / (T{1} + e);
}

}  // namespace sster
