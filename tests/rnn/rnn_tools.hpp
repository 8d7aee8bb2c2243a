#pragma once
// Test tools for the recurrent layers: owned parameter buffers, a two-layer
// stack that is itself a layer (for stacked gradient checks), reference
// implementations written straight from Keras 2.2's equations, and helpers
// for determinism checks.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "gradient_check.hpp"
#include "sster/core/tensor.hpp"
#include "sster/nn/layer.hpp"

namespace sster::test {

// A recurrent layer (LSTM<T>, GRU<T>) configured as the tests need it.
template <class Rnn>
Rnn make_rnn(index_t inputs, index_t units, bool return_sequences, double dropout = 0, double recurrent_dropout = 0,
             bool reverse = false, std::uint64_t id = 7, bool per_gate_masks = true) {
  Rnn l;
  l.per_gate_masks = per_gate_masks;
  l.inputs = inputs;
  l.units = units;
  l.return_sequences = return_sequences;
  l.dropout = dropout;
  l.recurrent_dropout = recurrent_dropout;
  l.id = id;
  l.reverse = reverse;
  return l;
}

template <class T>
struct OwnedParams {
  std::vector<T> values, grads;
};

// Random parameters in [lo, hi), bound to the layer. The vectors' buffers
// survive moving the struct, so the layer's views stay valid.
template <class T, class Lay>
OwnedParams<T> bind_random(Lay& layer, std::uint64_t seed, double lo = -0.5, double hi = 0.5) {
  index_t n = 0;
  for (const auto& p : layer.param_specs()) n += p.size();
  OwnedParams<T> p{std::vector<T>(to_size(n)), std::vector<T>(to_size(n))};
  fill_uniform(p.values.data(), n, seed, lo, hi);
  layer.bind(p.values.data(), p.grads.data());
  return p;
}

template <class T, class Lay>
Tensor<T> run(Lay& layer, const Tensor<T>& x, Context ctx = {}) {
  Tensor<T> y(layer.output_shape(x.shape()));
  layer.forward(x, y, ctx);
  return y;
}

// Samples [begin, end) of x.
template <class T>
Tensor<T> slice(const Tensor<T>& x, index_t begin, index_t end) {
  Tensor<T> s(Shape{end - begin, x.shape().L, x.shape().C});
  std::copy_n(x.sample(begin), s.size(), s.data());
  return s;
}

template <class T>
bool same_bits(const T* a, const T* b, index_t n) {
  return std::memcmp(a, b, to_size(n) * sizeof(T)) == 0;
}

// Runs `layer` on x (training, as ctx says) whole and as two batches split at
// sample `split` (the second with first_sample = split), checks that the
// halves equal the whole bit for bit, and returns the whole batch's output.
template <class Lay, class T>
Tensor<T> check_batch_split(Lay& layer, const Tensor<T>& x, Context ctx, index_t split) {
  const auto all = run(layer, x, ctx);
  const auto lo = run(layer, slice(x, 0, split), ctx);
  ctx.first_sample += split;
  const auto hi = run(layer, slice(x, split, x.shape().B), ctx);
  CHECK(same_bits(all.data(), lo.data(), lo.size()));
  CHECK(same_bits(all.sample(split), hi.data(), hi.size()));
  return all;
}

// Two layers in sequence, as one layer.
template <class A, class Bl>
struct Stacked {
  using T = typename A::value_type;
  using value_type = T;
  A first;
  Bl second;

  Shape output_shape(Shape in) const { return second.output_shape(first.output_shape(in)); }
  std::vector<ParamSpec> param_specs() const {
    auto specs = first.param_specs();
    for (auto& p : second.param_specs()) specs.push_back(p);
    return specs;
  }
  void bind(T* values, T* grads) {
    index_t n = 0;
    for (const auto& p : first.param_specs()) n += p.size();
    first.bind(values, grads);
    second.bind(values + n, grads + n);
  }
  void forward(const Tensor<T>& x, Tensor<T>& y, Context& ctx) {
    mid_.resize(first.output_shape(x.shape()));
    first.forward(x, mid_, ctx);
    second.forward(mid_, y, ctx);
  }
  void backward(const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context& ctx) {
    gmid_.resize(mid_.shape());
    second.backward(mid_, y, grad_out, gmid_, ctx);
    first.backward(x, mid_, gmid_, grad_in, ctx);
  }

