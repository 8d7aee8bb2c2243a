#pragma once
// Winograd's minimal filtering for the convolutions after the first: the
// same valid convolution as kernels/conv1d.hpp (x (B, L, C), w (W, C, K),
// bias), in 2r-1 GEMMs of about a third of the multiply-adds of the direct
// one.
//
// The W taps are cut into groups of r (the last padded with zero taps) and
// the output rows into tiles of r. Tap group g of output tile i reads input
// rows r(i+g) .. r(i+g) + 2r-2: F(r, r), Winograd's algorithm for r outputs
// of an r-tap filter from alpha = 2r-1 products instead of r^2,
//   y_tile = A^T [ (G w_g) . (B^T d_{i+g}) ],
// over the channels becomes alpha GEMMs of the transformed input V[a] (one
// row of C per input tile) by the transformed weights U[a] (depth: every
// group's C channels), and since tile i's group g reads input tile i+g, row i
// of a GEMM's A is input tiles i .. i+groups-1 one after the other: a
// strided view of V[a], read in place like the direct convolution's windows.
// Per r outputs and r taps that is alpha multiply-adds for r^2: with r = 5,
// 25 taps (5 groups) cost 9 * 5 / 5 = 9 per output and channel pair against
// 25 (F(4, 4): 7 groups, 12.25).
//
// The transforms come from the interpolation points 0, 1, -1, 2, -2, 1/2,
// -1/2, -4 and infinity (Toom-Cook): exact in exact arithmetic, and the input
// transform's entries are multiples of 1/4, the output's powers of two, all
// exact in float. In float the results differ from the direct convolution's by
// about 1e-6 of the magnitudes summed, the input gradient's by up to ~7e-6
// (the direct GEMM's own rounding: ~4e-7; F(4, 4)'s: 2.5e-7 and 1e-6): the
// price of the larger tile, whose transforms add larger terms.
// tests/nn/winograd_conv1d.test.cpp bounds it at 1e-5. The weight gradient and
// the input gradient are Winograd convolutions too (see
// winograd_weight_gradient; the input gradient is a convolution by the flipped
// kernel), so training gains as much as prediction. float only: double (the
// gradient checks) stays on the direct GEMMs. Each sample still goes through
// the same operations whatever the batch and thread count, so results stay
// deterministic.
#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <optional>
#include <type_traits>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/index.hpp"
#include "sster/nn/kernels/conv_shape.hpp"
#include "sster/nn/kernels/padded_rows.hpp"
#include "sster/nn/kernels/small_gemm.hpp"
#include "sster/nn/kernels/vector_kernels.hpp"

