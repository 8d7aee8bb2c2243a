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
#include "sster/nn/kernels/maxpool1d.hpp"
#include "sster/nn/kernels/small_gemm.hpp"

namespace sster::kernels {

struct ConvShape {
  index_t B, L, C, K, W;
  index_t out_len() const { return L - W + 1; }
};

// The max-pooling (window `size`, step `stride`) and activation fused into a
// convolution's epilogue.
struct FusedPool {
  index_t size = 2, stride = 2;
  bool relu = true;
  index_t out_len(index_t conv_len) const { return (conv_len - size) / stride + 1; }
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
  AlignedVector<T> y_pad;     // (L-W+1, Kp) one sample's output (bias included)
  AlignedVector<T> g_pad;     // (L-W+1, Kp) one sample's output gradient
  AlignedVector<T> g_border;  // (L+W-1, K) the same with W-1 zero rows each side
  AlignedVector<T> flipped;   // (W*K, Cp) kernel flipped along its length
  AlignedVector<T> dx_pad;    // (L, Cp) one sample's input gradient
  AlignedVector<T> dw_pad;    // (W*C, Kp) or (W, C+1, Kp) weight gradient
  AlignedVector<T> db_pad;    // (Kp)
  AlignedVector<T> rows;      // (2, Kp) padded copies of one pooled row's values
  std::vector<std::int32_t> row_argmax;  // (Kp) and of its winners
  std::vector<std::int32_t> offsets;  // gather: per position, symbol row offset (or positions by symbol)
  std::vector<std::int32_t> starts;   // gather backward: first entry of each symbol in offsets
};

namespace detail {

template <class T>
void assign_zero(AlignedVector<T>& v, index_t n) {
  v.assign(to_size(n), T{0});
}

// rows x K (row stride ld_in) -> rows x Kp, zero columns K..Kp.
template <class T>
void pad_rows(const T* in, index_t rows, index_t K, index_t ld_in, T* out, index_t Kp) {
  assert(Kp >= K);
  for (index_t r = 0; r < rows; ++r) {
    std::copy_n(in + r * ld_in, K, out + r * Kp);
    std::fill(out + r * Kp + K, out + (r + 1) * Kp, T{0});
  }
}

// How many of a sample's `rows` rows of K values (row stride K) can be
// moved as whole padded vectors of Kp: a row's last vector then spills into
// the rows after it, which is harmless as they are handled afterwards, but
// must stay within the buffer: `room` values from the sample's start to its end.
inline index_t spill_rows(index_t rows, index_t K, index_t Kp, index_t room) {
  return room >= Kp ? std::min(rows, (room - Kp) / K + 1) : 0;
}

// The epilogues pick a window's winner in the value registers: its offset
// i < size within the window rides along as a T (exact), and becomes the
// winner's row first + i, an int32, on the way to memory.
template <class T>
void store_rows(const simd::batch<T>& offset, index_t first, std::int32_t* out) {
  constexpr index_t w = simd::width<T>;
  if constexpr (std::is_same_v<T, float>) {
    (xsimd::to_int(offset) + xsimd::batch<std::int32_t>(static_cast<std::int32_t>(first))).store_unaligned(out);
  } else {
    alignas(64) T lane[w];
    offset.store_aligned(lane);
    for (index_t i = 0; i < w; ++i) out[i] = static_cast<std::int32_t>(first + static_cast<index_t>(lane[i]));
  }
}
// The reverse: the offsets of the winners' rows `in` from the window's first row.
template <class T>
simd::batch<T> load_offsets(const std::int32_t* in, index_t first) {
  constexpr index_t w = simd::width<T>;
  if constexpr (std::is_same_v<T, float>) {
    return xsimd::to_float(xsimd::batch<std::int32_t>::load_unaligned(in) -
                           xsimd::batch<std::int32_t>(static_cast<std::int32_t>(first)));
  } else {
    alignas(64) T lane[w];
    for (index_t i = 0; i < w; ++i) lane[i] = static_cast<T>(in[i] - first);
    return simd::batch<T>::load_aligned(lane);
  }
}

// Epilogue: pool the padded conv output of one sample (bias included) into
// y (Lp, K) and argmax (Lp, K), applying ReLU after the max. Whole vectors
// over the padded row (the first maximum wins: strict >, as in Keras), stored
// straight into the rows of K of y and argmax where a whole padded row fits
// in the `room` values from y's and argmax's start to their buffers' ends
// (see spill_rows), through tmp (Kp) and tmp_argmax (Kp) for the rest.
template <class T>
void pool_epilogue(const T* conv, index_t lo, index_t K, index_t Kp, const FusedPool& p, T* y, std::int32_t* argmax,
                   index_t room, T* tmp, std::int32_t* tmp_argmax) {
  using V = simd::batch<T>;
  constexpr index_t w = simd::width<T>;
  assert(Kp % w == 0 && Kp >= K);
  assert(reinterpret_cast<std::uintptr_t>(conv) % alignof(V) == 0);
  const index_t direct = spill_rows(p.out_len(lo), K, Kp, room);
  const V floor(p.relu ? T{0} : -std::numeric_limits<T>::infinity());
  for (index_t u = 0; u < p.out_len(lo); ++u) {
    const index_t first = u * p.stride;
    const bool spill = u < direct;
    assert(!spill || u * K + Kp <= room);
    T* yu = spill ? y + u * K : tmp;
    std::int32_t* au = spill ? argmax + u * K : tmp_argmax;
    for (index_t v = 0; v < Kp; v += w) {
      V m = V::load_aligned(conv + first * Kp + v), a(T{0});
      T offset = 0;  // a counter as T: no int-to-float conversion in the loop
      for (index_t i = 1; i < p.size; ++i) {
        const V r = V::load_aligned(conv + (first + i) * Kp + v);
        const auto win = r > m;
        m = xsimd::select(win, r, m);
        a = xsimd::select(win, V(offset += T{1}), a);
      }
      xsimd::max(m, floor).store_unaligned(yu + v);
      store_rows(a, first, au + v);
    }
    if (!spill) {
      std::copy_n(tmp, K, y + u * K);
      std::copy_n(tmp_argmax, K, argmax + u * K);
    }
  }
}

// Backward of pool_epilogue: one sample's pre-activation gradient g (lo, Kp),
// zero except at the winners whose pooled output passed the ReLU; columns
// K..Kp zero too. gy, y, argmax are read as whole padded rows where those fit
// in the `room` values to their buffers' ends (see spill_rows), through
// tmp (2, Kp) and tmp_argmax (Kp) for the rest.
template <class T>
void unpool_gradient(const T* gy, const T* y, const std::int32_t* argmax, index_t lo, index_t K, index_t Kp,
                     const FusedPool& p, T* g, index_t room, T* tmp, std::int32_t* tmp_argmax) {
  using V = simd::batch<T>;
  constexpr index_t w = simd::width<T>;
  assert(Kp % w == 0 && Kp >= K);
  assert(reinterpret_cast<std::uintptr_t>(g) % alignof(V) == 0);
  const index_t lp = p.out_len(lo), direct = spill_rows(lp, K, Kp, room);
  const T floor = p.relu ? T{0} : -std::numeric_limits<T>::infinity();
  if (p.size != p.stride) {  // windows overlap or leave gaps: scatter
    std::fill_n(g, lo * Kp, T{0});
    for (index_t u = 0; u < lp; ++u)
      for (index_t k = 0; k < K; ++k) {
        const index_t i = u * K + k;
        assert(argmax[i] >= u * p.stride && argmax[i] < u * p.stride + p.size);  // a row of the window
        if (y[i] > floor) g[argmax[i] * Kp + k] += gy[i];
      }
    return;
  }
  // Windows tile the rows: each row of g is one select per vector. Lanes
  // K..Kp read the next row's values (or tmp's padding) and are masked off.
  const V vfloor(floor), zero(T{0});
  // The columns < K of the last vector: lanes K..Kp read the next row.
  const auto tail = [&] {
    alignas(64) T lane[simd::width<T>];
    for (index_t i = 0; i < w; ++i) lane[i] = static_cast<T>(Kp - w + i);
    return V::load_aligned(lane) < V(static_cast<T>(K));
  }();
  std::fill_n(tmp, 2 * Kp, T{0});
  std::fill_n(tmp_argmax, Kp, 0);
  for (index_t u = 0; u < lp; ++u) {
    const index_t first = u * p.stride;
    const bool spill = u < direct;
    assert(!spill || u * K + Kp <= room);
    const T* gu = gy + u * K;
    const T* yu = y + u * K;
    const std::int32_t* au = argmax + u * K;
    if (!spill) {
      std::copy_n(gu, K, tmp);
      std::copy_n(yu, K, tmp + Kp);
      std::copy_n(au, K, tmp_argmax);
      gu = tmp;
      yu = tmp + Kp;
      au = tmp_argmax;
    }
    for (index_t v = 0; v < Kp; v += w) {
      const V gv = V::load_unaligned(gu + v), av = load_offsets<T>(au + v, first);
      auto valid = V::load_unaligned(yu + v) > vfloor;
      if (v + w == Kp) valid = valid && tail;
      const V pass = xsimd::select(valid, gv, zero);
      T offset = 0;
      for (index_t i = 0; i < p.size; ++i, offset += T{1})
        xsimd::select(av == V(offset), pass, zero).store_aligned(g + (first + i) * Kp + v);
    }
  }
  std::fill(g + lp * p.stride * Kp, g + lo * Kp, T{0});  // rows after the last window
}

// acc (Kp) += the sum of the rows of g (rows, Kp), in row order. The running
// sum stays in a register: through memory every add would wait for the
// previous one's store.
template <class T>
void add_rows(const T* g, index_t rows, index_t Kp, T* acc) {
  using V = simd::batch<T>;
  assert(Kp % simd::width<T> == 0);
  assert(reinterpret_cast<std::uintptr_t>(g) % alignof(V) == 0 && reinterpret_cast<std::uintptr_t>(acc) % alignof(V) == 0);
  for (index_t v = 0; v < Kp; v += simd::width<T>) {
    V sum = V::load_aligned(acc + v);
    for (index_t r = 0; r < rows; ++r) sum += V::load_aligned(g + r * Kp + v);
    sum.store_aligned(acc + v);
  }
}

// The dense conv, one sample at a time: `epilogue(n, y_pad)` consumes each
// sample's padded output (bias included).
template <class T, class Epilogue>
void conv1d_samples(const T* x, const T* w, const T* b, const ConvShape& s, ConvScratch<T>& sc, Epilogue&& epilogue) {
  assert(s.L >= s.W);
  const index_t lo = s.out_len(), Kp = simd_padded<T>(s.K), wc = s.W * s.C;
  sc.w_pad.resize(to_size(wc * Kp));
  pad_rows(w, wc, s.K, s.K, sc.w_pad.data(), Kp);
  assign_zero(sc.b_pad, Kp);
  std::copy_n(b, s.K, sc.b_pad.data());
  sc.y_pad.resize(to_size(lo * Kp));
  const GemmShape g{.rows = lo, .cols = Kp, .depth = wc, .a_row = s.C, .a_col = 1, .ldb = Kp, .ldc = Kp};
  for (index_t n = 0; n < s.B; ++n) {
    small_gemm(x + n * s.L * s.C, sc.w_pad.data(), sc.y_pad.data(), sc.b_pad.data(), GemmInit::row, g);
    epilogue(n, static_cast<const T*>(sc.y_pad.data()));
  }
}

// The dense conv's backward, one sample at a time: `pre_grad(n, g_pad)`
// writes each sample's padded pre-activation gradient (L-W+1, Kp).
template <class T, class PreGrad>
void conv1d_backward_samples(const T* x, const T* w, T* dx, T* dw, T* db, const ConvShape& s, ConvScratch<T>& sc,
                             PreGrad&& pre_grad) {
  assert(s.L >= s.W);
  const index_t lo = s.out_len(), K = s.K, C = s.C, Kp = simd_padded<T>(K), Cp = simd_padded<T>(C);
  const index_t wc = s.W * C, wk = s.W * K;
  assign_zero(sc.g_pad, lo * Kp);  // columns K..Kp stay zero
  sc.dw_pad.resize(to_size(wc * Kp));
  assign_zero(sc.db_pad, Kp);
  if (dx) {
    // flipped[(W-1-j)*K + k][c] = w[j][c][k]; the gradient's border rows stay zero.
    assign_zero(sc.flipped, wk * Cp);
    for (index_t j = 0; j < s.W; ++j)
      for (index_t c = 0; c < C; ++c)
        for (index_t k = 0; k < K; ++k) at(sc.flipped, ((s.W - 1 - j) * K + k) * Cp + c) = w[(j * C + c) * K + k];
    assign_zero(sc.g_border, (s.L + s.W - 1) * K);
    sc.dx_pad.resize(to_size(s.L * Cp));
  }
  const GemmShape gw{.rows = wc, .cols = Kp, .depth = lo, .a_row = 1, .a_col = C, .ldb = Kp, .ldc = Kp};
  const GemmShape gx{.rows = s.L, .cols = Cp, .depth = wk, .a_row = K, .a_col = 1, .ldb = Cp, .ldc = Cp};
  for (index_t n = 0; n < s.B; ++n) {
    T* g = sc.g_pad.data();
    pre_grad(n, g);
    add_rows(g, lo, Kp, sc.db_pad.data());
    const T* xn = x + n * s.L * C;
    small_gemm(xn, static_cast<const T*>(g), sc.dw_pad.data(), static_cast<const T*>(nullptr),
               n == 0 ? GemmInit::zero : GemmInit::accumulate, gw);
    if (!dx) continue;
    for (index_t t = 0; t < lo; ++t) std::copy_n(g + t * Kp, K, sc.g_border.data() + (s.W - 1 + t) * K);
    // Row r of dx reads rows r .. r+W-1 of g_border, of which only
    // [W-1, W-1+lo) are non-zero: each block of rows skips the taps that are
    // zero for all its rows (a quarter of the work at pysster's defaults).
    constexpr index_t block = 8;
    for (index_t r0 = 0; r0 < s.L; r0 += block) {
      const index_t rows = std::min(block, s.L - r0);
      const index_t j_lo = std::max<index_t>(0, s.W - rows - r0), j_hi = std::min(s.W, s.W - 1 + lo - r0);
      GemmShape part = gx;
      part.rows = rows;
      part.depth = (j_hi - j_lo) * K;
      small_gemm(static_cast<const T*>(sc.g_border.data()) + (r0 + j_lo) * K,
                 static_cast<const T*>(sc.flipped.data()) + j_lo * K * Cp, sc.dx_pad.data() + r0 * Cp,
                 static_cast<const T*>(nullptr), GemmInit::zero, part);
    }
    T* dxn = dx + n * s.L * C;
    for (index_t r = 0; r < s.L; ++r) std::copy_n(sc.dx_pad.data() + r * Cp, C, dxn + r * C);
  }
  if (s.B == 0) std::fill(sc.dw_pad.begin(), sc.dw_pad.end(), T{0});
  for (index_t p = 0; p < wc; ++p) std::copy_n(sc.dw_pad.data() + p * Kp, K, dw + p * K);
  std::copy_n(sc.db_pad.data(), K, db);
}

}  // namespace detail

template <class T>
void conv1d_forward(const T* x, const T* w, const T* b, T* y, const ConvShape& s, ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K);
  detail::conv1d_samples(x, w, b, s, scratch, [&](index_t n, const T* yp) {
    T* yn = y + n * lo * K;
    for (index_t t = 0; t < lo; ++t) std::copy_n(yp + t * Kp, K, yn + t * K);
  });
}

