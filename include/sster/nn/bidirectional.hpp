#pragma once
// Bidirectional<Rnn>: Keras Bidirectional with merge_mode='concat' over an
// LSTM or GRU. A forward copy reads positions 0..L-1, a reversed copy reads
// L-1..0; their outputs are concatenated along the channels, forward first.
//   x: (B, L, C) -> y: (B, L, 2H) with return_sequences, else (B, 1, 2H)
// With return_sequences, position t holds [forward state after input t,
// backward state after input t] (Keras re-reverses the backward output so
// positions align); without, [forward state after L-1, backward state after 0].
// Parameters: all of the forward copy's specs ("forward_" + name), then the
// backward copy's ("backward_" + name), the order of Keras' weights.
// The two copies share the config, id included; the reversed one draws its
// dropout masks from other counter streams (nn/recurrent.hpp).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sster/core/simd.hpp"
#include "sster/nn/gru.hpp"
#include "sster/nn/layer.hpp"
#include "sster/nn/lstm.hpp"

namespace sster {

template <class Rnn>
struct Bidirectional {
  using T = typename Rnn::value_type;
  using value_type = T;
  static constexpr const char* keras_type = "bidirectional";

  Rnn forward_layer;   // reverse = false
  Rnn backward_layer;  // reverse = true

  Bidirectional() { backward_layer.reverse = true; }
  explicit Bidirectional(const Rnn& layer) : forward_layer(layer), backward_layer(layer) {
    forward_layer.reverse = false;
    backward_layer.reverse = true;
  }

  // The dropout-mask key of both copies (nn/recurrent.hpp).
  void set_id(std::uint64_t id) { forward_layer.id = backward_layer.id = id; }

  Shape output_shape(Shape in) const {
    Shape s = forward_layer.output_shape(in);
    s.C *= 2;
    return s;
  }
  std::vector<ParamSpec> param_specs() const {
    std::vector<ParamSpec> specs;
    for (auto p : forward_layer.param_specs()) {
      p.name = "forward_" + p.name;
      specs.push_back(std::move(p));
    }
    for (auto p : backward_layer.param_specs()) {
      p.name = "backward_" + p.name;
      specs.push_back(std::move(p));
    }
    return specs;
  }
  void bind(T* values, T* grads) {
    index_t n = 0;
    for (const auto& p : forward_layer.param_specs()) n += p.size();
    forward_layer.bind(values, grads);
    backward_layer.bind(values + n, grads + n);
  }

  void forward(const Tensor<T>& x, Tensor<T>& y, Context& ctx) {
    const Shape s = forward_layer.output_shape(x.shape());
    yf_.resize(s);
    yb_.resize(s);
    forward_layer.forward(x, yf_, ctx);
    backward_layer.forward(x, yb_, ctx);
    const index_t H = s.C;
    for (index_t r = 0; r < s.B * s.L; ++r) {
      std::copy_n(yf_.data() + r * H, H, y.data() + r * 2 * H);
      std::copy_n(yb_.data() + r * H, H, y.data() + r * 2 * H + H);
    }
  }
  void backward(const Tensor<T>& x, const Tensor<T>&, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context& ctx) {
    const Shape s = yf_.shape();
    const index_t H = s.C;
    gf_.resize(s);
    gb_.resize(s);
    for (index_t r = 0; r < s.B * s.L; ++r) {
      std::copy_n(grad_out.data() + r * 2 * H, H, gf_.data() + r * H);
      std::copy_n(grad_out.data() + r * 2 * H + H, H, gb_.data() + r * H);
    }
    forward_layer.backward(x, yf_, gf_, grad_in, ctx);
    gin_.resize(x.shape());
    backward_layer.backward(x, yb_, gb_, gin_, ctx);
    simd::add(grad_in.size(), static_cast<const T*>(gin_.data()), grad_in.data());
  }

 private:
  Tensor<T> yf_, yb_;  // (B, L', H) outputs of each direction
  Tensor<T> gf_, gb_;  // their gradients
  Tensor<T> gin_;      // (B, L, C) input gradient of the backward copy
};

static_assert(Layer<Bidirectional<LSTM<float>>, float>);
static_assert(Layer<Bidirectional<GRU<float>>, float>);

}  // namespace sster
