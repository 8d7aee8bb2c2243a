// sster tomtom and sster motifs --tomtom, end to end: the MEME suite's own
// tomtom outputs (tests/data/tomtom) line for line, the properties a motif
// comparison must have, bad input, and kernels named by their matches.
#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "cli_test_util.hpp"
#include "sster/core/random.hpp"
#include "sster/io/meme.hpp"
#include "sster/io/meme_reader.hpp"

using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;

namespace {

const std::string data_dir = SSTER_TOMTOM_DATA;

// The rows of a tomtom TSV: every line but blank and "#" ones.
std::vector<std::string> rows_of(const std::string& tsv) {
  std::vector<std::string> rows;
  std::istringstream in(tsv);
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') rows.push_back(line);
  return rows;
}

std::vector<std::string> fields(const std::string& row) {
  std::vector<std::string> f;
  std::istringstream in(row);
  for (std::string x; std::getline(in, x, '\t');) f.push_back(x);
  return f;
}

// The first `n` motifs of JASPAR 2018 from `first`, each with its columns in a
// seeded random order: real columns, no real motif.
std::vector<sster::Pwm> shuffled_jaspar(std::size_t first, std::size_t n, std::uint64_t seed) {
  const auto jaspar = sster::read_meme(data_dir + "/JASPAR2018_CORE_non-redundant.meme.gz");
  sster::RandomStream rng(sster::RandomKey(seed, sster::Purpose::simulate));
  std::vector<sster::Pwm> out;
  for (std::size_t i = first; i < first + n; ++i) {
    sster::Pwm m = jaspar.motifs.at(i);
    std::vector<sster::index_t> order(static_cast<std::size_t>(m.width()));
    for (std::size_t c = 0; c < order.size(); ++c) order[c] = static_cast<sster::index_t>(c);
    sster::shuffle(order.begin(), order.end(), rng);
    sster::Pwm s{m.id + "_shuffled", "", m.alphabet};
    for (auto c : order)
      for (sster::index_t j = 0; j < m.letters(); ++j) s.p.push_back(m(c, j));
    out.push_back(s);
  }
  return out;
}

}  // namespace