namespace sster::kernels {

// The matrices of F(r, r), row-major: at (r, alpha) the output transform,
// g (alpha, r) the filter transform, bt (alpha, alpha) the input transform.
// at and bt in float, as the kernels apply them (at's entries are exact, bt's
// scaled rows small integers and halves); g in double, as the weights'
// transform applies it, and in float (g_float) for the weight gradient's.
struct WinogradTransform {
  index_t r = 0, alpha = 0;
  std::vector<float> at, bt;
  std::vector<double> g;
  std::vector<float> g_float;
};

namespace detail {

// The inverse of an n x n matrix (Gauss-Jordan, partial pivoting): the
// Vandermonde matrices here are at most 7 x 7.
inline std::vector<double> inverse(std::vector<double> m, index_t n) {
  std::vector<double> inv(to_size(n * n), 0.0);
  for (index_t i = 0; i < n; ++i) inv[to_size(i * n + i)] = 1;
  for (index_t col = 0; col < n; ++col) {
    index_t pivot = col;
    for (index_t row = col + 1; row < n; ++row)
      if (std::abs(m[to_size(row * n + col)]) > std::abs(m[to_size(pivot * n + col)])) pivot = row;
    for (index_t k = 0; k < n; ++k) {
      std::swap(m[to_size(col * n + k)], m[to_size(pivot * n + k)]);
      std::swap(inv[to_size(col * n + k)], inv[to_size(pivot * n + k)]);
    }
    const double d = m[to_size(col * n + col)];
    for (index_t k = 0; k < n; ++k) {
      m[to_size(col * n + k)] /= d;
      inv[to_size(col * n + k)] /= d;
    }
    for (index_t row = 0; row < n; ++row) {
      const double f = m[to_size(row * n + col)];
      if (row == col || f == 0) continue;
      for (index_t k = 0; k < n; ++k) {
        m[to_size(row * n + k)] -= f * m[to_size(col * n + k)];
        inv[to_size(row * n + k)] -= f * inv[to_size(col * n + k)];
      }
    }
  }
  return inv;
}

}  // namespace detail

// F(r, r) for r = 2..5. Correlation y = M(w) d is the transpose of the
// convolution Toom-Cook computes as V^-1 [(V_r w) . (V_r d)], so
// A^T = V_r^T, G = V_r and B^T = V^-T, where V_k (alpha x k) evaluates a
// polynomial of k coefficients at the points (infinity: its leading one) and
// V = V_alpha. Each row of B^T is then scaled to a smallest entry of 1 and
// the row of G by the inverse, so the roundings land in the weights' transform,
// which is computed in double.
inline WinogradTransform winograd_transform(index_t r) {
  assert(r >= 2 && r <= 5);
  const double finite[] = {0, 1, -1, 2, -2, 0.5, -0.5, -4};
  const index_t alpha = 2 * r - 1;
  // The value of the point i's row of V_k at column j.
  const auto vandermonde = [&](index_t i, index_t j, index_t k) {
    if (i == alpha - 1) return j == k - 1 ? 1.0 : 0.0;  // infinity
    return std::pow(finite[i], static_cast<double>(j));
  };
  WinogradTransform t{.r = r, .alpha = alpha, .at = {}, .bt = {}, .g = {}, .g_float = {}};
  std::vector<double> v(to_size(alpha * alpha));
  for (index_t i = 0; i < alpha; ++i)
    for (index_t j = 0; j < alpha; ++j) v[to_size(i * alpha + j)] = vandermonde(i, j, alpha);
  auto v_inv = detail::inverse(v, alpha);
  // Where the exact inverse has zeros, the elimination leaves roundings
  // (~1e-16 of the largest entry); the row scaling below must not take one
  // for the smallest entry.
  const double largest = std::abs(*std::max_element(v_inv.begin(), v_inv.end(),
                                                    [](double p, double q) { return std::abs(p) < std::abs(q); }));
  for (double& e : v_inv)
    if (std::abs(e) < 1e-12 * largest) e = 0;
  t.bt.resize(to_size(alpha * alpha));
  t.g.resize(to_size(alpha * r));
  t.at.resize(to_size(r * alpha));
  for (index_t i = 0; i < alpha; ++i) {
    double smallest = 0;
    for (index_t j = 0; j < alpha; ++j) {
      const double e = v_inv[to_size(j * alpha + i)];
      if (e != 0 && (smallest == 0 || std::abs(e) < smallest)) smallest = std::abs(e);
    }
    for (index_t j = 0; j < alpha; ++j)
      t.bt[to_size(i * alpha + j)] = static_cast<float>(v_inv[to_size(j * alpha + i)] / smallest);
    for (index_t j = 0; j < r; ++j) t.g[to_size(i * r + j)] = vandermonde(i, j, r) * smallest;
    for (index_t j = 0; j < r; ++j) t.at[to_size(j * alpha + i)] = static_cast<float>(vandermonde(i, j, r));
  }
  t.g_float.assign(t.g.begin(), t.g.end());
  return t;
}

// winograd_r, the tile size, is defined with the transforms' entry points
// (kernels/vector_kernels.hpp).
inline const WinogradTransform& winograd_tiles() {
  static const WinogradTransform t = winograd_transform(winograd_r);
  return t;
}

// Whether a convolution runs the Winograd way at inference: float, at least
// two tap groups, and enough channels for the GEMMs to outweigh the transforms
// (the one-hot first layers run the gather convolution, kernels/gather_conv1d.hpp).
template <class T>
bool winograd_pays(const ConvShape& s) {
  return std::is_same_v<T, float> && s.W > winograd_r && s.C >= 16;
}

// Buffers of one layer replica and direction (the forward and the input
// gradient each keep theirs). The weights' transform is kept with the
// weights it came from and reused while they are equal (at inference the
// layer's weights do not change between calls); on a wide layer it is kept
// packed for the GEMMs (once per transform, not once per GEMM call). A
// training forward keeps the transform of its whole input for the weight
// gradient that follows (kept), which then need not transform it again.
struct WinogradScratch {
  AlignedVector<float> u;         // (alpha, groups * Cp, Kp) transformed weights
  std::optional<KernelSet> u_packed_for;  // u's U[a] packed for this set's GEMMs (pack_gemm_b), or plain
  AlignedVector<float> u_source;  // (W, C, K) the weights u was made from
  AlignedVector<float> bias;      // (Kp) the bias, zero-padded
  AlignedVector<float> xp;        // (in_tiles * r + r - 1, Cp) one sample, zero-padded
  AlignedVector<float> v;         // (alpha, samples, in_tiles, Cp) transformed input
  struct KeptInput {              // whose transform v holds, every sample of it (x null: none)
    const float* x = nullptr;
    index_t B = 0, L = 0;
    bool is(const float* in, const ConvShape& s) const { return x == in && B == s.B && L == s.L; }
  } kept;
  AlignedVector<float> m;         // (alpha, samples * out_tiles, Kp) the products
  AlignedVector<float> y_pad;     // (L-W+1, Kp) one sample's output, bias included
  AlignedVector<float> gt;        // (alpha, samples * out_tiles, Kp) transformed output gradient
  AlignedVector<float> mw;        // (alpha, groups * Cp, Kp) the weight gradient's products
};

// A convolution's input as the Winograd way reads it: sample n's row l of
// (L, C) is x[n * sample_stride + (l - first) * ld ...] for the rows
// [first, first + rows), zero elsewhere. The input gradient's operand, the
// output gradient with W-1 zero rows each side, is read in place this way.
struct WinogradInput {
  const float* x;
  index_t ld, sample_stride, first, rows;

