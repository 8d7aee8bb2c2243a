#pragma once
// GenomeLetters: genome text -> the model's symbols, one per base.
//
// Letters of the model's alphabet map to their symbols, either case (soft-
// masked repeats are lower case). For DNA and RNA models T and U are the
// same base, so an RNA model reads a DNA genome. The unknown base (N, or X
// for other alphabets; for DNA and RNA also IUPAC's ambiguity codes R Y S W
// K M B D H V, which assemblies use at a few positions) follows a policy:
//   skip    windows that contain one are not scored (the default of scan)
//   zero    it is no letter at all: every channel zero (no_symbol)
//   random  pysster's rule: a random letter of the alphabet, a pure function
//           of (seed, sequence, position), so it does not depend on chunking,
//           threads or strand
// Any other character is an error for the caller to report with its file and
// line: encode() returns where it is.
#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/random.hpp"
#include "sster/core/symbol.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/data/reverse_complement.hpp"

namespace sster {

enum class UnknownBases { skip, zero, random };

inline UnknownBases parse_unknown_bases(const std::string& name) {
  if (name == "skip") return UnknownBases::skip;
  if (name == "zero") return UnknownBases::zero;
  if (name == "random") return UnknownBases::random;
  throw Error("unknown-base policy '" + name + "': expected skip, zero or random");
}

class GenomeLetters {
 public:
  GenomeLetters(const Alphabet& alphabet, UnknownBases policy, std::uint64_t seed)
      : policy_(policy), letters_(static_cast<std::uint64_t>(alphabet.sequence().size())),
        key_(seed, Purpose::unknown_symbol) {
    require(!alphabet.has_structure(), "genome sequences have no structure letters; this model reads '" +
                                           alphabet.to_string() + "' (sequence x structure)");
    nucleic_ = ReverseComplement::supported(alphabet);
    unknown_letter_ = nucleic_ ? 'N' : 'X';
    table_.fill(invalid);
    for (int c = 0; c < 256; ++c) {
      const int s = alphabet.sequence_letter_index(static_cast<char>(c));
      if (s >= 0) at(table_, c) = static_cast<std::uint8_t>(s);
    }
    if (nucleic_) {  // T and U are one base
      const int t = alphabet.sequence_letter_index('T') >= 0 ? alphabet.sequence_letter_index('T')
                                                               : alphabet.sequence_letter_index('U');
      for (char c : {'T', 't', 'U', 'u'}) at(table_, static_cast<unsigned char>(c)) = static_cast<std::uint8_t>(t);
    }
    std::string unknowns(1, unknown_letter_);
    if (nucleic_) unknowns += "RYSWKMBDHV";
    for (char c : unknowns)
      for (char cased : {c, static_cast<char>(std::tolower(static_cast<unsigned char>(c)))})
        at(table_, static_cast<unsigned char>(cased)) = unknown;
    for (char c : alphabet.sequence()) expected_ += std::string(expected_.empty() ? "" : ", ") + c;
    if (nucleic_) expected_ += std::string(", ") + (alphabet.sequence_letter_index('T') >= 0 ? "U" : "T");
    expected_ += std::string(" (either case) or ") + unknown_letter_ + (nucleic_ ? " (or an IUPAC ambiguity code)" : "");
  }

  UnknownBases policy() const { return policy_; }
  char unknown_letter() const { return unknown_letter_; }
  // "A, C, G, T (either case) or N": what a base may be, for messages.
  const std::string& expected() const { return expected_; }

  struct Result {
    index_t unknown = 0;  // unknown bases seen
    index_t invalid = -1; // offset of the first character that is no base, or -1
  };

  // Encodes text (the bases at positions begin, begin+1, ... of sequence
  // `sequence`) into out. Stops at the first invalid character.
  Result encode(std::string_view text, index_t sequence, index_t begin, std::uint8_t* out) const {
    Result r;
    const RandomKey key = key_.with(static_cast<std::uint64_t>(sequence));
    const auto n = std::ssize(text);
    for (index_t i = 0; i < n; ++i) {
      std::uint8_t s = at(table_, static_cast<unsigned char>(text[to_size(i)]));
      if (s == invalid) {
        r.invalid = i;
        return r;
      }
      if (s == unknown) {
        ++r.unknown;
        s = policy_ == UnknownBases::random
                ? static_cast<std::uint8_t>(key.below(static_cast<std::uint64_t>(begin + i), letters_))
                : no_symbol;
      }
      out[i] = s;
    }
    return r;
  }

  // Whether c is a base or an unknown base, and whether it is an unknown one.
  bool valid(char c) const { return at(table_, static_cast<unsigned char>(c)) != invalid; }
  bool is_unknown(char c) const { return at(table_, static_cast<unsigned char>(c)) == unknown; }

 private:
  static constexpr std::uint8_t invalid = 0xFE, unknown = 0xFD;  // never symbols of a model's alphabet here
  UnknownBases policy_;
  std::uint64_t letters_;
  RandomKey key_;
  bool nucleic_ = false;
  char unknown_letter_ = 'N';
  std::array<std::uint8_t, 256> table_{};
  std::string expected_;
};

}  // namespace sster
