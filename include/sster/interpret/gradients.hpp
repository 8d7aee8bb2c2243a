#pragma once
// Gradient attributions from the network's own backward pass, for any
// network (recurrent ones included): the input gradient of the target
// (interpret/attribution_target.hpp) with respect to the one-hot input,
// through Network::forward_dense and Network::backward on the engine's
// replicas, in parallel chunks (the result does not depend on the thread
// count). What each method makes of it: interpret/attributions.hpp.
//   saliency              H = |gradient|
//   gradient_x_input      H = gradient
//   integrated_gradients  H = mean gradient at the inputs (k + 1/2) x / steps,
//                         k = 0..steps-1 (the midpoint rule on the straight
//                         path from the all-zero input to x), so that
//                         sum_t H[t, x_t] approaches output(x) - output(0)
//                         (completeness) as steps grows.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/interpret/attribution_target.hpp"
#include "sster/interpret/attributions.hpp"
#include "sster/interpret/ism.hpp"
#include "sster/model/model.hpp"

namespace sster {

namespace detail {

inline void check_gradient_model(const Model& model) {
  require(model.info().extra == 0 && model.info().dense_channels == 0 && model.info().profile_channels == 0,
          "attribution: models with additional inputs, position-wise values or structure profiles are not supported");
}

// Gradients (B, L, A) of the target at B float inputs x (B, L, A), and the
// target's values (B).
inline void input_gradients(Model& model, const float* x, index_t B, const AttributionTarget& target, float* grad,
                            double* values) {
  auto& engine = model.engine();
  const index_t L = model.info().length, A = model.info().alphabet.size(), K = model.info().classes();
  engine.for_each_chunk(B, [&](std::size_t replica, index_t begin, index_t end) {
    Network<float>& net = engine.network(replica);
    const index_t b = end - begin;
    Tensor<float> in({b, L, A}), grad_out({b, 1, K}), gx;
    std::copy_n(x + begin * L * A, b * L * A, in.data());
    Context ctx;
    const Tensor<float>& logits = net.forward_dense(in, ctx);
    for (index_t s = 0; s < b; ++s) {
      values[begin + s] = target.value(logits.sample(s), K);
      target.gradient(logits.sample(s), K, grad_out.sample(s));
    }
    net.backward(grad_out, ctx, SIZE_MAX, &gx);
    std::copy_n(gx.data(), b * L * A, grad + begin * L * A);
  });
}

inline std::vector<float> one_hot(std::span<const std::uint8_t> symbols, index_t A) {
  std::vector<float> x(symbols.size() * to_size(A), 0.0f);
  for (std::size_t i = 0; i < symbols.size(); ++i) x[i * to_size(A) + symbols[i]] = 1.0f;
  return x;
}

inline Attributions start_attributions(AttributionMethod method, const Model& model,
                                       std::span<const std::uint8_t> symbols, index_t n) {
  const index_t L = model.info().length, A = model.info().alphabet.size();
  return {.method = method,
          .n = n,
          .length = L,
          .letters = A,
          .symbols = std::vector<std::uint8_t>(symbols.begin(), symbols.end()),
          .hypothetical = std::vector<float>(to_size(n * L * A)),
          .output = std::vector<double>(to_size(n)),
          .reference = std::vector<double>(to_size(n), 0.0)};
}

}  // namespace detail

// Saliency (|gradient|) or gradient x input of n sequences (n, L) of symbols.
inline Attributions gradient_attributions(Model& model, std::span<const std::uint8_t> symbols, index_t n,
                                          const AttributionTarget& target, bool absolute) {
  detail::check_symbols(model, symbols, n);
  detail::check_gradient_model(model);
  target.check(model.info().classes());
  const auto method = absolute ? AttributionMethod::saliency : AttributionMethod::gradient_x_input;
  Attributions r = detail::start_attributions(method, model, symbols, n);
  const auto x = detail::one_hot(symbols, r.letters);
  detail::input_gradients(model, x.data(), n, target, r.hypothetical.data(), r.output.data());
  if (absolute)
    for (float& v : r.hypothetical) v = std::abs(v);
  return r;
}

inline Attributions saliency(Model& model, std::span<const std::uint8_t> symbols, index_t n,
                             const AttributionTarget& target) {
  return gradient_attributions(model, symbols, n, target, true);
}
inline Attributions gradient_x_input(Model& model, std::span<const std::uint8_t> symbols, index_t n,
                                     const AttributionTarget& target) {
  return gradient_attributions(model, symbols, n, target, false);
}

inline Attributions integrated_gradients(Model& model, std::span<const std::uint8_t> symbols, index_t n,
                                         const AttributionTarget& target, index_t steps = 50) {
  detail::check_symbols(model, symbols, n);
  detail::check_gradient_model(model);
  target.check(model.info().classes());
  require(steps >= 1, "integrated gradients: steps must be at least 1, got " + std::to_string(steps));
  Attributions r = detail::start_attributions(AttributionMethod::integrated_gradients, model, symbols, n);
  const index_t L = r.length, A = r.letters, per = L * A;
  // The all-zero input's output, the same for every sequence.
  std::vector<float> zero(to_size(per), 0.0f), unused(to_size(per));
  double baseline = 0;
  detail::input_gradients(model, zero.data(), 1, target, unused.data(), &baseline);
  std::fill(r.reference.begin(), r.reference.end(), baseline);
  detail::target_values(model, symbols.data(), n, target, r.output.data());
  // Sequences in blocks of about 4096 path points.
  const index_t block = std::max<index_t>(1, 4096 / steps);
  std::vector<float> path, grad;
  std::vector<double> values;
  for (index_t first = 0; first < n; first += block) {
    const index_t count = std::min(block, n - first);
    path.assign(to_size(count * steps * per), 0.0f);
    for (index_t i = 0; i < count; ++i)
      for (index_t k = 0; k < steps; ++k) {
        const auto alpha = static_cast<float>((static_cast<double>(k) + 0.5) / static_cast<double>(steps));
        float* p = path.data() + (i * steps + k) * per;
        const std::uint8_t* x = symbols.data() + (first + i) * L;
        for (index_t t = 0; t < L; ++t) p[t * A + x[t]] = alpha;
      }
    grad.resize(path.size());
    values.resize(to_size(count * steps));
    detail::input_gradients(model, path.data(), count * steps, target, grad.data(), values.data());
    for (index_t i = 0; i < count; ++i) {
      float* h = r.hypothetical.data() + (first + i) * per;
      for (index_t e = 0; e < per; ++e) {
        double sum = 0;  // in step order
        for (index_t k = 0; k < steps; ++k) sum += grad[to_size((i * steps + k) * per + e)];
        h[e] = static_cast<float>(sum / static_cast<double>(steps));
      }
    }
  }
  return r;
}

}  // namespace sster
