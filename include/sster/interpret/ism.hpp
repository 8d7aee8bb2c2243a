#pragma once
// In-silico saturation mutagenesis (ISM): for every position and every other
// letter, the change of the target (interpret/attribution_target.hpp) when
// that one letter is substituted: deltas (n, L, A), 0 at each sequence's own
// letter, and each sequence's own output.
//   ism_ref  the specification: the network run on every variant, L (A - 1)
//            of them per sequence, in batches; works for any network.
//   ism      exact and fast for networks of convolutions and dense layers
//            (interpret/feed_forward.hpp; any other network goes to ism_ref).
//            fastISM's idea (Nair et al., Bioinformatics 2022): a substitution
//            at q changes the first convolution only at rows q-W+1..q, by the
//            difference of two weight rows; only those rows go through the
//            activation and the pooling; only the pooled values that changed
//            go into the next convolution, as a change (the convolution is
//            linear, and a change that is exactly 0, a unit silent before and
//            after, costs nothing); and the first dense layer adds its rows
//            for the changed features to the sequence's own values. The rest
//            of the dense stack is small and runs whole.
// ism equals ism_ref up to the order of float sums (tests: 1e-5 on random
// networks of every supported shape). Sequences, and blocks of positions of
// a sequence, run in parallel; every delta is computed the same way whatever
// the split, so the result does not depend on the thread count.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

#include "sster/core/aligned.hpp"
#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"
#include "sster/interpret/attribution_target.hpp"
#include "sster/interpret/feed_forward.hpp"
#include "sster/interpret/ism_kernels.hpp"
#include "sster/model/model.hpp"

namespace sster {

struct IsmResult {
  index_t n = 0, length = 0, letters = 0;
  std::vector<float> deltas;   // (n, L, A): target(variant) - target(sequence)
  std::vector<double> output;  // (n): target(sequence)
};

namespace detail {

inline void check_symbols(const Model& model, std::span<const std::uint8_t> symbols, index_t n) {
  const index_t L = model.info().length, A = model.info().alphabet.size();
  require(n >= 0 && ssize(symbols) == n * L, "attribution: expected " + std::to_string(n) + " sequences of length " +
                                                 std::to_string(L) + " (" + std::to_string(n * L) + " symbols), got " +
                                                 std::to_string(symbols.size()) + " symbols");
  for (std::uint8_t s : symbols)
    require(s < A, "attribution: symbol " + std::to_string(s) + " is not a letter of the model's alphabet (" +
                       std::to_string(A) + " letters)");
}

// The target's value for B samples of symbols (B, L), through the network's
// own forward on the engine's replicas, in parallel.
inline void target_values(Model& model, const std::uint8_t* symbols, index_t B, const AttributionTarget& target,
                          double* out) {
  auto& engine = model.engine();
  const index_t L = model.info().length, K = model.info().classes();
  engine.for_each_chunk(B, [&](std::size_t replica, index_t begin, index_t end) {
    Context ctx;
    const Tensor<float>& logits =
        engine.network(replica).forward(InputBatch<float>{.B = end - begin, .symbols = symbols + begin * L}, ctx);
    for (index_t s = 0; s < end - begin; ++s) out[begin + s] = target.value(logits.sample(s), K);
  });
}

// The nonzero entries of a change matrix (rows, cols; `ld` apart) as
// changes into out (room for rows * cols); returns how many. For a conv
// stage (feature false) channel by channel, so one channel's taps stay in
// L1; for a dense layer (feature true) row by row, c numbering the
// flattened feature r * cols + c. Branch-free: about half the entries are
// 0, in no pattern a branch predictor could learn (the branching loop took
// a quarter of fast ISM's time in a profile).
inline index_t collect_changes(const float* m, index_t r0, index_t rows, index_t cols, index_t ld, bool feature,
                               InputChange* out) {
  index_t n = 0;
  auto take = [&](index_t r, index_t c) {
    const float d = m[r * ld + c];
    const index_t row = r0 + r;
    out[n] = {static_cast<std::int32_t>(row), static_cast<std::int32_t>(feature ? row * cols + c : c), d};
    n += d != 0.0f;
  };
  if (feature) {
    for (index_t r = 0; r < rows; ++r)
      for (index_t c = 0; c < cols; ++c) take(r, c);
  } else {
    for (index_t c = 0; c < cols; ++c)
      for (index_t r = 0; r < rows; ++r) take(r, c);
  }
  return n;
}

// The weights fast ISM reads, copied once with every row padded to
// ism_row_floats (zeros after the K real columns), and each channel's taps
// together with max_block_rows - 1 zero taps on both sides (conv_change_rows
// reads them instead of testing which rows a change reaches).
struct FastIsmWeights {
  static constexpr index_t pad = max_block_rows - 1;
  const FeedForward* ff = nullptr;
  std::vector<index_t> Kp;                  // conv stage i: padded kernel count
  std::vector<AlignedVector<float>> conv;   // conv stage i: (C, pad + W + pad, Kp)
  index_t Up = 0;                           // dense 0: padded unit count
  AlignedVector<float> dense0;              // (inputs, Up)

