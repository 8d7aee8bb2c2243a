#include <doctest.h>

#include <cmath>

#include "sster/optim/max_norm.hpp"

using namespace sster;

TEST_CASE("max_norm renormalises each column over the first axis only") {
  // (first axis 2, rest 3) matrix; column norms: 5, 1, sqrt(8)
  // clang-format off
  double w[] = {3, 0, 2,
                4, 1, 2};
  // clang-format on
  apply_max_norm(w, 2, 3, 3.0);
  // column 0: norm 5 -> scaled by 3 / (5 + 1e-7)
  CHECK(w[0] == doctest::Approx(3 * 3 / 5.0));
  CHECK(w[3] == doctest::Approx(4 * 3 / 5.0));
  CHECK(std::hypot(w[0], w[3]) == doctest::Approx(3.0));
  // columns under the limit keep their values (up to Keras' 1e-7 epsilon)
  CHECK(w[4] == doctest::Approx(1.0).epsilon(1e-6));
  CHECK(w[2] == doctest::Approx(2.0).epsilon(1e-6));
}
