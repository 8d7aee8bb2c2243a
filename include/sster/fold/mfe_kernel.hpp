#pragma once
// MfeKernel fills the MFE tables (fold/mfe_tables.hpp) fast, entry for entry
// equal to fill_mfe_ref. Rows i are filled from the 3' end; what a row needs
// from the rows below it is gathered for the whole row at once, as minima
// over runs of j in whole SIMD batches (fold/padded_rows.hpp).
//
// Interior loops. Except for the stacks, 1-nt bulges and the tabulated 1x1,
// 1x2 and 2x2 loops, a loop's energy splits into a part of the outer pair
// (i, j), a part of the inner pair (p, q) and a penalty of its sizes u1 =
// p - i - 1, u2 = j - q - 1 (fold/loop_parts.hpp). So each finished row p
// keeps c(p, q) + its inner part, per kind of loop, for the 31 rows above
// it; for row i and each (u1, u2) the candidates of every j are such a row
// shifted by u2, plus the penalty, four (u1, u2) to a pass (116 1xn, 2x3 and
// bulge sizes in 30 passes). Generic loops (both sides >= 2) take a
// shortcut: their penalty depends only on u1 + u2 and |u1 - u2|, which the
// loops of (i, j) share with the loops of (i + 1, j - 1) one base smaller on
// each side. So the best of each total size s is kept per row,
//   g_i(s, j) = min(g_i+1(s - 2, j - 1), the loops with u1 = 2 or u2 = 2),
// one pass per size (27) instead of one per (u1, u2) (378); the initiation,
// which depends on s alone, is added in the same pass. The outer part is
// added per j at the end, with the tabulated loops (looked up without a
// branch on the inner pair: a pair that cannot form costs inf).
//
// Multiloops. c's multiloop min_k fm(i+1, k-1) + fm1(k, j-1) is gathered per
// k over the row k of fm1; fm's min_k fm(i, k-1) + fm(k, j) is pushed, as
// soon as fm(i, k-1) is known, over the row k of fm.
//
// All energies stay integers (dcal/mol); every entry is the minimum of the
// same candidates as in fill_mfe_ref, so the tables are identical.
#include <algorithm>
#include <array>
#include <vector>

#include "sster/fold/energy.hpp"
#include "sster/fold/loop_parts.hpp"
#include "sster/fold/mfe_tables.hpp"
#include "sster/fold/padded_rows.hpp"

namespace sster::fold {

class MfeKernel {
 public:
  void fill(const Rna& rna, index_t width, MfeTables& t) {
    t.reset(rna, width);
    n_ = rna.length();
    hairpins_.reserve(width);
    inner_.reset(ring * loop_kinds + 1, width, inf);
    by_size_.reset(2 * (max_interior + 1), width, inf);
    gathered_.reset(loop_kinds + 3, width, inf);
    for (index_t i = n_; i >= 1; --i) {
      const index_t len = std::min(n_, i + width - 1) - i + 1;  // row i: j = i + d, d < len
      if (len > min_hairpin + 1) {
        gather_interior(i, len);
        gather_multi(t, i, len);
        finish_row(rna, t, i, len);
      }
      keep_inner_row(rna, t, i, len);
    }
    fill_exterior(rna, t);
  }

 private:
  static constexpr index_t ring = 32;  // rows i + 1 .. i + 31 (max_interior + 1) and row i
  enum Gathered { multi_gathered = loop_kinds, fm_pushed, stem_energies };

  int* inner(index_t p, LoopKind kind) { return inner_.row((p % ring) * loop_kinds + kind); }
  const int* none_row() { return inner_.row(ring * loop_kinds); }  // all inf, never written
  // The best generic loop of total size s of row i, c + inner part + asymmetry (its parity picks one of two rows).
  int* by_size(index_t i, index_t s) { return by_size_.row((i % 2) * (max_interior + 1) + s); }
  int* gathered(int which) { return gathered_.row(which); }

  // c(p, q) + inner part for the pairs (p, p + e) of row p; inf where (p, q) cannot be an inner pair.
  void keep_inner_row(const Rna& rna, const MfeTables& t, index_t p, index_t len) {
    for (int kind = 0; kind < loop_kinds; ++kind) std::fill(inner(p, LoopKind(kind)), inner(p, LoopKind(kind)) + len, inf);
    if (p == 1) return;
    for (index_t e = min_hairpin + 1; e < len && p + e < n_; ++e)
      if (const int type = t.types(p, p + e); type != 0) {
        const InnerPair pair{type, rna.code(p - 1), rna.code(p + e + 1)};
        for (int kind = 0; kind < loop_kinds; ++kind)
          inner(p, LoopKind(kind))[e] = t.c(p, p + e) + inner_part(LoopKind(kind), pair);
      }
  }

