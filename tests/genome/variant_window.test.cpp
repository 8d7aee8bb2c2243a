#include <doctest.h>

#include <string>

#include "genome_test_util.hpp"
#include "sster/genome/variant_window.hpp"

using namespace sster;
using namespace sster::test;

TEST_CASE("allele windows: the allele's centre base at the centre index, flanks re-read for indels") {
  TempDir dir;
  const std::string seq = "ACGTACGTACGTACGTACGTAAAACCCCGGGGTTTT";  // 36 bases
  write_file(dir.file("g.fa"), fasta_text({{"s", seq}}));
  const GenomeFasta g(dir.file("g.fa"));
  const index_t L = 7, centre = 3;
  auto window = [&](index_t pos, index_t ref_length, const std::string& allele) {
    const auto w = allele_window(g, 0, pos, ref_length, allele, L, centre);
    return w ? w->text() : std::string("none");
  };
  // SNV at 10 (G): bases 7..13 with the ALT at index 3
  CHECK(window(10, 1, "G") == seq.substr(7, 7));
  CHECK(window(10, 1, "T") == "TACTTAC");
  // deletion of 20..23 (AAAA) down to its first base: the right flank starts after the REF
  CHECK(window(20, 4, "A") == seq.substr(17, 3) + "A" + seq.substr(24, 3));
  // REF of 4 bases: its base 2 at the centre, the genome window 19..25
  CHECK(window(20, 4, "AAAA") == seq.substr(19, 7));
  // insertion after 24 (C -> CGGG): the ALT's base 2 at the centre
  CHECK(window(24, 1, "CGGG") == seq.substr(23, 1) + "CGGG" + seq.substr(25, 2));
  // an allele longer than the window is cut around its centre
  CHECK(window(20, 1, "0123456789") == "2345678");
  // too close to either end
  CHECK(window(2, 1, "G") == "none");
  CHECK(window(3, 1, "T") == seq.substr(0, 7));
  CHECK(window(33, 1, "T") == "none");
  CHECK(window(32, 1, "T") == seq.substr(29, 3) + "T" + seq.substr(33, 3));
  // pieces carry their genome positions
  const auto w = allele_window(g, 0, 24, 1, "CGGG", L, centre);
  REQUIRE(w);
  CHECK(w->pieces[0].position == 23);
  CHECK(w->pieces[1].position == 24);
  CHECK(w->pieces[2].position == 25);
}
