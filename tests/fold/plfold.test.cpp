// RNAplfold's local folding: the windows' shared pass against folding each
// window on its own, and both against RNAplfold's own results (ViennaRNA's
// Python package, bench/fold_reference.py plfold).
#include <doctest.h>

#include <cmath>

#include "gold.hpp"
#include "random_rna.hpp"
#include "sster/fold/plfold.hpp"
#include "sster/fold/profile.hpp"

using namespace sster;
using namespace sster::fold;

TEST_CASE("plfold: the shared pass gives what folding every window on its own gives") {
  WindowFolder folder;
  double worst_pair = 0, worst_context = 0;
  int compared = 0;
  for (const auto& c : test::fold_cases(31, 60, 160)) {
    CAPTURE(c.sequence);
    const Rna rna = encode_rna(c.sequence);
    const index_t n = rna.length();
    for (const WindowOptions o : {WindowOptions{}, WindowOptions{25, 25}, WindowOptions{40, 12}, WindowOptions{n, n},
                                  WindowOptions{n + 5, 9}}) {
      CAPTURE(o.window);
      CAPTURE(o.span);
      const WindowEnsemble a = folder.fold(rna, o, 0), b = folder.fold_ref(rna, o, 0);
      REQUIRE(a.pairs.size() == b.pairs.size());
      for (std::size_t k = 0; k < a.pairs.size(); ++k) {
        CHECK(a.pairs[k].i == b.pairs[k].i);
        CHECK(a.pairs[k].j == b.pairs[k].j);
        CHECK(a.pairs[k].j - a.pairs[k].i < std::min({o.window, o.span, n}));
        worst_pair = std::max(worst_pair, std::abs(a.pairs[k].probability - b.pairs[k].probability));
      }
      REQUIRE(a.contexts.size() == to_size(n));
      for (std::size_t k = 0; k < a.contexts.size(); ++k) {
        double sum = 0;
        for (std::size_t s = 0; s < context_count; ++s) {
          CHECK(a.contexts[k][s] >= 0);
          sum += a.contexts[k][s];
          worst_context = std::max(worst_context, std::abs(a.contexts[k][s] - b.contexts[k][s]));
        }
        CHECK(sum == doctest::Approx(1.0).epsilon(1e-9));
      }
      ++compared;
    }
  }
  MESSAGE(compared << " sequence/window pairs; largest differences: P(i, j) " << worst_pair << ", contexts "
                   << worst_context);
  CHECK(worst_pair < 1e-12);
  CHECK(worst_context < 1e-11);
}

TEST_CASE("plfold: a window as long as the sequence is the partition function with that span") {
  const std::string seq = "GGGAAAUCCCAGCUAGCUAGGGAUUCCCAAAGGGUUCGCAUCGAUC";
  const Rna rna = encode_rna(seq);
  PartitionFolder pf;
  PartitionOptions po;
  po.fold.max_span = 20;
  po.pair_cutoff = 0;
  const Ensemble whole = pf.fold(rna, po);
  WindowFolder folder;
  const WindowEnsemble one = folder.fold(rna, {std::ssize(seq) + 10, 20}, 0);
  REQUIRE(one.pairs.size() == whole.pairs.size());
  for (std::size_t k = 0; k < one.pairs.size(); ++k)
    CHECK(one.pairs[k].probability == doctest::Approx(whole.pairs[k].probability).epsilon(1e-12));
  for (std::size_t k = 0; k < one.contexts.size(); ++k)
    for (std::size_t s = 0; s < context_count; ++s)
      CHECK(one.contexts[k][s] == doctest::Approx(whole.contexts[k][s]).epsilon(1e-9).scale(1e-3));
}

