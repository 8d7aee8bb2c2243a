#pragma once
// What LSTM and GRU share: the dropout masks, the input projection of all
// time steps, the recurrent products of one step, and the parameter and input
// gradients after backpropagation through time. The cell updates and the row
// product are in nn/kernels/recurrent.hpp.
//
// Shapes (B batch, L length, C inputs, H units, N = gates * H):
//   x (B, L, C)   kernel W (C, N)   recurrent kernel U (H, N)   bias (N)
// Forward computes Z = bias + mask_in(x) W for all B*L rows at once, then
// steps through time adding mask_rec(h_prev) U for one time step at a time.
//
// Dropout (Keras `dropout`, `recurrent_dropout`): masks per sample and
// feature, drawn once per call and shared by every time step (variational
// dropout). per_gate_masks (the default) draws one input and one recurrent
// mask per gate, as Keras 2.2's default implementation=1 that pysster runs;
// without it every gate shares one of each (Keras' implementation=2), so the
// input projection of all gates is one product instead of one per gate. The
// mask of gate g, feature e (of n) of sample b is keyed like Dropout's,
// (seed, Purpose::dropout, id, step, first_sample + b), with counter
// (stream << 32) + g * n + e where stream is 0/1 for the input/recurrent
// masks of a forward layer and 2/3 for a reversed one, so the two halves of a
// Bidirectional draw different masks; a shared mask is gate 0's. Give every
// dropout-using layer its own id. Without dropout (and at inference) both
// kinds run the same single-product path.
#include <Eigen/Core>
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "sster/core/eigen.hpp"
#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/random.hpp"
#include "sster/core/simd.hpp"
#include "sster/nn/kernels/recurrent.hpp"
#include "sster/nn/kernels/small_gemm.hpp"
#include "sster/nn/layer.hpp"

namespace sster {

namespace detail {

// Fills mask (B, masks, n) with 0 or 1/(1-rate); see the header comment for the key.
template <class T>
void draw_recurrent_mask(const Context& ctx, std::uint64_t id, std::uint64_t stream, double rate, index_t B, index_t n,
                         std::vector<T>& mask, index_t masks = 1) {
  mask.resize(to_size(B * masks * n));
  const T scale = static_cast<T>(1.0 / (1.0 - rate));
  const float r = static_cast<float>(rate);
  for (index_t b = 0; b < B; ++b) {
    const auto key =
        RandomKey(ctx.seed, Purpose::dropout).with({id, ctx.step, static_cast<std::uint64_t>(ctx.first_sample + b)});
    for (index_t e = 0; e < masks * n; ++e)
      at(mask, b * masks * n + e) =
          key.uniform_float((stream << 32) + static_cast<std::uint64_t>(e)) >= r ? scale : T{0};
  }
}

// The checks of output_shape, shared by LSTM and GRU. Messages are built only
// on failure: Bidirectional asks for the shape on every forward call.
template <class Cfg>
Shape recurrent_output_shape(const Cfg& cfg, const char* name, Shape in) {
  auto fail = [&](const std::string& what) { throw Error(std::string(name) + ": " + what); };
  if (cfg.units < 1) fail("expected at least 1 unit, got " + std::to_string(cfg.units));
  if (in.C != cfg.inputs)
    fail("expected " + std::to_string(cfg.inputs) + " input channels, got " + std::to_string(in.C));
  if (in.L < 1) fail("expected a sequence of at least 1 position");
  if (!(cfg.dropout >= 0 && cfg.dropout < 1)) fail("dropout must be in [0, 1), got " + std::to_string(cfg.dropout));
  if (!(cfg.recurrent_dropout >= 0 && cfg.recurrent_dropout < 1))
    fail("recurrent_dropout must be in [0, 1), got " + std::to_string(cfg.recurrent_dropout));
  return {in.B, cfg.return_sequences ? in.L : 1, cfg.units};
}

// Views of a recurrent layer's parameters in the model's flat buffers:
// kernel W (C, N), recurrent kernel U (H, N) and bias (N) in this order, and
// their gradients likewise.
template <class T>
struct RecurrentWeights {
  T* w = nullptr;
  T* u = nullptr;
  T* b = nullptr;
  T* dw = nullptr;
  T* du = nullptr;
  T* db = nullptr;

