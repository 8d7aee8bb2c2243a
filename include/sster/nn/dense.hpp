#pragma once
// Dense<T>: Keras Dense. Each sample's (L, C) block is read as one vector of
// L*C inputs (so it also accepts unflattened input).
//   x: (B, L, C) with L*C == inputs -> y: (B, 1, units); kernel (inputs, units), bias (units)
#include <string>
#include <vector>

#include "sster/core/eigen.hpp"
#include "sster/core/error.hpp"
#include "sster/nn/activations.hpp"
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
    matrix(y.data(), B, units).noalias() = matrix(x.data(), B, inputs) * matrix(static_cast<const T*>(w_), inputs, units);
    apply_bias_activation(activation, B, units, static_cast<const T*>(b_), y.data());
  }
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context&) {
    const index_t B = x.shape().B;
    g_.resize(grad_out.shape());
    activation_backward(activation, grad_out.size(), y.data(), grad_out.data(), g_.data());
    const auto g = matrix(static_cast<const T*>(g_.data()), B, units);
    matrix(dw_, inputs, units).noalias() = matrix(x.data(), B, inputs).transpose() * g;
    Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>>(db_, units) = g.colwise().sum();
    matrix(grad_in.data(), B, inputs).noalias() = g * matrix(static_cast<const T*>(w_), inputs, units).transpose();
  }

  // Internal state below (public only so the layer stays an aggregate
  // and can be configured with designated initialisers).
  T* w_ = nullptr;
  T* b_ = nullptr;
  T* dw_ = nullptr;
  T* db_ = nullptr;
  Tensor<T> g_;  // gradient before the activation
};

static_assert(Layer<Dense<float>, float>);

}  // namespace sster
