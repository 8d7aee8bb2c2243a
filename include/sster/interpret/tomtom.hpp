#pragma once
// Motif matching by Tomtom's method (Gupta, Stamatoyannopoulos, Bailey and
// Noble, "Quantifying similarity between motifs", Genome Biology 2007), as
// the MEME suite's `tomtom` 5.5 computes it, on plain Pwms:
//   1. Column scores between every query column and every column of every
//      target (and of every target's reverse complement for DNA/RNA): the
//      Pearson correlation of the two probability columns (-dist pearson) or
//      minus their Euclidean distance (-dist ed).
//   2. Complete scores (tomtom's default): each query column's scores are
//      shifted by their median over all target columns, so a query column
//      left unaligned scores 0, a typical match. The scores of one query are
//      then scaled to integers 0..100.
//   3. The null distribution of the summed score of query columns i..j is the
//      convolution of each column's score distribution over all target
//      columns (dynamic programming over the discretised scores, as the paper).
//   4. Every offset with at least min_overlap overlapping columns and both
//      strands are tried. Complete scores: the best summed score is taken and
//      its p-value is that of the maximum over all 2 x (q + t - 1) alignments,
//      the alignments taken as independent. Incomplete scores
//      (-incomplete-scores, the paper's method): the smallest p-value over the
//      n alignments tried, corrected as 1 - (1 - p)^n.
//   5. E-value = p x number of targets; q-values by Benjamini-Hochberg, per
//      query over the p-values of both strands of every target, as tomtom.
//   6. Per query and target the better strand is reported, best p first,
//      while q (or E with evalue_threshold) is at most the threshold.
// Optimal_offset is tomtom's: the target column aligned to the query's first
// column (negative when the target starts inside the query); consensus
// letters are the most probable letter of each column after the pseudocount.
// Where sster's numbers differ from tomtom's, see docs/tomtom.md.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <span>
#include <string>
#include <vector>

#include "sster/core/error.hpp"
#include "sster/core/index.hpp"
#include "sster/core/parallel.hpp"
#include "sster/core/pwm.hpp"

