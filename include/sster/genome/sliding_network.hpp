#pragma once
// SlidingNetwork: a trained network's scores for many windows of one long
// sequence, with the convolutions computed once for all the windows that
// overlap.
//
// A window of the model's length L starting at offset o of a sequence sees
// the first convolution's rows o, o+1, ...: the convolution of the whole
// sequence, read from o (a convolution does not care how long its input is).
// Its pooling (size p, stride s) starts at conv row o, so it is the whole
// conv output pooled from phase o mod s, read from pooled row o div s. The
// next block repeats this on the pooled sequence of that phase, and so on: a
// window's features are rows q .. q+Lm-1 of the last block's output along its
// phase path (o mod s1, (o div s1) mod s2, ...), q = o div (s1 s2 ...). So
// each block runs over the whole sequence once per phase path of the blocks
// before it, about one conv row per sequence position per block, where a
// window-by-window evaluation computes every row of every window. Only the
// dense layers run per window: the first on consecutive windows of a path
// through WindowDense (genome/window_dense.hpp: three half-size products for
// two, recursively, 42% of the multiply-adds for pysster's default), on
// windows further apart as one product of their feature rows read in place
// (a strided view, kernels/small_gemm.hpp); the others as the network's own
// Dense layers. Dropout is the identity at inference and Flatten only the
// memory order.
//
// The network's own layers do the convolutions (their parts overloads stop
// before the pooling, nn/layer.hpp; their int8 versions when the network
// runs them, Network::quantize), so the scores equal the network's on
// each window up to the summation order of the first dense layer (~1e-6).
// The windows go through this a tile at a time (tile_bases window starts),
// so that each block's output stays in the core's cache; a tile repeats the
// convolutions of the L - 1 positions it shares with the next (~5% of them).
//
// Networks this does not fit (recurrent layers: a window's state depends on
// where it starts) are evaluated window by window through the network itself.
// The scores are class probabilities (softmax or sigmoid, as the model's loss).
//
// A SlidingNetwork points into the model's weights: it must not outlive the
// model, and each thread needs a copy of its own (it keeps its buffers).
#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <numeric>
#include <optional>
#include <span>
#include <type_traits>
#include <variant>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/tensor.hpp"
#include "sster/genome/window_dense.hpp"
#include "sster/model/network.hpp"
#include "sster/nn/kernels/gather_conv1d.hpp"
#include "sster/nn/kernels/maxpool1d.hpp"
#include "sster/nn/kernels/small_gemm.hpp"
#include "sster/nn/loss.hpp"

namespace sster {

// Windows first, first + step, ..., count of them (offsets in a sequence).
struct WindowRange {
  index_t first = 0, step = 1, count = 0;
  index_t at(index_t k) const { return first + k * step; }
  index_t last() const { return first + (count - 1) * step; }
};

class SlidingNetwork {
 public:
  // Window starts per pass of the shared evaluation (a tile): its blocks'
  // outputs then fit in L2.
  static constexpr index_t tile_bases = 4096;

  SlidingNetwork(const Network<float>& net, LossKind loss) : loss_(loss), fallback_(net) {
    const InputSpec& in = net.input();
    require(in.symbols_only() && in.extra == 0,
            "scanning reads sequences only; this model also needs structure profiles, position-wise values or "
            "additional inputs");
    L_ = in.length;
    classes_ = net.output_shape(net.size() - 1).C;
    sliding_ = collect_layers(net);
    if (sliding_) prepare_first_dense();
  }

  index_t window() const { return L_; }
  index_t classes() const { return classes_; }
  // Whether the convolutions are shared between windows (else window by window).
  bool shares_convolutions() const { return sliding_; }

  // Probabilities (w.count, classes), row k for the window starting at
  // w.at(k) of the n symbols x (n >= w.last() + L).
  void score(const std::uint8_t* x, index_t n, WindowRange w, float* probs) {
    require(w.count == 0 || (w.first >= 0 && w.step >= 1 && w.last() + L_ <= n),
            "SlidingNetwork::score: the windows do not fit in the sequence");
    if (w.count == 0) return;
    logits_.assign(to_size(w.count * classes_), 0.f);
    if (sliding_ && !per_window_cheaper(n, w)) {
      const index_t per_tile = std::max<index_t>(1, tile_bases / w.step);
      for (index_t k0 = 0; k0 < w.count; k0 += per_tile) {
        const WindowRange t{w.at(k0), w.step, std::min(per_tile, w.count - k0)};
        score_shared(x + t.first, t.last() + L_ - t.first, {0, t.step, t.count}, logits_.data() + k0 * classes_);
      }
    } else {
      score_each(x, w);
    }
    output_probabilities(loss_, w.count, classes_, logits_.data(), probs);
  }

