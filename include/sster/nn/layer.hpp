#pragma once
// The contract every layer satisfies, and the pieces layers share. How to
// add a layer: docs/adding-a-layer.md.
//
// A layer is a plain class template on the scalar type T. It offers
//   Shape output_shape(Shape in) const;
//   void forward(const Tensor<T>& in, Tensor<T>& out, Context& ctx);
//   void backward(const Tensor<T>& in, const Tensor<T>& out,
//                 const Tensor<T>& grad_out, Tensor<T>& grad_in, Context& ctx);
//   std::vector<ParamSpec> param_specs() const;   // what it owns, in order
//   void bind(T* values, T* grads);                // views into flat buffers
// and says which Keras layer it is: `static constexpr const char* keras_type`
// ("conv1d", "dense", ...), or, when it stands for several Keras layers (a
// fused layer: ConvPool1D is a conv1d and a max_pooling1d),
//   std::vector<LayerPart> parts(Shape in) const;  // one per Keras layer
// together with forward and backward overloads taking a trailing
// `index_t parts` that run only its first `parts` Keras layers (out is then
// that part's output), so that every Keras layer's output stays reachable.
//
// The network resizes `out` and `grad_in` before the call; `out` holds the
// forward's output when backward runs. backward ASSIGNS both grad_in and every
// parameter gradient (it never accumulates), so one backward pass per step
// needs no zeroing and an unwritten entry is a bug the gradient tests catch
// by pre-filling with NaN.
//
// A layer that can be a network's first layer on plain sequences may also
// read symbols (SymbolLayer below): forward(SymbolInput, out, ctx) and
// backward(SymbolInput, out, grad_out, ctx), the latter assigning only the
// parameter gradients (symbols have no gradient).
#include <concepts>
#include <cstdint>
#include <string>
#include <vector>

#include "sster/core/symbol.hpp"
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

// One Keras layer as the model summary and the model file list it.
struct LayerPart {
  std::string type;               // Keras' layer type: "conv1d", "max_pooling1d", ...
  Shape output;                   // its output shape
  std::vector<ParamSpec> params;  // its parameters, in the order the layer binds them
};

// A layer standing for several Keras layers, runnable through the first n.
template <class Lay, class T>
concept MultiPartLayer = requires(Lay l, const Lay cl, const Tensor<T>& x, Tensor<T>& y, Context& ctx, index_t n) {
  { cl.parts(x.shape()) } -> std::same_as<std::vector<LayerPart>>;
  l.forward(x, y, ctx, n);
  l.backward(x, x, x, y, ctx, n);
};

template <class Lay, class T>
concept Layer = requires(Lay l, const Lay cl, const Tensor<T>& x, Tensor<T>& y, Context& ctx, T* p) {
  { cl.output_shape(x.shape()) } -> std::same_as<Shape>;
  l.forward(x, y, ctx);
  l.backward(x, x, x, y, ctx);  // (in, out, grad_out, grad_in, ctx)
  { cl.param_specs() } -> std::same_as<std::vector<ParamSpec>>;
  l.bind(p, p);
} && (MultiPartLayer<Lay, T> || requires { std::string(Lay::keras_type); });

// The Keras layers a layer stands for, given its input shape.
template <class Lay>
std::vector<LayerPart> layer_parts(const Lay& layer, Shape in) {
  if constexpr (requires { layer.parts(in); }) return layer.parts(in);
  else return {{Lay::keras_type, layer.output_shape(in), layer.param_specs()}};
}

// A batch of symbol sequences: (B, L) indices below the reading layer's
// input channels, or no_symbol (no channel hot). It is the one-hot float
// input (B, L, channels) without the zeros.
struct SymbolInput {
  index_t B = 0, L = 0;
  const std::uint8_t* symbols = nullptr;
};

// A layer that also reads symbols, through its first n parts or all of them.
template <class Lay, class T>
concept SymbolLayer = Layer<Lay, T> && requires(Lay l, const SymbolInput& s, const Tensor<T>& x, Tensor<T>& y,
                                                Context& ctx, index_t n) {
  l.forward(s, y, ctx);
  l.forward(s, y, ctx, n);
  l.backward(s, x, x, ctx);  // (in, out, grad_out, ctx): parameter gradients only
  l.backward(s, x, x, ctx, n);
};

// Layers without parameters.
struct NoParams {
  std::vector<ParamSpec> param_specs() const { return {}; }
  template <class T>
  void bind(T*, T*) {}
};

}  // namespace sster