namespace sster {

enum class ColumnScore { pearson, euclidean };

struct TomtomOptions {
  ColumnScore distance = ColumnScore::pearson;  // -dist pearson | ed (tomtom 5's own default is ed)
  index_t min_overlap = 1;                      // -min-overlap
  bool complete_scores = true;                  // false: -incomplete-scores
  bool both_strands = true;                     // false: -norc; only complementable alphabets have two
  double motif_pseudocount = 0.1;               // -motif-pseudo: counts added to each column
  std::vector<double> background{};             // per letter, for the pseudocount; uniform when empty
  std::string complement{};                     // complement of each letter; "" = DNA/RNA's or none
  double threshold = 0.5;                       // -thresh, on q (or on E with evalue_threshold)
  bool evalue_threshold = false;                // -evalue
};

// One row of tomtom's TSV output.
struct TomtomMatch {
  index_t query = 0, target = 0;  // positions in the query and target lists
  std::string query_id{}, target_id{};
  index_t offset = 0;  // Optimal_offset
  double p_value = 1, e_value = 0, q_value = 1;
  index_t overlap = 0;
  std::string query_consensus{}, target_consensus{};  // the target's in the matched orientation
  char orientation = '+';
};

namespace detail {

inline constexpr int tomtom_bins = 100;             // scaled column scores run 0..100 (tomtom's BINS)
inline constexpr index_t tomtom_max_query_width = 100;  // tomtom's limit: the tables grow with width^3

// The complement letters: as given, else DNA's or RNA's.
inline std::string tomtom_complement(const std::string& alphabet, const std::string& given) {
  if (!given.empty()) return given;
  if (alphabet == "ACGT") return "TGCA";
  if (alphabet == "ACGU") return "UGCA";
  return {};
}
// T and U alike: RNA motifs compare with DNA motifs.
inline std::string dna_letters(std::string s) {
  std::replace(s.begin(), s.end(), 'U', 'T');
  return s;
}

// The motif as tomtom compares it: rows rescaled to sum 1 (when off by more
// than 1e-5, as MEME's reader) and `pseudocount` sites distributed by the
// background added to its nsites: p' = (p n + c b) / (n + c).
inline std::vector<double> smoothed_rows(const Pwm& m, std::span<const double> background, double pseudocount,
                                         const char* role, index_t index) {
  const index_t K = m.letters(), W = m.width();
  const std::string name = std::string(role) + " motif " + std::to_string(index) + " ('" + m.id + "')";
  require(K > 0 && W > 0 && ssize(m.p) == W * K, name + ": expected width x " + std::to_string(K) + " probabilities");
  require(std::isfinite(m.nsites) && m.nsites >= 0, name + ": nsites must be a number >= 0");
  const double sites = m.nsites > 0 ? m.nsites : 20, total = sites + pseudocount;
  std::vector<double> p(m.p);
  for (index_t r = 0; r < W; ++r) {
    double sum = 0;
    for (index_t j = 0; j < K; ++j) {
      const double v = at(p, r * K + j);
      require(std::isfinite(v) && v >= 0, name + " row " + std::to_string(r + 1) + ": expected probabilities >= 0");
      sum += v;
    }
    require(sum > 0, name + " row " + std::to_string(r + 1) + " sums to 0");
    for (index_t j = 0; j < K; ++j) {
      double& v = at(p, r * K + j);
      if (std::abs(sum - 1) > 1e-5) v /= sum;
      if (pseudocount > 0) v = (v * sites + pseudocount * at(background, j)) / total;
    }
  }
  return p;
}

// Rows reversed, each letter's probability moved to its complement's column.
inline std::vector<double> reverse_complement(const std::vector<double>& p, const std::vector<index_t>& complement) {
  const index_t K = ssize(complement), W = ssize(p) / K;
  std::vector<double> rc(p.size());
  for (index_t r = 0; r < W; ++r)
    for (index_t j = 0; j < K; ++j) at(rc, r * K + j) = at(p, (W - 1 - r) * K + at(complement, j));
  return rc;
}

// The most probable letter of each row (the first on ties), compared in
// float as tomtom does.
inline std::string consensus(std::span<const double> p, const std::string& alphabet) {
  const index_t K = ssize(alphabet), W = ssize(p) / K;
  std::string s;
  for (index_t r = 0; r < W; ++r) {
    index_t best = 0;
    float max = static_cast<float>(p[to_size(r * K)]);
    for (index_t j = 1; j < K; ++j)
      if (p[to_size(r * K + j)] > static_cast<double>(max)) {
        max = static_cast<float>(p[to_size(r * K + j)]);
        best = j;
      }
    s += at(alphabet, best);
  }
  return s;
}

// Every target, and its reverse complement after it, as one list of columns.
struct TargetColumns {
  struct Oriented {
    index_t target, begin, width;  // begin: first column in `p`
    char strand;
  };
  index_t K = 0;
  std::vector<double> p;  // total columns x K
  std::vector<Oriented> motifs;
  index_t columns() const { return ssize(p) / K; }
};

// MEME's RND(x, 14): x rounded to 14 significant digits. Tomtom 5.5 rounds
// each partial sum of its Pearson correlation so; sster does the same, as a
// 1e-16 difference can move a scaled score across a rounding boundary.
inline double round_14_digits(double x) {
  if (x == 0) return 0;
  const double a = std::abs(x), z = std::pow(10.0, std::ceil(13 - std::log(a) / 2.30258509299405));
  return std::copysign(std::rint(z * a) / z, x);
}

inline double column_score(const double* q, const double* t, index_t K, ColumnScore distance) {
  if (distance == ColumnScore::euclidean) {
    double sum = 0;
    for (index_t j = 0; j < K; ++j) sum += (q[j] - t[j]) * (q[j] - t[j]);
    return -std::sqrt(sum);
  }
  const double mean = 1.0 / static_cast<double>(K);
  double num = 0, qq = 0, tt = 0;
  for (index_t j = 0; j < K; ++j) {
    num = round_14_digits(num + (q[j] - mean) * (t[j] - mean));
    qq = round_14_digits(qq + (q[j] - mean) * (q[j] - mean));
    tt = round_14_digits(tt + (t[j] - mean) * (t[j] - mean));
  }
  const double den = std::sqrt(qq * tt);
  return den != 0 ? num / den : 0;  // a uniform column correlates with nothing
}

// Each row shifted by its median, tomtom's (a + b) / 2 of the sorted values
// at floor(T/2) - 1 and ceil(T/2) - 1.
inline void shift_by_median(std::vector<double>& scores, index_t Q, index_t T) {
  std::vector<double> row(to_size(T));
  const index_t i1 = std::max<index_t>(T / 2 - 1, 0), i2 = std::max<index_t>((T + 1) / 2 - 1, i1);
  for (index_t r = 0; r < Q; ++r) {
    const auto first = scores.begin() + r * T;
    std::copy(first, first + T, row.begin());
    std::nth_element(row.begin(), row.begin() + i2, row.end());
    const double b = at(row, i2);
    std::nth_element(row.begin(), row.begin() + i1, row.begin() + i2);
    const double a = i1 == i2 ? b : at(row, i1);
    const double median = (a + b) / 2.0;
    for (auto it = first; it != first + T; ++it) *it -= median;
  }
}

// MEME's scale_score_matrix: offset = floor(min), scale = floor(100 / (max -
// offset)), scaled = nint((x - offset) * scale), so raw 0 maps to the whole
// number -offset * scale.
struct ScaledScores {
  std::vector<int> s;  // Q x T, 0..100
  int zero = 0;        // the scaled value of raw 0: -offset * scale
};
inline ScaledScores scale_scores(const std::vector<double>& raw) {
  double small = *std::min_element(raw.begin(), raw.end()), large = *std::max_element(raw.begin(), raw.end());
  if (large == small) small = large - 1;
  const double offset = std::floor(small), scale = std::floor(tomtom_bins / (large - offset));
  ScaledScores out;
  out.s.resize(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) out.s[i] = static_cast<int>((raw[i] - offset) * scale + 0.5);
  out.zero = static_cast<int>(-offset * scale);
  return out;
}

// pmf of the summed scaled scores of query columns start..end, each column's
// score drawn uniformly from its scores against all target columns, for every
// start <= end (tomtom's get_pv_lookup_new, convolving score histograms
// instead of one target column at a time), and on request the tails
// P(sum >= s) that incomplete scores look up.
class OverlapTables {
 public:
  OverlapTables(const ScaledScores& sc, index_t Q, index_t T, bool tails) : Q_(Q), pmf_(to_size(Q * (Q + 1) / 2)) {
    const std::vector<double> hist = histograms(sc, Q, T);
    for (index_t start = 0; start < Q; ++start) {
      std::vector<double> pdf{1.0};
      for (index_t end = start; end < Q; ++end) {
        std::vector<double> next(pdf.size() + tomtom_bins, 0.0);
        const double* h = &at(hist, end * (tomtom_bins + 1));
        for (index_t s = 0; s <= tomtom_bins; ++s) {
          if (h[s] == 0) continue;
          for (std::size_t k = 0; k < pdf.size(); ++k) next[k + to_size(s)] += pdf[k] * h[s];
        }
        pdf = std::move(next);
        at(pmf_, index(start, end)) = pdf;
      }
    }
    if (tails) tails_ = tail_sums(pmf_);
  }
  const std::vector<double>& pmf(index_t start, index_t end) const { return at(pmf_, index(start, end)); }
  // P(sum >= score), capped at 1 as tomtom's 1 - cdf.
  double p_at_least(index_t start, index_t end, index_t score) const { return at(at(tails_, index(start, end)), score); }

