#pragma once
// PartitionKernel fills the ensemble tables (fold/ensemble_tables.hpp) fast:
// the same recursions as inside_ref and outside_ref (fold/partition_ref.hpp),
// organised as MfeKernel organises the MFE (fold/mfe_kernel.hpp), with sums
// of products of Boltzmann weights (float64, scaled) in place of minima of
// sums of energies: a loop's weight is the product of its outer part, size
// penalty and inner part (fold/loop_parts.hpp) and of the scale of its bases,
// and each row gathers its interior loops and multiloops for all j at once,
// in SIMD batches. The results equal the reference's up to rounding (the
// sums run in another order).
//
// The outside pass mirrors the inside pass: rows i ascending; each finished
// row h keeps out_qb(h, l) x outer part for the 31 rows below it, from which
// row i gathers the loops enclosing its pairs (generic loops again by total
// size); qm1's outside weights are pushed, as soon as a row's outside weights
// of qm and of multiloops are known, into an accumulator over the rows below.
//
// Loop contexts: the probability of an unpaired base in a bulge or interior
// loop is summed per loop over a range of positions by the reference; here
// each pair contributes its loops in total (as the outer pair: out_qb x the
// loop part of qb; as the inner pair: the loop part of out_qb x qb) at the
// four range ends, which gives the same differences over positions.
#include <algorithm>
#include <array>
#include <tuple>
#include <vector>

#include "sster/fold/ensemble_tables.hpp"
#include "sster/fold/loop_parts.hpp"
#include "sster/fold/padded_rows.hpp"

namespace sster::fold {

class PartitionKernel {
 public:
  // qb, qm1, qm (after t.reset); the exterior loop is the caller's (EnsembleTables::fill_exterior,
  // or RNAplfold's windows).
  void inside(const Rna& rna, EnsembleTables& t);
  // out_qb and the loop contexts (after inside).
  void outside(const Rna& rna, EnsembleTables& t);

 private:
  static constexpr index_t ring = 32;  // rows within 31 of the current one, and the current one
  static constexpr index_t sizes = max_interior + 1;
  enum Gathered { multi_gathered = loop_kinds, qm_pushed, stem_weights };
  // The context class of a tabulated loop (u1, u2): stacks leave no base unpaired.
  enum class LoopClass { stack, bulge, interior };
  static constexpr LoopClass loop_class(index_t u1, index_t u2) {
    return u1 == 0 && u2 == 0 ? LoopClass::stack : u1 == 0 || u2 == 0 ? LoopClass::bulge : LoopClass::interior;
  }

  void set_weights(const EnsembleTables& t);
  double* ring_row(index_t p, LoopKind kind) { return ring_.row((p % ring) * loop_kinds + kind); }
  const double* none_row() { return ring_.row(ring * loop_kinds); }  // all 0, never written
  double* by_size(index_t i, index_t s) { return by_size_.row((i % 2) * sizes + s); }
  double* gathered(int which) { return gathered_.row(which); }

  // inside
  void keep_inner_row(const Rna& rna, const EnsembleTables& t, index_t p, index_t len);
  void gather_interior(const EnsembleTables& t, index_t i, index_t len);
  enum class Pass { inside, outside };
  void gather_direct(const EnsembleTables& t, index_t i, index_t len, Pass pass);
  void gather_multi(const EnsembleTables& t, index_t i, index_t len);
  void finish_inside_row(const Rna& rna, EnsembleTables& t, index_t i, index_t len);
  // outside
  void keep_outer_row(const Rna& rna, const EnsembleTables& t, index_t h, index_t len);
  void gather_enclosing(const EnsembleTables& t, index_t i, index_t len);
  void finish_outside_row(const Rna& rna, EnsembleTables& t, index_t i, index_t len);
  void push_multi(const EnsembleTables& t, index_t i, index_t len);

