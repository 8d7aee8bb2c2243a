// Both strands in the CLI: train --rc-augment, predict (FASTA and labelled
// files) and report --rc-merge.
#include <doctest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "../cli/cli_test_util.hpp"
#include "genome_test_util.hpp"

using namespace sster;
using sster::test::predict_scores;
using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;


TEST_CASE("train --rc-augment; predict --rc-merge averages each record with its reverse complement") {
  ScratchDir dir("strands");
  auto r = run_sster("simulate -d " + dir.path.string() + " -n 150 --length 40 --motif ACGGTCAT@10");
  REQUIRE(r.exit_code == 0);
  const std::string pos = dir / "positives.fasta.gz", neg = dir / "negatives.fasta.gz";
  r = run_sster("train --class " + pos + " --class " + neg +
                " --param conv_num=1 --param kernel_len=8 --param epochs=2 --rc-augment -q -o " + (dir / "m.sster"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  // the records and their reverse complements, scored apart and together
  std::string forward, reverse;
  for (index_t i = 0; i < 20; ++i) {
    const std::string s = test::random_bases(40, static_cast<std::uint64_t>(i + 1));
    forward += ">r" + std::to_string(i) + "\n" + s + "\n";
    reverse += ">r" + std::to_string(i) + "\n" + test::reverse_complement(s) + "\n";
  }
  dir.write("f.fa", forward);
  dir.write("r.fa", reverse);
  REQUIRE(run_sster("predict " + (dir / "m.sster") + " " + (dir / "f.fa") + " -o " + (dir / "f.tsv")).exit_code == 0);
  REQUIRE(run_sster("predict " + (dir / "m.sster") + " " + (dir / "r.fa") + " -o " + (dir / "r.tsv")).exit_code == 0);
  r = run_sster("predict " + (dir / "m.sster") + " " + (dir / "f.fa") + " --rc-merge mean -o " + (dir / "m.tsv"));
  REQUIRE(r.exit_code == 0);
  const auto f = predict_scores(read_text(dir / "f.tsv")), rc = predict_scores(read_text(dir / "r.tsv")),
             m = predict_scores(read_text(dir / "m.tsv"));
  REQUIRE(m.size() == 20);
  for (std::size_t i = 0; i < m.size(); ++i)
    for (std::size_t c = 0; c < 2; ++c) CHECK(m[i][c] == doctest::Approx((f[i][c] + rc[i][c]) / 2).epsilon(1e-4));
  // labelled files (the model's test group): the max of the strands, never below the plus strand's score
  const std::string group = "predict " + (dir / "m.sster") + " --class " + pos + " --class " + neg;
  REQUIRE(run_sster(group + " -o " + (dir / "g.tsv")).exit_code == 0);
  REQUIRE(run_sster(group + " --rc-merge max -o " + (dir / "gm.tsv")).exit_code == 0);
  const auto g = predict_scores(read_text(dir / "g.tsv")), gm = predict_scores(read_text(dir / "gm.tsv"));
  REQUIRE(!g.empty());
  REQUIRE(gm.size() == g.size());
  bool differs = false;
  for (std::size_t i = 0; i < g.size(); ++i)
    for (std::size_t c = 0; c < 2; ++c) {
      CHECK(gm[i][c] >= g[i][c] - 1e-6);
      differs = differs || gm[i][c] > g[i][c] + 1e-4;
    }
  CHECK(differs);
  r = run_sster("report " + (dir / "m.sster") + " --class " + pos + " --class " + neg + " --rc-merge max -d " +
                (dir / "report"));
  CAPTURE(r.out);
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::exists(dir / "report/report.txt"));
}

TEST_CASE("strands need DNA or RNA: protein models and data are a clear error") {
  ScratchDir dir("strands-protein");
  std::string a, b;
  for (int i = 0; i < 40; ++i) {
    a += ">a" + std::to_string(i) + "\nMKVL" + std::string(1, "ACDEFGHIKL"[i % 10]) + "W\n";
    b += ">b" + std::to_string(i) + "\nWWKV" + std::string(1, "ACDEFGHIKL"[i % 10]) + "M\n";
  }
  dir.write("a.fa", a);
  dir.write("b.fa", b);
  const std::string files = " --class " + (dir / "a.fa") + " --class " + (dir / "b.fa");
  auto r = run_sster("train" + files + " --param conv_num=1 --param kernel_len=2 --param epochs=1 --rc-augment -q -o " +
                     (dir / "p.sster"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("--rc-augment needs a DNA or RNA alphabet") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "p.sster"));
  REQUIRE(run_sster("train" + files + " --param conv_num=1 --param kernel_len=2 --param epochs=1 -q -o " + (dir / "p.sster"))
              .exit_code == 0);
  r = run_sster("predict " + (dir / "p.sster") + " " + (dir / "a.fa") + " --rc-merge mean");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("--rc-merge needs a DNA or RNA alphabet") != std::string::npos);
}
