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
  WindowDense(const T* w, index_t R, index_t C, index_t U) : C_(C), Up_(kernels::simd_padded<T>(U)) {
    AlignedVector<T> padded(to_size(R * C * Up_), T{0});
    for (index_t i = 0; i < R * C; ++i) std::copy_n(w + i * U, U, padded.data() + i * Up_);
    root_ = build(padded, R, 0);
    index_t depths = 1;
    for (const Node* n = root_.get(); n->even; n = n->even.get()) ++depths;
    scratch_.resize(to_size(depths));
  }

  index_t rows() const { return root_->R; }

  // Columns of out, U padded to whole SIMD vectors.
  index_t padded_units() const { return Up_; }

  // out (Q, padded_units()) without the bias, Q = n - R + 1 >= 1; the
  // columns past U are zero.
  void apply_without_bias(const T* f, index_t n, T* out) { correlate(*root_, f, n, out); }

 private:
  // A filter of R rows, and below it (when R > leaf_rows) the half-length
  // filters of its even rows, its odd rows and their sum. Built once, shared
  // by copies (each copy has its own scratch).
  struct Node {
    index_t R = 0, depth = 0;
    AlignedVector<T> w;  // (R * C, Up)
    std::unique_ptr<const Node> even, odd, sum;
  };

  std::unique_ptr<const Node> build(const AlignedVector<T>& w, index_t R, index_t depth) const {
    auto node = std::make_unique<Node>();
    node->R = R;
    node->depth = depth;
    node->w = w;
    if (R <= leaf_rows) return node;
    const index_t J = (R + 1) / 2, row = C_ * Up_;
    AlignedVector<T> even(to_size(J * row), T{0}), odd(to_size(J * row), T{0}), sum(to_size(J * row), T{0});
    for (index_t r = 0; r < R; ++r)
      std::copy_n(w.data() + r * row, row, (r % 2 ? odd : even).data() + r / 2 * row);
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] = even[i] + odd[i];
    node->even = build(even, J, depth + 1);
    node->odd = build(odd, J, depth + 1);
    node->sum = build(sum, J, depth + 1);
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
    // The children run one after another, each done with the scratch of
    // their depth before the next starts: one set per depth keeps the
    // working set in cache.
    auto& buf = at(scratch_, node.depth);
    for (std::size_t i = 0; i < 3; ++i) buf[i].resize(to_size(n0 * C_));
    buf[3].resize(to_size(Qa * Up_));
    buf[4].resize(to_size(Qb * Up_));
    buf[5].resize(to_size(Qc * Up_));
    T *x0 = buf[0].data(), *x1 = buf[1].data(), *s = buf[2].data();
    for (index_t r = 0; r < padded; ++r) {  // row r of f (zero past n) to row r / 2 of x0 or x1
      T* to = (r % 2 ? x1 : x0) + r / 2 * C_;
      if (r < n) std::copy_n(f + r * C_, C_, to);
      else std::fill_n(to, C_, T{0});
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

  index_t C_, Up_;
  std::shared_ptr<const Node> root_;
  std::vector<std::array<AlignedVector<T>, 6>> scratch_;  // per depth of the tree
};

}  // namespace sster
