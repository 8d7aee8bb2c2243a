#pragma once
// An RNA sequence as the folding algorithms read it: base codes in the
// energy tables' order (1 A, 2 C, 3 G, 4 U; 0 N, which pairs with nothing),
// 1-based with a sentinel -1 ("no base") at 0 and n + 1, so a stem's
// neighbours can be looked up without a bounds test.
//
// Input letters: A C G U in either case; T/t are read as U (DNA input); N/n
// is an unknown base that stays unpaired (counted in `unknown`). Any other
// letter is an Error naming its position.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"

namespace sster::fold {

// Pair types of the energy tables: 0 none, 1 CG, 2 GC, 3 GU, 4 UG, 5 AU, 6 UA.
inline constexpr int pair_types[5][5] = {
    {0, 0, 0, 0, 0},  // N
    {0, 0, 0, 0, 5},  // A: AU
    {0, 0, 0, 1, 0},  // C: CG
    {0, 0, 2, 0, 3},  // G: GC GU
    {0, 6, 0, 4, 0},  // U: UA UG
};
// The type of pair (j, i) for a pair (i, j) of type t.
inline constexpr int reversed_pair[8] = {0, 2, 1, 4, 3, 6, 5, 7};

// AU and GU pairs (types 3..6) pay the terminal AU penalty where they close a helix.
constexpr bool is_au_or_gu(int type) { return type > 2; }

struct Rna {
  std::string letters;             // upper case, T read as U; letters[p - 1] is base p
  std::vector<std::int8_t> codes;  // codes[p] for p = 1..n; codes[0] = codes[n + 1] = -1
  index_t unknown = 0;             // N bases

  index_t length() const { return std::ssize(letters); }
  int code(index_t p) const { return at(codes, p); }
  // Pair type of bases p and q (1-based), 0 if they cannot pair.
  int pair_type(index_t p, index_t q) const { return pair_types[code(p)][code(q)]; }
};

namespace detail {
inline int base_code(char c) {
  switch (c) {
    case 'A': case 'a': return 1;
    case 'C': case 'c': return 2;
    case 'G': case 'g': return 3;
    case 'U': case 'u': case 'T': case 't': return 4;
    case 'N': case 'n': return 0;
    default: return -1;
  }
}
}  // namespace detail

// `where` names the sequence in messages ("pum2.fa record 3 (line 7)").
inline Rna encode_rna(std::string_view sequence, const std::string& where = "sequence") {
  require(!sequence.empty(), where + ": the sequence is empty (nothing to fold)");
  Rna rna;
  rna.letters.resize(sequence.size());
  rna.codes.assign(sequence.size() + 2, -1);
  for (index_t p = 0; p < std::ssize(sequence); ++p) {
    const char c = at(sequence, p);
    const int code = detail::base_code(c);
    if (code < 0)
      throw Error(where + ": '" + std::string(1, c) + "' at position " + std::to_string(p + 1) +
                  " is not an RNA base (expected A, C, G, U, T or N)");
    at(rna.codes, p + 1) = static_cast<std::int8_t>(code);
    at(rna.letters, p) = "NACGU"[code];
    if (code == 0) ++rna.unknown;
  }
  return rna;
}

}  // namespace sster::fold
