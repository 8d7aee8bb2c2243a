#pragma once
// AppendExtra<T>: appends the per-sequence additional inputs (with their own
// input dropout, as pysster does) to each sample's features before the first
// dense layer: (B, L, C) -> (B, 1, L*C + extra_size). The network points
// `extra` at the batch's (B, extra_size) values before every call.
#include <algorithm>
#include <cstdint>

#include "sster/nn/dropout.hpp"
#include "sster/nn/layer.hpp"

namespace sster {

template <class T>
struct AppendExtra : NoParams {
  static constexpr const char* keras_type = "concatenate";

  index_t extra_size = 0;
  Dropout<T> dropout;     // pysster's Dropout(dropout_input) on the additional inputs
  const T* extra = nullptr;

  // The dropout-mask key (the network gives every layer its own).
  void set_id(std::uint64_t id) { dropout.id = id; }

  Shape output_shape(Shape in) const { return {in.B, 1, in.per_sample() + extra_size}; }
  void forward(const Tensor<T>& x, Tensor<T>& y, Context& ctx) {
    const index_t f = x.shape().per_sample(), out = f + extra_size;
    for (index_t b = 0; b < x.shape().B; ++b) {
      std::copy_n(x.sample(b), f, y.data() + b * out);
      const T* e = extra + b * extra_size;
      T* ye = y.data() + b * out + f;
      for (index_t i = 0; i < extra_size; ++i)
        ye[i] = dropout.active(ctx) ? (dropout.keep(ctx, b, i) ? e[i] * dropout.scale() : T{0}) : e[i];
    }
  }
  // No gradient flows into the additional inputs themselves.
  void backward(const Tensor<T>& x, const Tensor<T>&, const Tensor<T>& grad_out, Tensor<T>& grad_in, Context&) {
    const index_t f = x.shape().per_sample(), out = f + extra_size;
    for (index_t b = 0; b < x.shape().B; ++b) std::copy_n(grad_out.data() + b * out, f, grad_in.sample(b));
  }
};

static_assert(Layer<AppendExtra<float>, float>);

}  // namespace sster