template <class T>
void conv1d_backward(const T* x, const T* w, const T* g, T* dx, T* dw, T* db, const ConvShape& s,
                     ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K);
  detail::conv1d_backward_samples(x, w, dx, dw, db, s, scratch,
                                  [&](index_t n, T* gp) { detail::pad_rows(g + n * lo * K, lo, K, K, gp, Kp); });
}

template <class T>
void conv1d_pool_forward(const T* x, const T* w, const T* b, T* y, std::int32_t* argmax, const ConvShape& s,
                         const FusedPool& p, ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K), per = p.out_len(lo) * K;
  scratch.rows.resize(to_size(2 * Kp));
  scratch.row_argmax.resize(to_size(Kp));
  detail::conv1d_samples(x, w, b, s, scratch, [&](index_t n, const T* yp) {
    detail::pool_epilogue(yp, lo, K, Kp, p, y + n * per, argmax + n * per, (s.B - n) * per, scratch.rows.data(),
                          scratch.row_argmax.data());
  });
}

template <class T>
void conv1d_pool_backward(const T* x, const T* w, const T* y, const std::int32_t* argmax, const T* gy, T* dx, T* dw,
                          T* db, const ConvShape& s, const FusedPool& p, ConvScratch<T>& scratch) {
  const index_t lo = s.out_len(), K = s.K, Kp = simd_padded<T>(K), per = p.out_len(lo) * K;
  scratch.rows.resize(to_size(2 * Kp));
  scratch.row_argmax.resize(to_size(Kp));
  detail::conv1d_backward_samples(x, w, dx, dw, db, s, scratch, [&](index_t n, T* gp) {
    detail::unpool_gradient(gy + n * per, y + n * per, argmax + n * per, lo, K, Kp, p, gp, (s.B - n) * per,
                            scratch.rows.data(), scratch.row_argmax.data());
  });
}

}  // namespace sster::kernels
