#include <doctest.h>

#include <cstdint>
#include <vector>

#include "gradient_check.hpp"
#include "sster/nn/conv1d.hpp"

using namespace sster;
using sster::test::check_layer_gradients;
using sster::test::random_tensor;

TEST_CASE("Conv1D hand-computed case: one channel, kernel [1, 2], bias 0.5") {
  // clang-format off
  // x = 1 2 3 4  ->  y[t] = x[t]*1 + x[t+1]*2 + 0.5 = 5.5 8.5 11.5
  // clang-format on
  Conv1D<double> conv{.in_channels = 1, .kernels = 1, .width = 2, .activation = Activation::linear};
  std::vector<double> p = {1, 2, 0.5}, g(3);
  conv.bind(p.data(), g.data());
  Tensor<double> x(Shape{1, 4, 1}), y(conv.output_shape(x.shape()));
  for (int i = 0; i < 4; ++i) x[i] = i + 1;
  Context ctx;
  conv.forward(x, y, ctx);
  CHECK(y.shape() == Shape{1, 3, 1});
  CHECK(y[0] == 5.5);
  CHECK(y[1] == 8.5);
  CHECK(y[2] == 11.5);
}

TEST_CASE("Conv1D gradients (double, central differences)") {
  for (auto [L, C, K, W] : {std::array<index_t, 4>{7, 3, 2, 3}, {9, 1, 4, 5}, {6, 5, 3, 6}, {11, 12, 5, 4}}) {
    CAPTURE(L);
    CAPTURE(C);
    for (auto act : {Activation::linear, Activation::relu}) {
      Conv1D<double> conv{.in_channels = C, .kernels = K, .width = W, .activation = act};
      check_layer_gradients(conv, Shape{3, L, C}, static_cast<std::uint64_t>(L * 100 + C));
    }
  }
}

TEST_CASE("Conv1D symbol input: gradients and equality with the one-hot float path") {
  const index_t B = 3, L = 10, C = 4, K = 3, W = 4;
  Conv1D<double> conv{.in_channels = C, .kernels = K, .width = W};
  std::vector<double> p(static_cast<std::size_t>(W * C * K + K)), g(p.size(), std::nan(""));
  sster::test::fill_uniform(p.data(), static_cast<index_t>(p.size()), 3, -0.5, 0.5);
  conv.bind(p.data(), g.data());
  std::vector<std::uint8_t> sym(static_cast<std::size_t>(B * L));
  RandomStream rng(RandomKey(9, Purpose::init));
  for (auto& s : sym) s = static_cast<std::uint8_t>(rng.below(C));
  sym[5] = no_symbol;  // padding: no channel hot
  auto scale = random_tensor<double>(Shape{B, L, 1}, 4, 0, 2);
  // The same input as one-hot floats, scaled per position.
  Tensor<double> onehot(Shape{B, L, C}, 0.0);
  for (index_t i = 0; i < B * L; ++i)
    if (sym[static_cast<std::size_t>(i)] != no_symbol) onehot[i * C + sym[static_cast<std::size_t>(i)]] = scale[i];
  const Shape out = conv.output_shape(onehot.shape());
  Tensor<double> y_sym(out), y_float(out);
  Context ctx;
  conv.forward_symbols(sym.data(), scale.data(), B, L, y_sym);
  conv.forward(onehot, y_float, ctx);
  for (index_t i = 0; i < y_sym.size(); ++i) CHECK(y_sym[i] == doctest::Approx(y_float[i]).epsilon(1e-12));

  auto r = random_tensor<double>(out, 5);
  conv.backward_symbols(sym.data(), scale.data(), B, L, y_sym, r);
  const std::vector<double> g_sym = g;
  Tensor<double> gx(onehot.shape());
  conv.backward(onehot, y_float, r, gx, ctx);
  for (std::size_t i = 0; i < g.size(); ++i) CHECK(g_sym[i] == doctest::Approx(g[i]).epsilon(1e-12));

  auto loss = [&] {
    conv.forward_symbols(sym.data(), scale.data(), B, L, y_sym);
    double s = 0;
    for (index_t i = 0; i < y_sym.size(); ++i) s += y_sym[i] * r[i];
    return s;
  };
  CHECK(sster::test::max_gradient_error(p.data(), static_cast<index_t>(p.size()), g_sym, loss) < 1e-6);
}

