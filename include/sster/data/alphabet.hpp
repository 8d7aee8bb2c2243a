#pragma once
// Alphabet: the letters a sequence (and optionally its structure) may use,
// and the symbol index each position is stored as.
//
// A combined sequence x structure alphabet has one symbol per pair, in
// pysster's channel order (Alphabet_Encoder enumerates
// itertools.product(sequence, structure)): symbol = s * |structure| + t for
// sequence letter s and structure letter t. "ACGU" x "()." is therefore
// A( A) A. C( C) C. G( ... U. -- 12 symbols, and a first convolution with
// kernel_len 5 and 3 kernels has weights of shape (5, 12, 3) as in pysster.
// Letters keep the order given (pysster's One_Hot_Encoder does not sort them).
#include <array>
#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include "sster/core/error.hpp"
#include "sster/core/symbol.hpp"
#include "sster/core/tensor.hpp"

namespace sster {

class Alphabet {
 public:
  // An empty placeholder (size() == 0), e.g. inside a default-constructed Data.
  Alphabet() { build_tables(); }

  explicit Alphabet(std::string sequence_letters, std::string structure_letters = "")
      : sequence_(std::move(sequence_letters)), structure_(std::move(structure_letters)) {
    check_letters(sequence_, "sequence");
    if (!structure_.empty()) check_letters(structure_, "structure");
    require(size() <= max_symbols, "alphabet '" + sequence_ + "' x '" + structure_ + "' has " +
                                       std::to_string(size()) + " symbols; at most " +
                                       std::to_string(max_symbols) + " fit in one byte per position");
    build_tables();
  }

  // Number of symbols = number of one-hot channels.
  index_t size() const {
    if (sequence_.empty()) return 0;
    return static_cast<index_t>(sequence_.size() * (structure_.empty() ? 1 : structure_.size()));
  }
  const std::string& sequence() const { return sequence_; }
  const std::string& structure() const { return structure_; }
  bool has_structure() const { return !structure_.empty(); }
  index_t structure_size() const { return static_cast<index_t>(structure_.size()); }

  // "A", or "A(" for combined alphabets; "-" for no_symbol (padding).
  std::string symbol_name(std::uint8_t s) const {
    if (s == no_symbol) return "-";
    require(s < size(), "symbol " + std::to_string(s) + " is outside the alphabet " + to_string() + " (" +
                            std::to_string(size()) + " symbols)");
    std::string name(1, sequence_letter(s));
    if (has_structure()) name += structure_letter(s);
    return name;
  }
  // The sequence / structure letter of a symbol (s < size()).
  char sequence_letter(std::uint8_t s) const { return at(sequence_, s / stride()); }
  char structure_letter(std::uint8_t s) const {
    return has_structure() ? at(structure_, s % stride()) : '\0';
  }
  int sequence_index(std::uint8_t s) const { return s / stride(); }
  int structure_index(std::uint8_t s) const { return s % stride(); }

  // Index of a letter in the sequence / structure letters, or -1. Matching is
  // case-insensitive (pysster upper-cases its input) unless both cases are
  // letters of the alphabet.
  int sequence_letter_index(char c) const { return seq_table_[static_cast<unsigned char>(c)]; }
  int structure_letter_index(char c) const { return struct_table_[static_cast<unsigned char>(c)]; }

  // Symbol index of a (sequence, structure) pair, or -1. Without a structure
  // alphabet, `structure` must be '\0'.
  int encode(char seq, char structure = '\0') const {
    const int s = sequence_letter_index(seq);
    if (s < 0) return -1;
    if (!has_structure()) return structure == '\0' ? s : -1;
    const int t = structure_letter_index(structure);
    return t < 0 ? -1 : s * stride() + t;
  }
  int combine(int sequence_index, int structure_index) const { return sequence_index * stride() + structure_index; }

  bool operator==(const Alphabet& o) const { return sequence_ == o.sequence_ && structure_ == o.structure_; }

  // "DNA", "RNA", "protein" for the built-in sequence letters, else "custom".
  std::string name() const {
    if (sequence_ == "ACGT") return "DNA";
    if (sequence_ == "ACGU") return "RNA";
    if (sequence_ == "ACDEFGHIKLMNPQRSTVWY") return "protein";
    return "custom";
  }
  // For messages: "the RNA alphabet ACGU", "the alphabet XYZ".
  std::string describe_sequence() const {
    const auto n = name();
    return (n == "custom" ? std::string("the alphabet ") : "the " + n + " alphabet ") + sequence_;
  }
  std::string describe_structure() const { return "the structure alphabet " + structure_; }

  // "ACGU" or "ACGU ()." -- letters are never whitespace, so one space separates
  // the parts unambiguously. Used in model and data files.
  std::string to_string() const { return has_structure() ? sequence_ + ' ' + structure_ : sequence_; }
  static Alphabet from_string(const std::string& text) {
    const auto space = text.find(' ');
    if (space == std::string::npos) return Alphabet(text);
    require(text.find(' ', space + 1) == std::string::npos,
            "alphabet text '" + text + "': expected 'SEQUENCE' or 'SEQUENCE STRUCTURE' letters");
    return Alphabet(text.substr(0, space), text.substr(space + 1));
  }

 private:
  int stride() const { return structure_.empty() ? 1 : static_cast<int>(structure_.size()); }

  static void check_letters(const std::string& letters, const char* what) {
    require(!letters.empty(), std::string("the ") + what + " alphabet is empty");
    std::array<bool, 256> seen{};
    for (char c : letters) {
      const auto u = static_cast<unsigned char>(c);
      require(std::isgraph(u) != 0, std::string("the ") + what + " alphabet '" + letters +
                                        "' contains a space or control character (code " + std::to_string(u) +
                                        ")");
      require(!seen[u], std::string("the ") + what + " alphabet '" + letters + "' contains '" + c + "' twice");
      seen[u] = true;
    }
  }

  static void fill_table(std::array<std::int16_t, 256>& table, const std::string& letters) {
    table.fill(-1);
    for (std::size_t i = 0; i < letters.size(); ++i) table[static_cast<unsigned char>(letters[i])] = static_cast<std::int16_t>(i);
    // The other case maps to the same letter unless it is a letter of its own.
    for (std::size_t i = 0; i < letters.size(); ++i) {
      const auto u = static_cast<unsigned char>(letters[i]);
      const int other = std::isupper(u) ? std::tolower(u) : std::toupper(u);
      if (table[static_cast<unsigned char>(other)] < 0) table[static_cast<unsigned char>(other)] = static_cast<std::int16_t>(i);
    }
  }
  void build_tables() {
    fill_table(seq_table_, sequence_);
    fill_table(struct_table_, structure_);
  }

  std::string sequence_;
  std::string structure_;
  std::array<std::int16_t, 256> seq_table_{};
  std::array<std::int16_t, 256> struct_table_{};
};

namespace alphabet {
inline Alphabet dna() { return Alphabet("ACGT"); }
inline Alphabet rna() { return Alphabet("ACGU"); }
inline Alphabet protein() { return Alphabet("ACDEFGHIKLMNPQRSTVWY"); }
// RNA with dot-bracket structure (12 symbols) or forgi/pysster annotations
// (F 5' end, H hairpin, I internal loop, M multiloop, S stem, T 3' end; 24 symbols).
inline Alphabet rna_dot_bracket() { return Alphabet("ACGU", "()."); }
inline Alphabet rna_annotated() { return Alphabet("ACGU", "FHIMST"); }
}  // namespace alphabet

}  // namespace sster
