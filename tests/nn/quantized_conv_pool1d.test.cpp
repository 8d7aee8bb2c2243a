#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "gradient_check.hpp"
#include "kernel_sets.hpp"
#include "sster/nn/conv_pool1d.hpp"
#include "sster/nn/kernels/int8_gemm.hpp"
#include "sster/nn/quantized_conv_pool1d.hpp"

using namespace sster;
using sster::test::random_tensor;

namespace int8_test {
std::vector<std::uint8_t> levels(index_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(0, 127);
  std::vector<std::uint8_t> v(to_size(n));
  for (auto& x : v) x = static_cast<std::uint8_t>(d(rng));
  return v;
}
std::vector<std::int8_t> weights(index_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> d(-127, 127);
  std::vector<std::int8_t> v(to_size(n));
  for (auto& x : v) x = static_cast<std::int8_t>(d(rng));
  return v;
}
}  // namespace int8_test

TEST_CASE("int8_gemm equals its reference bit for bit: every set, overlapping windows, ragged depth and columns") {
  test::for_each_kernel_set([&] {
    const index_t R = kernels::int8_row_block();
    for (index_t depth : {1, 3, 4, 7, 100, 750})
      for (index_t K : {1, 15, 16, 17, 30, 33, 64, 65, 100})
        for (index_t a_row : {index_t{1}, index_t{4}, index_t{30}, depth + 5}) {
          CAPTURE(depth);
          CAPTURE(K);
          CAPTURE(a_row);
          const index_t rows = 3 * R;
          const kernels::PackedInt8Weights b(int8_test::weights(depth * K, 2).data(), depth, K);
          const auto w = int8_test::weights(depth * K, 2);
          // A's buffer holds every row's window rounded up to 4 bytes, as the caller guarantees.
          const auto a = int8_test::levels((rows - 1) * a_row + b.padded_depth(), 1);
          const auto scale = random_tensor<float>({1, 1, b.Kp}, 3, 1e-4, 1e-2);
          const auto bias = random_tensor<float>({1, 1, b.Kp}, 4);
          std::vector<float> ref(to_size(rows * K)), c(to_size(rows * b.Kp), std::nanf(""));
          kernels::int8_gemm_ref(a.data(), a_row, rows, w.data(), depth, K, scale.data(), bias.data(), ref.data());
          kernels::int8_gemm(a.data(), a_row, rows, b, scale.data(), bias.data(), c.data());
          for (index_t r = 0; r < rows; ++r)
            for (index_t j = 0; j < K; ++j) REQUIRE(c[to_size(r * b.Kp + j)] == ref[to_size(r * K + j)]);
        }
  });
}

TEST_CASE("int8_gemm: the largest levels and weights do not saturate (7-bit activations)") {
  test::for_each_kernel_set([&] {
    const index_t R = kernels::int8_row_block(), depth = 64, K = 16;
    std::vector<std::int8_t> w(to_size(depth * K));
    for (index_t d = 0; d < depth; ++d)
      for (index_t j = 0; j < K; ++j) at(w, d * K + j) = j == 0 || d % 2 == 0 ? 127 : -127;
    const kernels::PackedInt8Weights b(w.data(), depth, K);
    const std::vector<std::uint8_t> a(to_size(R * depth), 127);
    const std::vector<float> ones(to_size(b.Kp), 1.f), zeros(to_size(b.Kp), 0.f);
    std::vector<float> ref(to_size(R * K)), c(to_size(R * b.Kp));
    kernels::int8_gemm_ref(a.data(), depth, R, w.data(), depth, K, ones.data(), zeros.data(), ref.data());
    kernels::int8_gemm(a.data(), depth, R, b, ones.data(), zeros.data(), c.data());
    CHECK(ref[0] == 127.f * 127.f * depth);  // column 0 is +127 only: 64 products of 16129
    for (index_t r = 0; r < R; ++r)
      for (index_t j = 0; j < K; ++j) REQUIRE(c[to_size(r * b.Kp + j)] == ref[to_size(r * K + j)]);
  });
}

TEST_CASE("int8_quantize equals its reference: ties to even, saturation, negatives, NaN, tails") {
  std::vector<float> x;
  for (int i = -40; i < 300; ++i) x.push_back(static_cast<float>(i) * 0.25f);  // 0.5 steps of levels: ties
  for (float v : {1e30f, -1e30f, std::numeric_limits<float>::infinity(), std::nanf(""), 126.5f, 127.49f, 0.49f})
    x.push_back(v);
  const float to_levels = 2.f;
  CHECK(kernels::int8_level(0.25f, to_levels) == 0);  // 0.5 rounds to even
  CHECK(kernels::int8_level(0.75f, to_levels) == 2);  // 1.5 too
  CHECK(kernels::int8_level(1e30f, to_levels) == 127);
  CHECK(kernels::int8_level(-3.f, to_levels) == 0);
  CHECK(kernels::int8_level(std::nanf(""), to_levels) == 0);
  std::vector<std::uint8_t> ref(x.size());
  kernels::int8_quantize_ref(x.data(), std::ssize(x), to_levels, ref.data());
  test::for_each_kernel_set([&] {
    for (index_t n : {index_t{0}, index_t{5}, index_t{16}, index_t{33}, std::ssize(x)}) {
      CAPTURE(n);
      std::vector<std::uint8_t> q(to_size(n) + 1, 200);
      kernels::int8_quantize(x.data(), n, to_levels, q.data());
      for (index_t i = 0; i < n; ++i) REQUIRE(q[to_size(i)] == ref[to_size(i)]);
      CHECK(q[to_size(n)] == 200);  // nothing written past n
    }
  });
}

