#include <doctest.h>

#include <string>
#include <vector>

#include "sster/genome/genome_letters.hpp"

using namespace sster;

namespace {
std::vector<std::uint8_t> encode(const GenomeLetters& g, const std::string& text, index_t sequence = 0,
                                 index_t begin = 0, GenomeLetters::Result* r = nullptr) {
  std::vector<std::uint8_t> out(text.size(), 77);
  const auto res = g.encode(text, sequence, begin, out.data());
  if (r) *r = res;
  return out;
}
}  // namespace

TEST_CASE("GenomeLetters: either case, T and U one base, N and IUPAC codes unknown") {
  const GenomeLetters dna(alphabet::dna(), UnknownBases::zero, 1), rna(alphabet::rna(), UnknownBases::zero, 1);
  GenomeLetters::Result r;
  CHECK(encode(dna, "ACGTacgtU", 0, 0, &r) == std::vector<std::uint8_t>{0, 1, 2, 3, 0, 1, 2, 3, 3});
  CHECK(r.unknown == 0);
  CHECK(r.invalid == -1);
  CHECK(encode(rna, "ACGUT") == std::vector<std::uint8_t>{0, 1, 2, 3, 3});
  CHECK(encode(dna, "ANRyk", 0, 0, &r) == std::vector<std::uint8_t>{0, no_symbol, no_symbol, no_symbol, no_symbol});
  CHECK(r.unknown == 4);
  CHECK(dna.is_unknown('n'));
  CHECK(!dna.is_unknown('A'));
  encode(dna, "ACGJT", 0, 0, &r);
  CHECK(r.invalid == 3);
  CHECK(!dna.valid('-'));
  CHECK(dna.expected() == "A, C, G, T, U (either case) or N (or an IUPAC ambiguity code)");
  const GenomeLetters protein(alphabet::protein(), UnknownBases::zero, 1);
  CHECK(protein.is_unknown('X'));
  CHECK(!protein.is_unknown('R'));  // arginine
  CHECK_THROWS_WITH_AS(GenomeLetters(alphabet::rna_dot_bracket(), UnknownBases::skip, 1),
                       doctest::Contains("no structure letters"), Error);
  CHECK(parse_unknown_bases("random") == UnknownBases::random);
  CHECK_THROWS_AS(parse_unknown_bases("drop"), Error);
}

TEST_CASE("GenomeLetters: random letters are a function of seed, sequence and position only") {
  const GenomeLetters a(alphabet::dna(), UnknownBases::random, 5), b(alphabet::dna(), UnknownBases::random, 6);
  const std::string n(200, 'N');
  const auto whole = encode(a, n, 3, 1000);
  for (auto s : whole) CHECK(s < 4);
  // the same positions read in pieces give the same letters
  auto tail = encode(a, n.substr(50), 3, 1050);
  CHECK(std::vector<std::uint8_t>(whole.begin() + 50, whole.end()) == tail);
  CHECK(encode(a, n, 4, 1000) != whole);  // another sequence
  CHECK(encode(b, n, 3, 1000) != whole);  // another seed
  std::vector<int> counts(4, 0);
  for (auto s : whole) ++counts[s];
  for (int c : counts) CHECK(c > 25);
}
