#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "sster/core/parallel.hpp"
#include "sster/core/random.hpp"
#include "sster/interpret/tomtom.hpp"

using namespace sster;

namespace {

// Random DNA motifs: each column a Dirichlet(1) draw squared and renormalised,
// so most columns prefer one or two letters, as real motifs do.
std::vector<Pwm> random_dna_motifs(index_t n, std::uint64_t seed, index_t min_width = 6, index_t max_width = 15,
                                   const std::string& prefix = "r") {
  RandomStream rng(RandomKey(seed, Purpose::simulate));
  std::vector<Pwm> out;
  for (index_t i = 0; i < n; ++i) {
    Pwm m{prefix + std::to_string(i), "", "ACGT"};
    const index_t w = min_width + static_cast<index_t>(rng.below(static_cast<std::uint64_t>(max_width - min_width + 1)));
    for (index_t r = 0; r < w; ++r) {
      double v[4], sum = 0;
      for (double& x : v) {
        const double e = -std::log(1.0 - rng.uniform());
        sum += x = e * e;
      }
      for (double x : v) m.p.push_back(x / sum);
    }
    out.push_back(m);
  }
  return out;
}

// Reverse complement of an ACGT motif, written out independently of tomtom.hpp.
Pwm reverse_complement_of(const Pwm& m, const std::string& id) {
  Pwm rc{id, "", m.alphabet};
  for (index_t r = m.width() - 1; r >= 0; --r)
    for (index_t j = 3; j >= 0; --j) rc.p.push_back(m(r, j));
  return rc;
}

// `core` with random columns before and after it.
Pwm embedded(const Pwm& core, index_t before, index_t after, std::uint64_t seed, const std::string& id) {
  const auto flank = random_dna_motifs(1, seed, before + after + 1, before + after + 1)[0];
  Pwm m{id, "", core.alphabet};
  m.p.assign(flank.p.begin(), flank.p.begin() + before * 4);
  m.p.insert(m.p.end(), core.p.begin(), core.p.end());
  m.p.insert(m.p.end(), flank.p.begin() + (before + 1) * 4, flank.p.begin() + (before + 1 + after) * 4);
  return m;
}

std::vector<TomtomOptions> every_mode() {
  std::vector<TomtomOptions> modes;
  for (bool complete : {true, false})
    for (ColumnScore d : {ColumnScore::pearson, ColumnScore::euclidean}) {
      TomtomOptions o;
      o.complete_scores = complete;
      o.distance = d;
      modes.push_back(o);
    }
  return modes;
}

std::string mode_name(const TomtomOptions& o) {
  return std::string(o.complete_scores ? "complete " : "incomplete ") +
         (o.distance == ColumnScore::pearson ? "pearson" : "ed");
}

std::vector<TomtomMatch> rows_of(const std::vector<TomtomMatch>& rows, index_t query) {
  std::vector<TomtomMatch> out;
  for (const auto& r : rows)
    if (r.query == query) out.push_back(r);
  return out;
}

}  // namespace

TEST_CASE("tomtom: a motif finds itself first, at offset 0 on the + strand, with the smallest p-value") {
  const auto queries = random_dna_motifs(6, 1);
  auto targets = random_dna_motifs(30, 2, 6, 15, "t");
  targets.insert(targets.begin() + 7, queries.begin(), queries.end());
  for (auto o : every_mode()) {
    CAPTURE(mode_name(o));
    o.threshold = 1;
    const auto rows = tomtom(queries, targets, o);
    for (index_t q = 0; q < ssize(queries); ++q) {
      const auto mine = rows_of(rows, q);
      REQUIRE(ssize(mine) == ssize(targets));  // threshold 1: every target once
      CHECK(mine[0].target_id == queries[to_size(q)].id);
      CHECK(mine[0].offset == 0);
      CHECK(mine[0].orientation == '+');
      CHECK(mine[0].overlap == queries[to_size(q)].width());
      CHECK(mine[0].query_consensus == mine[0].target_consensus);
      CHECK(mine[0].p_value < 1e-4);
      CHECK(mine[0].e_value == doctest::Approx(mine[0].p_value * static_cast<double>(targets.size())).epsilon(1e-6));
      for (std::size_t i = 1; i < mine.size(); ++i) CHECK(mine[i].p_value >= mine[i - 1].p_value);
    }
  }
}

