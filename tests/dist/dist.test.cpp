// sster on MPI: the tool (and a small engine program) run under mpirun with
// 1 to 4 ranks on this machine (--oversubscribe: more ranks than cores), and
// every result is compared with one process's.
#include <doctest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cli/cli_test_util.hpp"
#include "sster/model/model.hpp"

using namespace sster;
using namespace sster::test;

TEST_CASE("grid-search --resume: continues what the folder records, and refuses a folder that records nothing") {
  ScratchDir dir("dist-resume");
  auto r = run_sster("simulate -d " + dir.path.string() + " -n 100 --length 40 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  const std::string search = "grid-search --class " + (dir / "positives.fasta.gz") + " --class " +
                             (dir / "negatives.fasta.gz") + " --grid kernel_num=2,3 --param conv_num=1 --param epochs=1 -d " +
                             (dir / "grid") + " -o " + (dir / "best.sster");
  r = run_sster(search + " --resume");
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("--resume: " + (dir / "grid") + " records no finished combination") != std::string::npos);
  r = run_sster(search);
  REQUIRE(r.exit_code == 0);
  r = run_sster(search + " --resume");
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("resuming: 2 of 2 combinations finished") != std::string::npos);
  CHECK(r.out.find("combination 1/2") == std::string::npos);  // nothing trained again
}

#ifndef SSTER_MPIRUN

TEST_CASE("MPI tests") {
  MESSAGE("MPI tests skipped: this build has no MPI (Debian packages libopenmpi-dev and openmpi-bin; "
          "tools/run installs them when it can)");
}

#else

namespace {

// mpirun with n ranks, as root if need be, one thread per rank.
std::string mpirun(int n) {
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none "
         "SSTER_THREADS=1 " SSTER_MPIRUN " --oversubscribe -n " +
         std::to_string(n) + " ";
}
std::string sster_on(int n) { return mpirun(n) + SSTER_EXE " "; }

// Runs a command line; stdout is the result's text, stderr goes to `log`
// (the tests show both when they fail).
RunResult run_logged(const std::string& command_line, const std::string& log) {
  return run_command(command_line + " 2> " + log);
}

// Two model files hold the same weights and the same training history
// (apart from its wall-clock times).
void check_same_model(const std::string& a, const std::string& b) {
  const Model x = Model::load(a), y = Model::load(b);
  REQUIRE(x.weights().size() == y.weights().size());
  CHECK(std::memcmp(x.weights().data(), y.weights().data(), x.weights().size() * sizeof(float)) == 0);
  REQUIRE(x.history().size() == y.history().size());
  for (std::size_t e = 0; e < x.history().size(); ++e) {
    CHECK(x.history()[e].loss == y.history()[e].loss);
    CHECK(x.history()[e].val_loss == y.history()[e].val_loss);
    CHECK(x.history()[e].learning_rate == y.history()[e].learning_rate);
  }
}

// A planted-motif set in dir: positives.fasta.gz, negatives.fasta.gz.
std::string simulated_classes(const ScratchDir& dir, int per_class) {
  const auto r = run_sster("simulate -d " + dir.path.string() + " -n " + std::to_string(per_class) +
                           " --length 50 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  return " --class " + (dir / "positives.fasta.gz") + " --class " + (dir / "negatives.fasta.gz");
}

}  // namespace

TEST_CASE("data-parallel engine on 2, 3 and 4 ranks: one process's weights and losses, in float and double") {
  for (int n : {2, 3, 4}) {
    const auto r = run_command(mpirun(n) + SSTER_DATA_PARALLEL_CHECK " 2>&1");
    CAPTURE(r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("data-parallel on " + std::to_string(n) + " ranks: identical") != std::string::npos);
  }
}

TEST_CASE("sster train on 1, 2 and 3 ranks: the model of one process, bit for bit") {
  ScratchDir dir("dist-train");
  // 420 training records in batches of 100: 4 chunks of 32, 32, 32, 4 and a
  // last batch of one chunk, so shares are uneven and some ranks idle.
  const std::string train = "train" + simulated_classes(dir, 300) +
                            " --param conv_num=1 --param kernel_num=6 --param epochs=3 --param batch_size=100 -o ";
  auto r = run_logged(SSTER_EXE " " + train + (dir / "alone.sster"), dir / "log");
  REQUIRE(r.exit_code == 0);
  for (int n : {1, 2, 3}) {
    CAPTURE(n);
    const auto model = dir / ("ranks" + std::to_string(n) + ".sster");
    r = run_logged(sster_on(n) + train + model, dir / "log");
    INFO(read_text(dir / "log"));
    REQUIRE(r.exit_code == 0);
    check_same_model(dir / "alone.sster", model);
    if (n > 1) CHECK(read_text(dir / "log").find("data-parallel on " + std::to_string(n) + " ranks") != std::string::npos);
    CHECK(!std::filesystem::exists(model + ".checkpoint"));
  }
}

TEST_CASE("sster grid-search on 2 and 3 ranks: the table and best model of one process") {
  ScratchDir dir("dist-grid");
  const std::string search = "grid-search" + simulated_classes(dir, 200) +
                             " --grid kernel_num=3,5 --grid kernel_len=4,8 --param conv_num=1 --param epochs=2";
  const auto alone = run_logged(SSTER_EXE " " + search + " -d " + (dir / "alone") + " -o " + (dir / "alone.sster"),
                                dir / "log");
  REQUIRE(alone.exit_code == 0);
  REQUIRE(alone.out.find("kernel_num kernel_len roc-auc") != std::string::npos);
  for (int n : {2, 3}) {
    CAPTURE(n);
    const std::string folder = dir / ("ranks" + std::to_string(n));
    const auto r = run_logged(sster_on(n) + search + " -d " + folder + " -o " + folder + ".sster", dir / "log");
    INFO(read_text(dir / "log"));
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == alone.out);  // rank 0 alone prints the table
    CHECK(read_text(folder + "/grid_search.tsv") == read_text(dir / "alone/grid_search.tsv"));
    CHECK(read_text(folder + "/finished.tsv") == read_text(dir / "alone/finished.tsv"));
    check_same_model(dir / "alone.sster", folder + ".sster");
  }
}

