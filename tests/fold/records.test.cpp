// fold_records over FASTA files: file order, threads, bad input.
#include <doctest.h>

#include <filesystem>
#include <fstream>

#include "gold.hpp"
#include "sster/fold/records.hpp"

using namespace sster;
using namespace sster::fold;

namespace {
struct Folded {
  std::string name;
  FoldedRecord result;
};
std::vector<Folded> fold_file(const std::string& path, const FoldRequest& request) {
  FastaReader reader(path);
  std::vector<Folded> out;
  fold_records(reader, request, [&](const FastaRecord& rec, const FoldedRecord& f) { out.push_back({rec.name, f}); });
  return out;
}
std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = (std::filesystem::temp_directory_path() / ("sster-fold-test-" + name)).string();
  std::ofstream(path) << text;
  return path;
}
}  // namespace

TEST_CASE("fold_records: RNAfold's structures in file order, the same on 1 and 2 threads") {
  const auto golds = test::read_gold("rnafold.small.d2.mfe.gold");
  std::string fasta;
  for (std::size_t k = 0; k < 20; ++k) fasta += ">s" + std::to_string(k) + "\n" + golds[k].sequence + "\n";
  const std::string path = write_temp("order.fa", fasta);
  FoldRequest request;
  request.batch = 7;  // batches that do not divide the record count
  request.partition = true;
  request.profile_letters = "FHIMST";
  set_threads(1);
  const auto one = fold_file(path, request);
  set_threads(2);
  const auto two = fold_file(path, request);
  REQUIRE(one.size() == 20);
  REQUIRE(two.size() == 20);
  for (std::size_t k = 0; k < 20; ++k) {
    CHECK(one[k].name == "s" + std::to_string(k));
    CHECK(one[k].result.mfe.structure == golds[k].structure);
    CHECK(one[k].result.annotation == annotate_structure(golds[k].structure));
    CHECK(one[k].result.profile == two[k].result.profile);
    CHECK(one[k].result.ensemble_energy == two[k].result.ensemble_energy);
    CHECK(std::ssize(one[k].result.profile) == 6 * std::ssize(golds[k].sequence));
  }
  std::filesystem::remove(path);
}

TEST_CASE("fold_records: bad input names the file and record") {
  const std::string bad = write_temp("bad.fa", ">a\nGGGGAAAACCCC\n>b\nGGGGAAJACCCC\n");
  CHECK_THROWS_WITH_AS(fold_file(bad, {}), (bad + " record 2 (line 3): 'J' at position 7 is not an RNA base (expected A, C, G, U, T or N)").c_str(), Error);
  const std::string long_one = write_temp("long.fa", ">a\n" + std::string(max_unspanned_length + 1, 'G') + "\n");
  CHECK_THROWS_AS(fold_file(long_one, {}), Error);
  FoldRequest spanned;
  spanned.fold.max_span = 50;
  CHECK(fold_file(long_one, spanned).size() == 1);
  const std::string with_n = write_temp("n.fa", ">a\nNNGGGGAAAACCCCNN\n");
  const auto folded = fold_file(with_n, {});
  CHECK(folded[0].result.unknown == 4);
  CHECK(folded[0].result.mfe.structure == "..((((....)))).." );
  FoldRequest bad_letters;
  bad_letters.profile_letters = "()";
  CHECK_THROWS_AS(fold_file(with_n, bad_letters), Error);
  for (const auto& p : {bad, long_one, with_n}) std::filesystem::remove(p);
}

TEST_CASE("fold_records with plfold: pysster's P/U string and window-averaged profiles") {
  const auto refs = test::read_plfold_reference("vienna_plfold.tsv");
  std::string fasta;
  std::vector<std::string> expected;
  for (const auto& r : refs)
    if (r.window == 70 && r.span == 70) {
      fasta += ">s\n" + r.sequence + "\n";
      std::vector<BasePair> pairs;
      for (const auto& [ij, p] : r.pairs) pairs.push_back({ij.first, ij.second, p});
      expected.push_back(paired_unpaired(std::ssize(r.sequence), pairs));
    }
  const std::string path = write_temp("plfold.fa", fasta);
  FoldRequest request;
  request.plfold = WindowOptions{};
  request.profile_letters = "EHIMS";
  const auto folded = fold_file(path, request);
  REQUIRE(folded.size() == expected.size());
  REQUIRE(expected.size() >= 10);
  for (std::size_t k = 0; k < folded.size(); ++k) {
    CHECK(folded[k].result.paired_unpaired == expected[k]);
    const auto& profile = folded[k].result.profile;
    const index_t n = std::ssize(expected[k]);
    REQUIRE(std::ssize(profile) == 5 * n);
    for (index_t t = 0; t < n; ++t) {
      float sum = 0;
      for (index_t row = 0; row < 5; ++row) sum += profile[to_size(row * n + t)];
      CHECK(sum == doctest::Approx(1.0f).epsilon(1e-5));
    }
    CHECK_FALSE(folded[k].result.mfe.structure.empty());
  }
  request.plfold = WindowOptions{0, 70};
  CHECK_THROWS_AS(fold_file(path, request), Error);
  std::filesystem::remove(path);
}
