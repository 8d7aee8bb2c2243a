#include <doctest.h>

#include <algorithm>
#include <cmath>
#include <array>
#include <csignal>
#include <cstdio>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_test_util.hpp"
#include "sster/core/cpu.hpp"
#include "sster/nn/kernels/int8_gemm.hpp"
#include "sster/version.hpp"

using sster::test::read_text;
using sster::test::run_sster;
using sster::test::ScratchDir;

TEST_CASE("every subcommand has --help") {
  for (const char* cmd : {"train", "predict", "report", "summary", "simulate", "demo", "grid-search", "export-json", "fold"}) {
    CAPTURE(cmd);
    const auto r = run_sster(std::string(cmd) + " --help");
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Usage") != std::string::npos);
  }
  CHECK(run_sster("--help").exit_code == 0);
  CHECK(run_sster("no-such-command").exit_code == 2);
  CHECK(run_sster("").exit_code == 2);
}

TEST_CASE("--version names the version and the kernel set in use, which SSTER_KERNELS chooses") {
  const auto r = run_sster("--version");
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind(std::string("sster ") + sster::version + "\n", 0) == 0);
  CHECK(r.out.find("kernels: " + std::string(sster::kernel_set_name(sster::supported_kernel_sets().front())) + " (") !=
        std::string::npos);
  for (sster::KernelSet k : sster::supported_kernel_sets()) {
    const std::string name = sster::kernel_set_name(k);
    CAPTURE(name);
    const auto chosen = sster::test::run_command("SSTER_KERNELS=" + name + " " + SSTER_EXE + " --version 2>&1");
    CHECK(chosen.exit_code == 0);
    CHECK(chosen.out.find("kernels: " + name + " (") != std::string::npos);
    // The integer product follows the set: VNNI only within the AVX-512 set.
    const std::string int8 = k == sster::KernelSet::generic ? "generic"
                             : k == sster::KernelSet::avx2   ? "avx2"
                             : sster::kernels::cpu_has_avx512_vnni() ? "avx512-vnni"
                                                                   : "avx2";
    CHECK(chosen.out.find("\nint8 product: " + int8 + " (") != std::string::npos);
  }
  if (sster::kernel_set_supported(sster::KernelSet::avx512_emulated)) {
    const auto emulated = sster::test::run_command(std::string("SSTER_KERNELS=avx512-emulated ") + SSTER_EXE + " --version 2>&1");
    CHECK(emulated.exit_code == 0);
    CHECK(emulated.out.find("kernels: avx512-emulated (16 floats;") != std::string::npos);
    CHECK(emulated.out.find("\nint8 product: avx2 (") != std::string::npos);
  }
  const auto bad = sster::test::run_command(std::string("SSTER_KERNELS=avx9 ") + SSTER_EXE + " --version 2>&1");
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.find("SSTER_KERNELS=avx9: expected avx512, avx2, generic or avx512-emulated") != std::string::npos);
}

