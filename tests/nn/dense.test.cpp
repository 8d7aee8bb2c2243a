#include <doctest.h>

#include "gradient_check.hpp"
#include "sster/nn/dense.hpp"

using namespace sster;

TEST_CASE("Dense hand-computed case") {
  // x = [1, 2], W = [[1, 2, 3], [4, 5, 6]], b = [0.5, -100, 0]
  // x W + b = [9.5, -88, 15]; ReLU -> [9.5, 0, 15]
  Dense<double> dense{.inputs = 2, .units = 3};
  std::vector<double> p = {1, 2, 3, 4, 5, 6, 0.5, -100, 0}, g(9);
  dense.bind(p.data(), g.data());
  Tensor<double> x(Shape{1, 1, 2}), y(dense.output_shape(x.shape()));
  x[0] = 1;
  x[1] = 2;
  Context ctx;
  dense.forward(x, y, ctx);
  CHECK(y[0] == 9.5);
  CHECK(y[1] == 0);
  CHECK(y[2] == 15);
}

TEST_CASE("Dense gradients, flat and unflattened input") {
  for (auto act : {Activation::linear, Activation::relu}) {
    Dense<double> flat{.inputs = 13, .units = 5, .activation = act};
    sster::test::check_layer_gradients(flat, Shape{4, 1, 13}, 21);
    Dense<double> seq{.inputs = 12, .units = 3, .activation = act};
    sster::test::check_layer_gradients(seq, Shape{3, 4, 3}, 22);
  }
}

TEST_CASE("Dense rejects the wrong number of inputs") {
  Dense<float> dense{.inputs = 10, .units = 2};
  CHECK_THROWS_AS(dense.output_shape(Shape{1, 3, 3}), sster::Error);
}
