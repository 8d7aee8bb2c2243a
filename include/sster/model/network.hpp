#pragma once
// Network<T>: a sequence of layers walked with std::visit (static dispatch,
// layers stay plain structs), plus the input stage that turns a batch of
// symbol sequences into the first layer's input.
//
// Input: symbols (B, L) with values < symbols or no_symbol, optional dense
// channels (B, L, Cd) appended after the symbol channels, optional
// structure profiles, optional per-sequence extras (B, A) for the layers that
// append them. When the first layer reads symbols (a SymbolLayer, see
// nn/layer.hpp) and the input has neither dense channels nor profiles, the
// first layer gets the symbols themselves; otherwise the input is expanded to
// a float (B, L, symbols + Cd) tensor. The architecture picks the layers, and
// with them the path.
//
// Two views of one network: the layers as they run (fused ones among them),
// and the Keras layers they stand for (each layer's parts, nn/layer.hpp),
// which the summary, the model file and optimised inputs see: size(),
// name(i), type(i), output_shape(i) and param_specs(i) index Keras layers,
// and so do forward's and backward's `last`.
//
// Inference can run the float-input convolution blocks in 8-bit integers
// (quantize(), nn/quantized_conv_pool1d.hpp); training always runs in float.
//
// Activation and gradient buffers are members, resized per call: after the
// first batch of a given size no allocation happens.
//
// The larger members are defined after the class: not inline, so that a
// program can compile them once (model/compiled_runtime.cpp).
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <variant>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/symbol.hpp"
#include "sster/nn/append_extra.hpp"
#include "sster/nn/bidirectional.hpp"
#include "sster/nn/conv_pool1d.hpp"
#include "sster/nn/dense.hpp"
#include "sster/nn/dropout.hpp"
#include "sster/nn/flatten.hpp"
#include "sster/nn/gru.hpp"
#include "sster/nn/lstm.hpp"
#include "sster/nn/quantized_conv_pool1d.hpp"
#include "sster/nn/symbol_conv_pool1d.hpp"

namespace sster {

template <class T>
using AnyLayer = std::variant<SymbolConvPool1D<T>, ConvPool1D<T>, Dropout<T>, Flatten<T>, Dense<T>, AppendExtra<T>,
                              LSTM<T>, GRU<T>, Bidirectional<LSTM<T>>, Bidirectional<GRU<T>>>;

struct InputSpec {
  index_t length = 0;
  index_t symbols = 0;         // alphabet size: one-hot channels
  index_t dense_channels = 0;  // real-valued channels after the symbol channels
  index_t extra = 0;           // per-sequence additional inputs
  // Structure profiles (pysster's structure PWMs): symbol s = letter * P + r
  // marks the block of P channels of the sequence letter, which holds the P
  // structure probabilities instead of a single 1. 0 when not used.
  index_t profile_channels = 0;
  index_t channels() const { return symbols + dense_channels; }
  // Whether the input is the symbols alone (a one-hot matrix, no other values).
  bool symbols_only() const { return dense_channels == 0 && profile_channels == 0; }
  bool operator==(const InputSpec&) const = default;
};

template <class T>
struct InputBatch {
  index_t B = 0;
  const std::uint8_t* symbols = nullptr;  // (B, L)
  const T* dense = nullptr;               // (B, L, dense_channels)
  const T* extra = nullptr;               // (B, extra)
  const T* profile = nullptr;             // (B, L, profile_channels)

  // Samples [begin, end) of this batch.
  InputBatch slice(const InputSpec& s, index_t begin, index_t end) const {
    auto at = [&](const auto* p, index_t per_sample) { return p ? p + begin * per_sample : nullptr; };
    return {.B = end - begin,
            .symbols = at(symbols, s.length),
            .dense = at(dense, s.length * s.dense_channels),
            .extra = at(extra, s.extra),
            .profile = at(profile, s.length * s.profile_channels)};
  }
};

template <class T>
class Network {
 public:
  // One Keras layer of the network: a part of layer `layer`.
  struct Part {
    LayerPart part;
    std::string name;   // Keras' name: the type numbered per type, "conv1d_1"
    std::size_t layer;  // the layer that runs it
  };

  Network(InputSpec input, std::vector<AnyLayer<T>> layers);

  const InputSpec& input() const { return input_; }
  // Whether the first layer reads the batch's symbols (else floats).
  bool reads_symbols() const { return reads_symbols_; }

  // The Keras layers.
  std::size_t size() const { return parts_.size(); }
  const std::string& name(std::size_t i) const { return parts_[i].name; }
  const std::string& type(std::size_t i) const { return parts_[i].part.type; }
  // Output shape of Keras layer i for one sample (B = 1).
  Shape output_shape(std::size_t i) const { return parts_[i].part.output; }
  const std::vector<ParamSpec>& param_specs(std::size_t i) const { return parts_[i].part.params; }
  index_t parameter_count() const {
    index_t n = 0;
    for (const auto& p : parts_)
      for (const auto& spec : p.part.params) n += spec.size();
    return n;
  }

