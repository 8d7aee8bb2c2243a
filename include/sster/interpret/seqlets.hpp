#pragma once
// Seqlets: stretches of a sequence that carry much of its attribution, the
// motif instances a model relies on. A deliberately simple caller (TF-
// MoDISco's idea without its Laplace fit):
//   1. the score of a window of `width` positions starting at t is the sum
//      of the actual contributions in it (interpret/attributions.hpp);
//   2. the threshold is the `null_quantile` quantile of |window score| over
//      every window of the null sequences: dinucleotide shuffles of the
//      sequences explained (seqlet_null_sequences), attributed by the same
//      method, so the null keeps the letter and dinucleotide make-up and
//      loses the motifs;
//   3. per sequence, windows whose |score| exceeds the threshold are taken
//      greedily, largest |score| first (ties: leftmost), each one skipped
//      when it overlaps a window already taken.
// A seqlet is [start, end) on the sequence as given (strand '+'); its score
// is signed: negative seqlets are stretches that speak against the class.
// Seqlets then go to a TSV (interpret/seqlet_tsv.hpp) and are clustered into
// motifs (interpret/seqlet_motifs.hpp).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/random.hpp"
#include "sster/data/alphabet.hpp"
#include "sster/interpret/attributions.hpp"
#include "sster/interpret/shuffle.hpp"

namespace sster {

struct SeqletOptions {
  index_t width = 10;            // positions per window
  double null_quantile = 0.999;  // of |window score| over the null windows
  std::uint64_t seed = 1;        // keys the null shuffles (Purpose::seqlet_null)
};

struct Seqlet {
  std::string record;    // the sequence's name
  index_t start = 0;     // first position, 0-based
  index_t end = 0;       // one past the last position
  char strand = '+';     // '+': the sequence as given; '-': its reverse complement
  double score = 0;      // sum of the actual contributions in [start, end)
  std::string sequence;  // the letters of [start, end), on `strand`
};

// Window scores of sequence i: (L - width + 1) sums of actual contributions.
inline std::vector<double> window_scores(const Attributions& a, index_t i, index_t width) {
  require(width >= 1 && width <= a.length, "seqlets: the window width must be 1 to " + std::to_string(a.length) +
                                               " (the sequence length), got " + std::to_string(width));
  std::vector<double> out(to_size(a.length - width + 1));
  double sum = 0;
  for (index_t t = 0; t < a.length; ++t) {
    sum += a.actual(i, t);
    if (t >= width) sum -= a.actual(i, t - width);
    if (t >= width - 1) at(out, t - width + 1) = sum;
  }
  return out;
}

// The null sequences: one dinucleotide shuffle of each of the first `count`
// of n sequences (n, L), keyed by (seed, record).
inline std::vector<std::uint8_t> seqlet_null_sequences(std::span<const std::uint8_t> symbols, index_t n, index_t L,
                                                       index_t count, std::uint64_t seed) {
  require(ssize(symbols) == n * L, "seqlet_null_sequences: expected n x L symbols");
  count = std::min(count, n);
  std::vector<std::uint8_t> out(to_size(count * L));
  for (index_t i = 0; i < count; ++i)
    dinucleotide_shuffle(symbols.subspan(to_size(i * L), to_size(L)),
                         std::span<std::uint8_t>(out.data() + i * L, to_size(L)),
                         RandomKey(seed, Purpose::seqlet_null).with(static_cast<std::uint64_t>(i)));
  return out;
}

// The threshold: the null_quantile quantile of |window score| over every
// window of the null sequences' attributions (the value with that fraction
// of the windows at or below it).
inline double seqlet_threshold(const Attributions& null, const SeqletOptions& o) {
  require(o.null_quantile > 0 && o.null_quantile < 1,
          "seqlets: the null quantile must lie between 0 and 1, got " + std::to_string(o.null_quantile));
  std::vector<double> scores;
  for (index_t i = 0; i < null.n; ++i)
    for (double s : window_scores(null, i, o.width)) scores.push_back(std::abs(s));
  require(!scores.empty(), "seqlets: no null sequences to set the threshold from");
  const auto k = std::min(scores.size() - 1, static_cast<std::size_t>(std::ceil(o.null_quantile *
                                                                                static_cast<double>(scores.size()))) -
                                                 1);
  std::nth_element(scores.begin(), scores.begin() + static_cast<std::ptrdiff_t>(k), scores.end());
  return scores[k];
}

// The seqlets of every sequence of `a`, in sequence order and, within one,
// by position. names: one per sequence.
inline std::vector<Seqlet> call_seqlets(const Attributions& a, double threshold, const Alphabet& alphabet,
                                        std::span<const std::string> names, const SeqletOptions& o) {
  require(ssize(names) == a.n, "call_seqlets: " + std::to_string(names.size()) + " names for " +
                                   std::to_string(a.n) + " sequences");
  std::vector<Seqlet> out;
  for (index_t i = 0; i < a.n; ++i) {
    const auto scores = window_scores(a, i, o.width);
    std::vector<index_t> order;
    for (index_t t = 0; t < ssize(scores); ++t)
      if (std::abs(at(scores, t)) > threshold) order.push_back(t);
    std::stable_sort(order.begin(), order.end(),
                     [&](index_t u, index_t v) { return std::abs(at(scores, u)) > std::abs(at(scores, v)); });
    std::vector<char> taken(to_size(a.length), 0);
    const std::size_t first = out.size();
    for (index_t t : order) {
      if (std::any_of(taken.begin() + t, taken.begin() + t + o.width, [](char c) { return c != 0; })) continue;
      std::fill(taken.begin() + t, taken.begin() + t + o.width, 1);
      std::string letters;
      for (index_t u = t; u < t + o.width; ++u) letters += alphabet.sequence_letter(at(a.symbols, i * a.length + u));
      out.push_back({at(names, i), t, t + o.width, '+', at(scores, t), std::move(letters)});
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](const Seqlet& x, const Seqlet& y) { return x.start < y.start; });
  }
  return out;
}

}  // namespace sster