  explicit FastIsmWeights(const FeedForward& f) : ff(&f) {
    for (const ConvStage& s : f.convs()) {
      const index_t kp = ism_padded(s.K);
      Kp.push_back(kp);
      AlignedVector<float> w(to_size(s.C * taps(s) * kp), 0.0f);
      for (index_t j = 0; j < s.W; ++j)
        for (index_t c = 0; c < s.C; ++c)
          std::copy_n(s.w + (j * s.C + c) * s.K, s.K, w.data() + (c * taps(s) + pad + j) * kp);
      conv.push_back(std::move(w));
    }
    const DenseStage& d = f.dense().front();
    Up = ism_padded(d.units);
    dense0.assign(to_size(d.inputs * Up), 0.0f);
    for (index_t r = 0; r < d.inputs; ++r) std::copy_n(d.w + r * d.units, d.units, dense0.data() + r * Up);
  }

  static index_t taps(const ConvStage& s) { return pad + s.W + pad; }
  // Tap j (0..W-1, or a zero tap down to -pad) of channel c of conv stage i.
  const float* tap(std::size_t i, index_t c, index_t j) const {
    const ConvStage& s = ff->convs()[i];
    return conv[i].data() + (c * taps(s) + pad + j) * Kp[i];
  }
};

// One sequence's values (padded rows) and the scratch of its variants: one
// per task, the weights shared.
class FastIsmRun {
 public:
  FastIsmRun(const FastIsmWeights& w, const AttributionTarget& target) : w_(w), ff_(*w.ff), target_(target) {
    const auto n = ff_.convs().size();
    pre_.resize(n);
    pooled_.resize(n);
    rows_.resize(n);
    change_.resize(n);
    const auto& dense = ff_.dense();
    a0_.resize(to_size(w.Up));
    a_.resize(to_size(w.Up));
    for (const auto& d : dense) units_.emplace_back(to_size(d.units));
  }

  // The sequence x (L symbols): its values at every stage; returns its target.
  double baseline(const std::uint8_t* x) {
    x_ = x;
    ff_.forward(x, 1, pass_);
    for (std::size_t i = 0; i < ff_.convs().size(); ++i) {
      const ConvStage& s = ff_.convs()[i];
      const index_t kp = w_.Kp[i];
      pad(pass_.pre[i], s.conv_len(), s.K, kp, pre_[i]);
      pad(pass_.pooled[i], s.out_len(), s.K, kp, pooled_[i]);
      rows_[i].resize(to_size(s.conv_len() * kp));
      change_[i].resize(to_size(s.out_len() * kp));
    }
    const DenseStage& d0 = ff_.dense().front();
    std::fill(a0_.begin(), a0_.end(), 0.0f);
    std::copy_n(pass_.dense_pre[0].data(), d0.units, a0_.data());
    std::copy(a0_.begin(), a0_.end(), a_.begin());
    return tail();
  }

  // The target of the sequence with letter c at position q.
  double variant(index_t q, std::uint8_t c) {
    const auto& convs = ff_.convs();
    std::copy(a0_.begin(), a0_.end(), a_.begin());
    if (convs.empty()) {  // the first dense layer reads the one-hot input
      const index_t A = ff_.letters();
      const float* plus = w_.dense0.data() + (q * A + c) * w_.Up;
      const float* minus = w_.dense0.data() + (q * A + x_[q]) * w_.Up;
      for (index_t u = 0; u < w_.Up; ++u) a_[to_size(u)] += plus[u] - minus[u];
      return tail();
    }
    Span changed = first_stage(q, c);
    for (std::size_t i = 1; i < convs.size() && changed.rows(); ++i) changed = next_stage(i, changed);
    if (changed.rows()) dense_change(changed);
    return tail();
  }

 private:
  struct Span {  // pooled rows [r0, r1] of a conv stage changed; their changes in change_[stage]
    index_t r0 = 0, r1 = -1;
    index_t rows() const { return r1 - r0 + 1; }
  };

  static void pad(const std::vector<float>& in, index_t rows, index_t K, index_t kp, AlignedVector<float>& out) {
    out.assign(to_size(rows * kp), 0.0f);
    for (index_t r = 0; r < rows; ++r) std::copy_n(in.data() + r * K, K, out.data() + r * kp);
  }

