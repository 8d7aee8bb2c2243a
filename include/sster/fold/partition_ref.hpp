#pragma once
// The partition function's specification: inside_ref and outside_ref fill
// the ensemble tables (fold/ensemble_tables.hpp) by their recursions, one
// entry and one loop at a time. fold/partition_kernel.hpp computes the same
// fast and is tested against these.
#include <algorithm>
#include <vector>

#include "sster/fold/ensemble_tables.hpp"

namespace sster::fold {

namespace detail {
// Calls fn(p, q) for every interior loop closed by (i, j) with inner pair (p, q).
template <class Fn>
void for_each_interior(const EnsembleTables& t, index_t i, index_t j, Fn&& fn) {
  for (index_t p = i + 1; p <= std::min(i + max_interior + 1, j - min_hairpin - 2); ++p)
    for (index_t q = j - 1; q >= std::max(p + min_hairpin + 1, j - 1 - (max_interior - (p - i - 1))); --q)
      if (t.types(p, q) != 0) fn(p, q);
}
// The same loops seen from the inner pair (p, q): fn(i, j).
template <class Fn>
void for_each_enclosing(const EnsembleTables& t, index_t p, index_t q, Fn&& fn) {
  for (index_t i = p - 1; i >= std::max<index_t>(1, p - max_interior - 1); --i)
    for (index_t j = q + 1; j <= std::min({t.n, q + 1 + (max_interior - (p - i - 1)), i + t.width - 1}); ++j)
      if (t.types(i, j) != 0) fn(i, j);
}
}  // namespace detail

// qb, qm1, qm (i descending, j ascending); the exterior loop is the caller's.
inline void inside_ref(const Rna& rna, EnsembleTables& t) {
  for (index_t i = t.n; i >= 1; --i) {
    for (index_t j = i + min_hairpin + 1; j <= std::min(t.n, i + t.width - 1); ++j) {
      double stem = 0;
      if (t.types(i, j) != 0) {
        double q = t.hairpin_weight(rna, i, j);
        detail::for_each_interior(t, i, j, [&](index_t p, index_t r) { q += t.interior_weight(rna, i, j, p, r) * t.qb(p, r); });
        double multi = 0;
        for (index_t k = i + 6; k <= j - 5; ++k) multi += t.qm(i + 1, k - 1) * t.qm1(k, j - 1);
        t.qb(i, j) = q + multi * t.multi_closing_weight(rna, i, j);
        stem = t.qb(i, j) * t.multi_stem_weight(rna, i, j);
      }
      t.qm1(i, j) = stem + t.qm1(i, j - 1) * t.multi_unpaired(1);
      double qm = 0;
      for (index_t k = i; k <= j - 4; ++k)
        qm += (t.multi_unpaired(k - i) + (k - 1 >= i ? t.qm(i, k - 1) : 0.0)) * t.qm1(k, j);
      t.qm(i, j) = qm;
    }
  }
}

// out_qb and the loop contexts, from the widest pairs inwards (i ascending, j
// descending), with the outside weights of qm and qm1 and the closing
// weights of multiloops (out_multi = out_qb x closing weight) on the way.
inline void outside_ref(const Rna& rna, EnsembleTables& t) {
  const index_t n = t.n, w = t.width;
  Band<double> out_qm, out_multi;
  out_qm.reset(n, w, 0.0);
  out_multi.reset(n, w, 0.0);
  for (index_t i = 1; i <= n; ++i) {
    double out_qm1_next = 0;  // out_qm1(i, j + 1)
    for (index_t j = std::min(n, i + w - 1); j >= i + min_hairpin + 1; --j) {
      // qm(i, j): the head of a longer qm(i, l) or of a multiloop closed by (i - 1, l).
      double oqm = 0;
      for (index_t l = j + 5; l <= std::min(n, i + w - 1); ++l) oqm += out_qm(i, l) * t.qm1(j + 1, l);
      if (i >= 2)
        for (index_t l = j + 6; l <= std::min(n, i - 1 + w - 1); ++l) oqm += out_multi(i - 1, l) * t.qm1(j + 1, l - 1);
      out_qm(i, j) = oqm;
      // qm1(i, j): the last stem of qm(h, j) for h <= i, the last of a multiloop
      // closed by (h, j + 1), or qm1(i, j + 1) minus its last unpaired base.
      double oqm1 = out_qm1_next * t.multi_unpaired(1);
      for (index_t h = i; h >= std::max<index_t>(1, j - w + 1); --h)
        oqm1 += out_qm(h, j) * (t.multi_unpaired(i - h) + (i - 1 >= h ? t.qm(h, i - 1) : 0.0));
      if (j + 1 <= n)
        for (index_t h = i - 6; h >= std::max<index_t>(1, j + 1 - w + 1); --h)
          oqm1 += out_multi(h, j + 1) * t.qm(h + 1, i - 1);
      out_qm1_next = oqm1;
      if (t.types(i, j) == 0) continue;
      // qb(i, j): a stem of the exterior loop, inside an interior loop, or a multiloop stem.
      double out = t.exterior_seed(i, j) * t.exterior_stem_weight(rna, i, j);
      const double inner = t.qb(i, j);
      detail::for_each_enclosing(t, i, j, [&](index_t h, index_t l) {
        const double o = t.out_qb(h, l) * t.interior_weight(rna, h, l, i, j);
        out += o;
        const index_t left = i - h - 1, right = l - j - 1;
        if (left == 0 && right == 0) return;  // a stack leaves no base unpaired
        const Context c = left == 0 || right == 0 ? Context::bulge : Context::interior;
        t.add_loop_range(h + 1, i - 1, c, o * inner);
        t.add_loop_range(j + 1, l - 1, c, o * inner);
      });
      out += t.multi_stem_weight(rna, i, j) * oqm1;
      t.out_qb(i, j) = out;
      out_multi(i, j) = out * t.multi_closing_weight(rna, i, j);
      t.add_loop_range(i + 1, j - 1, Context::hairpin, out * t.hairpin_weight(rna, i, j));
    }
  }
}

}  // namespace sster::fold
