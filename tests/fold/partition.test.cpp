// The partition function against RNAfold's ensemble free energies, against a
// brute-force sum over every structure of short sequences, and its pair and
// context probabilities against structures sampled from the ensemble.
#include <doctest.h>

#include <cmath>
#include <map>

#include "gold.hpp"
#include "random_rna.hpp"
#include "sster/core/random.hpp"
#include "sster/fold/partition.hpp"

using namespace sster;
using namespace sster::fold;

namespace {
void check_ensemble_gold(const std::string& file, index_t span) {
  const auto golds = test::read_gold(file);
  REQUIRE(golds.size() >= 3);
  PartitionFolder folder;
  PartitionOptions o;
  o.fold.max_span = span;
  for (const auto& g : golds) {
    CAPTURE(g.sequence);
    REQUIRE(g.has_ensemble);
    const Ensemble e = folder.fold(encode_rna(g.sequence), o);
    CHECK(std::abs(e.mfe.energy() - g.energy) < 0.005);
    // RNAfold prints two decimals; sster's value rounds to within 0.01 of it
    CHECK(std::abs(e.energy - g.ensemble_energy) < 0.01);
  }
}

// Every secondary structure of bases i..j (pairs the model allows, hairpins
// of 3 or more, spans up to `span`): i unpaired, or i paired with some k.
std::vector<std::string> all_structures(const Rna& rna, index_t span, index_t i, index_t j) {
  if (i > j) return {""};
  std::vector<std::string> out;
  for (const auto& rest : all_structures(rna, span, i + 1, j)) out.push_back("." + rest);
  for (index_t k = i + min_hairpin + 1; k <= std::min(j, i + span - 1); ++k) {
    if (rna.pair_type(i, k) == 0) continue;
    const auto inside = all_structures(rna, span, i + 1, k - 1);
    for (const auto& rest : all_structures(rna, span, k + 1, j))
      for (const auto& in : inside) out.push_back("(" + in + ")" + rest);
  }
  return out;
}

// -kT ln(sum over structures of exp(-E / kT)), kcal/mol.
double brute_force_ensemble(const Rna& rna, index_t span) {
  double z = 0;
  for (const auto& s : all_structures(rna, span, 1, rna.length())) z += std::exp(-structure_energy(rna, s) / kT_dcal);
  return -kT_dcal / 100.0 * std::log(z);
}
}  // namespace

TEST_CASE("RNAfold's golds: ensemble free energy of 50 sequences (-p)") { check_ensemble_gold("rnafold.small.pf.gold", 0); }
TEST_CASE("RNAfold's golds: ensemble free energy with --maxBPspan=30") {
  check_ensemble_gold("rnafold.small.span30.gold", 30);
}

TEST_CASE("the partition function is the sum over every structure (brute force, short sequences)") {
  RandomStream random(RandomKey(5, Purpose::fold_sample));
  PartitionFolder folder;
  for (int k = 0; k < 12; ++k) {
    std::string seq;
    for (int t = 0; t < 16; ++t) seq += "GGCCAUGC"[random.below(8)];  // G/C rich: many structures
    const Rna rna = encode_rna(seq);
    for (index_t span : {index_t{0}, index_t{9}}) {
      CAPTURE(seq);
      CAPTURE(span);
      PartitionOptions o;
      o.fold.max_span = span;
      const Ensemble e = folder.fold(rna, o);
      CHECK(e.energy == doctest::Approx(brute_force_ensemble(rna, span == 0 ? rna.length() : span)).epsilon(1e-9));
    }
  }
}

TEST_CASE("ViennaRNA's Python package: ensemble energy and P(paired) per position") {
  const auto refs = test::read_vienna_reference("vienna_reference.tsv");
  REQUIRE(refs.size() == 300);
  PartitionFolder folder;
  double worst_energy = 0, worst_paired = 0;
  for (std::size_t r = 0; r < refs.size(); r += 3) {  // every third: the suite stays quick
    const auto& ref = refs[r];
    CAPTURE(ref.sequence);
    const Ensemble e = folder.fold(encode_rna(ref.sequence));
    worst_energy = std::max(worst_energy, std::abs(e.energy - ref.ensemble));
    REQUIRE(ref.paired.size() == e.contexts.size());
    for (std::size_t t = 0; t < ref.paired.size(); ++t) {
      const double paired = e.contexts[t][slot(Context::paired_5)] + e.contexts[t][slot(Context::paired_3)];
      worst_paired = std::max(worst_paired, std::abs(paired - ref.paired[t]));
    }
  }
  MESSAGE("largest difference: ensemble energy " << worst_energy << " kcal/mol, P(paired) " << worst_paired);
  // sster's Z is the exact sum over RNAfold's structure energies (the brute-force
  // test above; for one 30-mer ViennaRNA's own eval summed over all 1.3 million
  // structures gives -2.83006, sster -2.83006, ViennaRNA's pf -2.83043), while
  // ViennaRNA's partition function departs from it by up to ~0.016 kcal/mol.
  CHECK(worst_energy < 0.02);
  CHECK(worst_paired < 0.01);
}

