#pragma once
// RNAplfold's local folding (Bernhart et al. 2006): every window of W
// consecutive bases is folded on its own with base-pair spans up to L, and
// each probability is averaged over the windows that contain it: a pair's
// over the windows containing both its bases, a position's contexts over the
// windows containing the position. pysster's predict_structures_plfold runs
// RNAplfold with its defaults, W = L = 70 (paired_unpaired in
// fold/profile.hpp turns the pairs into its P/U string).
//
// As in RNAplfold, a window's stems at its ends take their dangles from the
// bases outside the window (the sequence's neighbours), and a sequence
// shorter than W is one window.
//
// WindowFolder::fold shares the work between the windows: a pair's inside
// weights do not depend on the window, only the exterior loop does. So the
// inside pass runs once over the whole sequence (span L); per window only the
// exterior loop is summed (z5, z3 over the window, O(W L)), and each pair's
// exterior seeds (z5 z3 / Z of every window containing it) are added up;
// one outside pass from these seeds then gives, per pair, the sum of its
// probabilities over the windows, since the outside recursions are linear
// in their seeds. fold_ref folds each window separately (PartitionFolder's
// fold_ref on the window with its neighbours) and averages: the
// specification the shared pass is tested against.
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/fold/padded_rows.hpp"
#include "sster/fold/partition.hpp"

namespace sster::fold {

struct WindowOptions {
  index_t window = 70;  // W, RNAplfold -W
  index_t span = 70;    // L, RNAplfold -L: the largest base-pair span j - i + 1 (at most W)
};

struct WindowEnsemble {
  std::vector<BasePair> pairs;                 // averaged over the windows containing i..j, >= the cutoff
  std::vector<ContextProbabilities> contexts;  // per position, averaged over the windows containing it
};

namespace detail {
// The window and span RNAplfold uses for a sequence of length n.
inline WindowOptions effective_window(index_t n, const WindowOptions& options) {
  require(options.window >= 1 && options.span >= 1,
          "plfold: window and span must be positive, got W " + std::to_string(options.window) + ", L " +
              std::to_string(options.span));
  const index_t w = std::min(n, options.window);
  return {w, std::min(w, options.span)};
}
// How many windows of width w among n bases contain the bases from..to.
inline index_t windows_containing(index_t n, index_t w, index_t from, index_t to) {
  return std::min(from, n - w + 1) - std::max<index_t>(1, to - w + 1) + 1;
}
}  // namespace detail

class WindowFolder {
 public:
  // mfe_dcal: the sequence's MFE (any span), where the caller has it; it sets
  // the scale of the weights (the results do not depend on it), else the MFE
  // under the span is computed for that.
  WindowEnsemble fold(const Rna& rna, const WindowOptions& options = {}, double pair_cutoff = 1e-5,
                      std::optional<int> mfe_dcal = {});
  // Each window folded on its own by PartitionFolder::fold_ref, then averaged.
  WindowEnsemble fold_ref(const Rna& rna, const WindowOptions& options = {}, double pair_cutoff = 1e-5);

 private:
  void sum_windows(const Rna& rna, index_t w);
  WindowEnsemble average(index_t w, double pair_cutoff);

