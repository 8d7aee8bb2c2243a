#include <doctest.h>

#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "interpret_test_util.hpp"
#include "sster/interpret/kernel_tomtom.hpp"

using namespace sster;

namespace {

const std::filesystem::path jaspar_2018 =
    std::filesystem::path(SSTER_TEST_DATA) / "tomtom" / "JASPAR2018_CORE_non-redundant.meme.gz";

const Pwm& jaspar_motif(const MemeFile& db, const std::string& id) {
  for (const auto& m : db.motifs)
    if (m.id == id) return m;
  FAIL("no motif " << id << " in JASPAR 2018");
  return db.motifs.front();
}

// A run of `letter` as a motif (10 columns, 97% that letter).
Pwm homopolymer(char letter) {
  Pwm m{std::string(10, letter), "", "ACGT"};
  for (int r = 0; r < 10; ++r)
    for (char c : m.alphabet) m.p.push_back(c == letter ? 0.97 : 0.01);
  return m;
}

}  // namespace

TEST_CASE("kernel annotation: each kernel's best match in JASPAR, on its strand; none for a flat motif") {
  const MemeFile db = read_meme(jaspar_2018);
  const Pwm& ror = jaspar_motif(db, "MA0071.1");   // RORA, 10 columns
  const Pwm& ctcf = jaspar_motif(db, "MA0139.1");  // CTCF, 19 columns
  std::vector<double> ctcf_rc;
  for (index_t r = ctcf.width() - 1; r >= 0; --r)
    for (index_t j = 3; j >= 0; --j) ctcf_rc.push_back(ctcf(r, j));
  const std::vector<KernelResult> kernels{
      {3, KernelMotif{Motif::from_pwm("ACGT", ror.p)}, 0.5},
      {7, KernelMotif{Motif::from_pwm("ACGT", ctcf_rc)}, 0.9},
      {9, KernelMotif{Motif::from_pwm("ACGT", std::vector<double>(24, 0.25))}, 0.1},
  };
  const auto matches = annotate_kernels(kernels, jaspar_2018);
  REQUIRE(matches.size() == 3);
  CHECK(matches[0].kernel == 3);
  REQUIRE(matches[0].best);
  CHECK(matches[0].best->query_id == "kernel_3");
  CHECK(matches[0].best->target_id == "MA0071.1");
  CHECK(matches[0].best->orientation == '+');
  CHECK(matches[0].best->offset == 0);
  CHECK(matches[1].kernel == 7);
  REQUIRE(matches[1].best);
  CHECK(matches[1].best->target_id == "MA0139.1");
  CHECK(matches[1].best->orientation == '-');
  CHECK(matches[1].best->p_value < 1e-10);
  CHECK(matches[2].kernel == 9);
  CHECK_FALSE(matches[2].best);  // a uniform motif resembles nothing significantly
  // the rows are tomtom's for the kernels' MEME file
  const auto direct = annotate_kernels(kernels, db.motifs);
  CHECK(direct[1].best->p_value == matches[1].best->p_value);
}

TEST_CASE("kernel annotation: a trained model's kernels name the motifs planted in its data") {
  auto& p = test::planted();
  const auto results = kernel_motifs(p.model, p.data, p.model.get_max_activations(p.data, Group::test));
  std::vector<Pwm> db;
  for (char c : std::string("ACGT")) db.push_back(homopolymer(c));
  const MemeFile jaspar = read_meme(jaspar_2018);
  db.insert(db.end(), jaspar.motifs.begin(), jaspar.motifs.begin() + 60);
  const auto matches = annotate_kernels(results, db);
  REQUIRE(matches.size() == results.size());
  int named = 0;
  for (std::size_t k = 0; k < results.size(); ++k)
    for (const auto& [run, same, complement] :
         std::vector<std::tuple<std::string, std::string, std::string>>{{"CCCCCC", "CCCCCCCCCC", "GGGGGGGGGG"},
                                                                       {"GGGGGG", "GGGGGGGGGG", "CCCCCCCCCC"},
                                                                       {"AAAAAA", "AAAAAAAAAA", "TTTTTTTTTT"},
                                                                       {"TTTTTT", "TTTTTTTTTT", "AAAAAAAAAA"}})
      if (results[k].motif.sequence.shows(run, 1.0)) {
        CAPTURE(results[k].motif.sequence.consensus());
        REQUIRE(matches[k].best);
        const auto& b = *matches[k].best;
        CHECK(((b.target_id == same && b.orientation == '+') || (b.target_id == complement && b.orientation == '-')));
        ++named;
      }
  CHECK(named >= 2);  // the planted runs are learnt by several kernels
}

TEST_CASE("kernel annotation: a database over another alphabet is an Error naming it") {
  const std::vector<KernelResult> kernels{
      {0, KernelMotif{Motif::from_sequences("ACDEFGHIKLMNPQRSTVWY", std::vector<std::string>{"ACDE"})}, 1.0}};
  CHECK_THROWS_WITH_AS(annotate_kernels(kernels, jaspar_2018),
                       doctest::Contains("JASPAR2018_CORE_non-redundant.meme.gz: motifs over 'ACGT'; the kernels' motifs are over 'ACDEFGHIKLMNPQRSTVWY'"),
                       Error);
  CHECK_THROWS_AS(annotate_kernels(std::vector<KernelResult>{}, jaspar_2018), Error);
}
