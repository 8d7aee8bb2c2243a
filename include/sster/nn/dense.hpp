#pragma once
// Dense<T>: Keras Dense. Each sample's (L, C) block is read as one vector of
// L*C inputs (so it also accepts unflattened input).
//   x: (B, L, C) with L*C == inputs -> y: (B, 1, units); kernel (inputs, units), bias (units)
// Its products run on small_gemm, in the kernel set chosen for the CPU
// (Eigen's GEMM would run at the build's baseline, SSE width).
#include <string>
#include <vector>

#include "sster/core/eigen.hpp"
#include "sster/core/error.hpp"
#include "sster/nn/activations.hpp"
#include "sster/nn/kernels/small_gemm.hpp"
#include "sster/nn/layer.hpp"

namespace sster {

template <class T>
struct Dense {
  static constexpr const char* keras_type = "dense";

  index_t inputs = 0;
  index_t units = 0;
  Activation activation = Activation::relu;
  bool max_norm = true;  // pysster constrains every dense layer but the output

  Shape output_shape(Shape in) const {
    require(in.per_sample() == inputs, "Dense: expected " + std::to_string(inputs) + " inputs per sample, got " +
                                           std::to_string(in.per_sample()));
    return {in.B, 1, units};
  }
  std::vector<ParamSpec> param_specs() const {
    return {{"kernel", {inputs, units}, Init::uniform, max_norm}, {"bias", {units}, Init::zeros, false}};
  }
  void bind(T* values, T* grads) {
    w_ = values;
    b_ = values + inputs * units;
    dw_ = grads;
    db_ = grads + inputs * units;
  }

  void forward(const Tensor<T>& x, Tensor<T>& y, Context&) {
    const index_t B = x.shape().B;
    kernels::small_gemm<T>(x.data(), w_, y.data(), b_, kernels::GemmInit::row,
                           {.rows = B, .cols = units, .depth = inputs, .a_row = inputs, .a_col = 1, .ldb = units, .ldc = units});
    apply_activation(activation, B * units, y.data());
  }
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context&) {
    const index_t B = x.shape().B;
    g_.resize(grad_out.shape());
    activation_backward(activation, grad_out.size(), y.data(), grad_out.data(), g_.data());
    const auto g = matrix(static_cast<const T*>(g_.data()), B, units);
    // dW = x^T g: A is x read transposed in place.
    kernels::small_gemm<T>(x.data(), g_.data(), dw_, nullptr, kernels::GemmInit::zero,
                           {.rows = inputs, .cols = units, .depth = B, .a_row = 1, .a_col = inputs, .ldb = units, .ldc = units});
    Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>>(db_, units) = g.colwise().sum();
    // grad_in = g W^T, computed as its transpose W g^T (small_gemm reads B
    // by rows, and W^T's rows are W's columns): the two transposes move B x
    // (units + inputs) values, the product takes B x units x inputs FMAs.
    g_t_.resize({1, units, B});
    matrix(g_t_.data(), units, B) = g.transpose();
    grad_in_t_.resize({1, inputs, B});
    kernels::small_gemm<T>(w_, g_t_.data(), grad_in_t_.data(), nullptr, kernels::GemmInit::zero,
                           {.rows = inputs, .cols = B, .depth = units, .a_row = units, .a_col = 1, .ldb = B, .ldc = B});
    matrix(grad_in.data(), B, inputs) = matrix(static_cast<const T*>(grad_in_t_.data()), inputs, B).transpose();
  }

  // Internal state below (public only so the layer stays an aggregate
  // and can be configured with designated initialisers).
  T* w_ = nullptr;
  T* b_ = nullptr;
  T* dw_ = nullptr;
  T* db_ = nullptr;
  Tensor<T> g_;          // gradient before the activation
  Tensor<T> g_t_;        // its transpose (units, B)
  Tensor<T> grad_in_t_;  // grad_in's transpose (inputs, B)
};

static_assert(Layer<Dense<float>, float>);

}  // namespace sster
