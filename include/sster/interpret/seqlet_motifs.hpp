#pragma once
// Seqlets (interpret/seqlets.hpp) clustered into motifs, greedily:
//   1. positive and negative seqlets cluster apart; within a sign the
//      seqlets come strongest |score| first (at most max_seqlets of them);
//   2. a cluster is a count matrix over a frame 2 max_shift positions wider
//      than its seqlets on each side. A seqlet's similarity to a cluster at
//      one placement (offset in the frame, and for DNA and RNA either
//      strand) is the mean over its letters of that letter's frequency in
//      the cluster's column, a column seen by fewer than half the members
//      counting 1/|alphabet|. The seqlet joins the cluster and placement of
//      highest similarity, within max_shift of the cluster's first member,
//      if that reaches min_similarity, and starts a cluster of its own in
//      the middle of the frame otherwise;
//   3. clusters, largest first, merge into a larger one when a member of
//      theirs would join it: the same similarity, the mean over the smaller
//      cluster's columns of the letter frequencies the two share, at a
//      shift of at most max_shift (either strand for DNA and RNA). A motif
//      the first members split at two offsets becomes one again;
//   4. a cluster of at least min_seqlets members becomes a motif: the frame
//      columns seen by at least half the members, their frequencies trimmed
//      at both ends of columns below min_bits of information content (all
//      kept if every column is), as an interpret/motif.hpp Motif (pysster's
//      pseudocounts). Motifs come largest first.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/pwm.hpp"
#include "sster/interpret/motif.hpp"
#include "sster/interpret/seqlets.hpp"

namespace sster {

struct SeqletMotifOptions {
  index_t max_shift = 3;        // positions a seqlet may slide against a cluster
  double min_similarity = 0.6;  // mean frequency of its letters under the cluster
  index_t min_seqlets = 5;      // smaller clusters make no motif
  index_t max_seqlets = 20000;  // per sign, the strongest
  double min_bits = 0.5;        // motif ends trimmed below this information content
  bool both_strands = true;     // DNA and RNA seqlets may join in reverse complement
};

struct SeqletPlacement {
  index_t seqlet = 0;    // index into the seqlets clustered
  index_t offset = 0;    // frame column of its first letter (on the strand it joined on)
  bool reverse = false;  // joined as its reverse complement
};

struct SeqletMotif {
  Motif motif;
  int sign = 1;                          // +1: positive seqlets, -1: negative
  double mean_score = 0;                 // of its members
  std::vector<SeqletPlacement> members;  // strongest first
};

// Seqlets are motif instances, not sequences: every cluster holds a matrix
// as wide as the widest, so the width is bounded.
inline constexpr index_t max_seqlet_width = 100;

namespace detail {

// The complement of each letter of a DNA or RNA alphabet, as indices; empty
// for other alphabets.
inline std::vector<int> nucleotide_complement(const std::string& alphabet) {
  if (alphabet == "ACGT" || alphabet == "ACGU") return {3, 2, 1, 0};
  return {};
}

class SeqletCluster {
 public:
  SeqletCluster(index_t frame, index_t letters)
      : A_(letters), counts_(to_size(frame * letters), 0.0), seen_(to_size(frame), 0),
        freq_(to_size(frame * letters), flat()), bits_(to_size(frame), 0.0) {}

  index_t frame() const { return ssize(seen_); }
  index_t size() const { return ssize(members_); }
  const std::vector<SeqletPlacement>& members() const { return members_; }

  // The frequency of letter a in column col; 1/A where fewer than half the
  // members reach (or outside the frame).
  double frequency(index_t col, index_t a) const {
    return col < 0 || col >= frame() ? flat() : at(freq_, col * A_ + a);
  }
  // Information content of column col in bits (0 where frequency() is flat).
  double bits(index_t col) const { return col < 0 || col >= frame() ? 0.0 : at(bits_, col); }
  bool informative(index_t col) const { return 2 * at(seen_, col) >= size() && at(seen_, col) > 0; }