  // Whether scoring w (windows in n positions) window by window takes
  // fewer multiply-adds than sharing the convolutions: with a step near the
  // window length, most of the shared rows would be computed for nothing.
  bool per_window_cheaper(index_t n, WindowRange w) const {
    const double shared = static_cast<double>(n) * shared_row_cost_ + static_cast<double>(w.count) * shared_window_cost_;
    return static_cast<double>(w.count) * window_cost_ < shared;
  }

 private:
  // One conv block as the network runs it, and its window's geometry.
  struct Block {
    std::variant<SymbolConvPool1D<float>, ConvPool1D<float>> layer;
    std::optional<QuantizedConvPool> quantized;  // its int8 version, when the network runs one
    index_t width = 0, kernels = 0, pool = 0, stride = 0;
    index_t window_rows = 0;    // conv rows of one window at this block
    double row_cost = 0;        // multiply-adds per conv row
  };

  // The conv blocks, then Flatten, then Dense layers: anything else
  // (recurrent layers) means window by window.
  bool collect_layers(const Network<float>& net) {
    bool flattened = false;
    index_t length = L_, channels = net.input().symbols;
    for (std::size_t r = 0; r < net.layers().size(); ++r) {
      const auto& layer = net.layers()[r];
      const bool fits = std::visit(
          [&]<class Lay>(const Lay& l) {
            if constexpr (std::is_same_v<Lay, SymbolConvPool1D<float>> || std::is_same_v<Lay, ConvPool1D<float>>) {
              if (flattened) return false;
              const Conv1D<float>& c = l.convolution();
              const auto& pool = [&]() -> const MaxPool1D<float>& {
                if constexpr (std::is_same_v<Lay, ConvPool1D<float>>) return l.pool;
                else return l.block.pool;
              }();
              Block b{.layer = l, .width = c.width, .kernels = c.kernels, .pool = pool.size, .stride = pool.stride};
              if (const auto* q = net.quantized(r)) b.quantized = *q;
              b.window_rows = length - c.width + 1;
              // The first block gathers one weight row per tap (symbols), the others multiply every channel.
              b.row_cost = static_cast<double>(c.width * c.kernels * (blocks_.empty() ? 1 : channels));
              length = (b.window_rows - b.pool) / b.stride + 1;
              channels = c.kernels;
              blocks_.push_back(std::move(b));
              return true;
            } else if constexpr (std::is_same_v<Lay, Dropout<float>>) {
              return true;  // the identity at inference
            } else if constexpr (std::is_same_v<Lay, Flatten<float>>) {
              flattened = true;
              return true;
            } else if constexpr (std::is_same_v<Lay, Dense<float>>) {
              if (!flattened) return false;
              dense_.push_back(l);
              return true;
            } else {
              return false;
            }
          },
          layer);
      if (!fits) {
        blocks_.clear();
        dense_.clear();
        return false;
      }
    }
    features_rows_ = length;
    features_channels_ = channels;
    return !dense_.empty() && dense_.front().inputs == length * channels;
  }

  // The first dense layer's weights with their columns padded to whole SIMD
  // vectors, shared by every copy (they only read them).
  void prepare_first_dense() {
    const Dense<float>& d = dense_.front();
    const index_t F = d.inputs, units = d.units, Kp = kernels::simd_padded<float>(units);
    auto w = std::make_shared<AlignedVector<float>>(to_size(F * Kp), 0.f);
    for (index_t i = 0; i < F; ++i) std::copy_n(d.w_ + i * units, units, w->data() + i * Kp);
    dense_w_ = std::move(w);
    if (!blocks_.empty()) window_dense_.emplace(d.w_, features_rows_, features_channels_, units);
    double dense_cost = 0, convs = 0;
    for (const auto& layer : dense_) dense_cost += static_cast<double>(layer.inputs * layer.units);
    for (const auto& blk : blocks_) {
      shared_row_cost_ += blk.row_cost;
      convs += static_cast<double>(blk.window_rows) * blk.row_cost;
    }
    window_cost_ = convs + dense_cost;
    shared_window_cost_ = dense_cost;
    if (blocks_.empty()) {  // the first dense layer becomes a gather convolution over every position
      shared_row_cost_ = static_cast<double>(L_ * units);
      shared_window_cost_ -= static_cast<double>(F * units);
      no_bias_.assign(to_size(units), 0.f);  // its bias goes on in finish_dense, as after conv blocks
    }
  }

