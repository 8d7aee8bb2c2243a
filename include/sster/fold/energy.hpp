#pragma once
// The loop energies of the nearest-neighbour model as RNAfold computes them by
// default (Turner 2004, 37 degC, dangles d2), in integer dcal/mol:
//   hairpin     initiation by size (extrapolated beyond 30), terminal mismatch,
//               special tri-, tetra- and hexaloops (tabulated totals); a
//               triloop pays the terminal AU/GU penalty instead of a mismatch
//   interior    stack; bulge (size 1: plus the stack; longer: AU/GU closure on
//               both pairs); 1x1, 2x1 and 2x2 tables; 1xn, 2x3 and generic
//               loops: initiation + asymmetry (ninio, capped) + mismatches
//   multiloop   a + b per stem (the closing pair included) + c per unpaired
//               base, every stem with its d2 terminal mismatch and AU/GU penalty
//   exterior    per stem its d2 mismatch (a dangle at the sequence ends) and
//               AU/GU penalty
// Pairs (i, j) are 1-based positions of an Rna; (p, q) the inner pair of an
// interior loop.
#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/fold/sequence.hpp"
#include "sster/fold/turner2004.hpp"

namespace sster::fold {

namespace tp = turner2004;
inline constexpr int inf = tp::inf;
inline constexpr index_t min_hairpin = 3;    // unpaired bases in the smallest hairpin loop
inline constexpr index_t max_interior = 30;  // unpaired bases of an interior loop or bulge (RNAfold's default)

// Initiation of a loop of `size` from a table up to 30, beyond by lxc ln(size / 30)
// (truncated to whole dcal/mol, as RNAfold does).
inline int loop_initiation(const int (&table)[31], index_t size) {
  if (size <= 30) return table[size];
  return table[30] + static_cast<int>(tp::lxc * std::log(static_cast<double>(size) / 30.0));
}

// Hairpin loop closed by (i, j) whose initiation (loop_initiation(tp::hairpin,
// j - i - 1)) the caller has looked up already.
inline int hairpin_energy(const Rna& rna, index_t i, index_t j, int initiation) {
  const index_t size = j - i - 1;
  const int type = rna.pair_type(i, j);
  if (size < min_hairpin) return inf;
  if (size != 3 && size != 4 && size != 6)  // no special loops of this size
    return initiation + tp::mismatch_hairpin[type][rna.code(i + 1)][rna.code(j - 1)];
  const std::string_view loop = std::string_view(rna.letters).substr(to_size(i - 1), to_size(size + 2));
  auto special = [&](const auto& table) {
    for (const auto& h : table)
      if (h.loop == loop) return h.energy;
    return inf;
  };
  if (size == 4 && special(tp::tetraloops) != inf) return special(tp::tetraloops);
  if (size == 6 && special(tp::hexaloops) != inf) return special(tp::hexaloops);
  if (size == 3) {
    const int tri = special(tp::triloops);
    return tri != inf ? tri : initiation + (is_au_or_gu(type) ? tp::terminal_au : 0);
  }
  return initiation + tp::mismatch_hairpin[type][rna.code(i + 1)][rna.code(j - 1)];
}
inline int hairpin_energy(const Rna& rna, index_t i, index_t j) {
  return hairpin_energy(rna, i, j, loop_initiation(tp::hairpin, j - i - 1));
}

// The hairpin initiations of every loop size up to a width (a table instead
// of a logarithm per loop beyond 30 unpaired bases).
class HairpinInitiations {
 public:
  void reserve(index_t width) {
    for (index_t size = std::ssize(values_); size <= width; ++size)
      values_.push_back(loop_initiation(tp::hairpin, size));
  }
  int operator()(index_t size) const { return at(values_, size); }