 private:
  // Per query column, the share of target columns giving each scaled score.
  static std::vector<double> histograms(const ScaledScores& sc, index_t Q, index_t T) {
    std::vector<double> hist(to_size(Q * (tomtom_bins + 1)), 0.0);
    for (index_t r = 0; r < Q; ++r)
      for (index_t t = 0; t < T; ++t) at(hist, r * (tomtom_bins + 1) + at(sc.s, r * T + t)) += 1;
    const double uniform = 1.0 / static_cast<double>(T);
    for (double& h : hist) h *= uniform;
    return hist;
  }
  static std::vector<std::vector<double>> tail_sums(const std::vector<std::vector<double>>& pmfs) {
    std::vector<std::vector<double>> out;
    for (const auto& f : pmfs) {
      std::vector<double> tail(f.size());
      double p = 0;
      for (index_t k = ssize(f) - 1; k >= 0; --k) at(tail, k) = p = std::min(1.0, p + at(f, k));
      out.push_back(std::move(tail));
    }
    return out;
  }
  index_t index(index_t start, index_t end) const { return start * Q_ - start * (start - 1) / 2 + (end - start); }
  index_t Q_;
  std::vector<std::vector<double>> pmf_, tails_;
};

// Query columns [start, end] and the target's first column for alignment
// `config` (1 .. Q + W - 1) of tomtom's compute_overlap_score.
struct Alignment {
  index_t start, end, target_first;
};
inline Alignment alignment(index_t Q, index_t W, index_t config) {
  const index_t qcol = config <= Q ? Q - config : 0, tcol = config <= Q ? 0 : config - Q;
  return {qcol, qcol + std::min(Q - qcol, W - tcol) - 1, tcol};
}

// The best alignment of one oriented target against the query.
struct BestAlignment {
  index_t offset = 0, overlap = -1;
  double value = 0;  // complete: best summed shifted score (scaled); incomplete: smallest p-value
  index_t tried = 0;
};
inline BestAlignment best_alignment(const ScaledScores& sc, const OverlapTables& tables, index_t Q, index_t T,
                                    const TargetColumns::Oriented& t, const TomtomOptions& o) {
  index_t first = 1, last = Q + t.width - 1;
  if (o.min_overlap > 1) {
    const index_t mo = std::min({o.min_overlap, Q, t.width});
    first = mo;
    last = Q + t.width - mo;
  }
  BestAlignment best;
  best.tried = last - first + 1;
  bool any = false;
  for (index_t config = first; config <= last; ++config) {
    const Alignment a = alignment(Q, t.width, config);
    long score = 0;
    for (index_t i = a.start; i <= a.end; ++i) score += at(sc.s, i * T + t.begin + a.target_first + (i - a.start));
    const index_t overlap = a.end - a.start + 1;
    // complete scores: larger is better; incomplete: the smaller p-value is
    const double value = o.complete_scores ? -static_cast<double>(score - overlap * sc.zero)
                                           : tables.p_at_least(a.start, a.end, score);
    if (!any || value < best.value || (value == best.value && overlap > best.overlap)) {
      best.value = value;
      best.offset = config - Q;
      best.overlap = overlap;
      any = true;
    }
  }
  if (o.complete_scores) best.value = -best.value;
  return best;
}

// Complete scores: P(max >= s) over all 2 x (Q + W - 1) alignments of a
// target of width W, each alignment's summed score shifted so that an
// unaligned query column counts as 0 (tomtom's
// calc_shifted_scores_pvalues_per_query). Index s = summed scaled score +
// (Q - overlap) x zero.
inline std::vector<double> max_score_pvalues(const OverlapTables& tables, const ScaledScores& sc, index_t Q,
                                             index_t W, int strands) {
  const index_t len = tomtom_bins * Q + 1 + (Q - 1) * sc.zero;
  std::vector<double> pmf(to_size(len), 0.0), old(to_size(len)), cdf_old(to_size(len)), cur(to_size(len)),
      cdf_cur(to_size(len));
  pmf[0] = 1.0;
  auto cumulate = [](const std::vector<double>& f, std::vector<double>& c) {
    double last = 0;
    for (std::size_t i = 0; i < f.size(); ++i) c[i] = last += f[i];
  };
  for (index_t i = 0; i < Q + W - 1; ++i) {
    const index_t start = i < Q ? Q - i - 1 : 0;
    const index_t end = (i < Q ? std::min(Q, start + W) : std::min(Q, W + Q - i - 1)) - 1;
    const auto& f = tables.pmf(start, end);
    std::fill(cur.begin(), cur.end(), 0.0);
    const index_t shift = (Q - (end - start + 1)) * sc.zero;
    for (index_t k = 0; k < ssize(f); ++k) at(cur, k + shift) = at(f, k);
    cumulate(cur, cdf_cur);
    for (int s = 0; s < strands; ++s) {
      std::swap(pmf, old);
      cumulate(old, cdf_old);
      pmf[0] = cur[0] * old[0];
      for (std::size_t k = 1; k < pmf.size(); ++k)
        pmf[k] = cur[k] * cdf_old[k - 1] + old[k] * cdf_cur[k - 1] + cur[k] * old[k];
    }
  }
  double last = 0;
  for (index_t k = len - 1; k >= 0; --k) at(pmf, k) = last += at(pmf, k);
  return pmf;
}

// A match of one oriented target, before strands are merged.
struct OrientedMatch {
  index_t oriented = 0;  // index in TargetColumns::motifs
  BestAlignment best;
  double p = 1, e = 0, q = 1;
};

// MEME's EV: the p-value of the best of n tries of p-value p.
inline double best_of(double p, double n) { return p * n < .001 ? p * n : 1.0 - std::pow(1.0 - p, n); }

// p- and E-values of every oriented target, as tomtom rounds them (complete
// scores: p and E in float).
inline void p_values(std::vector<OrientedMatch>& all, const OverlapTables& tables, const ScaledScores& sc,
                     const TargetColumns& tc, index_t Q, index_t targets, int strands, const TomtomOptions& o) {
  std::vector<std::vector<double>> by_width;  // complete scores: P(max >= s) per target width
  for (auto& m : all) {
    const index_t W = at(tc.motifs, m.oriented).width;
    if (!o.complete_scores) {
      m.p = best_of(m.best.value, static_cast<double>(strands * m.best.tried));
      m.e = m.p * static_cast<double>(targets);
      continue;
    }
    if (ssize(by_width) <= W) by_width.resize(to_size(W + 1));
    if (at(by_width, W).empty()) at(by_width, W) = max_score_pvalues(tables, sc, Q, W, strands);
    const float p = static_cast<float>(at(at(by_width, W), std::lround(m.best.value) + Q * sc.zero));
    m.p = p;
    m.e = p * static_cast<float>(ssize(tc.motifs)) / static_cast<float>(strands);
  }
}

// Best first: smaller p, then larger overlap, then tomtom's strand-and-id order.
inline void sort_matches(std::vector<OrientedMatch>& all, const TargetColumns& tc, std::span<const Pwm> targets) {
  auto key = [&](const OrientedMatch& m) {
    const auto& t = at(tc.motifs, m.oriented);
    return std::string(1, t.strand) + targets[to_size(t.target)].id;
  };
  std::stable_sort(all.begin(), all.end(), [&](const OrientedMatch& a, const OrientedMatch& b) {
    if (a.p != b.p) return a.p < b.p;
    if (a.best.overlap != b.best.overlap) return a.best.overlap > b.best.overlap;
    return key(a) < key(b);
  });
}

// Benjamini-Hochberg q-values of the sorted p-values (pi_0 = 1).
inline void q_values(std::vector<OrientedMatch>& all) {
  const double m = static_cast<double>(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i].q = std::min(1.0, all[i].p * m / static_cast<double>(i + 1));
  for (std::size_t i = all.size(); i-- > 1;) all[i - 1].q = std::min(all[i - 1].q, all[i].q);
}

// The rows of one query: every oriented target scored, q-values over all of
// them, the better strand of each target while the threshold holds.
inline std::vector<TomtomMatch> match_query(const Pwm& query, std::span<const double> qp, index_t query_index,
                                            const TargetColumns& tc, std::span<const Pwm> targets,
                                            const TomtomOptions& o) {
  const index_t K = tc.K, Q = query.width(), T = tc.columns();
  std::vector<double> raw(to_size(Q * T));
  for (index_t i = 0; i < Q; ++i)
    for (index_t t = 0; t < T; ++t)
      at(raw, i * T + t) = column_score(&qp[to_size(i * K)], &at(tc.p, t * K), K, o.distance);
  if (o.complete_scores) shift_by_median(raw, Q, T);
  const ScaledScores sc = scale_scores(raw);
  const OverlapTables tables(sc, Q, T, !o.complete_scores);
  const int strands = ssize(tc.motifs) > ssize(targets) ? 2 : 1;

  std::vector<OrientedMatch> all;
  for (index_t m = 0; m < ssize(tc.motifs); ++m)
    all.push_back({m, best_alignment(sc, tables, Q, T, at(tc.motifs, m), o)});
  p_values(all, tables, sc, tc, Q, ssize(targets), strands, o);
  sort_matches(all, tc, targets);
  q_values(all);

  std::vector<TomtomMatch> rows;
  std::vector<bool> seen(targets.size(), false);
  const std::string query_consensus = consensus(qp, query.alphabet);
  for (const auto& m : all) {
    if ((o.evalue_threshold ? m.e : m.q) > o.threshold) break;
    const auto& t = at(tc.motifs, m.oriented);
    if (at(seen, t.target)) continue;
    at(seen, t.target) = true;
    const Pwm& target = targets[to_size(t.target)];
    const std::span<const double> tp(&at(tc.p, t.begin * K), to_size(t.width * K));
    rows.push_back({query_index, t.target, query.id, target.id, m.best.offset, m.p, m.e, m.q, m.best.overlap,
                    query_consensus, consensus(tp, target.alphabet), t.strand});
  }
  return rows;
}

// The background for the pseudocount: normalised and, for a complementable
// alphabet, averaged with the complement's as MEME does.
inline std::vector<double> pseudocount_background(const TomtomOptions& o, index_t K,
                                                  const std::vector<index_t>& complement) {
  std::vector<double> bg = o.background;
  if (bg.empty()) bg.assign(to_size(K), 1.0 / static_cast<double>(K));
  require(ssize(bg) == K, "tomtom: " + std::to_string(bg.size()) + " background frequencies for " +
                              std::to_string(K) + " letters");
  double sum = 0;
  for (double v : bg) {
    require(std::isfinite(v) && v >= 0, "tomtom: background frequencies must be numbers >= 0");
    sum += v;
  }
  require(sum > 0, "tomtom: the background frequencies sum to 0");
  for (double& v : bg) v /= sum;
  if (!complement.empty()) {
    const std::vector<double> f = bg;
    for (index_t j = 0; j < K; ++j) at(bg, j) = (at(f, j) + at(f, at(complement, j))) / 2;
  }
  return bg;
}

// Column index of each letter's complement; empty when the alphabet has none.
inline std::vector<index_t> complement_columns(const std::string& alphabet, const std::string& given) {
  const std::string c = tomtom_complement(alphabet, given);
  if (c.empty()) return {};
  require(c.size() == alphabet.size(), "tomtom: complement '" + c + "' does not pair each letter of '" + alphabet + "'");
  std::vector<index_t> out;
  for (char x : c) {
    const std::size_t j = alphabet.find(x);
    require(j != std::string::npos, "tomtom: complement letter '" + std::string(1, x) + "' is not in '" + alphabet + "'");
    out.push_back(static_cast<index_t>(j));
  }
  for (index_t j = 0; j < ssize(out); ++j)
    require(at(out, at(out, j)) == j, "tomtom: complement '" + c + "' of '" + alphabet + "' does not pair letters both ways");
  return out;
}

inline void check_options(const TomtomOptions& o) {
  require(o.min_overlap >= 0, "tomtom: min_overlap must be >= 0");
  require(std::isfinite(o.motif_pseudocount) && o.motif_pseudocount >= 0, "tomtom: the pseudocount must be >= 0");
  require(o.threshold >= 0 && (o.evalue_threshold || o.threshold <= 1),
          "tomtom: the threshold must be within 0..1 for q-values (or >= 0 for E-values)");
}

}  // namespace detail

// Every query against every target: tomtom's rows, query by query in input
// order, each query's targets best first. Queries run in parallel; the
// result does not depend on the thread count.
inline std::vector<TomtomMatch> tomtom(std::span<const Pwm> queries, std::span<const Pwm> targets,
                                       const TomtomOptions& options = {}) {
  using namespace detail;
  check_options(options);
  require(!queries.empty(), "tomtom: no query motifs");
  require(!targets.empty(), "tomtom: no target motifs");
  const std::string& alphabet = queries[0].alphabet;
  const index_t K = ssize(alphabet);
  require(K >= 2, "tomtom: query motif 0 ('" + queries[0].id + "') has alphabet '" + alphabet + "'; expected 2 letters or more");
  auto same_alphabet = [&](const Pwm& m, const char* role, std::size_t i) {
    require(dna_letters(m.alphabet) == dna_letters(alphabet),
            std::string("tomtom: ") + role + " motif " + std::to_string(i) + " ('" + m.id + "') has alphabet '" +
                m.alphabet + "', query motif 0 has '" + alphabet + "'");
  };
  const std::vector<index_t> complement = complement_columns(alphabet, options.complement);
  const std::vector<double> bg = pseudocount_background(options, K, complement);
  const bool rc = options.both_strands && !complement.empty();

  TargetColumns tc;
  tc.K = K;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    same_alphabet(targets[i], "target", i);
    const std::vector<double> p = smoothed_rows(targets[i], bg, options.motif_pseudocount, "target", static_cast<index_t>(i));
    const index_t W = targets[i].width();
    auto add = [&](const std::vector<double>& rows, char strand) {
      tc.motifs.push_back({static_cast<index_t>(i), tc.columns(), W, strand});
      tc.p.insert(tc.p.end(), rows.begin(), rows.end());
    };
    add(p, '+');
    if (rc) add(reverse_complement(p, complement), '-');
  }
  std::vector<std::vector<double>> qp;
  for (std::size_t i = 0; i < queries.size(); ++i) {
    same_alphabet(queries[i], "query", i);
    require(queries[i].width() <= tomtom_max_query_width,
            "tomtom: query motif " + std::to_string(i) + " ('" + queries[i].id + "') is " +
                std::to_string(queries[i].width()) + " wide; at most " + std::to_string(tomtom_max_query_width) +
                " columns, as tomtom");
    qp.push_back(smoothed_rows(queries[i], bg, options.motif_pseudocount, "query", static_cast<index_t>(i)));
  }

