#pragma once
// What pysster's Model.visualize_kernel computes for a first-layer kernel
// before it draws anything: per class the maximum activations of a group's
// records, the threshold (the largest class mean), the records above it,
// where each of them peaks, the mean +- sd activation at every position, and
// the records whose windows make the motif. Plots live in visualize_kernel.hpp.
//
// pysster's rules, kept exactly:
// - threshold = max over classes of the mean of the per-record maxima; a
//   record is above it when its maximum is >= threshold or np.isclose to it
//   (|a - t| <= 1e-8 + 1e-5 |t|);
// - the motif uses the threshold class's records above it, at most
//   max(min(750, n_above / 3), 1) of them (n_above counts all classes),
//   keeping the highest activations (ties at the cut-off are all kept);
// - positions are the argmax of each record's activations; among positions
//   within pysster's tolerance of the maximum (relative 1e-9) one is drawn at
//   random. pysster uses numpy's global generator; sster draws from a
//   counter-based key of (model seed, kernel, record), so the pick is the same
//   on every run and any thread count;
// - mean and sd (numpy's std, ddof 0) per position over the records above the
//   threshold, per class;
// - score = max - min of the class means.
// A class without records in the group has no mean (NaN) and is left out of
// the threshold and the score (pysster would propagate the NaN).
//
// Memory: the first convolution's full output is never held for all
// records: records run in blocks, and only per-class running sums stay.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"
#include "sster/core/random.hpp"
#include "sster/data/dataset.hpp"
#include "sster/model/model.hpp"