 private:
  Tensor<T> mid_, gmid_;
};

// check_layer_gradients (gradient_check.hpp) with a step and an error floor
// that suit recurrent layers. Chains of hard-sigmoid slopes (0.2) and tanh'
// through time give many parameter gradients of 1e-6..1e-4, and at step 1e-6
// central differences resolve a gradient only to ~1e-9 absolute (the loss's
// roundoff over 2e-6), which relative_error's 1e-6 floor reports as relative
// errors up to 1e-4 although the analytic gradients are right. Measured over
// 3600 LSTM/GRU checks (H 3 and 17, dropout on and off): largest error
// step 1e-6 / floor 1e-6: 8e-5; step 1e-6 / floor 1e-3: 2e-6;
// step 1e-5 / floor 1e-3: 2.2e-7 (no hard-sigmoid kink ever crossed).
// So: step 1e-5, |a - b| / max(|a| + |b|, 1e-3) < 1e-6, i.e. relative 1e-6
// above 1e-3 and absolute 1e-9 below.
template <class Lay>
void check_rnn_gradients(Lay& layer, Shape in_shape, std::uint64_t seed, Context ctx = {}, double tolerance = 1e-6) {
  check_layer_gradients(layer, in_shape, seed, tolerance, ctx, FiniteDifference{.step = 1e-5, .floor = 1e-3});
}

inline double ref_hs(double x) { return std::clamp(0.2 * x + 0.5, 0.0, 1.0); }

// Dropout masks of one sample for the references: per gate g the input mask
// input[g C .. g C + C) and the recurrent mask recurrent[g H .. g H + H), as
// Keras 2.2's implementation=1 applies them (inputs_i = inputs * dp_mask[0],
// h_tm1_i = h_tm1 * rec_dp_mask[0], ...). Empty: no dropout.
struct GateMasks {
  std::vector<double> input, recurrent;
  double in(index_t gate, index_t C, index_t k) const { return input.empty() ? 1.0 : at(input, gate * C + k); }
  double rec(index_t gate, index_t H, index_t k) const {
    return recurrent.empty() ? 1.0 : at(recurrent, gate * H + k);
  }
};

// Keras 2.2 LSTMCell.call (implementation 1) for one sample, indexed
// exactly as Keras slices its weights: kernel[:, g*H : (g+1)*H] is gate g in
// the order i, f, c, o. params = kernel (C, 4H), recurrent (H, 4H), bias
// (4H). x: (L, C). Returns the states in processing order (L, H), i.e. what
// Keras returns with return_sequences (reversed input when go_backwards).
inline std::vector<double> keras_lstm(const std::vector<double>& p, index_t C, index_t H, const std::vector<double>& x,
                                      index_t L, bool go_backwards, const GateMasks& m = {}) {
  const double* W = p.data();
  const double* U = W + C * 4 * H;
  const double* b = U + H * 4 * H;
  std::vector<double> h(to_size(H), 0.0), c(h), out;
  for (index_t s = 0; s < L; ++s) {
    const index_t t = go_backwards ? L - 1 - s : s;
    std::vector<double> a(to_size(4 * H));
    for (index_t n = 0; n < 4 * H; ++n) {
      const index_t gate = n / H;
      double v = b[n];
      for (index_t k = 0; k < C; ++k) v += at(x, t * C + k) * m.in(gate, C, k) * W[k * 4 * H + n];
      for (index_t k = 0; k < H; ++k) v += at(h, k) * m.rec(gate, H, k) * U[k * 4 * H + n];
      at(a, n) = v;
    }
    for (index_t j = 0; j < H; ++j) {
      const auto J = to_size(j), uH = to_size(H);
      const double i = ref_hs(a[J]), f = ref_hs(a[uH + J]), o = ref_hs(a[3 * uH + J]);
      c[J] = f * c[J] + i * std::tanh(a[2 * uH + J]);
      h[J] = o * std::tanh(c[J]);
    }
    out.insert(out.end(), h.begin(), h.end());
  }
  return out;
}

// Keras 2.2 GRUCell.call (implementation 1, reset_after=False), gate order
// z, r, h; params = kernel (C, 3H), recurrent (H, 3H), bias (3H).
inline std::vector<double> keras_gru(const std::vector<double>& p, index_t C, index_t H, const std::vector<double>& x,
                                     index_t L, bool go_backwards, const GateMasks& m = {}) {
  const double* W = p.data();
  const double* U = W + C * 3 * H;
  const double* b = U + H * 3 * H;
  std::vector<double> h(to_size(H), 0.0), out;
  for (index_t s = 0; s < L; ++s) {
    const index_t t = go_backwards ? L - 1 - s : s;
    std::vector<double> xp(to_size(3 * H)), z(to_size(H)), r(z), hh(z);
    for (index_t n = 0; n < 3 * H; ++n) {
      double v = b[n];
      for (index_t k = 0; k < C; ++k) v += at(x, t * C + k) * m.in(n / H, C, k) * W[k * 3 * H + n];
      at(xp, n) = v;
    }
    for (index_t j = 0; j < H; ++j) {
      double rz = 0, rr = 0;
      for (index_t k = 0; k < H; ++k) {
        rz += at(h, k) * m.rec(0, H, k) * U[k * 3 * H + j];
        rr += at(h, k) * m.rec(1, H, k) * U[k * 3 * H + H + j];
      }
      at(z, j) = ref_hs(at(xp, j) + rz);
      at(r, j) = ref_hs(at(xp, H + j) + rr);
    }
    for (index_t j = 0; j < H; ++j) {
      double rh = 0;  // K.dot(r * h_tm1_h, recurrent_kernel_h)
      for (index_t k = 0; k < H; ++k)
        rh += at(r, k) * at(h, k) * m.rec(2, H, k) * U[k * 3 * H + 2 * H + j];
      at(hh, j) = std::tanh(at(xp, 2 * H + j) + rh);
    }
    for (index_t j = 0; j < H; ++j) {
      const auto J = to_size(j);
      h[J] = z[J] * h[J] + (1 - z[J]) * hh[J];
    }
    out.insert(out.end(), h.begin(), h.end());
  }
  return out;
}

}  // namespace sster::test