TEST_CASE("simulate -> train -> predict -> report -> summary, end to end") {
  ScratchDir dir("cli");
  auto r = run_sster("simulate -d " + dir.path.string() + " -n 700 --length 60 --motif CACGTG@10 --motif TGACTCA@40");
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

  r = run_sster("report " + (dir / "m.sster") + " --class " + pos + " --class " + neg + " -d " + (dir / "report"));
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

namespace {
double largest_difference(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double d = 0;
  for (std::size_t i = 0; i < a.size(); ++i) d = std::max(d, std::abs(a[i] - b[i]));
  return d;
}
}  // namespace

TEST_CASE("train stores an int8 calibration; predict and scan --precision int8 score close to float") {
  ScratchDir dir("int8");
  auto r = run_sster("simulate -d " + dir.path.string() + " -n 400 --length 60 --motif CACGTG@10 --motif TGACTCA@40");
  REQUIRE(r.exit_code == 0);
  const auto pos = dir / "positives.fasta.gz", neg = dir / "negatives.fasta.gz";
  r = run_sster("train --class " + pos + " --class " + neg + " --param kernel_len=8 --param epochs=4 --seed 3 -o " +
                (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);
  CHECK(read_text(dir / "m.sster").find("\"int8_calibration\":{\"conv1d_2\"") != std::string::npos);
  std::vector<double> scores[2];
  for (int p = 0; p < 2; ++p) {
    r = run_sster("predict " + (dir / "m.sster") + " " + pos + " -o " + (dir / "s.tsv") +
                  (p ? " --precision int8" : ""));
    REQUIRE(r.exit_code == 0);
    for (const auto& row : sster::test::predict_scores(read_text(dir / "s.tsv"))) scores[p].push_back(row.at(0));
  }
  CHECK(scores[0].size() == 400);
  const double moved = largest_difference(scores[0], scores[1]);
  CHECK(moved > 0);
  CHECK(moved < 0.05);
  // scan: a random sequence with the first class's motif
  std::string genome = ">chr1\n";
  std::mt19937 rng(5);
  for (int i = 0; i < 600; ++i) genome += "ACGT"[rng() % 4];
  genome.replace(200, 6, "CACGTG");
  dir.write("g.fa", genome + "\n");
  std::vector<double> track[2];
  for (int p = 0; p < 2; ++p) {
    r = run_sster("scan " + (dir / "m.sster") + " " + (dir / "g.fa") + " -o " + (dir / "t.bedgraph") +
                  (p ? " --precision int8" : ""));
    CAPTURE(r.out);
    REQUIRE(r.exit_code == 0);
    for (const auto& line : sster::test::bedgraph(read_text(dir / "t.bedgraph"))) track[p].push_back(line.value);
  }
  CHECK(!track[0].empty());
  const double scan_moved = largest_difference(track[0], track[1]);
  CHECK(scan_moved > 0);
  CHECK(scan_moved < 0.05);

  // A model without a block int8 can run, and an unknown precision: exit 2.
  r = run_sster("train --class " + pos + " --class " + neg + " --param conv_num=1 --param epochs=1 -o " + (dir / "one.sster"));
  REQUIRE(r.exit_code == 0);
  r = run_sster("predict " + (dir / "one.sster") + " " + pos + " --precision int8 -o " + (dir / "x.tsv"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find(dir / "one.sster") != std::string::npos);
  CHECK(r.out.find("no int8 calibration") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "x.tsv"));
  CHECK(run_sster("predict " + (dir / "m.sster") + " " + pos + " --precision int4").exit_code == 2);
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
  r = run_sster("simulate -d " + (dir / "a") + " -n 300 --length 60 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  r = run_sster("simulate -d " + (dir / "b") + " -n 5 --length 50 --seed 2 --motif CACGTG@10");
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
  auto r = run_sster("simulate -d " + dir.path.string() + " -n 400 --length 50 --motif CACGTG@10");
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
  auto r = run_sster("simulate -d " + dir.path.string() + " -n 3000 --length 80 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  const std::string data = " --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz") +
                           " --param conv_num=1 --param epochs=6 --param patience_stopping=100 --seed 4";
  r = run_sster("train" + data + " -q -o " + (dir / "a.sster"));
  REQUIRE(r.exit_code == 0);
  CHECK(!std::filesystem::exists(dir / "a.sster.checkpoint"));  // removed when done

  // Interrupt a second run once it reports its first epoch (SIGINT, as Ctrl-C
  // sends), so a slow start cannot meet the signal before the handler; the
  // shell prints the pid that exec hands on to sster.
  const std::string cmd =
      "sh -c 'echo $$; exec " + std::string(SSTER_EXE) + " train" + data + " -o " + (dir / "b.sster") + "' 2>&1";
  std::FILE* p = ::popen(cmd.c_str(), "r");
  REQUIRE(p != nullptr);
  char buf[512];
  REQUIRE(std::fgets(buf, sizeof buf, p) != nullptr);
  const pid_t pid = std::stoi(buf);
  std::string out;
  bool signalled = false;
  while (std::fgets(buf, sizeof buf, p)) {
    out += buf;
    if (!signalled && std::string_view(buf).starts_with("epoch   1")) signalled = ::kill(pid, SIGINT) == 0;
  }
  const int status = ::pclose(p);
  CAPTURE(out);
  REQUIRE(signalled);
  REQUIRE(WEXITSTATUS(status) == 2);
  CHECK(out.find("--resume") != std::string::npos);
  REQUIRE(std::filesystem::exists(dir / "b.sster.checkpoint"));
  CHECK(!std::filesystem::exists(dir / "b.sster"));
  r = run_sster("train" + data + " -q --resume -o " + (dir / "b.sster"));
  REQUIRE(r.exit_code == 0);
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
  auto r = run_sster("simulate -d " + dir.path.string() + " -n 1000 --length 60 --motif CACGTG@10 --motif TGACTCA@40");
  REQUIRE(r.exit_code == 0);
  const std::string data = " --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz");
  r = run_sster("train" + data + " --param conv_num=1 --param kernel_num=6 --param kernel_len=10 --param epochs=12 -q -o " +
                (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);

  r = run_sster("motifs " + (dir / "m.sster") + data + " --group test -d " + (dir / "out"));
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
  r = run_sster("motifs " + (dir / "m.sster") + data + " --group everything -d " + (dir / "x"));
  CHECK(r.exit_code == 2);
  r = run_sster("motifs " + (dir / "m.sster") + " --class " + (dir / "positives.fasta.gz") + " -d " + (dir / "x"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("2 classes, but 1 class files") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "x.png"));
  CHECK(!std::filesystem::exists(dir / "x"));
}

namespace {

// The counts of one row of the data table that train prints ("training:", "validation:", ...).
std::vector<int> table_row(const std::string& out, const std::string& label) {
  const auto at = out.find("\n" + label);
  if (at == std::string::npos) return {};
  std::istringstream row(out.substr(at + 1 + label.size(), out.find('\n', at + 1) - at - 1 - label.size()));
  std::vector<int> counts;
  for (int c; row >> c;) counts.push_back(c);
  return counts;
}

// Multi-label FASTA: record i (numbered from `first`) has class i % 3, and
// class (i + 1) % 3 too when i is even; sequences of length 30.
void write_multilabel(const std::string& path, int first, int n, std::array<int, 3>& class_counts) {
  std::ofstream out(path);
  const char* letters = "ACGT";
  for (int i = first; i < first + n; ++i) {
    out << ">seq" << i << " " << i % 3;
    ++class_counts[static_cast<std::size_t>(i % 3)];
    if (i % 2 == 0) {
      out << "," << (i + 1) % 3;
      ++class_counts[static_cast<std::size_t>((i + 1) % 3)];
    }
    out << "\n";
    for (int t = 0; t < 30; ++t) out << letters[(i * 7 + t * (i % 5 + 1)) % 4];
    out << "\n";
  }
}

}  // namespace

TEST_CASE("train --val/--test: the given files are the validation and test groups") {
  ScratchDir dir("cli-heldout");
  for (auto [sub, n, seed] : {std::tuple{"a", 100, 1}, std::tuple{"v", 20, 2}, std::tuple{"t", 30, 3}})
    REQUIRE(run_sster("simulate -d " + (dir / sub) + " -n " + std::to_string(n) + " --length 40 --seed " +
                      std::to_string(seed) + " --motif CACGTG@10")
                .exit_code == 0);
  auto pair = [&](const std::string& option, const std::string& sub) {
    return " " + option + " " + (dir / (sub + "/positives.fasta.gz")) + " " + option + " " +
           (dir / (sub + "/negatives.fasta.gz"));
  };
  const std::string train = "train" + pair("--class", "a") + " --param conv_num=1 --param kernel_num=4 --param epochs=2";
  struct Case {
    std::string options;
    int train, val, test;  // records of both classes together
  };
  for (const Case& c : {Case{"", 140, 30, 30},  // random 70/15/15 of the 200 --class records
                        Case{pair("--val", "v"), 170, 40, 30},       // --class records 85/15 train/test
                        Case{pair("--test", "t"), 170, 30, 60},      // --class records 85/15 train/val
                        Case{pair("--val", "v") + pair("--test", "t"), 200, 40, 60}}) {
    CAPTURE(c.options);
    const std::string model = dir / "m.sster";
    std::filesystem::remove(model);
    const auto r = run_sster(train + c.options + " -o " + model);
    CAPTURE(r.out);
    REQUIRE(r.exit_code == 0);
    CHECK(std::filesystem::exists(model));
    auto total = [&](const std::string& label) {
      const auto row = table_row(r.out, label);
      CHECK(row.size() == 2);
      return std::accumulate(row.begin(), row.end(), 0);
    };
    CHECK(total("training:") == c.train);
    CHECK(total("validation:") == c.val);
    CHECK(total("test:") == c.test);
    CHECK(table_row(r.out, "training:")[0] + table_row(r.out, "validation:")[0] + table_row(r.out, "test:")[0] ==
          table_row(r.out, "all data:")[0]);
    if (c.options.find("--val") != std::string::npos) CHECK(table_row(r.out, "validation:") == std::vector{20, 20});
    if (c.options.find("--test") != std::string::npos) CHECK(table_row(r.out, "test:") == std::vector{30, 30});
    const auto summary = run_sster("summary " + model);
    CHECK(summary.exit_code == 0);
    CHECK(summary.out.find("classes: positives negatives") != std::string::npos);  // named after the --class files
    CHECK(summary.out.find("epoch   2") != std::string::npos);
  }
  // the random part of the split follows --split-seed, and is reproducible
  const auto a = run_sster(train + pair("--val", "v") + " --split-seed 7 -o " + (dir / "s1.sster"));
  const auto b = run_sster(train + pair("--val", "v") + " --split-seed 7 -o " + (dir / "s2.sster"));
  REQUIRE(a.exit_code == 0);
  REQUIRE(b.exit_code == 0);
  CHECK(table_row(a.out, "test:") == table_row(b.out, "test:"));
  // the interpretation commands take the same files to find the groups again
  const auto meme = run_sster("meme " + (dir / "s1.sster") + pair("--class", "a") + pair("--val", "v") +
                              " --split-seed 7 --group val -o " + (dir / "val.meme"));
  CAPTURE(meme.out);
  CHECK(meme.exit_code == 0);
  CHECK(std::filesystem::exists(dir / "val.meme"));
}

TEST_CASE("train --multilabel with --val/--test: one multi-label file each") {
  ScratchDir dir("cli-heldout-ml");
  std::array<int, 3> train{}, val{}, test{};
  write_multilabel(dir / "train.fa", 0, 60, train);
  write_multilabel(dir / "val.fa", 60, 10, val);
  write_multilabel(dir / "test.fa", 70, 12, test);
  const std::string base = "train --multilabel " + (dir / "train.fa") + " --classes 3 --param conv_num=1 --param kernel_num=4 --param epochs=2";
  auto r = run_sster(base + " --val " + (dir / "val.fa") + " --test " + (dir / "test.fa") + " -o " + (dir / "m.sster"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("sequences:  82 (multi-label), length 30") != std::string::npos);
  CHECK(table_row(r.out, "training:") == std::vector<int>(train.begin(), train.end()));
  CHECK(table_row(r.out, "validation:") == std::vector<int>(val.begin(), val.end()));
  CHECK(table_row(r.out, "test:") == std::vector<int>(test.begin(), test.end()));
  CHECK(std::filesystem::exists(dir / "m.sster"));
  CHECK(run_sster("summary " + (dir / "m.sster")).out.find("(multi-label)") != std::string::npos);

  // only --test: the --multilabel records split 85/15 into train/val (51/9 of 60)
  r = run_sster(base + " --test " + (dir / "test.fa") + " -o " + (dir / "m2.sster"));
  REQUIRE(r.exit_code == 0);
  CHECK(table_row(r.out, "test:") == std::vector<int>(test.begin(), test.end()));
  const auto tr = table_row(r.out, "training:"), va = table_row(r.out, "validation:"), all = table_row(r.out, "all data:");
  REQUIRE(tr.size() == 3);
  REQUIRE(va.size() == 3);
  for (std::size_t c = 0; c < 3; ++c) CHECK(tr[c] + va[c] == train[c]);

  // --multilabel takes one file per group
  r = run_sster(base + " --val " + (dir / "val.fa") + " --val " + (dir / "val.fa") + " -o " + (dir / "bad.sster"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("--val: 2 files given; with --multilabel give one multi-label FASTA file") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "bad.sster"));
}

TEST_CASE("train --val/--test: bad input exits 2, names the problem, writes no model") {
  ScratchDir dir("cli-heldout-bad");
  REQUIRE(run_sster("simulate -d " + (dir / "a") + " -n 50 --length 40 --motif CACGTG@10").exit_code == 0);
  REQUIRE(run_sster("simulate -d " + (dir / "short") + " -n 10 --length 30 --seed 2 --motif CACGTG@10").exit_code == 0);
  { std::ofstream(dir / "rna.fa") << ">r1\n" << std::string(40, 'U') << "\n"; }
  const std::string pos = dir / "a/positives.fasta.gz", neg = dir / "a/negatives.fasta.gz";
  const std::string train = "train --class " + pos + " --class " + neg + " --param conv_num=1 --param kernel_num=4 --param epochs=2 -q";
  const std::string model = dir / "m.sster";
  struct Case {
    std::string options, message;
  };
  for (const Case& c : {
           Case{" --val " + pos, "--val: 1 file given for 2 --class files; give one per class, in --class order"},
           Case{" --test " + pos + " --test " + neg + " --test " + neg, "--test: 3 files given for 2 --class files"},
           Case{" --val " + pos + " --val " + (dir / "short/negatives.fasta.gz"),
                dir / "short/negatives.fasta.gz" + " record 1 (line 1) has length 30, but "},
           Case{" --test " + pos + " --test " + (dir / "rna.fa"),
                dir / "rna.fa" + ": its first sequence looks like rna, but " + pos + " looks like dna"},
           Case{" --val " + pos + " --val " + neg + " --split " + (dir / "split.txt"), "cannot be combined with --val or --test"},
       }) {
    CAPTURE(c.options);
    const auto r = run_sster(train + c.options + " -o " + model);
    CAPTURE(r.out);
    CHECK(r.exit_code == 2);
    CHECK(r.out.find(c.message) != std::string::npos);
    CHECK(!std::filesystem::exists(model));
    CHECK(!std::filesystem::exists(model + ".checkpoint"));
  }
  for (const auto& f : std::filesystem::directory_iterator(dir.path))  // no temporary left behind
    CHECK(f.path().filename().string().find(".tmp") == std::string::npos);
}

TEST_CASE("folders are -d/--dir, files -o; the old folder spellings work for one release, with a warning") {
  ScratchDir dir("cli-dir");
  const std::string deprecated = "is deprecated: a folder is -d/--dir now (-o names a file)";
  auto r = run_sster("simulate --dir " + (dir / "new") + " -n 150 --length 30 --motif CACGTG@5");
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find(deprecated) == std::string::npos);
  r = run_sster("simulate -o " + (dir / "old") + " -n 150 --length 30 --motif CACGTG@5");
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("sster: warning: simulate -o/--output " + deprecated) != std::string::npos);
  CHECK(read_text(dir / "old/positives.fasta.gz") == read_text(dir / "new/positives.fasta.gz"));
  // both spellings at once, or neither: a usage error
  r = run_sster("simulate -d " + (dir / "a") + " -o " + (dir / "b") + " -n 10");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("excludes") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "a"));
  CHECK(!std::filesystem::exists(dir / "b"));
  r = run_sster("simulate -n 10");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("--dir is required") != std::string::npos);

  const std::string data = " --class " + (dir / "new/positives.fasta.gz") + " --class " + (dir / "new/negatives.fasta.gz");
  r = run_sster("train" + data + " --param conv_num=1 --param kernel_num=3 --param epochs=1 -q -o " + (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);
  for (const char* cmd : {"report", "motifs"}) {
    CAPTURE(cmd);
    r = run_sster(std::string(cmd) + " " + (dir / "m.sster") + data + " -o " + (dir / cmd));
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(std::string("sster: warning: ") + cmd + " -o/--output " + deprecated) != std::string::npos);
    CHECK(std::filesystem::is_directory(dir / cmd));
  }
  r = run_sster("grid-search" + data + " --grid kernel_num=2,3 --param conv_num=1 --param epochs=1 --folder " +
                (dir / "grid") + " -o " + (dir / "best.sster"));
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("sster: warning: grid-search --folder " + deprecated) != std::string::npos);
  CHECK(std::filesystem::exists(dir / "grid/grid_search.tsv"));
  CHECK(std::filesystem::exists(dir / "best.sster"));

  // --help shows only the new spelling
  for (const char* cmd : {"report", "motifs", "simulate", "demo", "grid-search"}) {
    CAPTURE(cmd);
    const auto help = run_sster(std::string(cmd) + " --help").out;
    CHECK(help.find("-d,--dir") != std::string::npos);
    CHECK(help.find("--folder") == std::string::npos);
    if (std::string(cmd) != "grid-search") CHECK(help.find("-o,--output") == std::string::npos);
  }
}