  // Per kind and j = i + d, the least c(p, q) + inner part + size penalty over the loops of that kind.
  void gather_interior(index_t i, index_t len) {
    for (int kind = 0; kind < loop_kinds; ++kind) std::fill(gathered(kind), gathered(kind) + len, inf);
    for (index_t s = 4; s <= max_interior; ++s) {  // generic loops by total size, grown from row i + 1
      // (i + 1, j - 1) at d - 2, and the loops with u1 = 2 (p = i + 3) and u2 = 2 (p = i + s - 1)
      const index_t shift = s + 2;
      const int* grown = s >= 6 ? by_size(i + 1, s - 2) - 2 : none_row();
      const int* left = i + 3 <= n_ ? inner(i + 3, generic_loop) - shift : none_row();
      const int* right = s > 4 && i + s - 1 <= n_ ? inner(i + s - 1, generic_loop) - shift : none_row();
      // sizes 4 and 5 hold only 2x2, 2x3 and 3x2 loops, kept to grow, but looked up otherwise (+ inf)
      grow_min(by_size(i, s), grown, left, asymmetry_penalty(2, s - 2), right, asymmetry_penalty(s - 2, 2),
               gathered(generic_loop), s >= 6 ? loop_initiation(tp::interior, s) : inf, len);
    }
    // the 1xn, 2x3 and bulge loops, a group at a time (p = i + 1 + u1, q = j - 1 - u2 = p + e: e = d - shift)
    for (const LoopGroup& group : direct_loop_groups()) {
      std::array<const int*, 4> rows{};
      std::array<int, 4> penalties{};
      index_t first = len;
      for (index_t m = 0; m < 4; ++m) {
        rows[to_size(m)] = none_row();
        if (m >= group.count) continue;
        const SeparableLoop& loop = at(direct_loops(), at(group.loops, m));
        const index_t shift = loop.u1 + loop.u2 + 2;
        if (i + 1 + loop.u1 > n_) continue;
        rows[to_size(m)] = inner(i + 1 + loop.u1, loop.kind) - shift;
        penalties[to_size(m)] = loop.penalty;
        first = std::min(first, shift + min_hairpin + 1);
      }
      if (first >= len) continue;
      for (auto& r : rows) r += first;  // before e = 4 the rows hold inf
      min_plus4(gathered(group.kind) + first, rows, penalties, len - first);
    }
  }

  // min over k of fm(i + 1, k - 1) + fm1(k, j - 1), for every j = i + d.
  void gather_multi(const MfeTables& t, index_t i, index_t len) {
    int* v = gathered(multi_gathered);
    std::fill(v, v + len, inf);
    std::fill(gathered(fm_pushed), gathered(fm_pushed) + len, inf);
    for (index_t k = i + 6; k + 5 <= i + len - 1; ++k) {
      const int head = t.fm(i + 1, k - 1);
      if (head >= inf) continue;  // never the minimum (fm(i + 1, j) is smaller, see fill_mfe_ref's fm)
      // j from k + 5: fm1(k, j - 1) is row k from column k + 4
      min_plus(v + (k + 5 - i), &t.fm1(k, k + 4), head, i + len - (k + 5));
    }
  }

  // c(i, j) of the pairs of row i (from the rows below and the gathered
  // candidates alone), then fm1 and fm along the row.
  void finish_row(const Rna& rna, MfeTables& t, index_t i, index_t len) {
    const int si = rna.code(i + 1);
    int* stems = gathered(stem_energies);
    std::fill(stems, stems + len, inf);
    for (index_t k = 0, count = pairable_columns(t.types, i, len, pairable_); k < count; ++k) {
      const index_t d = at(pairable_, k), j = i + d;
      const int type = t.types(i, j);
      const OuterPair pair{type, si, rna.code(j - 1)};
      int best = hairpin_energy(rna, i, j, hairpins_(d - 1));
      for (int kind = 0; kind < loop_kinds; ++kind)
        best = std::min(best, gathered(kind)[d] + outer_part(LoopKind(kind), pair));
      for_each_tabulated_loop([&](auto u1, auto u2) {  // (p, q) that cannot pair: inf + inf
        const index_t p = i + 1 + u1, q = j - 1 - u2;
        if (q - p > min_hairpin) best = std::min(best, tabulated_energy<decltype(u1)::value, decltype(u2)::value>(rna, type, t.types(p, q), i, j, p, q) + t.c(p, q));
      });
      t.c(i, j) = std::min(best, gathered(multi_gathered)[d] + multi_closing_energy(rna, i, j));
      stems[d] = t.multi_stem(rna, i, j);
    }
    int* pushed = gathered(fm_pushed);
    for (index_t d = min_hairpin + 1; d < len; ++d) {
      const index_t j = i + d;
      t.fm1(i, j) = std::min(stems[d], t.fm1(i, j - 1) + tp::ml_base);
      const int fm = std::min({stems[d], t.fm(i + 1, j) + tp::ml_base, t.fm(i, j - 1) + tp::ml_base, pushed[d]});
      t.fm(i, j) = fm;
      // fm(i, j) + fm(j + 1, l) for every l >= j + 5 (k = j + 1 in fill_mfe_ref's fm). Where j is
      // unpaired, fm(i, j) = fm(i, j - 1) + ml_base, that is no less than fm(i, j - 1) + fm(j, l),
      // pushed the step before, and is left out.
      const bool unpaired = d > min_hairpin + 1 && fm == t.fm(i, j - 1) + tp::ml_base;
      if (fm < inf && !unpaired && d + 5 < len) min_plus(pushed + d + 5, &t.fm(j + 1, j + 5), fm, len - (d + 5));
    }
  }

  index_t n_ = 0;
  HairpinInitiations hairpins_;
  PaddedRows<int> inner_;     // ring x kinds rows: c + inner part of rows i + 1 .. i + 31; a row of inf
  PaddedRows<int> by_size_;   // 2 x 31 rows: g_i(s, j) of rows i and i + 1
  PaddedRows<int> gathered_;  // row i's candidates per kind, its multiloops, fm's pushes, its stems
  std::vector<index_t> pairable_;  // row i's columns where i pairs
};

}  // namespace sster::fold