  // The frequencies of the letters (indices) placed at `offset`, each
  // column weighted by its information content: flanks that no motif
  // shares weigh little.
  double similarity(std::span<const int> letters, index_t offset) const {
    double sum = 0, weight = 0;
    for (index_t j = 0; j < ssize(letters); ++j) {
      const double w = bits(offset + j) + 1e-3;
      sum += w * frequency(offset + j, letters[to_size(j)]);
      weight += w;
    }
    return sum / weight;
  }

  // The same for a whole cluster: its columns moved by `shift` (after
  // mirroring the frame and complementing, when `complement` is given),
  // each letter weighted by its frequency there, each column by the
  // information content of both.
  double similarity(const SeqletCluster& other, index_t shift, const std::vector<int>* complement) const {
    double sum = 0, weight = 0;
    for (index_t c = 0; c < other.frame(); ++c) {
      if (!other.informative(c)) continue;
      const index_t to = (complement ? other.frame() - 1 - c : c) + shift;
      const double w = std::sqrt(other.bits(c) * bits(to)) + 1e-3;
      double shared = 0;
      for (index_t a = 0; a < A_; ++a)
        shared += other.frequency(c, a) * frequency(to, complement ? at(*complement, a) : a);
      sum += w * shared;
      weight += w;
    }
    return weight > 0 ? sum / weight : 0;
  }

  void add(std::span<const int> letters, SeqletPlacement p) {
    for (index_t j = 0; j < ssize(letters); ++j) {
      at(counts_, (p.offset + j) * A_ + letters[to_size(j)]) += 1;
      ++at(seen_, p.offset + j);
    }
    members_.push_back(p);
    refresh();
  }

  // Frequencies of the columns seen by at least half the members, trimmed
  // of weak ends; rows of A_.
  std::vector<double> frequencies(double min_bits) const {
    std::vector<double> rows;
    std::vector<double> column_bits;
    for (index_t col = 0; col < frame(); ++col) {
      if (!informative(col)) continue;
      for (index_t a = 0; a < A_; ++a) rows.push_back(frequency(col, a));
      column_bits.push_back(bits(col));
    }
    auto strong = [&](double b) { return b >= min_bits; };
    const auto first = std::find_if(column_bits.begin(), column_bits.end(), strong);
    if (first == column_bits.end()) return rows;  // a weak motif everywhere: kept whole
    const auto last = std::find_if(column_bits.rbegin(), column_bits.rend(), strong).base();
    const auto from = to_size(first - column_bits.begin()) * to_size(A_);
    const auto to = to_size(last - column_bits.begin()) * to_size(A_);
    return {rows.begin() + static_cast<std::ptrdiff_t>(from), rows.begin() + static_cast<std::ptrdiff_t>(to)};
  }

 private:
  double flat() const { return 1.0 / static_cast<double>(A_); }

  // The frequencies and bits every similarity reads, after a member came:
  // which columns are informative depends on the member count.
  void refresh() {
    const double max_bits = std::log2(static_cast<double>(A_));
    for (index_t col = 0; col < frame(); ++col) {
      const bool known = informative(col);
      double h = 0;
      for (index_t a = 0; a < A_; ++a) {
        const double f = known ? at(counts_, col * A_ + a) / static_cast<double>(at(seen_, col)) : flat();
        at(freq_, col * A_ + a) = f;
        if (f > 0) h -= f * std::log2(f);
      }
      at(bits_, col) = std::max(0.0, max_bits - h);
    }
  }