  // The layers as they run.
  const std::vector<AnyLayer<T>>& layers() const { return layers_; }

  // The first convolution (its kernels and weights), or null.
  const Conv1D<T>* first_conv() const;

  // Runs the convolution blocks named in `input_max` (their conv1d's Keras
  // name, with the largest input value calibration saw) in 8-bit integers
  // whenever the network is not training; an empty map: float everywhere.
  // Call again after the weights change.
  void quantize(const std::map<std::string, float>& input_max);

  // Layer r's int8 version when quantize() gave it one, else null.
  const QuantizedConvPool* quantized(std::size_t r) const {
    return r < quantized_.size() && quantized_[r] ? &*quantized_[r] : nullptr;
  }

  // Whether `name` is the conv1d of a block quantize() can run in int8.
  bool can_quantize(const std::string& name) const { return quantizable_layer(name).has_value(); }

  // After a forward through the whole network: fn(name, input) for every
  // convolution block int8 can run, with the input it had (calibration).
  template <class Fn>
  void for_each_quantizable_input(Fn&& fn) const {
    for (std::size_t r = 0; r < layers_.size(); ++r)
      if (std::holds_alternative<ConvPool1D<T>>(layers_[r])) fn(parts_[first_part_[r]].name, r == 0 ? x0_ : acts_[r - 1]);
  }

  // Points every layer's parameter and gradient views into flat buffers of
  // parameter_count() values each, in layer order.
  void bind(T* values, T* grads);

  // Logits (B, 1, classes) for the batch, or the output of Keras layer `last`.
  const Tensor<T>& forward(const InputBatch<T>& in, Context& ctx, std::size_t last = SIZE_MAX);

  // The first convolution's output (B, positions, kernels), after its
  // activation and before the pooling: what kernel interpretation explains.
  const Tensor<T>& first_conv_activations(const InputBatch<T>& in, Context& ctx);

  // Forward from a float input (B, L, channels): optimised inputs start here.
  const Tensor<T>& forward_dense(const Tensor<T>& x, Context& ctx, std::size_t last = SIZE_MAX);

  // Backward from d loss / d (output of Keras layer `last`), after a forward
  // to the same `last` (whose input must still be alive). Assigns every
  // parameter gradient of the layers up to `last`; with `input_grad` also the
  // gradient with respect to the float input, which needs that forward to
  // have run on floats.
  void backward(const Tensor<T>& grad_out, Context& ctx, std::size_t last = SIZE_MAX, Tensor<T>* input_grad = nullptr);

 private:
  template <class Fn>
  decltype(auto) visit_layer(std::size_t r, Fn&& fn) {
    return std::visit(std::forward<Fn>(fn), layers_[r]);
  }
  template <class Fn>
  decltype(auto) visit_layer(std::size_t r, Fn&& fn) const {
    return std::visit(std::forward<Fn>(fn), layers_[r]);
  }

  // The layer of the convolution block whose conv1d is called `name`.
  std::optional<std::size_t> quantizable_layer(const std::string& name) const;
  // Runs layer r in int8 if it is quantised, the network not training and
  // the pass runs all its parts; false when the float layer must run.
  bool forward_quantized(std::size_t r, index_t parts, const Context& ctx, const Tensor<T>& x);

  std::size_t first_conv_index() const {
    std::size_t i = 0;
    while (i < size() && type(i) != Conv1D<T>::keras_type) ++i;
    return i;
  }

  // How many of layer r's Keras layers a pass up to Keras layer `last` runs.
  index_t parts_run(std::size_t r, std::size_t last) const {
    const std::size_t end = r == parts_[last].layer ? last + 1 : r + 1 < first_part_.size() ? first_part_[r + 1] : size();
    return static_cast<index_t>(end - first_part_[r]);
  }

  // Layer r's output for an input of batch B when it runs `parts` parts: a
  // multi-part layer runs them (all of them too) through its parts overload.
  Shape run_shape(std::size_t r, index_t parts, index_t B) const {
    Shape s = parts_[first_part_[r] + to_size(parts) - 1].part.output;
    s.B = B;
    return s;
  }
  template <class L, class In>
  static void call_forward(L& l, const In& x, Tensor<T>& y, Context& ctx, index_t parts) {
    if constexpr (requires { l.forward(x, y, ctx, parts); }) l.forward(x, y, ctx, parts);
    else l.forward(x, y, ctx);
  }
  template <class L>
  static void call_backward(L& l, const Tensor<T>& x, const Tensor<T>& y, const Tensor<T>& g, Tensor<T>& gx,
                            Context& ctx, index_t parts) {
    if constexpr (requires { l.backward(x, y, g, gx, ctx, parts); }) l.backward(x, y, g, gx, ctx, parts);
    else l.backward(x, y, g, gx, ctx);
  }