TEST_CASE("sster tomtom: the MEME suite's tomtom output, line for line (sample.meme, JASPAR example)") {
  ScratchDir dir("cli-tomtom");
  const std::string sample = data_dir + "/sample.meme";
  auto r = run_sster("tomtom " + sample + " " + sample + " --dist pearson -o " + (dir / "sample.tsv"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  const std::string tsv = read_text(dir / "sample.tsv");
  CHECK(rows_of(tsv) == rows_of(read_text(data_dir + "/tomtom.complete.out.pearson.tsv")));
  CHECK(tsv.rfind("Query_ID\tTarget_ID\tOptimal_offset\tp-value\tE-value\tq-value\tOverlap\tQuery_consensus\t"
                  "Target_consensus\tOrientation\n",
                  0) == 0);
  CHECK(tsv.find("\n# tomtom -dist pearson -min-overlap 1") != std::string::npos);  // the options, as tomtom's line

  r = run_sster("tomtom " + sample + " " + sample + " --dist ed --incomplete-scores");  // to standard output
  REQUIRE(r.exit_code == 0);
  const auto ed = rows_of(r.out.substr(0, r.out.find("\n# ")));
  CHECK(ed == rows_of(read_text(data_dir + "/tomtom.out.ed.tsv")));

  r = run_sster("tomtom " + data_dir + "/STRGGTCAN.meme " + data_dir +
                "/JASPAR2018_CORE_non-redundant.meme.gz --min-overlap 5 --dist pearson --evalue --thresh 10 -o " +
                (dir / "example.tsv"));
  REQUIRE(r.exit_code == 0);
  // Every column but the q-value, which tomtom scales by its pi_0 estimate
  // for databases this large (docs/tomtom.md); sster's is larger by 1/pi_0.
  const auto mine = rows_of(read_text(dir / "example.tsv")), theirs = rows_of(read_text(data_dir + "/tomtom.example.tsv"));
  REQUIRE(mine.size() == theirs.size());
  CHECK(mine.size() == 29);  // header and 28 matches
  for (std::size_t k = 0; k < mine.size(); ++k) {
    auto a = fields(mine[k]), b = fields(theirs[k]);
    REQUIRE(a.size() == 10);
    REQUIRE(b.size() == 10);
    if (k > 0) {
      CHECK(std::stod(a[5]) >= std::stod(b[5]));
      CHECK(std::stod(a[5]) <= 1.01 * std::stod(b[5]));
    }
    a.erase(a.begin() + 5);
    b.erase(b.begin() + 5);
    CHECK(a == b);
  }
}

TEST_CASE("sster tomtom: a motif matches itself at offset 0 with the smallest p-value, its reverse complement on -") {
  ScratchDir dir("cli-tomtom-self");
  const auto jaspar = sster::read_meme(data_dir + "/JASPAR2018_CORE_non-redundant.meme.gz");
  std::vector<sster::Pwm> queries, targets(jaspar.motifs.begin(), jaspar.motifs.begin() + 50);
  for (const std::size_t i : {3u, 17u, 41u}) {
    const sster::Pwm& m = targets[i];
    sster::Pwm rc{m.id + "_rc", "", m.alphabet};
    for (sster::index_t c = m.width() - 1; c >= 0; --c)
      for (sster::index_t j = 3; j >= 0; --j) rc.p.push_back(m(c, j));  // ACGT reversed: the complement
    queries.push_back(m);
    queries.push_back(rc);
  }
  sster::save_as_meme(queries, dir / "queries.meme");
  sster::save_as_meme(targets, dir / "targets.meme");
  const auto r = run_sster("tomtom " + (dir / "queries.meme") + " " + (dir / "targets.meme") + " -o " + (dir / "m.tsv"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  const auto rows = rows_of(read_text(dir / "m.tsv"));
  for (std::size_t q = 0; q < queries.size(); ++q) {
    CAPTURE(queries[q].id);
    std::vector<std::vector<std::string>> mine;  // this query's rows, best first
    for (std::size_t k = 1; k < rows.size(); ++k)
      if (fields(rows[k])[0] == queries[q].id) mine.push_back(fields(rows[k]));
    REQUIRE(!mine.empty());
    const std::string original = q % 2 ? queries[q - 1].id : queries[q].id;
    CHECK(mine[0][1] == original);
    CHECK(mine[0][2] == "0");                      // offset
    CHECK(mine[0][9] == (q % 2 ? "-" : "+"));      // orientation
    CHECK(mine[0][6] == std::to_string(queries[q].width()));  // overlap: all of it
    for (const auto& row : mine) CHECK(std::stod(row[3]) >= std::stod(mine[0][3]));
  }
}

TEST_CASE("sster tomtom: p-values of shuffled motifs against unrelated ones are roughly uniform") {
  ScratchDir dir("cli-tomtom-null");
  sster::save_as_meme(shuffled_jaspar(0, 20, 1), dir / "queries.meme");
  sster::save_as_meme(shuffled_jaspar(100, 30, 2), dir / "targets.meme");
  const auto r = run_sster("tomtom " + (dir / "queries.meme") + " " + (dir / "targets.meme") + " --thresh 1 -o " +
                           (dir / "null.tsv"));
  REQUIRE(r.exit_code == 0);
  const auto rows = rows_of(read_text(dir / "null.tsv"));
  REQUIRE(rows.size() == 1 + 20 * 30);  // header, then every pair once
  std::vector<double> p;
  for (std::size_t k = 1; k < rows.size(); ++k) p.push_back(std::stod(fields(rows[k])[3]));
  std::sort(p.begin(), p.end());
  const double n = static_cast<double>(p.size());
  double D = 0;  // Kolmogorov-Smirnov distance to the uniform distribution
  for (std::size_t i = 0; i < p.size(); ++i)
    D = std::max({D, static_cast<double>(i + 1) / n - p[i], p[i] - static_cast<double>(i) / n});
  // Pairs share queries and targets (not independent), and shuffled columns
  // keep some structure: a loose bound, which p-values uncorrected for the
  // offsets tried (minima of ~20 p-values, D near 0.5) would fail.
  CHECK(D < 0.15);
}

TEST_CASE("sster tomtom: bad input exits 2, names the file and line, writes nothing") {
  ScratchDir dir("cli-tomtom-bad");
  const std::string sample = data_dir + "/sample.meme";
  auto r = run_sster("tomtom /nonexistent.meme " + sample + " -o " + (dir / "out.tsv"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("/nonexistent.meme") != std::string::npos);
  const std::string bad = dir.write("bad.meme",
                                    "MEME version 4\n\nALPHABET= ACGT\n\nMOTIF m1\nletter-probability matrix: alength= 4 "
                                    "w= 2\n0.25 0.25 0.25 0.25\n0.5 0.5 x 0\n");
  r = run_sster("tomtom " + bad + " " + sample + " -o " + (dir / "out.tsv"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("bad.meme line 8") != std::string::npos);
  r = run_sster("tomtom " + sample + " " + sample + " --dist kl -o " + (dir / "out.tsv"));
  CHECK(r.exit_code == 2);
  CHECK(!std::filesystem::exists(dir / "out.tsv"));
}

TEST_CASE("sster motifs --tomtom: each kernel's best match in summary.html and the table, all in tomtom.tsv") {
  ScratchDir dir("cli-motifs-tomtom");
  // Planted E-box (CACGTG: JASPAR's MA0004.1 Arnt, MA0058.3 MAX, ...) and AP-1 (TGACTCA).
  REQUIRE(run_sster("simulate -d " + dir.path.string() + " -n 600 --length 60 --motif CACGTG@10 --motif TGACTCA@40")
              .exit_code == 0);
  const std::string data = " --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz");
  REQUIRE(run_sster("train" + data + " --param conv_num=1 --param kernel_len=8 --param kernel_num=8 --param epochs=15 " +
                    "--seed 2 -q -o " + (dir / "m.sster"))
              .exit_code == 0);
  const std::string jaspar = data_dir + "/JASPAR2018_CORE_non-redundant.meme.gz";
  auto r = run_sster("motifs " + (dir / "m.sster") + data + " --tomtom " + jaspar + " -d " + (dir / "motifs"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("best match") != std::string::npos);
  const std::string html = read_text(dir / "motifs/summary.html");
  CHECK(html.find("score = ") != std::string::npos);
  CHECK(html.find(", p=") != std::string::npos);  // at least one kernel named by a match
  const auto rows = rows_of(read_text(dir / "motifs/tomtom.tsv"));
  REQUIRE(rows.size() > 1);
  CHECK(fields(rows[1])[0].rfind("kernel_", 0) == 0);
  // The planted motifs are found: some kernel's best match shows CACGTG or TGA(C/G)TCA.
  bool planted = false;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    const std::string target = fields(rows[k])[8];
    planted = planted || target.find("CACGTG") != std::string::npos || target.find("TGACTCA") != std::string::npos ||
              target.find("TGAGTCA") != std::string::npos;
  }
  CHECK(planted);
  // A database that is not MEME fails before any picture is drawn.
  const std::string bad = dir.write("bad.meme", "not a motif file\n");
  r = run_sster("motifs " + (dir / "m.sster") + data + " --tomtom " + bad + " -d " + (dir / "bad"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("bad.meme") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "bad"));
}
