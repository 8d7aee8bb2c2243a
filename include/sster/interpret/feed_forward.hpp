#pragma once
// FeedForward: a network of convolution blocks and dense layers seen as plain
// stages, for the attribution methods that need more of a network than its
// forward and backward: exact fast ISM (interpret/ism.hpp) and DeepLIFT's
// rescale rule (interpret/deeplift_shap.hpp).
//   one-hot input (L, A)
//   [conv (W, C, K) + bias -> activation -> max-pool (size, stride)] x n
//   flatten (channels-last, as Keras)
//   [dense (inputs, units) + bias -> activation] x m, the last one the logits
// Dropout is the identity at inference and has no stage. Networks with
// recurrent layers, additional inputs or float inputs (structure profiles,
// position-wise values) have no such view (supports() says why); the
// methods that work on any network (gradients, naive ISM) remain for them.
// The view points into the model's weights: it lives as long as the model.
//
// forward() runs B samples through the stages in float with the engine's own
// small GEMMs (nn/kernels/small_gemm.hpp, at the CPU's vector width) and
// keeps every stage's values; it computes what the network computes, up to
// the order of float sums. Pooling winners are the first maximum of the
// activated values, as Keras and PyTorch pick them.
#include <algorithm>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/symbol.hpp"
#include "sster/model/network.hpp"
#include "sster/nn/kernels/small_gemm.hpp"

namespace sster {

struct ConvStage {
  const float* w = nullptr;  // (W, C, K)
  const float* b = nullptr;  // (K)
  index_t in_len = 0, C = 0, K = 0, W = 0;
  bool relu = true;
  index_t pool_size = 1, pool_stride = 1;
  index_t conv_len() const { return in_len - W + 1; }
  index_t out_len() const { return (conv_len() - pool_size) / pool_stride + 1; }
};

struct DenseStage {
  const float* w = nullptr;  // (inputs, units)
  const float* b = nullptr;  // (units)
  index_t inputs = 0, units = 0;
  bool relu = true;
};

// What forward() keeps of B samples, per stage, row-major.
struct FeedForwardPass {
  index_t B = 0;
  std::vector<std::vector<float>> pre;              // conv i: (B, conv_len, K), bias added, before the activation
  std::vector<std::vector<float>> pooled;           // conv i: (B, out_len, K), activated and pooled
  std::vector<std::vector<std::int32_t>> winner;    // conv i: (B, out_len, K), the winning conv row
  std::vector<std::vector<float>> dense_pre;        // dense j: (B, units) before the activation
  std::vector<std::vector<float>> dense_out;        // dense j: (B, units) after; the last holds the logits
  std::vector<float> one_hot;                       // (B, L, A): the input (the first stage's, or the features)
  const std::vector<float>& logits() const { return dense_out.back(); }
};

namespace detail {

template <class L>
constexpr bool is_stage() {
  return std::is_same_v<L, SymbolConvPool1D<float>> || std::is_same_v<L, ConvPool1D<float>> ||
         std::is_same_v<L, Dropout<float>> || std::is_same_v<L, Flatten<float>> || std::is_same_v<L, Dense<float>>;
}
template <class L>
std::string keras_name() {
  if constexpr (requires { L::keras_type; }) return L::keras_type;
  else if constexpr (std::is_same_v<L, Bidirectional<LSTM<float>>> || std::is_same_v<L, Bidirectional<GRU<float>>>)
    return "bidirectional";
  else return "composite";
}

}  // namespace detail

class FeedForward {
 public:
  // Whether `net` has such a view; if not, `why` says what stands in the way.
  static bool supports(const Network<float>& net, std::string* why = nullptr) {
    std::string reason;
    if (!net.input().symbols_only()) reason = "its input has structure profiles or position-wise values";
    else if (net.input().extra > 0) reason = "it has additional inputs";
    for (const auto& layer : net.layers())
      std::visit(
          [&]<class L>(const L&) {
            if constexpr (!detail::is_stage<L>())
              reason = std::string("it has a ") + detail::keras_name<L>() + " layer";
          },
          layer);
    if (why) *why = reason;
    return reason.empty();
  }

  explicit FeedForward(const Network<float>& net) : length_(net.input().length), letters_(net.input().symbols) {
    std::string why;
    if (!supports(net, &why)) throw Error("this method needs a network of convolutions and dense layers; " + why);
    index_t len = length_, channels = letters_;
    for (const auto& layer : net.layers())
      std::visit([&](const auto& l) { add(l, len, channels); }, layer);
    require(!dense_.empty() && !dense_.back().relu, "the network does not end in a linear dense layer (the logits)");
  }

  index_t length() const { return length_; }
  index_t letters() const { return letters_; }
  index_t classes() const { return dense_.back().units; }
  const std::vector<ConvStage>& convs() const { return convs_; }
  const std::vector<DenseStage>& dense() const { return dense_; }