TEST_CASE("a rank dies during grid-search on 3 ranks; --resume finishes with the table of one process") {
  ScratchDir dir("dist-grid-kill");
  const std::string search = "grid-search" + simulated_classes(dir, 200) +
                             " --grid kernel_num=3,5,7 --grid kernel_len=4,8 --param conv_num=1 --param epochs=2";
  const auto alone = run_logged(SSTER_EXE " " + search + " -d " + (dir / "alone") + " -o " + (dir / "alone.sster"),
                                dir / "log");
  REQUIRE(alone.exit_code == 0);
  const std::string folder = dir / "ranks";
  const std::string on_ranks = search + " -d " + folder + " -o " + (dir / "ranks.sster");
  // Combination 4 is dealt once a rank finished its first: at least one is recorded.
  auto r = run_logged("SSTER_TEST_GRID_EXIT=4 " + sster_on(3) + on_ranks, dir / "log");
  INFO(read_text(dir / "log"));
  CHECK(r.exit_code != 0);
  CHECK(!std::filesystem::exists(dir / "ranks.sster"));
  const auto finished = read_text(folder + "/finished.tsv");
  const auto recorded = std::count(finished.begin(), finished.end(), '\n');
  CHECK(recorded >= 1);
  CHECK(recorded < 6);
  for (const auto& f : std::filesystem::directory_iterator(folder))  // no half-written file
    CHECK(f.path().filename().string().find(".tmp") == std::string::npos);
  r = run_logged(sster_on(2) + on_ranks + " --resume", dir / "log");
  INFO(read_text(dir / "log"));
  REQUIRE(r.exit_code == 0);
  CHECK(read_text(dir / "log").find("resuming: " + std::to_string(recorded) + " of 6") != std::string::npos);
  CHECK(r.out == alone.out);
  CHECK(read_text(folder + "/grid_search.tsv") == read_text(dir / "alone/grid_search.tsv"));
  check_same_model(dir / "alone.sster", dir / "ranks.sster");
}

