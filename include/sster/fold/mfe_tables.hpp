#pragma once
// The tables of minimum free energy folding (Zuker & Stiegler 1981) in
// RNAfold's energy model (fold/energy.hpp), for pairs (i, j) within the band
// (fold/band.hpp), in dcal/mol:
//   c(i, j)    i and j pair: hairpin, interior loop (<= 30 unpaired), or multiloop
//   fm(i, j)   part of a multiloop: at least one stem in i..j
//   fm1(i, j)  exactly one stem, starting at i, then unpaired bases up to j
//   f5[j]      exterior loop over 1..j
// fill_mfe_ref is the specification: each entry the minimum over its
// decompositions, loop by loop. fold/mfe_kernel.hpp fills the same tables
// fast and must give every entry exactly as it does; the traceback
// (fold/mfe.hpp) reads either.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "sster/fold/band.hpp"
#include "sster/fold/energy.hpp"
#include "sster/fold/sequence.hpp"

namespace sster::fold {

struct MfeTables {
  Band<std::int8_t> types;  // pair type, 0 where the bases cannot pair or enclose fewer than 3 bases
  Band<int> c, fm, fm1;
  std::vector<int> f5;

  void reset(const Rna& rna, index_t width);
  // The stem (i, j) inside a multiloop: c plus its stem energy; inf if i, j cannot pair.
  int multi_stem(const Rna& rna, index_t i, index_t j) const {
    const int type = types(i, j);
    return type != 0 ? c(i, j) + multi_stem_energy(type, rna.code(i - 1), rna.code(j + 1)) : inf;
  }
};

// Pair types within the band; 0 where the bases cannot pair or enclose fewer
// than 3 bases.
inline void fill_pair_types(const Rna& rna, index_t width, Band<std::int8_t>& types) {
  const index_t n = rna.length();
  types.reset(n, width, 0);
  for (index_t i = 1; i <= n; ++i)
    for (index_t j = i + min_hairpin + 1; j <= std::min(n, i + width - 1); ++j)
      types(i, j) = static_cast<std::int8_t>(rna.pair_type(i, j));
}

// The columns d of row i (j = i + d, d < len) where i and j can pair, into
// `out`; their count. Branch-free: which bases pair is as good as random.
inline index_t pairable_columns(const Band<std::int8_t>& types, index_t i, index_t len, std::vector<index_t>& out) {
  out.resize(to_size(std::max<index_t>(len, 0)));
  index_t count = 0;
  for (index_t d = min_hairpin + 1; d < len; ++d) {
    at(out, count) = d;
    count += types(i, i + d) != 0;
  }
  return count;
}

inline void MfeTables::reset(const Rna& rna, index_t width) {
  const index_t n = rna.length();
  fill_pair_types(rna, width, types);
  c.reset(n, width, inf);
  fm.reset(n, width, inf);
  fm1.reset(n, width, inf);
}

// f5 from c: the exterior loop, j unpaired or the last stem (k, j).
inline void fill_exterior(const Rna& rna, MfeTables& t) {
  const index_t n = rna.length();
  t.f5.assign(to_size(n + 1), 0);
  for (index_t j = 1; j <= n; ++j) {
    int best = at(t.f5, j - 1);
    for (index_t k = std::max<index_t>(1, j - t.c.width() + 1); k <= j - min_hairpin - 1; ++k)
      if (const int type = t.types(k, j); type != 0)
        best = std::min(best, at(t.f5, k - 1) + t.c(k, j) + exterior_stem_energy(type, rna.code(k - 1), rna.code(j + 1)));
    at(t.f5, j) = best;
  }
}

namespace detail {
// c(i, j) of a pair: the hairpin, every interior loop, every multiloop.
inline int pair_energy_ref(const Rna& rna, const MfeTables& t, index_t i, index_t j) {
  int best = hairpin_energy(rna, i, j);
  for (index_t p = i + 1; p <= std::min(i + max_interior + 1, j - min_hairpin - 2); ++p)
    for (index_t q = j - 1; q >= std::max(p + min_hairpin + 1, j - 1 - (max_interior - (p - i - 1))); --q)
      if (t.types(p, q) != 0) best = std::min(best, interior_energy(rna, i, j, p, q) + t.c(p, q));
  const int closing = multi_closing_energy(rna, i, j);
  for (index_t k = i + 6; k <= j - 5; ++k) best = std::min(best, t.fm(i + 1, k - 1) + t.fm1(k, j - 1) + closing);
  return best;
}
}  // namespace detail

// The tables by their recursions, one entry at a time (i descending, j ascending).
inline void fill_mfe_ref(const Rna& rna, index_t width, MfeTables& t) {
  const index_t n = rna.length();
  t.reset(rna, width);
  for (index_t i = n; i >= 1; --i) {
    for (index_t j = i + min_hairpin + 1; j <= std::min(n, i + width - 1); ++j) {
      if (t.types(i, j) != 0) t.c(i, j) = detail::pair_energy_ref(rna, t, i, j);
      const int stem = t.multi_stem(rna, i, j);
      t.fm1(i, j) = std::min(stem, t.fm1(i, j - 1) + tp::ml_base);
      int fm = std::min({stem, t.fm(i + 1, j) + tp::ml_base, t.fm(i, j - 1) + tp::ml_base});
      for (index_t k = i + 5; k <= j - 4; ++k) fm = std::min(fm, t.fm(i, k - 1) + t.fm(k, j));
      t.fm(i, j) = fm;
    }
  }
  fill_exterior(rna, t);
}

}  // namespace sster::fold
