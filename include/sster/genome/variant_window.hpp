#pragma once
// The window of the model's length L that shows an allele of a variant.
//
// Centre convention: the allele's centre base (its base x/2 for an allele of
// x bases) sits at index `centre` of the window, (L - 1) / 2 by default, so
// a SNV's window of 1000 bases holds it at index 499 (Selene, ExPecto). The
// bases before it are the genome's before the variant, the bases after it
// the genome's after the REF allele, re-read as far as needed: an indel's
// ALT window has length L too. An allele longer than the window is cut to
// fit around its centre. For the REF allele (x = |REF|) this is the genome
// window starting at pos + |REF|/2 - centre, with the VCF's REF in it.
//
// A window is a list of pieces, each with the genome position of its first
// base (an allele's bases count from the variant's position), so that
// unknown bases encode by position (genome/genome_letters.hpp).
#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "sster/core/index.hpp"
#include "sster/genome/genome_fasta.hpp"

namespace sster {

struct WindowPiece {
  std::string text;
  index_t position = 0;  // of text[0] in the sequence
};

struct VariantWindow {
  std::vector<WindowPiece> pieces;  // L bases in all
  std::string text() const {
    std::string s;
    for (const auto& p : pieces) s += p.text;
    return s;
  }
};

// Where the window of an allele reads the genome, before fetching.
struct AllelePlacement {
  index_t left_begin = 0, left_length = 0;   // genome bases before the variant
  index_t allele_from = 0, allele_length = 0;  // the part of the allele inside the window
  index_t right_begin = 0, right_length = 0;   // genome bases after the REF allele

  // The allele (x bases) of a variant at 0-based `pos` whose REF spans
  // `ref_length` bases, centred at index `centre` of a window of L.
  static AllelePlacement of(index_t pos, index_t ref_length, index_t x, index_t L, index_t centre) {
    const index_t left = centre - x / 2;  // window index of the allele's first base
    AllelePlacement p;
    p.left_length = std::max<index_t>(0, left);
    p.left_begin = pos - p.left_length;
    p.allele_from = std::max<index_t>(0, -left);
    p.allele_length = std::clamp<index_t>(x - p.allele_from, 0, L - p.left_length);
    p.right_begin = pos + ref_length;
    p.right_length = L - p.left_length - p.allele_length;
    return p;
  }
  bool fits(index_t sequence_length) const {
    return left_begin >= 0 && right_begin + right_length <= sequence_length;
  }
};

// The window, or nothing when it would reach past either end of the sequence.
inline std::optional<VariantWindow> allele_window(const GenomeFasta& genome, index_t sequence, index_t pos,
                                                  index_t ref_length, const std::string& allele, index_t L,
                                                  index_t centre) {
  const auto p = AllelePlacement::of(pos, ref_length, ssize(allele), L, centre);
  if (!p.fits(genome.length(sequence))) return std::nullopt;
  VariantWindow w;
  w.pieces.push_back({genome.fetch(sequence, p.left_begin, pos), p.left_begin});
  w.pieces.push_back({allele.substr(to_size(p.allele_from), to_size(p.allele_length)), pos + p.allele_from});
  w.pieces.push_back({genome.fetch(sequence, p.right_begin, p.right_begin + p.right_length), p.right_begin});
  return w;
}

}  // namespace sster
