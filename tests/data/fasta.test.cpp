#include "sster/data/fasta.hpp"

#include <doctest.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "data_test_util.hpp"

using namespace sster;
using sster::test::pysster_file;
using sster::test::TempDir;

namespace {
std::vector<FastaRecord> read_all(const std::string& path, FastaFormat format = FastaFormat::sequence, index_t rows = 0) {
  FastaReader reader(path, format, rows);
  std::vector<FastaRecord> out;
  FastaRecord rec;
  while (reader.next(rec)) out.push_back(rec);
  CHECK(reader.records() == static_cast<index_t>(out.size()));
  return out;
}
std::string error_of(const std::string& path, FastaFormat format = FastaFormat::sequence, index_t rows = 0) {
  try {
    read_all(path, format, rows);
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("pysster's DNA files: 40 + 60 records of length 32") {
  const auto pos = read_all(pysster_file("dna_pos.fasta"));
  const auto neg = read_all(pysster_file("dna_neg.fasta"));
  CHECK(pos.size() == 40);
  CHECK(neg.size() == 60);
  for (const auto& r : pos) {
    CHECK(r.name == "id");  // CRLF stripped
    CHECK(r.sequence == "ACGTACGTACGTACGTACGTACGTACGTACGT");
  }
  CHECK(neg[59].number == 60);
  CHECK(neg[59].line == 119);
}

TEST_CASE("wrapped sequences, blank lines, names and line numbers") {
  TempDir dir;
  test::write_file(dir.file("a.fa"), "\n>first record  \nACGT\nacg\n\n>second\r\nTTTT\r\nGG\n>third\nA");
  const auto recs = read_all(dir.file("a.fa"));
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].name == "first record");
  CHECK(recs[0].sequence == "ACGTacg");  // case is kept; the encoder decides
  CHECK(recs[0].line == 2);
  CHECK(recs[0].sequence_line(0) == 3);
  CHECK(recs[0].sequence_line(5) == 4);
  CHECK(recs[1].sequence == "TTTTGG");
  CHECK(recs[1].line == 6);
  CHECK(recs[2].sequence == "A");
  CHECK(recs[2].number == 3);
}

TEST_CASE("restrict_to: one share of a file, numbers and lines of the whole file, the records before it checked") {
  TempDir dir;
  std::string text;
  for (int i = 1; i <= 7; ++i) text += ">r" + std::to_string(i) + "\nAC\nGT\n";
  test::write_file(dir.file("a.fa"), text);
  for (const auto& [first, end] : {std::pair<index_t, index_t>{0, 3}, {3, 5}, {5, 7}, {6, 100}, {2, 2}, {9, 12}}) {
    CAPTURE(first);
    CAPTURE(end);
    FastaReader reader(dir.file("a.fa"));
    reader.restrict_to(first, end);
    std::vector<index_t> numbers;
    for (FastaRecord rec; reader.next(rec);) {
      CHECK(rec.name == std::string("r").append(std::to_string(rec.number)));
      CHECK(rec.line == 3 * rec.number - 2);
      CHECK(rec.sequence == "ACGT");
      numbers.push_back(rec.number);
    }
    std::vector<index_t> expected;
    for (index_t i = first; i < std::min<index_t>(end, 7); ++i) expected.push_back(i + 1);
    CHECK(numbers == expected);
  }
  // a damaged record before the share is still an error (every share reports it)
  test::write_file(dir.file("b.fa"), ">r1\nACGT\n>r2\n>r3\nACGT\n");
  FastaReader reader(dir.file("b.fa"));
  reader.restrict_to(2, 3);
  FastaRecord rec;
  CHECK_THROWS_WITH_AS(reader.next(rec), doctest::Contains("record 2"), Error);
}

TEST_CASE("sequence + structure records: pysster's rna.fasta and RNAfold output") {
  const auto recs = read_all(pysster_file("rna.fasta"), FastaFormat::sequence_structure);
  REQUIRE(recs.size() == 20);
  CHECK(recs[0].name == "0,2");
  CHECK(recs[0].sequence.size() == 40);
  CHECK(recs[0].structure == "(((((((((((((..............)))))))))))))");
  const auto pred = read_all(pysster_file("rna_pred_ref.fasta"), FastaFormat::sequence_structure);
  REQUIRE(pred.size() == 3);
  CHECK(pred[2].sequence == "GGGAUCCC");
  CHECK(pred[2].structure == "........");  // " (0.0)" dropped
  CHECK(pred[2].structure_line(0) == 9);
}

TEST_CASE("wrapped sequence + structure split where both halves are equally long") {
  TempDir dir;
  test::write_file(dir.file("w.fa"), ">r\nACGUA\nCGUAC\nGU\n((((..\n..)))) (-1.5)\n>s\nAC\nGU\n(.\n.)\n");
  const auto recs = read_all(dir.file("w.fa"), FastaFormat::sequence_structure);
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].sequence == "ACGUACGUACGU");
  CHECK(recs[0].structure == "((((....))))");
  CHECK(recs[0].structure_line(0) == 5);
  CHECK(recs[0].structure_line(7) == 6);
  CHECK(recs[1].sequence == "ACGU");
  CHECK(recs[1].structure == "(..)");
}

