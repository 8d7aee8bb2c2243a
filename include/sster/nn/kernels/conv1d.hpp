#pragma once
// 1D convolution, valid padding, stride 1, channels-last, Keras weight layout.
//   x: (B, L, C)   w: (W, C, K)   b: (K)   y: (B, L-W+1, K)
// conv1d_*_ref are the specification (plain loops); conv1d_* are the fast
// versions used by the layers. Both compute y = conv(x) + b (no activation).
//
// Fast versions run one sample at a time through small_gemm (see there):
// the window at position t of a channels-last sample is the contiguous block
// x[t*C, t*C + W*C), so the im2col matrix is a strided view (rows C apart)
// and the forward is one GEMM per sample with no copy; the weight gradient
// reads the same view transposed (rows 1 apart, depth C apart), and the input
// gradient is the forward trick on the zero-padded output gradient against
// the kernel flipped along its length. K is padded to the SIMD width in
// per-call copies of the weights and per-sample buffers that stay in L1/L2.
//
// conv1d_pool_* fuse the max-pooling (and ReLU) that follows every pysster
// convolution into the epilogue: the (L-W+1, K) output exists only for one
// sample at a time, and backward routes the pooled gradient straight into
// the weight-gradient GEMM's operand. relu(max(a)) == max(relu(a)), and the
// first maximum of the raw values is the first maximum of the ReLU'd ones
// whenever it is positive (otherwise the gradient is 0 either way), so the
// fused kernels compute exactly what Conv1D(relu) -> MaxPool1D computes.
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/tensor.hpp"
#include "sster/nn/kernels/conv_shape.hpp"
#include "sster/nn/kernels/maxpool1d.hpp"
#include "sster/nn/kernels/padded_rows.hpp"
#include "sster/nn/kernels/small_gemm.hpp"
#include "sster/nn/kernels/vector_kernels.hpp"
#include "sster/nn/kernels/winograd_conv1d.hpp"

