// sster scan end to end: a synthetic genome with a motif planted at known
// places, scanned by a model that detects the motif.
#include <doctest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "../cli/cli_test_util.hpp"
#include "genome_test_util.hpp"
#include "sster/genome/bigwig.hpp"

using namespace sster;
using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;

namespace {

const std::string motif = "GATTACAGCA";  // not its own reverse complement
const index_t window = 60;

// chr1: the motif at 1000 and 3500 on the plus strand; chr2: at 2000 on the
// minus strand; chrN: a run of N; short: shorter than the model.
struct PlantedGenome {
  ScratchDir dir{"scan"};
  std::string chr1 = test::random_bases(5000, 31), chr2 = test::random_bases(3000, 32), chrN = test::random_bases(400, 33);
  PlantedGenome() {
    chr1.replace(1000, motif.size(), motif);
    chr1.replace(3500, motif.size(), motif);
    chr2.replace(2000, motif.size(), test::reverse_complement(motif));
    for (index_t i = 150; i < 170; ++i) at(chrN, i) = 'N';
    REQUIRE(count(chr1, motif) == 2);
    REQUIRE(count(chr2, motif) == 0);
    REQUIRE(count(chr2, test::reverse_complement(motif)) == 1);
    dir.write("g.fa", test::fasta_text({{"chr1", chr1}, {"chr2", chr2}, {"chrN", chrN}, {"short", "ACGTACGT"}}));
    test::motif_model(motif, window).save(dir / "m.sster");
  }
  static index_t count(const std::string& s, const std::string& m) {
    index_t n = 0;
    for (auto p = s.find(m); p != std::string::npos; p = s.find(m, p + 1)) ++n;
    return n;
  }
  test::RunResult scan(const std::string& args) const {
    return run_sster("scan " + (dir / "m.sster") + " " + (dir / "g.fa") + " " + args);
  }
};

using Line = test::BedGraphLine;
using test::bedgraph;

}  // namespace

