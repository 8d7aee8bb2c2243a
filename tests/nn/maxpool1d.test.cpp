#include <doctest.h>

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
