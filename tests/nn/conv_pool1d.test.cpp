#include <doctest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "gradient_check.hpp"
#include "sster/nn/conv_pool1d.hpp"

using namespace sster;
using sster::test::check_layer_gradients;
using sster::test::random_tensor;

namespace conv_pool_test {
// Conv (B, L, C) -> pool configurations: tiling windows, overlapping ones,
// windows with gaps between them, and K off the SIMD width.
const std::array<std::array<index_t, 6>, 4> configs = {{
    {12, 3, 2, 3, 2, 2},  // L, C, K, W, size, stride
    {11, 1, 5, 4, 3, 1},
    {9, 5, 17, 2, 2, 3},
    {20, 4, 33, 5, 4, 4},
}};
}  // namespace conv_pool_test

TEST_CASE("ConvPool1D computes Conv1D then MaxPool1D, forward and backward") {
  for (auto [L, C, K, W, size, stride] : conv_pool_test::configs) {
    CAPTURE(L);
    CAPTURE(size);
    for (auto act : {Activation::relu, Activation::linear}) {
      ConvPool1D<double> fused{.conv = {.in_channels = C, .kernels = K, .width = W, .activation = act},
                               .pool = {.size = size, .stride = stride}};
      Conv1D<double> conv = fused.conv;
      MaxPool1D<double> pool = fused.pool;
      std::vector<double> p(to_size(W * C * K + K)), g_fused(p.size(), std::nan("")), g_plain(p.size());
      sster::test::fill_uniform(p.data(), static_cast<index_t>(p.size()), 5, -0.5, 0.5);
      fused.bind(p.data(), g_fused.data());
      conv.bind(p.data(), g_plain.data());
      auto x = random_tensor<double>(Shape{3, L, C}, 6);
      const Shape cs = conv.output_shape(x.shape()), ps = pool.output_shape(cs);
      REQUIRE(fused.output_shape(x.shape()) == ps);
      Tensor<double> y_conv(cs), y_pool(ps), y_fused(ps);
      Context ctx;
      conv.forward(x, y_conv, ctx);
      pool.forward(y_conv, y_pool, ctx);
      fused.forward(x, y_fused, ctx);
      for (index_t i = 0; i < y_pool.size(); ++i) CHECK(y_fused[i] == doctest::Approx(y_pool[i]).epsilon(1e-12));
      auto r = random_tensor<double>(ps, 7);
      Tensor<double> g_conv(cs), gx(x.shape()), gx_fused(x.shape(), std::nan(""));
      pool.backward(y_conv, y_pool, r, g_conv, ctx);
      conv.backward(x, y_conv, g_conv, gx, ctx);
      fused.backward(x, y_fused, r, gx_fused, ctx);
      for (std::size_t i = 0; i < p.size(); ++i) CHECK(g_fused[i] == doctest::Approx(g_plain[i]).epsilon(1e-12));
      for (index_t i = 0; i < gx.size(); ++i) CHECK(gx_fused[i] == doctest::Approx(gx[i]).epsilon(1e-12));
    }
  }
}

TEST_CASE("ConvPool1D gradients (double, central differences)") {
  // The first three configurations: with 33 kernels a central difference
  // of step 1e-6 now and then straddles a ReLU kink or a pooling tie.
  for (auto [L, C, K, W, size, stride] : std::span(conv_pool_test::configs).first(3))
    for (auto act : {Activation::relu, Activation::linear}) {
      CAPTURE(L);
      ConvPool1D<double> layer{.conv = {.in_channels = C, .kernels = K, .width = W, .activation = act},
                               .pool = {.size = size, .stride = stride}};
      check_layer_gradients(layer, Shape{3, L, C}, static_cast<std::uint64_t>(L * 10 + K));
    }
}

TEST_CASE("ConvPool1D is two Keras layers; its first part is the convolution alone") {
  ConvPool1D<double> layer{.conv = {.in_channels = 4, .kernels = 3, .width = 5}, .pool = {.size = 3, .stride = 2}};
  const auto parts = layer.parts(Shape{1, 20, 4});
  REQUIRE(parts.size() == 2);
  CHECK(parts[0].type == "conv1d");
  CHECK(parts[0].output == Shape{1, 16, 3});
  REQUIRE(parts[0].params.size() == 2);
  CHECK(parts[0].params[0].shape == std::vector<index_t>{5, 4, 3});
  CHECK(parts[1].type == "max_pooling1d");
  CHECK(parts[1].output == Shape{1, 7, 3});
  CHECK(parts[1].params.empty());

  // parts = 1: exactly Conv1D's forward and backward.
  std::vector<double> p(5 * 4 * 3 + 3), g(p.size(), std::nan("")), g_conv(p.size());
  sster::test::fill_uniform(p.data(), static_cast<index_t>(p.size()), 8, -0.5, 0.5);
  layer.bind(p.data(), g.data());
  Conv1D<double> conv = layer.conv;
  conv.bind(p.data(), g_conv.data());
  auto x = random_tensor<double>(Shape{2, 20, 4}, 9);
  Tensor<double> y(Shape{2, 16, 3}), y_conv(y.shape()), gx(x.shape()), gx_conv(x.shape());
  Context ctx;
  layer.forward(x, y, ctx, 1);
  conv.forward(x, y_conv, ctx);
  for (index_t i = 0; i < y.size(); ++i) CHECK(y[i] == y_conv[i]);
  auto r = random_tensor<double>(y.shape(), 10);
  layer.backward(x, y, r, gx, ctx, 1);
  conv.backward(x, y_conv, r, gx_conv, ctx);
  CHECK(g == g_conv);
  for (index_t i = 0; i < gx.size(); ++i) CHECK(gx[i] == gx_conv[i]);
}