TEST_CASE("tomtom: the reverse complement of a motif matches on the - strand") {
  const auto queries = random_dna_motifs(5, 3);
  auto targets = random_dna_motifs(25, 4, 6, 15, "t");
  for (const auto& q : queries) targets.push_back(reverse_complement_of(q, "rc_" + q.id));
  for (auto o : every_mode()) {
    CAPTURE(mode_name(o));
    const auto rows = tomtom(queries, targets, o);
    for (index_t q = 0; q < ssize(queries); ++q) {
      const auto mine = rows_of(rows, q);
      REQUIRE(!mine.empty());
      CHECK(mine[0].target_id == "rc_" + queries[to_size(q)].id);
      CHECK(mine[0].orientation == '-');
      CHECK(mine[0].offset == 0);
      CHECK(mine[0].target_consensus == mine[0].query_consensus);  // the target as it was matched
    }
    o.both_strands = false;  // -norc: the reverse complement is just another motif
    for (const auto& r : tomtom(queries, targets, o)) CHECK(r.orientation == '+');
  }
}

TEST_CASE("tomtom: a motif embedded with a shift matches at that offset (tomtom's sign: target column of query column 0)") {
  const auto cores = random_dna_motifs(4, 5, 8, 10);
  std::vector<Pwm> targets = random_dna_motifs(25, 6, 6, 15, "t");
  for (std::size_t i = 0; i < cores.size(); ++i) targets.push_back(embedded(cores[i], 3, 2, 10 + i, "in_" + cores[i].id));
  std::vector<Pwm> longer;  // queries that contain a target
  for (std::size_t i = 0; i < cores.size(); ++i) longer.push_back(embedded(cores[i], 2, 1, 20 + i, "long_" + cores[i].id));
  for (auto o : every_mode()) {
    CAPTURE(mode_name(o));
    const auto rows = tomtom(cores, targets, o);
    for (index_t q = 0; q < ssize(cores); ++q) {
      const auto mine = rows_of(rows, q);
      REQUIRE(!mine.empty());
      CHECK(mine[0].target_id == "in_" + cores[to_size(q)].id);
      CHECK(mine[0].offset == 3);
      CHECK(mine[0].overlap == cores[to_size(q)].width());
      CHECK(mine[0].orientation == '+');
    }
    std::vector<Pwm> plain_targets = random_dna_motifs(25, 6, 6, 15, "t");
    plain_targets.insert(plain_targets.end(), cores.begin(), cores.end());
    const auto back = tomtom(longer, plain_targets, o);
    for (index_t q = 0; q < ssize(longer); ++q) {
      const auto mine = rows_of(back, q);
      REQUIRE(!mine.empty());
      CHECK(mine[0].target_id == cores[to_size(q)].id);
      CHECK(mine[0].offset == -2);
      CHECK(mine[0].overlap == cores[to_size(q)].width());
    }
  }
}

TEST_CASE("tomtom: p-values of unrelated random motifs are roughly uniform (Kolmogorov-Smirnov)") {
  const auto queries = random_dna_motifs(20, 7);
  const auto targets = random_dna_motifs(30, 8, 6, 15, "t");
  for (auto o : every_mode()) {
    CAPTURE(mode_name(o));
    o.threshold = 1;
    const auto rows = tomtom(queries, targets, o);
    REQUIRE(rows.size() == 600);
    std::vector<double> p;
    for (const auto& r : rows) p.push_back(r.p_value);
    std::sort(p.begin(), p.end());
    const double n = static_cast<double>(p.size());
    double D = 0;
    for (std::size_t i = 0; i < p.size(); ++i)
      D = std::max({D, static_cast<double>(i + 1) / n - p[i], p[i] - static_cast<double>(i) / n});
    // Pairs share queries and targets, so not independent: a loose bound,
    // which uncorrected minima over offsets (D ~ 0.5) would still fail.
    CHECK(D < 0.12);
  }
}