  // ---- shared evaluation

  // The windows w of the n symbols x, their logits to `logits` (w.count, classes).
  void score_shared(const std::uint8_t* x, index_t n, WindowRange w, float* logits) {
    windows_ = w;
    shared_logits_ = logits;
    if (blocks_.empty()) {
      dense_from_symbols(x, n);
      return;
    }
    descend(0, x, nullptr, n, 0, 1);
  }

  // Whether a window offset o = base + mult * q can be one of windows_.
  bool reachable(index_t base, index_t mult) const {
    return (windows_.first - base) % std::gcd(mult, windows_.step) == 0;
  }

  // Block b over its whole input (symbols x at b == 0, else in), then each
  // pooling phase in turn, down to the dense layers. Windows on this path
  // start at base + mult * (row of this block's input).
  void descend(std::size_t b, const std::uint8_t* x, const Tensor<float>* in, index_t n, index_t base, index_t mult) {
    Block& blk = blocks_[b];
    if (conv_.size() < blocks_.size()) {
      conv_.resize(blocks_.size());
      pooled_.resize(blocks_.size());
    }
    Tensor<float>& c = conv_[b];
    const index_t rows = n - blk.width + 1;
    if (rows < blk.pool) return;
    c.resize({1, rows, blk.kernels});
    Context ctx;
    std::visit(
        [&]<class Lay>(Lay& l) {
          if constexpr (std::is_same_v<Lay, SymbolConvPool1D<float>>)
            l.forward(SymbolInput{.B = 1, .L = n, .symbols = x}, c, ctx, 2);  // dropout (off), conv + ReLU
          else if (blk.quantized)
            blk.quantized->forward_conv(*in, c);  // conv + ReLU in int8
          else
            l.forward(*in, c, ctx, 1);  // conv + ReLU
        },
        blk.layer);
    for (index_t phase = 0; phase < blk.stride; ++phase) {
      const index_t next_base = base + mult * phase, next_mult = mult * blk.stride;
      if (rows - phase < blk.pool || !reachable(next_base, next_mult)) continue;
      const kernels::PoolShape ps{1, rows - phase, blk.kernels, blk.pool, blk.stride};
      Tensor<float>& p = pooled_[b];
      p.resize({1, ps.out_len(), blk.kernels});
      kernels::maxpool1d_forward_values(c.data() + phase * blk.kernels, p.data(), ps);
      if (b + 1 < blocks_.size()) descend(b + 1, nullptr, &p, ps.out_len(), next_base, next_mult);
      else dense_from_features(p, next_base, next_mult);
    }
  }

  // The windows at base + mult * q among windows_, for rows q of a sequence
  // of `rows` feature rows: first q, step of q, count.
  WindowRange windows_on_path(index_t rows, index_t base, index_t mult) const {
    const WindowRange& w = windows_;
    if (w.last() < base) return {0, 1, 0};
    const index_t q_end = std::min(rows - features_rows_, (w.last() - base) / mult) + 1;  // last feasible q + 1
    const index_t q_step = w.step / std::gcd(mult, w.step);
    index_t q = std::max<index_t>(0, (w.first - base + mult - 1) / mult);
    for (index_t tries = 0; tries < q_step && q < q_end; ++tries, ++q)
      if ((base + mult * q - w.first) % w.step == 0) return {q, q_step, (q_end - q + q_step - 1) / q_step};
    return {0, 1, 0};
  }

  // The dense layers on the windows of one phase path, whose features are
  // rows q .. q + features_rows_ - 1 of f, dense_block windows at a time:
  // the layers' products then stay in cache (a whole path at once, tens of
  // thousands of windows, made WindowDense wait on memory).
  void dense_from_features(const Tensor<float>& f, index_t base, index_t mult) {
    const WindowRange path = windows_on_path(f.shape().L, base, mult);
    const Dense<float>& d = dense_.front();
    const index_t Kp = kernels::simd_padded<float>(d.units), C = features_channels_;
    for (index_t k0 = 0; k0 < path.count; k0 += dense_block) {
      const WindowRange q{path.at(k0), path.step, std::min(dense_block, path.count - k0)};
      hidden_pad_.resize(to_size(q.count * Kp));
      if (q.step == 1 && q.count >= WindowDense<float>::min_windows)
        window_dense_->apply_without_bias(f.data() + q.first * C, q.count + features_rows_ - 1, hidden_pad_.data());
      else
        kernels::small_gemm(f.data() + q.first * C, dense_w_->data(), hidden_pad_.data(), static_cast<const float*>(nullptr),
                            kernels::GemmInit::zero,
                            {.rows = q.count, .cols = Kp, .depth = d.inputs, .a_row = q.step * C, .a_col = 1,
                             .ldb = Kp, .ldc = Kp});
      finish_dense(q, base, mult, Kp);
    }
  }

