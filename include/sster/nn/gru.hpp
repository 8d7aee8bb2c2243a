#pragma once
// GRU<T>: Keras 2.2 GRU with reset_after=False (what pysster builds on),
// hand-written forward and backpropagation through time.
//   x: (B, L, C) -> y: (B, L, H) with return_sequences, else (B, 1, H) (last state)
//   kernel (C, 3H), recurrent_kernel (H, 3H), bias (3H); gate order z, r, h
// Per step, with x_t W + b split into the gates (xz, xr, xh), U likewise:
//   z = hs(xz + h_{t-1} U_z)   r = hs(xr + h_{t-1} U_r)      (hs = hard sigmoid)
//   h~ = tanh(xh + (r * h_{t-1}) U_h)       the reset gate acts before U_h
//   h_t = z * h_{t-1} + (1 - z) * h~        z keeps the old state (Keras), h_0 = 0
// Initialisation as pysster's Keras: kernel RandomUniform(-0.05, 0.05) with
// max_norm on the first axis, recurrent kernel orthogonal over the whole
// (H, 3H) matrix without constraint, bias zero.
// Dropout: see nn/recurrent.hpp. The recurrent masks multiply h_{t-1} where
// it enters U (each gate's mask in its product; for the candidate before the
// reset gate: r * (h_{t-1} * mask_h)); the mix h_t = z * h_{t-1} + ... uses
// the unmasked state, as Keras 2.2 does.
// reverse: as in LSTM (output position t = state after reading input t).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sster/nn/kernels/recurrent.hpp"
#include "sster/nn/layer.hpp"
#include "sster/nn/recurrent.hpp"

namespace sster {

template <class T>
struct GRU {
  using value_type = T;
  static constexpr const char* keras_type = "gru";
  static constexpr index_t gates = 3;

  index_t inputs = 0;  // C
  index_t units = 0;   // H
  bool return_sequences = false;
  double dropout = 0;            // input dropout rate
  double recurrent_dropout = 0;  // recurrent dropout rate
  std::uint64_t id = 0;          // dropout-mask key, unique per layer
  bool reverse = false;
  bool per_gate_masks = true;    // one dropout mask per gate (Keras' implementation=1), else one for all

  Shape output_shape(Shape in) const { return detail::recurrent_output_shape(*this, "GRU", in); }
  std::vector<ParamSpec> param_specs() const {
    return {{"kernel", {inputs, gates * units}, Init::uniform, true},
            {"recurrent_kernel", {units, gates * units}, Init::orthogonal, false},
            {"bias", {gates * units}, Init::zeros, false}};
  }
  void bind(T* values, T* grads) { weights_.bind(values, grads, inputs, units, gates); }

  void forward(const Tensor<T>& x, Tensor<T>& y, Context& ctx) {
    auto& k = core_;
    k.begin_forward(*this, gates, x, weights_.w, weights_.b, ctx);
    const index_t B = k.B, L = k.L, H = k.H;
    rh_.resize({B, L, H});
    for (index_t s = 0; s < L; ++s) {
      const index_t t = k.time(s);
      k.load_prev(s);
      if (s > 0) k.recurrent_products(t, weights_.u, 0, 2);  // z and r
      for (index_t b = 0; b < B; ++b)
        kernels::gru_gates_forward(k.row(k.z, b, t), k.prev(b, t, 2), k.row(rh_, b, t), H);
      if (s > 0) k.recurrent_product(rh_, 0, t, weights_.u, 2 * H, H);  // candidate
      for (index_t b = 0; b < B; ++b) {
        const T* hp = s > 0 ? k.row(k.h, b, k.time(s - 1)) : nullptr;  // h_{t-1}; none before the first step
        kernels::gru_state_forward(k.row(k.z, b, t), hp, k.row(k.h, b, t), H);
      }
    }
    k.write_output(y, return_sequences);
  }

  void backward(const Tensor<T>& x, const Tensor<T>&, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context&) {
    auto& k = core_;
    const index_t B = k.B, L = k.L, H = k.H;
    k.begin_backward(weights_.u);
    ds_.resize({B, 1, H});
    dhm_.resize({B, 1, H});
    for (index_t s = L - 1; s >= 0; --s) {
      const index_t t = k.time(s);
      k.add_output_grad(grad_out, return_sequences, s);
      for (index_t b = 0; b < B; ++b) {
        const T* hp = s > 0 ? k.row(k.h, b, k.time(s - 1)) : nullptr;
        kernels::gru_state_backward(k.row(k.z, b, t), hp, k.dh.data() + b * H, k.row(k.dz, b, t), H);
      }
      if (s == 0) {  // r multiplied h_0 = 0: no gradient reaches it
        for (index_t b = 0; b < B; ++b) std::fill_n(k.row(k.dz, b, t) + H, H, T{0});
        break;
      }
      k.recurrent_grad(t, 2 * H, H, ds_.data(), false);  // gradient at r * hm
      for (index_t b = 0; b < B; ++b)
        kernels::gru_reset_backward(k.row(k.z, b, t), k.prev(b, t, 2), ds_.data() + b * H, k.row(k.dz, b, t),
                                    dhm_.data() + b * H, H);
      k.add_recurrent_grads(t, 0, 2, dhm_.data(), 2);  // z and r, plus the candidate's share in dhm_
    }
    k.recurrent_kernel_grads(0, 2, weights_.du);
    k.recurrent_kernel_grad(rh_, 0, 2 * H, H, weights_.du);
    k.input_grads(x, weights_.w, weights_.dw, weights_.db, grad_in);
  }

 private:
  detail::RecurrentWeights<T> weights_;
  detail::RecurrentCore<T> core_;
  Tensor<T> rh_;   // (B, L, H) r * h_{t-1} under the candidate's mask: what U_h multiplies
  Tensor<T> ds_;   // (B, 1, H) gradient at r * masked h_{t-1}
  Tensor<T> dhm_;  // (B, 1, H) gradient at h_{t-1} under the candidate's mask, then scratch
};

static_assert(Layer<GRU<float>, float>);

}  // namespace sster
