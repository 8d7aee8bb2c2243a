#pragma once
// A dense layer on every window of a feature sequence: the first dense layer
// of a scan (genome/sliding_network.hpp), where window q's features are the
// rows q .. q + R - 1 of the last conv block's output.
//   f: (n, C) rows of C features; W: (R * C, U) as Dense stores it (input
//   r * C + c); out: (Q, U), Q = n - R + 1 windows:
//   out[q][u] = bias[u] + sum_{r < R, c < C} f[q + r][c] W[r * C + c][u]
// window_dense_ref is the loops. WindowDense computes the same with the
// 2-parallel fast FIR algorithm (Parhi's FFA, written for correlation): with
// the even and odd rows of f (x0, x1; z = x0 shifted by one) and of W
// (H0, H1), the even windows are (x0*H0)[p] + (x1*H1)[p] and the odd ones
// (x1*H0)[p] + (z*H1)[p] = ((x1+z)*(H0+H1))[p] - (x1*H1)[p] - (x0*H0)[p+1]:
// three correlations of half the rows with filters of half the length where
// the loops do four, i.e. 3/4 of the multiply-adds per level. Levels recurse
// down to filters of `leaf_rows` rows, each then one strided GEMM
// (kernels/small_gemm.hpp): pysster's default (R = 32) takes three levels
// and 42% of the direct products. Only the rounding differs from the loops
// (sums in another order, and the odd windows' one subtraction).
#include <algorithm>
#include <array>
#include <memory>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/index.hpp"
#include "sster/nn/kernels/small_gemm.hpp"

namespace sster {

template <class T>
void window_dense_ref(const T* f, index_t n, index_t C, const T* w, const T* bias, index_t R, index_t U, T* out) {
  for (index_t q = 0; q + R <= n; ++q)
    for (index_t u = 0; u < U; ++u) {
      T acc = bias ? bias[u] : T{0};
      for (index_t i = 0; i < R * C; ++i) acc += f[q * C + i] * w[i * U + u];
      out[q * U + u] = acc;
    }
}

template <class T>
class WindowDense {
 public:
  static constexpr index_t leaf_rows = 4;      // filters this short are one GEMM
  static constexpr index_t min_windows = 64;   // fewer windows: one GEMM too

  // w (R * C, U), bias (U) or null.
  WindowDense(const T* w, const T* bias, index_t R, index_t C, index_t U)
      : C_(C), U_(U), Up_(kernels::simd_padded<T>(U)), bias_(to_size(Up_), T{0}) {
    if (bias) std::copy_n(bias, U, bias_.data());
    AlignedVector<T> padded(to_size(R * C * Up_), T{0});
    for (index_t i = 0; i < R * C; ++i) std::copy_n(w + i * U, U, padded.data() + i * Up_);
    index_t nodes = 0;
    root_ = build(padded, R, nodes);
    scratch_.resize(to_size(nodes));
  }

  index_t rows() const { return root_->R; }

  // out (Q, U) with row stride ldo >= U, Q = n - R + 1 >= 1.
  void apply(const T* f, index_t n, T* out, index_t ldo) {
    const index_t Q = n - root_->R + 1;
    result_.resize(to_size(Q * Up_));
    correlate(*root_, f, n, result_.data());
    for (index_t q = 0; q < Q; ++q)
      for (index_t u = 0; u < U_; ++u) out[q * ldo + u] = result_[to_size(q * Up_ + u)] + bias_[to_size(u)];
  }

 private:
  // A filter of R rows, and below it (when R > leaf_rows) the half-length
  // filters of its even rows, its odd rows and their sum. Built once, shared
  // by copies (each copy has its own scratch).
  struct Node {
    index_t R = 0, id = 0;
    AlignedVector<T> w;  // (R * C, Up)
    std::unique_ptr<const Node> even, odd, sum;
  };

  std::unique_ptr<const Node> build(const AlignedVector<T>& w, index_t R, index_t& nodes) const {
    auto node = std::make_unique<Node>();
    node->R = R;
    node->id = nodes++;
    node->w = w;
    if (R <= leaf_rows) return node;
    const index_t J = (R + 1) / 2, row = C_ * Up_;
    AlignedVector<T> even(to_size(J * row), T{0}), odd(to_size(J * row), T{0}), sum(to_size(J * row), T{0});
    for (index_t r = 0; r < R; ++r)
      std::copy_n(w.data() + r * row, row, (r % 2 ? odd : even).data() + r / 2 * row);
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = even[i] + odd[i];
    node->even = build(even, J, nodes);
    node->odd = build(odd, J, nodes);
    node->sum = build(sum, J, nodes);
    return node;
  }

  // out (Q, Up) = the windows of f (n rows) with the node's filter, no bias.
  void correlate(const Node& node, const T* f, index_t n, T* out) {
    const index_t Q = n - node.R + 1;
    if (!node.even || Q < min_windows) {
      kernels::small_gemm(f, node.w.data(), out, static_cast<const T*>(nullptr), kernels::GemmInit::zero,
                          {.rows = Q, .cols = Up_, .depth = node.R * C_, .a_row = C_, .a_col = 1, .ldb = Up_, .ldc = Up_});
      return;
    }
    const index_t J = node.even->R, padded = n + (node.R % 2);  // an odd filter reads one zero row past f
    const index_t n0 = (padded + 1) / 2, n1 = padded / 2, ns = std::min(n1, n0 - 1);
    const index_t Qa = n0 - J + 1, Qb = n1 - J + 1, Qc = ns - J + 1;
    // the even rows x0, the odd rows x1, s = x1 + (x0 shifted by one), and the three products
    auto& buf = at(scratch_, node.id);
    for (std::size_t i = 0; i < 3; ++i) buf[i].resize(to_size(n0 * C_));
    buf[3].resize(to_size(Qa * Up_));
    buf[4].resize(to_size(Qb * Up_));
    buf[5].resize(to_size(Qc * Up_));
    T *x0 = buf[0].data(), *x1 = buf[1].data(), *s = buf[2].data();
    for (index_t i = 0; i < n0; ++i)
      for (index_t c = 0; c < C_; ++c) {
        x0[i * C_ + c] = 2 * i < n ? f[2 * i * C_ + c] : T{0};
        if (i < n1) x1[i * C_ + c] = 2 * i + 1 < n ? f[(2 * i + 1) * C_ + c] : T{0};
      }
    for (index_t i = 0; i < ns * C_; ++i) s[i] = x1[i] + x0[i + C_];
    T *pa = buf[3].data(), *pb = buf[4].data(), *pc = buf[5].data();
    correlate(*node.even, x0, n0, pa);
    correlate(*node.odd, x1, n1, pb);
    correlate(*node.sum, s, ns, pc);
    for (index_t q = 0; q < Q; ++q) {
      const index_t p = q / 2;
      T* o = out + q * Up_;
      const T *a = pa + p * Up_, *b = pb + p * Up_;
      if (q % 2 == 0) {
        for (index_t u = 0; u < Up_; ++u) o[u] = a[u] + b[u];
      } else {
        const T *c = pc + p * Up_, *a1 = a + Up_;
        for (index_t u = 0; u < Up_; ++u) o[u] = c[u] - b[u] - a1[u];
      }
    }
  }

  index_t C_, U_, Up_;
  AlignedVector<T> bias_;
  std::shared_ptr<const Node> root_;
  std::vector<std::array<AlignedVector<T>, 6>> scratch_;  // per node
  AlignedVector<T> result_;
};

}  // namespace sster
