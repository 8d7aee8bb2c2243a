#include <doctest.h>

#include "gradient_check.hpp"
#include "sster/nn/append_extra.hpp"

using namespace sster;

TEST_CASE("AppendExtra appends each sample's additional inputs") {
  AppendExtra<double> a{.extra_size = 2};
  const double extra[] = {10, 20, 30, 40};
  a.extra = extra;
  auto x = sster::test::random_tensor<double>(Shape{2, 3, 1}, 1);
  Tensor<double> y(a.output_shape(x.shape()));
  CHECK(y.shape() == Shape{2, 1, 5});
  Context ctx;
  a.forward(x, y, ctx);
  CHECK(y.at(0, 0, 2) == x[2]);
  CHECK(y.at(0, 0, 3) == 10);
  CHECK(y.at(1, 0, 4) == 40);
  sster::test::check_layer_gradients(a, Shape{2, 3, 1}, 3);
}
