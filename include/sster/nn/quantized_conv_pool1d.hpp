#pragma once
// QuantizedConvPool: a ConvPool1D's inference in 8-bit integers (what
// `--precision int8` runs).
//
// Weights are quantised per output channel (scale = the kernel's largest
// |weight| / 127, values -127..127); the input per layer, from the largest
// value a calibration pass over training data saw (scale = that / 127,
// values 0..127: the layer's input must be non-negative, as the ReLU'd,
// pooled output of the convolution before it is). The product runs on the
// CPU's byte dot products (kernels/int8_gemm.hpp) into exact int32 sums;
// each sum times the two scales, plus the bias, is the float convolution
// output the float layer's own pooling epilogue (ReLU, max-pooling) takes.
// An input above the calibrated largest value saturates at 127.
//
// The quantised weights are built once and shared by the network's
// replicas; the buffers are each replica's own.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/error.hpp"
#include "sster/core/tensor.hpp"
#include "sster/nn/conv_pool1d.hpp"
#include "sster/nn/kernels/int8_gemm.hpp"
#include "sster/nn/kernels/vector_kernels.hpp"

namespace sster {

// The levels of a quantised activation: 7 bits (kernels/int8_gemm.hpp says why).
inline constexpr float int8_input_levels = 127;

class QuantizedConvPool {
 public:
  // `input_max`: the largest input value calibration saw (> 0).
  QuantizedConvPool(const ConvPool1D<float>& layer, float input_max) {
    require(std::isfinite(input_max) && input_max > 0,
            "int8 calibration: the largest input of a convolution must be a positive number");
    const auto& conv = layer.conv;
    auto w = std::make_shared<Weights>();
    w->shape = {0, 0, conv.in_channels, conv.kernels, conv.width};
    w->pool = layer.fused();
    w->to_levels = int8_input_levels / input_max;
    std::vector<std::int8_t> levels;
    const std::vector<float> weight_scale = quantize_weights(conv, levels);
    w->packed = kernels::PackedInt8Weights(levels.data(), conv.width * conv.in_channels, conv.kernels);
    w->scale.assign(to_size(w->packed.Kp), 0.f);
    w->bias.assign(to_size(w->packed.Kp), 0.f);
    for (index_t k = 0; k < conv.kernels; ++k) {
      at(w->scale, k) = at(weight_scale, k) * input_max / int8_input_levels;  // a level product -> a float
      at(w->bias, k) = conv.b_[k];
    }
    weights_ = std::move(w);
  }

  // x: (B, L, C), y: (B, Lp, K) as the float layer's forward.
  void forward(const Tensor<float>& x, Tensor<float>& y) {
    const Weights& w = *weights_;
    const index_t K = w.shape.K, Kp = w.packed.Kp, lo = x.shape().L - w.shape.W + 1, per = w.pool.out_len(lo) * K;
    argmax_.resize(to_size(x.shape().B * per));
    pool_rows_.resize(to_size(2 * Kp));
    pool_argmax_.resize(to_size(Kp));
    convolve(x, [&](index_t n, const float* conv) {
      kernels::pool_epilogue(conv, lo, K, Kp, w.pool, y.data() + n * per, argmax_.data() + n * per,
                             (x.shape().B - n) * per, pool_rows_.data(), pool_argmax_.data());
    });
  }

  // The convolution and its activation alone: y (B, L - W + 1, K), as the
  // float layer's forward through its first part (what a scan pools itself).
  void forward_conv(const Tensor<float>& x, Tensor<float>& y) {
    const index_t K = weights_->shape.K, Kp = weights_->packed.Kp, lo = x.shape().L - weights_->shape.W + 1;
    const float floor = weights_->pool.relu ? 0.f : -std::numeric_limits<float>::infinity();
    convolve(x, [&](index_t n, const float* conv) {
      for (index_t t = 0; t < lo; ++t)
        for (index_t k = 0; k < K; ++k) y.data()[(n * lo + t) * K + k] = std::max(conv[t * Kp + k], floor);
    });
  }

 private:
  // Each kernel's weights (W * C, K) as levels -127..127 of its own scale,
  // its largest |weight| / 127; returns the scales.
  static std::vector<float> quantize_weights(const Conv1D<float>& conv, std::vector<std::int8_t>& levels) {
    const index_t depth = conv.width * conv.in_channels, K = conv.kernels;
    levels.resize(to_size(depth * K));
    std::vector<float> scale(to_size(K));
    for (index_t k = 0; k < K; ++k) {
      float largest = 0;
      for (index_t d = 0; d < depth; ++d) largest = std::max(largest, std::abs(conv.w_[d * K + k]));
      at(scale, k) = largest > 0 ? largest / 127 : 1;
      for (index_t d = 0; d < depth; ++d)
        at(levels, d * K + k) =
            static_cast<std::int8_t>(std::clamp(std::lround(conv.w_[d * K + k] / at(scale, k)), -127L, 127L));
    }
    return scale;
  }

  struct Weights {
    kernels::ConvShape shape;  // C, K, W of the convolution
    kernels::FusedPool pool;
    float to_levels = 1;                // input value -> quantisation level
    kernels::PackedInt8Weights packed;  // (W * C, K)
    AlignedVector<float> scale, bias;   // (Kp): level products -> the float convolution's output
  };

  // epilogue(n, conv) for each sample n of x (B, L, C), conv its (L - W + 1,
  // Kp) convolution output, bias included.
  template <class Epilogue>
  void convolve(const Tensor<float>& x, Epilogue&& epilogue) {
    const Weights& w = *weights_;
    const index_t B = x.shape().B, L = x.shape().L, C = w.shape.C, Kp = w.packed.Kp;
    const index_t R = kernels::int8_row_block(), rows = (L - w.shape.W + 1 + R - 1) / R * R;
    // Each sample's levels, with room for the padded rows' windows (zeros).
    const index_t stride = std::max(L * C, (rows - 1) * C + w.packed.padded_depth());
    quantized_.resize(to_size(B * stride));
    for (index_t n = 0; n < B; ++n) {
      std::uint8_t* q = quantized_.data() + n * stride;
      kernels::int8_quantize(x.data() + n * L * C, L * C, w.to_levels, q);
      std::fill(q + L * C, q + stride, std::uint8_t{0});
    }
    conv_.resize(to_size(rows * Kp));
    for (index_t n = 0; n < B; ++n) {
      kernels::int8_gemm(quantized_.data() + n * stride, C, rows, w.packed, w.scale.data(), w.bias.data(), conv_.data());
      epilogue(n, static_cast<const float*>(conv_.data()));
    }
  }

  std::shared_ptr<const Weights> weights_;
  std::vector<std::uint8_t> quantized_;
  AlignedVector<float> conv_;  // (rows, Kp) one sample's convolution output
  std::vector<std::int32_t> argmax_, pool_argmax_;
  AlignedVector<float> pool_rows_;
};

}  // namespace sster
