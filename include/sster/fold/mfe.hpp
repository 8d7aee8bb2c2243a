#pragma once
// Minimum free energy folding with its traceback to dot-bracket: the tables
// (fold/mfe_tables.hpp) filled by MfeKernel (fold/mfe_kernel.hpp), or by
// fill_mfe_ref with fold_ref; both give the same tables, so the same result.
// Ties are broken as RNAfold's traceback breaks them (the 3' base unpaired
// first, the innermost pair first, stacks before larger loops), so equal
// MFEs give the same structure in the common cases.
#include <cassert>
#include <string>
#include <string_view>
#include <vector>

#include "sster/fold/mfe_kernel.hpp"
#include "sster/fold/mfe_tables.hpp"
#include "sster/fold/options.hpp"
#include "sster/fold/sequence.hpp"

namespace sster::fold {

struct Mfe {
  std::string structure;  // dot-bracket
  int energy_dcal = 0;    // dcal/mol, an integer as in the parameter tables
  double energy() const { return energy_dcal / 100.0; }  // kcal/mol, RNAfold's "(-19.40)"
};

// Reusable tables: one MfeFolder per thread folds any number of records,
// allocating only when a record is longer (or wider) than every earlier one.
class MfeFolder {
 public:
  Mfe fold(const Rna& rna, const FoldOptions& options = {}) {
    kernel_.fill(rna, band_width(rna.length(), options), tables_);
    return result(rna);
  }
  // The same by fill_mfe_ref (the specification the kernel is tested against).
  Mfe fold_ref(const Rna& rna, const FoldOptions& options = {}) {
    fill_mfe_ref(rna, band_width(rna.length(), options), tables_);
    return result(rna);
  }
  // Only the energy in dcal/mol (no traceback).
  int energy(const Rna& rna, const FoldOptions& options = {}) {
    kernel_.fill(rna, band_width(rna.length(), options), tables_);
    return at(tables_.f5, rna.length());
  }
  // The tables of the last fold.
  const MfeTables& tables() const { return tables_; }

 private:
  Mfe result(const Rna& rna) const { return {traceback(rna), at(tables_.f5, rna.length())}; }

  enum class Part { pair, multi, multi_one };
  struct Segment {
    index_t i, j;
    Part part;
  };

  std::string traceback(const Rna& rna) const {
    const MfeTables& t = tables_;
    const index_t n = rna.length();
    std::string db(to_size(n), '.');
    std::vector<Segment> todo;
    for (index_t j = n; j >= 1;) {  // the exterior loop, from the 3' end
      if (at(t.f5, j) == at(t.f5, j - 1)) {
        --j;
        continue;
      }
      index_t k = j - min_hairpin - 1;
      for (; k >= std::max<index_t>(1, j - t.c.width() + 1); --k) {
        const int type = t.types(k, j);
        if (type != 0 && at(t.f5, j) == at(t.f5, k - 1) + t.c(k, j) +
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
    const MfeTables& t = tables_;
    at(db, i - 1) = '(';
    at(db, j - 1) = ')';
    const int cij = t.c(i, j);
    if (cij == hairpin_energy(rna, i, j)) return;
    for (index_t p = i + 1; p <= std::min(i + max_interior + 1, j - min_hairpin - 2); ++p)
      for (index_t q = j - 1; q >= std::max(p + min_hairpin + 1, j - 1 - (max_interior - (p - i - 1))); --q)
        if (t.types(p, q) != 0 && cij == interior_energy(rna, i, j, p, q) + t.c(p, q)) {
          todo.push_back({p, q, Part::pair});
          return;
        }
    const int inside = cij - multi_closing_energy(rna, i, j);
    for (index_t k = i + 6; k <= j - 5; ++k)
      if (inside == t.fm(i + 1, k - 1) + t.fm1(k, j - 1)) {
        todo.push_back({i + 1, k - 1, Part::multi});
        todo.push_back({k, j - 1, Part::multi_one});
        return;
      }
    assert(false && "MFE traceback found no decomposition");
  }

  void trace_multi(const Rna& rna, Segment s, std::vector<Segment>& todo) const {
    const MfeTables& t = tables_;
    const auto [i, j, part] = s;
    if (part == Part::multi_one) {
      todo.push_back(t.fm1(i, j) == t.fm1(i, j - 1) + tp::ml_base ? Segment{i, j - 1, Part::multi_one}
                                                                   : Segment{i, j, Part::pair});
      return;
    }
    const int fm = t.fm(i, j);
    if (fm == t.fm(i, j - 1) + tp::ml_base) return todo.push_back({i, j - 1, Part::multi});
    if (fm == t.fm(i + 1, j) + tp::ml_base) return todo.push_back({i + 1, j, Part::multi});
    if (fm == t.multi_stem(rna, i, j)) return todo.push_back({i, j, Part::pair});
    for (index_t k = i + 5; k <= j - 4; ++k)
      if (fm == t.fm(i, k - 1) + t.fm(k, j)) {
        todo.push_back({i, k - 1, Part::multi});
        todo.push_back({k, j, Part::multi});
        return;
      }
    assert(false && "MFE traceback found no multiloop decomposition");
  }

  MfeTables tables_;
  MfeKernel kernel_;
};

// The MFE structure of one sequence (letters as encode_rna reads them).
inline Mfe mfe(std::string_view sequence, const FoldOptions& options = {}) {
  MfeFolder folder;
  return folder.fold(encode_rna(sequence), options);
}

}  // namespace sster::fold
