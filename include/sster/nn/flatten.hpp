#pragma once
// Flatten<T>: (B, L, C) -> (B, 1, L*C). Channels-last memory is already in
// Keras' flatten order, so this is a copy that changes only the shape.
#include <algorithm>

#include "sster/nn/layer.hpp"

namespace sster {

template <class T>
struct Flatten : NoParams {
  static constexpr const char* keras_type = "flatten";

  Shape output_shape(Shape in) const { return {in.B, 1, in.L * in.C}; }
  void forward(const Tensor<T>& x, Tensor<T>& y, Context&) { std::copy_n(x.data(), x.size(), y.data()); }
  void backward(const Tensor<T>&, const Tensor<T>&, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context&) {
    std::copy_n(grad_out.data(), grad_out.size(), grad_in.data());
  }
};

static_assert(Layer<Flatten<float>, float>);

}  // namespace sster
