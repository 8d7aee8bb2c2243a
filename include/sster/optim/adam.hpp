#pragma once
// Adam (Kingma & Ba 2015, Algorithm 1) in the form Keras 2.2 implements:
//   t += 1;  lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)
//   m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
//   p -= lr_t * m / (sqrt(v) + epsilon)
// One flat loop over all parameters: the model keeps them in one buffer.
#include <xsimd/xsimd.hpp>

#include <cmath>
#include <cstdint>
#include <type_traits>
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

  // What one step applies to every parameter.
  struct StepCoefficients {
    float lr_t, b1, b2, eps;
  };

  // Advances the step count (sizing the moments on the first step) and
  // returns this step's coefficients; update() then applies them to any
  // split of [0, n), in any order: each parameter's update reads only its own
  // gradient and moments.
  StepCoefficients begin_step(AdamState& state, index_t n) const {
    if (state.m.size() != to_size(n)) {
      state.m.assign(to_size(n), 0.0f);
      state.v.assign(to_size(n), 0.0f);
    }
    ++state.t;
    const double t = static_cast<double>(state.t);
    return {static_cast<float>(learning_rate * std::sqrt(1 - std::pow(beta2, t)) / (1 - std::pow(beta1, t))),
            static_cast<float>(beta1), static_cast<float>(beta2), static_cast<float>(epsilon)};
  }

  // Parameters [begin, end) of one step. float parameters a vector at a
  // time (xsimd at the build's baseline; the same operations in the same
  // order as the scalar tail, so the same bits): written as a plain loop,
  // std::sqrt's errno stays scalar and Adam took 3% of a training profile.
  template <class T>
  static void update(const StepCoefficients& c, AdamState& state, T* params, const T* grads, index_t begin,
                     index_t end) {
    float* m = state.m.data();
    float* v = state.v.data();
    // One parameter, or a vector of them: g its gradient, mi and vi its moments (updated).
    const auto moved = [&c](auto g, auto& mi, auto& vi) {
      using std::sqrt;  // float's, or xsimd's found by argument
      mi = c.b1 * mi + (1 - c.b1) * g;
      vi = c.b2 * vi + (1 - c.b2) * g * g;
      return c.lr_t * mi / (sqrt(vi) + c.eps);
    };
    index_t i = begin;
    if constexpr (std::is_same_v<T, float>) {
      using V = xsimd::batch<float>;
      for (; i + static_cast<index_t>(V::size) <= end; i += static_cast<index_t>(V::size)) {
        V mi = V::load_unaligned(m + i), vi = V::load_unaligned(v + i);
        const V step = moved(V::load_unaligned(grads + i), mi, vi);
        mi.store_unaligned(m + i);
        vi.store_unaligned(v + i);
        (V::load_unaligned(params + i) - step).store_unaligned(params + i);
      }
    }
    for (; i < end; ++i) params[i] -= static_cast<T>(moved(static_cast<float>(grads[i]), m[i], v[i]));
  }

  // One step over all n parameters.
  template <class T>
  void step(AdamState& state, T* params, const T* grads, index_t n) const {
    update(begin_step(state, n), state, params, grads, 0, n);
  }
};

}  // namespace sster