TEST_CASE("--threads is one option of the root, given before or after the subcommand; --help states the exit codes") {
  ScratchDir dir("cli-threads");
  REQUIRE(run_sster("simulate -d " + dir.path.string() + " -n 150 --length 30 --motif CACGTG@5").exit_code == 0);
  const std::string pos = dir / "positives.fasta.gz";
  auto r = run_sster("train --class " + pos + " --class " + (dir / "negatives.fasta.gz") +
                     " --param conv_num=1 --param kernel_num=3 --param epochs=1 -q --threads 1 -o " + (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);
  // $SSTER_THREADS is read only when no --threads was applied
  const std::string env = "SSTER_THREADS=many ";
  const std::string predict = std::string(SSTER_EXE) + " predict " + (dir / "m.sster") + " " + pos;
  r = sster::test::run_command(env + predict + " 2>&1 >/dev/null");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("SSTER_THREADS='many'") != std::string::npos);
  for (const std::string& cmd : {env + predict + " --threads 2", env + SSTER_EXE + " --threads 2 predict " +
                                                                     (dir / "m.sster") + " " + pos}) {
    CAPTURE(cmd);
    r = sster::test::run_command(cmd + " 2>&1 >/dev/null");
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
  }
  CHECK(run_sster("predict " + (dir / "m.sster") + " " + pos + " --threads many").exit_code == 2);

  const auto root = run_sster("--help").out;
  CHECK(root.find("--threads") != std::string::npos);
  CHECK(root.find("Exit codes: 0 done; 2 bad input") != std::string::npos);
  const auto train = run_sster("train --help").out;
  CHECK(train.find("Split: records are read") != std::string::npos);
  CHECK(train.find("--threads N goes before or after the subcommand") != std::string::npos);
  CHECK(train.find("Exit codes:") != std::string::npos);
}