TEST_CASE("plfold: RNAplfold's results (ViennaRNA 2.8.0) on 40 sequences, mostly W = L = 70") {
  const auto refs = test::read_plfold_reference("vienna_plfold.tsv");
  REQUIRE(refs.size() == 40);
  WindowFolder folder;
  double worst_unpaired = 0, worst_pair = 0;
  int strings_equal = 0, pairs_compared = 0;
  for (const auto& r : refs) {
    CAPTURE(r.sequence);
    CAPTURE(r.window);
    CAPTURE(r.span);
    const Rna rna = encode_rna(r.sequence);
    const WindowEnsemble e = folder.fold(rna, {r.window, r.span}, 0.005);
    REQUIRE(e.contexts.size() == r.sequence.size());
    for (std::size_t k = 0; k < e.contexts.size(); ++k) {
      const auto& c = e.contexts[k];
      const std::array<double, 4> ours = {
          c[slot(Context::exterior_5)] + c[slot(Context::exterior_3)] + c[slot(Context::exterior_between)],
          c[slot(Context::hairpin)], c[slot(Context::bulge)] + c[slot(Context::interior)], c[slot(Context::multi)]};
      for (std::size_t kind = 0; kind < 4; ++kind)
        worst_unpaired = std::max(worst_unpaired, std::abs(ours[kind] - r.unpaired[kind].at(k)));
    }
    std::map<std::pair<index_t, index_t>, double> mine;
    for (const BasePair& bp : e.pairs) mine[{bp.i, bp.j}] = bp.probability;
    for (const auto& [ij, p] : r.pairs) {  // every pair RNAplfold lists, and every pair it leaves out
      worst_pair = std::max(worst_pair, std::abs(mine.count(ij) ? mine[ij] - p : p));
      ++pairs_compared;
    }
    for (const auto& [ij, p] : mine)
      if (!r.pairs.count(ij)) worst_pair = std::max(worst_pair, p - 0.01);
    // pysster's P/U string: 'P' where a pair is more likely than 0.5
    std::vector<BasePair> theirs;
    for (const auto& [ij, p] : r.pairs) theirs.push_back({ij.first, ij.second, p});
    strings_equal += paired_unpaired(rna.length(), e.pairs) == paired_unpaired(rna.length(), theirs);
  }
  MESSAGE("largest differences: P(unpaired) by loop type " << worst_unpaired << ", P(i, j) " << worst_pair << " ("
                                                           << pairs_compared << " pairs); P/U strings equal: "
                                                           << strings_equal << " of " << refs.size());
  // ViennaRNA's partition function departs slightly from the exact Boltzmann sum
  // (see the whole-sequence comparison in partition.test.cpp)
  CHECK(worst_unpaired < 0.01);
  CHECK(worst_pair < 0.01);
  CHECK(strings_equal >= 39);
}

TEST_CASE("plfold: bad options") {
  WindowFolder folder;
  const Rna rna = encode_rna("GGGGAAAACCCC");
  CHECK_THROWS_AS(folder.fold(rna, {0, 70}), Error);
  CHECK_THROWS_AS(folder.fold(rna, {70, 0}), Error);
  const WindowEnsemble tiny = folder.fold(encode_rna("A"), {70, 70});
  CHECK(tiny.pairs.empty());
  CHECK(tiny.contexts.at(0)[slot(Context::exterior_5)] == doctest::Approx(1.0));
}

TEST_CASE("plfold: the scale (from any MFE the caller has) does not change the probabilities") {
  WindowFolder folder;
  const Rna rna = encode_rna(test::fold_cases(7, 1, 1).back().sequence);  // the 420-nt case
  const WindowEnsemble a = folder.fold(rna, {}, 0), b = folder.fold(rna, {}, 0, -9000), c = folder.fold(rna, {}, 0, 0);
  REQUIRE(a.pairs.size() == b.pairs.size());
  REQUIRE(a.pairs.size() == c.pairs.size());
  for (std::size_t k = 0; k < a.pairs.size(); ++k) {
    CHECK(b.pairs[k].probability == doctest::Approx(a.pairs[k].probability).epsilon(1e-10));
    CHECK(c.pairs[k].probability == doctest::Approx(a.pairs[k].probability).epsilon(1e-10));
  }
  for (std::size_t k = 0; k < a.contexts.size(); ++k)
    for (std::size_t s = 0; s < context_count; ++s) CHECK(std::abs(b.contexts[k][s] - a.contexts[k][s]) < 1e-10);
}

TEST_CASE("plfold: a long G/C-rich sequence (8,000 nt, beyond what folds without a span): probabilities") {
  RandomStream random(RandomKey(3, Purpose::fold_sample));
  const Rna rna = encode_rna(test::random_rna(random, 8000, "GGCCAU"));
  WindowFolder folder;
  const WindowEnsemble e = folder.fold(rna, {}, 0.1);
  REQUIRE(e.contexts.size() == 8000);
  for (const auto& c : e.contexts) {
    double sum = 0;
    for (double p : c) sum += p;
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-9));
  }
  CHECK(e.pairs.size() > 1000);
  for (const BasePair& bp : e.pairs) CHECK(bp.probability <= 1.0 + 1e-9);
}
