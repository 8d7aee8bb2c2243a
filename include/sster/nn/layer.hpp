#pragma once
// The contract every layer satisfies, and the pieces layers share.
//
// A layer is a plain class template on the scalar type T. It offers
//   Shape output_shape(Shape in) const;
//   void forward(const Tensor<T>& in, Tensor<T>& out, Context& ctx);
//   void backward(const Tensor<T>& in, const Tensor<T>& out,
//                 const Tensor<T>& grad_out, Tensor<T>& grad_in, Context& ctx);
//   std::vector<ParamSpec> param_specs() const;   // what it owns, in order
//   void bind(T* values, T* grads);                // views into flat buffers
// The network resizes `out` and `grad_in` before the call. backward ASSIGNS
// both grad_in and every parameter gradient (it never accumulates), so one
// backward pass per step needs no zeroing and an unwritten entry is a bug
// the gradient tests catch by pre-filling with NaN.
#include <concepts>
#include <cstdint>
#include <string>
#include <vector>

#include "sster/core/tensor.hpp"

namespace sster {

// Per-call state: training or inference, and the keys that make dropout
// masks a function of (seed, step, sample) rather than of thread timing.
struct Context {
  bool training = false;
  std::uint64_t seed = 0;
  std::uint64_t step = 0;    // optimiser step (or any per-call counter)
  index_t first_sample = 0;  // index within the batch of this chunk's first sample
};

enum class Init { uniform, zeros, ones, orthogonal };

// One parameter tensor of a layer: name, Keras shape, initialiser and whether
// Keras' max_norm constraint (norm over the first axis) applies to it.
struct ParamSpec {
  std::string name;
  std::vector<index_t> shape;
  Init init = Init::uniform;
  bool max_norm = false;
  index_t size() const {
    index_t n = 1;
    for (auto d : shape) n *= d;
    return n;
  }
};

enum class Activation { linear, relu };

template <class Lay, class T>
concept Layer = requires(Lay l, const Lay cl, const Tensor<T>& x, Tensor<T>& y, Context& ctx, T* p) {
  { cl.output_shape(x.shape()) } -> std::same_as<Shape>;
  l.forward(x, y, ctx);
  l.backward(x, x, x, y, ctx);  // (in, out, grad_out, grad_in, ctx)
  { cl.param_specs() } -> std::same_as<std::vector<ParamSpec>>;
  l.bind(p, p);
};

// Layers without parameters.
struct NoParams {
  std::vector<ParamSpec> param_specs() const { return {}; }
  template <class T>
  void bind(T*, T*) {}
};

}  // namespace sster