namespace sster::kernels {

// How a convolution is computed, forward and backward: `direct`, the GEMMs
// over every window; `fastest`, Winograd's algorithm where it pays
// (kernels/winograd_conv1d.hpp: float, 16 or more input channels, 8 or more
// taps; within ~1e-6 of the magnitudes summed, about the direct GEMM's own
// rounding), else the direct GEMMs. The layers run `fastest`.
enum class ConvAlgorithm { direct, fastest };

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

// The pooling half of the fused reference kernels: conv (B, lo, K), the
// convolution's output, through ReLU (if p.relu) and max-pooling into y
// (B, Lp, K) and argmax (B, Lp, K), the winners' rows as every pooling keeps
// them (kernels/maxpool1d.hpp).
template <class T>
void relu_pool_ref(std::vector<T>& conv, T* y, std::int32_t* argmax, index_t B, index_t lo, index_t K,
                   const FusedPool& p) {
  if (p.relu)
    for (auto& v : conv) v = std::max(v, T{0});
  maxpool1d_forward_ref(conv.data(), y, argmax, PoolShape{B, lo, K, p.size, p.stride});
}

// Its backward: the gradient (B, lo, K) at the conv output, from gy (B, Lp,
// K) at the pooled output y and the forward's argmax.
template <class T>
std::vector<T> relu_pool_backward_ref(const T* y, const std::int32_t* argmax, const T* gy, index_t B, index_t lo,
                                      index_t K, const FusedPool& p) {
  const index_t lp = p.out_len(lo);
  std::vector<T> g(to_size(B * lo * K), T{0});
  for (index_t n = 0; n < B; ++n)
    for (index_t u = 0; u < lp; ++u)
      for (index_t k = 0; k < K; ++k) {
        const index_t i = (n * lp + u) * K + k;
        if (!p.relu || y[i] > T{0}) at(g, (n * lo + argmax[i]) * K + k) += gy[i];
      }
  return g;
}

// y = maxpool(act(conv(x) + b)): (B, Lp, K), Lp = p.out_len(L-W+1), and
// argmax (B, Lp, K) as relu_pool_ref says.
template <class T>
void conv1d_pool_forward_ref(const T* x, const T* w, const T* b, T* y, std::int32_t* argmax, const ConvShape& s,
                             const FusedPool& p) {
  std::vector<T> conv(to_size(s.B * s.out_len() * s.K));
  conv1d_forward_ref(x, w, b, conv.data(), s);
  relu_pool_ref(conv, y, argmax, s.B, s.out_len(), s.K, p);
}

// gy: (B, Lp, K) gradient of the pooled output y, argmax from the forward.
// Assigns dx (B, L, C) unless null, dw, db.
template <class T>
void conv1d_pool_backward_ref(const T* x, const T* w, const T* y, const std::int32_t* argmax, const T* gy, T* dx,
                              T* dw, T* db, const ConvShape& s, const FusedPool& p) {
  const auto g = relu_pool_backward_ref(y, argmax, gy, s.B, s.out_len(), s.K, p);
  conv1d_backward_ref(x, w, g.data(), dx, dw, db, s);
}

// Buffers the fast kernels reuse between calls (one set per layer replica).
template <class T>
struct ConvScratch {
  AlignedVector<T> w_pad;     // (W*C, Kp) weights, or (W, C+1, Kp) gather table
  AlignedVector<T> b_pad;     // (Kp)
  AlignedVector<T> y_pad;     // (L-W+1, Kp) one sample's output (bias included), or a group's
  AlignedVector<T> g_pad;     // (L-W+1, Kp) one sample's output gradient, or a group's
  AlignedVector<T> g_border;  // (L+W-1, K) the same with W-1 zero rows each side
  AlignedVector<T> flipped;   // (W*K, Cp) kernel flipped along its length
  AlignedVector<T> dx_pad;    // (L, Cp) one sample's input gradient, or a group's
  AlignedVector<T> dw_pad;    // (W*C, Kp) or (W, C+1, Kp) weight gradient
  AlignedVector<T> db_pad;    // (Kp)
  AlignedVector<T> rows;      // (2, Kp) padded copies of one pooled row's values
  std::vector<std::int32_t> row_argmax;  // (Kp) and of its winners
  std::vector<std::int32_t> offsets;  // gather: per position, symbol row offset (or positions by symbol)
  std::vector<std::int32_t> starts;   // gather backward: first entry of each symbol in offsets
  WinogradScratch winograd;     // the Winograd way's buffers (float): forward and weight gradient
  WinogradScratch winograd_dx;  // and the input gradient's
};

namespace detail {

template <class T>
void assign_zero(AlignedVector<T>& v, index_t n) {
  v.assign(to_size(n), T{0});
}

// Whether `algorithm` runs a convolution of shape s the Winograd way.
template <class T>
bool use_winograd(ConvAlgorithm algorithm, const ConvShape& s) {
  return algorithm == ConvAlgorithm::fastest && winograd_pays<T>(s);
}

// The dense conv: `epilogue(n, y_pad)` consumes each sample's padded output
// (lo, Kp), bias included. One GEMM per sample while the weights stay in
// cache (pysster's default sizes); on a wide layer (kernel_num ~100 and
// more: megabytes of weights) one GEMM per group of samples, whose rows are
// every window of the group (small_gemm's packed path), so each block of
// weights is fetched once per group, not once per sample. Same bits either
// way. With ConvAlgorithm::fastest, Winograd's algorithm where it pays
// (and for_training: it keeps what the weight gradient reads again).
template <class T, class Epilogue>
void conv1d_samples(const T* x, const T* w, const T* b, const ConvShape& s, ConvScratch<T>& sc, ConvAlgorithm algorithm,
                    bool for_training, Epilogue&& epilogue) {
  assert(s.L >= s.W);
  const index_t lo = s.out_len(), Kp = simd_padded<T>(s.K), wc = s.W * s.C;
  if constexpr (std::is_same_v<T, float>) {
    if (use_winograd<T>(algorithm, s)) {
      winograd_conv1d_samples(WinogradInput::dense(x, s), w, b, s, Kp, for_training, sc.winograd, epilogue);
      return;
    }
  }
  assign_zero(sc.b_pad, Kp);
  std::copy_n(b, s.K, sc.b_pad.data());
  grow_to(sc.w_pad, wc * Kp);
  pad_rows(w, wc, s.K, s.K, sc.w_pad.data(), Kp);
  const index_t group = wide_product<T>(wc, Kp) ? wide_group<T>(lo * Kp, s.B) : 1;
  grow_to(sc.y_pad, group * lo * Kp);
  GemmShape g{.rows = lo, .cols = Kp, .depth = wc, .a_row = s.C, .a_col = 1, .ldb = Kp, .ldc = Kp};
  if (group > 1) {
    g.row_group = lo;
    g.a_row_group = s.L * s.C;
  }
  for (index_t n0 = 0; n0 < s.B; n0 += group) {
    const index_t count = std::min(group, s.B - n0);
    g.rows = count * lo;
    small_gemm(x + n0 * s.L * s.C, sc.w_pad.data(), sc.y_pad.data(), sc.b_pad.data(), GemmInit::row, g);
    for (index_t i = 0; i < count; ++i) epilogue(n0 + i, static_cast<const T*>(sc.y_pad.data() + i * lo * Kp));
  }
}

// The input gradient of `count` samples (their padded output gradients g,
// (count lo, Kp)) the direct way: the forward GEMM of the gradient with W-1
// zero rows each side (g_border) by the flipped kernel (sc.flipped, rows of
// Cp), into dx (count, L, C). `grouped`: one GEMM over all the samples' rows
// (the packed path's blocks need whole rows); otherwise per sample, each
// block of rows skipping the taps that are zero for all its rows (a quarter
// of the work at pysster's defaults).
template <class T>
void direct_input_gradient(const T* g, index_t count, bool grouped, const ConvShape& s, ConvScratch<T>& sc, T* dx) {
  const index_t lo = s.out_len(), K = s.K, C = s.C, Kp = simd_padded<T>(K), Cp = simd_padded<T>(C);
  const index_t border = s.L + s.W - 1;
  assign_zero(sc.g_border, count * border * K);
  grow_to(sc.dx_pad, count * s.L * Cp);
  for (index_t i = 0; i < count; ++i)
    unpad_rows(g + i * lo * Kp, lo, K, Kp, sc.g_border.data() + (i * border + s.W - 1) * K);
  GemmShape gx{.rows = s.L, .cols = Cp, .depth = s.W * K, .a_row = K, .a_col = 1, .ldb = Cp, .ldc = Cp};
  if (grouped) {
    gx.rows = count * s.L;
    gx.row_group = s.L;
    gx.a_row_group = border * K;
    small_gemm(static_cast<const T*>(sc.g_border.data()), static_cast<const T*>(sc.flipped.data()), sc.dx_pad.data(),
               static_cast<const T*>(nullptr), GemmInit::zero, gx);
  } else {
    // Row r of dx reads rows r .. r+W-1 of g_border, of which only [W-1, W-1+lo) are non-zero.
    constexpr index_t block = 8;
    for (index_t i = 0; i < count; ++i)
      for (index_t r0 = 0; r0 < s.L; r0 += block) {
        const index_t rows = std::min(block, s.L - r0);
        const index_t j_lo = std::max<index_t>(0, s.W - rows - r0), j_hi = std::min(s.W, s.W - 1 + lo - r0);
        GemmShape part = gx;
        part.rows = rows;
        part.depth = (j_hi - j_lo) * K;
        small_gemm(static_cast<const T*>(sc.g_border.data()) + (i * border + r0 + j_lo) * K,
                   static_cast<const T*>(sc.flipped.data()) + j_lo * K * Cp, sc.dx_pad.data() + (i * s.L + r0) * Cp,
                   static_cast<const T*>(nullptr), GemmInit::zero, part);
      }
  }
  unpad_rows(static_cast<const T*>(sc.dx_pad.data()), count * s.L, C, Cp, dx);
}

// The dense conv's backward: `pre_grad(n, g_pad)` writes each sample's
// padded pre-activation gradient (L-W+1, Kp). Per sample, or per group of
// samples on a wide layer (see conv1d_samples) and the Winograd way: the
// weight gradient's depth then runs over the group's positions, and the
// input gradient's rows over the group's. The input gradient is the forward
// convolution of the gradient (W-1 zero rows each side) by the flipped
// kernel, so the Winograd way it is winograd_conv1d_samples, reading the
// gradient in place with the border implied.
template <class T, class PreGrad>
void conv1d_backward_samples(const T* x, const T* w, T* dx, T* dw, T* db, const ConvShape& s, ConvScratch<T>& sc,
                             ConvAlgorithm algorithm, PreGrad&& pre_grad) {
  assert(s.L >= s.W);
  const index_t lo = s.out_len(), K = s.K, C = s.C, Kp = simd_padded<T>(K), Cp = simd_padded<T>(C);
  const index_t wc = s.W * C, wk = s.W * K;
  const ConvShape dx_shape{1, s.L + s.W - 1, K, C, s.W};  // the input gradient as a convolution
  const bool wide = wide_product<T>(wc, Kp) || wide_product<T>(wk, Cp);
  const bool fast_dw = use_winograd<T>(algorithm, s);
  const bool fast_dx = dx && use_winograd<T>(algorithm, dx_shape);
  const index_t group = wide || fast_dw ? wide_group<T>(std::max(lo * Kp, s.L * Cp), s.B) : 1;
  grow_to(sc.g_pad, group * lo * Kp);  // pre_grad writes whole padded rows
  assign_zero(sc.db_pad, Kp);
  if (!fast_dw) grow_to(sc.dw_pad, wc * Kp);
  if (dx) {
    // flipped[(W-1-j)*K + k][c] = w[j][c][k], rows of Cp, zero past C (of C
    // the Winograd way, which pads them itself).
    const index_t ld = fast_dx ? C : Cp;
    grow_to(sc.flipped, wk * ld);
    for (index_t j = 0; j < s.W; ++j)
      for (index_t k = 0; k < K; ++k) {
        T* row = sc.flipped.data() + ((s.W - 1 - j) * K + k) * ld;
        for (index_t c = 0; c < C; ++c) row[c] = w[(j * C + c) * K + k];
        std::fill(row + C, row + ld, T{0});
      }
  }
  GemmShape gw{.rows = wc, .cols = Kp, .depth = lo, .a_row = 1, .a_col = C, .ldb = Kp, .ldc = Kp};
  if (group > 1) {
    gw.depth_group = lo;
    gw.a_depth_group = s.L * C;
  }
  for (index_t n0 = 0; n0 < s.B; n0 += group) {
    const index_t count = std::min(group, s.B - n0);
    T* g = sc.g_pad.data();
    for (index_t i = 0; i < count; ++i) pre_grad(n0 + i, g + i * lo * Kp);
    add_rows(static_cast<const T*>(g), count * lo, Kp, sc.db_pad.data());
    const GemmInit init = n0 == 0 ? GemmInit::zero : GemmInit::accumulate;
    if constexpr (std::is_same_v<T, float>) {
      if (fast_dw) winograd_weight_gradient(x, g, n0, count, s, Kp, init == GemmInit::zero, sc.winograd);
    }
    if (!fast_dw) {
      gw.depth = count * lo;
      small_gemm(x + n0 * s.L * C, static_cast<const T*>(g), sc.dw_pad.data(), static_cast<const T*>(nullptr), init, gw);
    }
    if (!dx) continue;
    T* dx_group = dx + n0 * s.L * C;
    if constexpr (std::is_same_v<T, float>) {
      if (fast_dx) {
        ConvShape shape = dx_shape;
        shape.B = count;
        winograd_conv1d_samples(WinogradInput{g, Kp, lo * Kp, s.W - 1, lo}, sc.flipped.data(), nullptr, shape, Cp,
                                /*keep_inputs=*/false, sc.winograd_dx, [&](index_t n, const float* dxp) {
                                  unpad_rows(dxp, s.L, C, Cp, dx_group + n * s.L * C);
                                });
      }
    }
    if (!fast_dx) direct_input_gradient(static_cast<const T*>(g), count, group > 1, s, sc, dx_group);
  }
  if (s.B == 0) {
    std::fill_n(dw, wc * K, T{0});
  } else if (fast_dw) {
    if constexpr (std::is_same_v<T, float>) winograd_weight_gradient_finish(s, Kp, sc.winograd, dw);
  } else {
    unpad_rows(static_cast<const T*>(sc.dw_pad.data()), wc, K, Kp, dw);
  }
  std::copy_n(sc.db_pad.data(), K, db);
}

}  // namespace detail

// for_training: the backward of this x follows (the layers pass
// Context::training), so the forward keeps what that reads again.
template <class T>
void conv1d_forward(const T* x, const T* w, const T* b, T* y, const ConvShape& s, ConvScratch<T>& scratch,
                    ConvAlgorithm algorithm = ConvAlgorithm::direct, bool for_training = false) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K);
  detail::conv1d_samples(x, w, b, s, scratch, algorithm, for_training,
                         [&](index_t n, const T* yp) { unpad_rows(yp, lo, K, Kp, y + n * lo * K); });
}

