#include <doctest.h>

#include <string>
#include <vector>

#include "genome_test_util.hpp"
#include "sster/genome/regions.hpp"

using namespace sster;
using namespace sster::test;

namespace {

struct RegionsGenome {
  TempDir dir;
  GenomeFasta fasta;
  RegionsGenome() : fasta(make(dir)) {}
  static std::string make(const TempDir& d) {
    write_file(d.file("g.fa"), fasta_text({{"chr1", random_bases(1000, 1)}, {"chr2", random_bases(500, 2)}}));
    return d.file("g.fa");
  }
  std::vector<GenomeRegion> read(const std::string& bed) {
    write_file(dir.file("r.bed"), bed);
    return read_bed(dir.file("r.bed"), fasta);
  }
  std::string error(const std::string& bed) {
    try {
      read(bed);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
};

}  // namespace

TEST_CASE("read_bed: regions in file order, extra columns and comments ignored, overlaps merged") {
  RegionsGenome g;
  const auto r = g.read(
      "track name=x\n# comment\nbrowser position chr1\n\nchr2\t10\t20\tname\t0\t+\nchr2 15 30\nchr2\t30\t40\n"
      "chr1\t0\t1000\n");
  const std::vector<GenomeRegion> want = {{1, 10, 30}, {1, 30, 40}, {0, 0, 1000}};
  CHECK(r == want);
  const auto whole = whole_sequences(g.fasta);
  CHECK(whole == std::vector<GenomeRegion>{{0, 0, 1000}, {1, 0, 500}});
  CHECK(g.read("chr1\t5\t10\nchr1\t6\t8\n") == std::vector<GenomeRegion>{{0, 5, 10}});  // contained
}

TEST_CASE("read_bed: every bad line is an error naming the file, the line and what was expected") {
  RegionsGenome g;
  CHECK(g.error("chr1\t10\n").find("r.bed line 1: expected at least 3 columns") != std::string::npos);
  CHECK(g.error("chr1\t1\t2\nchr9\t1\t2\n").find("line 2: the sequence 'chr9' is not in the genome") !=
        std::string::npos);
  CHECK(g.error("1\t1\t2\n").find("(the genome calls it 'chr1')") != std::string::npos);
  CHECK(g.error("chr1\t-1\t2\n").find("line 1: start and end must be whole numbers >= 0") != std::string::npos);
  CHECK(g.error("chr1\t1x\t2\n").find("whole numbers") != std::string::npos);
  CHECK(g.error("chr1\t5\t5\n").find("must be greater than the start") != std::string::npos);
  CHECK(g.error("chr1\t10\t20\nchr2\t400\t501\n").find(
            "line 2: the region chr2:400-501 reaches outside the sequence, which has 500 bases") != std::string::npos);
  CHECK(g.error("chr1\t10\t20\nchr1\t5\t30\n").find("line 2: not sorted: the start 5 comes after the start 10 on line 1") !=
        std::string::npos);
  CHECK(g.error("chr1\t1\t2\nchr2\t1\t2\nchr1\t5\t6\n").find(
            "line 3: not sorted: the regions of chr1 started on line 1") != std::string::npos);
}
