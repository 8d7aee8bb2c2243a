#include <doctest.h>

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"

using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;

TEST_CASE("every subcommand has --help") {
  for (const char* cmd : {"train", "predict", "report", "summary", "simulate", "demo", "grid-search", "export-json"}) {
    CAPTURE(cmd);
    const auto r = run_sster(std::string(cmd) + " --help");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
  CHECK(run_sster("--help").exit_code == 0);
  CHECK(run_sster("no-such-command").exit_code == 2);
  CHECK(run_sster("").exit_code == 2);
}

TEST_CASE("simulate -> train -> predict -> report -> summary, end to end") {
  ScratchDir dir("cli");
  auto r = run_sster("simulate -o " + dir.path.string() + " -n 700 --length 60 --motif CACGTG@10 --motif TGACTCA@40");
  REQUIRE(r.exit_code == 0);
  const auto pos = dir / "positives.fasta.gz", neg = dir / "negatives.fasta.gz";
  r = run_sster("train --class " + pos + " --class " + neg +
                " --param conv_num=1 --param kernel_len=10 --param epochs=12 --seed 3 -o " + (dir / "m.sster"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("epoch   1") != std::string::npos);  // plain per-epoch lines when not a terminal
  CHECK(std::filesystem::exists(dir / "m.sster"));

  r = run_sster("predict " + (dir / "m.sster") + " " + pos + " -o " + (dir / "scores.tsv"));
  REQUIRE(r.exit_code == 0);
  std::istringstream tsv(read_text(dir / "scores.tsv"));
  std::string line;
  std::getline(tsv, line);
  CHECK(line == "id\tpositives\tnegatives");
  int rows = 0;
  double mean_pos = 0;
  while (std::getline(tsv, line)) {
    ++rows;
    std::istringstream f(line);
    std::string id;
    double p0, p1;
    f >> id >> p0 >> p1;
    if (rows == 1) CHECK(id == "pos_1");
    CHECK(p0 + p1 == doctest::Approx(1).epsilon(1e-4));
    mean_pos += p0;
  }
  CHECK(rows == 700);
  CHECK(mean_pos / rows > 0.7);  // the positives score as positives

  r = run_sster("predict " + (dir / "m.sster") + " " + neg);  // to stdout
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("id\tpositives\tnegatives\n", 0) == 0);

  r = run_sster("report " + (dir / "m.sster") + " --class " + pos + " --class " + neg + " -o " + (dir / "report"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("weighted avg") != std::string::npos);
  CHECK(read_text(dir / "report/report.tsv").find("positives") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "report/confusion.tsv"));

  r = run_sster("export-json " + (dir / "m.sster") + " -o " + (dir / "m.json"));
  REQUIRE(r.exit_code == 0);
  const auto json = nlohmann::json::parse(read_text(dir / "m.json"));
  CHECK(json["layers"][1]["name"] == "conv1d_1");
  CHECK(json["layers"][1]["params"][0]["values"].size() == 10);         // kernel_len 10
  CHECK(json["layers"][1]["params"][0]["values"][0].size() == 4);       // ACGT
  CHECK(json["layers"][1]["params"][0]["values"][0][0].size() == 30);   // kernels

  r = run_sster("summary " + (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("conv1d_1") != std::string::npos);
  CHECK(r.out.find("epoch   1") != std::string::npos);
}

TEST_CASE("bad input: exit code 2, a message naming the problem, no partial output") {
  ScratchDir dir("cli-bad");
  auto r = run_sster("train --class /nonexistent.fa --class /nonexistent2.fa -o " + (dir / "m.sster"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("/nonexistent.fa") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "m.sster"));

  r = run_sster("train --class a.fa -o x.sster --param kernel_num=0");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("kernel_num") != std::string::npos);

  { std::ofstream(dir / "junk.sster") << "not a model"; }
  r = run_sster("predict " + (dir / "junk.sster") + " x.fa -o " + (dir / "out.tsv"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("not an sster model file") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "out.tsv"));

  // a model trained on length 60 refuses length 50, naming the record
  r = run_sster("simulate -o " + (dir / "a") + " -n 300 --length 60 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  r = run_sster("simulate -o " + (dir / "b") + " -n 5 --length 50 --seed 2 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  r = run_sster("train --class " + (dir / "a/positives.fasta.gz") + " --class " + (dir / "a/negatives.fasta.gz") +
                " --param conv_num=1 --param epochs=1 -q -o " + (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);
  r = run_sster("predict " + (dir / "m.sster") + " " + (dir / "b/positives.fasta.gz") + " -o " + (dir / "p.tsv"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("record 1") != std::string::npos);
  CHECK(r.out.find("length 50") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "p.tsv"));
  for (const auto& f : std::filesystem::directory_iterator(dir.path))  // no temporary left behind
    CHECK(f.path().filename().string().find(".tmp") == std::string::npos);
}

TEST_CASE("grid-search trains every combination, writes the table and the best model") {
  ScratchDir dir("cli-grid");
  auto r = run_sster("simulate -o " + dir.path.string() + " -n 400 --length 50 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  r = run_sster("grid-search --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz") +
                " --grid kernel_num=4,8 --grid kernel_len=6,10 --param conv_num=1 --param epochs=3 -d " +
                (dir / "grid") + " -o " + (dir / "best.sster"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("kernel_num kernel_len roc-auc") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "best.sster"));
  const auto tsv = read_text(dir / "grid/grid_search.tsv");
  CHECK(std::count(tsv.begin(), tsv.end(), '\n') == 5);  // header + 4 combinations
}

TEST_CASE("Ctrl-C saves a checkpoint; --resume ends with the same model as an uninterrupted run") {
  ScratchDir dir("cli-resume");
  auto r = run_sster("simulate -o " + dir.path.string() + " -n 3000 --length 80 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  const std::string data = " --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz") +
                           " --param conv_num=1 --param epochs=6 --param patience_stopping=100 --seed 4 -q";
  r = run_sster("train" + data + " -o " + (dir / "a.sster"));
  REQUIRE(r.exit_code == 0);
  CHECK(!std::filesystem::exists(dir / "a.sster.checkpoint"));  // removed when done

  // interrupt a second run after a moment (SIGINT, as Ctrl-C sends)
  const std::string cmd = "timeout --preserve-status -s INT 0.7 " + std::string(SSTER_EXE) + " train" + data + " -o " + (dir / "b.sster") + " 2>&1";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  const int status = ::pclose(p);
  if (WEXITSTATUS(status) == 2) {
    CHECK(out.find("--resume") != std::string::npos);
    REQUIRE(std::filesystem::exists(dir / "b.sster.checkpoint"));
    CHECK(!std::filesystem::exists(dir / "b.sster"));
    r = run_sster("train" + data + " --resume -o " + (dir / "b.sster"));
    REQUIRE(r.exit_code == 0);
  } else {
    MESSAGE("training finished before the interrupt; resume not exercised this time");
    REQUIRE(WEXITSTATUS(status) == 0);
  }
  r = run_sster("predict " + (dir / "a.sster") + " " + (dir / "positives.fasta.gz") + " -o " + (dir / "a.tsv"));
  REQUIRE(r.exit_code == 0);
  r = run_sster("predict " + (dir / "b.sster") + " " + (dir / "positives.fasta.gz") + " -o " + (dir / "b.tsv"));
  REQUIRE(r.exit_code == 0);
  CHECK(read_text(dir / "a.tsv") == read_text(dir / "b.tsv"));
}

TEST_CASE("motifs, cluster, optimize, meme: --help, and bad input exits 2") {
  for (const char* cmd : {"motifs", "cluster", "optimize", "meme"}) {
    CAPTURE(cmd);
    const auto r = run_sster(std::string(cmd) + " --help");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
    CHECK(run_sster(cmd).exit_code == 2);  // the model (and more) is required
  }
}

TEST_CASE("motifs -> summary.html + PNGs + motifs.meme; meme, cluster and optimize on the same model") {
  ScratchDir dir("cli-motifs");
  auto r = run_sster("simulate -o " + dir.path.string() + " -n 1000 --length 60 --motif CACGTG@10 --motif TGACTCA@40");
  REQUIRE(r.exit_code == 0);
  const std::string data = " --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz");
  r = run_sster("train" + data + " --param conv_num=1 --param kernel_num=6 --param kernel_len=10 --param epochs=12 -q -o " +
                (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);

  r = run_sster("motifs " + (dir / "m.sster") + data + " --group test -o " + (dir / "out"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("kernel   score  class      sites  consensus") != std::string::npos);
  CHECK((r.out.find("CACGTG") != std::string::npos || r.out.find("TGACTC") != std::string::npos));
  const std::string html = read_text(dir / "out/summary.html");
  for (int k = 0; k < 6; ++k)
    for (const char* kind : {"motif", "position", "activations"}) {
      const std::string png = std::string(kind) + "_kernel_" + std::to_string(k) + ".png";
      CAPTURE(png);
      CHECK(std::filesystem::exists(dir / ("out/" + png)));
      CHECK(html.find(png) != std::string::npos);
    }
  const std::string meme = read_text(dir / "out/motifs.meme");
  CHECK(meme.rfind("MEME version 4", 0) == 0);
  std::size_t motifs = 0;
  for (auto at = meme.find("\nMOTIF kernel_"); at != std::string::npos; at = meme.find("\nMOTIF kernel_", at + 1)) ++motifs;
  CHECK(motifs == 6);
  // same order as the page: the first kernel of the page is the first motif of the file
  const auto first = html.find("<td>Kernel ") + 11;
  const std::string kernel = html.substr(first, html.find('<', first) - first);
  CHECK(meme.find("\nMOTIF kernel_" + kernel + " ") == meme.find("\nMOTIF kernel_"));

  r = run_sster("meme " + (dir / "m.sster") + data + " --group test -o " + (dir / "m.meme"));
  REQUIRE(r.exit_code == 0);
  CHECK(read_text(dir / "m.meme") == meme);

  r = run_sster("cluster " + (dir / "m.sster") + data + " --group test -o " + (dir / "heat.png"));
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::file_size(dir / "heat.png") > 10000);
  r = run_sster("cluster " + (dir / "m.sster") + data + " --subset 1 -o " + (dir / "neg.png"));
  CHECK(r.exit_code == 0);
  CHECK(std::filesystem::exists(dir / "neg.png"));

  r = run_sster("optimize " + (dir / "m.sster") + " --layer dense_2 --node 0 --steps 200 -o " + (dir / "opt.png"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("node         loss  converged") != std::string::npos);
  CHECK(std::filesystem::exists(dir / "opt.png"));

  // bad input: exit 2, a message naming the problem, no output file
  r = run_sster("optimize " + (dir / "m.sster") + " --layer dense_9 -o " + (dir / "x.png"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("no layer 'dense_9' (layers: dropout_1, conv1d_1") != std::string::npos);
  r = run_sster("optimize " + (dir / "m.sster") + " --layer dense_2 --node 5 -o " + (dir / "x.png"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("not node 5") != std::string::npos);
  r = run_sster("cluster " + (dir / "m.sster") + data + " --subset 3 -o " + (dir / "x.png"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("class 3 does not exist") != std::string::npos);
  r = run_sster("motifs " + (dir / "m.sster") + data + " --group everything -o " + (dir / "x"));
  CHECK(r.exit_code == 2);
  r = run_sster("motifs " + (dir / "m.sster") + " --class " + (dir / "positives.fasta.gz") + " -o " + (dir / "x"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("2 classes, but 1 class files") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "x.png"));
  CHECK(!std::filesystem::exists(dir / "x"));
}
