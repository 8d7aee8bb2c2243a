#pragma once
// Conv1D<T>: Keras Conv1D with valid padding, stride 1, bias and an
// activation (ReLU in pysster's networks).
//   x: (B, L, C) -> y: (B, L - W + 1, K); weights (W, C, K), bias (K)
// As the first layer it can also read symbol indices (one uint8_t per
// position) and gather weight rows instead of multiplying a one-hot matrix.
// The *_pooled variants run the MaxPool1D that follows in the convolution's
// epilogue (Network uses them for every Conv1D -> MaxPool1D pair): they
// write the pooled output and never materialise the convolution's output.
#include <cstdint>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/nn/activations.hpp"
#include "sster/nn/kernels/conv1d.hpp"
#include "sster/nn/kernels/gather_conv1d.hpp"
#include "sster/nn/layer.hpp"

namespace sster {

template <class T>
struct Conv1D {
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
  const T* weights() const { return w_; }
  const T* bias() const { return b_; }

  void forward(const Tensor<T>& x, Tensor<T>& y, Context&) {
    const auto s = conv_shape(x.shape().B, x.shape().L);
    kernels::conv1d_forward(x.data(), w_, b_, y.data(), s, scratch_);
    finish_forward(y);
  }
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context&) {
    const auto s = conv_shape(x.shape().B, x.shape().L);
    const T* g = pre_activation_grad(y, grad_out);
    kernels::conv1d_backward(x.data(), w_, g, grad_in.data(), dw_, db_, s, scratch_);
  }

  // Symbol input x: (B, L) indices < in_channels or no_symbol;
  // scale: (B, L) per-position input scale (dropout) or null.
  void forward_symbols(const std::uint8_t* x, const T* scale, index_t B, index_t L, Tensor<T>& y) {
    kernels::gather_conv1d_forward(x, scale, w_, b_, y.data(), conv_shape(B, L), scratch_);
    finish_forward(y);
  }
  void backward_symbols(const std::uint8_t* x, const T* scale, index_t B, index_t L, const Tensor<T>& y,
                        const Tensor<T>& grad_out) {
    const T* g = pre_activation_grad(y, grad_out);
    kernels::gather_conv1d_backward(x, scale, g, dw_, db_, conv_shape(B, L), scratch_);
  }

  // Conv1D followed by MaxPool1D(size, stride) in one pass:
  //   x: (B, L, C) -> pooled: (B, (L - W + 1 - size) / stride + 1, K)
  // The argmax of every pooled element is kept here for backward_pooled.
  void forward_pooled(const Tensor<T>& x, index_t size, index_t stride, Tensor<T>& pooled) {
    const auto s = conv_shape(x.shape().B, x.shape().L);
    pool_argmax_.resize(to_size(pooled.size()));
    kernels::conv1d_pool_forward(x.data(), w_, b_, pooled.data(), pool_argmax_.data(), s, fused(size, stride),
                                 scratch_);
  }
  // grad_pooled: gradient of the pooled output; assigns grad_in (unless
  // null) and the parameter gradients.
  void backward_pooled(const Tensor<T>& x, index_t size, index_t stride, const Tensor<T>& pooled,
                       const Tensor<T>& grad_pooled, Tensor<T>* grad_in) {
    const auto s = conv_shape(x.shape().B, x.shape().L);
    kernels::conv1d_pool_backward(x.data(), w_, pooled.data(), pool_argmax_.data(), grad_pooled.data(),
                                  grad_in ? grad_in->data() : nullptr, dw_, db_, s, fused(size, stride), scratch_);
  }
  void forward_symbols_pooled(const std::uint8_t* x, const T* scale, index_t B, index_t L, index_t size,
                              index_t stride, Tensor<T>& pooled) {
    pool_argmax_.resize(to_size(pooled.size()));
    kernels::gather_conv1d_pool_forward(x, scale, w_, b_, pooled.data(), pool_argmax_.data(), conv_shape(B, L),
                                        fused(size, stride), scratch_);
  }
  void backward_symbols_pooled(const std::uint8_t* x, const T* scale, index_t B, index_t L, index_t size,
                               index_t stride, const Tensor<T>& pooled, const Tensor<T>& grad_pooled) {
    kernels::gather_conv1d_pool_backward(x, scale, pooled.data(), pool_argmax_.data(), grad_pooled.data(), dw_, db_,
                                         conv_shape(B, L), fused(size, stride), scratch_);
  }

  // Internal state below (public only so the layer stays an aggregate
  // and can be configured with designated initialisers).
  kernels::ConvShape conv_shape(index_t B, index_t L) const { return {B, L, in_channels, kernels, width}; }
  kernels::FusedPool fused(index_t size, index_t stride) const {
    return {.size = size, .stride = stride, .relu = activation == Activation::relu};
  }
  void finish_forward(Tensor<T>& y) {
    if (activation == Activation::relu) simd::relu(y.size(), y.data());  // the kernels added the bias
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
  Tensor<T> g_;                      // gradient before the activation
  kernels::ConvScratch<T> scratch_;
  std::vector<T> pool_argmax_;  // forward_*pooled cache: conv output row of each winner (as T)
};

static_assert(Layer<Conv1D<float>, float>);

}  // namespace sster
