#pragma once
// MaxPool1D<T>: Keras MaxPooling1D (valid).
//   x: (B, L, C) -> y: (B, floor((L - size) / stride) + 1, C)
// After a convolution it runs fused into the convolution's epilogue
// (nn/conv_pool1d.hpp), which takes its size and stride from a MaxPool1D.
#include <cstdint>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/nn/kernels/maxpool1d.hpp"
#include "sster/nn/layer.hpp"

namespace sster {

template <class T>
struct MaxPool1D : NoParams {
  static constexpr const char* keras_type = "max_pooling1d";

  index_t size = 2;
  index_t stride = 2;

  Shape output_shape(Shape in) const {
    require(in.L >= size, "MaxPool1D: pool size " + std::to_string(size) + " exceeds the input length " +
                              std::to_string(in.L));
    return {in.B, (in.L - size) / stride + 1, in.C};
  }
  void forward(const Tensor<T>& x, Tensor<T>& y, Context&) {
    argmax_.resize(to_size(y.size()));
    kernels::maxpool1d_forward(x.data(), y.data(), argmax_.data(), pool_shape(x.shape()));
  }
  void backward(const Tensor<T>& x, const Tensor<T>&, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context&) {
    kernels::maxpool1d_backward(grad_out.data(), argmax_.data(), grad_in.data(), pool_shape(x.shape()));
  }
  // First input position of output position t: where a motif window starts.
  index_t map_to_input(index_t t) const { return t * stride; }

  // Internal state below (public only so the layer stays an aggregate
  // and can be configured with designated initialisers).
  kernels::PoolShape pool_shape(Shape in) const { return {in.B, in.L, in.C, size, stride}; }
  std::vector<std::int32_t> argmax_;  // forward cache: the winner's row (kernels/maxpool1d.hpp)
};

static_assert(Layer<MaxPool1D<float>, float>);

}  // namespace sster