namespace sster {

struct KernelStatistics {
  index_t kernel = 0;
  index_t width = 0;                               // kernel length: the motif's length
  std::vector<std::vector<double>> max_per_class;  // per class: each record's maximum activation (violins)
  std::vector<double> class_means;                 // mean of max_per_class[c]; NaN without records
  double threshold = 0;                            // the largest class mean
  index_t top_class = 0;                           // the class with that mean (first on ties, as np.argmax)
  double score = 0;                                // largest minus smallest class mean
  index_t above = 0;                               // records above the threshold, all classes
  // Per class, the records above the threshold (Data indices, in group order),
  // the 0-based start of the window under each one's maximum, and the mean and
  // sd of the activation at every position over them.
  std::vector<std::vector<index_t>> records, positions;
  std::vector<std::vector<double>> mean, sd;
  // The windows the motif is made of: records of top_class and their starts.
  std::vector<index_t> motif_records, motif_positions;
};

namespace detail {

// np.isclose(a, b) with numpy's defaults.
inline bool np_isclose(double a, double b) { return std::abs(a - b) <= 1e-8 + 1e-5 * std::abs(b); }

// pysster's randargmax: a position within relative 1e-9 of the maximum, drawn
// uniformly from those by `key`.
inline index_t tie_broken_argmax(const float* acts, index_t positions, index_t stride, RandomKey key) {
  float best = acts[0];
  for (index_t t = 1; t < positions; ++t) best = std::max(best, acts[t * stride]);
  auto tied = [&](index_t t) {
    const double x = acts[t * stride], m = best;
    return std::abs(x - m) <= 1e-9 * std::max(std::abs(x), std::abs(m));
  };
  index_t count = 0;
  for (index_t t = 0; t < positions; ++t) count += tied(t);
  if (count == 1)
    for (index_t t = 0; t < positions; ++t)
      if (tied(t)) return t;
  auto pick = static_cast<index_t>(key.below(0, static_cast<std::uint64_t>(count)));
  for (index_t t = 0; t < positions; ++t)
    if (tied(t) && pick-- == 0) return t;
  return 0;
}

// "tiebreak" in ASCII: the stream of the argmax draws, apart from the
// optimised-input streams that share the purpose.
inline constexpr std::uint64_t tie_break_stream = 0x746965627265616bULL;

// Running mean and sum of squared deviations (Welford), in record order.
struct RunningMoments {
  std::vector<double> mean, m2;
  index_t n = 0;
  void add(const float* x, index_t count, index_t stride) {
    if (mean.empty())
      mean.assign(to_size(count), 0.0), m2.assign(to_size(count), 0.0);
    ++n;
    for (index_t t = 0; t < count; ++t) {
      const double v = x[t * stride], d = v - at(mean, t);
      at(mean, t) += d / static_cast<double>(n);
      at(m2, t) += d * (v - at(mean, t));
    }
  }
  std::vector<double> sd() const {
    std::vector<double> s(m2.size());
    for (std::size_t t = 0; t < s.size(); ++t)
      s[t] = n > 0 ? std::sqrt(std::max(0.0, m2[t] / static_cast<double>(n))) : 0.0;
    return s;
  }
};

inline void check_activations(const Model& model, const Data& data, const MaxActivations& acts) {
  const auto* conv = model.first_conv();
  require(conv != nullptr, "kernel visualisation: the model's first layer is not a convolution");
  require(acts.activations.cols() == conv->kernels,
          "kernel visualisation: the maximum activations have " + std::to_string(acts.activations.cols()) +
              " kernels, the model's first convolution " + std::to_string(conv->kernels));
  const auto n = static_cast<index_t>(acts.indices.size());
  require(acts.activations.rows() == n && acts.labels.rows() == n,
          "kernel visualisation: the maximum activations hold " + std::to_string(acts.activations.rows()) +
              " rows for " + std::to_string(n) + " records");
  require(n > 0, "kernel visualisation: the group has no records");
  require(acts.labels.cols() == data.classes(), "kernel visualisation: the maximum activations have " +
                                                    std::to_string(acts.labels.cols()) + " classes, the data " +
                                                    std::to_string(data.classes()));
  for (index_t i : acts.indices)
    require(i >= 0 && i < data.size(), "kernel visualisation: record " + std::to_string(i) +
                                           " of the maximum activations is not in the data set (" +
                                           std::to_string(data.size()) + " records); pass the same Data");
}

}  // namespace detail

// Statistics of the given kernels of the model's first convolution over the
// records of `acts` (the return value of Model::get_max_activations on `data`).
// One pass over the data for all kernels; the result is in `kernels` order.
inline std::vector<KernelStatistics> kernel_statistics(Model& model, const Data& data, const MaxActivations& acts,
                                                       std::span<const index_t> kernels) {
  detail::check_activations(model, data, acts);
  const auto* conv = model.first_conv();
  const index_t K = conv->kernels, W = conv->width, P = data.length() - W + 1;
  const index_t n = acts.activations.rows(), C = data.classes();
  for (index_t k : kernels)
    require(k >= 0 && k < K, "kernel " + std::to_string(k) + " does not exist (the first convolution has " +
                                 std::to_string(K) + " kernels: 0 to " + std::to_string(K - 1) + ")");
  const auto nk = static_cast<index_t>(kernels.size());
  std::vector<KernelStatistics> stats(to_size(nk));
  // above[j][r]: row r is above kernel j's threshold.
  std::vector<std::vector<char>> above(to_size(nk), std::vector<char>(to_size(n), 0));
  for (index_t j = 0; j < nk; ++j) {
    auto& s = at(stats, j);
    s.kernel = at(kernels, j);
    s.width = W;
    s.max_per_class.assign(to_size(C), {});
    for (index_t r = 0; r < n; ++r)
      for (index_t c = 0; c < C; ++c)
        if (acts.labels(r, c) == 1)
          at(s.max_per_class, c).push_back(acts.activations(r, s.kernel));
    double hi = -std::numeric_limits<double>::infinity(), lo = std::numeric_limits<double>::infinity();
    for (index_t c = 0; c < C; ++c) {
      const auto& v = at(s.max_per_class, c);
      double sum = 0;
      for (double x : v) sum += x;
      const double mean = v.empty() ? std::numeric_limits<double>::quiet_NaN() : sum / static_cast<double>(v.size());
      s.class_means.push_back(mean);
      if (v.empty()) continue;
      if (mean > hi) hi = mean, s.top_class = c;
      lo = std::min(lo, mean);
    }
    require(std::isfinite(hi), "kernel " + std::to_string(s.kernel) + ": no class has records in the group");
    s.threshold = hi;
    s.score = hi - lo;
    auto& a = at(above, j);
    for (index_t r = 0; r < n; ++r) {
      const double x = acts.activations(r, s.kernel);
      at(a, r) = x >= s.threshold || detail::np_isclose(x, s.threshold);
      s.above += at(a, r);
    }
  }

  // Rows above any kernel's threshold need their full activation rows.
  std::vector<index_t> rows;
  for (index_t r = 0; r < n; ++r)
    for (index_t j = 0; j < nk; ++j)
      if (at(at(above, j), r)) {
        rows.push_back(r);
        break;
      }
  std::vector<std::vector<detail::RunningMoments>> moments(
      to_size(nk), std::vector<detail::RunningMoments>(to_size(C)));
  std::vector<std::vector<index_t>> row_position(to_size(nk),
                                                 std::vector<index_t>(to_size(n), -1));
  for (auto& s : stats) {
    s.records.assign(to_size(C), {});
    s.positions.assign(to_size(C), {});
  }
  // Blocks of at most 32 M floats (128 MB) of first-layer output.
  const index_t block = std::clamp<index_t>((index_t{32} << 20) / std::max<index_t>(1, P * K), 1, 1024);
  std::vector<float> out(to_size(std::min<index_t>(block, static_cast<index_t>(rows.size())) * P * K));
  std::vector<index_t> block_records, slot_of(to_size(data.size()), -1);
  const RandomKey ties = RandomKey(model.seed(), Purpose::optimize_input).with(detail::tie_break_stream);
  for (std::size_t first = 0; first < rows.size(); first += to_size(block)) {
    const std::size_t count = std::min(rows.size() - first, to_size(block));
    block_records.clear();
    for (std::size_t b = 0; b < count; ++b) {
      const index_t record = at(acts.indices, rows[first + b]);
      at(slot_of, record) = static_cast<index_t>(b);
      block_records.push_back(record);
    }
    model.first_layer_activations(data, block_records, [&](index_t record, const float* a) {
      std::copy_n(a, P * K, out.data() + at(slot_of, record) * P * K);
    });
    // Kernels in parallel, records in order within each: the sums do not
    // depend on the thread count.
    parallel_for_each_index(nk, [&](index_t j) {
      auto& s = at(stats, j);
      const auto& a = at(above, j);
      for (std::size_t b = 0; b < count; ++b) {
        const index_t r = rows[first + b];
        if (!at(a, r)) continue;
        const float* row = out.data() + static_cast<index_t>(b) * P * K + s.kernel;
        const index_t record = at(acts.indices, r);
        const index_t pos = detail::tie_broken_argmax(
            row, P, K, ties.with({static_cast<std::uint64_t>(s.kernel), static_cast<std::uint64_t>(record)}));
        at(at(row_position, j), r) = pos;
        for (index_t c = 0; c < C; ++c) {
          if (acts.labels(r, c) != 1) continue;
          at(s.records, c).push_back(record);
          at(s.positions, c).push_back(pos);
          at(at(moments, j), c).add(row, P, K);
        }
      }
    });
  }

  for (index_t j = 0; j < nk; ++j) {
    auto& s = at(stats, j);
    for (index_t c = 0; c < C; ++c) {
      const auto& m = at(at(moments, j), c);
      s.mean.push_back(m.mean);
      s.sd.push_back(m.sd());
    }
    // The motif: the top class's records above the threshold, the highest
    // activations first when there are more than the cap.
    const auto& a = at(above, j);
    std::vector<index_t> candidates;
    for (index_t r = 0; r < n; ++r)
      if (at(a, r) && acts.labels(r, s.top_class) == 1) candidates.push_back(r);
    const index_t cap = std::max<index_t>(std::min<index_t>(750, s.above / 3), 1);
    double cutoff = -std::numeric_limits<double>::infinity();
    if (static_cast<index_t>(candidates.size()) > cap) {
      std::vector<double> v;
      for (index_t r : candidates) v.push_back(acts.activations(r, s.kernel));
      std::nth_element(v.begin(), v.begin() + (cap - 1), v.end(), std::greater<>());
      cutoff = at(v, cap - 1);
    }
    for (index_t r : candidates) {
      if (acts.activations(r, s.kernel) < cutoff) continue;
      s.motif_records.push_back(at(acts.indices, r));
      s.motif_positions.push_back(at(at(row_position, j), r));
    }
  }
  return stats;
}

inline KernelStatistics kernel_statistics(Model& model, const Data& data, const MaxActivations& acts, index_t kernel) {
  return std::move(kernel_statistics(model, data, acts, std::span<const index_t>(&kernel, 1)).front());
}

}  // namespace sster
