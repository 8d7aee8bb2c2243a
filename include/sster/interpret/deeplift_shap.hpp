#pragma once
// DeepLIFT-SHAP (Lundberg and Lee 2017; DeepLIFT: Shrikumar et al. 2017) on
// networks of convolutions and dense layers (interpret/feed_forward.hpp), as
// tangermeme's deep_lift_shap computes it:
//   references  `references` dinucleotide shuffles of each sequence
//               (interpret/shuffle.hpp), keyed by (seed, record, reference)
//   multipliers one backward pass per (sequence, reference) pair, the rescale
//               rule replacing each nonlinearity's derivative:
//     ReLU      m_in = m_out * (relu(z) - relu(z_ref)) / (z - z_ref), or the
//               derivative at z where |z - z_ref| < 1e-6
//     max-pool  the change of each pooled value, y - y_ref, is split at
//               max(y, y_ref): the part above y_ref goes to the winner of the
//               sequence's window, the rest (y - max) to the winner of the
//               reference's window (Captum's and tangermeme's rule); each
//               input's multiplier is its share over its own change, or the
//               gradient through the sequence's winner where that change is
//               exactly 0. Where both windows have the same winner this is
//               the gradient through the argmax, scaled to the change.
//               DeepLIFT's original "gradient" mode (the unscaled gradient
//               through the argmax) would break summation-to-delta.
//     target    the mean gradient of the target function on the straight line
//               between the reference's and the sequence's logits
//               (AttributionTarget::path_gradient): 1 for a logit; for one
//               probability the secant, DeepLIFT's rescale rule.
//     conv, dense: linear, their transposed weights; dropout: the identity.
//   hypothetical contributions of each pair, H[t, a] = m[t, a] - m[t, ref_t],
//   averaged over the references. Actual contributions H[t, x_t] sum to
//   output - mean reference output (summation-to-delta; tests: 1e-4).
// Sequences run in parallel, one task each; the result does not depend on
// the thread count.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"
#include "sster/core/random.hpp"
#include "sster/interpret/attribution_target.hpp"
#include "sster/interpret/attributions.hpp"
#include "sster/interpret/feed_forward.hpp"
#include "sster/interpret/gradients.hpp"
#include "sster/interpret/shuffle.hpp"
#include "sster/model/model.hpp"
#include "sster/nn/kernels/small_gemm.hpp"

namespace sster {

struct DeepLiftOptions {
  index_t references = 20;  // dinucleotide shuffles per sequence
  std::uint64_t seed = 1;   // keys the shuffles: RandomKey(seed, Purpose::dinucleotide_shuffle).with({record, r})
};

// The references of record `record` (its index among the sequences explained): (R, L).
inline std::vector<std::uint8_t> deeplift_references(std::span<const std::uint8_t> sequence, index_t record,
                                                     const DeepLiftOptions& o) {
  const index_t L = ssize(sequence);
  std::vector<std::uint8_t> refs(to_size(o.references * L));
  for (index_t r = 0; r < o.references; ++r)
    dinucleotide_shuffle(sequence, std::span<std::uint8_t>(refs.data() + r * L, to_size(L)),
                         RandomKey(o.seed, Purpose::dinucleotide_shuffle)
                             .with({static_cast<std::uint64_t>(record), static_cast<std::uint64_t>(r)}));
  return refs;
}

namespace detail {

// The rescale rule's multiplier of an activation between z_ref and z.
inline float rescale(float z, float z_ref, bool relu) {
  if (!relu) return 1.0f;
  const float dz = z - z_ref;
  if (std::abs(dz) < 1e-6f) return z > 0 ? 1.0f : 0.0f;
  return (std::max(z, 0.0f) - std::max(z_ref, 0.0f)) / dz;
}

// One sequence and its references through the view, and the backward pass
// of every pair: the multipliers with respect to the one-hot input.
class DeepLiftRun {
 public:
  DeepLiftRun(const FeedForward& ff, const AttributionTarget& target) : ff_(ff), target_(target) {
    for (const ConvStage& s : ff.convs()) {  // (W*K, C): w[W-1-j', c, k] at row j'*K + k
      std::vector<float> f(to_size(s.W * s.K * s.C));
      for (index_t j = 0; j < s.W; ++j)
        for (index_t c = 0; c < s.C; ++c)
          for (index_t k = 0; k < s.K; ++k) at(f, ((s.W - 1 - j) * s.K + k) * s.C + c) = s.w[(j * s.C + c) * s.K + k];
      flipped_.push_back(std::move(f));
    }
    for (const DenseStage& d : ff.dense()) {  // (units, inputs)
      std::vector<float> t(to_size(d.units * d.inputs));
      for (index_t i = 0; i < d.inputs; ++i)
        for (index_t u = 0; u < d.units; ++u) at(t, u * d.inputs + i) = d.w[i * d.units + u];
      transposed_.push_back(std::move(t));
    }
  }

  // symbols (1 + R, L): the sequence, then its references. Adds each pair's
  // hypothetical contributions / R to h (L, A); returns the sequence's
  // target and the references' mean target.
  std::pair<double, double> run(const std::uint8_t* symbols, index_t R, float* h) {
    const index_t L = ff_.length(), A = ff_.letters(), K = ff_.classes();
    ff_.forward(symbols, 1 + R, pass_);
    const float* logits = pass_.logits().data();
    const double y = target_.value(logits, K);
    double ref_sum = 0;
    std::vector<float> m(to_size(L * A));
    for (index_t r = 1; r <= R; ++r) {
      ref_sum += target_.value(logits + r * K, K);
      multipliers(r, m.data());
      const std::uint8_t* ref = symbols + r * L;
      for (index_t t = 0; t < L; ++t) {
        const float own = m[to_size(t * A + ref[t])];
        for (index_t a = 0; a < A; ++a) h[t * A + a] += (m[to_size(t * A + a)] - own) / static_cast<float>(R);
      }
    }
    return {y, ref_sum / static_cast<double>(R)};
  }

