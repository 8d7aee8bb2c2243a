#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "attribution_test_util.hpp"
#include "interpret_test_util.hpp"
#include "sster/interpret/attribution.hpp"
#include "sster/interpret/seqlet_motifs.hpp"
#include "sster/interpret/seqlet_tsv.hpp"
#include "sster/interpret/seqlets.hpp"
#include "temp_dir.hpp"

using namespace sster;

namespace {

// Attributions whose actual contributions are `values` (one row per
// sequence), on the DNA sequences `letters`.
Attributions with_actual(const std::vector<std::vector<double>>& values, const std::vector<std::string>& letters) {
  Attributions a{.method = AttributionMethod::gradient_x_input,
                 .n = ssize(values),
                 .length = ssize(values[0]),
                 .letters = 4};
  for (std::size_t i = 0; i < values.size(); ++i)
    for (std::size_t t = 0; t < values[i].size(); ++t) {
      const auto s = static_cast<std::uint8_t>(std::string("ACGT").find(letters[i][t]));
      a.symbols.push_back(s);
      for (std::uint8_t c = 0; c < 4; ++c) a.hypothetical.push_back(c == s ? static_cast<float>(values[i][t]) : 9.0f);
    }
  a.output.assign(values.size(), 0.0);
  a.reference.assign(values.size(), 0.0);
  return a;
}

// stem + i, appended (GCC 12's -Wrestrict misfires on "literal" + string, PR 105651).
std::string label(const char* stem, index_t i) {
  std::string s = stem;
  s += std::to_string(i);
  return s;
}

std::vector<std::string> names(index_t n) {
  std::vector<std::string> out;
  for (index_t i = 0; i < n; ++i) out.push_back(label("seq", i));
  return out;
}

bool in_planted_window(index_t start, index_t end) {
  for (index_t w : {20, 50, 80, 110})
    if (start < w + 10 && end > w) return true;
  return false;
}

}  // namespace

TEST_CASE("seqlets: window scores are running sums of the actual contributions") {
  const auto a = with_actual({{1, 2, 3, 4, 5, -6}}, {"ACGTAC"});
  CHECK(window_scores(a, 0, 1) == std::vector<double>{1, 2, 3, 4, 5, -6});
  CHECK(window_scores(a, 0, 3) == std::vector<double>{6, 9, 12, 3});
  CHECK(window_scores(a, 0, 6) == std::vector<double>{9});
  CHECK_THROWS_WITH_AS(window_scores(a, 0, 7), doctest::Contains("window width must be 1 to 6"), Error);
}

TEST_CASE("seqlets: the threshold is the quantile of |window score| over the null windows") {
  // 100 windows of width 1 with |scores| 1..100.
  std::vector<double> v;
  for (int k = 1; k <= 100; ++k) v.push_back(k % 2 ? k : -k);
  const auto null = with_actual({v}, {std::string(100, 'A')});
  CHECK(seqlet_threshold(null, {.width = 1, .null_quantile = 0.9}) == 90);
  CHECK(seqlet_threshold(null, {.width = 1, .null_quantile = 0.999}) == 100);
  CHECK_THROWS_WITH_AS(seqlet_threshold(null, {.width = 1, .null_quantile = 1.0}), doctest::Contains("between 0 and 1"),
                       Error);
}

TEST_CASE("seqlets: greedy, strongest first, no overlaps, signed, in position order") {
  //                      0  1  2  3  4  5  6  7  8  9 10 11
  const auto a = with_actual({{0, 1, 4, 4, 1, 0, 0, 0, -3, -3, 0, 0}}, {"ACGTACGTACGT"});
  const std::vector<std::string> n{"r"};
  const auto s = call_seqlets(a, 2.5, alphabet::dna(), n, {.width = 2});
  // windows: [2,4) 8, [1,3) 5, [3,5) 5, [8,10) -6, [7,9) -3, [9,11) -3; greedy keeps [2,4) and [8,10)
  REQUIRE(s.size() == 2);
  CHECK(s[0].record == "r");
  CHECK(s[0].start == 2);
  CHECK(s[0].end == 4);
  CHECK(s[0].score == 8);
  CHECK(s[0].sequence == "GT");
  CHECK(s[0].strand == '+');
  CHECK(s[1].start == 8);
  CHECK(s[1].score == -6);
  CHECK(s[1].sequence == "AC");
  CHECK(call_seqlets(a, 10, alphabet::dna(), n, {.width = 2}).empty());
}

