#pragma once
// Conv1D<T>: Keras Conv1D with valid padding, stride 1, bias and an
// activation (ReLU in pysster's networks).
//   x: (B, L, C) -> y: (B, L - W + 1, K); weights (W, C, K), bias (K)
// pysster's networks run it fused with the pooling that follows
// (nn/conv_pool1d.hpp, nn/symbol_conv_pool1d.hpp), which hold a Conv1D for
// its configuration, weights and buffers.
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/nn/activations.hpp"
#include "sster/nn/kernels/conv1d.hpp"
#include "sster/nn/layer.hpp"

namespace sster {

template <class T>
struct Conv1D {
  static constexpr const char* keras_type = "conv1d";

  index_t in_channels = 0;
  index_t kernels = 0;
  index_t width = 0;  // kernel length
  Activation activation = Activation::relu;

  Shape output_shape(Shape in) const {
    require(in.L >= width, "Conv1D: kernel length " + std::to_string(width) + " exceeds the input length " +
                               std::to_string(in.L));
    return {in.B, in.L - width + 1, kernels};
  }
  std::vector<ParamSpec> param_specs() const {
    return {{"kernel", {width, in_channels, kernels}, Init::uniform, true}, {"bias", {kernels}, Init::zeros, false}};
  }
  void bind(T* values, T* grads) {
    w_ = values;
    b_ = values + width * in_channels * kernels;
    dw_ = grads;
    db_ = grads + width * in_channels * kernels;
  }
  // The convolution of a layer that holds one (fused layers hold a Conv1D).
  const Conv1D& convolution() const { return *this; }

  void forward(const Tensor<T>& x, Tensor<T>& y, Context& ctx) {
    const auto s = conv_shape(x.shape().B, x.shape().L);
    kernels::conv1d_forward(x.data(), w_, b_, y.data(), s, scratch_, kernels::ConvAlgorithm::fastest, ctx.training);
    finish_forward(y);
  }
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context&) {
    const auto s = conv_shape(x.shape().B, x.shape().L);
    const T* g = pre_activation_grad(y, grad_out);
    kernels::conv1d_backward(x.data(), w_, g, grad_in.data(), dw_, db_, s, scratch_, kernels::ConvAlgorithm::fastest);
  }

  // Internal state below (public only so the layer stays an aggregate
  // and can be configured with designated initialisers; the fused layers
  // run their kernels on it).
  kernels::ConvShape conv_shape(index_t B, index_t L) const { return {B, L, in_channels, kernels, width}; }
  // The pooling that follows, fused into the convolution's epilogue.
  kernels::FusedPool fused(index_t size, index_t stride) const {
    return {.size = size, .stride = stride, .relu = activation == Activation::relu};
  }
  void finish_forward(Tensor<T>& y) {
    apply_activation(activation, y.size(), y.data());  // the kernels added the bias
  }
  const T* pre_activation_grad(const Tensor<T>& y, const Tensor<T>& grad_out) {
    if (activation == Activation::linear) return grad_out.data();
    g_.resize(grad_out.shape());
    activation_backward(activation, grad_out.size(), y.data(), grad_out.data(), g_.data());
    return g_.data();
  }

  T* w_ = nullptr;
  T* b_ = nullptr;
  T* dw_ = nullptr;
  T* db_ = nullptr;
  Tensor<T> g_;  // gradient before the activation
  kernels::ConvScratch<T> scratch_;
};

static_assert(Layer<Conv1D<float>, float>);

}  // namespace sster