TEST_CASE("tomtom: the score tables agree with brute-force enumeration") {
  // 3 query columns, 5 target columns: every combination of target columns
  const index_t Q = 3, T = 5;
  detail::ScaledScores sc;
  sc.s = {0, 3, 3, 7, 100, 1, 1, 2, 50, 9, 100, 0, 4, 4, 4};
  const detail::OverlapTables tables(sc, Q, T, true);
  for (index_t start = 0; start < Q; ++start)
    for (index_t end = start; end < Q; ++end) {
      std::map<index_t, double> expected;
      const index_t n = end - start + 1;
      index_t combos = 1;
      for (index_t i = 0; i < n; ++i) combos *= T;
      for (index_t c = 0; c < combos; ++c) {
        index_t sum = 0, rest = c;
        for (index_t i = start; i <= end; ++i, rest /= T) sum += sc.s[to_size(i * T + rest % T)];
        expected[sum] += 1.0 / static_cast<double>(combos);
      }
      const auto& pmf = tables.pmf(start, end);
      double total = 0;
      for (index_t k = 0; k < ssize(pmf); ++k) {
        CHECK(pmf[to_size(k)] == doctest::Approx(expected.count(k) ? expected[k] : 0.0).epsilon(1e-12));
        total += pmf[to_size(k)];
      }
      CHECK(total == doctest::Approx(1.0));
      // P(sum >= s)
      double tail = 0;
      for (auto it = expected.rbegin(); it != expected.rend(); ++it) {
        tail += it->second;
        CHECK(tables.p_at_least(start, end, it->first) == doctest::Approx(tail).epsilon(1e-12));
      }
    }
}

TEST_CASE("tomtom: the distribution of the best alignment is the product of the alignments' distributions") {
  // P(max < s) = prod over alignments and strands of P(S_a < s) for independent S_a
  const index_t Q = 3, T = 4, W = 2;
  detail::ScaledScores sc;
  sc.s = {10, 60, 35, 80, 0, 100, 50, 50, 20, 30, 40, 90};
  sc.zero = 30;
  const detail::OverlapTables tables(sc, Q, T, false);
  for (int strands : {1, 2}) {
    const auto pv = detail::max_score_pvalues(tables, sc, Q, W, strands);
    for (index_t s = 1; s < ssize(pv); s += 7) {
      double below = 1;
      for (index_t config = 1; config <= Q + W - 1; ++config) {
        const auto a = detail::alignment(Q, W, config);
        const auto& f = tables.pmf(a.start, a.end);
        const index_t shift = (Q - (a.end - a.start + 1)) * sc.zero;  // unaligned query columns count as raw 0
        double p = 0;
        for (index_t k = 0; k < ssize(f); ++k)
          if (k + shift < s) p += f[to_size(k)];
        below *= std::pow(p, strands);
      }
      CHECK(pv[to_size(s)] == doctest::Approx(1 - below).epsilon(1e-9));
    }
  }
}

TEST_CASE("tomtom: alignments cover every offset with tomtom's overlap") {
  // config 1: the query's last column on the target's first; config Q + W - 1: the reverse
  const index_t Q = 4, W = 6;
  for (index_t config = 1; config <= Q + W - 1; ++config) {
    const auto a = detail::alignment(Q, W, config);
    const index_t offset = config - Q;  // target column under query column 0
    for (index_t i = 0; i < Q; ++i) {
      const index_t t = i + offset;
      const bool inside = t >= 0 && t < W;
      CHECK(inside == (i >= a.start && i <= a.end));
      if (inside) CHECK(a.target_first + (i - a.start) == t);
    }
  }
}

TEST_CASE("tomtom: scaled scores as MEME's scale_score_matrix") {
  const auto sc = detail::scale_scores({-0.7, 0.0, 0.35, 1.0});
  // offset floor(-0.7) = -1, scale floor(100 / 2) = 50
  CHECK(sc.s == std::vector<int>{15, 50, 68, 100});
  CHECK(sc.zero == 50);
  CHECK(detail::round_14_digits(0.123456789012345678) == 0.12345678901235);
  CHECK(detail::round_14_digits(-0.123456789012345678) == -0.12345678901235);
  CHECK(detail::round_14_digits(0.0) == 0.0);
}

TEST_CASE("tomtom: the threshold is on q, or on E; each target at most once per query") {
  const auto queries = random_dna_motifs(4, 11);
  auto targets = random_dna_motifs(40, 12, 6, 15, "t");
  targets.insert(targets.end(), queries.begin(), queries.end());
  TomtomOptions all;
  all.threshold = 1;
  const auto every = tomtom(queries, targets, all);
  CHECK(every.size() == queries.size() * targets.size());
  TomtomOptions q;
  q.threshold = 0.05;
  for (const auto& r : tomtom(queries, targets, q)) CHECK(r.q_value <= 0.05);
  TomtomOptions e;
  e.evalue_threshold = true;
  e.threshold = 2;
  const auto by_e = tomtom(queries, targets, e);
  index_t expected = 0;
  for (const auto& r : every) expected += r.e_value <= 2;
  CHECK(ssize(by_e) == expected);
  for (index_t qi = 0; qi < ssize(queries); ++qi) {
    std::vector<std::string> seen;
    for (const auto& r : rows_of(every, qi)) seen.push_back(r.target_id);
    std::sort(seen.begin(), seen.end());
    CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
    // BH q-values rise with p
    const auto mine = rows_of(every, qi);
    for (std::size_t i = 1; i < mine.size(); ++i) CHECK(mine[i].q_value >= mine[i - 1].q_value);
  }
}

