#pragma once
// Eigen views of sster buffers. Row-major throughout, like Tensor.
#include <Eigen/Core>

#include "sster/core/tensor.hpp"

namespace sster {

template <class T>
using RowMatrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <class T>
using MatrixMap = Eigen::Map<RowMatrix<T>>;
template <class T>
using ConstMatrixMap = Eigen::Map<const RowMatrix<T>>;

template <class T>
MatrixMap<T> matrix(T* p, index_t rows, index_t cols) {
  return MatrixMap<T>(p, rows, cols);
}
template <class T>
ConstMatrixMap<T> matrix(const T* p, index_t rows, index_t cols) {
  return ConstMatrixMap<T>(p, rows, cols);
}

}  // namespace sster
