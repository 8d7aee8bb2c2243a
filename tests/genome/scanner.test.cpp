#include <doctest.h>

#include <cmath>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "genome_test_util.hpp"
#include "sster/core/parallel.hpp"
#include "sster/genome/scanner.hpp"
#include "sster/genome/scan_output.hpp"

using namespace sster;
using namespace sster::test;

namespace {

// Lower case, runs of N and a lone N: windows to skip or to score with N as no letter.
NamedSequences test_genome() {
  std::string a = random_bases(700, 21), b = random_bases(333, 22);
  for (index_t i = 100; i < 130; ++i) at(a, i) = 'N';
  at(a, 400) = 'n';
  for (index_t i = 500; i < 600; ++i) at(a, i) = static_cast<char>(std::tolower(at(a, i)));
  return {{"seq_b", b}, {"seq_a", a}, {"tiny", "ACGTACGT"}};
}

struct ScanGenome {
  TempDir dir;
  NamedSequences seqs = test_genome();
  GenomeFasta fasta;
  ScanGenome() : fasta(make(dir, seqs)) {}
  static std::string make(const TempDir& d, const NamedSequences& s) {
    write_file(d.file("g.fa"), fasta_text(s, 50));
    return d.file("g.fa");
  }
  const std::string& bases(index_t sequence) const { return at(seqs, sequence).second; }
};

// The model's probabilities for one window given as text, by Model::predict
// (N as no letter): the oracle.
std::vector<float> predict_text(Model& m, const std::string& text) {
  std::vector<std::uint8_t> x;
  for (char c : text) {
    const char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto p = std::string("ACGT").find(u);
    x.push_back(p == std::string::npos ? no_symbol : static_cast<std::uint8_t>(p));
  }
  std::vector<float> probs(to_size(m.info().classes()));
  m.predict(InputBatch<float>{.B = 1, .symbols = x.data()}, probs.data());
  return probs;
}

struct Expect {
  bool scored;
  std::vector<float> plus, minus;
};

// Every scored window of the plan against per-window predictions on its
// text and on its reverse complement.
void check_against_predict(Model& m, const ScanGenome& g, const ScanPlan& plan, const ScanOptions& o) {
  Scanner scanner(m, g.fasta, o);
  const index_t L = m.info().length, K = m.info().classes();
  index_t windows = 0, scored = 0;
  float worst = 0;
  scanner.run(plan, 0, plan.size(), [&](const UnitScores& s) {
    CHECK(s.strands == scanner.strands());
    for (index_t k = 0; k < s.unit.windows; ++k) {
      ++windows;
      const std::string text = g.bases(s.unit.sequence).substr(to_size(s.unit.start + k * plan.stride()), to_size(L));
      const bool has_unknown = text.find_first_of("Nn") != std::string::npos;
      CHECK(at(s.scored, k) == (o.unknown != UnknownBases::skip || !has_unknown));
      if (!at(s.scored, k)) continue;
      ++scored;
      const auto plus = predict_text(m, text);
      const auto minus = o.both_strands ? predict_text(m, reverse_complement(text)) : plus;
      for (index_t c = 0; c < K; ++c) {
        float want0 = at(plus, c), want1 = at(minus, c);
        if (o.both_strands && o.merge == RcMerge::mean) want0 = (want0 + want1) / 2;
        if (o.both_strands && o.merge == RcMerge::max) want0 = std::max(want0, want1);
        worst = std::max(worst, std::abs(s.value(k, 0, c) - want0));
        if (s.strands == 2) worst = std::max(worst, std::abs(s.value(k, 1, c) - want1));
      }
    }
  });
  CHECK(windows == plan.windows());
  CHECK(scored > 0);
  CHECK(worst < 1e-5f);
}

// A scan's bedGraph text, track after track, of units [begin, end).
std::vector<std::string> scan_text(Model& m, const ScanGenome& g, const ScanPlan& plan, const ScanOptions& o,
                                   index_t begin, index_t end) {
  Scanner scanner(m, g.fasta, o);
  std::vector<std::string> tracks(to_size(scanner.strands() * scanner.classes()));
  const TrackGeometry geo{plan.window(), plan.stride(), Anchor::centre};
  scanner.run(plan, begin, end, [&](const UnitScores& s) {
    for (index_t strand = 0; strand < s.strands; ++strand)
      for (index_t c = 0; c < s.classes; ++c) at(tracks, strand * s.classes + c) += bedgraph_lines(s, g.fasta, geo, {c, strand});
  });
  return tracks;
}

// The largest difference between the values of two bedGraph texts of the same lines.
double max_difference(const std::string& a, const std::string& b) {
  std::istringstream x(a), y(b);
  std::string la, lb;
  double worst = 0;
  while (std::getline(x, la)) {
    REQUIRE(std::getline(y, lb));
    const auto ta = la.rfind('\t'), tb = lb.rfind('\t');
    REQUIRE(la.substr(0, ta) == lb.substr(0, tb));
    if (ta != std::string::npos) worst = std::max(worst, std::abs(std::stod(la.substr(ta + 1)) - std::stod(lb.substr(tb + 1))));
  }
  CHECK(!std::getline(y, lb));
  return worst;
}

}  // namespace

