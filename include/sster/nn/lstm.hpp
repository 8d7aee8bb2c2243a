#pragma once
// LSTM<T>: Keras 2.2 LSTM (what pysster builds on), hand-written forward and
// backpropagation through time.
//   x: (B, L, C) -> y: (B, L, H) with return_sequences, else (B, 1, H) (last state)
//   kernel (C, 4H), recurrent_kernel (H, 4H), bias (4H); gate order i, f, c, o
// Per step, with a = x_t W + h_{t-1} U + b split into the four gates:
//   i = hs(a_i)  f = hs(a_f)  g = tanh(a_c)  o = hs(a_o)   (hs = hard sigmoid)
//   c_t = f * c_{t-1} + i * g    h_t = o * tanh(c_t)        (h_0 = c_0 = 0)
// Initialisation as pysster's Keras: kernel RandomUniform(-0.05, 0.05) with
// max_norm on the first axis (Init::uniform, max_norm), recurrent kernel
// orthogonal over the whole (H, 4H) matrix without constraint, bias zero but
// the forget slice one (unit_forget_bias). The bias is four specs, bias_i,
// bias_f (Init::ones), bias_c, bias_o, adjacent in memory: together exactly
// Keras' (4H) bias.
// Dropout: see nn/recurrent.hpp (masks per sample and feature, shared by all
// time steps; one per gate, or one for all gates; identity at inference).
// With reverse = true the steps run from position L-1 to 0 and position t of
// the output holds the state after reading input t: Keras' go_backwards with
// its output re-reversed, as Bidirectional needs it.
#include <cstdint>
#include <vector>

#include "sster/nn/kernels/recurrent.hpp"
#include "sster/nn/layer.hpp"
#include "sster/nn/recurrent.hpp"

namespace sster {

template <class T>
struct LSTM {
  using value_type = T;
  static constexpr const char* keras_type = "lstm";
  static constexpr index_t gates = 4;

  index_t inputs = 0;  // C
  index_t units = 0;   // H
  bool return_sequences = false;
  double dropout = 0;            // input dropout rate
  double recurrent_dropout = 0;  // recurrent dropout rate
  std::uint64_t id = 0;          // dropout-mask key, unique per layer
  bool reverse = false;
  bool per_gate_masks = true;    // one dropout mask per gate (Keras' implementation=1), else one for all

  Shape output_shape(Shape in) const { return detail::recurrent_output_shape(*this, "LSTM", in); }
  std::vector<ParamSpec> param_specs() const {
    return {{"kernel", {inputs, gates * units}, Init::uniform, true},
            {"recurrent_kernel", {units, gates * units}, Init::orthogonal, false},
            {"bias_i", {units}, Init::zeros, false},
            {"bias_f", {units}, Init::ones, false},
            {"bias_c", {units}, Init::zeros, false},
            {"bias_o", {units}, Init::zeros, false}};
  }
  void bind(T* values, T* grads) { weights_.bind(values, grads, inputs, units, gates); }

  void forward(const Tensor<T>& x, Tensor<T>& y, Context& ctx) {
    auto& k = core_;
    k.begin_forward(*this, gates, x, weights_.w, weights_.b, ctx);
    const index_t B = k.B, L = k.L, H = k.H;
    c_.resize({B, L, H});
    for (index_t s = 0; s < L; ++s) {
      const index_t t = k.time(s);
      k.load_prev(s);
      if (s > 0) k.recurrent_products(t, weights_.u, 0, gates);
      for (index_t b = 0; b < B; ++b) {
        const T* cp = s > 0 ? k.row(c_, b, k.time(s - 1)) : nullptr;  // c_{t-1}; none before the first step
        kernels::lstm_cell_forward(k.row(k.z, b, t), cp, k.row(c_, b, t), k.row(k.h, b, t), H);
      }
    }
    k.write_output(y, return_sequences);
  }

  void backward(const Tensor<T>& x, const Tensor<T>&, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context&) {
    auto& k = core_;
    const index_t B = k.B, L = k.L, H = k.H;
    k.begin_backward(weights_.u);
    dc_.resize({B, 1, H});
    dc_.fill(T{0});
    dhm_.resize({B, 1, H});
    for (index_t s = L - 1; s >= 0; --s) {
      const index_t t = k.time(s);
      k.add_output_grad(grad_out, return_sequences, s);
      for (index_t b = 0; b < B; ++b) {
        const T* cp = s > 0 ? k.row(c_, b, k.time(s - 1)) : nullptr;
        kernels::lstm_cell_backward(k.row(k.z, b, t), k.row(c_, b, t), cp, k.dh.data() + b * H, dc_.data() + b * H,
                                    k.row(k.dz, b, t), H);
      }
      if (s == 0) break;
      k.dh.fill(T{0});
      k.add_recurrent_grads(t, 0, gates, dhm_.data());
    }
    k.recurrent_kernel_grads(0, gates, weights_.du);
    k.input_grads(x, weights_.w, weights_.dw, weights_.db, grad_in);
  }

 private:
  detail::RecurrentWeights<T> weights_;
  detail::RecurrentCore<T> core_;
  Tensor<T> c_;    // (B, L, H) cell state after each step
  Tensor<T> dc_;   // (B, 1, H) gradient at the cell state entering the current step
  Tensor<T> dhm_;  // (B, 1, H) scratch: gradient at a masked previous state
};

static_assert(Layer<LSTM<float>, float>);

}  // namespace sster
