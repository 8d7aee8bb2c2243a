#pragma once
// 1D convolution, valid padding, stride 1, channels-last, Keras weight layout.
//   x: (B, L, C)   w: (W, C, K)   b: (K)   y: (B, L-W+1, K)
// conv1d_*_ref are the specification (plain loops); conv1d_* are the fast
// versions used by the layers. Both compute y = conv(x) + b (no activation).
//
// Fast forward: the window at position t of a channels-last sample is the
// contiguous block x[t*C, t*C + W*C), so the im2col matrix of a sample is a
// strided view (rows C apart) and the convolution is one GEMM per sample
// with no copy. The input gradient is the same trick on the zero-padded
// output gradient against the kernel flipped along its length.
#include <algorithm>
#include <vector>

#include "sster/core/eigen.hpp"
#include "sster/core/tensor.hpp"

namespace sster::kernels {

struct ConvShape {
  index_t B, L, C, K, W;
  index_t out_len() const { return L - W + 1; }
};

template <class T>
void conv1d_forward_ref(const T* x, const T* w, const T* b, T* y, const ConvShape& s) {
  const index_t lo = s.out_len();
  for (index_t n = 0; n < s.B; ++n)
    for (index_t t = 0; t < lo; ++t)
      for (index_t k = 0; k < s.K; ++k) {
        T acc = b[k];
        for (index_t j = 0; j < s.W; ++j)
          for (index_t c = 0; c < s.C; ++c) acc += x[(n * s.L + t + j) * s.C + c] * w[(j * s.C + c) * s.K + k];
        y[(n * lo + t) * s.K + k] = acc;
      }
}

// g: (B, L-W+1, K) gradient of y. Assigns dx (B, L, C) unless null, dw, db.
template <class T>
void conv1d_backward_ref(const T* x, const T* w, const T* g, T* dx, T* dw, T* db, const ConvShape& s) {
  const index_t lo = s.out_len();
  std::fill_n(dw, s.W * s.C * s.K, T{0});
  std::fill_n(db, s.K, T{0});
  if (dx) std::fill_n(dx, s.B * s.L * s.C, T{0});
  for (index_t n = 0; n < s.B; ++n)
    for (index_t t = 0; t < lo; ++t)
      for (index_t k = 0; k < s.K; ++k) {
        const T gk = g[(n * lo + t) * s.K + k];
        db[k] += gk;
        for (index_t j = 0; j < s.W; ++j)
          for (index_t c = 0; c < s.C; ++c) {
            dw[(j * s.C + c) * s.K + k] += x[(n * s.L + t + j) * s.C + c] * gk;
            if (dx) dx[(n * s.L + t + j) * s.C + c] += w[(j * s.C + c) * s.K + k] * gk;
          }
      }
}

template <class T>
void conv1d_forward(const T* x, const T* w, const T* b, T* y, const ConvShape& s) {
  const index_t lo = s.out_len(), wc = s.W * s.C;
  const auto wm = matrix(w, wc, s.K);
  const auto bias = Eigen::Map<const Eigen::Matrix<T, 1, Eigen::Dynamic>>(b, s.K);
  for (index_t n = 0; n < s.B; ++n) {
    auto yn = matrix(y + n * lo * s.K, lo, s.K);
    yn.noalias() = windows(x + n * s.L * s.C, lo, wc, s.C) * wm;
    yn.rowwise() += bias;
  }
}

// Scratch space the fast backward reuses between calls.
template <class T>
struct ConvScratch {
  std::vector<T> padded_grad;  // (L + W - 1, K): one sample's g with W-1 zero rows each side
  std::vector<T> flipped;      // (W*K, C): w flipped along its length, transposed per tap
};

template <class T>
void conv1d_backward(const T* x, const T* w, const T* g, T* dx, T* dw, T* db, const ConvShape& s,
                     ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), wc = s.W * s.C;
  auto dwm = matrix(dw, wc, s.K);
  auto dbm = Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>>(db, s.K);
  dwm.setZero();
  dbm.setZero();
  for (index_t n = 0; n < s.B; ++n) {
    const auto gn = matrix(g + n * lo * s.K, lo, s.K);
    dwm.noalias() += windows(x + n * s.L * s.C, lo, wc, s.C).transpose() * gn;
    dbm += gn.colwise().sum();
  }
  if (!dx) return;
  // dx[s, c] = sum_j sum_k g[s - j, k] w[j, c, k]: windows of the padded g
  // (rows K apart, W*K long) times the flipped kernel.
  const index_t wk = s.W * s.K, padded_rows = s.L + s.W - 1;
  scratch.flipped.resize(static_cast<std::size_t>(wk * s.C));
  scratch.padded_grad.assign(static_cast<std::size_t>(padded_rows * s.K), T{0});
  auto flipped = matrix(scratch.flipped.data(), wk, s.C);
  for (index_t j = 0; j < s.W; ++j)
    flipped.middleRows((s.W - 1 - j) * s.K, s.K) = matrix(w + j * s.C * s.K, s.C, s.K).transpose();
  T* gp = scratch.padded_grad.data();
  for (index_t n = 0; n < s.B; ++n) {
    std::copy_n(g + n * lo * s.K, lo * s.K, gp + (s.W - 1) * s.K);
    matrix(dx + n * s.L * s.C, s.L, s.C).noalias() = windows(static_cast<const T*>(gp), s.L, wk, s.K) * flipped;
  }
}

}  // namespace sster::kernels