  static WinogradInput dense(const float* x, const ConvShape& s) { return {x, s.C, s.L * s.C, 0, s.L}; }
};

// Where the tiles and tap groups of a convolution fall.
struct WinogradGeometry {
  index_t lo, Cp, groups, depth, out_tiles, in_tiles, rows;  // rows: of the zero-padded input

  WinogradGeometry(const ConvShape& s)  // NOLINT: implicit on purpose, from the shape it describes
      : lo(s.out_len()),
        Cp(simd_padded<float>(s.C)),
        groups((s.W + winograd_r - 1) / winograd_r),
        depth(groups * Cp),
        out_tiles((lo + winograd_r - 1) / winograd_r),
        in_tiles(out_tiles + groups - 1),
        rows(in_tiles * winograd_r + winograd_r - 1) {}
};

namespace detail {

// U[a][g Cp + c][k] = sum_j G[a][j] w[r g + j][c][k] (zero taps past W and
// channels past C), in double, unless u already holds these weights'
// transform in the layout asked for: plain, or (packed) each U[a] packed for
// the kernel set in use (pack_gemm_b), as the wide path's GEMMs read it.
// Training changes the weights every step, so this runs per step and layer
// replica: the loop over k innermost, where it vectorises. The weights are
// compared bit for bit: memcmp is vectorised, where std::equal's scalar float
// compares took 2% of an inference profile.
inline void winograd_weights(const float* w, const ConvShape& s, index_t Kp, bool packed, WinogradScratch& sc) {
  const WinogradTransform& t = winograd_tiles();
  const WinogradGeometry geo(s);
  const index_t n = s.W * s.C * s.K, per_point = geo.depth * Kp;
  const auto packed_for = packed ? std::optional(kernel_set()) : std::nullopt;
  if (sc.u_packed_for == packed_for && to_size(n) == sc.u_source.size() && to_size(t.alpha * per_point) == sc.u.size() &&
      std::memcmp(w, sc.u_source.data(), to_size(n) * sizeof(float)) == 0)
    return;
  sc.u_source.assign(w, w + n);
  sc.u_packed_for = packed_for;
  sc.u.resize(to_size(t.alpha * per_point));  // every value written below, the padding zero
  static thread_local AlignedVector<float> plain;  // one U[a] before it is packed
  if (packed) grow_to(plain, per_point);
  const std::vector<float> zero_tap(to_size(s.K), 0.f);
  for (index_t a = 0; a < t.alpha; ++a) {
    const double* f = t.g.data() + a * winograd_r;
    float* u_a = packed ? plain.data() : sc.u.data() + a * per_point;
    for (index_t g = 0; g < geo.groups; ++g)
      for (index_t c = 0; c < geo.Cp; ++c) {
        const float* taps[winograd_r];
        for (index_t j = 0; j < winograd_r; ++j)
          taps[j] = c < s.C && winograd_r * g + j < s.W ? w + ((winograd_r * g + j) * s.C + c) * s.K : zero_tap.data();
        float* out = u_a + (g * geo.Cp + c) * Kp;
        for (index_t k = 0; k < s.K; ++k) {
          double acc = 0;
          for (index_t j = 0; j < winograd_r; ++j) acc += f[j] * static_cast<double>(taps[j][k]);
          out[k] = static_cast<float>(acc);
        }
        std::fill(out + s.K, out + Kp, 0.f);
      }
    if (packed) {
      const GemmShape b{.rows = 0, .cols = Kp, .depth = geo.depth, .a_row = 0, .a_col = 0, .ldb = Kp, .ldc = Kp};
      pack_gemm_b(static_cast<const float*>(plain.data()), b, sc.u.data() + a * per_point);
    }
  }
}

// The input transform of samples n0 .. n0 + count of `in`: V[a] of sample
// n0 + i at v + i * in_tiles * Cp, V[a + 1] v_stride after V[a].
inline void winograd_inputs(const WinogradInput& in, index_t n0, index_t count, const ConvShape& s, float* v,
                            index_t v_stride, WinogradScratch& sc) {
  const WinogradGeometry geo(s);
  grow_to(sc.xp, geo.rows * geo.Cp);
  float* xp = sc.xp.data();
  for (index_t i = 0; i < count; ++i) {
    // Every value of the padded sample, the rows outside `in`'s and the columns past C zero.
    const float* xn = in.x + (n0 + i) * in.sample_stride;
    std::fill(xp, xp + in.first * geo.Cp, 0.f);
    pad_rows(xn, in.rows, s.C, in.ld, xp + in.first * geo.Cp, geo.Cp);
    std::fill(xp + (in.first + in.rows) * geo.Cp, xp + geo.rows * geo.Cp, 0.f);
    winograd_input(xp, geo.in_tiles, geo.Cp, winograd_tiles().bt.data(), v + i * geo.in_tiles * geo.Cp, v_stride);
  }
}

// The products of the tiles of one sample: M[a] = V[a] (rows: output tiles,
// tile i reading input tiles i .. i + groups - 1; V[a] at v + a v_stride) by
// U[a]. Input tiles that hold only zero rows of `in` (the input gradient's
// border) are skipped: the output tiles that read every group in one GEMM, the
// others four at a time (one register block of the GEMM, which at two vectors
// of columns still keeps 8 FMA chains in flight) over the groups that meet a
// non-zero tile. At pysster's defaults that skips 9% of the second block's
// input-gradient products and 29% of the third's.
inline void winograd_products(const WinogradInput& in, const ConvShape& s, index_t Kp, const float* v,
                              index_t v_stride, const WinogradScratch& sc, float* m) {
  const WinogradTransform& t = winograd_tiles();
  const WinogradGeometry geo(s);
  const index_t alpha_rows = t.alpha - 1;  // input tile j reads rows r j .. r j + alpha - 1
  const index_t t_lo = std::max<index_t>(0, (in.first - alpha_rows + t.r - 1) / t.r);
  const index_t t_hi = std::min(geo.in_tiles - 1, (in.first + in.rows - 1) / t.r);
  const index_t full_end = std::min(geo.out_tiles, t_hi - geo.groups + 2);  // tiles [t_lo, full_end) read every group
  for (index_t i0 = 0; i0 < geo.out_tiles;) {
    const bool full = i0 >= t_lo && i0 < full_end;
    const index_t tiles = full ? full_end - i0 : std::min<index_t>(4, geo.out_tiles - i0);
    const index_t g_lo = std::max<index_t>(0, t_lo - (i0 + tiles - 1)), g_hi = std::min(geo.groups - 1, t_hi - i0);
    const GemmShape gs{.rows = tiles, .cols = Kp, .depth = (g_hi - g_lo + 1) * geo.Cp, .a_row = geo.Cp, .a_col = 1,
                       .ldb = Kp, .ldc = Kp};
    assert(g_lo <= g_hi);  // a dense input, or a border narrower than a tap group: every tile meets one
    for (index_t a = 0; a < t.alpha; ++a)
      small_gemm(v + a * v_stride + (i0 + g_lo) * geo.Cp,
                 static_cast<const float*>(sc.u.data() + (a * geo.depth + g_lo * geo.Cp) * Kp),
                 m + (a * geo.out_tiles + i0) * Kp, static_cast<const float*>(nullptr), GemmInit::zero, gs);
    i0 += tiles;
  }
}

}  // namespace detail

// The convolution of every sample of `in`, `epilogue(n, y_pad)` consuming each
// sample's padded output (L-W+1, Kp), bias b (K values, or none) included, as
// conv1d_samples (kernels/conv1d.hpp) does. On a wide layer the GEMMs run over
// groups of samples (the packed path, the transformed weights packed), so that
// each block of them is fetched once per group. keep_inputs (a training
// forward, `in` dense): the transform of every sample stays in sc.v for
// winograd_weight_gradient, unless that would take more than
// winograd_kept_bytes (long sequences through wide layers transform again).
inline constexpr index_t winograd_kept_bytes = index_t{32} << 20;

template <class Epilogue>
void winograd_conv1d_samples(const WinogradInput& in, const float* w, const float* b, const ConvShape& s, index_t Kp,
                             bool keep_inputs, WinogradScratch& sc, Epilogue&& epilogue) {
  const WinogradTransform& t = winograd_tiles();
  const WinogradGeometry geo(s);
  assert(!keep_inputs || (in.first == 0 && in.rows == s.L && in.ld == s.C));
  const bool wide = wide_product<float>(geo.depth, Kp);
  detail::winograd_weights(w, s, Kp, wide, sc);
  sc.bias.assign(to_size(Kp), 0.f);
  if (b) std::copy_n(b, s.K, sc.bias.data());
  const index_t group = wide ? wide_group<float>(t.alpha * geo.out_tiles * Kp, s.B) : 1;
  const index_t sample_v = geo.in_tiles * geo.Cp;
  const bool keep = keep_inputs && t.alpha * s.B * sample_v * index_t{sizeof(float)} <= winograd_kept_bytes;
  const index_t v_stride = (keep ? s.B : group) * sample_v, m_stride = group * geo.out_tiles * Kp;
  sc.kept = {};
  grow_to(sc.v, t.alpha * v_stride);
  grow_to(sc.m, t.alpha * m_stride);
  grow_to(sc.y_pad, geo.lo * Kp);
  GemmShape gs{.rows = geo.out_tiles, .cols = Kp, .depth = geo.depth, .a_row = geo.Cp, .a_col = 1, .ldb = Kp,
               .ldc = Kp};
  if (wide) {
    gs.row_group = geo.out_tiles;
    gs.a_row_group = sample_v;
    gs.b_packed = true;
  }
  for (index_t n0 = 0; n0 < s.B; n0 += group) {
    const index_t count = std::min(group, s.B - n0);
    float* v = sc.v.data() + (keep ? n0 * sample_v : 0);
    detail::winograd_inputs(in, n0, count, s, v, v_stride, sc);
    if (!wide) {
      detail::winograd_products(in, s, Kp, v, v_stride, sc, sc.m.data());
    } else {  // every tile over every group: the packed path's blocks need whole rows
      gs.rows = count * geo.out_tiles;
      for (index_t a = 0; a < t.alpha; ++a)
        small_gemm(static_cast<const float*>(v + a * v_stride),
                   static_cast<const float*>(sc.u.data() + a * geo.depth * Kp), sc.m.data() + a * m_stride,
                   static_cast<const float*>(nullptr), GemmInit::zero, gs);
    }
    for (index_t i = 0; i < count; ++i) {
      winograd_output(sc.m.data() + i * geo.out_tiles * Kp, m_stride, geo.out_tiles, geo.lo, Kp, t.at.data(),
                      sc.bias.data(), sc.y_pad.data());
      epilogue(n0 + i, static_cast<const float*>(sc.y_pad.data()));
    }
  }
  if (keep) sc.kept = {.x = in.x, .B = s.B, .L = s.L};
}

// The weight gradient the same way: dW[r j + jj][c][k] = sum over samples
// and rows t of x[t + r j + jj][c] g[t][k]. With the rows t in tiles of r
// and the taps in groups of r, tap group j of row tile i reads input tile
// i + j, and F(r, r) with the gradient's tile as the filter gives
//   dW group j = A^T [ sum_i (G g_i) . (B^T d_{i+j}) ]:
// per point a one GEMM, M[a][j Cp + c][k] = sum_i V[a][i + j][c] Gg[a][i][k],
// over every tile of every sample. Its A is V[a] read in place: row j Cp + c
// starts at V[a] + j Cp + c, the depth (tiles) Cp apart.
// winograd_weight_gradient adds samples n0 .. n0 + count of x (B, L, C) to
// the products (first: starts them), g their padded pre-activation
// gradients (count lo, Kp); it reads their input transform from the forward
// when that kept it (winograd_conv1d_samples). winograd_weight_gradient_finish
// turns the products into dw (W, C, K).
inline void winograd_weight_gradient(const float* x, const float* g, index_t n0, index_t count, const ConvShape& s,
                                     index_t Kp, bool first, WinogradScratch& sc) {
  const WinogradTransform& t = winograd_tiles();
  const WinogradGeometry geo(s);
  const index_t sample_v = geo.in_tiles * geo.Cp, g_stride = count * geo.out_tiles * Kp;
  const bool kept = sc.kept.is(x, s);
  const index_t v_stride = (kept ? s.B : count) * sample_v;
  grow_to(sc.gt, t.alpha * g_stride);
  grow_to(sc.mw, t.alpha * geo.depth * Kp);
  if (!kept) {
    sc.kept = {};  // v now holds these samples only
    grow_to(sc.v, t.alpha * v_stride);
    detail::winograd_inputs(WinogradInput::dense(x, s), n0, count, s, sc.v.data(), v_stride, sc);
  }
  const float* v = sc.v.data() + (kept ? n0 * sample_v : 0);
  for (index_t i = 0; i < count; ++i)
    winograd_filter(g + i * geo.lo * Kp, geo.lo, geo.out_tiles, Kp, t.g_float.data(),
                    sc.gt.data() + i * geo.out_tiles * Kp, g_stride);
  GemmShape gs{.rows = geo.depth, .cols = Kp, .depth = count * geo.out_tiles, .a_row = 1, .a_col = geo.Cp,
               .ldb = Kp, .ldc = Kp};
  if (count > 1) {
    gs.depth_group = geo.out_tiles;
    gs.a_depth_group = sample_v;
  }
  for (index_t a = 0; a < t.alpha; ++a)
    small_gemm(v + a * v_stride,
               static_cast<const float*>(sc.gt.data() + a * g_stride), sc.mw.data() + a * geo.depth * Kp,
               static_cast<const float*>(nullptr), first ? GemmInit::zero : GemmInit::accumulate, gs);
}

inline void winograd_weight_gradient_finish(const ConvShape& s, index_t Kp, const WinogradScratch& sc, float* dw) {
  const WinogradTransform& t = winograd_tiles();
  const WinogradGeometry geo(s);
  for (index_t tap = 0; tap < s.W; ++tap) {
    const index_t j = tap / t.r, jj = tap % t.r;
    for (index_t c = 0; c < s.C; ++c) {
      float* out = dw + (tap * s.C + c) * s.K;
      std::fill_n(out, s.K, 0.f);
      for (index_t a = 0; a < t.alpha; ++a) {
        const float f = t.at[to_size(jj * t.alpha + a)];
        const float* row = sc.mw.data() + (a * geo.depth + j * geo.Cp + c) * Kp;
        for (index_t k = 0; k < s.K; ++k) out[k] += f * row[k];
      }
    }
  }
}

}  // namespace sster::kernels