TEST_CASE("a failure that is not bad input exits 1: out of memory") {
  ScratchDir dir("cli-oom");
  // a 4 GB sequence under a 1 GB address-space limit
  const auto r = sster::test::run_command("ulimit -v 1000000; " + std::string(SSTER_EXE) + " simulate -d " +
                                          (dir / "x") + " -n 1 --length 4000000000 2>&1");
  CAPTURE(r.out);
  CHECK(r.exit_code == 1);
  CHECK(r.out.find("sster: error: out of memory") != std::string::npos);
}

TEST_CASE("report takes the model's data like motifs: --group, the split options, and the compatibility checks") {
  ScratchDir dir("cli-report");
  REQUIRE(run_sster("simulate -d " + dir.path.string() + " -n 200 --length 40 --motif CACGTG@5").exit_code == 0);
  const std::string pos = dir / "positives.fasta.gz", data = " --class " + pos + " --class " + (dir / "negatives.fasta.gz");
  REQUIRE(run_sster("train" + data + " --param conv_num=1 --param kernel_num=3 --param epochs=2 -q -o " + (dir / "m.sster"))
              .exit_code == 0);
  auto r = run_sster("report " + (dir / "m.sster") + data + " --group test -d " + (dir / "test"));
  CAPTURE(r.out);
  REQUIRE(r.exit_code == 0);
  // the test group of the default 70/15/15 split of 400 records: 60 (the
  // support of the last row, the weighted average)
  const std::string tsv = read_text(dir / "test/report.tsv");
  CHECK(tsv.substr(tsv.rfind('\t')) == "\t60\n");
  r = run_sster("report " + (dir / "m.sster") + " --class " + pos + " -d " + (dir / "bad"));
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("2 classes, but 1 class files") != std::string::npos);
  CHECK(!std::filesystem::exists(dir / "bad"));
}