  // B samples of symbols (B, L), each below letters() or no_symbol.
  void forward(const std::uint8_t* symbols, index_t B, FeedForwardPass& p) const {
    p.B = B;
    p.pre.resize(convs_.size());
    p.pooled.resize(convs_.size());
    p.winner.resize(convs_.size());
    p.dense_pre.resize(dense_.size());
    p.dense_out.resize(dense_.size());
    const index_t L = length_, A = letters_;
    p.one_hot.assign(to_size(B * L * A), 0.0f);
    for (index_t i = 0; i < B * L; ++i)
      if (symbols[i] != no_symbol) at(p.one_hot, i * A + symbols[i]) = 1.0f;
    const float* in = p.one_hot.data();
    for (std::size_t i = 0; i < convs_.size(); ++i) {
      const ConvStage& s = convs_[i];
      p.pre[i].resize(to_size(B * s.conv_len() * s.K));
      p.pooled[i].resize(to_size(B * s.out_len() * s.K));
      p.winner[i].resize(p.pooled[i].size());
      for (index_t b = 0; b < B; ++b) {
        float* z = p.pre[i].data() + b * s.conv_len() * s.K;
        convolve(s, in + b * s.in_len * s.C, z);
        pool(s, z, p.pooled[i].data() + b * s.out_len() * s.K, p.winner[i].data() + b * s.out_len() * s.K);
      }
      in = p.pooled[i].data();
    }
    for (std::size_t j = 0; j < dense_.size(); ++j) {
      const DenseStage& d = dense_[j];
      p.dense_pre[j].resize(to_size(B * d.units));
      kernels::small_gemm(in, d.w, p.dense_pre[j].data(), d.b, kernels::GemmInit::row,
                          {.rows = B, .cols = d.units, .depth = d.inputs, .a_row = d.inputs, .a_col = 1,
                           .ldb = d.units, .ldc = d.units});
      p.dense_out[j] = p.dense_pre[j];
      if (d.relu)
        for (float& v : p.dense_out[j]) v = std::max(v, 0.0f);
      in = p.dense_out[j].data();
    }
  }

  // z (conv_len, K) = the stage's convolution of one sample x (in_len, C), bias included.
  static void convolve(const ConvStage& s, const float* x, float* z) {
    kernels::small_gemm(x, s.w, z, s.b, kernels::GemmInit::row,
                        {.rows = s.conv_len(), .cols = s.K, .depth = s.W * s.C, .a_row = s.C, .a_col = 1, .ldb = s.K,
                         .ldc = s.K});
  }
  static float activate(const ConvStage& s, float z) { return s.relu ? std::max(z, 0.0f) : z; }
  // Activation and pooling of one sample: z (conv_len, K) -> y, winner (out_len, K).
  static void pool(const ConvStage& s, const float* z, float* y, std::int32_t* winner) {
    for (index_t u = 0; u < s.out_len(); ++u)
      for (index_t k = 0; k < s.K; ++k) {
        const index_t first = u * s.pool_stride;
        index_t best = first;
        float top = activate(s, z[first * s.K + k]);
        for (index_t r = first + 1; r < first + s.pool_size; ++r)
          if (const float v = activate(s, z[r * s.K + k]); v > top) top = v, best = r;
        y[u * s.K + k] = top;
        winner[u * s.K + k] = static_cast<std::int32_t>(best);
      }
  }

 private:
  void add_conv(const ConvPool1D<float>& l, index_t& len, index_t& channels) {
    const Conv1D<float>& c = l.conv;
    convs_.push_back({.w = c.w_, .b = c.b_, .in_len = len, .C = channels, .K = c.kernels, .W = c.width,
                      .relu = c.activation == Activation::relu, .pool_size = l.pool.size, .pool_stride = l.pool.stride});
    len = convs_.back().out_len();
    channels = c.kernels;
  }
  void add(const SymbolConvPool1D<float>& l, index_t& len, index_t& channels) { add_conv(l.block, len, channels); }
  void add(const ConvPool1D<float>& l, index_t& len, index_t& channels) { add_conv(l, len, channels); }
  void add(const Dropout<float>&, index_t&, index_t&) {}
  void add(const Flatten<float>&, index_t& len, index_t& channels) {
    channels *= len;
    len = 1;
  }
  void add(const Dense<float>& l, index_t& len, index_t& channels) {
    require(len * channels == l.inputs, "FeedForward: dense layer inputs do not match");
    dense_.push_back({.w = l.w_, .b = l.b_, .inputs = l.inputs, .units = l.units, .relu = l.activation == Activation::relu});
    len = 1;
    channels = l.units;
  }
  template <class L>
  void add(const L&, index_t&, index_t&) {
    throw Error("FeedForward: unsupported layer");  // supports() refused it first
  }

  index_t length_ = 0, letters_ = 0;
  std::vector<ConvStage> convs_;
  std::vector<DenseStage> dense_;
};

}  // namespace sster
