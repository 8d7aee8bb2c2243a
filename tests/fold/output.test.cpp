// The text of folded records (fold/output.hpp): RNAfold's lines, checked
// against RNAfold's own output, and the annotated and profile files read
// back by sster's FASTA reader and Data.
#include <doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "gold.hpp"
#include "sster/data/dataset.hpp"
#include "sster/data/structure.hpp"
#include "sster/fold/output.hpp"

using namespace sster;
using namespace sster::fold;

namespace {

std::vector<std::string> gold_lines(const std::string& file) {
  std::ifstream in(test::fold_data(file));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string temp_file(const std::string& name, const std::string& text) {
  const auto path = (std::filesystem::temp_directory_path() / ("sster-fold-output-" + name)).string();
  std::ofstream(path) << text;
  return path;
}

// Every record of `fasta_text` folded; sink gets (record, folded) in file order.
template <class Sink>
void fold_text(const std::string& name, const std::string& fasta_text, const FoldRequest& request, Sink&& sink) {
  const std::string path = temp_file(name, fasta_text);
  FastaReader reader(path);
  fold_records(reader, request, sink);
  std::filesystem::remove(path);
}

}  // namespace

TEST_CASE("rnafold_number: RNAfold's %6.2f") {
  CHECK(rnafold_number(-19.4) == "-19.40");
  CHECK(rnafold_number(-9.7) == " -9.70");
  CHECK(rnafold_number(0.0) == "  0.00");
  CHECK(rnafold_number(1.2) == "  1.20");
  CHECK(rnafold_number(-143.6) == "-143.60");
}

TEST_CASE("append_rnafold: RNAfold's lines for 20 sequences of its test golds, byte for byte") {
  const auto gold = gold_lines("rnafold.small.d2.mfe.gold");  // sequence, "structure (energy)", no headers
  REQUIRE(gold.size() >= 40);
  std::string fasta, expected;
  for (std::size_t k = 0; k < 20; ++k) {
    fasta += ">s" + std::to_string(k) + "\n" + gold[2 * k] + "\n";
    expected += ">s" + std::to_string(k) + "\n" + gold[2 * k] + "\n" + gold[2 * k + 1] + "\n";
  }
  std::string text;
  fold_text("d2.fa", fasta, {}, [&](const FastaRecord& rec, const FoldedRecord& f) { append_rnafold(text, rec.name, f); });
  CHECK(text == expected);
}

TEST_CASE("append_ensemble: RNAfold -p0's lines (--maxBPspan 30): the energies as printed, the frequency to 1%") {
  const auto gold = gold_lines("rnafold.small.span30.gold");  // sequence, structure, ensemble, frequency
  REQUIRE(gold.size() >= 40);
  std::string fasta;
  for (std::size_t k = 0; k < 10; ++k) fasta += ">s\n" + gold[4 * k] + "\n";
  FoldRequest request;
  request.fold.max_span = 30;
  request.partition = true;
  std::size_t k = 0;
  fold_text("span30.fa", fasta, request, [&](const FastaRecord&, const FoldedRecord& f) {
    std::string text;
    append_rnafold(text, "s", f);
    append_ensemble(text, f);
    std::istringstream lines(text);
    std::string header, sequence, structure, ensemble, frequency;
    std::getline(lines, header);
    std::getline(lines, sequence);
    std::getline(lines, structure);
    std::getline(lines, ensemble);
    std::getline(lines, frequency);
    CHECK(sequence == gold[4 * k]);
    CHECK(structure == gold[4 * k + 1]);
    CHECK(ensemble == gold[4 * k + 2]);
    const std::string prefix = " frequency of mfe structure in ensemble ";
    REQUIRE(frequency.rfind(prefix, 0) == 0);
    REQUIRE(gold[4 * k + 3].rfind(prefix, 0) == 0);
    CHECK(frequency.back() == ';');
    const double ours = std::stod(frequency.substr(prefix.size())), theirs = std::stod(gold[4 * k + 3].substr(prefix.size()));
    CHECK(ours == doctest::Approx(theirs).epsilon(0.01));
    ++k;
  });
  CHECK(k == 10);
}

TEST_CASE("append_annotated and append_profile: files Data reads with FHIMST, as letters and as profiles") {
  const auto golds = test::read_gold("rnafold.small.d2.mfe.gold");
  std::string fasta;
  for (std::size_t k = 0; k < 6; ++k) fasta += ">r" + std::to_string(k) + "\n" + golds[k].sequence + "\n";
  FoldRequest request;
  request.profile_letters = "FHIMST";
  std::string annotated, profiles;
  std::vector<FoldedRecord> folded;
  fold_text("both.fa", fasta, request, [&](const FastaRecord& rec, const FoldedRecord& f) {
    append_annotated(annotated, rec.name, f);
    append_profile(profiles, rec.name, f);
    folded.push_back(f);
  });
  REQUIRE(folded.size() == 6);

  const std::string annotated_path = temp_file("annotated.fa", annotated);
  const Data letters = Data::from_fasta({annotated_path, annotated_path}, alphabet::rna_annotated());
  for (index_t i = 0; i < 6; ++i) {
    CHECK(letters.sequence_string(i) == golds[to_size(i)].sequence);
    CHECK(letters.structure_string(i) == annotate_structure(golds[to_size(i)].structure));
  }

  const std::string profile_path = temp_file("profiles.fa", profiles);
  DataOptions o;
  o.structure_profile = true;
  const Data rows = Data::from_fasta({profile_path, profile_path}, alphabet::rna_annotated(), o);
  REQUIRE(rows.profile_channels() == 6);
  for (index_t i = 0; i < 6; ++i) {
    const auto& f = folded[to_size(i)];
    const index_t n = std::ssize(f.letters);
    const auto p = rows.profile(i);  // position-major: p[t * 6 + r]
    double worst = 0, worst_sum = 0;
    for (index_t t = 0; t < n; ++t) {
      double sum = 0;
      for (index_t r = 0; r < 6; ++r) {
        worst = std::max(worst, std::abs(double(at(p, t * 6 + r)) - double(at(f.profile, r * n + t))));
        sum += at(p, t * 6 + r);
      }
      worst_sum = std::max(worst_sum, std::abs(sum - 1));
    }
    CHECK(worst <= 5.01e-5);  // 4 decimals
    CHECK(worst_sum <= 3e-4);
  }
  for (const auto& p : {annotated_path, profile_path}) std::filesystem::remove(p);
}