TEST_CASE_TEMPLATE("conv1d kernels: fast equals reference on awkward sizes", T, float, double) {
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
  for (auto s : {kernels::ConvShape{2, 13, 3, 5, 4}, {3, 25, 17, 30, 7}, {1, 8, 1, 1, 8}, {4, 40, 30, 33, 25}}) {
    CAPTURE(s.C);
    auto x = random_tensor<T>({s.B, s.L, s.C}, 1);
    auto w = random_tensor<T>({s.W, s.C, s.K}, 2);
    auto b = random_tensor<T>({1, 1, s.K}, 3);
    auto g = random_tensor<T>({s.B, s.out_len(), s.K}, 4);
    Tensor<T> y_ref({s.B, s.out_len(), s.K}), y({s.B, s.out_len(), s.K});
    kernels::conv1d_forward_ref(x.data(), w.data(), b.data(), y_ref.data(), s);
    kernels::conv1d_forward(x.data(), w.data(), b.data(), y.data(), s);
    for (index_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == doctest::Approx(y_ref[i]).epsilon(tol));
    Tensor<T> dx_ref(x.shape()), dx(x.shape()), dw_ref(w.shape()), dw(w.shape()), db_ref({1, 1, s.K}), db({1, 1, s.K});
    kernels::ConvScratch<T> scratch;
    kernels::conv1d_backward_ref(x.data(), w.data(), g.data(), dx_ref.data(), dw_ref.data(), db_ref.data(), s);
    kernels::conv1d_backward(x.data(), w.data(), g.data(), dx.data(), dw.data(), db.data(), s, scratch);
    for (index_t i = 0; i < dx.size(); ++i) REQUIRE(dx[i] == doctest::Approx(dx_ref[i]).epsilon(tol));
    for (index_t i = 0; i < dw.size(); ++i) REQUIRE(dw[i] == doctest::Approx(dw_ref[i]).epsilon(tol));
    for (index_t i = 0; i < db.size(); ++i) REQUIRE(db[i] == doctest::Approx(db_ref[i]).epsilon(tol));
  }
}

TEST_CASE_TEMPLATE("gather conv1d kernels: fast equals reference", T, float, double) {
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
  for (auto s : {kernels::ConvShape{2, 13, 4, 5, 4}, {3, 30, 12, 30, 25}, {1, 7, 20, 3, 7}}) {
    std::vector<std::uint8_t> x(static_cast<std::size_t>(s.B * s.L));
    RandomStream rng(RandomKey(s.C, Purpose::init));
    for (auto& v : x) v = rng.below(10) == 0 ? no_symbol : static_cast<std::uint8_t>(rng.below(static_cast<std::uint64_t>(s.C)));
    auto scale = random_tensor<T>({s.B, s.L, 1}, 1, 0, 2);
    auto w = random_tensor<T>({s.W, s.C, s.K}, 2);
    auto b = random_tensor<T>({1, 1, s.K}, 3);
    auto g = random_tensor<T>({s.B, s.out_len(), s.K}, 4);
    for (const T* sc : {static_cast<const T*>(nullptr), static_cast<const T*>(scale.data())}) {
      Tensor<T> y_ref({s.B, s.out_len(), s.K}), y(y_ref.shape());
      kernels::gather_conv1d_forward_ref(x.data(), sc, w.data(), b.data(), y_ref.data(), s);
      kernels::gather_conv1d_forward(x.data(), sc, w.data(), b.data(), y.data(), s);
      for (index_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == doctest::Approx(y_ref[i]).epsilon(tol));
      Tensor<T> dw_ref(w.shape()), dw(w.shape()), db_ref({1, 1, s.K}), db({1, 1, s.K});
      kernels::gather_conv1d_backward_ref(x.data(), sc, g.data(), dw_ref.data(), db_ref.data(), s);
      kernels::gather_conv1d_backward(x.data(), sc, g.data(), dw.data(), db.data(), s);
      for (index_t i = 0; i < dw.size(); ++i) REQUIRE(dw[i] == doctest::Approx(dw_ref[i]).epsilon(tol));
      for (index_t i = 0; i < db.size(); ++i) REQUIRE(db[i] == doctest::Approx(db_ref[i]).epsilon(tol));
    }
  }
}

TEST_CASE("Conv1D: a kernel longer than the input is an error naming both lengths") {
  Conv1D<float> conv{.in_channels = 4, .kernels = 2, .width = 30};
  CHECK_THROWS_WITH_AS(conv.output_shape(Shape{1, 20, 4}), doctest::Contains("kernel length 30 exceeds the input length 20"),
                       sster::Error);
}
