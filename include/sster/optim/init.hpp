#pragma once
// Initial parameter values, as Keras initialises pysster's layers:
// kernels RandomUniform(-0.05, 0.05), biases zeros (ones where a layer asks,
// e.g. the LSTM forget gate), recurrent kernels orthogonal. Every value is keyed by (seed, parameter
// tensor index, element), so the initial model does not depend on threads.
#include <algorithm>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/random.hpp"
#include "sster/nn/layer.hpp"
#include "sster/nn/orthogonal.hpp"

namespace sster {

// Fills `values` (laid out as the specs, one after another) for one model.
template <class T>
void initialize_parameters(const std::vector<ParamSpec>& specs, T* values, std::uint64_t seed) {
  for (std::size_t s = 0; s < specs.size(); ++s) {
    const auto& spec = specs[s];
    const index_t n = spec.size();
    switch (spec.init) {
      case Init::zeros:
        std::fill_n(values, n, T{0});
        break;
      case Init::ones:
        std::fill_n(values, n, T{1});
        break;
      case Init::uniform: {
        const auto key = RandomKey(seed, Purpose::init).with(s);
        for (index_t i = 0; i < n; ++i) values[i] = static_cast<T>(-0.05 + 0.1 * key.uniform(static_cast<std::uint64_t>(i)));
        break;
      }
      case Init::orthogonal: {  // Keras Orthogonal: the whole (rows, last axis) matrix
        RandomStream rng(RandomKey(seed, Purpose::init).with(s));
        orthogonal_init(values, n / spec.shape.back(), spec.shape.back(), rng);
        break;
      }
    }
    values += n;
  }
}

}  // namespace sster