TEST_CASE("scan and vep have --help") {
  for (const char* cmd : {"scan", "vep"}) {
    const auto r = run_sster(std::string(cmd) + " --help");
    CAPTURE(r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
}

TEST_CASE("scan: the bigWig track peaks at the planted sites, read back with libBigWig") {
  PlantedGenome g;
  const auto r = g.scan("--class site -o " + (g.dir / "t.bw"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("sequences shorter than the model skipped") != std::string::npos);
  const auto chr1 = read_bigwig(g.dir / "t.bw", "chr1");
  REQUIRE(ssize(chr1) == 5000 - window + 1);  // stride 1: every window, one base each
  // A window holds the motif when it starts in [site - (L - |motif|), site]; centred, its value sits
  // (L - 1) / 2 further on.
  const index_t reach = window - ssize(motif), centre = (window - 1) / 2;
  for (const auto& iv : chr1) {
    const index_t start = iv.start - centre;
    const bool holds = (start >= 1000 - reach && start <= 1000) || (start >= 3500 - reach && start <= 3500);
    CAPTURE(iv.start);
    CHECK(iv.end == iv.start + 1);
    if (holds) CHECK(iv.value > 0.99f);
    else CHECK(iv.value < 0.01f);
  }
  // the plus strand does not see the motif planted on the minus strand
  for (const auto& iv : read_bigwig(g.dir / "t.bw", "chr2")) CHECK(iv.value < 0.01f);
}

TEST_CASE("scan: strands, bedGraph and bigWig agree, classes and top windows") {
  PlantedGenome g;
  auto r = g.scan("--strand both --rc-merge max --class site -o " + (g.dir / "both.bedGraph"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  const auto both = bedgraph(read_text(g.dir / "both.bedGraph"));
  double best_chr2 = 0;
  index_t best_at = 0;
  for (const auto& l : both)
    if (l.chrom == "chr2" && l.value > best_chr2) {
      best_chr2 = l.value;
      best_at = l.start;
    }
  CHECK(best_chr2 > 0.99);  // found on the minus strand
  CHECK(best_at >= 2000 - window);
  CHECK(best_at <= 2000 + window);
  // sequences sorted by name, positions ascending
  CHECK(both.front().chrom == "chr1");
  CHECK(std::is_sorted(both.begin(), both.end(), [](const Line& a, const Line& b) {
    return a.chrom != b.chrom ? a.chrom < b.chrom : a.start < b.start;
  }));

  r = g.scan("--strand both --rc-merge none --class all --top 3 --stride 5 --anchor start -o " + (g.dir / "t.bw"));
  REQUIRE(r.exit_code == 0);
  for (const char* f : {"t.background.plus.bw", "t.background.minus.bw", "t.site.plus.bw", "t.site.minus.bw", "t.top.tsv"})
    CHECK(std::filesystem::exists(g.dir / f));
  CHECK(!std::filesystem::exists(g.dir / "t.bw"));
  const auto minus = read_bigwig(g.dir / "t.site.minus.bw", "chr2");
  REQUIRE(!minus.empty());
  CHECK(minus.front().start == 0);
  CHECK(minus.front().end == 5);  // stride 5: five bases from the window's start
  const auto best = std::max_element(minus.begin(), minus.end(), [](auto& a, auto& b) { return a.value < b.value; });
  CHECK(best->value > 0.99f);
  const std::string top = read_text(g.dir / "t.top.tsv");
  CHECK(top.rfind("chrom\tstart\tend\tstrand\tbackground\tsite\n", 0) == 0);
  CHECK(std::count(top.begin(), top.end(), '\n') == 4);
  CHECK(top.find("\t-\t") != std::string::npos);  // the minus strand's site is among the best
  CHECK(top.find("chr1\t") != std::string::npos);

  // default class of a bedGraph: the first; values equal the bigWig's
  r = g.scan("--strand both --rc-merge none --class site --stride 5 --anchor start -o " + (g.dir / "m.bedGraph"));
  REQUIRE(r.exit_code == 0);
  const auto text = bedgraph(read_text(g.dir / "m.minus.bedGraph"));
  std::vector<Line> chr2;
  for (const auto& l : text)
    if (l.chrom == "chr2") chr2.push_back(l);
  REQUIRE(chr2.size() == minus.size());
  for (std::size_t i = 0; i < chr2.size(); ++i) {
    CHECK(chr2[i].start == minus[i].start);
    CHECK(chr2[i].value == doctest::Approx(minus[i].value).epsilon(1e-5));
  }
}

TEST_CASE("scan: unknown bases, regions, and sequences shorter than the model") {
  PlantedGenome g;
  g.dir.write("r.bed", "chrN\t100\t300\nshort\t0\t8\n");
  auto r = g.scan("--regions " + (g.dir / "r.bed") + " -o " + (g.dir / "skip.bedGraph"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  const auto skip = bedgraph(read_text(g.dir / "skip.bedGraph"));
  // windows of [100, 300) that hold none of the Ns at 150..169: starts 100..90+... and 170..240
  index_t expected = 0;
  for (index_t s = 100; s + window <= 300; ++s) expected += s + window <= 150 || s >= 170;
  CHECK(ssize(skip) == expected);
  CHECK(r.out.find("windows with unknown bases left out") != std::string::npos);
  CHECK(r.out.find("1 regions shorter than the model skipped") != std::string::npos);
  r = g.scan("--regions " + (g.dir / "r.bed") + " --unknown zero -o " + (g.dir / "zero.bedGraph"));
  REQUIRE(r.exit_code == 0);
  CHECK(ssize(bedgraph(read_text(g.dir / "zero.bedGraph"))) == 300 - 100 - window + 1);
  // nothing but unknown windows: an error, no output
  g.dir.write("n.bed", "chrN\t140\t180\n");
  g.dir.write("n2.fa", ">n\n" + std::string(100, 'N') + "\n");
  r = run_sster("scan " + (g.dir / "m.sster") + " " + (g.dir / "n2.fa") + " -o " + (g.dir / "n.bedGraph"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("every window holds an unknown base") != std::string::npos);
  CHECK(!std::filesystem::exists(g.dir / "n.bedGraph"));
}

TEST_CASE("scan: bad input exits 2 with the file, the line and what was expected, and writes nothing") {
  PlantedGenome g;
  auto fails = [&](const std::string& args, const std::string& message) {
    const auto r = g.scan(args + " -o " + (g.dir / "bad.bw"));
    CAPTURE(args);
    CAPTURE(r.out);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find(message) != std::string::npos);
    CHECK(!std::filesystem::exists(g.dir / "bad.bw"));
  };
  g.dir.write("out.bed", "chr1\t0\t100\nchr2\t2990\t3010\n");
  fails("--regions " + (g.dir / "out.bed"), "out.bed line 2: the region chr2:2990-3010 reaches outside the sequence");
  g.dir.write("unsorted.bed", "chr1\t500\t600\nchr1\t0\t100\n");
  fails("--regions " + (g.dir / "unsorted.bed"), "unsorted.bed line 2: not sorted");
  g.dir.write("missing.bed", "1\t0\t100\n");
  fails("--regions " + (g.dir / "missing.bed"), "the sequence '1' is not in the genome");
  fails("--class nope", "--class nope: the model has no such class (its classes: background, site, or all)");
  fails("--stride 0", "--stride");

  // a base that is no base
  g.dir.write("j.fa", ">a\n" + test::random_bases(100, 1) + "\n" + test::random_bases(30, 2) + "J" + "\n");
  auto r = run_sster("scan " + (g.dir / "m.sster") + " " + (g.dir / "j.fa") + " -o " + (g.dir / "j.bw"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("j.fa line 3 (a:131): 'J' is not a base the model reads; expected A, C, G, T") != std::string::npos);
  CHECK(!std::filesystem::exists(g.dir / "j.bw"));
  // a damaged bgzip file
  test::write_bgzip(g.dir / "z.fa.gz", read_text(g.dir / "g.fa"));
  std::string bytes = read_text(g.dir / "z.fa.gz");
  bytes[bytes.size() / 2] ^= 0x55;
  g.dir.write("z.fa.gz", bytes);
  r = run_sster("scan " + (g.dir / "m.sster") + " " + (g.dir / "z.fa.gz") + " -o " + (g.dir / "z.bw"));
  CAPTURE(r.out);
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("z.fa.gz") != std::string::npos);
  CHECK(!std::filesystem::exists(g.dir / "z.bw"));
}
