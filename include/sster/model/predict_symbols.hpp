#pragma once
// Prediction on records that come from outside a Data set (the Python
// package's numpy arrays, another program's own encoding): symbol arrays
// checked against the model's alphabet, pysster's one-hot input matrices
// turned into symbols, and predictions in blocks of 1024 records, so the
// engine's buffers stay bounded for any number of records.
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/symbol.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/model/model.hpp"

namespace sster {

namespace detail {
inline std::string record_position(index_t record, index_t position) {
  return "record " + std::to_string(record + 1) + " position " + std::to_string(position + 1);
}
}  // namespace detail

// Records of `length` symbols each, back to back: every symbol must index the
// alphabet (no_symbol pads, as in a padded Data set).
inline void check_symbols(std::span<const std::uint8_t> symbols, index_t length, const Alphabet& alphabet) {
  require(length > 0 && std::ssize(symbols) % length == 0,
          "symbols: " + std::to_string(symbols.size()) + " values are not a whole number of records of length " +
              std::to_string(length));
  const auto A = alphabet.size();
  for (index_t i = 0; i < std::ssize(symbols); ++i) {
    const std::uint8_t s = at(symbols, i);
    if (s >= A && s != no_symbol)
      throw Error("symbols: " + detail::record_position(i / length, i % length) + " holds " + std::to_string(s) +
                  ", but the alphabet " + alphabet.to_string() + " has " + std::to_string(A) + " symbols (0 to " +
                  std::to_string(A - 1) + "; " + std::to_string(no_symbol) + " pads)");
  }
}

// pysster's input matrices, (records, length, channels) row-major, as
// symbols: each position a one-hot row (the symbol), or all zeros (padding).
inline std::vector<std::uint8_t> symbols_from_onehot(std::span<const float> onehot, index_t length, index_t channels) {
  require(length > 0 && channels > 0 && std::ssize(onehot) % (length * channels) == 0,
          "one-hot input: " + std::to_string(onehot.size()) + " values are not a whole number of records of " +
              std::to_string(length) + " positions x " + std::to_string(channels) + " channels");
  std::vector<std::uint8_t> symbols(to_size(std::ssize(onehot) / channels));
  for (index_t p = 0; p < std::ssize(symbols); ++p) {
    const float* row = onehot.data() + p * channels;
    index_t hot = -1;
    for (index_t c = 0; c < channels; ++c) {
      if (row[c] == 0) continue;
      if (row[c] != 1 || hot >= 0)
        throw Error("one-hot input: " + detail::record_position(p / length, p % length) +
                    " is not one-hot (expected a single 1 among " + std::to_string(channels) +
                    " channels, the rest 0, or all 0 for padding)");
      hot = c;
    }
    at(symbols, p) = hot < 0 ? no_symbol : static_cast<std::uint8_t>(hot);
  }
  return symbols;
}

// Probabilities (records, classes) of records given as symbols of the
// model's length, checked first. Sequence-only models: structure profiles,
// position-wise and additional inputs come with a Data set.
inline void predict_symbols(Model& model, std::span<const std::uint8_t> symbols, std::span<float> probs) {
  const ModelInfo& info = model.info();
  require(info.dense_channels == 0 && info.extra == 0 && info.profile_channels == 0,
          "this model also needs structure profiles, position-wise or additional inputs: predict with a Data set");
  check_symbols(symbols, info.length, info.alphabet);
  const index_t n = std::ssize(symbols) / info.length, K = info.classes();
  require(std::ssize(probs) == n * K, "predict: room for " + std::to_string(probs.size()) + " probabilities, " +
                                          std::to_string(n) + " records x " + std::to_string(K) + " classes need " +
                                          std::to_string(n * K));
  constexpr index_t block = 1024;  // as Model::predict on a Data set
  for (index_t first = 0; first < n; first += block) {
    const index_t B = std::min(block, n - first);
    model.predict(InputBatch<float>{.B = B, .symbols = symbols.data() + first * info.length}, probs.data() + first * K);
  }
}

}  // namespace sster
