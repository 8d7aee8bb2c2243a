#include <doctest.h>

#include <cmath>
#include <vector>

#include "genome_test_util.hpp"
#include "sster/genome/window_dense.hpp"

using namespace sster;

namespace {

template <class T>
std::vector<T> random_values(index_t n, std::uint64_t seed) {
  RandomStream rng(RandomKey(seed, Purpose::simulate));
  std::vector<T> v(to_size(n));
  for (auto& x : v) x = static_cast<T>(2 * rng.uniform() - 1);
  return v;
}

// WindowDense against the loops on every window: largest difference
// relative to the largest |value|.
template <class T>
double relative_error(index_t R, index_t C, index_t U, index_t n, std::uint64_t seed) {
  const auto f = random_values<T>(n * C, seed), w = random_values<T>(R * C * U, seed + 1);
  const index_t Q = n - R + 1;
  std::vector<T> want(to_size(Q * U));
  window_dense_ref(f.data(), n, C, w.data(), static_cast<const T*>(nullptr), R, U, want.data());
  WindowDense<T> fast(w.data(), R, C, U);
  const index_t Up = fast.padded_units();
  std::vector<T> got(to_size(Q * Up), T{-7});
  fast.apply_without_bias(f.data(), n, got.data());
  double worst = 0, scale = 0;
  for (index_t q = 0; q < Q; ++q)
    for (index_t u = 0; u < U; ++u) {
      worst = std::max(worst, static_cast<double>(std::abs(got[to_size(q * Up + u)] - want[to_size(q * U + u)])));
      scale = std::max(scale, static_cast<double>(std::abs(want[to_size(q * U + u)])));
    }
  for (index_t q = 0; q < Q; ++q)
    for (index_t u = U; u < Up; ++u) CHECK(got[to_size(q * Up + u)] == T{0});  // the padding columns are zero
  return worst / scale;
}

}  // namespace

TEST_CASE_TEMPLATE("WindowDense equals the loops: filter lengths, odd sizes, few and many windows", T, float, double) {
  const double tolerance = std::is_same_v<T, float> ? 2e-5 : 1e-12;
  for (const index_t R : {1, 3, 4, 5, 7, 8, 9, 16, 31, 32, 33})
    for (const index_t Q : {1, 63, 64, 65, 130, 517}) {
      CAPTURE(R);
      CAPTURE(Q);
      CHECK(relative_error<T>(R, 5, 7, Q + R - 1, static_cast<std::uint64_t>(R * 1000 + Q)) < tolerance);
    }
  CHECK(relative_error<T>(32, 30, 100, 2000, 9) < tolerance);  // pysster's default shape
}