TEST_CASE("tomtom: the same rows on 1 thread and on 2; RNA queries against DNA targets as T = U") {
  const auto queries = random_dna_motifs(6, 13);
  const auto targets = random_dna_motifs(20, 14, 6, 15, "t");
  set_threads(1);
  const auto one = tomtom(queries, targets);
  set_threads(2);
  const auto two = tomtom(queries, targets);
  REQUIRE(one.size() == two.size());
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(one[i].target_id == two[i].target_id);
    CHECK(one[i].p_value == two[i].p_value);
    CHECK(one[i].q_value == two[i].q_value);
  }
  std::vector<Pwm> rna = queries;
  for (auto& m : rna) m.alphabet = "ACGU";
  const auto r = tomtom(rna, targets);
  REQUIRE(r.size() == one.size());
  for (std::size_t i = 0; i < r.size(); ++i) {
    CHECK(r[i].p_value == one[i].p_value);
    CHECK(r[i].query_consensus.find('T') == std::string::npos);
  }
}

TEST_CASE("tomtom: the TSV is tomtom's (header, %g of the float values, # lines at the end)") {
  TomtomMatch m;
  m.query_id = "q";
  m.target_id = "MA0004.1";
  m.offset = -2;
  m.p_value = 1.0 / 3.0;
  m.e_value = 2.5e-20;
  m.q_value = 0.1;
  m.overlap = 6;
  m.query_consensus = "CACGTG";
  m.target_consensus = "CACGTG";
  m.orientation = '-';
  const std::vector<TomtomMatch> rows{m};
  CHECK(tomtom_tsv(rows, {"sster tomtom q.meme t.meme"}) ==
        "Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\tTarget_consensus\t"
        "Orientation\n"
        "q\tMA0004.1\t-2\t0.333333\t2.5e-20\t0.1\t6\tCACGTG\tCACGTG\t-\n"
        "\n# sster tomtom q.meme t.meme\n");
}

TEST_CASE("tomtom: bad input is an Error saying what was expected") {
  const auto dna = random_dna_motifs(2, 15);
  CHECK_THROWS_WITH_AS(tomtom(std::vector<Pwm>{}, dna), "tomtom: no query motifs", Error);
  CHECK_THROWS_WITH_AS(tomtom(dna, std::vector<Pwm>{}), "tomtom: no target motifs", Error);
  std::vector<Pwm> protein{Pwm{"p", "", "ACDEFGHIKLMNPQRSTVWY", std::vector<double>(20, 0.05)}};
  CHECK_THROWS_WITH_AS(tomtom(dna, protein),
                       doctest::Contains("target motif 0 ('p') has alphabet 'ACDEFGHIKLMNPQRSTVWY', query motif 0 has 'ACGT'"),
                       Error);
  auto wide = random_dna_motifs(1, 16, 101, 101);
  CHECK_THROWS_WITH_AS(tomtom(wide, dna), doctest::Contains("is 101 wide; at most 100 columns"), Error);
  std::vector<Pwm> negative{Pwm{"neg", "", "ACGT", {1.5, -0.5, 0, 0}}};
  CHECK_THROWS_WITH_AS(tomtom(dna, negative), doctest::Contains("target motif 0 ('neg') row 1: expected probabilities >= 0"),
                       Error);
  TomtomOptions bad_complement;
  bad_complement.complement = "TGCC";
  CHECK_THROWS_AS(tomtom(dna, dna, bad_complement), Error);
  TomtomOptions bad_threshold;
  bad_threshold.threshold = 2;  // a q-value threshold above 1
  CHECK_THROWS_AS(tomtom(dna, dna, bad_threshold), Error);
  TomtomOptions short_background;
  short_background.background = {0.5, 0.5};
  CHECK_THROWS_WITH_AS(tomtom(dna, dna, short_background), "tomtom: 2 background frequencies for 4 letters", Error);
}
