#pragma once
// Test tools shared by the layer tests: finite-difference gradient checks in
// double precision, in the manner of dlib's impl_test_layer.
#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <vector>

#include "sster/core/random.hpp"
#include "sster/core/tensor.hpp"
#include "sster/nn/layer.hpp"

namespace sster::test {

// Fills with uniform values in [lo, hi) from a seeded stream.
template <class T>
void fill_uniform(T* p, index_t n, std::uint64_t seed, double lo = -1, double hi = 1) {
  RandomStream r(RandomKey(seed, Purpose::init));
  for (index_t i = 0; i < n; ++i) p[i] = static_cast<T>(r.uniform(lo, hi));
}
template <class T>
Tensor<T> random_tensor(Shape s, std::uint64_t seed, double lo = -1, double hi = 1) {
  Tensor<T> t(s);
  fill_uniform(t.data(), t.size(), seed, lo, hi);
  return t;
}

// Relative error |a - b| / max(|a| + |b|, floor): the floor keeps tiny
// gradients (where both sides are ~0) from dominating.
inline double relative_error(double a, double b, double floor = 1e-6) {
  return std::abs(a - b) / std::max(std::abs(a) + std::abs(b), floor);
}

// Central-difference check of analytic gradients `analytic` of a scalar
// function `loss` with respect to the n values at `x` (modified in place and
// restored). Returns the largest relative error, |a - b| / max(|a| + |b|, floor).
// At step 1e-6 a central difference resolves a gradient only to ~1e-10
// absolute (the loss's roundoff over 2e-6): with a floor of 1e-6, a correct
// Dense input gradient of -2.6e-5 measured 1.25e-6 in the sanitizer build
// (whose code rounds differently), over the 1e-6 tolerance. The floor 1e-3
// keeps the check relative above 1e-3 and makes it absolute (1e-9) below, as
// check_rnn_gradients (tests/rnn/rnn_tools.hpp) does.
inline double max_gradient_error(double* x, index_t n, const std::vector<double>& analytic,
                                 const std::function<double()>& loss, double step = 1e-6, double floor = 1e-3) {
  double worst = 0;
  for (index_t i = 0; i < n; ++i) {
    const double saved = x[i];
    x[i] = saved + step;
    const double up = loss();
    x[i] = saved - step;
    const double down = loss();
    x[i] = saved;
    worst = std::max(worst, relative_error((up - down) / (2 * step), at(analytic, i), floor));
  }
  return worst;
}

struct FiniteDifference {
  double step = 1e-6;   // central-difference step
  double floor = 1e-3;  // relative_error's floor (see max_gradient_error)
};

// Layer gradient check: loss = sum(out * r) for a fixed random r. Checks the
// input gradient and every parameter gradient; the gradient buffers are
// pre-filled with NaN so any entry backward fails to assign shows up.
template <class Lay>
void check_layer_gradients(Lay& layer, Shape in_shape, std::uint64_t seed, double tolerance = 1e-6,
                           Context ctx = {}, FiniteDifference fd = {}) {
  index_t n_params = 0;
  for (const auto& p : layer.param_specs()) n_params += p.size();
  std::vector<double> params(to_size(n_params)), grads(params.size(), std::nan(""));
  fill_uniform(params.data(), n_params, seed + 1, -0.5, 0.5);
  layer.bind(params.data(), grads.data());
  auto x = random_tensor<double>(in_shape, seed + 2);
  const Shape out_shape = layer.output_shape(in_shape);
  Tensor<double> y(out_shape), gin(in_shape, std::nan(""));
  const auto r = random_tensor<double>(out_shape, seed + 3);
  auto loss = [&] {
    layer.forward(x, y, ctx);
    double s = 0;
    for (index_t i = 0; i < y.size(); ++i) s += y[i] * r[i];
    return s;
  };
  loss();
  layer.backward(x, y, r, gin, ctx);
  std::vector<double> gx(gin.data(), gin.data() + gin.size());
  const std::vector<double> gp = grads;
  for (double g : gx) REQUIRE(std::isfinite(g));
  for (double g : gp) REQUIRE(std::isfinite(g));
  CHECK(max_gradient_error(x.data(), x.size(), gx, loss, fd.step, fd.floor) < tolerance);
  CHECK(max_gradient_error(params.data(), n_params, gp, loss, fd.step, fd.floor) < tolerance);
}

}  // namespace sster::test
