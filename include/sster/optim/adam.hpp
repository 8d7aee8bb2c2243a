#pragma once
// Adam (Kingma & Ba 2015, Algorithm 1) in the form Keras 2.2 implements:
//   t += 1;  lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
//   p -= lr_t * m / (sqrt(v) + epsilon)
// One flat loop over all parameters: the model keeps them in one buffer.
#include <cmath>
#include <cstdint>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/tensor.hpp"

namespace sster {

struct AdamState {
  AlignedVector<float> m, v;
  std::int64_t t = 0;
};

struct Adam {
  double learning_rate = 0.0005;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double epsilon = 1e-7;  // Keras' default, added outside the square root

  template <class T>
  void step(AdamState& state, T* params, const T* grads, index_t n) const {
    if (state.m.size() != static_cast<std::size_t>(n)) {
      state.m.assign(static_cast<std::size_t>(n), 0.0f);
      state.v.assign(static_cast<std::size_t>(n), 0.0f);
    }
    ++state.t;
    const double t = static_cast<double>(state.t);
    const float lr_t = static_cast<float>(learning_rate * std::sqrt(1 - std::pow(beta2, t)) / (1 - std::pow(beta1, t)));
    const float b1 = static_cast<float>(beta1), b2 = static_cast<float>(beta2), eps = static_cast<float>(epsilon);
    float* m = state.m.data();
    float* v = state.v.data();
    for (index_t i = 0; i < n; ++i) {
      const float g = static_cast<float>(grads[i]);
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      params[i] -= static_cast<T>(lr_t * m[i] / (std::sqrt(v[i]) + eps));
    }
  }
};

}  // namespace sster
