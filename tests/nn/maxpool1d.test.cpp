#include <doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "gradient_check.hpp"
#include "sster/nn/maxpool1d.hpp"

using namespace sster;

TEST_CASE("MaxPool1D hand-computed case") {
  // clang-format off
  // x (L=7, C=2):      pool 2, stride 2 -> Lo = floor((7-2)/2)+1 = 3
  //   t: 0  1  2  3  4  5  6
  //  c0: 1  5  2  2  9  0  7      y c0: 5 2 9   (first maximum wins on ties)
  //  c1: 4  3  8 -1 -2 -3  6      y c1: 4 8 -2
  // clang-format on
  MaxPool1D<double> pool;
  Tensor<double> x(Shape{1, 7, 2});
  const double c0[] = {1, 5, 2, 2, 9, 0, 7}, c1[] = {4, 3, 8, -1, -2, -3, 6};
  for (int t = 0; t < 7; ++t) {
    x.at(0, t, 0) = c0[t];
    x.at(0, t, 1) = c1[t];
  }
  Tensor<double> y(pool.output_shape(x.shape()));
  CHECK(y.shape() == Shape{1, 3, 2});
  Context ctx;
  pool.forward(x, y, ctx);
  CHECK(y.at(0, 0, 0) == 5);
  CHECK(y.at(0, 1, 0) == 2);
  CHECK(y.at(0, 2, 0) == 9);
  CHECK(y.at(0, 0, 1) == 4);
  CHECK(y.at(0, 1, 1) == 8);
  CHECK(y.at(0, 2, 1) == -2);
  // The winners' rows, per output element (as every pooling keeps them).
  CHECK(pool.argmax_ == std::vector<std::int32_t>{1, 0, 2, 2, 4, 4});
  Tensor<double> g(y.shape(), 1.0), gx(x.shape(), std::nan(""));
  pool.backward(x, y, g, gx, ctx);
  CHECK(gx.at(0, 1, 0) == 1);
  CHECK(gx.at(0, 2, 0) == 1);  // tie at t=2,3: the first wins
  CHECK(gx.at(0, 3, 0) == 0);
  CHECK(gx.at(0, 6, 0) == 0);  // position 6 is in no window
}

TEST_CASE("MaxPool1D output length is floor((L - size) / stride) + 1") {
  CHECK(MaxPool1D<float>{.size = 3, .stride = 2}.output_shape(Shape{1, 10, 1}).L == 4);
  CHECK(MaxPool1D<float>{.size = 2, .stride = 2}.output_shape(Shape{1, 176, 1}).L == 88);
  CHECK(MaxPool1D<float>{.size = 4, .stride = 1}.output_shape(Shape{1, 4, 1}).L == 1);
  const MaxPool1D<float> too_wide{.size = 5, .stride = 1};
  CHECK_THROWS_AS(too_wide.output_shape(Shape{1, 4, 1}), sster::Error);
}

TEST_CASE("MaxPool1D gradients, including overlapping windows") {
  for (auto [size, stride] : {std::pair<index_t, index_t>{2, 2}, {3, 1}, {3, 2}, {1, 1}}) {
    MaxPool1D<double> pool{.size = size, .stride = stride};
    sster::test::check_layer_gradients(pool, Shape{2, 11, 3}, static_cast<std::uint64_t>(size * 10 + stride));
  }
}

TEST_CASE_TEMPLATE("maxpool1d kernels: fast equals reference (ties, overlapping windows, odd sizes)", T, float, double) {
  for (auto s : {kernels::PoolShape{2, 11, 3, 2, 2}, {3, 176, 30, 2, 2}, {1, 9, 1, 3, 1}, {2, 17, 33, 4, 3}, {1, 5, 7, 5, 1}}) {
    CAPTURE(s.L);
    CAPTURE(s.C);
    auto x = sster::test::random_tensor<T>({s.B, s.L, s.C}, 1);
    for (index_t i = 0; i < x.size(); ++i) x[i] = std::round(x[i] * 2) / 2;  // many ties
    const index_t lo = s.out_len();
    Tensor<T> y_ref({s.B, lo, s.C}), y(y_ref.shape());
    std::vector<std::int32_t> a_ref(to_size(y.size())), a(a_ref.size());
    kernels::maxpool1d_forward_ref(x.data(), y_ref.data(), a_ref.data(), s);
    kernels::maxpool1d_forward(x.data(), y.data(), a.data(), s);
    for (index_t i = 0; i < y.size(); ++i) REQUIRE(y[i] == y_ref[i]);
    CHECK(a == a_ref);
    Tensor<T> values(y.shape(), std::nan(""));
    kernels::maxpool1d_forward_values(x.data(), values.data(), s);
    for (index_t i = 0; i < y.size(); ++i) REQUIRE(values[i] == y_ref[i]);
    auto g = sster::test::random_tensor<T>(y.shape(), 2);
    Tensor<T> dx_ref(x.shape()), dx(x.shape(), std::nan(""));
    kernels::maxpool1d_backward_ref(g.data(), a_ref.data(), dx_ref.data(), s);
    kernels::maxpool1d_backward(g.data(), a.data(), dx.data(), s);
    for (index_t i = 0; i < dx.size(); ++i) REQUIRE(dx[i] == dx_ref[i]);
  }
}
