#pragma once
// Dropout<T>: inverted dropout (kept values scaled by 1/(1-rate), as Keras),
// identity at inference. The mask of element e of sample b at step s is a pure
// function of (seed, layer id, s, b, e), so it does not depend on how a batch
// is split across threads.
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <vector>

#include "sster/core/random.hpp"
#include "sster/nn/kernels/vector_kernels.hpp"
#include "sster/nn/layer.hpp"

namespace sster {

template <class T>
struct Dropout : NoParams {
  static constexpr const char* keras_type = "dropout";

  double rate = 0;
  std::uint64_t id = 0;  // distinguishes the masks of different dropout layers

  Shape output_shape(Shape in) const { return in; }

  bool active(const Context& ctx) const { return ctx.training && rate > 0; }
  T scale() const { return static_cast<T>(1.0 / (1.0 - rate)); }
  // The key of sample `sample`'s mask (index within the chunk): derive it once
  // per sample, then ask keep(key, element) per element.
  RandomKey sample_key(const Context& ctx, index_t sample) const {
    return RandomKey(ctx.seed, Purpose::dropout).with({id, ctx.step, static_cast<std::uint64_t>(ctx.first_sample + sample)});
  }
  // A value survives when its uniform number (24 bits) is at least the rate.
  bool keep(const RandomKey& key, index_t element) const {
    assert(element >= 0 && element <= index_t{0xffffffff});
    return key.bits24(static_cast<std::uint32_t>(element)) >= keep_threshold();
  }
  std::uint32_t keep_threshold() const { return RandomKey::threshold24(static_cast<float>(rate)); }
  // Whether element `element` of sample `sample` (index within the chunk) survives.
  bool keep(const Context& ctx, index_t sample, index_t element) const { return keep(sample_key(ctx, sample), element); }

  // x, y: (B, L, C)
  // At inference this is a copy.
  void forward(const Tensor<T>& x, Tensor<T>& y, Context& ctx) {
    if (!active(ctx)) {
      std::copy_n(x.data(), x.size(), y.data());
      return;
    }
    const index_t n = x.shape().per_sample();
    keep_.resize(to_size(x.size()));
    const std::uint32_t threshold = keep_threshold();
    assert(n <= index_t{0xffffffff});  // a value's number in the 32-bit stream
    for (index_t b = 0; b < x.shape().B; ++b)
      kernels::dropout(sample_key(ctx, b), threshold, scale(), x.sample(b), y.sample(b), keep_.data() + b * n, n);
  }
  // Uses the mask the forward pass drew (a byte per value) instead of hashing
  // again: with AVX2 the hash was 13% of a training profile in which both
  // passes drew it.
  void backward(const Tensor<T>&, const Tensor<T>&, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context& ctx) {
    if (!active(ctx)) {
      std::copy_n(grad_out.data(), grad_out.size(), grad_in.data());
      return;
    }
    assert(to_size(grad_out.size()) == keep_.size());
    kernels::dropout_backward(keep_.data(), scale(), grad_out.data(), grad_in.data(), grad_out.size());
  }

  // Internal state below (public only so the layer stays an aggregate
  // and can be configured with designated initialisers).
  std::vector<std::uint8_t> keep_;  // the forward pass's mask, 1 = kept
};

static_assert(Layer<Dropout<float>, float>);

}  // namespace sster
