#include <doctest.h>

#include <cmath>
#include <vector>

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

TEST_CASE("Adam on float parameters: the vector loop gives the bits of the scalar formula") {
  // 1,003 parameters: whole vectors of every width and a scalar tail; three
  // steps, so the moments feed back. The formula below is the header's, one
  // parameter at a time in float.
  const index_t n = 1003;
  Adam adam{.learning_rate = 0.01};
  AdamState state;
  std::vector<float> p(to_size(n)), g(to_size(n)), expected_p, m(to_size(n), 0.f), v(to_size(n), 0.f);
  for (index_t i = 0; i < n; ++i) p[to_size(i)] = std::sin(static_cast<float>(i));
  expected_p = p;
  for (int step = 1; step <= 3; ++step) {
    for (index_t i = 0; i < n; ++i) g[to_size(i)] = std::cos(static_cast<float>(i * step)) * (i % 7 == 0 ? 1e-4f : 1.f);
    const auto c = adam.begin_step(state, n);
    Adam::update(c, state, p.data(), g.data(), 0, n);
    for (std::size_t i = 0; i < to_size(n); ++i) {
      m[i] = c.b1 * m[i] + (1 - c.b1) * g[i];
      v[i] = c.b2 * v[i] + (1 - c.b2) * g[i] * g[i];
      expected_p[i] -= c.lr_t * m[i] / (std::sqrt(v[i]) + c.eps);
    }
  }
  for (std::size_t i = 0; i < to_size(n); ++i) {
    CAPTURE(i);
    REQUIRE(p[i] == expected_p[i]);
    REQUIRE(state.m[i] == m[i]);
    REQUIRE(state.v[i] == v[i]);
  }
}
