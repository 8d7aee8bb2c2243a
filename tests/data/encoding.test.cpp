#include "sster/data/encoding.hpp"

#include <doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "data_test_util.hpp"

using namespace sster;
using sster::test::TempDir;

namespace {
FastaRecord record(std::string seq, std::string structure = "") {
  FastaRecord r;
  r.name = "r";
  r.number = 1;
  r.line = 1;
  r.sequence = std::move(seq);
  r.structure = std::move(structure);
  return r;
}
std::vector<int> encode(const SequenceEncoder& enc, const FastaRecord& r, std::uint64_t key, index_t* replaced = nullptr) {
  std::vector<std::uint8_t> out(r.sequence.size(), 77);
  const index_t n = enc.encode(r, "mem.fa", key, out.data());
  if (replaced) *replaced = n;
  return {out.begin(), out.end()};
}
}  // namespace

TEST_CASE("sequence letters become symbol indices, any case") {
  const SequenceEncoder enc(alphabet::dna(), 1);
  index_t replaced = -1;
  CHECK(encode(enc, record("GATTACA"), 0, &replaced) == std::vector<int>{2, 0, 3, 3, 0, 1, 0});
  CHECK(replaced == 0);
  CHECK(encode(enc, record("gattaca"), 0) == std::vector<int>{2, 0, 3, 3, 0, 1, 0});
}

TEST_CASE("unknown letters are replaced by seeded random letters and counted") {
  const SequenceEncoder a(alphabet::dna(), 7), b(alphabet::dna(), 7), c(alphabet::dna(), 8);
  const auto rec = record("AC" + std::string(4000, 'N') + "GT");
  index_t replaced = 0;
  const auto x = encode(a, rec, 3, &replaced);
  CHECK(replaced == 4000);
  CHECK(x[0] == 0);
  CHECK(x[1] == 1);
  CHECK(x[4002] == 2);
  CHECK(x[4003] == 3);
  CHECK(encode(b, rec, 3) == x);  // same seed, same record key
  CHECK(encode(a, rec, 4) != x);  // another record
  CHECK(encode(c, rec, 3) != x);  // another seed
  int counts[4] = {};
  for (std::size_t i = 2; i < 4002; ++i) {
    REQUIRE(x[i] >= 0);
    REQUIRE(x[i] < 4);
    ++counts[x[i]];
  }
  for (int k : counts) CHECK(k == doctest::Approx(1000).epsilon(0.1));
}

TEST_CASE("with replace_unknown off, an unknown letter names file, record, line and alphabet") {
  TempDir dir;
  test::write_file(dir.file("pos.fa"), ">a\nACGU\n>b\nACGUAC\nGJ\n");
  FastaReader reader(dir.file("pos.fa"));
  FastaRecord rec;
  const SequenceEncoder enc(alphabet::rna(), 1, false);
  std::vector<std::uint8_t> out(16);
  REQUIRE(reader.next(rec));
  CHECK(enc.encode(rec, reader.path(), 0, out.data()) == 0);
  REQUIRE(reader.next(rec));
  CHECK_THROWS_WITH_AS(enc.encode(rec, reader.path(), 1, out.data()),
                       doctest::Contains("pos.fa record 2 (line 5): 'J' (position 8) is not in the RNA alphabet ACGU"), Error);
}

TEST_CASE("sequence + structure: one combined symbol per position") {
  const SequenceEncoder enc(Alphabet("ACGU", "()."), 1);
  // A( C. G. U) -> 0*3+0, 1*3+2, 2*3+2, 3*3+1
  CHECK(encode(enc, record("ACGU", "(..)"), 0) == std::vector<int>{0, 5, 8, 10});
  // T is not RNA: replaced by a random letter, the structure part stays.
  index_t replaced = 0;
  const auto x = encode(enc, record("TCGU", ".(.)"), 0, &replaced);
  CHECK(replaced == 1);
  CHECK(x[0] % 3 == 2);
  CHECK(x[1] == 3);
}

TEST_CASE("a structure letter outside the structure alphabet names file, record, line and position") {
  TempDir dir;
  test::write_file(dir.file("s.fa"), ">a\nACGU\n(..)\n>b\nACGUAC\nGU\n(.[.)\n...\n");
  FastaReader reader(dir.file("s.fa"), FastaFormat::sequence_structure);
  FastaRecord rec;
  const SequenceEncoder enc(Alphabet("ACGU", "()."), 1);
  std::vector<std::uint8_t> out(16);
  REQUIRE(reader.next(rec));
  CHECK(enc.encode(rec, reader.path(), 0, out.data()) == 0);
  REQUIRE(reader.next(rec));
  try {
    enc.encode(rec, reader.path(), 1, out.data());
    FAIL("expected an error");
  } catch (const Error& e) {
    const std::string msg = e.what();
    CHECK_MESSAGE(msg.find("s.fa record 2 (line 7): '[' (structure position 3) is not in the structure alphabet ().") !=
                      std::string::npos,
                  msg);
  }
}

TEST_CASE("replace_unknown_structure: unknown structure letters become seeded random ones, as pysster's") {
  const SequenceEncoder enc(Alphabet("ACGU", "()."), 1, true, true);
  index_t replaced = 0;
  const auto x = encode(enc, record("ACGUACGUAC", "(.[[[]]].)"), 3, &replaced);
  CHECK(replaced == 6);
  CHECK(x[0] == 0);  // A(: known letters keep their symbols
  CHECK(x[1] == 5);  // C.
  for (int i = 2; i < 8; ++i) CHECK(x[to_size(i)] / 3 == at(std::vector<int>{0, 1, 2, 3, 0, 1, 2, 3}, i));  // the sequence letter stays
  // Seeded by (seed, record key, position): the same again, another record key differs somewhere.
  CHECK(encode(enc, record("ACGUACGUAC", "(.[[[]]].)"), 3) == x);
  std::vector<int> structures;  // over many records every structure letter is drawn
  for (std::uint64_t key = 0; key < 40; ++key)
    for (int v : encode(enc, record("AAAAAAAAAA", "[[[[[[[[[["), key)) structures.push_back(v % 3);
  for (int letter = 0; letter < 3; ++letter)
    CHECK(std::count(structures.begin(), structures.end(), letter) > 80);
  // The sequence letters' random choices are the same with or without it.
  const SequenceEncoder plain(Alphabet("ACGU", "()."), 1);
  CHECK(encode(enc, record("NNNN", "(..)"), 5) == encode(plain, record("NNNN", "(..)"), 5));
}

TEST_CASE("structure profile: symbols take the most probable structure letter") {
  FastaRecord r = record("AUG");
  r.profile_rows = 3;
  // rows "(", ")", "." over 3 positions; position 2 ties ")" and "." -> first maximum.
  r.profile = {0.7f, 0.1f, 0.0f, 0.2f, 0.1f, 0.5f, 0.1f, 0.8f, 0.5f};
  const SequenceEncoder enc(Alphabet("ACGU", "()."), 1);
  CHECK(encode(enc, r, 0) == std::vector<int>{0, 3 * 3 + 2, 2 * 3 + 1});
  std::vector<float> t(9);
  SequenceEncoder::transpose_profile(r, t.data());
  CHECK(t == std::vector<float>{0.7f, 0.2f, 0.1f, 0.1f, 0.1f, 0.8f, 0.0f, 0.5f, 0.5f});
  r.profile_rows = 2;
  r.profile.resize(6);
  CHECK_THROWS_WITH_AS(encode(enc, r, 0), doctest::Contains("2 rows of structure probabilities"), Error);
}