TEST_CASE("structure profiles: pysster's rna_pwm1.fasta") {
  const auto recs = read_all(pysster_file("rna_pwm1.fasta"), FastaFormat::sequence_profile, 3);
  REQUIRE(recs.size() == 16);
  const auto& r = recs[0];
  CHECK(r.sequence == "AUAUAUAUAU");
  CHECK(r.profile_rows == 3);
  REQUIRE(r.profile.size() == 30);
  const float row0[] = {0.9f, 0.8f, 0.7f, 0.9f, 0, 0, 0, 0, 0, 0};
  const float row2[] = {0.1f, 0.2f, 0.3f, 0.1f, 1, 1, 0.8f, 0.3f, 0.2f, 0.1f};
  for (int t = 0; t < 10; ++t) {
    CHECK(at(r.profile, t) == doctest::Approx(row0[t]));
    CHECK(at(r.profile, 20 + t) == doctest::Approx(row2[t]));
  }
}

TEST_CASE("gzip and plain files give identical records") {
  TempDir dir;
  for (auto [name, format, rows] : {std::tuple{"rna_pwm2.fasta", FastaFormat::sequence_profile, index_t{3}},
                                    std::tuple{"rna.fasta", FastaFormat::sequence_structure, index_t{0}},
                                    std::tuple{"dna_neg.fasta", FastaFormat::sequence, index_t{0}}}) {
    test::write_gz(dir.file("x.gz"), test::read_file(pysster_file(name)));
    const auto plain = read_all(pysster_file(name), format, rows);
    const auto packed = read_all(dir.file("x.gz"), format, rows);
    REQUIRE(plain.size() == packed.size());
    for (std::size_t i = 0; i < plain.size(); ++i) {
      CHECK(plain[i].name == packed[i].name);
      CHECK(plain[i].sequence == packed[i].sequence);
      CHECK(plain[i].structure == packed[i].structure);
      CHECK(plain[i].profile == packed[i].profile);
      CHECK(plain[i].line == packed[i].line);
    }
  }
}

TEST_CASE("malformed FASTA: errors name the file, record and line") {
  TempDir dir;
  auto check = [&](const std::string& name, const std::string& content, const std::string& expected,
                   FastaFormat format = FastaFormat::sequence, index_t rows = 0) {
    test::write_file(dir.file(name), content);
    const auto msg = error_of(dir.file(name), format, rows);
    CHECK_MESSAGE(msg.find(expected) != std::string::npos, msg);
    CHECK_MESSAGE(msg.find(name) != std::string::npos, msg);
  };
  check("empty.fa", "", "empty.fa: the file is empty");
  check("blank.fa", "\n\n  \n", "blank.fa: no FASTA records");
  check("nohead.fa", "\nACGT\n>x\nACGT\n", "nohead.fa line 2: expected a FASTA header line starting with '>'");
  check("nobody.fa", ">a\nACGT\n>b\n>c\nACGT\n", "nobody.fa record 2 (line 3): header '>b' is not followed by a sequence");
  check("nobody_end.fa", ">a\nACGT\n>b\n\n", "nobody_end.fa record 2 (line 3): header '>b' is not followed");
  check("onlyseq.fa", ">a\nACGU\n(..)\n>b\nACGU\n", "onlyseq.fa record 2 (line 5): expected a sequence line followed by a structure line",
        FastaFormat::sequence_structure);
  check("len.fa", ">a\nACGU\n(..)\n>b\nACGUA\n(..)\n", "len.fa record 2 (line 6): the structure has length 4 but the sequence has length 5",
        FastaFormat::sequence_structure);
  check("split.fa", ">a\nACGU\nAC\n(..)\n", "split.fa record 1 (line 2): cannot split its 3 lines", FastaFormat::sequence_structure);
  check("rows.fa", ">a\nACGU\n0.1 0.2 0.3 0.4\n0.9 0.8 0.7 0.6\n", "rows.fa record 1 (line 2): expected a sequence line followed by 3 lines",
        FastaFormat::sequence_profile, 3);
  check("count.fa", ">a\nACGU\n0.1 0.2 0.3 0.4\n0.9 0.8 0.7\n", "count.fa record 1 (line 4): expected 4 structure probabilities",
        FastaFormat::sequence_profile, 2);
  check("num.fa", ">a\nACGU\n0.1 0.2 x3 0.4\n0.9 0.8 0.7 0.1\n", "num.fa record 1 (line 3): 'x3' is not a number",
        FastaFormat::sequence_profile, 2);
  check("nan.fa", ">a\nACGU\n0.1 0.2 nan 0.4\n0.9 0.8 0.7 0.1\n", "nan.fa record 1 (line 3): 'nan' is not a finite number",
        FastaFormat::sequence_profile, 2);
  check("glued.fa", ">a\nACGU\n0.1 0.2 0.3.5 0.4\n0.9 0.8 0.7 0.1\n", "'0.3.5' is not a number", FastaFormat::sequence_profile, 2);
}

TEST_CASE("parse_floats reads whitespace-separated numbers") {
  float v[5] = {};
  CHECK(FastaReader::parse_floats(" 1\t-2.5 +3e2  0.25 ", v, 5, "x") == 4);
  CHECK(v[0] == 1.0f);
  CHECK(v[1] == -2.5f);
  CHECK(v[2] == 300.0f);
  CHECK(v[3] == 0.25f);
  CHECK(FastaReader::parse_floats("", v, 5, "x") == 0);
  CHECK_THROWS_AS(FastaReader::parse_floats("1e999", v, 5, "x"), Error);
}
