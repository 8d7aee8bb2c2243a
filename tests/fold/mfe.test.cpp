// MFE folding against RNAfold's own results: ViennaRNA's test golds
// (RNAfold --noPS with default parameters) and the records of
// bench/fold_reference.py (ViennaRNA's Python package).
#include <doctest.h>

#include "gold.hpp"
#include "random_rna.hpp"
#include "sster/fold/mfe.hpp"

using namespace sster;
using namespace sster::fold;

namespace {
// The MFE equals RNAfold's to 0.01 kcal/mol; the structure is RNAfold's, or
// (where several share the MFE) has the same energy.
void check_gold(const std::string& file, const FoldOptions& options = {}) {
  const auto golds = test::read_gold(file);
  REQUIRE(golds.size() >= 3);
  MfeFolder folder;
  for (const auto& g : golds) {
    CAPTURE(g.sequence);
    const Rna rna = encode_rna(g.sequence);
    const Mfe m = folder.fold(rna, options);
    CHECK(std::abs(m.energy() - g.energy) < 0.005);
    CHECK(structure_energy(rna, m.structure) == m.energy_dcal);
    CHECK(m.structure == g.structure);
  }
}
}  // namespace

TEST_CASE("RNAfold's golds: 50 sequences of 100 nt (-d2, the default)") { check_gold("rnafold.small.d2.mfe.gold"); }
TEST_CASE("RNAfold's golds: long sequences, with and without FASTA headers") {
  check_gold("rnafold.seq.mfe.gold");
  check_gold("rnafold.fasta.mfe.gold");
}
TEST_CASE("RNAfold's golds: --maxBPspan=30") {
  FoldOptions o;
  o.max_span = 30;
  check_gold("rnafold.small.span30.gold", o);
}

TEST_CASE("ViennaRNA's Python package: 300 random and PUM2 sequences of 50-500 nt") {
  const auto refs = test::read_vienna_reference("vienna_reference.tsv");
  REQUIRE(refs.size() == 300);
  MfeFolder folder;
  int same = 0, unique = 0;
  for (const auto& r : refs) {
    CAPTURE(r.sequence);
    const Rna rna = encode_rna(r.sequence);
    const Mfe m = folder.fold(rna);
    CHECK(std::abs(m.energy() - r.mfe) < 0.005);
    CHECK(structure_energy(rna, r.structure) == m.energy_dcal);
    if (r.ties == 1) {
      ++unique;
      CHECK(m.structure == r.structure);
    }
    same += m.structure == r.structure;
  }
  CHECK(unique > 100);
  MESSAGE("identical structures: " << same << " of " << refs.size() << " (" << unique << " with a unique MFE)");
}

TEST_CASE("a span as long as the sequence changes nothing; a shorter span only raises the MFE") {
  const auto golds = test::read_gold("rnafold.small.d2.mfe.gold");
  MfeFolder folder;
  for (std::size_t k = 0; k < 10; ++k) {
    const Rna rna = encode_rna(golds[k].sequence);
    FoldOptions wide;
    wide.max_span = rna.length() + 20;
    const Mfe full = folder.fold(rna), same = folder.fold(rna, wide);
    CHECK(full.structure == same.structure);
    CHECK(full.energy_dcal == same.energy_dcal);
    int previous = full.energy_dcal;
    for (index_t span : {80, 40, 20, 10, 5}) {
      FoldOptions o;
      o.max_span = span;
      const Mfe m = folder.fold(rna, o);
      CHECK(m.energy_dcal >= previous);
      previous = m.energy_dcal;
      const auto partner = pair_table(m.structure);
      for (index_t i = 1; i <= rna.length(); ++i)
        if (at(partner, i) > i) CHECK(at(partner, i) - i + 1 <= span);
    }
  }
}

TEST_CASE("edge cases: too short to pair, N, DNA letters, lower case") {
  CHECK(mfe("ACGU").structure == "....");
  CHECK(mfe("ACGU").energy_dcal == 0);
  CHECK(mfe("A").structure == ".");
  CHECK(mfe("ggggaaaacccc").structure == "((((....))))");
  CHECK(mfe("GGGGTTTTCCCC").energy_dcal == mfe("GGGGUUUUCCCC").energy_dcal);
  // N never pairs: the hairpin's G and C replaced by N stay unpaired
  const Mfe with_n = mfe("NGGGAAAACCCN");
  CHECK(with_n.structure.front() == '.');
  CHECK(with_n.structure.back() == '.');
  CHECK_THROWS_AS(mfe("GGGG-AAAACCCC"), Error);
  CHECK_THROWS_AS(mfe(""), Error);
  CHECK_THROWS_AS(mfe(std::string(max_unspanned_length + 1, 'A')), Error);
  FoldOptions o;
  o.max_span = 100;
  CHECK(mfe(std::string(max_unspanned_length + 1, 'A'), o).energy_dcal == 0);
  o.max_span = -1;
  CHECK_THROWS_AS(mfe("GGGGAAAACCCC", o), Error);
}

TEST_CASE("MfeKernel fills the tables of fill_mfe_ref exactly (random sequences, spans, edge cases)") {
  MfeFolder fast, ref;
  for (const auto& c : test::fold_cases(17, 240, 240)) {
    CAPTURE(c.sequence);
    CAPTURE(c.span);
    const Rna rna = encode_rna(c.sequence);
    FoldOptions o;
    o.max_span = c.span;
    const Mfe a = fast.fold(rna, o), b = ref.fold_ref(rna, o);
    CHECK(a.energy_dcal == b.energy_dcal);
    CHECK(a.structure == b.structure);
    const MfeTables &x = fast.tables(), &y = ref.tables();
    const index_t n = rna.length(), width = x.c.width();
    CHECK(x.f5 == y.f5);
    index_t differing = 0;
    for (index_t i = 1; i <= n; ++i)
      for (index_t j = i; j <= std::min(n, i + width - 1); ++j)
        differing += x.c(i, j) != y.c(i, j) || x.fm(i, j) != y.fm(i, j) || x.fm1(i, j) != y.fm1(i, j);
    CHECK(differing == 0);
  }
}
