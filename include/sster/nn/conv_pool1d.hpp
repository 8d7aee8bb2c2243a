#pragma once
// ConvPool1D<T>: a Conv1D followed by a MaxPool1D (pysster's conv block), run
// as one kernel: the pooling and the activation sit in the convolution's
// epilogue, so the convolution's output exists only one sample at a time.
//   x: (B, L, C) -> y: (B, (L - W + 1 - size) / stride + 1, K)
// It computes exactly what Conv1D then MaxPool1D compute (see
// kernels/conv1d.hpp), and stands for those two Keras layers: parts 1 runs
// the convolution alone (its activations, for interpretation and optimised
// inputs), parts 2 the whole block.
#include <cstdint>
#include <vector>

#include "sster/nn/conv1d.hpp"
#include "sster/nn/kernels/conv1d.hpp"
#include "sster/nn/layer.hpp"
#include "sster/nn/maxpool1d.hpp"

namespace sster {

template <class T>
struct ConvPool1D {
  Conv1D<T> conv;
  MaxPool1D<T> pool;  // its size and stride

  Shape output_shape(Shape in) const { return pool.output_shape(conv.output_shape(in)); }
  std::vector<LayerPart> parts(Shape in) const {
    const Shape c = conv.output_shape(in);
    return {{Conv1D<T>::keras_type, c, conv.param_specs()}, {MaxPool1D<T>::keras_type, pool.output_shape(c), {}}};
  }
  std::vector<ParamSpec> param_specs() const { return conv.param_specs(); }
  void bind(T* values, T* grads) { conv.bind(values, grads); }
  const Conv1D<T>& convolution() const { return conv; }

  void forward(const Tensor<T>& x, Tensor<T>& y, Context& ctx, index_t parts = 2) {
    if (parts == 1) return conv.forward(x, y, ctx);
    argmax_.resize(to_size(y.size()));
    kernels::conv1d_pool_forward(x.data(), conv.w_, conv.b_, y.data(), argmax_.data(), shape(x), fused(),
                                 conv.scratch_, kernels::ConvAlgorithm::fastest, ctx.training);
  }
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context& ctx,
                index_t parts = 2) {
    if (parts == 1) return conv.backward(x, y, grad_out, grad_in, ctx);
    kernels::conv1d_pool_backward(x.data(), conv.w_, y.data(), argmax_.data(), grad_out.data(), grad_in.data(),
                                  conv.dw_, conv.db_, shape(x), fused(), conv.scratch_, kernels::ConvAlgorithm::fastest);
  }

  // Internal state below (public only so the layer stays an aggregate).
  kernels::ConvShape shape(const Tensor<T>& x) const { return conv.conv_shape(x.shape().B, x.shape().L); }
  kernels::FusedPool fused() const { return conv.fused(pool.size, pool.stride); }
  std::vector<std::int32_t> argmax_;  // forward cache: the winner's conv output row (kernels/maxpool1d.hpp)
};

static_assert(Layer<ConvPool1D<float>, float>);
static_assert(MultiPartLayer<ConvPool1D<float>, float>);

}  // namespace sster