 private:
  // Multipliers (L, A) of the pair (sample 0, sample r) of the last forward.
  void multipliers(index_t r, float* out) {
    const auto& dense = ff_.dense();
    const index_t K = ff_.classes();
    // At the logits.
    std::vector<float> m(to_size(K));
    target_.path_gradient(pass_.logits().data() + r * K, pass_.logits().data(), K, m.data());
    for (std::size_t j = dense.size(); j-- > 0;) {
      const DenseStage& d = dense[j];
      const float* z = pass_.dense_pre[j].data();
      for (index_t u = 0; u < d.units; ++u) at(m, u) *= rescale(z[u], z[r * d.units + u], d.relu);
      std::vector<float> in(to_size(d.inputs));
      kernels::small_gemm<float>(m.data(), transposed_[j].data(), in.data(), nullptr, kernels::GemmInit::zero,
                          {.rows = 1, .cols = d.inputs, .depth = d.units, .a_row = d.units, .a_col = 1,
                           .ldb = d.inputs, .ldc = d.inputs});
      m = std::move(in);
    }
    for (std::size_t i = ff_.convs().size(); i-- > 0;) m = conv_stage(i, r, m);
    std::copy(m.begin(), m.end(), out);
  }

  // Stage i's input multipliers from those at its pooled output (out_len, K).
  std::vector<float> conv_stage(std::size_t i, index_t r, const std::vector<float>& m_out) {
    const ConvStage& s = ff_.convs()[i];
    const index_t lo = s.conv_len(), lp = s.out_len(), K = s.K;
    const float* z = pass_.pre[i].data();
    const float* zr = z + r * lo * K;
    const float* y = pass_.pooled[i].data();
    const float* yr = y + r * lp * K;
    const std::int32_t* win = pass_.winner[i].data();
    const std::int32_t* win_r = win + r * lp * K;
    // The pooled changes routed to the winners, and the plain gradient.
    share_.assign(to_size(lo * K), 0.0f);
    grad_.assign(to_size(lo * K), 0.0f);
    for (index_t e = 0; e < lp * K; ++e) {
      const index_t k = e % K;
      const float mu = m_out[to_size(e)], top = std::max(y[e], yr[e]);
      at(share_, win[e] * K + k) += mu * (top - yr[e]);
      at(share_, win_r[e] * K + k) += mu * (y[e] - top);
      at(grad_, win[e] * K + k) += mu;
    }
    // Through the activation, to the convolution's output (before it).
    // Padded by W-1 zero rows on both sides for the input pass below.
    const index_t W = s.W, rows = lo + 2 * (W - 1);
    padded_.assign(to_size(rows * K), 0.0f);
    for (index_t e = 0; e < lo * K; ++e) {
      const float h = FeedForward::activate(s, z[e]), hr = FeedForward::activate(s, zr[e]), dh = h - hr;
      const float m_h = dh != 0.0f ? at(share_, e) / dh : at(grad_, e);
      at(padded_, (W - 1) * K + e) = m_h * rescale(z[e], zr[e], s.relu);
    }
    // m_in[t] = sum_j w[j] m_z[t - j]: the padded multipliers' windows
    // against the flipped kernel.
    std::vector<float> m_in(to_size(s.in_len * s.C));
    kernels::small_gemm<float>(padded_.data(), flipped_[i].data(), m_in.data(), nullptr, kernels::GemmInit::zero,
                        {.rows = s.in_len, .cols = s.C, .depth = W * K, .a_row = K, .a_col = 1, .ldb = s.C, .ldc = s.C});
    return m_in;
  }

  const FeedForward& ff_;
  AttributionTarget target_;
  std::vector<std::vector<float>> flipped_;     // per conv stage: (W*K, C)
  std::vector<std::vector<float>> transposed_;  // per dense stage: (units, inputs)
  FeedForwardPass pass_;
  std::vector<float> share_, grad_, padded_;
};

}  // namespace detail

// DeepLIFT-SHAP attributions of n sequences (n, L) of symbols.
inline Attributions deeplift_shap(Model& model, std::span<const std::uint8_t> symbols, index_t n,
                                  const AttributionTarget& target, const DeepLiftOptions& o = {}) {
  detail::check_symbols(model, symbols, n);
  target.check(model.info().classes());
  require(o.references >= 1, "DeepLIFT-SHAP: at least one reference per sequence, got " + std::to_string(o.references));
  const FeedForward ff(model.network());
  Attributions r = detail::start_attributions(AttributionMethod::deeplift_shap, model, symbols, n);
  const index_t L = r.length, A = r.letters;
  std::fill(r.hypothetical.begin(), r.hypothetical.end(), 0.0f);
  parallel_for_each_index(n, [&](index_t i) {
    const auto x = symbols.subspan(to_size(i * L), to_size(L));
    std::vector<std::uint8_t> batch(x.begin(), x.end());
    const auto refs = deeplift_references(x, i, o);
    batch.insert(batch.end(), refs.begin(), refs.end());
    detail::DeepLiftRun run(ff, target);
    const auto [y, ref] = run.run(batch.data(), o.references, r.hypothetical.data() + i * L * A);
    at(r.output, i) = y;
    at(r.reference, i) = ref;
  });
  return r;
}

}  // namespace sster