  std::vector<std::vector<TomtomMatch>> per_query(queries.size());
  parallel_for_each_index(ssize(queries), [&](index_t i) {
    at(per_query, i) = match_query(queries[to_size(i)], at(qp, i), i, tc, targets, options);
  });
  std::vector<TomtomMatch> rows;
  for (auto& v : per_query) rows.insert(rows.end(), v.begin(), v.end());
  return rows;
}
inline std::vector<TomtomMatch> tomtom(const std::vector<Pwm>& queries, const std::vector<Pwm>& targets,
                                       const TomtomOptions& options = {}) {
  return tomtom(std::span<const Pwm>(queries), std::span<const Pwm>(targets), options);
}

// Tomtom's TSV: its header, one line per match (numbers as tomtom prints
// them: %g of the float value), then after a blank line each comment as a
// "# " line, as tomtom ends its file.
inline std::string tomtom_tsv(std::span<const TomtomMatch> rows, std::span<const std::string> comments = {}) {
  std::string out =
      "Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\tTarget_consensus\t"
      "Orientation\n";
  char buf[160];
  for (const auto& r : rows) {
    std::snprintf(buf, sizeof buf, "\t%td\t%g\t%g\t%g\t%td\t", r.offset, static_cast<double>(static_cast<float>(r.p_value)),
                  static_cast<double>(static_cast<float>(r.e_value)), static_cast<double>(static_cast<float>(r.q_value)),
                  r.overlap);
    out += r.query_id + "\t" + r.target_id + buf + r.query_consensus + "\t" + r.target_consensus + "\t" +
           r.orientation + "\n";
  }
  if (!comments.empty()) out += "\n";
  for (const auto& c : comments) out += "# " + c + "\n";
  return out;
}
inline std::string tomtom_tsv(const std::vector<TomtomMatch>& rows, const std::vector<std::string>& comments = {}) {
  return tomtom_tsv(std::span<const TomtomMatch>(rows), std::span<const std::string>(comments));
}

}  // namespace sster
