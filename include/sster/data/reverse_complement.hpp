#pragma once
// ReverseComplement: the other strand of a DNA or RNA sequence, on symbols.
//   symbols (L) -> symbols (L): reversed, each letter replaced by its
//   complement (A<->T or U, C<->G); no_symbol (padding, an unknown letter
//   encoded as nothing) stays no_symbol.
// Only alphabets made of exactly A, C, G and T (or U), in any order and
// without structure letters, have a reverse complement; any other is an
// sster::Error naming the alphabet.
#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <string>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/symbol.hpp"
#include "sster/data/alphabet.hpp"

namespace sster {

class ReverseComplement {
 public:
  // `what` names the use in the error message ("--rc-augment").
  explicit ReverseComplement(const Alphabet& a, const std::string& what = "the reverse complement") {
    require(supported(a), what + " needs a DNA or RNA alphabet (the letters ACGT or ACGU, no structure); " +
                              (a.has_structure() ? "this one has the structure letters '" + a.structure() + "'"
                                                 : "this one is '" + a.sequence() + "'"));
    complement_.fill(no_symbol);
    const std::string& letters = a.sequence();
    for (std::size_t i = 0; i < letters.size(); ++i) {
      const char p = partner(letters[i]);
      int s = a.sequence_letter_index(p);
      if (s < 0) s = a.sequence_letter_index('U');  // A pairs with U in RNA
      complement_[i] = static_cast<std::uint8_t>(s);
    }
  }

  // Whether `a` has a reverse complement.
  static bool supported(const Alphabet& a) {
    if (a.has_structure() || a.sequence().size() != 4) return false;
    std::string upper = a.sequence();
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::sort(upper.begin(), upper.end());
    return upper == "ACGT" || upper == "ACGU";
  }

  std::uint8_t complement(std::uint8_t s) const { return complement_[s]; }

  // out = the reverse complement of in (n symbols); in and out may be the same.
  void apply(const std::uint8_t* in, index_t n, std::uint8_t* out) const {
    if (in == out) {
      std::reverse(out, out + n);
    } else {
      std::reverse_copy(in, in + n, out);
    }
    for (index_t i = 0; i < n; ++i) out[i] = complement_[out[i]];
  }

 private:
  static char partner(char c) {
    switch (std::toupper(static_cast<unsigned char>(c))) {
      case 'A': return 'T';
      case 'C': return 'G';
      case 'G': return 'C';
      default: return 'A';  // T or U
    }
  }

  std::array<std::uint8_t, 256> complement_{};  // no_symbol (255) maps to itself
};

}  // namespace sster