  index_t A_;
  std::vector<double> counts_;  // (frame, A)
  std::vector<index_t> seen_;   // (frame) members covering each column
  std::vector<double> freq_;    // (frame, A) frequency() of every column
  std::vector<double> bits_;    // (frame) bits() of every column
  std::vector<SeqletPlacement> members_;
};

// The seqlets of one sign as letter indices, both strands, and their clusters.
class SeqletClustering {
 public:
  SeqletClustering(std::span<const Seqlet> seqlets, const std::string& alphabet, const SeqletMotifOptions& o)
      : o_(o), A_(ssize(alphabet)) {
    if (o.both_strands) complement_ = nucleotide_complement(alphabet);
    index_t widest = 0;
    for (std::size_t s = 0; s < seqlets.size(); ++s) {
      const std::string& letters = seqlets[s].sequence;
      require(!letters.empty() && ssize(letters) <= max_seqlet_width,
              "seqlet motifs: seqlet " + std::to_string(s) + " (" + seqlets[s].record + ") has " +
                  std::to_string(letters.size()) + " letters; 1 to " + std::to_string(max_seqlet_width) + " cluster");
      widest = std::max(widest, ssize(letters));
      std::vector<int> f, r;
      for (char c : letters) {
        const auto k = alphabet.find(c);
        require(k != std::string::npos, "seqlet motifs: seqlet " + std::to_string(s) + " (" + seqlets[s].record +
                                            ") has '" + std::string(1, c) + "', not in the alphabet '" + alphabet +
                                            "'");
        f.push_back(static_cast<int>(k));
      }
      if (!complement_.empty())
        for (auto it = f.rbegin(); it != f.rend(); ++it) r.push_back(at(complement_, *it));
      forward_.push_back(std::move(f));
      reverse_.push_back(std::move(r));
    }
    frame_ = widest + 4 * o.max_shift;
  }

  // Step 2 for the seqlets `order`, strongest first.
  void assign(const std::vector<index_t>& order) {
    for (index_t s : order) {
      double best = -1;
      std::size_t best_cluster = 0;
      SeqletPlacement place{s, centre(s), false};
      for (std::size_t c = 0; c < clusters_.size(); ++c)
        for (const bool rev : {false, true}) {
          if (rev && complement_.empty()) continue;
          for (index_t off = centre(s) - o_.max_shift; off <= centre(s) + o_.max_shift; ++off)
            if (const double sim = clusters_[c].similarity(letters(s, rev), off); sim > best)
              best = sim, best_cluster = c, place = {s, off, rev};
        }
      if (best < o_.min_similarity) {
        clusters_.emplace_back(frame_, A_);
        best_cluster = clusters_.size() - 1;
        place = {s, centre(s), false};
      }
      clusters_[best_cluster].add(letters(s, place.reverse), place);
    }
  }

  // Step 3, until no cluster merges any more (after each merge the sizes
  // change, so the search starts again from the largest).
  void merge() {
    for (bool merged = true; merged;) {
      merged = false;
      std::stable_sort(clusters_.begin(), clusters_.end(),
                       [](const SeqletCluster& a, const SeqletCluster& b) { return a.size() > b.size(); });
      // A single seqlet already failed to join every cluster there is.
      for (std::size_t j = 1; j < clusters_.size() && clusters_[j].size() >= 2 && !merged; ++j)
        for (std::size_t i = 0; i < j && !merged; ++i) merged = try_merge(i, j);
    }
  }

  const std::vector<SeqletCluster>& clusters() const { return clusters_; }

 private:
  const std::vector<int>& letters(index_t s, bool reverse) const { return reverse ? at(reverse_, s) : at(forward_, s); }
  index_t centre(index_t s) const { return (frame_ - ssize(at(forward_, s))) / 2; }

  // Merges cluster j into cluster i at the best placement, if that reaches min_similarity.
  bool try_merge(std::size_t i, std::size_t j) {
    const SeqletCluster &a = clusters_[i], &b = clusters_[j];
    double best = -1;
    index_t best_shift = 0;
    bool best_rev = false;
    for (const bool rev : {false, true}) {
      if (rev && complement_.empty()) continue;
      for (index_t shift = -o_.max_shift; shift <= o_.max_shift; ++shift) {
        if (!fits(b, shift, rev)) continue;
        if (const double sim = a.similarity(b, shift, rev ? &complement_ : nullptr); sim > best)
          best = sim, best_shift = shift, best_rev = rev;
      }
    }
    if (best < o_.min_similarity) return false;
    SeqletCluster joined = a;
    for (SeqletPlacement p : b.members()) {
      const index_t w = ssize(at(forward_, p.seqlet));
      if (best_rev) p = {p.seqlet, frame_ - p.offset - w, !p.reverse};
      p.offset += best_shift;
      joined.add(letters(p.seqlet, p.reverse), p);
    }
    clusters_[i] = std::move(joined);
    clusters_.erase(clusters_.begin() + static_cast<std::ptrdiff_t>(j));
    return true;
  }

