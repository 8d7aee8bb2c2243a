#pragma once
// Minimum free energy folding (Zuker & Stiegler 1981) in RNAfold's energy
// model (fold/energy.hpp), with its traceback to dot-bracket. Tables, for
// pairs (i, j) within the band (fold/band.hpp):
//   c(i, j)    i and j pair: hairpin, interior loop (<= 30 unpaired), or multiloop
//   fm(i, j)   part of a multiloop: at least one stem in i..j
//   fm1(i, j)  exactly one stem, starting at i, then unpaired bases up to j
//   f5[j]      exterior loop over 1..j
// Ties are broken as RNAfold's traceback breaks them (the 3' base unpaired
// first, the innermost pair first, stacks before larger loops), so equal
// MFEs give the same structure in the common cases.
#include <algorithm>
#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sster/fold/band.hpp"
#include "sster/fold/energy.hpp"
#include "sster/fold/options.hpp"
#include "sster/fold/sequence.hpp"

namespace sster::fold {

struct Mfe {
  std::string structure;  // dot-bracket
  int energy_dcal = 0;    // dcal/mol, an integer as in the parameter tables
  double energy() const { return energy_dcal / 100.0; }  // kcal/mol, RNAfold's "(-19.40)"
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

// Reusable tables: one MfeFolder per thread folds any number of records,
// allocating only when a record is longer (or wider) than every earlier one.
class MfeFolder {
 public:
  Mfe fold(const Rna& rna, const FoldOptions& options = {}) {
    fill(rna, band_width(rna.length(), options));
    return {traceback(rna), at(f5_, rna.length())};
  }
  // Only the energy in dcal/mol (no traceback).
  int energy(const Rna& rna, const FoldOptions& options = {}) {
    fill(rna, band_width(rna.length(), options));
    return at(f5_, rna.length());
  }

 private:
  int pair_energy(const Rna& rna, index_t i, index_t j, int type) const {
    int best = hairpin_energy(rna, i, j);
    const int si1 = rna.code(i + 1), sj1 = rna.code(j - 1);
    for (index_t p = i + 1; p <= std::min(i + max_interior + 1, j - min_hairpin - 2); ++p) {
      const index_t u1 = p - i - 1;
      const index_t q_min = std::max(p + min_hairpin + 1, j - 1 - (max_interior - u1));
      const int sp1 = rna.code(p - 1);
      for (index_t q = j - 1; q >= q_min; --q) {
        const int type_in = types_(p, q);
        if (type_in == 0) continue;
        const int e = interior_energy(type, reversed_pair[type_in], si1, sj1, sp1, rna.code(q + 1), u1, j - q - 1);
        best = std::min(best, e + c_(p, q));
      }
    }
    const int closing = multi_closing_energy(rna, i, j);
    for (index_t k = i + 6; k <= j - 5; ++k) best = std::min(best, fm_(i + 1, k - 1) + fm1_(k, j - 1) + closing);
    return best;
  }

  void fill(const Rna& rna, index_t width) {
    const index_t n = rna.length();
    fill_pair_types(rna, width, types_);
    c_.reset(n, width, inf);
    fm_.reset(n, width, inf);
    fm_cols_.reset(n, width, inf);
    fm1_.reset(n, width, inf);
    for (index_t i = n; i >= 1; --i) {
      for (index_t j = i + min_hairpin + 1; j <= std::min(n, i + width - 1); ++j) {
        const int type = types_(i, j);
        int stem = inf;
        if (type != 0) {
          c_(i, j) = pair_energy(rna, i, j, type);
          stem = c_(i, j) + multi_stem_energy(type, rna.code(i - 1), rna.code(j + 1));
        }
        fm1_(i, j) = std::min(stem, fm1_(i, j - 1) + tp::ml_base);
        int fm = std::min({stem, fm_(i + 1, j) + tp::ml_base, fm_(i, j - 1) + tp::ml_base});
        for (index_t k = i + 5; k <= j - 4; ++k) fm = std::min(fm, fm_(i, k - 1) + fm_cols_(k, j));
        fm_(i, j) = fm_cols_(i, j) = fm;
      }
    }
    f5_.assign(to_size(n + 1), 0);
    for (index_t j = 1; j <= n; ++j) {
      int best = at(f5_, j - 1);
      for (index_t k = std::max<index_t>(1, j - width + 1); k <= j - min_hairpin - 1; ++k)
        if (const int type = types_(k, j); type != 0 && c_(k, j) < inf)
          best = std::min(best, at(f5_, k - 1) + c_(k, j) + exterior_stem_energy(type, rna.code(k - 1), rna.code(j + 1)));
      at(f5_, j) = best;
    }
  }

