#pragma once
// SequenceEncoder: a FASTA record -> one symbol (uint8_t) per position.
//
// Sequence letters outside the alphabet (N, X, ...) are replaced by a random
// letter of the alphabet, as pysster does; the choice is a pure function of
// (seed, record key, position), so it does not depend on reading order or
// threads. With replace_unknown off they are an error instead. Structure
// letters outside the structure alphabet are an error (a wrong structure
// alphabet is a mistake worth reporting, not noise), unless
// replace_unknown_structure asks for pysster's way: a random structure
// letter, keyed like the sequence letters (counters from 2^32 on). For a
// structure profile the structure part of each symbol is the most probable
// row; the probabilities themselves stay available as floats.
#include <array>
#include <cstdint>
#include <string>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/random.hpp"
#include "sster/core/symbol.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/data/fasta.hpp"

namespace sster {

class SequenceEncoder {
 public:
  SequenceEncoder(Alphabet alphabet, std::uint64_t seed, bool replace_unknown = true,
                  bool replace_unknown_structure = false)
      : alphabet_(std::move(alphabet)),
        key_(seed, Purpose::unknown_symbol),
        replace_unknown_(replace_unknown),
        replace_unknown_structure_(replace_unknown_structure) {
    require(alphabet_.size() > 0, "SequenceEncoder: the alphabet is empty");
    for (int c = 0; c < 256; ++c) {
      const int s = alphabet_.sequence_letter_index(static_cast<char>(c));
      const int t = alphabet_.structure_letter_index(static_cast<char>(c));
      at(seq_, c) = static_cast<std::uint8_t>(s < 0 ? unknown : s);
      at(struct_, c) = static_cast<std::uint8_t>(t < 0 ? unknown : t);
    }
  }

  const Alphabet& alphabet() const { return alphabet_; }

  // Writes rec.sequence.size() symbols to out and returns how many sequence
  // (and structure) letters were replaced. `path` names the file in error messages;
  // record_key (e.g. the record's index in the data set) keys the replacements.
  index_t encode(const FastaRecord& rec, const std::string& path, std::uint64_t record_key, std::uint8_t* out) const {
    const auto n = rec.sequence.size();
    const auto letters = static_cast<std::uint64_t>(alphabet_.sequence().size());
    const RandomKey key = key_.with(record_key);
    const char* seq = rec.sequence.data();
    index_t replaced = 0;
    auto letter = [&](std::size_t i) -> std::uint8_t {
      std::uint8_t v = seq_[static_cast<unsigned char>(seq[i])];
      if (v == unknown) {
        if (!replace_unknown_) throw unknown_letter(rec, path, i);
        v = static_cast<std::uint8_t>(key.below(i, letters));
        ++replaced;
      }
      return v;
    };
    if (!alphabet_.has_structure()) {
      for (std::size_t i = 0; i < n; ++i) out[i] = letter(i);
      return replaced;
    }
    const auto S = to_size(alphabet_.structure_size());
    if (rec.profile_rows > 0) {
      if (to_size(rec.profile_rows) != S)
        throw Error(fasta_location(path, rec.number, rec.line) + ": " + std::to_string(rec.profile_rows) +
                    " rows of structure probabilities for " + alphabet_.describe_structure() + " (" +
                    std::to_string(S) + " letters)");
      for (std::size_t i = 0; i < n; ++i) {
        std::size_t best = 0;  // first maximum, like numpy.argmax
        for (std::size_t r = 1; r < S; ++r)
          if (rec.profile[r * n + i] > rec.profile[best * n + i]) best = r;
        out[i] = static_cast<std::uint8_t>(letter(i) * S + best);
      }
      return replaced;
    }
    if (rec.structure.size() != n)
      throw Error(fasta_location(path, rec.number, rec.line) + ": a structure line is needed for " +
                  alphabet_.describe_structure());
    const char* st = rec.structure.data();
    for (std::size_t i = 0; i < n; ++i) {
      std::uint8_t t = struct_[static_cast<unsigned char>(st[i])];
      if (t == unknown && replace_unknown_structure_) {
        t = static_cast<std::uint8_t>(key.below(structure_counters + i, S));
        ++replaced;
      } else if (t == unknown) {
        const auto pos = static_cast<index_t>(i);
        throw Error(fasta_location(path, rec.number, rec.structure_line(pos)) + ": " + quote_char(st[i]) +
                    " (structure position " + std::to_string(pos + 1) + ") is not in " +
                    alphabet_.describe_structure());
      }
      out[i] = static_cast<std::uint8_t>(letter(i) * S + t);
    }
    return replaced;
  }

  // The probabilities of a profile record position-major: out[t * rows + r].
  static void transpose_profile(const FastaRecord& rec, float* out) {
    const auto n = rec.sequence.size(), rows = to_size(rec.profile_rows);
    for (std::size_t r = 0; r < rows; ++r)
      for (std::size_t t = 0; t < n; ++t) out[t * rows + r] = rec.profile[r * n + t];
  }

 private:
  static constexpr std::uint8_t unknown = 0xFF;
  static constexpr std::uint64_t structure_counters = std::uint64_t{1} << 32;  // past any sequence position
  Error unknown_letter(const FastaRecord& rec, const std::string& path, std::size_t i) const {
    const auto pos = static_cast<index_t>(i);
    return Error(fasta_location(path, rec.number, rec.sequence_line(pos)) + ": " + quote_char(rec.sequence[i]) +
                 " (position " + std::to_string(pos + 1) + ") is not in " + alphabet_.describe_sequence());
  }
  static std::string quote_char(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7F) return std::string("'") + c + "'";
    return "character code " + std::to_string(u);
  }

  Alphabet alphabet_;
  RandomKey key_;
  bool replace_unknown_, replace_unknown_structure_;
  std::array<std::uint8_t, 256> seq_{};
  std::array<std::uint8_t, 256> struct_{};
};

}  // namespace sster