  // Whether every member of b stays inside the frame when moved.
  bool fits(const SeqletCluster& b, index_t shift, bool rev) const {
    for (const SeqletPlacement& p : b.members()) {
      const index_t w = ssize(at(forward_, p.seqlet));
      const index_t off = (rev ? frame_ - p.offset - w : p.offset) + shift;
      if (off < 0 || off + w > frame_) return false;
    }
    return true;
  }

  SeqletMotifOptions o_;
  index_t A_, frame_ = 0;
  std::vector<int> complement_;
  std::vector<std::vector<int>> forward_, reverse_;  // per seqlet, letter indices
  std::vector<SeqletCluster> clusters_;
};

}  // namespace detail

// Clusters the seqlets (letters of `alphabet`) into motifs.
inline std::vector<SeqletMotif> cluster_seqlets(std::span<const Seqlet> seqlets, const std::string& alphabet,
                                                const SeqletMotifOptions& o = {}) {
  require(alphabet.size() >= 2, "seqlet motifs: the alphabet needs at least 2 letters, got '" + alphabet + "'");
  require(o.max_shift >= 0 && o.max_shift <= 50 && o.min_seqlets >= 1 && o.max_seqlets >= 1,
          "seqlet motifs: max_shift 0 to 50, min_seqlets >= 1 and max_seqlets >= 1 are needed");
  std::vector<SeqletMotif> motifs;
  for (const int sign : {1, -1}) {
    std::vector<index_t> order;
    for (index_t s = 0; s < ssize(seqlets); ++s)
      if ((seqlets[to_size(s)].score >= 0) == (sign > 0)) order.push_back(s);
    std::stable_sort(order.begin(), order.end(), [&](index_t u, index_t v) {
      return std::abs(seqlets[to_size(u)].score) > std::abs(seqlets[to_size(v)].score);
    });
    if (ssize(order) > o.max_seqlets) order.resize(to_size(o.max_seqlets));
    detail::SeqletClustering clustering(seqlets, alphabet, o);
    clustering.assign(order);
    clustering.merge();
    for (const auto& c : clustering.clusters()) {
      const auto frequencies = c.frequencies(o.min_bits);
      if (c.size() < o.min_seqlets || frequencies.empty()) continue;  // empty: members too spread out
      double score = 0;
      for (const auto& m : c.members()) score += seqlets[to_size(m.seqlet)].score;
      motifs.push_back({Motif::from_pwm(alphabet, frequencies), sign, score / static_cast<double>(c.size()),
                        c.members()});
    }
  }
  std::stable_sort(motifs.begin(), motifs.end(),
                   [](const SeqletMotif& a, const SeqletMotif& b) { return a.members.size() > b.members.size(); });
  return motifs;
}

// The motifs as Pwms for a MEME file: seqlet_motif_<i>, its sign and
// consensus as the alternative name, its member count as nsites.
inline std::vector<Pwm> seqlet_motif_pwms(std::span<const SeqletMotif> motifs) {
  std::vector<Pwm> pwms;
  for (std::size_t i = 0; i < motifs.size(); ++i) {
    const auto& m = motifs[i];
    Pwm p = m.motif.to_pwm("seqlet_motif_" + std::to_string(i),
                           std::string(m.sign > 0 ? "positive_" : "negative_") + m.motif.consensus());
    p.nsites = static_cast<double>(m.members.size());
    pwms.push_back(std::move(p));
  }
  return pwms;
}

}  // namespace sster
