#pragma once
// Network<T>: a sequence of layers walked with std::visit (static dispatch,
// layers stay plain structs), plus the input stage that turns a batch of
// symbol sequences into the first layer's input.
//
// Input: symbols (B, L) with values < symbols or no_symbol, optional dense
// channels (B, L, Cd) appended after the symbol channels, optional
// per-sequence extras (B, A) for AppendExtra. When the network starts with
// Dropout + Conv1D and there are no dense channels, the first convolution
// gathers weight rows by symbol (no one-hot is built); otherwise the input is
// expanded to a float (B, L, symbols + Cd) tensor and every layer runs on
// floats. Both paths compute the same function, dropout masks included.
//
// Activation and gradient buffers are members, resized per call: after the
// first batch of a given size no allocation happens.
//
// A Conv1D followed by a MaxPool1D runs as one fused kernel (pooling and
// ReLU in the convolution's epilogue, Conv1D::forward_pooled) whenever the
// forward goes past the pool: then activation(conv) is not written, only
// activation(pool). A forward that stops at the conv runs it on its own.
#include <algorithm>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/symbol.hpp"
#include "sster/nn/append_extra.hpp"
#include "sster/nn/bidirectional.hpp"
#include "sster/nn/conv1d.hpp"
#include "sster/nn/dense.hpp"
#include "sster/nn/dropout.hpp"
#include "sster/nn/flatten.hpp"
#include "sster/nn/gru.hpp"
#include "sster/nn/lstm.hpp"
#include "sster/nn/maxpool1d.hpp"