TEST_CASE("seqlets: null sequences are seeded dinucleotide shuffles") {
  const auto x = test::random_symbols(3, 40, 4, 1);
  const auto a = seqlet_null_sequences(x, 3, 40, 2, 7), b = seqlet_null_sequences(x, 3, 40, 5, 7);
  CHECK(a.size() == 80);
  CHECK(b.size() == 120);  // at most n
  CHECK(std::equal(a.begin(), a.end(), b.begin()));
  CHECK(a != std::vector<std::uint8_t>(x.begin(), x.begin() + 80));
  std::vector<std::uint8_t> sorted_a(a.begin(), a.begin() + 40), sorted_x(x.begin(), x.begin() + 40);
  std::sort(sorted_a.begin(), sorted_a.end());
  std::sort(sorted_x.begin(), sorted_x.end());
  CHECK(sorted_a == sorted_x);
}

TEST_CASE("seqlet TSV: written and read back; damaged rows name the file, the line and what was expected") {
  test::TempDir dir;
  const std::vector<Seqlet> seqlets = {{"seq_1", 20, 30, '+', 1.875, "CCCCCCCCCC"}, {"seq 2", 0, 3, '-', -0.5, "ACG"}};
  const auto path = dir.file("s.tsv");
  save_seqlets(seqlets, "alphabet=ACGT method=ism", path);
  CHECK(test::read_file(path) ==
        "# sster seqlets: alphabet=ACGT method=ism\nrecord\tstart\tend\tstrand\tscore\tsequence\n"
        "seq_1\t20\t30\t+\t1.875\tCCCCCCCCCC\nseq 2\t0\t3\t-\t-0.5\tACG\n");
  const SeqletFile back = read_seqlets(path);
  CHECK(back.alphabet == "ACGT");
  REQUIRE(back.seqlets.size() == 2);
  CHECK(back.seqlets[1].record == "seq 2");
  CHECK(back.seqlets[1].start == 0);
  CHECK(back.seqlets[1].end == 3);
  CHECK(back.seqlets[1].strand == '-');
  CHECK(back.seqlets[1].score == -0.5);
  CHECK(back.seqlets[1].sequence == "ACG");
  const std::string head = "# alphabet=ACGT\nrecord\tstart\tend\tstrand\tscore\tsequence\n";
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"r\t1\t3\t+\t0.5\n", "line 3: expected 6 tab-separated fields"},
      {"r\t-1\t3\t+\t0.5\tACGT\n", "line 3: start '-1' is not a whole number >= 0"},
      {"r\t3\t3\t+\t0.5\t\n", "line 3: end '3' is not a whole number greater than start"},
      {"r\t1\t3\tx\t0.5\tAC\n", "line 3: strand 'x' is neither + nor -"},
      {"r\t1\t3\t+\tnan\tAC\n", "line 3: score 'nan' is not a finite number"},
      {"r\t1\t3\t+\t1\tACG\n", "line 3: the sequence has 3 letters, but end - start is 2"},
      {"r\t1\t3\t+\t1\tAX\n", "line 3: 'X' in the sequence is not in the alphabet 'ACGT'"},
      {"\tAC\n", "line 3: expected 6"},
      {"\t1\t3\t+\t1\tAC\n", "line 3: the record name is empty or holds a line break"},
      {"r\rx\t1\t3\t+\t1\tAC\n", "line 3: the record name is empty or holds a line break"},
  };
  for (const auto& [row, message] : bad) {
    CAPTURE(row);
    test::write_file(path, head + row);
    CHECK_THROWS_WITH_AS(read_seqlets(path), doctest::Contains((path + " " + message).c_str()), Error);
  }
  for (const std::string name : {"", "a\tb", "a\rb"}) {
    const std::vector<Seqlet> unwritable = {{name, 0, 2, '+', 1, "AC"}};
    CHECK_THROWS_WITH_AS(seqlet_tsv(unwritable, ""), doctest::Contains("is empty or holds a tab or line break"), Error);
  }
  test::write_file(path, "record\tstart\n");
  CHECK_THROWS_WITH_AS(read_seqlets(path), doctest::Contains("line 1: expected the header"), Error);
  test::write_file(path, "# nothing\n");
  CHECK_THROWS_WITH_AS(read_seqlets(path), doctest::Contains("not a seqlet TSV"), Error);
}