  // Stage 0: conv rows t0..t1 change by w[q-t, c] - w[q-t, x_q].
  Span first_stage(index_t q, std::uint8_t c) {
    const ConvStage& s = ff_.convs()[0];
    const index_t kp = w_.Kp[0], t0 = std::max<index_t>(0, q - s.W + 1), t1 = std::min(q, s.conv_len() - 1);
    float* rows = rows_[0].data();
    for (index_t t = t0; t <= t1; ++t) {
      const float* plus = w_.tap(0, c, q - t);
      const float* minus = w_.tap(0, x_[q], q - t);
      const float* base = pre_[0].data() + t * kp;
      float* row = rows + (t - t0) * kp;
      for (index_t k = 0; k < kp; ++k) row[k] = base[k] + (plus[k] - minus[k]);
    }
    return pool_change(0, t0, t1);
  }

  // Stage i > 0: its input changed at `in` (stage i-1's pooled rows); the
  // conv rows those reach change by the convolution of the change.
  Span next_stage(std::size_t i, Span in) {
    const ConvStage& s = ff_.convs()[i];
    const index_t kp = w_.Kp[i], cp = w_.Kp[i - 1];
    const index_t t0 = std::max<index_t>(0, in.r0 - s.W + 1), t1 = std::min(in.r1, s.conv_len() - 1);
    if (t0 > t1) return {};
    changes_.resize(to_size(in.rows() * s.C));
    const index_t count = collect_changes(change_[i - 1].data(), in.r0, in.rows(), s.C, cp, false, changes_.data());
    if (count == 0) return {};
    float* rows = rows_[i].data();  // conv rows t0..t1
    std::copy_n(pre_[i].data() + t0 * kp, (t1 - t0 + 1) * kp, rows);
    with_ism_kernels([&](auto k) {
      decltype(k)::conv_change(changes_.data(), count, t0, t1, s.W, w_.tap(i, 0, 0), FastIsmWeights::taps(s) * kp, kp,
                               rows);
    });
    return pool_change(i, t0, t1);
  }

  // The pooled rows of stage i whose windows meet conv rows t0..t1 (new
  // values in rows_[i]), recomputed; their changes into change_[i].
  Span pool_change(std::size_t i, index_t t0, index_t t1) {
    const ConvStage& s = ff_.convs()[i];
    const index_t kp = w_.Kp[i];
    const index_t u0 = std::max<index_t>(0, (t0 - s.pool_size + s.pool_stride) / s.pool_stride);
    const index_t u1 = std::min(s.out_len() - 1, t1 / s.pool_stride);
    if (u0 > u1) return {};
    const float* rows = rows_[i].data();
    const float* pre = pre_[i].data();
    const float* pooled = pooled_[i].data();
    float* change = change_[i].data();
    for (index_t u = u0; u <= u1; ++u) {
      float* d = change + (u - u0) * kp;
      const index_t first = u * s.pool_stride;
      for (index_t k = 0; k < kp; ++k) d[k] = -std::numeric_limits<float>::infinity();
      for (index_t r = first; r < first + s.pool_size; ++r) {
        const float* v = r >= t0 && r <= t1 ? rows + (r - t0) * kp : pre + r * kp;
        for (index_t k = 0; k < kp; ++k) d[k] = std::max(d[k], s.relu ? std::max(v[k], 0.0f) : v[k]);
      }
      for (index_t k = 0; k < kp; ++k) d[k] -= pooled[u * kp + k];
    }
    return {u0, u1};
  }

  // The first dense layer's pre-activations change by its rows for the
  // changed features of the last conv stage (flattened channels-last).
  void dense_change(Span in) {
    const std::size_t last = ff_.convs().size() - 1;
    const index_t K = ff_.convs()[last].K, kp = w_.Kp[last];
    changes_.resize(to_size(in.rows() * K));
    const index_t count = collect_changes(change_[last].data(), in.r0, in.rows(), K, kp, true, changes_.data());
    with_ism_kernels([&](auto k) { decltype(k)::dense_change(changes_.data(), count, w_.dense0.data(), w_.Up, a_.data()); });
  }

  // From the first dense layer's pre-activations a_ to the target.
  double tail() {
    const auto& dense = ff_.dense();
    const float* in = a_.data();
    for (std::size_t j = 0; j < dense.size(); ++j) {
      const DenseStage& d = dense[j];
      auto& out = units_[j];
      if (j == 0) {
        std::copy_n(in, d.units, out.data());
      } else {
        for (index_t u = 0; u < d.units; ++u) at(out, u) = d.b[u];
        for (index_t i = 0; i < d.inputs; ++i)
          if (in[i] != 0.0f)
            for (index_t u = 0; u < d.units; ++u) at(out, u) += in[i] * d.w[i * d.units + u];
      }
      if (d.relu)
        for (float& v : out) v = std::max(v, 0.0f);
      in = out.data();
    }
    return target_.value(units_.back().data(), ff_.classes());
  }