namespace sster {

template <class T>
using AnyLayer = std::variant<Conv1D<T>, MaxPool1D<T>, Dropout<T>, Flatten<T>, Dense<T>, AppendExtra<T>, LSTM<T>, GRU<T>,
                              Bidirectional<LSTM<T>>, Bidirectional<GRU<T>>>;

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
  // names: Keras-style ("conv1d_1", ...), shown by print_summary and used to
  // pick a layer for optimised inputs.
  Network(InputSpec input, std::vector<AnyLayer<T>> layers, std::vector<std::string> names)
      : input_(input), layers_(std::move(layers)), names_(std::move(names)) {
    require(names_.size() == layers_.size(), "Network: one name per layer expected");
    for (std::size_t i = 0; i < layers_.size(); ++i) set_dropout_id(layers_[i], i);
    Shape s{1, input_.length, input_.channels()};
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      shapes_.push_back(s = visit_layer(i, [&](auto& l) { return l.output_shape(s); }));
      require(s.L > 0, "layer " + names_[i] + " shrinks the sequence to length " + std::to_string(s.L));
    }
    symbol_path_ = input_.dense_channels == 0 && input_.profile_channels == 0 && layers_.size() >= 2 &&
                   std::holds_alternative<Dropout<T>>(layers_[0]) && std::holds_alternative<Conv1D<T>>(layers_[1]);
    acts_.resize(layers_.size());
    grads_.resize(layers_.size());
    fused_.assign(layers_.size(), 0);
  }

  const InputSpec& input() const { return input_; }
  std::size_t size() const { return layers_.size(); }
  const std::string& name(std::size_t i) const { return names_[i]; }
  const AnyLayer<T>& layer(std::size_t i) const { return layers_[i]; }
  AnyLayer<T>& layer(std::size_t i) { return layers_[i]; }
  // Output shape of layer i for one sample (B = 1).
  Shape output_shape(std::size_t i) const { return shapes_[i]; }
  bool uses_symbol_path() const { return symbol_path_; }
  // Output of layer i from the last forward call.
  const Tensor<T>& activation(std::size_t i) const { return acts_[i]; }

  std::vector<ParamSpec> param_specs(std::size_t i) const {
    return std::visit([](const auto& l) { return l.param_specs(); }, layers_[i]);
  }
  index_t parameter_count() const {
    index_t n = 0;
    for (std::size_t i = 0; i < layers_.size(); ++i)
      for (const auto& p : param_specs(i)) n += p.size();
    return n;
  }
  // Points every layer's parameter and gradient views into flat buffers of
  // parameter_count() values each, in layer order.
  void bind(T* values, T* grads) {
    for (std::size_t i = 0; i < layers_.size(); ++i) {
      visit_layer(i, [&](auto& l) { l.bind(values, grads); });
      index_t n = 0;
      for (const auto& p : param_specs(i)) n += p.size();
      values += n;
      grads += n;
    }
  }

  // Logits (B, 1, classes) for the batch, or the output of layer `last`.
  const Tensor<T>& forward(const InputBatch<T>& in, Context& ctx, std::size_t last = SIZE_MAX) {
    last = std::min(last, layers_.size() - 1);
    set_extra(in);
    std::fill(fused_.begin(), fused_.end(), 0);
    std::size_t first = 0;
    if (symbol_path_) {
      symbol_scales(in, ctx);
      auto& conv = std::get<Conv1D<T>>(layers_[1]);
      if (fusable(1, last)) {
        const auto& pool = std::get<MaxPool1D<T>>(layers_[2]);
        acts_[2].resize(with_batch(shapes_[2], in.B));
        conv.forward_symbols_pooled(in.symbols, scale_ptr(ctx), in.B, input_.length, pool.size, pool.stride, acts_[2]);
        fused_[1] = 1;
        first = 3;
      } else {
        acts_[1].resize(with_batch(shapes_[1], in.B));
        conv.forward_symbols(in.symbols, scale_ptr(ctx), in.B, input_.length, acts_[1]);
        first = 2;
      }
    } else {
      expand_input(in);
    }
    return run_forward(first, last, ctx);
  }

  // Forward from a float input (B, L, channels): optimised inputs start here.
  const Tensor<T>& forward_dense(const Tensor<T>& x, Context& ctx, std::size_t last = SIZE_MAX) {
    require(!input_.extra, "forward_dense: networks with additional inputs need forward()");
    std::fill(fused_.begin(), fused_.end(), 0);
    x0_ = x;
    return run_forward(0, std::min(last, layers_.size() - 1), ctx);
  }

  // Backward from d loss / d (output of layer `last`). Assigns every
  // parameter gradient of layers up to `last`; with `input_grad` also the
  // gradient with respect to the float input, which needs the preceding
  // forward to have run on floats (forward_dense, or no symbol path).
  void backward(const InputBatch<T>& in, const Tensor<T>& grad_out, Context& ctx, std::size_t last = SIZE_MAX,
                Tensor<T>* input_grad = nullptr) {
    last = std::min(last, layers_.size() - 1);
    grads_[last] = grad_out;
    const bool symbols = symbol_path_ && !input_grad;  // the first conv read symbols: no input gradient
    // Layer i (with conv i - 1 when the pair ran fused) maps grads_[i] to the
    // gradient of its input: grads_[lo - 1], or the network input's for lo = 0.
    for (std::size_t i = last + 1; i-- > 0;) {
      const bool pair = i >= 1 && fused_[i - 1];
      const std::size_t lo = pair ? i - 1 : i;
      if (symbols && lo == 1) {
        auto& conv = std::get<Conv1D<T>>(layers_[1]);
        if (pair) {
          const auto& pool = std::get<MaxPool1D<T>>(layers_[2]);
          conv.backward_symbols_pooled(in.symbols, scale_ptr(ctx), in.B, input_.length, pool.size, pool.stride,
                                       acts_[2], grads_[2]);
        } else {
          conv.backward_symbols(in.symbols, scale_ptr(ctx), in.B, input_.length, acts_[1], grads_[1]);
        }
        return;
      }
      const Tensor<T>& x = lo == 0 ? x0_ : acts_[lo - 1];
      Tensor<T>& gx = lo > 0 ? grads_[lo - 1] : input_grad ? *input_grad : scratch_grad_;
      gx.resize(x.shape());
      if (pair) {
        const auto& pool = std::get<MaxPool1D<T>>(layers_[i]);
        std::get<Conv1D<T>>(layers_[lo]).backward_pooled(x, pool.size, pool.stride, acts_[i], grads_[i],
                                                          lo > 0 || input_grad ? &gx : nullptr);
      } else {
        visit_layer(i, [&](auto& l) { l.backward(x, acts_[i], grads_[i], gx, ctx); });
      }
      i = lo;
    }
  }

  template <class Fn>
  decltype(auto) visit_layer(std::size_t i, Fn&& fn) {
    return std::visit(std::forward<Fn>(fn), layers_[i]);
  }

 private:
  static Shape with_batch(Shape s, index_t B) { return {B, s.L, s.C}; }

  // Conv1D at i followed by MaxPool1D at i + 1, both within the forward.
  bool fusable(std::size_t i, std::size_t last) const {
    return i + 1 <= last && std::holds_alternative<Conv1D<T>>(layers_[i]) &&
           std::holds_alternative<MaxPool1D<T>>(layers_[i + 1]);
  }

  const Tensor<T>& run_forward(std::size_t first, std::size_t last, Context& ctx) {
    for (std::size_t i = first; i <= last; ++i) {
      const Tensor<T>& x = i == 0 ? x0_ : acts_[i - 1];
      if (fusable(i, last)) {
        auto& conv = std::get<Conv1D<T>>(layers_[i]);
        const auto& pool = std::get<MaxPool1D<T>>(layers_[i + 1]);
        acts_[i + 1].resize(pool.output_shape(conv.output_shape(x.shape())));
        conv.forward_pooled(x, pool.size, pool.stride, acts_[i + 1]);
        fused_[i] = 1;
        ++i;
        continue;
      }
      acts_[i].resize(visit_layer(i, [&](auto& l) { return l.output_shape(x.shape()); }));
      visit_layer(i, [&](auto& l) { l.forward(x, acts_[i], ctx); });
    }
    return acts_[last];
  }

  void set_extra(const InputBatch<T>& in) {
    for (auto& l : layers_)
      if (auto* a = std::get_if<AppendExtra<T>>(&l)) a->extra = in.extra;
  }

  // Every layer that draws dropout masks gets its position as key.
  static void set_dropout_id(AnyLayer<T>& layer, std::size_t id) {
    std::visit(
        [id](auto& l) {
          using L = std::decay_t<decltype(l)>;
          if constexpr (std::is_same_v<L, Dropout<T>> || std::is_same_v<L, LSTM<T>> || std::is_same_v<L, GRU<T>>) l.id = id;
          if constexpr (std::is_same_v<L, Bidirectional<LSTM<T>>> || std::is_same_v<L, Bidirectional<GRU<T>>>) l.set_id(id);
          if constexpr (std::is_same_v<L, AppendExtra<T>>) l.dropout.id = id;
        },
        layer);
  }

  // One-hot symbols (or the structure profile in the sequence letter's
  // block) followed by the dense channels.
  void expand_input(const InputBatch<T>& in) {
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

  // Input dropout on a one-hot row drops the single hot element, so on the
  // symbol path it is a per-position scale (0 or 1/(1-rate)) whose mask is
  // keyed by the hot element's flat index, exactly as on the float path.
  void symbol_scales(const InputBatch<T>& in, const Context& ctx) {
    const auto& drop = std::get<Dropout<T>>(layers_[0]);
    if (!drop.active(ctx)) return;
    const index_t L = input_.length, C = input_.channels();
    scale_.resize({in.B, L, 1});
    for (index_t b = 0; b < in.B; ++b) {
      const RandomKey key = drop.sample_key(ctx, b);
      for (index_t t = 0; t < L; ++t) {
        const std::uint8_t s = in.symbols[b * L + t];
        scale_[b * L + t] = s != no_symbol && drop.keep(key, t * C + s) ? drop.scale() : T{0};
      }
    }
  }
  const T* scale_ptr(const Context& ctx) const {
    return std::get<Dropout<T>>(layers_[0]).active(ctx) ? scale_.data() : nullptr;
  }

  InputSpec input_;
  std::vector<AnyLayer<T>> layers_;
  std::vector<std::string> names_;
  std::vector<Shape> shapes_;
  bool symbol_path_ = false;
  Tensor<T> x0_, scale_, scratch_grad_;
  std::vector<Tensor<T>> acts_, grads_;
  std::vector<char> fused_;  // fused_[i]: conv i ran fused with pool i + 1 in the last forward
};

}  // namespace sster