  void bind(T* values, T* grads, index_t C, index_t H, index_t gates) {
    const index_t nw = C * gates * H, nu = H * gates * H;
    w = values;
    u = values + nw;
    b = values + nw + nu;
    dw = grads;
    du = grads + nw;
    db = grads + nw + nu;
  }
};

// Buffers and steps common to the recurrent layers. Internal: the layers
// use the members directly. Gi and Gr count the input and the recurrent
// masks: the gates with per-gate masks and that dropout on, else 1. Block g
// of xm and of hprev is the input / previous state under mask g.
template <class T>
struct RecurrentCore {
  index_t B = 0, L = 0, C = 0, H = 0, N = 0;  // N = gates * H
  index_t Gi = 1, Gr = 1;                     // input / recurrent masks
  bool reverse = false;                       // steps run from position L-1 down to 0
  bool input_dropout = false, recurrent_dropout = false;
  std::vector<T> input_mask;      // (B, Gi, C): 0 or 1/(1-rate)
  std::vector<T> recurrent_mask;  // (B, Gr, H)
  Tensor<T> xm;                   // (B, L, Gi C): x times each input mask (only with input dropout)
  Tensor<T> z;                    // (B, L, N): gate pre-activations; the cells overwrite them with gate values
  Tensor<T> hprev;                // (B, L, Gr H): state entering step t times each recurrent mask; 0 at the first step
  Tensor<T> h;                    // (B, L, H): state leaving step t
  Tensor<T> dz;                   // (B, L, N): loss gradient at the pre-activations
  Tensor<T> dh;                   // (B, 1, H): loss gradient at the state entering the current step
  Tensor<T> ut;                   // (1, N, H): the recurrent kernel transposed

  // Position read at step s.
  index_t time(index_t s) const { return reverse ? L - 1 - s : s; }
  // Row (b, t) of a (B, L, ·) buffer.
  T* row(Tensor<T>& a, index_t b, index_t t) const { return a.data() + (b * L + t) * a.shape().C; }
  const T* row(const Tensor<T>& a, index_t b, index_t t) const { return a.data() + (b * L + t) * a.shape().C; }
  const T* input(const Tensor<T>& x) const { return input_dropout ? xm.data() : x.data(); }
  // The recurrent mask block that gate g's product reads.
  index_t recurrent_block(index_t gate) const { return Gr == 1 ? 0 : gate; }
  // h_{t-1} under the recurrent mask of gate g, sample b.
  const T* prev(index_t b, index_t t, index_t gate) const { return row(hprev, b, t) + recurrent_block(gate) * H; }

  // Sizes the buffers, draws the masks and computes z = bias + mask_in(x) W.
  template <class Cfg>
  void begin_forward(const Cfg& cfg, index_t gates, const Tensor<T>& x, const T* w, const T* bias, const Context& ctx) {
    B = x.shape().B;
    L = x.shape().L;
    C = cfg.inputs;
    H = cfg.units;
    N = gates * H;
    reverse = cfg.reverse;
    const std::uint64_t stream = reverse ? 2 : 0;
    input_dropout = ctx.training && cfg.dropout > 0;
    recurrent_dropout = ctx.training && cfg.recurrent_dropout > 0;
    Gi = input_dropout && cfg.per_gate_masks ? gates : 1;
    Gr = recurrent_dropout && cfg.per_gate_masks ? gates : 1;
    if (input_dropout) {
      draw_recurrent_mask(ctx, cfg.id, stream, cfg.dropout, B, C, input_mask, Gi);
      xm.resize({B, L, Gi * C});
      for (index_t b = 0; b < B; ++b)
        for (index_t t = 0; t < L; ++t) {
          const T* xr = row(x, b, t);
          T* o = row(xm, b, t);
          for (index_t g = 0; g < Gi; ++g) {
            const T* m = input_mask.data() + (b * Gi + g) * C;
            for (index_t c = 0; c < C; ++c) o[g * C + c] = xr[c] * m[c];
          }
        }
    }
    if (recurrent_dropout)
      draw_recurrent_mask(ctx, cfg.id, stream + 1, cfg.recurrent_dropout, B, H, recurrent_mask, Gr);
    z.resize({B, L, N});
    hprev.resize({B, L, Gr * H});
    h.resize({B, L, H});
    // One product for all gates, or one per gate, each from its masked input.
    const index_t cols = Gi == 1 ? N : H;
    for (index_t g = 0; g < Gi; ++g)
      kernels::small_gemm(input(x) + g * C, w + g * cols, z.data() + g * cols, bias + g * cols, kernels::GemmInit::row,
                          {.rows = B * L, .cols = cols, .depth = C, .a_row = Gi * C, .a_col = 1, .ldb = N, .ldc = N});
  }