  const Tensor<T>& run_forward(std::size_t last, Context& ctx);

  // Layers that append the batch's additional inputs read them from here.
  void set_extra(const InputBatch<T>& in);

  // Every layer that draws dropout masks gets an id of its own.
  template <class L>
  static void set_dropout_id(L& l, std::size_t id) {
    if constexpr (requires { l.set_id(id); }) l.set_id(id);
    else if constexpr (requires { l.id = id; }) l.id = id;
  }

  // One-hot symbols (or the structure profile in the sequence letter's
  // block) followed by the dense channels.
  void expand_input(const InputBatch<T>& in);

  InputSpec input_;
  std::vector<AnyLayer<T>> layers_;
  std::vector<Part> parts_;              // the Keras layers, in order
  std::vector<std::size_t> first_part_;  // per layer: its first Keras layer
  bool reads_symbols_ = false;
  bool symbol_input_ = false;  // the last forward gave the first layer symbols
  SymbolInput symbols_;
  Tensor<T> x0_, scratch_grad_;
  std::vector<Tensor<T>> acts_, grads_;  // per layer: output of the last forward, gradient there
  std::vector<std::optional<QuantizedConvPool>> quantized_;  // per layer, when quantize()d
  bool quantized_pass_ = false;                              // the last forward ran a layer in int8
};

template <class T>
Network<T>::Network(InputSpec input, std::vector<AnyLayer<T>> layers) : input_(input), layers_(std::move(layers)) {
  require(!layers_.empty(), "Network: no layers");
  std::map<std::string, int> numbers;  // Keras numbers layers per type: dropout_1, dropout_2, ...
  Shape s{1, input_.length, input_.channels()};
  for (std::size_t r = 0; r < layers_.size(); ++r) {
    first_part_.push_back(parts_.size());
    // Every layer that draws dropout masks is keyed by its first Keras layer's position.
    visit_layer(r, [&](auto& l) { set_dropout_id(l, parts_.size()); });
    const auto parts = visit_layer(r, [&](const auto& l) { return layer_parts(l, s); });
    for (const auto& part : parts) {
      const std::string name = part.type + "_" + std::to_string(++numbers[part.type]);
      require(part.output.L > 0, "layer " + name + " shrinks the sequence to length " + std::to_string(part.output.L));
      parts_.push_back({part, name, r});
    }
    s = parts.back().output;
  }
  reads_symbols_ = input_.symbols_only() &&
                   visit_layer(0, []<class L>(const L&) { return SymbolLayer<L, T>; });
  acts_.resize(layers_.size());
  grads_.resize(layers_.size());
}

template <class T>
const Conv1D<T>* Network<T>::first_conv() const {
  const auto i = first_conv_index();
  if (i == size()) return nullptr;
  return std::visit(
      [](const auto& l) -> const Conv1D<T>* {
        if constexpr (requires { l.convolution(); }) return &l.convolution();
        else return nullptr;
      },
      layers_[parts_[i].layer]);
}

template <class T>
void Network<T>::quantize(const std::map<std::string, float>& input_max) {
  static_assert(std::is_same_v<T, float>, "int8 inference quantises float networks");
  quantized_.assign(layers_.size(), std::nullopt);
  for (const auto& [name, largest] : input_max) {
    const auto r = quantizable_layer(name);
    require(r.has_value(), "int8 calibration names " + name + ", which is not a convolution int8 can run");
    quantized_[*r].emplace(std::get<ConvPool1D<T>>(layers_[*r]), largest);
  }
}

template <class T>
void Network<T>::bind(T* values, T* grads) {
  for (std::size_t r = 0; r < layers_.size(); ++r) {
    visit_layer(r, [&](auto& l) { l.bind(values, grads); });
    index_t n = 0;
    for (const auto& p : visit_layer(r, [](const auto& l) { return l.param_specs(); })) n += p.size();
    values += n;
    grads += n;
  }
}

template <class T>
const Tensor<T>& Network<T>::forward(const InputBatch<T>& in, Context& ctx, std::size_t last) {
  set_extra(in);
  symbol_input_ = reads_symbols_;
  if (symbol_input_) symbols_ = {.B = in.B, .L = input_.length, .symbols = in.symbols};
  else expand_input(in);
  return run_forward(std::min(last, size() - 1), ctx);
}

template <class T>
const Tensor<T>& Network<T>::first_conv_activations(const InputBatch<T>& in, Context& ctx) {
  require(first_conv_index() < size(), "the network has no convolution: no kernel activations to show");
  return forward(in, ctx, first_conv_index());
}

template <class T>
const Tensor<T>& Network<T>::forward_dense(const Tensor<T>& x, Context& ctx, std::size_t last) {
  require(!input_.extra, "forward_dense: networks with additional inputs need forward()");
  require(x.shape().L == input_.length && x.shape().C == input_.channels(),
          "forward_dense: expected an input of length " + std::to_string(input_.length) + " with " +
              std::to_string(input_.channels()) + " channels");
  symbol_input_ = false;
  x0_ = x;
  return run_forward(std::min(last, size() - 1), ctx);
}

template <class T>
void Network<T>::backward(const Tensor<T>& grad_out, Context& ctx, std::size_t last, Tensor<T>* input_grad) {
  last = std::min(last, size() - 1);
  require(!input_grad || !symbol_input_, "backward: no input gradient after a forward on symbols");
  require(!quantized_pass_, "backward: the forward ran in int8, which has no gradients (use float32 precision)");
  const std::size_t top = parts_[last].layer;
  grads_[top] = grad_out;
  for (std::size_t r = top + 1; r-- > 0;) {
    const index_t parts = parts_run(r, last);
    if (r == 0 && symbol_input_) {
      visit_layer(0, [&]<class L>(L& l) {
        if constexpr (SymbolLayer<L, T>) l.backward(symbols_, acts_[0], grads_[0], ctx, parts);
      });
      return;
    }
    const Tensor<T>& x = r == 0 ? x0_ : acts_[r - 1];
    Tensor<T>& gx = r > 0 ? grads_[r - 1] : input_grad ? *input_grad : scratch_grad_;
    gx.resize(x.shape());
    visit_layer(r, [&](auto& l) { call_backward(l, x, acts_[r], grads_[r], gx, ctx, parts); });
  }
}

template <class T>
std::optional<std::size_t> Network<T>::quantizable_layer(const std::string& name) const {
  for (std::size_t r = 0; r < layers_.size(); ++r)
    if (std::holds_alternative<ConvPool1D<T>>(layers_[r]) && parts_[first_part_[r]].name == name) return r;
  return std::nullopt;
}

template <class T>
bool Network<T>::forward_quantized(std::size_t r, index_t parts, const Context& ctx, const Tensor<T>& x) {
  if constexpr (std::is_same_v<T, float>) {
    if (!ctx.training && r < quantized_.size() && quantized_[r] && parts == parts_run(r, size() - 1)) {
      quantized_[r]->forward(x, acts_[r]);
      return quantized_pass_ = true;
    }
  }
  return false;
}

template <class T>
const Tensor<T>& Network<T>::run_forward(std::size_t last, Context& ctx) {
  const index_t B = symbol_input_ ? symbols_.B : x0_.shape().B;
  quantized_pass_ = false;
  const std::size_t top = parts_[last].layer;
  for (std::size_t r = 0; r <= top; ++r) {
    const index_t parts = parts_run(r, last);
    acts_[r].resize(run_shape(r, parts, B));
    if (r == 0 && symbol_input_) {
      visit_layer(0, [&]<class L>(L& l) {
        if constexpr (SymbolLayer<L, T>) call_forward(l, symbols_, acts_[0], ctx, parts);
      });
    } else {
      const Tensor<T>& x = r == 0 ? x0_ : acts_[r - 1];
      if (!forward_quantized(r, parts, ctx, x)) visit_layer(r, [&](auto& l) { call_forward(l, x, acts_[r], ctx, parts); });
    }
  }
  return acts_[top];
}

template <class T>
void Network<T>::set_extra(const InputBatch<T>& in) {
  for (auto& layer : layers_)
    std::visit(
        [&](auto& l) {
          if constexpr (requires { l.extra = in.extra; }) l.extra = in.extra;
        },
        layer);
}

template <class T>
void Network<T>::expand_input(const InputBatch<T>& in) {
  const index_t L = input_.length, C = input_.channels(), S = input_.symbols, D = input_.dense_channels,
                P = input_.profile_channels;
  x0_.resize({in.B, L, C});
  x0_.fill(T{0});
  for (index_t p = 0; p < in.B * L; ++p) {
    T* row = x0_.data() + p * C;
    const std::uint8_t s = in.symbols ? in.symbols[p] : no_symbol;
    if (s != no_symbol && P > 0) std::copy_n(in.profile + p * P, P, row + s / P * P);
    else if (s != no_symbol) row[s] = T{1};
    if (D) std::copy_n(in.dense + p * D, D, row + S);
  }
}

// Compiled once where SSTER_COMPILED_RUNTIME is defined (model/compiled_runtime.cpp).
#if defined(SSTER_COMPILED_RUNTIME)
extern template class Network<float>;
#endif

}  // namespace sster