  // Per fold (they carry the scale): direct_loops()' weights, asymmetry of
  // (2, s - 2), initiation x scale of generic loops by total size s.
  std::vector<double> direct_weights_;
  std::array<double, sizes> asymmetry_{}, generic_size_{};
  PaddedRows<double> ring_;  // inside: qb x inner part; outside: out_qb x outer part, per kind; a row of 0
  PaddedRows<double> by_size_;  // 2 x 31 rows: generic loops by total size, rows i and i +- 1
  PaddedRows<double> gathered_;  // row i's loops per kind, its multiloops, qm's pushes, its stems
  PaddedRows<double> outside_rows_;  // T, out_qm of row i, out_multi of rows i - 1 and i (by parity), out_qm1
  std::vector<index_t> pairable_;    // row i's columns where i pairs
  Band<double> qb_hairpin_, qb_bulge_, qb_interior_;  // parts of qb (for the contexts)
  Band<double> out_qm1_pushed_;         // qm1's outside weight from the rows above
};

inline void PartitionKernel::set_weights(const EnsembleTables& t) {
  direct_weights_.clear();
  for (const SeparableLoop& loop : direct_loops())
    direct_weights_.push_back(t.weight(loop.penalty) * t.unpaired(loop.u1 + loop.u2 + 2));
  for (index_t s = 4; s < sizes; ++s) {
    asymmetry_[to_size(s)] = t.weight(asymmetry_penalty(2, s - 2));
    generic_size_[to_size(s)] = t.weight(loop_initiation(tp::interior, s)) * t.unpaired(s + 2);
  }
}

// ---------------------------------------------------------------- inside

inline void PartitionKernel::inside(const Rna& rna, EnsembleTables& t) {
  set_weights(t);
  const index_t n = t.n;
  ring_.reset(ring * loop_kinds + 1, t.width, 0.0);
  by_size_.reset(2 * sizes, t.width, 0.0);
  gathered_.reset(loop_kinds + 3, t.width, 0.0);
  for (auto* part : {&qb_hairpin_, &qb_bulge_, &qb_interior_}) part->reset(n, t.width, 0.0);
  for (index_t i = n; i >= 1; --i) {
    const index_t len = std::min(n, i + t.width - 1) - i + 1;  // row i: j = i + d, d < len
    if (len > min_hairpin + 1) {
      gather_interior(t, i, len);
      gather_multi(t, i, len);
      finish_inside_row(rna, t, i, len);
    }
    keep_inner_row(rna, t, i, len);
  }
}

// qb(p, q) x inner part for the pairs (p, p + e) of row p; 0 where (p, q) cannot be an inner pair.
inline void PartitionKernel::keep_inner_row(const Rna& rna, const EnsembleTables& t, index_t p, index_t len) {
  for (int kind = 0; kind < loop_kinds; ++kind) std::fill(ring_row(p, LoopKind(kind)), ring_row(p, LoopKind(kind)) + len, 0.0);
  if (p == 1) return;
  for (index_t e = min_hairpin + 1; e < len && p + e < t.n; ++e)
    if (const int type = t.types(p, p + e); type != 0) {
      const InnerPair pair{type, rna.code(p - 1), rna.code(p + e + 1)};
      for (int kind = 0; kind < loop_kinds; ++kind)
        ring_row(p, LoopKind(kind))[e] = t.qb(p, p + e) * t.loops->inner[kind][type][pair.sp][pair.sq];
    }
}

// Per kind and j = i + d, the sum of qb(p, q) x inner part x size weight over the loops of that kind.
// Per kind and j = i + d, the sum of qb(p, q) x inner part x size weight over the loops of that kind.
inline void PartitionKernel::gather_interior(const EnsembleTables& t, index_t i, index_t len) {
  for (int kind = 0; kind < loop_kinds; ++kind) std::fill(gathered(kind), gathered(kind) + len, 0.0);
  for (index_t s = 4; s < sizes; ++s) {  // generic loops by total size, grown from row i + 1
    // (i + 1, j - 1) at d - 2, and the loops with u1 = 2 (p = i + 3) and u2 = 2 (p = i + s - 1)
    const index_t shift = s + 2;
    const double* grown = s >= 6 ? by_size(i + 1, s - 2) - 2 : none_row();
    const double* left = i + 3 <= t.n ? ring_row(i + 3, generic_loop) - shift : none_row();
    const double* right = s > 4 && i + s - 1 <= t.n ? ring_row(i + s - 1, generic_loop) - shift : none_row();
    // sizes 4 and 5 hold only 2x2, 2x3 and 3x2 loops, kept to grow, but looked up otherwise
    grow_sum(by_size(i, s), grown, left, asymmetry_[to_size(s)], right, asymmetry_[to_size(s)],
             gathered(generic_loop), s >= 6 ? generic_size_[to_size(s)] : 0.0, len);
  }
  gather_direct(t, i, len, Pass::inside);
}

// The 1xn, 2x3 and bulge loops of row i, a group at a time: inside from the
// rows below (p = i + 1 + u1, q = j - 1 - u2 = p + e: e = d - shift), outside
// from the rows above (h = i - 1 - u1, l = j + 1 + u2 = h + e: e = d + shift).
inline void PartitionKernel::gather_direct(const EnsembleTables& t, index_t i, index_t len, Pass pass) {
  for (const LoopGroup& group : direct_loop_groups()) {
    std::array<const double*, 4> rows{};
    std::array<double, 4> weights{};
    index_t first = len;
    for (index_t m = 0; m < 4; ++m) {
      rows[to_size(m)] = none_row();
      if (m >= group.count) continue;
      const index_t k = at(group.loops, m);
      const SeparableLoop& loop = at(direct_loops(), k);
      const index_t shift = loop.u1 + loop.u2 + 2, row = pass == Pass::inside ? i + 1 + loop.u1 : i - 1 - loop.u1;
      if (row < 1 || row > t.n) continue;
      rows[to_size(m)] = ring_row(row, loop.kind) + (pass == Pass::inside ? -shift : shift);
      weights[to_size(m)] = at(direct_weights_, k);
      first = std::min(first, pass == Pass::inside ? shift + min_hairpin + 1 : min_hairpin + 1);
    }
    if (first >= len) continue;
    for (auto& r : rows) r += first;  // before e = 4 the rows hold 0
    axpy4(gathered(group.kind) + first, rows, weights, len - first);
  }
}

// The sum over k of qm(i + 1, k - 1) qm1(k, j - 1), for every j = i + d.
inline void PartitionKernel::gather_multi(const EnsembleTables& t, index_t i, index_t len) {
  double* v = gathered(multi_gathered);
  std::fill(v, v + len, 0.0);
  std::fill(gathered(qm_pushed), gathered(qm_pushed) + len, 0.0);
  for (index_t k = i + 6; k + 5 <= i + len - 1; ++k)
    if (const double head = t.qm(i + 1, k - 1); head != 0)
      axpy(v + (k + 5 - i), &t.qm1(k, k + 4), head, i + len - (k + 5));  // j from k + 5
}

// qb(i, j) of the pairs of row i (from the rows below and the gathered loops
// alone), then qm1 and qm along the row.
inline void PartitionKernel::finish_inside_row(const Rna& rna, EnsembleTables& t, index_t i, index_t len) {
  const int si = rna.code(i + 1);
  double* stems = gathered(stem_weights);
  std::fill(stems, stems + len, 0.0);
  for (index_t k = 0, count = pairable_columns(t.types, i, len, pairable_); k < count; ++k) {
    const index_t d = at(pairable_, k), j = i + d;
    const int type = t.types(i, j), sj = rna.code(j - 1);
    const auto& outer = t.loops->outer;
    double bulge = gathered(bulge_loop)[d] * outer[bulge_loop][type][si][sj], interior = 0, stack = 0;
    for (int kind : {generic_loop, one_n_loop, two_three_loop}) interior += gathered(kind)[d] * outer[kind][type][si][sj];
    for_each_tabulated_loop([&](auto u1, auto u2) {  // (p, q) that cannot pair: qb(p, q) = 0
      const index_t p = i + 1 + u1, q = j - 1 - u2;
      if (q - p <= min_hairpin) return;
      const double w = t.factors->clamped(tabulated_energy<decltype(u1)::value, decltype(u2)::value>(rna, type, t.types(p, q), i, j, p, q)) *
                       t.unpaired(u1 + u2 + 2) * t.qb(p, q);
      constexpr LoopClass c = loop_class(u1, u2);
      (c == LoopClass::stack ? stack : c == LoopClass::bulge ? bulge : interior) += w;
    });
    qb_bulge_(i, j) = bulge;
    qb_interior_(i, j) = interior;
    qb_hairpin_(i, j) = t.hairpin_weight(rna, i, j);
    t.qb(i, j) = qb_hairpin_(i, j) + stack + bulge + interior +
                 gathered(multi_gathered)[d] * t.multi_closing_weight(rna, i, j);
    stems[d] = t.qb(i, j) * t.multi_stem_weight(rna, i, j);
  }
  double* pushed = gathered(qm_pushed);
  for (index_t d = 0; d < len; ++d) {
    const index_t j = i + d;
    if (d > min_hairpin) {
      t.qm1(i, j) = stems[d] + t.qm1(i, j - 1) * t.multi_unpaired(1);
      t.qm(i, j) = pushed[d] + t.qm1(i, j);  // the last stem at k = i; from k > i pushed
    }
    // qm(i, l) gets (unpaired bases i..j or qm(i, j)) x qm1(j + 1, l), for l >= j + 5
    if (d + 5 < len) axpy(pushed + d + 5, &t.qm1(j + 1, j + 5), t.multi_unpaired(d + 1) + t.qm(i, j), len - (d + 5));
  }
}

// ---------------------------------------------------------------- outside

inline void PartitionKernel::outside(const Rna& rna, EnsembleTables& t) {
  const index_t n = t.n;
  ring_.reset(ring * loop_kinds + 1, t.width, 0.0);
  by_size_.reset(2 * sizes, t.width, 0.0);
  gathered_.reset(loop_kinds, t.width, 0.0);
  outside_rows_.reset(5, t.width, 0.0);
  out_qm1_pushed_.reset(n, t.width, 0.0);
  for (index_t i = 1; i <= n; ++i) {
    const index_t len = std::min(n, i + t.width - 1) - i + 1;
    if (len > min_hairpin + 1) {
      gather_enclosing(t, i, len);
      finish_outside_row(rna, t, i, len);
      push_multi(t, i, len);
    } else {
      std::fill(outside_rows_.row(2 + i % 2), outside_rows_.row(2 + i % 2) + len + PaddedRows<double>::pad, 0.0);
    }
    keep_outer_row(rna, t, i, len);
  }
}

// out_qb(h, l) x outer part for the pairs (h, h + e) of row h; 0 past the row.
inline void PartitionKernel::keep_outer_row(const Rna& rna, const EnsembleTables& t, index_t h, index_t len) {
  for (int kind = 0; kind < loop_kinds; ++kind)  // rows below read up to len + 47
    std::fill(ring_row(h, LoopKind(kind)), ring_row(h, LoopKind(kind)) + len + PaddedRows<double>::pad, 0.0);
  for (index_t e = min_hairpin + 1; e < len; ++e)
    if (const int type = t.types(h, h + e); type != 0 && t.out_qb(h, h + e) != 0) {
      const OuterPair pair{type, rna.code(h + 1), rna.code(h + e - 1)};
      for (int kind = 0; kind < loop_kinds; ++kind)
        ring_row(h, LoopKind(kind))[e] = t.out_qb(h, h + e) * t.loops->outer[kind][type][pair.si][pair.sj];
    }
}

// Per kind and j = i + d, the sum of out_qb(h, l) x outer part x size weight
// over the loops of that kind enclosing (i, j).
inline void PartitionKernel::gather_enclosing(const EnsembleTables& t, index_t i, index_t len) {
  for (int kind = 0; kind < loop_kinds; ++kind) std::fill(gathered(kind), gathered(kind) + len, 0.0);
  for (index_t s = 4; s < sizes; ++s) {  // generic loops by total size, grown from row i - 1
    // (i - 1, j + 1) at d + 2, and the loops with u1 = 2 (h = i - 3) and u2 = 2 (h = i - s + 1)
    const index_t shift = s + 2;
    const double* grown = s >= 6 ? by_size(i - 1, s - 2) + 2 : none_row();
    const double* left = i - 3 >= 1 ? ring_row(i - 3, generic_loop) + shift : none_row();
    const double* right = s > 4 && i - s + 1 >= 1 ? ring_row(i - s + 1, generic_loop) + shift : none_row();
    double* g = by_size(i, s);
    grow_sum(g, grown, left, asymmetry_[to_size(s)], right, asymmetry_[to_size(s)], gathered(generic_loop),
             s >= 6 ? generic_size_[to_size(s)] : 0.0, len);
    // past the row's end no pair encloses anything: 0 there for row i + 1, which reads 2 further
    std::fill(g + len, g + len + 2 * lanes<double> + 2, 0.0);
  }
  gather_direct(t, i, len, Pass::outside);
}

// Along row i (j descending) the outside weights of qm and qm1, then those of
// the row's pairs and of the multiloops they close, with the pairs' loop contexts.
inline void PartitionKernel::finish_outside_row(const Rna& rna, EnsembleTables& t, index_t i, index_t len) {
  const index_t w = len + PaddedRows<double>::pad;  // read up to len + a batch
  // T[d] = out_qm(i, j) + out_multi(i - 1, j + 1): what qm(i, j') passes on through qm1(j' + 1, j)
  double *heads = outside_rows_.row(0), *out_qm = outside_rows_.row(1), *out_qm1 = outside_rows_.row(4);
  const double* multi_above = outside_rows_.row(2 + (i + 1) % 2);
  double* multi = outside_rows_.row(2 + i % 2);
  for (double* row : {heads, out_qm, multi}) std::fill(row, row + w, 0.0);
  double next = 0;  // out_qm1(i, j + 1)
  for (index_t d = len - 1; d > min_hairpin; --d) {
    const index_t j = i + d;
    out_qm[d] = d + 5 < len ? dot(heads + d + 5, &t.qm1(j + 1, j + 5), len - (d + 5)) : 0.0;
    heads[d] = out_qm[d] + multi_above[d + 2];
    out_qm1[d] = next = next * t.multi_unpaired(1) + out_qm1_pushed_(i, j) + out_qm[d];  // h = i: weight 1
  }
  const auto& inner = t.loops->inner;
  for (index_t k = 0, count = pairable_columns(t.types, i, len, pairable_); k < count; ++k) {
    const index_t d = at(pairable_, k), j = i + d;
    // no loop encloses a pair at a sequence end (gathered 0 there); its missing neighbour read as 0
    const int type = t.types(i, j), sp = std::max(rna.code(i - 1), 0), sq = std::max(rna.code(j + 1), 0);
    double bulge = gathered(bulge_loop)[d] * inner[bulge_loop][type][sp][sq], interior = 0, stack = 0;
    for (int kind : {generic_loop, one_n_loop, two_three_loop}) interior += gathered(kind)[d] * inner[kind][type][sp][sq];
    for_each_tabulated_loop([&](auto u1, auto u2) {  // (h, l) that cannot pair: out_qb(h, l) = 0
      const index_t h = i - 1 - u1, l = j + 1 + u2;
      if (h < 1 || l > t.n || l - h >= t.width) return;
      const double o = t.out_qb(h, l) * t.factors->clamped(tabulated_energy<decltype(u1)::value, decltype(u2)::value>(rna, t.types(h, l), type, h, l, i, j)) *
                       t.unpaired(u1 + u2 + 2);
      constexpr LoopClass c = loop_class(u1, u2);
      (c == LoopClass::stack ? stack : c == LoopClass::bulge ? bulge : interior) += o;
    });
    const double out = t.exterior_seed(i, j) * t.exterior_stem_weight(rna, i, j) + stack + bulge + interior +
                       t.multi_stem_weight(rna, i, j) * out_qm1[d];
    t.out_qb(i, j) = out;
    multi[d] = out * t.multi_closing_weight(rna, i, j);
    // loop contexts: (i, j) closing its hairpin, as outer and as inner pair of bulges and interior loops
    const double qb = t.qb(i, j);
    t.add_loop_range(i + 1, j - 1, Context::hairpin, out * qb_hairpin_(i, j));
    for (const auto& [c, as_outer, as_inner] : {std::tuple{Context::bulge, qb_bulge_(i, j), bulge},
                                                 std::tuple{Context::interior, qb_interior_(i, j), interior}}) {
      at(t.loop_diff, i + 1)[slot(c)] += out * as_outer;
      at(t.loop_diff, j)[slot(c)] -= out * as_outer;
      at(t.loop_diff, i)[slot(c)] -= as_inner * qb;
      at(t.loop_diff, j + 1)[slot(c)] += as_inner * qb;
    }
  }
}

// Row i's outside weights of qm and of its multiloops into qm1's outside
// weight of every row i2 below: qm(i, j) x (unpaired bases i..i2 - 1 or
// qm(i, i2 - 1)) heads qm1(i2, j); a multiloop closed by (i, j + 1) holds
// qm(i + 1, i2 - 1) qm1(i2, j).
inline void PartitionKernel::push_multi(const EnsembleTables& t, index_t i, index_t len) {
  const double *out_qm = outside_rows_.row(1), *multi = outside_rows_.row(2 + i % 2);
  for (index_t i2 = i + 1; i2 + min_hairpin + 1 <= i + len - 1; ++i2) {
    const index_t first = i2 + min_hairpin + 1 - i;  // j = i + d from i2 + 4
    const double multi_head = i2 - 1 - (i + 1) > min_hairpin ? t.qm(i + 1, i2 - 1) : 0.0;
    axpy2(&out_qm1_pushed_(i2, i2 + min_hairpin + 1), out_qm + first, t.multi_unpaired(i2 - i) + t.qm(i, i2 - 1),
          multi + first + 1, multi_head, len - first);
  }
}

}  // namespace sster::fold
