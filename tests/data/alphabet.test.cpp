#include "sster/data/alphabet.hpp"

#include <doctest.h>

#include <string>
#include <vector>

using namespace sster;

TEST_CASE("built-in alphabets keep their letter order") {
  CHECK(alphabet::dna().sequence() == "ACGT");
  CHECK(alphabet::rna().sequence() == "ACGU");
  CHECK(alphabet::protein().size() == 20);
  CHECK(alphabet::dna().size() == 4);
  CHECK_FALSE(alphabet::dna().has_structure());
  CHECK(alphabet::dna().name() == "DNA");
  CHECK(alphabet::rna().name() == "RNA");
  CHECK(alphabet::protein().name() == "protein");
  CHECK(Alphabet("XYZ").name() == "custom");
  // pysster's One_Hot_Encoder test: "GATTACA" over "ACGT".
  const auto dna = alphabet::dna();
  std::vector<int> got;
  for (char c : std::string("GATTACA")) got.push_back(dna.encode(c));
  CHECK(got == std::vector<int>{2, 0, 3, 3, 0, 1, 0});
  // Custom letters are not sorted either.
  CHECK(Alphabet("TGCA").encode('T') == 0);
}

TEST_CASE("combined alphabet: one symbol per pair in pysster's product order") {
  const Alphabet a("ACGU", "().");
  CHECK(a.size() == 12);
  CHECK(a.has_structure());
  CHECK(a.structure_size() == 3);
  // itertools.product("ACGU", "().") order: A( A) A. C( ...
  const char* names[] = {"A(", "A)", "A.", "C(", "C)", "C.", "G(", "G)", "G.", "U(", "U)", "U."};
  for (int s = 0; s < 12; ++s) {
    CHECK(a.symbol_name(static_cast<std::uint8_t>(s)) == names[s]);
    CHECK(a.encode(names[s][0], names[s][1]) == s);
    CHECK(a.sequence_index(static_cast<std::uint8_t>(s)) == s / 3);
    CHECK(a.structure_index(static_cast<std::uint8_t>(s)) == s % 3);
  }
  CHECK(a.encode('A') == -1);        // a structure letter is needed
  CHECK(a.encode('A', 'x') == -1);   // not a structure letter
  CHECK(a.symbol_name(no_symbol) == "-");
  CHECK_THROWS_AS(a.symbol_name(12), Error);
}

TEST_CASE("pysster's Alphabet_Encoder cases round-trip") {
  for (auto [alph, seq, st] : {std::tuple{"().", "ACGUUGCA", "(((..)))"}, std::tuple{"HIMS", "ACGUUGCA", "SSHHSSIM"}}) {
    const Alphabet a("ACGU", alph);
    CHECK(a.size() == 4 * static_cast<index_t>(std::string(alph).size()));
    std::string s2, t2;
    for (std::size_t i = 0; i < 8; ++i) {
      const int sym = a.encode(seq[i], st[i]);
      REQUIRE(sym >= 0);
      s2 += a.sequence_letter(static_cast<std::uint8_t>(sym));
      t2 += a.structure_letter(static_cast<std::uint8_t>(sym));
    }
    CHECK(s2 == seq);
    CHECK(t2 == st);
  }
}

TEST_CASE("letters match case-insensitively unless both cases are letters") {
  const auto rna = alphabet::rna();
  CHECK(rna.encode('u') == 3);
  CHECK(rna.encode('T') == -1);
  CHECK(rna.encode('A', 'x') == -1);  // no structure alphabet: a structure letter is an error
  const Alphabet mixed("Aa");
  CHECK(mixed.encode('A') == 0);
  CHECK(mixed.encode('a') == 1);
  CHECK(Alphabet("ACGU", "hims").encode('a', 'H') == 0);
}

TEST_CASE("alphabet text round-trips and compares") {
  for (const auto& a : {alphabet::dna(), Alphabet("ACGU", "()."), Alphabet("ACGU", "FHIMST"), Alphabet("()|*")}) {
    const auto b = Alphabet::from_string(a.to_string());
    CHECK(b == a);
    CHECK(b.size() == a.size());
  }
  CHECK(Alphabet("ACGU", "().").to_string() == "ACGU ().");
  CHECK_FALSE(alphabet::dna() == alphabet::rna());
  CHECK_FALSE(Alphabet("ACGU") == Alphabet("ACGU", "()."));
  CHECK_THROWS_AS(Alphabet::from_string("ACGU () x"), Error);
}

TEST_CASE("bad alphabets are rejected with a reason") {
  auto message = [](auto fn) {
    try {
      fn();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message([] { Alphabet(""); }).find("empty") != std::string::npos);
  CHECK(message([] { Alphabet("ACGA"); }).find("'A' twice") != std::string::npos);
  CHECK(message([] { Alphabet("AC GT"); }).find("space") != std::string::npos);
  CHECK(message([] { Alphabet("ACGU", "(.("); }).find("structure") != std::string::npos);
  // 20 x 13 = 260 symbols do not fit in a byte next to no_symbol.
  CHECK(message([] { Alphabet("ACDEFGHIKLMNPQRSTVWY", "ABCDEFGHIJKLM"); }).find("260 symbols") != std::string::npos);
  CHECK(Alphabet("ACDEFGHIKLMNPQRSTVWY", "ABCDEFGHIJKL").size() == 240);
}
