#pragma once
// Keras' Orthogonal initializer (gain 1), used for the recurrent kernels.
//
// Keras 2.2 flattens the shape to (rows = product of all but the last
// dimension, cols = last dimension), draws a standard normal matrix of that
// shape and keeps the SVD factor of the same shape: the result has
// orthonormal rows when rows <= cols (W W^T = I) and orthonormal columns
// otherwise (W^T W = I). For an LSTM recurrent kernel (H, 4H) this makes the
// whole matrix row-orthonormal; the four (H, H) gate blocks are not each
// orthogonal. We take the Q factor of a Householder QR instead of the SVD,
// with columns signed so that R has a positive diagonal: Q is then Haar
// distributed, the same distribution as Keras' factor (the draws differ).
#include <Eigen/QR>
#include <algorithm>
#include <string>

#include "sster/core/error.hpp"
#include "sster/core/random.hpp"
#include "sster/core/tensor.hpp"

namespace sster {

// w: (rows, cols), row-major. The normal draws fill a (max, min) matrix row by row.
template <class T>
void orthogonal_init(T* w, index_t rows, index_t cols, RandomStream& rng) {
  require(rows >= 1 && cols >= 1,
          "orthogonal_init: expected a non-empty matrix, got " + std::to_string(rows) + " x " + std::to_string(cols));
  const index_t n = std::max(rows, cols), k = std::min(rows, cols);
  Eigen::MatrixXd a(n, k);
  for (index_t i = 0; i < n; ++i)
    for (index_t j = 0; j < k; ++j) a(i, j) = rng.normal();
  const Eigen::HouseholderQR<Eigen::MatrixXd> qr(a);
  Eigen::MatrixXd q = qr.householderQ() * Eigen::MatrixXd::Identity(n, k);  // thin Q: (n, k)
  for (index_t j = 0; j < k; ++j)
    if (qr.matrixQR()(j, j) < 0) q.col(j) *= -1.0;
  for (index_t i = 0; i < rows; ++i)
    for (index_t j = 0; j < cols; ++j) w[i * cols + j] = static_cast<T>(rows >= cols ? q(i, j) : q(j, i));
}

}  // namespace sster
