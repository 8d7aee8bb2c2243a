#pragma once
// SymbolConvPool1D<T>: the first block of a network on plain sequences, input
// Dropout -> Conv1D -> MaxPool1D, as one layer that reads symbol indices.
//   symbols (B, L), or the same as one-hot floats (B, L, C) ->
//   y: (B, (L - W + 1 - size) / stride + 1, K)
// On symbols the convolution gathers weight rows by symbol (no one-hot is
// built, kernels/gather_conv1d.hpp), and the input dropout, which on a one-hot
// row can only drop the single hot element, becomes a per-position scale
// (0 or 1/(1-rate)) whose mask is keyed by that element's index t * C + s,
// exactly as Dropout keys it on floats. So both inputs give the same
// function, masks included. Floats (optimised inputs start from them, and
// need the input gradient) run Dropout and then ConvPool1D.
// It stands for three Keras layers: dropout, conv1d, max_pooling1d.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sster/core/symbol.hpp"
#include "sster/nn/conv_pool1d.hpp"
#include "sster/nn/dropout.hpp"
#include "sster/nn/kernels/gather_conv1d.hpp"
#include "sster/nn/layer.hpp"

namespace sster {

template <class T>
struct SymbolConvPool1D {
  Dropout<T> dropout;     // the network's input dropout
  ConvPool1D<T> block;    // the convolution and the pooling

  // The dropout-mask key (the network gives every layer its own).
  void set_id(std::uint64_t id) { dropout.id = id; }

  Shape output_shape(Shape in) const { return block.output_shape(in); }
  std::vector<LayerPart> parts(Shape in) const {
    std::vector<LayerPart> p = {{Dropout<T>::keras_type, dropout.output_shape(in), {}}};
    for (auto& part : block.parts(in)) p.push_back(std::move(part));
    return p;
  }
  std::vector<ParamSpec> param_specs() const { return block.param_specs(); }
  void bind(T* values, T* grads) { block.bind(values, grads); }
  const Conv1D<T>& convolution() const { return block.conv; }

  // Floats x: (B, L, C).
  void forward(const Tensor<T>& x, Tensor<T>& y, Context& ctx, index_t parts = 3) {
    if (parts == 1) return dropout.forward(x, y, ctx);
    dropped_.resize(x.shape());
    dropout.forward(x, dropped_, ctx);
    block.forward(dropped_, y, ctx, parts - 1);
  }
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context& ctx,
                index_t parts = 3) {
    if (parts == 1) return dropout.backward(x, y, grad_out, grad_in, ctx);
    grad_dropped_.resize(x.shape());
    block.backward(dropped_, y, grad_out, grad_dropped_, ctx, parts - 1);
    dropout.backward(x, dropped_, grad_dropped_, grad_in, ctx);
  }

  // Symbols x: (B, L) below conv.in_channels, or no_symbol.
  void forward(const SymbolInput& x, Tensor<T>& y, Context& ctx, index_t parts = 3) {
    const T* scale = draw_scales(x, ctx);
    if (parts == 1) return one_hot(x, scale, y);
    auto& c = block.conv;
    if (parts == 2) {
      kernels::gather_conv1d_forward(x.symbols, scale, c.w_, c.b_, y.data(), c.conv_shape(x.B, x.L), c.scratch_);
      return c.finish_forward(y);
    }
    block.argmax_.resize(to_size(y.size()));
    kernels::gather_conv1d_pool_forward(x.symbols, scale, c.w_, c.b_, y.data(), block.argmax_.data(),
                                        c.conv_shape(x.B, x.L), block.fused(), c.scratch_);
  }
  // Assigns the parameter gradients (symbols have none).
  void backward(const SymbolInput& x, const Tensor<T>& y, const Tensor<T>& grad_out, Context& ctx, index_t parts = 3) {
    if (parts == 1) return;  // the dropout has no parameters
    auto& c = block.conv;
    const T* scale = dropout.active(ctx) ? scale_.data() : nullptr;  // drawn by the forward
    if (parts == 2) {
      kernels::gather_conv1d_backward(x.symbols, scale, c.pre_activation_grad(y, grad_out), c.dw_, c.db_,
                                      c.conv_shape(x.B, x.L), c.scratch_);
      return;
    }
    kernels::gather_conv1d_pool_backward(x.symbols, scale, y.data(), block.argmax_.data(), grad_out.data(), c.dw_,
                                         c.db_, c.conv_shape(x.B, x.L), block.fused(), c.scratch_);
  }

  // Internal state below (public only so the layer stays an aggregate).
  // The per-position input scale (B, L) in training, null at inference.
  const T* draw_scales(const SymbolInput& x, const Context& ctx) {
    if (!dropout.active(ctx)) return nullptr;
    const index_t C = block.conv.in_channels;
    scale_.resize({x.B, x.L, 1});
    for (index_t b = 0; b < x.B; ++b) {
      const RandomKey key = dropout.sample_key(ctx, b);
      for (index_t t = 0; t < x.L; ++t) {
        const std::uint8_t s = x.symbols[b * x.L + t];
        scale_[b * x.L + t] = s != no_symbol && dropout.keep(key, t * C + s) ? dropout.scale() : T{0};
      }
    }
    return scale_.data();
  }
  // The dropout's output on symbols: the one-hot input, scaled.
  void one_hot(const SymbolInput& x, const T* scale, Tensor<T>& y) const {
    const index_t C = block.conv.in_channels;
    y.fill(T{0});
    for (index_t p = 0; p < x.B * x.L; ++p)
      if (x.symbols[p] != no_symbol) y[p * C + x.symbols[p]] = scale ? scale[p] : T{1};
  }

  Tensor<T> scale_;                       // (B, L, 1) input dropout scales on symbols
  Tensor<T> dropped_, grad_dropped_;      // (B, L, C) floats after the input dropout, and their gradient
};

static_assert(Layer<SymbolConvPool1D<float>, float>);
static_assert(MultiPartLayer<SymbolConvPool1D<float>, float>);
static_assert(SymbolLayer<SymbolConvPool1D<float>, float>);

}  // namespace sster