  // Without conv blocks the first dense layer reads the one-hot window: a
  // gather convolution as wide as the window.
  void dense_from_symbols(const std::uint8_t* x, index_t n) {
    const Dense<float>& d = dense_.front();
    const index_t Kp = kernels::simd_padded<float>(d.units);
    const kernels::ConvShape s{1, n, features_channels_, d.units, L_};
    conv_.resize(1);
    conv_[0].resize({1, s.out_len(), d.units});
    kernels::gather_conv1d_forward(x, static_cast<const float*>(nullptr), d.w_, no_bias_.data(), conv_[0].data(), s,
                                   scratch_);
    const WindowRange q = windows_;
    hidden_pad_.assign(to_size(q.count * Kp), 0.f);
    for (index_t k = 0; k < q.count; ++k)
      std::copy_n(conv_[0].data() + q.at(k) * d.units, d.units, hidden_pad_.data() + k * Kp);
    finish_dense(q, 0, 1, Kp);  // q: the window offsets themselves
  }

  // hidden_pad_ (q.count, Kp) holds the first dense layer's products, then
  // its bias and activation go on; the rest of the dense layers, then the
  // logits land in shared_logits_ at the windows' rows.
  void finish_dense(WindowRange q, index_t base, index_t mult, index_t Kp) {
    const Dense<float>& d = dense_.front();
    Tensor<float>* h = &acts_[0];
    h->resize({q.count, 1, d.units});
    for (index_t k = 0; k < q.count; ++k) {
      const float* from = hidden_pad_.data() + k * Kp;
      std::transform(from, from + d.units, static_cast<const float*>(d.b_), h->sample(k), std::plus<>{});
    }
    apply_activation(d.activation, h->size(), h->data());
    Context ctx;
    for (std::size_t i = 1; i < dense_.size(); ++i) {
      Tensor<float>& next = acts_[i % 2];
      next.resize(dense_[i].output_shape(h->shape()));
      dense_[i].forward(*h, next, ctx);
      h = &next;
    }
    for (index_t k = 0; k < q.count; ++k) {
      const index_t o = base + mult * q.at(k), row = (o - windows_.first) / windows_.step;
      std::copy_n(h->sample(k), classes_, shared_logits_ + row * classes_);
    }
  }

  // ---- window by window

  void score_each(const std::uint8_t* x, WindowRange w) {
    constexpr index_t batch = 256;
    batch_.resize(to_size(batch * L_));
    Context ctx;
    for (index_t k0 = 0; k0 < w.count; k0 += batch) {
      const index_t B = std::min(batch, w.count - k0);
      for (index_t k = 0; k < B; ++k) std::copy_n(x + w.at(k0 + k), L_, batch_.data() + k * L_);
      const Tensor<float>& logits = fallback_.forward(InputBatch<float>{.B = B, .symbols = batch_.data()}, ctx);
      std::copy_n(logits.data(), B * classes_, logits_.data() + k0 * classes_);
    }
  }

  // Windows per pass of the dense layers: a power of two, so every block
  // but the last splits into WindowDense's even and odd windows alike.
  static constexpr index_t dense_block = 1024;

  LossKind loss_;
  Network<float> fallback_;  // window by window, and the weights' owner view
  index_t L_ = 0, classes_ = 0;
  bool sliding_ = false;
  std::vector<Block> blocks_;
  std::vector<Dense<float>> dense_;
  index_t features_rows_ = 0, features_channels_ = 0;
  std::shared_ptr<const AlignedVector<float>> dense_w_;  // (F, Kp)
  std::optional<WindowDense<float>> window_dense_;                  // with conv blocks
  double shared_row_cost_ = 0, shared_window_cost_ = 0, window_cost_ = 0;  // multiply-adds (per_window_cheaper)

  // Per call.
  WindowRange windows_;
  float* shared_logits_ = nullptr;
  std::vector<Tensor<float>> conv_, pooled_;  // per block: its conv output, the current phase's pooled output
  AlignedVector<float> hidden_pad_;
  std::vector<float> no_bias_;  // zeros: the bias of the conv-less path's gather convolution
  Tensor<float> acts_[2];
  std::vector<float> logits_;
  std::vector<std::uint8_t> batch_;
  kernels::ConvScratch<float> scratch_;
};

}  // namespace sster
