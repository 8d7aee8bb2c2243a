#include "sster/nn/orthogonal.hpp"

#include <doctest.h>

#include <Eigen/Core>
#include <vector>

#include "sster/core/eigen.hpp"

using namespace sster;

TEST_CASE_TEMPLATE("orthogonal_init gives orthonormal rows or columns, as Keras' Orthogonal", T, float, double) {
  const double tol = std::is_same_v<T, float> ? 1e-5 : 1e-12;
  const index_t shapes[][2] = {{8, 32}, {32, 8}, {6, 6}, {1, 4}, {4, 1}, {7, 21}};
  for (const auto& shape : shapes) {
    const index_t rows = shape[0], cols = shape[1];
    CAPTURE(rows);
    CAPTURE(cols);
    std::vector<T> w(to_size(rows * cols));
    RandomStream rng(RandomKey(3, Purpose::init).with(static_cast<std::uint64_t>(rows * 100 + cols)));
    orthogonal_init(w.data(), rows, cols, rng);
    const auto q = matrix(static_cast<const T*>(w.data()), rows, cols).template cast<double>().eval();
    // rows <= cols: W W^T = I (the LSTM recurrent kernel (H, 4H)); else W^T W = I.
    const Eigen::MatrixXd gram = rows <= cols ? Eigen::MatrixXd(q * q.transpose()) : Eigen::MatrixXd(q.transpose() * q);
    const index_t k = std::min(rows, cols);
    CHECK((gram - Eigen::MatrixXd::Identity(k, k)).cwiseAbs().maxCoeff() < tol);
  }
}

TEST_CASE("orthogonal_init is a function of its stream") {
  std::vector<double> a(12 * 48), b(a.size()), c(a.size());
  RandomStream r1(RandomKey(9, Purpose::init)), r2(RandomKey(9, Purpose::init)), r3(RandomKey(10, Purpose::init));
  orthogonal_init(a.data(), 12, 48, r1);
  orthogonal_init(b.data(), 12, 48, r2);
  orthogonal_init(c.data(), 12, 48, r3);
  CHECK(a == b);
  CHECK(a != c);
  // Entries of a Haar-random 12 x 48 row-orthonormal matrix have variance 1/48.
  double sq = 0;
  for (double v : a) sq += v * v;
  CHECK(sq == doctest::Approx(12.0));
}

TEST_CASE("orthogonal_init rejects an empty shape") {
  std::vector<float> w(4);
  RandomStream rng(RandomKey(1, Purpose::init));
  CHECK_THROWS_AS(orthogonal_init(w.data(), 0, 4, rng), Error);
}
