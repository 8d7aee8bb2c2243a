#include <doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "gradient_check.hpp"
#include "sster/nn/symbol_conv_pool1d.hpp"

using namespace sster;
using sster::test::check_layer_gradients;
using sster::test::random_tensor;

namespace symbol_layer_test {

SymbolConvPool1D<double> make_layer(index_t C, index_t K, index_t W, index_t size, index_t stride, double rate) {
  return {.dropout = {.rate = rate, .id = 3},
          .block = {.conv = {.in_channels = C, .kernels = K, .width = W}, .pool = {.size = size, .stride = stride}}};
}

// Random symbols below C, about one position in eight without one.
std::vector<std::uint8_t> symbols(index_t n, index_t C, std::uint64_t seed) {
  std::vector<std::uint8_t> s(to_size(n));
  RandomStream r(RandomKey(seed, Purpose::init));
  for (auto& v : s) v = r.below(8) == 0 ? no_symbol : static_cast<std::uint8_t>(r.below(static_cast<std::uint64_t>(C)));
  return s;
}

Tensor<double> one_hot(const std::vector<std::uint8_t>& s, index_t B, index_t L, index_t C) {
  Tensor<double> x(Shape{B, L, C}, 0.0);
  for (index_t i = 0; i < B * L; ++i)
    if (at(s, i) != no_symbol) x[i * C + at(s, i)] = 1;
  return x;
}

}  // namespace symbol_layer_test

TEST_CASE("SymbolConvPool1D on symbols equals its one-hot float path, every part, dropout masks included") {
  const index_t B = 3, L = 17, C = 4, K = 5, W = 4;
  auto layer = symbol_layer_test::make_layer(C, K, W, 3, 2, 0.3);
  std::vector<double> p(to_size(W * C * K + K)), g(p.size(), std::nan("")), g_float(p.size());
  sster::test::fill_uniform(p.data(), static_cast<index_t>(p.size()), 8, -0.5, 0.5);
  layer.bind(p.data(), g.data());
  const auto sym = symbol_layer_test::symbols(B * L, C, 10);
  const auto x = symbol_layer_test::one_hot(sym, B, L, C);
  const SymbolInput in{.B = B, .L = L, .symbols = sym.data()};
  const auto parts = layer.parts(x.shape());
  REQUIRE(parts.size() == 3);
  for (bool training : {false, true})
    for (index_t n = 1; n <= 3; ++n) {
      CAPTURE(training);
      CAPTURE(n);
      Context ctx{.training = training, .seed = 5, .step = 2, .first_sample = 4};
      Shape out = parts[to_size(n - 1)].output;
      out.B = B;
      Tensor<double> y_sym(out), y_float(out), gx(x.shape());
      layer.forward(x, y_float, ctx, n);
      layer.backward(x, y_float, random_tensor<double>(out, 11), gx, ctx, n);
      g_float = g;
      std::fill(g.begin(), g.end(), std::nan(""));
      layer.forward(in, y_sym, ctx, n);
      for (index_t i = 0; i < y_sym.size(); ++i) REQUIRE(y_sym[i] == doctest::Approx(y_float[i]).epsilon(1e-12));
      layer.backward(in, y_sym, random_tensor<double>(out, 11), ctx, n);
      if (n == 1) continue;  // the dropout has no parameters: nothing assigned
      for (std::size_t i = 0; i < g.size(); ++i) REQUIRE(g[i] == doctest::Approx(g_float[i]).epsilon(1e-12));
    }
  CHECK(parts[0].type == "dropout");
  CHECK(parts[1].type == "conv1d");
  CHECK(parts[2].type == "max_pooling1d");
  CHECK(parts[2].output == Shape{B, 6, 5});
}

TEST_CASE("SymbolConvPool1D gradients on floats (double, central differences, dropout on and off)") {
  for (bool training : {false, true})
    for (auto [size, stride] : {std::pair<index_t, index_t>{2, 2}, {3, 1}, {2, 3}}) {
      CAPTURE(training);
      CAPTURE(size);
      auto layer = symbol_layer_test::make_layer(4, 6, 3, size, stride, 0.25);
      check_layer_gradients(layer, Shape{2, 13, 4}, static_cast<std::uint64_t>(size * 10 + stride),
                            1e-6, Context{.training = training, .seed = 9, .step = 1});
    }
}

TEST_CASE("SymbolConvPool1D gradients on symbols (double, central differences on the parameters)") {
  const index_t B = 3, L = 15, C = 4, K = 5, W = 4;
  for (bool training : {false, true}) {
    CAPTURE(training);
    auto layer = symbol_layer_test::make_layer(C, K, W, 2, 2, 0.2);
    std::vector<double> p(to_size(W * C * K + K)), g(p.size(), std::nan(""));
    sster::test::fill_uniform(p.data(), static_cast<index_t>(p.size()), 12, -0.5, 0.5);
    layer.bind(p.data(), g.data());
    const auto sym = symbol_layer_test::symbols(B * L, C, 13);
    const SymbolInput in{.B = B, .L = L, .symbols = sym.data()};
    Context ctx{.training = training, .seed = 14};
    const Shape out = layer.output_shape(Shape{B, L, C});
    Tensor<double> y(out);
    const auto r = random_tensor<double>(out, 15);
    auto loss = [&] {
      layer.forward(in, y, ctx);
      double s = 0;
      for (index_t i = 0; i < y.size(); ++i) s += y[i] * r[i];
      return s;
    };
    loss();
    layer.backward(in, y, r, ctx);
    const std::vector<double> analytic = g;
    for (double v : analytic) REQUIRE(std::isfinite(v));
    CHECK(sster::test::max_gradient_error(p.data(), static_cast<index_t>(p.size()), analytic, loss) < 1e-6);
  }
}
