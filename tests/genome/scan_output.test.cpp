#include <doctest.h>

#include <string>
#include <vector>

#include "genome_test_util.hpp"
#include "sster/genome/scan_output.hpp"

using namespace sster;
using namespace sster::test;

namespace {

// Scores made up for a unit of `windows` windows: value(k, strand, c) = k + 100 strand + 10 c.
UnitScores made_up(ScanUnit u, index_t strands, index_t classes) {
  UnitScores s{.unit = u, .strands = strands, .classes = classes};
  for (index_t k = 0; k < u.windows; ++k)
    for (index_t st = 0; st < strands; ++st)
      for (index_t c = 0; c < classes; ++c) s.values.push_back(static_cast<float>(k + 100 * st + 10 * c));
  s.scored.assign(to_size(u.windows), 1);
  return s;
}

struct OutputGenome {
  TempDir dir;
  GenomeFasta fasta;
  OutputGenome() : fasta(make(dir)) {}
  static std::string make(const TempDir& d) {
    write_file(d.file("g.fa"), fasta_text({{"chrB", random_bases(5000, 1)}, {"chrA", random_bases(3000, 2)}}));
    return d.file("g.fa");
  }
};

}  // namespace

TEST_CASE("track geometry: a window's value covers min(stride, L) bases, at its start or centred") {
  const ScanUnit u{.start = 100, .windows = 3};
  CHECK(TrackGeometry{1000, 1, Anchor::centre}.position(u, 0) == 100 + 499);  // Selene's centre base
  CHECK(TrackGeometry{101, 1, Anchor::centre}.position(u, 2) == 102 + 50);
  CHECK(TrackGeometry{100, 10, Anchor::centre}.position(u, 1) == 110 + 45);
  CHECK(TrackGeometry{100, 10, Anchor::centre}.span() == 10);
  CHECK(TrackGeometry{100, 10, Anchor::start}.position(u, 1) == 110);
  CHECK(TrackGeometry{50, 200, Anchor::centre}.span() == 50);  // stride beyond the window: the window itself
  CHECK(TrackGeometry{50, 200, Anchor::centre}.position(u, 1) == 300);
}

TEST_CASE("bedGraph lines: scored windows only, chrom start end value") {
  OutputGenome g;
  UnitScores s = made_up({.sequence = 1, .start = 10, .windows = 4}, 2, 2);
  at(s.scored, 2) = 0;
  const std::string text = bedgraph_lines(s, g.fasta, {20, 2, Anchor::centre}, {1, 1});
  CHECK(text == "chrA\t19\t21\t110\nchrA\t21\t23\t111\nchrA\t25\t27\t113\n");
}

TEST_CASE("bigWig tracks read back with libBigWig; sequences listed by name") {
  OutputGenome g;
  const auto seqs = sequences_by_name(g.fasta);
  REQUIRE(seqs.size() == 2);
  CHECK(seqs[0].name == "chrA");
  CHECK(seqs[0].length == 3000);
  const TrackGeometry geo{10, 1, Anchor::start};
  {
    TrackWriter w(g.dir.file("t.bw"), g.fasta, geo, {0, 0});
    UnitScores a = made_up({.number = 0, .sequence = 1, .start = 0, .windows = 5}, 1, 1);
    at(a.scored, 3) = 0;
    w.add(a);
    w.add(made_up({.number = 1, .sequence = 1, .start = 5, .windows = 2}, 1, 1));
    w.add(made_up({.number = 2, .sequence = 0, .start = 4000, .windows = 3}, 1, 1));
    CHECK(!std::filesystem::exists(g.dir.file("t.bw")));  // appears on commit only
    w.commit();
  }
  const auto a = read_bigwig(g.dir.file("t.bw"), "chrA");
  const std::vector<TrackInterval> want_a = {{0, 1, 0}, {1, 2, 1}, {2, 3, 2}, {4, 5, 4}, {5, 6, 0}, {6, 7, 1}};
  CHECK(a == want_a);
  const std::vector<TrackInterval> want_b = {{4000, 4001, 0}, {4001, 4002, 1}, {4002, 4003, 2}};
  CHECK(read_bigwig(g.dir.file("t.bw"), "chrB") == want_b);
  CHECK(read_bigwig(g.dir.file("t.bw"), "chrC").empty());
  CHECK_THROWS_WITH_AS(read_bigwig(g.dir.file("g.fa"), "chrA"), doctest::Contains("cannot read it as a bigWig"), Error);
}

TEST_CASE("a track with no data is an error and leaves no file") {
  OutputGenome g;
  {
    TrackWriter w(g.dir.file("t.bw"), g.fasta, {10, 1, Anchor::start}, {0, 0});
    UnitScores s = made_up({.sequence = 1, .windows = 2}, 1, 1);
    s.scored.assign(2, 0);
    w.add(s);
    CHECK_THROWS_WITH_AS(w.commit(), doctest::Contains("no window was scored"), Error);
  }
  CHECK(!std::filesystem::exists(g.dir.file("t.bw")));
  index_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(g.dir.path())) ++files;
  CHECK(files == 1);  // g.fa: no temporary file left
}

TEST_CASE("top windows: the best by one class, ties in scan order, either strand") {
  OutputGenome g;
  TopWindows top(3, 1);
  UnitScores a = made_up({.number = 0, .sequence = 1, .start = 0, .windows = 4}, 2, 2);
  UnitScores b = made_up({.number = 1, .sequence = 0, .start = 100, .windows = 4}, 2, 2);
  top.add(a, 5);
  top.add(b, 5);
  // class 1 on strand 1: 110 + k; the best three: k = 3 of both units (113, a first), then k = 2 of a
  const std::string want =
      "chrom\tstart\tend\tstrand\tx\ty\n"
      "chrA\t15\t25\t-\t103\t113\n"
      "chrB\t115\t125\t-\t103\t113\n"
      "chrA\t10\t20\t-\t102\t112\n";
  CHECK(top.tsv(g.fasta, {"x", "y"}, 10, "+-") == want);
  TopWindows none(0, 0);
  none.add(a, 5);
  CHECK(none.tsv(g.fasta, {"x"}, 10, ".") == "chrom\tstart\tend\tstrand\tx\n");
}