 private:
  std::vector<int> values_;
};

// Whether interior_energy takes a loop of n1 x n2 unpaired bases whole from
// the tables: stacks, 1-nt bulges (with the stack), 1x1, 1x2, 2x1 and 2x2.
constexpr bool tabulated_loop(index_t n1, index_t n2) {
  const index_t large = std::max(n1, n2), small = std::min(n1, n2);
  return large <= 1 || (small >= 1 && large <= 2);
}

// Such a loop of n1 x n2 (known where it is compiled); the arguments as for interior_energy.
template <index_t n1, index_t n2>
constexpr int tabulated_interior_energy(int type, int type_in, int si1, int sj1, int sp1, int sq1) {
  static_assert(tabulated_loop(n1, n2));
  if constexpr (n1 + n2 == 0) return tp::stack[type][type_in];
  else if constexpr (n1 + n2 == 1) return tp::bulge[1] + tp::stack[type][type_in];
  else if constexpr (n1 == 1 && n2 == 1) return tp::int11[type][type_in][si1][sj1];
  else if constexpr (n1 == 1 && n2 == 2) return tp::int21[type][type_in][si1][sq1][sj1];
  else if constexpr (n1 == 2 && n2 == 1) return tp::int21[type_in][type][sq1][si1][sp1];
  else return tp::int22[type][type_in][si1][sp1][sq1][sj1];
}

// Interior loop between the outer pair of `type` and the inner pair whose
// reversed type (read from inside the loop) is `type_in`; n1 bases on the 5'
// side (i+1..p-1), n2 on the 3' side (q+1..j-1); si1 = i+1, sj1 = j-1,
// sp1 = p-1, sq1 = q+1 are the bases next to the pairs.
inline int interior_energy(int type, int type_in, int si1, int sj1, int sp1, int sq1, index_t n1, index_t n2) {
  switch (tabulated_loop(n1, n2) ? 3 * n1 + n2 : -1) {
    case 0: return tabulated_interior_energy<0, 0>(type, type_in, si1, sj1, sp1, sq1);
    case 1: return tabulated_interior_energy<0, 1>(type, type_in, si1, sj1, sp1, sq1);
    case 3: return tabulated_interior_energy<1, 0>(type, type_in, si1, sj1, sp1, sq1);
    case 4: return tabulated_interior_energy<1, 1>(type, type_in, si1, sj1, sp1, sq1);
    case 5: return tabulated_interior_energy<1, 2>(type, type_in, si1, sj1, sp1, sq1);
    case 7: return tabulated_interior_energy<2, 1>(type, type_in, si1, sj1, sp1, sq1);
    case 8: return tabulated_interior_energy<2, 2>(type, type_in, si1, sj1, sp1, sq1);
    default: break;
  }
  const index_t large = std::max(n1, n2), small = std::min(n1, n2);
  if (small == 0)  // bulge of 2 or more
    return loop_initiation(tp::bulge, large) + (is_au_or_gu(type) ? tp::terminal_au : 0) +
           (is_au_or_gu(type_in) ? tp::terminal_au : 0);
  const int asymmetry = static_cast<int>(std::min<index_t>(tp::max_ninio, (large - small) * tp::ninio));
  if (small == 1)
    return loop_initiation(tp::interior, large + 1) + asymmetry + tp::mismatch_interior_1n[type][si1][sj1] +
           tp::mismatch_interior_1n[type_in][sq1][sp1];
  if (small == 2 && large == 3)
    return tp::interior[5] + tp::ninio + tp::mismatch_interior_23[type][si1][sj1] +
           tp::mismatch_interior_23[type_in][sq1][sp1];
  return loop_initiation(tp::interior, large + small) + asymmetry + tp::mismatch_interior[type][si1][sj1] +
         tp::mismatch_interior[type_in][sq1][sp1];
}

inline int interior_energy(const Rna& rna, index_t i, index_t j, index_t p, index_t q) {
  return interior_energy(rna.pair_type(i, j), reversed_pair[rna.pair_type(p, q)], rna.code(i + 1), rna.code(j - 1),
                         rna.code(p - 1), rna.code(q + 1), p - i - 1, j - q - 1);
}

namespace detail {
// d2 contribution of a stem of `type` with base s5 on its 5' and s3 on its 3'
// side (-1: none, at a sequence end): the mismatch, or a single dangle.
constexpr int stem_neighbours(const int (&mismatch)[8][5][5], int type, int s5, int s3) {
  if (s5 >= 0 && s3 >= 0) return mismatch[type][s5][s3];
  if (s5 >= 0) return tp::dangle5[type][s5];
  if (s3 >= 0) return tp::dangle3[type][s3];
  return 0;
}
// A stem's energy for every type and neighbours, [type][s5 + 1][s3 + 1] (a
// lookup in place of the branches, for the folding loops).
using StemTable = std::array<std::array<std::array<int, 6>, 6>, 8>;
constexpr StemTable stem_table(const int (&mismatch)[8][5][5], int per_stem) {
  StemTable table{};
  for (int type = 0; type < 8; ++type)
    for (int s5 = -1; s5 <= 4; ++s5)
      for (int s3 = -1; s3 <= 4; ++s3)
        table[type][s5 + 1][s3 + 1] =
            stem_neighbours(mismatch, type, s5, s3) + (is_au_or_gu(type) ? tp::terminal_au : 0) + per_stem;
  return table;
}
inline constexpr StemTable exterior_stems = stem_table(tp::mismatch_exterior, 0);
inline constexpr StemTable multi_stems = stem_table(tp::mismatch_multi, tp::ml_intern);
}  // namespace detail

// A stem (i, j) in the exterior loop: s5 = base i-1, s3 = base j+1 (-1 at the ends):
// its d2 neighbours and the AU/GU penalty.
inline int exterior_stem_energy(int type, int s5, int s3) { return detail::exterior_stems[type][s5 + 1][s3 + 1]; }
// A stem inside a multiloop, the closing pair read from inside included: as
// in the exterior loop, with the multiloop's mismatches, plus ml_intern.
inline int multi_stem_energy(int type, int s5, int s3) { return detail::multi_stems[type][s5 + 1][s3 + 1]; }
// Closing a multiloop with (i, j): the loop penalty and the closing stem.
inline int multi_closing_energy(const Rna& rna, index_t i, index_t j) {
  return tp::ml_closing + multi_stem_energy(reversed_pair[rna.pair_type(i, j)], rna.code(j - 1), rna.code(i + 1));
}

// Partner of every position of a dot-bracket structure (0: unpaired), 1-based.
inline std::vector<index_t> pair_table(std::string_view dot_bracket, const std::string& where = "structure") {
  std::vector<index_t> partner(dot_bracket.size() + 2, 0), open;
  for (index_t p = 1; p <= std::ssize(dot_bracket); ++p) {
    const char c = at(dot_bracket, p - 1);
    if (c == '(') {
      open.push_back(p);
    } else if (c == ')') {
      require(!open.empty(), where + ": ')' at position " + std::to_string(p) + " closes no '('");
      at(partner, p) = open.back();
      at(partner, open.back()) = p;
      open.pop_back();
    } else {
      require(c == '.', where + ": '" + std::string(1, c) + "' at position " + std::to_string(p) +
                            " is not '(', ')' or '.'");
    }
  }
  require(open.empty(), where + ": '(' at position " + std::to_string(open.empty() ? 0 : open.back()) +
                            " is never closed");
  return partner;
}

// Free energy of a structure in dcal/mol (RNAfold's eval): the sum of its
// loops. Throws for a structure of another length, a pair the model does not
// allow or a hairpin of fewer than 3 bases.
inline int structure_energy(const Rna& rna, std::string_view dot_bracket) {
  const index_t n = rna.length();
  require(std::ssize(dot_bracket) == n, "structure of length " + std::to_string(dot_bracket.size()) +
                                            " for a sequence of length " + std::to_string(n));
  const auto partner = pair_table(dot_bracket);
  int energy = 0;
  for (index_t i = 1; i <= n; ++i) {
    const index_t j = at(partner, i);
    if (j == 0) continue;
    if (j < i) continue;
    const int type = rna.pair_type(i, j);
    require(type != 0, "structure: bases " + std::to_string(i) + " and " + std::to_string(j) + " (" +
                           std::string(1, at(rna.letters, i - 1)) + "-" + std::string(1, at(rna.letters, j - 1)) +
                           ") cannot pair");
    require(j - i - 1 >= min_hairpin, "structure: the pair (" + std::to_string(i) + ", " + std::to_string(j) +
                                          ") encloses fewer than 3 bases");
    std::vector<index_t> inner;  // the pairs directly inside the loop (i, j) closes
    index_t unpaired = 0;
    for (index_t p = i + 1; p < j; ++p) {
      if (at(partner, p) > p) {
        inner.push_back(p);
        p = at(partner, p);
      } else {
        ++unpaired;
      }
    }
    if (inner.empty()) {
      energy += hairpin_energy(rna, i, j);
    } else if (inner.size() == 1) {
      energy += interior_energy(rna, i, j, inner[0], at(partner, inner[0]));
    } else {
      energy += multi_closing_energy(rna, i, j) + static_cast<int>(unpaired) * tp::ml_base;
      for (index_t p : inner) energy += multi_stem_energy(rna.pair_type(p, at(partner, p)), rna.code(p - 1),
                                                          rna.code(at(partner, p) + 1));
    }
  }
  for (index_t i = 1; i <= n; ++i) {  // stems of the exterior loop
    const index_t j = at(partner, i);
    if (j > i) {
      energy += exterior_stem_energy(rna.pair_type(i, j), rna.code(i - 1), rna.code(j + 1));
      i = j;
    }
  }
  return energy;
}

}  // namespace sster::fold