  enum class Part { pair, multi, multi_one };
  struct Segment {
    index_t i, j;
    Part part;
  };

  std::string traceback(const Rna& rna) const {
    const index_t n = rna.length();
    std::string db(to_size(n), '.');
    std::vector<Segment> todo;
    for (index_t j = n; j >= 1;) {  // the exterior loop, from the 3' end
      if (at(f5_, j) == at(f5_, j - 1)) {
        --j;
        continue;
      }
      index_t k = j - min_hairpin - 1;
      for (; k >= std::max<index_t>(1, j - c_.width() + 1); --k) {
        const int type = types_(k, j);
        if (type != 0 && at(f5_, j) == at(f5_, k - 1) + c_(k, j) +
                                           exterior_stem_energy(type, rna.code(k - 1), rna.code(j + 1)))
          break;
      }
      todo.push_back({k, j, Part::pair});
      j = k - 1;
    }
    while (!todo.empty()) {
      const Segment s = todo.back();
      todo.pop_back();
      if (s.part == Part::pair) trace_pair(rna, s.i, s.j, db, todo);
      else trace_multi(rna, s, todo);
    }
    return db;
  }

  void trace_pair(const Rna& rna, index_t i, index_t j, std::string& db, std::vector<Segment>& todo) const {
    at(db, i - 1) = '(';
    at(db, j - 1) = ')';
    const int cij = c_(i, j), type = types_(i, j);
    if (cij == hairpin_energy(rna, i, j)) return;
    for (index_t p = i + 1; p <= std::min(i + max_interior + 1, j - min_hairpin - 2); ++p) {
      const index_t q_min = std::max(p + min_hairpin + 1, j - 1 - (max_interior - (p - i - 1)));
      for (index_t q = j - 1; q >= q_min; --q) {
        const int type_in = types_(p, q);
        if (type_in == 0) continue;
        if (cij == interior_energy(type, reversed_pair[type_in], rna.code(i + 1), rna.code(j - 1), rna.code(p - 1),
                                   rna.code(q + 1), p - i - 1, j - q - 1) + c_(p, q)) {
          todo.push_back({p, q, Part::pair});
          return;
        }
      }
    }
    const int inside = cij - multi_closing_energy(rna, i, j);
    for (index_t k = i + 6; k <= j - 5; ++k)
      if (inside == fm_(i + 1, k - 1) + fm1_(k, j - 1)) {
        todo.push_back({i + 1, k - 1, Part::multi});
        todo.push_back({k, j - 1, Part::multi_one});
        return;
      }
    assert(false && "MFE traceback found no decomposition");
  }

  void trace_multi(const Rna& rna, Segment s, std::vector<Segment>& todo) const {
    const auto [i, j, part] = s;
    const int type = types_(i, j);
    const int stem = type != 0 && c_(i, j) < inf ? c_(i, j) + multi_stem_energy(type, rna.code(i - 1), rna.code(j + 1))
                                                  : inf;
    if (part == Part::multi_one) {
      todo.push_back(fm1_(i, j) == fm1_(i, j - 1) + tp::ml_base ? Segment{i, j - 1, Part::multi_one}
                                                                  : Segment{i, j, Part::pair});
      return;
    }
    const int fm = fm_(i, j);
    if (fm == fm_(i, j - 1) + tp::ml_base) return todo.push_back({i, j - 1, Part::multi});
    if (fm == fm_(i + 1, j) + tp::ml_base) return todo.push_back({i + 1, j, Part::multi});
    if (fm == stem) return todo.push_back({i, j, Part::pair});
    for (index_t k = i + 5; k <= j - 4; ++k)
      if (fm == fm_(i, k - 1) + fm_cols_(k, j)) {
        todo.push_back({i, k - 1, Part::multi});
        todo.push_back({k, j, Part::multi});
        return;
      }
    assert(false && "MFE traceback found no multiloop decomposition");
  }

  Band<std::int8_t> types_;
  Band<int> c_, fm_;
  Band<int, BandOrder::columns> fm_cols_, fm1_;  // read down columns in the multiloop sums
  std::vector<int> f5_;
};

// The MFE structure of one sequence (letters as encode_rna reads them).
inline Mfe mfe(std::string_view sequence, const FoldOptions& options = {}) {
  MfeFolder folder;
  return folder.fold(encode_rna(sequence), options);
}

}  // namespace sster::fold
