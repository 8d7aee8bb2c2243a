#pragma once
// KernelMotif: what a first-layer kernel (or an optimised input) shows as
// logos: a sequence motif, plus the structure motif of the same positions for
// sequence+structure alphabets (pysster returns a tuple of two Motifs then).
// Built from windows of a Data set, or from a position x symbol matrix over
// the combined alphabet.
#include <algorithm>
#include <numeric>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/symbol.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/data/dataset.hpp"
#include "sster/interpret/motif.hpp"

namespace sster {

// A kernel's motif: the sequence motif, and for sequence+structure alphabets
// the structure motif of the same windows (pysster's tuple of Motifs).
struct KernelMotif {
  Motif sequence;
  std::optional<Motif> structure{};

  // Sequence then structure: what motif_kernel_<i>.png stacks.
  std::vector<Motif> logos() const {
    std::vector<Motif> v{sequence};
    if (structure) v.push_back(*structure);
    return v;
  }
};

// The motif of `width`-long windows starting at `starts` in `records`. Padding
// positions are not counted; a column with nothing but padding is uniform.
// With structure probabilities (Data::has_profile) the structure motif is the
// mean of the windows' probability rows, as pysster's.
inline KernelMotif motif_from_windows(const Data& data, std::span<const index_t> records,
                                      std::span<const index_t> starts, index_t width) {
  require(records.size() == starts.size(), "motif windows: " + std::to_string(records.size()) + " records but " +
                                               std::to_string(starts.size()) + " start positions");
  require(!records.empty(), "motif windows: no windows");
  require(width > 0 && width <= data.length(), "motif windows: width " + std::to_string(width) +
                                                   " does not fit sequences of length " +
                                                   std::to_string(data.length()));
  const Alphabet& a = data.alphabet();
  const auto nseq = static_cast<index_t>(a.sequence().size()), nstr = a.structure_size();
  std::vector<double> seq(to_size(width * nseq), 0.0),
      str(to_size(width * nstr), 0.0);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const index_t p = starts[i];
    require(p >= 0 && p + width <= data.length(), "motif windows: window at " + std::to_string(p) +
                                                      " leaves the sequence (length " + std::to_string(data.length()) +
                                                      ")");
    const auto sym = data.symbols(records[i]);
    const auto profile = data.profile(records[i]);
    for (index_t t = 0; t < width; ++t) {
      const std::uint8_t s = at(sym, p + t);
      if (s == no_symbol) continue;
      at(seq, t * nseq + a.sequence_index(s)) += 1;
      if (nstr == 0) continue;
      if (data.has_profile()) {
        for (index_t r = 0; r < nstr; ++r)
          at(str, t * nstr + r) += at(profile, (p + t) * nstr + r);
      } else {
        at(str, t * nstr + a.structure_index(s)) += 1;
      }
    }
  }
  auto fill_empty = [](std::vector<double>& m, index_t k) {
    for (std::size_t r = 0; r < m.size() / to_size(k); ++r) {
      const auto row = m.begin() + static_cast<std::ptrdiff_t>(r * to_size(k));
      if (std::accumulate(row, row + k, 0.0) <= 0) std::fill(row, row + k, 1.0);
    }
  };
  fill_empty(seq, nseq);
  KernelMotif m{Motif::from_pwm(a.sequence(), seq)};
  if (nstr > 0) {
    fill_empty(str, nstr);
    m.structure = Motif::from_pwm(a.structure(), str);
  }
  return m;
}

// A (length x alphabet.size()) matrix of non-negative weights over the
// combined alphabet's symbols (e.g. pysster's softmaxed optimised input) as
// motifs: the sequence motif sums each sequence letter's symbols, the
// structure motif each structure letter's (pysster's _extract_pwm).
inline KernelMotif motif_from_symbol_matrix(const Alphabet& a, std::span<const double> m) {
  const index_t A = a.size(), nseq = static_cast<index_t>(a.sequence().size()), nstr = a.structure_size();
  require(
      A > 0 && !m.empty() && static_cast<index_t>(m.size()) % A == 0,
      "symbol matrix: " + std::to_string(m.size()) + " values are not whole rows of " + std::to_string(A) + " symbols");
  const index_t L = static_cast<index_t>(m.size()) / A;
  if (nstr == 0) return KernelMotif{Motif::from_pwm(a.sequence(), m)};
  std::vector<double> seq(to_size(L * nseq), 0.0), str(to_size(L * nstr), 0.0);
  for (index_t t = 0; t < L; ++t)
    for (index_t s = 0; s < A; ++s) {
      const double v = at(m, t * A + s);
      at(seq, t * nseq + a.sequence_index(static_cast<std::uint8_t>(s))) += v;
      at(str, t * nstr + a.structure_index(static_cast<std::uint8_t>(s))) += v;
    }
  return KernelMotif{Motif::from_pwm(a.sequence(), seq), Motif::from_pwm(a.structure(), str)};
}

}  // namespace sster
