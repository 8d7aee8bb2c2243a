#include <doctest.h>

#include <string>
#include <vector>

#include "sster/interpret/kernel_motif.hpp"

using namespace sster;

TEST_CASE("motif_from_windows: the windows' letters, as Motif::from_sequences counts them") {
  const auto data = Data::from_sequences({"ACGTACGT", "TTACGAAA", "GGGGGGGG"}, {0, 0, 1}, 2, alphabet::dna());
  const std::vector<index_t> records{0, 1}, starts{0, 2};
  const KernelMotif m = motif_from_windows(data, records, starts, 4);
  const Motif ref = Motif::from_sequences("ACGT", std::vector<std::string>{"ACGT", "ACGA"});
  CHECK(m.sequence.pwm() == ref.pwm());
  CHECK(m.sequence.consensus() == "ACGA");  // A before T on a tie
  CHECK(!m.structure.has_value());
  CHECK(m.logos().size() == 1);
  CHECK_THROWS_WITH_AS(motif_from_windows(data, records, std::vector<index_t>{0, 5}, 4),
                       "motif windows: window at 5 leaves the sequence (length 8)", Error);
}

TEST_CASE("motif_from_windows: sequence and structure motifs of a sequence x structure alphabet") {
  const auto data = Data::from_sequences({"ACGUACGU", "GGACGUCC"}, {0, 1}, 2, alphabet::rna_dot_bracket(), {},
                                         {"((..))..", "..((..))"});
  const KernelMotif m = motif_from_windows(data, std::vector<index_t>{0, 1}, std::vector<index_t>{0, 2}, 4);
  CHECK(m.sequence.consensus() == "ACGU");
  REQUIRE(m.structure.has_value());
  CHECK(m.structure->alphabet() == "().");  // sorted: '(' ')' '.'
  CHECK(m.structure->consensus() == "((..");
  CHECK(m.logos().size() == 2);
}

TEST_CASE("motif_from_windows: padding is not counted; a column of padding only is uniform") {
  DataOptions o;
  o.pad = true;
  const auto data = Data::from_sequences({"AAAAAA", "CCCC"}, {0, 1}, 2, alphabet::dna(), o);
  const KernelMotif m = motif_from_windows(data, std::vector<index_t>{0, 1}, std::vector<index_t>{3, 3}, 3);
  // column 0: A and C; columns 1, 2: A only (record 1 is padding there)
  CHECK(m.sequence.pwm(0, 0) == doctest::Approx(0.999 * 0.5 + 0.00025));
  CHECK(m.sequence.pwm(1, 0) == doctest::Approx(0.999 + 0.00025));
  const KernelMotif pad_only = motif_from_windows(data, std::vector<index_t>{1}, std::vector<index_t>{4}, 2);
  CHECK(pad_only.sequence.pwm(0, 0) == doctest::Approx(0.25));
}

TEST_CASE("motif_from_symbol_matrix: symbols summed per sequence letter and per structure letter") {
  const Alphabet a = alphabet::rna_dot_bracket();  // A( A) A. C( ... U.
  auto symbol = [&](char s, char t) {              // "ACGU" x "()." -> 3 * s + t
    return to_size(3 * std::string("ACGU").find(s) + std::string("().").find(t));
  };
  CHECK(a.encode('G', '.') == static_cast<int>(symbol('G', '.')));
  std::vector<double> m(2 * 12, 0.0);
  m[symbol('G', '(')] = 0.7;  // position 0: G 1.0, '(' 0.7, '.' 0.3
  m[symbol('G', '.')] = 0.3;
  m[12 + symbol('A', ')')] = 0.5;  // position 1: A 0.5 + U 0.5, ')' 1.0
  m[12 + symbol('U', ')')] = 0.5;
  const KernelMotif k = motif_from_symbol_matrix(a, m);
  CHECK(k.sequence.pwm(0, 2) == doctest::Approx(0.999 + 0.00025));  // G
  CHECK(k.sequence.pwm(1, 0) == doctest::Approx(0.999 * 0.5 + 0.00025));
  REQUIRE(k.structure.has_value());
  CHECK(k.structure->pwm(0, 0) == doctest::Approx(0.999 * 0.7 + 0.001 / 3));  // '('
  CHECK(k.structure->consensus() == "()");
  const KernelMotif dna = motif_from_symbol_matrix(alphabet::dna(), std::vector<double>{0, 0, 0, 1});
  CHECK(dna.sequence.consensus() == "T");
  CHECK(!dna.structure.has_value());
  CHECK_THROWS_AS(motif_from_symbol_matrix(alphabet::dna(), std::vector<double>{1, 2, 3}), Error);
}

TEST_CASE("motif_from_windows: with structure probabilities the structure motif averages the windows' rows") {
  DataOptions o;
  o.structure_profile = true;
  const auto data = Data::from_fasta({std::string(SSTER_SHARED_DATA) + "/pysster-tests/rna_pwm1.fasta"},
                                     alphabet::rna_dot_bracket(), o);
  // record 0: AUAUAUAUAU; '(' 0.9 0.8 ..., ')' 0 0 ..., '.' 0.1 0.2 ...
  const KernelMotif m = motif_from_windows(data, std::vector<index_t>{0}, std::vector<index_t>{0}, 2);
  CHECK(m.sequence.consensus() == "AU");
  REQUIRE(m.structure.has_value());
  CHECK(m.structure->pwm(0, 0) == doctest::Approx(0.999 * 0.9 + 0.001 / 3));
  CHECK(m.structure->pwm(1, 2) == doctest::Approx(0.999 * 0.2 + 0.001 / 3));
}
