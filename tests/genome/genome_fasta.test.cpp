#include <doctest.h>

#include <htslib/faidx.h>

#include <filesystem>
#include <string>

#include "genome_test_util.hpp"
#include "sster/genome/genome_fasta.hpp"

using namespace sster;
using namespace sster::test;

namespace {

const NamedSequences fasta_genome = {{"chr2", random_bases(1234, 1)}, {"chr1", random_bases(777, 2)}, {"chrM", "ACGTN"}};

// Every sequence's bases, whole and in pieces, equal the text.
void check_reads(const GenomeFasta& g) {
  REQUIRE(g.size() == ssize(fasta_genome));
  for (index_t i = 0; i < g.size(); ++i) {
    const auto& [name, seq] = at(fasta_genome, i);
    CHECK(g.name(i) == name);
    CHECK(g.find(name) == i);
    CHECK(g.length(i) == ssize(seq));
    CHECK(g.fetch(i, 0, g.length(i)) == seq);
    for (index_t b : {index_t{0}, index_t{1}, index_t{59}, index_t{60}, index_t{61}})
      if (b < ssize(seq)) CHECK(g.fetch(i, b, std::min<index_t>(ssize(seq), b + 70)) == seq.substr(to_size(b), 70));
  }
  CHECK(g.find("chr3") == -1);
  CHECK(g.fetch(0, 5, 5).empty());
}

}  // namespace

TEST_CASE("GenomeFasta reads plain, bgzip and gzip FASTA, with or without an index") {
  TempDir dir;
  const std::string text = fasta_text(fasta_genome);

  SUBCASE("plain without an index: indexed in a temporary folder, the file's folder untouched") {
    write_file(dir.file("g.fa"), text);
    GenomeFasta g(dir.file("g.fa"));
    CHECK(g.source() == GenomeFasta::Source::indexed_now);
    check_reads(g);
    CHECK(!std::filesystem::exists(dir.file("g.fa.fai")));
  }
  SUBCASE("plain with its .fai") {
    write_file(dir.file("g.fa"), text);
    REQUIRE(fai_build(dir.file("g.fa").c_str()) == 0);
    GenomeFasta g(dir.file("g.fa"));
    CHECK(g.source() == GenomeFasta::Source::index_file);
    check_reads(g);
  }
  SUBCASE("bgzip without an index, and with .fai and .gzi") {
    write_bgzip(dir.file("g.fa.gz"), text);
    {
      GenomeFasta g(dir.file("g.fa.gz"));
      CHECK(g.source() == GenomeFasta::Source::indexed_now);
      check_reads(g);
    }
    REQUIRE(fai_build(dir.file("g.fa.gz").c_str()) == 0);
    GenomeFasta g(dir.file("g.fa.gz"));
    CHECK(g.source() == GenomeFasta::Source::index_file);
    check_reads(g);
  }
  SUBCASE("gzip (not bgzip), lines of unequal length, blank lines, CRLF: copied, then indexed") {
    write_file(dir.file("g.fa.gz"), gzip_compress(text));
    check_reads(GenomeFasta(dir.file("g.fa.gz")));
    std::string ragged = ">chr2\n" + at(fasta_genome, 0).second.substr(0, 10) + "\r\n\n" + at(fasta_genome, 0).second.substr(10) +
                         "\n>chr1 x\n" + at(fasta_genome, 1).second.substr(0, 700) + "\n" +
                         at(fasta_genome, 1).second.substr(700) + "\n\n>chrM\nAC GT\tN\n";
    write_file(dir.file("r.fa"), ragged);
    GenomeFasta g(dir.file("r.fa"));
    CHECK(g.source() == GenomeFasta::Source::copied);
    check_reads(g);
    CHECK(g.location(0, 10) == dir.file("r.fa") + " line 4 (chr2:11)");
    CHECK(g.location(2, 4) == dir.file("r.fa") + " line 10 (chrM:5)");
  }
}

TEST_CASE("GenomeFasta: the line of a base, for messages") {
  TempDir dir;
  write_file(dir.file("g.fa"), fasta_text(fasta_genome, 60));
  GenomeFasta g(dir.file("g.fa"));
  CHECK(g.location(0, 0) == dir.file("g.fa") + " line 2 (chr2:1)");
  CHECK(g.location(0, 60) == dir.file("g.fa") + " line 3 (chr2:61)");
  CHECK(g.location(1, 0) == dir.file("g.fa") + " line " + std::to_string(2 + 21 + 1) + " (chr1:1)");  // 1234 bases: 21 lines
}

TEST_CASE("GenomeFasta: bad files are clear errors") {
  TempDir dir;
  CHECK_THROWS_WITH_AS(GenomeFasta(dir.file("none.fa")), doctest::Contains("no such FASTA file"), Error);
  write_file(dir.file("lead.fa"), "ACGT\n>chr1\nACGT\n");
  CHECK_THROWS_WITH_AS(GenomeFasta(dir.file("lead.fa")), doctest::Contains("lead.fa line 1: sequence letters before"),
                       Error);
  write_file(dir.file("dup.fa"), ">a\nAC\nACG\n>b\nA\n>a\nC\n");
  CHECK_THROWS_WITH_AS(GenomeFasta(dir.file("dup.fa")), doctest::Contains("dup.fa line 6: the sequence name 'a' is already used on line 1"), Error);
  write_file(dir.file("x.fa"), fasta_text(fasta_genome));
  write_file(dir.file("x.fa.fai"), "chr2\tnot a number\n");
  CHECK_THROWS_WITH_AS(GenomeFasta(dir.file("x.fa")), doctest::Contains("x.fa.fai line 1: expected name, length, offset"), Error);
  write_file(dir.file("x.fa.fai"), "chr2\t1234\t6\t60\t61\nchr1\t5000\t1300\t60\t61\n");
  CHECK_THROWS_WITH_AS(GenomeFasta(dir.file("x.fa")),
                       doctest::Contains("x.fa.fai line 2: the sequence 'chr1' would end at byte"), Error);
  // a bgzip file cut short after its index was made
  const std::string text = fasta_text({{"big", random_bases(300000, 3)}});
  write_bgzip(dir.file("cut.fa.gz"), text);
  REQUIRE(fai_build(dir.file("cut.fa.gz").c_str()) == 0);
  GenomeFasta whole(dir.file("cut.fa.gz"));
  CHECK_THROWS_WITH_AS(whole.fetch(0, 299990, 300001), doctest::Contains("asked of sequence 'big' of length 300000"), Error);
  std::filesystem::resize_file(dir.file("cut.fa.gz"), std::filesystem::file_size(dir.file("cut.fa.gz")) / 2);
  CHECK_THROWS_WITH_AS(GenomeFasta(dir.file("cut.fa.gz")), doctest::Contains("no end-of-file block: it is truncated"),
                       Error);
  // without its index, it is read as gzip, which ends early
  std::filesystem::remove(dir.file("cut.fa.gz.fai"));
  CHECK_THROWS_AS(GenomeFasta(dir.file("cut.fa.gz")), Error);
}