TEST_CASE("ScanPlan: regions by sequence name, windows stride apart, units of bounded size") {
  ScanGenome g;
  const ScanPlan plan(g.fasta, whole_sequences(g.fasta), 40, 3, 50);
  REQUIRE(plan.regions().size() == 3);
  CHECK(g.fasta.name(plan.regions()[0].sequence) == "seq_a");
  CHECK(g.fasta.name(plan.regions()[1].sequence) == "seq_b");
  CHECK(plan.regions_too_short() == 1);                        // tiny: 8 bases
  CHECK(plan.windows() == (700 - 40) / 3 + 1 + (333 - 40) / 3 + 1);
  index_t windows = 0, last_end = 0;
  for (index_t u = 0; u < plan.size(); ++u) {
    const ScanUnit unit = plan.unit(u);
    CHECK(unit.number == u);
    CHECK(unit.windows >= 1);
    CHECK(unit.windows <= 16);  // 50 bases of starts at stride 3
    if (u > 0 && plan.unit(u - 1).region == unit.region) CHECK(unit.start == last_end);
    last_end = unit.start + unit.windows * 3;
    CHECK(unit.end(40, 3) <= g.fasta.length(unit.sequence));
    windows += unit.windows;
  }
  CHECK(windows == plan.windows());
}

TEST_CASE("scan == per-window predict: strands, merges, strides, unknown bases, unit boundaries") {
  ScanGenome g;
  const index_t L = 40;
  Model m = model_for(Params{}.kernel_num(6).kernel_len(5).neuron_num(12), L, 3, false);
  for (const index_t stride : {1, 3}) {
    const ScanPlan plan(g.fasta, whole_sequences(g.fasta), L, stride, 64);
    CAPTURE(stride);
    check_against_predict(m, g, plan, {});
    check_against_predict(m, g, plan, {.unknown = UnknownBases::zero});
    check_against_predict(m, g, plan, {.both_strands = true, .merge = RcMerge::none});
    check_against_predict(m, g, plan, {.both_strands = true, .merge = RcMerge::mean});
    check_against_predict(m, g, plan, {.both_strands = true, .merge = RcMerge::max, .unknown = UnknownBases::zero});
  }
  Model gru = model_for(Params{}.kernel_num(4).kernel_len(3).rnn_type("GRU").rnn_units(5), L, 2, false);
  check_against_predict(gru, g, ScanPlan(g.fasta, whole_sequences(g.fasta), L, 2, 100), {.both_strands = true});
  Model multilabel = model_for(Params{}.kernel_num(5).kernel_len(4).neuron_num(8), L, 3, true);
  check_against_predict(multilabel, g, ScanPlan(g.fasta, {{1, 50, 300}}, L, 1, 1 << 16), {});
}

TEST_CASE("scan output does not depend on units, threads or shards") {
  ScanGenome g;
  const index_t L = 30;
  Model m = model_for(Params{}.kernel_num(5).kernel_len(4).neuron_num(8), L, 2, false);
  for (const auto& o : {ScanOptions{.unknown = UnknownBases::random},
                        ScanOptions{.both_strands = true, .merge = RcMerge::none, .unknown = UnknownBases::zero}}) {
    const ScanPlan coarse(g.fasta, whole_sequences(g.fasta), L, 1, 1 << 16), fine(g.fasta, whole_sequences(g.fasta), L, 1, 37);
    set_threads(1);
    const auto one = scan_text(m, g, coarse, o, 0, coarse.size());
    set_threads(2);
    CHECK(scan_text(m, g, coarse, o, 0, coarse.size()) == one);
    // Shards of one plan concatenate to the bytes of the whole scan, track by track.
    const auto whole = scan_text(m, g, fine, o, 0, fine.size());
    std::vector<std::string> shards(whole.size());
    for (const auto& [b, e] : std::vector<std::pair<index_t, index_t>>{{0, 3}, {3, 4}, {4, 11}, {11, fine.size()}}) {
      const auto part = scan_text(m, g, fine, o, b, e);
      for (std::size_t t = 0; t < part.size(); ++t) shards[t] += part[t];
    }
    CHECK(shards == whole);
    // Plans cut into other units sum in other orders: the same values up to
    // float rounding (and the last printed digit).
    for (std::size_t t = 0; t < whole.size(); ++t) CHECK(max_difference(whole[t], one[t]) <= 2e-6);
  }
  set_threads(detail::default_threads());
}

TEST_CASE("scan: a base the model does not read is an error naming its line") {
  TempDir dir;
  write_file(dir.file("g.fa"), ">s\n" + random_bases(60, 1) + "\n" + random_bases(20, 2) + "J" + random_bases(50, 3) + "\n");
  GenomeFasta fasta(dir.file("g.fa"));
  Model m = model_for(Params{}.kernel_num(2).kernel_len(3).neuron_num(4), 20, 2, false);
  Scanner scanner(m, fasta, {});
  const ScanPlan plan(fasta, whole_sequences(fasta), 20, 1);
  CHECK_THROWS_WITH_AS(scanner.run(plan, 0, plan.size(), [](const UnitScores&) {}),
                       doctest::Contains("g.fa line 3 (s:81): 'J' is not a base the model reads; expected A, C, G, T, U"),
                       Error);
}

TEST_CASE("scan: both strands need a DNA or RNA model") {
  TempDir dir;
  write_file(dir.file("p.fa"), ">p\nMKVLA\n");
  GenomeFasta fasta(dir.file("p.fa"));
  Model m(Params{}.conv_num(1).kernel_len(2).kernel_num(2).neuron_num(2), ModelInfo{alphabet::protein(), 5, 0, 0, {"a", "b"}, false, 0}, 1);
  CHECK_THROWS_WITH_AS(Scanner(m, fasta, {.both_strands = true}), doctest::Contains("needs a DNA or RNA alphabet"), Error);
  CHECK_NOTHROW(Scanner(m, fasta, {}));
}