TEST_CASE("seqlet motifs: shifted, noisy and reverse-complement copies of two motifs make two motifs") {
  RandomStream rng(RandomKey(5, Purpose::simulate));
  auto random_letters = [&](index_t n) {
    std::string s;
    for (index_t i = 0; i < n; ++i) s += "ACGT"[rng.below(4)];
    return s;
  };
  auto reverse_complement = [](std::string s) {
    std::reverse(s.begin(), s.end());
    for (char& c : s) c = "TGCA"[std::string("ACGT").find(c)];
    return s;
  };
  std::vector<Seqlet> seqlets;
  for (int i = 0; i < 40; ++i) {  // a site at shifts -1..1, a letter changed in some
    const int shift = static_cast<int>(rng.below(3)) - 1;
    std::string site = "GATTACAGG";
    if (i % 4 == 0) site[rng.below(9)] = 'C';
    std::string s = random_letters(6 + shift) + site + random_letters(6 - shift);
    s = s.substr(3, 15);
    if (i % 2) s = reverse_complement(s);
    seqlets.push_back({label("p", i), 0, 15, '+', 2.0 + i % 3, s});
  }
  for (int i = 0; i < 25; ++i)
    seqlets.push_back({label("n", i), 0, 15, '+', -1.0, random_letters(3) + "CCCCGGGG" + random_letters(4)});
  for (int i = 0; i < 3; ++i) seqlets.push_back({label("x", i), 0, 15, '+', 5.0, random_letters(15)});
  const auto motifs = cluster_seqlets(seqlets, "ACGT");
  REQUIRE(motifs.size() == 2);
  CHECK(motifs[0].sign == 1);
  CHECK(motifs[0].members.size() == 40);  // the site, on both strands
  const Motif& site = motifs[0].motif;
  CAPTURE(site.consensus());
  CHECK((site.shows("GATTACAGG") || site.shows("CCTGTAATC")));
  index_t reversed = 0;
  for (const auto& m : motifs[0].members) reversed += m.reverse;
  CHECK(reversed == 20);
  CHECK(motifs[1].sign == -1);
  CHECK(motifs[1].members.size() == 25);
  CHECK(motifs[1].mean_score == -1.0);
  CHECK((motifs[1].motif.shows("CCCCGGGG")));
  // single strand: the reversed copies cannot join the forward ones
  const auto one = cluster_seqlets(seqlets, "ACGT", {.both_strands = false});
  REQUIRE(one.size() == 3);
  CHECK(one[0].members.size() + one[1].members.size() + one[2].members.size() == 65);
  const auto pwms = seqlet_motif_pwms(motifs);
  CHECK(pwms[0].id == "seqlet_motif_0");
  CHECK(pwms[0].alt.rfind("positive_", 0) == 0);
  CHECK(pwms[0].nsites == static_cast<double>(motifs[0].members.size()));
  CHECK(pwms[1].alt.rfind("negative_", 0) == 0);
}

TEST_CASE("planted motifs: DeepLIFT-SHAP seqlets sit on the planted motifs and cluster into them") {
  auto& p = test::planted();
  const index_t n = 60, L = 140;
  std::vector<std::uint8_t> x;
  for (index_t i = 0; i < n; ++i) {
    const auto s = p.data.symbols(i);  // the first records are positives, alternating designs
    x.insert(x.end(), s.begin(), s.end());
  }
  const AttributionOptions o{.references = 10};
  const Attributions a = attribute(p.model, x, n, AttributionMethod::deeplift_shap, o);
  const SeqletOptions so{.width = 10};
  const auto null_x = seqlet_null_sequences(x, n, L, n, so.seed);
  const double threshold = seqlet_threshold(attribute(p.model, null_x, n, AttributionMethod::deeplift_shap, o), so);
  CHECK(threshold > 0);
  const auto seqlets = call_seqlets(a, threshold, alphabet::dna(), names(n), so);
  index_t on_motif = 0, positive = 0;
  for (const auto& s : seqlets) {
    on_motif += in_planted_window(s.start, s.end);
    positive += s.score > 0;
  }
  CAPTURE(seqlets.size());
  CHECK(ssize(seqlets) >= n);                         // at least about one per planted pair
  CHECK(on_motif * 100 >= 95 * ssize(seqlets));       // and (nearly) all on the motifs
  CHECK(positive * 100 >= 95 * ssize(seqlets));
  const auto motifs = cluster_seqlets(seqlets, "ACGT");
  bool cg = false, at_rich = false;
  for (const auto& m : motifs) {
    if (m.sign < 0 || ssize(m.members) < 10) continue;
    cg = cg || m.motif.shows("CCCCCC") || m.motif.shows("GGGGGG");
    at_rich = at_rich || m.motif.shows("AAAAAA") || m.motif.shows("TTTTTT");
  }
  CHECK(cg);
  CHECK(at_rich);
}