TEST_CASE("contexts sum to 1 per position; pairs and contexts agree with sampled structures") {
  const auto golds = test::read_gold("rnafold.small.pf.gold");
  PartitionFolder folder;
  for (index_t span : {index_t{0}, index_t{30}}) {
    const std::string seq = golds[3].sequence.substr(0, 70);
    const Rna rna = encode_rna(seq);
    PartitionOptions o;
    o.fold.max_span = span;
    o.pair_cutoff = 1e-3;
    const Ensemble e = folder.fold(rna, o);
    const index_t n = rna.length();
    for (const auto& c : e.contexts) {
      double sum = 0;
      for (double p : c) {
        CHECK(p >= 0);
        sum += p;
      }
      CHECK(sum == doctest::Approx(1.0).epsilon(1e-9));
    }
    // Draws from the ensemble: each pair's and context's frequency within 5
    // standard errors of its probability (and 0.005 for near-certain ones).
    const int draws = 4000;
    RandomStream random(RandomKey(11, Purpose::fold_sample).with(to_size(span)));
    std::map<std::pair<index_t, index_t>, int> pair_counts;
    std::vector<std::array<int, context_count>> context_counts(to_size(n), std::array<int, context_count>{});
    for (int d = 0; d < draws; ++d) {
      const std::string s = folder.sample(rna, [&] { return random.uniform(); });
      CHECK(structure_energy(rna, s) < inf);
      const auto partner = pair_table(s);
      for (index_t i = 1; i <= n; ++i)
        if (at(partner, i) > i) ++pair_counts[{i, at(partner, i)}];
      const auto contexts = structure_contexts(s);
      for (index_t t = 0; t < n; ++t) ++at(context_counts, t)[slot(at(contexts, t))];
    }
    auto close_enough = [&](double p, int count) {
      const double f = static_cast<double>(count) / draws;
      return std::abs(f - p) <= 5 * std::sqrt(p * (1 - p) / draws) + 0.005;
    };
    for (const auto& bp : e.pairs) {
      CAPTURE(bp.i);
      CAPTURE(bp.j);
      CHECK(close_enough(bp.probability, pair_counts[{bp.i, bp.j}]));
    }
    for (const auto& [ij, count] : pair_counts)  // pairs below the cutoff are rarely drawn (expected < 4)
      if (folder.probability(ij.first, ij.second) < o.pair_cutoff) CHECK(count <= 20);
    for (index_t t = 0; t < n; ++t)
      for (std::size_t c = 0; c < context_count; ++c) {
        CAPTURE(t);
        CAPTURE(c);
        CHECK(close_enough(at(e.contexts, t)[c], at(context_counts, t)[c]));
      }
  }
}

TEST_CASE("one structure's contexts") {
  // 5' end, stem, bulge (4), stem, multiloop (7, 16, 25) with two hairpins,
  // exterior between stems (31..33), a hairpin, 3' end
  const std::string db = "..((.((..((...))..((...))..))))...((...))..";
  const auto c = structure_contexts(db);
  CHECK(c[0] == Context::exterior_5);
  CHECK(c[2] == Context::paired_5);
  CHECK(c[4] == Context::bulge);
  CHECK(c[7] == Context::multi);
  CHECK(c[12] == Context::hairpin);
  CHECK(c[16] == Context::multi);
  CHECK(c[25] == Context::multi);
  CHECK(c[29] == Context::paired_3);
  CHECK(c[31] == Context::exterior_between);
  CHECK(c[42] == Context::exterior_3);
  const auto none = structure_contexts("....");
  for (auto x : none) CHECK(x == Context::exterior_5);
  CHECK(structure_contexts("(((...)..)).")[7] == Context::bulge);
  CHECK(structure_contexts("((.(...)..)).")[2] == Context::interior);
}

TEST_CASE("PartitionKernel gives what inside_ref and outside_ref give (random sequences, spans, edge cases)") {
  PartitionFolder fast, ref;
  PartitionOptions o;
  o.pair_cutoff = 0;
  double worst_z = 0, worst_p = 0, worst_context = 0;
  for (const auto& c : test::fold_cases(23, 160, 200)) {
    CAPTURE(c.sequence);
    CAPTURE(c.span);
    const Rna rna = encode_rna(c.sequence);
    o.fold.max_span = c.span;
    const Ensemble a = fast.fold(rna, o), b = ref.fold_ref(rna, o);
    CHECK(a.mfe.structure == b.mfe.structure);
    const EnsembleTables &x = fast.tables(), &y = ref.tables();
    worst_z = std::max(worst_z, std::abs(x.z() / y.z() - 1));
    const index_t n = rna.length(), width = x.width;
    for (index_t i = 1; i <= n; ++i)
      for (index_t j = i; j <= std::min(n, i + width - 1); ++j) {
        for (auto t : {&EnsembleTables::qb, &EnsembleTables::qm, &EnsembleTables::qm1})
          if ((y.*t)(i, j) != 0 || (x.*t)(i, j) != 0)
            worst_z = std::max(worst_z, std::abs((x.*t)(i, j) / (y.*t)(i, j) - 1));
        worst_p = std::max(worst_p, std::abs(fast.probability(i, j) - ref.probability(i, j)));
      }
    REQUIRE(a.contexts.size() == b.contexts.size());
    for (std::size_t k = 0; k < a.contexts.size(); ++k)
      for (std::size_t s = 0; s < context_count; ++s)
        worst_context = std::max(worst_context, std::abs(a.contexts[k][s] - b.contexts[k][s]));
  }
  MESSAGE("largest differences: inside tables (relative) " << worst_z << ", P(i, j) " << worst_p << ", contexts "
                                                            << worst_context);
  CHECK(worst_z < 1e-12);
  CHECK(worst_p < 1e-12);
  // contexts are running sums over positions of differences (+-P at the ends of each
  // loop's range): their rounding grows with the length (~5e-13 at 420 nt, both ways)
  CHECK(worst_context < 1e-11);
}