template <class T>
void conv1d_backward(const T* x, const T* w, const T* g, T* dx, T* dw, T* db, const ConvShape& s,
                     ConvScratch<T>& scratch, ConvAlgorithm algorithm = ConvAlgorithm::direct) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K);
  detail::conv1d_backward_samples(x, w, dx, dw, db, s, scratch, algorithm,
                                  [&](index_t n, T* gp) { pad_rows(g + n * lo * K, lo, K, K, gp, Kp); });
}

template <class T>
void conv1d_pool_forward(const T* x, const T* w, const T* b, T* y, std::int32_t* argmax, const ConvShape& s,
                         const FusedPool& p, ConvScratch<T>& scratch, ConvAlgorithm algorithm = ConvAlgorithm::direct,
                         bool for_training = false) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K), per = p.out_len(lo) * K;
  scratch.rows.resize(to_size(2 * Kp));
  scratch.row_argmax.resize(to_size(Kp));
  detail::conv1d_samples(x, w, b, s, scratch, algorithm, for_training, [&](index_t n, const T* yp) {
    pool_epilogue(yp, lo, K, Kp, p, y + n * per, argmax + n * per, (s.B - n) * per, scratch.rows.data(),
                  scratch.row_argmax.data());
  });
}

template <class T>
void conv1d_pool_backward(const T* x, const T* w, const T* y, const std::int32_t* argmax, const T* gy, T* dx, T* dw,
                          T* db, const ConvShape& s, const FusedPool& p, ConvScratch<T>& scratch,
                          ConvAlgorithm algorithm = ConvAlgorithm::direct) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K), per = p.out_len(lo) * K;
  scratch.rows.resize(to_size(2 * Kp));
  scratch.row_argmax.resize(to_size(Kp));
  detail::conv1d_backward_samples(x, w, dx, dw, db, s, scratch, algorithm, [&](index_t n, T* gp) {
    unpool_gradient(gy + n * per, y + n * per, argmax + n * per, lo, K, Kp, p, gp, (s.B - n) * per,
                    scratch.rows.data(), scratch.row_argmax.data());
  });
}

}  // namespace sster::kernels