TEST_CASE("sster predict on 2 and 3 ranks: the output of one process, byte for byte; a bad record reported once") {
  ScratchDir dir("dist-predict");
  const std::string classes = simulated_classes(dir, 300);
  auto r = run_sster("train" + classes + " --param conv_num=1 --param epochs=1 -q -o " + (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);
  // 9000 records: more than one 4096-record block per rank
  r = run_sster("simulate -d " + (dir / "big") + " -n 4500 --length 50 --seed 3 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  const std::string predict = "predict " + (dir / "m.sster") + " " + (dir / "big/positives.fasta.gz");
  const auto alone = run_logged(SSTER_EXE " " + predict, dir / "log");
  REQUIRE(alone.exit_code == 0);
  REQUIRE(std::count(alone.out.begin(), alone.out.end(), '\n') == 4501);
  for (int n : {2, 3}) {
    CAPTURE(n);
    const std::string out = dir / ("ranks" + std::to_string(n) + ".tsv");
    r = run_logged(sster_on(n) + predict + " -o " + out, dir / "log");
    INFO(read_text(dir / "log"));
    REQUIRE(r.exit_code == 0);
    CHECK(read_text(out) == alone.out);
    r = run_logged(sster_on(n) + predict, dir / "log");  // to standard output
    REQUIRE(r.exit_code == 0);
    CHECK(r.out == alone.out);
  }
  // Record 4000 of 4501 (in the last rank's share) has the wrong length:
  // one message naming it, exit code 2, no output.
  std::string fasta;
  for (int i = 1; i <= 4501; ++i) fasta += ">r" + std::to_string(i) + "\n" + std::string(i == 4000 ? 40 : 50, 'A') + "\n";
  const auto bad = dir.write("bad.fa", fasta);
  r = run_logged(sster_on(3) + "predict " + (dir / "m.sster") + " " + bad + " -o " + (dir / "bad.tsv"), dir / "log");
  const auto log = read_text(dir / "log");
  INFO(log);
  CHECK(r.exit_code == 2);
  CHECK(log.find("record 4000") != std::string::npos);
  CHECK(log.find("sster: error") == log.rfind("sster: error"));  // once, by rank 0
  CHECK(!std::filesystem::exists(dir / "bad.tsv"));
  for (const auto& f : std::filesystem::directory_iterator(dir.path))
    CHECK(f.path().filename().string().find(".tmp") == std::string::npos);
}

TEST_CASE("sster predict on 2 and 3 ranks with an additional input, and on a labelled group: one process's output") {
  ScratchDir dir("dist-predict-inputs");
  const std::string classes = simulated_classes(dir, 300);
  auto numbers = [&](const std::string& name, int lines, int salt) {
    std::string text;
    for (int i = 0; i < lines; ++i) text += std::to_string((i * 7 + salt) % 13) + "\n";
    return dir.write(name, text);
  };
  const std::string inputs = " --additional " + numbers("pos.txt", 300, 1) + "," + numbers("neg.txt", 300, 5);
  auto r = run_sster("train" + classes + inputs + " --param conv_num=1 --param epochs=1 -q -o " + (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);
  r = run_sster("simulate -d " + (dir / "big") + " -n 500 --length 50 --seed 3 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  const std::string stream = "predict " + (dir / "m.sster") + " " + (dir / "big/positives.fasta.gz") +
                             " --additional " + numbers("big.txt", 500, 2);
  const std::string group = "predict " + (dir / "m.sster") + classes + inputs + " --group all";
  for (const std::string& predict : {stream, group}) {
    CAPTURE(predict);
    const auto alone = run_logged(SSTER_EXE " " + predict, dir / "log");
    INFO(read_text(dir / "log"));
    REQUIRE(alone.exit_code == 0);
    REQUIRE(std::count(alone.out.begin(), alone.out.end(), '\n') > 500);
    for (int n : {2, 3}) {
      CAPTURE(n);
      const std::string out = dir / ("ranks" + std::to_string(n) + ".tsv");
      r = run_logged(sster_on(n) + predict + " -o " + out, dir / "log");
      INFO(read_text(dir / "log"));
      REQUIRE(r.exit_code == 0);
      CHECK(read_text(out) == alone.out);
    }
  }
  // An input file with too few or too many lines: one process's message, once.
  for (const auto& [lines, message] : {std::pair{400, "short.txt: 400 lines, but "}, {501, "short.txt line 501: more lines than"}}) {
    const std::string bad = "predict " + (dir / "m.sster") + " " + (dir / "big/positives.fasta.gz") + " --additional " +
                            numbers("short.txt", lines, 2) + " -o " + (dir / "bad.tsv");
    r = run_logged(sster_on(3) + bad, dir / "log");
    const auto log = read_text(dir / "log");
    INFO(log);
    CHECK(r.exit_code == 2);
    CHECK(log.find(message) != std::string::npos);
    CHECK(log.find("sster: error") == log.rfind("sster: error"));
    CHECK(!std::filesystem::exists(dir / "bad.tsv"));
  }
}

TEST_CASE("sster attribute on 2 and 3 ranks: the npz files, seqlets and pictures of one process") {
  ScratchDir dir("dist-attribute");
  const std::string classes = simulated_classes(dir, 300);
  auto r = run_sster("train" + classes + " --param conv_num=1 --param epochs=2 -q -o " + (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);
  // 1100 records: blocks of 512, 512 and 76, shared 2 + 1 or 1 + 1 + 1
  r = run_sster("simulate -d " + (dir / "in") + " -n 550 --length 50 --seed 4 --motif CACGTG@10");
  REQUIRE(r.exit_code == 0);
  const std::string attribute = "attribute " + (dir / "m.sster") + " " + (dir / "in/positives.fasta.gz") +
                                " --method deeplift --references 3 --null-sequences 200 --top 4";
  auto outputs = [&](const std::string& name) {
    return " --npz " + (dir / name) + " --seqlets " + (dir / (name + ".tsv")) + " --png " + (dir / (name + "_png"));
  };
  r = run_logged(SSTER_EXE " " + attribute + outputs("alone"), dir / "log");
  INFO(read_text(dir / "log"));
  REQUIRE(r.exit_code == 0);
  for (int n : {2, 3}) {
    CAPTURE(n);
    const std::string name = "ranks" + std::to_string(n);
    r = run_logged(sster_on(n) + attribute + outputs(name), dir / "log");
    INFO(read_text(dir / "log"));
    REQUIRE(r.exit_code == 0);
    for (const char* file : {"_ohe.npz", "_attr.npz", ".tsv"}) {
      CAPTURE(file);
      CHECK(read_text(dir / (name + file)) == read_text(dir / (std::string("alone") + file)));
    }
    int pictures = 0;
    for (const auto& f : std::filesystem::directory_iterator(dir / "alone_png")) {
      CHECK(read_text(dir / (name + "_png/" + f.path().filename().string())) == read_text(f.path()));
      ++pictures;
    }
    CHECK(pictures == 4);
  }
}

TEST_CASE("sster scan and vep on 2 and 3 ranks: the tracks, best windows and variant tables of one process") {
  ScratchDir dir("dist-genome");
  auto r = run_sster("train" + simulated_classes(dir, 200) + " --param conv_num=1 --param epochs=1 -q -o " +
                     (dir / "m.sster"));
  REQUIRE(r.exit_code == 0);
  // Two random sequences of 150,000 bases (an N run in each): 6 units of
  // 65,536 bases at most, shared unevenly.
  std::mt19937 rng(7);
  std::vector<std::string> chroms;
  std::string fasta;
  for (const char* name : {"chrA", "chrB"}) {
    std::string seq;
    for (int i = 0; i < 150000; ++i) seq += i >= 1000 && i < 1100 ? 'N' : "ACGT"[rng() % 4];
    fasta += std::string(">") + name + "\n";
    for (std::size_t i = 0; i < seq.size(); i += 60) fasta += seq.substr(i, 60) + "\n";
    chroms.push_back(seq);
  }
  const std::string genome = dir.write("genome.fa", fasta);
  // 3,000 variants (SNVs, an insertion, a deletion; some near the ends, one symbolic)
  std::string vcf = "##fileformat=VCFv4.2\n##contig=<ID=chrA>\n##contig=<ID=chrB>\n"
                    "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n";
  for (int v = 0; v < 3000; ++v) {
    const int c = v < 1500 ? 0 : 1, pos = 5 + (v % 1500) * 99;
    const std::string ref = chroms[c].substr(pos - 1, v % 7 == 3 ? 3 : 1);
    const std::string alt = v == 10 ? "<DEL>" : v % 7 == 3 ? ref.substr(0, 1) : v % 7 == 5 ? ref + "GA" : ref == "A" ? "C" : "A";
    vcf += std::string(c ? "chrB" : "chrA") + "\t" + std::to_string(pos) + "\tv" + std::to_string(v) + "\t" + ref + "\t" +
           alt + "\t.\t.\t.\n";
  }
  const std::string variants = dir.write("variants.vcf", vcf);
  const std::string model = dir / "m.sster";
  struct Run {
    std::string args;
    std::vector<std::string> outputs;  // suffixes of OUT
  };
  const std::vector<Run> runs = {
      {"scan " + model + " " + genome + " --stride 3 --top 20 -o OUT.bedgraph", {".bedgraph", ".top.tsv"}},
      {"scan " + model + " " + genome + " --strand both --rc-merge none --class all -o OUT.bw",
       {".positives.plus.bw", ".positives.minus.bw", ".negatives.plus.bw", ".negatives.minus.bw"}},
      {"vep " + model + " --vcf " + variants + " --fasta " + genome + " --strand both --logits -o OUT.tsv",
       {".tsv", ".na.tsv"}},
      {"vep " + model + " --vcf " + variants + " --fasta " + genome + " -o OUT.vcf.gz", {".vcf.gz", ".na.tsv"}},
  };
  auto run_as = [&](const Run& run, const std::string& launcher, const std::string& name) {
    std::string args = run.args;
    args.replace(args.find("OUT"), 3, dir / name);
    const auto result = run_logged(launcher + args, dir / "log");
    INFO(read_text(dir / "log"));
    REQUIRE(result.exit_code == 0);
  };
  for (std::size_t k = 0; k < runs.size(); ++k) {
    CAPTURE(runs[k].args);
    const std::string alone = "alone" + std::to_string(k);
    run_as(runs[k], SSTER_EXE " ", alone);
    for (int n : {2, 3}) {
      CAPTURE(n);
      const std::string name = "ranks" + std::to_string(n) + "_" + std::to_string(k);
      run_as(runs[k], sster_on(n), name);
      for (const auto& suffix : runs[k].outputs) {
        CAPTURE(suffix);
        const std::string one = read_text(dir / (alone + suffix));
        CHECK(one.size() > 100);
        CHECK(read_text(dir / (name + suffix)) == one);
      }
    }
  }
  // A bad record in the last rank's share: one process's message, once, and no output.
  vcf += "chrA\t99999999\tfar\tA\tC\t.\t.\t.\n";
  const std::string bad = dir.write("bad.vcf", vcf);
  r = run_logged(sster_on(3) + "vep " + model + " --vcf " + bad + " --fasta " + genome + " -o " + (dir / "bad.tsv"),
                 dir / "log");
  const auto log = read_text(dir / "log");
  INFO(log);
  CHECK(r.exit_code == 2);
  CHECK(log.find("bad.vcf line 3005") != std::string::npos);
  CHECK(log.find("sster: error") == log.rfind("sster: error"));
  CHECK(!std::filesystem::exists(dir / "bad.tsv"));
  CHECK(!std::filesystem::exists(dir / "bad.na.tsv"));
}

TEST_CASE("subcommands that do not share their work refuse to start on several ranks") {
  ScratchDir dir("dist-refuse");
  const auto r = run_logged(sster_on(2) + "simulate -d " + (dir / "x"), dir / "log");
  const auto log = read_text(dir / "log");
  INFO(log);
  CHECK(r.exit_code == 2);
  CHECK(log.find("sster simulate does not run on several MPI ranks") != std::string::npos);
  CHECK(log.find("sster: error") == log.rfind("sster: error"));
  CHECK(!std::filesystem::exists(dir / "x"));
}

#endif
