#include <doctest.h>

#include "gradient_check.hpp"
#include "sster/nn/flatten.hpp"

using namespace sster;

TEST_CASE("Flatten keeps channels-last order and passes gradients through") {
  Flatten<double> f;
  CHECK(f.output_shape(Shape{2, 5, 3}) == Shape{2, 1, 15});
  auto x = sster::test::random_tensor<double>(Shape{2, 5, 3}, 1);
  Tensor<double> y(f.output_shape(x.shape()));
  Context ctx;
  f.forward(x, y, ctx);
  CHECK(y.at(1, 0, 2 * 3 + 1) == x.at(1, 2, 1));  // Keras order: position-major
  sster::test::check_layer_gradients(f, Shape{2, 5, 3}, 2);
}