  const FastIsmWeights& w_;
  const FeedForward& ff_;
  AttributionTarget target_;
  const std::uint8_t* x_ = nullptr;
  FeedForwardPass pass_;
  std::vector<AlignedVector<float>> pre_, pooled_;  // per conv stage, padded rows of the sequence
  std::vector<AlignedVector<float>> rows_;          // per conv stage: the variant's changed conv rows
  std::vector<AlignedVector<float>> change_;        // per conv stage: the variant's changed pooled rows
  AlignedVector<float> a0_, a_;                     // first dense layer's pre-activations: sequence, variant
  std::vector<std::vector<float>> units_;           // per dense layer, the variant's outputs
  std::vector<InputChange> changes_;                // the nonzero changes entering a stage
};

// Blocks of positions per sequence: enough tasks to keep every thread busy
// when there are few sequences.
inline index_t position_blocks(index_t n, index_t L) {
  const index_t wanted = 4 * static_cast<index_t>(threads());
  return n >= wanted ? 1 : std::min(L, (wanted + n - 1) / n);
}

}  // namespace detail

// The specification: every variant through the network. Any network
// without additional or float inputs.
inline IsmResult ism_ref(Model& model, std::span<const std::uint8_t> symbols, index_t n,
                         const AttributionTarget& target) {
  detail::check_symbols(model, symbols, n);
  target.check(model.info().classes());
  require(model.info().extra == 0 && model.info().dense_channels == 0,
          "ISM: models with additional or position-wise inputs are not supported");
  const index_t L = model.info().length, A = model.info().alphabet.size();
  const index_t per = 1 + L * (A - 1);  // the sequence, then its variants position by position
  IsmResult r{n, L, A, std::vector<float>(to_size(n * L * A), 0.0f), std::vector<double>(to_size(n))};
  const index_t block = std::max<index_t>(1, 4096 / per);  // sequences per batch
  std::vector<std::uint8_t> variants;
  std::vector<double> values;
  for (index_t first = 0; first < n; first += block) {
    const index_t count = std::min(block, n - first);
    variants.resize(to_size(count * per * L));
    for (index_t i = 0; i < count; ++i) {
      const std::uint8_t* x = symbols.data() + (first + i) * L;
      std::uint8_t* v = variants.data() + i * per * L;
      std::copy_n(x, L, v);
      index_t next = 1;
      for (index_t q = 0; q < L; ++q)
        for (index_t c = 0; c < A; ++c) {
          if (c == x[q]) continue;
          std::uint8_t* row = v + next++ * L;
          std::copy_n(x, L, row);
          row[q] = static_cast<std::uint8_t>(c);
        }
    }
    values.resize(to_size(count * per));
    detail::target_values(model, variants.data(), count * per, target, values.data());
    for (index_t i = 0; i < count; ++i) {
      const std::uint8_t* x = symbols.data() + (first + i) * L;
      const double y0 = at(values, i * per);
      at(r.output, first + i) = y0;
      float* d = r.deltas.data() + (first + i) * L * A;
      index_t next = 1;
      for (index_t q = 0; q < L; ++q)
        for (index_t c = 0; c < A; ++c)
          if (c != x[q]) d[q * A + c] = static_cast<float>(at(values, i * per + next++) - y0);
    }
  }
  return r;
}

// Exact ISM: fast for networks of convolutions and dense layers, ism_ref for
// any other.
inline IsmResult ism(Model& model, std::span<const std::uint8_t> symbols, index_t n, const AttributionTarget& target) {
  if (!FeedForward::supports(model.network())) return ism_ref(model, symbols, n, target);
  detail::check_symbols(model, symbols, n);
  target.check(model.info().classes());
  const FeedForward ff(model.network());
  const detail::FastIsmWeights weights(ff);
  const index_t L = ff.length(), A = ff.letters(), blocks = detail::position_blocks(n, L);
  IsmResult r{n, L, A, std::vector<float>(to_size(n * L * A), 0.0f), std::vector<double>(to_size(n))};
  parallel_for_each_index(n * blocks, [&](index_t task) {
    const index_t i = task / blocks;
    const ChunkRange positions = chunk_range(L, blocks, task % blocks);
    detail::FastIsmRun run(weights, target);
    const std::uint8_t* x = symbols.data() + i * L;
    const double y0 = run.baseline(x);
    if (task % blocks == 0) at(r.output, i) = y0;
    float* d = r.deltas.data() + i * L * A;
    for (index_t q = positions.begin; q < positions.end; ++q)
      for (index_t c = 0; c < A; ++c)
        if (c != x[q]) d[q * A + c] = static_cast<float>(run.variant(q, static_cast<std::uint8_t>(c)) - y0);
  });
  return r;
}

}  // namespace sster
