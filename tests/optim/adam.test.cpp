#include <doctest.h>

#include <cmath>

#include "sster/optim/adam.hpp"

using namespace sster;

TEST_CASE("Adam: two steps by hand, Keras form (epsilon outside the square root)") {
  // step 1: g = 0.5. m = 0.05, v = 0.00025, lr_t = 0.1 * sqrt(0.001) / 0.1
  //   p = 1 - lr_t * 0.05 / (sqrt(0.00025) + 1e-7)
  // step 2: g = -1. m = 0.045 - 0.1 = -0.055, v = 0.00024975 + 0.001 = 0.00124975
  //   lr_t = 0.1 * sqrt(1 - 0.999^2) / (1 - 0.9^2)
  Adam adam{.learning_rate = 0.1};
  AdamState state;
  double p = 1;
  double g = 0.5;
  adam.step(state, &p, &g, 1);
  const double lr1 = 0.1 * std::sqrt(0.001) / 0.1;
  const double p1 = 1 - lr1 * 0.05 / (std::sqrt(0.00025) + 1e-7);
  CHECK(p == doctest::Approx(p1).epsilon(1e-6));
  g = -1;
  adam.step(state, &p, &g, 1);
  const double lr2 = 0.1 * std::sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
  const double p2 = p1 - lr2 * -0.055 / (std::sqrt(0.00124975) + 1e-7);
  CHECK(p == doctest::Approx(p2).epsilon(1e-6));
  CHECK(state.t == 2);
}
