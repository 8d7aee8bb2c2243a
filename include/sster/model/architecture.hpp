#pragma once
// pysster's architecture, built from Params for a given input and class count:
//   Dropout(dropout_input)
//   [Conv1D(kernel_num, kernel_len, relu, max_norm) -> MaxPool1D(pool_size,
//    pool_stride) -> Dropout(dropout_conv)] x conv_num
//   Flatten, or the recurrent stack when rnn_type is set:
//   [LSTM or GRU (rnn_units, optionally Bidirectional)] x rnn_num
//   [AppendExtra(additional inputs, dropout_input)]
//   [Dense(neuron_num, relu, max_norm) -> Dropout(dropout_dense)] x dense_num
//   Dense(classes, linear; softmax or sigmoid live in the loss)
// Each conv block, Conv1D -> MaxPool1D, runs as one ConvPool1D; on plain
// sequences (no profiles, no position-wise values) the first one also takes
// the input dropout and reads the symbols: SymbolConvPool1D. The Keras layers
// stay as listed (names "conv1d_1", "max_pooling1d_1", ..., shapes and
// weights), so print_summary reads like pysster's.
#include <string>
#include <vector>

#include "sster/model/network.hpp"
#include "sster/model/params.hpp"

namespace sster {

// pysster's recurrent block: rnn_num LSTM or GRU layers (optionally
// bidirectional), all but the last returning sequences. Returns the features
// the last one outputs.
template <class T, class Add>
index_t add_recurrent(const ParamValues& p, index_t channels, Add& add) {
  const bool lstm = p.rnn_type == RnnType::lstm;
  const index_t layers = p.rnn_num;
  for (index_t i = 0; i < layers; ++i) {
    auto configure = [&](auto layer) {
      layer.inputs = channels;
      layer.units = p.rnn_units[i];
      layer.return_sequences = i + 1 < layers;
      layer.dropout = p.rnn_dropout_input[i];
      layer.recurrent_dropout = p.rnn_dropout_recurrent[i];
      layer.per_gate_masks = p.rnn_dropout_masks == RnnDropoutMasks::per_gate;
      const bool both = p.rnn_bidirectional[i];
      if (both) add(Bidirectional<decltype(layer)>(layer));
      else add(layer);
      channels = layer.units * (both ? 2 : 1);
    };
    if (lstm) configure(LSTM<T>{});
    else configure(GRU<T>{});
  }
  return channels;
}

template <class T>
Network<T> build_network(const Params& params, const InputSpec& input, index_t classes) {
  params.validate();
  const ParamValues& p = params.values();
  require(classes >= 2 || classes == 1, "model: at least one class expected");
  std::vector<AnyLayer<T>> layers;
  auto add = [&](AnyLayer<T> layer) { layers.push_back(std::move(layer)); };
  const Dropout<T> input_dropout{.rate = p.dropout_input};
  // On plain sequences the first conv block reads the symbols itself, input
  // dropout included; otherwise the input is floats and the dropout a layer.
  const bool symbol_block = input.symbols_only() && p.conv_num > 0;
  if (!symbol_block) add(input_dropout);
  index_t channels = input.channels(), length = input.length;
  for (index_t i = 0; i < p.conv_num; ++i) {
    const index_t width = p.kernel_len[i], kernels = p.kernel_num[i];
    const index_t pool = p.pool_size[i], stride = p.pool_stride[i];
    require(width <= length, "conv1d_" + std::to_string(i + 1) + ": kernel_len " + std::to_string(width) +
                                 " exceeds its input length " + std::to_string(length) +
                                 " (sequence length " + std::to_string(input.length) + ")");
    length = length - width + 1;
    require(pool <= length, "max_pooling1d_" + std::to_string(i + 1) + ": pool_size " + std::to_string(pool) +
                                " exceeds its input length " + std::to_string(length) + " (sequence length " +
                                std::to_string(input.length) + "): use fewer or shorter conv layers");
    length = (length - pool) / stride + 1;
    const ConvPool1D<T> block{.conv = {.in_channels = channels, .kernels = kernels, .width = width},
                              .pool = {.size = pool, .stride = stride}};
    if (i == 0 && symbol_block) add(SymbolConvPool1D<T>{.dropout = input_dropout, .block = block});
    else add(block);
    add(Dropout<T>{.rate = p.dropout_conv[i]});
    channels = kernels;
  }
  index_t features = length * channels;
  if (p.rnn_type == RnnType::none) {
    add(Flatten<T>{});
  } else {
    features = add_recurrent<T>(p, channels, add);
  }
  if (input.extra > 0) {
    add(AppendExtra<T>{.extra_size = input.extra, .dropout = input_dropout});
    features += input.extra;
  }
  for (index_t i = 0; i < p.dense_num; ++i) {
    const index_t units = p.neuron_num[i];
    add(Dense<T>{.inputs = features, .units = units});
    add(Dropout<T>{.rate = p.dropout_dense[i]});
    features = units;
  }
  add(Dense<T>{.inputs = features, .units = classes, .activation = Activation::linear, .max_norm = false});
  return Network<T>(input, std::move(layers));
}

// Compiled once where SSTER_COMPILED_RUNTIME is defined (model/compiled_runtime.cpp).
#if defined(SSTER_COMPILED_RUNTIME)
extern template Network<float> build_network<float>(const Params&, const InputSpec&, index_t);
#endif

}  // namespace sster