  // hprev[:, time(s)] = h[:, time(s-1)] times each recurrent mask, or 0 at s == 0.
  void load_prev(index_t s) {
    const index_t t = time(s);
    for (index_t b = 0; b < B; ++b) {
      T* dst = row(hprev, b, t);
      if (s == 0) {
        std::fill_n(dst, Gr * H, T{0});
        continue;
      }
      const T* src = row(h, b, time(s - 1));
      if (!recurrent_dropout) {
        std::copy_n(src, H, dst);
        continue;
      }
      const T* m = recurrent_mask.data() + b * Gr * H;
      for (index_t g = 0; g < Gr; ++g)
        for (index_t j = 0; j < H; ++j) dst[g * H + j] = src[j] * m[g * H + j];
    }
  }

  // z[:, t, col:col+n] += a[:, t, a_col:a_col+H] (B, H) * u[:, col:col+n]; u is (H, N).
  void recurrent_product(const Tensor<T>& a, index_t a_col, index_t t, const T* u, index_t col, index_t n) {
    const index_t A = a.shape().C;
    kernels::small_gemm(a.data() + t * A + a_col, u + col, z.data() + t * N + col, static_cast<const T*>(nullptr),
                        kernels::GemmInit::accumulate,
                        {.rows = B, .cols = n, .depth = H, .a_row = L * A, .a_col = 1, .ldb = N, .ldc = L * N});
  }
  // The recurrent products of gates [g0, g1) at position t, each from the
  // previous state under its mask: one product when the masks are shared.
  void recurrent_products(index_t t, const T* u, index_t g0, index_t g1) {
    if (Gr == 1) {
      recurrent_product(hprev, 0, t, u, g0 * H, (g1 - g0) * H);
      return;
    }
    for (index_t g = g0; g < g1; ++g) recurrent_product(hprev, g * H, t, u, g * H, H);
  }

  // y: (B, L, H) with return_sequences, else (B, 1, H) holding the last step's state.
  void write_output(Tensor<T>& y, bool return_sequences) const {
    if (return_sequences) {
      std::copy_n(h.data(), h.size(), y.data());
      return;
    }
    for (index_t b = 0; b < B; ++b) std::copy_n(row(h, b, time(L - 1)), H, y.data() + b * H);
  }