  MfeFolder mfe_;
  EnsembleTables t_;
  PartitionKernel kernel_;
  PaddedRows<double> stems_;                    // row k: qb(k, k + e) x exterior stem weight
  std::vector<double> z5_, z3_, pushed_;        // one window's exterior loop, by position
  std::vector<ContextProbabilities> exterior_;  // exterior contexts summed over windows
};

inline WindowEnsemble WindowFolder::fold(const Rna& rna, const WindowOptions& options, double pair_cutoff,
                                        std::optional<int> mfe_dcal) {
  const auto [w, span] = detail::effective_window(rna.length(), options);
  FoldOptions fold;
  fold.max_span = span;
  t_.reset(rna, span, mfe_dcal ? *mfe_dcal : mfe_.energy(rna, fold));
  kernel_.inside(rna, t_);
  sum_windows(rna, w);
  kernel_.outside(rna, t_);
  return average(w, pair_cutoff);
}

// Per window a..b: its exterior loop from the stems of the band, each pair's
// exterior seed z5[k - 1] z3[l + 1] / Z added to window_seeds, and the
// exterior contexts of its positions added to exterior_.
inline void WindowFolder::sum_windows(const Rna& rna, index_t w) {
  const index_t n = t_.n, span = t_.width, spare = PaddedRows<double>::pad;
  stems_.reset(n + 1, span, 0.0);  // row k: the stems (k, k + e); 0 where k, k + e cannot pair (qb = 0)
  for (index_t k = 1; k <= n; ++k)
    for (index_t e = min_hairpin + 1; e < std::min(span, n - k + 1); ++e)
      stems_.row(k)[e] = t_.qb(k, k + e) * t_.exterior_stem_weight(rna, k, k + e);
  t_.windows = true;
  t_.window_seeds.reset(n, span, 0.0);
  exterior_.assign(to_size(n + 1), ContextProbabilities{});
  for (auto* v : {&z5_, &z3_, &pushed_}) v->assign(to_size(n + 2 + spare), 0.0);
  double *z5 = z5_.data(), *z3 = z3_.data(), *pushed = pushed_.data();
  for (index_t a = 1; a + w - 1 <= n; ++a) {
    const index_t b = a + w - 1;
    // z5: x unpaired, or closing the last stem (k, x), pushed as soon as z5[k - 1] was known
    std::fill(pushed + a, pushed + b + spare, 0.0);
    z5[a - 1] = 1;
    for (index_t x = a - 1; x <= b; ++x) {
      if (x >= a) z5[x] = z5[x - 1] * t_.unpaired(1) + pushed[x];
      const index_t k = x + 1, last = std::min(b, k + span - 1);  // stems (k, l), l = k + 4 .. last
      if (k + min_hairpin + 1 <= last)
        axpy(pushed + k + min_hairpin + 1, stems_.row(k) + min_hairpin + 1, z5[x], last - (k + min_hairpin));
    }
    // z3: x unpaired, or opening the first stem (x, l); z3 is 0 past b + 1 for the
    // batches, and stems_ rows are 0 past the span
    z3[b + 1] = 1;
    std::fill(z3 + b + 2, z3 + b + spare, 0.0);
    for (index_t x = b; x >= a; --x) {
      const index_t last = std::min(b, x + span - 1);
      z3[x] = z3[x + 1] * t_.unpaired(1) +
              (x + min_hairpin + 1 <= last
                   ? dot(stems_.row(x) + min_hairpin + 1, z3 + x + min_hairpin + 2, last - (x + min_hairpin))
                   : 0.0);
    }
    const double zw = z5[b];
    require(std::isfinite(zw) && zw > 0, "plfold: the scaled weights of a window overflowed");
    for (index_t k = a; k <= b; ++k) {  // also where k, l cannot pair: never read then
      double* seeds = &t_.window_seeds(k, k);
      const double head = z5[k - 1] / zw;
      for (index_t e = min_hairpin + 1; e <= std::min(b - k, span - 1); ++e) seeds[e] += head * z3[k + e + 1];
    }
    const double empty = t_.unpaired(w) / zw;  // the window without pairs: all exterior_5
    for (index_t x = a; x <= b; ++x) {
      ContextProbabilities& c = at(exterior_, x);
      const double exterior = z5[x - 1] * t_.unpaired(1) * z3[x + 1] / zw;
      const double five = t_.unpaired(x - a + 1) * z3[x + 1] / zw;
      const double three = std::max(0.0, z5[x - 1] * t_.unpaired(b - x + 1) / zw - empty);
      c[slot(Context::exterior_5)] += five;
      c[slot(Context::exterior_3)] += three;
      c[slot(Context::exterior_between)] += std::max(0.0, exterior - five - three);
    }
  }
}

// Sums over windows (out_qb, loop_diff, exterior_) into averages.
inline WindowEnsemble WindowFolder::average(index_t w, double pair_cutoff) {
  const index_t n = t_.n;
  WindowEnsemble out;
  out.contexts.assign(to_size(n), ContextProbabilities{});
  std::vector<double> open(to_size(n + 2), 0.0), close(to_size(n + 2), 0.0);
  for (index_t i = 1; i <= n; ++i)
    for (index_t j = i + min_hairpin + 1; j <= std::min(n, i + t_.width - 1); ++j) {
      if (t_.types(i, j) == 0) continue;
      const double summed = t_.probability(i, j);
      at(open, i) += summed;
      at(close, j) += summed;
      const double p = summed / static_cast<double>(detail::windows_containing(n, w, i, j));
      if (p >= pair_cutoff && p > 0) out.pairs.push_back({i, j, p});
    }
  ContextProbabilities running{};
  for (index_t k = 1; k <= n; ++k) {
    for (std::size_t c = 0; c < running.size(); ++c) running[c] += at(t_.loop_diff, k)[c];
    const double windows = static_cast<double>(detail::windows_containing(n, w, k, k));
    ContextProbabilities& p = at(out.contexts, k - 1);
    for (Context c : {Context::hairpin, Context::bulge, Context::interior})
      p[slot(c)] = std::max(0.0, running[slot(c)]) / windows;
    for (Context c : {Context::exterior_5, Context::exterior_3, Context::exterior_between})
      p[slot(c)] = at(exterior_, k)[slot(c)] / windows;
    p[slot(Context::paired_5)] = at(open, k) / windows;
    p[slot(Context::paired_3)] = at(close, k) / windows;
    double rest = 1.0;
    for (std::size_t c = 0; c < p.size(); ++c)
      if (c != slot(Context::multi)) rest -= p[c];
    p[slot(Context::multi)] = std::max(0.0, rest);
  }
  return out;
}

inline WindowEnsemble WindowFolder::fold_ref(const Rna& rna, const WindowOptions& options, double pair_cutoff) {
  const index_t n = rna.length();
  const auto [w, span] = detail::effective_window(n, options);
  Band<double> pair_sums;
  pair_sums.reset(n, span, 0.0);
  std::vector<ContextProbabilities> sums(to_size(n), ContextProbabilities{});
  PartitionFolder folder;
  PartitionOptions o;
  o.fold.max_span = span;
  o.pair_cutoff = 0;
  for (index_t a = 1; a + w - 1 <= n; ++a) {
    Rna window;  // bases a..a + w - 1, with their outer neighbours for the dangles
    window.letters = rna.letters.substr(to_size(a - 1), to_size(w));
    window.codes.assign(rna.codes.begin() + (a - 1), rna.codes.begin() + (a + w + 1));
    const Ensemble e = folder.fold_ref(window, o);
    for (const BasePair& bp : e.pairs) pair_sums(a - 1 + bp.i, a - 1 + bp.j) += bp.probability;
    for (index_t x = 0; x < w; ++x)
      for (std::size_t c = 0; c < context_count; ++c) at(sums, a - 1 + x)[c] += at(e.contexts, x)[c];
  }
  WindowEnsemble out;
  for (index_t i = 1; i <= n; ++i)
    for (index_t j = i + min_hairpin + 1; j <= std::min(n, i + span - 1); ++j)
      if (const double p = pair_sums(i, j) / static_cast<double>(detail::windows_containing(n, w, i, j));
          p >= pair_cutoff && p > 0)
        out.pairs.push_back({i, j, p});
  out.contexts = sums;
  for (index_t k = 1; k <= n; ++k)
    for (double& p : at(out.contexts, k - 1)) p /= static_cast<double>(detail::windows_containing(n, w, k, k));
  return out;
}

}  // namespace sster::fold