namespace int8_test {
// The float block and the largest error int8 can make at each of its
// convolution outputs: sum over the window of |dx| |w| + |x| |dw| + |dx| |dw|
// with |dx| <= half an input level and |dw| <= half the kernel's weight level.
struct Case {
  index_t B, L, C, K, W, size, stride;
};
std::vector<double> error_bound(const ConvPool1D<float>& layer, const Tensor<float>& x, float input_max) {
  const auto& c = layer.conv;
  const index_t lo = x.shape().L - c.width + 1, depth = c.width * c.in_channels;
  const double dx = input_max / 127 / 2;
  std::vector<double> bound(to_size(x.shape().B * lo * c.kernels));
  for (index_t k = 0; k < c.kernels; ++k) {
    double largest = 0;
    for (index_t d = 0; d < depth; ++d) largest = std::max(largest, double(std::abs(c.w_[d * c.kernels + k])));
    const double dw = largest / 127 / 2;
    for (index_t n = 0; n < x.shape().B; ++n)
      for (index_t t = 0; t < lo; ++t) {
        double e = 0;
        for (index_t d = 0; d < depth; ++d) {
          const double xv = x.data()[(n * x.shape().L + t) * c.in_channels + d];
          e += dx * std::abs(c.w_[d * c.kernels + k]) + xv * dw + dx * dw;
        }
        bound[to_size((n * lo + t) * c.kernels + k)] = e * 1.0001 + 1e-6;  // the float sums' own rounding
      }
  }
  return bound;
}
}  // namespace int8_test

TEST_CASE("QuantizedConvPool: within the quantisation error of the float block, the same bits on every set") {
  for (auto [B, L, C, K, W, size, stride] : {int8_test::Case{3, 40, 30, 30, 5, 2, 2}, int8_test::Case{2, 23, 7, 17, 4, 3, 1},
                                           int8_test::Case{1, 12, 3, 65, 12, 1, 1}}) {
    CAPTURE(C);
    ConvPool1D<float> layer{.conv = {.in_channels = C, .kernels = K, .width = W}, .pool = {.size = size, .stride = stride}};
    std::vector<float> p(to_size(W * C * K + K)), g(p.size());
    test::fill_uniform(p.data(), std::ssize(p), 7, -0.3, 0.3);
    layer.bind(p.data(), g.data());
    const float input_max = 2.f;
    const auto x = random_tensor<float>({B, L, C}, 8, 0.0, input_max);  // non-negative, as after a ReLU
    Context ctx;
    Tensor<float> conv(layer.conv.output_shape(x.shape()));
    layer.forward(x, conv, ctx, 1);  // float conv + ReLU
    const auto bound = int8_test::error_bound(layer, x, input_max);
    std::vector<float> first_pooled, first_conv;
    test::for_each_kernel_set([&] {
      QuantizedConvPool q(layer, input_max);
      Tensor<float> qconv(conv.shape()), qpooled(layer.output_shape(x.shape()));
      q.forward_conv(x, qconv);
      q.forward(x, qpooled);
      for (index_t i = 0; i < conv.size(); ++i) REQUIRE(std::abs(qconv[i] - conv[i]) <= at(bound, i));
      // forward is forward_conv then the pooling.
      Tensor<float> pooled(qpooled.shape());
      std::vector<std::int32_t> argmax(to_size(pooled.size()));
      kernels::maxpool1d_forward(qconv.data(), pooled.data(), argmax.data(), {B, conv.shape().L, K, size, stride});
      for (index_t i = 0; i < pooled.size(); ++i) REQUIRE(qpooled[i] == pooled[i]);
      if (first_conv.empty()) {
        first_conv.assign(qconv.data(), qconv.data() + qconv.size());
        first_pooled.assign(qpooled.data(), qpooled.data() + qpooled.size());
      }
      for (index_t i = 0; i < qconv.size(); ++i) REQUIRE(qconv[i] == at(first_conv, i));
      for (index_t i = 0; i < qpooled.size(); ++i) REQUIRE(qpooled[i] == at(first_pooled, i));
    });
    // Inputs beyond the calibrated range saturate instead of wrapping around.
    Tensor<float> big = x;
    for (index_t i = 0; i < big.size(); ++i) big[i] *= 100;
    QuantizedConvPool q(layer, input_max), q_top(layer, input_max);
    Tensor<float> out(layer.output_shape(x.shape())), top(out.shape());
    Tensor<float> clamped = big;
    for (index_t i = 0; i < clamped.size(); ++i) clamped[i] = std::min(clamped[i], input_max);
    q.forward(big, out);
    q_top.forward(clamped, top);
    for (index_t i = 0; i < out.size(); ++i) REQUIRE(out[i] == top[i]);
  }
}

TEST_CASE("QuantizedConvPool refuses a calibration that is not a positive number") {
  ConvPool1D<float> layer{.conv = {.in_channels = 2, .kernels = 3, .width = 2}, .pool = {.size = 2, .stride = 2}};
  std::vector<float> p(2 * 2 * 3 + 3, 0.1f), g(p.size());
  layer.bind(p.data(), g.data());
  for (float bad : {0.f, -1.f, std::nanf(""), std::numeric_limits<float>::infinity()})
    CHECK_THROWS_WITH_AS(QuantizedConvPool(layer, bad), doctest::Contains("positive number"), Error);
}