  // u: the recurrent kernel (H, N), kept transposed for the steps' products.
  void begin_backward(const T* u) {
    dz.resize({B, L, N});
    dh.resize({B, 1, H});
    dh.fill(T{0});
    ut.resize({1, N, H});
    matrix(ut.data(), N, H) = matrix(u, H, N).transpose();
  }
  // dh += the share of grad_out at step s.
  void add_output_grad(const Tensor<T>& grad_out, bool return_sequences, index_t s) {
    if (return_sequences) {
      for (index_t b = 0; b < B; ++b) simd::add(H, row(grad_out, b, time(s)), dh.data() + b * H);
    } else if (s == L - 1) {
      simd::add(B * H, grad_out.data(), dh.data());
    }
  }
  // out (B, H) = (or +=) dz[:, t, col:col+n] * u[:, col:col+n]^T, one small
  // product per step: small_gemm beats Eigen's GEMM (2x) at these sizes.
  void recurrent_grad(index_t t, index_t col, index_t n, T* out, bool accumulate) const {
    kernels::small_gemm(dz.data() + t * N + col, ut.data() + col * H, out, static_cast<const T*>(nullptr),
                        accumulate ? kernels::GemmInit::accumulate : kernels::GemmInit::zero,
                        {.rows = B, .cols = H, .depth = n, .a_row = L * N, .a_col = 1, .ldb = H, .ldc = H});
  }
  // dh += g (B, H) times recurrent mask `block`.
  void add_masked(const T* g, index_t block = 0) {
    if (!recurrent_dropout) {
      simd::add(B * H, g, dh.data());
      return;
    }
    for (index_t b = 0; b < B; ++b) {
      const T* m = recurrent_mask.data() + (b * Gr + block) * H;
      for (index_t j = 0; j < H; ++j) dh[b * H + j] += g[b * H + j] * m[j];
    }
  }
  // dh += the gradient reaching h_{t-1} through the recurrent products of
  // gates [g0, g1), each times its mask. buf (B, H) is scratch, or, when
  // pending_gate >= 0, holds a gradient at the state under that gate's mask
  // that is added too. Shared masks: one product, one masking.
  void add_recurrent_grads(index_t t, index_t g0, index_t g1, T* buf, index_t pending_gate = -1) {
    if (Gr == 1) {
      recurrent_grad(t, g0 * H, (g1 - g0) * H, buf, pending_gate >= 0);
      add_masked(buf);
      return;
    }
    if (pending_gate >= 0) add_masked(buf, pending_gate);
    for (index_t g = g0; g < g1; ++g) {
      recurrent_grad(t, g * H, H, buf, false);
      add_masked(buf, g);
    }
  }
  // du[:, col:col+n] = a^T (H, B*L) * dz[:, col:col+n], a the H columns from
  // a_col of one of the (B, L, ·) buffers.
  void recurrent_kernel_grad(const Tensor<T>& a, index_t a_col, index_t col, index_t n, T* du) const {
    transposed_product(a.data() + a_col, a.shape().C, H, col, n, du);
  }
  // The recurrent kernel gradient of gates [g0, g1) from the masked states.
  void recurrent_kernel_grads(index_t g0, index_t g1, T* du) const {
    if (Gr == 1) {
      recurrent_kernel_grad(hprev, 0, g0 * H, (g1 - g0) * H, du);
      return;
    }
    for (index_t g = g0; g < g1; ++g) recurrent_kernel_grad(hprev, g * H, g * H, H, du);
  }
  // Kernel, bias and input gradients from dz.
  void input_grads(const Tensor<T>& x, const T* w, T* dw, T* db, Tensor<T>& grad_in) {
    std::fill_n(db, N, T{0});  // row by row: 4x faster than Eigen's colwise().sum() on row-major data
    for (index_t r = 0; r < B * L; ++r) simd::add(N, dz.data() + r * N, db);
    wt_.resize({1, N, C});  // small_gemm reads B by rows: W^T's rows are W's columns
    matrix(wt_.data(), N, C) = matrix(w, C, N).transpose();
    if (Gi == 1) {
      transposed_product(input(x), C, C, 0, N, dw);
      gate_input_grad(0, N, grad_in.data());
      if (!input_dropout) return;
      for (index_t b = 0; b < B; ++b)
        for (index_t t = 0; t < L; ++t) {
          const T* m = input_mask.data() + b * C;
          T* g = grad_in.data() + (b * L + t) * C;
          for (index_t c = 0; c < C; ++c) g[c] *= m[c];
        }
      return;
    }
    // Per gate: dW_g = xm_g^T dz_g; grad_in = sum over g of (dz_g W_g^T) times mask g.
    gate_grad_.resize(grad_in.shape());
    grad_in.fill(T{0});
    for (index_t g = 0; g < Gi; ++g) {
      transposed_product(xm.data() + g * C, Gi * C, C, g * H, H, dw);
      gate_input_grad(g * H, H, gate_grad_.data());
      for (index_t b = 0; b < B; ++b) {
        const T* m = input_mask.data() + (b * Gi + g) * C;
        for (index_t t = 0; t < L; ++t) {
          const T* src = gate_grad_.data() + (b * L + t) * C;
          T* o = grad_in.data() + (b * L + t) * C;
          for (index_t c = 0; c < C; ++c) o[c] += src[c] * m[c];
        }
      }
    }
  }

 private:
  // out[:, col:col+n] (rows, N) = a^T dz[:, col:col+n]: a weight gradient
  // summed over the B*L steps; a holds `rows` values a step, `stride` apart.
  void transposed_product(const T* a, index_t stride, index_t rows, index_t col, index_t n, T* out) const {
    kernels::small_gemm(a, dz.data() + col, out + col, static_cast<const T*>(nullptr), kernels::GemmInit::zero,
                        {.rows = rows, .cols = n, .depth = B * L, .a_row = 1, .a_col = stride, .ldb = N, .ldc = N});
  }
  // out (B*L, C) = dz[:, col:col+n] W[:, col:col+n]^T, W^T held in wt_.
  void gate_input_grad(index_t col, index_t n, T* out) const {
    kernels::small_gemm(dz.data() + col, wt_.data() + col * C, out, static_cast<const T*>(nullptr),
                        kernels::GemmInit::zero,
                        {.rows = B * L, .cols = C, .depth = n, .a_row = N, .a_col = 1, .ldb = C, .ldc = C});
  }

  Tensor<T> wt_;         // (N, C): the input kernel transposed
  Tensor<T> gate_grad_;  // (B, L, C): one gate's share of the input gradient
};

}  // namespace detail
}  // namespace sster
