#pragma once
// Keras max_norm(c) with its default axis=0: the L2 norm runs over the first
// weight axis only, i.e. for a weight tensor of shape (d0, rest...) viewed as
// a (d0, r) matrix, each of the r columns is rescaled to norm <= c:
//   w *= clip(norm, 0, c) / (epsilon + norm),  epsilon = 1e-7 (Keras).
// For a conv kernel (W, C, K) that is the norm over the kernel length of each
// (channel, kernel) pair; for a dense kernel (inputs, units) over the inputs
// of each unit.
#include <algorithm>
#include <cmath>
#include <vector>

#include "sster/core/tensor.hpp"

namespace sster {

template <class T>
void apply_max_norm(T* w, index_t first_axis, index_t rest, double max_value) {
  std::vector<double> norms(to_size(rest), 0.0);
  for (index_t i = 0; i < first_axis; ++i)
    for (index_t j = 0; j < rest; ++j) {
      const double x = static_cast<double>(w[i * rest + j]);
      at(norms, j) += x * x;
    }
  for (auto& n : norms) {
    n = std::sqrt(n);
    n = std::min(n, max_value) / (1e-7 + n);
  }
  for (index_t i = 0; i < first_axis; ++i)
    for (index_t j = 0; j < rest; ++j) w[i * rest + j] *= static_cast<T>(at(norms, j));
}

}  // namespace sster
